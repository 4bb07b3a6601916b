//! Libcalls: runtime functions compiled code calls for operations too big
//! or too runtime-specific to inline (growing, bulk copies, segments).
//!
//! The runtime hands their addresses over in one [`VMLibcalls`] table that
//! every `VMContext` points to, so the code blob holds no absolute
//! address and needs no relocation when it is loaded. Each takes the
//! calling instance's `VMContext` first and uses the host C calling
//! convention. One that fails writes a trap code into the store's
//! [`crate::vmctx::VMStoreContext::trap_code`]; compiled code tests it
//! after every libcall that can trap.

use crate::vmctx::VMContext;
use core::mem::offset_of;
use cranelift_codegen::ir::{AbiParam, Signature, types};
use cranelift_codegen::isa::CallConv;

/// The runtime's libcall table. Index arguments are module indices
/// (memory, table, data or element segment); addresses and lengths are
/// zero-extended to 64 bits.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMLibcalls {
    /// `memory.grow`: the old size in pages, or `u64::MAX` if it cannot grow.
    /// Must update the memory's `VMMemoryDefinition`.
    pub memory_grow: unsafe extern "C" fn(vmctx: *mut VMContext, memory: u32, delta: u64) -> u64,
    /// `memory.fill`; traps `MemoryOutOfBounds`.
    pub memory_fill: unsafe extern "C" fn(vmctx: *mut VMContext, memory: u32, dst: u64, value: u32, len: u64),
    /// `memory.copy`; traps `MemoryOutOfBounds`.
    pub memory_copy:
        unsafe extern "C" fn(vmctx: *mut VMContext, dst_memory: u32, src_memory: u32, dst: u64, src: u64, len: u64),
    /// `memory.init`; traps `MemoryOutOfBounds`.
    pub memory_init: unsafe extern "C" fn(vmctx: *mut VMContext, memory: u32, data: u32, dst: u64, src: u64, len: u64),
    /// `data.drop`.
    pub data_drop: unsafe extern "C" fn(vmctx: *mut VMContext, data: u32),
    /// `table.grow`: the old size, or `u64::MAX` if it cannot grow. Must
    /// update the table's `VMTableDefinition`.
    pub table_grow: unsafe extern "C" fn(vmctx: *mut VMContext, table: u32, init: u64, delta: u64) -> u64,
    /// `table.fill`; traps `TableOutOfBounds`.
    pub table_fill: unsafe extern "C" fn(vmctx: *mut VMContext, table: u32, dst: u64, value: u64, len: u64),
    /// `table.copy`; traps `TableOutOfBounds`.
    pub table_copy:
        unsafe extern "C" fn(vmctx: *mut VMContext, dst_table: u32, src_table: u32, dst: u64, src: u64, len: u64),
    /// `table.init`; traps `TableOutOfBounds`.
    pub table_init: unsafe extern "C" fn(vmctx: *mut VMContext, table: u32, elem: u32, dst: u64, src: u64, len: u64),
    /// `elem.drop`.
    pub elem_drop: unsafe extern "C" fn(vmctx: *mut VMContext, elem: u32),
}

/// One entry of [`VMLibcalls`], for the translator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Libcall {
    /// [`VMLibcalls::memory_grow`]
    MemoryGrow,
    /// [`VMLibcalls::memory_fill`]
    MemoryFill,
    /// [`VMLibcalls::memory_copy`]
    MemoryCopy,
    /// [`VMLibcalls::memory_init`]
    MemoryInit,
    /// [`VMLibcalls::data_drop`]
    DataDrop,
    /// [`VMLibcalls::table_grow`]
    TableGrow,
    /// [`VMLibcalls::table_fill`]
    TableFill,
    /// [`VMLibcalls::table_copy`]
    TableCopy,
    /// [`VMLibcalls::table_init`]
    TableInit,
    /// [`VMLibcalls::elem_drop`]
    ElemDrop,
}

/// Argument kinds of a libcall signature after the `vmctx` pointer.
const I32: u8 = 0;
const I64: u8 = 1;

impl Libcall {
    /// Offset of the function pointer in [`VMLibcalls`].
    pub fn offset(self) -> i32 {
        (match self {
            Libcall::MemoryGrow => offset_of!(VMLibcalls, memory_grow),
            Libcall::MemoryFill => offset_of!(VMLibcalls, memory_fill),
            Libcall::MemoryCopy => offset_of!(VMLibcalls, memory_copy),
            Libcall::MemoryInit => offset_of!(VMLibcalls, memory_init),
            Libcall::DataDrop => offset_of!(VMLibcalls, data_drop),
            Libcall::TableGrow => offset_of!(VMLibcalls, table_grow),
            Libcall::TableFill => offset_of!(VMLibcalls, table_fill),
            Libcall::TableCopy => offset_of!(VMLibcalls, table_copy),
            Libcall::TableInit => offset_of!(VMLibcalls, table_init),
            Libcall::ElemDrop => offset_of!(VMLibcalls, elem_drop),
        }) as i32
    }

    /// Parameters after `vmctx`, and whether it returns a `u64`.
    fn shape(self) -> (&'static [u8], bool) {
        match self {
            Libcall::MemoryGrow => (&[I32, I64], true),
            Libcall::MemoryFill => (&[I32, I64, I32, I64], false),
            Libcall::MemoryCopy => (&[I32, I32, I64, I64, I64], false),
            Libcall::MemoryInit => (&[I32, I32, I64, I64, I64], false),
            Libcall::DataDrop | Libcall::ElemDrop => (&[I32], false),
            Libcall::TableGrow => (&[I32, I64, I64], true),
            Libcall::TableFill => (&[I32, I64, I64, I64], false),
            Libcall::TableCopy => (&[I32, I32, I64, I64, I64], false),
            Libcall::TableInit => (&[I32, I32, I64, I64, I64], false),
        }
    }

    /// Whether it can trap, so the caller must test the trap cell after it.
    pub fn can_trap(self) -> bool {
        !matches!(
            self,
            Libcall::MemoryGrow | Libcall::TableGrow | Libcall::DataDrop | Libcall::ElemDrop
        )
    }

    /// Its Cranelift signature in the host calling convention `call_conv`.
    pub fn signature(self, call_conv: CallConv) -> Signature {
        let mut sig = Signature::new(call_conv);
        sig.params.push(AbiParam::new(types::I64));
        let (params, returns) = self.shape();
        for &p in params {
            sig.params
                .push(AbiParam::new(if p == I32 { types::I32 } else { types::I64 }));
        }
        if returns {
            sig.returns.push(AbiParam::new(types::I64));
        }
        sig
    }
}
