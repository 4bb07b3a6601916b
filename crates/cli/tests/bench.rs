//! The benchmark programs under `mote run`, at their small scale.
//!
//! Every module in the shared benchmark directory (`wasm/NAME.wasm`, C sources
//! in `src/`, see its README) runs with its small-scale argument in the
//! interpreter, with `--mode jit` and as an AOT artifact (`mote compile`,
//! then `mote run NAME.aot`), and must print exactly
//! `expected/NAME.small.stdout` and exit 0 each time. The interpreter runs
//! take a second or so each in a release build
//! (`cargo test --release`); each test prints its wall time
//! (`cargo test --release --test bench -- --nocapture --test-threads=1`).
//!
//! The directory is `MOTE_BENCH_DIR`, else `../shared/bench` next to the
//! repository. When it is missing the tests fail if `CI` is set and are
//! skipped with a note otherwise.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The benchmark directory, or `None` (after a note) when it is missing outside CI.
fn bench_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("MOTE_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench"),
    };
    if dir.join("wasm").is_dir() {
        return Some(dir);
    }
    let note = format!(
        "benchmark programs not found at {} (set MOTE_BENCH_DIR to the shared bench directory)",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{note}");
    }
    eprintln!("skipped: {note}");
    None
}

/// Runs `mote run --mode MODE wasm/NAME.wasm ARG` in each mode (`aot`:
/// an artifact compiled first) and compares each stdout with
/// `expected/NAME.small.stdout`.
fn small_scale(name: &str, arg: &str) {
    // Compiled modes need the compiler (cargo feature `jit`).
    let modes: &[&str] = if cfg!(feature = "jit") {
        &["interp", "jit", "aot"]
    } else {
        &["interp"]
    };
    for &mode in modes {
        small_scale_in(mode, name, arg);
    }
}

/// The JIT compile cache of the runs under test: the target directory's, so
/// that tests neither read entries another build wrote to the user's cache
/// nor fill it.
fn test_cache_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mote-cache")
}

fn small_scale_in(mode: &str, name: &str, arg: &str) {
    let Some(dir) = bench_dir() else { return };
    let mut module = dir.join("wasm").join(format!("{name}.wasm"));
    if mode == "aot" {
        let artifact = std::env::temp_dir().join(format!("mote-bench-{}-{name}.aot", std::process::id()));
        let status = Command::new(env!("CARGO_BIN_EXE_mote"))
            .env("MOTE_CACHE_DIR", test_cache_dir())
            .arg("compile")
            .arg(&module)
            .arg("-o")
            .arg(&artifact)
            .status()
            .expect("the mote binary runs");
        assert!(status.success(), "mote compile {}", module.display());
        module = artifact;
    }
    // An artifact runs as compiled code whatever `--mode` says.
    let flag = if mode == "aot" { "jit" } else { mode };
    let expected_path = dir.join("expected").join(format!("{name}.small.stdout"));
    let expected =
        std::fs::read_to_string(&expected_path).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));

    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_mote"))
        .env("MOTE_CACHE_DIR", test_cache_dir())
        .arg("run")
        .arg("--mode")
        .arg(flag)
        .arg(&module)
        .arg(arg)
        .stdin(Stdio::null())
        .output()
        .expect("the mote binary runs");
    let elapsed = start.elapsed();
    if mode == "aot" {
        let _ = std::fs::remove_file(&module);
    }
    eprintln!("{name} {arg} ({mode}): {:.3} s", elapsed.as_secs_f64());

    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = format!("mote run --mode {flag} {} {arg}", module.display());
    assert_eq!(out.status.code(), Some(0), "{shown}: exit status\nstderr: {stderr}");
    assert_eq!(
        stdout,
        expected,
        "{shown}: stdout vs {}\nstderr: {stderr}",
        expected_path.display()
    );
}

#[test]
fn fib() {
    small_scale("fib", "37");
}

#[test]
fn sieve() {
    small_scale("sieve", "2");
}

#[test]
fn nbody() {
    small_scale("nbody", "300000");
}

#[test]
fn matmul() {
    small_scale("matmul", "330");
}

#[test]
fn sha256() {
    small_scale("sha256", "10");
}

#[test]
fn quicksort() {
    small_scale("quicksort", "1");
}

/// Every module in `wasm/` has a test above, so a new program is not silently left out.
#[test]
fn every_program_is_covered() {
    let Some(dir) = bench_dir() else { return };
    let mut names: Vec<String> = std::fs::read_dir(dir.join("wasm"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["fib", "matmul", "nbody", "quicksort", "sha256", "sieve"]);
}
