//! Integration tests of WASI preview1: guest programs in WAT, and WASI
//! calls made one by one through a wrapper module (see `harness`).

mod args_env;
mod clock_random;
mod faults;
mod files;
mod harness;
mod paths;
mod poll;
mod programs;
mod readdir;
mod sandbox;
mod sockets;
