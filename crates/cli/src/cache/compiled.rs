//! The compile cache of `mote run --mode jit`: machine code of a module
//! compiled once is kept as an AOT artifact under the user's cache
//! directory and mapped on the next run instead of compiled again, as
//! wasmtime's cache does.
//!
//! An entry's name also carries this `mote` executable's identity (see
//! [`build_identity`]). CPU features and compiler flags are not in it: the
//! artifact's own header check (`Module::deserialize`) refuses an entry
//! compiled with other settings, as it refuses a truncated or corrupted
//! one, and the module is then compiled and its entry rewritten.
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
use std::time::UNIX_EPOCH;

use mote::{Engine, Module};

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
    let entry = entry_path(dir, &binary, options);
    if let Ok(cached) = std::fs::read(&entry) {
        // SAFETY: the entry is the user's own file, written by this cache
        // (see the module comment); `deserialize` checks its header,
        // checksum, module hash and settings before mapping any code.
        if let Ok(module) = unsafe { Module::deserialize(engine, &cached) }
            && module.binary() == &*binary
        {
            super::mark_used(&entry);
            return Ok(module);
        }
    }
    let module = Module::new(engine, &*binary)?;
    if let Ok(artifact) = module.serialize() {
        super::store(dir, &entry, &artifact);
    }
    Ok(module)
}

/// Where the entry of module `binary` compiled with `options` is.
fn entry_path(dir: &Path, binary: &[u8], options: &str) -> PathBuf {
    let options = format!("{options} build={}", build_identity());
    dir.join(super::entry_name(binary, &options, "aot"))
}

/// This `mote` executable's size and modification time. The artifact's
/// header names the runtime's version and settings, which a rebuilt `mote`
/// of the same version (a checkout with compiler changes, say) shares with
/// the build before it while its code may assume other layouts of the
/// runtime's structures: it must not take that build's entries. Empty when
/// the executable cannot be found; entries are then told apart by version.
fn build_identity() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|meta| {
            let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
            format!("{}@{}", meta.len(), modified.map_or(0, |d| d.as_nanos()))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        std::fs::rename(entry_path(&dir, &other, "o"), entry_path(&dir, &trusted, "o")).unwrap();
        let loaded = load_or_compile(&engine, &trusted, &dir, "o").unwrap();
        assert_eq!(loaded.binary(), &trusted[..]);
        let mut store = mote::Store::new(&engine, ());
        let instance = mote::Linker::new(&engine).instantiate(&mut store, &loaded).unwrap();
        let v = instance.get_typed_func::<(), i32>(&store, "v").unwrap();
        assert_eq!(v.call(&mut store, ()).unwrap(), 1);
        // The entry now holds the trusted module's own code.
        let cached = std::fs::read(entry_path(&dir, &trusted, "o")).unwrap();
        // SAFETY: written by this test's cache just above.
        let reloaded = unsafe { Module::deserialize(&engine, &cached) }.unwrap();
        assert_eq!(reloaded.binary(), &trusted[..]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
