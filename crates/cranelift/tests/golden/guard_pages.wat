;; guard-pages
;; Guard-page mode: accesses are unchecked and share one memory base,
;; loaded in the entry block, with their offsets in the instructions; the
;; stack-limit check is a conditional trap. Traps are raised, so no call
;; is followed by a test of the trap cell, not even the call to imported
;; $host (its array-call adapter raises what the host reports). Only the
;; call inside the try_table is a try_call, whose handler the runtime
;; resumes for an exception raised below it: the handler claims it.
(module
  (import "host" "f" (func $host))
  (tag $e)
  (memory 1)
  (func $leaf (param i32) (result i32)
    (i32.add (i32.load offset=4 (local.get 0)) (i32.load offset=8 (local.get 0))))
  (func $calls_host (call $host))
  (func (param i32) (result i32)
    (call $calls_host)
    (call $leaf (local.get 0)))
  (func (param i32) (result i32)
    (block $caught
      (try_table (catch $e $caught)
        (return (call $leaf (local.get 0)))))
    (i32.const -1)))
