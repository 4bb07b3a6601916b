//! The computational part of the v128 memory instructions that reshape what
//! they load.
//!
//! Only the extending loads need an operation of their own. The others reuse
//! the lane operations on the loaded or stored bytes (little-endian):
//! - `v128.loadN_splat` is [`V128Splat`](super::V128Splat) of the `N`-bit value;
//! - `v128.load32_zero`/`load64_zero` is the value zero-extended to `u128`;
//! - `v128.loadN_lane` is [`V128ReplaceLane`](super::V128ReplaceLane) of the
//!   integer shape with `N`-bit lanes;
//! - `v128.storeN_lane` stores the low `N` bits of
//!   [`V128ExtractLane`](super::V128ExtractLane) of that shape (the unsigned
//!   variant for 8 and 16 bits).

use super::unary::V128Unary;

/// The lane extension of `v128.load8x8_s/u`, `load16x4_s/u` and
/// `load32x2_s/u`.
///
/// Variant names are those of `wasmparser::Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V128LoadExtend {
    V128Load8x8S,
    V128Load8x8U,
    V128Load16x4S,
    V128Load16x4U,
    V128Load32x2S,
    V128Load32x2U,
}

impl V128LoadExtend {
    /// Widens the 8 loaded bytes `raw` (little-endian) to a v128.
    #[inline]
    pub fn eval(self, raw: u64) -> u128 {
        use V128LoadExtend::*;
        let extend = match self {
            V128Load8x8S => V128Unary::I16x8ExtendLowI8x16S,
            V128Load8x8U => V128Unary::I16x8ExtendLowI8x16U,
            V128Load16x4S => V128Unary::I32x4ExtendLowI16x8S,
            V128Load16x4U => V128Unary::I32x4ExtendLowI16x8U,
            V128Load32x2S => V128Unary::I64x2ExtendLowI32x4S,
            V128Load32x2U => V128Unary::I64x2ExtendLowI32x4U,
        };
        extend.eval(u128::from(raw))
    }
}
