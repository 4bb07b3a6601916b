//! Control flow: blocks, loops, if/else, br_if, br_table, multi-value.

use crate::harness::{Val, instantiate};

const MODULE: &str = r#"
(module
  (func (export "fac") (param i64) (result i64) (local i64)
    (local.set 1 (i64.const 1))
    (block $done
      (loop $again
        (br_if $done (i64.le_u (local.get 0) (i64.const 1)))
        (local.set 1 (i64.mul (local.get 1) (local.get 0)))
        (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
        (br $again)))
    (local.get 1))
  (func (export "switch") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const 103))
  (func (export "switch_values") (param i32) (result i32 i32)
    (block $outer (result i32 i32)
      (block $inner (result i32 i32)
        (i32.const 7) (i32.const 8)
        (br_table $inner $outer $inner (local.get 0)))
      (i32.add) (i32.const 1)))
  (func (export "sign") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
      (then (i32.const -1))
      (else (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 0))))))
  (func (export "if_no_else") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 5))
    (if (local.get 0) (then (local.set 1 (i32.const 6))))
    (local.get 1))
  (func (export "if_params") (param i32 i32) (result i32)
    (local.get 1)
    (if (param i32) (result i32) (local.get 0)
      (then (i32.const 10) (i32.add))
      (else (i32.const 20) (i32.sub))))
  (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func (export "sum_pairs") (param i32) (result i32)
    ;; a loop with a parameter: counts down, summing
    (i32.const 0)
    (local.get 0)
    (loop $l (param i32 i32) (result i32)
      (local.set 0)
      (local.get 0)
      (i32.add)
      (local.get 0)
      (i32.const 1)
      (i32.sub)
      (local.tee 0)
      (local.get 0)
      (i32.eqz)
      (if (param i32 i32) (result i32) (then (drop)) (else (br $l)))))
  (func (export "br_if_value") (param i32) (result i32)
    (block $b (result i32)
      (drop (br_if $b (i32.const 42) (local.get 0)))
      (i32.const 7)))
  (func (export "select") (param i32 i64 i64) (result i64)
    (select (local.get 1) (local.get 2) (local.get 0)))
  (func (export "early_return") (param i32) (result i32)
    (block (block (block
      (br_if 2 (local.get 0))
      (return (i32.const 1)))))
    (i32.const 2))
  (func (export "dead_code") (result i32)
    (block (result i32)
      (br 0 (i32.const 9))
      (i32.add (unreachable) (i32.const 1))
      (block (loop (if (i32.const 0) (then) (else))))
      (drop)
      (i32.const 3)))
)"#;

#[test]
fn loops_and_branches() {
    let mut m = instantiate(MODULE);
    assert_eq!(m.call("fac", &[Val::I64(20)]), Ok(vec![Val::I64(2432902008176640000)]));
    assert_eq!(m.call("fac", &[Val::I64(0)]), Ok(vec![Val::I64(1)]));
    assert_eq!(m.call("sum_pairs", &[Val::I32(100)]), Ok(vec![Val::I32(5050)]));
    assert_eq!(m.call("br_if_value", &[Val::I32(1)]), Ok(vec![Val::I32(42)]));
    assert_eq!(m.call("br_if_value", &[Val::I32(0)]), Ok(vec![Val::I32(7)]));
    assert_eq!(m.call("early_return", &[Val::I32(0)]), Ok(vec![Val::I32(1)]));
    assert_eq!(m.call("early_return", &[Val::I32(1)]), Ok(vec![Val::I32(2)]));
    assert_eq!(m.call("dead_code", &[]), Ok(vec![Val::I32(9)]));
}

#[test]
fn br_table_picks_each_target_and_the_default() {
    let mut m = instantiate(MODULE);
    for (i, want) in [(0, 100), (1, 101), (2, 102), (3, 103), (4, 103), (-1, 103)] {
        assert_eq!(m.call("switch", &[Val::I32(i)]), Ok(vec![Val::I32(want)]), "index {i}");
    }
    assert_eq!(
        m.call("switch_values", &[Val::I32(0)]),
        Ok(vec![Val::I32(15), Val::I32(1)])
    );
    assert_eq!(
        m.call("switch_values", &[Val::I32(1)]),
        Ok(vec![Val::I32(7), Val::I32(8)])
    );
    assert_eq!(
        m.call("switch_values", &[Val::I32(9)]),
        Ok(vec![Val::I32(15), Val::I32(1)])
    );
}

#[test]
fn if_else_select_and_multi_value() {
    let mut m = instantiate(MODULE);
    for (x, want) in [(-5, -1), (0, 0), (9, 1)] {
        assert_eq!(m.call("sign", &[Val::I32(x)]), Ok(vec![Val::I32(want)]));
    }
    assert_eq!(m.call("if_no_else", &[Val::I32(0)]), Ok(vec![Val::I32(5)]));
    assert_eq!(m.call("if_no_else", &[Val::I32(1)]), Ok(vec![Val::I32(6)]));
    assert_eq!(m.call("if_params", &[Val::I32(1), Val::I32(5)]), Ok(vec![Val::I32(15)]));
    assert_eq!(
        m.call("if_params", &[Val::I32(0), Val::I32(5)]),
        Ok(vec![Val::I32(-15)])
    );
    assert_eq!(
        m.call("swap", &[Val::I32(1), Val::I32(2)]),
        Ok(vec![Val::I32(2), Val::I32(1)])
    );
    let args = |c| [Val::I32(c), Val::I64(-1), Val::I64(2)];
    assert_eq!(m.call("select", &args(1)), Ok(vec![Val::I64(-1)]));
    assert_eq!(m.call("select", &args(0)), Ok(vec![Val::I64(2)]));
}
