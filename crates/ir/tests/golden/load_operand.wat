(module
  (memory 1)
  ;; The loads fold into the float operators that consume them: on the
  ;; right of any, on the left of `+` and `*`, plain and `p + imm` (`At`)
  ;; addresses. On the left of `-` the load stays separate.
  (func $axpy (param $a f64) (param $p i32) (result f64)
    (f64.add
      (f64.mul (local.get $a) (f64.load (local.get $p)))
      (f64.load offset=8 (local.get $p))))
  (func $forms (param $x f32) (param $p i32) (result f32)
    (f32.sub
      (f32.mul (f32.load (i32.add (local.get $p) (i32.const 4))) (local.get $x))
      (f32.load (local.get $p))))
  (func $left_of_sub (param $x f64) (param $p i32) (result f64)
    (f64.sub (f64.load (local.get $p)) (local.get $x))))
