;; `alloc N` makes N two-field structs, which are never freed, and
;; returns N: for `--max-gc-heap`.
(module
  (type $pair (struct (field i64) (field i64)))
  (func (export "alloc") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (struct.new $pair (i64.const 1) (i64.const 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i)))
