//! Validation markers. By default `mote run` validates every function body
//! of a module before running it, which for a large module is most of its
//! start: about 10 ms of CPU for the 1.1 MB SQLite module, against 6 ms for
//! everything else up to its first instruction. A module that passed gets
//! an empty marker entry; on later runs, a module with a marker loads in
//! `lazy-validation` mode, which still validates each body, when its
//! function is first called and before translating it.
//!
//! A wrong hit (a digest collision, a stale or hand-made marker) therefore
//! never runs an invalid body: it moves a validation error from loading to
//! the first call of the invalid function, as `--compilation
//! lazy-validation` does. The module's sections (types, imports, exports,
//! segments) are validated on every run.

use std::path::PathBuf;

/// Modules smaller than this get no marker: validating them costs less
/// than looking one up, and the cache would fill with entries that save
/// nothing (the benchmark programs are about 30 KB and validate in 0.3 ms).
pub const WORTH_CACHING: usize = 64 * 1024;

/// The marker of one module in the cache.
pub struct Marker {
    dir: PathBuf,
    path: PathBuf,
}

impl Marker {
    /// The marker for module `bytes` (binary or text) in `dir`, or `None`
    /// if the module is too small to be worth one.
    pub fn of(dir: PathBuf, bytes: &[u8]) -> Option<Marker> {
        (bytes.len() >= WORTH_CACHING).then(|| Marker {
            path: dir.join(super::entry_name(bytes, "validated", "valid")),
            dir,
        })
    }

    /// Whether the module passed validation in an earlier run (the marker
    /// is then marked used).
    pub fn exists(&self) -> bool {
        let found = self.path.is_file();
        if found {
            super::mark_used(&self.path);
        }
        found
    }

    /// Records that the module passed validation; failures are ignored.
    pub fn record(&self) {
        super::store(&self.dir, &self.path, b"");
    }
}
