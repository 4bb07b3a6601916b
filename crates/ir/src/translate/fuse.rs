//! Fusing a comparison with the conditional branch that consumes it:
//! `i32.lt_s; br_if` becomes one `BrI32LtS`, `i32.eqz; if` one `BrIfNez`.

use super::Translator;
use super::stack::{Operand, Src};
use crate::instr::{Instr, Slot};

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

/// A 32-bit comparison of a compare-and-branch, for the loop latches.
#[derive(Clone, Copy)]
enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    /// The comparison with its operands swapped: `a < b` is `b > a`.
    fn swapped(self) -> Cmp {
        use Cmp::*;
        match self {
            Eq => Eq,
            Ne => Ne,
            LtS => GtS,
            LtU => GtU,
            GtS => LtS,
            GtU => LtU,
            LeS => GeS,
            LeU => GeU,
            GeS => LeS,
            GeU => LeU,
        }
    }
}

/// How a loop latch steps its counter.
#[derive(Clone, Copy)]
enum Step {
    Imm(i32),
    Slot(Slot),
}

/// What a conditional branch compares: two slots, a slot and an immediate,
/// or a slot and zero (`BrIfNez` / `BrIfEqz`, as `Ne` / `Eq`).
enum Limit {
    Slot(Slot),
    Imm(i32),
    Zero,
}

macro_rules! latch_table {
    ($($cmp:ident: $br:ident, $bri:ident, $step:ident, $stepi:ident, $add:ident, $load:ident;)*) => {
        /// The comparison, operands and limit of a 32-bit conditional
        /// branch, or `None` for other instructions.
        fn branch_parts(branch: Instr) -> Option<(Cmp, Slot, Limit, Slot)> {
            // (cmp, lhs, rhs as limit, rhs slot or lhs itself for immediates)
            match branch {
                $(Instr::$br { lhs, rhs, .. } => Some((Cmp::$cmp, lhs, Limit::Slot(rhs), rhs)),)*
                $(Instr::$bri { lhs, imm, .. } => Some((Cmp::$cmp, lhs, Limit::Imm(imm), lhs)),)*
                Instr::BrIfNez { cond, .. } => Some((Cmp::Ne, cond, Limit::Zero, cond)),
                Instr::BrIfEqz { cond, .. } => Some((Cmp::Eq, cond, Limit::Zero, cond)),
                _ => None,
            }
        }

        /// The latch instruction for `slot += step; if slot cmp limit`, if
        /// the instruction set has one.
        fn latch(cmp: Cmp, slot: Slot, step: Step, limit: Limit) -> Option<Instr> {
            let offset = 0;
            Some(match (cmp, step, limit) {
                (Cmp::Ne, Step::Imm(step), Limit::Zero) => Instr::I32StepBrNez { slot, step, offset },
                (Cmp::Eq, Step::Imm(step), Limit::Zero) => Instr::I32StepBrEqz { slot, step, offset },
                $((Cmp::$cmp, Step::Imm(step), Limit::Slot(limit)) => Instr::$step { slot, limit, step, offset },)*
                $((Cmp::$cmp, Step::Imm(step), Limit::Imm(limit)) => Instr::$stepi { slot, step, limit, offset },)*
                $((Cmp::$cmp, Step::Slot(step), Limit::Slot(limit)) => Instr::$add { slot, step, limit, offset },)*
                _ => return None,
            })
        }

        /// `dst = memory[0][addr + disp]`, then branch if `dst cmp rhs`.
        fn load_branch(cmp: Cmp, dst: Slot, addr: Slot, disp: u32, rhs: Slot) -> Instr {
            let offset = 0;
            match cmp {
                $(Cmp::$cmp => Instr::$load { dst, addr, rhs, disp, offset },)*
            }
        }
    };
}

latch_table! {
    Eq: BrI32Eq, BrI32EqImm, I32StepBrEq, I32StepBrEqImm, I32AddBrEq, I32LoadBrEq;
    Ne: BrI32Ne, BrI32NeImm, I32StepBrNe, I32StepBrNeImm, I32AddBrNe, I32LoadBrNe;
    LtS: BrI32LtS, BrI32LtSImm, I32StepBrLtS, I32StepBrLtSImm, I32AddBrLtS, I32LoadBrLtS;
    LtU: BrI32LtU, BrI32LtUImm, I32StepBrLtU, I32StepBrLtUImm, I32AddBrLtU, I32LoadBrLtU;
    GtS: BrI32GtS, BrI32GtSImm, I32StepBrGtS, I32StepBrGtSImm, I32AddBrGtS, I32LoadBrGtS;
    GtU: BrI32GtU, BrI32GtUImm, I32StepBrGtU, I32StepBrGtUImm, I32AddBrGtU, I32LoadBrGtU;
    LeS: BrI32LeS, BrI32LeSImm, I32StepBrLeS, I32StepBrLeSImm, I32AddBrLeS, I32LoadBrLeS;
    LeU: BrI32LeU, BrI32LeUImm, I32StepBrLeU, I32StepBrLeUImm, I32AddBrLeU, I32LoadBrLeU;
    GeS: BrI32GeS, BrI32GeSImm, I32StepBrGeS, I32StepBrGeSImm, I32AddBrGeS, I32LoadBrGeS;
    GeU: BrI32GeU, BrI32GeUImm, I32StepBrGeU, I32StepBrGeUImm, I32AddBrGeU, I32LoadBrGeU;
}

/// `step` (an in-place 32-bit add) and the conditional `branch` after it
/// as one loop latch, when the branch compares the stepped slot.
fn fused_latch(step: Instr, branch: Instr) -> Option<Instr> {
    let (slot, by) = match step {
        Instr::I32AddImm { dst, lhs, imm } if dst == lhs => (dst, Step::Imm(imm)),
        Instr::I32Add { dst, lhs, rhs } if dst == lhs && rhs != dst => (dst, Step::Slot(rhs)),
        Instr::I32Add { dst, lhs, rhs } if dst == rhs && lhs != dst => (dst, Step::Slot(lhs)),
        _ => return None,
    };
    let (cmp, lhs, limit, rhs) = branch_parts(branch)?;
    match limit {
        Limit::Slot(_) if lhs == slot && rhs == slot => None,
        Limit::Slot(rhs) if lhs == slot => latch(cmp, slot, by, Limit::Slot(rhs)),
        Limit::Slot(_) if rhs == slot => latch(cmp.swapped(), slot, by, Limit::Slot(lhs)),
        Limit::Imm(_) | Limit::Zero if lhs == slot => latch(cmp, slot, by, limit),
        _ => None,
    }
}

impl Translator<'_> {
    /// Emits a conditional branch, fused with the in-place add before it
    /// into one loop latch (`i += step; if i < n goto loop`) when it
    /// compares the added slot and no label separates the two: a latch
    /// saves one dispatch per iteration of most counted loops. Likewise
    /// with a 32-bit load before it whose value it compares, from memory 0
    /// when that is a 32-bit memory (so the fused handler's bounds check
    /// is one comparison).
    pub(super) fn emit_conditional(&mut self, branch: Instr) -> usize {
        let len = self.code.len();
        let region_pending = matches!(self.fuel, Some((None, _)));
        if self.label_at != Some(len)
            && !region_pending
            && let Some(&step) = self.code.last()
            && let Some(latch) = fused_latch(step, branch)
        {
            self.code.pop();
            return self.emit(latch);
        }
        let memory32 = self.info.memories.first().is_some_and(|m| !m.memory64);
        if self.label_at != Some(len)
            && !region_pending
            && memory32
            && let Some(&load) = self.code.last()
            && let Some(fused) = fused_load_branch(load, branch)
        {
            self.code.pop();
            return self.emit(fused);
        }
        self.emit(branch)
    }
}

/// `load` (a 32-bit load from memory 0) and the conditional `branch` after
/// it as one instruction, when the branch compares the loaded value with
/// a slot: `while (a[i] < pivot)` then takes one dispatch for the load and
/// the test.
fn fused_load_branch(load: Instr, branch: Instr) -> Option<Instr> {
    let Instr::I32Load {
        dst,
        addr,
        mem: 0,
        offset: disp,
    } = load
    else {
        return None;
    };
    let (cmp, lhs, Limit::Slot(rhs), _) = branch_parts(branch)? else {
        return None;
    };
    if lhs == dst {
        Some(load_branch(cmp, dst, addr, disp, rhs))
    } else if rhs == dst {
        Some(load_branch(cmp.swapped(), dst, addr, disp, lhs))
    } else {
        None
    }
}

/// `op` (a float add, subtract or multiply) with `load` (a plain or `At`
/// load from memory 0) as its right operand and `other` as its left.
fn load_op(op: Instr, load: Instr, other: Slot) -> Option<Instr> {
    macro_rules! forms {
        ($(($op:ident, $load:ident, $fused:ident, $load_at:ident, $fused_at:ident)),* $(,)?) => {
            match (op, load) {
                $((Instr::$op { dst, .. }, Instr::$load { addr, mem: 0, offset, .. }) => {
                    Instr::$fused { dst, lhs: other, addr, offset }
                })*
                $((Instr::$op { dst, .. }, Instr::$load_at { addr, imm, offset, .. }) => {
                    Instr::$fused_at { dst, lhs: other, addr, imm, offset }
                })*
                _ => return None,
            }
        };
    }
    Some(forms!(
        (F32Add, F32Load, F32AddLoad, F32LoadAt, F32AddLoadAt),
        (F32Sub, F32Load, F32SubLoad, F32LoadAt, F32SubLoadAt),
        (F32Mul, F32Load, F32MulLoad, F32LoadAt, F32MulLoadAt),
        (F64Add, F64Load, F64AddLoad, F64LoadAt, F64AddLoadAt),
        (F64Sub, F64Load, F64SubLoad, F64LoadAt, F64SubLoadAt),
        (F64Mul, F64Load, F64MulLoad, F64LoadAt, F64MulLoadAt),
    ))
}

impl Translator<'_> {
    /// `instr`, a binary operator whose operands were `lhs` and `rhs`, with
    /// the load that produced one of them (the last instruction, `last`)
    /// folded in: `x * mem[p]` as one instruction, as float code indexes
    /// arrays. The loaded value must be the right operand, or either for
    /// addition and multiplication, which commute (up to which NaN payload
    /// a NaN result carries, which wasm leaves open). Pops the load.
    pub(super) fn fuse_load_operand(
        &mut self,
        last: Option<usize>,
        instr: Instr,
        (lhs, lhs_slot): (Operand, Slot),
        (rhs, rhs_slot): (Operand, Slot),
    ) -> Option<Instr> {
        let at = last.filter(|&at| at + 1 == self.code.len())?;
        let loaded = { self.code[at] }.result_slot_mut().copied()?;
        let commutes = matches!(
            instr,
            Instr::F32Add { .. } | Instr::F32Mul { .. } | Instr::F64Add { .. } | Instr::F64Mul { .. }
        );
        let is_load = |op: Operand| op.src == Src::Temp && op.slot == loaded;
        let other = if is_load(rhs) && !is_load(lhs) {
            lhs_slot
        } else if commutes && is_load(lhs) && !is_load(rhs) {
            rhs_slot
        } else {
            return None;
        };
        let fused = load_op(instr, self.code[at], other)?;
        self.code.pop();
        self.last_result = None;
        Some(fused)
    }
}

impl Translator<'_> {
    /// Joins the in-place addition at `at`, the last instruction, with an
    /// in-place addition to another slot right before it into one
    /// `I32AddImm2` (`i++; p += 4`), unless a label separates them.
    pub(super) fn join_in_place_adds(&mut self, at: usize) {
        if at + 1 != self.code.len() || at == 0 || self.label_at == Some(at) {
            return;
        }
        if let (
            Instr::I32AddImm {
                dst: a,
                lhs: la,
                imm: imm_a,
            },
            Instr::I32AddImm {
                dst: b,
                lhs: lb,
                imm: imm_b,
            },
        ) = (self.code[at - 1], self.code[at])
            && a == la
            && b == lb
            && a != b
        {
            self.code.pop();
            self.code[at - 1] = Instr::I32AddImm2 { a, b, imm_a, imm_b };
        }
    }
}

impl Translator<'_> {
    /// `local.set dst` of the local `tee` that the last instruction, an
    /// `I32AddImm`, has just written (`i32.add; local.tee tee; local.set
    /// dst`): the addition writes both locals, so the copy costs no
    /// dispatch of its own. Not when a label lands between the two (a
    /// branch there must run the copy alone) or a fuel charge is due first.
    pub(super) fn add_also_to(&mut self, tee: Slot, dst: Slot) -> bool {
        let len = self.code.len();
        let region_pending = matches!(self.fuel, Some((None, _)));
        if self.label_at == Some(len) || region_pending {
            return false;
        }
        let Some(&Instr::I32AddImm { dst: sum, lhs, imm }) = self.code.last() else {
            return false;
        };
        if sum != tee {
            return false;
        }
        self.code[len - 1] = Instr::I32AddImmTee { dst, lhs, imm, tee };
        self.last_result = None;
        true
    }
}

impl Translator<'_> {
    /// `instr`, an `i32.add` whose operands were `lhs` and `rhs`, with the
    /// shift by a constant that produced one of them (the last
    /// instruction, `last`) folded in: `base + (i << 2)` as one
    /// instruction, as compilers compute array element addresses. Pops the
    /// shift.
    pub(super) fn fuse_shifted_index(
        &mut self,
        last: Option<usize>,
        instr: Instr,
        (lhs, lhs_slot): (Operand, Slot),
        (rhs, rhs_slot): (Operand, Slot),
    ) -> Option<Instr> {
        let Instr::I32Add { dst, .. } = instr else {
            return None;
        };
        let at = last.filter(|&at| at + 1 == self.code.len())?;
        let Instr::I32ShlImm {
            dst: shifted,
            lhs: index,
            imm,
        } = self.code[at]
        else {
            return None;
        };
        let is_shift = |op: Operand| op.src == Src::Temp && op.slot == shifted;
        let base = match (is_shift(lhs), is_shift(rhs)) {
            (false, true) => lhs_slot,
            (true, false) => rhs_slot,
            _ => return None,
        };
        self.code.pop();
        self.last_result = None;
        Some(Instr::I32AddShlImm { dst, base, index, imm })
    }
}
