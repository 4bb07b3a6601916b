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
