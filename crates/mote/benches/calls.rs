//! Call overhead: direct calls, `call_indirect`, calls out to a host
//! function, and recursion (fib).
//!
//! The loops make `N` calls each; throughput is reported in calls, so the
//! time per element is the cost of one call and return (plus the loop).
//!
//! Run: `cargo bench -p mote --bench calls`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mote::{Engine, Linker};
use std::hint::black_box;

const N: i32 = 100_000;
const FIB_N: i32 = 20;

const WAT: &str = r#"(module
  (type $unary (func (param i32) (result i32)))
  (import "host" "inc" (func $host_inc (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $inc $add2)

  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $add2 (param i32) (result i32) (i32.add (local.get 0) (i32.const 2)))

  ;; acc = inc(acc), n times.
  (func (export "direct") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $top
      (local.set $acc (call $inc (local.get $acc)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; acc = table[i & 1](acc): alternates $inc and $add2.
  (func (export "indirect") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $top
      (local.set $acc
        (call_indirect (type $unary) (local.get $acc) (i32.and (local.get $i) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; acc = host.inc(acc), n times.
  (func (export "host") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $top
      (local.set $acc (call $host_inc (local.get $acc)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
)"#;

/// (fib(n), number of calls the naive recursion makes).
fn fib(n: i32) -> (i32, u64) {
    if n < 2 {
        (n, 1)
    } else {
        let (a, ca) = fib(n - 1);
        let (b, cb) = fib(n - 2);
        (a + b, ca + cb + 1)
    }
}

fn calls(c: &mut Criterion) {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker.func_wrap("host", "inc", |x: i32| x.wrapping_add(1)).unwrap();
    let (mut store, instance) = common::instantiate(WAT, Some(&linker));
    let direct = common::typed::<i32, i32>(&store, &instance, "direct");
    let indirect = common::typed::<i32, i32>(&store, &instance, "indirect");
    let host = common::typed::<i32, i32>(&store, &instance, "host");
    let fib_fn = common::typed::<i32, i32>(&store, &instance, "fib");
    let (fib_value, fib_calls) = fib(FIB_N);
    assert_eq!(direct.call(&mut store, N).unwrap(), N);
    assert_eq!(indirect.call(&mut store, N).unwrap(), N / 2 + 2 * (N - N / 2));
    assert_eq!(host.call(&mut store, N).unwrap(), N);
    assert_eq!(fib_fn.call(&mut store, FIB_N).unwrap(), fib_value);

    let mut group = c.benchmark_group("calls");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("direct", |b| b.iter(|| direct.call(&mut store, black_box(N)).unwrap()));
    group.bench_function("indirect", |b| {
        b.iter(|| indirect.call(&mut store, black_box(N)).unwrap())
    });
    group.bench_function("host", |b| b.iter(|| host.call(&mut store, black_box(N)).unwrap()));
    group.throughput(Throughput::Elements(fib_calls));
    group.bench_function("fib20", |b| {
        b.iter(|| fib_fn.call(&mut store, black_box(FIB_N)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
