(module
  (memory 1)
  ;; Entry zeroing of declared locals is left out (the frame is zeroed);
  ;; a zero after another write, a non-zero constant and a parameter are kept.
  (func $f (param $p i32) (result i32) (local $a i32) (local $b i64) (local $c i32)
    (local.set $a (i32.const 0))
    (local.set $b (i64.const 0))
    (local.set $p (i32.const 0))
    (local.set $c (i32.const 5))
    (local.set $c (i32.const 0))
    ;; Inside a block the line from the entry goes on ($a is still zero);
    ;; after an `end` that a branch reaches, paths merge and zeroing is kept.
    (block (local.set $a (i32.const 0)) (br_if 0 (local.get $p)) (local.set $a (i32.const 9)))
    (local.set $a (i32.const 0))
    (i32.add (local.get $a) (local.get $c)))
  ;; Fused addresses: slot + immediate and slot + slot.
  (func $g (param $base i32) (param $i i32) (result i32)
    (i32.store8 (i32.add (local.get $base) (local.get $i)) (i32.const 1))
    (i32.load (i32.add (local.get $base) (i32.const -4)))))
