//! Golden tests of the translator: each `tests/golden/NAME.wat` is
//! translated and its listing compared with `NAME.ir`. Run with `BLESS=1`
//! to rewrite the expectations after an intended change.

use std::fmt::Write as _;
use std::path::Path;

use mote_environ::wasmparser::WasmFeatures;
use mote_environ::{TypeRegistry, parse};
use mote_ir::{TranslateConfig, translate};

/// The listing of every function of a module: one instruction a line.
fn listing(wat: &str, fuel: bool) -> String {
    let bytes = wat::parse_str(wat).expect("golden .wat parses");
    let mut registry = TypeRegistry::default();
    let parsed = parse(&bytes, WasmFeatures::default(), &mut registry).expect("golden module is valid");
    let mut out = String::new();
    for pending in parsed.funcs {
        let index = pending.index;
        let func =
            translate(&parsed.info, &bytes, index, pending.validator, TranslateConfig { fuel }).expect("translates");
        let name = parsed.info.func_name(index).unwrap_or("");
        writeln!(out, "func {} {name} (frame {} cells):", index.0, func.frame_cells).unwrap();
        for (pc, instr) in func.code.iter().enumerate() {
            writeln!(out, "  {pc:3}: {instr:?}").unwrap();
        }
    }
    out
}

fn check(name: &str, fuel: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let wat = std::fs::read_to_string(dir.join(format!("{name}.wat"))).unwrap();
    let actual = listing(&wat, fuel);
    let expected_path = dir.join(format!("{name}.ir"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "translation of {name}.wat changed; rerun with BLESS=1 if intended"
    );
}

#[test]
fn fib_uses_immediates_fused_branches_and_slot_returns() {
    check("fib", false);
}

#[test]
fn loop_locals_are_updated_in_place() {
    check("loop", false);
}

#[test]
fn fuel_is_charged_per_block() {
    check("fuel", true);
}

#[test]
fn branches_carry_values_to_their_labels() {
    check("branches", false);
}

#[test]
fn entry_zeroing_is_dropped_and_addresses_fuse() {
    check("zeroed_locals", false);
}

#[test]
fn copies_in_a_row_join_but_not_across_labels() {
    check("copies", false);
}

#[test]
fn loop_constants_live_in_slots_written_at_entry() {
    check("loop_consts", false);
}

#[test]
fn loop_latches_fuse_add_and_branch() {
    check("loop_latch", false);
}

#[test]
fn float_operators_take_a_loaded_operand() {
    check("load_operand", false);
}

#[test]
fn an_addition_teed_into_two_locals_writes_both() {
    check("add_tee", false);
}

#[test]
fn a_load_and_the_branch_on_its_value_fuse() {
    check("load_branch", false);
}

#[test]
fn an_addition_of_a_shifted_index_fuses() {
    check("shifted_index", false);
}
