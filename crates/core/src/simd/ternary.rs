//! Three-operand v128 operations: `v128.bitselect` and the relaxed-SIMD
//! multiply-add, lane select and accumulating dot product.

use super::binary::relaxed_dot_i8x16_i7x16;
use super::lanes::{zip, zip3};
use super::unary::V128Unary;
use crate::num::{f32_canonicalize, f64_canonicalize};

/// A v128 x v128 x v128 -> v128 operation; `eval(a, b, c)` takes the operands
/// in wasm stack order (`c` on top).
///
/// Variant names are those of `wasmparser::Operator`. The relaxed variants
/// implement the spec's deterministic profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128Ternary {
    /// Bits of `a` where `c` is 1, bits of `b` where `c` is 0.
    V128Bitselect,
    /// `a * b + c`, rounded twice (unfused), as the deterministic profile
    /// prescribes.
    F32x4RelaxedMadd,
    /// `-(a * b) + c`, unfused.
    F32x4RelaxedNmadd,
    /// `a * b + c`, unfused.
    F64x2RelaxedMadd,
    /// `-(a * b) + c`, unfused.
    F64x2RelaxedNmadd,
    /// Deterministic choice: `v128.bitselect` with `c` as the mask.
    I8x16RelaxedLaneselect,
    /// Deterministic choice: `v128.bitselect` with `c` as the mask.
    I16x8RelaxedLaneselect,
    /// Deterministic choice: `v128.bitselect` with `c` as the mask.
    I32x4RelaxedLaneselect,
    /// Deterministic choice: `v128.bitselect` with `c` as the mask.
    I64x2RelaxedLaneselect,
    /// `i16x8.relaxed_dot_i8x16_i7x16_s(a, b)`, its adjacent lanes summed
    /// into 32 bits, plus `c` (wrapping).
    I32x4RelaxedDotI8x16I7x16AddS,
}

impl V128Ternary {
    /// Applies the operation to `a`, `b` and `c`.
    #[inline]
    pub fn eval(self, a: u128, b: u128, c: u128) -> u128 {
        use V128Ternary::*;
        match self {
            V128Bitselect
            | I8x16RelaxedLaneselect
            | I16x8RelaxedLaneselect
            | I32x4RelaxedLaneselect
            | I64x2RelaxedLaneselect => (a & c) | (b & !c),
            F32x4RelaxedMadd => zip3::<f32, 4>(a, b, c, |x, y, z| f32_canonicalize(x * y + z)),
            F32x4RelaxedNmadd => zip3::<f32, 4>(a, b, c, |x, y, z| f32_canonicalize(-x * y + z)),
            F64x2RelaxedMadd => zip3::<f64, 2>(a, b, c, |x, y, z| f64_canonicalize(x * y + z)),
            F64x2RelaxedNmadd => zip3::<f64, 2>(a, b, c, |x, y, z| f64_canonicalize(-x * y + z)),
            I32x4RelaxedDotI8x16I7x16AddS => {
                let sums = V128Unary::I32x4ExtAddPairwiseI16x8S.eval(relaxed_dot_i8x16_i7x16(a, b));
                zip::<u32, 4>(sums, c, u32::wrapping_add)
            }
        }
    }
}
