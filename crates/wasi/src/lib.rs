//! WASI preview1 (`wasi_snapshot_preview1`) for Mote.
//!
//! Every function of the preview1 ABI is here, with a file system sandboxed
//! by `cap-std`: the guest reaches the host's files only beneath the
//! directories the embedder grants, whatever paths or links it tries.
//!
//! ```no_run
//! use mote::{Engine, Linker, Module, Store};
//! use mote_wasi::{WasiCtx, WasiCtxBuilder};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, std::fs::read("app.wasm")?)?;
//! let mut linker = Linker::<WasiCtx>::new(&engine);
//! mote_wasi::add_to_linker(&mut linker, |ctx| ctx)?;
//! let ctx = WasiCtxBuilder::new()
//!     .arg("app")
//!     .inherit_stdio()
//!     .preopened_dir("./data", "/data")?
//!     .build();
//! let mut store = Store::new(&engine, ctx);
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
//! match start.call(&mut store, ()) {
//!     Ok(()) => {}
//!     Err(e) if e.exit_status().is_some() => std::process::exit(e.exit_status().unwrap()),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The layout: [`WasiCtxBuilder`] and [`WasiCtx`] in `ctx`; the descriptor
//! table in `fd_table`; checked guest memory in `memory`; one module per
//! group of functions (`args`, `clock`, `random`, `poll`, `proc`, `sock`,
//! `fs` with `fs/{fd, fdstat, filestat, readdir, open, path}`); `linker`
//! defines them all. The crate runs on Unix hosts.
#![deny(missing_docs)]

#[cfg(not(unix))]
compile_error!("mote-wasi supports Unix hosts only");

mod abi;
mod args;
mod clock;
mod ctx;
mod errno;
mod error;
mod fd_table;
mod fs;
mod linker;
mod memory;
mod poll;
mod proc;
mod random;
mod sock;

pub use ctx::{WasiCtx, WasiCtxBuilder};
pub use errno::Errno;
pub use error::WasiError;
pub use linker::add_to_linker;
