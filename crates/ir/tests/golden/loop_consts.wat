(module
  (memory 1)
  ;; Inside the loop, the stored 1 and the float factor are read from
  ;; slots the entry writes once (`ConstInit`); the step and the bound stay
  ;; immediates, and the constant outside the loop is written where used.
  (func $fill (param $p i32) (param $n i32) (result f64) (local $x f64)
    (i32.store (local.get $p) (i32.const 7))
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $n)) (i32.const 1))
      (local.set $x (f64.mul (local.get $x) (f64.const 1.5)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $x)))
