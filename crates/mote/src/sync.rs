//! A mutex that works with and without `std`.
//!
//! With `std` it is `std::sync::Mutex`; without, a spin lock, which is
//! enough for the engine-wide type registry (held for microseconds while a
//! module registers its types) on single-core devices.

#[cfg(feature = "std")]
mod imp {
    /// Mutual exclusion for engine-wide state.
    #[derive(Debug, Default)]
    pub struct Mutex<T>(std::sync::Mutex<T>);

    impl<T> Mutex<T> {
        /// Runs `f` with the lock held.
        pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            let mut guard = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        }
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use core::cell::UnsafeCell;
    use core::sync::atomic::{AtomicBool, Ordering};

    /// Mutual exclusion for engine-wide state.
    #[derive(Debug, Default)]
    pub struct Mutex<T> {
        locked: AtomicBool,
        value: UnsafeCell<T>,
    }

    // SAFETY: access to `value` is serialized by `locked`.
    unsafe impl<T: Send> Sync for Mutex<T> {}

    impl<T> Mutex<T> {
        /// Runs `f` with the lock held.
        pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            while self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
            {
                core::hint::spin_loop();
            }
            // SAFETY: the flag was acquired above, so no other reference exists.
            let result = f(unsafe { &mut *self.value.get() });
            self.locked.store(false, Ordering::Release);
            result
        }
    }
}

pub use imp::Mutex;

#[cfg(feature = "std")]
pub use std::sync::OnceLock;

#[cfg(not(feature = "std"))]
pub use once::OnceLock;

#[cfg(not(feature = "std"))]
mod once {
    use core::cell::UnsafeCell;
    use core::mem::MaybeUninit;
    use core::sync::atomic::{AtomicU8, Ordering};

    const EMPTY: u8 = 0;
    const BUSY: u8 = 1;
    const READY: u8 = 2;

    /// A cell written once, by the first thread to get there; others spin.
    pub struct OnceLock<T> {
        state: AtomicU8,
        value: UnsafeCell<MaybeUninit<T>>,
    }

    // SAFETY: the value is written once under the BUSY state and only read
    // after READY is published with release/acquire ordering.
    unsafe impl<T: Send + Sync> Sync for OnceLock<T> {}
    // SAFETY: moving the cell moves the value with it.
    unsafe impl<T: Send> Send for OnceLock<T> {}

    impl<T> Default for OnceLock<T> {
        fn default() -> Self {
            Self::new()
        }
    }

    impl<T> OnceLock<T> {
        /// An empty cell.
        pub const fn new() -> Self {
            OnceLock {
                state: AtomicU8::new(EMPTY),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            }
        }

        /// The value, if set.
        pub fn get(&self) -> Option<&T> {
            if self.state.load(Ordering::Acquire) == READY {
                // SAFETY: READY means the value was initialized and is never written again.
                Some(unsafe { (*self.value.get()).assume_init_ref() })
            } else {
                None
            }
        }

        /// Sets the value unless it is set.
        pub fn set(&self, value: T) -> Result<(), T> {
            if self
                .state
                .compare_exchange(EMPTY, BUSY, Ordering::Acquire, Ordering::Acquire)
                .is_err()
            {
                return Err(value);
            }
            // SAFETY: BUSY gives this thread exclusive access.
            unsafe { (*self.value.get()).write(value) };
            self.state.store(READY, Ordering::Release);
            Ok(())
        }

        /// The value, computing it with `f` if it is not set yet.
        pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
            let mut f = Some(f);
            loop {
                if let Some(v) = self.get() {
                    return v;
                }
                if self
                    .state
                    .compare_exchange(EMPTY, BUSY, Ordering::Acquire, Ordering::Acquire)
                    .is_ok()
                {
                    let init = f.take().expect("initializer runs once");
                    // SAFETY: BUSY gives this thread exclusive access.
                    unsafe { (*self.value.get()).write(init()) };
                    self.state.store(READY, Ordering::Release);
                } else {
                    core::hint::spin_loop();
                }
            }
        }
    }

    impl<T> Drop for OnceLock<T> {
        fn drop(&mut self) {
            if *self.state.get_mut() == READY {
                // SAFETY: READY means initialized; we have exclusive access.
                unsafe { self.value.get_mut().assume_init_drop() };
            }
        }
    }
}
