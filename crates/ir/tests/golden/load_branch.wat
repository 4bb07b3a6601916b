(module
  (memory 1)
  ;; A 32-bit load and a compare-and-branch on the loaded value fuse into
  ;; one `I32LoadBr*`, with the comparison swapped when the value is on the
  ;; right. In `$apart` a label lands between the second load and the
  ;; branch, which stay two instructions.
  (func $scan (param $i i32) (param $pivot i32) (result i32)
    (loop $l
      (if (i32.lt_s (i32.load (i32.shl (local.get $i) (i32.const 2))) (local.get $pivot))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))))
    (local.get $i))
  (func $swapped (param $p i32) (param $x i32) (result i32)
    (block $b
      (br_if $b (i32.lt_u (local.get $x) (i32.load offset=8 (local.get $p))))
      (return (i32.const 0)))
    (i32.const 1))
  (func $apart (param $p i32) (param $x i32) (param $skip i32) (result i32) (local $v i32)
    (local.set $v (i32.load (local.get $p)))
    (block $b
      (br_if $b (local.get $skip))
      (local.set $v (i32.load offset=4 (local.get $p))))
    (if (result i32) (i32.lt_s (local.get $v) (local.get $x))
      (then (i32.const 1))
      (else (i32.const 0)))))
