/* wasm_runtime_full_init (allocator choices, natives, running mode),
   running modes, and nested init/destroy. */
#include "test.h"

static int32_t reenter(wasm_exec_env_t env, int32_t n)
{
    (void)env;
    return n * 3;
}

static NativeSymbol natives[] = {
    EXPORT_WASM_API_WITH_SIG(reenter, "(i)i"),
};

static char pool[512 * 1024];

static int deep(wasm_module_t module, int32_t n, uint32_t *out)
{
    wasm_module_inst_t inst = instantiate(module, 0);
    uint32_t argv[1] = { (uint32_t)n };
    int ok = call_cells(inst, "deep", 1, argv);
    *out = argv[0];
    wasm_runtime_deinstantiate(inst);
    return ok;
}

int main(void)
{
    RuntimeInitArgs args;
    wasm_module_t module;
    wasm_module_inst_t inst;
    uint32_t out;

    /* invalid arguments: nothing is initialized */
    memset(&args, 0, sizeof args);
    args.mem_alloc_type = Alloc_With_Pool;
    CHECK(!wasm_runtime_full_init(&args)); /* a pool needs a buffer */
    args.mem_alloc_type = Alloc_With_Allocator;
    CHECK(!wasm_runtime_full_init(&args)); /* an allocator needs functions */
    args.mem_alloc_type = (mem_alloc_type_t)7;
    CHECK(!wasm_runtime_full_init(&args));
    args.mem_alloc_type = Alloc_With_System_Allocator;
    args.running_mode = Mode_LLVM_JIT;
    CHECK(!wasm_runtime_full_init(&args));
    args.running_mode = Mode_Interp;
    args.n_native_symbols = 1; /* but no module name */
    args.native_symbols = natives;
    CHECK(!wasm_runtime_full_init(&args));

    /* a pool, natives and the interpreter */
    memset(&args, 0, sizeof args);
    args.mem_alloc_type = Alloc_With_Pool;
    args.mem_alloc_option.pool.heap_buf = pool;
    args.mem_alloc_option.pool.heap_size = sizeof pool;
    args.native_module_name = "env";
    args.native_symbols = natives;
    args.n_native_symbols = 1;
    args.running_mode = Mode_Interp;
    CHECK(wasm_runtime_full_init(&args));
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_WARNING);

    CHECK(wasm_runtime_is_running_mode_supported(Mode_Interp));
    CHECK(!wasm_runtime_is_running_mode_supported(Mode_Fast_JIT));
    CHECK(!wasm_runtime_is_running_mode_supported(Mode_Multi_Tier_JIT));
    CHECK(wasm_runtime_set_default_running_mode(Mode_Interp));
    CHECK(!wasm_runtime_set_default_running_mode(Mode_LLVM_JIT));

    module = load_module("traps.wasm");
    CHECK(deep(module, 4, &out) && out == 15);
    inst = instantiate(module, 0);
    CHECK(wasm_runtime_get_running_mode(inst) == Mode_Interp);
    CHECK(wasm_runtime_set_running_mode(inst, Mode_Interp));
    CHECK(!wasm_runtime_set_running_mode(inst, Mode_Fast_JIT));
    wasm_runtime_set_custom_data(inst, pool);
    CHECK(wasm_runtime_get_custom_data(inst) == pool);
    wasm_runtime_deinstantiate(inst);

    /* init nests: the runtime lives until the last destroy */
    CHECK(wasm_runtime_init());
    wasm_runtime_destroy();
    CHECK(deep(module, 5, &out) && out == 18);
    wasm_runtime_destroy();
    /* the last destroy forgot the natives: after a new init, the import
       is unlinked (modules stay usable) */
    CHECK(wasm_runtime_init());
    CHECK(!deep(module, 5, &out));
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("init: ok\n");
    return 0;
}
