;; numbers.wat: every number type through `mote run --invoke`, and multiple results.
(module
  (func (export "add_i64") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1)))
  (func (export "mul_f32") (param f32 f32) (result f32)
    (f32.mul (local.get 0) (local.get 1)))
  (func (export "div_f64") (param f64 f64) (result f64)
    (f64.div (local.get 0) (local.get 1)))
  ;; (a, b) -> (b, a + 1)
  (func (export "swap") (param i32 i64) (result i64 i32)
    (local.get 1) (i32.add (local.get 0) (i32.const 1)))
  (func (export "nothing")))
