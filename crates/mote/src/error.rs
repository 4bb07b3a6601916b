//! Errors: compile errors, link errors, traps and host errors.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use mote_core::TrapCode;
use mote_environ::CompileError;

/// Any failure of the Mote API.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug)]
pub enum ErrorKind {
    /// The module failed to decode, validate or translate.
    Compile(CompileError),
    /// An import could not be resolved or had the wrong type.
    Link(String),
    /// WebAssembly execution trapped.
    Trap(Trap),
    /// A host function failed, or any other error with a message.
    Message(String),
    /// A host error value.
    Host(Box<dyn core::error::Error + Send + Sync>),
    /// A WASI program asked to exit with this status.
    Exit(i32),
}

impl Error {
    /// An error with a message, e.g. from a host function.
    pub fn msg(message: impl fmt::Display) -> Error {
        Error {
            kind: ErrorKind::Message(message.to_string()),
        }
    }

    /// Wraps a host error value.
    pub fn host(error: impl core::error::Error + Send + Sync + 'static) -> Error {
        Error {
            kind: ErrorKind::Host(Box::new(error)),
        }
    }

    /// An exit request (WASI `proc_exit`), unwinding all wasm frames.
    pub fn exit(status: i32) -> Error {
        Error {
            kind: ErrorKind::Exit(status),
        }
    }

    pub(crate) fn link(message: impl fmt::Display) -> Error {
        Error {
            kind: ErrorKind::Link(message.to_string()),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The compile error, if this error is one.
    pub fn as_compile_error(&self) -> Option<&CompileError> {
        match &self.kind {
            ErrorKind::Compile(c) => Some(c),
            _ => None,
        }
    }

    /// The exit status, if this error is a WASI exit request.
    pub fn exit_status(&self) -> Option<i32> {
        match self.kind {
            ErrorKind::Exit(s) => Some(s),
            _ => None,
        }
    }

    /// The trap code, if this error is a trap with one.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().and_then(Trap::code)
    }
}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error {
            kind: ErrorKind::Compile(e),
        }
    }
}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error {
            kind: ErrorKind::Trap(t),
        }
    }
}

impl From<TrapCode> for Error {
    fn from(code: TrapCode) -> Self {
        Trap::new(code).into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Compile(e) => write!(f, "{e}"),
            ErrorKind::Link(m) | ErrorKind::Message(m) => f.write_str(m),
            ErrorKind::Trap(t) => write!(f, "{t}"),
            ErrorKind::Host(e) => write!(f, "{e}"),
            ErrorKind::Exit(s) => write!(f, "exit with status {s}"),
        }
    }
}

impl core::error::Error for Error {}

/// One frame of a wasm backtrace.
#[derive(Debug, Clone)]
pub struct FrameInfo {
    /// Function index in its module.
    pub func_index: u32,
    /// Function name from the module's `name` section.
    pub func_name: Option<String>,
    /// Module name from the `name` section.
    pub module_name: Option<String>,
}

/// A WebAssembly trap, with the wasm frames active when it happened
/// (innermost first).
#[derive(Debug, Clone)]
pub struct Trap {
    code: TrapCode,
    backtrace: Vec<FrameInfo>,
}

impl Trap {
    /// A trap without backtrace.
    pub fn new(code: TrapCode) -> Trap {
        Trap {
            code,
            backtrace: Vec::new(),
        }
    }

    pub(crate) fn with_backtrace(code: TrapCode, backtrace: Vec<FrameInfo>) -> Trap {
        Trap { code, backtrace }
    }

    /// Why execution trapped.
    pub fn code(&self) -> Option<TrapCode> {
        Some(self.code)
    }

    /// The wasm frames, innermost first.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code.message())?;
        if !self.backtrace.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for (i, frame) in self.backtrace.iter().enumerate() {
                write!(f, "\n  {i:>3}: ")?;
                if let Some(m) = &frame.module_name {
                    write!(f, "{m}!")?;
                }
                match &frame.func_name {
                    Some(name) => write!(f, "{name}")?,
                    None => write!(f, "<wasm function {}>", frame.func_index)?,
                }
            }
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}
