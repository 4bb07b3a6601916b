//! Libcalls: runtime functions compiled code calls for operations too big
//! or too runtime-specific to inline (growing, bulk copies, segments).
//!
//! The runtime hands their addresses over in one [`VMLibcalls`] table that
//! every `VMContext` points to, so the code blob holds no absolute
//! address and needs no relocation when it is loaded. Each takes the
//! calling instance's `VMContext` first and uses the host C calling
//! convention. One that fails writes a trap code into the store's
//! [`super::VMStoreContext::trap_code`]; compiled code tests it after every
//! libcall that can trap, and then returns or, in code that raises traps
//! (`CompileOptions::raises_traps`), calls [`VMLibcalls::raise`].

use super::VMContext;

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
    /// Whether the function type `actual` is a subtype of `expected` (both
    /// engine-wide type ids; nonzero for yes). `call_indirect` asks only
    /// when the ids differ and the expected type is not final, so modules
    /// without declared subtypes never call it.
    pub func_subtype: unsafe extern "C" fn(vmctx: *mut VMContext, actual: u32, expected: u32) -> u64,
    /// Told of every trap raised in compiled code, after the code is in the
    /// trap cell and before the trapping function returns: the wasm frames
    /// are still on the stack (each keeps its frame pointer), so the runtime
    /// can record a backtrace here. Must return.
    pub trap: unsafe extern "C" fn(vmctx: *mut VMContext, code: u32),
    /// A GC or exception operation ([`super::GcOp`] `op` with immediates
    /// `a`, `b`) on the `len` cells at `cells`; see [`super::gc`]. Traps of
    /// the operations that have them go to the trap cell.
    pub gc: unsafe extern "C" fn(vmctx: *mut VMContext, op: u32, a: u32, b: u32, cells: *mut u64, len: usize) -> u64,
    /// Leaves compiled code with the trap (or uncaught exception) the trap
    /// cell holds: an exception resumes the handler of the nearest calling
    /// frame that has one ([`crate::HandlerSite`]), anything else jumps
    /// back to the innermost host → wasm entry, which reports it. Never
    /// returns; only code that raises traps calls it.
    pub raise: unsafe extern "C" fn(vmctx: *mut VMContext) -> !,
}
