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
