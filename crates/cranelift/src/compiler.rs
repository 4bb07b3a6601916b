//! The compile driver: translates every defined function (in parallel
//! where asked), compiles them and the entry trampolines with Cranelift,
//! lays them out in one code blob and resolves the calls between them.

use crate::array_adapter::{self, ADAPTER_NAMESPACE};
use crate::isa::{self, Target};
use crate::module::{CompiledModule, FuncLoc, HandlerSite, TrapSite};
use crate::options::{BoundsChecks, CompileOptions};
use crate::reloc::{self, BlobReloc};
use crate::translate::{self, ModuleEnv};
use crate::vmctx::VMOffsets;
use crate::{Error, abi, trampoline};
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{ExternalName, Function, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::{Context, FinalizedMachExceptionHandler, FinalizedRelocTarget, binemit::Reloc};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use mote_core::TrapCode;
use mote_environ::{CompositeType, FuncIndex, ModuleInfo, TypeIndex};

/// Compiles modules for one target with fixed options.
pub struct Compiler {
    isa: OwnedTargetIsa,
    options: CompileOptions,
}

/// Cranelift's working memory, kept by each compiling thread from one
/// function to the next: clearing a context keeps its allocations, which
/// saves the allocator a large share of the work on modules with many
/// small functions.
struct Scratch {
    ctx: Context,
    builder: FunctionBuilderContext,
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch {
            ctx: Context::new(),
            builder: FunctionBuilderContext::new(),
        }
    }
}

/// One function's machine code before layout.
struct Artifact {
    code: Vec<u8>,
    /// (offset in the function, kind, target, addend).
    relocs: Vec<(u32, Reloc, RelocTarget, i64)>,
    traps: Vec<TrapSite>,
    /// Calls with an exception handler, offsets in the function.
    handlers: Vec<HandlerSite>,
}

/// What a relocation of a compiled function refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RelocTarget {
    /// A function, by index in the module's function index space.
    Func(u32),
    /// The array-call adapter of a function type.
    Adapter(TypeIndex),
}

impl Compiler {
    /// A compiler for `target`.
    ///
    /// # Errors
    /// [`Error::Target`] if the target is unknown or unsupported.
    pub fn new(target: &Target, options: CompileOptions) -> Result<Compiler, Error> {
        let isa = isa::build(target, options.opt_level)?;
        Ok(Compiler { isa, options })
    }

    /// The target triple code is generated for.
    pub fn triple(&self) -> String {
        self.isa.triple().to_string()
    }

    /// The options.
    pub fn options(&self) -> &CompileOptions {
        &self.options
    }

    /// The settings text artifacts record and loaders compare exactly
    /// ([`crate::fingerprint::settings`]): versions and fuel metering.
    pub fn settings(&self) -> String {
        crate::fingerprint::settings(self.options.consume_fuel)
    }

    /// The CPU features code from this compiler may use: the names of the
    /// enabled boolean Cranelift ISA flags, sorted. For the host they are
    /// what [`crate::fingerprint::host_cpu_features`] finds.
    pub fn cpu_features(&self) -> Vec<String> {
        let mut on: Vec<String> = (self.isa.isa_flags().iter())
            .filter(|v| v.as_bool() == Some(true))
            .map(|v| v.name.to_string())
            .collect();
        on.sort_unstable();
        on
    }

    /// Compiles every defined function of `info` (whose bodies are in
    /// `wasm`, already validated) and a trampoline per function type.
    ///
    /// # Errors
    /// [`Error::Unsupported`] naming the first operator or type not
    /// compiled yet, [`Error::Codegen`] or [`Error::Relocation`].
    pub fn compile_module(&self, info: &ModuleInfo, wasm: &[u8]) -> Result<CompiledModule, Error> {
        if let BoundsChecks::GuardPages { .. } = self.options.bounds_checks
            && target_lexicon::HOST.pointer_width() != Ok(target_lexicon::PointerWidth::U64)
        {
            return Err(Error::Target {
                triple: self.triple(),
                message: "guard-page bounds checks need a 64-bit host".into(),
            });
        }
        if let BoundsChecks::GuardPages { .. } = self.options.bounds_checks
            && !matches!(self.isa.triple().architecture, target_lexicon::Architecture::X86_64)
        {
            return Err(Error::Target {
                triple: self.triple(),
                message: "guard-page code needs the runtime's signal handler and trap raising, \
                          which exist for x86-64 only"
                    .into(),
            });
        }
        let env = self.env(info);
        let funcs = self.compile_functions(&env, wasm)?;
        let adapters = self.compile_adapters(info, &env, &funcs)?;
        let mut trampolines = Vec::new();
        for (i, def) in info.type_defs.iter().enumerate() {
            let CompositeType::Func(ft) = &def.composite else {
                continue;
            };
            let name = UserFuncName::user(1, i as u32);
            if let Some(func) = trampoline::build(ft, env.frontend_config, name) {
                trampolines.push((
                    TypeIndex(i as u32),
                    self.compile_clif(func, u32::MAX, &mut Scratch::default().ctx)?,
                ));
            }
        }
        self.link(info, env.offsets, funcs, trampolines, adapters)
    }

    /// Compiles the array-call adapters the functions refer to.
    fn compile_adapters(
        &self,
        info: &ModuleInfo,
        env: &ModuleEnv<'_>,
        funcs: &[Artifact],
    ) -> Result<Vec<(TypeIndex, Artifact)>, Error> {
        let mut types: Vec<TypeIndex> = (funcs.iter().flat_map(|a| &a.relocs))
            .filter_map(|&(_, _, target, _)| match target {
                RelocTarget::Adapter(ty) => Some(ty),
                RelocTarget::Func(_) => None,
            })
            .collect();
        types.sort_unstable_by_key(|t| t.0);
        types.dedup();
        let mut ctx = Context::new();
        let mut adapters = Vec::with_capacity(types.len());
        for ty in types {
            let name = UserFuncName::user(ADAPTER_NAMESPACE, ty.0);
            let func = array_adapter::build(info.func_type(ty), env.frontend_config, env.raises_traps, name)
                .ok_or_else(|| Error::Codegen {
                    func: u32::MAX,
                    message: format!("no array-call adapter for type {}", ty.0),
                })?;
            adapters.push((ty, self.compile_clif(func, u32::MAX, &mut ctx)?));
        }
        Ok(adapters)
    }

    fn compile_functions(&self, env: &ModuleEnv<'_>, wasm: &[u8]) -> Result<Vec<Artifact>, Error> {
        let n = env.info.bodies.len();
        let threads = if self.options.parallel {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(n.max(1))
        } else {
            1
        };
        if threads <= 1 {
            let mut scratch = Scratch::default();
            return (0..n)
                .map(|i| self.compile_function(env, wasm, i, &mut scratch))
                .collect();
        }
        let chunk = n.div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    s.spawn(move || {
                        let mut scratch = Scratch::default();
                        (t * chunk..((t + 1) * chunk).min(n))
                            .map(|i| self.compile_function(env, wasm, i, &mut scratch))
                            .collect::<Result<Vec<_>, _>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(n);
            for h in handles {
                out.extend(h.join().expect("compile thread panicked")?);
            }
            Ok(out)
        })
    }

    fn compile_function(
        &self,
        env: &ModuleEnv<'_>,
        wasm: &[u8],
        defined: usize,
        scratch: &mut Scratch,
    ) -> Result<Artifact, Error> {
        let clif = self.translate_function(env, wasm, defined, &mut scratch.builder)?;
        self.compile_clif(clif, env.info.num_imported_funcs + defined as u32, &mut scratch.ctx)
    }

    /// The Cranelift IR of defined function `defined` (function index minus
    /// imported functions) before optimization, as text: for golden tests
    /// and for looking at what the translator makes of a body.
    ///
    /// # Errors
    /// As [`Compiler::compile_module`], for this function only.
    ///
    /// # Panics
    /// If `defined` is out of range.
    pub fn clif_text(&self, info: &ModuleInfo, wasm: &[u8], defined: usize) -> Result<String, Error> {
        let env = self.env(info);
        let mut builder = FunctionBuilderContext::new();
        Ok(self
            .translate_function(&env, wasm, defined, &mut builder)?
            .display()
            .to_string())
    }

    fn env<'a>(&'a self, info: &'a ModuleInfo) -> ModuleEnv<'a> {
        ModuleEnv {
            info,
            offsets: VMOffsets::for_module(info),
            options: &self.options,
            call_conv: self.isa.default_call_conv(),
            frontend_config: self.isa.frontend_config(),
            raises_traps: self.options.raises_traps(),
            array_adapters: array_adapter::supported(self.isa.triple()),
        }
    }

    fn translate_function(
        &self,
        env: &ModuleEnv<'_>,
        wasm: &[u8],
        defined: usize,
        fctx: &mut FunctionBuilderContext,
    ) -> Result<Function, Error> {
        let func = FuncIndex(env.info.num_imported_funcs + defined as u32);
        let range = env.info.bodies[defined].range.clone();
        let sig = abi::wasm_signature(env.info.func_type_of(func)).ok_or_else(|| {
            Error::unsupported(
                func.0,
                range.start,
                "a parameter or result type without a compiled form",
            )
        })?;
        let mut clif = Function::with_name_signature(UserFuncName::user(0, func.0), sig);
        let body = wasm.get(range.clone()).ok_or_else(|| Error::InvalidBody {
            func: func.0,
            offset: range.start,
            message: "body range outside the module".into(),
        })?;
        translate::translate_body(env, func, body, range.start, FunctionBuilder::new(&mut clif, fctx))?;
        Ok(clif)
    }

    /// Compiles one CLIF function in `ctx` (cleared first); `func` names it
    /// in errors.
    fn compile_clif(&self, clif: Function, func: u32, ctx: &mut Context) -> Result<Artifact, Error> {
        ctx.clear();
        ctx.func = clif;
        let compiled = ctx
            .compile(&*self.isa, &mut ControlPlane::default())
            .map_err(|e| Error::Codegen {
                func,
                message: format!("{:?}", e.inner),
            })?;
        let code = compiled.buffer.data().to_vec();
        let raw_relocs = compiled.buffer.relocs().to_vec();
        let traps = match self.options.bounds_checks {
            BoundsChecks::Explicit => Vec::new(),
            BoundsChecks::GuardPages { .. } => compiled
                .buffer
                .traps()
                .iter()
                .filter_map(|t| {
                    Some(TrapSite {
                        offset: t.offset,
                        code: site_code(t.code)?,
                    })
                })
                .collect(),
        };
        let mut handlers = Vec::new();
        for site in compiled.buffer.call_sites() {
            let Some(handler) = site.exception_handlers.iter().find_map(|h| match h {
                FinalizedMachExceptionHandler::Default(offset) => Some(*offset),
                _ => None,
            }) else {
                continue;
            };
            let frame_offset = site.frame_offset.ok_or_else(|| Error::Codegen {
                func,
                message: "a call with an exception handler has no frame offset".into(),
            })?;
            handlers.push(HandlerSite {
                ret: site.ret_addr,
                handler,
                frame_offset,
            });
        }
        let mut relocs = Vec::new();
        for r in raw_relocs {
            let target = match &r.target {
                FinalizedRelocTarget::ExternalName(ExternalName::User(name)) => {
                    let name = &ctx.func.params.user_named_funcs()[*name];
                    if name.namespace == ADAPTER_NAMESPACE {
                        RelocTarget::Adapter(TypeIndex(name.index))
                    } else {
                        RelocTarget::Func(name.index)
                    }
                }
                other => {
                    return Err(Error::Relocation {
                        kind: format!("{:?}", r.kind),
                        offset: r.offset as usize,
                        message: format!("in function {func}: unexpected target {other:?}"),
                    });
                }
            };
            relocs.push((r.offset, r.kind, target, r.addend));
        }
        Ok(Artifact {
            code,
            relocs,
            traps,
            handlers,
        })
    }

    /// Lays functions and trampolines out in one blob and resolves calls.
    fn link(
        &self,
        info: &ModuleInfo,
        offsets: VMOffsets,
        funcs: Vec<Artifact>,
        trampolines: Vec<(TypeIndex, Artifact)>,
        adapters: Vec<(TypeIndex, Artifact)>,
    ) -> Result<CompiledModule, Error> {
        let align = self.isa.function_alignment().preferred.max(16) as usize;
        let mut code = Vec::new();
        let place = |code: &mut Vec<u8>, a: &Artifact| {
            code.resize(code.len().next_multiple_of(align), 0);
            let offset = code.len() as u32;
            code.extend_from_slice(&a.code);
            FuncLoc {
                offset,
                len: a.code.len() as u32,
            }
        };
        let locs: Vec<FuncLoc> = funcs.iter().map(|a| place(&mut code, a)).collect();
        let tramp_locs: Vec<(TypeIndex, FuncLoc)> =
            trampolines.iter().map(|(t, a)| (*t, place(&mut code, a))).collect();
        let adapter_locs: Vec<(TypeIndex, FuncLoc)> = adapters.iter().map(|(t, a)| (*t, place(&mut code, a))).collect();
        if let Some((ty, _)) = (trampolines.iter().chain(&adapters)).find(|(_, a)| !a.relocs.is_empty()) {
            return Err(Error::Codegen {
                func: u32::MAX,
                message: format!("trampoline or adapter of type {} has relocations", ty.0),
            });
        }
        let mut trap_sites = Vec::new();
        let mut handler_sites = Vec::new();
        for (a, loc) in funcs.iter().zip(&locs) {
            for &(at, kind, target, addend) in &a.relocs {
                let defined = match target {
                    RelocTarget::Func(callee) => callee
                        .checked_sub(info.num_imported_funcs)
                        .and_then(|d| locs.get(d as usize)),
                    RelocTarget::Adapter(ty) => adapter_locs.iter().find(|(t, _)| *t == ty).map(|(_, l)| l),
                }
                .ok_or_else(|| Error::Relocation {
                    kind: format!("{kind:?}"),
                    offset: (loc.offset + at) as usize,
                    message: format!("reference to {target:?}, which is not in this module"),
                })?;
                reloc::apply(
                    &mut code,
                    &BlobReloc {
                        offset: loc.offset + at,
                        kind,
                        target: defined.offset,
                        addend,
                    },
                )?;
            }
            trap_sites.extend(a.traps.iter().map(|t| TrapSite {
                offset: loc.offset + t.offset,
                code: t.code,
            }));
            handler_sites.extend(a.handlers.iter().map(|h| HandlerSite {
                ret: loc.offset + h.ret,
                handler: loc.offset + h.handler,
                frame_offset: h.frame_offset,
            }));
        }
        Ok(CompiledModule {
            code,
            funcs: locs,
            trampolines: tramp_locs,
            trap_sites,
            handler_sites,
            triple: self.triple(),
            settings: self.settings(),
            cpu_features: self.cpu_features(),
            unchecked_reservation: match self.options.bounds_checks {
                BoundsChecks::Explicit => None,
                BoundsChecks::GuardPages { reservation } => Some(reservation),
            },
            consume_fuel: self.options.consume_fuel,
            offsets,
        })
    }
}

/// The wasm trap a faulting instruction stands for: our own checks carry
/// the [`TrapCode`] as a Cranelift user code, and Cranelift's lowering adds
/// its own checks (division, conversion) with its reserved codes.
fn site_code(code: cranelift_codegen::ir::TrapCode) -> Option<TrapCode> {
    use cranelift_codegen::ir::TrapCode as C;
    Some(match code {
        C::HEAP_OUT_OF_BOUNDS => TrapCode::MemoryOutOfBounds,
        C::INTEGER_DIVISION_BY_ZERO => TrapCode::IntegerDivisionByZero,
        C::INTEGER_OVERFLOW => TrapCode::IntegerOverflow,
        C::BAD_CONVERSION_TO_INTEGER => TrapCode::BadConversionToInteger,
        C::STACK_OVERFLOW => TrapCode::StackOverflow,
        other => return TrapCode::from_code(u32::from(other.as_raw().get())),
    })
}
