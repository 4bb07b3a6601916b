//! The descriptor's own state and life: `fd_fdstat_get`,
//! `fd_fdstat_set_flags`, `fd_fdstat_set_rights`, `fd_prestat_get`,
//! `fd_prestat_dir_name`, `fd_close`, `fd_renumber`, and the calls that act
//! on the open file as a whole: `fd_sync`, `fd_datasync`, `fd_advise`,
//! `fd_allocate`.

use super::{file, on_file_or_dir, retry};
use crate::abi::{PREOPENTYPE_DIR, fdflags, rights};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd_table::{Descriptor, Kind};
use crate::memory::GuestMemory;
use rustix::fs::OFlags;

/// `fd_fdstat_get(fd, stat: *fdstat)`. `fdstat` is 24 bytes: `fs_filetype:
/// u8` at 0, `fs_flags: u16` at 2, `fs_rights_base: u64` at 8,
/// `fs_rights_inheriting: u64` at 16.
pub(crate) fn fd_fdstat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, fd: u32, stat: u32) -> Result<(), Errno> {
    let out = mem.out::<24>(stat)?;
    let desc = ctx.table.get(fd)?;
    let mut bytes = [0u8; 24];
    bytes[0] = desc.filetype();
    bytes[2..4].copy_from_slice(&desc.flags.to_le_bytes());
    bytes[8..16].copy_from_slice(&desc.base.to_le_bytes());
    bytes[16..24].copy_from_slice(&desc.inheriting.to_le_bytes());
    mem.put(out, bytes);
    Ok(())
}

/// `fd_fdstat_set_flags(fd, flags: fdflags)`. Only `append` and
/// `nonblock` can change after opening (as with `fcntl(F_SETFL)`); asking
/// to change a synchronization flag is `inval`. The host's own stdio keeps
/// its flags: the guest's choice is recorded, not applied to the process.
pub(crate) fn fd_fdstat_set_flags(ctx: &mut WasiCtx, fd: u32, flags: u32) -> Result<(), Errno> {
    let flags = u16::try_from(flags)
        .ok()
        .filter(|f| f & !fdflags::ALL == 0)
        .ok_or(Errno::Inval)?;
    let desc = ctx.table.get_mut(fd)?;
    desc.require(rights::FD_FDSTAT_SET_FLAGS)?;
    let sync = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
    if (flags ^ desc.flags) & sync != 0 {
        return Err(Errno::Inval);
    }
    let nonblock = flags & fdflags::NONBLOCK != 0;
    match &desc.kind {
        Kind::File(f) => {
            let mut os = rustix::fs::fcntl_getfl(f)?;
            os.set(OFlags::APPEND, flags & fdflags::APPEND != 0);
            os.set(OFlags::NONBLOCK, nonblock);
            rustix::fs::fcntl_setfl(f, os)?;
        }
        Kind::Listener(l) => l.set_nonblocking(nonblock)?,
        Kind::Stream(s) => s.set_nonblocking(nonblock)?,
        Kind::Dir { .. } | Kind::Input(_) | Kind::Output(_) => {}
    }
    desc.flags = flags;
    Ok(())
}

/// `fd_fdstat_set_rights(fd, base, inheriting)`: rights can only be
/// dropped, never gained (`notcapable`).
pub(crate) fn fd_fdstat_set_rights(ctx: &mut WasiCtx, fd: u32, base: u64, inheriting: u64) -> Result<(), Errno> {
    let desc = ctx.table.get_mut(fd)?;
    if base & !desc.base != 0 || inheriting & !desc.inheriting != 0 {
        return Err(Errno::Notcapable);
    }
    desc.base = base;
    desc.inheriting = inheriting;
    Ok(())
}

/// The guest path of a preopened directory (`badf` for anything else, which
/// ends wasi-libc's scan for preopens).
fn preopen_name(desc: &Descriptor) -> Result<&str, Errno> {
    match &desc.kind {
        Kind::Dir {
            preopen: Some(name), ..
        } => Ok(name),
        _ => Err(Errno::Badf),
    }
}

/// `fd_prestat_get(fd, buf: *prestat)`. `prestat` is 8 bytes: the tag
/// `u8` (0, a directory) at 0, `pr_name_len: u32` at 4.
pub(crate) fn fd_prestat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, fd: u32, buf: u32) -> Result<(), Errno> {
    let out = mem.out::<8>(buf)?;
    let name = preopen_name(ctx.table.get(fd)?)?;
    let mut bytes = [0u8; 8];
    bytes[0] = PREOPENTYPE_DIR;
    bytes[4..].copy_from_slice(&(name.len() as u32).to_le_bytes());
    mem.put(out, bytes);
    Ok(())
}

/// `fd_prestat_dir_name(fd, path: *u8, path_len)`: the name, without NUL
/// (`nametoolong` if the buffer is shorter).
pub(crate) fn fd_prestat_dir_name(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let dst = mem.slice_mut(path, path_len)?;
    let name = preopen_name(ctx.table.get(fd)?)?;
    let dst = dst.get_mut(..name.len()).ok_or(Errno::Nametoolong)?;
    dst.copy_from_slice(name.as_bytes());
    Ok(())
}

/// `fd_close(fd)`.
pub(crate) fn fd_close(ctx: &mut WasiCtx, fd: u32) -> Result<(), Errno> {
    ctx.table.remove(fd).map(drop)
}

/// `fd_renumber(fd, to)`: moves `fd` to `to`, closing what `to` was.
pub(crate) fn fd_renumber(ctx: &mut WasiCtx, fd: u32, to: u32) -> Result<(), Errno> {
    ctx.table.renumber(fd, to)
}

/// `fd_sync(fd)` (`data_only`: `fd_datasync`) on a file or directory;
/// `inval` for streams and sockets, as `fsync` on a pipe.
fn sync(ctx: &mut WasiCtx, fd: u32, data_only: bool) -> Result<(), Errno> {
    let desc = ctx.table.get(fd)?;
    if !matches!(desc.kind, Kind::File(_) | Kind::Dir { .. }) {
        return Err(Errno::Inval);
    }
    desc.require(if data_only {
        rights::FD_DATASYNC
    } else {
        rights::FD_SYNC
    })?;
    if data_only {
        on_file_or_dir(desc, |fd| rustix::fs::fdatasync(fd))
    } else {
        on_file_or_dir(desc, |fd| rustix::fs::fsync(fd))
    }
}

/// `fd_sync(fd)`.
pub(crate) fn fd_sync(ctx: &mut WasiCtx, fd: u32) -> Result<(), Errno> {
    sync(ctx, fd, false)
}

/// `fd_datasync(fd)`.
pub(crate) fn fd_datasync(ctx: &mut WasiCtx, fd: u32) -> Result<(), Errno> {
    sync(ctx, fd, true)
}

/// `fd_advise(fd, offset, len, advice)`: a hint, passed to
/// `posix_fadvise` where the host has it.
pub(crate) fn fd_advise(ctx: &mut WasiCtx, fd: u32, offset: u64, len: u64, advice: u32) -> Result<(), Errno> {
    if advice > 5 || i64::try_from(offset).is_err() || i64::try_from(len).is_err() {
        return Err(Errno::Inval);
    }
    let f = file(ctx.table.get(fd)?, rights::FD_ADVISE)?;
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    {
        use rustix::fs::Advice;
        let advice = [
            Advice::Normal,
            Advice::Sequential,
            Advice::Random,
            Advice::WillNeed,
            Advice::DontNeed,
            Advice::NoReuse,
        ][advice as usize];
        rustix::fs::fadvise(f, offset, std::num::NonZeroU64::new(len), advice)?;
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    let _ = f;
    Ok(())
}

/// `fd_allocate(fd, offset, len)`: makes the file at least `offset + len`
/// bytes long (`inval` for an empty range, `fbig` past `i64::MAX`).
pub(crate) fn fd_allocate(ctx: &mut WasiCtx, fd: u32, offset: u64, len: u64) -> Result<(), Errno> {
    let f = file(ctx.table.get(fd)?, rights::FD_ALLOCATE)?;
    if len == 0 {
        return Err(Errno::Inval);
    }
    let end = offset
        .checked_add(len)
        .filter(|&end| i64::try_from(end).is_ok())
        .ok_or(Errno::Fbig)?;
    if f.metadata()?.len() < end {
        retry(|| f.set_len(end))?;
    }
    Ok(())
}
