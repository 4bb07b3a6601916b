//! `Config` and `Engine`: settings shared by every module and store.

use crate::sync::Mutex;
use alloc::sync::Arc;
use mote_environ::wasmparser::WasmFeatures;
use mote_environ::{FuncType, SharedTypeId, TypeRegistry};

/// Which back end runs the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// The portable interpreter.
    #[default]
    Interpreter,
    /// Machine code compiled with Cranelift when a module is loaded (cargo
    /// feature `jit`; without it `Module::new` refuses the engine). It
    /// compiles every feature the interpreter runs, GC and exception
    /// handling included.
    Jit,
}

/// When function bodies are translated to interpreter code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompilationMode {
    /// Validate every body at load; translate each on its first call.
    #[default]
    Lazy,
    /// Validate and translate each body on its first call: the fastest
    /// start for large modules. A module with an invalid function body
    /// still loads; calling that function fails with the validation error
    /// (never runs it), and the module's other functions work. For modules
    /// known to be valid, or hosts that accept late errors.
    LazyValidation,
    /// Validate and translate every body at load, in one pass each.
    Eager,
}

/// Settings for an [`Engine`].
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) strategy: Strategy,
    pub(crate) compilation_mode: CompilationMode,
    pub(crate) features: WasmFeatures,
    pub(crate) consume_fuel: bool,
    pub(crate) max_call_depth: usize,
    pub(crate) max_stack_cells: usize,
    pub(crate) max_memory_bytes: Option<u64>,
    pub(crate) max_gc_heap_bytes: Option<u64>,
    pub(crate) max_wasm_stack: usize,
    pub(crate) guard_pages: bool,
}

impl Default for Config {
    fn default() -> Self {
        // WebAssembly 3.0 without threads: shared memories and atomics are not implemented.
        let mut features = WasmFeatures::WASM3;
        features.remove(WasmFeatures::THREADS);
        Config {
            strategy: Strategy::Interpreter,
            compilation_mode: CompilationMode::Lazy,
            features,
            consume_fuel: false,
            max_call_depth: 100_000,
            max_stack_cells: if cfg!(feature = "std") { 1 << 20 } else { 1 << 14 },
            max_memory_bytes: None,
            max_gc_heap_bytes: None,
            max_wasm_stack: 1 << 20,
            guard_pages: true,
        }
    }
}

impl Config {
    /// The default configuration: the interpreter, WebAssembly 3.0 features.
    pub fn new() -> Self {
        Self::default()
    }

    /// Selects the back end.
    pub fn strategy(&mut self, strategy: Strategy) -> &mut Self {
        self.strategy = strategy;
        self
    }

    /// Chooses when function bodies are translated.
    pub fn compilation_mode(&mut self, mode: CompilationMode) -> &mut Self {
        self.compilation_mode = mode;
        self
    }

    /// Enables fuel metering: each store then starts with zero fuel, and
    /// execution traps with `OutOfFuel` when it runs out.
    ///
    /// One unit is one executed WebAssembly instruction (control markers,
    /// `nop` and `drop` are free). Fuel is charged once for each straight
    /// run of code as it is entered (a loop body per iteration), so a trap
    /// can leave a few units charged for instructions that did not run,
    /// for example those after a call whose callee ran out.
    ///
    /// Bulk operations do work in proportion to their length, so they
    /// also cost one unit per 64 bytes they write, rounded down: bytes for
    /// `memory.fill`, `memory.copy` and `memory.init`, 8 bytes per element
    /// for `table.fill`, `table.copy` and `table.init`, and the element's
    /// size (1 to 16 bytes) for `array.new`, `array.new_default`,
    /// `array.new_data`, `array.new_elem`, `array.fill`, `array.copy`,
    /// `array.init_data` and `array.init_elem`. That part is charged
    /// before the operation checks its bounds or touches anything, so a
    /// huge fill or allocation with too little fuel traps with `OutOfFuel`
    /// first. An `array.new` or `array.new_default` in an initializer
    /// (of a global, table or element segment) costs that part too, when
    /// the module is instantiated; the rest of an initializer is free. The
    /// interpreter and compiled code charge the same amounts at the same
    /// points.
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.consume_fuel = enable;
        self
    }

    /// Maximum number of nested wasm calls before a stack-exhaustion trap.
    pub fn max_call_depth(&mut self, depth: usize) -> &mut Self {
        self.max_call_depth = depth.max(1);
        self
    }

    /// Size of the value stack in bytes (8 bytes a cell).
    pub fn max_stack_bytes(&mut self, bytes: usize) -> &mut Self {
        self.max_stack_cells = (bytes / 8).max(64);
        self
    }

    /// Native stack compiled code may use below the host's entry into
    /// wasm before a deep recursion traps (`Strategy::Jit` only; the
    /// interpreter keeps its frames off the native stack). The thread must
    /// have this much plus 256 KiB of stack left where it calls wasm.
    pub fn max_wasm_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_wasm_stack = bytes;
        self
    }

    /// Whether compiled code may leave accesses to 32-bit memories
    /// unchecked (`Strategy::Jit` on hosts with a guard-page signal
    /// handler, so far x86-64 Linux; on by default there). Each such memory
    /// then reserves 6 GiB of address space (4 GiB of index space plus a
    /// guard region for offsets), inaccessible beyond its current size,
    /// and an out-of-bounds access faults and becomes the same trap an
    /// explicit check raises. Turn it off where address space is scarce;
    /// 64-bit memories and memories with custom page sizes keep explicit
    /// checks either way.
    pub fn guard_pages(&mut self, enable: bool) -> &mut Self {
        self.guard_pages = enable;
        self
    }

    /// The address range each guard-page memory reserves, if this engine
    /// compiles code that relies on it.
    pub(crate) fn guard_reservation(&self) -> Option<u64> {
        #[cfg(feature = "aot")]
        if self.guard_pages && self.strategy == Strategy::Jit && crate::jit::signals::SUPPORTED {
            return Some(crate::memory::GUARDED_RESERVATION);
        }
        None
    }

    /// Upper bound on any one linear memory's size in bytes.
    pub fn max_memory_bytes(&mut self, bytes: u64) -> &mut Self {
        self.max_memory_bytes = Some(bytes);
        self
    }

    /// Upper bound on the bytes of GC objects (structs, arrays, exceptions)
    /// a module's code may create in one store, counting each object's
    /// fields or elements plus a fixed header. There is no collector yet:
    /// objects live as long as their store, so without a bound a module
    /// that allocates in a loop can take all of the host's memory. An
    /// allocation beyond it traps with `AllocationTooLarge`, in every back
    /// end. Default: no bound but the host's memory (and 1 GiB per array).
    /// Objects the host creates (`ExternRef::new`) do not count.
    pub fn max_gc_heap_bytes(&mut self, bytes: u64) -> &mut Self {
        self.max_gc_heap_bytes = Some(bytes);
        self
    }

    /// Turns a WebAssembly proposal on or off by its `wasmparser` feature flag.
    pub fn wasm_feature(&mut self, feature: WasmFeatures, enable: bool) -> &mut Self {
        self.features.set(feature, enable);
        self
    }
}

/// Shared compilation context: configuration and the canonical type
/// registry. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

#[derive(Debug)]
struct EngineInner {
    config: Config,
    types: Mutex<TypeRegistry>,
    /// The JIT's compiler, built on first use (detecting the host's CPU
    /// features once per engine, not per module).
    #[cfg(feature = "jit")]
    compiler: crate::sync::OnceLock<crate::jit::EngineCompiler>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(&Config::default())
    }
}

impl Engine {
    /// Creates an engine with `config`.
    pub fn new(config: &Config) -> Engine {
        Engine {
            inner: Arc::new(EngineInner {
                config: config.clone(),
                types: Mutex::default(),
                #[cfg(feature = "jit")]
                compiler: crate::sync::OnceLock::new(),
            }),
        }
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The JIT's compiler for this engine's settings.
    #[cfg(feature = "jit")]
    pub(crate) fn compiler(&self) -> &crate::jit::EngineCompiler {
        self.inner
            .compiler
            .get_or_init(|| crate::jit::EngineCompiler::new(&self.inner.config))
    }

    /// Runs `f` on the engine's type registry.
    pub(crate) fn with_types<R>(&self, f: impl FnOnce(&mut TypeRegistry) -> R) -> R {
        self.inner.types.with(f)
    }

    /// The canonical id of a host function type.
    pub(crate) fn register_func_type(&self, ty: &FuncType) -> (SharedTypeId, Arc<[SharedTypeId]>) {
        self.with_types(|t| {
            let id = t.register_func_type(ty);
            (id, t.get(id).supers.clone())
        })
    }

    /// Whether two handles are the same engine.
    pub fn same(a: &Engine, b: &Engine) -> bool {
        Arc::ptr_eq(&a.inner, &b.inner)
    }
}
