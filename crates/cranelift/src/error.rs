//! The compiler's typed errors.

use thiserror::Error;

/// Why a module or target could not be compiled.
#[derive(Debug, Error)]
pub enum Error {
    /// An operator or type this compiler does not handle yet.
    #[error("function {func}, offset {offset:#x}: {what} is not supported by the Cranelift back end")]
    Unsupported {
        /// Function index (imports first).
        func: u32,
        /// Byte offset in the module.
        offset: usize,
        /// What was found.
        what: String,
    },
    /// A function body that does not decode or is not valid.
    #[error("function {func}, offset {offset:#x}: invalid body: {message}")]
    InvalidBody {
        /// Function index (imports first).
        func: u32,
        /// Byte offset in the module.
        offset: usize,
        /// What was wrong.
        message: String,
    },
    /// The target triple is unknown or Cranelift cannot build for it.
    #[error("target `{triple}`: {message}")]
    Target {
        /// The triple asked for.
        triple: String,
        /// What went wrong.
        message: String,
    },
    /// Cranelift rejected a function.
    #[error("function {func}: code generation failed: {message}")]
    Codegen {
        /// Function index, or `u32::MAX` for a trampoline.
        func: u32,
        /// Cranelift's message.
        message: String,
    },
    /// A relocation that the blob linker cannot resolve.
    #[error("relocation {kind} at {offset:#x} cannot be resolved: {message}")]
    Relocation {
        /// Cranelift's relocation kind.
        kind: String,
        /// Offset in the code blob.
        offset: usize,
        /// Why.
        message: String,
    },
    /// Mapping code executable failed.
    #[error("cannot map code: {0}")]
    CodeMemory(#[from] std::io::Error),
}

#[cfg(feature = "compiler")]
impl Error {
    /// An [`Error::Unsupported`] for `what`.
    pub(crate) fn unsupported(func: u32, offset: usize, what: impl Into<String>) -> Error {
        Error::Unsupported {
            func,
            offset,
            what: what.into(),
        }
    }
}
