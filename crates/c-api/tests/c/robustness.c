/* Every function given NULL, freed or mixed-up handles, or invalid
   arguments returns its failure value (leaving a message where WAMR does)
   instead of crashing. */
#include "test.h"

static void nothing(wasm_exec_env_t env) { (void)env; }

int main(void)
{
    char error[128];
    uint8_t garbage[] = { 0, 'a', 's', 'm', 1, 0, 0, 0, 0xff };
    uint32_t argv[2] = { 0, 0 };
    wasm_val_t vals[2];
    wasm_import_t import;
    wasm_export_t export_;
    wasm_valkind_t kinds[2];
    wasm_module_t module, stale_module;
    wasm_module_inst_t inst, stale_inst;
    wasm_exec_env_t env, stale_env;
    wasm_function_inst_t func, stale_func;
    wasm_memory_inst_t stale_memory;
    InstantiationArgs inst_args = { 8192, 0, 0 };
    NativeSymbol bad[] = {
        { "f", (void *)nothing, "(x)", NULL },
        { "g", (void *)nothing, "(i", NULL },
        { "h", NULL, "()", NULL },
        { NULL, (void *)nothing, "()", NULL },
        { "i", (void *)nothing, "(~)", NULL },
        { "j", (void *)nothing, "(iiiiiiiiiiiiiiiiiiiiiiii)", NULL },
    };
    unsigned k;

    /* before initialization, loading fails with a message */
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, sizeof error) == NULL);
    CHECK(strcmp(error, "WASM module load failed: the runtime is not initialized") == 0);

    CHECK(wasm_runtime_init());
    CHECK(!wasm_runtime_full_init(NULL));

    /* loading */
    CHECK(wasm_runtime_load(NULL, 10, error, sizeof error) == NULL);
    CHECK(strcmp(error, "WASM module load failed: no bytes given") == 0);
    CHECK(wasm_runtime_load(garbage, 0, NULL, 0) == NULL);
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, sizeof error) == NULL);
    CHECK(strncmp(error, "WASM module load failed: ", 25) == 0);
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, 8) == NULL);
    CHECK(strcmp(error, "WASM mo") == 0); /* truncated, terminated */
    wasm_runtime_unload(NULL);

    /* a module with an import nothing provides */
    {
        const char *text = "(module (import \"env\" \"mem\" (memory 1)))";
        module = wasm_runtime_load((uint8_t *)text, (uint32_t)strlen(text), error, sizeof error);
        CHECK(module != NULL);
        CHECK(wasm_runtime_instantiate(module, 0, 0, error, sizeof error) == NULL);
        CHECK(strstr(error, "WASM module instantiate failed: ") == error);
        CHECK(strstr(error, "env") && strstr(error, "mem"));
        wasm_runtime_unload(module);
    }

    /* instantiation */
    CHECK(wasm_runtime_instantiate(NULL, 0, 0, error, sizeof error) == NULL);
    CHECK(strcmp(error, "WASM module instantiate failed: invalid module") == 0);
    CHECK(wasm_runtime_instantiate_ex(NULL, &inst_args, NULL, 0) == NULL);
    module = load_module("traps.wasm");
    CHECK(wasm_runtime_instantiate_ex(module, NULL, error, sizeof error) == NULL);
    inst_args.max_memory_pages = 0;
    inst = wasm_runtime_instantiate_ex(module, &inst_args, error, sizeof error);
    CHECK(inst != NULL);
    wasm_runtime_deinstantiate(NULL);

    /* natives: bad entries register nothing */
    CHECK(!wasm_runtime_register_natives(NULL, bad, 1));
    CHECK(!wasm_runtime_register_natives("env", NULL, 1));
    CHECK(wasm_runtime_register_natives("env", NULL, 0));
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
        CHECK(!wasm_runtime_register_natives("env", &bad[k], 1));
    CHECK(!wasm_runtime_register_natives_raw("env", &bad[0], 1));

    /* NULL everywhere */
    CHECK(wasm_runtime_lookup_function(NULL, "div") == NULL);
    CHECK(wasm_runtime_lookup_function(inst, NULL) == NULL);
    CHECK(wasm_runtime_lookup_function(inst, "no such function") == NULL);
    CHECK(wasm_runtime_lookup_function(NULL, "div", NULL) == NULL);
    CHECK(wasm_func_get_param_count(NULL, inst) == 0);
    CHECK(wasm_func_get_result_count(NULL, NULL) == 0);
    wasm_func_get_param_types(NULL, inst, kinds);
    wasm_func_get_result_types(NULL, inst, kinds);
    func = wasm_runtime_lookup_function(inst, "div");
    wasm_func_get_param_types(func, inst, NULL);
    CHECK(wasm_runtime_create_exec_env(NULL, 8192) == NULL);
    wasm_runtime_destroy_exec_env(NULL);
    CHECK(wasm_runtime_get_exec_env_singleton(NULL) == NULL);
    CHECK(wasm_runtime_get_module_inst(NULL) == NULL);
    CHECK(wasm_runtime_get_function_attachment(NULL) == NULL);
    wasm_runtime_set_user_data(NULL, argv);
    CHECK(wasm_runtime_get_user_data(NULL) == NULL);
    CHECK(!wasm_runtime_call_wasm(NULL, func, 2, argv));
    CHECK(!wasm_runtime_call_wasm(wasm_runtime_get_exec_env_singleton(inst), NULL, 0, argv));
    CHECK_EXCEPTION(inst, "Exception: invalid function");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_call_wasm(NULL, NULL, func, 2, (int32_t *)argv, (int32_t *)argv));
    CHECK(!wasm_runtime_call_wasm(inst, NULL, func, 2, NULL, argv));
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_call_wasm_a(NULL, func, 1, vals, 2, vals));
    CHECK(!wasm_runtime_call_wasm_v(NULL, func, 1, vals, 2, 1, 2));
    CHECK(!wasm_runtime_call_wasm_v(wasm_runtime_get_exec_env_singleton(inst),
                                    func, 1, vals, 3, 1, 2, 3));
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_get_exception(NULL) == NULL);
    wasm_runtime_set_exception(NULL, "x");
    wasm_runtime_clear_exception(NULL);
    wasm_runtime_terminate(NULL);
    CHECK(!wasm_runtime_validate_app_addr(NULL, 0, 1));
    CHECK(!wasm_runtime_validate_app_str_addr(NULL, 0));
    CHECK(!wasm_runtime_validate_native_addr(NULL, argv, 1));
    CHECK(wasm_runtime_addr_app_to_native(NULL, 0) == NULL);
    CHECK(wasm_runtime_addr_native_to_app(NULL, argv) == 0);
    CHECK(wasm_runtime_module_malloc(NULL, 8, NULL) == 0);
    wasm_runtime_module_free(NULL, 8);
    CHECK(wasm_runtime_module_dup_data(NULL, "x", 1) == 0);
    CHECK(wasm_runtime_module_dup_data(inst, NULL, 1) == 0);
    CHECK(wasm_runtime_get_default_memory(NULL) == NULL);
    CHECK(wasm_memory_get_base_address(NULL) == NULL);
    CHECK(wasm_memory_get_cur_page_count(NULL) == 0);
    CHECK(wasm_memory_get_max_page_count(NULL) == 0);
    CHECK(wasm_memory_get_bytes_per_page(NULL) == 0);
    CHECK(!wasm_memory_enlarge(NULL, 1));
    wasm_runtime_set_custom_data(NULL, argv);
    CHECK(wasm_runtime_get_custom_data(NULL) == NULL);
    CHECK(!wasm_runtime_set_running_mode(NULL, Mode_Interp));
    CHECK(wasm_runtime_get_running_mode(NULL) == 0);
    CHECK(!wasm_runtime_is_wasi_mode(NULL));
    CHECK(wasm_runtime_lookup_wasi_start_function(NULL) == NULL);
    CHECK(wasm_runtime_get_wasi_exit_code(NULL) == 0);
    CHECK(!wasm_application_execute_main(NULL, 0, NULL));
    CHECK(!wasm_application_execute_func(NULL, "div", 0, NULL));
    CHECK(!wasm_application_execute_func(inst, NULL, 0, NULL));
    CHECK(!wasm_application_execute_func(inst, "div", 2, NULL));
    wasm_runtime_clear_exception(inst);
    wasm_runtime_set_wasi_args(NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
    wasm_runtime_set_wasi_args(module, NULL, 3, NULL, 0, NULL, 0, NULL, 0);
    CHECK(wasm_runtime_get_import_count(NULL) == -1);
    CHECK(wasm_runtime_get_export_count(NULL) == -1);
    memset(&import, 0, sizeof import);
    memset(&export_, 0, sizeof export_);
    wasm_runtime_get_import_type(NULL, 0, &import);
    wasm_runtime_get_export_type(module, -1, &export_);
    wasm_runtime_get_export_type(module, 1000, &export_);
    wasm_runtime_get_export_type(module, 0, NULL);
    CHECK(export_.name == NULL && import.name == NULL);
    CHECK(wasm_func_type_get_param_count(NULL) == 0);
    CHECK(wasm_func_type_get_param_valkind(NULL, 0) == (wasm_valkind_t)-1);
    CHECK(wasm_func_type_get_result_count(NULL) == 0);
    CHECK(wasm_func_type_get_result_valkind(NULL, 0) == (wasm_valkind_t)-1);
    CHECK(wasm_global_type_get_valkind(NULL) == (wasm_valkind_t)-1);
    CHECK(!wasm_global_type_get_mutable(NULL));
    CHECK(!wasm_memory_type_get_shared(NULL));
    CHECK(wasm_memory_type_get_init_page_count(NULL) == 0);
    CHECK(wasm_memory_type_get_max_page_count(NULL) == 0);
    CHECK(wasm_table_type_get_elem_kind(NULL) == (wasm_valkind_t)-1);
    CHECK(wasm_table_type_get_init_size(NULL) == 0);
    CHECK(wasm_table_type_get_max_size(NULL) == 0);

    /* handles of the wrong kind */
    CHECK(wasm_runtime_lookup_function((wasm_module_inst_t)module, "div") == NULL);
    CHECK(wasm_runtime_get_module_inst((wasm_exec_env_t)inst) == NULL);
    CHECK(!wasm_runtime_call_wasm((wasm_exec_env_t)func, func, 2, argv));
    CHECK(wasm_runtime_get_export_count((wasm_module_t)inst) == -1);
    CHECK(wasm_memory_get_cur_page_count((wasm_memory_inst_t)inst) == 0);
    CHECK(wasm_func_type_get_param_count((wasm_func_type_t)func) == 0);
    CHECK(wasm_runtime_get_exception((wasm_module_inst_t)garbage) == NULL);

    /* handles used after they were freed, and freed twice */
    stale_module = load_module("traps.wasm");
    stale_inst = instantiate(stale_module, 0);
    stale_env = wasm_runtime_create_exec_env(stale_inst, 8192);
    stale_func = wasm_runtime_lookup_function(stale_inst, "div");
    stale_memory = wasm_runtime_get_default_memory(stale_inst);
    wasm_runtime_deinstantiate(stale_inst);
    wasm_runtime_deinstantiate(stale_inst);
    CHECK(wasm_runtime_get_module_inst(stale_env) == NULL);
    CHECK(!wasm_runtime_call_wasm(stale_env, stale_func, 2, argv));
    CHECK(wasm_runtime_lookup_function(stale_inst, "div") == NULL);
    CHECK(wasm_func_get_param_count(stale_func, NULL) == 0);
    CHECK(wasm_memory_get_base_address(stale_memory) == NULL);
    CHECK(!wasm_runtime_validate_app_addr(stale_inst, 0, 1));
    wasm_runtime_destroy_exec_env(stale_env);
    wasm_runtime_destroy_exec_env(stale_env);
    wasm_runtime_unload(stale_module);
    wasm_runtime_unload(stale_module);
    CHECK(wasm_runtime_instantiate(stale_module, 0, 0, error, sizeof error) == NULL);

    /* the singleton belongs to its instance */
    env = wasm_runtime_get_exec_env_singleton(inst);
    wasm_runtime_destroy_exec_env(env);
    CHECK(wasm_runtime_get_module_inst(env) == inst);
    argv[0] = 6;
    argv[1] = 3;
    CHECK(wasm_runtime_call_wasm(env, func, 2, argv) && argv[0] == 2);

    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    wasm_runtime_destroy(); /* one more than init: ignored */
    printf("robustness: ok\n");
    return 0;
}
