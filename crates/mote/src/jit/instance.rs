//! Each instance's `VMContext`: the header (store context, libcalls,
//! type ids, function indices, the instance itself as `host_data`) and
//! pointers to the store's memory and table definitions and global cells,
//! so compiled code and the interpreter's API share every entity.

use super::libcalls::LIBCALLS;
use crate::instance::InstanceEntity;
use crate::store::StoreInner;
use alloc::boxed::Box;
use mote_cranelift::vmctx::{OwnedVMContext, VMContext, VMContextHeader, VMGlobal, VMOffsets};

/// The JIT's part of an instance; boxed, so `host_data` can point at it.
pub(crate) struct InstanceJit {
    vmctx: OwnedVMContext,
    vmctx_ptr: *mut VMContext,
    /// The engine-wide id of each type-section entry, as compiled code
    /// reads them.
    type_ids: Box<[u32]>,
    /// The store index of each function of the instance.
    func_indices: Box<[u32]>,
    /// The instance's index in its store.
    pub(crate) id: u32,
}

// SAFETY: the context points into the store that owns the instance and
// moves between threads only with it.
unsafe impl Send for InstanceJit {}
// SAFETY: shared references never use the pointers.
unsafe impl Sync for InstanceJit {}

impl InstanceJit {
    /// The `VMContext` compiled code of this instance receives.
    pub(crate) fn vmctx_ptr(&self) -> *mut VMContext {
        self.vmctx_ptr
    }
}

/// Builds the `VMContext` of `entity`, which is about to become instance
/// `id` of `store`: everything except imported functions, which
/// [`link_funcs`] fills in once the instance is in the store.
pub(crate) fn attach(store: &mut StoreInner, entity: &mut InstanceEntity, id: u32) {
    let Some(jit) = store.jit.as_mut() else {
        return;
    };
    let info = entity.module.info();
    let mut data = Box::new(InstanceJit {
        vmctx: OwnedVMContext::new(VMOffsets::for_module(info)),
        vmctx_ptr: core::ptr::null_mut(),
        type_ids: info.type_ids.iter().map(|t| t.0).collect(),
        func_indices: entity.funcs.clone().into_boxed_slice(),
        id,
    });
    data.vmctx_ptr = data.vmctx.as_ptr();
    let host_data: *mut InstanceJit = &mut *data;
    data.vmctx.set_header(VMContextHeader {
        store: jit.vm_ptr(),
        libcalls: &LIBCALLS,
        type_ids: data.type_ids.as_ptr(),
        func_indices: data.func_indices.as_ptr(),
        host_data: host_data.cast(),
    });
    for (i, &m) in entity.memories.iter().enumerate() {
        data.vmctx.set_memory(i as u32, store.memories[m as usize].def.as_ptr());
    }
    for (i, &t) in entity.tables.iter().enumerate() {
        data.vmctx.set_table(i as u32, store.tables[t as usize].def.as_ptr());
    }
    for (i, &g) in entity.globals.iter().enumerate() {
        let cells: *mut VMGlobal = &mut store.globals[g as usize].value;
        data.vmctx.set_global(i as u32, cells);
    }
    entity.jit = Some(data);
}

/// Adds the `VMFuncRef`s of instance `id`'s functions to the store and
/// copies those of its imported functions into its `VMContext`.
pub(crate) fn link_funcs(store: &mut StoreInner, id: u32) {
    if store.jit.is_none() {
        return;
    }
    super::store_ctx::sync_funcs(store);
    let Some(jit) = store.jit.as_ref() else {
        return;
    };
    let inst = &mut store.instances[id as usize];
    let imported = inst.module.info().num_imported_funcs;
    let Some(data) = inst.jit.as_mut() else {
        return;
    };
    for i in 0..imported {
        data.vmctx
            .set_imported_func(i, jit.funcs[inst.funcs[i as usize] as usize]);
    }
}
