;; A load, a store with an offset, and memory.grow: explicit bounds
;; checks, base and length read through the memory's definition, the
;; grow libcall and the trap-cell test after it.
(module
  (memory 1)
  (func (param i32) (result i32)
    (i32.store offset=8 (local.get 0) (i32.load (local.get 0)))
    (memory.grow (i32.const 1))))
