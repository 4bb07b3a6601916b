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
    assert_eq!(plain.triple, "x86_64-unknown-linux-gnu");
    assert!(
        plain.cpu_features.iter().any(|f| f == "has_sse41"),
        "the x86-64 baseline is recorded"
    );
    assert_ne!(plain.settings, metered.settings);
    assert_eq!(
        plain.settings, arm.settings,
        "the triple and features are recorded apart"
    );
    assert_ne!(plain.cpu_features, arm.cpu_features);
    assert!(metered.consume_fuel && !plain.consume_fuel);
    assert_eq!(plain.unchecked_reservation, None);
}

/// The AOT-only runtime checks artifacts with its own CPU probes, not with
/// Cranelift: they must find exactly the flags a host compilation enables,
/// or host-compiled artifacts would be refused (or code for a missing
/// feature accepted).
#[test]
fn host_probes_agree_with_the_host_compiler() {
    let compiler = mote_cranelift::Compiler::new(&Target::Host, options()).unwrap();
    let probed: Vec<String> = mote_cranelift::fingerprint::host_cpu_features()
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert_eq!(compiler.cpu_features(), probed);
    assert_eq!(compiler.triple(), mote_cranelift::fingerprint::host_triple());
}

#[test]
fn host_code_passes_the_loader_check_and_foreign_code_does_not() {
    use mote_cranelift::fingerprint::check_host;
    let (_, host, _) = compile_for(MODULE, options(), &Target::Host).unwrap();
    let expected = mote_cranelift::fingerprint::settings(false);
    assert_eq!(check_host(&host, &expected, None), Ok(()));
    let other = if cfg!(target_arch = "aarch64") {
        "x86_64-unknown-linux-gnu"
    } else {
        "aarch64-unknown-linux-gnu"
    };
    let (_, foreign, _) = compile_for(MODULE, options(), &Target::Triple(other.into())).unwrap();
    let err = check_host(&foreign, &expected, None).unwrap_err();
    assert!(err.to_string().contains(other), "{err}");
    assert!(
        err.to_string().contains(&mote_cranelift::fingerprint::host_triple()),
        "{err}"
    );
}
