(module
  (func $pick (param i32 i64 i64) (result i64)
    (block $b (result i64)
      (br_if $b (local.get 1) (local.get 0))
      (drop)
      (local.get 2)))
  (func $table (param i32) (result i32)
    (block $a
      (block $b
        (br_table $a $b $a (local.get 0)))
      (return (i32.const 20)))
    (i32.const 10))
  (func $swap (param i32 i32) (result i32 i32)
    (local.get 1) (local.get 0)))
