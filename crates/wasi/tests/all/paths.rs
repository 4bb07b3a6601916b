//! Path operations inside the sandbox: directories, unlink, rename,
//! symbolic and hard links.

use crate::harness::{ALL, BUF, CREAT, DIR, DIRECTORY, FOLLOW, Guest, OUT, PATH, PATH2, TempDir, e, i};
use mote_wasi::{Errno, WasiCtxBuilder};

fn guest(dir: &TempDir) -> Guest {
    Guest::new(WasiCtxBuilder::new().preopened_dir(dir.path(), "/").unwrap())
}

/// Calls a function of `(fd, old, old_len, fd2, new, new_len)` shape.
fn two_paths(g: &mut Guest, name: &str, fd: u32, old: &str, fd2: u32, new: &str) -> i32 {
    g.write(PATH, old.as_bytes());
    g.write(PATH2, new.as_bytes());
    let (o, n) = (old.len() as u32, new.len() as u32);
    match name {
        "path_rename" => g.call(name, &[i(fd), i(PATH), i(o), i(fd2), i(PATH2), i(n)]),
        "path_link" => g.call(name, &[i(fd), i(0), i(PATH), i(o), i(fd2), i(PATH2), i(n)]),
        "path_link_follow" => g.call("path_link", &[i(fd), i(FOLLOW), i(PATH), i(o), i(fd2), i(PATH2), i(n)]),
        "path_symlink" => g.call(name, &[i(PATH), i(o), i(fd), i(PATH2), i(n)]),
        _ => unreachable!("{name}"),
    }
}

pub fn symlink(g: &mut Guest, fd: u32, target: &str, link: &str) -> i32 {
    two_paths(g, "path_symlink", fd, target, fd, link)
}

pub fn rename(g: &mut Guest, fd: u32, old: &str, new: &str) -> i32 {
    two_paths(g, "path_rename", fd, old, fd, new)
}

pub fn link(g: &mut Guest, fd: u32, old: &str, new: &str) -> i32 {
    two_paths(g, "path_link", fd, old, fd, new)
}

/// `path_readlink` into a buffer of `len` bytes.
pub fn readlink(g: &mut Guest, fd: u32, path: &str, len: u32) -> Result<Vec<u8>, i32> {
    g.write(PATH, path.as_bytes());
    match g.call(
        "path_readlink",
        &[i(fd), i(PATH), i(path.len() as u32), i(BUF), i(len), i(OUT)],
    ) {
        0 => Ok(g.read(BUF, g.u32(OUT))),
        errno => Err(errno),
    }
}

#[test]
fn directories() {
    let dir = TempDir::new("dirs");
    let mut g = guest(&dir);
    assert_eq!(g.path_call("path_create_directory", 3, "a"), 0);
    assert_eq!(g.path_call("path_create_directory", 3, "a/b"), 0);
    assert!(dir.path().join("a/b").is_dir());
    assert_eq!(g.path_call("path_create_directory", 3, "a"), e(Errno::Exist));
    assert_eq!(g.path_call("path_create_directory", 3, "x/y"), e(Errno::Noent));
    assert_eq!(g.path_call("path_remove_directory", 3, "a"), e(Errno::Notempty));
    assert_eq!(g.path_call("path_unlink_file", 3, "a"), e(Errno::Isdir));
    let a = g.open(3, "a", DIRECTORY, DIR, 0).unwrap();
    assert_eq!(g.path_call("path_remove_directory", a, "b"), 0);
    assert_eq!(g.path_call("path_remove_directory", 3, "a"), 0);
    assert!(!dir.path().join("a").exists());
    std::fs::write(dir.path().join("f"), "").unwrap();
    assert_eq!(g.path_call("path_remove_directory", 3, "f"), e(Errno::Notdir));
    assert_eq!(g.path_call("path_remove_directory", 3, "gone"), e(Errno::Noent));
}

#[test]
fn unlink_and_rename() {
    let dir = TempDir::new("rename");
    std::fs::write(dir.path().join("f"), "F").unwrap();
    std::fs::write(dir.path().join("g"), "G").unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    let mut g = guest(&dir);
    assert_eq!(rename(&mut g, 3, "f", "d/f2"), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("d/f2")).unwrap(), "F");
    assert_eq!(rename(&mut g, 3, "g", "d/f2"), 0, "rename replaces a file");
    assert_eq!(std::fs::read_to_string(dir.path().join("d/f2")).unwrap(), "G");
    assert_eq!(rename(&mut g, 3, "missing", "x"), e(Errno::Noent));
    std::fs::create_dir(dir.path().join("full")).unwrap();
    std::fs::write(dir.path().join("full/x"), "").unwrap();
    assert_eq!(rename(&mut g, 3, "d", "full"), e(Errno::Notempty));
    // Across two directory descriptors.
    let d = g.open(3, "d", DIRECTORY, DIR, 0).unwrap();
    assert_eq!(two_paths(&mut g, "path_rename", d, "f2", 3, "back"), 0);
    assert!(dir.path().join("back").is_file());
    assert_eq!(g.path_call("path_unlink_file", 3, "back"), 0);
    assert!(!dir.path().join("back").exists());
    assert_eq!(g.path_call("path_unlink_file", 3, "back"), e(Errno::Noent));
}

#[test]
fn symlinks_inside_the_sandbox_work() {
    let dir = TempDir::new("symlinks");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("target.txt"), "through the link").unwrap();
    let mut g = guest(&dir);
    assert_eq!(symlink(&mut g, 3, "target.txt", "link"), 0);
    assert_eq!(symlink(&mut g, 3, "../target.txt", "sub/up"), 0);
    assert_eq!(symlink(&mut g, 3, "target.txt", "link"), e(Errno::Exist));
    assert_eq!(
        std::fs::read_link(dir.path().join("link")).unwrap().to_str(),
        Some("target.txt")
    );
    for path in ["link", "sub/up"] {
        let fd = g.open(3, path, 0, ALL, 0).unwrap();
        assert_eq!(g.read_fd(fd, 100).unwrap(), b"through the link");
    }
    assert_eq!(readlink(&mut g, 3, "link", 100).unwrap(), b"target.txt");
    assert_eq!(readlink(&mut g, 3, "link", 6).unwrap(), b"target", "cut to the buffer");
    assert_eq!(readlink(&mut g, 3, "target.txt", 100), Err(e(Errno::Inval)));
    assert_eq!(g.stat(3, 0, "link").unwrap().0, 7, "symbolic_link");
    assert_eq!(g.stat(3, FOLLOW, "link").unwrap(), (4, 16, 1));
    assert_eq!(g.open_with(3, 0, "link", 0, ALL, 0), Err(e(Errno::Loop)));
    // A dangling link, then loops.
    assert_eq!(symlink(&mut g, 3, "nowhere", "dangling"), 0);
    assert_eq!(g.open(3, "dangling", 0, ALL, 0), Err(e(Errno::Noent)));
    assert_eq!(symlink(&mut g, 3, "l2", "l1"), 0);
    assert_eq!(symlink(&mut g, 3, "l1", "l2"), 0);
    assert_eq!(g.open(3, "l1", 0, ALL, 0), Err(e(Errno::Loop)));
    // Unlinking a link leaves its target.
    assert_eq!(g.path_call("path_unlink_file", 3, "link"), 0);
    assert!(dir.path().join("target.txt").is_file());
    // Creating a file through a dangling link creates the target.
    let fd = g.open(3, "dangling", CREAT, ALL, 0).unwrap();
    assert_eq!(g.write_fd(fd, b"made"), Ok(4));
    assert_eq!(std::fs::read_to_string(dir.path().join("nowhere")).unwrap(), "made");
}

#[test]
fn hard_links() {
    let dir = TempDir::new("links");
    std::fs::write(dir.path().join("a"), "shared").unwrap();
    let mut g = guest(&dir);
    assert_eq!(link(&mut g, 3, "a", "b"), 0);
    assert_eq!(g.stat(3, 0, "a").unwrap(), (4, 6, 2));
    let fd = g.open(3, "b", 0, ALL, 1).unwrap();
    assert_eq!(g.write_fd(fd, b"!"), Ok(1));
    assert_eq!(std::fs::read_to_string(dir.path().join("a")).unwrap(), "shared!");
    assert_eq!(link(&mut g, 3, "a", "b"), e(Errno::Exist));
    assert_eq!(link(&mut g, 3, "missing", "c"), e(Errno::Noent));
    // With `symlink_follow`, the link is to the symbolic link's target.
    assert_eq!(symlink(&mut g, 3, "a", "sym"), 0);
    assert_eq!(two_paths(&mut g, "path_link_follow", 3, "sym", 3, "c"), 0);
    assert_eq!(g.stat(3, 0, "c").unwrap(), (4, 7, 3));
    assert_eq!(link(&mut g, 3, "sym", "d"), 0);
    assert_eq!(g.stat(3, 0, "d").unwrap().0, 7, "without it, the symbolic link itself");
}

#[test]
fn trailing_slashes_and_odd_paths() {
    let dir = TempDir::new("slashes");
    std::fs::write(dir.path().join("f"), "x").unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::create_dir(dir.path().join("d2")).unwrap();
    let mut g = guest(&dir);
    assert_eq!(g.open(3, "f/", 0, ALL, 0), Err(e(Errno::Notdir)));
    assert!(g.open(3, "d/", 0, 1 << 1, 0).is_ok());
    assert_eq!(g.open(3, "g/", CREAT, ALL, 0), Err(e(Errno::Isdir)));
    assert_eq!(g.open(3, "", 0, ALL, 0), Err(e(Errno::Noent)));
    assert_eq!(g.open(3, "a\0b", 0, ALL, 0), Err(e(Errno::Inval)));
    assert_eq!(g.path_call("path_create_directory", 3, "n/"), 0);
    assert_eq!(g.path_call("path_create_directory", 3, "."), e(Errno::Exist));
    assert_eq!(g.path_call("path_unlink_file", 3, "f/"), e(Errno::Notdir));
    assert_eq!(g.path_call("path_remove_directory", 3, "n//"), 0);
    assert_eq!(g.path_call("path_remove_directory", 3, "."), e(Errno::Inval));
    assert_eq!(rename(&mut g, 3, "f/", "h"), e(Errno::Notdir));
    assert_eq!(rename(&mut g, 3, "f", "h/"), e(Errno::Notdir));
    // As Linux link(2): a missing `new/` is `noent`, an existing one `exist`.
    assert_eq!(link(&mut g, 3, "f", "l/"), e(Errno::Noent));
    assert_eq!(link(&mut g, 3, "f", "d/"), e(Errno::Exist));
    assert_eq!(link(&mut g, 3, "f/", "l"), e(Errno::Notdir));
    assert_eq!(rename(&mut g, 3, "d/", "e/"), 0);
    assert!(dir.path().join("e").is_dir());
    assert_eq!(rename(&mut g, 3, "d2", "e2/"), 0);
    assert!(dir.path().join("e2").is_dir() && dir.path().join("f").is_file());
}
