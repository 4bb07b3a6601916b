//! Per-store JIT state: the `VMStoreContext` every instance of the store
//! points to, and the store's `VMFuncRef` array that `call_indirect` and
//! `ref.func` values index.
//!
//! The `VMStoreContext` is the first field of a boxed [`StoreCtx`], so the
//! pointer compiled code holds also leads host shims and libcalls back to
//! the store: while wasm runs, `StoreCtx::inner` and `StoreCtx::data`
//! point at the `StoreInner` and the embedder's data of the entry that is
//! running (see [`super::entry`]).

use super::backtrace::CallSite;
use super::host_shim;
use crate::Error;
use crate::engine::{Engine, Strategy};
use crate::func::FuncKind;
use crate::store::StoreInner;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::any::Any;
use core::ptr::{self, NonNull};
use mote_cranelift::vmctx::{VMContext, VMFuncRef, VMGcObject, VMStoreContext};

/// The store context compiled code sees, followed by what the runtime
/// needs to get from it back to the store.
#[repr(C)]
pub(crate) struct StoreCtx {
    /// Must stay first: compiled code and libcalls receive a pointer to it
    /// and cast it back to the whole `StoreCtx`.
    pub(crate) vm: VMStoreContext,
    /// The store while wasm runs (set by each entry, restored after it).
    pub(crate) inner: *mut StoreInner,
    /// The embedder's data while wasm runs.
    pub(crate) data: Option<NonNull<dyn Any>>,
    /// The error a host function returned, reported by the entry that sees
    /// the `HostError` trap code it left in the trap cell.
    pub(crate) error: Option<Error>,
    /// Host → wasm entries currently active.
    pub(crate) depth: u32,
    /// Where compiled code last called a libcall that may trap, noted by
    /// the libcall's recording entry (`super::recording`).
    pub(crate) call_site: CallSite,
    /// The return addresses of the frames of the last trap raised in
    /// compiled code, innermost first (`super::backtrace`).
    pub(crate) trap_pcs: Vec<usize>,
    /// A native stack address in the frame of the innermost entry: the
    /// frames of compiled code it runs are all below it.
    pub(crate) entry_sp: usize,
}

/// What a host function's `VMFuncRef::vmctx` points to.
pub(crate) struct HostFuncCtx {
    pub(crate) store: *mut StoreCtx,
    /// The function's store index.
    pub(crate) func: u32,
}

/// The JIT's state of one store.
pub(crate) struct StoreJit {
    pub(crate) ctx: Box<StoreCtx>,
    /// One entry per store function (by store index), built lazily by
    /// [`sync_funcs`].
    pub(crate) funcs: Vec<VMFuncRef>,
    #[expect(
        clippy::vec_box,
        reason = "host `VMFuncRef`s point at each entry, which must not move"
    )]
    hosts: Vec<Box<HostFuncCtx>>,
    /// One entry per heap object (by object index), built lazily by
    /// `gc_libcall::sync_objects`.
    pub(crate) objects: Vec<VMGcObject>,
}

// SAFETY: the raw pointers point into the store that owns this state
// (its entities, modules' code, boxed contexts); they move between
// threads only with the whole store.
unsafe impl Send for StoreJit {}
// SAFETY: shared references to the store never use the pointers.
unsafe impl Sync for StoreJit {}

impl StoreJit {
    /// The state for a new store of `engine`, if the engine runs the JIT.
    pub(crate) fn for_engine(engine: &Engine) -> Option<Box<StoreJit>> {
        if engine.config().strategy != Strategy::Jit {
            return None;
        }
        Some(Box::new(StoreJit {
            ctx: Box::new(StoreCtx {
                vm: VMStoreContext {
                    trap_code: 0,
                    _pad: 0,
                    fuel: 0,
                    stack_limit: 0,
                    funcs: ptr::null(),
                    exception: 0,
                    gc_objects: ptr::null(),
                },
                inner: ptr::null_mut(),
                data: None,
                error: None,
                depth: 0,
                call_site: CallSite::default(),
                trap_pcs: Vec::new(),
                entry_sp: 0,
            }),
            funcs: Vec::new(),
            hosts: Vec::new(),
            objects: Vec::new(),
        }))
    }

    /// The pointer every `VMContext` header of the store holds.
    pub(crate) fn vm_ptr(&mut self) -> *mut VMStoreContext {
        &mut self.ctx.vm
    }
}

/// Adds a `VMFuncRef` for every store function created since the last
/// call, so that compiled code can reach any function a table or a
/// `ref.func` value may name, and an object-table entry for every heap
/// object (`gc_libcall::sync_objects`). Functions of an instance still
/// being created wait until its `VMContext` exists. Called before entering
/// wasm, after each host function returns and when an instance is created.
pub(crate) fn sync_funcs(store: &mut StoreInner) {
    super::gc_libcall::sync_objects(store);
    let Some(jit) = store.jit.as_mut() else {
        return;
    };
    let ctx_ptr: *mut StoreCtx = &mut *jit.ctx;
    while jit.funcs.len() < store.funcs.len() {
        let index = jit.funcs.len();
        let entity = &store.funcs[index];
        let func = match &entity.kind {
            FuncKind::Host(_) => {
                let mut host = Box::new(HostFuncCtx {
                    store: ctx_ptr,
                    func: index as u32,
                });
                let vmctx: *mut VMContext = (&mut *host as *mut HostFuncCtx).cast();
                jit.hosts.push(host);
                VMFuncRef {
                    wasm_call: ptr::null(),
                    array_call: Some(host_shim::call),
                    vmctx,
                    type_id: entity.type_id.0,
                    _pad: 0,
                }
            }
            FuncKind::Wasm { instance, index, .. } => {
                let Some(inst) = store.instances.get(*instance as usize) else {
                    break;
                };
                let (Some(code), Some(inst_jit)) = (inst.module.jit_code(), inst.jit.as_ref()) else {
                    break;
                };
                let defined = (index.0 - inst.module.info().num_imported_funcs) as usize;
                VMFuncRef {
                    wasm_call: code.loaded.func_ptr(defined),
                    array_call: None,
                    vmctx: inst_jit.vmctx_ptr(),
                    type_id: entity.type_id.0,
                    _pad: 0,
                }
            }
        };
        jit.funcs.push(func);
    }
    // The array may have moved.
    jit.ctx.vm.funcs = jit.funcs.as_ptr();
}
