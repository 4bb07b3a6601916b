;; guard-pages
;; Guard-page mode: accesses are unchecked and share one memory base,
;; loaded in the entry block, with their offsets in the instructions; the
;; stack-limit check is a conditional trap. $leaf cannot set the trap cell,
;; so the call to it is not followed by a test of the cell; $host is
;; imported, so $calls_host and the call to it are.
(module
  (import "host" "f" (func $host))
  (memory 1)
  (func $leaf (param i32) (result i32)
    (i32.add (i32.load offset=4 (local.get 0)) (i32.load offset=8 (local.get 0))))
  (func $calls_host (call $host))
  (func (param i32) (result i32)
    (call $calls_host)
    (call $leaf (local.get 0))))
