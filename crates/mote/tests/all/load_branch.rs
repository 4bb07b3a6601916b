//! A 32-bit load followed by a compare-and-branch on the loaded value runs
//! as one fused instruction (`while (a[i] < pivot) i++`). Every
//! comparison, with the loaded value on either side, must branch as the
//! separate instructions did at the signed and unsigned edges, still write
//! the loaded value to its local, trap where the load trapped, and stay
//! apart from a load that a label separates from the branch; with and
//! without fuel.

use crate::i32_compares::CMPS;
use mote::{Config, Engine, Instance, Linker, Module, Store, TrapCode};

const VALUES: [i32; 7] = [0, 1, -1, 5, 6, i32::MIN, i32::MAX];

/// `run(p, x)` loads `v = mem[p + 4]`, then branches on `cond` (over `$v`
/// and `$x`): taken, it returns `v`; not taken, `1 << 32 | v`.
fn module(cond: &str) -> String {
    format!(
        r#"(module
        (memory (export "mem") 1)
        (func (export "run") (param $p i32) (param $x i32) (result i64) (local $v i32)
            (block $taken
                (local.set $v (i32.load offset=4 (local.get $p)))
                (br_if $taken {cond})
                (return (i64.or (i64.const 0x1_0000_0000) (i64.extend_i32_u (local.get $v)))))
            (i64.extend_i32_u (local.get $v))))"#
    )
}

fn engine(fuel: bool) -> Engine {
    let mut config = Config::new();
    config.consume_fuel(fuel);
    Engine::new(&config)
}

fn instantiate(engine: &Engine, wat: &str, fuel: bool) -> (Store<()>, Instance) {
    let module = Module::new(engine, wat).unwrap();
    let mut store = Store::new(engine, ());
    // Without metering, setting fuel is an error: this also checks the
    // engine is configured as the caller says.
    assert_eq!(store.set_fuel(u64::MAX / 2).is_ok(), fuel);
    let instance = Linker::new(engine).instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn every_comparison_branches_like_load_then_compare(fuel: bool) {
    let engine = engine(fuel);
    for (name, cmp) in CMPS {
        let left = format!("(i32.{name} (local.get $v) (local.get $x))");
        let right = format!("(i32.{name} (local.get $x) (local.get $v))");
        for (cond, swapped) in [(left, false), (right, true)] {
            let (mut store, instance) = instantiate(&engine, &module(&cond), fuel);
            let mem = instance.get_memory(&store, "mem").unwrap();
            let run = instance.get_typed_func::<(i32, i32), i64>(&store, "run").unwrap();
            for v in VALUES {
                mem.write(&mut store, 104, &v.to_le_bytes()).unwrap();
                for x in VALUES {
                    let taken = if swapped { cmp(x, v) } else { cmp(v, x) };
                    let want = ((!taken as i64) << 32) | v as u32 as i64;
                    assert_eq!(run.call(&mut store, (100, x)).unwrap(), want, "{cond}: v {v}, x {x}");
                }
            }
            // The last word of the page loads; one byte further traps, as
            // does an address whose offset carries past 2^32.
            mem.write(&mut store, 65532, &7i32.to_le_bytes()).unwrap();
            let got = run.call(&mut store, (65528, 7)).unwrap();
            assert_eq!(got & 0xffff_ffff, 7, "{cond}: last word");
            for p in [65529, -1, -4] {
                let trap = run.call(&mut store, (p, 0)).unwrap_err();
                assert_eq!(trap.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{cond}: p {p}");
            }
        }
    }
}

#[test]
fn every_comparison_branches_like_load_then_compare_without_fuel() {
    every_comparison_branches_like_load_then_compare(false);
}

#[test]
fn every_comparison_branches_like_load_then_compare_with_fuel() {
    every_comparison_branches_like_load_then_compare(true);
}

/// Quicksort's scan: `while (a[i] < pivot) i++`, over words 0, 10, 20,
/// ..., 70; returns the index it stops at, or traps past the page.
const SCAN: &str = r#"(module
    (memory (export "mem") 1)
    (func (export "scan") (param $i i32) (param $pivot i32) (result i32)
        (loop $l
            (if (i32.lt_s (i32.load (i32.shl (local.get $i) (i32.const 2))) (local.get $pivot))
                (then
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l))))
        (local.get $i))
    ;; a label between the second load and the branch: with $skip set the
    ;; branch compares the first load's value
    (func (export "apart") (param $p i32) (param $x i32) (param $skip i32) (result i32) (local $v i32)
        (local.set $v (i32.load (local.get $p)))
        (block $b
            (br_if $b (local.get $skip))
            (local.set $v (i32.load offset=4 (local.get $p))))
        (if (result i32) (i32.lt_s (local.get $v) (local.get $x))
            (then (i32.const 1))
            (else (i32.const 0)))))"#;

fn scans_stop_or_trap_where_they_did(fuel: bool) {
    let (mut store, instance) = instantiate(&engine(fuel), SCAN, fuel);
    let mem = instance.get_memory(&store, "mem").unwrap();
    for i in 0..8 {
        mem.write(&mut store, i * 4, &(10 * i as i32).to_le_bytes()).unwrap();
    }
    // Everything past word 7 is zero, so a pivot above 70 runs to the end
    // of the page, whose next word traps.
    let scan = instance.get_typed_func::<(i32, i32), i32>(&store, "scan").unwrap();
    assert_eq!(scan.call(&mut store, (0, 35)).unwrap(), 4);
    assert_eq!(scan.call(&mut store, (0, 0)).unwrap(), 0);
    assert_eq!(
        scan.call(&mut store, (5, 1000)).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    let apart = instance
        .get_typed_func::<(i32, i32, i32), i32>(&store, "apart")
        .unwrap();
    // mem[8] = 20, mem[12] = 30: with x = 25 only the second is below.
    assert_eq!(apart.call(&mut store, (8, 25, 0)).unwrap(), 0, "second load");
    assert_eq!(apart.call(&mut store, (8, 25, 1)).unwrap(), 1, "first load");
}

#[test]
fn scans_stop_or_trap_where_they_did_without_fuel() {
    scans_stop_or_trap_where_they_did(false);
}

#[test]
fn scans_stop_or_trap_where_they_did_with_fuel() {
    scans_stop_or_trap_where_they_did(true);
}

/// With a 64-bit memory the load keeps its 64-bit address (the fused form
/// takes 32-bit ones): 2^32 + 40 is out of bounds, not byte 40.
#[test]
fn loads_from_64_bit_memories_keep_their_addresses() {
    let wat = r#"(module
        (memory i64 1)
        (func (export "below") (param $p i64) (param $x i32) (result i32)
            (i32.store (i64.const 40) (i32.const 3))
            (block $b
                (br_if $b (i32.lt_s (i32.load (local.get $p)) (local.get $x)))
                (return (i32.const 0)))
            (i32.const 1)))"#;
    let (mut store, instance) = instantiate(&engine(false), wat, false);
    let below = instance.get_typed_func::<(i64, i32), i32>(&store, "below").unwrap();
    assert_eq!(below.call(&mut store, (40, 4)).unwrap(), 1);
    assert_eq!(below.call(&mut store, (40, 3)).unwrap(), 0);
    let beyond = below.call(&mut store, (1 << 32 | 40, 4)).unwrap_err();
    assert_eq!(beyond.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}
