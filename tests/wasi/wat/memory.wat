;; memory.wat: `grow N` grows the memory (1 page of 64 KiB at first) by N
;; pages and returns the old size in pages, or -1 when refused (for example
;; past `--max-memory`).
(module
  (memory 1)
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0))))
