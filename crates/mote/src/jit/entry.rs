//! Calls from the host into compiled code.
//!
//! An entry points the store context at the store and the embedder's data
//! (restoring the previous values afterwards, as entries nest when a host
//! function calls back into wasm), moves the store's fuel into the store
//! context and back, clears the trap cell before the call and reads and
//! clears it after.
//!
//! The outermost entry also sets the stack limit: compiled functions that
//! call others compare the stack pointer with it after their prologue and
//! trap with `StackOverflow` below it. The limit is `max_wasm_stack` bytes
//! below the entry's own frame; nested entries keep it, so recursion
//! through host functions is bounded by the same budget (and by the
//! interpreter's count of nested entries).

use super::trap_from_cell;
use crate::Error;
use crate::error::Trap;
use crate::exec::MAX_HOST_REENTRY;
use crate::store::StoreInner;
use alloc::vec::Vec;
use core::any::Any;
use core::ptr::NonNull;
use mote_core::TrapCode;
use mote_environ::FuncIndex;

/// Calls wasm function `index` of instance `instance` (store function
/// `func`) with the array ABI's `cells`, which hold at least
/// `max(params, results)` cells.
///
/// # Errors
/// A trap (with the compiled code's trap code), or the error a host
/// function returned.
pub(crate) fn invoke(
    store: &mut StoreInner,
    data: &mut dyn Any,
    func: u32,
    instance: u32,
    index: FuncIndex,
    cells: &mut [u64],
) -> Result<(), Error> {
    super::store_ctx::sync_funcs(store);
    let module = store.instances[instance as usize].module.clone();
    let code = module
        .jit_code()
        .ok_or_else(|| Error::msg("the function's module was not compiled by the JIT"))?;
    let ty = module.info().funcs[index.index()];
    let ft = module.info().func_type(ty);
    if cells.len() < usize::from(ft.param_cells().max(ft.result_cells())) {
        return Err(Error::msg("too few cells for the function's parameters and results"));
    }
    let trampoline = code
        .loaded
        .trampoline(ty)
        .ok_or_else(|| Error::msg("the JIT has no entry for functions of this type"))?;
    let budget = store.engine.config().max_wasm_stack;
    let fuel = store.fuel;
    let Some(jit) = store.jit.as_mut() else {
        return Err(Error::msg("the store does not run the JIT"));
    };
    let Some(&target) = jit.funcs.get(func as usize) else {
        return Err(Error::msg("function not linked for the JIT"));
    };
    let ctx: *mut super::store_ctx::StoreCtx = &mut *jit.ctx;
    let store: *mut StoreInner = store;
    // An address in this frame: compiled code runs below it.
    let marker = 0u8;
    let here = &raw const marker as usize;
    // SAFETY: `ctx` is the store's boxed context; no reference into it is
    // alive while this function uses it.
    let saved = unsafe {
        if (*ctx).depth >= MAX_HOST_REENTRY {
            return Err(TrapCode::StackOverflow.into());
        }
        if (*ctx).depth == 0 {
            (*ctx).vm.stack_limit = here.saturating_sub(budget);
        }
        (*ctx).depth += 1;
        (*ctx).vm.fuel = fuel;
        (*ctx).vm.trap_code = 0;
        let saved = ((*ctx).inner, (*ctx).data, (*ctx).entry_sp);
        (*ctx).inner = store;
        (*ctx).data = Some(NonNull::from(data));
        (*ctx).entry_sp = here;
        saved
    };
    let (saved_inner, saved_data, saved_entry_sp) = saved;
    let mut fault_trace = Vec::new();
    // SAFETY: `target` is the compiled function `index` of `instance`,
    // of type `ty` (the trampoline of its own module), its `VMContext` is
    // complete, the trap cell is clear and the stack limit set; `cells`
    // is large enough (checked above). Host shims and libcalls reach the
    // store through `ctx.inner` while this frame does not touch it.
    let faulted_trap = unsafe {
        super::signals::call(
            trampoline,
            target.wasm_call,
            target.vmctx,
            target.vmctx,
            cells.as_mut_ptr(),
            &mut fault_trace,
        )
    };
    // SAFETY: as above; compiled code has returned.
    let (cell, error) = unsafe {
        if faulted_trap != 0 {
            (*ctx).vm.trap_code = faulted_trap;
            if !fault_trace.is_empty() {
                (*ctx).trap_pcs = fault_trace;
            }
        }
        (*ctx).depth -= 1;
        (*ctx).inner = saved_inner;
        (*ctx).data = saved_data;
        (*ctx).entry_sp = saved_entry_sp;
        (*store).fuel = (*ctx).vm.fuel;
        let cell = core::mem::take(&mut (*ctx).vm.trap_code);
        let error = if cell == TrapCode::HostError as u32 {
            (*ctx).error.take()
        } else {
            None
        };
        (cell, error)
    };
    match (cell, error) {
        (0, _) => Ok(()),
        (_, Some(error)) => Err(error),
        (cell, None) => {
            // SAFETY: as above; compiled code has returned.
            let pcs = unsafe { core::mem::take(&mut (*ctx).trap_pcs) };
            // SAFETY: the store is ours again.
            let frames = super::backtrace::frames(unsafe { &*store }, &pcs);
            Err(Trap::with_backtrace(trap_from_cell(cell), frames).into())
        }
    }
}
