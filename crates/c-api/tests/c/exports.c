/* wasm_runtime_get_import/export_count and _type, and the accessors of
   function, table, memory and global types. */
#include "test.h"

static float f(wasm_exec_env_t env, int32_t a, int64_t b)
{
    (void)env;
    return (float)(a + b);
}

static NativeSymbol natives[] = {
    EXPORT_WASM_API_WITH_SIG(f, "(iI)f"),
};

int main(void)
{
    wasm_module_t module;
    wasm_import_t import;
    wasm_export_t export_;

    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_register_natives("env", natives, 1));
    module = load_module("exports.wasm");

    CHECK(wasm_runtime_get_import_count(module) == 3);
    wasm_runtime_get_import_type(module, 0, &import);
    CHECK(strcmp(import.module_name, "env") == 0 && strcmp(import.name, "f") == 0);
    CHECK(import.kind == WASM_IMPORT_EXPORT_KIND_FUNC && import.linked);
    CHECK(wasm_func_type_get_param_count(import.u.func_type) == 2);
    CHECK(wasm_func_type_get_param_valkind(import.u.func_type, 1) == WASM_I64);
    CHECK(wasm_func_type_get_param_valkind(import.u.func_type, 2) == (wasm_valkind_t)-1);
    CHECK(wasm_func_type_get_result_count(import.u.func_type) == 1);
    CHECK(wasm_func_type_get_result_valkind(import.u.func_type, 0) == WASM_F32);
    wasm_runtime_get_import_type(module, 1, &import);
    CHECK(import.kind == WASM_IMPORT_EXPORT_KIND_GLOBAL && !import.linked);
    CHECK(wasm_global_type_get_valkind(import.u.global_type) == WASM_F64);
    CHECK(wasm_global_type_get_mutable(import.u.global_type));
    wasm_runtime_get_import_type(module, 2, &import);
    CHECK(strcmp(import.module_name, "other") == 0 && !import.linked);

    /* the tag has no WAMR kind and is left out */
    CHECK(wasm_runtime_get_export_count(module) == 4);
    wasm_runtime_get_export_type(module, 0, &export_);
    CHECK(strcmp(export_.name, "mem") == 0);
    CHECK(export_.kind == WASM_IMPORT_EXPORT_KIND_MEMORY);
    CHECK(wasm_memory_type_get_init_page_count(export_.u.memory_type) == 2);
    CHECK(wasm_memory_type_get_max_page_count(export_.u.memory_type) == 5);
    CHECK(!wasm_memory_type_get_shared(export_.u.memory_type));
    wasm_runtime_get_export_type(module, 1, &export_);
    CHECK(strcmp(export_.name, "tab") == 0);
    CHECK(export_.kind == WASM_IMPORT_EXPORT_KIND_TABLE);
    CHECK(wasm_table_type_get_elem_kind(export_.u.table_type) == WASM_FUNCREF);
    CHECK(wasm_table_type_get_init_size(export_.u.table_type) == 3);
    CHECK(wasm_table_type_get_max_size(export_.u.table_type) == 8);
    CHECK(!wasm_table_type_get_shared(export_.u.table_type));
    wasm_runtime_get_export_type(module, 2, &export_);
    CHECK(export_.kind == WASM_IMPORT_EXPORT_KIND_GLOBAL);
    CHECK(wasm_global_type_get_valkind(export_.u.global_type) == WASM_I64);
    CHECK(!wasm_global_type_get_mutable(export_.u.global_type));
    wasm_runtime_get_export_type(module, 3, &export_);
    CHECK(strcmp(export_.name, "fn") == 0);
    CHECK(wasm_func_type_get_result_count(export_.u.func_type) == 2);
    CHECK(wasm_func_type_get_result_valkind(export_.u.func_type, 1) == WASM_EXTERNREF);
    /* a type handle is not a function handle, nor the other way round */
    CHECK(wasm_memory_type_get_init_page_count((wasm_memory_type_t)export_.u.func_type) == 0);

    wasm_runtime_unload(module);
    /* the type handles went with their module */
    CHECK(wasm_func_type_get_result_count(export_.u.func_type) == 0);
    wasm_runtime_destroy();
    printf("exports: ok\n");
    return 0;
}
