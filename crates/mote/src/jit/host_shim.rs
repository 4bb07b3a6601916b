//! Calls from compiled code into host functions: the `array_call` entry of
//! every host function's `VMFuncRef`.
//!
//! The shim runs the host callback with the store and embedder data of
//! the running entry and the calling instance. Neither an error nor a
//! panic may unwind through compiled frames, so both are caught here,
//! stashed in the store context and reported as a `HostError` in the trap
//! cell; the entry that sees that code returns the stashed error.

use super::instance::InstanceJit;
use super::store_ctx::{HostFuncCtx, sync_funcs};
use crate::Error;
use crate::func::FuncKind;
use alloc::format;
use mote_core::TrapCode;
use mote_cranelift::vmctx::{VMContext, VMContextHeader};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The `VMArrayCallFn` of every host function.
///
/// # Safety
/// `callee_vmctx` must be the function's [`HostFuncCtx`], `caller_vmctx`
/// the calling instance's complete `VMContext` and `values` hold `len`
/// cells; the store must be running wasm (its `StoreCtx` points at it).
pub(crate) unsafe extern "C" fn call(
    callee_vmctx: *mut VMContext,
    caller_vmctx: *mut VMContext,
    values: *mut u64,
    len: usize,
) {
    // SAFETY: per the contract: the host context is boxed in the store's
    // JIT state, the caller's header is initialized and its `host_data`
    // is its `InstanceJit`.
    let (ctx, func, caller) = unsafe {
        let host = &*callee_vmctx.cast::<HostFuncCtx>();
        let header = caller_vmctx.cast::<VMContextHeader>().read();
        (host.store, host.func, (*header.host_data.cast::<InstanceJit>()).id)
    };
    // SAFETY: `values` holds `len` cells (the array ABI's contract).
    let cells = unsafe { core::slice::from_raw_parts_mut(values, len) };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the entry set `inner` and `data` to the store and its
        // data, which it does not touch while wasm runs; no reference
        // into the store context is held across the callback.
        let (store, data) = unsafe {
            let data = (*ctx).data.expect("set by the entry").as_mut();
            let store = &mut *(*ctx).inner;
            store.fuel = (*ctx).vm.fuel;
            (store, data)
        };
        let FuncKind::Host(host) = &store.funcs[func as usize].kind else {
            return Err(Error::msg("a host function reference names a wasm function"));
        };
        let callback = host.callback.clone();
        let result = callback(store, data, Some(caller), cells);
        // The callback may have set fuel or created functions a table
        // now holds.
        sync_funcs(store);
        // SAFETY: as above.
        unsafe { (*ctx).vm.fuel = store.fuel };
        result
    }));
    let error = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).into())
                .or_else(|| panic.downcast_ref::<alloc::string::String>().cloned())
                .unwrap_or_default();
            Error::msg(format!("host function panicked: {message}"))
        }
    };
    // SAFETY: the store context outlives every entry; no other reference
    // to it is alive here.
    unsafe {
        (*ctx).error = Some(error);
        (*ctx).vm.trap_code = TrapCode::HostError as u32;
    }
}
