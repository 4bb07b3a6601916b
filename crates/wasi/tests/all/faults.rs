//! Out-of-bounds guest pointers: errno `fault`, checked before anything
//! happens, never a panic.

use crate::harness::{ALL, BUF, CREAT, Capture, Guest, IOVS, OUT, PATH, TempDir, e, i, l};
use mote_wasi::{Errno, WasiCtxBuilder};

/// The wrapper module has two pages.
const END: u32 = 2 * 65536;

#[test]
fn bad_pointers_are_fault() {
    let dir = TempDir::new("faults");
    std::fs::write(dir.path().join("f"), "content").unwrap();
    let out = Capture::default();
    let mut g = Guest::new(
        WasiCtxBuilder::new()
            .stdout(Box::new(out.clone()))
            .args(["a", "b"])
            .preopened_dir(dir.path(), "/")
            .unwrap(),
    );
    let fault = e(Errno::Fault);
    let fd = g.open(3, "f", CREAT, ALL, 0).unwrap();

    // An iovec naming bytes past the end: nothing is written at all.
    g.write(BUF, b"visible");
    g.iovecs(&[(BUF, 7), (END - 2, 4)]);
    assert_eq!(g.call("fd_write", &[i(1), i(IOVS), i(2), i(OUT)]), fault);
    assert_eq!(out.text(), "");
    assert_eq!(g.call("fd_write", &[i(1), i(END - 4), i(1), i(OUT)]), fault);
    assert_eq!(g.call("fd_write", &[i(1), i(IOVS), i(u32::MAX), i(OUT)]), fault);
    assert_eq!(
        g.call("fd_write", &[i(1), i(IOVS), i(1025), i(OUT)]),
        e(Errno::Inval),
        "IOV_MAX"
    );
    // A bad result pointer: the read does not happen (nothing is lost).
    g.iovecs(&[(BUF, 4)]);
    assert_eq!(g.call("fd_read", &[i(fd), i(IOVS), i(1), i(END - 2)]), fault);
    assert_eq!(g.call("fd_tell", &[i(fd), i(OUT)]), 0);
    assert_eq!(g.u64(OUT), 0);
    assert_eq!(g.call("fd_seek", &[i(fd), l(3), i(0), i(END - 4)]), fault);
    assert_eq!(g.call("fd_tell", &[i(fd), i(OUT)]), 0);
    assert_eq!(g.u64(OUT), 0, "the seek did not happen");
    assert_eq!(g.call("fd_pread", &[i(fd), i(IOVS), i(1), l(0), i(u32::MAX)]), fault);

    // Every kind of pointer argument.
    assert_eq!(g.call("args_get", &[i(END - 4), i(BUF)]), fault);
    assert_eq!(g.call("args_get", &[i(BUF), i(END - 3)]), fault);
    assert_eq!(g.call("args_sizes_get", &[i(0), i(END)]), fault);
    assert_eq!(g.call("environ_sizes_get", &[i(END - 3), i(0)]), fault);
    assert_eq!(g.call("clock_time_get", &[i(0), l(0), i(END - 7)]), fault);
    assert_eq!(g.call("clock_res_get", &[i(0), i(u32::MAX)]), fault);
    assert_eq!(g.call("fd_fdstat_get", &[i(fd), i(END - 23)]), fault);
    assert_eq!(g.call("fd_filestat_get", &[i(fd), i(END - 63)]), fault);
    assert_eq!(g.call("fd_prestat_get", &[i(3), i(END - 7)]), fault);
    assert_eq!(g.call("fd_prestat_dir_name", &[i(3), i(END), i(1)]), fault);
    assert_eq!(g.call("fd_readdir", &[i(3), i(END - 10), i(100), l(0), i(OUT)]), fault);
    assert_eq!(g.call("fd_readdir", &[i(3), i(BUF), i(100), l(0), i(END)]), fault);
    assert_eq!(
        g.call(
            "path_open",
            &[i(3), i(0), i(END - 1), i(2), i(0), l(ALL), l(ALL), i(0), i(OUT)]
        ),
        fault
    );
    g.write(PATH, b"new");
    let open_new = [i(3), i(0), i(PATH), i(3), i(CREAT), l(ALL), l(ALL), i(0), i(END)];
    assert_eq!(g.call("path_open", &open_new), fault);
    assert!(!dir.path().join("new").exists(), "checked before creating");
    assert_eq!(g.call("path_create_directory", &[i(3), i(u32::MAX), i(2)]), fault);
    assert_eq!(
        g.call("path_filestat_get", &[i(3), i(0), i(PATH), i(1), i(END - 8)]),
        fault
    );
    assert_eq!(
        g.call("path_readlink", &[i(3), i(PATH), i(1), i(END - 1), i(2), i(OUT)]),
        fault
    );
    assert_eq!(g.call("path_symlink", &[i(END), i(1), i(3), i(PATH), i(1)]), fault);
    assert_eq!(g.call("path_rename", &[i(3), i(PATH), i(1), i(3), i(END), i(1)]), fault);
    assert_eq!(
        g.call("path_link", &[i(3), i(0), i(PATH), i(1), i(3), i(END), i(1)]),
        fault
    );
    assert_eq!(g.call("poll_oneoff", &[i(END - 47), i(BUF), i(1), i(OUT)]), fault);
    assert_eq!(g.call("poll_oneoff", &[i(BUF), i(END - 31), i(1), i(OUT)]), fault);
    assert_eq!(g.call("poll_oneoff", &[i(BUF), i(BUF), i(0x1000_0000), i(OUT)]), fault);
    assert_eq!(g.call("random_get", &[i(END), i(1)]), fault);
    assert_eq!(g.call("sock_accept", &[i(3), i(0), i(END)]), fault);
    assert_eq!(g.call("sock_send", &[i(3), i(END), i(1), i(0), i(OUT)]), fault);
    assert_eq!(
        g.call("sock_recv", &[i(3), i(IOVS), i(1), i(0), i(OUT), i(END - 1)]),
        fault
    );
    // A path that is not UTF-8.
    g.write(PATH, &[0xff, 0xfe]);
    assert_eq!(g.call("path_create_directory", &[i(3), i(PATH), i(2)]), e(Errno::Ilseq));
}
