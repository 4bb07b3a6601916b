//! `fd_readdir`: directory listings with cookies.
//!
//! A listing is `.` and `..` followed by the entries sorted by name, so it
//! reads the same on every call while the directory is unchanged. The
//! cookie of an entry is its position; `d_next` is the cookie of the one
//! after. Each entry is a 24-byte `dirent` header (`d_next: u64` at 0,
//! `d_ino: u64` at 8, `d_namlen: u32` at 16, `d_type: u8` at 20) followed by
//! the name without NUL. The last entry that fits only partly is cut at the
//! end of the buffer: a full buffer tells the guest to ask again (wasi-libc
//! then retries with a larger one).

use super::{dir, filetype_of, retry};
use crate::abi::{filetype, rights};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::memory::GuestMemory;
use cap_std::fs::{Dir, MetadataExt};
use rustix::fs::DirEntryExt;
use std::os::unix::ffi::OsStrExt;

/// Size of the `dirent` header.
const DIRENT_SIZE: usize = 24;

/// One listed entry.
struct Entry {
    name: Vec<u8>,
    ino: u64,
    filetype: u8,
}

/// The listing of `dir`, with `.` and `..` first.
///
/// `..` carries the directory's own inode number: its parent may lie
/// outside the sandbox, and its number is none of the guest's business.
fn entries(dir: &Dir) -> Result<Vec<Entry>, Errno> {
    let ino = retry(|| dir.dir_metadata())?.ino();
    let dot = |name: &[u8]| Entry {
        name: name.to_vec(),
        ino,
        filetype: filetype::DIRECTORY,
    };
    let mut listed = Vec::new();
    for entry in retry(|| dir.entries())? {
        let entry = entry?;
        listed.push(Entry {
            name: entry.file_name().as_bytes().to_vec(),
            ino: entry.ino(),
            filetype: filetype_of(entry.file_type()?),
        });
    }
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    Ok([dot(b"."), dot(b"..")].into_iter().chain(listed).collect())
}

/// `fd_readdir(fd, buf: *u8, buf_len, cookie: dircookie, bufused: *size)`.
pub(crate) fn fd_readdir(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Result<(), Errno> {
    let used_out = mem.out::<4>(bufused)?;
    mem.slice(buf, buf_len)?;
    let dir = dir(&ctx.table, fd, rights::FD_READDIR)?;
    let entries = entries(dir)?;
    let dst = mem.slice_mut(buf, buf_len)?;
    let mut used = 0;
    let start = usize::try_from(cookie).map_or(entries.len(), |c| c.min(entries.len()));
    for (next, entry) in (start as u64 + 1..).zip(&entries[start..]) {
        let mut header = [0u8; DIRENT_SIZE];
        header[0..8].copy_from_slice(&next.to_le_bytes());
        header[8..16].copy_from_slice(&entry.ino.to_le_bytes());
        header[16..20].copy_from_slice(&(entry.name.len() as u32).to_le_bytes());
        header[20] = entry.filetype;
        for part in [&header[..], &entry.name] {
            let n = part.len().min(dst.len() - used);
            dst[used..used + n].copy_from_slice(&part[..n]);
            used += n;
        }
        if used == dst.len() {
            break;
        }
    }
    mem.put_u32(used_out, used as u32);
    Ok(())
}
