//! `mote-environ`: decode + validate a WebAssembly binary with `wasmparser`
//! into [`ModuleInfo`], the metadata every back end and the runtime share.
//! Types are canonicalized engine-wide by the [`TypeRegistry`].
#![no_std]
#![deny(missing_docs)]
extern crate alloc;

pub mod const_expr;
pub mod convert;
pub mod error;
pub mod fuel;
mod indices;
pub mod module_info;
pub mod parse;
pub mod registry;
pub mod types;

pub use const_expr::{ConstExpr, ConstOp};
pub use error::{CompileError, CompileErrorKind};
pub use indices::*;
pub use module_info::*;
pub use parse::{ParsedModule, PendingFunc, parse};
pub use registry::TypeRegistry;
pub use types::*;
pub use wasmparser;
