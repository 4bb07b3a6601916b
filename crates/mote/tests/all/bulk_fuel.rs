//! The length-dependent fuel of bulk operations (`mote_environ::fuel`):
//! one more unit per 64 bytes written, charged before the operation does
//! anything, the same in the interpreter, the JIT and an AOT artifact.

use crate::back_end::BackEnd;
use mote::{Engine, Linker, Module, Store, Val};

const BULK: &str = r#"(module
    (type $bytes (array (mut i8)))
    (type $longs (array (mut i64)))
    (type $vecs (array (mut v128)))
    (type $funcs (array (mut funcref)))
    (memory $m (export "mem") 1)
    (memory $m64 i64 1)
    (table $t 200 funcref)
    (func $f)
    (data $d "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
    (elem $e func $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f)
    (func (export "fill") (param i32) (memory.fill $m (i32.const 0) (i32.const 7) (local.get 0)))
    (func (export "fill64") (param i64) (memory.fill $m64 (i64.const 0) (i32.const 7) (local.get 0)))
    (func (export "copy") (param i32) (memory.copy $m $m (i32.const 0) (i32.const 1) (local.get 0)))
    (func (export "init") (param i32) (memory.init $m $d (i32.const 0) (i32.const 0) (local.get 0)))
    (func (export "table_fill") (param i32) (table.fill $t (i32.const 0) (ref.null func) (local.get 0)))
    (func (export "table_copy") (param i32) (table.copy $t $t (i32.const 0) (i32.const 1) (local.get 0)))
    (func (export "table_init") (param i32) (table.init $t $e (i32.const 0) (i32.const 0) (local.get 0)))
    (func (export "new_bytes") (param i32) (result i32) (array.len (array.new $bytes (i32.const 1) (local.get 0))))
    (func (export "new_longs") (param i32) (result i32) (array.len (array.new_default $longs (local.get 0))))
    (func (export "new_vecs") (param i32) (result i32) (array.len (array.new_default $vecs (local.get 0))))
    (func (export "new_data") (param i32) (result i32) (array.len (array.new_data $bytes $d (i32.const 0) (local.get 0))))
    (func (export "new_elem") (param i32) (result i32) (array.len (array.new_elem $funcs $e (i32.const 0) (local.get 0))))
    (func (export "array_fill") (param i32)
        (array.fill $longs (array.new_default $longs (i32.const 800)) (i32.const 0) (i64.const 1) (local.get 0)))
    (func (export "array_copy") (param i32)
        (array.copy $longs $longs (array.new_default $longs (i32.const 800)) (i32.const 0)
            (array.new_default $longs (i32.const 800)) (i32.const 0) (local.get 0)))
    (func (export "init_data") (param i32)
        (array.init_data $bytes $d (array.new_default $bytes (i32.const 80)) (i32.const 0) (i32.const 0) (local.get 0)))
    (func (export "init_elem") (param i32)
        (array.init_elem $funcs $e (array.new_default $funcs (i32.const 20)) (i32.const 0) (i32.const 0) (local.get 0)))
)"#;

/// Fuel for each call.
const FUEL: u64 = 1_000;

/// Each export with the lengths it is called with: within bounds, one
/// unit's worth short of a unit, and more than the fuel pays for.
const CALLS: &[(&str, &[i64])] = &[
    ("fill", &[63, 64, 6400, 65_536]),
    ("fill64", &[6400, 65_536]),
    ("copy", &[6400, 65_535]),
    ("init", &[63, 64, 80]),
    ("table_fill", &[7, 8, 200]),
    ("table_copy", &[8, 199]),
    ("table_init", &[8, 20]),
    ("new_bytes", &[6400, 1 << 24]),
    ("new_longs", &[800, 1 << 24]),
    ("new_vecs", &[400, 1 << 24]),
    ("new_data", &[64, 80]),
    ("new_elem", &[8, 20]),
    ("array_fill", &[800]),
    ("array_copy", &[800]),
    ("init_data", &[64, 80]),
    ("init_elem", &[8, 20]),
];

/// An engine metering fuel and `wat` loaded for `path`.
fn load(path: BackEnd, wat: &str) -> (Engine, Module) {
    let engine = path.fuel_engine();
    let module = path.load(&engine, wat).unwrap();
    (engine, module)
}

/// Calls every export with every length on fuel [`FUEL`], logging the
/// outcome, the fuel left and whether memory byte 0 was written.
fn run(path: BackEnd) -> Vec<String> {
    let (engine, module) = load(path, BULK);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let mem = instance.get_memory(&store, "mem").unwrap();
    let mut log = Vec::new();
    for &(name, lengths) in CALLS {
        let f = instance.get_func(&store, name).unwrap();
        let ty = f.ty(&store);
        for &len in lengths {
            mem.data_mut(&mut store)[0] = 0;
            store.set_fuel(FUEL).unwrap();
            let arg = if name == "fill64" {
                Val::I64(len)
            } else {
                Val::I32(len as i32)
            };
            let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
            let outcome = match f.call(&mut store, &[arg], &mut results) {
                Ok(()) => format!("ok {results:?}"),
                Err(e) => format!("trap {:?}", e.trap_code()),
            };
            log.push(format!(
                "{name}({len}): {outcome}, fuel left {}, byte 0 = {}",
                store.get_fuel().unwrap(),
                mem.data(&store)[0]
            ));
        }
    }
    log
}

#[test]
fn bulk_operations_cost_their_length_in_every_back_end() {
    let interp = run(BackEnd::Interp);
    eprintln!("{}", interp.join("\n"));
    assert_eq!(interp, run(BackEnd::Jit), "interpreter (left) and JIT (right) differ");
    assert_eq!(interp, run(BackEnd::Aot), "interpreter (left) and AOT (right) differ");
    let line = |prefix: &str| {
        let found = interp.iter().find(|l| l.starts_with(prefix));
        found.unwrap_or_else(|| panic!("no line {prefix}")).as_str()
    };
    // `fill` runs 4 operators: 4 units, plus one per 64 bytes.
    assert_eq!(line("fill(63)"), "fill(63): ok [], fuel left 996, byte 0 = 7");
    assert_eq!(line("fill(64)"), "fill(64): ok [], fuel left 995, byte 0 = 7");
    assert_eq!(line("fill(6400)"), "fill(6400): ok [], fuel left 896, byte 0 = 7");
    // Too long for the fuel: the trap comes before the first byte.
    assert_eq!(
        line("fill(65536)"),
        "fill(65536): trap Some(OutOfFuel), fuel left 0, byte 0 = 0"
    );
    assert!(line("fill64(65536)").contains("OutOfFuel"));
    // Table elements are 8 bytes.
    assert_eq!(line("table_fill(8)"), "table_fill(8): ok [], fuel left 995, byte 0 = 0");
    // Array elements count at their size: 800 longs, 400 vectors or 6400
    // bytes are 100 units, plus 3 or 4 for the operators.
    for (call, left) in [
        ("new_longs(800)", 897),
        ("new_vecs(400)", 897),
        ("new_bytes(6400)", 896),
    ] {
        assert!(line(call).contains(&format!("fuel left {left},")), "{}", line(call));
    }
    // A huge allocation traps before it allocates.
    for call in ["new_longs(16777216)", "new_vecs(16777216)", "new_bytes(16777216)"] {
        assert!(
            line(call).contains("trap Some(OutOfFuel), fuel left 0"),
            "{}",
            line(call)
        );
    }
}

/// Arrays allocated by initializers: 2^24 longs (128 MiB) cost 2^21 units.
const INITIALIZERS: &str = r#"(module
    (type $longs (array (mut i64)))
    (global (export "g") (ref $longs) (array.new_default $longs (i32.const 0x100_0000)))
    (global (ref $longs) (array.new $longs (i64.const 1) (i32.const 640)))
)"#;

/// Initializers allocating arrays are charged like `array.new` in code,
/// before they allocate, so instantiation too is bounded by the fuel.
#[test]
fn initializers_cost_the_arrays_they_allocate() {
    for path in [BackEnd::Interp, BackEnd::Jit, BackEnd::Aot] {
        let (engine, module) = load(path, INITIALIZERS);
        let mut store = Store::new(&engine, ());
        store.set_fuel(1_000_000).unwrap();
        let err = Linker::new(&engine).instantiate(&mut store, &module).unwrap_err();
        assert_eq!(err.trap_code(), Some(mote::TrapCode::OutOfFuel), "{path:?}: {err}");
        assert_eq!(store.get_fuel().unwrap(), 0, "{path:?}");
        store.set_fuel(3_000_000).unwrap();
        Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        assert_eq!(store.get_fuel().unwrap(), 3_000_000 - (1 << 21) - 80, "{path:?}");
    }
}
