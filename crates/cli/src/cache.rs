//! What `mote run` keeps between runs, under the user's cache directory:
//! the machine code of modules compiled by `--mode jit` ([`compiled`]) and
//! the names of large modules that passed validation ([`validated`]).
//!
//! Where: `$MOTE_CACHE_DIR`, else `$XDG_CACHE_HOME/mote`, else
//! `~/.cache/mote`. Off with `--no-cache` or `MOTE_NO_CACHE=1`. It is kept
//! within 1 GiB and 10,000 entries, the least recently used going first
//! ([`trim`]).
//!
//! Entries are named by a [`digest`] of the module's bytes, the runtime's
//! version and the options that matter, so a changed module or option
//! never finds an old entry. The digest is not cryptographic: each kind of
//! entry says why a wrong hit (by accident or crafted) costs nothing but
//! time. Any failure to read or write the cache only costs what the entry
//! would have saved: it is never an error of the run.

#[cfg(feature = "jit")]
pub mod compiled;
mod digest;
mod trim;
pub mod validated;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The cache directory, or `None` if the cache is off or no home is known.
pub fn dir(disabled: bool) -> Option<PathBuf> {
    if disabled || std::env::var_os("MOTE_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    let non_empty = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    non_empty("MOTE_CACHE_DIR")
        .or_else(|| non_empty("XDG_CACHE_HOME").map(|d| d.join("mote")))
        .or_else(|| non_empty("HOME").map(|d| d.join(".cache").join("mote")))
}

/// `VERSION-DIGEST.EXTENSION`: the digest over `options` and `bytes`.
fn entry_name(bytes: &[u8], options: &str, extension: &str) -> String {
    format!(
        "{}-{:032x}.{extension}",
        env!("CARGO_PKG_VERSION"),
        digest::of(&[options.as_bytes(), &[0], bytes])
    )
}

/// Marks `entry` as just used, for the least-recently-used order in which
/// [`trim`] removes entries.
fn mark_used(entry: &Path) {
    if let Ok(file) = File::options().write(true).open(entry) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Writes `contents` as `entry` in `dir`, atomically (a temporary file
/// renamed into place, so concurrent runs never see half an entry), then
/// trims the cache to its limits; failures are ignored.
fn store(dir: &Path, entry: &Path, contents: &[u8]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = entry.with_extension(format!("tmp.{}.{nanos}", std::process::id()));
    if std::fs::write(&tmp, contents).is_ok() && std::fs::rename(&tmp, entry).is_ok() {
        trim::trim(dir, &trim::LIMITS);
        return;
    }
    let _ = std::fs::remove_file(&tmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differ_by_module_options_and_kind() {
        let a = entry_name(b"\0asm\x01\0\0\0", "fuel=false", "aot");
        assert_eq!(a, entry_name(b"\0asm\x01\0\0\0", "fuel=false", "aot"));
        assert_ne!(a, entry_name(b"\0asm\x01\0\0\0", "fuel=true", "aot"));
        assert_ne!(a, entry_name(b"\0asm\x01\0\0\x01", "fuel=false", "aot"));
        assert_ne!(a, entry_name(b"\0asm\x01\0\0\0", "fuel=false", "valid"));
        assert!(a.ends_with(".aot") && a.starts_with(env!("CARGO_PKG_VERSION")));
    }
}
