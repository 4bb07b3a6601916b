;; Imports and exports of every kind, for the type queries.
(module
  (import "env" "f" (func (param i32 i64) (result f32)))
  (import "env" "g" (global (mut f64)))
  (import "other" "h" (func))
  (memory (export "mem") 2 5)
  (table (export "tab") 3 8 funcref)
  (global (export "glob") i64 (i64.const 1))
  (tag (export "tag") (param i32))
  (func (export "fn") (param f64) (result i32 externref)
    (i32.const 0) (ref.null extern)))
