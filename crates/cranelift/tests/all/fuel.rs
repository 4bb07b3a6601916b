//! Fuel metering: exact charges per region, and runaway loops stopped.

use crate::harness::{Val, instantiate_with, options};
use mote_core::TrapCode;

const MODULE: &str = r#"
(module
  (func (export "three") (result i32) (i32.add (i32.const 1) (i32.const 2)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "count") (param i32) (result i32)
    (loop $l
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (local.get 0))
)"#;

fn metered() -> crate::harness::Instance {
    let fuel = mote_cranelift::CompileOptions {
        consume_fuel: true,
        ..options()
    };
    instantiate_with(MODULE, fuel, Vec::new())
}

#[test]
fn a_region_pays_for_its_operators() {
    let mut m = metered();
    m.set_fuel(3);
    assert_eq!(m.call("three", &[]), Ok(vec![Val::I32(3)]));
    assert_eq!(m.fuel(), 0);
    m.set_fuel(2);
    assert_eq!(m.call("three", &[]), Err(TrapCode::OutOfFuel));
    assert_eq!(m.fuel(), 0, "an exhausted store keeps no fuel");
    // Each iteration: local.get, i32.const, i32.sub, local.set, local.get, br_if.
    m.set_fuel(1000);
    assert_eq!(m.call("count", &[Val::I32(10)]), Ok(vec![Val::I32(0)]));
    assert_eq!(m.fuel(), 1000 - 10 * 6 - 1);
}

#[test]
fn runaway_loops_run_out_of_fuel() {
    let mut m = metered();
    m.set_fuel(100_000);
    assert_eq!(m.call("spin", &[]), Err(TrapCode::OutOfFuel));
    assert_eq!(m.fuel(), 0);
}

#[test]
fn without_metering_fuel_is_untouched() {
    let mut m = instantiate_with(MODULE, options(), Vec::new());
    m.set_fuel(1);
    assert_eq!(m.call("count", &[Val::I32(50)]), Ok(vec![Val::I32(0)]));
    assert_eq!(m.fuel(), 1);
}
