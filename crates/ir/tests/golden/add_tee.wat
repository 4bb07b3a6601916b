(module
  (memory 1)
  ;; `p = q = p - 4` after a load, as compilers write `*p--`: the addition
  ;; writes both locals in one `I32AddImmTee`. In `$apart` the end of a
  ;; block lands between the addition and the copy, which stay two.
  (func $scan (param $p i32) (param $pivot i32) (result i32) (local $v i32) (local $q i32)
    (loop $l
      (local.set $v (i32.load (local.get $p)))
      (local.set $p (local.tee $q (i32.add (local.get $p) (i32.const -4))))
      (br_if $l (i32.gt_s (local.get $v) (local.get $pivot))))
    (local.get $q))
  (func $apart (param $x i32) (param $t i32) (param $skip i32) (result i32)
    (block $b
      (br_if $b (local.get $skip))
      (local.set $t (i32.add (local.get $x) (i32.const 3))))
    (local.set $x (local.get $t))
    (local.get $x)))
