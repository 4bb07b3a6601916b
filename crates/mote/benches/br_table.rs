//! `br_table` dispatch: a loop that jumps through an 8-way `br_table` each
//! iteration, to a case that updates an accumulator differently.
//!
//! Throughput is reported in loop iterations (one `br_table` each). Two
//! selector patterns: `cyclic` (i & 7, perfectly predictable for the host
//! branch predictor) and `scrambled` (an xorshift of i, hard to predict).
//!
//! Run: `cargo bench -p mote --bench br_table`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write;
use std::hint::black_box;

const N: i32 = 100_000;
const CASES: u32 = 8;

/// A function `name(n) -> acc` whose loop selects a case with `selector`
/// (a wat expression over `$i`), then runs case k: acc = acc * 3 + (k + 1).
fn switch_func(name: &str, selector: &str) -> String {
    let mut f =
        format!("  (func (export \"{name}\") (param $n i32) (result i32)\n    (local $i i32) (local $acc i32)\n");
    f.push_str("    (loop $top\n      (block $next\n");
    for k in (0..CASES).rev() {
        writeln!(f, "        (block $case{k}").unwrap();
    }
    let targets: Vec<String> = (0..CASES).map(|k| format!("$case{k}")).collect();
    // The default (out of range) target is the last case.
    writeln!(
        f,
        "          (br_table {} $case{} {selector})",
        targets.join(" "),
        CASES - 1
    )
    .unwrap();
    for k in 0..CASES {
        writeln!(f, "        ) ;; end $case{k}").unwrap();
        writeln!(
            f,
            "        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3)) (i32.const {})))",
            k + 1
        )
        .unwrap();
        if k + 1 < CASES {
            f.push_str("        (br $next)\n");
        }
    }
    f.push_str("      ) ;; end $next\n");
    f.push_str("      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n");
    f.push_str("      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))\n");
    f.push_str("    (local.get $acc))\n");
    f
}

const CYCLIC: &str = "(i32.and (local.get $i) (i32.const 7))";
/// x = i * 0x9E3779B1; (x ^ (x >> 15)) >> 29: a well-mixed 3-bit value.
const SCRAMBLED: &str = "(i32.shr_u (i32.xor (i32.mul (local.get $i) (i32.const 0x9E3779B1)) \
    (i32.shr_u (i32.mul (local.get $i) (i32.const 0x9E3779B1)) (i32.const 15))) (i32.const 29))";

fn expect(n: i32, select: impl Fn(u32) -> u32) -> i32 {
    let mut acc = 0i32;
    for i in 0..n as u32 {
        let k = select(i).min(CASES - 1) as i32;
        acc = acc.wrapping_mul(3).wrapping_add(k + 1);
    }
    acc
}

fn br_table(c: &mut Criterion) {
    let wat = format!(
        "(module\n{}{})",
        switch_func("cyclic", CYCLIC),
        switch_func("scrambled", SCRAMBLED)
    );
    let (mut store, instance) = common::instantiate(&wat, None);
    let cyclic = common::typed::<i32, i32>(&store, &instance, "cyclic");
    let scrambled = common::typed::<i32, i32>(&store, &instance, "scrambled");
    assert_eq!(cyclic.call(&mut store, N).unwrap(), expect(N, |i| i & 7));
    let mix = |i: u32| {
        let x = i.wrapping_mul(0x9E37_79B1);
        (x ^ (x >> 15)) >> 29
    };
    assert_eq!(scrambled.call(&mut store, N).unwrap(), expect(N, mix));

    let mut group = c.benchmark_group("br_table");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("cyclic", |b| b.iter(|| cyclic.call(&mut store, black_box(N)).unwrap()));
    group.bench_function("scrambled", |b| {
        b.iter(|| scrambled.call(&mut store, black_box(N)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, br_table);
criterion_main!(benches);
