//! Errors of the embedding API (as opposed to the `errno` codes a guest
//! sees): they reach the embedder wrapped in a [`mote::Error`].

use std::io;
use std::path::PathBuf;

/// A failure to set up or run WASI, outside the guest's control.
#[derive(Debug, thiserror::Error)]
pub enum WasiError {
    /// A directory to preopen could not be opened on the host.
    #[error("cannot open directory `{path}` to preopen it: {source}")]
    PreopenDir {
        /// The host path.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// A WASI function was called by a module that exports no memory named
    /// `memory`, where the function needs one.
    #[error("a WASI function needs the calling module to export its memory as `memory`")]
    MissingMemory,
}

impl From<WasiError> for mote::Error {
    fn from(e: WasiError) -> mote::Error {
        mote::Error::host(e)
    }
}
