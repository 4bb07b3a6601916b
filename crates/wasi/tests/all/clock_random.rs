//! Clocks, `random_get`, `sched_yield`, `proc_raise`.

use crate::harness::{Guest, OUT, e, i, l};
use mote_wasi::{Errno, WasiCtxBuilder};
use std::time::{SystemTime, UNIX_EPOCH};

fn time(g: &mut Guest, id: u32) -> u64 {
    assert_eq!(g.call("clock_time_get", &[i(id), l(1), i(OUT)]), 0);
    g.u64(OUT)
}

#[test]
fn clocks() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    let host = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64;
    let real = time(&mut g, 0);
    assert!(real.abs_diff(host) < 5_000_000_000, "{real} vs {host}");
    let (m1, m2) = (time(&mut g, 1), time(&mut g, 1));
    assert!(m2 >= m1);
    assert!(time(&mut g, 2) > 0, "process CPU time");
    assert!(time(&mut g, 3) > 0, "thread CPU time");
    for id in 0..4 {
        assert_eq!(g.call("clock_res_get", &[i(id), i(OUT)]), 0);
        let res = g.u64(OUT);
        assert!((1..=1_000_000_000).contains(&res), "resolution of clock {id}: {res}");
    }
    assert_eq!(g.call("clock_time_get", &[i(4), l(0), i(OUT)]), e(Errno::Inval));
    assert_eq!(g.call("clock_res_get", &[i(9), i(OUT)]), e(Errno::Inval));
}

#[test]
fn random_bytes() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    assert_eq!(g.call("random_get", &[i(100), i(64)]), 0);
    let a = g.read(100, 64);
    assert_eq!(g.call("random_get", &[i(100), i(64)]), 0);
    let b = g.read(100, 64);
    assert_ne!(a, b);
    assert!(a.iter().any(|&x| x != 0));
    assert_eq!(g.call("random_get", &[i(100), i(0)]), 0);
    assert_eq!(g.call("random_get", &[i(2 * 65536 - 8), i(16)]), e(Errno::Fault));
}

#[test]
fn yield_and_raise() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    assert_eq!(g.call("sched_yield", &[]), 0);
    assert_eq!(g.call("proc_raise", &[i(0)]), 0);
    assert_eq!(g.call("proc_raise", &[i(27)]), 0, "winch is ignored");
    assert_eq!(g.call("proc_raise", &[i(99)]), e(Errno::Inval));
    let err = g.try_call("proc_raise", &[i(15)]).unwrap_err();
    assert_eq!(err.exit_status(), Some(128 + 15));
}

#[test]
fn proc_exit_from_a_call() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    let err = g.try_call("proc_exit", &[i(3)]).unwrap_err();
    assert_eq!(err.exit_status(), Some(3));
}
