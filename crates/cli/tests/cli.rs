//! The `mote` binary end to end: exit codes, one-line errors, `validate` and `wast` output.

use std::path::PathBuf;
use std::process::{Command, Output};

fn mote(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mote"))
        .env("MOTE_CACHE_DIR", test_cache_dir())
        .args(args)
        .output()
        .expect("the mote binary runs")
}

/// The JIT compile cache of the runs under test: the target directory's, so
/// that tests neither read entries another build wrote to the user's cache
/// nor fill it.
fn test_cache_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mote-cache")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `contents` to a file named `name` in this test binary's scratch folder.
fn scratch(name: &str, contents: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("scratch file written");
    path
}

#[test]
fn version() {
    let out = mote(&["--version"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("mote "));
}

#[test]
fn bad_arguments_and_missing_files_are_one_line_errors_with_exit_2() {
    for args in [
        &["frob"][..],
        &["wast"],
        &["wast", "--mode", "nope", "x.wast"],
        &["wast", "/no/such/dir/x.wast"],
        &["validate", "/no/such/file.wasm"],
    ] {
        let out = mote(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
}

#[test]
fn validate_accepts_a_valid_module() {
    let file = scratch("valid.wat", "(module (func (export \"f\") (result i32) (i32.const 1)))");
    let out = mote(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), "valid");
}

#[test]
fn validate_reports_offset_and_function_of_an_invalid_body() {
    let file = scratch("invalid.wat", "(module (func) (func (result i32) (i64.const 0)))");
    let out = mote(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("type mismatch"), "{text}");
    assert!(text.contains("offset"), "{text}");
    assert!(text.contains("function 1"), "{text}");
}

#[test]
fn wast_prints_a_line_per_file_and_the_totals() {
    let pass = scratch(
        "pass.wast",
        "(module (func (export \"f\") (result i32) (i32.const 1)))\n\
         (assert_return (invoke \"f\") (i32.const 1))\n",
    );
    let fail = scratch(
        "fail.wast",
        "(module (func (export \"f\") (result i32) (i32.const 1)))\n\
         (assert_return (invoke \"f\") (i32.const 2))\n",
    );
    let out = mote(&["wast", pass.to_str().unwrap(), fail.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], format!("PASS {} (2)", pass.display()));
    assert!(
        lines[1].starts_with(&format!("FAIL {}: line 2: ", fail.display())),
        "{text}"
    );
    assert_eq!(lines[2], "3 passed, 1 failed, 0 skipped");
}

#[test]
fn verbose_wast_prints_spectest_output_without_deadlocking() {
    let file = scratch(
        "print.wast",
        "(module (import \"spectest\" \"print_i32\" (func $p (param i32)))\n\
         (func (export \"f\") (call $p (i32.const 42))))\n\
         (invoke \"f\")\n",
    );
    let out = mote(&["wast", "--verbose", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("print_i32: 42"), "{text}");
    assert!(text.ends_with("2 passed, 0 failed, 0 skipped\n"), "{text}");
}

#[test]
fn compilation_modes_choose_when_an_invalid_body_is_reported() {
    let path = scratch(
        "lazy_body.wat",
        r#"(module
            (func (export "good") (result i32) (i32.const 7))
            (func (export "bad") (result i32) (i64.const 0)))"#,
    );
    let path = path.to_str().unwrap();
    for mode in ["lazy", "eager"] {
        let out = mote(&["run", "--compilation", mode, "--invoke", "good", path]);
        assert_eq!(out.status.code(), Some(1), "{mode}: {}", stderr(&out));
        assert!(stderr(&out).contains("type mismatch"), "{mode}: {}", stderr(&out));
    }
    let out = mote(&["run", "--compilation", "lazy-validation", "--invoke", "good", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "7");
    let out = mote(&["run", "--compilation", "lazy-validation", "--invoke", "bad", path]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("type mismatch"), "{}", stderr(&out));
    let out = mote(&["run", "--compilation", "sometime", path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
