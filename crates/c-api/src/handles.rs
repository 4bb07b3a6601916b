//! The registry of live handles: every pointer handed to C, with its kind.
//!
//! A handle is a `Box` turned into a raw pointer. Before an entry point
//! uses one, it asks the registry whether that pointer is live and of the
//! expected kind; so NULL, a handle already freed, or a module passed where
//! an instance is expected all fail cleanly. (What the registry cannot
//! catch is freeing a handle on one thread while another uses it, which
//! WAMR's contract forbids as well.)

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// What a handle points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Module,
    Instance,
    ExecEnv,
    Function,
    Memory,
    ExternType,
}

/// A type whose boxes are handed to C.
pub(crate) trait Handle {
    /// The registry tag of this type.
    const KIND: Kind;
}

static LIVE: LazyLock<RwLock<HashMap<usize, Kind>>> = LazyLock::new(RwLock::default);

fn live() -> std::sync::RwLockReadGuard<'static, HashMap<usize, Kind>> {
    LIVE.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn live_mut() -> std::sync::RwLockWriteGuard<'static, HashMap<usize, Kind>> {
    LIVE.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Hands `value` to C: boxes it and registers the pointer.
pub(crate) fn register<T: Handle>(value: T) -> *mut T {
    let ptr = Box::into_raw(Box::new(value));
    live_mut().insert(ptr as usize, T::KIND);
    ptr
}

/// The value behind a live handle of type `T`, or `None`.
///
/// The reference is valid until the handle is released; entry points use
/// it only for the duration of one call, and releasing a handle another
/// thread is using is a contract violation of the C API.
pub(crate) fn get<'a, T: Handle>(ptr: *const T) -> Option<&'a T> {
    if live().get(&(ptr as usize)) != Some(&T::KIND) {
        return None;
    }
    // SAFETY: the registry holds exactly the pointers made by `register`
    // from a `Box<T>` of this kind and not yet released, so `ptr` points to
    // a live, properly aligned `T`.
    Some(unsafe { &*ptr })
}

/// Takes a handle back from C: unregisters it and returns its box, or
/// `None` if it is not a live handle of type `T`.
pub(crate) fn release<T: Handle>(ptr: *mut T) -> Option<Box<T>> {
    let mut live = live_mut();
    if live.get(&(ptr as usize)) != Some(&T::KIND) {
        return None;
    }
    live.remove(&(ptr as usize));
    // SAFETY: as in `get`; it was just unregistered under the lock, so no
    // other `release` can free it again.
    Some(unsafe { Box::from_raw(ptr) })
}
