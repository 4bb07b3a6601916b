;; recurse.wat: `depth N` recurses N calls deep and returns N; `_start`
;; recurses without end, so it exhausts the call stack.
(module
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func $forever (export "_start")
    (call $forever)))
