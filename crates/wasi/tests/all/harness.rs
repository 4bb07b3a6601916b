//! Test harness: a guest module that exports a wasm wrapper for every WASI
//! function (so tests drive WASI call by call from Rust, through real wasm
//! frames), temporary host directories, and captured output.

use mote::{Engine, Linker, Memory, Module, Store, Val};
use mote_wasi::{Errno, WasiCtx, WasiCtxBuilder};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Every preview1 function: name, parameter types (`i` i32, `I` i64), and
/// whether it returns an errno.
const FUNCS: &[(&str, &str, bool)] = &[
    ("args_get", "ii", true),
    ("args_sizes_get", "ii", true),
    ("environ_get", "ii", true),
    ("environ_sizes_get", "ii", true),
    ("clock_res_get", "ii", true),
    ("clock_time_get", "iIi", true),
    ("fd_advise", "iIIi", true),
    ("fd_allocate", "iII", true),
    ("fd_close", "i", true),
    ("fd_datasync", "i", true),
    ("fd_fdstat_get", "ii", true),
    ("fd_fdstat_set_flags", "ii", true),
    ("fd_fdstat_set_rights", "iII", true),
    ("fd_filestat_get", "ii", true),
    ("fd_filestat_set_size", "iI", true),
    ("fd_filestat_set_times", "iIIi", true),
    ("fd_pread", "iiiIi", true),
    ("fd_prestat_get", "ii", true),
    ("fd_prestat_dir_name", "iii", true),
    ("fd_pwrite", "iiiIi", true),
    ("fd_read", "iiii", true),
    ("fd_readdir", "iiiIi", true),
    ("fd_renumber", "ii", true),
    ("fd_seek", "iIii", true),
    ("fd_sync", "i", true),
    ("fd_tell", "ii", true),
    ("fd_write", "iiii", true),
    ("path_create_directory", "iii", true),
    ("path_filestat_get", "iiiii", true),
    ("path_filestat_set_times", "iiiiIIi", true),
    ("path_link", "iiiiiii", true),
    ("path_open", "iiiiiIIii", true),
    ("path_readlink", "iiiiii", true),
    ("path_remove_directory", "iii", true),
    ("path_rename", "iiiiii", true),
    ("path_symlink", "iiiii", true),
    ("path_unlink_file", "iii", true),
    ("poll_oneoff", "iiii", true),
    ("proc_exit", "i", false),
    ("proc_raise", "i", true),
    ("sched_yield", "", true),
    ("random_get", "ii", true),
    ("sock_accept", "iii", true),
    ("sock_recv", "iiiiii", true),
    ("sock_send", "iiiii", true),
    ("sock_shutdown", "ii", true),
];

/// The text of the wrapper module.
fn wrapper_wat() -> String {
    let mut imports = String::new();
    let mut exports = String::new();
    for &(name, params, returns) in FUNCS {
        let types: Vec<&str> = params.chars().map(|c| if c == 'I' { "i64" } else { "i32" }).collect();
        let sig = format!(
            "(param {}){}",
            types.join(" "),
            if returns { " (result i32)" } else { "" }
        );
        imports.push_str(&format!(
            "(import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} {sig}))\n"
        ));
        let gets: String = (0..types.len()).map(|i| format!("local.get {i} ")).collect();
        exports.push_str(&format!("(func (export \"{name}\") {sig} {gets} call ${name})\n"));
    }
    format!("(module\n{imports}(memory (export \"memory\") 2)\n{exports})")
}

/// Linear-memory scratch areas the helpers use.
pub const OUT: u32 = 0; // results (up to 64 bytes)
pub const IOVS: u32 = 128; // iovec arrays
pub const PATH: u32 = 1024; // first path
pub const PATH2: u32 = 2048; // second path
pub const BUF: u32 = 4096; // data buffers (up to 64 KiB)

/// Every right (as wasi-libc asks for them).
pub const ALL: u64 = u64::MAX;
/// Every right but `fd_write`: what opening a directory may ask for
/// (asking to write a directory is `isdir`, as with open(2) and wasmtime).
pub const DIR: u64 = ALL & !(1 << 6);
/// `oflags`.
pub const CREAT: u32 = 1;
pub const DIRECTORY: u32 = 2;
pub const EXCL: u32 = 4;
pub const TRUNC: u32 = 8;
/// `lookupflags::symlink_follow`.
pub const FOLLOW: u32 = 1;

/// The code of an errno, as a WASI function returns it.
pub fn e(errno: Errno) -> i32 {
    i32::from(errno.code())
}

/// A `Val` of an `i32` parameter.
pub fn i(x: u32) -> Val {
    Val::I32(x as i32)
}

/// A `Val` of an `i64` parameter.
pub fn l(x: u64) -> Val {
    Val::I64(x as i64)
}

/// A guest ready to make WASI calls.
pub struct Guest {
    pub store: Store<WasiCtx>,
    instance: mote::Instance,
    memory: Memory,
}

impl Guest {
    pub fn new(builder: &mut WasiCtxBuilder) -> Guest {
        let engine = Engine::default();
        let module = Module::new(&engine, wrapper_wat()).unwrap();
        let mut linker = Linker::new(&engine);
        mote_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
        let mut store = Store::new(&engine, builder.build());
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let memory = instance.get_memory(&store, "memory").unwrap();
        Guest {
            store,
            instance,
            memory,
        }
    }

    /// Calls WASI function `name`; returns its errno (0: success).
    pub fn call(&mut self, name: &str, args: &[Val]) -> i32 {
        self.try_call(name, args).unwrap()
    }

    /// Calls WASI function `name`; an `Err` is a trap or an exit.
    pub fn try_call(&mut self, name: &str, args: &[Val]) -> Result<i32, mote::Error> {
        let f = self.instance.get_func(&self.store, name).unwrap();
        let returns = FUNCS.iter().find(|f| f.0 == name).unwrap().2;
        let mut results = vec![Val::I32(0); usize::from(returns)];
        f.call(&mut self.store, args, &mut results)?;
        Ok(results.first().and_then(Val::i32).unwrap_or(0))
    }

    pub fn write(&mut self, at: u32, bytes: &[u8]) {
        self.memory.write(&mut self.store, at as usize, bytes).unwrap();
    }

    pub fn read(&self, at: u32, len: u32) -> Vec<u8> {
        let mut buf = vec![0; len as usize];
        self.memory.read(&self.store, at as usize, &mut buf).unwrap();
        buf
    }

    pub fn u16(&self, at: u32) -> u16 {
        u16::from_le_bytes(self.read(at, 2).try_into().unwrap())
    }

    pub fn u32(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.read(at, 4).try_into().unwrap())
    }

    pub fn u64(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.read(at, 8).try_into().unwrap())
    }

    /// Writes an iovec array at `IOVS` naming `bufs` (pointer, length).
    pub fn iovecs(&mut self, bufs: &[(u32, u32)]) {
        let bytes: Vec<u8> = bufs
            .iter()
            .flat_map(|&(p, n)| [p.to_le_bytes(), n.to_le_bytes()].concat())
            .collect();
        self.write(IOVS, &bytes);
    }

    /// `path_open` of `path` beneath `dir`; the new fd or the errno.
    pub fn open(&mut self, dir: u32, path: &str, oflags: u32, rights: u64, fdflags: u32) -> Result<u32, i32> {
        self.open_with(dir, FOLLOW, path, oflags, rights, fdflags)
    }

    pub fn open_with(
        &mut self,
        dir: u32,
        lookup: u32,
        path: &str,
        oflags: u32,
        rights: u64,
        fdflags: u32,
    ) -> Result<u32, i32> {
        self.write(PATH, path.as_bytes());
        let args = [
            i(dir),
            i(lookup),
            i(PATH),
            i(path.len() as u32),
            i(oflags),
            l(rights),
            l(ALL),
            i(fdflags),
            i(OUT),
        ];
        match self.call("path_open", &args) {
            0 => Ok(self.u32(OUT)),
            errno => Err(errno),
        }
    }

    /// `fd_write` of `data`; the count written or the errno.
    pub fn write_fd(&mut self, fd: u32, data: &[u8]) -> Result<u32, i32> {
        self.write(BUF, data);
        self.iovecs(&[(BUF, data.len() as u32)]);
        match self.call("fd_write", &[i(fd), i(IOVS), i(1), i(OUT)]) {
            0 => Ok(self.u32(OUT)),
            errno => Err(errno),
        }
    }

    /// `fd_read` of up to `len` bytes; the bytes or the errno.
    pub fn read_fd(&mut self, fd: u32, len: u32) -> Result<Vec<u8>, i32> {
        self.iovecs(&[(BUF, len)]);
        match self.call("fd_read", &[i(fd), i(IOVS), i(1), i(OUT)]) {
            0 => Ok(self.read(BUF, self.u32(OUT))),
            errno => Err(errno),
        }
    }

    /// Calls a function whose arguments are `(fd, path, path_len)`.
    pub fn path_call(&mut self, name: &str, fd: u32, path: &str) -> i32 {
        self.write(PATH, path.as_bytes());
        self.call(name, &[i(fd), i(PATH), i(path.len() as u32)])
    }

    /// `path_filestat_get`: (filetype, size, nlink) or the errno.
    pub fn stat(&mut self, fd: u32, lookup: u32, path: &str) -> Result<(u8, u64, u64), i32> {
        self.write(PATH, path.as_bytes());
        match self.call(
            "path_filestat_get",
            &[i(fd), i(lookup), i(PATH), i(path.len() as u32), i(OUT)],
        ) {
            0 => Ok((self.read(OUT + 16, 1)[0], self.u64(OUT + 32), self.u64(OUT + 24))),
            errno => Err(errno),
        }
    }
}

/// A fresh host directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("mote-wasi-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A host directory laid out for sandbox tests: `outside/secret.txt` next
/// to the preopened `outside/sandbox/`.
pub struct Sandbox {
    pub tmp: TempDir,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let tmp = TempDir::new(name);
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        std::fs::create_dir(tmp.path().join("sandbox")).unwrap();
        Sandbox { tmp }
    }

    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("sandbox")
    }

    pub fn outside(&self) -> &Path {
        self.tmp.path()
    }

    /// A guest with the sandbox preopened as `/sandbox` (fd 3).
    pub fn guest(&self) -> Guest {
        Guest::new(WasiCtxBuilder::new().preopened_dir(self.root(), "/sandbox").unwrap())
    }

    /// The names in the directory that holds the sandbox.
    pub fn outside_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.outside())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Asserts the outside is as it was made.
    pub fn assert_outside_untouched(&self) {
        assert_eq!(self.outside_names(), ["sandbox", "secret.txt"]);
        assert_eq!(
            std::fs::read_to_string(self.outside().join("secret.txt")).unwrap(),
            "secret"
        );
    }
}

/// A writer whose bytes a test can read afterwards.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
