//! Numeric operators: one instruction each, reading operands in place.

use super::Translator;
use super::stack::{Operand, Src};
use crate::instr::{Instr, Slot};
use mote_environ::CompileError;
use mote_environ::wasmparser::Operator as O;

macro_rules! numeric {
    ($self:ident, $op:ident, binary: [$($b:ident),* $(,)?], unary: [$($u:ident),* $(,)?]) => {
        match $op {
            $(O::$b => $self.binary(|dst, lhs, rhs| Instr::$b { dst, lhs, rhs }),)*
            $(O::$u => $self.unary(|dst, src| Instr::$u { dst, src }),)*
            _ => return Ok(false),
        }
    };
}

/// A binary operator with an immediate form: `(imm form, imm form with the
/// operands swapped (for a constant left operand), whether to negate the
/// immediate)`.
type ImmForm = (fn(Slot, Slot, i32) -> Instr, Option<fn(Slot, Slot, i32) -> Instr>, bool);

macro_rules! imm_forms {
    (@swap) => { None };
    (@swap $swap:ident) => {
        Some((|dst, lhs, imm| Instr::$swap { dst, lhs, imm }) as fn(Slot, Slot, i32) -> Instr)
    };
    ($op:ident; $(
        $name:ident => $imm:ident $(swap $swap:ident)? $(neg $neg:tt)?
    ),* $(,)?) => {
        match $op {
            $(O::$name => {
                let swap: Option<fn(Slot, Slot, i32) -> Instr> = imm_forms!(@swap $($swap)?);
                let neg = false $(|| $neg)?;
                Some(((|dst, lhs, imm| Instr::$imm { dst, lhs, imm }) as fn(Slot, Slot, i32) -> Instr, swap, neg))
            })*
            _ => None,
        }
    };
}

/// The immediate forms of `op`, and whether it is a 64-bit operator.
pub(super) fn imm_form(op: &O<'_>) -> Option<(ImmForm, bool)> {
    let i32_form = imm_forms!(op;
        I32Add => I32AddImm swap I32AddImm, I32Sub => I32AddImm neg true, I32Mul => I32MulImm swap I32MulImm,
        I32And => I32AndImm swap I32AndImm, I32Or => I32OrImm swap I32OrImm, I32Xor => I32XorImm swap I32XorImm,
        I32Shl => I32ShlImm, I32ShrS => I32ShrSImm, I32ShrU => I32ShrUImm,
        I32Rotl => I32RotlImm, I32Rotr => I32RotlImm neg true,
        I32Eq => I32EqImm swap I32EqImm, I32Ne => I32NeImm swap I32NeImm,
        I32LtS => I32LtSImm swap I32GtSImm, I32LtU => I32LtUImm swap I32GtUImm,
        I32GtS => I32GtSImm swap I32LtSImm, I32GtU => I32GtUImm swap I32LtUImm,
        I32LeS => I32LeSImm swap I32GeSImm, I32LeU => I32LeUImm swap I32GeUImm,
        I32GeS => I32GeSImm swap I32LeSImm, I32GeU => I32GeUImm swap I32LeUImm,
    );
    if let Some(form) = i32_form {
        return Some((form, false));
    }
    imm_forms!(op;
        I64Add => I64AddImm swap I64AddImm, I64Sub => I64AddImm neg true, I64Mul => I64MulImm swap I64MulImm,
        I64And => I64AndImm swap I64AndImm, I64Or => I64OrImm swap I64OrImm, I64Xor => I64XorImm swap I64XorImm,
        I64Shl => I64ShlImm, I64ShrS => I64ShrSImm, I64ShrU => I64ShrUImm,
        I64Rotl => I64RotlImm, I64Rotr => I64RotlImm neg true,
        I64Eq => I64EqImm swap I64EqImm, I64Ne => I64NeImm swap I64NeImm,
        I64LtS => I64LtSImm swap I64GtSImm, I64LtU => I64LtUImm swap I64GtUImm,
        I64GtS => I64GtSImm swap I64LtSImm, I64GtU => I64GtUImm swap I64LtUImm,
        I64LeS => I64LeSImm swap I64GeSImm, I64LeU => I64LeUImm swap I64GeUImm,
        I64GeS => I64GeSImm swap I64LeSImm, I64GeU => I64GeUImm swap I64LeUImm,
    )
    .map(|form| (form, true))
}

/// A constant operand as an immediate: any `i32`, or an `i64` that is a
/// sign-extended `i32`.
fn immediate(op: &Operand, is64: bool, neg: bool) -> Option<i32> {
    let Src::Const(v) = op.src else { return None };
    let imm = if is64 {
        let v = v as i64;
        i32::try_from(v).ok()?
    } else {
        v as u32 as i32
    };
    if !neg {
        return Some(imm);
    }
    // `x - MIN` needs `+ 2^31`, which a sign-extended i32 cannot say for i64.
    if is64 && imm == i32::MIN {
        None
    } else {
        Some(imm.wrapping_neg())
    }
}

impl Translator<'_> {
    /// Emits `op` with an immediate operand when one operand is a constant
    /// that fits. Returns `false` if it emitted nothing.
    fn binary_imm(&mut self, op: &O<'_>) -> bool {
        let Some(((imm_form, swapped, neg), is64)) = imm_form(op) else {
            return false;
        };
        let n = self.stack.len();
        let (lhs, rhs) = (self.stack[n - 2], self.stack[n - 1]);
        let (form, reg, imm) = match (
            immediate(&rhs, is64, neg),
            swapped.and_then(|s| Some((s, immediate(&lhs, is64, false)?))),
        ) {
            (Some(imm), _) if !matches!(lhs.src, Src::Const(_)) => (imm_form, lhs, imm),
            (_, Some((swap, imm))) if !matches!(rhs.src, Src::Const(_)) => (swap, rhs, imm),
            _ => return false,
        };
        self.pop();
        self.pop();
        let reg = self.use_operand(reg);
        let dst = self.next_slot();
        self.emit_result(form(dst, reg, imm), 1);
        true
    }

    /// Integer and float operators. Returns `false` for other operators.
    pub(super) fn numeric_op(&mut self, op: &O<'_>) -> Result<bool, CompileError> {
        if self.binary_imm(op) {
            return Ok(true);
        }
        numeric!(self, op,
            binary: [
                I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
                I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
                F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
                F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
                I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
                I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
                I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
                I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
                F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
                F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
            ],
            unary: [
                I32Eqz, I64Eqz, I32Clz, I32Ctz, I32Popcnt, I64Clz, I64Ctz, I64Popcnt,
                F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
                F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
                I32WrapI64, I64ExtendI32S, I64ExtendI32U,
                I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
                I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
                F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
                F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
                I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
                I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
                I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
            ]
        );
        Ok(true)
    }
}
