(module
  (memory 1)
  ;; `base + (i << k)` is one `I32AddShlImm`, with the shift on either
  ;; side, into a local or feeding a load; the first of two shifts added
  ;; together stays a shift of its own.
  (func $element (param $base i32) (param $i i32) (result i32)
    (i32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
  (func $into_local (param $base i32) (param $i i32) (result i32) (local $a i32)
    (local.set $a (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $base)))
    (local.get $a))
  (func $both (param $i i32) (param $j i32) (result i32)
    (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.shl (local.get $j) (i32.const 4)))))
