//! Link layout of the `mote` binary, for a small resident set (issue 5).
//!
//! A hello-world WASI program touches ~600 KB of the binary's 3 MB of code, but
//! spread over the whole `.text`; the kernel maps 64 KB around every page fault
//! in a file mapping, so scattered code cost ~2.2 MB of resident memory. Two
//! linker options fix most of it (hello: 4.7 MB peak RSS -> 2.9 MB):
//!
//! * `--symbol-ordering-file=link-order.txt`: the functions that `mote run
//!   tests/wasi/wasm/hello.wasm` and `mote --version` execute (every v0-mangled
//!   function and `main` in callgrind's profile of those runs) are laid out
//!   first, together. Names the binary does not have are ignored, so a stale
//!   list costs memory (up to 64 KB per new function on that path), never
//!   correctness. The names are stable across edits because
//!   `.cargo/config.toml` selects v0 symbol mangling (no per-item hash) and the
//!   workspace crates on that path build with one codegen unit (no `.llvm.NNN`
//!   suffixes on promoted local functions).
//! * `-z pack-relative-relocs` (DT_RELR): 190 KB of relocation records, all
//!   read by ld.so at start-up, shrink to 2 KB. Needs glibc 2.36.
//!
//! Both apply only where the link uses lld (x86_64-unknown-linux-gnu with Rust
//! 1.90 or later, which links with the bundled rust-lld) and not when
//! cross-compiling; elsewhere this script does nothing. `MOTE_LINK_LAYOUT=0`
//! turns it off.
//!
//! Regenerate the list after changes to the start-up path (needs valgrind):
//!
//! ```sh
//! cargo build --release
//! valgrind --tool=callgrind --demangle=no --compress-strings=no --callgrind-out-file=/tmp/cg.run.out \
//!     target/release/mote run tests/wasi/wasm/hello.wasm
//! valgrind --tool=callgrind --demangle=no --compress-strings=no --callgrind-out-file=/tmp/cg.version.out \
//!     target/release/mote --version
//! grep -hoE '^fn=(_R.*|main)$' /tmp/cg.*.out | cut -c4- | sed "s/'[0-9]*$//" | sort -u > crates/cli/link-order.txt
//! ```

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=link-order.txt");
    println!("cargo:rerun-if-env-changed=MOTE_LINK_LAYOUT");
    if env::var("MOTE_LINK_LAYOUT").is_ok_and(|v| v == "0") || !links_with_lld() {
        return;
    }
    let order = format!("{}/link-order.txt", env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={order}");
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    if glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
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
