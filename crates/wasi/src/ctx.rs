//! The WASI context a store holds ([`WasiCtx`]) and its builder: arguments,
//! environment, stdio, preopened directories and sockets.

use crate::error::WasiError;
use crate::fd_table::{Descriptor, FdTable, Input, Kind, Output};
use cap_std::fs::Dir;
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Builds a [`WasiCtx`]: what a guest sees of the host.
///
/// By default a guest gets no arguments, no environment, an empty standard
/// input, standard output and error that discard what is written, and no
/// file system at all.
#[derive(Default)]
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<(Vec<u8>, Vec<u8>)>,
    stdin: Option<Input>,
    stdout: Option<Output>,
    stderr: Option<Output>,
    preopens: Vec<(Dir, String)>,
    listeners: Vec<TcpListener>,
}

impl WasiCtxBuilder {
    /// A builder for a context with nothing granted.
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// Appends one argument (the first is the program name, by convention).
    pub fn arg(&mut self, arg: impl AsRef<str>) -> &mut Self {
        self.args.push(arg.as_ref().as_bytes().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args(&mut self, args: impl IntoIterator<Item = impl AsRef<str>>) -> &mut Self {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    /// Sets an environment variable (replacing an earlier value).
    pub fn env(&mut self, key: impl AsRef<str>, value: impl AsRef<str>) -> &mut Self {
        self.set_env(key.as_ref().as_bytes(), value.as_ref().as_bytes());
        self
    }

    /// Passes on every environment variable of the host process.
    pub fn inherit_env(&mut self) -> &mut Self {
        for (key, value) in std::env::vars_os() {
            self.set_env(key.as_bytes(), value.as_bytes());
        }
        self
    }

    fn set_env(&mut self, key: &[u8], value: &[u8]) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_vec(), value.to_vec()));
    }

    /// Makes fd 0, 1 and 2 the host process's standard input, output and
    /// error.
    pub fn inherit_stdio(&mut self) -> &mut Self {
        self.stdin = Some(Input::Host(io::stdin()));
        self.stdout = Some(Output::Stdout(io::stdout()));
        self.stderr = Some(Output::Stderr(io::stderr()));
        self
    }

    /// Reads the guest's standard input from `reader`.
    pub fn stdin(&mut self, reader: Box<dyn Read + Send + Sync>) -> &mut Self {
        self.stdin = Some(Input::Custom(reader));
        self
    }

    /// Sends the guest's standard output to `writer`.
    pub fn stdout(&mut self, writer: Box<dyn Write + Send + Sync>) -> &mut Self {
        self.stdout = Some(Output::Custom(writer));
        self
    }

    /// Sends the guest's standard error to `writer`.
    pub fn stderr(&mut self, writer: Box<dyn Write + Send + Sync>) -> &mut Self {
        self.stderr = Some(Output::Custom(writer));
        self
    }

    /// Grants the guest the host directory `host_path`, which it sees as
    /// `guest_path` (e.g. `/` or `.` or `/data`). The guest reaches nothing
    /// outside it: not through `..`, absolute paths, symbolic links or
    /// renames.
    ///
    /// # Errors
    /// If the host directory cannot be opened.
    pub fn preopened_dir(&mut self, host_path: impl AsRef<Path>, guest_path: &str) -> Result<&mut Self, mote::Error> {
        let path = host_path.as_ref();
        let dir =
            Dir::open_ambient_dir(path, cap_std::ambient_authority()).map_err(|source| WasiError::PreopenDir {
                path: path.to_path_buf(),
                source,
            })?;
        self.preopens.push((dir, guest_path.to_string()));
        Ok(self)
    }

    /// Hands the guest a listening TCP socket, as a preopened descriptor it
    /// can `sock_accept` on. Sockets are numbered after every preopened
    /// directory.
    pub fn tcp_listener(&mut self, listener: TcpListener) -> &mut Self {
        self.listeners.push(listener);
        self
    }

    /// Builds the context, leaving this builder empty.
    pub fn build(&mut self) -> WasiCtx {
        let b = std::mem::take(self);
        let mut table = FdTable::default();
        let stdin = b.stdin.unwrap_or_else(|| Input::Custom(Box::new(io::empty())));
        let stdout = b.stdout.unwrap_or_else(|| Output::Custom(Box::new(io::sink())));
        let stderr = b.stderr.unwrap_or_else(|| Output::Custom(Box::new(io::sink())));
        let kinds = [Kind::Input(stdin), Kind::Output(stdout), Kind::Output(stderr)]
            .into_iter()
            .chain(b.preopens.into_iter().map(|(dir, name)| Kind::Dir {
                dir,
                preopen: Some(name),
            }))
            .chain(b.listeners.into_iter().map(Kind::Listener));
        for kind in kinds {
            table.push(Descriptor::new(kind)).expect("a new table has free numbers");
        }
        let env = b
            .env
            .into_iter()
            .map(|(mut k, v)| {
                k.push(b'=');
                k.extend(v);
                k
            })
            .collect();
        WasiCtx {
            args: b.args,
            env,
            table,
        }
    }
}

/// The state of WASI for one store: arguments, environment and descriptors.
/// Made by a [`WasiCtxBuilder`]; reached by the host functions through the
/// accessor given to [`add_to_linker`](crate::add_to_linker).
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    /// `KEY=value` entries.
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) table: FdTable,
}
