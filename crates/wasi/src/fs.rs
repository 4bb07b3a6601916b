//! The file system functions (`fd_*` and `path_*`), on `cap-std`.
//!
//! Every path a guest names is resolved by `cap-std` beneath a directory
//! descriptor the guest holds, which itself came from a directory the host
//! preopened: `..` above it, absolute paths and symbolic links that lead
//! outside all fail (`perm`), whether the links existed before or the guest
//! made them. The few operations done on raw descriptors (`fstat`,
//! `futimens`, `fsync`, `fcntl`) never take a path.
//!
//! The submodules split the functions by what they touch: [`fd`] reads,
//! writes and seeks; [`fdstat`] the descriptor's own state; [`filestat`]
//! file metadata; [`readdir`] directory listings; [`open`] `path_open`;
//! [`path`] the other path operations.

pub(crate) mod fd;
pub(crate) mod fdstat;
pub(crate) mod filestat;
pub(crate) mod open;
pub(crate) mod path;
pub(crate) mod readdir;

use crate::abi::filetype;
use crate::errno::Errno;
use crate::fd_table::{Descriptor, FdTable, Kind};
use cap_fs_ext::OpenOptionsMaybeDirExt;
use cap_std::fs::{Dir, File, FileType, FileTypeExt, OpenOptions};
use rustix::fs::FileType as OsFileType;
use std::os::fd::{AsFd, BorrowedFd};

/// The WASI file type of a `st_mode`.
pub(crate) fn filetype_of_mode(mode: u32) -> u8 {
    match OsFileType::from_raw_mode(mode) {
        OsFileType::RegularFile => filetype::REGULAR_FILE,
        OsFileType::Directory => filetype::DIRECTORY,
        OsFileType::Symlink => filetype::SYMBOLIC_LINK,
        OsFileType::CharacterDevice => filetype::CHARACTER_DEVICE,
        OsFileType::BlockDevice => filetype::BLOCK_DEVICE,
        OsFileType::Socket => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

/// The WASI file type of a `cap-std` file type.
pub(crate) fn filetype_of(ty: FileType) -> u8 {
    if ty.is_dir() {
        filetype::DIRECTORY
    } else if ty.is_file() {
        filetype::REGULAR_FILE
    } else if ty.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if ty.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if ty.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if ty.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// The directory behind `fd`, which must have `required` rights: `notdir`
/// if `fd` is not a directory.
pub(crate) fn dir(table: &FdTable, fd: u32, required: u64) -> Result<&Dir, Errno> {
    let desc = table.get(fd)?;
    match &desc.kind {
        Kind::Dir { dir, .. } => {
            desc.require(required)?;
            Ok(dir)
        }
        _ => Err(Errno::Notdir),
    }
}

/// The file behind a descriptor, which must have `required` rights: `badf`
/// for a directory, `spipe` for a stream or socket (which cannot seek).
pub(crate) fn file(desc: &Descriptor, required: u64) -> Result<&File, Errno> {
    match &desc.kind {
        Kind::File(file) => {
            desc.require(required)?;
            Ok(file)
        }
        Kind::Dir { .. } => Err(Errno::Badf),
        _ => Err(Errno::Spipe),
    }
}

/// Runs `op` on the OS descriptor of a file or directory (`badf` for
/// anything else). `cap-std` holds directories as `O_PATH` descriptors on
/// Linux, which can be `fstat`ed but not synced or given new times, so a
/// directory is reopened for reading first.
pub(crate) fn on_file_or_dir<R>(
    desc: &Descriptor,
    op: impl Fn(BorrowedFd<'_>) -> rustix::io::Result<R>,
) -> Result<R, Errno> {
    match &desc.kind {
        Kind::File(f) => retry(|| op(f.as_fd()).map_err(Into::into)),
        Kind::Dir { dir, .. } => {
            let mut opts = OpenOptions::new();
            opts.read(true).maybe_dir(true);
            let reopened = retry(|| dir.open_with(".", &opts))?;
            retry(|| op(reopened.as_fd()).map_err(Into::into))
        }
        _ => Err(Errno::Badf),
    }
}

/// Retries an operation interrupted by a signal.
pub(crate) fn retry<R>(mut op: impl FnMut() -> std::io::Result<R>) -> Result<R, Errno> {
    loop {
        match op() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other.map_err(Errno::from),
        }
    }
}
