//! The interpreter and the JIT side by side: each case runs one scenario
//! through the embedding API with both strategies and compares every
//! result, trap code, error message, fuel reading and host-visible state.
//! (The benchmark programs are compared the same way by the CLI's
//! `bench` tests.)

use mote::{Caller, Config, Engine, Func, Linker, Module, Ref, Store, Strategy, Table, TrapCode, Val};

/// What a scenario observed, in order.
type Log = Vec<String>;

fn engine(strategy: Strategy, fuel: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy).consume_fuel(fuel);
    Engine::new(&config)
}

/// Records a call's outcome: its results, or the trap code, or the message.
fn outcome(log: &mut Log, label: &str, result: Result<Vec<Val>, mote::Error>) {
    let line = match result {
        Ok(values) => format!("{label}: ok {values:?}"),
        Err(e) => match e.trap_code() {
            Some(code) => format!("{label}: trap {code:?}"),
            None => format!("{label}: error {e}"),
        },
    };
    log.push(line);
}

fn call(store: &mut Store<u32>, f: Func, args: &[Val]) -> Result<Vec<Val>, mote::Error> {
    let ty = f.ty(&*store);
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    f.call(&mut *store, args, &mut results)?;
    Ok(results)
}

/// Runs `scenario` under both strategies and checks they saw the same.
fn same_in_both(scenario: fn(Strategy) -> Log) {
    let interp = scenario(Strategy::Interpreter);
    let jit = scenario(Strategy::Jit);
    assert!(!interp.is_empty());
    eprintln!("{}", interp.join("\n"));
    assert_eq!(interp, jit, "interpreter (left) and JIT (right) differ");
}

const TRAPS: &str = r#"(module
    (memory (export "mem") 1)
    (table 4 funcref)
    (type $v (func))
    (type $i (func (result i32)))
    (elem (i32.const 0) $seven $nop)
    (func $seven (result i32) i32.const 7)
    (func $nop)
    (func (export "unreachable") unreachable)
    (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
    (func (export "rem") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rem_u)
    (func (export "load") (param i32) (result i32) local.get 0 i32.load offset=4)
    (func (export "store8") (param i32 i32) local.get 0 local.get 1 i32.store8)
    (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
    (func (export "indirect") (param i32) (result i32) local.get 0 call_indirect (type $i))
    (func $deep (export "deep") (param i32) (result i32)
        local.get 0 i32.const 1 i32.add call $deep)
    (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
)"#;

#[test]
fn traps() {
    same_in_both(|strategy| {
        let engine = engine(strategy, false);
        let module = Module::new(&engine, TRAPS).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let mut log = Log::new();
        let cases: &[(&str, &[Val])] = &[
            ("unreachable", &[]),
            ("div", &[Val::I32(7), Val::I32(2)]),
            ("div", &[Val::I32(7), Val::I32(0)]),
            ("div", &[Val::I32(i32::MIN), Val::I32(-1)]),
            ("rem", &[Val::I64(7), Val::I64(0)]),
            ("load", &[Val::I32(65_528)]),
            ("load", &[Val::I32(65_529)]),
            ("load", &[Val::I32(-1)]),
            ("store8", &[Val::I32(65_535), Val::I32(1)]),
            ("store8", &[Val::I32(65_536), Val::I32(1)]),
            ("trunc", &[Val::F64(3.9f64.to_bits())]),
            ("trunc", &[Val::F64(f64::NAN.to_bits())]),
            ("trunc", &[Val::F64(3e9f64.to_bits())]),
            ("indirect", &[Val::I32(0)]),
            ("indirect", &[Val::I32(1)]),
            ("indirect", &[Val::I32(2)]),
            ("indirect", &[Val::I32(4)]),
            ("deep", &[Val::I32(0)]),
            ("fill", &[Val::I32(10), Val::I32(0xab), Val::I32(5)]),
            ("fill", &[Val::I32(65_530), Val::I32(1), Val::I32(7)]),
        ];
        for (name, args) in cases {
            let f = instance.get_func(&store, name).unwrap();
            let result = call(&mut store, f, args);
            outcome(&mut log, name, result);
        }
        let mem = instance.get_memory(&store, "mem").unwrap();
        log.push(format!("memory {:?}", &mem.data(&store)[8..16]));
        // A store stays usable after a trap.
        let div = instance.get_typed_func::<(i32, i32), i32>(&store, "div").unwrap();
        outcome(
            &mut log,
            "div again",
            div.call(&mut store, (9, 3)).map(|v| vec![Val::I32(v)]),
        );
        log
    });
}

#[test]
fn deep_recursion_is_a_stack_overflow_trap() {
    let engine = engine(Strategy::Jit, false);
    let module = Module::new(&engine, TRAPS).unwrap();
    let mut store = Store::new(&engine, 0u32);
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let deep = instance.get_typed_func::<i32, i32>(&store, "deep").unwrap();
    for _ in 0..3 {
        let err = deep.call(&mut store, 0).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    }
}

const HOST: &str = r#"(module
    (import "host" "add" (func $add (param i32 i32) (result i32)))
    (import "host" "fail" (func $fail (param i32)))
    (import "host" "reenter" (func $reenter (param i32) (result i32)))
    (global $g (export "g") (mut i64) (i64.const 5))
    (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
    (func (export "sum") (param i32) (result i32) (local $acc i32)
        (loop $l
            local.get $acc local.get 0 call $add local.set $acc
            local.get 0 i32.const 1 i32.sub local.tee 0
            br_if $l)
        local.get $acc)
    (func (export "fail") (param i32) local.get 0 call $fail)
    (func (export "reenter") (param i32) (result i32) local.get 0 call $reenter)
    (func (export "bump") (result i64) global.get $g i64.const 1 i64.add global.set $g global.get $g)
)"#;

#[test]
fn host_functions_and_globals() {
    same_in_both(|strategy| {
        let engine = engine(strategy, false);
        let module = Module::new(&engine, HOST).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("host", "add", |mut caller: Caller<'_, u32>, a: i32, b: i32| {
                *caller.data_mut() += 1;
                a.wrapping_add(b)
            })
            .unwrap();
        linker
            .func_wrap("host", "fail", |x: i32| -> Result<(), mote::Error> {
                if x == 0 {
                    Ok(())
                } else {
                    Err(mote::Error::msg(format!("host refused {x}")))
                }
            })
            .unwrap();
        linker
            .func_wrap(
                "host",
                "reenter",
                |mut caller: Caller<'_, u32>, x: i32| -> Result<i32, mote::Error> {
                    let double = caller.get_export("double").and_then(|e| e.into_func()).unwrap();
                    let mut out = [Val::I32(0)];
                    double.call(&mut caller, &[Val::I32(x)], &mut out)?;
                    if x > 1000 {
                        let fail = caller.get_export("fail").and_then(|e| e.into_func()).unwrap();
                        fail.call(&mut caller, &[Val::I32(x)], &mut [])?;
                    }
                    Ok(out[0].i32().unwrap() + 1)
                },
            )
            .unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let mut log = Log::new();
        for (name, arg) in [
            ("sum", 100),
            ("fail", 0),
            ("fail", 3),
            ("reenter", 20),
            ("reenter", 2000),
        ] {
            let f = instance.get_func(&store, name).unwrap();
            let result = call(&mut store, f, &[Val::I32(arg)]);
            outcome(&mut log, name, result);
        }
        log.push(format!("host calls {}", store.data()));
        let g = instance.get_global(&store, "g").unwrap();
        let bump = instance.get_func(&store, "bump").unwrap();
        outcome(&mut log, "bump", call(&mut store, bump, &[]));
        g.set(&mut store, Val::I64(-10)).unwrap();
        outcome(&mut log, "bump", call(&mut store, bump, &[]));
        log.push(format!("g {:?}", g.get(&store)));
        log
    });
}

const FUEL: &str = r#"(module
    (func $spin (export "spin") (param i32) (result i32)
        (loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
        local.get 0)
    (func (export "calls") (param i32) (result i32)
        (loop $l local.get 0 call $spin drop local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
        local.get 0)
)"#;

#[test]
fn fuel() {
    same_in_both(|strategy| {
        let engine = engine(strategy, true);
        let module = Module::new(&engine, FUEL).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let mut log = Log::new();
        for (name, arg, fuel) in [
            ("spin", 10, 1000),
            ("spin", 1000, 1000),
            ("calls", 20, 10_000),
            ("calls", 200, 10_000),
        ] {
            store.set_fuel(fuel).unwrap();
            let f = instance.get_func(&store, name).unwrap();
            let result = call(&mut store, f, &[Val::I32(arg)]);
            outcome(&mut log, name, result);
            log.push(format!("fuel left {}", store.get_fuel().unwrap()));
        }
        log
    });
}

/// Code after a label nothing branches to is charged with the region
/// before it, even where that code can never run (here: after a block
/// that returns, after an `if` whose arms both return, and after a
/// `try_table` whose catch label is never used), so the out-of-fuel point
/// is the same in both back ends.
const FUEL_AFTER_ENDS: &str = r#"(module
    (memory (export "mem") 1)
    (func (export "block") (param i32) (result i32)
        (i32.store (i32.const 0) (local.get 0))
        (block $b (if (local.get 0) (then (return (i32.const 1)))) (return (i32.const 2)))
        (i32.const 2) (i32.const 3) (i32.add))
    (func (export "arms") (param i32) (result i32)
        (if (local.get 0) (then (return (i32.const 1))) (else (i32.store (i32.const 4) (i32.const 9)) (return (i32.const 2))))
        (i32.const 5) (i32.const 6) (i32.add) (i32.const 7) (i32.add))
    (func (export "catch") (param i32) (result i32)
        (block $c (try_table (catch_all $c) (i32.store (i32.const 8) (local.get 0))))
        (i32.add (local.get 0) (i32.const 1)))
)"#;

#[test]
fn fuel_after_unreachable_ends() {
    same_in_both(|strategy| {
        let engine = engine(strategy, true);
        let module = Module::new(&engine, FUEL_AFTER_ENDS).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let mem = instance.get_memory(&store, "mem").unwrap();
        let mut log = Log::new();
        for name in ["block", "arms", "catch"] {
            for arg in [0, 1] {
                for fuel in [3, 5, 7, 9, 100] {
                    mem.data_mut(&mut store)[..12].fill(0);
                    store.set_fuel(fuel).unwrap();
                    let f = instance.get_func(&store, name).unwrap();
                    let result = call(&mut store, f, &[Val::I32(arg)]);
                    outcome(&mut log, name, result);
                    log.push(format!(
                        "fuel left {}, memory {:?}",
                        store.get_fuel().unwrap(),
                        &mem.data(&store)[..12]
                    ));
                }
            }
        }
        log
    });
}

/// Operators that emit no interpreter instruction (a constant that is
/// dropped or stays deferred, a `try_table`) still cost fuel when the
/// region they are in ends at a label: before a loop header, at an `if`
/// without `else`, at a block end that a catch clause targets. The
/// interpreter once charged such a region nothing, one or two units less
/// than compiled code (as in `wasm-smith` seeds 35, 46 and nine others).
const FUEL_BEFORE_LABELS: &str = r#"(module
    (func (export "loop") (result i32)
        (drop (ref.null extern)) (loop $l) (i32.const 2))
    (func (export "if") (param i32) (result i32)
        (if (local.get 0) (then (drop (i32.const 1)))) (i32.const 4))
    (func (export "catch") (result i32)
        (block $b (try_table (catch_all $b))) (i32.const 3))
)"#;

#[test]
fn fuel_of_regions_without_instructions() {
    same_in_both(|strategy| {
        let engine = engine(strategy, true);
        let module = Module::new(&engine, FUEL_BEFORE_LABELS).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let mut log = Log::new();
        for (name, args) in [("loop", vec![]), ("if", vec![Val::I32(1)]), ("catch", vec![])] {
            for fuel in [1, 2, 3, 100] {
                store.set_fuel(fuel).unwrap();
                let f = instance.get_func(&store, name).unwrap();
                let result = call(&mut store, f, &args);
                outcome(&mut log, name, result);
                log.push(format!("fuel left {}", store.get_fuel().unwrap()));
            }
        }
        log
    });
}

const GROW: &str = r#"(module
    (memory (export "mem") 1 4)
    (table $t (export "t") 1 8 funcref)
    (type $i (func (result i32)))
    (func $k (result i32) i32.const 42)
    (elem declare func $k)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
    (func (export "size") (result i32) memory.size)
    (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store)
    (func (export "peek") (param i32) (result i32) local.get 0 i32.load)
    (func (export "tgrow") (param i32) (result i32) ref.func $k local.get 0 table.grow $t)
    (func (export "tsize") (result i32) table.size $t)
    (func (export "icall") (param i32) (result i32) local.get 0 call_indirect $t (type $i))
)"#;

#[test]
fn memory_and_table_growth() {
    same_in_both(|strategy| {
        let engine = engine(strategy, false);
        let module = Module::new(&engine, GROW).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let mut log = Log::new();
        let run = |store: &mut Store<u32>, log: &mut Log, name: &str, args: &[i32]| {
            let f = instance.get_func(&*store, name).unwrap();
            let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
            let result = call(store, f, &args);
            outcome(log, name, result);
        };
        run(&mut store, &mut log, "poke", &[70_000, 1]);
        run(&mut store, &mut log, "grow", &[1]);
        run(&mut store, &mut log, "poke", &[70_000, 77]);
        run(&mut store, &mut log, "peek", &[70_000]);
        run(&mut store, &mut log, "grow", &[5]);
        let mem = instance.get_memory(&store, "mem").unwrap();
        mem.grow(&mut store, 1).unwrap();
        run(&mut store, &mut log, "size", &[]);
        run(&mut store, &mut log, "poke", &[3 * 65_536 - 4, 9]);
        log.push(format!("host reads {:?}", &mem.data(&store)[3 * 65_536 - 4..]));
        run(&mut store, &mut log, "icall", &[0]);
        run(&mut store, &mut log, "icall", &[1]);
        run(&mut store, &mut log, "tgrow", &[2]);
        run(&mut store, &mut log, "icall", &[2]);
        let t: Table = instance.get_table(&store, "t").unwrap();
        let host = Func::wrap(&mut store, || 5i32);
        t.grow(&mut store, 1, Ref::Func(Some(host))).unwrap();
        run(&mut store, &mut log, "tsize", &[]);
        run(&mut store, &mut log, "icall", &[3]);
        t.set(&mut store, 0, Ref::Func(Some(host))).unwrap();
        run(&mut store, &mut log, "icall", &[0]);
        run(&mut store, &mut log, "icall", &[9]);
        log
    });
}

/// Two instances share a memory, a table and a global: what one writes
/// the other reads, and a call through the shared table runs in the
/// function's own instance.
#[test]
fn shared_entities_between_instances() {
    same_in_both(|strategy| {
        let engine = engine(strategy, false);
        let producer = Module::new(
            &engine,
            r#"(module
                (memory (export "mem") 1)
                (global (export "g") (mut i32) (i32.const 3))
                (table (export "t") 2 funcref)
                (func $get (result i32) global.get 0)
                (elem (i32.const 0) $get)
                (func (export "set") (param i32) local.get 0 global.set 0))"#,
        )
        .unwrap();
        let consumer = Module::new(
            &engine,
            r#"(module
                (import "p" "mem" (memory 1))
                (import "p" "g" (global (mut i32)))
                (import "p" "t" (table 2 funcref))
                (import "p" "set" (func $set (param i32)))
                (type $i (func (result i32)))
                (func (export "run") (result i32)
                    i32.const 8 global.get 0 i32.store
                    i32.const 40 call $set
                    i32.const 0 call_indirect (type $i)
                    i32.const 8 i32.load i32.add))"#,
        )
        .unwrap();
        let mut store = Store::new(&engine, 0u32);
        let mut linker = Linker::new(&engine);
        let p = linker.instantiate(&mut store, &producer).unwrap();
        linker.instance(&mut store, "p", p).unwrap();
        let c = linker.instantiate(&mut store, &consumer).unwrap();
        let mut log = Log::new();
        let run = c.get_func(&store, "run").unwrap();
        outcome(&mut log, "run", call(&mut store, run, &[]));
        let mem = p.get_memory(&store, "mem").unwrap();
        log.push(format!("mem {:?}", &mem.data(&store)[8..12]));
        log
    });
}

/// A panic must not unwind through compiled frames: the JIT reports it as
/// an error of the call, and the store stays usable.
#[test]
fn a_panicking_host_function_is_an_error_in_the_jit() {
    let engine = engine(Strategy::Jit, false);
    let module = Module::new(
        &engine,
        r#"(module (import "host" "boom" (func $boom (param i32) (result i32)))
            (func (export "run") (param i32) (result i32) local.get 0 call $boom))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, 0u32);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "boom", |x: i32| {
            assert!(x < 10, "boom {x}");
            x + 1
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    let err = run.call(&mut store, 99).unwrap_err();
    assert!(err.to_string().contains("panicked: boom 99"), "{err}");
    assert_eq!(run.call(&mut store, 1).unwrap(), 2);
}

const GC: &str = r#"(module
    (type $point (struct (field $x (mut i32)) (field $tag i8) (field $w f64) (field $v v128) (field $next (mut (ref null $point)))))
    (type $bytes (array (mut i8)))
    (type $longs (array (mut i64)))
    (data $d "\01\02\03\04\05")
    (global $made (ref $longs) (array.new_fixed $longs 2 (i64.const 11) (i64.const 12)))
    (func (export "from_init") (result i64)
        (array.set $longs (global.get $made) (i32.const 0) (i64.const 30))
        (i64.add (array.get $longs (global.get $made) (i32.const 0)) (array.get $longs (global.get $made) (i32.const 1))))
    (func (export "point") (param i32 f64) (result i32 i32 f64 i64 i32)
        (local $p (ref $point))
        (local.set $p (struct.new $point (local.get 0) (i32.const -3) (local.get 1)
            (v128.const i64x2 7 9) (ref.null $point)))
        (struct.set $point $next (local.get $p) (struct.new_default $point))
        (struct.set $point $x (local.get $p) (i32.add (struct.get $point $x (local.get $p)) (i32.const 1)))
        (struct.get $point $x (local.get $p))
        (struct.get_s $point $tag (local.get $p))
        (struct.get $point $w (local.get $p))
        (i64x2.extract_lane 1 (struct.get $point $v (local.get $p)))
        (ref.is_null (struct.get $point $next (struct.get $point $next (local.get $p)))))
    (func (export "arrays") (param i32) (result i32 i32 i64 i32)
        (local $b (ref $bytes)) (local $l (ref $longs))
        (local.set $b (array.new_data $bytes $d (i32.const 1) (i32.const 4)))
        (array.fill $bytes (local.get $b) (i32.const 2) (i32.const 255) (i32.const 2))
        (local.set $l (array.new $longs (i64.const 5) (local.get 0)))
        (array.set $longs (local.get $l) (i32.const 0) (i64.const -1))
        (array.copy $longs $longs (local.get $l) (i32.const 1) (local.get $l) (i32.const 0) (i32.const 1))
        (array.get_u $bytes (local.get $b) (i32.const 3))
        (array.get_s $bytes (local.get $b) (i32.const 1))
        (array.get $longs (local.get $l) (i32.const 1))
        (array.len (array.new_fixed $longs 3 (i64.const 1) (i64.const 2) (i64.const 3))))
    (func (export "casts") (param i32) (result i32 i32 i32 i32)
        (local $a eqref) (local $t1 i32) (local $t2 i32)
        (local.set $a (if (result eqref) (local.get 0)
            (then (ref.i31 (i32.const -5))) (else (struct.new_default $point))))
        (local.set $t1 (ref.test (ref i31) (local.get $a)))
        (local.set $t2 (ref.test (ref $point) (local.get $a)))
        (local.get $t1) (local.get $t2)
        (block $i31 (result (ref i31))
            (br_on_cast $i31 eqref (ref i31) (local.get $a))
            (drop)
            (return (local.get $t1) (local.get $t2) (i32.const 100) (ref.eq (local.get $a) (local.get $a))))
        (i31.get_s)
        (ref.eq (local.get $a) (ref.i31 (i32.const 0))))
    (func (export "bad_cast") (result i32)
        (struct.get $point $x (ref.cast (ref $point) (ref.i31 (i32.const 1)))))
    (func (export "null_get") (result i32)
        (struct.get $point $x (ref.null $point)))
    (func (export "oob") (param i32) (result i64)
        (array.get $longs (array.new_default $longs (i32.const 2)) (local.get 0)))
    (func (export "keep") (param anyref) (result anyref) (local.get 0))
    (func (export "make") (result anyref) (struct.new_default $point))
)"#;

/// GC objects made and read by compiled code: packed, float, vector and
/// reference fields, arrays from data segments, casts, and the traps.
#[test]
fn gc_objects() {
    same_in_both(|strategy| gc_scenario(strategy, false));
}

/// The same with fuel: every GC operator costs what it costs in the
/// interpreter.
#[test]
fn gc_objects_with_fuel() {
    same_in_both(|strategy| gc_scenario(strategy, true));
}

/// Sets `fuel` before a call when metering.
fn refuel(store: &mut Store<u32>, metered: bool) {
    if metered {
        store.set_fuel(1_000_000).unwrap();
    }
}

/// Logs the fuel a call left when metering.
fn fuel_left(store: &Store<u32>, log: &mut Log, metered: bool) {
    if metered {
        log.push(format!("fuel left {}", store.get_fuel().unwrap()));
    }
}

fn gc_scenario(strategy: Strategy, metered: bool) -> Log {
    let engine = engine(strategy, metered);
    let module = Module::new(&engine, GC).unwrap();
    let mut store = Store::new(&engine, 0u32);
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let mut log = Log::new();
    let cases: &[(&str, &[Val])] = &[
        ("point", &[Val::I32(41), Val::F64(2.5f64.to_bits())]),
        ("arrays", &[Val::I32(3)]),
        ("arrays", &[Val::I32(-1)]),
        ("casts", &[Val::I32(1)]),
        ("casts", &[Val::I32(0)]),
        ("bad_cast", &[]),
        ("null_get", &[]),
        ("oob", &[Val::I32(1)]),
        ("oob", &[Val::I32(2)]),
        ("from_init", &[]),
        ("from_init", &[]),
    ];
    for (name, args) in cases {
        let f = instance.get_func(&store, name).unwrap();
        refuel(&mut store, metered);
        let result = call(&mut store, f, args);
        outcome(&mut log, name, result);
        fuel_left(&store, &mut log, metered);
    }
    refuel(&mut store, metered);
    // An object leaves compiled code and comes back as the same object.
    let make = instance.get_func(&store, "make").unwrap();
    let keep = instance.get_func(&store, "keep").unwrap();
    let obj = call(&mut store, make, &[]).unwrap().remove(0);
    let back = call(&mut store, keep, std::slice::from_ref(&obj)).unwrap().remove(0);
    log.push(format!("round trip is the same object: {}", obj == back));
    log
}

const EXCEPTIONS: &str = r#"(module
    (import "host" "call_back" (func $call_back (param i32) (result i32)))
    (import "host" "swallow" (func $swallow (param i32) (result i32)))
    (tag $e (param i32 i64))
    (tag $f (param f32))
    (func $thrower (export "thrower") (param i32)
        (if (i32.eqz (local.get 0)) (then (return)))
        (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e (i32.const 7) (i64.const -2))))
        (throw $f (f32.const 1.5)))
    (func $nested (param i32) (call $thrower (local.get 0)))
    (func (export "catch") (param i32) (result i32 i64)
        (block $none
            (block $ce (result i32 i64)
                (try_table (catch $e $ce) (catch_all $none)
                    (call $nested (local.get 0)))
                (return (i32.const 0) (i64.const 0)))
            (return))
        (i32.const -1) (i64.const -1))
    (func (export "local") (param i32) (result i32)
        (block $c (result i32 i64)
            (try_table (result i32) (catch $e $c)
                (if (local.get 0) (then (throw $e (i32.const 3) (i64.const 4))))
                (i32.const 9))
            (return))
        (i32.wrap_i64) (i32.add))
    (func (export "rethrow") (param i32) (result i32) (local $x f32) (local $r exnref)
        (block $outer (result exnref)
            (try_table (catch_all_ref $outer)
                (block $inner (result f32 exnref)
                    (try_table (catch_ref $f $inner) (call $thrower (local.get 0)))
                    (return (i32.const 0)))
                (local.set $r) (local.set $x)
                (if (i32.ne (local.get 0) (i32.const 9)) (then (throw_ref (local.get $r)))))
            (return (i32.const -1)))
        (drop) (i32.add (i32.const 42) (i32.trunc_f32_s (local.get $x))))
    (func (export "loop") (result i32) (local $n i32)
        (loop $again
            (try_table (catch_all $again)
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (if (i32.lt_u (local.get $n) (i32.const 5)) (then (call $thrower (i32.const 2))))))
        (local.get $n))
    (func (export "through_host") (param i32) (result i32)
        (block $c
            (try_table (catch_all $c) (return (call $call_back (local.get 0)))))
        (i32.const -7))
    (func (export "swallowed") (param i32) (result i32) (call $swallow (local.get 0)))
)"#;

/// Exceptions thrown and caught in compiled code, rethrown, thrown through
/// a host function (where the interpreter too turns them into an error of
/// the inner call), and uncaught: an `UncaughtException` trap of the call.
#[test]
fn exceptions() {
    same_in_both(|strategy| exceptions_scenario(strategy, false));
}

/// The same with fuel: a caught exception resumes at its label's fuel
/// region, as in the interpreter.
#[test]
fn exceptions_with_fuel() {
    same_in_both(|strategy| exceptions_scenario(strategy, true));
}

fn exceptions_scenario(strategy: Strategy, metered: bool) -> Log {
    let engine = engine(strategy, metered);
    let module = Module::new(&engine, EXCEPTIONS).unwrap();
    let mut store = Store::new(&engine, 0u32);
    let mut linker = Linker::new(&engine);
    for (name, swallow) in [("call_back", false), ("swallow", true)] {
        linker
            .func_wrap(
                "host",
                name,
                move |mut caller: Caller<'_, u32>, x: i32| -> Result<i32, mote::Error> {
                    let thrower = caller.get_export("thrower").and_then(|e| e.into_func()).unwrap();
                    match thrower.call(&mut caller, &[Val::I32(x)], &mut []) {
                        Ok(()) => Ok(1),
                        Err(e) if swallow => Ok(if e.trap_code() == Some(TrapCode::UncaughtException) {
                            2
                        } else {
                            3
                        }),
                        Err(e) => Err(e),
                    }
                },
            )
            .unwrap();
    }
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let mut log = Log::new();
    let cases: &[(&str, i32)] = &[
        ("catch", 0),
        ("catch", 1),
        ("catch", 2),
        ("local", 0),
        ("local", 1),
        ("rethrow", 0),
        ("rethrow", 1),
        ("rethrow", 2),
        ("rethrow", 9),
        ("thrower", 1),
        ("through_host", 0),
        ("through_host", 1),
        ("swallowed", 0),
        ("swallowed", 2),
        ("catch", 1),
    ];
    for (name, arg) in cases {
        let f = instance.get_func(&store, name).unwrap();
        refuel(&mut store, metered);
        let result = call(&mut store, f, &[Val::I32(*arg)]);
        outcome(&mut log, name, result);
        fuel_left(&store, &mut log, metered);
    }
    let f = instance.get_func(&store, "loop").unwrap();
    refuel(&mut store, metered);
    outcome(&mut log, "loop", call(&mut store, f, &[]));
    fuel_left(&store, &mut log, metered);
    log
}
