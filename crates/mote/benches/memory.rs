//! Linear-memory access: loops of loads and stores over a 64 KiB buffer.
//!
//! Each export makes one pass over the whole buffer (64 KiB) at its access
//! width; throughput is reported in accesses, so the time per element is one
//! load or store plus the loop around it.
//!
//! Run: `cargo bench -p mote --bench memory`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mote::{Instance, Store};
use std::hint::black_box;

const BYTES: i32 = 65536;

const WAT: &str = r#"(module
  (memory (export "memory") 1)

  ;; mem32[i] = i * 0x9E3779B1 + seed, for each 4-byte word.
  (func (export "store_i32") (param $seed i32)
    (local $p i32)
    (loop $top
      (i32.store (local.get $p)
        (i32.add (i32.mul (i32.shr_u (local.get $p) (i32.const 2)) (i32.const 0x9E3779B1)) (local.get $seed)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536)))))

  ;; mem64[i] = i * 0x9E3779B97F4A7C15 + seed, for each 8-byte word.
  (func (export "store_i64") (param $seed i64)
    (local $p i32)
    (loop $top
      (i64.store (local.get $p)
        (i64.add (i64.mul (i64.extend_i32_u (i32.shr_u (local.get $p) (i32.const 3)))
                          (i64.const 0x9E3779B97F4A7C15))
                 (local.get $seed)))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536)))))

  ;; mem8[i] = i + seed, for each byte.
  (func (export "store_u8") (param $seed i32)
    (local $p i32)
    (loop $top
      (i32.store8 (local.get $p) (i32.add (local.get $p) (local.get $seed)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536)))))

  ;; Sum (wrapping) of every i32 word.
  (func (export "load_i32") (result i32)
    (local $p i32) (local $sum i32)
    (loop $top
      (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536))))
    (local.get $sum))

  ;; Xor of every i64 word.
  (func (export "load_i64") (result i64)
    (local $p i32) (local $acc i64)
    (loop $top
      (local.set $acc (i64.xor (local.get $acc) (i64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536))))
    (local.get $acc))

  ;; Sum of every byte, zero-extended.
  (func (export "load_u8") (result i32)
    (local $p i32) (local $u i32)
    (loop $top
      (local.set $u (i32.add (local.get $u) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536))))
    (local.get $u))

  ;; mem[i] = mem[i] * 3 + 1 over i32 words: a load and a store each.
  (func (export "update_i32")
    (local $p i32)
    (loop $top
      (i32.store (local.get $p)
        (i32.add (i32.mul (i32.load (local.get $p)) (i32.const 3)) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $top (i32.lt_u (local.get $p) (i32.const 65536)))))
)"#;

fn memory_bytes(store: &Store<()>, instance: &Instance) -> Vec<u8> {
    instance.get_memory(store, "memory").unwrap().data(store).to_vec()
}

fn words32(mem: &[u8]) -> impl Iterator<Item = u32> + '_ {
    mem.chunks_exact(4).map(|w| u32::from_le_bytes(w.try_into().unwrap()))
}

fn words64(mem: &[u8]) -> impl Iterator<Item = u64> + '_ {
    mem.chunks_exact(8).map(|w| u64::from_le_bytes(w.try_into().unwrap()))
}

fn memory(c: &mut Criterion) {
    let (mut store, instance) = common::instantiate(WAT, None);
    let store_i32 = common::typed::<i32, ()>(&store, &instance, "store_i32");
    let store_i64 = common::typed::<i64, ()>(&store, &instance, "store_i64");
    let store_u8 = common::typed::<i32, ()>(&store, &instance, "store_u8");
    let load_i32 = common::typed::<(), i32>(&store, &instance, "load_i32");
    let load_i64 = common::typed::<(), i64>(&store, &instance, "load_i64");
    let load_u8 = common::typed::<(), i32>(&store, &instance, "load_u8");
    let update_i32 = common::typed::<(), ()>(&store, &instance, "update_i32");

    // Each store pass writes what a Rust mirror expects, each load pass reads
    // back what the memory holds.
    store_i32.call(&mut store, 7).unwrap();
    let mem = memory_bytes(&store, &instance);
    assert!(
        words32(&mem)
            .enumerate()
            .all(|(i, w)| w == (i as u32).wrapping_mul(0x9E37_79B1).wrapping_add(7))
    );
    let sum = words32(&mem).fold(0u32, u32::wrapping_add);
    assert_eq!(load_i32.call(&mut store, ()).unwrap() as u32, sum);
    update_i32.call(&mut store, ()).unwrap();
    let updated = memory_bytes(&store, &instance);
    assert!(
        words32(&mem)
            .zip(words32(&updated))
            .all(|(a, b)| b == a.wrapping_mul(3).wrapping_add(1))
    );

    store_i64.call(&mut store, 11).unwrap();
    let mem = memory_bytes(&store, &instance);
    assert!(
        words64(&mem)
            .enumerate()
            .all(|(i, w)| w == (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(11))
    );
    assert_eq!(
        load_i64.call(&mut store, ()).unwrap() as u64,
        words64(&mem).fold(0, |a, w| a ^ w)
    );

    store_u8.call(&mut store, 3).unwrap();
    let mem = memory_bytes(&store, &instance);
    assert!(mem.iter().enumerate().all(|(i, &b)| b == (i as u8).wrapping_add(3)));
    let byte_sum: u32 = mem.iter().map(|&b| u32::from(b)).sum();
    assert_eq!(load_u8.call(&mut store, ()).unwrap() as u32, byte_sum);

    let mut group = c.benchmark_group("memory");
    group.throughput(Throughput::Elements((BYTES / 4) as u64));
    group.bench_function("store_i32", |b| {
        b.iter(|| store_i32.call(&mut store, black_box(1)).unwrap())
    });
    group.bench_function("load_i32", |b| b.iter(|| load_i32.call(&mut store, ()).unwrap()));
    group.bench_function("update_i32", |b| b.iter(|| update_i32.call(&mut store, ()).unwrap()));
    group.throughput(Throughput::Elements((BYTES / 8) as u64));
    group.bench_function("store_i64", |b| {
        b.iter(|| store_i64.call(&mut store, black_box(1)).unwrap())
    });
    group.bench_function("load_i64", |b| b.iter(|| load_i64.call(&mut store, ()).unwrap()));
    group.throughput(Throughput::Elements(BYTES as u64));
    group.bench_function("store_u8", |b| {
        b.iter(|| store_u8.call(&mut store, black_box(1)).unwrap())
    });
    group.bench_function("load_u8", |b| b.iter(|| load_u8.call(&mut store, ()).unwrap()));
    group.finish();
}

criterion_group!(benches, memory);
criterion_main!(benches);
