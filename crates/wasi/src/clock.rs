//! `clock_res_get` and `clock_time_get`: the realtime and monotonic clocks
//! and the process and thread CPU-time clocks, in nanoseconds.

use crate::abi::clockid;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::memory::GuestMemory;
use rustix::time::{ClockId, Timespec};

/// The host clock behind a WASI `clockid` (`inval` for an unknown one).
pub(crate) fn host_clock(id: u32) -> Result<ClockId, Errno> {
    Ok(match id {
        clockid::REALTIME => ClockId::Realtime,
        clockid::MONOTONIC => ClockId::Monotonic,
        clockid::PROCESS_CPUTIME_ID => ClockId::ProcessCPUTime,
        clockid::THREAD_CPUTIME_ID => ClockId::ThreadCPUTime,
        _ => return Err(Errno::Inval),
    })
}

/// Nanoseconds in a timespec, saturating (times before 1970 read as 0).
pub(crate) fn nanos(ts: Timespec) -> u64 {
    let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000)
        .saturating_add(u64::try_from(ts.tv_nsec).unwrap_or(0))
}

/// The current time of clock `id`, in nanoseconds.
pub(crate) fn now(id: u32) -> Result<u64, Errno> {
    Ok(nanos(rustix::time::clock_gettime(host_clock(id)?)))
}

/// `clock_res_get(id: clockid, resolution: *timestamp)`.
pub(crate) fn clock_res_get(_: &mut WasiCtx, mem: &mut GuestMemory<'_>, id: u32, out: u32) -> Result<(), Errno> {
    let clock = host_clock(id)?;
    let out = mem.out::<8>(out)?;
    // A clock always ticks: report at least one nanosecond.
    mem.put_u64(out, nanos(rustix::time::clock_getres(clock)).max(1));
    Ok(())
}

/// `clock_time_get(id: clockid, precision: timestamp, time: *timestamp)`.
/// The precision is a hint the host clocks cannot use.
pub(crate) fn clock_time_get(
    _: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    id: u32,
    _precision: u64,
    out: u32,
) -> Result<(), Errno> {
    let time = now(id)?;
    let out = mem.out::<8>(out)?;
    mem.put_u64(out, time);
    Ok(())
}
