//! Checked access to a guest's linear memory.
//!
//! Every pointer a guest passes is checked against the memory's length
//! before it is used: an out-of-bounds range (or one whose end overflows)
//! is errno `fault`, never a panic. Functions check the ranges they will
//! write *before* they act (an [`Out`] is a range already checked), so an
//! invalid result pointer never loses data a read has already consumed.
//!
//! Pointers need not be aligned: values are copied byte-wise, little-endian.

use crate::errno::Errno;
use std::io::IoSlice;

/// A guest memory, borrowed for the length of one WASI call (it cannot grow
/// meanwhile, so a checked range stays valid).
pub(crate) struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// A checked, writable range of `N` bytes in guest memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Out<const N: usize>(usize);

/// A checked `iovec`/`ciovec`: `len` bytes at `start`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Iovec {
    start: usize,
    len: usize,
}

/// Size of an `iovec` in guest memory: `buf: u32`, `buf_len: u32`.
const IOVEC_SIZE: u32 = 8;

/// Most iovecs one call takes (`IOV_MAX` on Linux), so a guest cannot make
/// the host allocate in proportion to its whole memory.
const IOV_MAX: u32 = 1024;

impl<'a> GuestMemory<'a> {
    /// Wraps the bytes of a linear memory.
    pub(crate) fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    /// Checks that `len` bytes at `ptr` lie inside the memory.
    fn range(&self, ptr: u32, len: u32) -> Result<core::ops::Range<usize>, Errno> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        if end > self.bytes.len() {
            return Err(Errno::Fault);
        }
        Ok(start..end)
    }

    /// The `len` bytes at `ptr`.
    pub(crate) fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let r = self.range(ptr, len)?;
        Ok(&self.bytes[r])
    }

    /// The `len` bytes at `ptr`, writable.
    pub(crate) fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.bytes[r])
    }

    /// The UTF-8 string of `len` bytes at `ptr` (`ilseq` if it is not UTF-8).
    pub(crate) fn str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq)
    }

    /// Checks a range of `N` bytes at `ptr` for a later write.
    pub(crate) fn out<const N: usize>(&self, ptr: u32) -> Result<Out<N>, Errno> {
        let r = self.range(ptr, N as u32)?;
        Ok(Out(r.start))
    }

    /// Writes `N` bytes to a checked range.
    pub(crate) fn put<const N: usize>(&mut self, out: Out<N>, bytes: [u8; N]) {
        self.bytes[out.0..out.0 + N].copy_from_slice(&bytes);
    }

    /// Writes a `u32` to a checked range.
    pub(crate) fn put_u32(&mut self, out: Out<4>, value: u32) {
        self.put(out, value.to_le_bytes());
    }

    /// Writes a `u64` to a checked range.
    pub(crate) fn put_u64(&mut self, out: Out<8>, value: u64) {
        self.put(out, value.to_le_bytes());
    }

    /// Reads `N` bytes at `ptr`.
    pub(crate) fn get<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Errno> {
        let mut buf = [0; N];
        buf.copy_from_slice(self.slice(ptr, N as u32)?);
        Ok(buf)
    }

    /// Reads a `u32` at `ptr`.
    pub(crate) fn get_u32(&self, ptr: u32) -> Result<u32, Errno> {
        self.get(ptr).map(u32::from_le_bytes)
    }

    /// Reads and checks the array of `count` iovecs at `ptr`: the array
    /// and every buffer it names must lie inside the memory (`fault`), and
    /// there may be at most `IOV_MAX` (`inval`).
    pub(crate) fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<Iovec>, Errno> {
        let array_len = count.checked_mul(IOVEC_SIZE).ok_or(Errno::Fault)?;
        self.range(ptr, array_len)?;
        if count > IOV_MAX {
            return Err(Errno::Inval);
        }
        (0..count)
            .map(|i| {
                let at = ptr + i * IOVEC_SIZE;
                let (buf, len) = (self.get_u32(at)?, self.get_u32(at + 4)?);
                let r = self.range(buf, len)?;
                Ok(Iovec {
                    start: r.start,
                    len: r.len(),
                })
            })
            .collect()
    }

    /// The first non-empty buffer of `iovs`, writable (or an empty slice).
    ///
    /// Reads fill only this buffer: a short read is always allowed, and it
    /// spares a stream from blocking on a second buffer after data came in.
    pub(crate) fn first_buf_mut(&mut self, iovs: &[Iovec]) -> &mut [u8] {
        match iovs.iter().find(|v| v.len > 0) {
            Some(v) => &mut self.bytes[v.start..v.start + v.len],
            None => &mut [],
        }
    }

    /// The buffers of `iovs`, for a gathering write (they may overlap).
    pub(crate) fn io_slices(&self, iovs: &[Iovec]) -> Vec<IoSlice<'_>> {
        iovs.iter()
            .map(|v| IoSlice::new(&self.bytes[v.start..v.start + v.len]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_bounds_is_fault() {
        let mut bytes = vec![0u8; 64];
        let mut mem = GuestMemory::new(&mut bytes);
        assert_eq!(mem.slice(60, 4).unwrap().len(), 4);
        assert_eq!(mem.slice(61, 4).unwrap_err(), Errno::Fault);
        assert_eq!(mem.slice(u32::MAX, 2).unwrap_err(), Errno::Fault);
        assert_eq!(mem.out::<8>(57).unwrap_err(), Errno::Fault);
        let out = mem.out::<8>(56).unwrap();
        mem.put_u64(out, 0x0102_0304_0506_0708);
        assert_eq!(mem.get::<8>(56).unwrap(), [8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(mem.str(0, 65).unwrap_err(), Errno::Fault);
    }

    #[test]
    fn iovecs_are_checked_entirely() {
        let mut bytes = vec![0u8; 64];
        bytes[0..8].copy_from_slice(&[32, 0, 0, 0, 16, 0, 0, 0]);
        bytes[8..16].copy_from_slice(&[60, 0, 0, 0, 8, 0, 0, 0]);
        let mem = GuestMemory::new(&mut bytes);
        assert_eq!(mem.iovecs(0, 1).unwrap().len(), 1);
        assert_eq!(mem.iovecs(0, 2).unwrap_err(), Errno::Fault);
        assert_eq!(mem.iovecs(60, 1).unwrap_err(), Errno::Fault);
        assert_eq!(mem.iovecs(0, u32::MAX).unwrap_err(), Errno::Fault);
    }
}
