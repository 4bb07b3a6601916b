//! Instantiation: `Linker::instantiate` of a small, already compiled module
//! with a memory, a table with an element segment, globals (one imported)
//! and data segments, each into a fresh `Store`.
//!
//! `instantiate` times the instantiation alone (the store is made in setup
//! and dropped outside the timing); `store_and_instantiate` adds
//! `Store::new` and the drop of the store; `empty_module` is the floor.
//!
//! Run: `cargo bench -p mote --bench instantiate`

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mote::{Engine, Global, GlobalType, Linker, Module, Mutability, Store, Val, ValType};

const WAT: &str = r#"(module
  (import "env" "base" (global $base i32))
  (memory (export "memory") 1 16)
  (table $t 16 funcref)
  (global $counter (export "counter") (mut i32) (i32.const 100))
  (global $wide (mut i64) (i64.const 0x1234_5678_9abc))
  (global $scale f64 (f64.const 2.5))
  (global $derived (export "derived") i32 (global.get $base))
  (data (i32.const 0) "Mote: a lightweight WebAssembly runtime")
  (data (i32.const 1024) "\01\02\03\04\05\06\07\08")
  (data (global.get $base) "from the base offset")
  (data $passive "passive segment, copied on demand")
  (elem (i32.const 0) $f0 $f1 $f2 $f3)
  (elem (i32.const 8) func $f3 $f2)
  (type $unary (func (param i32) (result i32)))
  (func $f0 (param i32) (result i32) (i32.add (local.get 0) (global.get $counter)))
  (func $f1 (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $f2 (param i32) (result i32) (i32.wrap_i64 (i64.add (global.get $wide) (i64.extend_i32_u (local.get 0)))))
  (func $f3 (param i32) (result i32) (i32.trunc_f64_s (f64.mul (f64.convert_i32_s (local.get 0)) (global.get $scale))))
  ;; table[slot](x) + first data byte
  (func (export "dispatch") (param $slot i32) (param $x i32) (result i32)
    (i32.add (call_indirect (type $unary) (local.get $x) (local.get $slot)) (i32.load8_u (i32.const 0))))
)"#;

const BASE: i32 = 2048;

fn instantiate(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).unwrap();
    let empty = Module::new(&engine, "(module)").unwrap();
    // The imported global is defined per store, so each store gets its own.
    let make_store = || {
        let mut store = Store::new(&engine, ());
        let ty = GlobalType::new(ValType::I32, Mutability::Const);
        let base = Global::new(&mut store, ty, Val::I32(BASE)).unwrap();
        let mut linker = Linker::new(&engine);
        linker.define(&mut store, "env", "base", base).unwrap();
        (store, linker)
    };

    // Check once that segments, globals and the table were initialized.
    {
        let (mut store, linker) = make_store();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let memory = instance.get_memory(&store, "memory").unwrap();
        let data = memory.data(&store);
        assert_eq!(&data[..4], b"Mote");
        assert_eq!(&data[1024..1028], &[1, 2, 3, 4]);
        assert_eq!(&data[BASE as usize..BASE as usize + 4], b"from");
        assert_eq!(
            instance.get_global(&store, "derived").unwrap().get(&store),
            Val::I32(BASE)
        );
        let dispatch = instance.get_typed_func::<(i32, i32), i32>(&store, "dispatch").unwrap();
        let m = i32::from(b'M');
        assert_eq!(dispatch.call(&mut store, (0, 1)).unwrap(), 101 + m);
        assert_eq!(dispatch.call(&mut store, (1, 7)).unwrap(), 21 + m);
        assert_eq!(dispatch.call(&mut store, (2, 1)).unwrap(), 0x5678_9abd + m);
        assert_eq!(dispatch.call(&mut store, (8, 4)).unwrap(), 10 + m);
        assert!(dispatch.call(&mut store, (4, 0)).is_err(), "slot 4 is null");
    }

    let mut group = c.benchmark_group("instantiate");
    group.bench_function("instantiate", |b| {
        b.iter_batched(
            make_store,
            |(mut store, linker)| {
                let instance = linker.instantiate(&mut store, &module).unwrap();
                (store, linker, instance)
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("store_and_instantiate", |b| {
        b.iter(|| {
            let (mut store, linker) = make_store();
            linker.instantiate(&mut store, &module).unwrap();
        })
    });
    group.bench_function("empty_module", |b| {
        b.iter_batched(
            || Store::new(&engine, ()),
            |mut store| {
                let instance = Linker::new(&engine).instantiate(&mut store, &empty).unwrap();
                (store, instance)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, instantiate);
criterion_main!(benches);
