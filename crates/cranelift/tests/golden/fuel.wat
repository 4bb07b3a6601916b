;; fuel
;; Fuel charges per region: the entry, the loop header, after br_if.
(module
  (func (param i32) (result i32)
    (loop $l
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (i32.const 7)))
