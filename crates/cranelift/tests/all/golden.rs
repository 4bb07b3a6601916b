//! Golden tests of the translator: each `tests/golden/NAME.wat` is
//! translated for x86-64 Linux and its functions' CLIF compared with
//! `NAME.clif`. `BLESS=1` rewrites the expected files. A first line
//! `;; fuel` turns fuel metering on, `;; guard-pages` guard-page bounds
//! checks.

use mote_cranelift::{BoundsChecks, CompileOptions, Compiler, Target};
use std::path::Path;

fn clif_of(wat: &str) -> String {
    let bounds_checks = if wat.starts_with(";; guard-pages") {
        BoundsChecks::GuardPages { reservation: 6 << 30 }
    } else {
        BoundsChecks::Explicit
    };
    let options = CompileOptions {
        consume_fuel: wat.starts_with(";; fuel"),
        bounds_checks,
        ..CompileOptions::default()
    };
    let wasm = wat::parse_str(wat).expect("wat");
    let mut registry = mote_environ::TypeRegistry::default();
    let parsed = mote_environ::parse(&wasm, wasmparser::WasmFeatures::default(), &mut registry).expect("parse");
    let compiler = Compiler::new(&Target::Triple("x86_64-unknown-linux-gnu".into()), options).expect("compiler");
    (0..parsed.info.bodies.len())
        .map(|i| compiler.clif_text(&parsed.info, &wasm, i).expect("translate"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn translator_output_matches_the_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("BLESS").is_some();
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("golden dir").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "wat") {
            continue;
        }
        let actual = clif_of(&std::fs::read_to_string(&path).expect("read"));
        let expected_path = path.with_extension("clif");
        if bless {
            std::fs::write(&expected_path, &actual).expect("write");
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            assert!(
                expected == actual,
                "{} differs from the translator's output (BLESS=1 rewrites it):\n{actual}",
                expected_path.display()
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 4, "golden files found");
}
