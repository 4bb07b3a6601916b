//! Sockets the host hands in: accept, recv, send, shutdown, poll.

use crate::harness::{BUF, Guest, IOVS, OUT, TempDir, e, i, l};
use mote_wasi::{Errno, WasiCtxBuilder};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

const NONBLOCK: u32 = 4;

/// A guest with a preopened directory (fd 3) and a listener (fd 4).
fn setup() -> (TempDir, Guest, std::net::SocketAddr) {
    let dir = TempDir::new("sock");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let g = Guest::new(
        WasiCtxBuilder::new()
            .tcp_listener(listener)
            .preopened_dir(dir.path(), "/")
            .unwrap(),
    );
    (dir, g, addr)
}

fn accept(g: &mut Guest, flags: u32) -> Result<u32, i32> {
    match g.call("sock_accept", &[i(4), i(flags), i(OUT)]) {
        0 => Ok(g.u32(OUT)),
        errno => Err(errno),
    }
}

fn recv(g: &mut Guest, fd: u32, len: u32, flags: u32) -> Result<Vec<u8>, i32> {
    g.iovecs(&[(BUF, len)]);
    match g.call("sock_recv", &[i(fd), i(IOVS), i(1), i(flags), i(OUT), i(OUT + 4)]) {
        0 => {
            assert_eq!(g.u16(OUT + 4), 0, "ro_flags");
            Ok(g.read(BUF, g.u32(OUT)))
        }
        errno => Err(errno),
    }
}

#[test]
fn accept_recv_send_shutdown() {
    let (_dir, mut g, addr) = setup();
    // Sockets come after the preopened directories: the preopen scan stops there.
    assert_eq!(g.call("fd_prestat_get", &[i(3), i(OUT)]), 0);
    assert_eq!(g.call("fd_prestat_get", &[i(4), i(OUT)]), e(Errno::Badf));
    assert_eq!(g.call("fd_fdstat_get", &[i(4), i(OUT)]), 0);
    assert_eq!(g.read(OUT, 1)[0], 6, "socket_stream");

    // Non-blocking, with nobody connecting: `again`.
    assert_eq!(g.call("fd_fdstat_set_flags", &[i(4), i(NONBLOCK)]), 0);
    assert_eq!(accept(&mut g, 0), Err(e(Errno::Again)));
    assert_eq!(g.call("fd_fdstat_set_flags", &[i(4), i(0)]), 0);

    let client = thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"ping and more").unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        reply
    });
    let conn = accept(&mut g, 0).unwrap();
    assert_eq!(recv(&mut g, conn, 4, 1).unwrap(), b"ping", "peek");
    assert_eq!(recv(&mut g, conn, 13, 2).unwrap(), b"ping and more", "waitall");
    g.write(BUF, b"pong");
    g.iovecs(&[(BUF, 2), (BUF + 2, 2)]);
    assert_eq!(g.call("sock_send", &[i(conn), i(IOVS), i(2), i(0), i(OUT)]), 0);
    assert_eq!(g.u32(OUT), 4);
    assert_eq!(g.write_fd(conn, b"!"), Ok(1), "fd_write works on a connection");
    assert_eq!(g.call("sock_shutdown", &[i(conn), i(2)]), 0);
    assert_eq!(client.join().unwrap(), "pong!");
    assert_eq!(g.call("sock_shutdown", &[i(conn), i(0)]), e(Errno::Inval));
    assert_eq!(g.call("fd_close", &[i(conn)]), 0);

    // Wrong kinds of descriptors.
    assert_eq!(g.call("sock_accept", &[i(3), i(0), i(OUT)]), e(Errno::Notsock));
    assert_eq!(g.call("sock_accept", &[i(4), i(0x10), i(OUT)]), e(Errno::Inval));
    assert_eq!(recv(&mut g, 4, 4, 0), Err(e(Errno::Notconn)));
    assert_eq!(recv(&mut g, 1, 4, 0), Err(e(Errno::Notsock)));
    assert_eq!(g.call("sock_shutdown", &[i(3), i(3)]), e(Errno::Notsock));
}

#[test]
fn poll_waits_for_a_connection_and_data() {
    let (_dir, mut g, addr) = setup();
    let client = thread::spawn(move || {
        thread::sleep(std::time::Duration::from_millis(20));
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"data").unwrap();
        s
    });
    let mut sub = [0u8; 48];
    sub[0] = 9;
    sub[8] = 1;
    sub[16] = 4;
    g.write(8192, &sub);
    assert_eq!(g.call("poll_oneoff", &[i(8192), i(16384), i(1), i(OUT)]), 0);
    assert_eq!((g.u32(OUT), g.u64(16384), g.u16(16384 + 8)), (1, 9, 0));
    let conn = accept(&mut g, NONBLOCK).unwrap();
    let _client = client.join().unwrap();
    sub[16..20].copy_from_slice(&conn.to_le_bytes());
    g.write(8192, &sub);
    assert_eq!(g.call("poll_oneoff", &[i(8192), i(16384), i(1), i(OUT)]), 0);
    assert_eq!(g.u64(16384 + 16), 4, "nbytes ready");
    assert_eq!(recv(&mut g, conn, 16, 0).unwrap(), b"data");
    assert_eq!(
        recv(&mut g, conn, 16, 0),
        Err(e(Errno::Again)),
        "non-blocking connection"
    );
    let _ = l(0);
}
