;; A module without malloc and free: module_malloc uses the app heap.
(module
  (memory (export "memory") 1 4)
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
