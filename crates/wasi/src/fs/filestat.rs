//! File metadata: `fd_filestat_get`, `fd_filestat_set_size`,
//! `fd_filestat_set_times`, `path_filestat_get`, `path_filestat_set_times`,
//! and the 64-byte `filestat` layout.

use super::{dir, file, filetype_of, filetype_of_mode, on_file_or_dir, retry};
use crate::abi::{fstflags, lookupflags, rights};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd_table::Kind;
use crate::memory::GuestMemory;
use cap_fs_ext::{DirExt, SystemTimeSpec};
use cap_std::fs::{Metadata, MetadataExt};
use rustix::fs::{Stat, Timestamps, UTIME_NOW, UTIME_OMIT};
use rustix::time::Timespec;
use std::time::{Duration, UNIX_EPOCH};

/// A `filestat`.
struct Filestat {
    dev: u64,
    ino: u64,
    filetype: u8,
    nlink: u64,
    size: u64,
    atim: u64,
    mtim: u64,
    ctim: u64,
}

/// Nanoseconds since the epoch (0 before it).
fn nanos(secs: i64, nsecs: i64) -> u64 {
    crate::clock::nanos(Timespec {
        tv_sec: secs,
        tv_nsec: nsecs as _,
    })
}

impl Filestat {
    #[allow(
        clippy::unnecessary_cast,
        reason = "the field types of `struct stat` differ between platforms; some casts are no-ops here only"
    )]
    fn from_stat(st: &Stat) -> Filestat {
        Filestat {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            filetype: filetype_of_mode(st.st_mode as u32),
            nlink: st.st_nlink as u64,
            size: st.st_size as u64,
            atim: nanos(st.st_atime as i64, st.st_atime_nsec as i64),
            mtim: nanos(st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctim: nanos(st.st_ctime as i64, st.st_ctime_nsec as i64),
        }
    }

    fn from_metadata(m: &Metadata) -> Filestat {
        Filestat {
            dev: m.dev(),
            ino: m.ino(),
            filetype: filetype_of(m.file_type()),
            nlink: m.nlink(),
            size: m.size(),
            atim: nanos(m.atime(), m.atime_nsec()),
            mtim: nanos(m.mtime(), m.mtime_nsec()),
            ctim: nanos(m.ctime(), m.ctime_nsec()),
        }
    }

    /// The witx layout: `dev` at 0, `ino` at 8, `filetype: u8` at 16,
    /// `nlink` at 24, `size` at 32, `atim` at 40, `mtim` at 48, `ctim` at 56.
    fn encode(&self) -> [u8; 64] {
        let mut b = [0u8; 64];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        for (at, v) in [
            (24, self.nlink),
            (32, self.size),
            (40, self.atim),
            (48, self.mtim),
            (56, self.ctim),
        ] {
            b[at..at + 8].copy_from_slice(&v.to_le_bytes());
        }
        b
    }
}

/// `fd_filestat_get(fd, buf: *filestat)`. Streams without an OS descriptor
/// report only their type.
pub(crate) fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, fd: u32, buf: u32) -> Result<(), Errno> {
    let out = mem.out::<64>(buf)?;
    let desc = ctx.table.get(fd)?;
    desc.require(rights::FD_FILESTAT_GET)?;
    let stat = match desc.os_fd() {
        Some(os) => Filestat::from_stat(&rustix::fs::fstat(os)?),
        None => Filestat {
            dev: 0,
            ino: 0,
            filetype: desc.filetype(),
            nlink: 0,
            size: 0,
            atim: 0,
            mtim: 0,
            ctim: 0,
        },
    };
    mem.put(out, stat.encode());
    Ok(())
}

/// `fd_filestat_set_size(fd, size)`: truncates or extends the file.
pub(crate) fn fd_filestat_set_size(ctx: &mut WasiCtx, fd: u32, size: u64) -> Result<(), Errno> {
    let f = file(ctx.table.get(fd)?, rights::FD_FILESTAT_SET_SIZE)?;
    if i64::try_from(size).is_err() {
        return Err(Errno::Fbig);
    }
    retry(|| f.set_len(size))
}

/// Checks `fst_flags`: no unknown bit, and not both a time and "now" for
/// the same field.
fn check_fst_flags(flags: u32) -> Result<u16, Errno> {
    let flags = u16::try_from(flags)
        .ok()
        .filter(|f| f & !fstflags::ALL == 0)
        .ok_or(Errno::Inval)?;
    let both = |a, b| flags & a != 0 && flags & b != 0;
    if both(fstflags::ATIM, fstflags::ATIM_NOW) || both(fstflags::MTIM, fstflags::MTIM_NOW) {
        return Err(Errno::Inval);
    }
    Ok(flags)
}

/// A `futimens` time: `time` if `set`, now if `now`, else left alone.
fn timespec(time: u64, set: bool, now: bool) -> Timespec {
    let (tv_sec, tv_nsec) = if now {
        (0, UTIME_NOW)
    } else if set {
        ((time / 1_000_000_000) as i64, (time % 1_000_000_000) as _)
    } else {
        (0, UTIME_OMIT)
    };
    Timespec { tv_sec, tv_nsec }
}

/// A `cap-fs-ext` time: `time` if `set`, now if `now`, else left alone.
fn time_spec(time: u64, set: bool, now: bool) -> Option<SystemTimeSpec> {
    if now {
        Some(SystemTimeSpec::SymbolicNow)
    } else if set {
        let t = UNIX_EPOCH + Duration::from_nanos(time);
        Some(SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(t)))
    } else {
        None
    }
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)` on a file or
/// directory.
pub(crate) fn fd_filestat_set_times(ctx: &mut WasiCtx, fd: u32, atim: u64, mtim: u64, flags: u32) -> Result<(), Errno> {
    let flags = check_fst_flags(flags)?;
    let desc = ctx.table.get(fd)?;
    if !matches!(desc.kind, Kind::File(_) | Kind::Dir { .. }) {
        return Err(Errno::Badf);
    }
    desc.require(rights::FD_FILESTAT_SET_TIMES)?;
    let times = Timestamps {
        last_access: timespec(atim, flags & fstflags::ATIM != 0, flags & fstflags::ATIM_NOW != 0),
        last_modification: timespec(mtim, flags & fstflags::MTIM != 0, flags & fstflags::MTIM_NOW != 0),
    };
    on_file_or_dir(desc, |fd| rustix::fs::futimens(fd, &times))
}

/// `path_filestat_get(fd, flags: lookupflags, path, path_len, buf:
/// *filestat)`.
pub(crate) fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> Result<(), Errno> {
    let out = mem.out::<64>(buf)?;
    let path = mem.str(path, path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_FILESTAT_GET)?;
    let meta = if flags & lookupflags::SYMLINK_FOLLOW != 0 {
        retry(|| dir.metadata(path))?
    } else {
        retry(|| dir.symlink_metadata(path))?
    };
    mem.put(out, Filestat::from_metadata(&meta).encode());
    Ok(())
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim,
/// fst_flags)`.
#[expect(clippy::too_many_arguments, reason = "the WASI signature")]
pub(crate) fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(), Errno> {
    let fst = check_fst_flags(fst_flags)?;
    let path = mem.str(path, path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_FILESTAT_SET_TIMES)?;
    // `SystemTimeSpec` is not `Clone`: make a fresh one for each try.
    let atime = || time_spec(atim, fst & fstflags::ATIM != 0, fst & fstflags::ATIM_NOW != 0);
    let mtime = || time_spec(mtim, fst & fstflags::MTIM != 0, fst & fstflags::MTIM_NOW != 0);
    if flags & lookupflags::SYMLINK_FOLLOW != 0 {
        retry(|| dir.set_times(path, atime(), mtime()))
    } else {
        retry(|| dir.set_symlink_times(path, atime(), mtime()))
    }
}
