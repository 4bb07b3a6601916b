//! Numeric operators: constants, integer and float arithmetic,
//! comparisons, conversions (trapping, saturating, sign extension).
//!
//! Cranelift's integer division and float-to-int conversion would trap in
//! hardware; here every trapping case is tested explicitly first (the trap
//! flag scheme has no signal handler), so those instructions only ever run
//! on valid inputs. Float min/max/nearest follow wasm semantics in
//! Cranelift already.

use super::FuncTranslator;
use crate::Error;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Type, Value, types};
use mote_core::TrapCode;
use wasmparser::Operator as O;

/// A signed or unsigned integer division or remainder.
#[derive(Clone, Copy)]
enum DivKind {
    DivS,
    DivU,
    RemS,
    RemU,
}

impl FuncTranslator<'_, '_> {
    fn unop(&mut self, f: impl FnOnce(&mut Self, Value) -> Value) -> Result<(), Error> {
        let x = self.pop()?;
        let v = f(self, x);
        self.push(v);
        Ok(())
    }

    fn binop(&mut self, f: impl FnOnce(&mut Self, Value, Value) -> Value) -> Result<(), Error> {
        let (x, y) = self.pop2()?;
        let v = f(self, x, y);
        self.push(v);
        Ok(())
    }

    fn icmp(&mut self, cc: IntCC) -> Result<(), Error> {
        self.binop(|t, x, y| {
            let c = t.b.ins().icmp(cc, x, y);
            t.b.ins().uextend(types::I32, c)
        })
    }

    fn fcmp(&mut self, cc: FloatCC) -> Result<(), Error> {
        self.binop(|t, x, y| {
            let c = t.b.ins().fcmp(cc, x, y);
            t.b.ins().uextend(types::I32, c)
        })
    }

    fn eqz(&mut self) -> Result<(), Error> {
        self.unop(|t, x| {
            let c = t.b.ins().icmp_imm_s(IntCC::Equal, x, 0);
            t.b.ins().uextend(types::I32, c)
        })
    }

    /// Integer division or remainder with wasm's traps.
    fn div(&mut self, kind: DivKind) -> Result<(), Error> {
        let (x, y) = self.pop2()?;
        let ty = self.b.func.dfg.value_type(y);
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
        self.trap_if(zero, TrapCode::IntegerDivisionByZero);
        let v = match kind {
            DivKind::DivU => self.b.ins().udiv(x, y),
            DivKind::RemU => self.b.ins().urem(x, y),
            DivKind::DivS => {
                let min = if ty == types::I32 { i32::MIN as i64 } else { i64::MIN };
                let is_min = self.b.ins().icmp_imm_s(IntCC::Equal, x, min);
                let is_neg1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let overflow = self.b.ins().band(is_min, is_neg1);
                self.trap_if(overflow, TrapCode::IntegerOverflow);
                self.b.ins().sdiv(x, y)
            }
            DivKind::RemS => {
                // `MIN % -1` is 0 in wasm but faults on x86; `x % 1` is 0 too.
                let is_neg1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let one = self.b.ins().iconst(ty, 1);
                let safe = self.b.ins().select(is_neg1, one, y);
                self.b.ins().srem(x, safe)
            }
        };
        self.push(v);
        Ok(())
    }

    /// A trapping float-to-int conversion: NaN traps as an invalid
    /// conversion, values outside the open interval `(lo, hi)` as overflow.
    fn trunc(&mut self, to: Type, signed: bool) -> Result<(), Error> {
        let x = self.pop()?;
        let from = self.b.func.dfg.value_type(x);
        let nan = self.b.ins().fcmp(FloatCC::Unordered, x, x);
        self.trap_if(nan, TrapCode::BadConversionToInteger);
        let (lo, hi) = trunc_bounds(from, to, signed);
        let (lo, hi) = if from == types::F32 {
            (self.b.ins().f32const(lo as f32), self.b.ins().f32const(hi as f32))
        } else {
            (self.b.ins().f64const(lo), self.b.ins().f64const(hi))
        };
        let above = self.b.ins().fcmp(FloatCC::GreaterThan, x, lo);
        let below = self.b.ins().fcmp(FloatCC::LessThan, x, hi);
        let in_range = self.b.ins().band(above, below);
        self.trap_unless(in_range, TrapCode::IntegerOverflow);
        let v = if signed {
            self.b.ins().fcvt_to_sint_sat(to, x)
        } else {
            self.b.ins().fcvt_to_uint_sat(to, x)
        };
        self.push(v);
        Ok(())
    }

    fn trunc_sat(&mut self, to: Type, signed: bool) -> Result<(), Error> {
        self.unop(|t, x| {
            if signed {
                t.b.ins().fcvt_to_sint_sat(to, x)
            } else {
                t.b.ins().fcvt_to_uint_sat(to, x)
            }
        })
    }

    /// Sign-extends the low `from` bits of the top value within its type.
    fn extend_s(&mut self, from: Type) -> Result<(), Error> {
        self.unop(|t, x| {
            let ty = t.b.func.dfg.value_type(x);
            let low = t.b.ins().ireduce(from, x);
            t.b.ins().sextend(ty, low)
        })
    }

    fn bitcast(&mut self, to: Type) -> Result<(), Error> {
        self.unop(|t, x| t.b.ins().bitcast(to, MemFlagsData::new(), x))
    }

    /// Translates `op` if it is numeric; `Ok(false)` otherwise.
    pub(super) fn numeric_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        use types::{F32, F64, I8, I16, I32, I64};
        match *op {
            O::I32Const { value } => {
                let v = self.b.ins().iconst(I32, i64::from(value));
                self.push(v);
            }
            O::I64Const { value } => {
                let v = self.b.ins().iconst(I64, value);
                self.push(v);
            }
            O::F32Const { value } => {
                let v = self.b.ins().f32const(f32::from_bits(value.bits()));
                self.push(v);
            }
            O::F64Const { value } => {
                let v = self.b.ins().f64const(f64::from_bits(value.bits()));
                self.push(v);
            }
            O::I32Eqz | O::I64Eqz => self.eqz()?,
            O::I32Eq | O::I64Eq => self.icmp(IntCC::Equal)?,
            O::I32Ne | O::I64Ne => self.icmp(IntCC::NotEqual)?,
            O::I32LtS | O::I64LtS => self.icmp(IntCC::SignedLessThan)?,
            O::I32LtU | O::I64LtU => self.icmp(IntCC::UnsignedLessThan)?,
            O::I32GtS | O::I64GtS => self.icmp(IntCC::SignedGreaterThan)?,
            O::I32GtU | O::I64GtU => self.icmp(IntCC::UnsignedGreaterThan)?,
            O::I32LeS | O::I64LeS => self.icmp(IntCC::SignedLessThanOrEqual)?,
            O::I32LeU | O::I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual)?,
            O::I32GeS | O::I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual)?,
            O::I32GeU | O::I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual)?,
            O::F32Eq | O::F64Eq => self.fcmp(FloatCC::Equal)?,
            O::F32Ne | O::F64Ne => self.fcmp(FloatCC::NotEqual)?,
            O::F32Lt | O::F64Lt => self.fcmp(FloatCC::LessThan)?,
            O::F32Gt | O::F64Gt => self.fcmp(FloatCC::GreaterThan)?,
            O::F32Le | O::F64Le => self.fcmp(FloatCC::LessThanOrEqual)?,
            O::F32Ge | O::F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual)?,
            O::I32Clz | O::I64Clz => self.unop(|t, x| t.b.ins().clz(x))?,
            O::I32Ctz | O::I64Ctz => self.unop(|t, x| t.b.ins().ctz(x))?,
            O::I32Popcnt | O::I64Popcnt => self.unop(|t, x| t.b.ins().popcnt(x))?,
            O::I32Add | O::I64Add => self.binop(|t, x, y| t.b.ins().iadd(x, y))?,
            O::I32Sub | O::I64Sub => self.binop(|t, x, y| t.b.ins().isub(x, y))?,
            O::I32Mul | O::I64Mul => self.binop(|t, x, y| t.b.ins().imul(x, y))?,
            O::I32DivS | O::I64DivS => self.div(DivKind::DivS)?,
            O::I32DivU | O::I64DivU => self.div(DivKind::DivU)?,
            O::I32RemS | O::I64RemS => self.div(DivKind::RemS)?,
            O::I32RemU | O::I64RemU => self.div(DivKind::RemU)?,
            O::I32And | O::I64And => self.binop(|t, x, y| t.b.ins().band(x, y))?,
            O::I32Or | O::I64Or => self.binop(|t, x, y| t.b.ins().bor(x, y))?,
            O::I32Xor | O::I64Xor => self.binop(|t, x, y| t.b.ins().bxor(x, y))?,
            O::I32Shl | O::I64Shl => self.binop(|t, x, y| t.b.ins().ishl(x, y))?,
            O::I32ShrS | O::I64ShrS => self.binop(|t, x, y| t.b.ins().sshr(x, y))?,
            O::I32ShrU | O::I64ShrU => self.binop(|t, x, y| t.b.ins().ushr(x, y))?,
            O::I32Rotl | O::I64Rotl => self.binop(|t, x, y| t.b.ins().rotl(x, y))?,
            O::I32Rotr | O::I64Rotr => self.binop(|t, x, y| t.b.ins().rotr(x, y))?,
            O::F32Abs | O::F64Abs => self.unop(|t, x| t.b.ins().fabs(x))?,
            O::F32Neg | O::F64Neg => self.unop(|t, x| t.b.ins().fneg(x))?,
            O::F32Ceil | O::F64Ceil => self.unop(|t, x| t.b.ins().ceil(x))?,
            O::F32Floor | O::F64Floor => self.unop(|t, x| t.b.ins().floor(x))?,
            O::F32Trunc | O::F64Trunc => self.unop(|t, x| t.b.ins().trunc(x))?,
            O::F32Nearest | O::F64Nearest => self.unop(|t, x| t.b.ins().nearest(x))?,
            O::F32Sqrt | O::F64Sqrt => self.unop(|t, x| t.b.ins().sqrt(x))?,
            O::F32Add | O::F64Add => self.binop(|t, x, y| t.b.ins().fadd(x, y))?,
            O::F32Sub | O::F64Sub => self.binop(|t, x, y| t.b.ins().fsub(x, y))?,
            O::F32Mul | O::F64Mul => self.binop(|t, x, y| t.b.ins().fmul(x, y))?,
            O::F32Div | O::F64Div => self.binop(|t, x, y| t.b.ins().fdiv(x, y))?,
            O::F32Min | O::F64Min => self.binop(|t, x, y| t.b.ins().fmin(x, y))?,
            O::F32Max | O::F64Max => self.binop(|t, x, y| t.b.ins().fmax(x, y))?,
            O::F32Copysign | O::F64Copysign => self.binop(|t, x, y| t.b.ins().fcopysign(x, y))?,
            O::I32WrapI64 => self.unop(|t, x| t.b.ins().ireduce(I32, x))?,
            O::I64ExtendI32S => self.unop(|t, x| t.b.ins().sextend(I64, x))?,
            O::I64ExtendI32U => self.unop(|t, x| t.b.ins().uextend(I64, x))?,
            O::I32TruncF32S | O::I32TruncF64S => self.trunc(I32, true)?,
            O::I32TruncF32U | O::I32TruncF64U => self.trunc(I32, false)?,
            O::I64TruncF32S | O::I64TruncF64S => self.trunc(I64, true)?,
            O::I64TruncF32U | O::I64TruncF64U => self.trunc(I64, false)?,
            O::I32TruncSatF32S | O::I32TruncSatF64S => self.trunc_sat(I32, true)?,
            O::I32TruncSatF32U | O::I32TruncSatF64U => self.trunc_sat(I32, false)?,
            O::I64TruncSatF32S | O::I64TruncSatF64S => self.trunc_sat(I64, true)?,
            O::I64TruncSatF32U | O::I64TruncSatF64U => self.trunc_sat(I64, false)?,
            O::F32ConvertI32S | O::F32ConvertI64S => self.unop(|t, x| t.b.ins().fcvt_from_sint(F32, x))?,
            O::F32ConvertI32U | O::F32ConvertI64U => self.unop(|t, x| t.b.ins().fcvt_from_uint(F32, x))?,
            O::F64ConvertI32S | O::F64ConvertI64S => self.unop(|t, x| t.b.ins().fcvt_from_sint(F64, x))?,
            O::F64ConvertI32U | O::F64ConvertI64U => self.unop(|t, x| t.b.ins().fcvt_from_uint(F64, x))?,
            O::F32DemoteF64 => self.unop(|t, x| t.b.ins().fdemote(F32, x))?,
            O::F64PromoteF32 => self.unop(|t, x| t.b.ins().fpromote(F64, x))?,
            O::I32ReinterpretF32 => self.bitcast(I32)?,
            O::I64ReinterpretF64 => self.bitcast(I64)?,
            O::F32ReinterpretI32 => self.bitcast(F32)?,
            O::F64ReinterpretI64 => self.bitcast(F64)?,
            O::I32Extend8S | O::I64Extend8S => self.extend_s(I8)?,
            O::I32Extend16S | O::I64Extend16S => self.extend_s(I16)?,
            O::I64Extend32S => self.extend_s(I32)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The exclusive bounds `(lo, hi)` of floats that convert to `to` without
/// overflow, each exactly representable in `from`.
fn trunc_bounds(from: Type, to: Type, signed: bool) -> (f64, f64) {
    match (signed, to, from) {
        (true, types::I32, types::F32) => (-2147483904.0, 2147483648.0),
        (true, types::I32, _) => (-2147483649.0, 2147483648.0),
        (false, types::I32, _) => (-1.0, 4294967296.0),
        (true, _, types::F32) => (-9223373136366403584.0, 9223372036854775808.0),
        (true, _, _) => (-9223372036854777856.0, 9223372036854775808.0),
        (false, _, _) => (-1.0, 18446744073709551616.0),
    }
}
