//! Named targets, refused targets and typed errors for what is not
//! compiled yet.

use crate::harness::{compile_for, options};
use mote_cranelift::{Error, Target};

const MODULE: &str = r#"
(module
  (func $a (param i32) (result i32) (call $b (local.get 0)))
  (func $b (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "f") (param i32) (result i32) (call $a (local.get 0)))
)"#;

#[test]
fn named_linux_triples_compile() {
    for triple in ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"] {
        let (_, compiled, _) =
            compile_for(MODULE, options(), &Target::Triple(triple.into())).unwrap_or_else(|e| panic!("{triple}: {e}"));
        assert_eq!(compiled.triple, triple);
        assert_eq!(compiled.funcs.len(), 3);
        assert!(!compiled.trampolines.is_empty());
        assert!(compiled.funcs.iter().all(|f| f.offset % 16 == 0 && f.len > 0));
    }
}

#[test]
fn code_for_another_architecture_is_not_loaded() {
    let other = if cfg!(target_arch = "aarch64") {
        "x86_64-unknown-linux-gnu"
    } else {
        "aarch64-unknown-linux-gnu"
    };
    let (_, compiled, _) = compile_for(MODULE, options(), &Target::Triple(other.into())).unwrap();
    assert!(matches!(compiled.load(), Err(Error::Target { .. })));
}

#[test]
fn unknown_and_32_bit_targets_are_refused() {
    let err = |t: &str| mote_cranelift::Compiler::new(&Target::Triple(t.into()), options()).err();
    assert!(matches!(err("not-a-triple"), Some(Error::Target { .. })));
    assert!(matches!(err("i686-unknown-linux-gnu"), Some(Error::Target { .. })));
}

#[test]
fn unsupported_operators_name_function_and_offset() {
    let wat = r#"(module
      (func (result i32) (i32.const 0))
      (memory 1 1 shared)
      (func (result i32) (i32.atomic.load (i32.const 0))))"#;
    let err = compile_for(wat, options(), &Target::Host).unwrap_err();
    assert!(err.contains("function 1"), "{err}");
    assert!(err.contains("offset"), "{err}");
    assert!(err.contains("not supported"), "{err}");
}

#[test]
fn settings_tell_compilations_apart() {
    let x86 = Target::Triple("x86_64-unknown-linux-gnu".into());
    let (_, plain, _) = compile_for(MODULE, options(), &x86).unwrap();
    let fuel = mote_cranelift::CompileOptions {
        consume_fuel: true,
        ..options()
    };
    let (_, metered, _) = compile_for(MODULE, fuel, &x86).unwrap();
    let (_, arm, _) = compile_for(MODULE, options(), &Target::Triple("aarch64-unknown-linux-gnu".into())).unwrap();
    assert!(plain.settings.contains("x86_64-unknown-linux-gnu"));
    assert!(plain.settings.contains("has_sse41"), "CPU features are part of it");
    assert_ne!(plain.settings, metered.settings);
    assert_ne!(plain.settings, arm.settings);
    assert!(metered.consume_fuel && !plain.consume_fuel);
    assert_eq!(plain.unchecked_reservation, None);
}
