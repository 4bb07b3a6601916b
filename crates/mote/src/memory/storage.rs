//! Where a linear memory's bytes live.
//!
//! On 64-bit Unix with `std`: a reservation of the memory's whole possible
//! range (capped at 8 GiB for 32-bit memories: 4 GiB of index space plus
//! the largest offset) plus a guard region, mapped inaccessible and made
//! readable and writable page by page as the memory grows. The base never
//! moves. Elsewhere: a `Vec<u8>`, which may move when it grows; the
//! executor reloads the base after anything that can grow a memory.

use alloc::vec::Vec;

#[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
mod reserved;

pub(crate) enum Storage {
    Heap(Vec<u8>),
    #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
    Reserved(reserved::Reservation),
}

impl Storage {
    /// Storage of `initial` zeroed bytes that can grow to `max` bytes.
    pub(crate) fn new(initial: u64, max: u64) -> Option<Storage> {
        #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
        if let Some(r) = reserved::Reservation::new(initial, max) {
            return Some(Storage::Reserved(r));
        }
        let _ = max;
        let initial = usize::try_from(initial).ok()?;
        let mut v = Vec::new();
        v.try_reserve_exact(initial).ok()?;
        v.resize(initial, 0);
        Some(Storage::Heap(v))
    }

    /// Storage of `initial` zeroed bytes at the start of a reservation of
    /// `reservation` bytes, inaccessible beyond the length; `None` where
    /// memories cannot be reserved or the reservation fails.
    pub(crate) fn guarded(initial: u64, reservation: u64) -> Option<Storage> {
        #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
        return reserved::Reservation::with_span(initial, reservation).map(Storage::Reserved);
        #[cfg(not(all(feature = "std", unix, target_pointer_width = "64")))]
        {
            let _ = (initial, reservation);
            None
        }
    }

    pub(crate) fn len(&self) -> u64 {
        match self {
            Storage::Heap(v) => v.len() as u64,
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Storage::Reserved(r) => r.len(),
        }
    }

    pub(crate) fn base(&self) -> *mut u8 {
        match self {
            Storage::Heap(v) => v.as_ptr().cast_mut(),
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Storage::Reserved(r) => r.base(),
        }
    }

    /// Grows to `new_len` zero-extended bytes; `None` if that fails.
    pub(crate) fn grow_to(&mut self, new_len: u64) -> Option<()> {
        match self {
            Storage::Heap(v) => {
                let new_len = usize::try_from(new_len).ok()?;
                v.try_reserve_exact(new_len.saturating_sub(v.len())).ok()?;
                v.resize(new_len, 0);
                Some(())
            }
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Storage::Reserved(r) => r.grow_to(new_len),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Storage::Heap(v) => v,
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Storage::Reserved(r) => r.as_slice(),
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        match self {
            Storage::Heap(v) => v,
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Storage::Reserved(r) => r.as_mut_slice(),
        }
    }
}
