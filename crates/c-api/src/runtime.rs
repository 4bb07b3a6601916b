//! The runtime as a whole: `wasm_runtime_init`/`_full_init`/`_destroy`,
//! running modes and thread environments.
//!
//! Initialization nests: each `init` takes a reference and each `destroy`
//! drops one; the last forgets the registered natives. The engine lives as
//! long as anything uses it (modules keep their own handle), so modules and
//! instances made before a `destroy` stay valid until freed.

use crate::ffi::{c_str, guard};
use crate::natives;
use crate::types::{ALLOC_WITH_ALLOCATOR, ALLOC_WITH_POOL, ALLOC_WITH_SYSTEM_ALLOCATOR, MODE_INTERP, RuntimeInitArgs};
use mote::Engine;
use std::cell::Cell;
use std::sync::Mutex;

struct Runtime {
    engine: Engine,
    refs: u32,
}

static RUNTIME: Mutex<Option<Runtime>> = Mutex::new(None);

fn runtime() -> std::sync::MutexGuard<'static, Option<Runtime>> {
    RUNTIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The engine, if the runtime is initialized.
pub(crate) fn engine() -> Option<Engine> {
    runtime().as_ref().map(|r| r.engine.clone())
}

thread_local! {
    static THREAD_ENV: Cell<bool> = const { Cell::new(false) };
}

/// `wasm_runtime_init`: initializes the runtime (or takes one more
/// reference to it), with the calling thread's environment. Always
/// succeeds.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_init() -> bool {
    guard(false, || {
        THREAD_ENV.with(|t| t.set(true));
        let mut runtime = runtime();
        match runtime.as_mut() {
            Some(r) => r.refs += 1,
            None => {
                *runtime = Some(Runtime {
                    engine: Engine::default(),
                    refs: 1,
                })
            }
        }
        true
    })
}

/// `wasm_runtime_full_init`: checks the allocator choice and running mode,
/// initializes, and registers the given natives.
///
/// Mote allocates from the system allocator whatever the choice: a pool
/// must still name a buffer and a size, a user allocator its malloc and
/// free, as WAMR requires.
///
/// # Safety
/// `init_args` is NULL or points to a `RuntimeInitArgs`, whose native
/// symbols are valid as for `wasm_runtime_register_natives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_full_init(init_args: *mut RuntimeInitArgs) -> bool {
    guard(false, || {
        // SAFETY: NULL or a valid RuntimeInitArgs, per the contract.
        let Some(args) = (unsafe { init_args.as_ref() }) else {
            return false;
        };
        let allocator_ok = match args.mem_alloc_type {
            // SAFETY: the union arm the type names, as C filled it in.
            ALLOC_WITH_POOL => unsafe {
                !args.mem_alloc_option.pool.heap_buf.is_null() && args.mem_alloc_option.pool.heap_size > 0
            },
            // SAFETY: as above.
            ALLOC_WITH_ALLOCATOR => unsafe {
                let a = args.mem_alloc_option.allocator;
                !a.malloc_func.is_null() && !a.free_func.is_null()
            },
            ALLOC_WITH_SYSTEM_ALLOCATOR => true,
            _ => false,
        };
        if !allocator_ok || !(args.running_mode == 0 || args.running_mode == MODE_INTERP) {
            return false;
        }
        if !wasm_runtime_init() {
            return false;
        }
        if args.n_native_symbols > 0 {
            // SAFETY: forwarded from this function's contract.
            let registered = unsafe {
                c_str(args.native_module_name)
                    .is_some_and(|module| natives::register(module, args.native_symbols, args.n_native_symbols, false))
            };
            if !registered {
                wasm_runtime_destroy();
                return false;
            }
        }
        true
    })
}

/// `wasm_runtime_destroy`: drops one reference to the runtime; the last
/// also forgets every registered native.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy() {
    guard((), || {
        let mut runtime = runtime();
        if let Some(r) = runtime.as_mut() {
            r.refs -= 1;
            if r.refs == 0 {
                *runtime = None;
                natives::clear();
            }
        }
    })
}

/// `wasm_runtime_set_log_level`: accepted; Mote does not log.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_log_level(_level: u32) {}

/// `wasm_runtime_is_running_mode_supported`: only `Mode_Interp`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_is_running_mode_supported(running_mode: u32) -> bool {
    running_mode == MODE_INTERP
}

/// `wasm_runtime_set_default_running_mode`: succeeds for `Mode_Interp`,
/// the mode everything runs in.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_default_running_mode(running_mode: u32) -> bool {
    running_mode == MODE_INTERP
}

/// `wasm_runtime_init_thread_env`: marks the calling thread. Mote needs no
/// per-thread set-up (each instance owns its store), so it always succeeds.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_init_thread_env() -> bool {
    THREAD_ENV.with(|t| t.set(true));
    true
}

/// `wasm_runtime_destroy_thread_env`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy_thread_env() {
    THREAD_ENV.with(|t| t.set(false));
}

/// `wasm_runtime_thread_env_inited`: whether this thread called
/// `wasm_runtime_init_thread_env`, or initialized the runtime.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_thread_env_inited() -> bool {
    THREAD_ENV.with(Cell::get)
}
