;; A WASI command: prints a line, then exits with argc + 10 * envc, or
;; returns normally when it has only its program name.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello from wasi\n")
  (func (export "_start")
    ;; iovec at 0: { buf = 64, len = 16 }; bytes written at 8
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (if (i32.gt_u (i32.load (i32.const 16)) (i32.const 1))
      (then (call $proc_exit (i32.add (i32.load (i32.const 16))
        (i32.mul (i32.load (i32.const 24)) (i32.const 10))))))))
