//! `path_open`: opening files and directories beneath a directory
//! descriptor.
//!
//! The new descriptor's rights are those asked for, within what the
//! directory may hand on (`fs_rights_inheriting`) and what its kind can do.
//! The host open mode follows the rights asked for, as wasi-libc derives
//! them from `O_RDONLY`/`O_WRONLY`/`O_RDWR`: read for `fd_read` or
//! `fd_readdir`, write for `fd_write`, `fd_datasync`, `fd_allocate` or
//! `fd_filestat_set_size`.

use super::{dir, retry};
use crate::abi::{fdflags, lookupflags, oflags, rights};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd_table::{Descriptor, Kind};
use crate::memory::GuestMemory;
use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt};
use cap_std::fs::{Dir, OpenOptions};

/// The arguments of `path_open`, as the guest passed them.
pub(crate) struct OpenArgs {
    pub(crate) fd: u32,
    pub(crate) dirflags: u32,
    pub(crate) path: u32,
    pub(crate) path_len: u32,
    pub(crate) oflags: u32,
    pub(crate) rights_base: u64,
    pub(crate) rights_inheriting: u64,
    pub(crate) fdflags: u32,
    pub(crate) opened_fd: u32,
}

/// `path_open(fd, dirflags, path, path_len, oflags, fs_rights_base,
/// fs_rights_inheriting, fdflags, opened_fd: *fd)`.
pub(crate) fn path_open(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, args: OpenArgs) -> Result<(), Errno> {
    let out = mem.out::<4>(args.opened_fd)?;
    let path = mem.str(args.path, args.path_len)?;
    let open_flags = u16::try_from(args.oflags)
        .ok()
        .filter(|f| f & !oflags::ALL == 0)
        .ok_or(Errno::Inval)?;
    let fd_flags = u16::try_from(args.fdflags)
        .ok()
        .filter(|f| f & !fdflags::ALL == 0)
        .ok_or(Errno::Inval)?;
    let follow = args.dirflags & lookupflags::SYMLINK_FOLLOW != 0;
    let mut required = rights::PATH_OPEN;
    if open_flags & oflags::CREAT != 0 {
        required |= rights::PATH_CREATE_FILE;
    }
    if open_flags & oflags::TRUNC != 0 {
        required |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let parent = ctx.table.get(args.fd)?;
    let inheritable = parent.inheriting;
    let dir = dir(&ctx.table, args.fd, required)?;
    let kind = if open_flags & oflags::DIRECTORY != 0 {
        if open_flags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0 {
            return Err(Errno::Inval);
        }
        let dir = if follow {
            retry(|| dir.open_dir(path))?
        } else {
            retry(|| dir.open_dir_nofollow(path))?
        };
        // A directory cannot be opened for writing (as open(2) says).
        if args.rights_base & rights::FD_WRITE != 0 {
            return Err(Errno::Isdir);
        }
        Kind::Dir { dir, preopen: None }
    } else {
        open_file(dir, path, open_flags, fd_flags, args.rights_base, follow)?
    };
    let mut desc = Descriptor::new(kind);
    desc.base &= args.rights_base & inheritable;
    desc.inheriting &= args.rights_inheriting & inheritable;
    desc.flags = fd_flags;
    let fd = ctx.table.push(desc)?;
    mem.put_u32(out, fd);
    Ok(())
}

/// Opens something that may be a file or a directory (`open(2)` without
/// `O_DIRECTORY`): a directory opened for reading becomes a directory
/// descriptor.
fn open_file(dir: &Dir, path: &str, open_flags: u16, fd_flags: u16, asked: u64, follow: bool) -> Result<Kind, Errno> {
    let read = asked & (rights::FD_READ | rights::FD_READDIR) != 0;
    let create = open_flags & oflags::CREAT != 0;
    let truncate = open_flags & oflags::TRUNC != 0;
    // The host needs write access to create or truncate, even where the
    // guest asked for none; the descriptor's rights still withhold it.
    let write = asked & (rights::FD_WRITE | rights::FD_DATASYNC | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE)
        != 0
        || create
        || truncate;
    // std-style options refuse append with truncate; append is set on the
    // open descriptor instead, as `fd_fdstat_set_flags` does.
    let append = fd_flags & fdflags::APPEND != 0;
    let mut opts = OpenOptions::new();
    opts.read(read || !write)
        .write(write)
        .append(append && !truncate)
        .truncate(truncate)
        .maybe_dir(true)
        .follow(if follow {
            FollowSymlinks::Yes
        } else {
            FollowSymlinks::No
        })
        .dsync(fd_flags & fdflags::DSYNC != 0)
        .rsync(fd_flags & fdflags::RSYNC != 0)
        .sync(fd_flags & fdflags::SYNC != 0)
        .nonblock(fd_flags & fdflags::NONBLOCK != 0);
    if create && open_flags & oflags::EXCL != 0 {
        opts.create_new(true);
    } else {
        opts.create(create);
    }
    let file = match retry(|| dir.open_with(path, &opts)) {
        // Rights that imply host write access (sync, allocate, set size) do
        // not stop a directory from opening, unless the guest asked to write.
        Err(Errno::Isdir) if asked & rights::FD_WRITE == 0 && !create && !truncate => {
            opts.write(false).read(true);
            retry(|| dir.open_with(path, &opts))?
        }
        other => other?,
    };
    if append && truncate {
        let mut os = rustix::fs::fcntl_getfl(&file)?;
        os.insert(rustix::fs::OFlags::APPEND);
        rustix::fs::fcntl_setfl(&file, os)?;
    }
    if retry(|| file.metadata())?.is_dir() {
        return Ok(Kind::Dir {
            dir: Dir::from_std_file(file.into_std()),
            preopen: None,
        });
    }
    Ok(Kind::File(file))
}
