//! Unary v128 operations: bitwise not, integer abs/neg/popcnt, float
//! sign/rounding/sqrt, and every lane-shape conversion.

use super::lanes::map;
use super::reshape::{Half, narrow_zero, pairwise, widen};
use crate::num::{
    f32_canonicalize, f32_ceil, f32_floor, f32_nearest, f32_sqrt, f32_trunc, f64_canonicalize, f64_ceil, f64_floor,
    f64_nearest, f64_sqrt, f64_trunc,
};

/// The sign bit of every `f32x4` lane.
const F32X4_SIGNS: u128 = 0x8000_0000_8000_0000_8000_0000_8000_0000;
/// The sign bit of every `f64x2` lane.
const F64X2_SIGNS: u128 = 0x8000_0000_0000_0000_8000_0000_0000_0000;

/// A v128 -> v128 operation.
///
/// Variant names are those of `wasmparser::Operator`, each the WebAssembly
/// instruction of the same name. Float `abs`/`neg` only touch the sign bit
/// (NaN payloads pass through); every other float result that is NaN is the
/// canonical NaN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128Unary {
    V128Not,
    I8x16Abs,
    I8x16Neg,
    I8x16Popcnt,
    I16x8Abs,
    I16x8Neg,
    I32x4Abs,
    I32x4Neg,
    I64x2Abs,
    I64x2Neg,
    F32x4Abs,
    F32x4Neg,
    F32x4Sqrt,
    F32x4Ceil,
    F32x4Floor,
    F32x4Trunc,
    F32x4Nearest,
    F64x2Abs,
    F64x2Neg,
    F64x2Sqrt,
    F64x2Ceil,
    F64x2Floor,
    F64x2Trunc,
    F64x2Nearest,
    I16x8ExtAddPairwiseI8x16S,
    I16x8ExtAddPairwiseI8x16U,
    I32x4ExtAddPairwiseI16x8S,
    I32x4ExtAddPairwiseI16x8U,
    I16x8ExtendLowI8x16S,
    I16x8ExtendHighI8x16S,
    I16x8ExtendLowI8x16U,
    I16x8ExtendHighI8x16U,
    I32x4ExtendLowI16x8S,
    I32x4ExtendHighI16x8S,
    I32x4ExtendLowI16x8U,
    I32x4ExtendHighI16x8U,
    I64x2ExtendLowI32x4S,
    I64x2ExtendHighI32x4S,
    I64x2ExtendLowI32x4U,
    I64x2ExtendHighI32x4U,
    I32x4TruncSatF32x4S,
    I32x4TruncSatF32x4U,
    F32x4ConvertI32x4S,
    F32x4ConvertI32x4U,
    I32x4TruncSatF64x2SZero,
    I32x4TruncSatF64x2UZero,
    F64x2ConvertLowI32x4S,
    F64x2ConvertLowI32x4U,
    F32x4DemoteF64x2Zero,
    F64x2PromoteLowF32x4,
    /// Deterministic choice: `i32x4.trunc_sat_f32x4_s`.
    I32x4RelaxedTruncF32x4S,
    /// Deterministic choice: `i32x4.trunc_sat_f32x4_u`.
    I32x4RelaxedTruncF32x4U,
    /// Deterministic choice: `i32x4.trunc_sat_f64x2_s_zero`.
    I32x4RelaxedTruncF64x2SZero,
    /// Deterministic choice: `i32x4.trunc_sat_f64x2_u_zero`.
    I32x4RelaxedTruncF64x2UZero,
}

impl V128Unary {
    /// Applies the operation to `a`.
    #[inline]
    pub fn eval(self, a: u128) -> u128 {
        use V128Unary::*;
        match self {
            V128Not => !a,
            I8x16Abs => map::<i8, i8, 16>(a, i8::wrapping_abs),
            I8x16Neg => map::<i8, i8, 16>(a, i8::wrapping_neg),
            I8x16Popcnt => map::<u8, u8, 16>(a, |x| x.count_ones() as u8),
            I16x8Abs => map::<i16, i16, 8>(a, i16::wrapping_abs),
            I16x8Neg => map::<i16, i16, 8>(a, i16::wrapping_neg),
            I32x4Abs => map::<i32, i32, 4>(a, i32::wrapping_abs),
            I32x4Neg => map::<i32, i32, 4>(a, i32::wrapping_neg),
            I64x2Abs => map::<i64, i64, 2>(a, i64::wrapping_abs),
            I64x2Neg => map::<i64, i64, 2>(a, i64::wrapping_neg),
            F32x4Abs => a & !F32X4_SIGNS,
            F32x4Neg => a ^ F32X4_SIGNS,
            F32x4Sqrt => map::<f32, f32, 4>(a, f32_sqrt),
            F32x4Ceil => map::<f32, f32, 4>(a, f32_ceil),
            F32x4Floor => map::<f32, f32, 4>(a, f32_floor),
            F32x4Trunc => map::<f32, f32, 4>(a, f32_trunc),
            F32x4Nearest => map::<f32, f32, 4>(a, f32_nearest),
            F64x2Abs => a & !F64X2_SIGNS,
            F64x2Neg => a ^ F64X2_SIGNS,
            F64x2Sqrt => map::<f64, f64, 2>(a, f64_sqrt),
            F64x2Ceil => map::<f64, f64, 2>(a, f64_ceil),
            F64x2Floor => map::<f64, f64, 2>(a, f64_floor),
            F64x2Trunc => map::<f64, f64, 2>(a, f64_trunc),
            F64x2Nearest => map::<f64, f64, 2>(a, f64_nearest),
            I16x8ExtAddPairwiseI8x16S => pairwise::<i8, i16, 16, 8>(a, |x, y| i16::from(x) + i16::from(y)),
            I16x8ExtAddPairwiseI8x16U => pairwise::<u8, u16, 16, 8>(a, |x, y| u16::from(x) + u16::from(y)),
            I32x4ExtAddPairwiseI16x8S => pairwise::<i16, i32, 8, 4>(a, |x, y| i32::from(x) + i32::from(y)),
            I32x4ExtAddPairwiseI16x8U => pairwise::<u16, u32, 8, 4>(a, |x, y| u32::from(x) + u32::from(y)),
            I16x8ExtendLowI8x16S => widen::<i8, i16, 16, 8>(a, Half::Low, i16::from),
            I16x8ExtendHighI8x16S => widen::<i8, i16, 16, 8>(a, Half::High, i16::from),
            I16x8ExtendLowI8x16U => widen::<u8, u16, 16, 8>(a, Half::Low, u16::from),
            I16x8ExtendHighI8x16U => widen::<u8, u16, 16, 8>(a, Half::High, u16::from),
            I32x4ExtendLowI16x8S => widen::<i16, i32, 8, 4>(a, Half::Low, i32::from),
            I32x4ExtendHighI16x8S => widen::<i16, i32, 8, 4>(a, Half::High, i32::from),
            I32x4ExtendLowI16x8U => widen::<u16, u32, 8, 4>(a, Half::Low, u32::from),
            I32x4ExtendHighI16x8U => widen::<u16, u32, 8, 4>(a, Half::High, u32::from),
            I64x2ExtendLowI32x4S => widen::<i32, i64, 4, 2>(a, Half::Low, i64::from),
            I64x2ExtendHighI32x4S => widen::<i32, i64, 4, 2>(a, Half::High, i64::from),
            I64x2ExtendLowI32x4U => widen::<u32, u64, 4, 2>(a, Half::Low, u64::from),
            I64x2ExtendHighI32x4U => widen::<u32, u64, 4, 2>(a, Half::High, u64::from),
            // Rust's float-to-int `as` casts saturate and map NaN to 0, which
            // is exactly `trunc_sat`.
            I32x4TruncSatF32x4S | I32x4RelaxedTruncF32x4S => map::<f32, i32, 4>(a, |x| x as i32),
            I32x4TruncSatF32x4U | I32x4RelaxedTruncF32x4U => map::<f32, u32, 4>(a, |x| x as u32),
            F32x4ConvertI32x4S => map::<i32, f32, 4>(a, |x| x as f32),
            F32x4ConvertI32x4U => map::<u32, f32, 4>(a, |x| x as f32),
            I32x4TruncSatF64x2SZero | I32x4RelaxedTruncF64x2SZero => narrow_zero::<i32>(a, |x| x as i32),
            I32x4TruncSatF64x2UZero | I32x4RelaxedTruncF64x2UZero => narrow_zero::<u32>(a, |x| x as u32),
            F64x2ConvertLowI32x4S => widen::<i32, f64, 4, 2>(a, Half::Low, f64::from),
            F64x2ConvertLowI32x4U => widen::<u32, f64, 4, 2>(a, Half::Low, f64::from),
            F32x4DemoteF64x2Zero => narrow_zero::<f32>(a, |x| f32_canonicalize(x as f32)),
            F64x2PromoteLowF32x4 => widen::<f32, f64, 4, 2>(a, Half::Low, |x| f64_canonicalize(f64::from(x))),
        }
    }
}
