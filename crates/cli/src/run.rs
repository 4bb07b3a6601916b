//! `mote run [OPTIONS] FILE [ARGS...]`: run a WASI program, or one export
//! with `--invoke`, the way `wasmtime run` does.
//!
//! Exit status: the guest's `proc_exit` code; 134 when it traps (as wasmtime
//! on Unix); 1 when the module is invalid or cannot be linked; 2 for bad
//! options, missing files and a module that has nothing to run.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use mote::{CompilationMode, Config, Engine, Func, Instance, Linker, Module, Store, Strategy, Val, ValType};
use mote_wasi::{WasiCtx, WasiCtxBuilder};

use crate::cache;

/// Arguments of `mote run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Grant a host directory to the guest: `HOST` or `HOST::GUEST` (repeatable).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Set an environment variable for the guest (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE")]
    envs: Vec<String>,
    /// Pass this process's whole environment to the guest.
    #[arg(long)]
    inherit_env: bool,
    /// Call this export instead of `_start`; ARGS become its arguments.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// The back end: `interp` (the interpreter) or `jit` (compiled to
    /// machine code with Cranelift when loaded).
    #[arg(long, default_value = "interp")]
    mode: String,
    /// When function bodies are validated and translated: `lazy` (validate
    /// all at load, translate each on first call), `lazy-validation` (both
    /// on first call: fastest start; an invalid body is reported when its
    /// function is first called) or `eager` (both at load).
    /// Interpreter only (default `lazy`).
    #[arg(long, value_name = "WHEN", value_parser = ["lazy", "lazy-validation", "eager"])]
    compilation: Option<String>,
    /// Leave the cache alone (also `MOTE_NO_CACHE=1`): with `--mode jit`,
    /// compile the module even if the cache holds its code; otherwise
    /// validate every body of a large module at load even if it passed
    /// before. The cache lives in `$MOTE_CACHE_DIR`,
    /// `$XDG_CACHE_HOME/mote` or `~/.cache/mote`.
    #[arg(long)]
    no_cache: bool,
    /// Run with this much fuel; running out is a trap.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Largest size, in bytes, of any linear memory.
    #[arg(long, value_name = "BYTES")]
    max_memory: Option<u64>,
    /// Largest total size, in bytes, of the GC objects (structs, arrays,
    /// exceptions) the program may create; objects are never freed.
    #[arg(long, value_name = "BYTES")]
    max_gc_heap: Option<u64>,
    /// Size of the interpreter's value stack in bytes; with `--mode jit`,
    /// the native stack compiled code may use.
    #[arg(long, value_name = "BYTES")]
    max_stack: Option<usize>,
    /// Hand the guest a socket listening on HOST:PORT (as a preopened fd).
    #[arg(long, value_name = "HOST:PORT")]
    tcplisten: Vec<String>,
    /// The module (`.wasm` or `.wat`), then the arguments for the program
    /// (or for the `--invoke`d function). Everything after the module goes
    /// to the guest, options included.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "FILE [ARGS]..."
    )]
    module_and_args: Vec<OsString>,
}

impl Args {
    fn file(&self) -> PathBuf {
        PathBuf::from(&self.module_and_args[0])
    }

    fn guest_args(&self) -> impl Iterator<Item = String> + '_ {
        self.module_and_args[1..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
    }
}

/// How a run ended, before it became an exit status.
enum Failure {
    /// Bad options or inputs: exit 2.
    Usage(anyhow::Error),
    /// The module could not be loaded or linked: exit 1.
    Load(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::Usage(e.into())
    }
}

/// Runs the program and turns the outcome into the process's exit status.
pub fn main(args: &Args) -> ExitCode {
    let code = match execute(args) {
        Ok(code) => code,
        Err(Failure::Usage(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Err(Failure::Load(e)) => {
            eprintln!("Error: {e:#}");
            ExitCode::from(1)
        }
    };
    let _ = std::io::stdout().flush();
    code
}

fn execute(args: &Args) -> Result<ExitCode, Failure> {
    let file = args.file();
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    // An AOT artifact always runs as the machine code it holds.
    let artifact = Module::is_artifact(&bytes);
    if artifact && !cfg!(feature = "aot") {
        return Err(Failure::Usage(anyhow!(
            "{} is an AOT artifact, and this mote was built without the `aot` feature that runs them",
            file.display()
        )));
    }
    let strategy = match args.mode.as_str() {
        _ if artifact => Strategy::Jit,
        "interp" => Strategy::Interpreter,
        "jit" if !cfg!(feature = "jit") => {
            return Err(Failure::Usage(anyhow!(
                "--mode jit: this mote was built without the `jit` feature (the compiler)"
            )));
        }
        "jit" => Strategy::Jit,
        other => {
            return Err(Failure::Usage(anyhow!(
                "--mode {other}: expected `interp` or `jit` (an artifact from `mote compile` runs as compiled code whatever the mode)"
            )));
        }
    };
    if strategy == Strategy::Jit
        && let Some(when) = &args.compilation
    {
        return Err(Failure::Usage(anyhow!(
            "--compilation {when}: only the interpreter translates lazily; `--mode jit` and artifacts are compiled before they run"
        )));
    }
    let mut config = Config::new();
    // Compiled code runs on this (the main) thread's native stack, 8 MiB by
    // default: a larger budget would crash instead of trapping.
    const MAX_JIT_STACK: usize = 7 << 20;
    if strategy == Strategy::Jit
        && let Some(bytes) = args.max_stack.filter(|&b| b > MAX_JIT_STACK)
    {
        return Err(Failure::Usage(anyhow!(
            "--max-stack {bytes}: compiled code runs on the main thread's stack, so at most {MAX_JIT_STACK} bytes"
        )));
    }
    config.strategy(strategy);
    // A large module that passed validation before needs no second pass
    // at load (see `cache::validated`).
    let marker = cache::dir(args.no_cache)
        .filter(|_| strategy == Strategy::Interpreter && !artifact && args.compilation.is_none())
        .and_then(|dir| cache::validated::Marker::of(dir, &bytes));
    let validated_before = marker.as_ref().is_some_and(cache::validated::Marker::exists);
    config.compilation_mode(match args.compilation.as_deref() {
        Some("eager") => CompilationMode::Eager,
        Some("lazy-validation") => CompilationMode::LazyValidation,
        _ if validated_before => CompilationMode::LazyValidation,
        _ => CompilationMode::Lazy,
    });
    config.consume_fuel(args.fuel.is_some());
    if let Some(bytes) = args.max_memory {
        config.max_memory_bytes(bytes);
    }
    if let Some(bytes) = args.max_gc_heap {
        config.max_gc_heap_bytes(bytes);
    }
    if let Some(bytes) = args.max_stack {
        config.max_stack_bytes(bytes);
        config.max_wasm_stack(bytes);
    }
    let engine = Engine::new(&config);
    let module = if artifact {
        load_artifact(&engine, &bytes)
    } else {
        compile(&engine, &bytes, args, strategy)
    }
    .map_err(|e| Failure::Load(anyhow!("{}: {e}", file.display())))?;
    if let Some(marker) = marker.filter(|_| !validated_before) {
        marker.record();
    }

    let ctx = wasi_context(args)?;
    let mut store = Store::new(&engine, ctx);
    if let Some(fuel) = args.fuel {
        store.set_fuel(fuel).map_err(anyhow::Error::from)?;
    }
    let mut linker = Linker::new(&engine);
    mote_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).map_err(anyhow::Error::from)?;
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) => return guest_failure(e, true),
    };
    let result = match &args.invoke {
        Some(name) => invoke(&mut store, instance, name, &args.guest_args().collect::<Vec<_>>()),
        None => {
            let start = instance.get_func(&store, "_start").ok_or_else(|| {
                Failure::Usage(anyhow!(
                    "{} exports no `_start` function; use --invoke NAME to call one of its exports",
                    file.display()
                ))
            })?;
            Ok(start.call(&mut store, &[], &mut []))
        }
    }?;
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => guest_failure(e, false),
    }
}

/// Compiles a module; for the JIT through the compile cache, unless it
/// is off.
fn compile(engine: &Engine, bytes: &[u8], args: &Args, strategy: Strategy) -> Result<Module, mote::Error> {
    #[cfg(feature = "jit")]
    if let Some(dir) = crate::cache::dir(args.no_cache).filter(|_| strategy == Strategy::Jit) {
        return crate::cache::compiled::load_or_compile(engine, bytes, &dir, &format!("fuel={}", args.fuel.is_some()));
    }
    #[cfg(not(feature = "jit"))]
    let _ = (args, strategy);
    Module::new(engine, bytes)
}

/// Loads an AOT artifact.
#[cfg(feature = "aot")]
fn load_artifact(engine: &Engine, bytes: &[u8]) -> Result<Module, mote::Error> {
    // SAFETY: `mote run` treats an artifact like a native executable the
    // user chose to run; `deserialize` refuses truncated, corrupted and
    // mismatched artifacts before mapping any code.
    unsafe { Module::deserialize(engine, bytes) }
}

/// `execute` refuses artifacts before it gets here in builds without the
/// `aot` feature; this keeps the call site free of feature switches.
#[cfg(not(feature = "aot"))]
fn load_artifact(_: &Engine, _: &[u8]) -> Result<Module, mote::Error> {
    Err(mote::Error::msg("running AOT artifacts needs the `aot` feature"))
}

/// The exit status for an error raised while the guest ran (or instantiated).
fn guest_failure(e: mote::Error, instantiating: bool) -> Result<ExitCode, Failure> {
    let _ = std::io::stdout().flush();
    if let Some(status) = e.exit_status() {
        // Exit statuses are one byte; a larger one must not wrap to success.
        return match u8::try_from(status) {
            Ok(status) => Ok(ExitCode::from(status)),
            Err(_) => {
                eprintln!("Error: the program exited with status {status}, which is out of range (0-255)");
                Ok(ExitCode::from(1))
            }
        };
    }
    if e.as_trap().is_some() {
        eprintln!("Error: {e}");
        return Ok(ExitCode::from(134));
    }
    if instantiating {
        return Err(Failure::Load(e.into()));
    }
    eprintln!("Error: {e}");
    Ok(ExitCode::from(1))
}

/// The WASI context the options describe.
fn wasi_context(args: &Args) -> Result<WasiCtx, Failure> {
    let mut builder = WasiCtxBuilder::new();
    builder.arg(args.file().to_string_lossy());
    if args.invoke.is_none() {
        builder.args(args.guest_args());
    }
    builder.inherit_stdio();
    if args.inherit_env {
        builder.inherit_env();
    }
    for pair in &args.envs {
        let (key, value) = pair
            .split_once('=')
            .filter(|(key, _)| !key.is_empty())
            .ok_or_else(|| anyhow!("--env {pair}: expected KEY=VALUE"))?;
        builder.env(key, value);
    }
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir.as_str(), dir.as_str()));
        builder
            .preopened_dir(host, guest)
            .map_err(|e| anyhow!("--dir {dir}: {e}"))?;
    }
    for addr in &args.tcplisten {
        let listener = std::net::TcpListener::bind(addr).with_context(|| format!("--tcplisten {addr}"))?;
        builder.tcp_listener(listener);
    }
    Ok(builder.build())
}

/// Calls export `name` with `args` parsed by its parameter types and prints
/// each result on its own line.
fn invoke(
    store: &mut Store<WasiCtx>,
    instance: Instance,
    name: &str,
    args: &[String],
) -> Result<Result<(), mote::Error>, Failure> {
    if let Some(init) = instance.get_func(&*store, "_initialize")
        && let Err(e) = init.call(&mut *store, &[], &mut [])
    {
        return Ok(Err(e));
    }
    let func: Func = instance
        .get_func(&*store, name)
        .ok_or_else(|| anyhow!("the module exports no function named `{name}`"))?;
    let ty = func.ty(&*store);
    if args.len() != ty.params().len() {
        return Err(Failure::Usage(anyhow!(
            "`{name}` takes {} argument(s), {} given",
            ty.params().len(),
            args.len()
        )));
    }
    let params = args
        .iter()
        .zip(ty.params())
        .map(|(text, &t)| parse_arg(text, t))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    if let Err(e) = func.call(&mut *store, &params, &mut results) {
        return Ok(Err(e));
    }
    let mut out = std::io::stdout().lock();
    for r in &results {
        let _ = writeln!(out, "{}", show(r));
    }
    Ok(Ok(()))
}

fn parse_arg(text: &str, ty: ValType) -> anyhow::Result<Val> {
    let bad = || anyhow!("cannot parse `{text}` as {ty}");
    Ok(match ty {
        ValType::I32 => Val::I32(
            text.parse::<i32>()
                .or_else(|_| text.parse::<u32>().map(|v| v as i32))
                .map_err(|_| bad())?,
        ),
        ValType::I64 => Val::I64(
            text.parse::<i64>()
                .or_else(|_| text.parse::<u64>().map(|v| v as i64))
                .map_err(|_| bad())?,
        ),
        ValType::F32 => Val::from(text.parse::<f32>().map_err(|_| bad())?),
        ValType::F64 => Val::from(text.parse::<f64>().map_err(|_| bad())?),
        ValType::V128 | ValType::Ref(_) => bail!("--invoke cannot pass a {ty} argument"),
    })
}

fn show(v: &Val) -> String {
    match *v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(bits) => f32::from_bits(bits).to_string(),
        Val::F64(bits) => f64::from_bits(bits).to_string(),
        Val::V128(x) => format!("{x:#034x}"),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::AnyRef(None) | Val::ExnRef(None) => "null".into(),
        Val::FuncRef(Some(_)) => "<funcref>".into(),
        Val::ExternRef(Some(_)) => "<externref>".into(),
        Val::AnyRef(Some(_)) => "<anyref>".into(),
        Val::ExnRef(Some(_)) => "<exnref>".into(),
    }
}
