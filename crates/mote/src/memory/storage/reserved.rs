//! A memory in a reserved address range with guard pages (64-bit Unix).

use rustix::mm::{MapFlags, MprotectFlags, ProtFlags, mmap_anonymous, mprotect, munmap};

/// Guard region after the largest possible accessible byte: a 32-bit
/// memory's address plus its 32-bit offset stays inside reservation + guard.
const GUARD: u64 = 2 << 30;
/// Largest reservation made for one memory; bigger maxima fall back to
/// the heap.
const MAX_RESERVE: u64 = 8 << 30;

pub(crate) struct Reservation {
    base: *mut u8,
    reserved: u64,
    len: u64,
    page: u64,
}

// SAFETY: the mapping is owned by this value alone.
unsafe impl Send for Reservation {}
// SAFETY: shared access only reads through `&self` methods.
unsafe impl Sync for Reservation {}

impl Reservation {
    /// A reservation for a memory that may grow to `max` bytes: the
    /// smallest range that keeps a 32-bit address plus offset inside it.
    pub(crate) fn new(initial: u64, max: u64) -> Option<Reservation> {
        let page = rustix::param::page_size() as u64;
        let span = max.min(1 << 32).max(initial);
        let reserved = round_up(span, page).checked_add(GUARD)?;
        if reserved > MAX_RESERVE + GUARD || initial > span {
            return None;
        }
        Reservation::with_span(initial, reserved)
    }

    /// A reservation of exactly `reserved` bytes (a multiple of the page
    /// size, at least [`GUARD`]), of which all but the last [`GUARD`]
    /// bytes may become accessible.
    pub(crate) fn with_span(initial: u64, reserved: u64) -> Option<Reservation> {
        let page = rustix::param::page_size() as u64;
        if !reserved.is_multiple_of(page) || initial > reserved.checked_sub(GUARD)? {
            return None;
        }
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing aliases nothing.
        let base = unsafe {
            mmap_anonymous(
                core::ptr::null_mut(),
                reserved as usize,
                ProtFlags::empty(),
                MapFlags::PRIVATE | MapFlags::NORESERVE,
            )
        }
        .ok()?;
        let mut r = Reservation {
            base: base.cast(),
            reserved,
            len: 0,
            page,
        };
        r.grow_to(initial)?;
        Some(r)
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn base(&self) -> *mut u8 {
        self.base
    }

    pub(crate) fn grow_to(&mut self, new_len: u64) -> Option<()> {
        if new_len > self.reserved - GUARD {
            return None;
        }
        let old_end = round_up(self.len, self.page);
        let new_end = round_up(new_len, self.page);
        if new_end > old_end {
            // SAFETY: [old_end, new_end) lies inside the reservation.
            unsafe {
                mprotect(
                    self.base.add(old_end as usize).cast(),
                    (new_end - old_end) as usize,
                    MprotectFlags::READ | MprotectFlags::WRITE,
                )
            }
            .ok()?;
        }
        self.len = new_len;
        Some(())
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        // SAFETY: the first `len` bytes are mapped readable and writable.
        unsafe { core::slice::from_raw_parts(self.base, self.len as usize) }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as above, and `&mut self` makes the access exclusive.
        unsafe { core::slice::from_raw_parts_mut(self.base, self.len as usize) }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: the mapping was created by `new` and is not used after this.
        unsafe {
            let _ = munmap(self.base.cast(), self.reserved as usize);
        }
    }
}

fn round_up(n: u64, to: u64) -> u64 {
    n.div_ceil(to) * to
}
