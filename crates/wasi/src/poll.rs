//! `poll_oneoff`: waiting for clocks and descriptors.
//!
//! A `subscription` is 48 bytes: `userdata: u64` at 0, the tag `u8` at 8
//! (0 clock, 1 fd_read, 2 fd_write), then at 16 either a clock (`id: u32`
//! at 16, `timeout: u64` at 24, `precision: u64` at 32, `flags: u16` at 40,
//! bit 0 = absolute time) or a descriptor (`fd: u32` at 16). An `event` is
//! 32 bytes: `userdata` at 0, `error: u16` at 8, `type: u8` at 10, and for
//! descriptors `nbytes: u64` at 16 and `flags: u16` at 24 (bit 0 = hangup).
//!
//! Regular files and the embedder's own streams are always ready; sockets
//! and the host's standard input are polled by the OS. The call returns as
//! soon as at least one subscription has an event.

use crate::abi::rights;
use crate::clock;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd_table::{Input, Kind};
use crate::memory::GuestMemory;
use rustix::event::{PollFd, PollFlags};
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;
const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
const SUBCLOCKFLAGS_ABSTIME: u16 = 1;
const EVENTRWFLAGS_HANGUP: u16 = 1;

/// What a subscription waits for.
enum Wait {
    /// A deadline (`None`: too far away to ever come).
    Clock(Option<Instant>),
    /// Readiness of descriptor `fd` to read (or write, if `write`).
    Fd { fd: u32, write: bool },
    /// Nothing: the subscription is invalid, and its event is this error.
    Error(Errno),
}

/// One subscription.
struct Subscription {
    userdata: u64,
    eventtype: u8,
    wait: Wait,
}

/// An event: `error`, or for descriptors the bytes available and hangup.
struct Event {
    error: Option<Errno>,
    nbytes: u64,
    hangup: bool,
}

impl Event {
    const READY: Event = Event {
        error: None,
        nbytes: 0,
        hangup: false,
    };

    fn error(e: Errno) -> Event {
        Event {
            error: Some(e),
            ..Event::READY
        }
    }
}

/// Decodes the subscription at `at`.
fn subscription(mem: &GuestMemory<'_>, at: u32) -> Result<Subscription, Errno> {
    let b: [u8; SUBSCRIPTION_SIZE as usize] = mem.get(at)?;
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
    let eventtype = b[8];
    let wait = match eventtype {
        EVENTTYPE_CLOCK => {
            let (id, timeout) = (u32_at(16), u64_at(24));
            let flags = u16::from_le_bytes([b[40], b[41]]);
            let delay = if flags & SUBCLOCKFLAGS_ABSTIME != 0 {
                clock::now(id).map(|now| timeout.saturating_sub(now))
            } else {
                clock::host_clock(id).map(|_| timeout)
            };
            match delay {
                Ok(ns) => Wait::Clock(Instant::now().checked_add(Duration::from_nanos(ns))),
                Err(e) => Wait::Error(e),
            }
        }
        EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE => Wait::Fd {
            fd: u32_at(16),
            write: eventtype == EVENTTYPE_FD_WRITE,
        },
        _ => return Err(Errno::Inval),
    };
    Ok(Subscription {
        userdata: u64_at(0),
        eventtype,
        wait,
    })
}

/// How a descriptor subscription stands: decided now, or up to the OS.
enum Readiness<'a> {
    Now(Event),
    Os(BorrowedFd<'a>),
}

fn readiness(ctx: &WasiCtx, fd: u32, write: bool) -> Readiness<'_> {
    let desc = match ctx.table.get(fd) {
        Ok(desc) => desc,
        Err(e) => return Readiness::Now(Event::error(e)),
    };
    if let Err(e) = desc.require(rights::POLL_FD_READWRITE) {
        return Readiness::Now(Event::error(e));
    }
    match &desc.kind {
        Kind::File(f) if !write => {
            let left = || -> std::io::Result<u64> {
                let mut f = f;
                let pos = std::io::Seek::stream_position(&mut f)?;
                Ok(f.metadata()?.len().saturating_sub(pos))
            };
            match left() {
                Ok(nbytes) => Readiness::Now(Event { nbytes, ..Event::READY }),
                Err(e) => Readiness::Now(Event::error(e.into())),
            }
        }
        Kind::Input(Input::Host(_)) | Kind::Listener(_) | Kind::Stream(_) => {
            Readiness::Os(desc.os_fd().expect("sockets and host stdin have descriptors"))
        }
        _ => Readiness::Now(Event::READY),
    }
}

/// The event of a descriptor the OS reported on.
fn os_event(fd: BorrowedFd<'_>, revents: PollFlags) -> Event {
    if revents.contains(PollFlags::NVAL) {
        return Event::error(Errno::Badf);
    }
    Event {
        error: None,
        nbytes: rustix::io::ioctl_fionread(fd).unwrap_or(0),
        hangup: revents.intersects(PollFlags::HUP | PollFlags::ERR),
    }
}

/// `poll_oneoff(in: *subscription, out: *event, nsubscriptions, nevents:
/// *size)`.
pub(crate) fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    subs: u32,
    events: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Result<(), Errno> {
    if nsubscriptions == 0 {
        return Err(Errno::Inval);
    }
    mem.slice(subs, nsubscriptions.checked_mul(SUBSCRIPTION_SIZE).ok_or(Errno::Fault)?)?;
    mem.slice(events, nsubscriptions.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?)?;
    let nevents_out = mem.out::<4>(nevents)?;
    let subs = (0..nsubscriptions)
        .map(|i| subscription(mem, subs + i * SUBSCRIPTION_SIZE))
        .collect::<Result<Vec<_>, _>>()?;
    let fired = wait(ctx, &subs)?;
    for (i, (sub, event)) in (0u32..).zip(&fired) {
        let mut b = [0u8; EVENT_SIZE as usize];
        b[0..8].copy_from_slice(&sub.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&event.error.map_or(0, Errno::code).to_le_bytes());
        b[10] = sub.eventtype;
        if sub.eventtype != EVENTTYPE_CLOCK {
            b[16..24].copy_from_slice(&event.nbytes.to_le_bytes());
            let flags = if event.hangup { EVENTRWFLAGS_HANGUP } else { 0 };
            b[24..26].copy_from_slice(&flags.to_le_bytes());
        }
        let out = mem.out::<{ EVENT_SIZE as usize }>(events + i * EVENT_SIZE)?;
        mem.put(out, b);
    }
    mem.put_u32(nevents_out, fired.len() as u32);
    Ok(())
}

/// Waits until at least one subscription fires; returns those that did.
fn wait<'s>(ctx: &WasiCtx, subs: &'s [Subscription]) -> Result<Vec<(&'s Subscription, Event)>, Errno> {
    loop {
        let now = Instant::now();
        let mut fired = Vec::new();
        let mut polled = Vec::new();
        let mut next_deadline: Option<Instant> = None;
        for sub in subs {
            match &sub.wait {
                Wait::Error(e) => fired.push((sub, Event::error(*e))),
                Wait::Clock(Some(at)) if *at <= now => fired.push((sub, Event::READY)),
                Wait::Clock(Some(at)) => next_deadline = Some(next_deadline.map_or(*at, |d| d.min(*at))),
                Wait::Clock(None) => {}
                Wait::Fd { fd, write } => match readiness(ctx, *fd, *write) {
                    Readiness::Now(event) => fired.push((sub, event)),
                    Readiness::Os(os) => polled.push((sub, os, *write)),
                },
            }
        }
        // Already something to report: only look at the OS's descriptors.
        let timeout = match (fired.is_empty(), next_deadline) {
            (false, _) => Some(Duration::ZERO),
            (true, Some(at)) => Some(at.saturating_duration_since(now)),
            (true, None) => None,
        };
        if polled.is_empty() {
            if !fired.is_empty() {
                return Ok(fired);
            }
            // Only clocks too far away to come: wait as long as asked.
            std::thread::sleep(timeout.unwrap_or(Duration::MAX));
            continue;
        }
        let mut fds: Vec<PollFd<'_>> = polled
            .iter()
            .map(|(_, os, write)| PollFd::from_borrowed_fd(*os, if *write { PollFlags::OUT } else { PollFlags::IN }))
            .collect();
        let timespec = timeout.map(|t| rustix::time::Timespec {
            tv_sec: t.as_secs() as i64,
            tv_nsec: t.subsec_nanos() as _,
        });
        match rustix::event::poll(&mut fds, timespec.as_ref()) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
        for ((sub, os, _), pfd) in polled.iter().zip(&fds) {
            let revents = pfd.revents();
            if !revents.is_empty() {
                fired.push((sub, os_event(*os, revents)));
            }
        }
        if !fired.is_empty() {
            return Ok(fired);
        }
    }
}
