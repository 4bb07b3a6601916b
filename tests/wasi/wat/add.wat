;; add.wat: a library module for `mote run --invoke` (no `_start`).
;;   mote run --invoke add add.wat 5 3   -> 8
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "sub") (param i32 i32) (result i32)
    (i32.sub (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
