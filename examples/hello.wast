;; A first Mote script: a module, calls, and what they must return.
;; Run it with: cargo run --release -- wast examples/hello.wast
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "Hello, Mote!")

  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)

  ;; Recursive factorial.
  (func $fac (export "fac") (param i64) (result i64)
    local.get 0
    i64.eqz
    if (result i64)
      i64.const 1
    else
      local.get 0
      local.get 0
      i64.const 1
      i64.sub
      call $fac
      i64.mul
    end)

  ;; Sums the bytes of the greeting.
  (func (export "checksum") (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eq (local.get $i) (i32.const 12)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    local.get $sum)

  (func (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))

(assert_return (invoke "add" (i32.const 5) (i32.const 3)) (i32.const 8))
(assert_return (invoke "fac" (i64.const 20)) (i64.const 2432902008176640000))
(assert_return (invoke "checksum") (i32.const 1014))
(assert_trap (invoke "divide" (i32.const 1) (i32.const 0)) "integer divide by zero")
