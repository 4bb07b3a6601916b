//! `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`:
//! moving bytes through a descriptor, whatever it is (file, stdio stream or
//! socket), and its file position.

use super::{file, retry};
use crate::abi::rights;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd_table::{Input, Kind, Output};
use crate::memory::GuestMemory;
use cap_std::fs::FileExt;
use std::io::{IoSlice, Read, Seek, SeekFrom, Write};

/// `whence` of `fd_seek`.
const WHENCE_SET: u32 = 0;
const WHENCE_CUR: u32 = 1;
const WHENCE_END: u32 = 2;

/// `fd_read(fd, iovs: *iovec, iovs_len, nread: *size)`: reads into the first
/// non-empty buffer (a short read, which POSIX allows).
pub(crate) fn fd_read(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let out = mem.out::<4>(nread)?;
    let desc = ctx.table.get_mut(fd)?;
    if let Kind::Dir { .. } = desc.kind {
        return Err(Errno::Isdir);
    }
    desc.require(rights::FD_READ)?;
    let buf = mem.first_buf_mut(&iovs);
    let n = match &mut desc.kind {
        Kind::File(f) => retry(|| f.read(buf))?,
        Kind::Stream(s) => retry(|| s.read(buf))?,
        Kind::Input(Input::Host(s)) => retry(|| s.read(buf))?,
        Kind::Input(Input::Custom(r)) => retry(|| r.read(buf))?,
        _ => return Err(Errno::Badf),
    };
    mem.put_u32(out, n as u32);
    Ok(())
}

/// `fd_write(fd, iovs: *ciovec, iovs_len, nwritten: *size)`. Files and
/// sockets get one gathering write (which may be short); stdio streams get
/// every byte, flushed, so output interleaves as the guest wrote it.
pub(crate) fn fd_write(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let out = mem.out::<4>(nwritten)?;
    let desc = ctx.table.get_mut(fd)?;
    desc.require(rights::FD_WRITE)?;
    let slices = mem.io_slices(&iovs);
    let n = match &mut desc.kind {
        Kind::File(f) => retry(|| f.write_vectored(&slices))?,
        Kind::Stream(s) => retry(|| s.write_vectored(&slices))?,
        Kind::Output(Output::Stdout(s)) => write_all(&mut s.lock(), &slices)?,
        Kind::Output(Output::Stderr(s)) => write_all(&mut s.lock(), &slices)?,
        Kind::Output(Output::Custom(w)) => write_all(w, &slices)?,
        _ => return Err(Errno::Badf),
    };
    drop(slices);
    mem.put_u32(out, n as u32);
    Ok(())
}

/// Writes every buffer in full and flushes; returns the bytes written.
fn write_all(w: &mut dyn Write, slices: &[IoSlice<'_>]) -> Result<usize, Errno> {
    for s in slices {
        w.write_all(s)?;
    }
    w.flush()?;
    Ok(slices.iter().map(|s| s.len()).sum())
}

/// An `fd_pread`/`fd_pwrite` offset (`inval` past `i64::MAX`, as `off_t`).
fn offset(offset: u64) -> Result<u64, Errno> {
    i64::try_from(offset).map(|_| offset).map_err(|_| Errno::Inval)
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread: *size)`: reads at `offset`
/// into the first non-empty buffer, leaving the file position alone.
pub(crate) fn fd_pread(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    at: u64,
    nread: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let out = mem.out::<4>(nread)?;
    let f = file(ctx.table.get(fd)?, rights::FD_READ | rights::FD_SEEK)?;
    let at = offset(at)?;
    let buf = mem.first_buf_mut(&iovs);
    let n = retry(|| f.read_at(buf, at))?;
    mem.put_u32(out, n as u32);
    Ok(())
}

/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten: *size)`: writes at
/// `offset`, leaving the file position alone.
pub(crate) fn fd_pwrite(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    at: u64,
    nwritten: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let out = mem.out::<4>(nwritten)?;
    let f = file(ctx.table.get(fd)?, rights::FD_WRITE | rights::FD_SEEK)?;
    let at = offset(at)?;
    let slices = mem.io_slices(&iovs);
    let n = retry(|| rustix::io::pwritev(f, &slices, at).map_err(Into::into))?;
    drop(slices);
    mem.put_u32(out, n as u32);
    Ok(())
}

/// `fd_seek(fd, offset: filedelta, whence, newoffset: *filesize)`.
pub(crate) fn fd_seek(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    delta: i64,
    whence: u32,
    newoffset: u32,
) -> Result<(), Errno> {
    let out = mem.out::<8>(newoffset)?;
    let pos = match whence {
        WHENCE_SET => SeekFrom::Start(u64::try_from(delta).map_err(|_| Errno::Inval)?),
        WHENCE_CUR => SeekFrom::Current(delta),
        WHENCE_END => SeekFrom::End(delta),
        _ => return Err(Errno::Inval),
    };
    // Asking where one is needs only `fd_tell`.
    let required = if delta == 0 && whence == WHENCE_CUR {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let mut f = file(ctx.table.get(fd)?, required)?;
    let new = retry(|| f.seek(pos))?;
    mem.put_u64(out, new);
    Ok(())
}

/// `fd_tell(fd, offset: *filesize)`.
pub(crate) fn fd_tell(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, fd: u32, offset: u32) -> Result<(), Errno> {
    let out = mem.out::<8>(offset)?;
    let mut f = file(ctx.table.get(fd)?, rights::FD_TELL)?;
    let pos = retry(|| f.stream_position())?;
    mem.put_u64(out, pos);
    Ok(())
}
