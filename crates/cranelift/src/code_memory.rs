//! Executable memory: a code blob copied into fresh anonymous pages that
//! are then made read + execute (never writable and executable at once).

use crate::Error;
use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};

/// A mapped, executable copy of a code blob, unmapped on drop.
pub struct CodeMemory {
    ptr: *mut u8,
    mapped: usize,
    len: usize,
}

// SAFETY: the pages are immutable after construction; sharing or moving
// the mapping between threads is as safe as sharing `&[u8]`.
unsafe impl Send for CodeMemory {}
// SAFETY: as above, nothing writes through `ptr` after `new`.
unsafe impl Sync for CodeMemory {}

impl CodeMemory {
    /// Maps `code` executable.
    ///
    /// # Errors
    /// [`Error::CodeMemory`] if the pages cannot be mapped or protected.
    pub fn new(code: &[u8]) -> Result<CodeMemory, Error> {
        let page = rustix::param::page_size();
        let mapped = code.len().max(1).div_ceil(page) * page;
        // SAFETY: a fresh anonymous private mapping aliases nothing.
        let ptr = unsafe {
            rustix::mm::mmap_anonymous(
                core::ptr::null_mut(),
                mapped,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
        }
        .map_err(std::io::Error::from)?
        .cast::<u8>();
        let memory = CodeMemory {
            ptr,
            mapped,
            len: code.len(),
        };
        // SAFETY: the mapping is `mapped >= code.len()` writable bytes.
        unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), ptr, code.len()) };
        // SAFETY: `ptr..ptr + mapped` is exactly our mapping.
        unsafe { rustix::mm::mprotect(ptr.cast(), mapped, MprotectFlags::READ | MprotectFlags::EXEC) }
            .map_err(std::io::Error::from)?;
        flush_icache(ptr, code.len());
        Ok(memory)
    }

    /// Start of the code.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// Length of the code in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the code is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: `ptr..ptr + mapped` is our mapping, and callers hold no
        // function pointers into it past the owner's lifetime.
        let _ = unsafe { rustix::mm::munmap(self.ptr.cast(), self.mapped) };
    }
}

/// Makes freshly written code visible to instruction fetch: a no-op on
/// x86-64, whose caches are coherent.
#[cfg(target_arch = "aarch64")]
fn flush_icache(ptr: *mut u8, len: usize) {
    unsafe extern "C" {
        fn __clear_cache(start: *mut core::ffi::c_char, end: *mut core::ffi::c_char);
    }
    // SAFETY: the range is our mapping; `__clear_cache` (libgcc /
    // compiler-rt) only runs cache maintenance over it.
    unsafe { __clear_cache(ptr.cast(), ptr.add(len).cast()) }
}

#[cfg(not(target_arch = "aarch64"))]
fn flush_icache(_ptr: *mut u8, _len: usize) {}
