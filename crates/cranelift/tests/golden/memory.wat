;; A load, a store with an offset, and memory.grow: explicit bounds
;; checks, base and length read through the memory's definition, and the
;; grow libcall. The store to a constant address inside the declared
;; minimum needs no check.
(module
  (memory 1)
  (func (param i32) (result i32)
    (i32.store offset=8 (local.get 0) (i32.load (local.get 0)))
    (i32.store (i32.const 16) (i32.const 7))
    (memory.grow (i32.const 1))))
