//! One script's state and its directives: the store and linker (with `spectest`), the current
//! instance, instances named by `$id`, and module definitions awaiting `module instance`.
//!
//! Each directive either passes, is skipped (threads, custom-section checks) or fails with a
//! one-line message; a failure never stops the script, so the rest of its directives still run.

use std::collections::HashMap;

use mote::{CompileErrorKind, Engine, Extern, Instance, Linker, Module, Store, TrapCode, Val};
use wast::token::Id;
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use crate::messages::trap_matches;
use crate::{RunOptions, spectest, values};

/// What became of a directive that did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The directive ran and its expectation held.
    Passed,
    /// The directive needs something the harness does not offer (threads, custom-section
    /// checks) and was not run.
    Skipped,
}

/// The outcome of running wasm: results, or the runtime's error (a trap, a link error, ...).
type Outcome = Result<Vec<Val>, mote::Error>;

/// Runs the directives of one script, in order, against one store.
pub struct WastRunner {
    /// Whether each module makes a round trip through an AOT artifact.
    aot: bool,
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The most recently instantiated module; `None` also after a failed instantiation, so
    /// later directives do not silently run against an older module.
    current: Option<Instance>,
    named: HashMap<String, Instance>,
    definitions: HashMap<Option<String>, Module>,
}

impl WastRunner {
    /// A fresh store with `spectest` defined, for the back end `opts.mode`.
    ///
    /// # Errors
    ///
    /// The runtime's error if the `spectest` items cannot be created.
    pub fn new(opts: &RunOptions) -> Result<Self, mote::Error> {
        let engine = Engine::new(&opts.mode.config());
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        spectest::define(&mut linker, &mut store, opts.verbose)?;
        Ok(WastRunner {
            aot: opts.mode == crate::Mode::Aot,
            engine,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
        })
    }

    /// Runs one directive.
    ///
    /// # Errors
    ///
    /// A one-line message saying what went wrong.
    pub fn run(&mut self, directive: WastDirective<'_>) -> Result<Verdict, String> {
        match directive {
            WastDirective::Module(mut module) => {
                let compiled = self.compile(&mut module)?;
                self.instantiate_as_current(module.name(), &compiled)?;
            }
            WastDirective::ModuleDefinition(mut module) => {
                let compiled = self.compile(&mut module)?;
                let name = module.name().map(|id| id.name().to_owned());
                self.definitions.insert(name, compiled);
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let key = module.map(|id| id.name().to_owned());
                let definition = self.definitions.get(&key).cloned().ok_or_else(|| match module {
                    Some(id) => format!("no module definition named ${}", id.name()),
                    None => "no unnamed module definition".to_owned(),
                })?;
                self.instantiate_as_current(instance, &definition)?;
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.linker
                    .instance(&mut self.store, name, instance)
                    .map_err(|err| format!("cannot register as `{name}`: {err}"))?;
            }
            WastDirective::Invoke(invoke) => {
                self.invoke(&invoke)?
                    .map_err(|err| format!("unexpected error: {err}"))?;
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                self.assert_return(exec, &results)?;
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                let outcome = self.execute(exec)?;
                expect_trap(outcome, message)?;
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let outcome = self.invoke(&call)?;
                expect_exhaustion(outcome, message)?;
            }
            WastDirective::AssertInvalid {
                mut module, message, ..
            } => self.assert_invalid(&mut module, message)?,
            WastDirective::AssertMalformed {
                mut module, message, ..
            } => self.assert_malformed(&mut module, message)?,
            WastDirective::AssertUnlinkable {
                mut module, message, ..
            } => self.assert_unlinkable(&mut module, message)?,
            WastDirective::AssertException { exec, .. } => {
                let outcome = self.execute(exec)?;
                expect_exception(outcome)?;
            }
            WastDirective::AssertSuspension { exec, message, .. } => {
                if let Ok(results) = self.execute(exec)? {
                    return Err(format!(
                        "expected suspension \"{message}\", got {} result(s)",
                        results.len()
                    ));
                }
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => return Ok(Verdict::Skipped),
            WastDirective::AssertInvalidCustom { .. } | WastDirective::AssertMalformedCustom { .. } => {
                return Ok(Verdict::Skipped);
            }
        }
        Ok(Verdict::Passed)
    }

    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Module, String> {
        self.compile_bytes(&encoded(module.encode())?)
    }

    fn compile_wat(&self, module: &mut Wat<'_>) -> Result<Module, String> {
        self.compile_bytes(&encoded(module.encode())?)
    }

    fn compile_bytes(&self, bytes: &[u8]) -> Result<Module, String> {
        let module = Module::new(&self.engine, bytes).map_err(|err| format!("module failed to compile: {err}"))?;
        if !self.aot {
            return Ok(module);
        }
        self.round_trip(&module)
    }

    /// The module written as an AOT artifact and loaded back.
    #[cfg(feature = "jit")]
    fn round_trip(&self, module: &Module) -> Result<Module, String> {
        let artifact = module
            .serialize()
            .map_err(|err| format!("module failed to serialize: {err}"))?;
        // SAFETY: the artifact was written by this process a moment ago.
        unsafe { Module::deserialize(&self.engine, &artifact) }.map_err(|err| format!("artifact failed to load: {err}"))
    }

    /// Unreachable in practice: without the compiler, `Module::new` has
    /// already refused the `Strategy::Jit` engine of mode `aot`.
    #[cfg(not(feature = "jit"))]
    fn round_trip(&self, _: &Module) -> Result<Module, String> {
        Err("mode `aot` needs the `jit` cargo feature of mote-wast".into())
    }

    fn instantiate_as_current(&mut self, name: Option<Id<'_>>, module: &Module) -> Result<(), String> {
        self.current = None;
        let instance = self
            .linker
            .instantiate(&mut self.store, module)
            .map_err(|err| format!("instantiation failed: {err}"))?;
        if let Some(name) = name {
            self.named.insert(name.name().to_owned(), instance);
        }
        self.current = Some(instance);
        Ok(())
    }

    /// The instance named `$id`, or the current one.
    fn instance(&self, module: Option<Id<'_>>) -> Result<Instance, String> {
        match module {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("no instance named ${}", id.name())),
            None => self
                .current
                .ok_or_else(|| "no current instance (none yet, or the last one failed)".to_owned()),
        }
    }

    fn export(&self, module: Option<Id<'_>>, name: &str) -> Result<Extern, String> {
        self.instance(module)?
            .get_export(&self.store, name)
            .ok_or_else(|| format!("no export `{name}` in {}", id_text(module)))
    }

    /// Calls an exported function. The outer error is the script's fault (no such function, an
    /// argument the API cannot express); the inner one is the runtime's.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Outcome, String> {
        let Extern::Func(func) = self.export(invoke.module, invoke.name)? else {
            return Err(format!("export `{}` is not a function", invoke.name));
        };
        let args = invoke
            .args
            .iter()
            .map(|arg| values::to_val(&mut self.store, arg))
            .collect::<Result<Vec<_>, _>>()?;
        let mut results = vec![Val::I32(0); func.ty(&self.store).results().len()];
        Ok(func.call(&mut self.store, &args, &mut results).map(|()| results))
    }

    /// Runs an invoke, reads a global, or instantiates a module (with no results).
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Outcome, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => match self.export(module, global)? {
                Extern::Global(g) => Ok(Ok(vec![g.get(&mut self.store)])),
                _ => Err(format!("export `{global}` is not a global")),
            },
            WastExecute::Wat(mut module) => {
                let compiled = self.compile_wat(&mut module)?;
                Ok(self.linker.instantiate(&mut self.store, &compiled).map(|_| Vec::new()))
            }
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Result<(), String> {
        let results = self
            .execute(exec)?
            .map_err(|err| format!("expected results, got error: {err}"))?;
        if results.len() != expected.len() {
            return Err(format!("expected {} result(s), got {}", expected.len(), results.len()));
        }
        for (i, (actual, expected)) in results.iter().zip(expected).enumerate() {
            let WastRet::Core(expected) = expected else {
                return Err("component-model results are not supported".to_owned());
            };
            values::check(&self.store, actual, expected).map_err(|msg| {
                if results.len() == 1 {
                    msg
                } else {
                    format!("result {i}: {msg}")
                }
            })?;
        }
        Ok(())
    }

    fn assert_invalid(&self, module: &mut QuoteWat<'_>, message: &str) -> Result<(), String> {
        let bytes = encoded(module.encode())?;
        match Module::new(&self.engine, &bytes) {
            Ok(_) => Err(format!("expected invalid module (\"{message}\"), but it compiled")),
            Err(err) if is_rejection(&err) => Ok(()),
            Err(err) => Err(format!("expected invalid module (\"{message}\"), got \"{err}\"")),
        }
    }

    /// A module that does not even encode (bad text in `quote` form) counts as malformed, as
    /// in other runners.
    fn assert_malformed(&self, module: &mut QuoteWat<'_>, message: &str) -> Result<(), String> {
        let Ok(bytes) = module.encode() else {
            return Ok(());
        };
        match Module::new(&self.engine, &bytes) {
            Ok(_) => Err(format!("expected malformed module (\"{message}\"), but it compiled")),
            Err(err) if is_rejection(&err) => Ok(()),
            Err(err) => Err(format!("expected malformed module (\"{message}\"), got \"{err}\"")),
        }
    }

    fn assert_unlinkable(&mut self, module: &mut Wat<'_>, message: &str) -> Result<(), String> {
        let compiled = self.compile_wat(module)?;
        match self.linker.instantiate(&mut self.store, &compiled) {
            Ok(_) => Err(format!("expected link error \"{message}\", but it instantiated")),
            Err(err) if err.as_trap().is_some() => {
                Err(format!("expected link error \"{message}\", got trap \"{err}\""))
            }
            Err(err) if err.to_string().contains(message) => Ok(()),
            Err(err) => Err(format!("expected link error \"{message}\", got \"{err}\"")),
        }
    }
}

/// Whether `err` rejects the module as malformed or invalid, rather than as beyond this
/// implementation's limits. The expected text is not compared: the validator speaks
/// `wasmparser`'s words, which differ from the spec's in many places ("global is immutable"
/// for "immutable global"); wasm-tools' own spec runner does the same.
fn is_rejection(err: &mote::Error) -> bool {
    err.as_compile_error()
        .is_some_and(|err| err.kind != CompileErrorKind::Unsupported)
}

fn expect_trap(outcome: Outcome, expected: &str) -> Result<(), String> {
    let err = match outcome {
        Ok(results) => {
            return Err(format!("expected trap \"{expected}\", got {} result(s)", results.len()));
        }
        Err(err) => err,
    };
    match err.as_trap() {
        Some(trap) if trap_matches(expected, &trap.to_string()) => Ok(()),
        Some(trap) => Err(format!("expected trap \"{expected}\", got trap \"{trap}\"")),
        None => Err(format!("expected trap \"{expected}\", got error \"{err}\"")),
    }
}

fn expect_exhaustion(outcome: Outcome, expected: &str) -> Result<(), String> {
    if let Err(err) = &outcome
        && err.as_trap().and_then(|trap| trap.code()) == Some(TrapCode::StackOverflow)
    {
        return Ok(());
    }
    expect_trap(outcome, expected)
}

/// An uncaught exception may surface as its own error or as a trap of that kind; any other
/// trap is a wrong outcome.
fn expect_exception(outcome: Outcome) -> Result<(), String> {
    match outcome {
        Ok(results) => Err(format!("expected an exception, got {} result(s)", results.len())),
        Err(err) => match err.as_trap().and_then(|trap| trap.code()) {
            Some(code) if code != TrapCode::UncaughtException => {
                Err(format!("expected an exception, got trap \"{err}\""))
            }
            _ => Ok(()),
        },
    }
}

fn encoded(bytes: Result<Vec<u8>, wast::Error>) -> Result<Vec<u8>, String> {
    bytes.map_err(|err| format!("cannot encode module: {}", err.message()))
}

fn id_text(id: Option<Id<'_>>) -> String {
    id.map_or_else(|| "the current instance".to_owned(), |id| format!("${}", id.name()))
}
