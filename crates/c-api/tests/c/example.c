/* The tutorial program, unchanged, with a load_wasm_file helper above it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t
load_wasm_file(const char *path, uint8_t **bytes)
{
    FILE *file = fopen(path, "rb");
    long size;
    if (!file)
        return 0;
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    *bytes = malloc(size);
    if (!*bytes || fread(*bytes, 1, size, file) != (size_t)size) {
        fclose(file);
        return 0;
    }
    fclose(file);
    return (uint32_t)size;
}

#include "wasm_export.h"
#include <stdio.h>
#define ERROR_BUF_SIZE 128
int main(int argc, char *argv[]) {
    if (!wasm_runtime_init()) { printf("Failed to initialize WAMR runtime.\n"); return -1; }
    const char *wasm_file = "example.wasm";
    uint8_t *wasm_bytes;
    uint32_t wasm_size = load_wasm_file(wasm_file, &wasm_bytes);
    if (wasm_size == 0) { printf("Failed to load wasm file.\n"); return -1; }
    char error_buf[ERROR_BUF_SIZE];
    wasm_module_t module = wasm_runtime_load(wasm_bytes, wasm_size, error_buf, ERROR_BUF_SIZE);
    if (!module) { printf("Failed to load wasm module: %s\n", error_buf); return -1; }
    wasm_module_inst_t module_inst = wasm_runtime_instantiate(module, 8192, 8192, error_buf, ERROR_BUF_SIZE);
    if (!module_inst) { printf("Failed to instantiate wasm module: %s\n", error_buf); wasm_runtime_unload(module); return -1; }
    wasm_function_inst_t func = wasm_runtime_lookup_function(module_inst, "add", NULL);
    if (func) {
        int32_t params[2] = {5, 3};
        int32_t results[1];
        if (wasm_runtime_call_wasm(module_inst, NULL, func, 2, params, results)) {
            printf("Result of 'add': %d\n", results[0]);
        } else { printf("Function call failed.\n"); }
    } else { printf("Function 'add' not found.\n"); }
    wasm_runtime_deinstantiate(module_inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(wasm_bytes);
    return 0;
}
