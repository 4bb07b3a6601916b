//! Edge cases of the scalar semantics, taken from the spec tests' boundaries.

use super::*;

fn is_canonical_f32(x: f32) -> bool {
    x.to_bits() & 0x7fff_ffff == F32_CANONICAL_NAN
}

fn is_canonical_f64(x: f64) -> bool {
    x.to_bits() & 0x7fff_ffff_ffff_ffff == F64_CANONICAL_NAN
}

/// A signalling NaN with a payload: the operand that hosts may propagate.
const F32_SNAN: f32 = f32::from_bits(0x7fa0_0000);
const F64_SNAN: f64 = f64::from_bits(0x7ff4_0000_0000_0000);

#[test]
fn min_max_order_zeroes() {
    assert_eq!(f32_min(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
    assert_eq!(f32_min(-0.0, 0.0).to_bits(), (-0.0f32).to_bits());
    assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0.0f32.to_bits());
    assert_eq!(f32_max(0.0, -0.0).to_bits(), 0.0f32.to_bits());
    assert_eq!(f64_min(0.0, -0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(f64_max(-0.0, 0.0).to_bits(), 0.0f64.to_bits());
    assert_eq!(f32_min(1.0, f32::NEG_INFINITY), f32::NEG_INFINITY);
    assert_eq!(f64_max(1.0, f64::INFINITY), f64::INFINITY);
    assert_eq!(f32_min(-3.5, 2.0), -3.5);
    assert_eq!(f64_max(-3.5, 2.0), 2.0);
}

#[test]
fn min_max_propagate_nan() {
    for x in [0.0, -1.0, f32::INFINITY, f32::NAN, F32_SNAN] {
        assert!(is_canonical_f32(f32_min(x, F32_SNAN)));
        assert!(is_canonical_f32(f32_max(F32_SNAN, x)));
        assert!(is_canonical_f32(f32_min(-f32::NAN, x)));
    }
    for x in [0.0, -1.0, f64::NEG_INFINITY, F64_SNAN] {
        assert!(is_canonical_f64(f64_min(x, F64_SNAN)));
        assert!(is_canonical_f64(f64_max(F64_SNAN, x)));
    }
}

#[test]
fn nearest_rounds_ties_to_even() {
    let cases: [(f32, f32); 9] = [
        (0.5, 0.0),
        (1.5, 2.0),
        (2.5, 2.0),
        (-0.5, -0.0),
        (-2.5, -2.0),
        (4.499_999_5, 4.0),
        // 2^23 - 0.5 is the largest f32 with a fraction, and a tie.
        (8_388_607.5, 8_388_608.0),
        (16_777_215.0, 16_777_215.0),
        (f32::NEG_INFINITY, f32::NEG_INFINITY),
    ];
    for (x, want) in cases {
        assert_eq!(f32_nearest(x).to_bits(), want.to_bits(), "nearest({x})");
    }
    assert_eq!(f64_nearest(2.5), 2.0);
    assert_eq!(f64_nearest(3.5), 4.0);
    assert_eq!(f64_nearest(-0.25).to_bits(), (-0.0f64).to_bits());
    assert_eq!(f64_nearest(4_503_599_627_370_495.5), 4_503_599_627_370_496.0);
}

#[test]
fn rounding_keeps_sign_of_zero() {
    assert_eq!(f32_ceil(-0.5).to_bits(), (-0.0f32).to_bits());
    assert_eq!(f32_floor(-0.5), -1.0);
    assert_eq!(f32_trunc(-0.9).to_bits(), (-0.0f32).to_bits());
    assert_eq!(f64_ceil(-0.5).to_bits(), (-0.0f64).to_bits());
    assert_eq!(f64_floor(0.5).to_bits(), 0.0f64.to_bits());
    assert_eq!(f64_trunc(-1.9), -1.0);
}

#[test]
fn rounding_and_sqrt_quiet_nans() {
    for f in [f32_nearest, f32_floor, f32_ceil, f32_trunc, f32_sqrt] {
        assert!(is_canonical_f32(f(F32_SNAN)));
    }
    for f in [f64_nearest, f64_floor, f64_ceil, f64_trunc, f64_sqrt] {
        assert!(is_canonical_f64(f(F64_SNAN)));
    }
    assert!(is_canonical_f32(f32_sqrt(-1.0)));
    assert_eq!(f32_sqrt(-0.0).to_bits(), (-0.0f32).to_bits());
    assert_eq!(f64_sqrt(2.0), core::f64::consts::SQRT_2);
}

#[test]
fn trunc_signed_boundaries() {
    assert_eq!(i32_trunc_f32_s(-2_147_483_648.0), Ok(i32::MIN));
    assert_eq!(i32_trunc_f32_s(2_147_483_520.0), Ok(2_147_483_520));
    assert_eq!(i32_trunc_f32_s(2_147_483_648.0), Err(TrapCode::IntegerOverflow));
    assert_eq!(i32_trunc_f32_s(-2_147_483_904.0), Err(TrapCode::IntegerOverflow));
    assert_eq!(i32_trunc_f64_s(-2_147_483_648.9), Ok(i32::MIN));
    assert_eq!(i32_trunc_f64_s(2_147_483_647.9), Ok(i32::MAX));
    assert_eq!(i32_trunc_f64_s(-2_147_483_649.0), Err(TrapCode::IntegerOverflow));
    assert_eq!(i64_trunc_f32_s(-9_223_372_036_854_775_808.0), Ok(i64::MIN));
    assert_eq!(
        i64_trunc_f32_s(9_223_372_036_854_775_808.0),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(i64_trunc_f64_s(-9_223_372_036_854_775_808.0), Ok(i64::MIN));
    assert_eq!(
        i64_trunc_f64_s(9_223_372_036_854_774_784.0),
        Ok(9_223_372_036_854_774_784)
    );
    assert_eq!(
        i64_trunc_f64_s(-9_223_372_036_854_777_856.0),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(i32_trunc_f32_s(-0.9), Ok(0));
}

#[test]
fn trunc_unsigned_boundaries() {
    assert_eq!(i32_trunc_f32_u(-0.99), Ok(0));
    assert_eq!(i32_trunc_f32_u(-1.0), Err(TrapCode::IntegerOverflow));
    assert_eq!(i32_trunc_f32_u(4_294_967_040.0), Ok(4_294_967_040));
    assert_eq!(i32_trunc_f32_u(4_294_967_296.0), Err(TrapCode::IntegerOverflow));
    assert_eq!(i32_trunc_f64_u(4_294_967_295.9), Ok(u32::MAX));
    assert_eq!(i32_trunc_f64_u(-0.999_999), Ok(0));
    assert_eq!(
        i64_trunc_f32_u(18_446_742_974_197_923_840.0),
        Ok(18_446_742_974_197_923_840)
    );
    assert_eq!(
        i64_trunc_f32_u(18_446_744_073_709_551_616.0),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i64_trunc_f64_u(18_446_744_073_709_549_568.0),
        Ok(18_446_744_073_709_549_568)
    );
    assert_eq!(i64_trunc_f64_u(-1.0), Err(TrapCode::IntegerOverflow));
}

#[test]
fn trunc_nan_and_infinity() {
    let nan = TrapCode::BadConversionToInteger;
    assert_eq!(i32_trunc_f32_s(f32::NAN), Err(nan));
    assert_eq!(i32_trunc_f32_u(-F32_SNAN), Err(nan));
    assert_eq!(i64_trunc_f64_s(F64_SNAN), Err(nan));
    assert_eq!(i64_trunc_f64_u(f64::NAN), Err(nan));
    assert_eq!(i32_trunc_f64_s(f64::INFINITY), Err(TrapCode::IntegerOverflow));
    assert_eq!(i64_trunc_f32_u(f32::NEG_INFINITY), Err(TrapCode::IntegerOverflow));
}

#[test]
fn integer_division_traps() {
    assert_eq!(i32_div_s(7, 0), Err(TrapCode::IntegerDivisionByZero));
    assert_eq!(i32_div_s(i32::MIN, -1), Err(TrapCode::IntegerOverflow));
    assert_eq!(i32_div_s(-7, 2), Ok(-3));
    assert_eq!(i32_div_u(0x8000_0000, 2), Ok(0x4000_0000));
    assert_eq!(i32_div_u(1, 0), Err(TrapCode::IntegerDivisionByZero));
    assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
    assert_eq!(i32_rem_s(-7, 2), Ok(-1));
    assert_eq!(i32_rem_s(7, 0), Err(TrapCode::IntegerDivisionByZero));
    assert_eq!(i32_rem_u(u32::MAX, 10), Ok(5));
    assert_eq!(i32_rem_u(1, 0), Err(TrapCode::IntegerDivisionByZero));
    assert_eq!(i64_div_s(i64::MIN, -1), Err(TrapCode::IntegerOverflow));
    assert_eq!(i64_div_s(i64::MIN, 2), Ok(i64::MIN / 2));
    assert_eq!(i64_div_u(5, 0), Err(TrapCode::IntegerDivisionByZero));
    assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
    assert_eq!(i64_rem_s(5, 0), Err(TrapCode::IntegerDivisionByZero));
    assert_eq!(i64_rem_u(u64::MAX, 2), Ok(1));
}
