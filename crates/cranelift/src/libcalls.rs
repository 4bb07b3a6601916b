//! The translator's view of the libcalls ([`VMLibcalls`]): where each
//! function pointer sits in the table and its Cranelift signature.

use crate::vmctx::VMLibcalls;
use core::mem::offset_of;
use cranelift_codegen::ir::{AbiParam, Signature, types};
use cranelift_codegen::isa::CallConv;

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
    /// [`VMLibcalls::func_subtype`]
    FuncSubtype,
    /// [`VMLibcalls::trap`]
    Trap,
    /// [`VMLibcalls::gc`]; the caller tests the trap cell itself, after
    /// the operations that can trap ([`crate::vmctx::GcOp::can_trap`]).
    Gc,
    /// [`VMLibcalls::raise`]; never returns.
    Raise,
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
            Libcall::FuncSubtype => offset_of!(VMLibcalls, func_subtype),
            Libcall::Trap => offset_of!(VMLibcalls, trap),
            Libcall::Gc => offset_of!(VMLibcalls, gc),
            Libcall::Raise => offset_of!(VMLibcalls, raise),
        }) as i32
    }

    /// Parameters after `vmctx`, and whether it returns a `u64`.
    fn shape(self) -> (&'static [u8], bool) {
        match self {
            Libcall::MemoryGrow => (&[I32, I64], true),
            Libcall::MemoryFill => (&[I32, I64, I32, I64], false),
            Libcall::MemoryCopy => (&[I32, I32, I64, I64, I64], false),
            Libcall::MemoryInit => (&[I32, I32, I64, I64, I64], false),
            Libcall::DataDrop | Libcall::ElemDrop | Libcall::Trap => (&[I32], false),
            Libcall::FuncSubtype => (&[I32, I32], true),
            Libcall::TableGrow => (&[I32, I64, I64], true),
            Libcall::TableFill => (&[I32, I64, I64, I64], false),
            Libcall::TableCopy => (&[I32, I32, I64, I64, I64], false),
            Libcall::TableInit => (&[I32, I32, I64, I64, I64], false),
            Libcall::Gc => (&[I32, I32, I32, I64, I64], true),
            Libcall::Raise => (&[], false),
        }
    }

    /// Whether it can trap, so the caller must test the trap cell after it.
    pub fn can_trap(self) -> bool {
        !matches!(
            self,
            Libcall::MemoryGrow
                | Libcall::TableGrow
                | Libcall::DataDrop
                | Libcall::ElemDrop
                | Libcall::FuncSubtype
                | Libcall::Trap
                | Libcall::Gc
                | Libcall::Raise
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
