//! Per-instance exceptions: `"Exception: ..."` strings, set by traps, by
//! natives (`wasm_runtime_set_exception`) and by failed checks, and kept
//! until cleared, as in WAMR.

use crate::ffi::{c_bytes, guard};
use crate::handles;
use crate::instance::ModuleInstance;
use std::ffi::c_char;
use std::sync::Mutex;

/// Longest exception text kept, NUL included; longer ones are truncated.
const EXCEPTION_LEN: usize = 256;

/// An instance's exception. The text lives in a fixed buffer, so the
/// pointer `wasm_runtime_get_exception` returns stays valid for the life of
/// the instance. A mutex lets `wasm_runtime_terminate` set it from another
/// thread.
pub(crate) struct Exception {
    state: Mutex<Text>,
}

struct Text {
    bytes: [u8; EXCEPTION_LEN],
    set: bool,
}

impl Exception {
    pub(crate) fn new() -> Exception {
        Exception {
            state: Mutex::new(Text {
                bytes: [0; EXCEPTION_LEN],
                set: false,
            }),
        }
    }

    fn text_lock(&self) -> std::sync::MutexGuard<'_, Text> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets the exception to `"Exception: " + message`.
    pub(crate) fn set(&self, message: &[u8]) {
        let mut text = self.text_lock();
        let full = [b"Exception: ".as_slice(), message].concat();
        let len = full.len().min(EXCEPTION_LEN - 1);
        text.bytes[..len].copy_from_slice(&full[..len]);
        text.bytes[len] = 0;
        text.set = true;
    }

    pub(crate) fn clear(&self) {
        self.text_lock().set = false;
    }

    /// The text, `"Exception: ..."`, if set.
    pub(crate) fn text(&self) -> Option<String> {
        let text = self.text_lock();
        let len = text.bytes.iter().position(|&b| b == 0).unwrap_or(EXCEPTION_LEN);
        text.set
            .then(|| String::from_utf8_lossy(&text.bytes[..len]).into_owned())
    }

    pub(crate) fn is_set(&self) -> bool {
        self.text_lock().set
    }

    /// The text as a C string, or NULL when there is no exception.
    fn as_ptr(&self) -> *const c_char {
        let text = self.text_lock();
        if text.set {
            text.bytes.as_ptr().cast()
        } else {
            std::ptr::null()
        }
    }
}

/// The one-line message for an error of a call: a trap's description
/// (without its backtrace), else the error's text.
pub(crate) fn message_of(error: &mote::Error) -> String {
    match error.trap_code() {
        Some(code) => code.message().to_string(),
        None => error.to_string().lines().next().unwrap_or_default().to_string(),
    }
}

/// `wasm_runtime_get_exception`: the current exception, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_exception(module_inst: *mut ModuleInstance) -> *const c_char {
    guard(std::ptr::null(), || {
        handles::get(module_inst).map_or(std::ptr::null(), |inst| inst.exception.as_ptr())
    })
}

/// `wasm_runtime_set_exception`: sets `"Exception: <exception>"`, or clears
/// the exception when `exception` is NULL.
///
/// # Safety
/// `exception` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_exception(module_inst: *mut ModuleInstance, exception: *const c_char) {
    guard((), || {
        let Some(inst) = handles::get(module_inst) else {
            return;
        };
        // SAFETY: a C string or NULL, per this function's contract.
        match unsafe { c_bytes(exception) } {
            Some(text) => inst.exception.set(text),
            None => inst.exception.clear(),
        }
    })
}

/// `wasm_runtime_clear_exception`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_clear_exception(module_inst: *mut ModuleInstance) {
    guard((), || {
        if let Some(inst) = handles::get(module_inst) {
            inst.exception.clear();
        }
    })
}

/// `wasm_runtime_terminate`: sets the exception `"terminated by user"`.
/// Running wasm code stops at its next native call or when it returns.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_terminate(module_inst: *mut ModuleInstance) {
    guard((), || {
        if let Some(inst) = handles::get(module_inst) {
            inst.exception.set(b"terminated by user");
        }
    })
}
