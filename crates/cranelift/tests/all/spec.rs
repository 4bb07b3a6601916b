//! The official spec tests of the families this back end compiles, run
//! through the harness: every `assert_return`, `assert_trap`,
//! `assert_exception` and `assert_exhaustion` of a module that compiles
//! must pass. Modules of one script share a store, so `register` and
//! imports between them (shared memories, tables, globals and functions)
//! run as in a runtime. Modules that use what is not compiled yet, GC
//! constants the harness cannot evaluate (it has no object heap; the
//! `mote` runtime runs those) or imports the harness lacks (tags among
//! them) are skipped together with their assertions; validation and
//! linking-error directives are the front end's and runtime's business
//! and are skipped.

use crate::harness::{Extern, Store, Val, compile_binary, options};
use mote_core::TrapCode;
use mote_cranelift::Target;
use mote_environ::{ImportType, MemoryType, RefType, TableType, ValType};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

/// The spec families (folders of the spec's `test/core`, listed in the
/// suite's `families.txt`) whose features this back end compiles.
const FAMILIES: &[&str] = &[
    "core",
    "bulk-memory",
    "memory64",
    "multi-memory",
    "simd",
    "relaxed-simd",
    "exceptions",
];

/// The `.wast` files of `families`.
fn files(dir: &Path, families: &[&str]) -> Vec<PathBuf> {
    let list = std::fs::read_to_string(dir.join("families.txt")).expect("families.txt");
    list.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .filter(|(family, _)| families.contains(family))
        .map(|(_, file)| dir.join(file.trim()))
        .collect()
}

fn testsuite() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("MOTE_TESTSUITE").map(PathBuf::from),
        Some(manifest.join("../../tests/testsuite")),
        Some(manifest.join("../../../shared/testsuite")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("i32.wast").exists())
        .expect("spec testsuite not found: set MOTE_TESTSUITE")
}

#[derive(Default)]
struct Totals {
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

/// One wast script's state: one store, the current instance, named and
/// registered ones. `None` marks a module that was skipped, so the
/// assertions on it are skipped too.
struct Script {
    store: Box<Store>,
    current: Option<Option<usize>>,
    named: HashMap<String, Option<usize>>,
    registered: HashMap<String, Option<usize>>,
    /// The `spectest` module's memory, table and globals, made on first use.
    spectest: HashMap<String, Extern>,
    /// Binaries of `(module definition ...)`, by name.
    definitions: HashMap<Option<String>, Vec<u8>>,
}

enum Verdict {
    Pass,
    Skip,
}

/// Why a module cannot run here: a skip, not a failure.
fn skip_reason(err: &str) -> bool {
    err.contains("not supported")
}

fn verbose(what: impl FnOnce() -> String) {
    if std::env::var_os("SPEC_VERBOSE").is_some() {
        eprintln!("{}", what());
    }
}

impl Script {
    fn new() -> Script {
        Script {
            store: Store::new(),
            current: None,
            named: HashMap::new(),
            registered: HashMap::new(),
            spectest: HashMap::new(),
            definitions: HashMap::new(),
        }
    }

    /// The `spectest` export `name` for an import of type `ty`.
    fn spectest(&mut self, name: &str, ty: &ImportType, type_id: u32) -> Result<Option<Extern>, String> {
        if let ImportType::Func(_) = ty {
            return Ok(Some(self.store.host_func(type_id, Box::new(|_: &mut [u64]| Ok(())))));
        }
        if let Some(&e) = self.spectest.get(name) {
            return Ok(Some(e));
        }
        let store = &mut self.store;
        let e = match name {
            "global_i32" => store.global(ValType::I32, 666),
            "global_i64" => store.global(ValType::I64, 666),
            "global_f32" => store.global(ValType::F32, u128::from(666.6f32.to_bits())),
            "global_f64" => store.global(ValType::F64, u128::from(666.6f64.to_bits())),
            "memory" => store.memory(&MemoryType::new(1, Some(2))),
            "table" => store.table(&TableType::new(RefType::FUNCREF, 10, Some(20)), 0),
            _ => return Ok(None),
        };
        self.spectest.insert(name.to_owned(), e);
        Ok(Some(e))
    }

    fn instantiate(&mut self, module: &mut QuoteWat<'_>) -> Result<Option<Result<usize, TrapCode>>, String> {
        let wasm = module.encode().map_err(|e| e.to_string())?;
        self.instantiate_binary(wasm)
    }

    fn instantiate_binary(&mut self, wasm: Vec<u8>) -> Result<Option<Result<usize, TrapCode>>, String> {
        let (info, compiled, wasm) = match compile_binary(wasm, options(), &Target::Host) {
            Ok(c) => c,
            Err(e) if skip_reason(&e) => {
                verbose(|| format!("skipped module: {e}"));
                return Ok(None);
            }
            Err(e) => return Err(format!("compile: {e}")),
        };
        if !Store::evaluates_constants(&info) {
            verbose(|| "skipped module with GC constants".to_owned());
            return Ok(None);
        }
        let mut imports = Vec::new();
        for import in &info.imports {
            let type_id = match import.ty {
                ImportType::Func(t) => info.type_ids[t.index()].0,
                _ => 0,
            };
            let found = if import.module == "spectest" {
                self.spectest(&import.name, &import.ty, type_id)?
            } else {
                match self.registered.get(&import.module) {
                    Some(Some(id)) => self.store.export(*id, &import.name),
                    _ => None,
                }
            };
            match found {
                Some(e) => imports.push(e),
                None => {
                    verbose(|| format!("skipped module importing {}.{}", import.module, import.name));
                    return Ok(None);
                }
            }
        }
        Ok(Some(self.store.instantiate(info, compiled, &wasm, imports)))
    }
}

fn arg(a: &WastArg<'_>) -> Option<Val> {
    let WastArg::Core(a) = a else { return None };
    Some(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(_) => Val::Ref(0),
        WastArgCore::RefExtern(n) => Val::Ref(u64::from(*n) + 1),
        _ => return None,
    })
}

fn matches(actual: &Val, expected: &WastRetCore<'_>) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => match e {
            NanPattern::CanonicalNan => a & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => a & 0x7fc0_0000 == 0x7fc0_0000,
            NanPattern::Value(v) => v.bits == *a,
        },
        (WastRetCore::F64(e), Val::F64(a)) => match e {
            NanPattern::CanonicalNan => a & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => a & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(v) => v.bits == *a,
        },
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(_), Val::Ref(a)) => *a == 0,
        (WastRetCore::RefExtern(n), Val::Ref(a)) => match n {
            Some(n) => *a == u64::from(*n) + 1,
            None => *a != 0,
        },
        (WastRetCore::RefFunc(_), Val::Ref(a)) => *a != 0,
        (WastRetCore::Either(options), a) => options.iter().any(|e| matches(a, e)),
        _ => false,
    }
}

fn f32_matches(e: &NanPattern<wast::token::F32>, a: u32) -> bool {
    matches(&Val::F32(a), &WastRetCore::F32(*e))
}

fn f64_matches(e: &NanPattern<wast::token::F64>, a: u64) -> bool {
    matches(&Val::F64(a), &WastRetCore::F64(*e))
}

fn v128_matches(e: &V128Pattern, a: u128) -> bool {
    let b = a.to_le_bytes();
    let lane = |i: usize, n: usize| {
        let mut x = [0u8; 8];
        x[..n].copy_from_slice(&b[i * n..i * n + n]);
        u64::from_le_bytes(x)
    };
    match e {
        V128Pattern::I8x16(v) => v.iter().enumerate().all(|(i, &x)| lane(i, 1) == u64::from(x as u8)),
        V128Pattern::I16x8(v) => v.iter().enumerate().all(|(i, &x)| lane(i, 2) == u64::from(x as u16)),
        V128Pattern::I32x4(v) => v.iter().enumerate().all(|(i, &x)| lane(i, 4) == u64::from(x as u32)),
        V128Pattern::I64x2(v) => v.iter().enumerate().all(|(i, &x)| lane(i, 8) == x as u64),
        V128Pattern::F32x4(v) => v.iter().enumerate().all(|(i, p)| f32_matches(p, lane(i, 4) as u32)),
        V128Pattern::F64x2(v) => v.iter().enumerate().all(|(i, p)| f64_matches(p, lane(i, 8))),
    }
}

/// The spec's message for a trap, as the interpreter's runner accepts it.
fn trap_matches(expected: &str, actual: TrapCode) -> bool {
    let actual = actual.message();
    expected.starts_with(actual)
        || (expected.starts_with("undefined element") && actual == "out of bounds table access")
        || (expected.starts_with("uninitialized element") && actual.starts_with("uninitialized element"))
        || (expected.starts_with("null function reference") && actual == "null reference")
}

impl Script {
    fn instance(&mut self, id: Option<wast::token::Id<'_>>) -> Result<Option<usize>, String> {
        let slot = match id {
            Some(id) => self.named.get(id.name()),
            None => self.current.as_ref(),
        };
        Ok(*slot.ok_or("no such module")?)
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Option<Result<Vec<Val>, TrapCode>>, String> {
        let Some(args) = invoke.args.iter().map(arg).collect::<Option<Vec<_>>>() else {
            return Ok(None);
        };
        let Some(id) = self.instance(invoke.module)? else {
            return Ok(None);
        };
        Ok(Some(self.store.call(id, invoke.name, &args)))
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Option<Result<Vec<Val>, TrapCode>>, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let Some(id) = self.instance(module)? else {
                    return Ok(None);
                };
                let v = self.store.export_global(id, global).ok_or("no such global")?;
                Ok(Some(Ok(vec![v])))
            }
            WastExecute::Wat(mut wat) => {
                let mut quote = QuoteWat::Wat(std::mem::replace(&mut wat, wast::Wat::Module(empty_module())));
                Ok(self.instantiate(&mut quote)?.map(|r| r.map(|_| Vec::new())))
            }
        }
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Result<Verdict, String> {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_owned());
                let inst = match self.instantiate(&mut module)? {
                    Some(Ok(inst)) => Some(inst),
                    Some(Err(trap)) => return Err(format!("instantiation trapped: {trap:?}")),
                    None => None,
                };
                if let Some(name) = name {
                    self.named.insert(name, inst);
                }
                self.current = Some(inst);
                return Ok(if inst.is_none() { Verdict::Skip } else { Verdict::Pass });
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|id| id.name().to_owned());
                let wasm = module.encode().map_err(|e| e.to_string())?;
                self.definitions.insert(name, wasm);
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let key = module.map(|id| id.name().to_owned());
                let wasm = self.definitions.get(&key).cloned().ok_or("no such module definition")?;
                let inst = match self.instantiate_binary(wasm)? {
                    Some(Ok(inst)) => Some(inst),
                    Some(Err(trap)) => return Err(format!("instantiation trapped: {trap:?}")),
                    None => None,
                };
                if let Some(name) = instance {
                    self.named.insert(name.name().to_owned(), inst);
                }
                self.current = Some(inst);
                if inst.is_none() {
                    return Ok(Verdict::Skip);
                }
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.instance(module)?;
                self.registered.insert(name.to_owned(), inst);
                if inst.is_none() {
                    return Ok(Verdict::Skip);
                }
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke)? {
                None => return Ok(Verdict::Skip),
                Some(Err(trap)) => return Err(format!("unexpected trap {trap:?}")),
                Some(Ok(_)) => {}
            },
            WastDirective::AssertReturn { exec, results, .. } => {
                let Some(outcome) = self.execute(exec)? else {
                    return Ok(Verdict::Skip);
                };
                let actual = outcome.map_err(|t| format!("expected results, got trap {t:?}"))?;
                if actual.len() != results.len() {
                    return Err(format!("expected {} results, got {actual:?}", results.len()));
                }
                for (a, e) in actual.iter().zip(&results) {
                    let WastRet::Core(e) = e else { return Ok(Verdict::Skip) };
                    if !matches(a, e) {
                        return Err(format!("expected {e:?}, got {a:?}"));
                    }
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                let Some(outcome) = self.execute(exec)? else {
                    return Ok(Verdict::Skip);
                };
                match outcome {
                    Err(t) if trap_matches(message, t) => {}
                    other => return Err(format!("expected trap \"{message}\", got {other:?}")),
                }
            }
            WastDirective::AssertException { exec, .. } => match self.execute(exec)? {
                None => return Ok(Verdict::Skip),
                Some(Err(TrapCode::UncaughtException)) => {}
                Some(other) => return Err(format!("expected an uncaught exception, got {other:?}")),
            },
            WastDirective::AssertExhaustion { call, .. } => match self.invoke(&call)? {
                None => return Ok(Verdict::Skip),
                Some(Err(TrapCode::StackOverflow)) => {}
                Some(other) => return Err(format!("expected stack exhaustion, got {other:?}")),
            },
            _ => return Ok(Verdict::Skip),
        }
        Ok(Verdict::Pass)
    }
}

fn empty_module() -> wast::core::Module<'static> {
    wast::core::Module {
        span: wast::token::Span::from_offset(0),
        id: None,
        name: None,
        kind: wast::core::ModuleKind::Text(Vec::new()),
    }
}

fn run_file(path: &Path, totals: &mut Totals) {
    let file = path.file_name().unwrap().to_string_lossy();
    let text = std::fs::read_to_string(path).expect("read wast");
    let mut lexer = wast::lexer::Lexer::new(&text);
    lexer.allow_confusing_unicode(true);
    let parsed = wast::parser::ParseBuffer::new_with_lexer(lexer).and_then(|buf| {
        let script: wast::Wast<'_> = wast::parser::parse(&buf)?;
        run_script(script, &text, &file, totals);
        Ok(())
    });
    if let Err(e) = parsed {
        totals.failures.push(format!("{file}: does not parse: {e}"));
    }
}

fn run_script(script: wast::Wast<'_>, text: &str, file: &str, totals: &mut Totals) {
    let mut state = Script::new();
    for directive in script.directives {
        let (line, _) = directive.span().linecol_in(text);
        let result = catch_unwind(AssertUnwindSafe(|| state.run(directive)));
        match result {
            Ok(Ok(Verdict::Pass)) => totals.passed += 1,
            Ok(Ok(Verdict::Skip)) => totals.skipped += 1,
            Ok(Err(e)) => totals.failures.push(format!("{file}:{}: {e}", line + 1)),
            Err(_) => totals.failures.push(format!("{file}:{}: panicked", line + 1)),
        }
    }
}

#[test]
fn spec_tests_of_the_compiled_features_pass() {
    let dir = testsuite();
    let mut totals = Totals::default();
    for file in files(&dir, FAMILIES) {
        run_file(&file, &mut totals);
    }
    eprintln!(
        "spec: {} passed, {} failed, {} skipped",
        totals.passed,
        totals.failures.len(),
        totals.skipped
    );
    assert!(
        totals.failures.is_empty(),
        "{} failures:\n{}",
        totals.failures.len(),
        totals.failures.join("\n")
    );
    assert!(totals.passed > 10_000, "too few directives ran: {}", totals.passed);
}

/// The SIMD, GC and exception-handling modules of the suite also compile
/// for the architecture the tests do not run on, whose back end lowers
/// vectors, libcalls and stack slots differently.
#[test]
fn simd_gc_and_exception_modules_compile_for_the_other_architecture() {
    let other = if cfg!(target_arch = "aarch64") {
        "x86_64-unknown-linux-gnu"
    } else {
        "aarch64-unknown-linux-gnu"
    };
    let dir = testsuite();
    let (mut compiled, mut failures) = (0, Vec::new());
    for path in files(&dir, &["simd", "relaxed-simd", "gc", "exceptions"]) {
        let text = std::fs::read_to_string(&path).expect("read wast");
        let mut lexer = wast::lexer::Lexer::new(&text);
        lexer.allow_confusing_unicode(true);
        let buf = wast::parser::ParseBuffer::new_with_lexer(lexer).expect("lex wast");
        let script: wast::Wast<'_> = wast::parser::parse(&buf).expect("parse wast");
        for directive in script.directives {
            let WastDirective::Module(mut module) = directive else {
                continue;
            };
            let Ok(wasm) = module.encode() else { continue };
            match compile_binary(wasm, options(), &Target::Triple(other.into())) {
                Ok(_) => compiled += 1,
                Err(e) if skip_reason(&e) => {}
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compiled > 100, "only {compiled} modules compiled");
}
