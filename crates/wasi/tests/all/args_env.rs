//! `args_*` and `environ_*`: sizes and the exact memory layout.

use crate::harness::{Guest, i};
use mote_wasi::WasiCtxBuilder;

#[test]
fn args_round_trip() {
    let mut g = Guest::new(WasiCtxBuilder::new().args(["prog", "a b", "ünï"]));
    assert_eq!(g.call("args_sizes_get", &[i(0), i(4)]), 0);
    assert_eq!(g.u32(0), 3);
    assert_eq!(g.u32(4), 5 + 4 + "ünï".len() as u32 + 1);
    assert_eq!(g.call("args_get", &[i(100), i(200)]), 0);
    let ptrs: Vec<u32> = (0..3).map(|k| g.u32(100 + 4 * k)).collect();
    assert_eq!(ptrs, [200, 205, 209]);
    assert_eq!(g.read(200, g.u32(4)), b"prog\0a b\0\xc3\xbcn\xc3\xaf\0");
}

#[test]
fn environ_round_trip() {
    let mut g = Guest::new(WasiCtxBuilder::new().env("A", "1").env("B", "x=y").env("A", "2"));
    assert_eq!(g.call("environ_sizes_get", &[i(0), i(4)]), 0);
    assert_eq!((g.u32(0), g.u32(4)), (2, 10));
    assert_eq!(g.call("environ_get", &[i(100), i(200)]), 0);
    assert_eq!((g.u32(100), g.u32(104)), (200, 206));
    assert_eq!(g.read(200, 10), b"B=x=y\0A=2\0");
}

#[test]
fn inherit_env_passes_the_host_environment() {
    let (key, value) = std::env::vars().next().expect("the test runs with some environment");
    let mut g = Guest::new(WasiCtxBuilder::new().inherit_env());
    assert_eq!(g.call("environ_sizes_get", &[i(0), i(4)]), 0);
    let (count, size) = (g.u32(0), g.u32(4));
    assert_eq!(count as usize, std::env::vars_os().count());
    assert_eq!(g.call("environ_get", &[i(1000), i(8192)]), 0);
    let text = String::from_utf8_lossy(&g.read(8192, size)).into_owned();
    assert!(text.split('\0').any(|e| e == format!("{key}={value}")));
}

#[test]
fn no_args_and_no_env_by_default() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    assert_eq!(g.call("args_sizes_get", &[i(0), i(4)]), 0);
    assert_eq!((g.u32(0), g.u32(4)), (0, 0));
    assert_eq!(g.call("environ_sizes_get", &[i(0), i(4)]), 0);
    assert_eq!((g.u32(0), g.u32(4)), (0, 0));
}
