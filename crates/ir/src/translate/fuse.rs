//! Fusing a comparison with the conditional branch that consumes it:
//! `i32.lt_s; br_if` becomes one `BrI32LtS`, `i32.eqz; if` one `BrIfNez`.

use super::Translator;
use super::stack::{Operand, Src};
use crate::instr::Instr;

macro_rules! fuse_table {
    ($cmp:ident, $negate:ident;
     reg: $(($c:ident, $br:ident, $neg:ident)),* ;
     imm: $(($ci:ident, $bri:ident, $negi:ident)),* $(,)?) => {
        match $cmp {
            $(Instr::$c { lhs, rhs, .. } => Some(if $negate {
                Instr::$neg { lhs, rhs, offset: 0 }
            } else {
                Instr::$br { lhs, rhs, offset: 0 }
            }),)*
            $(Instr::$ci { lhs, imm, .. } => Some(if $negate {
                Instr::$negi { lhs, imm, offset: 0 }
            } else {
                Instr::$bri { lhs, imm, offset: 0 }
            }),)*
            Instr::I32Eqz { src, .. } | Instr::I64Eqz { src, .. } => Some(if $negate {
                Instr::BrIfNez { cond: src, offset: 0 }
            } else {
                Instr::BrIfEqz { cond: src, offset: 0 }
            }),
            _ => None,
        }
    };
}

/// The branch taken when `cmp` (a comparison) is true, or false if
/// `negate`; `None` for other instructions.
fn fused(cmp: Instr, negate: bool) -> Option<Instr> {
    fuse_table!(cmp, negate;
        reg:
        (I32Eq, BrI32Eq, BrI32Ne), (I32Ne, BrI32Ne, BrI32Eq),
        (I32LtS, BrI32LtS, BrI32GeS), (I32LtU, BrI32LtU, BrI32GeU),
        (I32GtS, BrI32GtS, BrI32LeS), (I32GtU, BrI32GtU, BrI32LeU),
        (I32LeS, BrI32LeS, BrI32GtS), (I32LeU, BrI32LeU, BrI32GtU),
        (I32GeS, BrI32GeS, BrI32LtS), (I32GeU, BrI32GeU, BrI32LtU),
        (I64Eq, BrI64Eq, BrI64Ne), (I64Ne, BrI64Ne, BrI64Eq),
        (I64LtS, BrI64LtS, BrI64GeS), (I64LtU, BrI64LtU, BrI64GeU),
        (I64GtS, BrI64GtS, BrI64LeS), (I64GtU, BrI64GtU, BrI64LeU),
        (I64LeS, BrI64LeS, BrI64GtS), (I64LeU, BrI64LeU, BrI64GtU),
        (I64GeS, BrI64GeS, BrI64LtS), (I64GeU, BrI64GeU, BrI64LtU);
        imm:
        (I32EqImm, BrI32EqImm, BrI32NeImm), (I32NeImm, BrI32NeImm, BrI32EqImm),
        (I32LtSImm, BrI32LtSImm, BrI32GeSImm), (I32LtUImm, BrI32LtUImm, BrI32GeUImm),
        (I32GtSImm, BrI32GtSImm, BrI32LeSImm), (I32GtUImm, BrI32GtUImm, BrI32LeUImm),
        (I32LeSImm, BrI32LeSImm, BrI32GtSImm), (I32LeUImm, BrI32LeUImm, BrI32GtUImm),
        (I32GeSImm, BrI32GeSImm, BrI32LtSImm), (I32GeUImm, BrI32GeUImm, BrI32LtUImm),
        (I64EqImm, BrI64EqImm, BrI64NeImm), (I64NeImm, BrI64NeImm, BrI64EqImm),
        (I64LtSImm, BrI64LtSImm, BrI64GeSImm), (I64LtUImm, BrI64LtUImm, BrI64GeUImm),
        (I64GtSImm, BrI64GtSImm, BrI64LeSImm), (I64GtUImm, BrI64GtUImm, BrI64LeUImm),
        (I64LeSImm, BrI64LeSImm, BrI64GtSImm), (I64LeUImm, BrI64LeUImm, BrI64GtUImm),
        (I64GeSImm, BrI64GeSImm, BrI64LtSImm), (I64GeUImm, BrI64GeUImm, BrI64LtUImm),
    )
}

impl Translator<'_> {
    /// Pops a branch condition. Returns the branch taken when it is true and
    /// the one taken when it is false (both with offsets to patch): fused
    /// with the comparison that produced it when that was the last
    /// instruction, otherwise `BrIfNez`/`BrIfEqz` on its slot.
    pub(super) fn pop_condition(&mut self) -> (Instr, Instr) {
        let cond: Operand = self.pop();
        let last = self
            .last_result
            .filter(|&at| at + 1 == self.code.len() && cond.src == Src::Temp);
        if let Some(at) = last {
            let mut cmp = self.code[at];
            let writes_cond = cmp.result_slot_mut().is_some_and(|d| *d == cond.slot);
            if let (true, Some(on_true), Some(on_false)) = (writes_cond, fused(cmp, false), fused(cmp, true)) {
                self.code.pop();
                self.last_result = None;
                return (on_true, on_false);
            }
        }
        let cond = self.use_operand(cond);
        (Instr::BrIfNez { cond, offset: 0 }, Instr::BrIfEqz { cond, offset: 0 })
    }
}
