//! The `VMContext` ABI: the data compiled code reads and writes at run
//! time, shared between this compiler and the runtime that runs its code.
//!
//! Compiled code receives two pointers with every call: the callee's
//! `VMContext` and the caller's. A `VMContext` is a [`VMContextHeader`]
//! followed by four arrays whose offsets [`VMOffsets`] computes from the
//! module's counts:
//!
//! | offset | contents |
//! |---|---|
//! | 0 | [`VMContextHeader`] (`store`, `libcalls`, `type_ids`, `func_indices`, `host_data`) |
//! | [`VMOffsets::memory`] | one `*mut VMMemoryDefinition` per memory, imports first |
//! | [`VMOffsets::table`] | one `*mut VMTableDefinition` per table, imports first |
//! | [`VMOffsets::global`] | one `*mut VMGlobal` per global, imports first |
//! | [`VMOffsets::imported_func`] | one [`VMFuncRef`] (by value) per imported function |
//!
//! Memories, tables and globals are reached through pointers so that the
//! runtime keeps owning them: the interpreter and compiled code see the
//! same bytes, and an import is just the exporter's pointer. The runtime
//! must keep every pointed-to definition at a stable address for the
//! instance's lifetime, and update `base`/`length` when a memory or table
//! grows or moves (compiled code reloads them after every call).
//!
//! Per-store state lives in one [`VMStoreContext`] that every instance of
//! the store points to: the trap code cell (a trap in any instance must be
//! seen by every caller up the chain), fuel, the stack limit, and the
//! store's function references for `call_indirect`, and the exception
//! being thrown. Exceptions travel like traps: see
//! [`VMStoreContext::exception`].
//!
//! Everything here assumes a 64-bit little-endian target; the compiler
//! refuses other targets.

pub mod gc;
mod libcalls;
mod owned;

pub use gc::{GcOp, VMGcObject};
pub use libcalls::VMLibcalls;
pub use owned::OwnedVMContext;

use core::mem::offset_of;

/// Opaque type of a `VMContext` pointer: a [`VMContextHeader`] followed by
/// the arrays described in the module documentation.
#[repr(C)]
pub struct VMContext {
    _private: [u8; 0],
}

/// The array ABI of host functions: the parameters are in `values` on
/// entry, the results on return (64-bit cells, `i32`/`f32` zero-extended,
/// a `v128` over two cells low half first, references in the runtime's raw
/// encoding; `len` cells in all). A trap or host error is reported by
/// writing a nonzero code into [`VMStoreContext::trap_code`] of the
/// caller's store; a panic must not unwind out of it.
pub type VMArrayCallFn =
    unsafe extern "C" fn(callee_vmctx: *mut VMContext, caller_vmctx: *mut VMContext, values: *mut u64, len: usize);

/// An entry trampoline, one per function type
/// ([`crate::LoadedModule::trampoline`]): calls `code`, a compiled function
/// of that type, with the parameters in `values` (cells as in
/// [`VMArrayCallFn`]) and writes its results there (`values` holds the
/// larger of the parameters' and results' cells). A trap shows in the
/// store's trap cell.
pub type TrampolineFn =
    unsafe extern "C" fn(code: *const u8, callee_vmctx: *mut VMContext, caller_vmctx: *mut VMContext, values: *mut u64);

/// State shared by every instance of one store.
#[repr(C)]
#[derive(Debug)]
pub struct VMStoreContext {
    /// `0` while running normally; a [`mote_core::TrapCode`] as `u32` once
    /// something trapped. Compiled code sets it and returns; every caller
    /// tests it after each call and returns too. The runtime clears it
    /// before entering wasm.
    pub trap_code: u32,
    /// Padding, always zero.
    pub _pad: u32,
    /// Remaining fuel, read only when compiled with fuel metering. A
    /// region of `n` counted operators traps with `OutOfFuel` (leaving 0)
    /// when fewer than `n` units remain, as in the interpreter.
    pub fuel: u64,
    /// The lowest stack-pointer value wasm code may run at. Each function
    /// that calls others compares the stack pointer with it after its
    /// prologue; the runtime
    /// sets it on entry from the host to the native stack's end plus a
    /// margin ([`STACK_LIMIT_MARGIN`]) for one frame and host calls.
    pub stack_limit: usize,
    /// The store's functions by store index: table elements and
    /// `ref.func` values are `store index + 1` (`0` is null), and
    /// `call_indirect` reads `funcs[raw - 1]`. The runtime updates the
    /// pointer whenever the array moves.
    pub funcs: *const VMFuncRef,
    /// The exception being thrown while `trap_code` is
    /// `TrapCode::UncaughtException`: a throw with no handler in its own
    /// function stores it here, sets the code and returns, so every caller
    /// leaves like after a trap, except one whose call is inside a
    /// `try_table`: it clears the code, reads the exception and branches
    /// to the matching catch clause (or stores it back and leaves).
    pub exception: u64,
    /// The store's heap objects as compiled code reads and writes them
    /// (see [`VMGcObject`]); the runtime appends an entry for every new
    /// object before compiled code can see its reference, and repoints
    /// this whenever the table moves.
    pub gc_objects: *const VMGcObject,
}

/// Bytes of stack the runtime should leave below [`VMStoreContext::stack_limit`]:
/// the check runs after a function's prologue, so the largest frame plus
/// whatever a libcall or host function uses must fit there.
pub const STACK_LIMIT_MARGIN: usize = 256 * 1024;

/// A callable function as compiled code sees it: imported functions are
/// stored by value in the `VMContext`, and the store's [`VMStoreContext::funcs`]
/// array holds one per function for `call_indirect`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMFuncRef {
    /// Compiled code with the native wasm ABI (see [`crate::abi`]), or
    /// null when the function only has an array entry (host functions).
    pub wasm_call: *const u8,
    /// The array-ABI entry, used when `wasm_call` is null.
    pub array_call: Option<VMArrayCallFn>,
    /// The `VMContext` passed as `callee_vmctx`.
    pub vmctx: *mut VMContext,
    /// The function's engine-wide canonical type (a `SharedTypeId`).
    pub type_id: u32,
    /// Padding, always zero.
    pub _pad: u32,
}

/// A linear memory as compiled code sees it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMMemoryDefinition {
    /// Start of the bytes.
    pub base: *mut u8,
    /// Current length in bytes.
    pub length: u64,
}

/// A table as compiled code sees it: raw 64-bit reference cells.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMTableDefinition {
    /// Start of the elements.
    pub base: *mut u64,
    /// Current number of elements.
    pub length: u64,
}

/// A global's storage: two raw cells (a `v128` uses both), the layout of
/// the runtime's global entities. Scalars are stored zero-extended in the
/// first cell.
pub type VMGlobal = [u64; 2];

/// The fixed start of every `VMContext`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMContextHeader {
    /// The store's shared state.
    pub store: *mut VMStoreContext,
    /// The runtime's libcall table.
    pub libcalls: *const VMLibcalls,
    /// The engine-wide id of each type-section entry (`ModuleInfo::type_ids`),
    /// compared by `call_indirect`.
    pub type_ids: *const u32,
    /// The store index of each function of the instance (imports first), so
    /// `ref.func` is `func_indices[f] + 1`.
    pub func_indices: *const u32,
    /// The runtime's own pointer for its libcalls (e.g. its instance); never
    /// read by compiled code.
    pub host_data: *mut u8,
}

/// Field offsets of [`VMStoreContext`], as compiled code uses them.
pub mod store_offsets {
    use super::*;
    /// `trap_code`
    pub const TRAP_CODE: i32 = offset_of!(VMStoreContext, trap_code) as i32;
    /// `fuel`
    pub const FUEL: i32 = offset_of!(VMStoreContext, fuel) as i32;
    /// `stack_limit`
    pub const STACK_LIMIT: i32 = offset_of!(VMStoreContext, stack_limit) as i32;
    /// `funcs`
    pub const FUNCS: i32 = offset_of!(VMStoreContext, funcs) as i32;
    /// `exception`
    pub const EXCEPTION: i32 = offset_of!(VMStoreContext, exception) as i32;
    /// `gc_objects`
    pub const GC_OBJECTS: i32 = offset_of!(VMStoreContext, gc_objects) as i32;
}

/// Field offsets of [`VMFuncRef`].
pub mod func_ref_offsets {
    use super::*;
    /// `wasm_call`
    pub const WASM_CALL: i32 = offset_of!(VMFuncRef, wasm_call) as i32;
    /// `array_call`
    pub const ARRAY_CALL: i32 = offset_of!(VMFuncRef, array_call) as i32;
    /// `vmctx`
    pub const VMCTX: i32 = offset_of!(VMFuncRef, vmctx) as i32;
    /// `type_id`
    pub const TYPE_ID: i32 = offset_of!(VMFuncRef, type_id) as i32;
    /// Size of one entry.
    pub const SIZE: i64 = size_of::<VMFuncRef>() as i64;
}

/// Field offsets of [`VMContextHeader`].
pub mod header_offsets {
    use super::*;
    /// `store`
    pub const STORE: i32 = offset_of!(VMContextHeader, store) as i32;
    /// `libcalls`
    pub const LIBCALLS: i32 = offset_of!(VMContextHeader, libcalls) as i32;
    /// `type_ids`
    pub const TYPE_IDS: i32 = offset_of!(VMContextHeader, type_ids) as i32;
    /// `func_indices`
    pub const FUNC_INDICES: i32 = offset_of!(VMContextHeader, func_indices) as i32;
    /// `host_data`
    pub const HOST_DATA: i32 = offset_of!(VMContextHeader, host_data) as i32;
}

/// Field offsets of the memory and table definitions.
pub mod definition_offsets {
    use super::*;
    /// `VMMemoryDefinition::base`
    pub const MEMORY_BASE: i32 = offset_of!(VMMemoryDefinition, base) as i32;
    /// `VMMemoryDefinition::length`
    pub const MEMORY_LENGTH: i32 = offset_of!(VMMemoryDefinition, length) as i32;
    /// `VMTableDefinition::base`
    pub const TABLE_BASE: i32 = offset_of!(VMTableDefinition, base) as i32;
    /// `VMTableDefinition::length`
    pub const TABLE_LENGTH: i32 = offset_of!(VMTableDefinition, length) as i32;
}

/// Where each array of a module's `VMContext` starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VMOffsets {
    /// Number of memories (imported and defined).
    pub num_memories: u32,
    /// Number of tables.
    pub num_tables: u32,
    /// Number of globals.
    pub num_globals: u32,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
}

const PTR: u32 = 8;

impl VMOffsets {
    /// The layout for a module.
    pub fn for_module(info: &mote_environ::ModuleInfo) -> VMOffsets {
        VMOffsets {
            num_memories: info.memories.len() as u32,
            num_tables: info.tables.len() as u32,
            num_globals: info.globals.len() as u32,
            num_imported_funcs: info.num_imported_funcs,
        }
    }

    fn memories_start(&self) -> u32 {
        size_of::<VMContextHeader>() as u32
    }
    fn tables_start(&self) -> u32 {
        self.memories_start() + self.num_memories * PTR
    }
    fn globals_start(&self) -> u32 {
        self.tables_start() + self.num_tables * PTR
    }
    fn imported_funcs_start(&self) -> u32 {
        self.globals_start() + self.num_globals * PTR
    }

    /// Offset of memory `index`'s `*mut VMMemoryDefinition`.
    pub fn memory(&self, index: u32) -> u32 {
        debug_assert!(index < self.num_memories);
        self.memories_start() + index * PTR
    }
    /// Offset of table `index`'s `*mut VMTableDefinition`.
    pub fn table(&self, index: u32) -> u32 {
        debug_assert!(index < self.num_tables);
        self.tables_start() + index * PTR
    }
    /// Offset of global `index`'s `*mut VMGlobal`.
    pub fn global(&self, index: u32) -> u32 {
        debug_assert!(index < self.num_globals);
        self.globals_start() + index * PTR
    }
    /// Offset of imported function `index`'s [`VMFuncRef`].
    pub fn imported_func(&self, index: u32) -> u32 {
        debug_assert!(index < self.num_imported_funcs);
        self.imported_funcs_start() + index * size_of::<VMFuncRef>() as u32
    }
    /// Total size of the `VMContext` in bytes (a multiple of 8).
    pub fn size(&self) -> u32 {
        self.imported_funcs_start() + self.num_imported_funcs * size_of::<VMFuncRef>() as u32
    }
}
