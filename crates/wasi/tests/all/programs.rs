//! Whole guest programs with a `_start`: output, exit codes, files.

use crate::harness::{Capture, TempDir};
use mote::{Engine, Linker, Module, Store};
use mote_wasi::{WasiCtx, WasiCtxBuilder};

/// Runs the `_start` of `wat` with the context `builder` makes.
pub fn run(wat: &str, builder: &mut WasiCtxBuilder) -> Result<(), mote::Error> {
    let engine = Engine::default();
    let module = Module::new(&engine, wat)?;
    let mut linker = Linker::new(&engine);
    mote_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let mut store = Store::new(&engine, builder.build());
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
    start.call(&mut store, ())
}

#[test]
fn hello_world_on_stdout() {
    let out = Capture::default();
    run(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "hello, world\n")
            (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 13))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
        WasiCtxBuilder::new().stdout(Box::new(out.clone())),
    )
    .unwrap();
    assert_eq!(out.text(), "hello, world\n");
}

#[test]
fn proc_exit_unwinds_with_its_status() {
    let err_out = Capture::default();
    let err = run(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "bye\n")
            (func $deep (param i32)
                (if (local.get 0)
                    (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
                    (else (call $exit (i32.const 42))))
                unreachable)
            (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 4))
                (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $deep (i32.const 10))))"#,
        WasiCtxBuilder::new().stderr(Box::new(err_out.clone())),
    )
    .unwrap_err();
    assert_eq!(err.exit_status(), Some(42));
    assert!(err.as_trap().is_none());
    assert_eq!(err_out.text(), "bye\n");
}

#[test]
fn echo_args_and_environ() {
    let out = Capture::default();
    run(
        r#"(module
            (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (memory (export "memory") 1)
            (data (i32.const 8) "\n")
            (func $strlen (param $p i32) (result i32) (local $n i32)
                (block $done (loop $l
                    (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))
                    (br $l)))
                (local.get $n))
            ;; Prints the `count` strings whose pointers are at 256, one a line.
            (func $print (param $count i32) (local $i i32) (local $p i32)
                (block $done (loop $l
                    (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
                    (local.set $p (i32.load (i32.add (i32.const 256) (i32.shl (local.get $i) (i32.const 2)))))
                    (i32.store (i32.const 16) (local.get $p))
                    (i32.store (i32.const 20) (call $strlen (local.get $p)))
                    (i32.store (i32.const 24) (i32.const 8))
                    (i32.store (i32.const 28) (i32.const 1))
                    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 2) (i32.const 32)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l))))
            (func (export "_start")
                (drop (call $args_sizes (i32.const 0) (i32.const 4)))
                (drop (call $args_get (i32.const 256) (i32.const 1024)))
                (call $print (i32.load (i32.const 0)))
                (drop (call $env_sizes (i32.const 0) (i32.const 4)))
                (drop (call $env_get (i32.const 256) (i32.const 1024)))
                (call $print (i32.load (i32.const 0)))))"#,
        WasiCtxBuilder::new()
            .args(["prog", "one", "two words", ""])
            .env("HOME", "/home/guest")
            .env("EMPTY", "")
            .stdout(Box::new(out.clone())),
    )
    .unwrap();
    assert_eq!(out.text(), "prog\none\ntwo words\n\nHOME=/home/guest\nEMPTY=\n");
}

#[test]
fn cat_a_file_to_stdout_and_a_copy() {
    let dir = TempDir::new("cat");
    let content = "The quick brown fox jumps over the lazy dog.\nSecond line.\n";
    std::fs::write(dir.path().join("in.txt"), content).unwrap();
    let out = Capture::default();
    run(
        r#"(module
            (import "wasi_snapshot_preview1" "path_open"
                (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (data (i32.const 64) "in.txt")
            (data (i32.const 80) "out.txt")
            (func $check (param i32)
                (if (local.get 0) (then (call $exit (i32.add (i32.const 100) (local.get 0))))))
            (func (export "_start") (local $in i32) (local $out i32) (local $n i32)
                ;; in.txt, read only (rights: fd_read)
                (call $check (call $open (i32.const 3) (i32.const 1) (i32.const 64) (i32.const 6)
                    (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
                (local.set $in (i32.load (i32.const 0)))
                ;; out.txt, created and truncated, write only (rights: fd_write)
                (call $check (call $open (i32.const 3) (i32.const 1) (i32.const 80) (i32.const 7)
                    (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0)))
                (local.set $out (i32.load (i32.const 0)))
                (block $done (loop $next
                    (i32.store (i32.const 8) (i32.const 1024))
                    (i32.store (i32.const 12) (i32.const 16))
                    (call $check (call $read (local.get $in) (i32.const 8) (i32.const 1) (i32.const 4)))
                    (local.set $n (i32.load (i32.const 4)))
                    (br_if $done (i32.eqz (local.get $n)))
                    (i32.store (i32.const 12) (local.get $n))
                    (call $check (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 4)))
                    (call $check (call $write (local.get $out) (i32.const 8) (i32.const 1) (i32.const 4)))
                    (br $next)))
                (call $check (call $close (local.get $in)))
                (call $check (call $close (local.get $out)))))"#,
        WasiCtxBuilder::new()
            .stdout(Box::new(out.clone()))
            .preopened_dir(dir.path(), "/data")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(out.text(), content);
    assert_eq!(std::fs::read_to_string(dir.path().join("out.txt")).unwrap(), content);
}

#[test]
fn preopening_a_missing_directory_fails() {
    let err = WasiCtxBuilder::new()
        .preopened_dir("/nonexistent/mote-wasi-test", "/x")
        .err()
        .expect("a missing directory cannot be preopened");
    assert!(err.to_string().contains("/nonexistent/mote-wasi-test"), "{err}");
}

#[test]
fn a_module_without_memory_gets_a_host_error() {
    let err = run(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (func (export "_start")
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
        &mut WasiCtxBuilder::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("memory"), "{err}");
    assert_eq!(err.exit_status(), None);
}
