//! `fd_readdir`: entries, `dirent` layout, cookies, full buffers.

use crate::harness::{ALL, BUF, DIR, DIRECTORY, Guest, OUT, TempDir, i, l};
use mote_wasi::WasiCtxBuilder;
use std::os::unix::fs::MetadataExt;

/// One decoded `dirent`.
#[derive(Debug, PartialEq)]
struct Dirent {
    next: u64,
    ino: u64,
    name: String,
    filetype: u8,
}

/// Decodes the complete entries of a listing buffer.
fn parse(buf: &[u8]) -> Vec<Dirent> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 24 <= buf.len() {
        let u64_at = |i: usize| u64::from_le_bytes(buf[i..i + 8].try_into().unwrap());
        let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
        if at + 24 + namlen > buf.len() {
            break;
        }
        entries.push(Dirent {
            next: u64_at(at),
            ino: u64_at(at + 8),
            filetype: buf[at + 20],
            name: String::from_utf8(buf[at + 24..at + 24 + namlen].to_vec()).unwrap(),
        });
        at += 24 + namlen;
    }
    entries
}

fn readdir(g: &mut Guest, fd: u32, len: u32, cookie: u64) -> Vec<u8> {
    assert_eq!(g.call("fd_readdir", &[i(fd), i(BUF), i(len), l(cookie), i(OUT)]), 0);
    let used = g.u32(OUT);
    assert!(used <= len);
    g.read(BUF, used)
}

fn setup() -> (TempDir, Guest) {
    let dir = TempDir::new("readdir");
    for name in ["ccc", "a", "bb"] {
        std::fs::write(dir.path().join(name), name).unwrap();
    }
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::os::unix::fs::symlink("a", dir.path().join("s")).unwrap();
    let g = Guest::new(WasiCtxBuilder::new().preopened_dir(dir.path(), ".").unwrap());
    (dir, g)
}

#[test]
fn lists_dot_dotdot_and_entries_with_types_and_inodes() {
    let (dir, mut g) = setup();
    let entries = parse(&readdir(&mut g, 3, 4096, 0));
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, [".", "..", "a", "bb", "ccc", "d", "s"]);
    let types: Vec<u8> = entries.iter().map(|e| e.filetype).collect();
    assert_eq!(types, [3, 3, 4, 4, 4, 3, 7]);
    let nexts: Vec<u64> = entries.iter().map(|e| e.next).collect();
    assert_eq!(nexts, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(entries[0].ino, std::fs::metadata(dir.path()).unwrap().ino());
    assert_eq!(entries[2].ino, std::fs::metadata(dir.path().join("a")).unwrap().ino());
    assert_eq!(
        entries[6].ino,
        std::fs::symlink_metadata(dir.path().join("s")).unwrap().ino()
    );
}

#[test]
fn cookies_resume_the_listing() {
    let (_dir, mut g) = setup();
    let rest = parse(&readdir(&mut g, 3, 4096, 3));
    let names: Vec<&str> = rest.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["bb", "ccc", "d", "s"]);
    assert_eq!(rest[0].next, 4);
    assert!(readdir(&mut g, 3, 4096, 7).is_empty());
    assert!(readdir(&mut g, 3, 4096, u64::MAX).is_empty());
}

#[test]
fn a_small_buffer_is_filled_and_the_guest_resumes() {
    let (_dir, mut g) = setup();
    // 40 bytes: `.` (25) and the first 15 bytes of `..`'s header.
    let first = readdir(&mut g, 3, 40, 0);
    assert_eq!(first.len(), 40, "a full buffer means: there may be more");
    assert_eq!(parse(&first).len(), 1);
    // Read it all, one whole entry at a time, as wasi-libc does.
    let mut names = Vec::new();
    let mut cookie = 0;
    loop {
        let buf = readdir(&mut g, 3, 30, cookie);
        let entries = parse(&buf);
        let Some(last) = entries.last() else { break };
        cookie = last.next;
        names.extend(entries.into_iter().map(|e| e.name));
    }
    assert_eq!(names, [".", "..", "a", "bb", "ccc", "d", "s"]);
}

#[test]
fn subdirectories_and_non_directories() {
    let (_dir, mut g) = setup();
    let d = g.open(3, "d", DIRECTORY, DIR, 0).unwrap();
    let names: Vec<String> = parse(&readdir(&mut g, d, 4096, 0))
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, [".", ".."]);
    let f = g.open(3, "a", 0, ALL, 0).unwrap();
    let errno = g.call("fd_readdir", &[i(f), i(BUF), i(100), l(0), i(OUT)]);
    assert_eq!(errno, crate::harness::e(mote_wasi::Errno::Notdir));
}
