//! Compiles each C program of `tests/c` with the system C compiler against
//! libmote, once with the shared and once with the static library, and runs
//! it; a program checks its own results and exits non-zero on a failure.
//!
//! Cargo does not build a crate's `cdylib` and `staticlib` for its own
//! integration tests, so the first test runs `cargo build -p mote-c-api`
//! into this build's target directory and profile (a no-op when they are
//! fresh). The `.wat` modules of `tests/c` are written as `.wasm` files
//! into a scratch directory, where the programs run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where the library and the scratch files are.
struct Setup {
    lib_dir: PathBuf,
    work: PathBuf,
}

fn c_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c")
}

fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include")
}

/// Builds libmote with the profile this test was built with; the directory
/// holding `libmote.so` and `libmote.a`.
fn build_library() -> PathBuf {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent");
    let exe = std::env::current_exe().expect("the test's path");
    // <target>/<profile>/deps/<test binary>
    let profile_dir = exe.parent().and_then(Path::parent).expect("a profile directory");
    let profile = profile_dir
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a profile name");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut build = Command::new(cargo);
    build
        .args(["build", "-p", "mote-c-api"])
        .env("CARGO_TARGET_DIR", target_dir);
    match profile {
        "debug" => {}
        "release" => {
            build.arg("--release");
        }
        other => {
            build.args(["--profile", other]);
        }
    }
    let output = build.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "building libmote failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lib_dir = target_dir.join(profile);
    assert!(lib_dir.join("libmote.so").exists() && lib_dir.join("libmote.a").exists());
    lib_dir
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let lib_dir = build_library();
        let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("c-api");
        std::fs::create_dir_all(&work).expect("scratch directory");
        for entry in std::fs::read_dir(c_dir()).expect("tests/c") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "wat") {
                let wasm = wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let name = path.with_extension("wasm");
                std::fs::write(work.join(name.file_name().expect("a file name")), wasm).expect("write .wasm");
            }
        }
        Setup { lib_dir, work }
    })
}

#[derive(Debug, Clone, Copy)]
enum Link {
    Shared,
    Static,
}

/// Compiles `tests/c/<name>.c`; `strict` adds the warnings-as-errors flags
/// (the tutorial is compiled exactly as its instructions say).
fn compile(name: &str, link: Link, strict: bool) -> PathBuf {
    let setup = setup();
    let suffix = match link {
        Link::Shared => "shared",
        Link::Static => "static",
    };
    // Tests run in parallel and may compile one program twice: a number
    // keeps their binaries apart.
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let number = BUILDS.fetch_add(1, Ordering::Relaxed);
    let binary = setup.work.join(format!("{name}-{suffix}-{number}"));
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut cc = Command::new(compiler);
    cc.arg(c_dir().join(format!("{name}.c")))
        .arg("-I")
        .arg(include_dir())
        .arg("-o")
        .arg(&binary);
    if strict {
        cc.args(["-std=gnu99", "-Wall", "-Wextra", "-Werror", "-pthread"]);
    }
    match link {
        Link::Shared => {
            cc.arg(format!("-L{}", setup.lib_dir.display())).arg("-lmote");
        }
        Link::Static => {
            // What `rustc --print native-static-libs` lists for libmote.a.
            cc.arg(setup.lib_dir.join("libmote.a")).args([
                "-lgcc_s",
                "-lutil",
                "-lrt",
                "-lpthread",
                "-lm",
                "-ldl",
                "-lc",
            ]);
        }
    }
    let output = cc.output().expect("the C compiler runs");
    assert!(
        output.status.success(),
        "compiling {name}.c failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    binary
}

/// Runs a compiled program in the scratch directory; its output, after
/// checking it succeeded.
fn run(binary: &Path) -> Output {
    let setup = setup();
    let output = Command::new(binary)
        .current_dir(&setup.work)
        .env("LD_LIBRARY_PATH", &setup.lib_dir)
        .output()
        .expect("the program runs");
    assert!(
        output.status.success(),
        "{} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        binary.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout_of(name: &str, link: Link, strict: bool) -> String {
    String::from_utf8_lossy(&run(&compile(name, link, strict)).stdout).into_owned()
}

/// A test per linkage for each self-checking program.
macro_rules! c_programs {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[test]
            fn shared() {
                stdout_of(stringify!($name), Link::Shared, true);
            }

            #[test]
            fn static_lib() {
                stdout_of(stringify!($name), Link::Static, true);
            }
        }
    )*};
}

c_programs!(
    natives,
    malloc,
    traps,
    threads,
    wasi,
    application,
    robustness,
    init,
    exports,
    symbols
);

#[test]
fn tutorial_shared() {
    assert_eq!(stdout_of("example", Link::Shared, false), "Result of 'add': 8\n");
}

#[test]
fn tutorial_static() {
    assert_eq!(stdout_of("example", Link::Static, false), "Result of 'add': 8\n");
}

#[test]
fn execute_func_prints_results_as_wamr_does() {
    let stdout = stdout_of("application", Link::Shared, true);
    assert!(stdout.contains("0x8:i32\n"), "{stdout}");
    assert!(stdout.contains("2.5:f64,0xfffffffffffffffe:i64\n"), "{stdout}");
}
