//! The path operations other than `path_open`: `path_create_directory`,
//! `path_link`, `path_readlink`, `path_remove_directory`, `path_rename`,
//! `path_symlink`, `path_unlink_file`.
//!
//! `cap-std` resolves every path beneath the directory descriptor and
//! refuses one that leads outside it (`perm`). On top of that:
//! - `path_symlink` refuses an absolute target (`perm`): following it could
//!   never stay inside, and a host program might follow it later. A
//!   relative target that climbs out is allowed to exist, as POSIX allows
//!   any text in a link, but no sandboxed lookup ever follows it out.
//! - `path_readlink` refuses to reveal an absolute target (`perm`).
//! - `path_link` with `symlink_follow` links to what the symbolic link
//!   resolves to inside the sandbox.
//!
//! Trailing slashes mean what they mean to Linux: `path_remove_directory`
//! accepts them, and `path_rename`/`path_link` refuse them (`notdir`) unless
//! the source is a directory.

use super::{dir, retry};
use crate::abi::{lookupflags, rights};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::memory::GuestMemory;
use cap_std::fs::Dir;
use std::os::unix::ffi::OsStrExt;

/// `path` without trailing slashes (a lone `/` stays).
fn trim_slashes(path: &str) -> &str {
    match path.trim_end_matches('/') {
        "" if !path.is_empty() => "/",
        trimmed => trimmed,
    }
}

/// Fails with `notdir` if either path ends in a slash while `old` (beneath
/// `dir`) is no directory.
fn check_trailing_slashes(dir: &Dir, old: &str, new: &str) -> Result<(), Errno> {
    if (old.ends_with('/') || new.ends_with('/')) && !retry(|| dir.symlink_metadata(trim_slashes(old)))?.is_dir() {
        return Err(Errno::Notdir);
    }
    Ok(())
}

/// Trailing slashes in a hard link, as Linux `link` treats them: `old/`
/// must be a directory (which then cannot be linked), and a `new/` that
/// does not exist is `noent`, one that exists `exist`.
fn check_link_slashes(old_dir: &Dir, old: &str, new_dir: &Dir, new: &str) -> Result<(), Errno> {
    if old.ends_with('/') && !retry(|| old_dir.symlink_metadata(trim_slashes(old)))?.is_dir() {
        return Err(Errno::Notdir);
    }
    if new.ends_with('/') {
        return match new_dir.symlink_metadata(trim_slashes(new)) {
            Ok(_) => Err(Errno::Exist),
            Err(_) => Err(Errno::Noent),
        };
    }
    Ok(())
}

/// `path_create_directory(fd, path, path_len)`.
pub(crate) fn path_create_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let path = mem.str(path, path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_CREATE_DIRECTORY)?;
    retry(|| dir.create_dir(path))
}

/// `path_remove_directory(fd, path, path_len)`: removes an empty directory.
pub(crate) fn path_remove_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let path = mem.str(path, path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_REMOVE_DIRECTORY)?;
    retry(|| dir.remove_dir(trim_slashes(path)))
}

/// `path_unlink_file(fd, path, path_len)`: removes a file or a symbolic
/// link (never what it points to); a directory is `isdir`.
pub(crate) fn path_unlink_file(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let path = mem.str(path, path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_UNLINK_FILE)?;
    retry(|| dir.remove_file(path))
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path,
/// new_path_len)`: a hard link.
#[expect(clippy::too_many_arguments, reason = "the WASI signature")]
pub(crate) fn path_link(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    let old_dir = dir(&ctx.table, old_fd, rights::PATH_LINK_SOURCE)?;
    let new_dir = dir(&ctx.table, new_fd, rights::PATH_LINK_TARGET)?;
    check_link_slashes(old_dir, old_path, new_dir, new_path)?;
    if old_flags & lookupflags::SYMLINK_FOLLOW != 0 {
        // `canonicalize` resolves inside the sandbox, to a relative path.
        let target = retry(|| old_dir.canonicalize(old_path))?;
        retry(|| old_dir.hard_link(&target, new_dir, new_path))
    } else {
        retry(|| old_dir.hard_link(old_path, new_dir, new_path))
    }
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused: *size)`: the
/// link's target, cut to the buffer as `readlink(2)` does, without NUL.
#[expect(clippy::too_many_arguments, reason = "the WASI signature")]
pub(crate) fn path_readlink(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> Result<(), Errno> {
    let used_out = mem.out::<4>(bufused)?;
    mem.slice(buf, buf_len)?;
    let path = mem.str(path, path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_READLINK)?;
    let target = retry(|| dir.read_link(path))?;
    let bytes = target.as_os_str().as_bytes();
    let dst = mem.slice_mut(buf, buf_len)?;
    let n = bytes.len().min(dst.len());
    dst[..n].copy_from_slice(&bytes[..n]);
    mem.put_u32(used_out, n as u32);
    Ok(())
}

/// `path_rename(fd, old_path, old_path_len, new_fd, new_path,
/// new_path_len)`.
#[expect(clippy::too_many_arguments, reason = "the WASI signature")]
pub(crate) fn path_rename(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    let old_dir = dir(&ctx.table, old_fd, rights::PATH_RENAME_SOURCE)?;
    let new_dir = dir(&ctx.table, new_fd, rights::PATH_RENAME_TARGET)?;
    check_trailing_slashes(old_dir, old_path, new_path)?;
    retry(|| old_dir.rename(old_path, new_dir, new_path))
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`:
/// makes `new_path` a symbolic link whose text is `old_path`.
pub(crate) fn path_symlink(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let target = mem.str(old_path, old_path_len)?;
    let link = mem.str(new_path, new_path_len)?;
    let dir = dir(&ctx.table, fd, rights::PATH_SYMLINK)?;
    retry(|| dir.symlink(target, link))
}

#[cfg(test)]
mod tests {
    use super::trim_slashes;

    #[test]
    fn trailing_slashes_are_trimmed() {
        assert_eq!(trim_slashes("a/b//"), "a/b");
        assert_eq!(trim_slashes("a"), "a");
        assert_eq!(trim_slashes("//"), "/");
        assert_eq!(trim_slashes(""), "");
    }
}
