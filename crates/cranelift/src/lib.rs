//! `mote-cranelift`: Mote's compiler tier. WebAssembly function bodies →
//! Cranelift IR → machine code for the host or a named target, in one
//! position-independent code blob with an entry trampoline per function
//! type.
//!
//! It sits beside `mote-ir` in the pipeline (bytes → `mote-environ` →
//! compiler → runtime) and, like it, never sees the runtime: it takes the
//! [`mote_environ::ModuleInfo`] the runtime already parsed and hands back
//! data ([`CompiledModule`]) plus the ABI the runtime must provide
//! ([`vmctx`], [`libcalls`]).
//!
//! Traps need neither signals nor unwinding: trapping code writes a
//! [`mote_core::TrapCode`] into the store's trap cell and returns, and
//! every caller tests the cell after each call. Bounds checks, division
//! checks and conversions are explicit; each function checks the stack
//! limit after its prologue; fuel is metered per straight-line region.
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
//! memories, 64-bit memories and tables, tail calls and typed function
//! references. Not compiled yet (each is an [`Error::Unsupported`] naming
//! the function and offset): GC, exceptions, threads.
#![deny(missing_docs)]

mod abi;
mod code_memory;
mod compiler;
mod error;
mod isa;
pub mod libcalls;
mod module;
mod options;
mod reloc;
mod trampoline;
mod translate;
pub mod vmctx;

pub use code_memory::CodeMemory;
pub use compiler::Compiler;
pub use error::Error;
pub use isa::{OptLevel, Target};
pub use libcalls::{Libcall, VMLibcalls};
pub use module::{CompiledModule, FuncLoc, LoadedModule, TrapSite};
pub use options::{BoundsChecks, CompileOptions};
pub use trampoline::TrampolineFn;
