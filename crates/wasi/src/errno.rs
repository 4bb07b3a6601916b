//! `errno`: the error codes of `wasi_snapshot_preview1`, and the mapping
//! from host errors (`std::io::Error`, `rustix::io::Errno`) to them.
//!
//! Every WASI function returns one of these codes as its `i32` result (0 is
//! success and has no variant here: success is `Ok`). The mapping follows
//! what a POSIX program expects: `ENOENT` becomes `noent`, `EACCES`
//! `acces`, `EPERM` `perm`, and so on. `cap-std` reports an attempt to leave
//! the sandbox as `PermissionDenied` without an OS code; that becomes
//! `perm`, as `EPERM` would.

use std::fmt;
use std::io;

macro_rules! errnos {
    ($($variant:ident = $code:literal, $name:literal, $doc:literal;)*) => {
        /// A `wasi_snapshot_preview1` error code (`errno`), success excepted.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Errno {
            $(#[doc = $doc] $variant = $code,)*
        }

        impl Errno {
            /// The name the witx definition gives this code, e.g. `noent`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Errno::$variant => $name,)*
                }
            }
        }
    };
}

errnos! {
    TooBig = 1, "2big", "Argument list too long.";
    Acces = 2, "acces", "Permission denied.";
    Addrinuse = 3, "addrinuse", "Address in use.";
    Addrnotavail = 4, "addrnotavail", "Address not available.";
    Afnosupport = 5, "afnosupport", "Address family not supported.";
    Again = 6, "again", "Resource unavailable, or operation would block.";
    Already = 7, "already", "Connection already in progress.";
    Badf = 8, "badf", "Bad file descriptor.";
    Badmsg = 9, "badmsg", "Bad message.";
    Busy = 10, "busy", "Device or resource busy.";
    Canceled = 11, "canceled", "Operation canceled.";
    Child = 12, "child", "No child processes.";
    Connaborted = 13, "connaborted", "Connection aborted.";
    Connrefused = 14, "connrefused", "Connection refused.";
    Connreset = 15, "connreset", "Connection reset.";
    Deadlk = 16, "deadlk", "Resource deadlock would occur.";
    Destaddrreq = 17, "destaddrreq", "Destination address required.";
    Dom = 18, "dom", "Mathematics argument out of domain of function.";
    Dquot = 19, "dquot", "Reserved.";
    Exist = 20, "exist", "File exists.";
    Fault = 21, "fault", "Bad address.";
    Fbig = 22, "fbig", "File too large.";
    Hostunreach = 23, "hostunreach", "Host is unreachable.";
    Idrm = 24, "idrm", "Identifier removed.";
    Ilseq = 25, "ilseq", "Illegal byte sequence.";
    Inprogress = 26, "inprogress", "Operation in progress.";
    Intr = 27, "intr", "Interrupted function.";
    Inval = 28, "inval", "Invalid argument.";
    Io = 29, "io", "I/O error.";
    Isconn = 30, "isconn", "Socket is connected.";
    Isdir = 31, "isdir", "Is a directory.";
    Loop = 32, "loop", "Too many levels of symbolic links.";
    Mfile = 33, "mfile", "File descriptor value too large.";
    Mlink = 34, "mlink", "Too many links.";
    Msgsize = 35, "msgsize", "Message too large.";
    Multihop = 36, "multihop", "Reserved.";
    Nametoolong = 37, "nametoolong", "Filename too long.";
    Netdown = 38, "netdown", "Network is down.";
    Netreset = 39, "netreset", "Connection aborted by network.";
    Netunreach = 40, "netunreach", "Network unreachable.";
    Nfile = 41, "nfile", "Too many files open in system.";
    Nobufs = 42, "nobufs", "No buffer space available.";
    Nodev = 43, "nodev", "No such device.";
    Noent = 44, "noent", "No such file or directory.";
    Noexec = 45, "noexec", "Executable file format error.";
    Nolck = 46, "nolck", "No locks available.";
    Nolink = 47, "nolink", "Reserved.";
    Nomem = 48, "nomem", "Not enough space.";
    Nomsg = 49, "nomsg", "No message of the desired type.";
    Noprotoopt = 50, "noprotoopt", "Protocol not available.";
    Nospc = 51, "nospc", "No space left on device.";
    Nosys = 52, "nosys", "Function not supported.";
    Notconn = 53, "notconn", "The socket is not connected.";
    Notdir = 54, "notdir", "Not a directory or a symbolic link to a directory.";
    Notempty = 55, "notempty", "Directory not empty.";
    Notrecoverable = 56, "notrecoverable", "State not recoverable.";
    Notsock = 57, "notsock", "Not a socket.";
    Notsup = 58, "notsup", "Not supported, or operation not supported on socket.";
    Notty = 59, "notty", "Inappropriate I/O control operation.";
    Nxio = 60, "nxio", "No such device or address.";
    Overflow = 61, "overflow", "Value too large to be stored in data type.";
    Ownerdead = 62, "ownerdead", "Previous owner died.";
    Perm = 63, "perm", "Operation not permitted.";
    Pipe = 64, "pipe", "Broken pipe.";
    Proto = 65, "proto", "Protocol error.";
    Protonosupport = 66, "protonosupport", "Protocol not supported.";
    Prototype = 67, "prototype", "Protocol wrong type for socket.";
    Range = 68, "range", "Result too large.";
    Rofs = 69, "rofs", "Read-only file system.";
    Spipe = 70, "spipe", "Invalid seek.";
    Srch = 71, "srch", "No such process.";
    Stale = 72, "stale", "Reserved.";
    Timedout = 73, "timedout", "Connection timed out.";
    Txtbsy = 74, "txtbsy", "Text file busy.";
    Xdev = 75, "xdev", "Cross-device link.";
    Notcapable = 76, "notcapable", "Extension: Capabilities insufficient.";
}

impl Errno {
    /// The numeric code a WASI function returns.
    pub fn code(self) -> u16 {
        self as u16
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::error::Error for Errno {}

impl From<rustix::io::Errno> for Errno {
    fn from(e: rustix::io::Errno) -> Errno {
        use rustix::io::Errno as E;
        match e {
            E::TOOBIG => Errno::TooBig,
            E::ACCESS => Errno::Acces,
            E::ADDRINUSE => Errno::Addrinuse,
            E::ADDRNOTAVAIL => Errno::Addrnotavail,
            E::AFNOSUPPORT => Errno::Afnosupport,
            E::AGAIN => Errno::Again,
            E::ALREADY => Errno::Already,
            E::BADF => Errno::Badf,
            E::BADMSG => Errno::Badmsg,
            E::BUSY => Errno::Busy,
            E::CANCELED => Errno::Canceled,
            E::CHILD => Errno::Child,
            E::CONNABORTED => Errno::Connaborted,
            E::CONNREFUSED => Errno::Connrefused,
            E::CONNRESET => Errno::Connreset,
            E::DEADLK => Errno::Deadlk,
            E::DESTADDRREQ => Errno::Destaddrreq,
            E::DOM => Errno::Dom,
            E::DQUOT => Errno::Dquot,
            E::EXIST => Errno::Exist,
            E::FAULT => Errno::Fault,
            E::FBIG => Errno::Fbig,
            E::HOSTUNREACH => Errno::Hostunreach,
            E::IDRM => Errno::Idrm,
            E::ILSEQ => Errno::Ilseq,
            E::INPROGRESS => Errno::Inprogress,
            E::INTR => Errno::Intr,
            E::INVAL => Errno::Inval,
            E::IO => Errno::Io,
            E::ISCONN => Errno::Isconn,
            E::ISDIR => Errno::Isdir,
            E::LOOP => Errno::Loop,
            E::MFILE => Errno::Mfile,
            E::MLINK => Errno::Mlink,
            E::MSGSIZE => Errno::Msgsize,
            E::MULTIHOP => Errno::Multihop,
            E::NAMETOOLONG => Errno::Nametoolong,
            E::NETDOWN => Errno::Netdown,
            E::NETRESET => Errno::Netreset,
            E::NETUNREACH => Errno::Netunreach,
            E::NFILE => Errno::Nfile,
            E::NOBUFS => Errno::Nobufs,
            E::NODEV => Errno::Nodev,
            E::NOENT => Errno::Noent,
            E::NOEXEC => Errno::Noexec,
            E::NOLCK => Errno::Nolck,
            E::NOLINK => Errno::Nolink,
            E::NOMEM => Errno::Nomem,
            E::NOMSG => Errno::Nomsg,
            E::NOPROTOOPT => Errno::Noprotoopt,
            E::NOSPC => Errno::Nospc,
            E::NOSYS => Errno::Nosys,
            E::NOTCONN => Errno::Notconn,
            E::NOTDIR => Errno::Notdir,
            E::NOTEMPTY => Errno::Notempty,
            E::NOTRECOVERABLE => Errno::Notrecoverable,
            E::NOTSOCK => Errno::Notsock,
            E::NOTSUP => Errno::Notsup,
            E::NOTTY => Errno::Notty,
            E::NXIO => Errno::Nxio,
            E::OVERFLOW => Errno::Overflow,
            E::OWNERDEAD => Errno::Ownerdead,
            E::PERM => Errno::Perm,
            E::PIPE => Errno::Pipe,
            E::PROTO => Errno::Proto,
            E::PROTONOSUPPORT => Errno::Protonosupport,
            E::PROTOTYPE => Errno::Prototype,
            E::RANGE => Errno::Range,
            E::ROFS => Errno::Rofs,
            E::SPIPE => Errno::Spipe,
            E::SRCH => Errno::Srch,
            E::STALE => Errno::Stale,
            E::TIMEDOUT => Errno::Timedout,
            E::TXTBSY => Errno::Txtbsy,
            E::XDEV => Errno::Xdev,
            _ => Errno::Io,
        }
    }
}

impl From<io::Error> for Errno {
    fn from(e: io::Error) -> Errno {
        if let Some(code) = e.raw_os_error() {
            return rustix::io::Errno::from_raw_os_error(code).into();
        }
        use io::ErrorKind as K;
        match e.kind() {
            K::NotFound => Errno::Noent,
            // `cap-std`'s "a path led outside of the filesystem".
            K::PermissionDenied => Errno::Perm,
            K::AlreadyExists => Errno::Exist,
            K::InvalidInput | K::InvalidFilename => Errno::Inval,
            K::InvalidData => Errno::Ilseq,
            K::WouldBlock => Errno::Again,
            K::Interrupted => Errno::Intr,
            K::Unsupported => Errno::Notsup,
            K::OutOfMemory => Errno::Nomem,
            K::NotADirectory => Errno::Notdir,
            K::IsADirectory => Errno::Isdir,
            K::DirectoryNotEmpty => Errno::Notempty,
            K::BrokenPipe => Errno::Pipe,
            K::ConnectionRefused => Errno::Connrefused,
            K::ConnectionReset => Errno::Connreset,
            K::ConnectionAborted => Errno::Connaborted,
            K::NotConnected => Errno::Notconn,
            K::AddrInUse => Errno::Addrinuse,
            K::AddrNotAvailable => Errno::Addrnotavail,
            K::TimedOut => Errno::Timedout,
            _ => Errno::Io,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Errno;
    use std::io;

    #[test]
    fn os_errors_map_to_posix_codes() {
        let cases = [
            (rustix::io::Errno::NOENT, Errno::Noent, 44),
            (rustix::io::Errno::EXIST, Errno::Exist, 20),
            (rustix::io::Errno::NOTDIR, Errno::Notdir, 54),
            (rustix::io::Errno::ISDIR, Errno::Isdir, 31),
            (rustix::io::Errno::NOTEMPTY, Errno::Notempty, 55),
            (rustix::io::Errno::ACCESS, Errno::Acces, 2),
            (rustix::io::Errno::PERM, Errno::Perm, 63),
            (rustix::io::Errno::LOOP, Errno::Loop, 32),
            (rustix::io::Errno::BADF, Errno::Badf, 8),
            (rustix::io::Errno::INVAL, Errno::Inval, 28),
        ];
        for (os, wasi, code) in cases {
            assert_eq!(Errno::from(io::Error::from(os)), wasi);
            assert_eq!(wasi.code(), code);
        }
    }

    #[test]
    fn sandbox_escape_is_perm() {
        let e = io::Error::new(io::ErrorKind::PermissionDenied, "a path led outside of the filesystem");
        assert_eq!(Errno::from(e), Errno::Perm);
        assert_eq!(Errno::Notcapable.name(), "notcapable");
        assert_eq!(Errno::TooBig.to_string(), "2big");
    }
}
