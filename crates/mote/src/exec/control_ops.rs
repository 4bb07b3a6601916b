//! Handlers of control flow and state: branches, constants, `select`,
//! globals, fuel, and calls and returns between wasm functions. A call
//! pushes a `CallFrame` and jumps into the callee; a return pops it and
//! jumps back, so wasm-to-wasm calls never grow the native stack. Calls of
//! host functions and of functions not yet translated take the slow path.

use super::dispatch::{Code, Ctx, Exit, Handler, Op, dispatch, leave, trap, uses_other_memory};
use super::slots::*;
use super::support::indirect_callee;
use super::{CallFrame, CallTarget};
use crate::func::FuncKind;
use mote_core::TrapCode;
use mote_ir::{Instr, Slot};

handlers! {
    ($ ip, fp, mem_base, mem_len, ctx)
    Instr::Br { offset } => branch!(offset),
    Instr::BrIfNez { cond, offset } => {
        if input!(0, cond, get_bool) {
            branch!(offset)
        }
        next!()
    },
    Instr::BrIfEqz { cond, offset } => {
        if !input!(0, cond, get_bool) {
            branch!(offset)
        }
        next!()
    },
    Instr::BrTable { index, len } => {
        // SAFETY: slots per the module contract.
        let i = unsafe { get_u32(fp, index) }.min(len);
        // SAFETY: `len + 1` branch entries follow the table.
        dispatch!(unsafe { ip.add(1 + i as usize) }, fp, mem_base, mem_len, ctx)
    },
    Instr::Const32 { dst, val } => {
        // SAFETY: slots per the module contract.
        unsafe { set(fp, dst, val as u64) };
        next!()
    },
    Instr::Const64 { dst, lo, hi } => {
        // SAFETY: slots per the module contract.
        unsafe { set(fp, dst, lo as u64 | (hi as u64) << 32) };
        next!()
    },
    Instr::Select { dst, cond, a, b } => {
        // SAFETY: slots per the module contract.
        let v = if input!(0, cond, get_u32) != 0 { unsafe { get(fp, a) } } else { unsafe { get(fp, b) } };
        let passed = output!(dst, set, v);
        next!(passed)
    },
    Instr::GlobalGet { dst, global } => {
        // SAFETY: the store is live while handlers run.
        let store = unsafe { &*ctx.store };
        let g = store.instances[ctx.inst as usize].globals[global as usize];
        let passed = output!(dst, set, store.globals[g as usize].value[0]);
        next!(passed)
    },
    Instr::GlobalSet { src, global } => {
        // SAFETY: the store is live while handlers run.
        let store = unsafe { &mut *ctx.store };
        let g = store.instances[ctx.inst as usize].globals[global as usize];
        store.globals[g as usize].value[0] = input!(0, src, get);
        next!()
    },
    Instr::ConstInit { start, count } => {
        // SAFETY: `ctx.code` is the running function's code, live while it runs.
        let consts = unsafe { &(*ctx.code).func.consts };
        debug_assert_eq!(consts.len(), count as usize);
        // SAFETY: the translator put the `count` constant slots from
        // `start` inside the frame, and `consts` holds that many.
        unsafe { core::ptr::copy_nonoverlapping(consts.as_ptr(), fp.add(start as usize), count as usize) };
        next!()
    },
    Instr::ConsumeFuel { amount } => {
        let amount = amount as u64;
        if ctx.fuel < amount {
            ctx.fuel = 0;
            trap!(TrapCode::OutOfFuel);
        }
        ctx.fuel -= amount;
        next!()
    },
    Instr::ConsumeFuelLen { len, shift } => {
        // SAFETY: slots per the module contract.
        let amount = mote_environ::fuel::length_cost(unsafe { get(fp, len) }, shift);
        if ctx.fuel < amount {
            ctx.fuel = 0;
            trap!(TrapCode::OutOfFuel);
        }
        ctx.fuel -= amount;
        next!()
    },
    Instr::Call { func, base } => {
        // SAFETY: `ctx.callees` is the instance's call-target table, which
        // validation bounds `func` by.
        let target = unsafe { *ctx.callees.add(func as usize) };
        if target.code.is_null() {
            // SAFETY: forwarded handler contract.
            return unsafe { resolve_call(ip, fp, mem_base, mem_len, ctx) };
        }
        // SAFETY: forwarded handler contract.
        return unsafe { call_wasm(ip, fp, mem_base, mem_len, ctx, regs!(), target, base) }
    },
    Instr::CallIndirect { ty, table, index, base } => {
        // SAFETY: the store is live while handlers run.
        let store = unsafe { &*ctx.store };
        let callee = try_trap!(indirect_callee(store, ctx.inst, ty, table, fp, index));
        // SAFETY: store function indices come from the store's instances.
        let target = match unsafe { store.funcs.get_unchecked(callee as usize) }.kind {
            FuncKind::Wasm { instance, code, .. } if !code.is_null() => CallTarget { code, func: callee, instance },
            _ => return leave(ip, fp, mem_base, mem_len, ctx, Exit::Slow),
        };
        // SAFETY: forwarded handler contract.
        return unsafe { call_wasm(ip, fp, mem_base, mem_len, ctx, regs!(), target, base) }
    },
    Instr::Return {} => {
        // SAFETY: forwarded handler contract.
        return unsafe { return_to_caller(ip, fp, mem_base, mem_len, ctx, regs!()) }
    },
    Instr::ReturnSlot { src } => {
        let v = input!(0, src, get);
        // SAFETY: slots per the module contract.
        unsafe { set(fp, 0, v) };
        // SAFETY: forwarded handler contract.
        return unsafe { return_to_caller(ip, fp, mem_base, mem_len, ctx, regs!()) }
    },
}

/// Fills the call target of the `Call` at `ip` from its callee, if that is
/// a translated wasm function, and runs the call again; otherwise (a host
/// function, or one not translated yet) hands the call to the slow path.
///
/// # Safety
/// The handler contract (see `dispatch::enter`); `ip` is a `Call`.
#[cold]
#[inline(never)]
unsafe fn resolve_call(ip: *const Op, fp: *mut u64, mem_base: *mut u8, mem_len: u64, ctx: &mut Ctx) -> Exit {
    // SAFETY: only the `Call` handler comes here.
    let Instr::Call { func, .. } = (unsafe { *ip }).instr else {
        return leave(ip, fp, mem_base, mem_len, ctx, Exit::Slow);
    };
    // SAFETY: as in the `Call` handler.
    let target = unsafe { &mut *ctx.callees.add(func as usize) };
    // SAFETY: the store is live while handlers run.
    match unsafe { &*ctx.store }.funcs[target.func as usize].kind {
        FuncKind::Wasm { instance, code, .. } if !code.is_null() => {
            (target.code, target.instance) = (code, instance);
            dispatch!(ip, fp, mem_base, mem_len, ctx)
        }
        _ => leave(ip, fp, mem_base, mem_len, ctx, Exit::Slow),
    }
}

/// Enters the translated wasm function `target` with its arguments at
/// `fp + arg`, from the call instruction at `ip`. `regs` pass through
/// unchanged (the callee's first instruction does not read them): cheaper
/// than clearing them.
///
/// Always inlined: it takes more arguments than a handler, so only inlined
/// does its final jump stay a sibling call.
///
/// # Safety
/// The handler contract (see `dispatch::enter`).
#[inline(always)]
#[allow(clippy::too_many_arguments)] // a handler's arguments, and the callee
unsafe fn call_wasm(
    ip: *const Op,
    fp: *mut u64,
    mem_base: *mut u8,
    mem_len: u64,
    ctx: &mut Ctx,
    regs: Regs,
    target: CallTarget,
    arg: Slot,
) -> Exit {
    let CallTarget {
        code,
        func: callee,
        instance,
    } = target;
    // SAFETY: the store is live while handlers run.
    let store = unsafe { &mut *ctx.store };
    if store.exec.frames.len() >= store.exec.max_depth {
        return trap(ip, fp, mem_base, mem_len, ctx, TrapCode::StackOverflow);
    }
    // SAFETY: modules outlive the store's use of their code.
    let c: &Code = unsafe { &*code };
    // SAFETY: `arg` is a slot of the current frame.
    let new_fp = unsafe { fp.add(arg as usize) };
    // SAFETY: both pointers are inside the value stack.
    let start = unsafe { new_fp.offset_from(ctx.stack_base) } as usize;
    if start + c.func.frame_cells as usize > ctx.stack_len {
        return trap(ip, fp, mem_base, mem_len, ctx, TrapCode::StackOverflow);
    }
    // Growing the frame stack is left to the slow path, so that this one
    // makes no calls and needs no saved registers.
    let frames = &mut store.exec.frames;
    let Some(slot) = frames.spare_capacity_mut().first_mut() else {
        return leave(ip, fp, mem_base, mem_len, ctx, Exit::Slow);
    };
    slot.write(CallFrame {
        func: ctx.cur_func,
        instance: ctx.inst,
        code: ctx.code,
        // SAFETY: a call is followed by another instruction.
        ip: unsafe { ip.add(1) },
        fp: fp as usize,
        grows: ctx.grows,
    });
    // SAFETY: the first spare element was just initialized.
    unsafe { frames.set_len(frames.len() + 1) };
    // Volatile writes rather than `write_bytes`, which LLVM would also make
    // of a plain loop: most functions have a few locals, too few to pay for
    // a `memset` call.
    for i in c.func.param_cells..c.func.local_cells {
        // SAFETY: the callee's frame fits the stack (checked above).
        unsafe { new_fp.add(i as usize).write_volatile(0) };
    }
    ctx.cur_func = callee;
    ctx.code = code;
    if instance != ctx.inst {
        ctx.inst = instance;
        // SAFETY: forwarded handler contract; the callee starts at its first op.
        return unsafe { reload_instance(c.ops.as_ptr(), new_fp, mem_base, mem_len, ctx) };
    }
    dispatch!(c.ops.as_ptr(), new_fp, mem_base, mem_len, ctx, regs)
}

/// Continues at `ip` after `ctx.inst` changed or memory grew, with the
/// instance's memory 0 and function table. A handler of its own, so that
/// calls and returns need no registers for this rare case.
///
/// # Safety
/// The handler contract (see `dispatch::enter`).
#[cold]
#[inline(never)]
unsafe fn reload_instance(ip: *const Op, fp: *mut u64, _: *mut u8, _: u64, ctx: &mut Ctx) -> Exit {
    // SAFETY: the store is live while handlers run.
    let store = unsafe { &mut *ctx.store };
    ctx.callees = store.instances[ctx.inst as usize].callees.as_mut_ptr();
    let m = mem_view(store, ctx.inst, 0);
    dispatch!(ip, fp, m.base, m.len, ctx)
}

/// Returns from the current frame to its caller, or leaves the handlers
/// when the entry frame returns. `regs` pass through, as in [`call_wasm`].
///
/// # Safety
/// The handler contract (see `dispatch::enter`).
#[inline(always)]
unsafe fn return_to_caller(
    ip: *const Op,
    fp: *mut u64,
    mem_base: *mut u8,
    mem_len: u64,
    ctx: &mut Ctx,
    regs: Regs,
) -> Exit {
    // SAFETY: the store is live while handlers run.
    let store = unsafe { &mut *ctx.store };
    if store.exec.frames.len() == ctx.entry_depth {
        return leave(ip, fp, mem_base, mem_len, ctx, Exit::Return);
    }
    let Some(f) = store.exec.frames.pop() else {
        return leave(ip, fp, mem_base, mem_len, ctx, Exit::Return);
    };
    ctx.cur_func = f.func;
    ctx.code = f.code;
    // The memory view changes only with the instance or a grow.
    if f.instance != ctx.inst || f.grows != ctx.grows {
        ctx.inst = f.instance;
        // SAFETY: forwarded handler contract; `f` is the caller's state.
        return unsafe { reload_instance(f.ip, f.fp as *mut u64, mem_base, mem_len, ctx) };
    }
    dispatch!(f.ip, f.fp as *mut u64, mem_base, mem_len, ctx, regs)
}
