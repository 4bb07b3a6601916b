//! Escape attempts: every one must fail and leave the host untouched. The
//! sandbox is `outside/sandbox/`, preopened as fd 3; `outside/secret.txt`
//! is the prize.

use crate::harness::{ALL, CREAT, DIR, DIRECTORY, FOLLOW, Guest, OUT, PATH, Sandbox, TRUNC, e, i, l};
use crate::paths::{link, readlink, rename, symlink};
use mote_wasi::Errno;

const PERM: i32 = 63;

/// Every way to name the secret from inside.
fn escaping_paths(s: &Sandbox) -> Vec<String> {
    let abs = s.outside().join("secret.txt").to_str().unwrap().to_string();
    vec![
        "../secret.txt".into(),
        "./../secret.txt".into(),
        "sub/../../secret.txt".into(),
        "sub/../sub/../../secret.txt".into(),
        abs,
        "/sandbox/../secret.txt".into(),
        "/etc/passwd".into(),
    ]
}

fn sandbox(name: &str) -> (Sandbox, Guest) {
    let s = Sandbox::new(name);
    std::fs::create_dir(s.root().join("sub")).unwrap();
    std::fs::write(s.root().join("inside.txt"), "inside").unwrap();
    let g = s.guest();
    (s, g)
}

#[test]
fn dotdot_and_absolute_paths_are_refused() {
    let (s, mut g) = sandbox("dotdot");
    for path in escaping_paths(&s) {
        assert_eq!(g.open(3, &path, 0, ALL, 0), Err(PERM), "open {path}");
        assert_eq!(g.open(3, &path, CREAT | TRUNC, ALL, 0), Err(PERM), "create {path}");
        assert_eq!(g.stat(3, FOLLOW, &path), Err(PERM), "stat {path}");
        assert_eq!(g.path_call("path_unlink_file", 3, &path), PERM, "unlink {path}");
    }
    assert_eq!(g.open(3, "..", DIRECTORY, DIR, 0), Err(PERM));
    assert_eq!(g.open(3, "sub/../..", DIRECTORY, DIR, 0), Err(PERM));
    assert_eq!(g.open(3, "/", DIRECTORY, DIR, 0), Err(PERM));
    assert_eq!(g.path_call("path_create_directory", 3, "../newdir"), PERM);
    assert_eq!(g.path_call("path_remove_directory", 3, "../sandbox"), PERM);
    assert_eq!(g.path_call("path_remove_directory", 3, ".."), PERM);
    g.write(PATH, b"../secret.txt");
    let args = [i(3), i(FOLLOW), i(PATH), i(13), l(0), l(0), i(2 | 8)];
    assert_eq!(g.call("path_filestat_set_times", &args), PERM);
    // A descriptor for a subdirectory is a sandbox of its own, too.
    let sub = g.open(3, "sub", DIRECTORY, DIR, 0).unwrap();
    assert_eq!(g.open(sub, "../inside.txt", 0, ALL, 0), Err(PERM));
    // Staying inside is fine.
    let fd = g.open(3, "sub/../inside.txt", 0, ALL, 0).unwrap();
    assert_eq!(g.read_fd(fd, 100).unwrap(), b"inside");
    s.assert_outside_untouched();
}

#[test]
fn preexisting_symlinks_out_are_not_followed() {
    let (s, mut g) = sandbox("old-links");
    let root = s.root();
    std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
    std::os::unix::fs::symlink("..", root.join("up")).unwrap();
    std::os::unix::fs::symlink("../secret.txt", root.join("secret")).unwrap();
    std::os::unix::fs::symlink(s.outside().join("secret.txt"), root.join("abs")).unwrap();
    std::os::unix::fs::symlink("sub/../../secret.txt", root.join("winding")).unwrap();
    for path in ["etc/passwd", "up/secret.txt", "secret", "abs", "winding"] {
        assert_eq!(g.open(3, path, 0, ALL, 0), Err(PERM), "open {path}");
        assert_eq!(g.open(3, path, TRUNC, ALL, 0), Err(PERM), "truncate {path}");
        assert_eq!(g.stat(3, FOLLOW, path), Err(PERM), "stat {path}");
    }
    for dir in ["etc", "up"] {
        assert_eq!(g.open(3, dir, DIRECTORY, DIR, 0), Err(PERM), "opendir {dir}");
        assert_eq!(g.path_call("path_create_directory", 3, &format!("{dir}/new")), PERM);
    }
    // Writing to an outside file through a link: no.
    let abs = g.open(3, "abs", CREAT, ALL, 0);
    assert_eq!(abs, Err(PERM));
    // The links themselves can be looked at and removed; absolute targets
    // stay hidden.
    assert_eq!(g.stat(3, 0, "up").unwrap().0, 7);
    assert_eq!(readlink(&mut g, 3, "up", 64).unwrap(), b"..");
    assert_eq!(readlink(&mut g, 3, "etc", 64), Err(PERM));
    assert_eq!(g.path_call("path_unlink_file", 3, "up"), 0);
    assert!(root.join("etc").is_symlink());
    s.assert_outside_untouched();
}

#[test]
fn guest_made_symlinks_out_are_inert() {
    let (s, mut g) = sandbox("new-links");
    let abs = s.outside().join("secret.txt").to_str().unwrap().to_string();
    assert_eq!(symlink(&mut g, 3, &abs, "abs"), PERM, "absolute targets are refused");
    assert_eq!(symlink(&mut g, 3, "/etc", "etc"), PERM);
    assert!(!s.root().join("abs").exists() && !s.root().join("etc").exists());
    assert_eq!(
        symlink(&mut g, 3, "../secret.txt", "esc"),
        0,
        "any relative text may be a link"
    );
    assert_eq!(symlink(&mut g, 3, "../../..", "sub/far"), 0);
    assert_eq!(symlink(&mut g, 3, "x", "../planted"), PERM, "but not outside");
    for flags in [0, CREAT, CREAT | TRUNC, TRUNC] {
        assert_eq!(g.open(3, "esc", flags, ALL, 0), Err(PERM), "open esc with {flags}");
    }
    assert_eq!(g.open(3, "sub/far/secret.txt", 0, ALL, 0), Err(PERM));
    g.write(PATH, b"esc");
    let args = [i(3), i(FOLLOW), i(PATH), i(3), l(0), l(0), i(2 | 8)];
    assert_eq!(g.call("path_filestat_set_times", &args), PERM);
    // Through a subdirectory descriptor too.
    let sub = g.open(3, "sub", DIRECTORY, DIR, 0).unwrap();
    assert_eq!(symlink(&mut g, sub, "../../secret.txt", "deep"), 0);
    assert_eq!(g.open(sub, "deep", 0, ALL, 0), Err(PERM));
    assert_eq!(g.open(3, "sub/deep", 0, ALL, 0), Err(PERM));
    s.assert_outside_untouched();
}

#[test]
fn hard_links_and_renames_stay_inside() {
    let (s, mut g) = sandbox("links-renames");
    assert_eq!(link(&mut g, 3, "../secret.txt", "stolen"), PERM);
    assert_eq!(link(&mut g, 3, "inside.txt", "../leaked"), PERM);
    let abs = s.outside().join("secret.txt").to_str().unwrap().to_string();
    assert_eq!(link(&mut g, 3, &abs, "stolen"), PERM);
    // `symlink_follow` does not help either.
    assert_eq!(symlink(&mut g, 3, "../secret.txt", "esc"), 0);
    g.write(PATH, b"esc");
    g.write(PATH + 100, b"stolen");
    let args = [i(3), i(FOLLOW), i(PATH), i(3), i(3), i(PATH + 100), i(6)];
    assert_eq!(g.call("path_link", &args), PERM);
    assert_eq!(g.stat(3, 0, "stolen"), Err(e(Errno::Noent)));
    // Renames.
    assert_eq!(rename(&mut g, 3, "inside.txt", "../moved.txt"), PERM);
    assert_eq!(rename(&mut g, 3, "inside.txt", "sub/../../moved.txt"), PERM);
    assert_eq!(rename(&mut g, 3, "../secret.txt", "stolen"), PERM);
    assert_eq!(rename(&mut g, 3, "sub", "../sub"), PERM);
    assert_eq!(rename(&mut g, 3, "esc", "sub/esc"), 0, "a link moves as a link");
    // Its text is now read from `sub`: `../secret.txt` names a file of the
    // sandbox, which does not exist.
    assert_eq!(g.open(3, "sub/esc", 0, ALL, 0), Err(e(Errno::Noent)));
    assert!(s.root().join("inside.txt").is_file());
    s.assert_outside_untouched();
}

#[test]
fn escapes_fail_without_a_symlink_race_window_through_renamed_dirs() {
    // A directory descriptor keeps naming its directory when the guest
    // renames the directory; `..` from it is still refused.
    let (s, mut g) = sandbox("moved-dir");
    let sub = g.open(3, "sub", DIRECTORY, DIR, 0).unwrap();
    assert_eq!(g.path_call("path_create_directory", 3, "deeper"), 0);
    assert_eq!(rename(&mut g, 3, "sub", "deeper/sub"), 0);
    assert_eq!(g.open(sub, "../../secret.txt", 0, ALL, 0), Err(PERM));
    assert_eq!(g.open(sub, "new.txt", CREAT, ALL, 0).map(|_| ()), Ok(()));
    assert!(s.root().join("deeper/sub/new.txt").is_file());
    assert_eq!(g.call("fd_fdstat_get", &[i(sub), i(OUT)]), 0);
    s.assert_outside_untouched();
}
