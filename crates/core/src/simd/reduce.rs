//! v128 -> i32 reductions: `any_true`, `all_true` and `bitmask`.

use super::lanes::{Lane, unpack};

/// A v128 -> i32 operation.
///
/// Variant names are those of `wasmparser::Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128Test {
    /// 1 if any bit is set.
    V128AnyTrue,
    /// 1 if every 8-bit lane is non-zero.
    I8x16AllTrue,
    /// 1 if every 16-bit lane is non-zero.
    I16x8AllTrue,
    /// 1 if every 32-bit lane is non-zero.
    I32x4AllTrue,
    /// 1 if every 64-bit lane is non-zero.
    I64x2AllTrue,
    /// Bit `i` is the sign bit of 8-bit lane `i`.
    I8x16Bitmask,
    /// Bit `i` is the sign bit of 16-bit lane `i`.
    I16x8Bitmask,
    /// Bit `i` is the sign bit of 32-bit lane `i`.
    I32x4Bitmask,
    /// Bit `i` is the sign bit of 64-bit lane `i`.
    I64x2Bitmask,
}

impl V128Test {
    /// Reduces `a` to an i32 (returned as its `u32` bits).
    #[inline]
    pub fn eval(self, a: u128) -> u32 {
        use V128Test::*;
        match self {
            V128AnyTrue => u32::from(a != 0),
            I8x16AllTrue => all_true::<u8, 16>(a),
            I16x8AllTrue => all_true::<u16, 8>(a),
            I32x4AllTrue => all_true::<u32, 4>(a),
            I64x2AllTrue => all_true::<u64, 2>(a),
            I8x16Bitmask => bitmask::<i8, 16>(a),
            I16x8Bitmask => bitmask::<i16, 8>(a),
            I32x4Bitmask => bitmask::<i32, 4>(a),
            I64x2Bitmask => bitmask::<i64, 2>(a),
        }
    }
}

/// 1 if no lane of `a` is zero.
#[inline]
fn all_true<T: Lane + Default + PartialEq, const N: usize>(a: u128) -> u32 {
    u32::from(unpack::<T, N>(a).iter().all(|&x| x != T::default()))
}

/// The sign bits of the (signed) lanes of `a`, lane 0 in bit 0.
#[inline]
fn bitmask<T: Lane + Default + PartialOrd, const N: usize>(a: u128) -> u32 {
    unpack::<T, N>(a)
        .iter()
        .enumerate()
        .fold(0, |acc, (i, &x)| acc | u32::from(x < T::default()) << i)
}
