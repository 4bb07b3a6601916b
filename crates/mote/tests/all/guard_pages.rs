//! Guard-page mode against explicit checks and the interpreter: every
//! load and store width, at addresses and offsets around the end of a
//! memory (before and after it grows), must give the same value or the
//! same trap, and a trapping store must leave memory as it was. Where the
//! host has no guard-page handler the JIT checks explicitly and the test
//! still compares the two.

use mote::{Caller, Config, Engine, Func, Linker, Module, Store, Strategy, Val};

/// (name, instruction, result type or "" for a store, access width).
const ACCESSES: &[(&str, &str, &str, u32)] = &[
    ("i32.load", "i32.load", "i32", 4),
    ("i64.load", "i64.load", "i64", 8),
    ("f32.load", "f32.load", "f32", 4),
    ("f64.load", "f64.load", "f64", 8),
    ("i32.load8_s", "i32.load8_s", "i32", 1),
    ("i32.load16_u", "i32.load16_u", "i32", 2),
    ("i64.load32_s", "i64.load32_s", "i64", 4),
    ("v128.load", "v128.load", "v128", 16),
    ("i32.store8", "i32.store8", "i32", 1),
    ("i32.store16", "i32.store16", "i32", 2),
    ("i32.store", "i32.store", "i32", 4),
    ("i64.store", "i64.store", "i64", 8),
    ("f64.store", "f64.store", "f64", 8),
];

/// Offsets: none, small, the largest a guard page covers easily, and ones
/// that need an explicit check even in guard-page mode.
const OFFSETS: &[u32] = &[0, 1, 7, 65_535, 0x7fff_0000, 0xffff_fff0, u32::MAX];

fn module_text() -> String {
    let mut wat = String::from("(module (memory (export \"mem\") 1 4)\n");
    wat.push_str("(func (export \"grow\") (param i32) (result i32) local.get 0 memory.grow)\n");
    for &(name, op, ty, _) in ACCESSES {
        for off in OFFSETS {
            let store = op.contains("store");
            if store {
                let value = if ty == "f64" {
                    "f64.const -1.5"
                } else {
                    "i64.const -1 i32.wrap_i64"
                };
                let value = if ty == "i64" { "i64.const -1" } else { value };
                wat.push_str(&format!(
                    "(func (export \"{name}/{off}\") (param i32) local.get 0 {value} {op} offset={off})\n"
                ));
            } else {
                wat.push_str(&format!(
                    "(func (export \"{name}/{off}\") (param i32) (result {ty}) local.get 0 {op} offset={off})\n"
                ));
            }
        }
    }
    wat.push(')');
    wat
}

fn engine(strategy: Strategy, guard_pages: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy).guard_pages(guard_pages);
    Engine::new(&config)
}

/// Every access at every address near the end, before and after a grow,
/// with a hash of memory after each store.
fn run(engine: &Engine) -> Vec<String> {
    let module = Module::new(engine, module_text()).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, &module).unwrap();
    let memory = instance.get_memory(&store, "mem").unwrap();
    let grow = instance.get_func(&store, "grow").unwrap();
    let mut log = Vec::new();
    for round in 0..2 {
        let len = memory.data_size(&store) as u64;
        for &(name, _, _, width) in ACCESSES {
            for &off in OFFSETS {
                let f = instance.get_func(&store, &format!("{name}/{off}")).unwrap();
                let mut addrs: Vec<u64> = (0..=u64::from(width) + 1)
                    .filter_map(|d| (len + 1).checked_sub(u64::from(off) + d))
                    .filter(|&a| a <= u64::from(u32::MAX))
                    .collect();
                addrs.extend([0, 65_536, 131_072, u64::from(u32::MAX)]);
                for addr in addrs {
                    let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
                    let outcome = match f.call(&mut store, &[Val::I32(addr as u32 as i32)], &mut results) {
                        Ok(()) => format!("ok {results:?}"),
                        Err(e) => format!("trap {:?}", e.trap_code()),
                    };
                    let sum: u64 = memory.data(&store).iter().map(|&b| u64::from(b)).sum();
                    log.push(format!(
                        "{round} {name} offset={off} addr={addr}: {outcome} memory sum {sum}"
                    ));
                }
            }
        }
        let mut old = [Val::I32(0)];
        grow.call(&mut store, &[Val::I32(1)], &mut old).unwrap();
    }
    log
}

#[test]
fn out_of_bounds_accesses_trap_alike_in_every_mode() {
    let interp = run(&engine(Strategy::Interpreter, false));
    let explicit = run(&engine(Strategy::Jit, false));
    let guarded = run(&engine(Strategy::Jit, true));
    assert!(interp.iter().any(|l| l.contains("trap Some(MemoryOutOfBounds)")));
    assert!(interp.iter().any(|l| l.contains(": ok")));
    for (i, line) in interp.iter().enumerate() {
        assert_eq!(
            line, &explicit[i],
            "interpreter (left) and explicit checks (right) differ"
        );
        assert_eq!(line, &guarded[i], "interpreter (left) and guard pages (right) differ");
    }
    assert_eq!(interp.len(), guarded.len());
}

/// A fault in wasm called back from a host function called from wasm
/// ends only the inner entry: the host function sees the trap, and the
/// outer wasm carries on.
#[test]
fn a_fault_in_a_nested_entry_unwinds_only_that_entry() {
    let engine = engine(Strategy::Jit, true);
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "reenter" (func $reenter (result i32)))
            (memory 1)
            (func (export "oob") (result i32) i32.const 65536 i32.load)
            (func (export "outer") (result i32)
                call $reenter
                i32.const 0 i32.load
                i32.add))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, None::<Func>);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "reenter", |mut caller: Caller<'_, Option<Func>>| -> i32 {
            let oob = caller.data().unwrap();
            let mut result = [Val::I32(0)];
            match oob.call(&mut caller, &[], &mut result) {
                Err(e) if e.trap_code() == Some(mote::TrapCode::MemoryOutOfBounds) => 40,
                other => panic!("expected an out-of-bounds trap, got {other:?}"),
            }
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    *store.data_mut() = Some(instance.get_func(&store, "oob").unwrap());
    let outer = instance.get_typed_func::<(), i32>(&store, "outer").unwrap();
    for _ in 0..3 {
        assert_eq!(outer.call(&mut store, ()).unwrap(), 40);
    }
}

/// Faults on several threads at once each end their own call.
#[test]
fn faults_on_many_threads() {
    let engine = engine(Strategy::Jit, true);
    let module = Module::new(
        &engine,
        r#"(module (memory 1)
            (func (export "f") (param i32) (result i32) local.get 0 i32.load))"#,
    )
    .unwrap();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (engine, module) = (&engine, &module);
            s.spawn(move || {
                let mut store = Store::new(engine, ());
                let instance = Linker::new(engine).instantiate(&mut store, module).unwrap();
                let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
                for i in 0..200 {
                    let addr = if (i + t) % 2 == 0 { 65_536 + i * 4096 } else { i * 4 };
                    let r = f.call(&mut store, addr);
                    assert_eq!(r.is_err(), addr >= 65_533, "address {addr}");
                }
            });
        }
    });
}

/// 64-bit memories keep explicit checks in guard-page mode (their index
/// space is larger than any reservation), and still trap at their exact
/// end, beside a guarded 32-bit memory.
#[test]
fn memories_without_guard_pages_check_explicitly() {
    let engine = engine(Strategy::Jit, true);
    let module = Module::new(
        &engine,
        r#"(module
            (memory $m64 i64 1)
            (memory $m32 1)
            (func (export "m64") (param i64) (result i32) local.get 0 i32.load $m64)
            (func (export "m32") (param i32) (result i32) local.get 0 i32.load8_u $m32))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let m64 = instance.get_typed_func::<i64, i32>(&store, "m64").unwrap();
    assert_eq!(m64.call(&mut store, 65_532).unwrap(), 0);
    assert!(m64.call(&mut store, 65_533).is_err());
    assert!(m64.call(&mut store, 1 << 40).is_err());
    let m32 = instance.get_typed_func::<i32, i32>(&store, "m32").unwrap();
    assert_eq!(m32.call(&mut store, 65_535).unwrap(), 0);
    assert!(m32.call(&mut store, 65_536).is_err());
}
