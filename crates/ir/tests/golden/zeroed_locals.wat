(module
  (memory 1)
  ;; Entry zeroing of declared locals is left out (the frame is zeroed);
  ;; a zero after another write, a non-zero constant, a parameter and
  ;; anything after the first block are kept.
  (func $f (param $p i32) (result i32) (local $a i32) (local $b i64) (local $c i32)
    (local.set $a (i32.const 0))
    (local.set $b (i64.const 0))
    (local.set $p (i32.const 0))
    (local.set $c (i32.const 5))
    (local.set $c (i32.const 0))
    (block (local.set $a (i32.const 0)))
    (i32.add (local.get $a) (local.get $c)))
  ;; Fused addresses: slot + immediate and slot + slot.
  (func $g (param $base i32) (param $i i32) (result i32)
    (i32.store8 (i32.add (local.get $base) (local.get $i)) (i32.const 1))
    (i32.load (i32.add (local.get $base) (i32.const -4)))))
