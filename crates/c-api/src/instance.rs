//! Module instances (`wasm_module_inst_t`): each owns a store holding one
//! instance, plus WAMR's per-instance state (exception, custom data, exec
//! envs, app heap, WASI exit code).
//!
//! # Reaching the store
//!
//! C reaches an instance through its handle at any time, including from a
//! native function that wasm code of the same instance is calling. At that
//! moment the store is exclusively borrowed by the running call, and the
//! only legitimate way to it is the `Caller` the native's host function
//! received. So while a native runs, its `Caller` is recorded
//! ([`ModuleInstance::enter_native`]), and [`ModuleInstance::with_store`]
//! goes through the innermost recorded `Caller` if there is one, else to
//! the store itself. Natives may nest (a native calls wasm that calls a
//! native); each level records its own `Caller` and restores the outer one
//! when it returns.

use crate::app_heap::AppHeap;
use crate::exception::Exception;
use crate::exec_env::ExecEnv;
use crate::function::FuncHandle;
use crate::handles::{self, Handle, Kind};
use crate::memory::MemoryHandle;
use mote::{AsContextMut, Caller, Memory, Store, StoreContextMut};
use mote_wasi::WasiCtx;
use std::cell::{Cell, OnceCell, RefCell, UnsafeCell};
use std::collections::HashMap;
use std::ffi::c_void;

/// The store's data: the way back from a host function to its instance.
pub(crate) struct HostState {
    /// The instance that owns the store.
    pub(crate) instance: *const ModuleInstance,
    pub(crate) wasi: WasiCtx,
}

/// A module instance (`wasm_module_inst_t`).
pub struct ModuleInstance {
    store: UnsafeCell<Store<HostState>>,
    /// The `Caller` of the innermost running native of this instance, as
    /// `*mut Caller<'_, HostState>`; null when none runs.
    caller: Cell<*mut c_void>,
    pub(crate) instance: OnceCell<mote::Instance>,
    memory: OnceCell<Option<Memory>>,
    memory_export: Option<String>,
    pub(crate) exception: Exception,
    pub(crate) custom_data: Cell<*mut c_void>,
    /// The exec env of the call in progress; null between calls.
    exec_env: Cell<*mut ExecEnv>,
    pub(crate) singleton: Cell<*mut ExecEnv>,
    pub(crate) functions: RefCell<HashMap<String, *mut FuncHandle>>,
    pub(crate) memory_handle: Cell<*mut MemoryHandle>,
    /// The app heap, for modules without their own `malloc` and `free`.
    pub(crate) heap: RefCell<Option<AppHeap>>,
    /// The module's exported `malloc` and `free`, if it has both.
    pub(crate) allocator: Cell<Option<(*mut FuncHandle, *mut FuncHandle)>>,
    pub(crate) wasi: bool,
    pub(crate) exit_code: Cell<u32>,
}

impl Handle for ModuleInstance {
    const KIND: Kind = Kind::Instance;
}

/// Restores what a running native changed, when it returns (or unwinds).
pub(crate) struct NativeScope<'a> {
    instance: &'a ModuleInstance,
    env: &'a ExecEnv,
    caller: *mut c_void,
    attachment: *mut c_void,
}

impl Drop for NativeScope<'_> {
    fn drop(&mut self) {
        self.instance.caller.set(self.caller);
        self.env.attachment.set(self.attachment);
    }
}

impl ModuleInstance {
    pub(crate) fn new(store: Store<HostState>, memory_export: Option<String>, wasi: bool) -> ModuleInstance {
        ModuleInstance {
            store: UnsafeCell::new(store),
            caller: Cell::new(std::ptr::null_mut()),
            instance: OnceCell::new(),
            memory: OnceCell::new(),
            memory_export,
            exception: Exception::new(),
            custom_data: Cell::new(std::ptr::null_mut()),
            exec_env: Cell::new(std::ptr::null_mut()),
            singleton: Cell::new(std::ptr::null_mut()),
            functions: RefCell::default(),
            memory_handle: Cell::new(std::ptr::null_mut()),
            heap: RefCell::new(None),
            allocator: Cell::new(None),
            wasi,
            exit_code: Cell::new(0),
        }
    }

    /// The instance whose store a host function runs in.
    pub(crate) fn of_caller<'a>(caller: &Caller<'_, HostState>) -> &'a ModuleInstance {
        // SAFETY: `instantiate` points every store's data at the instance
        // that owns the store before any code runs in it, and an instance
        // outlives every call running in its store.
        unsafe { &*caller.data().instance }
    }

    /// Runs `f` with exclusive access to the store (see the module docs).
    pub(crate) fn with_store<R>(&self, f: impl FnOnce(StoreContextMut<'_, HostState>) -> R) -> R {
        let caller = self.caller.get().cast::<Caller<'_, HostState>>();
        if caller.is_null() {
            // SAFETY: no native of this instance is running, so no call
            // borrows the store, and `with_store` is never nested without
            // a native in between; the C API's contract gives one thread
            // at a time access to an instance.
            f(unsafe { &mut *self.store.get() }.as_context_mut())
        } else {
            // SAFETY: `caller` is the `Caller` of the innermost running
            // native, alive until it returns; that native's thread is the
            // one running here, and the running wasm code is suspended.
            f(unsafe { &mut *caller }.as_context_mut())
        }
    }

    /// Records `caller` as the innermost running native, with
    /// `attachment` on `env`, until the returned scope drops.
    pub(crate) fn enter_native<'a>(
        &'a self,
        caller: &mut Caller<'_, HostState>,
        env: &'a ExecEnv,
        attachment: *mut c_void,
    ) -> NativeScope<'a> {
        let outer_caller = self.caller.replace((caller as *mut Caller<'_, HostState>).cast());
        NativeScope {
            instance: self,
            env,
            caller: outer_caller,
            attachment: env.attachment.replace(attachment),
        }
    }

    /// Whether a native of this instance is running.
    pub(crate) fn in_native(&self) -> bool {
        !self.caller.get().is_null()
    }

    /// Whether a call is in progress.
    pub(crate) fn in_call(&self) -> bool {
        !self.exec_env.get().is_null()
    }

    /// The exec env of the call in progress, else the singleton.
    pub(crate) fn current_exec_env(&self) -> *mut ExecEnv {
        let env = self.exec_env.get();
        if env.is_null() { self.singleton.get() } else { env }
    }

    /// Runs `f` as a call on `env`, which natives then receive.
    pub(crate) fn run_on<R>(&self, env: *mut ExecEnv, f: impl FnOnce() -> R) -> R {
        /// Restores the outer call's exec env, even if `f` unwinds.
        struct Restore<'a>(&'a Cell<*mut ExecEnv>, *mut ExecEnv);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.0.set(self.1);
            }
        }
        let _restore = Restore(&self.exec_env, self.exec_env.replace(env));
        f()
    }

    /// Records the default memory once instantiation is done.
    pub(crate) fn set_memory(&self, memory: Option<Memory>) {
        let _ = self.memory.set(memory);
    }

    /// The default memory: the first exported one. While a start function
    /// runs, before instantiation records it, the running native's
    /// `caller` finds it.
    pub(crate) fn memory_for(&self, caller: Option<&Caller<'_, HostState>>) -> Option<Memory> {
        if let Some(memory) = self.memory.get() {
            return *memory;
        }
        caller?.get_export(self.memory_export.as_deref()?)?.into_memory()
    }

    /// The default memory, found as [`Self::memory_for`] does, with the
    /// `Caller` of the innermost running native.
    pub(crate) fn memory(&self) -> Option<Memory> {
        let caller = self.caller.get().cast::<Caller<'_, HostState>>();
        // SAFETY: as in `with_store`; the reference lives for this call only.
        self.memory_for(unsafe { caller.as_ref() })
    }

    /// The default memory's start and length now; `None` without one.
    pub(crate) fn memory_view(&self) -> Option<(*mut u8, usize)> {
        let memory = self.memory()?;
        Some(self.with_store(|mut ctx| {
            let bytes = memory.data_mut(ctx.as_context_mut());
            (bytes.as_mut_ptr(), bytes.len())
        }))
    }
}

/// Frees an instance and every handle it owns. Refused while one of its
/// natives runs (that would free the store under the running call).
pub(crate) fn destroy(ptr: *mut ModuleInstance) {
    if handles::get(ptr).is_none_or(ModuleInstance::in_native) {
        return;
    }
    let Some(instance) = handles::release(ptr) else {
        return;
    };
    for (_, func) in instance.functions.take() {
        drop(handles::release(func));
    }
    drop(handles::release(instance.memory_handle.get()));
    drop(handles::release(instance.singleton.get()));
}
