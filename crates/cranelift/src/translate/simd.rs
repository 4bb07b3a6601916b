//! Fixed-width and relaxed SIMD. A `v128` travels as `i8x16` (in locals,
//! block parameters, calls); each operator views its operands in its lane
//! type with a free `bitcast` and hands its result back as `i8x16`.
//!
//! Most operators map to one Cranelift instruction with wasm semantics
//! (`fmin`/`fmax`, saturating narrows, `swizzle`, shift counts taken
//! modulo the lane width). Relaxed operators take their deterministic
//! counterparts (unfused multiply-add, saturating truncation), one of the
//! results the proposal allows.

use super::FuncTranslator;
use crate::Error;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{Endianness, InstBuilder, MemFlagsData, Type, Value, types};
use wasmparser::Operator as O;

use types::{F32X4, F64X2, I8, I8X16, I16, I16X8, I32, I32X4, I64, I64X2};

fn lanes_flags() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

impl FuncTranslator<'_, '_> {
    /// `v` viewed as `ty` (a no-op when it already is).
    fn view(&mut self, ty: Type, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == ty {
            v
        } else {
            self.b.ins().bitcast(ty, lanes_flags(), v)
        }
    }

    /// Pushes a vector result as `i8x16`.
    fn push_v128(&mut self, v: Value) {
        let v = self.view(I8X16, v);
        self.push(v);
    }

    fn pop_as(&mut self, ty: Type) -> Result<Value, Error> {
        let v = self.pop()?;
        Ok(self.view(ty, v))
    }

    fn v_unop(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value) -> Value) -> Result<(), Error> {
        let x = self.pop_as(ty)?;
        let v = f(self, x);
        self.push_v128(v);
        Ok(())
    }

    fn v_binop(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value, Value) -> Value) -> Result<(), Error> {
        let y = self.pop_as(ty)?;
        let x = self.pop_as(ty)?;
        let v = f(self, x, y);
        self.push_v128(v);
        Ok(())
    }

    fn v_icmp(&mut self, ty: Type, cc: IntCC) -> Result<(), Error> {
        self.v_binop(ty, |t, x, y| t.b.ins().icmp(cc, x, y))
    }

    fn v_fcmp(&mut self, ty: Type, cc: FloatCC) -> Result<(), Error> {
        self.v_binop(ty, |t, x, y| t.b.ins().fcmp(cc, x, y))
    }

    /// A shift of every lane by a scalar count.
    fn v_shift(&mut self, ty: Type, op: fn(&mut Self, Value, Value) -> Value) -> Result<(), Error> {
        let count = self.pop()?;
        let x = self.pop_as(ty)?;
        let v = op(self, x, count);
        self.push_v128(v);
        Ok(())
    }

    /// A reduction to an `i32` (`any_true`, `all_true`, `bitmask`).
    fn v_reduce(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value) -> Value) -> Result<(), Error> {
        let x = self.pop_as(ty)?;
        let v = f(self, x);
        let v = if self.b.func.dfg.value_type(v) == I32 {
            v
        } else {
            self.b.ins().uextend(I32, v)
        };
        self.push(v);
        Ok(())
    }

    fn splat(&mut self, ty: Type, narrow: Option<Type>) -> Result<(), Error> {
        let mut x = self.pop()?;
        if let Some(n) = narrow {
            x = self.b.ins().ireduce(n, x);
        }
        let v = self.b.ins().splat(ty, x);
        self.push_v128(v);
        Ok(())
    }

    fn extract_lane(&mut self, ty: Type, lane: u8, extend: Option<bool>) -> Result<(), Error> {
        let x = self.pop_as(ty)?;
        let mut v = self.b.ins().extractlane(x, lane);
        match extend {
            Some(true) => v = self.b.ins().sextend(I32, v),
            Some(false) => v = self.b.ins().uextend(I32, v),
            None => {}
        }
        self.push(v);
        Ok(())
    }

    fn replace_lane(&mut self, ty: Type, lane: u8) -> Result<(), Error> {
        let mut x = self.pop()?;
        let lane_ty = ty.lane_type();
        if self.b.func.dfg.value_type(x) != lane_ty {
            x = self.b.ins().ireduce(lane_ty, x);
        }
        let v = self.pop_as(ty)?;
        let r = self.b.ins().insertlane(v, x, lane);
        self.push_v128(r);
        Ok(())
    }

    /// `pmin`/`pmax`: `y < x ? y : x` (`min`) or `x < y ? y : x` (`max`),
    /// lanewise, NaNs and zeros compared as the proposal says.
    fn pminmax(&mut self, ty: Type, min: bool) -> Result<(), Error> {
        self.v_binop(ty, |t, x, y| {
            let mask = if min {
                t.b.ins().fcmp(FloatCC::LessThan, y, x)
            } else {
                t.b.ins().fcmp(FloatCC::LessThan, x, y)
            };
            let mask = t.view(ty, mask);
            t.b.ins().bitselect(mask, y, x)
        })
    }

    /// Widening multiply of the low or high halves.
    fn extmul(&mut self, from: Type, high: bool, signed: bool) -> Result<(), Error> {
        self.v_binop(from, |t, x, y| {
            let (x, y) = (t.widen(x, high, signed), t.widen(y, high, signed));
            t.b.ins().imul(x, y)
        })
    }

    fn widen(&mut self, x: Value, high: bool, signed: bool) -> Value {
        match (high, signed) {
            (false, true) => self.b.ins().swiden_low(x),
            (true, true) => self.b.ins().swiden_high(x),
            (false, false) => self.b.ins().uwiden_low(x),
            (true, false) => self.b.ins().uwiden_high(x),
        }
    }

    fn ext_add_pairwise(&mut self, from: Type, signed: bool) -> Result<(), Error> {
        self.v_unop(from, |t, x| {
            let (lo, hi) = (t.widen(x, false, signed), t.widen(x, true, signed));
            t.b.ins().iadd_pairwise(lo, hi)
        })
    }

    /// Products of the signed lanes of `x` and `y`, widened, added in
    /// adjacent pairs: `i32x4.dot_i16x8_s` and the relaxed `i8` dot.
    fn widening_dot(&mut self, x: Value, y: Value) -> Value {
        let lo = self.b.ins().swiden_low(x);
        let lo_y = self.b.ins().swiden_low(y);
        let hi = self.b.ins().swiden_high(x);
        let hi_y = self.b.ins().swiden_high(y);
        let lo = self.b.ins().imul(lo, lo_y);
        let hi = self.b.ins().imul(hi, hi_y);
        self.b.ins().iadd_pairwise(lo, hi)
    }

    fn trunc_sat_zero(&mut self, signed: bool) -> Result<(), Error> {
        self.v_unop(F64X2, |t, x| {
            let zero = t.zero(I64X2);
            if signed {
                let c = t.b.ins().fcvt_to_sint_sat(I64X2, x);
                t.b.ins().snarrow(c, zero)
            } else {
                let c = t.b.ins().fcvt_to_uint_sat(I64X2, x);
                t.b.ins().uunarrow(c, zero)
            }
        })
    }

    /// Unfused `a * b + c` (or `-(a * b) + c`).
    fn madd(&mut self, ty: Type, negate: bool) -> Result<(), Error> {
        let c = self.pop_as(ty)?;
        let b = self.pop_as(ty)?;
        let a = self.pop_as(ty)?;
        let product = self.b.ins().fmul(a, b);
        let v = if negate {
            self.b.ins().fsub(c, product)
        } else {
            self.b.ins().fadd(product, c)
        };
        self.push_v128(v);
        Ok(())
    }

    fn bitselect_op(&mut self) -> Result<(), Error> {
        let c = self.pop_as(I8X16)?;
        let y = self.pop_as(I8X16)?;
        let x = self.pop_as(I8X16)?;
        let v = self.b.ins().bitselect(c, x, y);
        self.push_v128(v);
        Ok(())
    }

    /// Translates `op` if it is a SIMD operator other than a memory access;
    /// `Ok(false)` otherwise.
    pub(super) fn simd_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        match *op {
            O::V128Const { value } => {
                let c = self.b.func.dfg.constants.insert(value.bytes().to_vec().into());
                let v = self.b.ins().vconst(I8X16, c);
                self.push(v);
            }
            O::I8x16Shuffle { lanes } => {
                let y = self.pop_as(I8X16)?;
                let x = self.pop_as(I8X16)?;
                let mask = self.b.func.dfg.immediates.push(lanes.to_vec().into());
                let v = self.b.ins().shuffle(x, y, mask);
                self.push(v);
            }
            O::I8x16Swizzle | O::I8x16RelaxedSwizzle => self.v_binop(I8X16, |t, x, y| t.b.ins().swizzle(x, y))?,
            O::I8x16Splat => self.splat(I8X16, Some(I8))?,
            O::I16x8Splat => self.splat(I16X8, Some(I16))?,
            O::I32x4Splat => self.splat(I32X4, None)?,
            O::I64x2Splat => self.splat(I64X2, None)?,
            O::F32x4Splat => self.splat(F32X4, None)?,
            O::F64x2Splat => self.splat(F64X2, None)?,
            O::I8x16ExtractLaneS { lane } => self.extract_lane(I8X16, lane, Some(true))?,
            O::I8x16ExtractLaneU { lane } => self.extract_lane(I8X16, lane, Some(false))?,
            O::I16x8ExtractLaneS { lane } => self.extract_lane(I16X8, lane, Some(true))?,
            O::I16x8ExtractLaneU { lane } => self.extract_lane(I16X8, lane, Some(false))?,
            O::I32x4ExtractLane { lane } => self.extract_lane(I32X4, lane, None)?,
            O::I64x2ExtractLane { lane } => self.extract_lane(I64X2, lane, None)?,
            O::F32x4ExtractLane { lane } => self.extract_lane(F32X4, lane, None)?,
            O::F64x2ExtractLane { lane } => self.extract_lane(F64X2, lane, None)?,
            O::I8x16ReplaceLane { lane } => self.replace_lane(I8X16, lane)?,
            O::I16x8ReplaceLane { lane } => self.replace_lane(I16X8, lane)?,
            O::I32x4ReplaceLane { lane } => self.replace_lane(I32X4, lane)?,
            O::I64x2ReplaceLane { lane } => self.replace_lane(I64X2, lane)?,
            O::F32x4ReplaceLane { lane } => self.replace_lane(F32X4, lane)?,
            O::F64x2ReplaceLane { lane } => self.replace_lane(F64X2, lane)?,
            _ => return self.simd_lanewise_op(op),
        }
        Ok(true)
    }

    fn simd_lanewise_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        use FloatCC as F;
        use IntCC as C;
        match *op {
            O::I8x16Eq => self.v_icmp(I8X16, C::Equal)?,
            O::I8x16Ne => self.v_icmp(I8X16, C::NotEqual)?,
            O::I8x16LtS => self.v_icmp(I8X16, C::SignedLessThan)?,
            O::I8x16LtU => self.v_icmp(I8X16, C::UnsignedLessThan)?,
            O::I8x16GtS => self.v_icmp(I8X16, C::SignedGreaterThan)?,
            O::I8x16GtU => self.v_icmp(I8X16, C::UnsignedGreaterThan)?,
            O::I8x16LeS => self.v_icmp(I8X16, C::SignedLessThanOrEqual)?,
            O::I8x16LeU => self.v_icmp(I8X16, C::UnsignedLessThanOrEqual)?,
            O::I8x16GeS => self.v_icmp(I8X16, C::SignedGreaterThanOrEqual)?,
            O::I8x16GeU => self.v_icmp(I8X16, C::UnsignedGreaterThanOrEqual)?,
            O::I16x8Eq => self.v_icmp(I16X8, C::Equal)?,
            O::I16x8Ne => self.v_icmp(I16X8, C::NotEqual)?,
            O::I16x8LtS => self.v_icmp(I16X8, C::SignedLessThan)?,
            O::I16x8LtU => self.v_icmp(I16X8, C::UnsignedLessThan)?,
            O::I16x8GtS => self.v_icmp(I16X8, C::SignedGreaterThan)?,
            O::I16x8GtU => self.v_icmp(I16X8, C::UnsignedGreaterThan)?,
            O::I16x8LeS => self.v_icmp(I16X8, C::SignedLessThanOrEqual)?,
            O::I16x8LeU => self.v_icmp(I16X8, C::UnsignedLessThanOrEqual)?,
            O::I16x8GeS => self.v_icmp(I16X8, C::SignedGreaterThanOrEqual)?,
            O::I16x8GeU => self.v_icmp(I16X8, C::UnsignedGreaterThanOrEqual)?,
            O::I32x4Eq => self.v_icmp(I32X4, C::Equal)?,
            O::I32x4Ne => self.v_icmp(I32X4, C::NotEqual)?,
            O::I32x4LtS => self.v_icmp(I32X4, C::SignedLessThan)?,
            O::I32x4LtU => self.v_icmp(I32X4, C::UnsignedLessThan)?,
            O::I32x4GtS => self.v_icmp(I32X4, C::SignedGreaterThan)?,
            O::I32x4GtU => self.v_icmp(I32X4, C::UnsignedGreaterThan)?,
            O::I32x4LeS => self.v_icmp(I32X4, C::SignedLessThanOrEqual)?,
            O::I32x4LeU => self.v_icmp(I32X4, C::UnsignedLessThanOrEqual)?,
            O::I32x4GeS => self.v_icmp(I32X4, C::SignedGreaterThanOrEqual)?,
            O::I32x4GeU => self.v_icmp(I32X4, C::UnsignedGreaterThanOrEqual)?,
            O::I64x2Eq => self.v_icmp(I64X2, C::Equal)?,
            O::I64x2Ne => self.v_icmp(I64X2, C::NotEqual)?,
            O::I64x2LtS => self.v_icmp(I64X2, C::SignedLessThan)?,
            O::I64x2GtS => self.v_icmp(I64X2, C::SignedGreaterThan)?,
            O::I64x2LeS => self.v_icmp(I64X2, C::SignedLessThanOrEqual)?,
            O::I64x2GeS => self.v_icmp(I64X2, C::SignedGreaterThanOrEqual)?,
            O::F32x4Eq => self.v_fcmp(F32X4, F::Equal)?,
            O::F32x4Ne => self.v_fcmp(F32X4, F::NotEqual)?,
            O::F32x4Lt => self.v_fcmp(F32X4, F::LessThan)?,
            O::F32x4Gt => self.v_fcmp(F32X4, F::GreaterThan)?,
            O::F32x4Le => self.v_fcmp(F32X4, F::LessThanOrEqual)?,
            O::F32x4Ge => self.v_fcmp(F32X4, F::GreaterThanOrEqual)?,
            O::F64x2Eq => self.v_fcmp(F64X2, F::Equal)?,
            O::F64x2Ne => self.v_fcmp(F64X2, F::NotEqual)?,
            O::F64x2Lt => self.v_fcmp(F64X2, F::LessThan)?,
            O::F64x2Gt => self.v_fcmp(F64X2, F::GreaterThan)?,
            O::F64x2Le => self.v_fcmp(F64X2, F::LessThanOrEqual)?,
            O::F64x2Ge => self.v_fcmp(F64X2, F::GreaterThanOrEqual)?,
            O::V128Not => self.v_unop(I8X16, |t, x| t.b.ins().bnot(x))?,
            O::V128And => self.v_binop(I8X16, |t, x, y| t.b.ins().band(x, y))?,
            O::V128AndNot => self.v_binop(I8X16, |t, x, y| t.b.ins().band_not(x, y))?,
            O::V128Or => self.v_binop(I8X16, |t, x, y| t.b.ins().bor(x, y))?,
            O::V128Xor => self.v_binop(I8X16, |t, x, y| t.b.ins().bxor(x, y))?,
            O::V128Bitselect
            | O::I8x16RelaxedLaneselect
            | O::I16x8RelaxedLaneselect
            | O::I32x4RelaxedLaneselect
            | O::I64x2RelaxedLaneselect => self.bitselect_op()?,
            O::V128AnyTrue => self.v_reduce(I8X16, |t, x| t.b.ins().vany_true(x))?,
            O::I8x16AllTrue => self.v_reduce(I8X16, |t, x| t.b.ins().vall_true(x))?,
            O::I16x8AllTrue => self.v_reduce(I16X8, |t, x| t.b.ins().vall_true(x))?,
            O::I32x4AllTrue => self.v_reduce(I32X4, |t, x| t.b.ins().vall_true(x))?,
            O::I64x2AllTrue => self.v_reduce(I64X2, |t, x| t.b.ins().vall_true(x))?,
            O::I8x16Bitmask => self.v_reduce(I8X16, |t, x| t.b.ins().vhigh_bits(I32, x))?,
            O::I16x8Bitmask => self.v_reduce(I16X8, |t, x| t.b.ins().vhigh_bits(I32, x))?,
            O::I32x4Bitmask => self.v_reduce(I32X4, |t, x| t.b.ins().vhigh_bits(I32, x))?,
            O::I64x2Bitmask => self.v_reduce(I64X2, |t, x| t.b.ins().vhigh_bits(I32, x))?,
            _ => return self.simd_arith_op(op),
        }
        Ok(true)
    }

    fn simd_arith_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        match *op {
            O::I8x16Abs => self.v_unop(I8X16, |t, x| t.b.ins().iabs(x))?,
            O::I16x8Abs => self.v_unop(I16X8, |t, x| t.b.ins().iabs(x))?,
            O::I32x4Abs => self.v_unop(I32X4, |t, x| t.b.ins().iabs(x))?,
            O::I64x2Abs => self.v_unop(I64X2, |t, x| t.b.ins().iabs(x))?,
            O::I8x16Neg => self.v_unop(I8X16, |t, x| t.b.ins().ineg(x))?,
            O::I16x8Neg => self.v_unop(I16X8, |t, x| t.b.ins().ineg(x))?,
            O::I32x4Neg => self.v_unop(I32X4, |t, x| t.b.ins().ineg(x))?,
            O::I64x2Neg => self.v_unop(I64X2, |t, x| t.b.ins().ineg(x))?,
            O::I8x16Popcnt => self.v_unop(I8X16, |t, x| t.b.ins().popcnt(x))?,
            O::I8x16Shl => self.v_shift(I8X16, |t, x, c| t.b.ins().ishl(x, c))?,
            O::I16x8Shl => self.v_shift(I16X8, |t, x, c| t.b.ins().ishl(x, c))?,
            O::I32x4Shl => self.v_shift(I32X4, |t, x, c| t.b.ins().ishl(x, c))?,
            O::I64x2Shl => self.v_shift(I64X2, |t, x, c| t.b.ins().ishl(x, c))?,
            O::I8x16ShrS => self.v_shift(I8X16, |t, x, c| t.b.ins().sshr(x, c))?,
            O::I16x8ShrS => self.v_shift(I16X8, |t, x, c| t.b.ins().sshr(x, c))?,
            O::I32x4ShrS => self.v_shift(I32X4, |t, x, c| t.b.ins().sshr(x, c))?,
            O::I64x2ShrS => self.v_shift(I64X2, |t, x, c| t.b.ins().sshr(x, c))?,
            O::I8x16ShrU => self.v_shift(I8X16, |t, x, c| t.b.ins().ushr(x, c))?,
            O::I16x8ShrU => self.v_shift(I16X8, |t, x, c| t.b.ins().ushr(x, c))?,
            O::I32x4ShrU => self.v_shift(I32X4, |t, x, c| t.b.ins().ushr(x, c))?,
            O::I64x2ShrU => self.v_shift(I64X2, |t, x, c| t.b.ins().ushr(x, c))?,
            O::I8x16Add => self.v_binop(I8X16, |t, x, y| t.b.ins().iadd(x, y))?,
            O::I16x8Add => self.v_binop(I16X8, |t, x, y| t.b.ins().iadd(x, y))?,
            O::I32x4Add => self.v_binop(I32X4, |t, x, y| t.b.ins().iadd(x, y))?,
            O::I64x2Add => self.v_binop(I64X2, |t, x, y| t.b.ins().iadd(x, y))?,
            O::I8x16Sub => self.v_binop(I8X16, |t, x, y| t.b.ins().isub(x, y))?,
            O::I16x8Sub => self.v_binop(I16X8, |t, x, y| t.b.ins().isub(x, y))?,
            O::I32x4Sub => self.v_binop(I32X4, |t, x, y| t.b.ins().isub(x, y))?,
            O::I64x2Sub => self.v_binop(I64X2, |t, x, y| t.b.ins().isub(x, y))?,
            O::I16x8Mul => self.v_binop(I16X8, |t, x, y| t.b.ins().imul(x, y))?,
            O::I32x4Mul => self.v_binop(I32X4, |t, x, y| t.b.ins().imul(x, y))?,
            O::I64x2Mul => self.v_binop(I64X2, |t, x, y| t.b.ins().imul(x, y))?,
            O::I8x16AddSatS => self.v_binop(I8X16, |t, x, y| t.b.ins().sadd_sat(x, y))?,
            O::I16x8AddSatS => self.v_binop(I16X8, |t, x, y| t.b.ins().sadd_sat(x, y))?,
            O::I8x16AddSatU => self.v_binop(I8X16, |t, x, y| t.b.ins().uadd_sat(x, y))?,
            O::I16x8AddSatU => self.v_binop(I16X8, |t, x, y| t.b.ins().uadd_sat(x, y))?,
            O::I8x16SubSatS => self.v_binop(I8X16, |t, x, y| t.b.ins().ssub_sat(x, y))?,
            O::I16x8SubSatS => self.v_binop(I16X8, |t, x, y| t.b.ins().ssub_sat(x, y))?,
            O::I8x16SubSatU => self.v_binop(I8X16, |t, x, y| t.b.ins().usub_sat(x, y))?,
            O::I16x8SubSatU => self.v_binop(I16X8, |t, x, y| t.b.ins().usub_sat(x, y))?,
            O::I8x16MinS => self.v_binop(I8X16, |t, x, y| t.b.ins().smin(x, y))?,
            O::I16x8MinS => self.v_binop(I16X8, |t, x, y| t.b.ins().smin(x, y))?,
            O::I32x4MinS => self.v_binop(I32X4, |t, x, y| t.b.ins().smin(x, y))?,
            O::I8x16MinU => self.v_binop(I8X16, |t, x, y| t.b.ins().umin(x, y))?,
            O::I16x8MinU => self.v_binop(I16X8, |t, x, y| t.b.ins().umin(x, y))?,
            O::I32x4MinU => self.v_binop(I32X4, |t, x, y| t.b.ins().umin(x, y))?,
            O::I8x16MaxS => self.v_binop(I8X16, |t, x, y| t.b.ins().smax(x, y))?,
            O::I16x8MaxS => self.v_binop(I16X8, |t, x, y| t.b.ins().smax(x, y))?,
            O::I32x4MaxS => self.v_binop(I32X4, |t, x, y| t.b.ins().smax(x, y))?,
            O::I8x16MaxU => self.v_binop(I8X16, |t, x, y| t.b.ins().umax(x, y))?,
            O::I16x8MaxU => self.v_binop(I16X8, |t, x, y| t.b.ins().umax(x, y))?,
            O::I32x4MaxU => self.v_binop(I32X4, |t, x, y| t.b.ins().umax(x, y))?,
            O::I8x16AvgrU => self.v_binop(I8X16, |t, x, y| t.b.ins().avg_round(x, y))?,
            O::I16x8AvgrU => self.v_binop(I16X8, |t, x, y| t.b.ins().avg_round(x, y))?,
            O::I16x8Q15MulrSatS | O::I16x8RelaxedQ15mulrS => {
                self.v_binop(I16X8, |t, x, y| t.b.ins().sqmul_round_sat(x, y))?
            }
            O::I8x16NarrowI16x8S => self.v_binop(I16X8, |t, x, y| t.b.ins().snarrow(x, y))?,
            O::I8x16NarrowI16x8U => self.v_binop(I16X8, |t, x, y| t.b.ins().unarrow(x, y))?,
            O::I16x8NarrowI32x4S => self.v_binop(I32X4, |t, x, y| t.b.ins().snarrow(x, y))?,
            O::I16x8NarrowI32x4U => self.v_binop(I32X4, |t, x, y| t.b.ins().unarrow(x, y))?,
            O::I16x8ExtendLowI8x16S => self.v_unop(I8X16, |t, x| t.widen(x, false, true))?,
            O::I16x8ExtendHighI8x16S => self.v_unop(I8X16, |t, x| t.widen(x, true, true))?,
            O::I16x8ExtendLowI8x16U => self.v_unop(I8X16, |t, x| t.widen(x, false, false))?,
            O::I16x8ExtendHighI8x16U => self.v_unop(I8X16, |t, x| t.widen(x, true, false))?,
            O::I32x4ExtendLowI16x8S => self.v_unop(I16X8, |t, x| t.widen(x, false, true))?,
            O::I32x4ExtendHighI16x8S => self.v_unop(I16X8, |t, x| t.widen(x, true, true))?,
            O::I32x4ExtendLowI16x8U => self.v_unop(I16X8, |t, x| t.widen(x, false, false))?,
            O::I32x4ExtendHighI16x8U => self.v_unop(I16X8, |t, x| t.widen(x, true, false))?,
            O::I64x2ExtendLowI32x4S => self.v_unop(I32X4, |t, x| t.widen(x, false, true))?,
            O::I64x2ExtendHighI32x4S => self.v_unop(I32X4, |t, x| t.widen(x, true, true))?,
            O::I64x2ExtendLowI32x4U => self.v_unop(I32X4, |t, x| t.widen(x, false, false))?,
            O::I64x2ExtendHighI32x4U => self.v_unop(I32X4, |t, x| t.widen(x, true, false))?,
            O::I16x8ExtMulLowI8x16S => self.extmul(I8X16, false, true)?,
            O::I16x8ExtMulHighI8x16S => self.extmul(I8X16, true, true)?,
            O::I16x8ExtMulLowI8x16U => self.extmul(I8X16, false, false)?,
            O::I16x8ExtMulHighI8x16U => self.extmul(I8X16, true, false)?,
            O::I32x4ExtMulLowI16x8S => self.extmul(I16X8, false, true)?,
            O::I32x4ExtMulHighI16x8S => self.extmul(I16X8, true, true)?,
            O::I32x4ExtMulLowI16x8U => self.extmul(I16X8, false, false)?,
            O::I32x4ExtMulHighI16x8U => self.extmul(I16X8, true, false)?,
            O::I64x2ExtMulLowI32x4S => self.extmul(I32X4, false, true)?,
            O::I64x2ExtMulHighI32x4S => self.extmul(I32X4, true, true)?,
            O::I64x2ExtMulLowI32x4U => self.extmul(I32X4, false, false)?,
            O::I64x2ExtMulHighI32x4U => self.extmul(I32X4, true, false)?,
            O::I16x8ExtAddPairwiseI8x16S => self.ext_add_pairwise(I8X16, true)?,
            O::I16x8ExtAddPairwiseI8x16U => self.ext_add_pairwise(I8X16, false)?,
            O::I32x4ExtAddPairwiseI16x8S => self.ext_add_pairwise(I16X8, true)?,
            O::I32x4ExtAddPairwiseI16x8U => self.ext_add_pairwise(I16X8, false)?,
            O::I32x4DotI16x8S => self.v_binop(I16X8, |t, x, y| t.widening_dot(x, y))?,
            O::I16x8RelaxedDotI8x16I7x16S => self.v_binop(I8X16, |t, x, y| t.widening_dot(x, y))?,
            O::I32x4RelaxedDotI8x16I7x16AddS => {
                let acc = self.pop_as(I32X4)?;
                let y = self.pop_as(I8X16)?;
                let x = self.pop_as(I8X16)?;
                let dot = self.widening_dot(x, y);
                let (lo, hi) = (self.widen(dot, false, true), self.widen(dot, true, true));
                let sum = self.b.ins().iadd_pairwise(lo, hi);
                let v = self.b.ins().iadd(sum, acc);
                self.push_v128(v);
            }
            _ => return self.simd_float_op(op),
        }
        Ok(true)
    }

    fn simd_float_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        match *op {
            O::F32x4Ceil => self.v_unop(F32X4, |t, x| t.b.ins().ceil(x))?,
            O::F64x2Ceil => self.v_unop(F64X2, |t, x| t.b.ins().ceil(x))?,
            O::F32x4Floor => self.v_unop(F32X4, |t, x| t.b.ins().floor(x))?,
            O::F64x2Floor => self.v_unop(F64X2, |t, x| t.b.ins().floor(x))?,
            O::F32x4Trunc => self.v_unop(F32X4, |t, x| t.b.ins().trunc(x))?,
            O::F64x2Trunc => self.v_unop(F64X2, |t, x| t.b.ins().trunc(x))?,
            O::F32x4Nearest => self.v_unop(F32X4, |t, x| t.b.ins().nearest(x))?,
            O::F64x2Nearest => self.v_unop(F64X2, |t, x| t.b.ins().nearest(x))?,
            O::F32x4Abs => self.v_unop(F32X4, |t, x| t.b.ins().fabs(x))?,
            O::F64x2Abs => self.v_unop(F64X2, |t, x| t.b.ins().fabs(x))?,
            O::F32x4Neg => self.v_unop(F32X4, |t, x| t.b.ins().fneg(x))?,
            O::F64x2Neg => self.v_unop(F64X2, |t, x| t.b.ins().fneg(x))?,
            O::F32x4Sqrt => self.v_unop(F32X4, |t, x| t.b.ins().sqrt(x))?,
            O::F64x2Sqrt => self.v_unop(F64X2, |t, x| t.b.ins().sqrt(x))?,
            O::F32x4Add => self.v_binop(F32X4, |t, x, y| t.b.ins().fadd(x, y))?,
            O::F64x2Add => self.v_binop(F64X2, |t, x, y| t.b.ins().fadd(x, y))?,
            O::F32x4Sub => self.v_binop(F32X4, |t, x, y| t.b.ins().fsub(x, y))?,
            O::F64x2Sub => self.v_binop(F64X2, |t, x, y| t.b.ins().fsub(x, y))?,
            O::F32x4Mul => self.v_binop(F32X4, |t, x, y| t.b.ins().fmul(x, y))?,
            O::F64x2Mul => self.v_binop(F64X2, |t, x, y| t.b.ins().fmul(x, y))?,
            O::F32x4Div => self.v_binop(F32X4, |t, x, y| t.b.ins().fdiv(x, y))?,
            O::F64x2Div => self.v_binop(F64X2, |t, x, y| t.b.ins().fdiv(x, y))?,
            O::F32x4Min | O::F32x4RelaxedMin => self.v_binop(F32X4, |t, x, y| t.b.ins().fmin(x, y))?,
            O::F64x2Min | O::F64x2RelaxedMin => self.v_binop(F64X2, |t, x, y| t.b.ins().fmin(x, y))?,
            O::F32x4Max | O::F32x4RelaxedMax => self.v_binop(F32X4, |t, x, y| t.b.ins().fmax(x, y))?,
            O::F64x2Max | O::F64x2RelaxedMax => self.v_binop(F64X2, |t, x, y| t.b.ins().fmax(x, y))?,
            O::F32x4PMin => self.pminmax(F32X4, true)?,
            O::F64x2PMin => self.pminmax(F64X2, true)?,
            O::F32x4PMax => self.pminmax(F32X4, false)?,
            O::F64x2PMax => self.pminmax(F64X2, false)?,
            O::F32x4RelaxedMadd => self.madd(F32X4, false)?,
            O::F32x4RelaxedNmadd => self.madd(F32X4, true)?,
            O::F64x2RelaxedMadd => self.madd(F64X2, false)?,
            O::F64x2RelaxedNmadd => self.madd(F64X2, true)?,
            O::I32x4TruncSatF32x4S | O::I32x4RelaxedTruncF32x4S => {
                self.v_unop(F32X4, |t, x| t.b.ins().fcvt_to_sint_sat(I32X4, x))?
            }
            O::I32x4TruncSatF32x4U | O::I32x4RelaxedTruncF32x4U => {
                self.v_unop(F32X4, |t, x| t.b.ins().fcvt_to_uint_sat(I32X4, x))?
            }
            O::I32x4TruncSatF64x2SZero | O::I32x4RelaxedTruncF64x2SZero => self.trunc_sat_zero(true)?,
            O::I32x4TruncSatF64x2UZero | O::I32x4RelaxedTruncF64x2UZero => self.trunc_sat_zero(false)?,
            O::F32x4ConvertI32x4S => self.v_unop(I32X4, |t, x| t.b.ins().fcvt_from_sint(F32X4, x))?,
            O::F32x4ConvertI32x4U => self.v_unop(I32X4, |t, x| t.b.ins().fcvt_from_uint(F32X4, x))?,
            O::F64x2ConvertLowI32x4S => self.v_unop(I32X4, |t, x| {
                let wide = t.b.ins().swiden_low(x);
                t.b.ins().fcvt_from_sint(F64X2, wide)
            })?,
            O::F64x2ConvertLowI32x4U => self.v_unop(I32X4, |t, x| {
                let wide = t.b.ins().uwiden_low(x);
                t.b.ins().fcvt_from_uint(F64X2, wide)
            })?,
            O::F32x4DemoteF64x2Zero => self.v_unop(F64X2, |t, x| t.b.ins().fvdemote(x))?,
            O::F64x2PromoteLowF32x4 => self.v_unop(F32X4, |t, x| t.b.ins().fvpromote_low(x))?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Loads a scalar of `ty` from the address on the stack.
    pub(super) fn load_scalar(&mut self, memarg: &wasmparser::MemArg, ty: Type) -> Result<Value, Error> {
        let (p, flags) = self.heap_addr(memarg, ty.bytes())?;
        Ok(self.b.ins().load(ty, flags, p, 0))
    }

    /// Translates `op` if it is a SIMD memory access; `Ok(false)` otherwise.
    pub(super) fn simd_memory_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        match op {
            O::V128Load { memarg } => {
                let v = self.load_scalar(memarg, I8X16)?;
                self.push(v);
            }
            O::V128Load8x8S { memarg } | O::V128Load8x8U { memarg } => {
                let (p, flags) = self.heap_addr(memarg, 8)?;
                let v = match op {
                    O::V128Load8x8S { .. } => self.b.ins().sload8x8(flags, p, 0),
                    _ => self.b.ins().uload8x8(flags, p, 0),
                };
                self.push_v128(v);
            }
            O::V128Load16x4S { memarg } | O::V128Load16x4U { memarg } => {
                let (p, flags) = self.heap_addr(memarg, 8)?;
                let v = match op {
                    O::V128Load16x4S { .. } => self.b.ins().sload16x4(flags, p, 0),
                    _ => self.b.ins().uload16x4(flags, p, 0),
                };
                self.push_v128(v);
            }
            O::V128Load32x2S { memarg } | O::V128Load32x2U { memarg } => {
                let (p, flags) = self.heap_addr(memarg, 8)?;
                let v = match op {
                    O::V128Load32x2S { .. } => self.b.ins().sload32x2(flags, p, 0),
                    _ => self.b.ins().uload32x2(flags, p, 0),
                };
                self.push_v128(v);
            }
            O::V128Load8Splat { memarg } => self.load_splat(memarg, I8, I8X16)?,
            O::V128Load16Splat { memarg } => self.load_splat(memarg, I16, I16X8)?,
            O::V128Load32Splat { memarg } => self.load_splat(memarg, I32, I32X4)?,
            O::V128Load64Splat { memarg } => self.load_splat(memarg, I64, I64X2)?,
            O::V128Load32Zero { memarg } => {
                let x = self.load_scalar(memarg, I32)?;
                let v = self.b.ins().scalar_to_vector(I32X4, x);
                self.push_v128(v);
            }
            O::V128Load64Zero { memarg } => {
                let x = self.load_scalar(memarg, I64)?;
                let v = self.b.ins().scalar_to_vector(I64X2, x);
                self.push_v128(v);
            }
            O::V128Load8Lane { memarg, lane } => self.load_lane(memarg, *lane, I8X16)?,
            O::V128Load16Lane { memarg, lane } => self.load_lane(memarg, *lane, I16X8)?,
            O::V128Load32Lane { memarg, lane } => self.load_lane(memarg, *lane, I32X4)?,
            O::V128Load64Lane { memarg, lane } => self.load_lane(memarg, *lane, I64X2)?,
            O::V128Store { memarg } => {
                let v = self.pop_as(I8X16)?;
                let (p, flags) = self.heap_addr(memarg, 16)?;
                self.b.ins().store(flags, v, p, 0);
            }
            O::V128Store8Lane { memarg, lane } => self.store_lane(memarg, *lane, I8X16)?,
            O::V128Store16Lane { memarg, lane } => self.store_lane(memarg, *lane, I16X8)?,
            O::V128Store32Lane { memarg, lane } => self.store_lane(memarg, *lane, I32X4)?,
            O::V128Store64Lane { memarg, lane } => self.store_lane(memarg, *lane, I64X2)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn load_splat(&mut self, memarg: &wasmparser::MemArg, lane: Type, ty: Type) -> Result<(), Error> {
        let x = self.load_scalar(memarg, lane)?;
        let v = self.b.ins().splat(ty, x);
        self.push_v128(v);
        Ok(())
    }

    fn load_lane(&mut self, memarg: &wasmparser::MemArg, lane: u8, ty: Type) -> Result<(), Error> {
        let v = self.pop_as(ty)?;
        let x = self.load_scalar(memarg, ty.lane_type())?;
        let r = self.b.ins().insertlane(v, x, lane);
        self.push_v128(r);
        Ok(())
    }

    fn store_lane(&mut self, memarg: &wasmparser::MemArg, lane: u8, ty: Type) -> Result<(), Error> {
        let v = self.pop_as(ty)?;
        let x = self.b.ins().extractlane(v, lane);
        let (p, flags) = self.heap_addr(memarg, ty.lane_type().bytes())?;
        self.b.ins().store(flags, x, p, 0);
        Ok(())
    }
}
