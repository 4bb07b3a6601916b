//! WASI: the arguments set on a module (`wasm_runtime_set_wasi_args(_ex)`)
//! become a `mote_wasi::WasiCtx` for each of its instances; and the WASI
//! queries of an instance.

use crate::ffi::{c_str_list, guard};
use crate::function::{FuncHandle, lookup};
use crate::handles;
use crate::instance::ModuleInstance;
use crate::module::LoadedModule;
use mote_wasi::{WasiCtx, WasiCtxBuilder};
use std::ffi::c_char;
use std::fs::File;
use std::os::fd::BorrowedFd;

/// The module name WASI preview1 functions are imported from.
pub(crate) const MODULE: &str = "wasi_snapshot_preview1";

/// What a WASI instance of a module gets.
#[derive(Debug, Clone)]
pub(crate) struct WasiArgs {
    /// Host directories, preopened under the same name.
    dirs: Vec<String>,
    /// `guest::host` pairs.
    map_dirs: Vec<String>,
    /// `KEY=VALUE` strings.
    env: Vec<String>,
    argv: Vec<String>,
    /// Host descriptors for stdin, stdout and stderr; negative: the
    /// process's own.
    stdio: [i64; 3],
}

impl Default for WasiArgs {
    fn default() -> WasiArgs {
        WasiArgs {
            dirs: Vec::new(),
            map_dirs: Vec::new(),
            env: Vec::new(),
            argv: Vec::new(),
            stdio: [-1; 3],
        }
    }
}

/// A duplicate of host descriptor `fd` as a file, if it is open.
fn host_file(fd: i64) -> Option<File> {
    let fd = i32::try_from(fd).ok().filter(|&fd| fd >= 0)?;
    // SAFETY: the embedder passed `fd` as an open descriptor for the
    // guest's use; it is only borrowed to be duplicated here.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    borrowed.try_clone_to_owned().ok().map(File::from)
}

impl WasiArgs {
    /// The context for a new instance.
    ///
    /// # Errors
    /// A directory that cannot be opened, or a malformed map entry.
    pub(crate) fn build(&self) -> Result<WasiCtx, String> {
        let mut builder = WasiCtxBuilder::new();
        builder.args(&self.argv).inherit_stdio();
        for entry in &self.env {
            let (key, value) = entry.split_once('=').unwrap_or((entry, ""));
            builder.env(key, value);
        }
        for dir in &self.dirs {
            builder.preopened_dir(dir, dir).map_err(|e| e.to_string())?;
        }
        for entry in &self.map_dirs {
            let (guest, host) = entry
                .split_once("::")
                .ok_or_else(|| format!("invalid mapped directory `{entry}`: expected `guest::host`"))?;
            builder.preopened_dir(host, guest).map_err(|e| e.to_string())?;
        }
        let [stdin, stdout, stderr] = self.stdio.map(host_file);
        if let Some(file) = stdin {
            builder.stdin(Box::new(file));
        }
        if let Some(file) = stdout {
            builder.stdout(Box::new(file));
        }
        if let Some(file) = stderr {
            builder.stderr(Box::new(file));
        }
        Ok(builder.build())
    }
}

/// `wasm_runtime_set_wasi_args_ex`: WASI arguments for the module's next
/// instances. Ignored if the module is invalid or a list is NULL while its
/// count is not 0.
///
/// # Safety
/// Each list is NULL or holds its count of C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_wasi_args_ex(
    module: *mut LoadedModule,
    dir_list: *const *const c_char,
    dir_count: u32,
    map_dir_list: *const *const c_char,
    map_dir_count: u32,
    env: *const *const c_char,
    env_count: u32,
    argv: *const *const c_char,
    argc: i32,
    stdinfd: i64,
    stdoutfd: i64,
    stderrfd: i64,
) {
    guard((), || {
        let Some(module) = handles::get(module) else { return };
        // SAFETY: each list holds its count of C strings, per the contract.
        let lists = unsafe {
            (
                c_str_list(dir_list, dir_count as usize),
                c_str_list(map_dir_list, map_dir_count as usize),
                c_str_list(env, env_count as usize),
                c_str_list(argv, usize::try_from(argc).unwrap_or(0)),
            )
        };
        let (Some(dirs), Some(map_dirs), Some(env), Some(argv)) = lists else {
            return;
        };
        *module.wasi_args.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = WasiArgs {
            dirs,
            map_dirs,
            env,
            argv,
            stdio: [stdinfd, stdoutfd, stderrfd],
        };
    })
}

/// `wasm_runtime_set_wasi_args`: as `_ex`, with the process's own stdio.
///
/// # Safety
/// As `wasm_runtime_set_wasi_args_ex`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_wasi_args(
    module: *mut LoadedModule,
    dir_list: *const *const c_char,
    dir_count: u32,
    map_dir_list: *const *const c_char,
    map_dir_count: u32,
    env: *const *const c_char,
    env_count: u32,
    argv: *const *const c_char,
    argc: i32,
) {
    // SAFETY: forwarded contract.
    unsafe {
        wasm_runtime_set_wasi_args_ex(
            module,
            dir_list,
            dir_count,
            map_dir_list,
            map_dir_count,
            env,
            env_count,
            argv,
            argc,
            -1,
            -1,
            -1,
        )
    }
}

/// `wasm_runtime_is_wasi_mode`: whether the instance imports WASI.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_is_wasi_mode(module_inst: *mut ModuleInstance) -> bool {
    guard(false, || handles::get(module_inst).is_some_and(|inst| inst.wasi))
}

/// `wasm_runtime_lookup_wasi_start_function`: the exported `_start` of
/// type `() -> ()`, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_lookup_wasi_start_function(module_inst: *mut ModuleInstance) -> *mut FuncHandle {
    guard(std::ptr::null_mut(), || {
        let Some(inst) = handles::get(module_inst) else {
            return std::ptr::null_mut();
        };
        let start = lookup(inst, "_start");
        let is_command = handles::get(start).is_some_and(|f| f.ty.params().is_empty() && f.ty.results().is_empty());
        if is_command { start } else { std::ptr::null_mut() }
    })
}

/// `wasm_runtime_get_wasi_exit_code`: what the command passed to
/// `proc_exit`, 0 if it returned.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_wasi_exit_code(module_inst: *mut ModuleInstance) -> u32 {
    guard(0, || handles::get(module_inst).map_or(0, |inst| inst.exit_code.get()))
}
