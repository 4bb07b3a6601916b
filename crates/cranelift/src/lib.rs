//! `mote-cranelift`: Mote's compiler tier. WebAssembly function bodies →
//! Cranelift IR → machine code for the host or a named target, in one
//! position-independent code blob with an entry trampoline per function
//! type.
//!
//! It sits beside `mote-ir` in the pipeline (bytes → `mote-environ` →
//! compiler → runtime) and, like it, never sees the runtime: it takes the
//! [`mote_environ::ModuleInfo`] the runtime already parsed and hands back
//! data ([`CompiledModule`]) plus the ABI the runtime must provide
//! ([`vmctx`]).
//!
//! Traps need no unwinding tables: trapping code writes a
//! [`mote_core::TrapCode`] into the store's trap cell and returns, and
//! every caller tests the cell after each call; a thrown exception
//! travels the same way, and a call inside a `try_table` takes it back
//! out of the cell. Guard-page code instead raises what it wrote through
//! the runtime ([`CompileOptions::raises_traps`]). Bounds checks, division
//! checks and conversions are explicit; each function that calls others
//! checks the stack limit after its prologue; fuel is metered per
//! straight-line region exactly as the interpreter charges it.
//!
//! ```no_run
//! # fn demo(info: &mote_environ::ModuleInfo, wasm: &[u8]) -> Result<(), mote_cranelift::Error> {
//! use mote_cranelift::{CompileOptions, Compiler, Target};
//! let compiler = Compiler::new(&Target::Host, CompileOptions::default())?;
//! let compiled = compiler.compile_module(info, wasm)?; // the AOT payload
//! let loaded = compiled.load()?;                        // mapped executable
//! # Ok(()) }
//! ```
//!
//! Compiled: the MVP, sign extension, saturating conversions, multi-value,
//! bulk memory, reference types, fixed-width and relaxed SIMD, multiple
//! memories, 64-bit memories and tables, tail calls, typed function
//! references, GC and exception handling (through the runtime's heap:
//! [`vmctx::gc`]). Not compiled yet (an [`Error::Unsupported`] naming the
//! function and offset): threads.
//!
//! # Cargo features
//!
//! | feature | default | adds |
//! |---|---|---|
//! | `compiler` | yes | the compiler ([`Compiler`], Cranelift). Without it the crate is the runtime half only: the [`vmctx`] ABI, [`CompiledModule`] and [`CodeMemory`], for an AOT-only runtime that loads artifacts but links no compiler |
//!
//! # What a runtime provides
//!
//! - Per store, one boxed [`vmctx::VMStoreContext`]: clear `trap_code`
//!   before entering wasm, and read and clear it when the entry returns
//!   (entries nest when a host function calls back into wasm, and a host
//!   function that handles the inner trap must not leave the cell set);
//!   keep `fuel` as the store's fuel while compiled code runs; set
//!   `stack_limit` on the outermost entry from the host (current stack
//!   pointer minus the stack allowed, at least
//!   [`vmctx::STACK_LIMIT_MARGIN`] above the stack's end); point `funcs`
//!   at one [`vmctx::VMFuncRef`] per store function (raw funcref − 1), and
//!   repoint it whenever that array moves.
//! - Per instance, an [`vmctx::OwnedVMContext`] laid out by
//!   [`vmctx::VMOffsets`]: the header (store context, a static
//!   [`vmctx::VMLibcalls`] table, the module's engine type ids as `u32`,
//!   the instance's store function indices, a pointer for the runtime's
//!   own use), then pointers to each memory's [`vmctx::VMMemoryDefinition`],
//!   each table's [`vmctx::VMTableDefinition`] and each global's cells,
//!   all at stable addresses and updated on grow, and a `VMFuncRef` per
//!   imported function.
//! - Host functions as `VMFuncRef { wasm_call: null, array_call: Some(..) }`:
//!   an `extern "C"` shim that runs the callback, catches panics (they
//!   must not unwind through compiled frames) and reports an error by
//!   setting the trap cell.
//! - The libcalls, with the interpreter's semantics for each operation;
//!   the `gc` libcall ([`vmctx::gc`]) owns the object heap (structs,
//!   arrays, exceptions) and must not free an object compiled code may
//!   still hold; `gc_objects` must list a [`vmctx::VMGcObject`] for every
//!   object whose reference compiled code can see (fields and elements
//!   are accessed inline). An entry that returns with `UncaughtException`
//!   in the trap cell left an exception nobody caught in `exception`.
//! - For guard-page code, `raise`: a way back to the innermost host → wasm
//!   entry, or to the handler of a call inside a `try_table`
//!   ([`CompiledModule::handler_sites`]) for an exception.
//! - Entry through [`LoadedModule::call`] (or [`LoadedModule::trampoline`])
//!   with the array ABI's cells.
#![deny(missing_docs)]

#[cfg(feature = "compiler")]
mod abi;
#[cfg(feature = "compiler")]
mod array_adapter;
pub mod artifact;
mod code_memory;
#[cfg(feature = "compiler")]
mod compiler;
mod error;
pub mod fingerprint;
#[cfg(feature = "compiler")]
mod isa;
#[cfg(feature = "compiler")]
mod libcalls;
mod module;
#[cfg(feature = "compiler")]
mod options;
#[cfg(feature = "compiler")]
#[cfg(feature = "compiler")]
mod reloc;
#[cfg(feature = "compiler")]
mod trampoline;
#[cfg(feature = "compiler")]
mod translate;
pub mod vmctx;

pub use code_memory::CodeMemory;
#[cfg(feature = "compiler")]
pub use compiler::Compiler;
pub use error::Error;
#[cfg(feature = "compiler")]
pub use isa::{OptLevel, Target};
#[cfg(feature = "compiler")]
pub use libcalls::Libcall;
pub use module::{CompiledModule, FuncLoc, HandlerSite, LoadedModule, TrapSite};
#[cfg(feature = "compiler")]
pub use options::{BoundsChecks, CompileOptions};
pub use vmctx::{TrampolineFn, VMLibcalls};
