//! Instruction dispatch: tight loops of simple integer arithmetic on locals.
//!
//! Each export runs `n` loop iterations; throughput is reported in loop
//! iterations (criterion "elements"), so `elem/s` is iterations per second
//! and the time per iteration is the dispatch cost of its few instructions.
//!
//! Run: `cargo bench -p mote --bench dispatch`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const N: i32 = 100_000;

const WAT: &str = r#"(module
  ;; Loop overhead alone: increment, compare, branch (3 ops + local traffic).
  (func (export "empty") (param $n i32) (result i32)
    (local $i i32)
    (loop $top
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))

  ;; a += i; b = b * 31 ^ a; c = (c + b) rotl 1 - a
  (func (export "i32") (param $n i32) (result i32)
    (local $i i32) (local $a i32) (local $b i32) (local $c i32)
    (local.set $b (i32.const 1))
    (loop $top
      (local.set $a (i32.add (local.get $a) (local.get $i)))
      (local.set $b (i32.xor (i32.mul (local.get $b) (i32.const 31)) (local.get $a)))
      (local.set $c (i32.sub (i32.rotl (i32.add (local.get $c) (local.get $b)) (i32.const 1)) (local.get $a)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (i32.xor (local.get $b) (local.get $c)))

  ;; The same recurrence on i64 locals.
  (func (export "i64") (param $n i32) (result i64)
    (local $i i32) (local $a i64) (local $b i64) (local $c i64)
    (local.set $b (i64.const 1))
    (loop $top
      (local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $i))))
      (local.set $b (i64.xor (i64.mul (local.get $b) (i64.const 31)) (local.get $a)))
      (local.set $c (i64.sub (i64.rotl (i64.add (local.get $c) (local.get $b)) (i64.const 1)) (local.get $a)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (i64.xor (local.get $b) (local.get $c)))
)"#;

fn expect_i32(n: i32) -> i32 {
    let (mut a, mut b, mut c) = (0i32, 1i32, 0i32);
    for i in 0..n {
        a = a.wrapping_add(i);
        b = b.wrapping_mul(31) ^ a;
        c = c.wrapping_add(b).rotate_left(1).wrapping_sub(a);
    }
    b ^ c
}

fn expect_i64(n: i32) -> i64 {
    let (mut a, mut b, mut c) = (0i64, 1i64, 0i64);
    for i in 0..n {
        a = a.wrapping_add(i64::from(i as u32));
        b = b.wrapping_mul(31) ^ a;
        c = c.wrapping_add(b).rotate_left(1).wrapping_sub(a);
    }
    b ^ c
}

fn dispatch(c: &mut Criterion) {
    let (mut store, instance) = common::instantiate(WAT, None);
    let empty = common::typed::<i32, i32>(&store, &instance, "empty");
    let arith32 = common::typed::<i32, i32>(&store, &instance, "i32");
    let arith64 = common::typed::<i32, i64>(&store, &instance, "i64");
    assert_eq!(empty.call(&mut store, N).unwrap(), N);
    assert_eq!(arith32.call(&mut store, N).unwrap(), expect_i32(N));
    assert_eq!(arith64.call(&mut store, N).unwrap(), expect_i64(N));

    let mut group = c.benchmark_group("dispatch");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("empty_loop", |b| {
        b.iter(|| empty.call(&mut store, black_box(N)).unwrap())
    });
    group.bench_function("i32_arith", |b| {
        b.iter(|| arith32.call(&mut store, black_box(N)).unwrap())
    });
    group.bench_function("i64_arith", |b| {
        b.iter(|| arith64.call(&mut store, black_box(N)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, dispatch);
criterion_main!(benches);
