/* Two threads, each with its own instance of one module and its own exec
   env, run at once; an instance is terminated from another thread. */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include <pthread.h>
#include <time.h>

static volatile int ticks;

static void tick(wasm_exec_env_t env)
{
    (void)env;
    ticks++;
}

static NativeSymbol natives[] = {
    EXPORT_WASM_API_WITH_SIG(tick, "()"),
};

struct job {
    wasm_module_t module;
    int n;
    uint32_t result;
    int ok;
};

static void *run_job(void *arg)
{
    struct job *job = arg;
    char error[128];
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    wasm_function_inst_t fib;
    int round;

    CHECK(wasm_runtime_init_thread_env());
    CHECK(wasm_runtime_thread_env_inited());
    inst = wasm_runtime_instantiate(job->module, 8192, 0, error, sizeof error);
    CHECK(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 8192);
    CHECK(env != NULL);
    fib = wasm_runtime_lookup_function(inst, "fib");
    job->ok = 1;
    for (round = 0; round < 20; round++) {
        uint32_t argv[1] = { (uint32_t)job->n };
        if (!wasm_runtime_call_wasm(env, fib, 1, argv))
            job->ok = 0;
        job->result = argv[0];
    }
    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_destroy_thread_env();
    return NULL;
}

static void *spin(void *arg)
{
    wasm_module_inst_t inst = arg;
    wasm_exec_env_t env;
    uint32_t argv[1];
    CHECK(wasm_runtime_init_thread_env());
    env = wasm_runtime_create_exec_env(inst, 8192);
    /* returns only once terminated */
    CHECK(!wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "spin"),
                                  0, argv));
    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_destroy_thread_env();
    return NULL;
}

int main(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst;
    struct job jobs[2];
    pthread_t threads[2];
    struct timespec pause = { 0, 10 * 1000 * 1000 };
    int i;

    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_register_natives("env", natives, 1));
    module = load_module("threads.wasm");
    jobs[0].n = 20;
    jobs[1].n = 21;
    for (i = 0; i < 2; i++) {
        jobs[i].module = module;
        CHECK(pthread_create(&threads[i], NULL, run_job, &jobs[i]) == 0);
    }
    for (i = 0; i < 2; i++)
        CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(jobs[0].ok && jobs[0].result == 6765);
    CHECK(jobs[1].ok && jobs[1].result == 10946);

    inst = instantiate(module, 0);
    CHECK(pthread_create(&threads[0], NULL, spin, inst) == 0);
    while (ticks < 1000)
        nanosleep(&pause, NULL);
    wasm_runtime_terminate(inst);
    CHECK(pthread_join(threads[0], NULL) == 0);
    CHECK_EXCEPTION(inst, "Exception: terminated by user");
    wasm_runtime_deinstantiate(inst);

    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("threads: ok\n");
    return 0;
}
