;; A direct call, a call to an import (native code, or a host function's
;; array entry through the adapter the call site selects) and
;; call_indirect with its bounds, null and type checks; the trap cell is
;; tested after each call.
(module
  (type $t (func (param i32) (result i32)))
  (import "host" "f" (func $f (param i32) (result i32)))
  (table 1 funcref)
  (func $g (type $t) (local.get 0))
  (func (param i32) (result i32)
    (call_indirect (type $t) (call $f (call $g (local.get 0))) (i32.const 0))))
