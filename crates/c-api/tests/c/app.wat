;; A plain (non-WASI) application: `main(argc, argv)` returns
;; argc * 1000 + the first byte of argv[1]; and functions to run by name.
(module
  (memory (export "memory") 1)
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (i32.add (i32.mul (local.get $argc) (i32.const 1000))
      (i32.load8_u (i32.load (i32.add (local.get $argv) (i32.const 4))))))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "mix") (param f32 i64) (result f64 i64)
    (f64.promote_f32 (local.get 0))
    (i64.sub (i64.const 0) (local.get 1))))
