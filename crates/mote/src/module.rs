//! `Module`: a validated, translated WebAssembly module, shareable between
//! stores and threads.

use crate::Error;
use crate::engine::{CompilationMode, Engine, Strategy};
use crate::exec::dispatch::Code;
use crate::sync::OnceLock;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use mote_environ::wasmparser::FuncToValidate;
use mote_environ::{CompileError, PendingFunc};
use mote_environ::{EntityKind, FuncType, GlobalType, ImportType as EnvImport, MemoryType, ModuleInfo, TableType};
use mote_ir::TranslateConfig;

mod validate;

/// A compiled module.
#[derive(Clone)]
pub struct Module {
    inner: Arc<ModuleInner>,
}

struct ModuleInner {
    engine: Engine,
    info: ModuleInfo,
    bytes: Arc<[u8]>,
    funcs: Box<[LazyFunc]>,
    /// The machine code, for modules of a `Strategy::Jit` engine.
    #[cfg(feature = "aot")]
    jit: Option<crate::jit::CompiledCode>,
}

/// Machine code from an AOT artifact.
#[cfg(feature = "aot")]
type Precompiled = mote_cranelift::CompiledModule;
/// Without compiled code support there is no machine code to pass.
#[cfg(not(feature = "aot"))]
type Precompiled = core::convert::Infallible;

/// The first bytes of an AOT artifact.
#[cfg(feature = "aot")]
const ARTIFACT_MAGIC: &[u8] = mote_cranelift::artifact::MAGIC;
/// The first bytes of an AOT artifact (`mote_cranelift::artifact::MAGIC`,
/// which builds without feature `aot` do not link).
#[cfg(not(feature = "aot"))]
const ARTIFACT_MAGIC: &[u8] = b"MOTEAOT\0";

/// A defined function's code, translated on first use in lazy mode.
struct LazyFunc {
    /// What the translator needs to validate the body again while it
    /// translates (the lazy modes only).
    pending: Option<PendingFunc>,
    code: OnceLock<Result<Code, CompileError>>,
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// An exception tag with these parameters.
    Tag(FuncType),
}

/// One import of a module.
#[derive(Debug, Clone)]
pub struct ImportType<'a> {
    /// Module name.
    pub module: &'a str,
    /// Field name.
    pub name: &'a str,
    /// Expected type.
    pub ty: ExternType,
}

/// One export of a module.
#[derive(Debug, Clone)]
pub struct ExportType<'a> {
    /// Export name.
    pub name: &'a str,
    /// Its type.
    pub ty: ExternType,
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.inner.info.name)
            .finish_non_exhaustive()
    }
}

impl Module {
    /// Compiles a module from its binary (or, with feature `wat`, text) form.
    ///
    /// # Errors
    /// A [`mote_environ::CompileError`] saying what is malformed or invalid,
    /// with the byte offset and, inside a function body, the function index.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module, Error> {
        let bytes = text_to_binary(bytes.as_ref())?;
        Self::from_binary(engine, &bytes, engine.config().compilation_mode, None)
    }

    /// Checks that `bytes` is a valid module without keeping it; every
    /// function body is validated, whatever the engine's compilation mode.
    ///
    /// # Errors
    /// As [`Module::new`].
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<(), Error> {
        let bytes = text_to_binary(bytes)?;
        Self::from_binary(engine, &bytes, CompilationMode::Lazy, None).map(drop)
    }

    /// `precompiled`: machine code read from an AOT artifact, used instead
    /// of compiling.
    fn from_binary(
        engine: &Engine,
        bytes: &[u8],
        mode: CompilationMode,
        precompiled: Option<Precompiled>,
    ) -> Result<Module, Error> {
        let features = engine.config().features;
        let parsed = engine.with_types(|types| mote_environ::parse(bytes, features, types))?;
        let config = translate_config(engine);
        let jit = engine.config().strategy == Strategy::Jit;
        // The compiler needs valid bodies; an artifact's code was compiled
        // from bodies validated then (and is trusted as its `unsafe`
        // loading says), and the interpreter never runs them.
        if mode == CompilationMode::Lazy || (jit && precompiled.is_none()) {
            validate::all_bodies(&parsed.info, bytes, &parsed.funcs)?;
        }
        #[cfg(feature = "aot")]
        let compiled = match precompiled {
            Some(code) => Some(crate::jit::load(engine.config(), code)?),
            None if jit => Some(compile(engine, &parsed.info, bytes)?),
            None => None,
        };
        #[cfg(not(feature = "aot"))]
        let _: Option<Precompiled> = precompiled;
        #[cfg(not(feature = "aot"))]
        if jit {
            return Err(Error::msg(
                "Strategy::Jit needs the `jit` cargo feature of `mote`, which this build does not have",
            ));
        }
        let mut funcs = Vec::with_capacity(parsed.funcs.len());
        for pending in parsed.funcs {
            let func = match mode {
                CompilationMode::Eager => {
                    let code = OnceLock::new();
                    let _ = code.set(Ok(Code::new(mote_ir::translate(
                        &parsed.info,
                        bytes,
                        pending.index,
                        pending.validator,
                        config,
                    )?)));
                    LazyFunc { pending: None, code }
                }
                CompilationMode::Lazy | CompilationMode::LazyValidation => LazyFunc {
                    pending: Some(pending),
                    code: OnceLock::new(),
                },
            };
            funcs.push(func);
        }
        Ok(Module {
            inner: Arc::new(ModuleInner {
                engine: engine.clone(),
                info: parsed.info,
                bytes: bytes.into(),
                funcs: funcs.into(),
                #[cfg(feature = "aot")]
                jit: compiled,
            }),
        })
    }

    /// The module compiled ahead of time: an artifact that
    /// [`Module::deserialize`] loads (with an engine of the same settings
    /// on the same kind of host) without compiling again.
    ///
    /// # Errors
    /// If the module was not compiled to machine code (its engine does not
    /// use `Strategy::Jit`).
    #[cfg(feature = "aot")]
    pub fn serialize(&self) -> Result<Vec<u8>, Error> {
        let code = self
            .jit_code()
            .ok_or_else(|| Error::msg("only modules of a Strategy::Jit engine can be serialized"))?;
        let artifact = mote_cranelift::artifact::Artifact {
            compiled: code.compiled.clone(),
            wasm: self.inner.bytes.to_vec(),
        };
        artifact.write().map_err(Error::msg)
    }

    /// Loads an artifact written by [`Module::serialize`].
    ///
    /// The artifact is checked before anything runs: magic number, format
    /// version, checksum (a truncated or corrupted artifact is refused),
    /// the hash of the embedded module, the target triple (the host's),
    /// the CPU features the code uses (the host must have each) and the
    /// compiler's settings (fuel metering, bounds checks, versions), which
    /// must equal what `engine` compiles with. The embedded module's
    /// sections are parsed and validated again; its function bodies are
    /// not (they were validated when the code was compiled, and the code
    /// is what runs). Needs only cargo feature `aot`: a build
    /// without the compiler runs artifacts written by one with it.
    ///
    /// # Safety
    /// The machine code in an artifact that passes these checks is run as
    /// it is: the checksum detects accidents, not forgeries. Only load
    /// artifacts from a trusted source, as with any native code.
    ///
    /// # Errors
    /// A refused artifact (with the reason), or an engine that does not
    /// use `Strategy::Jit`.
    #[cfg(feature = "aot")]
    pub unsafe fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        if engine.config().strategy != Strategy::Jit {
            return Err(Error::msg("artifacts run only on an engine with Strategy::Jit"));
        }
        let artifact = mote_cranelift::artifact::Artifact::read(bytes).map_err(Error::msg)?;
        Self::from_binary(
            engine,
            &artifact.wasm,
            CompilationMode::LazyValidation,
            Some(artifact.compiled),
        )
    }

    /// Whether `bytes` start like an AOT artifact (not whether it is
    /// valid). Also in builds without feature `aot`, so that they can say
    /// why they do not run one.
    pub fn is_artifact(bytes: &[u8]) -> bool {
        bytes.starts_with(ARTIFACT_MAGIC)
    }

    /// Compiles a module (binary or text) ahead of time into an artifact
    /// for `target`, a target triple such as `aarch64-unknown-linux-gnu`
    /// (`None`: this host, with the CPU features it has; a named triple
    /// gets a portable baseline of features). [`Module::deserialize`] on
    /// a machine of that triple, with an engine of the same settings,
    /// loads it. Any engine strategy compiles; the engine's fuel setting
    /// is compiled in.
    ///
    /// # Errors
    /// An invalid module, an unknown or unsupported target (the compiler
    /// handles 64-bit little-endian x86-64 and aarch64), or code that
    /// cannot be written as an artifact.
    #[cfg(feature = "jit")]
    pub fn precompile(engine: &Engine, bytes: impl AsRef<[u8]>, target: Option<&str>) -> Result<Vec<u8>, Error> {
        let bytes = text_to_binary(bytes.as_ref())?;
        let features = engine.config().features;
        let parsed = engine.with_types(|types| mote_environ::parse(&bytes, features, types))?;
        validate::all_bodies(&parsed.info, &bytes, &parsed.funcs)?;
        let compiled = engine.compiler().compile_for(&parsed.info, &bytes, target)?;
        let artifact = mote_cranelift::artifact::Artifact {
            compiled,
            wasm: bytes.into_owned(),
        };
        artifact.write().map_err(Error::msg)
    }

    /// The module's name from its `name` section.
    pub fn name(&self) -> Option<&str> {
        self.inner.info.name.as_deref()
    }

    /// The engine the module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    pub(crate) fn info(&self) -> &ModuleInfo {
        &self.inner.info
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.inner.bytes
    }

    /// The module's binary, as validated: the text format converted, and
    /// for a deserialized artifact the module embedded in it. A cache keyed
    /// by a hash of modules compares it to tell a hit from a collision.
    pub fn binary(&self) -> &[u8] {
        &self.inner.bytes
    }

    /// The module's machine code, if its engine runs the JIT.
    #[cfg(feature = "aot")]
    pub(crate) fn jit_code(&self) -> Option<&crate::jit::CompiledCode> {
        self.inner.jit.as_ref()
    }

    /// Code of defined function `defined` (index among defined functions),
    /// translating it if this is its first use.
    pub(crate) fn code(&self, defined: usize) -> Result<&Code, &CompileError> {
        let inner = &*self.inner;
        let func = &inner.funcs[defined];
        func.code
            .get_or_init(|| {
                let pending = func.pending.as_ref().expect("lazy functions keep their validator");
                let validator = FuncToValidate {
                    resources: pending.validator.resources.clone(),
                    index: pending.validator.index,
                    ty: pending.validator.ty,
                    features: pending.validator.features,
                };
                mote_ir::translate(
                    &inner.info,
                    &inner.bytes,
                    pending.index,
                    validator,
                    translate_config(&inner.engine),
                )
                .map(Code::new)
            })
            .as_ref()
    }

    /// The module's imports.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType<'_>> + '_ {
        let info = &self.inner.info;
        info.imports.iter().map(move |i| ImportType {
            module: &i.module,
            name: &i.name,
            ty: match &i.ty {
                EnvImport::Func(t) => ExternType::Func(info.func_type(*t).clone()),
                EnvImport::Tag(t) => ExternType::Tag(info.func_type(*t).clone()),
                EnvImport::Table(t) => ExternType::Table(*t),
                EnvImport::Memory(m) => ExternType::Memory(*m),
                EnvImport::Global(g) => ExternType::Global(*g),
            },
        })
    }

    /// The module's exports.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType<'_>> + '_ {
        let info = &self.inner.info;
        info.exports.iter().map(move |e| ExportType {
            name: &e.name,
            ty: match e.kind {
                EntityKind::Func => ExternType::Func(info.func_type_of(mote_environ::FuncIndex(e.index)).clone()),
                EntityKind::Table => ExternType::Table(info.tables[e.index as usize]),
                EntityKind::Memory => ExternType::Memory(info.memories[e.index as usize]),
                EntityKind::Global => ExternType::Global(info.globals[e.index as usize]),
                EntityKind::Tag => ExternType::Tag(info.func_type(info.tags[e.index as usize]).clone()),
            },
        })
    }

    /// Names of the functions for backtraces.
    pub(crate) fn func_name(&self, index: u32) -> Option<String> {
        self.inner
            .info
            .func_name(mote_environ::FuncIndex(index))
            .map(String::from)
    }
}

/// Compiles a module for a `Strategy::Jit` engine.
#[cfg(feature = "jit")]
fn compile(engine: &Engine, info: &ModuleInfo, bytes: &[u8]) -> Result<crate::jit::CompiledCode, Error> {
    engine.compiler().compile(info, bytes)
}

/// An AOT-only build maps artifacts' code but has no compiler.
#[cfg(all(feature = "aot", not(feature = "jit")))]
fn compile(_: &Engine, _: &ModuleInfo, _: &[u8]) -> Result<crate::jit::CompiledCode, Error> {
    Err(Error::msg(
        "Strategy::Jit compiles modules only with the `jit` cargo feature of `mote`; this build (feature `aot`) runs AOT artifacts (`Module::deserialize`)",
    ))
}

fn translate_config(engine: &Engine) -> TranslateConfig {
    TranslateConfig {
        fuel: engine.config().consume_fuel,
    }
}

/// Validates a body without translating it (lazy mode's load-time check).
/// Converts the text format to binary when `bytes` is text.
fn text_to_binary(bytes: &[u8]) -> Result<Cow<'_, [u8]>, Error> {
    #[cfg(feature = "wat")]
    if !bytes.starts_with(b"\0asm") {
        return wat::parse_bytes(bytes).map_err(|e| {
            Error::from(mote_environ::CompileError {
                kind: mote_environ::CompileErrorKind::Malformed,
                message: alloc::format!("{e}"),
                offset: 0,
                func_index: None,
            })
        });
    }
    Ok(Cow::Borrowed(bytes))
}
