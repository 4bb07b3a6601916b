//! Lane-wise shifts of a v128 by a scalar count.

use super::lanes::map;

/// A v128 x i32 -> v128 shift. The count is taken modulo the lane width, as
/// the spec requires (Rust's `wrapping_shl`/`wrapping_shr` do exactly that).
///
/// Variant names are those of `wasmparser::Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128Shift {
    I8x16Shl,
    I8x16ShrS,
    I8x16ShrU,
    I16x8Shl,
    I16x8ShrS,
    I16x8ShrU,
    I32x4Shl,
    I32x4ShrS,
    I32x4ShrU,
    I64x2Shl,
    I64x2ShrS,
    I64x2ShrU,
}

impl V128Shift {
    /// Shifts every lane of `a` by `count` (modulo the lane width).
    #[inline]
    pub fn eval(self, a: u128, count: u32) -> u128 {
        use V128Shift::*;
        match self {
            I8x16Shl => map::<u8, u8, 16>(a, |x| x.wrapping_shl(count)),
            I8x16ShrS => map::<i8, i8, 16>(a, |x| x.wrapping_shr(count)),
            I8x16ShrU => map::<u8, u8, 16>(a, |x| x.wrapping_shr(count)),
            I16x8Shl => map::<u16, u16, 8>(a, |x| x.wrapping_shl(count)),
            I16x8ShrS => map::<i16, i16, 8>(a, |x| x.wrapping_shr(count)),
            I16x8ShrU => map::<u16, u16, 8>(a, |x| x.wrapping_shr(count)),
            I32x4Shl => map::<u32, u32, 4>(a, |x| x.wrapping_shl(count)),
            I32x4ShrS => map::<i32, i32, 4>(a, |x| x.wrapping_shr(count)),
            I32x4ShrU => map::<u32, u32, 4>(a, |x| x.wrapping_shr(count)),
            I64x2Shl => map::<u64, u64, 2>(a, |x| x.wrapping_shl(count)),
            I64x2ShrS => map::<i64, i64, 2>(a, |x| x.wrapping_shr(count)),
            I64x2ShrU => map::<u64, u64, 2>(a, |x| x.wrapping_shr(count)),
        }
    }
}
