//! Scalar numeric semantics of WebAssembly that Rust's operators do not give
//! directly.
//!
//! Rust's `+`, `-`, `*`, `/` on floats and the saturating `as` casts already
//! match WebAssembly bit for bit (apart from NaN payloads, which the spec
//! leaves open), so they are not wrapped here. What is here is everything
//! whose Rust counterpart differs: `min`/`max` (Rust's ignore NaN and do not
//! order the zeroes), the rounding functions (unavailable in `core`), the
//! trapping float-to-int conversions and the trapping integer division.
//!
//! Every NaN produced here is the positive canonical NaN. The spec allows any
//! NaN from the "canonical or arithmetic" set for these operations; always
//! picking the canonical one satisfies both `nan:canonical` and
//! `nan:arithmetic` and makes results independent of the host CPU.

#[cfg(feature = "std")]
extern crate std;

use crate::TrapCode;

#[cfg(test)]
mod tests;

/// Bit pattern of the positive canonical `f32` NaN (quiet bit only).
const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// Bit pattern of the positive canonical `f64` NaN (quiet bit only).
const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

/// Replaces any NaN by the canonical NaN, so that arithmetic results never
/// leak a signalling NaN or a host-specific payload.
///
/// The test is done on the bits on purpose: LLVM considers all NaNs
/// interchangeable and folds a float-typed `if r.is_nan() { NAN } else { r }`
/// away when it can prove `r` is NaN exactly then (it does so for `sqrt`),
/// which would let the host's payload through.
#[inline]
pub(crate) fn f32_canonicalize(x: f32) -> f32 {
    let bits = x.to_bits();
    f32::from_bits(if bits & !(1 << 31) > f32::INFINITY.to_bits() {
        F32_CANONICAL_NAN
    } else {
        bits
    })
}

/// `f64` counterpart of [`f32_canonicalize`].
#[inline]
pub(crate) fn f64_canonicalize(x: f64) -> f64 {
    let bits = x.to_bits();
    f64::from_bits(if bits & !(1 << 63) > f64::INFINITY.to_bits() {
        F64_CANONICAL_NAN
    } else {
        bits
    })
}

/// Defines `fmin`/`fmax` for one float type. The zeroes are ordered through
/// their bits: OR-ing the patterns of `+0` and `-0` keeps the sign bit (the
/// minimum is `-0`), AND-ing clears it (the maximum is `+0`); for any other
/// pair of equal values both patterns are identical so the result is that
/// value.
macro_rules! min_max {
    ($min:ident, $max:ident, $ty:ty, $nan:expr) => {
        /// WebAssembly `min`: NaN if either operand is NaN, and `-0 < +0`.
        #[inline]
        pub fn $min(a: $ty, b: $ty) -> $ty {
            if a.is_nan() || b.is_nan() {
                <$ty>::from_bits($nan)
            } else if a == b {
                <$ty>::from_bits(a.to_bits() | b.to_bits())
            } else if a < b {
                a
            } else {
                b
            }
        }

        /// WebAssembly `max`: NaN if either operand is NaN, and `-0 < +0`.
        #[inline]
        pub fn $max(a: $ty, b: $ty) -> $ty {
            if a.is_nan() || b.is_nan() {
                <$ty>::from_bits($nan)
            } else if a == b {
                <$ty>::from_bits(a.to_bits() & b.to_bits())
            } else if a > b {
                a
            } else {
                b
            }
        }
    };
}

min_max!(f32_min, f32_max, f32, F32_CANONICAL_NAN);
min_max!(f64_min, f64_max, f64, F64_CANONICAL_NAN);

/// Defines one rounding or square-root function: the `std` method when the
/// `std` feature is on (a single instruction on most targets), `libm`
/// otherwise. The result is canonicalized because neither backend promises to
/// quiet a signalling NaN operand.
macro_rules! float_unary {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $std:ident, $libm:ident, $canon:ident) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(x: $ty) -> $ty {
            #[cfg(feature = "std")]
            let r = <$ty>::$std(x);
            #[cfg(not(feature = "std"))]
            let r = libm::$libm(x);
            $canon(r)
        }
    };
}

float_unary!(
    /// WebAssembly `f32.nearest`: round to the nearest integer, ties to even.
    f32_nearest, f32, round_ties_even, roundevenf, f32_canonicalize
);
float_unary!(
    /// WebAssembly `f32.floor`.
    f32_floor, f32, floor, floorf, f32_canonicalize
);
float_unary!(
    /// WebAssembly `f32.ceil`.
    f32_ceil, f32, ceil, ceilf, f32_canonicalize
);
float_unary!(
    /// WebAssembly `f32.trunc`: round toward zero.
    f32_trunc, f32, trunc, truncf, f32_canonicalize
);
float_unary!(
    /// WebAssembly `f32.sqrt` (correctly rounded; NaN for negative operands).
    f32_sqrt, f32, sqrt, sqrtf, f32_canonicalize
);
float_unary!(
    /// WebAssembly `f64.nearest`: round to the nearest integer, ties to even.
    f64_nearest, f64, round_ties_even, roundeven, f64_canonicalize
);
float_unary!(
    /// WebAssembly `f64.floor`.
    f64_floor, f64, floor, floor, f64_canonicalize
);
float_unary!(
    /// WebAssembly `f64.ceil`.
    f64_ceil, f64, ceil, ceil, f64_canonicalize
);
float_unary!(
    /// WebAssembly `f64.trunc`: round toward zero.
    f64_trunc, f64, trunc, trunc, f64_canonicalize
);
float_unary!(
    /// WebAssembly `f64.sqrt` (correctly rounded; NaN for negative operands).
    f64_sqrt, f64, sqrt, sqrt, f64_canonicalize
);

/// Defines one trapping float-to-int truncation. `$lo` and `$hi` are the
/// exclusive bounds of the operands whose truncation fits the target type,
/// written as exactly representable values of the source type; inside them
/// Rust's `as` cast truncates exactly. NaN fails both comparisons and is told
/// apart afterwards because the spec reports it with a different message
/// ("invalid conversion to integer") than an out-of-range value
/// ("integer overflow").
macro_rules! trunc {
    ($(#[$doc:meta])* $name:ident, $from:ty, $to:ty, $lo:expr, $hi:expr) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(x: $from) -> Result<$to, TrapCode> {
            if x > $lo && x < $hi {
                Ok(x as $to)
            } else if x.is_nan() {
                Err(TrapCode::BadConversionToInteger)
            } else {
                Err(TrapCode::IntegerOverflow)
            }
        }
    };
}

// The lower bound of a signed conversion is the largest representable value
// below `MIN - 1` that still truncates to `MIN`: for `f32` (24-bit
// significand) the value next below `-2^31` is `-2^31 - 256`, so `-2^31` itself
// is the last valid one and the exclusive bound is that next value; `f64`
// represents `-2^31 - 1` exactly. For 64-bit targets neither type has a value
// strictly between `-2^63 - 1` and `-2^63`, so the exclusive bound is the next
// value below `-2^63`.
trunc!(
    /// `i32.trunc_f32_s`: traps on NaN and on values outside `(-2^31 - 1, 2^31)`.
    i32_trunc_f32_s, f32, i32, -2_147_483_904.0, 2_147_483_648.0
);
trunc!(
    /// `i32.trunc_f32_u`: traps on NaN and on values outside `(-1, 2^32)`.
    i32_trunc_f32_u, f32, u32, -1.0, 4_294_967_296.0
);
trunc!(
    /// `i32.trunc_f64_s`: traps on NaN and on values outside `(-2^31 - 1, 2^31)`.
    i32_trunc_f64_s, f64, i32, -2_147_483_649.0, 2_147_483_648.0
);
trunc!(
    /// `i32.trunc_f64_u`: traps on NaN and on values outside `(-1, 2^32)`.
    i32_trunc_f64_u, f64, u32, -1.0, 4_294_967_296.0
);
trunc!(
    /// `i64.trunc_f32_s`: traps on NaN and on values outside `(-2^63 - 1, 2^63)`.
    i64_trunc_f32_s, f32, i64, -9_223_373_136_366_403_584.0, 9_223_372_036_854_775_808.0
);
trunc!(
    /// `i64.trunc_f32_u`: traps on NaN and on values outside `(-1, 2^64)`.
    i64_trunc_f32_u, f32, u64, -1.0, 18_446_744_073_709_551_616.0
);
trunc!(
    /// `i64.trunc_f64_s`: traps on NaN and on values outside `(-2^63 - 1, 2^63)`.
    i64_trunc_f64_s, f64, i64, -9_223_372_036_854_777_856.0, 9_223_372_036_854_775_808.0
);
trunc!(
    /// `i64.trunc_f64_u`: traps on NaN and on values outside `(-1, 2^64)`.
    i64_trunc_f64_u, f64, u64, -1.0, 18_446_744_073_709_551_616.0
);

/// Defines the four trapping division operators of one integer width.
macro_rules! div_rem {
    ($div_s:ident, $div_u:ident, $rem_s:ident, $rem_u:ident, $s:ty, $u:ty) => {
        /// Signed division, truncating toward zero. Traps on a zero divisor and
        /// on `MIN / -1`, whose quotient is not representable.
        #[inline]
        pub fn $div_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                Err(TrapCode::IntegerDivisionByZero)
            } else {
                a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
            }
        }

        /// Unsigned division. Traps on a zero divisor.
        #[inline]
        pub fn $div_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_div(b).ok_or(TrapCode::IntegerDivisionByZero)
        }

        /// Signed remainder, with the sign of the dividend. Traps on a zero
        /// divisor; `MIN rem -1` is 0 (it does not overflow, unlike Rust's `%`).
        #[inline]
        pub fn $rem_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                Err(TrapCode::IntegerDivisionByZero)
            } else {
                Ok(a.wrapping_rem(b))
            }
        }

        /// Unsigned remainder. Traps on a zero divisor.
        #[inline]
        pub fn $rem_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_rem(b).ok_or(TrapCode::IntegerDivisionByZero)
        }
    };
}

div_rem!(i32_div_s, i32_div_u, i32_rem_s, i32_rem_u, i32, u32);
div_rem!(i64_div_s, i64_div_u, i64_rem_s, i64_rem_u, i64, u64);
