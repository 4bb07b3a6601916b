//! `proc_exit`, `proc_raise` and `sched_yield`.
//!
//! Exiting is not a trap: it is [`mote::Error::exit`], which unwinds every
//! wasm frame and which the embedder reads with
//! [`mote::Error::exit_status`].

use crate::errno::Errno;

/// `proc_exit(rval: exitcode)`: ends the program with status `code`.
pub(crate) fn proc_exit(code: u32) -> mote::Error {
    mote::Error::exit(code as i32)
}

/// `proc_raise(sig: signal)`: acts as the default action of the signal
/// would on the program. Signals that terminate it end it as a shell
/// reports a process killed by signal `n`: with status `128 + n`. Signals
/// ignored by default (`chld`, `cont`, `urg`, `winch`) and the stop signals
/// (there is no job control) do nothing; signal 0 (`none`) only checks.
pub(crate) fn proc_raise(sig: u32) -> Result<Result<(), Errno>, mote::Error> {
    const CHLD: u32 = 16;
    const CONT: u32 = 17;
    const STOP: u32 = 18;
    const TSTP: u32 = 19;
    const TTIN: u32 = 20;
    const TTOU: u32 = 21;
    const URG: u32 = 22;
    const WINCH: u32 = 27;
    const LAST: u32 = 30;
    match sig {
        0 | CHLD | CONT | STOP | TSTP | TTIN | TTOU | URG | WINCH => Ok(Ok(())),
        1..=LAST => Err(mote::Error::exit(128 + sig as i32)),
        _ => Ok(Err(Errno::Inval)),
    }
}

/// `sched_yield()`.
pub(crate) fn sched_yield() -> Result<(), Errno> {
    std::thread::yield_now();
    Ok(())
}
