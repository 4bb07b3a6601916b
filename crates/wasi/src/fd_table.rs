//! The descriptor table: what each guest file descriptor stands for, with
//! its rights and flags.
//!
//! Numbers are handed out lowest-free first, as POSIX does. The builder lays
//! the table out as fd 0–2 for stdio, then the preopened directories, then
//! the preopened sockets: wasi-libc discovers preopens by calling
//! `fd_prestat_get` on fd 3, 4, ... until `badf`, so no socket may sit
//! between two directories.

use crate::abi::{filetype, rights};
use crate::errno::Errno;
use cap_std::fs::{Dir, File};
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, BorrowedFd};

/// A byte source for the standard input.
pub(crate) enum Input {
    /// The host process's standard input (pollable).
    Host(io::Stdin),
    /// A reader the embedder provided.
    Custom(Box<dyn Read + Send + Sync>),
}

/// A byte sink for the standard output or error.
pub(crate) enum Output {
    /// The host process's standard output.
    Stdout(io::Stdout),
    /// The host process's standard error.
    Stderr(io::Stderr),
    /// A writer the embedder provided.
    Custom(Box<dyn Write + Send + Sync>),
}

/// What a descriptor refers to.
pub(crate) enum Kind {
    /// A file (or another non-directory) opened in the sandbox.
    File(File),
    /// A directory; `preopen` is the guest path of a preopened one.
    Dir { dir: Dir, preopen: Option<String> },
    /// A readable stream (stdin).
    Input(Input),
    /// A writable stream (stdout, stderr).
    Output(Output),
    /// A listening TCP socket the host handed in.
    Listener(TcpListener),
    /// A TCP connection accepted from a listener.
    Stream(TcpStream),
}

/// One open descriptor.
pub(crate) struct Descriptor {
    /// What it refers to.
    pub(crate) kind: Kind,
    /// Rights of the descriptor itself.
    pub(crate) base: u64,
    /// Rights that descriptors opened through it may get.
    pub(crate) inheriting: u64,
    /// `fdflags` as the guest last set them.
    pub(crate) flags: u16,
}

impl Descriptor {
    /// A descriptor with the rights every descriptor of its kind has.
    pub(crate) fn new(kind: Kind) -> Descriptor {
        let (base, inheriting) = match &kind {
            Kind::File(_) => (rights::FILE, 0),
            Kind::Dir { .. } => (rights::DIR, rights::DIR | rights::FILE),
            Kind::Input(_) => (rights::STDIN, 0),
            Kind::Output(_) => (rights::STDOUT, 0),
            Kind::Listener(_) => (rights::LISTENER, rights::STREAM),
            Kind::Stream(_) => (rights::STREAM, 0),
        };
        Descriptor {
            kind,
            base,
            inheriting,
            flags: 0,
        }
    }

    /// Fails unless the descriptor has all of `required` rights: `badf` for
    /// reading or writing (as POSIX reports a descriptor not open for it),
    /// `notcapable` for the rest.
    pub(crate) fn require(&self, required: u64) -> Result<(), Errno> {
        let missing = required & !self.base;
        if missing == 0 {
            Ok(())
        } else if missing & (rights::FD_READ | rights::FD_WRITE) != 0 {
            Err(Errno::Badf)
        } else {
            Err(Errno::Notcapable)
        }
    }

    /// The OS descriptor behind this one, if there is one.
    pub(crate) fn os_fd(&self) -> Option<BorrowedFd<'_>> {
        match &self.kind {
            Kind::File(f) => Some(f.as_fd()),
            Kind::Dir { dir, .. } => Some(dir.as_fd()),
            Kind::Input(Input::Host(s)) => Some(s.as_fd()),
            Kind::Output(Output::Stdout(s)) => Some(s.as_fd()),
            Kind::Output(Output::Stderr(s)) => Some(s.as_fd()),
            Kind::Listener(l) => Some(l.as_fd()),
            Kind::Stream(s) => Some(s.as_fd()),
            Kind::Input(Input::Custom(_)) | Kind::Output(Output::Custom(_)) => None,
        }
    }

    /// The WASI file type.
    pub(crate) fn filetype(&self) -> u8 {
        match &self.kind {
            Kind::Dir { .. } => filetype::DIRECTORY,
            Kind::Listener(_) | Kind::Stream(_) => filetype::SOCKET_STREAM,
            _ => match self.os_fd().map(rustix::fs::fstat) {
                Some(Ok(stat)) => crate::fs::filetype_of_mode(stat.st_mode),
                _ => filetype::UNKNOWN,
            },
        }
    }
}

/// The open descriptors of one WASI context.
#[derive(Default)]
pub(crate) struct FdTable {
    entries: BTreeMap<u32, Descriptor>,
}

impl FdTable {
    /// Adds `desc` at the lowest free number.
    ///
    /// # Errors
    /// `mfile` if every number is taken.
    pub(crate) fn push(&mut self, desc: Descriptor) -> Result<u32, Errno> {
        let mut fd = 0u32;
        for &used in self.entries.keys() {
            if used != fd {
                break;
            }
            fd = fd.checked_add(1).ok_or(Errno::Mfile)?;
        }
        self.entries.insert(fd, desc);
        Ok(fd)
    }

    /// The descriptor `fd` (`badf` if it is not open).
    pub(crate) fn get(&self, fd: u32) -> Result<&Descriptor, Errno> {
        self.entries.get(&fd).ok_or(Errno::Badf)
    }

    /// The descriptor `fd`, mutably.
    pub(crate) fn get_mut(&mut self, fd: u32) -> Result<&mut Descriptor, Errno> {
        self.entries.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// Closes `fd`.
    pub(crate) fn remove(&mut self, fd: u32) -> Result<Descriptor, Errno> {
        self.entries.remove(&fd).ok_or(Errno::Badf)
    }

    /// Moves `from` to number `to`, closing what `to` was; both must be open.
    pub(crate) fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from != to {
            let desc = self.remove(from)?;
            self.entries.insert(to, desc);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink() -> Descriptor {
        Descriptor::new(Kind::Output(Output::Custom(Box::new(io::sink()))))
    }

    #[test]
    fn lowest_free_number_first() {
        let mut table = FdTable::default();
        for expect in 0..4 {
            assert_eq!(table.push(sink()).unwrap(), expect);
        }
        table.remove(1).unwrap();
        assert_eq!(table.push(sink()).unwrap(), 1);
        assert_eq!(table.push(sink()).unwrap(), 4);
        assert_eq!(table.remove(9).err(), Some(Errno::Badf));
    }

    #[test]
    fn renumber_needs_both_open() {
        let mut table = FdTable::default();
        table.push(sink()).unwrap();
        table.push(sink()).unwrap();
        assert_eq!(table.renumber(0, 5), Err(Errno::Badf));
        table.renumber(0, 1).unwrap();
        assert!(table.get(0).is_err() && table.get(1).is_ok());
    }

    #[test]
    fn missing_rights() {
        let out = sink();
        assert_eq!(out.require(rights::FD_READ), Err(Errno::Badf));
        assert_eq!(out.require(rights::FD_SEEK), Err(Errno::Notcapable));
        assert_eq!(out.require(rights::FD_WRITE), Ok(()));
        assert_eq!(out.require(rights::FD_WRITE | rights::FD_SEEK), Err(Errno::Notcapable));
    }
}
