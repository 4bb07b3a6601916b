//! Modules: `wasm_runtime_load` and `wasm_runtime_unload`.

use crate::exports::{ExternDesc, describe_exports, describe_imports};
use crate::ffi::{guard, slice, write_error};
use crate::handles::{self, Handle, Kind};
use crate::runtime;
use crate::wasi::{self, WasiArgs};
use mote::ExternType;
use std::ffi::c_char;
use std::sync::Mutex;

/// A loaded module (`wasm_module_t`).
pub struct LoadedModule {
    pub(crate) module: mote::Module,
    /// Whether it imports WASI, so its instances get a WASI context.
    pub(crate) imports_wasi: bool,
    /// What `wasm_runtime_set_wasi_args` set, for the next instances.
    pub(crate) wasi_args: Mutex<WasiArgs>,
    /// The export name of the default memory: the first exported memory.
    pub(crate) memory_export: Option<String>,
    pub(crate) imports: Vec<ExternDesc>,
    pub(crate) exports: Vec<ExternDesc>,
}

impl Handle for LoadedModule {
    const KIND: Kind = Kind::Module;
}

impl LoadedModule {
    fn new(module: mote::Module) -> LoadedModule {
        let imports_wasi = module.imports().any(|i| i.module == wasi::MODULE);
        let memory_export = module
            .exports()
            .find(|e| matches!(e.ty, ExternType::Memory(_)))
            .map(|e| e.name.to_string());
        LoadedModule {
            imports_wasi,
            wasi_args: Mutex::default(),
            memory_export,
            imports: describe_imports(&module),
            exports: describe_exports(&module),
            module,
        }
    }

    /// The WASI arguments for a new instance.
    pub(crate) fn wasi_args(&self) -> WasiArgs {
        self.wasi_args
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// `wasm_runtime_load`: decodes and validates a module from `size` bytes
/// (the binary format, or the text format). The bytes are copied.
///
/// # Errors
/// NULL, with `"WASM module load failed: ..."` in `error_buf`.
///
/// # Safety
/// `buf` is NULL or valid for `size` bytes; `error_buf` is NULL or valid
/// for `error_buf_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_load(
    buf: *mut u8,
    size: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> *mut LoadedModule {
    guard(std::ptr::null_mut(), || {
        let fail = |message: &str| {
            // SAFETY: the error buffer's contract is this function's.
            unsafe {
                write_error(
                    error_buf,
                    error_buf_size,
                    &format!("WASM module load failed: {message}"),
                )
            };
            std::ptr::null_mut()
        };
        let Some(engine) = runtime::engine() else {
            return fail("the runtime is not initialized");
        };
        // SAFETY: `buf` is valid for `size` bytes, per the contract.
        let bytes = match unsafe { slice(buf, size as usize) } {
            Some(bytes) if !bytes.is_empty() => bytes,
            _ => return fail("no bytes given"),
        };
        match mote::Module::new(&engine, bytes) {
            Ok(module) => handles::register(LoadedModule::new(module)),
            Err(e) => fail(&e.to_string()),
        }
    })
}

/// `wasm_runtime_unload`: frees a module. Its instances keep what they
/// need and stay usable.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_unload(module: *mut LoadedModule) {
    guard((), || drop(handles::release(module)))
}
