//! Mote: a lightweight WebAssembly runtime.
//!
//! Load a module, instantiate it in a store, call its functions:
//!
//! ```
//! # #[cfg(feature = "wat")] // The module is in the text format.
//! # fn main() -> Result<(), mote::Error> {
//! use mote::{Engine, Module, Store, Linker};
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#)?;
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
//! let add = instance.get_typed_func::<(i32, i32), i32>(&store, "add")?;
//! assert_eq!(add.call(&mut store, (5, 3))?, 8);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "wat"))]
//! # fn main() {}
//! ```
//!
//! # Cargo features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | guard-page memories on 64-bit Unix, `std::sync` engine locking |
//! | `wat` | yes | `Module::new` accepts the text format |
//! | `aot` | no | `Strategy::Jit` engines run machine code from AOT artifacts (`Module::deserialize`, `Module::serialize`) without linking a compiler: the small runtime for devices (implies `std`) |
//! | `jit` | no | `Strategy::Jit`: modules compiled to machine code with Cranelift at load (implies `aot`) |
//!
//! Without default features the crate is `no_std` + `alloc`: the
//! interpreter, with explicitly bounds-checked memories.
#![no_std]
#![deny(missing_docs)]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod engine;
mod error;
mod exec;
mod extern_;
mod func;
mod gc;
mod global;
mod instance;
#[cfg(feature = "aot")]
mod jit;
mod linker;
mod memory;
mod module;
mod store;
mod sync;
mod table;
mod value;

pub use engine::{CompilationMode, Config, Engine, Strategy};
pub use error::{Error, ErrorKind, FrameInfo, Trap};
pub use extern_::{Extern, Tag};
pub use func::{Func, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};
pub use global::Global;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::{Memory, MemoryAccessError};
pub use module::{ExportType, ExternType, ImportType, Module};
pub use mote_core::TrapCode;
pub use mote_environ::{
    CompileError, CompileErrorKind, FuncType, GlobalType, HeapType, MemoryType, Mutability, RefType, SharedTypeId,
    TableType, ValType,
};
pub use store::{AsContext, AsContextMut, Caller, Store, StoreContext, StoreContextMut};
pub use table::Table;
pub use value::{AnyRef, ExnRef, ExternRef, Ref, Val};
