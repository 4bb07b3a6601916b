//! Function handles (`wasm_function_inst_t`): `wasm_runtime_lookup_function`
//! in both forms, and the `wasm_func_get_*` queries of a function's type.

use crate::ffi::{c_str, guard, slice_mut};
use crate::handles::{self, Handle, Kind};
use crate::instance::ModuleInstance;
use crate::values::valkind;
use mote::{Func, FuncType, ValType};
use std::ffi::c_char;

/// An exported function of an instance (`wasm_function_inst_t`).
pub struct FuncHandle {
    instance: *const ModuleInstance,
    func: Func,
    pub(crate) ty: FuncType,
}

impl FuncHandle {
    /// The instance the function belongs to.
    pub(crate) fn instance(&self) -> *const ModuleInstance {
        self.instance
    }

    pub(crate) fn func(&self) -> Func {
        self.func
    }
}

impl Handle for FuncHandle {
    const KIND: Kind = Kind::Function;
}

/// The handle of export `name`, made on first lookup and then reused.
pub(crate) fn lookup(inst: &ModuleInstance, name: &str) -> *mut FuncHandle {
    if let Some(&handle) = inst.functions.borrow().get(name) {
        return handle;
    }
    let Some(&instance) = inst.instance.get() else {
        return std::ptr::null_mut();
    };
    let found = inst.with_store(|ctx| {
        let func = instance.get_func(&ctx, name)?;
        Some((func, func.ty(&ctx)))
    });
    let Some((func, ty)) = found else {
        return std::ptr::null_mut();
    };
    let handle = handles::register(FuncHandle {
        instance: inst,
        func,
        ty,
    });
    inst.functions.borrow_mut().insert(name.to_string(), handle);
    handle
}

/// `wasm_runtime_lookup_function`: the exported function `name`, or NULL.
///
/// # Safety
/// `name` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_lookup_function(
    module_inst: *const ModuleInstance,
    name: *const c_char,
) -> *mut FuncHandle {
    guard(std::ptr::null_mut(), || {
        let Some(inst) = handles::get(module_inst) else {
            return std::ptr::null_mut();
        };
        // SAFETY: NULL or a C string, per the contract.
        unsafe { c_str(name) }.map_or(std::ptr::null_mut(), |name| lookup(inst, name))
    })
}

/// The tutorial's `wasm_runtime_lookup_function(inst, name, signature)`;
/// the signature is ignored, as WAMR did when it took one.
///
/// # Safety
/// `name` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mote_runtime_lookup_function_sig(
    module_inst: *const ModuleInstance,
    name: *const c_char,
    _signature: *const c_char,
) -> *mut FuncHandle {
    // SAFETY: forwarded contract.
    unsafe { wasm_runtime_lookup_function(module_inst, name) }
}

/// The type of a function handle, or `fail`.
fn with_type<R>(func: *const FuncHandle, fail: R, read: impl FnOnce(&FuncType) -> R) -> R {
    guard(None, || handles::get(func).map(|f| read(&f.ty))).unwrap_or(fail)
}

/// Writes the kinds of `types` to a caller's array.
///
/// # Safety
/// `out` is NULL or valid for writing `types.len()` bytes.
unsafe fn write_kinds(types: &[ValType], out: *mut u8) {
    // SAFETY: forwarded contract.
    if let Some(out) = unsafe { slice_mut(out, types.len()) } {
        for (slot, &t) in out.iter_mut().zip(types) {
            *slot = valkind(t);
        }
    }
}

/// `wasm_func_get_param_count`; the instance argument is not needed.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_get_param_count(func_inst: *const FuncHandle, _module_inst: *const ModuleInstance) -> u32 {
    with_type(func_inst, 0, |ty| ty.params().len() as u32)
}

/// `wasm_func_get_result_count`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_get_result_count(func_inst: *const FuncHandle, _module_inst: *const ModuleInstance) -> u32 {
    with_type(func_inst, 0, |ty| ty.results().len() as u32)
}

/// `wasm_func_get_param_types`: one `wasm_valkind_t` per parameter.
///
/// # Safety
/// `param_types` is NULL or valid for writing one byte per parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_param_types(
    func_inst: *const FuncHandle,
    _module_inst: *const ModuleInstance,
    param_types: *mut u8,
) {
    // SAFETY: forwarded contract.
    with_type(func_inst, (), |ty| unsafe { write_kinds(ty.params(), param_types) })
}

/// `wasm_func_get_result_types`: one `wasm_valkind_t` per result.
///
/// # Safety
/// `result_types` is NULL or valid for writing one byte per result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_result_types(
    func_inst: *const FuncHandle,
    _module_inst: *const ModuleInstance,
    result_types: *mut u8,
) {
    // SAFETY: forwarded contract.
    with_type(func_inst, (), |ty| unsafe { write_kinds(ty.results(), result_types) })
}
