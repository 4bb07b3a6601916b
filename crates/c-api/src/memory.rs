//! App addresses and linear memory: validating and converting addresses in
//! the default memory, and the `wasm_memory_inst_t` queries.
//!
//! An app address is an offset into the instance's default memory. Checks
//! are against the memory's current size; a failed `validate_*` sets
//! `"out of bounds memory access"`, as in WAMR.

use crate::ffi::guard;
use crate::handles::{self, Handle, Kind};
use crate::instance::ModuleInstance;
use mote::{AsContext, AsContextMut, Memory};
use std::ffi::c_void;

/// A linear memory of an instance (`wasm_memory_inst_t`), owned by it.
pub struct MemoryHandle {
    instance: *const ModuleInstance,
    memory: Memory,
}

impl Handle for MemoryHandle {
    const KIND: Kind = Kind::Memory;
}

impl MemoryHandle {
    pub(crate) fn new(instance: &ModuleInstance, memory: Memory) -> MemoryHandle {
        MemoryHandle { instance, memory }
    }
}

const OUT_OF_BOUNDS: &[u8] = b"out of bounds memory access";

/// The native address of `[offset, offset + size)` in the default memory,
/// if that range is inside it.
pub(crate) fn app_range(inst: &ModuleInstance, offset: u64, size: u64) -> Option<*mut u8> {
    let (base, len) = inst.memory_view()?;
    let end = offset.checked_add(size)?;
    (end <= len as u64).then(|| base.wrapping_add(offset as usize))
}

/// Whether a NUL-terminated string starts at `offset` in the default
/// memory.
fn app_str(inst: &ModuleInstance, offset: u64) -> bool {
    inst.memory().is_some_and(|memory| {
        inst.with_store(|ctx| {
            let bytes = memory.data(ctx.as_context());
            usize::try_from(offset)
                .ok()
                .and_then(|offset| bytes.get(offset..))
                .is_some_and(|rest| rest.contains(&0))
        })
    })
}

/// Runs `check` on a live instance, setting the exception when it fails.
fn validate(module_inst: *mut ModuleInstance, check: impl FnOnce(&ModuleInstance) -> bool) -> bool {
    guard(false, || {
        let Some(inst) = handles::get(module_inst) else {
            return false;
        };
        let valid = check(inst);
        if !valid {
            inst.exception.set(OUT_OF_BOUNDS);
        }
        valid
    })
}

/// `wasm_runtime_validate_app_addr`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_validate_app_addr(module_inst: *mut ModuleInstance, app_offset: u64, size: u64) -> bool {
    validate(module_inst, |inst| app_range(inst, app_offset, size).is_some())
}

/// `wasm_runtime_validate_app_str_addr`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_validate_app_str_addr(module_inst: *mut ModuleInstance, app_str_offset: u64) -> bool {
    validate(module_inst, |inst| app_str(inst, app_str_offset))
}

/// `wasm_runtime_validate_native_addr`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_validate_native_addr(
    module_inst: *mut ModuleInstance,
    native_ptr: *mut c_void,
    size: u64,
) -> bool {
    validate(module_inst, |inst| {
        let Some((base, len)) = inst.memory_view() else {
            return false;
        };
        let offset = (native_ptr as usize).wrapping_sub(base as usize) as u64;
        native_ptr as usize >= base as usize && offset.checked_add(size).is_some_and(|end| end <= len as u64)
    })
}

/// `wasm_runtime_addr_app_to_native`: NULL unless `app_offset` is inside
/// the default memory.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_addr_app_to_native(module_inst: *mut ModuleInstance, app_offset: u64) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        handles::get(module_inst)
            .and_then(|inst| app_range(inst, app_offset, 1))
            .map_or(std::ptr::null_mut(), <*mut u8>::cast)
    })
}

/// `wasm_runtime_addr_native_to_app`: 0 unless `native_ptr` is inside the
/// default memory.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_addr_native_to_app(module_inst: *mut ModuleInstance, native_ptr: *mut c_void) -> u64 {
    guard(0, || {
        let Some((base, len)) = handles::get(module_inst).and_then(ModuleInstance::memory_view) else {
            return 0;
        };
        let offset = (native_ptr as usize).wrapping_sub(base as usize);
        if native_ptr as usize >= base as usize && offset < len {
            offset as u64
        } else {
            0
        }
    })
}

/// `wasm_runtime_get_default_memory`: the first exported memory, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_default_memory(module_inst: *const ModuleInstance) -> *mut MemoryHandle {
    guard(std::ptr::null_mut(), || {
        handles::get(module_inst).map_or(std::ptr::null_mut(), |inst| inst.memory_handle.get())
    })
}

/// Runs `query` on a memory handle's memory and store, or returns `fail`.
fn with_memory<R>(handle: *const MemoryHandle, fail: R, query: impl FnOnce(Memory, &ModuleInstance) -> R) -> R {
    guard(None, || {
        let handle = handles::get(handle)?;
        let inst = handles::get(handle.instance)?;
        Some(query(handle.memory, inst))
    })
    .unwrap_or(fail)
}

/// `wasm_memory_get_base_address`. On 64-bit Unix it never changes.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_base_address(memory_inst: *const MemoryHandle) -> *mut c_void {
    with_memory(memory_inst, std::ptr::null_mut(), |_, inst| {
        inst.memory_view().map_or(std::ptr::null_mut(), |(base, _)| base.cast())
    })
}

/// `wasm_memory_get_cur_page_count`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_cur_page_count(memory_inst: *const MemoryHandle) -> u64 {
    with_memory(memory_inst, 0, |memory, inst| inst.with_store(|ctx| memory.size(&ctx)))
}

/// `wasm_memory_get_max_page_count`: the declared maximum, or the most a
/// memory of its address width can have.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_max_page_count(memory_inst: *const MemoryHandle) -> u64 {
    with_memory(memory_inst, 0, |memory, inst| {
        let ty = inst.with_store(|ctx| memory.ty(&ctx));
        let limit = if ty.memory64 { u64::MAX } else { 1 << 32 } >> ty.page_size_log2;
        ty.max.unwrap_or(limit)
    })
}

/// `wasm_memory_get_bytes_per_page`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_bytes_per_page(memory_inst: *const MemoryHandle) -> u64 {
    with_memory(memory_inst, 0, |memory, inst| {
        inst.with_store(|ctx| memory.ty(&ctx).page_size())
    })
}

/// `wasm_memory_enlarge`: grows by `inc_page_count` pages.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_enlarge(memory_inst: *mut MemoryHandle, inc_page_count: u64) -> bool {
    with_memory(memory_inst, false, |memory, inst| {
        inst.with_store(|mut ctx| memory.grow(ctx.as_context_mut(), inc_page_count).is_ok())
    })
}
