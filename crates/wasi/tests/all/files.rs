//! Files through descriptors: open flags, read/write/seek/tell,
//! pread/pwrite, fdstat, filestat sizes and times, prestat, close and
//! renumber, stdio.

use crate::harness::{
    ALL, BUF, CREAT, Capture, DIR, DIRECTORY, EXCL, FOLLOW, Guest, IOVS, OUT, PATH, TRUNC, TempDir, e, i, l,
};
use mote_wasi::{Errno, WasiCtxBuilder};
use std::os::unix::fs::MetadataExt;

const FD_READ: u64 = 1 << 1;
const FD_SEEK: u64 = 1 << 2;
const FD_TELL: u64 = 1 << 5;
const FD_WRITE: u64 = 1 << 6;
const FD_READDIR: u64 = 1 << 14;
const WHENCE_SET: u32 = 0;
const WHENCE_CUR: u32 = 1;
const WHENCE_END: u32 = 2;
const APPEND: u32 = 1;

fn guest(dir: &TempDir) -> Guest {
    Guest::new(WasiCtxBuilder::new().preopened_dir(dir.path(), "/work").unwrap())
}

fn seek(g: &mut Guest, fd: u32, delta: i64, whence: u32) -> Result<u64, i32> {
    match g.call("fd_seek", &[i(fd), l(delta as u64), i(whence), i(OUT)]) {
        0 => Ok(g.u64(OUT)),
        errno => Err(errno),
    }
}

fn tell(g: &mut Guest, fd: u32) -> u64 {
    assert_eq!(g.call("fd_tell", &[i(fd), i(OUT)]), 0);
    g.u64(OUT)
}

#[test]
fn write_read_seek_tell() {
    let dir = TempDir::new("rw");
    let mut g = guest(&dir);
    let fd = g.open(3, "f.txt", CREAT | TRUNC, ALL, 0).unwrap();
    assert_eq!(g.write_fd(fd, b"hello world"), Ok(11));
    assert_eq!(tell(&mut g, fd), 11);
    assert_eq!(seek(&mut g, fd, 0, WHENCE_SET), Ok(0));
    assert_eq!(g.read_fd(fd, 5).unwrap(), b"hello");
    assert_eq!(seek(&mut g, fd, -5, WHENCE_END), Ok(6));
    assert_eq!(g.read_fd(fd, 100).unwrap(), b"world");
    assert_eq!(g.read_fd(fd, 100).unwrap(), b"");
    assert_eq!(seek(&mut g, fd, -3, WHENCE_CUR), Ok(8));
    assert_eq!(seek(&mut g, fd, -100, WHENCE_CUR), Err(e(Errno::Inval)));
    assert_eq!(seek(&mut g, fd, 0, 7), Err(e(Errno::Inval)));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("f.txt")).unwrap(),
        "hello world"
    );
}

#[test]
fn gathering_write_and_short_read_into_the_first_buffer() {
    let dir = TempDir::new("iov");
    let mut g = guest(&dir);
    let fd = g.open(3, "v.txt", CREAT, ALL, 0).unwrap();
    g.write(BUF, b"abcXYZ");
    g.iovecs(&[(BUF, 3), (BUF + 100, 0), (BUF + 3, 3)]);
    assert_eq!(g.call("fd_write", &[i(fd), i(IOVS), i(3), i(OUT)]), 0);
    assert_eq!(g.u32(OUT), 6);
    assert_eq!(seek(&mut g, fd, 0, WHENCE_SET), Ok(0));
    g.iovecs(&[(BUF + 200, 0), (BUF + 300, 4), (BUF + 400, 4)]);
    assert_eq!(g.call("fd_read", &[i(fd), i(IOVS), i(3), i(OUT)]), 0);
    assert_eq!(g.u32(OUT), 4);
    assert_eq!(g.read(BUF + 300, 4), b"abcX");
}

#[test]
fn pread_and_pwrite_leave_the_position() {
    let dir = TempDir::new("pio");
    std::fs::write(dir.path().join("p.txt"), "hello world").unwrap();
    let mut g = guest(&dir);
    let fd = g.open(3, "p.txt", 0, ALL, 0).unwrap();
    assert_eq!(seek(&mut g, fd, 2, WHENCE_SET), Ok(2));
    g.write(BUF, b"XY");
    g.iovecs(&[(BUF, 2)]);
    assert_eq!(g.call("fd_pwrite", &[i(fd), i(IOVS), i(1), l(6), i(OUT)]), 0);
    assert_eq!(g.u32(OUT), 2);
    g.iovecs(&[(BUF + 16, 5)]);
    assert_eq!(g.call("fd_pread", &[i(fd), i(IOVS), i(1), l(4), i(OUT)]), 0);
    assert_eq!((g.u32(OUT), g.read(BUF + 16, 5)), (5, b"o XYr".to_vec()));
    assert_eq!(g.call("fd_pread", &[i(fd), i(IOVS), i(1), l(1000), i(OUT)]), 0);
    assert_eq!(g.u32(OUT), 0);
    assert_eq!(
        g.call("fd_pread", &[i(fd), i(IOVS), i(1), l(u64::MAX), i(OUT)]),
        e(Errno::Inval)
    );
    assert_eq!(tell(&mut g, fd), 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.txt")).unwrap(),
        "hello XYrld"
    );
}

#[test]
fn open_flags() {
    let dir = TempDir::new("oflags");
    std::fs::write(dir.path().join("old.txt"), "old content").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let mut g = guest(&dir);
    assert_eq!(g.open(3, "missing.txt", 0, ALL, 0), Err(e(Errno::Noent)));
    assert_eq!(g.open(3, "old.txt", CREAT | EXCL, ALL, 0), Err(e(Errno::Exist)));
    assert_eq!(g.open(3, "old.txt", DIRECTORY, DIR, 0), Err(e(Errno::Notdir)));
    assert_eq!(g.open(3, "sub", CREAT | DIRECTORY, DIR, 0), Err(e(Errno::Inval)));
    assert_eq!(g.open(3, "x", 0x10, ALL, 0), Err(e(Errno::Inval)));
    assert_eq!(g.open(3, "sub", 0, FD_WRITE, 0), Err(e(Errno::Isdir)));
    let fd = g.open(3, "new.txt", CREAT | EXCL, ALL, 0).unwrap();
    assert!(dir.path().join("new.txt").is_file());
    assert_eq!(g.call("fd_close", &[i(fd)]), 0);
    let fd = g.open(3, "old.txt", TRUNC, ALL, 0).unwrap();
    assert_eq!(std::fs::metadata(dir.path().join("old.txt")).unwrap().len(), 0);
    // `append`: every write goes to the end, wherever the position is.
    assert_eq!(g.write_fd(fd, b"12345"), Ok(5));
    let fa = g.open(3, "old.txt", 0, ALL, APPEND).unwrap();
    assert_eq!(seek(&mut g, fa, 0, WHENCE_SET), Ok(0));
    assert_eq!(g.write_fd(fa, b"678"), Ok(3));
    assert_eq!(std::fs::read_to_string(dir.path().join("old.txt")).unwrap(), "12345678");
    // The sync flags are accepted.
    let fs = g.open(3, "sync.txt", CREAT, ALL, 2 | 8 | 16 | 4).unwrap();
    assert_eq!(g.write_fd(fs, b"s"), Ok(1));
    // A directory opened (for reading) without `directory` is still a
    // directory.
    let sub = g.open(3, "sub", 0, FD_READ | FD_READDIR, 0).unwrap();
    assert_eq!(g.call("fd_fdstat_get", &[i(sub), i(OUT)]), 0);
    assert_eq!(g.read(OUT, 1)[0], 3);
    assert_eq!(g.write_fd(sub, b"x"), Err(e(Errno::Badf)));
    assert_eq!(g.read_fd(sub, 1), Err(e(Errno::Isdir)));
    assert_eq!(seek(&mut g, sub, 0, WHENCE_SET), Err(e(Errno::Badf)));
    // Paths beneath a directory that is not a directory.
    assert_eq!(g.open(fd, "x", 0, ALL, 0), Err(e(Errno::Notdir)));
    assert_eq!(g.open(3, "old.txt/x", 0, ALL, 0), Err(e(Errno::Notdir)));
}

#[test]
fn read_only_and_write_only_descriptors() {
    let dir = TempDir::new("rights");
    std::fs::write(dir.path().join("r.txt"), "data").unwrap();
    let mut g = guest(&dir);
    let ro = g.open(3, "r.txt", 0, FD_READ | FD_SEEK | FD_TELL, 0).unwrap();
    assert_eq!(g.write_fd(ro, b"x"), Err(e(Errno::Badf)));
    assert_eq!(g.read_fd(ro, 10).unwrap(), b"data");
    assert_eq!(g.call("fd_fdstat_get", &[i(ro), i(OUT)]), 0);
    assert_eq!(g.read(OUT, 1)[0], 4, "regular_file");
    assert_eq!(g.u64(OUT + 8), FD_READ | FD_SEEK | FD_TELL);
    let wo = g.open(3, "r.txt", 0, FD_WRITE, 0).unwrap();
    assert_eq!(g.read_fd(wo, 1), Err(e(Errno::Badf)));
    assert_eq!(seek(&mut g, wo, 0, WHENCE_SET), Err(e(Errno::Notcapable)));
    assert_eq!(g.write_fd(wo, b"D"), Ok(1));
    assert_eq!(std::fs::read_to_string(dir.path().join("r.txt")).unwrap(), "Data");
}

#[test]
fn fdstat_rights_only_shrink_and_flags_change() {
    let dir = TempDir::new("fdstat");
    let mut g = guest(&dir);
    let fd = g.open(3, "f", CREAT, ALL, 0).unwrap();
    assert_eq!(g.call("fd_fdstat_set_rights", &[i(fd), l(FD_READ | FD_WRITE), l(0)]), 0);
    assert_eq!(
        g.call("fd_fdstat_set_rights", &[i(fd), l(FD_READ | FD_SEEK), l(0)]),
        e(Errno::Notcapable)
    );
    assert_eq!(seek(&mut g, fd, 0, WHENCE_SET), Err(e(Errno::Notcapable)));
    assert_eq!(g.call("fd_fdstat_set_flags", &[i(fd), i(APPEND)]), e(Errno::Notcapable));
    let fd = g.open(3, "f", 0, ALL, 0).unwrap();
    assert_eq!(g.write_fd(fd, b"ab"), Ok(2));
    assert_eq!(g.call("fd_fdstat_set_flags", &[i(fd), i(APPEND)]), 0);
    assert_eq!(g.call("fd_fdstat_get", &[i(fd), i(OUT)]), 0);
    assert_eq!(g.u16(OUT + 2), 1);
    assert_eq!(seek(&mut g, fd, 0, WHENCE_SET), Ok(0));
    assert_eq!(g.write_fd(fd, b"c"), Ok(1));
    assert_eq!(std::fs::read_to_string(dir.path().join("f")).unwrap(), "abc");
    assert_eq!(
        g.call("fd_fdstat_set_flags", &[i(fd), i(16)]),
        e(Errno::Inval),
        "sync cannot be set later"
    );
    assert_eq!(g.call("fd_fdstat_set_flags", &[i(fd), i(0x100)]), e(Errno::Inval));
}

#[test]
fn filestat_sizes_and_times() {
    let dir = TempDir::new("filestat");
    let mut g = guest(&dir);
    let fd = g.open(3, "s.txt", CREAT, ALL, 0).unwrap();
    assert_eq!(g.write_fd(fd, b"0123456789"), Ok(10));
    assert_eq!(g.call("fd_filestat_get", &[i(fd), i(OUT)]), 0);
    let host = std::fs::metadata(dir.path().join("s.txt")).unwrap();
    assert_eq!(g.u64(OUT), host.dev());
    assert_eq!(g.u64(OUT + 8), host.ino());
    assert_eq!(g.read(OUT + 16, 1)[0], 4);
    assert_eq!((g.u64(OUT + 24), g.u64(OUT + 32)), (1, 10));
    assert_eq!(
        g.u64(OUT + 48),
        host.mtime() as u64 * 1_000_000_000 + host.mtime_nsec() as u64
    );
    assert_eq!(g.call("fd_filestat_set_size", &[i(fd), l(3)]), 0);
    assert_eq!(std::fs::read(dir.path().join("s.txt")).unwrap(), b"012");
    assert_eq!(g.call("fd_allocate", &[i(fd), l(10), l(90)]), 0);
    assert_eq!(g.stat(3, 0, "s.txt"), Ok((4, 100, 1)));
    assert_eq!(g.call("fd_allocate", &[i(fd), l(0), l(0)]), e(Errno::Inval));

    // Times: set both, then only `mtim` to now.
    let (atim, mtim) = (1_000_000_000_123u64, 2_000_000_000_456u64);
    assert_eq!(g.call("fd_filestat_set_times", &[i(fd), l(atim), l(mtim), i(1 | 4)]), 0);
    assert_eq!(g.call("fd_filestat_get", &[i(fd), i(OUT)]), 0);
    assert_eq!((g.u64(OUT + 40), g.u64(OUT + 48)), (atim, mtim));
    let host = std::fs::metadata(dir.path().join("s.txt")).unwrap();
    assert_eq!((host.mtime(), host.mtime_nsec()), (2000, 456));
    assert_eq!(g.call("fd_filestat_set_times", &[i(fd), l(0), l(0), i(8)]), 0);
    assert_eq!(g.call("fd_filestat_get", &[i(fd), i(OUT)]), 0);
    assert_eq!(g.u64(OUT + 40), atim, "atim untouched");
    assert!(g.u64(OUT + 48) > 1_600_000_000_000_000_000, "mtim now");
    assert_eq!(
        g.call("fd_filestat_set_times", &[i(fd), l(0), l(0), i(1 | 2)]),
        e(Errno::Inval)
    );

    // Through a path.
    g.write(PATH, b"s.txt");
    let args = [
        i(3),
        i(FOLLOW),
        i(PATH),
        i(5),
        l(5_000_000_007),
        l(7_000_000_005),
        i(1 | 4),
    ];
    assert_eq!(g.call("path_filestat_set_times", &args), 0);
    assert_eq!(g.call("path_filestat_get", &[i(3), i(0), i(PATH), i(5), i(OUT)]), 0);
    assert_eq!((g.u64(OUT + 40), g.u64(OUT + 48)), (5_000_000_007, 7_000_000_005));
    assert_eq!(g.stat(3, 0, ".").map(|s| s.0), Ok(3), "directory");
    assert_eq!(g.stat(3, 0, "nope"), Err(e(Errno::Noent)));
}

#[test]
fn sync_advise_close_renumber() {
    let dir = TempDir::new("misc");
    let mut g = guest(&dir);
    let fd = g.open(3, "m", CREAT, ALL, 0).unwrap();
    assert_eq!(g.call("fd_sync", &[i(fd)]), 0);
    assert_eq!(g.call("fd_datasync", &[i(fd)]), 0);
    assert_eq!(g.call("fd_sync", &[i(3)]), 0, "a directory can be synced");
    assert_eq!(g.call("fd_datasync", &[i(3)]), 0);
    assert_eq!(
        g.call("fd_filestat_set_times", &[i(3), l(0), l(3_000_000_000), i(4)]),
        0
    );
    assert_eq!(std::fs::metadata(dir.path()).unwrap().mtime(), 3);
    assert_eq!(g.call("fd_sync", &[i(1)]), e(Errno::Inval));
    assert_eq!(g.call("fd_advise", &[i(fd), l(0), l(100), i(1)]), 0);
    assert_eq!(g.call("fd_advise", &[i(fd), l(0), l(100), i(9)]), e(Errno::Inval));
    let other = g.open(3, "n", CREAT, ALL, 0).unwrap();
    assert_eq!(g.call("fd_renumber", &[i(fd), i(77)]), e(Errno::Badf));
    assert_eq!(g.call("fd_renumber", &[i(fd), i(other)]), 0);
    assert_eq!(g.write_fd(fd, b"x"), Err(e(Errno::Badf)));
    assert_eq!(g.write_fd(other, b"x"), Ok(1));
    assert_eq!(std::fs::read(dir.path().join("m")).unwrap(), b"x");
    assert_eq!(g.call("fd_close", &[i(other)]), 0);
    assert_eq!(g.call("fd_close", &[i(other)]), e(Errno::Badf));
    // The lowest free number is reused.
    assert_eq!(g.open(3, "m", 0, ALL, 0), Ok(fd));
}

#[test]
fn prestat_names_the_preopens_only() {
    let (a, b) = (TempDir::new("pre-a"), TempDir::new("pre-b"));
    let mut g = Guest::new(
        WasiCtxBuilder::new()
            .preopened_dir(a.path(), "/a")
            .unwrap()
            .preopened_dir(b.path(), "/data/b")
            .unwrap(),
    );
    assert_eq!(g.call("fd_prestat_get", &[i(3), i(OUT)]), 0);
    assert_eq!((g.read(OUT, 1)[0], g.u32(OUT + 4)), (0, 2));
    assert_eq!(g.call("fd_prestat_get", &[i(4), i(OUT)]), 0);
    assert_eq!(g.u32(OUT + 4), 7);
    assert_eq!(g.call("fd_prestat_dir_name", &[i(4), i(BUF), i(7)]), 0);
    assert_eq!(g.read(BUF, 7), b"/data/b");
    assert_eq!(
        g.call("fd_prestat_dir_name", &[i(4), i(BUF), i(3)]),
        e(Errno::Nametoolong)
    );
    assert_eq!(g.call("fd_prestat_get", &[i(5), i(OUT)]), e(Errno::Badf));
    assert_eq!(g.call("fd_prestat_get", &[i(1), i(OUT)]), e(Errno::Badf));
    let sub = g.open(3, ".", DIRECTORY, DIR, 0).unwrap();
    assert_eq!(g.call("fd_prestat_get", &[i(sub), i(OUT)]), e(Errno::Badf));
}

#[test]
fn stdio_streams() {
    let out = Capture::default();
    let mut g = Guest::new(
        WasiCtxBuilder::new()
            .stdin(Box::new(std::io::Cursor::new(b"input line\n".to_vec())))
            .stdout(Box::new(out.clone())),
    );
    assert_eq!(g.read_fd(0, 5).unwrap(), b"input");
    assert_eq!(g.read_fd(0, 100).unwrap(), b" line\n");
    assert_eq!(g.read_fd(0, 100).unwrap(), b"");
    assert_eq!(g.write_fd(1, b"out"), Ok(3));
    assert_eq!(out.text(), "out");
    assert_eq!(g.write_fd(2, b"discarded"), Ok(9));
    assert_eq!(g.write_fd(0, b"x"), Err(e(Errno::Badf)));
    assert_eq!(g.read_fd(1, 1), Err(e(Errno::Badf)));
    assert_eq!(seek(&mut g, 1, 0, WHENCE_CUR), Err(e(Errno::Spipe)));
    assert_eq!(g.call("fd_fdstat_get", &[i(1), i(OUT)]), 0);
    assert_eq!(g.u64(OUT + 8) & FD_WRITE, FD_WRITE);
    assert_eq!(g.u64(OUT + 8) & (FD_SEEK | FD_TELL), 0);
    assert_eq!(g.call("fd_filestat_get", &[i(1), i(OUT)]), 0);
    assert_eq!(g.call("fd_write", &[i(9), i(IOVS), i(0), i(OUT)]), e(Errno::Badf));
}
