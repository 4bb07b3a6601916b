//! The compile cache of `mote run --mode jit`: machine code of a module
//! compiled once is kept as an AOT artifact under the user's cache
//! directory and mapped on the next run instead of compiled again, as
//! wasmtime's cache does.
//!
//! An entry's name is a 128-bit hash of the module's bytes plus the
//! runtime's version and the options that change the code (fuel, guard
//! pages), so a changed module or option never finds the old entry. CPU
//! features and compiler flags are not in the name: the artifact's own
//! header check (`Module::deserialize`) refuses an entry compiled with
//! other settings, as it refuses a truncated or corrupted one, and the
//! module is then compiled and its entry rewritten. Entries are written to
//! a temporary file and renamed into place, so concurrent runs never see a
//! half-written one. Any failure to read or write the cache only costs the
//! compile: it is never an error of the run.
//!
//! Where: `$MOTE_CACHE_DIR`, else `$XDG_CACHE_HOME/mote`, else
//! `~/.cache/mote`. Off with `--no-cache` or `MOTE_NO_CACHE=1`.
//!
//! The cache holds native code that is run as it is, so it is trusted as
//! the user's own files are: whoever can write to it can already run code
//! as the user. Entry names are not a cryptographic hash, so two modules
//! can share one (by accident or crafted: an untrusted module run once
//! could otherwise stand in for a trusted one run later, with its
//! privileges). An entry is therefore used only when the module embedded
//! in the artifact is byte for byte the module being run; any other is
//! compiled again and replaces it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use mote::{Engine, Module};

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

/// The module `bytes` compiled by `engine`: from the cache in `dir` when
/// an entry is there and accepted, otherwise compiled and then stored.
/// `options` names the settings that change the code.
///
/// # Errors
/// The module's own error (invalid, or not compilable).
pub fn load_or_compile(engine: &Engine, bytes: &[u8], dir: &Path, options: &str) -> Result<Module, mote::Error> {
    // The text format is keyed and compared as the binary it stands for;
    // text that does not parse goes to `Module::new` for its error.
    let binary = wat::parse_bytes(bytes).unwrap_or(Cow::Borrowed(bytes));
    let entry = dir.join(entry_name(&binary, options));
    if let Ok(cached) = std::fs::read(&entry) {
        // SAFETY: the entry is the user's own file, written by this cache
        // (see the module comment); `deserialize` checks its header,
        // checksum, module hash and settings before mapping any code.
        if let Ok(module) = unsafe { Module::deserialize(engine, &cached) }
            && module.binary() == &*binary
        {
            return Ok(module);
        }
    }
    let module = Module::new(engine, &*binary)?;
    if let Ok(artifact) = module.serialize() {
        store(dir, &entry, &artifact);
    }
    Ok(module)
}

/// Writes `artifact` as `entry`, atomically; failures are ignored.
fn store(dir: &Path, entry: &Path, artifact: &[u8]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = entry.with_extension(format!("tmp.{}.{nanos}", std::process::id()));
    if std::fs::write(&tmp, artifact).is_ok() && std::fs::rename(&tmp, entry).is_ok() {
        return;
    }
    let _ = std::fs::remove_file(&tmp);
}

/// `VERSION-HASH.aot`, the hash over the module and the options.
fn entry_name(bytes: &[u8], options: &str) -> String {
    let mut a = Fnv::new(0xcbf2_9ce4_8422_2325);
    let mut b = Fnv::new(0x6c62_272e_07bb_0142);
    for part in [options.as_bytes(), &[0], bytes] {
        a.write(part);
        b.write(part);
    }
    b.write(&(bytes.len() as u64).to_le_bytes());
    format!("{}-{:016x}{:016x}.aot", env!("CARGO_PKG_VERSION"), a.0, b.0)
}

/// FNV-1a, 64-bit, from a given start: two starts give the 128-bit name.
/// Not a cryptographic hash: it spreads modules over names, and a hit is
/// confirmed by comparing the module itself (see the module comment).
struct Fnv(u64);

impl Fnv {
    fn new(basis: u64) -> Fnv {
        Fnv(basis)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differ_by_module_and_options() {
        let a = entry_name(b"\0asm\x01\0\0\0", "fuel=false");
        assert_eq!(a, entry_name(b"\0asm\x01\0\0\0", "fuel=false"));
        assert_ne!(a, entry_name(b"\0asm\x01\0\0\0", "fuel=true"));
        assert_ne!(a, entry_name(b"\0asm\x01\0\0\x01", "fuel=false"));
        assert!(a.ends_with(".aot") && a.starts_with(env!("CARGO_PKG_VERSION")));
    }

    /// An entry that another module's artifact occupies (as a crafted
    /// hash collision would arrange) is compiled over, never run.
    #[test]
    fn an_entry_holding_another_module_is_not_used() {
        let dir = std::env::temp_dir().join(format!("mote-cache-collision-{}", std::process::id()));
        let mut config = mote::Config::new();
        config.strategy(mote::Strategy::Jit);
        let engine = Engine::new(&config);
        let module =
            |v: i32| wat::parse_str(format!("(module (func (export \"v\") (result i32) i32.const {v}))")).unwrap();
        let (trusted, other) = (module(1), module(2));
        load_or_compile(&engine, &other, &dir, "o").unwrap();
        std::fs::rename(dir.join(entry_name(&other, "o")), dir.join(entry_name(&trusted, "o"))).unwrap();
        let loaded = load_or_compile(&engine, &trusted, &dir, "o").unwrap();
        assert_eq!(loaded.binary(), &trusted[..]);
        let mut store = mote::Store::new(&engine, ());
        let instance = mote::Linker::new(&engine).instantiate(&mut store, &loaded).unwrap();
        let v = instance.get_typed_func::<(), i32>(&store, "v").unwrap();
        assert_eq!(v.call(&mut store, ()).unwrap(), 1);
        // The entry now holds the trusted module's own code.
        let cached = std::fs::read(dir.join(entry_name(&trusted, "o"))).unwrap();
        // SAFETY: written by this test's cache just above.
        let reloaded = unsafe { Module::deserialize(&engine, &cached) }.unwrap();
        assert_eq!(reloaded.binary(), &trusted[..]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
