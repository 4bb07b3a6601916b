//! `libmote`: Mote behind WAMR's C API (`include/wasm_export.h`).
//!
//! A C program written for WAMR's `wasm_export.h` builds against Mote by
//! changing its include and link lines. This crate is the library behind
//! that header: `cargo build --release -p mote-c-api` makes
//! `target/release/libmote.so` and `libmote.a`.
//!
//! # How WAMR's model maps onto Mote
//!
//! - A `wasm_module_t` is a `mote::Module` (shared, thread-safe) plus the
//!   WASI arguments set on it (`module`).
//! - A `wasm_module_inst_t` owns a `mote::Store` holding one
//!   `mote::Instance`, so instances are independent and each may run on
//!   its own thread (`instance`).
//! - Natives registered by module name (`natives`) become host functions
//!   of a per-instance `mote::Linker` (`link`); their signature strings
//!   (`signature`) drive the checks on pointer arguments, and `invoke`
//!   calls the C function with the platform's calling convention.
//! - Exceptions are per-instance strings (`exception`); app addresses are
//!   offsets into the default memory (`memory`); `module_malloc` uses the
//!   module's `malloc`/`free` or an app heap (`malloc`, `app_heap`).
//!
//! # Handles
//!
//! Every handle given to C is a boxed Rust value registered in `handles`;
//! each entry point looks its handles up there first, so NULL, freed or
//! mixed-up handles fail cleanly instead of crashing, and a panic never
//! crosses into C (`ffi::guard`).
//!
//! # Unsafe code
//!
//! It lives at the boundary: `ffi` (C strings, arrays, out-parameters),
//! `handles` (turning registered pointers back into references),
//! `instance` (the store behind a handle), `invoke` (calling C function
//! pointers) and the `extern "C"` functions that read C-provided memory.

mod app_heap;
mod application;
mod call;
mod exception;
mod exec_env;
mod exports;
mod ffi;
mod function;
mod handles;
mod instance;
mod instantiate;
mod invoke;
mod link;
mod malloc;
mod memory;
mod module;
mod native_call;
mod natives;
mod runtime;
mod signature;
mod types;
mod values;
mod wasi;
