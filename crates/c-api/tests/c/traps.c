/* Traps become exceptions that stay until cleared; unbounded recursion
   ends in an exception, in wasm and through natives; several instances of
   one module are independent; the argument checks of the call forms. */
#include "test.h"

static int depth;

/* deep(n) calls this, which calls deep(n + 1) again: without end. */
static int32_t reenter(wasm_exec_env_t env, int32_t n)
{
    wasm_module_inst_t inst = get_module_inst(env);
    wasm_function_inst_t deep = wasm_runtime_lookup_function(inst, "deep");
    uint32_t argv[1] = { (uint32_t)n };
    depth = n;
    if (!wasm_runtime_call_wasm(env, deep, 1, argv))
        return -1; /* the exception is set: the caller stops anyway */
    return (int32_t)argv[0];
}

static NativeSymbol natives[] = {
    EXPORT_WASM_API_WITH_SIG(reenter, "(i)i"),
};

int main(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst, others[3];
    wasm_exec_env_t env;
    wasm_function_inst_t func;
    uint32_t argv[4];
    wasm_val_t args[2], results[2];
    int32_t params[2], out[1];
    int i;

    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_register_natives("env", natives, 1));
    module = load_module("traps.wasm");
    inst = instantiate(module, 0);
    env = wasm_runtime_get_exec_env_singleton(inst);
    CHECK(wasm_runtime_get_exception(inst) == NULL);

    /* a trap becomes the exception, and stays until cleared */
    argv[0] = 7;
    argv[1] = 0;
    CHECK(!call_cells(inst, "div", 2, argv));
    CHECK_EXCEPTION(inst, "Exception: integer divide by zero");
    argv[0] = 7;
    argv[1] = 1;
    CHECK(!call_cells(inst, "div", 2, argv)); /* still pending, as in WAMR */
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_get_exception(inst) == NULL);
    argv[0] = 7;
    argv[1] = 2;
    CHECK(call_cells(inst, "div", 2, argv) && argv[0] == 3);
    argv[0] = 0x80000000u;
    argv[1] = (uint32_t)-1;
    CHECK(!call_cells(inst, "div", 2, argv));
    CHECK_EXCEPTION(inst, "Exception: integer overflow");
    wasm_runtime_clear_exception(inst);
    CHECK(!call_cells(inst, "unreachable", 0, argv));
    CHECK_EXCEPTION(inst, "Exception: unreachable");
    wasm_runtime_clear_exception(inst);
    CHECK(!call_cells(inst, "oob", 0, argv));
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);

    /* wasm_runtime_set_exception from the host, then terminate */
    wasm_runtime_set_exception(inst, "from the host");
    CHECK_EXCEPTION(inst, "Exception: from the host");
    wasm_runtime_set_exception(inst, NULL);
    CHECK(wasm_runtime_get_exception(inst) == NULL);
    wasm_runtime_terminate(inst);
    CHECK_EXCEPTION(inst, "Exception: terminated by user");
    wasm_runtime_clear_exception(inst);

    /* unbounded recursion in wasm */
    argv[0] = 0;
    CHECK(!call_cells(inst, "recurse", 1, argv));
    CHECK_EXCEPTION(inst, "Exception: call stack exhausted");
    wasm_runtime_clear_exception(inst);
    /* ... and through a native that calls back into wasm */
    argv[0] = 0;
    CHECK(!call_cells(inst, "deep", 1, argv));
    CHECK_EXCEPTION(inst, "Exception: call stack exhausted");
    CHECK(depth > 10);
    wasm_runtime_clear_exception(inst);
    /* the instance still works afterwards */
    argv[0] = 9;
    argv[1] = 3;
    CHECK(call_cells(inst, "div", 2, argv) && argv[0] == 3);

    /* argument checks: too few cells, wrong counts and kinds */
    func = wasm_runtime_lookup_function(inst, "div");
    CHECK(!wasm_runtime_call_wasm(env, func, 1, argv));
    CHECK_EXCEPTION(inst, "Exception: invalid argument count 1, must be at least 2");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_call_wasm(env, func, 2, NULL));
    wasm_runtime_clear_exception(inst);
    memset(args, 0, sizeof args);
    args[0].kind = WASM_I32;
    args[1].kind = WASM_F32;
    CHECK(!wasm_runtime_call_wasm_a(env, func, 1, results, 2, args));
    CHECK(wasm_runtime_get_exception(inst) != NULL);
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_call_wasm_a(env, func, 1, results, 1, args));
    wasm_runtime_clear_exception(inst);

    /* multiple results and 64-bit values, in cells and in wasm_val_t */
    func = wasm_runtime_lookup_function(inst, "pair");
    CHECK(wasm_func_get_param_count(func, inst) == 2);
    CHECK(wasm_func_get_result_count(func, inst) == 2);
    {
        wasm_valkind_t kinds[2];
        wasm_func_get_param_types(func, inst, kinds);
        CHECK(kinds[0] == WASM_I64 && kinds[1] == WASM_F64);
        wasm_func_get_result_types(func, inst, kinds);
        CHECK(kinds[0] == WASM_F64 && kinds[1] == WASM_I64);
    }
    args[0].kind = WASM_I64;
    args[0].of.i64 = 5;
    args[1].kind = WASM_F64;
    args[1].of.f64 = 0.5;
    CHECK(wasm_runtime_call_wasm_a(env, func, 2, results, 2, args));
    CHECK(results[0].kind == WASM_F64 && results[0].of.f64 == 5.5);
    CHECK(results[1].kind == WASM_I64 && results[1].of.i64 == -5);
    {
        union { uint32_t cells[4]; struct { int64_t i; double f; } v; } u;
        u.v.i = 1LL << 33;
        u.v.f = 1.0;
        CHECK(wasm_runtime_call_wasm(env, func, 4, u.cells));
        CHECK(*(double *)&u.cells[0] == 8589934593.0);
        CHECK(*(int64_t *)&u.cells[2] == -(1LL << 33));
    }

    /* several instances of one module: separate globals and memories */
    for (i = 0; i < 3; i++)
        others[i] = instantiate(module, 0);
    for (i = 0; i < 3; i++) {
        int k;
        for (k = 0; k <= i; k++)
            CHECK(call_cells(others[i], "inc", 0, argv));
        CHECK(argv[0] == (uint32_t)i + 1);
        argv[0] = 64;
        argv[1] = 100 + i;
        CHECK(call_cells(others[i], "store", 2, argv));
    }
    for (i = 0; i < 3; i++) {
        argv[0] = 64;
        CHECK(call_cells(others[i], "load", 1, argv) && argv[0] == 100u + i);
    }
    argv[0] = 64;
    CHECK(call_cells(inst, "load", 1, argv) && argv[0] == 0);
    /* a trap in one leaves the others alone */
    argv[0] = 1;
    argv[1] = 0;
    CHECK(!call_cells(others[0], "div", 2, argv));
    CHECK(wasm_runtime_get_exception(others[1]) == NULL);
    /* the tutorial's form on one of them, with and without an exec env */
    func = wasm_runtime_lookup_function(others[2], "div", NULL);
    params[0] = -9;
    params[1] = 3;
    CHECK(wasm_runtime_call_wasm(others[2], NULL, func, 2, params, out) && out[0] == -3);
    env = wasm_runtime_create_exec_env(others[2], 8192);
    CHECK(wasm_runtime_call_wasm(others[2], env, func, 2, params, out) && out[0] == -3);
    /* a function of one instance called on another's exec env */
    CHECK(!wasm_runtime_call_wasm(wasm_runtime_get_exec_env_singleton(others[1]),
                                  func, 2, argv));
    CHECK_EXCEPTION(others[1],
        "Exception: the function belongs to another module instance");
    CHECK(!wasm_runtime_call_wasm(others[1], env, func, 2, params, out));
    wasm_runtime_destroy_exec_env(env);
    for (i = 0; i < 3; i++)
        wasm_runtime_deinstantiate(others[i]);

    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("traps: ok\n");
    return 0;
}
