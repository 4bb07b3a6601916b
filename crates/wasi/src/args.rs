//! `args_get`, `args_sizes_get`, `environ_get`, `environ_sizes_get`.
//!
//! Both lists reach the guest the same way: `*_sizes_get` reports the count
//! and the bytes the strings need (each with its NUL), `*_get` writes an
//! array of pointers and, into a buffer, the NUL-terminated strings.

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::memory::GuestMemory;

/// `args_sizes_get(argc: *u32, argv_buf_size: *u32)`.
pub(crate) fn args_sizes_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, count: u32, size: u32) -> Result<(), Errno> {
    sizes_get(&ctx.args, mem, count, size)
}

/// `args_get(argv: **u8, argv_buf: *u8)`.
pub(crate) fn args_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, ptrs: u32, buf: u32) -> Result<(), Errno> {
    strings_get(&ctx.args, mem, ptrs, buf)
}

/// `environ_sizes_get(count: *u32, buf_size: *u32)`.
pub(crate) fn environ_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    count: u32,
    size: u32,
) -> Result<(), Errno> {
    sizes_get(&ctx.env, mem, count, size)
}

/// `environ_get(environ: **u8, environ_buf: *u8)`.
pub(crate) fn environ_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, ptrs: u32, buf: u32) -> Result<(), Errno> {
    strings_get(&ctx.env, mem, ptrs, buf)
}

/// Bytes of all strings with their NUL terminators.
fn buf_size(strings: &[Vec<u8>]) -> Result<u32, Errno> {
    let total: usize = strings.iter().map(|s| s.len() + 1).sum();
    u32::try_from(total).map_err(|_| Errno::Overflow)
}

fn sizes_get(strings: &[Vec<u8>], mem: &mut GuestMemory<'_>, count: u32, size: u32) -> Result<(), Errno> {
    let count_out = mem.out::<4>(count)?;
    let size_out = mem.out::<4>(size)?;
    let n = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let total = buf_size(strings)?;
    mem.put_u32(count_out, n);
    mem.put_u32(size_out, total);
    Ok(())
}

fn strings_get(strings: &[Vec<u8>], mem: &mut GuestMemory<'_>, ptrs: u32, buf: u32) -> Result<(), Errno> {
    let n = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let ptr_bytes = n.checked_mul(4).ok_or(Errno::Fault)?;
    mem.slice(ptrs, ptr_bytes)?;
    let total = buf_size(strings)?;
    mem.slice(buf, total)?;
    let mut at = buf;
    for (i, s) in (0u32..).zip(strings) {
        let out = mem.out::<4>(ptrs + 4 * i)?;
        mem.put_u32(out, at);
        let len = s.len() as u32;
        let dst = mem.slice_mut(at, len + 1)?;
        dst[..s.len()].copy_from_slice(s);
        dst[s.len()] = 0;
        at += len + 1;
    }
    Ok(())
}
