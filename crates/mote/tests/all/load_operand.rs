//! Float arithmetic with an operand loaded from memory runs as one fused
//! instruction (`x * mem[p]`). Every operator and access form must compute
//! what the load and the operator did separately, trap where the load
//! trapped, and pass its result on to the next instruction.

use mote::{Engine, Instance, Linker, Module, Store, TrapCode};

/// Memory holds an `f32` at bytes 8 (1.5) and 65532 (-4.0, the last in the
/// page) and an `f64` at bytes 16 (2.25) and 65520 (-8.5); every function
/// reads one through a fused form.
const MODULE: &str = r#"(module
    (memory (export "mem") 1)
    (func (export "init")
        (f32.store (i32.const 8) (f32.const 1.5))
        (f64.store (i32.const 16) (f64.const 2.25))
        (f32.store (i32.const 65532) (f32.const -4.0))
        (f64.store (i32.const 65520) (f64.const -8.5)))
    ;; plain loads, the loaded value on the right
    (func (export "f64_add") (param $x f64) (param $p i32) (result f64)
        (f64.add (local.get $x) (f64.load (local.get $p))))
    (func (export "f64_sub") (param $x f64) (param $p i32) (result f64)
        (f64.sub (local.get $x) (f64.load offset=8 (local.get $p))))
    (func (export "f64_mul") (param $x f64) (param $p i32) (result f64)
        (f64.mul (local.get $x) (f64.load (local.get $p))))
    (func (export "f32_add") (param $x f32) (param $p i32) (result f32)
        (f32.add (local.get $x) (f32.load (local.get $p))))
    (func (export "f32_sub") (param $x f32) (param $p i32) (result f32)
        (f32.sub (local.get $x) (f32.load (local.get $p))))
    (func (export "f32_mul") (param $x f32) (param $p i32) (result f32)
        (f32.mul (local.get $x) (f32.load (local.get $p))))
    ;; the loaded value on the left: fused for + and *, not for -
    (func (export "f64_mul_left") (param $x f64) (param $p i32) (result f64)
        (f64.mul (f64.load (local.get $p)) (local.get $x)))
    (func (export "f64_sub_left") (param $x f64) (param $p i32) (result f64)
        (f64.sub (f64.load (local.get $p)) (local.get $x)))
    (func (export "f32_add_left") (param $x f32) (param $p i32) (result f32)
        (f32.add (f32.load (local.get $p)) (local.get $x)))
    ;; `At` forms: the address is `p + imm`, wrapping at 32 bits
    (func (export "f64_mul_at") (param $x f64) (param $p i32) (result f64)
        (f64.mul (local.get $x) (f64.load (i32.add (local.get $p) (i32.const 8)))))
    (func (export "f32_sub_at") (param $x f32) (param $p i32) (result f32)
        (f32.sub (local.get $x) (f32.load (i32.add (local.get $p) (i32.const -4)))))
    ;; a chain: x * mem[p] + mem[p + 8], stored, read back
    (func (export "chain") (param $x f64) (param $p i32) (result f64)
        (f64.store (i32.const 32)
            (f64.add (f64.mul (local.get $x) (f64.load (local.get $p)))
                     (f64.load offset=8 (local.get $p))))
        (f64.load (i32.const 32))))"#;

fn setup() -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, MODULE).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let init = instance.get_typed_func::<(), ()>(&store, "init").unwrap();
    init.call(&mut store, ()).unwrap();
    (store, instance)
}

fn f64_op(store: &mut Store<()>, instance: &Instance, name: &str, x: f64, p: i32) -> Result<f64, mote::Error> {
    let f = instance.get_typed_func::<(f64, i32), f64>(&*store, name).unwrap();
    f.call(&mut *store, (x, p))
}

fn f32_op(store: &mut Store<()>, instance: &Instance, name: &str, x: f32, p: i32) -> Result<f32, mote::Error> {
    let f = instance.get_typed_func::<(f32, i32), f32>(&*store, name).unwrap();
    f.call(&mut *store, (x, p))
}

#[test]
fn fused_loads_compute_like_load_then_operator() {
    let (mut s, i) = setup();
    assert_eq!(f64_op(&mut s, &i, "f64_add", 1.0, 16).unwrap(), 3.25);
    assert_eq!(f64_op(&mut s, &i, "f64_sub", 1.0, 8).unwrap(), -1.25);
    assert_eq!(f64_op(&mut s, &i, "f64_mul", 2.0, 65520).unwrap(), -17.0);
    assert_eq!(f32_op(&mut s, &i, "f32_add", 1.0, 8).unwrap(), 2.5);
    assert_eq!(f32_op(&mut s, &i, "f32_sub", 1.0, 65532).unwrap(), 5.0);
    assert_eq!(f32_op(&mut s, &i, "f32_mul", 3.0, 8).unwrap(), 4.5);
    assert_eq!(f64_op(&mut s, &i, "f64_mul_left", 4.0, 16).unwrap(), 9.0);
    assert_eq!(f64_op(&mut s, &i, "f64_sub_left", 4.0, 16).unwrap(), -1.75);
    assert_eq!(f32_op(&mut s, &i, "f32_add_left", -0.5, 8).unwrap(), 1.0);
    assert_eq!(f64_op(&mut s, &i, "f64_mul_at", 2.0, 8).unwrap(), 4.5);
    assert_eq!(f32_op(&mut s, &i, "f32_sub_at", 2.0, 12).unwrap(), 0.5);
    // 2.0 * 2.25 + mem[24] (zero)
    assert_eq!(f64_op(&mut s, &i, "chain", 2.0, 16).unwrap(), 4.5);
    // 3.0 * mem[0] (zero) + mem[8]: the f64 whose low half is the f32 1.5.
    let f32_bits_as_f64 = f64::from_bits(1.5f32.to_bits() as u64);
    assert_eq!(f64_op(&mut s, &i, "chain", 3.0, 0).unwrap(), f32_bits_as_f64);
}

#[test]
fn fused_loads_trap_where_the_load_did() {
    let (mut s, i) = setup();
    let oob = |r: Result<f64, mote::Error>| r.unwrap_err().trap_code();
    let oob32 = |r: Result<f32, mote::Error>| r.unwrap_err().trap_code();
    let trap = Some(TrapCode::MemoryOutOfBounds);
    // The last whole value fits; one byte further does not.
    assert_eq!(oob(f64_op(&mut s, &i, "f64_add", 0.0, 65529)), trap);
    assert_eq!(oob(f64_op(&mut s, &i, "f64_sub", 0.0, 65521)), trap);
    assert!(f64_op(&mut s, &i, "f64_sub", 0.0, 65520).is_ok());
    assert_eq!(oob(f64_op(&mut s, &i, "f64_mul_left", 0.0, -8)), trap);
    assert_eq!(oob32(f32_op(&mut s, &i, "f32_mul", 0.0, 65533)), trap);
    // `At`: 65521 + 8 is past the end; -1 + 8 wraps to 7, in bounds.
    assert_eq!(oob(f64_op(&mut s, &i, "f64_mul_at", 1.0, 65521)), trap);
    assert!(f64_op(&mut s, &i, "f64_mul_at", 1.0, -1).is_ok());
    // 2 - 4 wraps to 2^32 - 2: out of bounds, not byte 65534.
    assert_eq!(oob32(f32_op(&mut s, &i, "f32_sub_at", 1.0, 2)), trap);
    assert_eq!(oob(f64_op(&mut s, &i, "chain", 1.0, 65521)), trap);
}

/// With a 64-bit memory the fused plain forms take 64-bit addresses.
#[test]
fn fused_loads_address_64_bit_memories() {
    let wat = r#"(module
        (memory i64 1)
        (func (export "mul") (param $x f64) (param $p i64) (result f64)
            (f64.store (i64.const 40) (f64.const 0.5))
            (f64.mul (local.get $x) (f64.load (local.get $p)))))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let mul = instance.get_typed_func::<(f64, i64), f64>(&store, "mul").unwrap();
    assert_eq!(mul.call(&mut store, (6.0, 40)).unwrap(), 3.0);
    let beyond = mul.call(&mut store, (6.0, 1 << 32 | 40)).unwrap_err();
    assert_eq!(beyond.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}
