//! The `catch_call` libcall: a call inside a `try_table` in code that
//! raises traps (`VMLibcalls::catch_call`).
//!
//! A trap or exception raised in such code jumps straight back to the
//! innermost entry, abandoning the frames between. A `try_table` must see
//! the exceptions thrown below its calls, so those calls are made here,
//! through an entry of their own: the callee runs inside
//! `signals::call`, and whatever is raised below it returns to this
//! function, which leaves it in the trap cell for the caller to claim (an
//! exception its handlers catch) or raise again.

use super::backtrace::{self, MAX_FRAMES};
use super::libcalls::context;
use super::store_ctx::StoreCtx;
use crate::Error;
use alloc::vec::Vec;
use mote_core::TrapCode;
use mote_cranelift::vmctx::VMContext;
use mote_environ::TypeIndex;

/// Calls `code` (native wasm ABI, of type `ty` of the calling instance's
/// module) with `callee_vmctx` on the array ABI's `values`, through the
/// type's entry trampoline, as an entry nested in the running one.
///
/// Entered through a recording entry (`super::recording`): when a trap
/// comes back, its backtrace is the wasm frames below this call followed
/// by those from the caller up.
///
/// # Safety
/// Called by compiled code with its own complete `VMContext`, while its
/// store runs wasm; `code` and `callee_vmctx` are a function of type `ty`
/// and its context, and `values` holds that type's cells.
pub(super) unsafe extern "C" fn catch_call(
    vmctx: *mut VMContext,
    ty: u32,
    code: *const u8,
    callee_vmctx: *mut VMContext,
    values: *mut u64,
) {
    // SAFETY: per the contract; the store reference ends before the call.
    let (trampoline, ctx) = unsafe {
        let (store, inst, ctx) = context(vmctx);
        let module = &store.instances[inst as usize].module;
        let trampoline = module.jit_code().and_then(|c| c.loaded.trampoline(TypeIndex(ty)));
        (trampoline, ctx)
    };
    let Some(trampoline) = trampoline else {
        // SAFETY: the running store's context; nothing else borrows it.
        unsafe {
            (*ctx).error = Some(Error::msg(alloc::format!(
                "compiled code called a function of type {ty}, which has no entry trampoline"
            )));
            (*ctx).vm.trap_code = TrapCode::HostError as u32;
        }
        return;
    };
    // Where this call was made (noted by the recording entry), before
    // libcalls below overwrite it; and the frames below end here.
    let marker = 0u8;
    // SAFETY: as above.
    let (site, outer_sp) = unsafe {
        let site = core::mem::take(&mut (*ctx).call_site);
        let outer_sp = core::mem::replace(&mut (*ctx).entry_sp, &raw const marker as usize);
        (site, outer_sp)
    };
    let mut trace = Vec::new();
    // SAFETY: per the contract, `trampoline` is the entry of `code`'s type
    // and `values` holds its cells; the stack limit and fuel stay those of
    // the running entry.
    let raised = unsafe { super::signals::call(trampoline, code, callee_vmctx, vmctx, values, &mut trace) };
    // SAFETY: compiled code below has returned or been abandoned; the
    // context is ours again.
    unsafe {
        (*ctx).entry_sp = outer_sp;
        if raised == 0 {
            return;
        }
        (*ctx).vm.trap_code = raised;
        if !trace.is_empty() {
            (*ctx).trap_pcs = trace;
        }
        if raised != TrapCode::UncaughtException as u32 {
            extend_backtrace(ctx, site, outer_sp);
        }
    }
}

/// Keeps the wasm frames of the recorded trap (those below the nested
/// entry) and adds the frames from call site `site` up to `stack_top`.
///
/// # Safety
/// `ctx` is the running store's context, nothing else borrows it, and
/// `site` a call site of compiled code on this thread's stack below
/// `stack_top`.
unsafe fn extend_backtrace(ctx: *mut StoreCtx, site: backtrace::CallSite, stack_top: usize) {
    // SAFETY: per the contract.
    let ctx = unsafe { &mut *ctx };
    // SAFETY: the store is running wasm and not borrowed elsewhere now.
    let below = backtrace::frames(unsafe { &*ctx.inner }, &ctx.trap_pcs).len();
    let pcs = &mut ctx.trap_pcs;
    pcs.truncate(below);
    // SAFETY: per the contract.
    unsafe {
        backtrace::walk(site, stack_top, |pc| {
            if pcs.len() >= MAX_FRAMES {
                return false;
            }
            pcs.push(pc);
            true
        });
    }
}
