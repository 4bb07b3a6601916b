//! Compiled code (`Strategy::Jit`): modules compiled to machine code by
//! `mote-cranelift` when they are loaded (cargo feature `jit`) or read
//! from AOT artifacts (cargo feature `aot`, which `jit` implies), run
//! against the same store entities as the interpreter.
//!
//! `mote-cranelift` never sees this crate; it defines the `VMContext` ABI
//! (see `mote_cranelift::vmctx`) and this module provides it:
//!
//! - [`compile`]: the engine's compiler (feature `jit` only).
//! - [`load`]: a module's mapped code, and the check an artifact passes
//!   first; no compiler needed.
//! - [`store_ctx`]: the per-store `VMStoreContext` (trap cell, fuel, stack
//!   limit) and the store's `VMFuncRef` array for `call_indirect`.
//! - [`defs`]: the memory and table definitions compiled code reads, kept
//!   at stable addresses inside the store's entities.
//! - [`instance`]: each instance's `VMContext`.
//! - [`entry`]: calls from the host into compiled code.
//! - [`host_shim`]: calls from compiled code into host functions.
//! - [`libcalls`]: the runtime functions compiled code calls, with GC and
//!   exception operations in [`gc_libcall`].
//! - [`signals`]: guard-page faults of compiled code turned into traps.
//! - [`backtrace`]: the wasm frames of a trap in compiled code, read
//!   where it is raised; [`recording`]: the libcall entries that note
//!   where compiled code called them.
//!
//! A trap never unwinds through host frames: compiled code writes its code
//! into the store's trap cell, and the entry turns the cell into a `Trap`.
//! Code with explicit checks then returns from every frame. Guard-page code
//! does not return: a faulting access or conditional trap goes to the
//! signal handler, and a trap written to the cell to the `raise` libcall;
//! both abandon the compiled frames and resume the entry (see [`signals`]).
//! An exception raised there resumes the handler of the nearest call
//! inside a `try_table` instead, if a compiled frame below the entry has
//! one.

mod backtrace;
#[cfg(feature = "jit")]
mod compile;
pub(crate) mod defs;
pub(crate) mod entry;
mod gc_libcall;
mod host_shim;
pub(crate) mod instance;
mod libcalls;
mod load;
mod recording;
pub(crate) mod signals;
pub(crate) mod store_ctx;

#[cfg(feature = "jit")]
pub(crate) use compile::EngineCompiler;
pub(crate) use instance::InstanceJit;
pub(crate) use load::{CompiledCode, load};
pub(crate) use store_ctx::StoreJit;

use mote_core::TrapCode;

/// The trap code compiled code or a libcall wrote into the trap cell; an
/// unknown value (which compiled code never writes) is a host error.
fn trap_from_cell(cell: u32) -> TrapCode {
    TrapCode::from_code(cell).unwrap_or(TrapCode::HostError)
}
