/* wasm_application_execute_main for a plain `main`, and
   wasm_application_execute_func (the harness checks what it prints). */
#include "test.h"

int main(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst;
    char *main_argv[] = { "prog", "x" };
    char *add_argv[] = { "5", "0x3" };
    char *mix_argv[] = { "2.5", "2" };
    char *bad_argv[] = { "five", "3" };

    CHECK(wasm_runtime_init());
    module = load_module("app.wasm");
    /* main's arguments are copied into the app heap */
    inst = instantiate(module, 4096);
    CHECK(!wasm_runtime_is_wasi_mode(inst));
    CHECK(wasm_runtime_lookup_wasi_start_function(inst) == NULL);
    CHECK(wasm_application_execute_main(inst, 2, main_argv));
    CHECK(*(int *)main_argv == 2000 + 'x');

    CHECK(wasm_application_execute_func(inst, "add", 2, add_argv));
    CHECK(wasm_application_execute_func(inst, "mix", 2, mix_argv));
    CHECK(!wasm_application_execute_func(inst, "add", 1, add_argv));
    CHECK_EXCEPTION(inst, "Exception: invalid input argument count");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_application_execute_func(inst, "add", 2, bad_argv));
    CHECK_EXCEPTION(inst, "Exception: invalid input argument 0: five");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_application_execute_func(inst, "nothing", 0, NULL));
    CHECK_EXCEPTION(inst, "Exception: lookup function nothing failed");
    wasm_runtime_deinstantiate(inst);

    /* without a heap there is no room for main's arguments */
    main_argv[0] = "prog";
    inst = instantiate(module, 0);
    CHECK(!wasm_application_execute_main(inst, 2, main_argv));
    CHECK_EXCEPTION(inst, "Exception: out of memory");
    wasm_runtime_deinstantiate(inst);

    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("application: ok\n");
    return 0;
}
