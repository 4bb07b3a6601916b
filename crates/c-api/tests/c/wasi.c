/* A WASI command's exit code (wasm_application_execute_main and
   wasm_runtime_get_wasi_exit_code), with its arguments, environment and
   standard output set through wasm_runtime_set_wasi_args(_ex). */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include <unistd.h>

int main(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst;
    char *argv[] = { "prog", "one", "two" };
    const char *env[] = { "A=1", "B=2" };
    char out_path[] = "wasi-out-XXXXXX";
    char text[64];
    int out_fd;
    ssize_t len;

    CHECK(wasm_runtime_init());
    module = load_module("wasi.wasm");

    /* exit through proc_exit: 3 arguments and 2 variables */
    out_fd = mkstemp(out_path);
    CHECK(out_fd >= 0);
    wasm_runtime_set_wasi_args_ex(module, NULL, 0, NULL, 0, env, 2, argv, 3,
                                  -1, out_fd, -1);
    inst = instantiate(module, 0);
    CHECK(wasm_runtime_is_wasi_mode(inst));
    CHECK(wasm_runtime_lookup_wasi_start_function(inst) != NULL);
    CHECK(wasm_application_execute_main(inst, 0, NULL));
    CHECK(wasm_runtime_get_exception(inst) == NULL);
    CHECK(wasm_runtime_get_wasi_exit_code(inst) == 23);
    wasm_runtime_deinstantiate(inst);
    len = pread(out_fd, text, sizeof text - 1, 0);
    CHECK(len == 16);
    text[len] = 0;
    CHECK(strcmp(text, "hello from wasi\n") == 0);
    close(out_fd);
    unlink(out_path);

    /* a command that returns normally exits with 0 */
    wasm_runtime_set_wasi_args(module, NULL, 0, NULL, 0, NULL, 0, argv, 1);
    inst = instantiate(module, 0);
    CHECK(wasm_application_execute_main(inst, 0, NULL));
    CHECK(wasm_runtime_get_wasi_exit_code(inst) == 0);
    wasm_runtime_deinstantiate(inst);

    /* a preopened directory that does not exist fails instantiation */
    {
        const char *dirs[] = { "/no/such/directory" };
        char error[128];
        wasm_runtime_set_wasi_args(module, dirs, 1, NULL, 0, NULL, 0, argv, 1);
        CHECK(wasm_runtime_instantiate(module, 8192, 0, error, sizeof error) == NULL);
        CHECK(strstr(error, "WASM module instantiate failed") == error);
    }

    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("wasi: ok\n");
    return 0;
}
