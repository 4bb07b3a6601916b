//! `mote run` end to end, run the way a user runs it.
//!
//! - The WASI test programs of `tests/wasi` (C sources in `src/`, prebuilt
//!   modules in `wasm/`, rebuilt by `tests/wasi/build.sh`) against their
//!   expected stdout and exit status (`expected/NAME.stdout`, `NAME.status`).
//!   File-system programs run in a fresh host directory `ROOT/sandbox` next to
//!   a sentinel file `ROOT/sentinel.txt`; afterwards the test checks what the
//!   program left in the sandbox and that nothing outside it changed.
//! - `--invoke` on the small modules of `tests/wasi/wat`, with every number type.
//! - The limits (`--fuel`, `--max-memory`, `--max-gc-heap`, `--max-stack`), `--mode`, `--env`,
//!   `--inherit-env`, `--tcplisten`, and the one-line errors (exit 2, never a
//!   panic) of bad command lines.
//!
//! Every run is killed, and its test fails, if it takes longer than [`HANG`].

#![cfg(unix)]

use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

/// A run still going after this long is hung: it is killed and its test fails.
const HANG: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------
// Where things are

fn tests_wasi() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/wasi")
}

/// A prebuilt WASI test program.
fn program(name: &str) -> PathBuf {
    let path = tests_wasi().join("wasm").join(format!("{name}.wasm"));
    assert!(path.is_file(), "{} is missing; run tests/wasi/build.sh", path.display());
    path
}

/// A text-format test module.
fn wat(name: &str) -> PathBuf {
    tests_wasi().join("wat").join(format!("{name}.wat"))
}

fn expected_file(name: &str) -> Vec<u8> {
    let path = tests_wasi().join("expected").join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// Running mote

/// A `mote` command line being put together.
/// The JIT compile cache of the runs under test: the target directory's, so
/// that tests neither read entries another build wrote to the user's cache
/// nor fill it.
fn test_cache_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mote-cache")
}

struct Mote {
    cmd: Command,
    shown: String,
    stdin: Vec<u8>,
}

/// `mote ARGS...`, with an empty stdin and no extra environment but the
/// test compile cache.
fn mote<I, S>(args: I) -> Mote
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mote"));
    cmd.env("MOTE_CACHE_DIR", test_cache_dir());
    let mut shown = String::from("mote");
    for arg in args {
        shown.push_str(&format!(" {:?}", arg.as_ref()));
        cmd.arg(arg);
    }
    Mote {
        cmd,
        shown,
        stdin: Vec::new(),
    }
}

impl Mote {
    fn cwd(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self.shown = format!("(cd {}) {}", dir.display(), self.shown);
        self
    }

    fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self.shown = format!("{key}={value:?} {}", self.shown);
        self
    }

    fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = bytes.to_vec();
        self
    }

    /// Starts mote with piped stdio; its stdin is written and closed in the background.
    fn spawn(mut self) -> Running {
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the mote binary starts");
        let mut stdin = child.stdin.take().unwrap();
        let input = std::mem::take(&mut self.stdin);
        // A guest that does not read its stdin closes the pipe: ignore the error.
        let feeder = thread::spawn(move || drop(stdin.write_all(&input)));
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = drain(child.stderr.take().unwrap());
        Running {
            shown: self.shown,
            child,
            feeder,
            stdout,
            stderr,
        }
    }

    /// Runs mote to completion.
    fn run(self) -> Run {
        self.spawn().wait()
    }
}

fn drain(mut from: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        from.read_to_end(&mut bytes).expect("reading mote's output");
        bytes
    })
}

/// A mote process still running.
struct Running {
    shown: String,
    child: Child,
    feeder: JoinHandle<()>,
    stdout: JoinHandle<Vec<u8>>,
    stderr: JoinHandle<Vec<u8>>,
}

impl Running {
    /// Waits for the process (killing it after [`HANG`]) and collects its output.
    fn wait(mut self) -> Run {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waiting for mote") {
                break status;
            }
            if start.elapsed() > HANG {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("{}: still running after {HANG:?}; killed", self.shown);
            }
            thread::sleep(Duration::from_millis(5));
        };
        self.feeder.join().unwrap();
        Run {
            shown: self.shown,
            status: status.code(),
            stdout: self.stdout.join().unwrap(),
            stderr: String::from_utf8_lossy(&self.stderr.join().unwrap()).into_owned(),
        }
    }
}

/// A finished run of mote.
struct Run {
    shown: String,
    /// `None` when a signal ended the process.
    status: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The whole run, for failure messages.
    fn describe(&self) -> String {
        format!(
            "{}\n  status: {:?}\n  stdout: {:?}\n  stderr: {:?}",
            self.shown,
            self.status,
            self.stdout(),
            self.stderr
        )
    }

    fn assert_status(&self, status: i32) -> &Self {
        assert_eq!(self.status, Some(status), "exit status of {}", self.describe());
        assert!(!self.stderr.contains("panicked"), "a panic in {}", self.describe());
        self
    }

    fn assert_stdout(&self, want: &str) -> &Self {
        assert_eq!(self.stdout(), want, "stdout of {}", self.describe());
        self
    }

    fn assert_stderr_has(&self, part: &str) -> &Self {
        assert!(
            self.stderr.contains(part),
            "stderr should mention {part:?}: {}",
            self.describe()
        );
        self
    }

    /// Exit `status`, nothing on stdout, and one line on stderr (mentioning `part`).
    fn assert_one_line_error(&self, status: i32, part: &str) -> &Self {
        self.assert_status(status).assert_stdout("").assert_stderr_has(part);
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one line of error from {}",
            self.describe()
        );
        self
    }

    /// The stdout and exit status in `tests/wasi/expected/NAME.{stdout,status}`.
    fn assert_expected(&self, name: &str) -> &Self {
        let stdout = expected_file(&format!("{name}.stdout"));
        let status = String::from_utf8(expected_file(&format!("{name}.status"))).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(&stdout),
            "stdout of {} (expected/{name}.stdout)",
            self.describe()
        );
        assert_eq!(self.stdout, stdout, "stdout bytes of {}", self.describe());
        self.assert_status(status.trim().parse().unwrap())
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

// ---------------------------------------------------------------------------
// Host directories

/// A fresh host directory `ROOT` (under the system temp dir, removed on drop)
/// holding `sandbox/`, the directory a test grants, and `sentinel.txt` next to
/// it, which the guest must never reach.
struct Scratch {
    root: PathBuf,
    sentinel_mtime: SystemTime,
}

const SENTINEL: &str = "sentinel: the guest must not touch this\n";

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("mote-run-test-{}-{n}-{tag}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("sandbox")).unwrap();
        fs::write(root.join("sentinel.txt"), SENTINEL).unwrap();
        let sentinel_mtime = fs::metadata(root.join("sentinel.txt")).unwrap().modified().unwrap();
        Scratch { root, sentinel_mtime }
    }

    fn sandbox(&self) -> PathBuf {
        self.root.join("sandbox")
    }

    /// Asserts that outside the sandbox nothing changed: `ROOT` holds exactly
    /// `sandbox` and `sentinel.txt`, and the sentinel kept its contents and mtime.
    fn assert_outside_untouched(&self, run: &Run) {
        let names = sorted_names(&self.root);
        assert_eq!(names, ["sandbox", "sentinel.txt"], "ROOT after {}", run.describe());
        let sentinel = self.root.join("sentinel.txt");
        let meta = fs::symlink_metadata(&sentinel).unwrap();
        assert!(
            meta.is_file(),
            "sentinel.txt is still a plain file after {}",
            run.describe()
        );
        assert_eq!(
            fs::read_to_string(&sentinel).unwrap(),
            SENTINEL,
            "sentinel after {}",
            run.describe()
        );
        assert_eq!(
            meta.modified().unwrap(),
            self.sentinel_mtime,
            "sentinel mtime after {}",
            run.describe()
        );
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// The names in a directory, sorted.
fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_link(path: &Path) -> String {
    let target = fs::read_link(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    target.to_string_lossy().into_owned()
}

// ---------------------------------------------------------------------------
// Programs with plain stdio

#[test]
fn hello_with_run_and_with_the_shorthand() {
    let hello = program("hello");
    mote([OsStr::new("run"), hello.as_os_str()])
        .run()
        .assert_expected("hello");
    mote([&hello]).run().assert_expected("hello");
    mote(["run", "--mode", "interp", path_str(&hello)])
        .run()
        .assert_expected("hello");
}

#[test]
fn the_shorthand_takes_options_before_the_file() {
    let env = program("env");
    mote(["--env", "A=1", path_str(&env), "A", "B"])
        .run()
        .assert_status(0)
        .assert_stdout("A=1\nB unset\n");
    mote(["--fuel", "1000", path_str(&wat("spin"))])
        .run()
        .assert_status(134)
        .assert_stderr_has("fuel");
}

#[test]
fn a_wasi_program_in_the_text_format() {
    mote([OsStr::new("run"), wat("hello").as_os_str()])
        .run()
        .assert_status(0)
        .assert_stdout("Hello from WAT!\n");
    mote([wat("exit_code")]).run().assert_status(7).assert_stdout("");
}

#[test]
fn arguments_reach_the_guest() {
    let args = program("args");
    mote(["run", path_str(&args), "a", "b c", "", "ünï"])
        .run()
        .assert_expected("args");
    mote([path_str(&args), "a", "b c", "", "ünï"])
        .run()
        .assert_expected("args");
}

#[test]
fn options_after_the_file_belong_to_the_guest() {
    let args = program("args");
    mote(["run", path_str(&args), "--dir", ".", "-v", "--", "--env=X=1"])
        .run()
        .assert_status(0)
        .assert_stdout(
            "argc=6\nargv0 base=[args.wasm]\nargv[1]=[--dir] (5 bytes)\nargv[2]=[.] (1 bytes)\n\
             argv[3]=[-v] (2 bytes)\nargv[4]=[--] (2 bytes)\nargv[5]=[--env=X=1] (9 bytes)\n",
        );
}

#[test]
fn the_guest_sees_only_the_environment_it_is_given() {
    let env = program("env");
    // The test process's own environment (CARGO_*, PATH, ...) stays out.
    mote(["run", "--env", "A=1", "--env", "B=two words", path_str(&env)])
        .env("MOTE_TEST_SECRET", "host")
        .run()
        .assert_expected("env");
    mote(["run", path_str(&env)])
        .env("MOTE_TEST_SECRET", "host")
        .run()
        .assert_status(0)
        .assert_stdout("0 variables\n");
    mote([
        "run",
        "--env",
        "EMPTY=",
        "--env",
        "EQ=a=b",
        path_str(&env),
        "EMPTY",
        "EQ",
        "PATH",
    ])
    .run()
    .assert_status(0)
    .assert_stdout("EMPTY=\nEQ=a=b\nPATH unset\n");
}

#[test]
fn inherit_env_passes_the_host_environment() {
    let env = program("env");
    mote(["run", "--inherit-env", path_str(&env), "MOTE_TEST_SECRET"])
        .env("MOTE_TEST_SECRET", "host value")
        .run()
        .assert_status(0)
        .assert_stdout("MOTE_TEST_SECRET=host value\n");
    // An explicit --env wins over the inherited value, and the guest sees one entry.
    let run = mote([
        "run",
        "--inherit-env",
        "--env",
        "MOTE_TEST_SECRET=override",
        path_str(&env),
    ])
    .env("MOTE_TEST_SECRET", "host value")
    .run();
    run.assert_status(0);
    let entries: Vec<String> = run
        .stdout()
        .lines()
        .filter(|l| l.starts_with("MOTE_TEST_SECRET="))
        .map(String::from)
        .collect();
    assert_eq!(entries, ["MOTE_TEST_SECRET=override"], "{}", run.describe());
}

#[test]
fn the_exit_status_is_the_guests() {
    let exit = program("exit");
    mote(["run", path_str(&exit), "42"]).run().assert_expected("exit");
    for status in [0, 1, 3, 126, 255] {
        mote(["run", path_str(&exit), &status.to_string()])
            .run()
            .assert_status(status)
            .assert_stdout(&format!("exiting with {status}\n"));
    }
    mote(["run", path_str(&exit)])
        .run()
        .assert_status(0)
        .assert_stdout("no status given\n");
    // A status that does not fit in a byte must not turn into success (256 & 0xff == 0).
    let run = mote(["run", path_str(&exit), "256"]).run();
    assert_ne!(run.status, Some(0), "exit(256) became success: {}", run.describe());
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
}

#[test]
fn stdin_stdout_and_stderr_pass_straight_through() {
    let echo = program("stdin_echo");
    let input = expected_file("stdin_echo.stdin");
    mote(["run", path_str(&echo)])
        .stdin(&input)
        .run()
        .assert_expected("stdin_echo")
        .assert_stderr_has(&format!("{} bytes", input.len()));

    // A megabyte of every byte value, more than any one read or pipe buffer.
    let big: Vec<u8> = (0..1u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let run = mote(["run", path_str(&echo)]).stdin(&big).run();
    run.assert_status(0);
    assert!(
        run.stdout == big,
        "1 MiB through stdin_echo came back changed ({} bytes)",
        run.stdout.len()
    );
    assert_eq!(run.stderr, format!("{} bytes\n", big.len()));

    mote(["run", path_str(&echo)])
        .run()
        .assert_status(0)
        .assert_stdout("")
        .assert_stderr_has("0 bytes");
}

#[test]
fn stdout_is_not_held_back_until_exit() {
    // The echo of a line must arrive while the guest still waits for more input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mote"))
        .env("MOTE_CACHE_DIR", test_cache_dir())
        .args(["run", path_str(&program("stdin_echo"))])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the mote binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    stdin.write_all(b"first line\n").unwrap();
    stdin.flush().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut line = [0; 11];
        let _ = tx.send(stdout.read_exact(&mut line).map(|()| line));
    });
    let echoed = rx.recv_timeout(HANG);
    if echoed.is_err() {
        let _ = child.kill();
    }
    drop(stdin);
    let status = child.wait().unwrap();
    match echoed {
        Ok(Ok(line)) => assert_eq!(&line, b"first line\n"),
        Ok(Err(e)) => panic!("reading the echo: {e}"),
        Err(_) => panic!("no echo within {HANG:?} while stdin stayed open: stdout is held back"),
    }
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_trap_prints_the_error_and_a_backtrace_and_exits_134() {
    let run = mote(["run", path_str(&program("trap"))]).run();
    run.assert_expected("trap");
    assert!(run.stderr.starts_with("Error: "), "{}", run.describe());
    run.assert_stderr_has("unreachable")
        .assert_stderr_has("trap_here")
        .assert_stderr_has("main");
    // The innermost frame comes first.
    let trap_here = run.stderr.find("trap_here").unwrap();
    let main = run.stderr.find("main").unwrap();
    assert!(trap_here < main, "backtrace order: {}", run.describe());
}

#[test]
fn clocks_and_random() {
    mote(["run", path_str(&program("clock_random"))])
        .run()
        .assert_expected("clock_random");
}

#[test]
fn sleep_and_poll() {
    mote(["run", path_str(&program("poll_sleep"))])
        .run()
        .assert_expected("poll_sleep");
}

// ---------------------------------------------------------------------------
// File systems

/// What fs_basic leaves in its directory.
fn assert_fs_basic_left(sandbox: &Path, run: &Run) {
    assert_eq!(
        sorted_names(sandbox),
        ["kept.txt", "keptdir"],
        "sandbox after {}",
        run.describe()
    );
    assert_eq!(fs::read_to_string(sandbox.join("kept.txt")).unwrap(), "kept\n");
    let mtime = fs::metadata(sandbox.join("kept.txt")).unwrap().modified().unwrap();
    assert_eq!(
        mtime,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000),
        "mtime set by the guest"
    );
    assert_eq!(sorted_names(&sandbox.join("keptdir")), ["inner.txt"]);
    assert_eq!(
        fs::read_to_string(sandbox.join("keptdir/inner.txt")).unwrap(),
        "inner\n"
    );
}

#[test]
fn fs_basic_in_the_current_directory() {
    let scratch = Scratch::new("fs_basic_dot");
    let run = mote(["run", "--dir", ".", path_str(&program("fs_basic"))])
        .cwd(&scratch.sandbox())
        .run();
    run.assert_expected("fs_basic");
    assert_fs_basic_left(&scratch.sandbox(), &run);
    scratch.assert_outside_untouched(&run);
}

#[test]
fn fs_basic_under_a_guest_name() {
    let scratch = Scratch::new("fs_basic_named");
    let grant = format!("{}::/sandbox", scratch.sandbox().display());
    // Run from the parent directory: only the grant matters, not the working directory.
    let run = mote(["run", "--dir", &grant, path_str(&program("fs_basic")), "/sandbox"])
        .cwd(&scratch.root)
        .run();
    run.assert_expected("fs_basic");
    assert_fs_basic_left(&scratch.sandbox(), &run);
    scratch.assert_outside_untouched(&run);
}

#[test]
fn fs_basic_with_two_grants_uses_the_right_one() {
    let scratch = Scratch::new("fs_basic_two");
    let other = scratch.sandbox().join("other");
    fs::create_dir(&other).unwrap();
    let work = scratch.sandbox().join("work");
    fs::create_dir(&work).unwrap();
    let run = mote([
        "run".to_string(),
        "--dir".into(),
        format!("{}::/other", other.display()),
        "--dir".into(),
        format!("{}::/work", work.display()),
        path_str(&program("fs_basic")).into(),
        "/work".into(),
    ])
    .run();
    run.assert_expected("fs_basic");
    assert_fs_basic_left(&work, &run);
    assert!(
        sorted_names(&other).is_empty(),
        "the other grant was written: {}",
        run.describe()
    );
    scratch.assert_outside_untouched(&run);
}

#[test]
fn without_dir_the_guest_reaches_no_files() {
    let scratch = Scratch::new("no_dir");
    let run = mote(["run", path_str(&program("fs_basic"))])
        .cwd(&scratch.sandbox())
        .run();
    assert_eq!(run.status, Some(1), "{}", run.describe());
    assert!(run.stdout().starts_with("chdir: E"), "{}", run.describe());
    assert!(
        sorted_names(&scratch.sandbox()).is_empty(),
        "files appeared: {}",
        run.describe()
    );
    scratch.assert_outside_untouched(&run);
}

#[test]
fn symlinks_inside_the_sandbox_work() {
    let scratch = Scratch::new("fs_symlink");
    let sandbox = scratch.sandbox();
    let run = mote(["run", "--dir", ".", path_str(&program("fs_symlink"))])
        .cwd(&sandbox)
        .run();
    run.assert_expected("fs_symlink");
    assert_eq!(
        sorted_names(&sandbox),
        ["link.txt", "sub", "target.txt"],
        "{}",
        run.describe()
    );
    assert_eq!(read_link(&sandbox.join("link.txt")), "target.txt");
    assert_eq!(read_link(&sandbox.join("sub/up.txt")), "../target.txt");
    assert_eq!(
        fs::read_to_string(sandbox.join("target.txt")).unwrap(),
        "target\nmore\n"
    );
    assert_eq!(fs::read_to_string(sandbox.join("sub/inner.txt")).unwrap(), "inner\n");
    scratch.assert_outside_untouched(&run);
}

/// Prepares the sandbox the way fs_escape.c expects it.
fn escape_scratch(tag: &str) -> Scratch {
    let scratch = Scratch::new(tag);
    let sandbox = scratch.sandbox();
    fs::write(sandbox.join("file.txt"), "inside\n").unwrap();
    fs::create_dir(sandbox.join("sub")).unwrap();
    std::os::unix::fs::symlink(scratch.root.join("sentinel.txt"), sandbox.join("abs_link")).unwrap();
    std::os::unix::fs::symlink("..", sandbox.join("up_link")).unwrap();
    scratch
}

/// Checks the host after fs_escape: nothing outside changed, and inside only
/// the guest's own (harmless) symlinks may have appeared.
fn assert_nothing_escaped(scratch: &Scratch, run: &Run) {
    run.assert_expected("fs_escape");
    scratch.assert_outside_untouched(run);
    let sandbox = scratch.sandbox();
    let names = sorted_names(&sandbox);
    let allowed = ["abs_link", "evil", "evil_abs", "file.txt", "sub", "up_link"];
    assert!(
        names.iter().all(|n| allowed.contains(&n.as_str())),
        "sandbox holds {names:?} after {}",
        run.describe()
    );
    for guest_link in ["evil", "evil_abs"] {
        let path = sandbox.join(guest_link);
        if let Ok(meta) = fs::symlink_metadata(&path) {
            assert!(
                meta.file_type().is_symlink(),
                "{guest_link} is not a symlink after {}",
                run.describe()
            );
        }
    }
    assert_eq!(fs::read_to_string(sandbox.join("file.txt")).unwrap(), "inside\n");
    assert!(sorted_names(&sandbox.join("sub")).is_empty());
    assert_eq!(read_link(&sandbox.join("up_link")), "..");
    assert!(
        !Path::new("/tmp/mote-escape-x").exists(),
        "/tmp/mote-escape-x exists (made by the guest?) after {}",
        run.describe()
    );
}

#[test]
fn escapes_from_the_current_directory_fail() {
    let scratch = escape_scratch("fs_escape_dot");
    let run = mote(["run", "--dir", ".", path_str(&program("fs_escape"))])
        .cwd(&scratch.sandbox())
        .run();
    assert_nothing_escaped(&scratch, &run);
}

#[test]
fn escapes_from_a_named_directory_fail() {
    let scratch = escape_scratch("fs_escape_named");
    let grant = format!("{}::/sandbox", scratch.sandbox().display());
    let run = mote(["run", "--dir", &grant, path_str(&program("fs_escape"))])
        .cwd(&scratch.root)
        .run();
    assert_nothing_escaped(&scratch, &run);
}

// ---------------------------------------------------------------------------
// Sockets

#[test]
fn tcplisten_hands_the_guest_a_listening_socket() {
    // A port that was free a moment ago (the guest's listener is bound by mote).
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let running = mote(["run", "--tcplisten", &addr, path_str(&program("tcp_echo"))]).spawn();

    let start = Instant::now();
    let mut stream = loop {
        match TcpStream::connect(&addr) {
            Ok(stream) => break stream,
            Err(e) if start.elapsed() > HANG => panic!("cannot connect to {addr}: {e}"),
            Err(_) => thread::sleep(Duration::from_millis(20)),
        }
    };
    stream.set_read_timeout(Some(HANG)).unwrap();
    stream.write_all(b"ping\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let run = running.wait();
    assert_eq!(reply, "echo: ping\n", "{}", run.describe());
    run.assert_expected("tcp_echo");
}

// ---------------------------------------------------------------------------
// --invoke

/// `mote run --invoke NAME FILE ARGS...`
fn invoke(file: &Path, name: &str, args: &[&str]) -> Run {
    let mut argv = vec!["run", "--invoke", name, path_str(file)];
    argv.extend_from_slice(args);
    mote(argv).run()
}

#[test]
fn invoke_prints_each_result_on_its_own_line() {
    invoke(&wat("add"), "add", &["5", "3"])
        .assert_status(0)
        .assert_stdout("8\n");
    invoke(&wat("add"), "sub", &["3", "5"])
        .assert_status(0)
        .assert_stdout("-2\n");
    invoke(&wat("add"), "add", &["4294967295", "2"])
        .assert_status(0)
        .assert_stdout("1\n");
    let numbers = wat("numbers");
    invoke(&numbers, "add_i64", &["-5", "9007199254740993"])
        .assert_status(0)
        .assert_stdout("9007199254740988\n");
    invoke(&numbers, "mul_f32", &["1.5", "-0.5"])
        .assert_status(0)
        .assert_stdout("-0.75\n");
    invoke(&numbers, "div_f64", &["1", "8"])
        .assert_status(0)
        .assert_stdout("0.125\n");
    invoke(&numbers, "swap", &["1", "9007199254740993"])
        .assert_status(0)
        .assert_stdout("9007199254740993\n2\n");
    invoke(&numbers, "nothing", &[]).assert_status(0).assert_stdout("");
}

#[test]
fn invoke_a_trapping_export() {
    invoke(&wat("add"), "div", &["1", "0"])
        .assert_status(134)
        .assert_stdout("")
        .assert_stderr_has("Error: ")
        .assert_stderr_has("integer divide by zero");
}

#[test]
fn invoke_with_bad_arguments_is_a_one_line_error() {
    let add = wat("add");
    invoke(&add, "add", &["1"]).assert_one_line_error(2, "add");
    invoke(&add, "add", &["1", "2", "3"]).assert_one_line_error(2, "add");
    invoke(&add, "add", &["one", "2"]).assert_one_line_error(2, "one");
    invoke(&add, "add", &["1.5", "2"]).assert_one_line_error(2, "1.5");
    invoke(&add, "nosuch", &[]).assert_one_line_error(2, "nosuch");
}

#[test]
fn a_module_without_start_needs_invoke() {
    mote(["run", path_str(&wat("add"))])
        .run()
        .assert_one_line_error(2, "_start");
}

// ---------------------------------------------------------------------------
// Limits

#[test]
fn fuel_stops_an_endless_loop() {
    mote(["run", "--fuel", "1000", path_str(&wat("spin"))])
        .run()
        .assert_status(134)
        .assert_stderr_has("Error: ")
        .assert_stderr_has("fuel");
    // Enough fuel changes nothing for a program that finishes.
    mote(["run", "--fuel", "100000000", path_str(&program("hello"))])
        .run()
        .assert_expected("hello");
}

#[test]
fn max_memory_caps_memory_growth() {
    let memory = wat("memory");
    invoke(&memory, "grow", &["100"]).assert_status(0).assert_stdout("1\n");
    let capped = |pages: &str| {
        mote([
            "run",
            "--max-memory",
            "1048576",
            "--invoke",
            "grow",
            path_str(&memory),
            pages,
        ])
        .run()
    };
    capped("15").assert_status(0).assert_stdout("1\n"); // exactly 1 MiB
    capped("16").assert_status(0).assert_stdout("-1\n");
    capped("100").assert_status(0).assert_stdout("-1\n");
}

#[test]
fn max_gc_heap_caps_gc_allocation() {
    let program = wat("gc_alloc");
    let modes: &[&str] = if cfg!(feature = "jit") {
        &["interp", "jit"]
    } else {
        &["interp"]
    };
    for &mode in modes {
        let capped = |count: &str| {
            mote([
                "run",
                "--mode",
                mode,
                "--max-gc-heap",
                "65536",
                "--invoke",
                "alloc",
                path_str(&program),
                count,
            ])
            .run()
        };
        capped("100").assert_status(0).assert_stdout("100\n");
        capped("100000")
            .assert_status(134)
            .assert_stderr_has("allocation too large");
        mote(["run", "--mode", mode, "--invoke", "alloc", path_str(&program), "100000"])
            .run()
            .assert_status(0)
            .assert_stdout("100000\n");
    }
}

#[test]
fn deep_recursion_and_the_stack_limit() {
    let recurse = wat("recurse");
    invoke(&recurse, "depth", &["10000"])
        .assert_status(0)
        .assert_stdout("10000\n");
    mote([
        "run",
        "--max-stack",
        "4096",
        "--invoke",
        "depth",
        path_str(&recurse),
        "10000",
    ])
    .run()
    .assert_status(134)
    .assert_stderr_has("call stack exhausted");
    // Endless recursion is a trap, not a crash of mote.
    mote(["run", path_str(&recurse)])
        .run()
        .assert_status(134)
        .assert_stderr_has("call stack exhausted");
}

// ---------------------------------------------------------------------------
// Bad command lines

#[cfg(feature = "jit")]
#[test]
fn other_modes_are_refused() {
    let hello = program("hello");
    for mode in ["aot", "nope"] {
        mote(["run", "--mode", mode, path_str(&hello)])
            .run()
            .assert_one_line_error(2, mode);
    }
    mote(["run", "--mode", "jit", "--max-stack", "100000000", path_str(&hello)])
        .run()
        .assert_one_line_error(2, "--max-stack");
    // Lazy translation is the interpreter's; the JIT compiles at load.
    mote(["run", "--mode", "jit", "--compilation", "eager", path_str(&hello)])
        .run()
        .assert_one_line_error(2, "--compilation");
}

/// `--mode jit` keeps compiled code in its cache and reuses it; a corrupt
/// entry is compiled again and rewritten; `--no-cache` and
/// `MOTE_NO_CACHE=1` leave the cache alone.
#[cfg(feature = "jit")]
#[test]
fn jit_compile_cache() {
    use std::os::unix::fs::MetadataExt as _;
    let scratch = Scratch::new("cache");
    let cache = scratch.root.join("cache");
    let cache_str = path_str(&cache);
    let hello = program("hello");
    let entries = || -> Vec<PathBuf> {
        fs::read_dir(&cache)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    };
    mote(["run", "--mode", "jit", "--no-cache", path_str(&hello)])
        .env("MOTE_CACHE_DIR", cache_str)
        .run()
        .assert_expected("hello");
    mote(["run", "--mode", "jit", path_str(&hello)])
        .env("MOTE_CACHE_DIR", cache_str)
        .env("MOTE_NO_CACHE", "1")
        .run()
        .assert_expected("hello");
    assert!(entries().is_empty(), "the cache was written although it was off");
    mote(["run", "--mode", "jit", path_str(&hello)])
        .env("MOTE_CACHE_DIR", cache_str)
        .run()
        .assert_expected("hello");
    let written = entries();
    assert_eq!(written.len(), 1, "one entry: {written:?}");
    let entry = &written[0];
    let first = fs::read(entry).unwrap();
    assert!(first.starts_with(b"MOTEAOT"), "the entry is an artifact");
    // A hit runs the cached code and keeps the entry (a rewrite would be a
    // new file), marking it used for the cache's trimming.
    let before = fs::metadata(entry).unwrap();
    thread::sleep(Duration::from_millis(20));
    mote(["run", "--mode", "jit", path_str(&hello)])
        .env("MOTE_CACHE_DIR", cache_str)
        .run()
        .assert_expected("hello");
    let after = fs::metadata(entry).unwrap();
    assert_eq!(after.ino(), before.ino(), "a hit rewrote the entry");
    assert!(
        after.modified().unwrap() > before.modified().unwrap(),
        "a hit did not mark the entry used"
    );
    // Another build of mote (here a copy, with its own modification time)
    // does not take this build's entries.
    let other_build = scratch.root.join("mote");
    fs::copy(env!("CARGO_BIN_EXE_mote"), &other_build).unwrap();
    let output = Command::new(&other_build)
        .args(["run", "--mode", "jit", path_str(&hello)])
        .env("MOTE_CACHE_DIR", cache_str)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(entries().len(), 2, "the other build took this build's entry");
    fs::remove_file(entries().into_iter().find(|e| e != entry).unwrap()).unwrap();
    // Fuel changes the code: another entry.
    mote(["run", "--mode", "jit", "--fuel", "100000000", path_str(&hello)])
        .env("MOTE_CACHE_DIR", cache_str)
        .run()
        .assert_expected("hello");
    assert_eq!(entries().len(), 2);
    // A corrupted or truncated entry is refused, recompiled and replaced.
    for damage in [0, 1] {
        let mut bad = first.clone();
        if damage == 0 {
            let mid = bad.len() / 2;
            bad[mid] ^= 0xff;
        } else {
            bad.truncate(bad.len() / 3);
        }
        fs::write(entry, &bad).unwrap();
        mote(["run", "--mode", "jit", path_str(&hello)])
            .env("MOTE_CACHE_DIR", cache_str)
            .run()
            .assert_expected("hello");
        assert_eq!(fs::read(entry).unwrap(), first, "the damaged entry was rewritten");
    }
    let _ = fs::remove_dir_all(&scratch.root);
}

/// The validation marker `mote run` keeps for a large module (see
/// `src/cache/validated.rs`), named as the cache names it.
#[path = "../src/cache/digest.rs"]
mod digest;

fn validation_marker(cache: &Path, module: &[u8]) -> PathBuf {
    cache.join(format!(
        "{}-{:032x}.valid",
        env!("CARGO_PKG_VERSION"),
        digest::of(&[b"validated", &[0], module])
    ))
}

/// A large module that passed validation loads without validating its
/// bodies again; one that failed gets no marker; a marker that lies (as a
/// digest collision would) only moves the error to the first call of the
/// invalid function, which never runs.
#[test]
fn large_modules_are_validated_once() {
    let scratch = Scratch::new("validated");
    let cache = scratch.root.join("cache");
    let cache_str = path_str(&cache);
    let module = |extra: &str| {
        format!(
            "(module (memory 2) (data (i32.const 0) \"{}\") (func (export \"ok\") (result i32) i32.const 7) {extra})",
            "a".repeat(70_000)
        )
    };
    let (valid, invalid) = (scratch.root.join("valid.wat"), scratch.root.join("invalid.wat"));
    fs::write(&valid, module("")).unwrap();
    fs::write(&invalid, module("(func (export \"bad\") (result i32) i64.const 0)")).unwrap();
    let small = wat("numbers");
    let run = |file: &Path, export: &str, extra: &[&str]| {
        let mut args = vec!["run"];
        args.extend_from_slice(extra);
        args.extend(["--invoke", export, path_str(file)]);
        mote(args).env("MOTE_CACHE_DIR", cache_str).run()
    };

    run(&valid, "ok", &["--no-cache"]).assert_status(0).assert_stdout("7\n");
    assert!(!cache.exists(), "--no-cache wrote to the cache");
    run(&valid, "ok", &[]).assert_status(0).assert_stdout("7\n");
    let marker = validation_marker(&cache, &fs::read(&valid).unwrap());
    assert_eq!(sorted_names(&cache), [marker.file_name().unwrap().to_str().unwrap()]);
    let written = fs::metadata(&marker).unwrap().modified().unwrap();
    thread::sleep(Duration::from_millis(20));
    run(&valid, "ok", &[]).assert_status(0).assert_stdout("7\n");
    let used = fs::metadata(&marker).unwrap().modified().unwrap();
    assert!(used > written, "a hit did not mark the marker used");
    run(&small, "nothing", &[]).assert_status(0);
    assert_eq!(sorted_names(&cache).len(), 1, "a small module got a marker");

    let invalid_marker = validation_marker(&cache, &fs::read(&invalid).unwrap());
    let failed = run(&invalid, "ok", &[]);
    failed
        .assert_status(1)
        .assert_stdout("")
        .assert_stderr_has("in function 1");
    assert!(!invalid_marker.exists(), "an invalid module got a marker");

    fs::write(&invalid_marker, b"").unwrap();
    run(&invalid, "ok", &[]).assert_status(0).assert_stdout("7\n");
    let bad = run(&invalid, "bad", &[]);
    assert_ne!(bad.status, Some(0), "{}", bad.describe());
    bad.assert_stdout("").assert_stderr_has("type mismatch");
    // Without the cache, the module is refused at load as before.
    run(&invalid, "ok", &["--no-cache"]).assert_status(1).assert_stdout("");
}

#[cfg(feature = "jit")]
#[test]
fn jit_runs_wasi_programs_traps_and_fuel() {
    let hello = program("hello");
    mote(["run", "--mode", "jit", path_str(&hello)])
        .run()
        .assert_expected("hello");
    let recurse = wat("recurse");
    mote(["run", "--mode", "jit", "--invoke", "depth", path_str(&recurse), "10000"])
        .run()
        .assert_status(0)
        .assert_stdout("10000\n");
    // Endless recursion is a stack-overflow trap in compiled code too.
    mote(["run", "--mode", "jit", path_str(&recurse)])
        .run()
        .assert_status(134)
        .assert_stderr_has("call stack exhausted");
    mote(["run", "--mode", "jit", "--fuel", "1000", path_str(&wat("spin"))])
        .run()
        .assert_status(134)
        .assert_stderr_has("fuel");
    mote(["run", "--mode", "jit", "--fuel", "100000000", path_str(&hello)])
        .run()
        .assert_expected("hello");
}

#[test]
fn bad_command_lines_are_one_line_errors_with_exit_2() {
    let scratch = Scratch::new("bad_args");
    let hello = program("hello");
    let hello = path_str(&hello);
    let missing_dir = scratch.root.join("no-such-dir");
    let missing_dir = path_str(&missing_dir);
    let cases: &[&[&str]] = &[
        &["run"],
        &["run", "/no/such/file.wasm"],
        &["/no/such/file.wasm"],
        &["run", "--frobnicate", hello],
        &["run", "--fuel", "lots", hello],
        &["run", "--fuel", "-1", hello],
        &["run", "--max-memory", "1GB", hello],
        &["run", "--max-stack", "", hello],
        &["run", "--env", "NOEQUALS", hello],
        &["run", "--dir", missing_dir, hello],
        &["run", "--dir", &format!("{missing_dir}::/x"), hello],
        &["run", "--tcplisten", "not-an-address", hello],
        &["run", "--invoke"],
    ];
    for args in cases {
        let run = mote(*args).run();
        run.assert_status(2);
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "one line of error from {}",
            run.describe()
        );
        assert!(run.stderr.to_lowercase().starts_with("error"), "{}", run.describe());
    }
}

#[test]
fn an_invalid_module_is_an_error_not_a_panic() {
    let scratch = Scratch::new("invalid");
    let garbage = scratch.root.join("garbage.wasm");
    fs::write(&garbage, b"\0asm\x01\0\0\0\x01\xff\xff").unwrap();
    let bad_text = scratch.root.join("bad.wat");
    fs::write(&bad_text, "(module (func (result i32) (i64.const 0)))").unwrap();
    let not_wasm = scratch.root.join("notes.txt");
    fs::write(&not_wasm, "hello\n").unwrap();
    for file in [&garbage, &bad_text, &not_wasm] {
        let run = mote(["run", path_str(file)]).run();
        run.assert_status(1).assert_stdout("");
        assert!(run.stderr.starts_with("Error: "), "{}", run.describe());
    }
}

#[test]
fn a_module_with_unknown_imports_fails_to_link() {
    let scratch = Scratch::new("imports");
    let file = scratch.root.join("imports.wat");
    fs::write(
        &file,
        "(module (import \"env\" \"missing\" (func)) (func (export \"_start\")))",
    )
    .unwrap();
    let run = mote(["run", path_str(&file)]).run();
    run.assert_status(1).assert_stdout("").assert_stderr_has("missing");
}

// ---------------------------------------------------------------------------
// Ahead-of-time artifacts

#[cfg(feature = "jit")]
#[test]
fn compiled_artifacts_run_and_bad_ones_are_refused() {
    let scratch = Scratch::new("aot");
    let aot = scratch.root.join("hello.aot");
    let hello = program("hello");
    mote(["compile", path_str(&hello), "-o", path_str(&aot)])
        .run()
        .assert_status(0);
    mote(["run", path_str(&aot)]).run().assert_expected("hello");
    let good = fs::read(&aot).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("truncated", good[..good.len() / 2].to_vec(), "corrupted"),
        (
            "corrupted",
            {
                let mut bad = good.clone();
                let i = bad.len() - 100;
                bad[i] ^= 1;
                bad
            },
            "corrupted",
        ),
        (
            "version",
            {
                let mut bad = good.clone();
                bad[8] = 0xee;
                bad
            },
            "version",
        ),
    ];
    for (name, bytes, part) in cases {
        let path = scratch.root.join(format!("{name}.aot"));
        fs::write(&path, bytes).unwrap();
        mote(["run", path_str(&path)])
            .run()
            .assert_status(1)
            .assert_stderr_has(part);
    }
    // Fuel metering is a compiler setting: the artifact must have it.
    mote(["run", "--fuel", "1000000", path_str(&aot)])
        .run()
        .assert_status(1)
        .assert_stderr_has("consume_fuel");
}

#[cfg(feature = "jit")]
#[test]
fn artifacts_for_a_named_triple_run_on_it_and_are_refused_elsewhere() {
    let scratch = Scratch::new("cross");
    let hello = program("hello");
    let (foreign, host) = if cfg!(target_arch = "aarch64") {
        ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    } else {
        ("aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu")
    };
    let there = scratch.root.join("foreign.aot");
    mote(["compile", path_str(&hello), "-o", path_str(&there), "--target", foreign])
        .run()
        .assert_status(0);
    mote(["run", path_str(&there)])
        .run()
        .assert_status(1)
        .assert_stderr_has(foreign)
        .assert_stderr_has(host);
    if cfg!(target_os = "linux") {
        let here = scratch.root.join("host.aot");
        mote(["compile", path_str(&hello), "-o", path_str(&here), "--target", host])
            .run()
            .assert_status(0);
        mote(["run", path_str(&here)]).run().assert_expected("hello");
    }
    mote([
        "compile",
        path_str(&hello),
        "-o",
        path_str(&there),
        "--target",
        "no-such-triple",
    ])
    .run()
    .assert_one_line_error(2, "no-such-triple");
}

/// A `mote` built without the compiler says which feature a command needs.
#[cfg(not(feature = "jit"))]
#[test]
fn without_the_jit_feature_compiling_commands_name_it() {
    let scratch = Scratch::new("nojit");
    let hello = program("hello");
    let out = scratch.root.join("hello.aot");
    mote(["compile", path_str(&hello), "-o", path_str(&out)])
        .run()
        .assert_one_line_error(2, "`jit` feature");
    mote(["run", "--mode", "jit", path_str(&hello)])
        .run()
        .assert_one_line_error(2, "`jit` feature");
    mote(["wast", "--mode", "aot", path_str(&hello)])
        .run()
        .assert_one_line_error(2, "`jit` feature");
    mote(["run", path_str(&hello)]).run().assert_expected("hello");
}

/// An interpreter-only `mote` recognizes an artifact and says what it lacks.
#[cfg(not(feature = "aot"))]
#[test]
fn without_the_aot_feature_artifacts_name_it() {
    let scratch = Scratch::new("noaot");
    let path = scratch.root.join("app.aot");
    fs::write(&path, b"MOTEAOT\0\x02\0\0\0").unwrap();
    mote(["run", path_str(&path)])
        .run()
        .assert_one_line_error(2, "`aot` feature");
}
