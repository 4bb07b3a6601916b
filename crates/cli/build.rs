//! Link layout of the `mote` binary, for a small resident set (issue 5).
//!
//! A hello-world WASI program touches ~600 KB of the binary's 3 MB of code, but
//! spread over the whole `.text`; the kernel maps 64 KB around every page fault
//! in a file mapping, so scattered code costs resident memory far beyond the
//! code that runs. Three linker measures (hello: 4.7 MB peak RSS -> 1.9 MB):
//!
//! * A static-pie link against the C library's archives (3.05 MB -> 2.4 MB,
//!   and no dynamic loading at start-up). A dynamically linked `mote` maps
//!   ld.so, libc.so and libgcc_s.so, and the fault-around windows over libc's
//!   scattered functions alone cost ~1.3 MB; linked statically, only the libc
//!   functions `mote` calls are in the binary, and the executable keeps its
//!   address randomisation (static *pie*). Cargo has no per-binary
//!   `-C target-feature=+crt-static` (as a RUSTFLAG it would also apply to
//!   proc-macros, which cannot be static), so the bin's link is redirected
//!   instead: `static-libc/` in `OUT_DIR` holds a `libc.so` (and `libm.so`,
//!   `libgcc_s.so`, ...) that is a linker script naming the static archive, and
//!   `-static-pie` picks the self-relocating start files. Where an archive or
//!   `rcrt1.o` is missing, the bin stays dynamically linked.
//! * `--symbol-ordering-file=link-order.txt` (2.4 MB -> 1.9 MB): the functions
//!   that `mote run tests/wasi/wasm/hello.wasm` and `mote --version` execute
//!   (every function in callgrind's profile of those runs: ours, the standard
//!   library's and the C library's) are laid out first, together. Names the
//!   binary does not have are ignored, so a stale list costs memory (up to 64 KB
//!   per new function on that path), never correctness. Our names are stable
//!   across edits because `.cargo/config.toml` selects v0 symbol mangling (no
//!   per-item hash) and the workspace crates on that path build with one codegen
//!   unit (no `.llvm.NNN` suffixes on promoted local functions); the standard
//!   library's legacy-mangled names change with the toolchain.
//! * `-z pack-relative-relocs` (DT_RELR): 190 KB of relocation records, all
//!   read at start-up, shrink to 2 KB. Needs glibc 2.36.
//!
//! All apply only where the link uses lld (x86_64-unknown-linux-gnu with Rust
//! 1.90 or later, which links with the bundled rust-lld) and not when
//! cross-compiling; elsewhere this script does nothing. `MOTE_LINK_LAYOUT=0`
//! turns all of them off, `MOTE_STATIC_LIBC=0` only the static link.
//!
//! Regenerate the list after changes to the start-up path or to the cargo
//! features of a crate on it (v0 names carry a crate disambiguator derived
//! from the crate's features, so a feature change renames all its
//! functions). It covers `mote run` of a module and of an AOT artifact, in
//! the full build and in the AOT-only one (`--no-default-features
//! --features aot`, whose crates have other disambiguators); the artifact
//! is compiled under valgrind, whose CPU lacks features the host may have
//! (an artifact compiled outside would be refused there). Needs valgrind:
//!
//! ```sh
//! cargo build --release && cp target/release/mote /tmp/mote-full
//! cargo build --release --no-default-features --features aot && cp target/release/mote /tmp/mote-aot
//! valgrind -q /tmp/mote-full compile tests/wasi/wasm/hello.wasm -o /tmp/hello.aot 2>/dev/null
//! for b in full aot; do
//!     for run in "run tests/wasi/wasm/hello.wasm" "run /tmp/hello.aot" "--version"; do
//!         valgrind --tool=callgrind --demangle=no --callgrind-out-file=/tmp/cg.$b.${run%% *}.$RANDOM.out \
//!             /tmp/mote-$b $run >/dev/null
//!     done
//! done
//! grep -hoE '^c?fn=.*$' /tmp/cg.*.out | sed -E 's/^c?fn=//; s/^\([0-9]+\) ?//' \
//!     | sed -E "s/'[0-9]+$//; s/@@?GLIBC.*$//" | grep -vE '^$|^0x|\(below main\)' \
//!     | sort -u > crates/cli/link-order.txt
//! ```

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=link-order.txt");
    println!("cargo:rerun-if-env-changed=MOTE_LINK_LAYOUT");
    println!("cargo:rerun-if-env-changed=MOTE_STATIC_LIBC");
    if env::var("MOTE_LINK_LAYOUT").is_ok_and(|v| v == "0") || !links_with_lld() {
        return;
    }
    let order = format!("{}/link-order.txt", env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={order}");
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    if glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    if env::var("MOTE_STATIC_LIBC").is_ok_and(|v| v == "0") {
        return;
    }
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    if let Some(dir) = static_libc_dir(&out_dir) {
        // `-L` as a link argument of the bins only: the crate's tests keep the
        // dynamic C library (a static libc in a dynamically linked executable
        // would not start).
        println!("cargo:rustc-link-arg-bins=-L{}", dir.display());
        println!("cargo:rustc-link-arg-bins=-static-pie");
    }
}

/// The C runtime libraries that rustc links a GNU/Linux executable with, as
/// `-l` name and the static archive that stands in for it (`gcc_s`, the
/// shared unwinder, has `gcc_eh` as its static counterpart).
const STATIC_STAND_INS: [(&str, &str); 7] = [
    ("c", "libc.a"),
    ("m", "libm.a"),
    ("pthread", "libpthread.a"),
    ("dl", "libdl.a"),
    ("rt", "librt.a"),
    ("util", "libutil.a"),
    ("gcc_s", "libgcc_eh.a"),
];

/// Writes `OUT_DIR/static-libc/lib<name>.so` linker scripts that make every
/// `-l<name>` of the link resolve to the static archive, or returns `None`
/// (dynamic link) when the toolchain lacks an archive or static-pie start
/// files.
fn static_libc_dir(out_dir: &Path) -> Option<PathBuf> {
    toolchain_file("rcrt1.o")?;
    let dir = out_dir.join("static-libc");
    fs::create_dir_all(&dir).ok()?;
    for (name, archive) in STATIC_STAND_INS {
        let path = toolchain_file(archive)?;
        let script = format!("INPUT(\"{}\")\n", path.display());
        fs::write(dir.join(format!("lib{name}.so")), script).ok()?;
    }
    Some(dir)
}

/// The path of a file in the C toolchain's library directories, as the
/// compiler driver that rustc links with finds it.
fn toolchain_file(name: &str) -> Option<PathBuf> {
    let out = Command::new("cc")
        .arg(format!("-print-file-name={name}"))
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    // An unknown name is echoed back unchanged, not as an absolute path.
    (path.is_absolute() && path.is_file()).then_some(path)
}

/// Whether the bin links with rustc's default lld: a native x86_64 GNU/Linux
/// build with Rust 1.90 or later and no linker chosen through RUSTFLAGS.
fn links_with_lld() -> bool {
    let target = env::var("TARGET").unwrap_or_default();
    if target != "x86_64-unknown-linux-gnu" || env::var("HOST").ok().as_ref() != Some(&target) {
        return false;
    }
    let rustflags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if rustflags.contains("link") {
        // -C linker=, linker-flavor=, link-self-contained=, -Z linker-features...
        return false;
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc).arg("--version").output();
    let Ok(version) = version else { return false };
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let minor = version.split_whitespace().nth(1).and_then(|v| v.split('.').nth(1));
    minor.and_then(|m| m.parse::<u32>().ok()).is_some_and(|m| m >= 90)
}

/// The C library that the bin links against (the host's, as this is a native
/// build) is glibc `major.minor` or later.
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    found >= (major, minor)
}
