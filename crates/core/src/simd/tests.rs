//! Edge cases of the SIMD operations: saturation, out-of-range indices, NaN
//! and signed-zero handling, and the deterministic relaxed-SIMD choices.

use super::lanes::{pack, unpack};
use super::*;

fn i8x16(l: [i8; 16]) -> u128 {
    pack::<i8, 16>(l)
}
fn i16x8(l: [i16; 8]) -> u128 {
    pack::<i16, 8>(l)
}
fn i32x4(l: [i32; 4]) -> u128 {
    pack::<i32, 4>(l)
}
fn f32x4(l: [f32; 4]) -> u128 {
    pack::<f32, 4>(l)
}
fn f64x2(l: [f64; 2]) -> u128 {
    pack::<f64, 2>(l)
}
fn bytes(v: u128) -> [u8; 16] {
    v.to_le_bytes()
}

#[test]
fn lane_zero_is_least_significant() {
    assert_eq!(i32x4([1, 2, 3, 4]), 0x0000_0004_0000_0003_0000_0002_0000_0001);
    assert_eq!(unpack::<i16, 8>(i16x8([-1, 2, 3, 4, 5, 6, 7, -8]))[7], -8);
}

#[test]
fn narrow_saturates() {
    let a = i16x8([-32768, -129, -128, -1, 0, 127, 128, 32767]);
    let b = i16x8([255, 256, 1, 2, 3, 4, 5, 6]);
    assert_eq!(
        V128Binary::I8x16NarrowI16x8S.eval(a, b),
        i8x16([-128, -128, -128, -1, 0, 127, 127, 127, 127, 127, 1, 2, 3, 4, 5, 6])
    );
    assert_eq!(
        bytes(V128Binary::I8x16NarrowI16x8U.eval(a, b)),
        [0, 0, 0, 0, 0, 127, 128, 255, 255, 255, 1, 2, 3, 4, 5, 6]
    );
    let a = i32x4([i32::MIN, -32769, 65535, 65536]);
    assert_eq!(
        V128Binary::I16x8NarrowI32x4S.eval(a, a),
        i16x8([-32768, -32768, 32767, 32767, -32768, -32768, 32767, 32767])
    );
    assert_eq!(
        V128Binary::I16x8NarrowI32x4U.eval(a, 0),
        i16x8([0, 0, -1, -1, 0, 0, 0, 0])
    );
}

#[test]
fn q15mulr_saturates_only_min_times_min() {
    let a = i16x8([i16::MIN, i16::MIN, 0x4000, -0x4000, 1, -1, i16::MAX, 16384]);
    let b = i16x8([i16::MIN, i16::MAX, 0x4000, 0x4000, 0x4000, 0x4000, i16::MAX, 1]);
    let want = i16x8([i16::MAX, -32767, 0x2000, -0x2000, 1, 0, 32766, 1]);
    assert_eq!(V128Binary::I16x8Q15MulrSatS.eval(a, b), want);
    assert_eq!(V128Binary::I16x8RelaxedQ15mulrS.eval(a, b), want);
}

#[test]
fn swizzle_zeroes_out_of_range_indices() {
    let a = i8x16([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    let idx = pack::<u8, 16>([15, 0, 16, 255, 128, 1, 17, 31, 2, 3, 4, 5, 6, 7, 8, 9]);
    let want = i8x16([25, 10, 0, 0, 0, 11, 0, 0, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert_eq!(V128Binary::I8x16Swizzle.eval(a, idx), want);
    assert_eq!(V128Binary::I8x16RelaxedSwizzle.eval(a, idx), want);
}

#[test]
fn shuffle_selects_from_both_operands() {
    let a = pack::<u8, 16>(core::array::from_fn(|i| i as u8));
    let b = pack::<u8, 16>(core::array::from_fn(|i| 0x80 | i as u8));
    let lanes = [31, 0, 16, 15, 1, 17, 2, 18, 30, 14, 29, 13, 28, 12, 27, 11];
    let want = [
        0x8f, 0, 0x80, 15, 1, 0x81, 2, 0x82, 0x8e, 14, 0x8d, 13, 0x8c, 12, 0x8b, 11,
    ];
    assert_eq!(bytes(i8x16_shuffle(a, b, lanes)), want);
}

#[test]
fn bitmask_and_all_true() {
    let v = i8x16([-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5]);
    assert_eq!(V128Test::I8x16Bitmask.eval(v), 0b1000_0000_0000_0101);
    assert_eq!(V128Test::I16x8Bitmask.eval(v), 0b1000_0000);
    assert_eq!(V128Test::I32x4Bitmask.eval(v), 0b1000);
    assert_eq!(V128Test::I64x2Bitmask.eval(v), 0b10);
    assert_eq!(V128Test::V128AnyTrue.eval(v), 1);
    assert_eq!(V128Test::V128AnyTrue.eval(0), 0);
    assert_eq!(V128Test::I8x16AllTrue.eval(v), 0);
    assert_eq!(V128Test::I16x8AllTrue.eval(v), 0);
    assert_eq!(V128Test::I16x8AllTrue.eval(u128::MAX >> 8), 1);
    assert_eq!(V128Test::I8x16AllTrue.eval(u128::MAX >> 8), 0);
    assert_eq!(V128Test::I64x2AllTrue.eval(1 | 1 << 64), 1);
}

#[test]
fn popcnt_abs_neg_wrap() {
    let v = i8x16([0, 1, -1, 3, -128, 127, 85, -86, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        V128Unary::I8x16Popcnt.eval(v),
        i8x16([0, 1, 8, 2, 1, 7, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    let w = i32x4([i32::MIN, -5, 5, 0]);
    assert_eq!(V128Unary::I32x4Abs.eval(w), i32x4([i32::MIN, 5, 5, 0]));
    assert_eq!(V128Unary::I32x4Neg.eval(w), i32x4([i32::MIN, 5, -5, 0]));
}

#[test]
fn dot_products() {
    let a = i16x8([i16::MIN, i16::MIN, 1, 2, -3, 4, 0, 0]);
    let b = i16x8([i16::MIN, i16::MIN, 5, 6, 7, 8, 0, 0]);
    // 2 * 2^30 wraps to i32::MIN.
    assert_eq!(V128Binary::I32x4DotI16x8S.eval(a, b), i32x4([i32::MIN, 17, 11, 0]));

    let a = i8x16([-128, -128, 127, 127, -128, -128, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    let b = i8x16([127, 127, 127, 127, -128, -128, -127, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
    let dot = V128Binary::I16x8RelaxedDotI8x16I7x16S.eval(a, b);
    // Signed operands; 2 * 16384 saturates.
    assert_eq!(dot, i16x8([-32512, 32258, 32767, -121, 0, 0, 0, 0]));
    let dot_add = V128Ternary::I32x4RelaxedDotI8x16I7x16AddS.eval(a, b, i32x4([1, 2, 3, -1]));
    assert_eq!(dot_add, i32x4([-32512 + 32258 + 1, 32767 - 121 + 2, 3, -1]));
}

#[test]
fn extended_arithmetic() {
    let a = i32x4([-1, 2, i32::MAX, -7]);
    let b = i32x4([-1, 3, i32::MAX, 9]);
    let hi = V128Binary::I64x2ExtMulHighI32x4S.eval(a, b);
    assert_eq!(unpack::<i64, 2>(hi), [i64::from(i32::MAX) * i64::from(i32::MAX), -63]);
    let lo = V128Binary::I64x2ExtMulLowI32x4U.eval(a, b);
    assert_eq!(unpack::<u64, 2>(lo), [u64::from(u32::MAX) * u64::from(u32::MAX), 6]);
    let v = i8x16([-128, -128, 127, 127, -1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        V128Unary::I16x8ExtAddPairwiseI8x16S.eval(v),
        i16x8([-256, 254, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        V128Unary::I16x8ExtAddPairwiseI8x16U.eval(v),
        i16x8([256, 254, 256, 0, 0, 0, 0, 0])
    );
    assert_eq!(V128Binary::I8x16AvgrU.eval(u128::MAX, 0), pack::<u8, 16>([128; 16]));
}

#[test]
fn shifts_take_count_modulo_lane_width() {
    let v = i16x8([-2, 1, 0x4000, 0, 0, 0, 0, 0]);
    assert_eq!(V128Shift::I16x8Shl.eval(v, 17), i16x8([-4, 2, -0x8000, 0, 0, 0, 0, 0]));
    assert_eq!(
        V128Shift::I16x8ShrS.eval(v, 16 + 1),
        i16x8([-1, 0, 0x2000, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        V128Shift::I16x8ShrU.eval(v, 1),
        i16x8([0x7fff, 0, 0x2000, 0, 0, 0, 0, 0])
    );
    assert_eq!(V128Shift::I64x2ShrS.eval(1 << 127 | 1 << 62, 64 + 63), u128::MAX << 64);
    assert_eq!(V128Shift::I8x16Shl.eval(u128::MAX, 8), u128::MAX);
}

#[test]
fn float_min_max_and_pseudo_min_max() {
    let nan = f32::from_bits(0x7fa0_0001);
    let a = f32x4([0.0, -0.0, nan, 1.0]);
    let b = f32x4([-0.0, 0.0, 1.0, nan]);
    let min = unpack::<u32, 4>(V128Binary::F32x4Min.eval(a, b));
    assert_eq!(min[..2], [0x8000_0000, 0x8000_0000]);
    assert!(min[2..].iter().all(|&x| x == 0x7fc0_0000));
    let max = unpack::<u32, 4>(V128Binary::F32x4RelaxedMax.eval(a, b));
    assert_eq!(max, [0, 0, 0x7fc0_0000, 0x7fc0_0000]);
    // pmin/pmax return an operand bit for bit: `a` unless the comparison holds.
    let pmin = unpack::<u32, 4>(V128Binary::F32x4PMin.eval(a, b));
    assert_eq!(pmin, [0, 0x8000_0000, 0x7fa0_0001, 1.0f32.to_bits()]);
    let pmax = unpack::<u32, 4>(V128Binary::F32x4PMax.eval(b, a));
    assert_eq!(pmax, [0x8000_0000, 0, 1.0f32.to_bits(), 0x7fa0_0001]);
    let c = f64x2([f64::NEG_INFINITY, -0.0]);
    let d = f64x2([f64::from_bits(0xfff8_0000_0000_0001), 0.0]);
    assert_eq!(V128Binary::F64x2PMax.eval(c, d), c);
    assert_eq!(V128Binary::F64x2PMin.eval(d, c), d);
}

#[test]
fn float_sign_ops_preserve_nan_payloads() {
    let v = f32x4([f32::from_bits(0x7fa0_0001), -1.0, 0.0, f32::NEG_INFINITY]);
    let abs = unpack::<u32, 4>(V128Unary::F32x4Abs.eval(v));
    assert_eq!(abs, [0x7fa0_0001, 0x3f80_0000, 0, 0x7f80_0000]);
    let neg = unpack::<u32, 4>(V128Unary::F32x4Neg.eval(v));
    assert_eq!(neg, [0xffa0_0001, 0x3f80_0000, 0x8000_0000, 0x7f80_0000]);
    assert_eq!(V128Unary::F64x2Neg.eval(f64x2([1.0, -0.0])), f64x2([-1.0, 0.0]));
}

#[test]
fn float_arithmetic_canonicalizes_nans() {
    let snan = f32::from_bits(0x7fa0_0001);
    let a = f32x4([snan, f32::INFINITY, 1.5, 0.0]);
    let b = f32x4([1.0, f32::NEG_INFINITY, 2.5, 0.0]);
    let sum = unpack::<u32, 4>(V128Binary::F32x4Add.eval(a, b));
    assert_eq!(sum, [0x7fc0_0000, 0x7fc0_0000, 4.0f32.to_bits(), 0]);
    let q = unpack::<u32, 4>(V128Binary::F32x4Div.eval(a, b));
    assert_eq!(q[3], 0x7fc0_0000);
    let r = V128Unary::F32x4Nearest.eval(f32x4([2.5, -0.5, 3.5, snan]));
    assert_eq!(
        unpack::<u32, 4>(r),
        [2.0f32.to_bits(), 0x8000_0000, 4.0f32.to_bits(), 0x7fc0_0000]
    );
}

#[test]
fn relaxed_madd_is_unfused() {
    // With a fused multiply-add the result would be 2^-37, not 0.
    let a = f32x4([f32::from_bits(0x3f80_0002); 4]);
    let b = f32x4([f32::from_bits(0x3f80_1000); 4]);
    let c = f32x4([-f32::from_bits(0x3f80_1002); 4]);
    assert_eq!(V128Ternary::F32x4RelaxedMadd.eval(a, b, c), 0);
    let na = V128Unary::F32x4Neg.eval(a);
    assert_eq!(V128Ternary::F32x4RelaxedNmadd.eval(na, b, c), 0);
    let max = f64x2([f64::MAX; 2]);
    let two = f64x2([2.0; 2]);
    let inf = f64x2([f64::INFINITY; 2]);
    assert_eq!(
        V128Ternary::F64x2RelaxedMadd.eval(max, two, V128Unary::F64x2Neg.eval(max)),
        inf
    );
}

#[test]
fn bitselect_and_laneselect() {
    let a = 0x1111_2222_3333_4444_5555_6666_7777_8888;
    let b = 0xaaaa_bbbb_cccc_dddd_eeee_ffff_0000_9999;
    let m = 0xffff_0000_ff00_00ff_0f0f_f0f0_0000_ffff;
    let want = 0x1111_bbbb_33cc_dd44_e5e5_6f6f_0000_8888;
    assert_eq!(V128Ternary::V128Bitselect.eval(a, b, m), want);
    assert_eq!(V128Ternary::I16x8RelaxedLaneselect.eval(a, b, m), want);
}

#[test]
fn conversions() {
    let f = f32x4([f32::NAN, -1.5, 3e9, -3e9]);
    assert_eq!(
        V128Unary::I32x4TruncSatF32x4S.eval(f),
        i32x4([0, -1, i32::MAX, i32::MIN])
    );
    assert_eq!(V128Unary::I32x4TruncSatF32x4U.eval(f), i32x4([0, 0, -1294967296, 0]));
    assert_eq!(
        V128Unary::I32x4RelaxedTruncF32x4U.eval(f),
        i32x4([0, 0, -1294967296, 0])
    );
    let d = f64x2([-1e10, 4294967295.9]);
    assert_eq!(
        V128Unary::I32x4TruncSatF64x2SZero.eval(d),
        i32x4([i32::MIN, i32::MAX, 0, 0])
    );
    assert_eq!(V128Unary::I32x4TruncSatF64x2UZero.eval(d), i32x4([0, -1, 0, 0]));
    // 16777217 is not representable in f32: round to nearest even.
    let i = i32x4([16_777_217, -1, 0, i32::MIN]);
    assert_eq!(
        V128Unary::F32x4ConvertI32x4S.eval(i),
        f32x4([16_777_216.0, -1.0, 0.0, -2_147_483_648.0])
    );
    assert_eq!(
        V128Unary::F32x4ConvertI32x4U.eval(i32x4([-1, 0, 0, 0])),
        f32x4([4_294_967_296.0, 0.0, 0.0, 0.0])
    );
    assert_eq!(
        V128Unary::F64x2ConvertLowI32x4U.eval(i),
        f64x2([16_777_217.0, 4_294_967_295.0])
    );
    let demoted = V128Unary::F32x4DemoteF64x2Zero.eval(f64x2([f64::MAX, 1e-50]));
    assert_eq!(demoted, f32x4([f32::INFINITY, 0.0, 0.0, 0.0]));
    let promoted = V128Unary::F64x2PromoteLowF32x4.eval(f32x4([1.5, f32::from_bits(0x7fa0_0000), 9.0, 9.0]));
    assert_eq!(unpack::<u64, 2>(promoted), [1.5f64.to_bits(), 0x7ff8_0000_0000_0000]);
}

#[test]
fn extend_and_load_extend() {
    let v = i8x16([-1, 2, -3, 4, 5, 6, 7, 8, -9, 10, 11, 12, 13, 14, 15, -16]);
    assert_eq!(
        V128Unary::I16x8ExtendHighI8x16S.eval(v),
        i16x8([-9, 10, 11, 12, 13, 14, 15, -16])
    );
    assert_eq!(
        V128Unary::I16x8ExtendLowI8x16U.eval(v),
        i16x8([255, 2, 253, 4, 5, 6, 7, 8])
    );
    let raw = 0x8000_0001_ffff_fffe;
    assert_eq!(
        unpack::<i64, 2>(V128LoadExtend::V128Load32x2S.eval(raw)),
        [-2, -0x7fff_ffff]
    );
    assert_eq!(
        unpack::<u64, 2>(V128LoadExtend::V128Load32x2U.eval(raw)),
        [0xffff_fffe, 0x8000_0001]
    );
    assert_eq!(
        V128LoadExtend::V128Load8x8S.eval(0xff),
        i16x8([-1, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(V128LoadExtend::V128Load16x4U.eval(0xffff), i32x4([0xffff, 0, 0, 0]));
}

#[test]
fn splat_extract_replace() {
    assert_eq!(V128Splat::I8x16Splat.eval(0x1_23), pack::<u8, 16>([0x23; 16]));
    assert_eq!(V128Splat::F64x2Splat.eval(2.0f64.to_bits()), f64x2([2.0, 2.0]));
    let v = i8x16([0, -1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, -128]);
    assert_eq!(V128ExtractLane::I8x16ExtractLaneS.eval(v, 15), 0xffff_ff80);
    assert_eq!(V128ExtractLane::I8x16ExtractLaneU.eval(v, 15), 0x80);
    assert_eq!(V128ExtractLane::I16x8ExtractLaneS.eval(v, 0), 0xffff_ff00);
    assert_eq!(V128ExtractLane::I16x8ExtractLaneU.eval(v, 0), 0xff00);
    assert_eq!(V128ExtractLane::I64x2ExtractLane.eval(v, 1), 0x800e_0d0c_0b0a_0908);
    let f = f32x4([1.0, 2.0, 3.0, -0.0]);
    assert_eq!(V128ExtractLane::F32x4ExtractLane.eval(f, 3), 0x8000_0000);
    let r = V128ReplaceLane::I16x8ReplaceLane.eval(i16x8([1; 8]), 7, 0xdead_beef);
    assert_eq!(r, i16x8([1, 1, 1, 1, 1, 1, 1, 0xbeefu16 as i16]));
    let r = V128ReplaceLane::F64x2ReplaceLane.eval(f64x2([1.0, 2.0]), 0, 5.0f64.to_bits());
    assert_eq!(r, f64x2([5.0, 2.0]));
}
