(module
  (memory 1)
  ;; Each loop ends in one latch: `i += step` fused with the compare and
  ;; branch on `i` (constant step with a local and a constant limit, a
  ;; local step, the counter on the right, counting down to zero). In
  ;; `$apart` a label sits between the add and the branch, which keeps them
  ;; two instructions. In `$two_steps` two in-place additions in a row join
  ;; into one `I32AddImm2`, except across the label in `$steps_apart`.
  (func $latches (param $n i32) (param $s i32) (result i32) (local $i i32) (local $c i32)
    (loop $a
      (local.set $c (i32.xor (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $a (i32.lt_s (local.get $i) (local.get $n))))
    (loop $b
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $b (i32.ne (local.get $i) (i32.const 100))))
    (loop $c
      (local.set $i (i32.add (local.get $s) (local.get $i)))
      (br_if $c (i32.gt_u (local.get $n) (local.get $i))))
    (loop $d
      (local.set $n (i32.add (local.get $n) (i32.const -1)))
      (br_if $d (local.get $n)))
    (local.get $c))
  (func $apart (param $i i32) (param $skip i32) (result i32)
    (loop $l
      (block $b
        (br_if $b (local.get $skip))
        (local.set $i (i32.add (local.get $i) (i32.const 1))))
      (br_if $l (i32.ne (local.get $i) (i32.const 10))))
    (local.get $i))
  (func $two_steps (param $p i32) (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (i32.lt_u (local.get $i) (i32.load (local.get $p)))))
    (local.get $i))
  (func $steps_apart (param $a i32) (param $b i32) (param $skip i32) (result i32)
    (loop $l
      (block $x
        (br_if $x (local.get $skip))
        (local.set $a (i32.add (local.get $a) (i32.const 3))))
      (local.set $b (i32.add (local.get $b) (i32.const -2)))
      (local.set $a (i32.add (local.get $a) (i32.const 5)))
      (br_if $l (i32.lt_u (local.get $a) (i32.const 100))))
    (local.get $b)))
