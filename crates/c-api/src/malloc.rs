//! `wasm_runtime_module_malloc`, `_module_free` and `_module_dup_data`:
//! memory inside an instance, from the module's exported `malloc` and
//! `free` when it has them, else from its app heap.

use crate::call::call;
use crate::ffi::{guard, write_out};
use crate::function::FuncHandle;
use crate::handles;
use crate::instance::ModuleInstance;
use crate::memory::app_range;
use crate::values::Scalar;
use std::ffi::{c_char, c_void};

/// Calls the module's `malloc` or `free`, on the exec env of the call in
/// progress (a native allocating for its caller) or the singleton.
fn call_allocator(inst: &ModuleInstance, func: *mut FuncHandle, arg: u32) -> Option<Vec<Scalar>> {
    let func = handles::get(func)?;
    call(inst.current_exec_env(), inst, func, &[Scalar::I32(arg as i32)])
}

/// Allocates `size` bytes; the app address, or `None` with the exception
/// set.
pub(crate) fn malloc(inst: &ModuleInstance, size: u64) -> Option<u64> {
    let offset = u32::try_from(size).ok().and_then(|size| match inst.allocator.get() {
        Some((malloc, _)) => match call_allocator(inst, malloc, size)?[..] {
            [Scalar::I32(offset)] if offset != 0 => Some(u64::from(offset as u32)),
            _ => None,
        },
        None => inst.heap.borrow_mut().as_mut()?.alloc(u64::from(size)),
    });
    if offset.is_none() && !inst.exception.is_set() {
        inst.exception.set(b"out of memory");
    }
    offset
}

/// `wasm_runtime_module_malloc`: the app address of `size` new bytes, and
/// their native address through `p_native_addr`; 0 (and NULL) with the
/// exception `"out of memory"` on failure.
///
/// # Safety
/// `p_native_addr` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_malloc(
    module_inst: *mut ModuleInstance,
    size: u64,
    p_native_addr: *mut *mut c_void,
) -> u64 {
    guard(0, || {
        let found = handles::get(module_inst).and_then(|inst| {
            let offset = malloc(inst, size)?;
            Some((offset, app_range(inst, offset, size)?))
        });
        let (offset, native) = found.unwrap_or((0, std::ptr::null_mut()));
        // SAFETY: NULL or writable, per the contract.
        unsafe { write_out(p_native_addr, native.cast()) };
        offset
    })
}

/// `wasm_runtime_module_free`: frees what `module_malloc` returned; 0 and
/// unknown addresses are ignored.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_module_free(module_inst: *mut ModuleInstance, ptr: u64) {
    guard((), || {
        let Some(inst) = handles::get(module_inst) else { return };
        let Ok(offset) = u32::try_from(ptr) else { return };
        if offset == 0 {
            return;
        }
        free(inst, offset);
    })
}

/// Frees the block at app address `offset` (not 0).
pub(crate) fn free(inst: &ModuleInstance, offset: u32) {
    // A failed `free` leaves its exception; an unknown block is ignored.
    if let Some((_, free)) = inst.allocator.get() {
        call_allocator(inst, free, offset);
    } else if let Some(heap) = inst.heap.borrow_mut().as_mut() {
        heap.free(u64::from(offset));
    }
}

/// `wasm_runtime_module_dup_data`: allocates `size` bytes and copies `src`
/// there; the app address, or 0.
///
/// # Safety
/// `src` is NULL or valid for reading `size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_dup_data(
    module_inst: *mut ModuleInstance,
    src: *const c_char,
    size: u64,
) -> u64 {
    guard(0, || {
        let Some(inst) = handles::get(module_inst) else {
            return 0;
        };
        if src.is_null() {
            return 0;
        }
        let Some(offset) = malloc(inst, size) else { return 0 };
        let Some(dst) = app_range(inst, offset, size) else {
            return 0;
        };
        // SAFETY: `src` is readable for `size` bytes, per the contract, and
        // `dst` is `size` bytes inside the instance's memory; `copy` allows
        // `src` to lie in that memory too.
        unsafe { std::ptr::copy(src.cast::<u8>(), dst, size as usize) };
        offset
    })
}
