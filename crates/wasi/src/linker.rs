//! [`add_to_linker`]: defines every function of `wasi_snapshot_preview1`.
//!
//! Each host function finds the caller's exported `memory`, borrows it
//! together with the store's [`WasiCtx`], and runs its handler, which
//! returns `Ok(())` or an [`Errno`]; the function returns that code.
//! Functions that touch no guest memory skip the lookup.

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::error::WasiError;
use crate::fs::open::{OpenArgs, path_open};
use crate::fs::{fd, fdstat, filestat, path, readdir};
use crate::memory::GuestMemory;
use crate::{args, clock, poll, proc, random, sock};
use mote::{Caller, Linker};

/// The module name guests import WASI from.
const MODULE: &str = "wasi_snapshot_preview1";

/// The code a WASI function returns for `result`.
fn code(result: Result<(), Errno>) -> i32 {
    result.err().map_or(0, |e| i32::from(e.code()))
}

/// Runs `handler` with the caller's memory and WASI context.
fn with_memory<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    handler: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> Result<(), Errno>,
) -> Result<i32, mote::Error>
where
    T: 'static,
{
    let memory = caller
        .get_export("memory")
        .and_then(mote::Extern::into_memory)
        .ok_or(WasiError::MissingMemory)?;
    let (bytes, data) = memory.data_and_store_mut(caller);
    Ok(code(handler(get(data), &mut GuestMemory::new(bytes))))
}

/// Defines functions that use guest memory: `name(params) => handler`,
/// the handler taking the context, the memory, then the parameters.
macro_rules! with_memory {
    ($linker:ident, $get:ident; $($name:ident($($p:ident: $t:ty),*) => $handler:path;)*) => {$(
        $linker.func_wrap(MODULE, stringify!($name), move |mut caller: Caller<'_, T>, $($p: $t),*| {
            with_memory(&mut caller, $get, |ctx, mem| $handler(ctx, mem, $($p),*))
        })?;
    )*};
}

/// Defines functions that only use the context.
macro_rules! without_memory {
    ($linker:ident, $get:ident; $($name:ident($($p:ident: $t:ty),*) => $handler:path;)*) => {$(
        $linker.func_wrap(MODULE, stringify!($name), move |mut caller: Caller<'_, T>, $($p: $t),*| -> i32 {
            code($handler($get(caller.data_mut()), $($p),*))
        })?;
    )*};
}

/// Defines every `wasi_snapshot_preview1` function in `linker`; `get`
/// finds the [`WasiCtx`] in the store's data.
///
/// # Errors
/// If one of the names is already defined in `linker`.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static,
) -> Result<(), mote::Error> {
    with_memory! { linker, get;
        args_get(argv: u32, buf: u32) => args::args_get;
        args_sizes_get(argc: u32, size: u32) => args::args_sizes_get;
        environ_get(environ: u32, buf: u32) => args::environ_get;
        environ_sizes_get(count: u32, size: u32) => args::environ_sizes_get;
        clock_res_get(id: u32, out: u32) => clock::clock_res_get;
        clock_time_get(id: u32, precision: u64, out: u32) => clock::clock_time_get;
        random_get(buf: u32, len: u32) => random::random_get;
        fd_read(fd: u32, iovs: u32, len: u32, nread: u32) => fd::fd_read;
        fd_write(fd: u32, iovs: u32, len: u32, nwritten: u32) => fd::fd_write;
        fd_pread(fd: u32, iovs: u32, len: u32, offset: u64, nread: u32) => fd::fd_pread;
        fd_pwrite(fd: u32, iovs: u32, len: u32, offset: u64, nwritten: u32) => fd::fd_pwrite;
        fd_seek(fd: u32, delta: i64, whence: u32, out: u32) => fd::fd_seek;
        fd_tell(fd: u32, out: u32) => fd::fd_tell;
        fd_fdstat_get(fd: u32, out: u32) => fdstat::fd_fdstat_get;
        fd_prestat_get(fd: u32, out: u32) => fdstat::fd_prestat_get;
        fd_prestat_dir_name(fd: u32, path: u32, len: u32) => fdstat::fd_prestat_dir_name;
        fd_filestat_get(fd: u32, out: u32) => filestat::fd_filestat_get;
        fd_readdir(fd: u32, buf: u32, len: u32, cookie: u64, used: u32) => readdir::fd_readdir;
        path_create_directory(fd: u32, path: u32, len: u32) => path::path_create_directory;
        path_filestat_get(fd: u32, flags: u32, path: u32, len: u32, out: u32) => filestat::path_filestat_get;
        path_filestat_set_times(fd: u32, flags: u32, path: u32, len: u32, atim: u64, mtim: u64, fst: u32)
            => filestat::path_filestat_set_times;
        path_link(old_fd: u32, old_flags: u32, old: u32, old_len: u32, new_fd: u32, new: u32, new_len: u32)
            => path::path_link;
        path_readlink(fd: u32, path: u32, len: u32, buf: u32, buf_len: u32, used: u32) => path::path_readlink;
        path_remove_directory(fd: u32, path: u32, len: u32) => path::path_remove_directory;
        path_rename(fd: u32, old: u32, old_len: u32, new_fd: u32, new: u32, new_len: u32) => path::path_rename;
        path_symlink(old: u32, old_len: u32, fd: u32, new: u32, new_len: u32) => path::path_symlink;
        path_unlink_file(fd: u32, path: u32, len: u32) => path::path_unlink_file;
        poll_oneoff(subs: u32, events: u32, n: u32, nevents: u32) => poll::poll_oneoff;
        sock_accept(fd: u32, flags: u32, out: u32) => sock::sock_accept;
        sock_recv(fd: u32, iovs: u32, len: u32, flags: u32, datalen: u32, ro_flags: u32) => sock::sock_recv;
        sock_send(fd: u32, iovs: u32, len: u32, flags: u32, datalen: u32) => sock::sock_send;
    }
    without_memory! { linker, get;
        fd_advise(fd: u32, offset: u64, len: u64, advice: u32) => fdstat::fd_advise;
        fd_allocate(fd: u32, offset: u64, len: u64) => fdstat::fd_allocate;
        fd_close(fd: u32) => fdstat::fd_close;
        fd_datasync(fd: u32) => fdstat::fd_datasync;
        fd_sync(fd: u32) => fdstat::fd_sync;
        fd_fdstat_set_flags(fd: u32, flags: u32) => fdstat::fd_fdstat_set_flags;
        fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) => fdstat::fd_fdstat_set_rights;
        fd_filestat_set_size(fd: u32, size: u64) => filestat::fd_filestat_set_size;
        fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst: u32) => filestat::fd_filestat_set_times;
        fd_renumber(fd: u32, to: u32) => fdstat::fd_renumber;
        sock_shutdown(fd: u32, how: u32) => sock::sock_shutdown;
    }
    linker.func_wrap(MODULE, "proc_exit", |code: u32| -> Result<(), mote::Error> {
        Err(proc::proc_exit(code))
    })?;
    linker.func_wrap(MODULE, "proc_raise", |sig: u32| -> Result<i32, mote::Error> {
        proc::proc_raise(sig).map(code)
    })?;
    linker.func_wrap(MODULE, "sched_yield", || -> i32 { code(proc::sched_yield()) })?;
    define_path_open(linker, get)
}

/// Defines `path_open`, whose arguments travel as one [`OpenArgs`].
fn define_path_open<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static,
) -> Result<(), mote::Error> {
    let open = move |mut caller: Caller<'_, T>,
                     fd: u32,
                     dirflags: u32,
                     path: u32,
                     path_len: u32,
                     oflags: u32,
                     rights_base: u64,
                     rights_inheriting: u64,
                     fdflags: u32,
                     opened_fd: u32| {
        let args = OpenArgs {
            fd,
            dirflags,
            path,
            path_len,
            oflags,
            rights_base,
            rights_inheriting,
            fdflags,
            opened_fd,
        };
        with_memory(&mut caller, get, |ctx, mem| path_open(ctx, mem, args))
    };
    linker.func_wrap(MODULE, "path_open", open)?;
    Ok(())
}
