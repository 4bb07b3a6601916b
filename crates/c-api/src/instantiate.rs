//! `wasm_runtime_instantiate(_ex)`, `wasm_runtime_deinstantiate` and the
//! small per-instance settings (custom data, running mode).

use crate::app_heap::AppHeap;
use crate::exception::message_of;
use crate::exec_env;
use crate::ffi::{guard, write_error};
use crate::function::lookup;
use crate::handles;
use crate::instance::{self, HostState, ModuleInstance};
use crate::link;
use crate::memory::MemoryHandle;
use crate::module::LoadedModule;
use crate::types::{InstantiationArgs, MODE_INTERP};
use mote::{FuncType, Store, ValType};
use mote_wasi::WasiCtxBuilder;
use std::ffi::{c_char, c_void};

/// The largest app heap, as in WAMR: 1 GiB.
const MAX_APP_HEAP: u32 = 1 << 30;

/// Instantiates `module`; a message on failure.
fn instantiate(
    module: &LoadedModule,
    stack_size: u32,
    heap_size: u32,
    max_pages: u32,
) -> Result<*mut ModuleInstance, String> {
    let wasi = if module.imports_wasi {
        module.wasi_args().build()?
    } else {
        WasiCtxBuilder::new().build()
    };
    let linker = link::linker(module)?;
    let store = Store::new(
        module.module.engine(),
        HostState {
            instance: std::ptr::null(),
            wasi,
        },
    );
    let ptr = handles::register(ModuleInstance::new(
        store,
        module.memory_export.clone(),
        module.imports_wasi,
    ));
    let inst = handles::get(ptr).expect("registered above");
    inst.with_store(|mut ctx| ctx.data_mut().instance = ptr);
    inst.singleton.set(exec_env::create(ptr, stack_size, true));
    let instantiated = inst.run_on(inst.singleton.get(), || {
        inst.with_store(|mut ctx| linker.instantiate(&mut ctx, &module.module))
    });
    let result = instantiated
        .map_err(|e| inst.exception.text().unwrap_or_else(|| message_of(&e)))
        .and_then(|instance| {
            let _ = inst.instance.set(instance);
            finish(inst, instance, module, heap_size, max_pages)
        });
    match result {
        Ok(()) => Ok(ptr),
        Err(message) => {
            instance::destroy(ptr);
            Err(message)
        }
    }
}

/// Records the default memory and the allocator, checks the memory against
/// `max_pages` (0: no bound), and carves the app heap.
fn finish(
    inst: &ModuleInstance,
    instance: mote::Instance,
    module: &LoadedModule,
    heap_size: u32,
    max_pages: u32,
) -> Result<(), String> {
    let (memory, has_allocator) = inst.with_store(|ctx| {
        let memory = module
            .memory_export
            .as_deref()
            .and_then(|n| instance.get_memory(&ctx, n));
        let func = |name: &str, ty: FuncType| instance.get_func(&ctx, name).filter(|f| f.ty(&ctx) == ty);
        let malloc = func("malloc", FuncType::new([ValType::I32], [ValType::I32]));
        let free = func("free", FuncType::new([ValType::I32], []));
        (memory, malloc.is_some() && free.is_some())
    });
    inst.set_memory(memory);
    if has_allocator {
        inst.allocator.set(Some((lookup(inst, "malloc"), lookup(inst, "free"))));
    }
    if let Some(memory) = memory {
        let pages = inst.with_store(|ctx| memory.size(&ctx));
        if max_pages > 0 && pages > u64::from(max_pages) {
            return Err(format!(
                "the memory has {pages} pages, more than the maximum of {max_pages}"
            ));
        }
        inst.memory_handle
            .set(handles::register(MemoryHandle::new(inst, memory)));
        if heap_size > 0 && !has_allocator {
            add_app_heap(inst, memory, heap_size.min(MAX_APP_HEAP))?;
        }
    }
    Ok(())
}

/// Grows the default memory by `size` bytes (whole pages) for the app heap.
fn add_app_heap(inst: &ModuleInstance, memory: mote::Memory, size: u32) -> Result<(), String> {
    inst.with_store(|mut ctx| {
        let page = memory.ty(&ctx).page_size();
        let pages = u64::from(size).div_ceil(page);
        let old = memory
            .grow(&mut ctx, pages)
            .map_err(|_| format!("cannot grow the memory by {pages} pages for an app heap of {size} bytes"))?;
        *inst.heap.borrow_mut() = Some(AppHeap::new(old * page, u64::from(size)));
        Ok(())
    })
}

/// Runs `instantiate` for an entry point, reporting failures in the error
/// buffer as WAMR does.
///
/// # Safety
/// `error_buf` is NULL or valid for `error_buf_size` bytes.
unsafe fn entry(
    module: *const LoadedModule,
    stack_size: u32,
    heap_size: u32,
    max_pages: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> *mut ModuleInstance {
    let result = match handles::get(module) {
        Some(module) => instantiate(module, stack_size, heap_size, max_pages),
        None => Err("invalid module".to_string()),
    };
    result.unwrap_or_else(|message| {
        let text = format!("WASM module instantiate failed: {message}");
        // SAFETY: forwarded contract.
        unsafe { write_error(error_buf, error_buf_size, &text) };
        std::ptr::null_mut()
    })
}

/// `wasm_runtime_instantiate`: instantiates `module`, giving it an app heap
/// of `host_managed_heap_size` bytes if it has no `malloc`/`free` of its
/// own. `default_stack_size` is accepted; limits are engine-wide.
///
/// # Errors
/// NULL, with `"WASM module instantiate failed: ..."` in `error_buf`.
///
/// # Safety
/// `error_buf` is NULL or valid for `error_buf_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiate(
    module: *const LoadedModule,
    default_stack_size: u32,
    host_managed_heap_size: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> *mut ModuleInstance {
    guard(std::ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        unsafe {
            entry(
                module,
                default_stack_size,
                host_managed_heap_size,
                0,
                error_buf,
                error_buf_size,
            )
        }
    })
}

/// `wasm_runtime_instantiate_ex`: as `wasm_runtime_instantiate`, with
/// arguments in a struct; `max_memory_pages` (if not 0) bounds the initial
/// memory.
///
/// # Safety
/// `args` is NULL or points to an `InstantiationArgs`; `error_buf` is NULL
/// or valid for `error_buf_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiate_ex(
    module: *const LoadedModule,
    args: *const InstantiationArgs,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> *mut ModuleInstance {
    guard(std::ptr::null_mut(), || {
        // SAFETY: NULL or valid, per the contract.
        let Some(args) = (unsafe { args.as_ref() }) else {
            // SAFETY: forwarded contract.
            unsafe {
                write_error(
                    error_buf,
                    error_buf_size,
                    "WASM module instantiate failed: no arguments",
                )
            };
            return std::ptr::null_mut();
        };
        // SAFETY: forwarded contract.
        unsafe {
            entry(
                module,
                args.default_stack_size,
                args.host_managed_heap_size,
                args.max_memory_pages,
                error_buf,
                error_buf_size,
            )
        }
    })
}

/// `wasm_runtime_deinstantiate`: frees an instance with its function
/// handles, memory handle and singleton exec env.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_deinstantiate(module_inst: *mut ModuleInstance) {
    guard((), || instance::destroy(module_inst))
}

/// `wasm_runtime_set_running_mode`: succeeds for `Mode_Interp`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_running_mode(module_inst: *mut ModuleInstance, running_mode: u32) -> bool {
    guard(false, || {
        handles::get(module_inst).is_some() && running_mode == MODE_INTERP
    })
}

/// `wasm_runtime_get_running_mode`: `Mode_Interp`, or 0 for an invalid
/// instance.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_running_mode(module_inst: *mut ModuleInstance) -> u32 {
    guard(0, || {
        if handles::get(module_inst).is_some() {
            MODE_INTERP
        } else {
            0
        }
    })
}

/// `wasm_runtime_set_custom_data`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_custom_data(module_inst: *mut ModuleInstance, custom_data: *mut c_void) {
    guard((), || {
        if let Some(inst) = handles::get(module_inst) {
            inst.custom_data.set(custom_data);
        }
    })
}

/// `wasm_runtime_get_custom_data`: NULL if unset or invalid.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_custom_data(module_inst: *mut ModuleInstance) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        handles::get(module_inst).map_or(std::ptr::null_mut(), |inst| inst.custom_data.get())
    })
}
