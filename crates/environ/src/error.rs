//! Typed compile errors that say where the problem is.

use alloc::string::String;
use core::fmt;

/// Why a module could not be compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// The bytes are not a well-formed WebAssembly binary (or the text did not parse).
    Malformed,
    /// The module is well formed but fails validation.
    Invalid,
    /// The module is valid but exceeds a limit of this implementation.
    Unsupported,
}

/// A decode, validation or translation error, with the byte offset in the
/// module and, for errors inside a function body, the function's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What kind of failure this is.
    pub kind: CompileErrorKind,
    /// Human-readable description (from `wasmparser` or the translator).
    pub message: String,
    /// Byte offset into the module binary.
    pub offset: u64,
    /// Index of the function whose body is at fault, if any.
    pub func_index: Option<u32>,
}

impl CompileError {
    /// Wraps a `wasmparser` error, which carries its own offset.
    pub fn from_wasmparser(err: wasmparser::BinaryReaderError, func_index: Option<u32>) -> Self {
        // wasmparser does not tell malformed from invalid; its messages for
        // binary-format problems are the ones the spec calls "malformed".
        let message = String::from(err.message());
        let kind = if is_malformed_message(&message) {
            CompileErrorKind::Malformed
        } else {
            CompileErrorKind::Invalid
        };
        CompileError {
            kind,
            message,
            offset: err.offset(),
            func_index,
        }
    }

    /// A limit of this implementation was exceeded.
    pub fn unsupported(message: impl Into<String>, offset: u64, func_index: Option<u32>) -> Self {
        CompileError {
            kind: CompileErrorKind::Unsupported,
            message: message.into(),
            offset,
            func_index,
        }
    }
}

fn is_malformed_message(msg: &str) -> bool {
    const MARKERS: &[&str] = &[
        "unexpected end",
        "malformed",
        "magic header",
        "unknown binary version",
        "integer representation too long",
        "integer too large",
        "invalid",
        "section size mismatch",
        "out of bounds",
        "too many",
        "illegal opcode",
        "unexpected content",
        "zero byte expected",
        "END opcode expected",
        "length out of bounds",
        "UTF-8",
    ];
    MARKERS.iter().any(|m| msg.contains(m))
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.func_index {
            Some(func) => write!(
                f,
                "{} (at offset 0x{:x}, in function {})",
                self.message, self.offset, func
            ),
            None => write!(f, "{} (at offset 0x{:x})", self.message, self.offset),
        }
    }
}

impl core::error::Error for CompileError {}
