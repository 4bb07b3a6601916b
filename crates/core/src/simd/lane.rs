//! Moving scalars into and out of lanes: splat, extract_lane, replace_lane,
//! and the byte permutation `i8x16.shuffle`.
//!
//! Scalars cross as raw 64-bit slots: i32 and f32 in the low 32 bits (f32 as
//! its bit pattern, upper bits zero), i64 as is, f64 as its bit pattern.
//! Lane indices are immediates that validation has already bounded; they are
//! still reduced modulo the lane count so that a bad index can never panic.

use super::lanes::{pack, unpack};

/// A scalar -> v128 operation that copies the scalar into every lane.
///
/// Variant names are those of `wasmparser::Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128Splat {
    I8x16Splat,
    I16x8Splat,
    I32x4Splat,
    I64x2Splat,
    F32x4Splat,
    F64x2Splat,
}

impl V128Splat {
    /// Replicates the low lane-width bits of the slot `x`.
    #[inline]
    pub fn eval(self, x: u64) -> u128 {
        use V128Splat::*;
        match self {
            I8x16Splat => pack::<u8, 16>([x as u8; 16]),
            I16x8Splat => pack::<u16, 8>([x as u16; 8]),
            I32x4Splat | F32x4Splat => pack::<u32, 4>([x as u32; 4]),
            I64x2Splat | F64x2Splat => pack::<u64, 2>([x; 2]),
        }
    }
}

/// Reads one lane as a scalar slot.
///
/// Variant names are those of `wasmparser::Operator`; the `S`/`U` variants
/// sign- or zero-extend an 8/16-bit lane to an i32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128ExtractLane {
    I8x16ExtractLaneS,
    I8x16ExtractLaneU,
    I16x8ExtractLaneS,
    I16x8ExtractLaneU,
    I32x4ExtractLane,
    I64x2ExtractLane,
    F32x4ExtractLane,
    F64x2ExtractLane,
}

impl V128ExtractLane {
    /// Lane `lane` of `a` as a slot (i32 results have their upper 32 bits
    /// zero).
    #[inline]
    pub fn eval(self, a: u128, lane: u8) -> u64 {
        use V128ExtractLane::*;
        match self {
            I8x16ExtractLaneS => u64::from(lane_bits(a, lane, 8) as i8 as i32 as u32),
            I8x16ExtractLaneU => u64::from(lane_bits(a, lane, 8) as u8),
            I16x8ExtractLaneS => u64::from(lane_bits(a, lane, 16) as i16 as i32 as u32),
            I16x8ExtractLaneU => u64::from(lane_bits(a, lane, 16) as u16),
            I32x4ExtractLane | F32x4ExtractLane => u64::from(lane_bits(a, lane, 32) as u32),
            I64x2ExtractLane | F64x2ExtractLane => lane_bits(a, lane, 64) as u64,
        }
    }
}

/// Overwrites one lane with a scalar slot.
///
/// Variant names are those of `wasmparser::Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128ReplaceLane {
    I8x16ReplaceLane,
    I16x8ReplaceLane,
    I32x4ReplaceLane,
    I64x2ReplaceLane,
    F32x4ReplaceLane,
    F64x2ReplaceLane,
}

impl V128ReplaceLane {
    /// `a` with lane `lane` replaced by the low lane-width bits of `x`.
    #[inline]
    pub fn eval(self, a: u128, lane: u8, x: u64) -> u128 {
        use V128ReplaceLane::*;
        let bits = match self {
            I8x16ReplaceLane => 8,
            I16x8ReplaceLane => 16,
            I32x4ReplaceLane | F32x4ReplaceLane => 32,
            I64x2ReplaceLane | F64x2ReplaceLane => 64,
        };
        let shift = lane_shift(lane, bits);
        let mask = (u128::MAX >> (128 - bits)) << shift;
        (a & !mask) | ((u128::from(x) << shift) & mask)
    }
}

/// `i8x16.shuffle`: result byte `i` is byte `lanes[i]` of the 32-byte
/// concatenation `a ++ b` (indices modulo 32; validation rejects larger ones).
#[inline]
pub fn i8x16_shuffle(a: u128, b: u128, lanes: [u8; 16]) -> u128 {
    let (a, b) = (unpack::<u8, 16>(a), unpack::<u8, 16>(b));
    pack::<u8, 16>(lanes.map(|i| {
        let i = usize::from(i % 32);
        if i < 16 { a[i] } else { b[i - 16] }
    }))
}

/// Bit offset of lane `lane` (modulo the lane count) for `bits`-wide lanes.
#[inline]
fn lane_shift(lane: u8, bits: u32) -> u32 {
    (u32::from(lane) % (128 / bits)) * bits
}

/// Lane `lane` of `a` in the low bits of the result (higher bits are the
/// following lanes; callers truncate).
#[inline]
fn lane_bits(a: u128, lane: u8, bits: u32) -> u128 {
    a >> lane_shift(lane, bits)
}
