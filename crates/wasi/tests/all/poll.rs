//! `poll_oneoff`: clocks (relative and absolute) and descriptors.

use crate::harness::{ALL, CREAT, Guest, OUT, TempDir, e, i};
use mote_wasi::{Errno, WasiCtxBuilder};
use std::time::{Duration, Instant};

const SUBS: u32 = 8192;
const EVENTS: u32 = 16384;

/// A clock subscription: (userdata, clock id, timeout ns, absolute).
fn clock_sub(userdata: u64, id: u32, timeout: u64, absolute: bool) -> [u8; 48] {
    let mut b = [0u8; 48];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[8] = 0;
    b[16..20].copy_from_slice(&id.to_le_bytes());
    b[24..32].copy_from_slice(&timeout.to_le_bytes());
    b[40..42].copy_from_slice(&u16::from(absolute).to_le_bytes());
    b
}

/// A descriptor subscription: `write` is fd_write, else fd_read.
fn fd_sub(userdata: u64, fd: u32, write: bool) -> [u8; 48] {
    let mut b = [0u8; 48];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[8] = if write { 2 } else { 1 };
    b[16..20].copy_from_slice(&fd.to_le_bytes());
    b
}

/// A decoded event: (userdata, error, type, nbytes).
type Event = (u64, u16, u8, u64);

fn poll(g: &mut Guest, subs: &[[u8; 48]]) -> Result<Vec<Event>, i32> {
    g.write(SUBS, &subs.concat());
    match g.call("poll_oneoff", &[i(SUBS), i(EVENTS), i(subs.len() as u32), i(OUT)]) {
        0 => Ok((0..g.u32(OUT))
            .map(|k| {
                let at = EVENTS + 32 * k;
                (g.u64(at), g.u16(at + 8), g.read(at + 10, 1)[0], g.u64(at + 16))
            })
            .collect()),
        errno => Err(errno),
    }
}

#[test]
fn relative_clock_sleeps() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    let start = Instant::now();
    assert_eq!(
        poll(&mut g, &[clock_sub(7, 1, 20_000_000, false)]),
        Ok(vec![(7, 0, 0, 0)])
    );
    assert!(start.elapsed() >= Duration::from_millis(20));
    // The earlier of two clocks fires alone.
    let start = Instant::now();
    let subs = [
        clock_sub(1, 1, 5_000_000_000, false),
        clock_sub(2, 0, 10_000_000, false),
    ];
    assert_eq!(poll(&mut g, &subs), Ok(vec![(2, 0, 0, 0)]));
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn absolute_clock_waits_until_then() {
    let mut g = Guest::new(&mut WasiCtxBuilder::new());
    assert_eq!(g.call("clock_time_get", &[i(1), crate::harness::l(0), i(OUT)]), 0);
    let now = g.u64(OUT);
    let start = Instant::now();
    assert_eq!(
        poll(&mut g, &[clock_sub(3, 1, now + 15_000_000, true)]),
        Ok(vec![(3, 0, 0, 0)])
    );
    assert!(start.elapsed() >= Duration::from_millis(14));
    // A time already past fires at once.
    assert_eq!(poll(&mut g, &[clock_sub(4, 0, 1, true)]), Ok(vec![(4, 0, 0, 0)]));
}

#[test]
fn descriptors_and_errors() {
    let dir = TempDir::new("poll");
    std::fs::write(dir.path().join("f"), "0123456789").unwrap();
    let mut g = Guest::new(WasiCtxBuilder::new().preopened_dir(dir.path(), "/").unwrap());
    let fd = g.open(3, "f", CREAT, ALL, 0).unwrap();
    assert_eq!(g.read_fd(fd, 4).unwrap(), b"0123");
    let start = Instant::now();
    let subs = [
        clock_sub(1, 1, 10_000_000_000, false),
        fd_sub(2, fd, false),
        fd_sub(3, 1, true),
        fd_sub(4, 99, false),
        clock_sub(5, 42, 0, false),
    ];
    let events = poll(&mut g, &subs).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "ready descriptors do not wait for the clock"
    );
    assert_eq!(
        events,
        [
            (2, 0, 1, 6),
            (3, 0, 2, 0),
            (4, Errno::Badf.code(), 1, 0),
            (5, Errno::Inval.code(), 0, 0)
        ]
    );
    assert_eq!(poll(&mut g, &[]), Err(e(Errno::Inval)));
    let mut bad = fd_sub(1, 1, true);
    bad[8] = 9;
    assert_eq!(poll(&mut g, &[bad]), Err(e(Errno::Inval)));
}
