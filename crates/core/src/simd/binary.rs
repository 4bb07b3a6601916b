//! Binary v128 operations: bitwise logic, lane-wise integer and float
//! arithmetic, comparisons, narrowing, swizzles, dot products and extended
//! multiplication.

use core::ops::Mul;

use super::lanes::{Lane, compare, pack, unpack, zip};
use super::reshape::{Half, narrow, pairwise_zip, widen_zip};
use crate::num::{f32_canonicalize, f32_max, f32_min, f64_canonicalize, f64_max, f64_min};

/// A v128 x v128 -> v128 operation; `eval(a, b)` computes `a op b` with `a`
/// the first (deeper) operand on the wasm stack.
///
/// Variant names are those of `wasmparser::Operator`, each the WebAssembly
/// instruction of the same name. Float arithmetic and `min`/`max` produce the
/// canonical NaN; `pmin`/`pmax` return one operand's bits unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128Binary {
    V128And,
    V128AndNot,
    V128Or,
    V128Xor,
    I8x16Swizzle,
    /// Deterministic choice: `i8x16.swizzle` (out-of-range indices give 0).
    I8x16RelaxedSwizzle,
    I8x16Eq,
    I8x16Ne,
    I8x16LtS,
    I8x16LtU,
    I8x16GtS,
    I8x16GtU,
    I8x16LeS,
    I8x16LeU,
    I8x16GeS,
    I8x16GeU,
    I16x8Eq,
    I16x8Ne,
    I16x8LtS,
    I16x8LtU,
    I16x8GtS,
    I16x8GtU,
    I16x8LeS,
    I16x8LeU,
    I16x8GeS,
    I16x8GeU,
    I32x4Eq,
    I32x4Ne,
    I32x4LtS,
    I32x4LtU,
    I32x4GtS,
    I32x4GtU,
    I32x4LeS,
    I32x4LeU,
    I32x4GeS,
    I32x4GeU,
    I64x2Eq,
    I64x2Ne,
    I64x2LtS,
    I64x2GtS,
    I64x2LeS,
    I64x2GeS,
    F32x4Eq,
    F32x4Ne,
    F32x4Lt,
    F32x4Gt,
    F32x4Le,
    F32x4Ge,
    F64x2Eq,
    F64x2Ne,
    F64x2Lt,
    F64x2Gt,
    F64x2Le,
    F64x2Ge,
    I8x16NarrowI16x8S,
    I8x16NarrowI16x8U,
    I16x8NarrowI32x4S,
    I16x8NarrowI32x4U,
    I8x16Add,
    I8x16AddSatS,
    I8x16AddSatU,
    I8x16Sub,
    I8x16SubSatS,
    I8x16SubSatU,
    I8x16MinS,
    I8x16MinU,
    I8x16MaxS,
    I8x16MaxU,
    I8x16AvgrU,
    I16x8Add,
    I16x8AddSatS,
    I16x8AddSatU,
    I16x8Sub,
    I16x8SubSatS,
    I16x8SubSatU,
    I16x8Mul,
    I16x8MinS,
    I16x8MinU,
    I16x8MaxS,
    I16x8MaxU,
    I16x8AvgrU,
    I16x8Q15MulrSatS,
    /// Deterministic choice: `i16x8.q15mulr_sat_s`.
    I16x8RelaxedQ15mulrS,
    I16x8ExtMulLowI8x16S,
    I16x8ExtMulHighI8x16S,
    I16x8ExtMulLowI8x16U,
    I16x8ExtMulHighI8x16U,
    /// Deterministic choice: both operands signed, pair sums saturated.
    I16x8RelaxedDotI8x16I7x16S,
    I32x4Add,
    I32x4Sub,
    I32x4Mul,
    I32x4MinS,
    I32x4MinU,
    I32x4MaxS,
    I32x4MaxU,
    I32x4DotI16x8S,
    I32x4ExtMulLowI16x8S,
    I32x4ExtMulHighI16x8S,
    I32x4ExtMulLowI16x8U,
    I32x4ExtMulHighI16x8U,
    I64x2Add,
    I64x2Sub,
    I64x2Mul,
    I64x2ExtMulLowI32x4S,
    I64x2ExtMulHighI32x4S,
    I64x2ExtMulLowI32x4U,
    I64x2ExtMulHighI32x4U,
    F32x4Add,
    F32x4Sub,
    F32x4Mul,
    F32x4Div,
    F32x4Min,
    F32x4Max,
    F32x4PMin,
    F32x4PMax,
    /// Deterministic choice: `f32x4.min`.
    F32x4RelaxedMin,
    /// Deterministic choice: `f32x4.max`.
    F32x4RelaxedMax,
    F64x2Add,
    F64x2Sub,
    F64x2Mul,
    F64x2Div,
    F64x2Min,
    F64x2Max,
    F64x2PMin,
    F64x2PMax,
    /// Deterministic choice: `f64x2.min`.
    F64x2RelaxedMin,
    /// Deterministic choice: `f64x2.max`.
    F64x2RelaxedMax,
}

impl V128Binary {
    /// Applies the operation to `a` and `b`.
    #[inline]
    pub fn eval(self, a: u128, b: u128) -> u128 {
        use V128Binary::*;
        match self {
            V128And => a & b,
            V128AndNot => a & !b,
            V128Or => a | b,
            V128Xor => a ^ b,
            I8x16Swizzle | I8x16RelaxedSwizzle => swizzle(a, b),
            I8x16Eq => compare::<u8, 16>(a, b, |x, y| x == y),
            I8x16Ne => compare::<u8, 16>(a, b, |x, y| x != y),
            I8x16LtS => compare::<i8, 16>(a, b, |x, y| x < y),
            I8x16LtU => compare::<u8, 16>(a, b, |x, y| x < y),
            I8x16GtS => compare::<i8, 16>(a, b, |x, y| x > y),
            I8x16GtU => compare::<u8, 16>(a, b, |x, y| x > y),
            I8x16LeS => compare::<i8, 16>(a, b, |x, y| x <= y),
            I8x16LeU => compare::<u8, 16>(a, b, |x, y| x <= y),
            I8x16GeS => compare::<i8, 16>(a, b, |x, y| x >= y),
            I8x16GeU => compare::<u8, 16>(a, b, |x, y| x >= y),
            I16x8Eq => compare::<u16, 8>(a, b, |x, y| x == y),
            I16x8Ne => compare::<u16, 8>(a, b, |x, y| x != y),
            I16x8LtS => compare::<i16, 8>(a, b, |x, y| x < y),
            I16x8LtU => compare::<u16, 8>(a, b, |x, y| x < y),
            I16x8GtS => compare::<i16, 8>(a, b, |x, y| x > y),
            I16x8GtU => compare::<u16, 8>(a, b, |x, y| x > y),
            I16x8LeS => compare::<i16, 8>(a, b, |x, y| x <= y),
            I16x8LeU => compare::<u16, 8>(a, b, |x, y| x <= y),
            I16x8GeS => compare::<i16, 8>(a, b, |x, y| x >= y),
            I16x8GeU => compare::<u16, 8>(a, b, |x, y| x >= y),
            I32x4Eq => compare::<u32, 4>(a, b, |x, y| x == y),
            I32x4Ne => compare::<u32, 4>(a, b, |x, y| x != y),
            I32x4LtS => compare::<i32, 4>(a, b, |x, y| x < y),
            I32x4LtU => compare::<u32, 4>(a, b, |x, y| x < y),
            I32x4GtS => compare::<i32, 4>(a, b, |x, y| x > y),
            I32x4GtU => compare::<u32, 4>(a, b, |x, y| x > y),
            I32x4LeS => compare::<i32, 4>(a, b, |x, y| x <= y),
            I32x4LeU => compare::<u32, 4>(a, b, |x, y| x <= y),
            I32x4GeS => compare::<i32, 4>(a, b, |x, y| x >= y),
            I32x4GeU => compare::<u32, 4>(a, b, |x, y| x >= y),
            I64x2Eq => compare::<u64, 2>(a, b, |x, y| x == y),
            I64x2Ne => compare::<u64, 2>(a, b, |x, y| x != y),
            I64x2LtS => compare::<i64, 2>(a, b, |x, y| x < y),
            I64x2GtS => compare::<i64, 2>(a, b, |x, y| x > y),
            I64x2LeS => compare::<i64, 2>(a, b, |x, y| x <= y),
            I64x2GeS => compare::<i64, 2>(a, b, |x, y| x >= y),
            F32x4Eq => compare::<f32, 4>(a, b, |x, y| x == y),
            F32x4Ne => compare::<f32, 4>(a, b, |x, y| x != y),
            F32x4Lt => compare::<f32, 4>(a, b, |x, y| x < y),
            F32x4Gt => compare::<f32, 4>(a, b, |x, y| x > y),
            F32x4Le => compare::<f32, 4>(a, b, |x, y| x <= y),
            F32x4Ge => compare::<f32, 4>(a, b, |x, y| x >= y),
            F64x2Eq => compare::<f64, 2>(a, b, |x, y| x == y),
            F64x2Ne => compare::<f64, 2>(a, b, |x, y| x != y),
            F64x2Lt => compare::<f64, 2>(a, b, |x, y| x < y),
            F64x2Gt => compare::<f64, 2>(a, b, |x, y| x > y),
            F64x2Le => compare::<f64, 2>(a, b, |x, y| x <= y),
            F64x2Ge => compare::<f64, 2>(a, b, |x, y| x >= y),
            I8x16NarrowI16x8S => narrow::<i16, i8, 8, 16>(a, b, |x| x.clamp(-128, 127) as i8),
            I8x16NarrowI16x8U => narrow::<i16, u8, 8, 16>(a, b, |x| x.clamp(0, 255) as u8),
            I16x8NarrowI32x4S => narrow::<i32, i16, 4, 8>(a, b, |x| x.clamp(-32768, 32767) as i16),
            I16x8NarrowI32x4U => narrow::<i32, u16, 4, 8>(a, b, |x| x.clamp(0, 65535) as u16),
            I8x16Add => zip::<u8, 16>(a, b, u8::wrapping_add),
            I8x16AddSatS => zip::<i8, 16>(a, b, i8::saturating_add),
            I8x16AddSatU => zip::<u8, 16>(a, b, u8::saturating_add),
            I8x16Sub => zip::<u8, 16>(a, b, u8::wrapping_sub),
            I8x16SubSatS => zip::<i8, 16>(a, b, i8::saturating_sub),
            I8x16SubSatU => zip::<u8, 16>(a, b, u8::saturating_sub),
            I8x16MinS => zip::<i8, 16>(a, b, Ord::min),
            I8x16MinU => zip::<u8, 16>(a, b, Ord::min),
            I8x16MaxS => zip::<i8, 16>(a, b, Ord::max),
            I8x16MaxU => zip::<u8, 16>(a, b, Ord::max),
            // The rounding average (x + y + 1) / 2, computed without overflow
            // in the double-width type.
            I8x16AvgrU => zip::<u8, 16>(a, b, |x, y| (u16::from(x) + u16::from(y)).div_ceil(2) as u8),
            I16x8Add => zip::<u16, 8>(a, b, u16::wrapping_add),
            I16x8AddSatS => zip::<i16, 8>(a, b, i16::saturating_add),
            I16x8AddSatU => zip::<u16, 8>(a, b, u16::saturating_add),
            I16x8Sub => zip::<u16, 8>(a, b, u16::wrapping_sub),
            I16x8SubSatS => zip::<i16, 8>(a, b, i16::saturating_sub),
            I16x8SubSatU => zip::<u16, 8>(a, b, u16::saturating_sub),
            I16x8Mul => zip::<u16, 8>(a, b, u16::wrapping_mul),
            I16x8MinS => zip::<i16, 8>(a, b, Ord::min),
            I16x8MinU => zip::<u16, 8>(a, b, Ord::min),
            I16x8MaxS => zip::<i16, 8>(a, b, Ord::max),
            I16x8MaxU => zip::<u16, 8>(a, b, Ord::max),
            I16x8AvgrU => zip::<u16, 8>(a, b, |x, y| (u32::from(x) + u32::from(y)).div_ceil(2) as u16),
            I16x8Q15MulrSatS | I16x8RelaxedQ15mulrS => zip::<i16, 8>(a, b, q15mulr_sat),
            I16x8ExtMulLowI8x16S => ext_mul::<i8, i16, 16, 8>(a, b, Half::Low),
            I16x8ExtMulHighI8x16S => ext_mul::<i8, i16, 16, 8>(a, b, Half::High),
            I16x8ExtMulLowI8x16U => ext_mul::<u8, u16, 16, 8>(a, b, Half::Low),
            I16x8ExtMulHighI8x16U => ext_mul::<u8, u16, 16, 8>(a, b, Half::High),
            I16x8RelaxedDotI8x16I7x16S => relaxed_dot_i8x16_i7x16(a, b),
            I32x4Add => zip::<u32, 4>(a, b, u32::wrapping_add),
            I32x4Sub => zip::<u32, 4>(a, b, u32::wrapping_sub),
            I32x4Mul => zip::<u32, 4>(a, b, u32::wrapping_mul),
            I32x4MinS => zip::<i32, 4>(a, b, Ord::min),
            I32x4MinU => zip::<u32, 4>(a, b, Ord::min),
            I32x4MaxS => zip::<i32, 4>(a, b, Ord::max),
            I32x4MaxU => zip::<u32, 4>(a, b, Ord::max),
            // The only overflowing case, (-2^15)^2 * 2 = 2^31, wraps to i32::MIN
            // as the spec's modular addition requires.
            I32x4DotI16x8S => pairwise_zip::<i16, i32, 8, 4>(a, b, |a0, b0, a1, b1| {
                (i32::from(a0) * i32::from(b0)).wrapping_add(i32::from(a1) * i32::from(b1))
            }),
            I32x4ExtMulLowI16x8S => ext_mul::<i16, i32, 8, 4>(a, b, Half::Low),
            I32x4ExtMulHighI16x8S => ext_mul::<i16, i32, 8, 4>(a, b, Half::High),
            I32x4ExtMulLowI16x8U => ext_mul::<u16, u32, 8, 4>(a, b, Half::Low),
            I32x4ExtMulHighI16x8U => ext_mul::<u16, u32, 8, 4>(a, b, Half::High),
            I64x2Add => zip::<u64, 2>(a, b, u64::wrapping_add),
            I64x2Sub => zip::<u64, 2>(a, b, u64::wrapping_sub),
            I64x2Mul => zip::<u64, 2>(a, b, u64::wrapping_mul),
            I64x2ExtMulLowI32x4S => ext_mul::<i32, i64, 4, 2>(a, b, Half::Low),
            I64x2ExtMulHighI32x4S => ext_mul::<i32, i64, 4, 2>(a, b, Half::High),
            I64x2ExtMulLowI32x4U => ext_mul::<u32, u64, 4, 2>(a, b, Half::Low),
            I64x2ExtMulHighI32x4U => ext_mul::<u32, u64, 4, 2>(a, b, Half::High),
            F32x4Add => zip::<f32, 4>(a, b, |x, y| f32_canonicalize(x + y)),
            F32x4Sub => zip::<f32, 4>(a, b, |x, y| f32_canonicalize(x - y)),
            F32x4Mul => zip::<f32, 4>(a, b, |x, y| f32_canonicalize(x * y)),
            F32x4Div => zip::<f32, 4>(a, b, |x, y| f32_canonicalize(x / y)),
            F32x4Min | F32x4RelaxedMin => zip::<f32, 4>(a, b, f32_min),
            F32x4Max | F32x4RelaxedMax => zip::<f32, 4>(a, b, f32_max),
            F32x4PMin => zip::<f32, 4>(a, b, |x, y| if y < x { y } else { x }),
            F32x4PMax => zip::<f32, 4>(a, b, |x, y| if x < y { y } else { x }),
            F64x2Add => zip::<f64, 2>(a, b, |x, y| f64_canonicalize(x + y)),
            F64x2Sub => zip::<f64, 2>(a, b, |x, y| f64_canonicalize(x - y)),
            F64x2Mul => zip::<f64, 2>(a, b, |x, y| f64_canonicalize(x * y)),
            F64x2Div => zip::<f64, 2>(a, b, |x, y| f64_canonicalize(x / y)),
            F64x2Min | F64x2RelaxedMin => zip::<f64, 2>(a, b, f64_min),
            F64x2Max | F64x2RelaxedMax => zip::<f64, 2>(a, b, f64_max),
            F64x2PMin => zip::<f64, 2>(a, b, |x, y| if y < x { y } else { x }),
            F64x2PMax => zip::<f64, 2>(a, b, |x, y| if x < y { y } else { x }),
        }
    }
}

/// `i8x16.swizzle`: lane `i` is `a[b[i]]`, or 0 when the index is 16 or more.
#[inline]
fn swizzle(a: u128, b: u128) -> u128 {
    let (a, b) = (unpack::<u8, 16>(a), unpack::<u8, 16>(b));
    pack::<u8, 16>(b.map(|i| a.get(usize::from(i)).copied().unwrap_or(0)))
}

/// Q15 fixed-point multiplication rounded to nearest (ties up) and saturated;
/// only `-1 * -1` (`i16::MIN * i16::MIN`) saturates.
#[inline]
fn q15mulr_sat(x: i16, y: i16) -> i16 {
    let product = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
    product.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

/// Extended multiplication of one half of the lanes. The double-width type
/// holds every product of two single-width values of the same signedness, so
/// the multiplication cannot overflow.
#[inline]
fn ext_mul<T, U, const N: usize, const M: usize>(a: u128, b: u128, half: Half) -> u128
where
    T: Lane + Into<U>,
    U: Lane + Mul<Output = U>,
{
    widen_zip::<T, U, N, M>(a, b, half, |x, y| x.into() * y.into())
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s` in the deterministic profile: both
/// operands are read as signed and each pair sum saturates. Shared with
/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`, which is defined on top of it.
#[inline]
pub(super) fn relaxed_dot_i8x16_i7x16(a: u128, b: u128) -> u128 {
    pairwise_zip::<i8, i16, 16, 8>(a, b, |a0, b0, a1, b1| {
        (i16::from(a0) * i16::from(b0)).saturating_add(i16::from(a1) * i16::from(b1))
    })
}
