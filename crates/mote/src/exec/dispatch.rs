//! Threaded dispatch: every instruction carries a pointer to its handler,
//! and each handler ends by jumping to the next instruction's handler.
//!
//! Why: a central `loop { match }` sends every instruction through one
//! indirect jump the branch predictor cannot learn, and in a function that
//! big the compiler spills `ip` and `fp`. Small handlers keep the
//! interpreter state in argument registers, and each has its own indirect
//! jump at its end, which predicts the common successor.
//!
//! On x86_64 and aarch64 release builds a handler *tail-calls* the next
//! one (`return next(...)` with an identical signature, which LLVM turns
//! into a jump), so the native stack does not grow however long the code
//! runs. Elsewhere, in debug builds where that optimization is not made,
//! and with the `trampoline` feature, handlers return [`Exit::Continue`] to
//! a trampoline loop instead: slower, never unsafe.
//!
//! Only the frequent, simple instructions have handlers of their own; the
//! rest use [`slow`], which hands the instruction back to the `match` in
//! `run.rs` (host calls, bulk memory, GC, exceptions, ...).

use super::slots::{MemView, Regs};
use super::{control_ops, latch_ops, load_branch_ops, simple_ops};
use crate::store::StoreInner;
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use mote_core::TrapCode;
use mote_ir::{CompiledFunc, Instr};

/// The signature every handler shares, so that a handler's call of the
/// next is a sibling call: instruction, frame, memory 0 (base and length),
/// the rest of the state, and the previous instruction's result in the
/// register of its class (the fields of [`Regs`]; see `mote_ir::reg_pass`).
pub(super) type Handler = unsafe fn(*const Op, *mut u64, *mut u8, u64, &mut Ctx, u64, f64, f32) -> Exit;

/// One instruction with its handler.
#[derive(Clone, Copy)]
pub(crate) struct Op {
    pub(super) handler: Handler,
    pub(super) instr: Instr,
}

/// A function ready to run: its translation, with the instructions as
/// [`Op`]s (the translation's own instruction list is moved out).
pub(crate) struct Code {
    pub(crate) func: CompiledFunc,
    pub(crate) ops: Box<[Op]>,
}

impl Code {
    pub(crate) fn new(mut func: CompiledFunc) -> Code {
        let code = core::mem::take(&mut func.code);
        let targets = jump_targets(&code, &func);
        let mut masks: Vec<u8> = code
            .iter()
            .enumerate()
            .map(|(i, instr)| {
                let passed = match i.checked_sub(1) {
                    Some(prev) if !targets[i] => passed_result(&code[prev]),
                    _ => None,
                };
                reg_inputs_mask(instr, passed)
            })
            .collect();
        for i in 1..code.len() {
            if masks[i] != 0 && result_dies_in_register(&code, &targets, i, masks[i]) {
                masks[i - 1] |= RESULT_IN_REGISTER_ONLY;
            }
        }
        let ops = code
            .iter()
            .zip(&masks)
            .map(|(instr, &mask)| {
                let handler = handler_of(instr, mask);
                let fast = has_fast_handler(instr);
                let mut instr = *instr;
                if let Some(offset) = instr.branch_offset_mut().filter(|_| fast) {
                    *offset = op_bytes(*offset);
                }
                Op { handler, instr }
            })
            .collect();
        Code { func, ops }
    }
}

/// A branch offset in instructions as a byte offset between [`Op`]s, which
/// the fast branch handlers add to `ip` directly (one addition instead of
/// a multiplication on every taken branch; the slow path's branches keep
/// instruction offsets). Cannot overflow: a function body has at most
/// 7,654,321 bytes, so fewer instructions than that.
fn op_bytes(offset: i32) -> i32 {
    offset * core::mem::size_of::<Op>() as i32
}

/// Which instructions execution can reach other than from the one before:
/// branch targets (`br_table` arms are `Br`s) and exception handlers.
fn jump_targets(code: &[Instr], func: &CompiledFunc) -> Vec<bool> {
    let mut targets = vec![false; code.len() + 1];
    for (i, instr) in code.iter().enumerate() {
        if let Some(&mut offset) = { *instr }.branch_offset_mut()
            && let Some(t) = i.checked_add_signed(offset as isize).filter(|&t| t < targets.len())
        {
            targets[t] = true;
        }
    }
    for catch in func.handlers.iter().flat_map(|h| h.catches.iter()) {
        if let Some(t) = targets.get_mut(catch.target as usize) {
            *t = true;
        }
    }
    targets
}

/// The result `prev` hands its successor in a register, if its handler
/// does: every fast handler of an instruction with a `reg_result` does,
/// through `output!`; the slow path does not.
fn passed_result(prev: &Instr) -> Option<(mote_ir::Slot, mote_ir::RegClass)> {
    if uses_other_memory(prev) || !has_fast_handler(prev) {
        return None;
    }
    prev.reg_result()
}

/// Whether `instr` runs in a handler of its own (every input mask has one)
/// rather than on the slow path.
fn has_fast_handler(instr: &Instr) -> bool {
    simple_ops::handler(instr, 0).is_some()
        || control_ops::handler(instr, 0).is_some()
        || latch_ops::handler(instr, 0).is_some()
        || load_branch_ops::handler(instr, 0).is_some()
}

/// Which inputs of `instr` (bit 0: first, bit 1: second) to take from the
/// register `passed` arrives in.
fn reg_inputs_mask(instr: &Instr, passed: Option<(mote_ir::Slot, mote_ir::RegClass)>) -> u8 {
    let Some(passed) = passed else { return 0 };
    if uses_other_memory(instr) {
        return 0;
    }
    let [first, second] = instr.reg_inputs();
    (first == Some(passed)) as u8 | ((second == Some(passed)) as u8) << 1
}

/// Handler mask bit: the result goes to the register only, not to its slot.
const RESULT_IN_REGISTER_ONLY: u8 = 4;

/// How far [`result_dies_in_register`] looks for the next write of a slot.
const DEAD_RESULT_SCAN: usize = 16;

/// Whether the result that instruction `i - 1` passes to instruction `i`
/// (which takes it with input `mask`) is read by nothing else, so that its
/// slot need not be written: `i` reads that slot only through the
/// register, and on the straight line after `i` the slot is written again
/// before any read, branch, call or label. Anything unknown keeps the write.
fn result_dies_in_register(code: &[Instr], targets: &[bool], i: usize, mask: u8) -> bool {
    let Some((slot, _)) = code[i - 1].reg_result() else {
        return false;
    };
    let consumer = &code[i];
    if !has_fast_handler(consumer) {
        return false;
    }
    let Some((reads, n)) = consumer.slot_reads() else {
        return false;
    };
    if reads[..n].iter().filter(|&&r| r == slot).count() != (mask & 3).count_ones() as usize {
        return false;
    }
    let writes = |instr: &Instr| { *instr }.result_slot_mut().is_some_and(|d| *d == slot);
    if writes(consumer) {
        return true;
    }
    for j in i + 1..code.len().min(i + 1 + DEAD_RESULT_SCAN) {
        if targets[j] {
            return false;
        }
        match code[j].slot_reads() {
            Some((reads, n)) if !reads[..n].contains(&slot) => {}
            _ => return false,
        }
        if writes(&code[j]) {
            return true;
        }
    }
    false
}

/// The handler of an instruction that takes the inputs in `mask` from the
/// previous instruction's result register.
fn handler_of(instr: &Instr, mask: u8) -> Handler {
    simple_ops::handler(instr, mask)
        .or_else(|| control_ops::handler(instr, mask))
        .or_else(|| latch_ops::handler(instr, mask))
        .or_else(|| load_branch_ops::handler(instr, mask))
        .unwrap_or(slow)
}

/// Whether `instr` loads from or stores to a memory other than memory 0.
pub(super) fn uses_other_memory(instr: &Instr) -> bool {
    instr.memory().is_some_and(|m| m != 0)
}

/// Why threaded execution stopped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub(super) enum Exit {
    /// Trampoline mode only: run the handler at `Ctx::ip`.
    Continue,
    /// The instruction at `Ctx::ip` has no handler of its own.
    Slow,
    /// The entry frame returned.
    Return,
    /// Trap with `Ctx::trap`.
    Trap,
}

/// The interpreter state that handlers do not keep in registers, and the
/// registers themselves whenever execution leaves the handlers.
pub(super) struct Ctx {
    /// Re-derived from the executor's `&mut StoreInner` at every entry.
    pub(super) store: *mut StoreInner,
    pub(super) ip: *const Op,
    pub(super) fp: *mut u64,
    pub(super) mem: MemView,
    pub(super) inst: u32,
    /// `inst`'s direct-call targets (its `callees`).
    pub(super) callees: *mut super::CallTarget,
    pub(super) cur_func: u32,
    pub(super) code: *const Code,
    /// Memory growths in this activation (see `CallFrame::grows`).
    pub(super) grows: u32,
    /// The store's fuel while handlers run (written back when they stop).
    pub(super) fuel: u64,
    pub(super) entry_depth: usize,
    pub(super) stack_base: *mut u64,
    pub(super) stack_len: usize,
    pub(super) trap: TrapCode,
    /// Trampoline mode only: the result registers between two handlers.
    pub(super) regs: Regs,
}

/// Jumps to the handler of the instruction at `$ip`.
#[cfg(all(
    not(debug_assertions),
    not(feature = "trampoline"),
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
macro_rules! dispatch {
    ($ip:expr, $fp:expr, $base:expr, $len:expr, $ctx:expr) => {
        dispatch!($ip, $fp, $base, $len, $ctx, $crate::exec::slots::Regs::ZERO)
    };
    ($ip:expr, $fp:expr, $base:expr, $len:expr, $ctx:expr, $regs:expr) => {{
        let ip: *const $crate::exec::dispatch::Op = $ip;
        let regs: $crate::exec::slots::Regs = $regs;
        // SAFETY: `ip` is an instruction of the running function (branch
        // targets and successors are, by translation).
        return unsafe { ((*ip).handler)(ip, $fp, $base, $len, $ctx, regs.int, regs.f64, regs.f32) };
    }};
}

/// Returns to the trampoline in [`enter`], which runs the handler at `$ip`.
#[cfg(not(all(
    not(debug_assertions),
    not(feature = "trampoline"),
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
macro_rules! dispatch {
    ($ip:expr, $fp:expr, $base:expr, $len:expr, $ctx:expr) => {
        dispatch!($ip, $fp, $base, $len, $ctx, $crate::exec::slots::Regs::ZERO)
    };
    ($ip:expr, $fp:expr, $base:expr, $len:expr, $ctx:expr, $regs:expr) => {{
        let ctx: &mut $crate::exec::dispatch::Ctx = $ctx;
        ctx.regs = $regs;
        return $crate::exec::dispatch::leave($ip, $fp, $base, $len, ctx, $crate::exec::dispatch::Exit::Continue);
    }};
}
pub(super) use dispatch;

/// Saves the registers in `ctx` and stops threaded execution with `exit`.
#[inline(always)]
pub(super) fn leave(ip: *const Op, fp: *mut u64, base: *mut u8, len: u64, ctx: &mut Ctx, exit: Exit) -> Exit {
    ctx.ip = ip;
    ctx.fp = fp;
    ctx.mem = MemView { base, len };
    exit
}

/// Stops with trap `code`.
#[cold]
#[inline(never)]
pub(super) fn trap(ip: *const Op, fp: *mut u64, base: *mut u8, len: u64, ctx: &mut Ctx, code: TrapCode) -> Exit {
    ctx.trap = code;
    leave(ip, fp, base, len, ctx, Exit::Trap)
}

/// The handler of every instruction without one of its own.
///
/// # Safety
/// Only called through an `Op`, like every handler.
#[allow(clippy::too_many_arguments)] // the handler signature
pub(super) unsafe fn slow(
    ip: *const Op,
    fp: *mut u64,
    base: *mut u8,
    len: u64,
    ctx: &mut Ctx,
    _: u64,
    _: f64,
    _: f32,
) -> Exit {
    leave(ip, fp, base, len, ctx, Exit::Slow)
}

/// Runs handlers from `ctx.ip` until one stops.
///
/// # Safety
/// `ctx` describes a valid activation: `ip` in the code of `code`, `fp`
/// a frame of that function inside the value stack, `store` live and not
/// otherwise borrowed during the call.
pub(super) unsafe fn enter(ctx: &mut Ctx) -> Exit {
    loop {
        let ip = ctx.ip;
        // SAFETY: forwarded from the caller.
        let Regs { int, f64, f32 } = ctx.regs;
        let exit = unsafe { ((*ip).handler)(ip, ctx.fp, ctx.mem.base, ctx.mem.len, ctx, int, f64, f32) };
        if exit != Exit::Continue {
            return exit;
        }
    }
}
