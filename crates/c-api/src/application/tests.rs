use super::{format_g, format_result, parse_arg, parse_int};
use crate::values::Scalar;
use mote::ValType;

#[test]
fn integers_parse_as_strtoull_does() {
    assert_eq!(parse_int("42"), Some(42));
    assert_eq!(parse_int("0x2A"), Some(42));
    assert_eq!(parse_int("052"), Some(42));
    assert_eq!(parse_int("-1"), Some(u64::MAX));
    assert_eq!(parse_int("+7"), Some(7));
    assert_eq!(parse_int("seven"), None);
    assert_eq!(parse_arg(ValType::I32, "-5"), Some(Scalar::I32(-5)));
    assert_eq!(parse_arg(ValType::I32, "0xffffffff"), Some(Scalar::I32(-1)));
}

#[test]
fn floats_print_as_percent_g() {
    assert_eq!(format_g(8.0), "8");
    assert_eq!(format_g(0.5), "0.5");
    assert_eq!(format_g(1.0 / 3.0), "0.3333333");
    assert_eq!(format_g(12345678.0), "1.234568e+07");
    assert_eq!(format_g(0.0001), "0.0001");
    assert_eq!(format_g(0.00001), "1e-05");
    assert_eq!(format_g(-2.5), "-2.5");
    assert_eq!(format_g(f64::INFINITY), "inf");
    assert_eq!(format_g(f64::NAN), "nan");
}

#[test]
fn results_print_as_wamr_does() {
    assert_eq!(format_result(Scalar::I32(8)), "0x8:i32");
    assert_eq!(format_result(Scalar::I32(-1)), "0xffffffff:i32");
    assert_eq!(format_result(Scalar::I64(255)), "0xff:i64");
    assert_eq!(format_result(Scalar::F32(1.5f32.to_bits())), "1.5:f32");
    assert_eq!(format_result(Scalar::F64(2.0f64.to_bits())), "2:f64");
}
