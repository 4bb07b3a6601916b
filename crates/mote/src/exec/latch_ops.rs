//! Handlers of the loop latches: `slot += step`, then a compare-and-branch
//! on the stepped slot, in one dispatch (see `mote_ir`'s `fuse.rs`). The
//! counter is read from and written to its slot; latches neither take nor
//! pass a result register, so the registers flow through unchanged.

use super::dispatch::{Ctx, Exit, Handler, Op, dispatch, uses_other_memory};
use super::slots::*;
use mote_ir::Instr;

/// An operand of a latch: an immediate, or a slot read as `u32` or `i32`.
macro_rules! value {
    ($fp:ident, imm $v:ident as $t:ty) => {
        $v as $t
    };
    ($fp:ident, slot $s:ident as u32) => {
        // SAFETY: slots per the module contract.
        unsafe { get_u32($fp, $s) }
    };
    ($fp:ident, slot $s:ident as i32) => {
        // SAFETY: slots per the module contract.
        unsafe { get_i32($fp, $s) }
    };
}

/// `slot += step` (wrapping at 32 bits), then branch by `offset` if the new
/// value, as `$t`, compares `$op` to the limit; `branch!` and `next!` are
/// the handler's own (see `handler_macros.rs`).
macro_rules! latch {
    ($fp:ident, $slot:ident += $sk:ident $step:ident; $op:tt $lk:ident $limit:ident as $t:tt; $offset:ident) => {{
        // SAFETY: slots per the module contract.
        let v = unsafe { get_u32($fp, $slot) }.wrapping_add(value!($fp, $sk $step as u32));
        // SAFETY: as above.
        unsafe { set_u32($fp, $slot, v) };
        if (v as $t) $op value!($fp, $lk $limit as $t) {
            branch!($offset)
        }
        next!()
    }};
}

handlers! {
    ($ ip, fp, mem_base, mem_len, ctx)
    Instr::I32StepBrNez { slot, step, offset } => {
        let zero = 0;
        latch!(fp, slot += imm step; != imm zero as u32; offset)
    },
    Instr::I32StepBrEqz { slot, step, offset } => {
        let zero = 0;
        latch!(fp, slot += imm step; == imm zero as u32; offset)
    },
    Instr::I32StepBrEq { slot, limit, step, offset } => latch!(fp, slot += imm step; == slot limit as u32; offset),
    Instr::I32StepBrNe { slot, limit, step, offset } => latch!(fp, slot += imm step; != slot limit as u32; offset),
    Instr::I32StepBrLtS { slot, limit, step, offset } => latch!(fp, slot += imm step; < slot limit as i32; offset),
    Instr::I32StepBrLtU { slot, limit, step, offset } => latch!(fp, slot += imm step; < slot limit as u32; offset),
    Instr::I32StepBrGtS { slot, limit, step, offset } => latch!(fp, slot += imm step; > slot limit as i32; offset),
    Instr::I32StepBrGtU { slot, limit, step, offset } => latch!(fp, slot += imm step; > slot limit as u32; offset),
    Instr::I32StepBrLeS { slot, limit, step, offset } => latch!(fp, slot += imm step; <= slot limit as i32; offset),
    Instr::I32StepBrLeU { slot, limit, step, offset } => latch!(fp, slot += imm step; <= slot limit as u32; offset),
    Instr::I32StepBrGeS { slot, limit, step, offset } => latch!(fp, slot += imm step; >= slot limit as i32; offset),
    Instr::I32StepBrGeU { slot, limit, step, offset } => latch!(fp, slot += imm step; >= slot limit as u32; offset),
    Instr::I32StepBrEqImm { slot, step, limit, offset } => latch!(fp, slot += imm step; == imm limit as u32; offset),
    Instr::I32StepBrNeImm { slot, step, limit, offset } => latch!(fp, slot += imm step; != imm limit as u32; offset),
    Instr::I32StepBrLtSImm { slot, step, limit, offset } => latch!(fp, slot += imm step; < imm limit as i32; offset),
    Instr::I32StepBrLtUImm { slot, step, limit, offset } => latch!(fp, slot += imm step; < imm limit as u32; offset),
    Instr::I32StepBrGtSImm { slot, step, limit, offset } => latch!(fp, slot += imm step; > imm limit as i32; offset),
    Instr::I32StepBrGtUImm { slot, step, limit, offset } => latch!(fp, slot += imm step; > imm limit as u32; offset),
    Instr::I32StepBrLeSImm { slot, step, limit, offset } => latch!(fp, slot += imm step; <= imm limit as i32; offset),
    Instr::I32StepBrLeUImm { slot, step, limit, offset } => latch!(fp, slot += imm step; <= imm limit as u32; offset),
    Instr::I32StepBrGeSImm { slot, step, limit, offset } => latch!(fp, slot += imm step; >= imm limit as i32; offset),
    Instr::I32StepBrGeUImm { slot, step, limit, offset } => latch!(fp, slot += imm step; >= imm limit as u32; offset),
    Instr::I32AddBrEq { slot, step, limit, offset } => latch!(fp, slot += slot step; == slot limit as u32; offset),
    Instr::I32AddBrNe { slot, step, limit, offset } => latch!(fp, slot += slot step; != slot limit as u32; offset),
    Instr::I32AddBrLtS { slot, step, limit, offset } => latch!(fp, slot += slot step; < slot limit as i32; offset),
    Instr::I32AddBrLtU { slot, step, limit, offset } => latch!(fp, slot += slot step; < slot limit as u32; offset),
    Instr::I32AddBrGtS { slot, step, limit, offset } => latch!(fp, slot += slot step; > slot limit as i32; offset),
    Instr::I32AddBrGtU { slot, step, limit, offset } => latch!(fp, slot += slot step; > slot limit as u32; offset),
    Instr::I32AddBrLeS { slot, step, limit, offset } => latch!(fp, slot += slot step; <= slot limit as i32; offset),
    Instr::I32AddBrLeU { slot, step, limit, offset } => latch!(fp, slot += slot step; <= slot limit as u32; offset),
    Instr::I32AddBrGeS { slot, step, limit, offset } => latch!(fp, slot += slot step; >= slot limit as i32; offset),
    Instr::I32AddBrGeU { slot, step, limit, offset } => latch!(fp, slot += slot step; >= slot limit as u32; offset),
}
