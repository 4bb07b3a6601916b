//! The C boundary's helpers: stopping panics before they reach C, and
//! reading what C hands over (strings, arrays) or writing where it asks
//! (error buffers, out-parameters).
//!
//! The `unsafe fn`s here take pointers that C promises are valid for what
//! the API documents (a NUL-terminated string, `len` elements); NULL is
//! always checked, since the API accepts it everywhere.

use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `body`, returning `fail` if it panics: unwinding into C is not
/// allowed, and no API function may take the host down. The panic message
/// still reaches standard error through the panic hook.
pub(crate) fn guard<R>(fail: R, body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fail)
}

/// The bytes of a NUL-terminated C string, without the NUL; `None` for
/// NULL.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn c_bytes<'a>(ptr: *const c_char) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-null, and NUL-terminated by the caller's contract.
    Some(unsafe { CStr::from_ptr(ptr) }.to_bytes())
}

/// A C string as UTF-8; `None` for NULL or invalid UTF-8 (wasm names are
/// UTF-8, so nothing valid is lost).
///
/// # Safety
/// As [`c_bytes`].
pub(crate) unsafe fn c_str<'a>(ptr: *const c_char) -> Option<&'a str> {
    // SAFETY: forwarded contract.
    std::str::from_utf8(unsafe { c_bytes(ptr) }?).ok()
}

/// `count` C strings from an array, lossily decoded; `None` if the array
/// or one of its strings is NULL (an empty list may be NULL).
///
/// # Safety
/// `array` is NULL or holds `count` pointers, each NULL or a C string.
pub(crate) unsafe fn c_str_list(array: *const *const c_char, count: usize) -> Option<Vec<String>> {
    // SAFETY: forwarded contract.
    let pointers = unsafe { slice(array, count) }?;
    pointers
        .iter()
        // SAFETY: each entry is NULL or a C string, per the contract.
        .map(|&p| unsafe { c_bytes(p) }.map(|b| String::from_utf8_lossy(b).into_owned()))
        .collect()
}

/// A C array as a slice; `None` for NULL unless `len` is 0.
///
/// # Safety
/// `ptr` is NULL or valid for reading `len` elements during `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> Option<&'a [T]> {
    if len == 0 {
        return Some(&[]);
    }
    // SAFETY: non-null and valid for `len` reads by the contract.
    (!ptr.is_null()).then(|| unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A C array as a mutable slice; `None` for NULL unless `len` is 0.
///
/// # Safety
/// `ptr` is NULL or valid for reading and writing `len` elements during
/// `'a`, and nothing else accesses them meanwhile.
pub(crate) unsafe fn slice_mut<'a, T>(ptr: *mut T, len: usize) -> Option<&'a mut [T]> {
    if len == 0 {
        return Some(&mut []);
    }
    // SAFETY: non-null and exclusively valid for `len` elements by the contract.
    (!ptr.is_null()).then(|| unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Stores `value` through an out-parameter unless it is NULL.
///
/// # Safety
/// `ptr` is NULL or valid for writing a `T`.
pub(crate) unsafe fn write_out<T>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        // SAFETY: non-null and writable by the contract.
        unsafe { ptr.write(value) };
    }
}

/// Copies `message` into a caller's error buffer, truncated to fit and
/// always NUL-terminated; nothing for a NULL or empty buffer.
///
/// # Safety
/// `buf` is NULL or valid for writing `size` bytes.
pub(crate) unsafe fn write_error(buf: *mut c_char, size: u32, message: &str) {
    // SAFETY: forwarded contract.
    let Some(out) = (unsafe { slice_mut(buf.cast::<u8>(), size as usize) }) else {
        return;
    };
    let Some(room) = out.len().checked_sub(1) else {
        return;
    };
    let mut len = message.len().min(room);
    while !message.is_char_boundary(len) {
        len -= 1;
    }
    out[..len].copy_from_slice(&message.as_bytes()[..len]);
    out[len] = 0;
}
