//! `mote-ir`: the interpreter's register/slot IR and the translator that
//! produces it from WebAssembly function bodies, validating each body in the
//! same pass.
#![no_std]
extern crate alloc;

pub mod func;
pub mod instr;
pub mod reg_pass;
pub mod simd_class;
mod translate;

pub use func::{Catch, CompiledFunc, FieldKind, Handler};
pub use instr::{Instr, Slot};
pub use reg_pass::RegClass;
pub use translate::{TranslateConfig, translate};
