//! Scripts run end to end on the interpreter: every directive kind, counting and failure lines.

use std::path::Path;

use super::run_script;
use crate::{RunOptions, SkipList};

const PASSING: &str = r#"
(module $M
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "lanes") (result v128) (v128.const i16x8 1 -2 3 -4 5 -6 7 -8))
  (func (export "null") (result externref) (ref.null extern))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func $loop (export "loop") (call $loop))
  (global (export "g") i32 (i32.const 7)))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (get "g") (i32.const 7))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (either (f32.const 1) (f32.const nan:arithmetic)))
(assert_return (invoke "lanes") (v128.const i16x8 1 -2 3 -4 5 -6 7 -8))
(assert_return (invoke "null") (ref.null extern))
(assert_return (invoke "id" (ref.extern 5)) (ref.extern 5))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_malformed (module quote "(func") "unexpected end")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_unlinkable (module (import "spectest" "nope" (func))) "unknown import")
(register "m" $M)
(module
  (import "m" "add" (func (param i32 i32) (result i32)))
  (import "spectest" "print_i32" (func (param i32)))
  (import "spectest" "global_i32" (global i32))
  (import "spectest" "table" (table 10 funcref))
  (import "spectest" "memory" (memory 1)))
(assert_trap (module (func $start unreachable) (start $start)) "unreachable")
(invoke $M "add" (i32.const 0) (i32.const 0))
"#;

fn run(text: &str, opts: &RunOptions) -> crate::FileReport {
    run_script(Path::new("inline.wast"), text, opts)
}

#[test]
fn every_directive_kind_passes() {
    let report = run(PASSING, &RunOptions::default());
    assert_eq!(report.failures, Vec::new());
    assert_eq!((report.passed, report.skipped), (17, 0));
}

#[test]
fn failures_name_their_line_and_the_rest_still_runs() {
    let text = "(module (func (export \"f\") (result i32) (i32.const 1)))\n\
                (assert_return (invoke \"f\") (i32.const 2))\n\
                (assert_trap (invoke \"f\") \"unreachable\")\n\
                (assert_return (invoke \"f\") (i32.const 1))\n";
    let report = run(text, &RunOptions::default());
    let lines: Vec<_> = report.failures.iter().map(|f| f.line).collect();
    assert_eq!(lines, [Some(2), Some(3)]);
    assert_eq!(report.passed, 2);
    assert!(report.failures[0].message.contains("expected i32 2, got i32 1"));
}

#[test]
fn a_script_that_does_not_parse_is_one_failure() {
    let report = run("(module)\n(assert_return (invoke \"f\"", &RunOptions::default());
    assert_eq!(report.failed(), 1);
    assert_eq!(report.passed, 0);
}

#[test]
fn listed_lines_are_skipped() {
    let dir = std::env::temp_dir().join(format!("mote-wast-skips-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("skips.toml");
    let toml = "[[skip]]\nfile = \"inline.wast\"\nline = 2\nreason = \"test\"\n";
    std::fs::write(&list, toml).unwrap();
    let opts = RunOptions {
        skips: SkipList::load(&list, None).unwrap(),
        ..RunOptions::default()
    };
    let text = "(module)\n(assert_return (invoke \"missing\"))\n";
    let report = run(text, &opts);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!((report.passed, report.skipped, report.failed()), (1, 1, 0));
}
