//! Execution environments (`wasm_exec_env_t`): what a call runs on, and
//! what a native function receives first.
//!
//! Mote keeps its call stacks in the instance's store, so an exec env only
//! names its instance and carries the user data and, while a native runs,
//! that native's attachment. Each instance owns a singleton, used by the
//! calls that take no exec env.

use crate::ffi::guard;
use crate::handles::{self, Handle, Kind};
use crate::instance::ModuleInstance;
use std::cell::Cell;
use std::ffi::c_void;

/// An execution environment.
pub struct ExecEnv {
    instance: *mut ModuleInstance,
    singleton: bool,
    user_data: Cell<*mut c_void>,
    /// The attachment of the native running on this exec env.
    pub(crate) attachment: Cell<*mut c_void>,
}

impl Handle for ExecEnv {
    const KIND: Kind = Kind::ExecEnv;
}

impl ExecEnv {
    /// Its instance, if still alive.
    pub(crate) fn instance(&self) -> Option<&ModuleInstance> {
        handles::get(self.instance)
    }

    pub(crate) fn instance_ptr(&self) -> *mut ModuleInstance {
        self.instance
    }
}

/// Makes an exec env for `instance`. The stack size is accepted but the
/// engine's limits apply (see `wasm_export.h`).
pub(crate) fn create(instance: *mut ModuleInstance, _stack_size: u32, singleton: bool) -> *mut ExecEnv {
    handles::register(ExecEnv {
        instance,
        singleton,
        user_data: Cell::new(std::ptr::null_mut()),
        attachment: Cell::new(std::ptr::null_mut()),
    })
}

/// `wasm_runtime_create_exec_env`: NULL for an invalid instance.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_create_exec_env(module_inst: *mut ModuleInstance, stack_size: u32) -> *mut ExecEnv {
    guard(std::ptr::null_mut(), || {
        if handles::get(module_inst).is_none() {
            return std::ptr::null_mut();
        }
        create(module_inst, stack_size, false)
    })
}

/// `wasm_runtime_destroy_exec_env`: frees an exec env; ignores the
/// singleton (its instance frees it) and one a running call uses.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy_exec_env(exec_env: *mut ExecEnv) {
    guard((), || {
        let Some(env) = handles::get(exec_env) else { return };
        let in_use = env
            .instance()
            .is_some_and(|inst| inst.current_exec_env() == exec_env && inst.in_call());
        if !env.singleton && !in_use {
            drop(handles::release(exec_env));
        }
    })
}

/// `wasm_runtime_get_exec_env_singleton`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_exec_env_singleton(module_inst: *mut ModuleInstance) -> *mut ExecEnv {
    guard(std::ptr::null_mut(), || {
        handles::get(module_inst).map_or(std::ptr::null_mut(), |inst| inst.singleton.get())
    })
}

/// `wasm_runtime_get_module_inst`: NULL if the exec env or its instance
/// is gone.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module_inst(exec_env: *mut ExecEnv) -> *mut ModuleInstance {
    guard(std::ptr::null_mut(), || {
        handles::get(exec_env)
            .filter(|env| env.instance().is_some())
            .map_or(std::ptr::null_mut(), ExecEnv::instance_ptr)
    })
}

/// `wasm_runtime_get_function_attachment`: the attachment of the native
/// running on `exec_env`, NULL outside natives.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_function_attachment(exec_env: *mut ExecEnv) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        handles::get(exec_env).map_or(std::ptr::null_mut(), |env| env.attachment.get())
    })
}

/// `wasm_runtime_set_user_data`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_user_data(exec_env: *mut ExecEnv, user_data: *mut c_void) {
    guard((), || {
        if let Some(env) = handles::get(exec_env) {
            env.user_data.set(user_data);
        }
    })
}

/// `wasm_runtime_get_user_data`: NULL if unset or invalid.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_user_data(exec_env: *mut ExecEnv) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        handles::get(exec_env).map_or(std::ptr::null_mut(), |env| env.user_data.get())
    })
}
