//! `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`: TCP sockets the
//! host handed in as listeners, and the connections accepted from them.
//! `fd_read`, `fd_write`, `fd_fdstat_set_flags` and `poll_oneoff` work on
//! them too.

use crate::abi::{fdflags, rights};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd_table::{Descriptor, Kind};
use crate::fs::retry;
use crate::memory::GuestMemory;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

/// `riflags` of `sock_recv`.
const RECV_PEEK: u32 = 1 << 0;
const RECV_WAITALL: u32 = 1 << 1;
/// `sdflags` of `sock_shutdown`.
const SHUT_RD: u32 = 1 << 0;
const SHUT_WR: u32 = 1 << 1;

/// The connection behind `fd`: `notsock` if it is no socket, `notconn` for
/// a listener.
fn stream(ctx: &mut WasiCtx, fd: u32, required: u64) -> Result<&mut TcpStream, Errno> {
    let desc = ctx.table.get_mut(fd)?;
    match desc.kind {
        Kind::Stream(_) => desc.require(required)?,
        Kind::Listener(_) => return Err(Errno::Notconn),
        _ => return Err(Errno::Notsock),
    }
    match &mut desc.kind {
        Kind::Stream(s) => Ok(s),
        _ => Err(Errno::Notsock),
    }
}

/// `sock_accept(fd, flags: fdflags, fd_out: *fd)`: accepts a connection
/// (`again` if none is waiting on a non-blocking listener). Only
/// `nonblock` may be given, for the new descriptor.
pub(crate) fn sock_accept(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    fd_out: u32,
) -> Result<(), Errno> {
    let out = mem.out::<4>(fd_out)?;
    if flags & !u32::from(fdflags::NONBLOCK) != 0 {
        return Err(Errno::Inval);
    }
    let desc = ctx.table.get(fd)?;
    let Kind::Listener(listener) = &desc.kind else {
        return Err(Errno::Notsock);
    };
    desc.require(rights::SOCK_ACCEPT)?;
    let inheriting = desc.inheriting;
    let (stream, _) = retry(|| listener.accept())?;
    let nonblock = flags != 0;
    stream.set_nonblocking(nonblock)?;
    let mut new = Descriptor::new(Kind::Stream(stream));
    new.base &= inheriting;
    new.flags = if nonblock { fdflags::NONBLOCK } else { 0 };
    let new_fd = ctx.table.push(new)?;
    mem.put_u32(out, new_fd);
    Ok(())
}

/// `sock_recv(fd, ri_data: *iovec, ri_data_len, ri_flags, ro_datalen:
/// *size, ro_flags: *roflags)`: reads into the first non-empty buffer;
/// `recv_peek` leaves the data queued, `recv_waitall` waits until the buffer
/// is full or the peer closes.
#[expect(clippy::too_many_arguments, reason = "the WASI signature")]
pub(crate) fn sock_recv(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    ri_flags: u32,
    ro_datalen: u32,
    ro_flags: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let len_out = mem.out::<4>(ro_datalen)?;
    let flags_out = mem.out::<2>(ro_flags)?;
    if ri_flags & !(RECV_PEEK | RECV_WAITALL) != 0 {
        return Err(Errno::Inval);
    }
    let s = stream(ctx, fd, rights::FD_READ)?;
    let buf = mem.first_buf_mut(&iovs);
    let n = if ri_flags & RECV_PEEK != 0 {
        retry(|| s.peek(buf))?
    } else if ri_flags & RECV_WAITALL != 0 {
        let mut filled = 0;
        while filled < buf.len() {
            match retry(|| s.read(&mut buf[filled..]))? {
                0 => break,
                n => filled += n,
            }
        }
        filled
    } else {
        retry(|| s.read(buf))?
    };
    mem.put_u32(len_out, n as u32);
    mem.put(flags_out, [0, 0]);
    Ok(())
}

/// `sock_send(fd, si_data: *ciovec, si_data_len, si_flags, so_datalen:
/// *size)`: one gathering send (which may be short).
pub(crate) fn sock_send(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    si_flags: u32,
    so_datalen: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let out = mem.out::<4>(so_datalen)?;
    if si_flags != 0 {
        return Err(Errno::Inval);
    }
    let s = stream(ctx, fd, rights::FD_WRITE)?;
    let slices = mem.io_slices(&iovs);
    let n = retry(|| s.write_vectored(&slices))?;
    drop(slices);
    mem.put_u32(out, n as u32);
    Ok(())
}

/// `sock_shutdown(fd, how: sdflags)`: shuts down reading, writing or both.
pub(crate) fn sock_shutdown(ctx: &mut WasiCtx, fd: u32, how: u32) -> Result<(), Errno> {
    let how = match how {
        SHUT_RD => Shutdown::Read,
        SHUT_WR => Shutdown::Write,
        x if x == SHUT_RD | SHUT_WR => Shutdown::Both,
        _ => return Err(Errno::Inval),
    };
    let s = stream(ctx, fd, rights::SOCK_SHUTDOWN)?;
    Ok(s.shutdown(how)?)
}
