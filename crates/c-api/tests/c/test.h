/*
 * Helpers for the C tests of libmote: checks that report the failing line,
 * and reading a .wasm file (the harness writes them next to the test).
 */
#ifndef MOTE_TEST_H
#define MOTE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

/* The instance's exception equals `text` ("Exception: ..."). */
#define CHECK_EXCEPTION(inst, text)                                        \
    do {                                                                   \
        const char *exception_ = wasm_runtime_get_exception(inst);         \
        if (!exception_ || strcmp(exception_, text) != 0) {                \
            fprintf(stderr, "%s:%d: exception is \"%s\", expected \"%s\"\n", \
                    __FILE__, __LINE__,                                    \
                    exception_ ? exception_ : "(none)", text);             \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

/* Reads a whole file; exits on failure. */
static inline uint8_t *
read_file(const char *path, uint32_t *size)
{
    FILE *file = fopen(path, "rb");
    long len;
    uint8_t *bytes;
    if (!file) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    fseek(file, 0, SEEK_END);
    len = ftell(file);
    fseek(file, 0, SEEK_SET);
    bytes = malloc(len > 0 ? (size_t)len : 1);
    if (!bytes || fread(bytes, 1, (size_t)len, file) != (size_t)len) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    fclose(file);
    *size = (uint32_t)len;
    return bytes;
}

/* Loads a module from a .wasm file; exits with the error on failure. */
static inline wasm_module_t
load_module(const char *path)
{
    char error[128];
    uint32_t size;
    uint8_t *bytes = read_file(path, &size);
    wasm_module_t module = wasm_runtime_load(bytes, size, error, sizeof error);
    free(bytes); /* Mote copies the bytes */
    if (!module) {
        fprintf(stderr, "%s: %s\n", path, error);
        exit(1);
    }
    return module;
}

/* Instantiates a module; exits with the error on failure. */
static inline wasm_module_inst_t
instantiate(wasm_module_t module, uint32_t heap_size)
{
    char error[128];
    wasm_module_inst_t inst =
        wasm_runtime_instantiate(module, 8192, heap_size, error, sizeof error);
    if (!inst) {
        fprintf(stderr, "instantiate: %s\n", error);
        exit(1);
    }
    return inst;
}

/* Calls an export with 32-bit cells in and out (WAMR's form); false if it
   failed, with the exception left on the instance. */
static inline int
call_cells(wasm_module_inst_t inst, const char *name, uint32_t argc,
           uint32_t argv[])
{
    wasm_function_inst_t func = wasm_runtime_lookup_function(inst, name);
    wasm_exec_env_t env = wasm_runtime_get_exec_env_singleton(inst);
    CHECK(func != NULL);
    return wasm_runtime_call_wasm(env, func, argc, argv);
}

#endif
