/*
 * Mote: a drop-in for WAMR's wasm_export.h.
 *
 * A program written for WAMR's embedding API builds against Mote by changing
 * only its include and link lines:
 *
 *     cc app.c -I<mote>/crates/c-api/include -L<mote>/target/release -lmote
 *
 * Types, names and semantics follow WAMR. Where Mote differs it says so
 * below. Every function accepts NULL or stale handles: it then returns its
 * failure value (false, 0 or NULL) and, where WAMR does, leaves a message in
 * the error buffer or the instance's exception.
 *
 * Two functions take a second form, as the widely copied tutorial writes
 * them; the header chooses by the number of arguments:
 *
 *     wasm_runtime_lookup_function(inst, name)                 WAMR
 *     wasm_runtime_lookup_function(inst, name, signature)      tutorial
 *     wasm_runtime_call_wasm(exec_env, func, argc, argv)       WAMR
 *     wasm_runtime_call_wasm(inst, exec_env, func, argc,
 *                            args, results)                    tutorial
 */

#ifndef _WASM_EXPORT_H
#define _WASM_EXPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
/* For programs that free what they loaded without including it, as the
   tutorial does. */
#include <stdlib.h>
#include "lib_export.h"

#ifndef WASM_RUNTIME_API_EXTERN
#define WASM_RUNTIME_API_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Shorthands for native functions whose instance is named `module_inst`. */
#define get_module_inst(exec_env) wasm_runtime_get_module_inst(exec_env)
#define validate_app_addr(offset, size) \
    wasm_runtime_validate_app_addr(module_inst, offset, size)
#define validate_app_str_addr(offset) \
    wasm_runtime_validate_app_str_addr(module_inst, offset)
#define addr_app_to_native(offset) \
    wasm_runtime_addr_app_to_native(module_inst, offset)
#define addr_native_to_app(ptr) \
    wasm_runtime_addr_native_to_app(module_inst, ptr)
#define module_malloc(size, p_native_addr) \
    wasm_runtime_module_malloc(module_inst, size, p_native_addr)
#define module_free(offset) wasm_runtime_module_free(module_inst, offset)

/* Raw natives (wasm_runtime_register_natives_raw) read their arguments from
   a uint64_t array, one slot each, and write the result to its first slot. */
#define native_raw_return_type(type, args) type *raw_ret = (type *)(args)
#define native_raw_get_arg(type, name, args) type name = *((type *)(args++))
#define native_raw_set_return(val) *raw_ret = (val)

/* ---- Handles ---------------------------------------------------------- */

#ifndef WASM_MODULE_T_DEFINED
#define WASM_MODULE_T_DEFINED
/* A loaded (decoded and validated) module. */
struct WASMModuleCommon;
typedef struct WASMModuleCommon *wasm_module_t;
#endif

/* An instance of a module: its own memory, globals, tables and exception. */
struct WASMModuleInstanceCommon;
typedef struct WASMModuleInstanceCommon *wasm_module_inst_t;

/* An exported function of an instance; valid until the instance goes. */
typedef void WASMFunctionInstanceCommon;
typedef WASMFunctionInstanceCommon *wasm_function_inst_t;

/* A linear memory of an instance. */
struct WASMMemoryInstance;
typedef struct WASMMemoryInstance *wasm_memory_inst_t;

/* An execution environment: what a call runs on, and what natives get. */
struct WASMExecEnv;
typedef struct WASMExecEnv *wasm_exec_env_t;

struct WASMFuncType;
typedef struct WASMFuncType *wasm_func_type_t;
struct WASMTableType;
typedef struct WASMTableType *wasm_table_type_t;
struct WASMGlobalType;
typedef struct WASMGlobalType *wasm_global_type_t;
#ifndef WASM_MEMORY_T_DEFINED
#define WASM_MEMORY_T_DEFINED
struct WASMMemory;
typedef struct WASMMemory WASMMemoryType;
#endif
typedef WASMMemoryType *wasm_memory_type_t;

typedef enum {
    WASM_IMPORT_EXPORT_KIND_FUNC,
    WASM_IMPORT_EXPORT_KIND_TABLE,
    WASM_IMPORT_EXPORT_KIND_MEMORY,
    WASM_IMPORT_EXPORT_KIND_GLOBAL
} wasm_import_export_kind_t;

/* The strings and types stay valid until the module is unloaded. */
typedef struct wasm_import_t {
    const char *module_name;
    const char *name;
    wasm_import_export_kind_t kind;
    bool linked;
    union {
        wasm_func_type_t func_type;
        wasm_table_type_t table_type;
        wasm_global_type_t global_type;
        wasm_memory_type_t memory_type;
    } u;
} wasm_import_t;

typedef struct wasm_export_t {
    const char *name;
    wasm_import_export_kind_t kind;
    union {
        wasm_func_type_t func_type;
        wasm_table_type_t table_type;
        wasm_global_type_t global_type;
        wasm_memory_type_t memory_type;
    } u;
} wasm_export_t;

/* ---- Runtime set-up --------------------------------------------------- */

#ifndef MEM_ALLOC_OPTION_DEFINED
#define MEM_ALLOC_OPTION_DEFINED
typedef enum {
    Alloc_With_Pool = 0,
    Alloc_With_Allocator,
    Alloc_With_System_Allocator,
} mem_alloc_type_t;

typedef union MemAllocOption {
    struct {
        void *heap_buf;
        uint32_t heap_size;
    } pool;
    struct {
        void *malloc_func;
        void *realloc_func;
        void *free_func;
        void *user_data;
    } allocator;
} MemAllocOption;
#endif

typedef enum RunningMode {
    Mode_Interp = 1,
    Mode_Fast_JIT,
    Mode_LLVM_JIT,
    Mode_Multi_Tier_JIT,
} RunningMode;

/*
 * Arguments of wasm_runtime_full_init. Mote checks the allocator choice
 * (a pool needs a buffer and a size, a user allocator needs malloc and free)
 * but allocates from the system allocator in every case. It registers
 * native_symbols under native_module_name and accepts running_mode 0 (the
 * default) or Mode_Interp. The other fields are accepted and unused.
 */
typedef struct RuntimeInitArgs {
    mem_alloc_type_t mem_alloc_type;
    MemAllocOption mem_alloc_option;
    const char *native_module_name;
    NativeSymbol *native_symbols;
    uint32_t n_native_symbols;
    uint32_t max_thread_num;
    char ip_addr[128];
    int unused;
    int instance_port;
    uint32_t fast_jit_code_cache_size;
    uint32_t gc_heap_size;
    RunningMode running_mode;
    uint32_t llvm_jit_opt_level;
    uint32_t llvm_jit_size_level;
    uint32_t segue_flags;
    bool enable_linux_perf;
} RuntimeInitArgs;

#ifndef INSTANTIATION_ARGS_OPTION_DEFINED
#define INSTANTIATION_ARGS_OPTION_DEFINED
/* Arguments of wasm_runtime_instantiate_ex. */
typedef struct InstantiationArgs {
    uint32_t default_stack_size;
    uint32_t host_managed_heap_size;
    /* Instantiation fails when the module's initial memory is larger. */
    uint32_t max_memory_pages;
} InstantiationArgs;
#endif

#ifndef WASM_VALKIND_T_DEFINED
#define WASM_VALKIND_T_DEFINED
typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
    WASM_I32,
    WASM_I64,
    WASM_F32,
    WASM_F64,
    WASM_V128,
    WASM_EXTERNREF = 128,
    WASM_FUNCREF,
};
#endif

#ifndef WASM_VAL_T_DEFINED
#define WASM_VAL_T_DEFINED
struct wasm_ref_t;
/* A value of wasm_runtime_call_wasm_a. An externref is `foreign`: 0 is
   null, anything else reaches the guest as an opaque reference. */
typedef struct wasm_val_t {
    wasm_valkind_t kind;
    uint8_t _paddings[7];
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uintptr_t foreign;
        struct wasm_ref_t *ref;
    } of;
} wasm_val_t;
#endif

typedef enum {
    WASM_LOG_LEVEL_FATAL = 0,
    WASM_LOG_LEVEL_ERROR = 1,
    WASM_LOG_LEVEL_WARNING = 2,
    WASM_LOG_LEVEL_DEBUG = 3,
    WASM_LOG_LEVEL_VERBOSE = 4
} log_level_t;

/* Initializes the runtime; calls nest: each needs a wasm_runtime_destroy. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_init(void);

/* wasm_runtime_init with arguments; false if they are invalid. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_full_init(RuntimeInitArgs *init_args);

/* Ends one wasm_runtime_init; the last one forgets the registered natives.
   Modules and instances already made stay usable until freed. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy(void);

/* Accepted; Mote does not log. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_log_level(log_level_t level);

/* Only Mode_Interp is supported. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_running_mode_supported(RunningMode running_mode);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_set_default_running_mode(RunningMode running_mode);

/* Marks the calling thread as one that runs wasm; always succeeds. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_init_thread_env(void);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy_thread_env(void);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_thread_env_inited(void);

/* ---- Modules ---------------------------------------------------------- */

/* Decodes and validates a module (binary, or text). The bytes are copied:
   the buffer may be freed at once. NULL and a message on failure. */
WASM_RUNTIME_API_EXTERN wasm_module_t
wasm_runtime_load(uint8_t *buf, uint32_t size, char *error_buf,
                  uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_unload(wasm_module_t module);

/* WASI arguments for the module's next instances: preopened directories
   (dir_list as they are; map_dir_list as "guest::host"), "KEY=VALUE"
   environment strings and argv. The _ex form also takes host descriptors
   for stdin, stdout and stderr (-1 keeps the process's own). */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_wasi_args(wasm_module_t module, const char *dir_list[],
                           uint32_t dir_count, const char *map_dir_list[],
                           uint32_t map_dir_count, const char *env[],
                           uint32_t env_count, char *argv[], int argc);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_wasi_args_ex(wasm_module_t module, const char *dir_list[],
                              uint32_t dir_count, const char *map_dir_list[],
                              uint32_t map_dir_count, const char *env[],
                              uint32_t env_count, char *argv[], int argc,
                              int64_t stdinfd, int64_t stdoutfd,
                              int64_t stderrfd);

/* Number of imports or exports, -1 for an invalid module. */
WASM_RUNTIME_API_EXTERN int32_t
wasm_runtime_get_import_count(const wasm_module_t module);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_get_import_type(const wasm_module_t module, int32_t import_index,
                             wasm_import_t *import_type);

WASM_RUNTIME_API_EXTERN int32_t
wasm_runtime_get_export_count(const wasm_module_t module);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_get_export_type(const wasm_module_t module, int32_t export_index,
                             wasm_export_t *export_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_type_get_param_count(const wasm_func_type_t func_type);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_func_type_get_param_valkind(const wasm_func_type_t func_type,
                                 uint32_t param_index);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_type_get_result_count(const wasm_func_type_t func_type);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_func_type_get_result_valkind(const wasm_func_type_t func_type,
                                  uint32_t result_index);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_global_type_get_valkind(const wasm_global_type_t global_type);

WASM_RUNTIME_API_EXTERN bool
wasm_global_type_get_mutable(const wasm_global_type_t global_type);

WASM_RUNTIME_API_EXTERN bool
wasm_memory_type_get_shared(const wasm_memory_type_t memory_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_memory_type_get_init_page_count(const wasm_memory_type_t memory_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_memory_type_get_max_page_count(const wasm_memory_type_t memory_type);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_table_type_get_elem_kind(const wasm_table_type_t table_type);

WASM_RUNTIME_API_EXTERN bool
wasm_table_type_get_shared(const wasm_table_type_t table_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_table_type_get_init_size(const wasm_table_type_t table_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_table_type_get_max_size(const wasm_table_type_t table_type);

/* ---- Instances -------------------------------------------------------- */

/*
 * Instantiates a module: its imports are resolved against the registered
 * natives (WASI from Mote's own), and its start function runs. A module
 * without exported malloc and free gets an app heap of
 * host_managed_heap_size bytes for wasm_runtime_module_malloc, carved out of
 * its linear memory (which grows to make room). default_stack_size is
 * accepted; call depth and value-stack size are bounded engine-wide.
 */
WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_instantiate(const wasm_module_t module,
                         uint32_t default_stack_size,
                         uint32_t host_managed_heap_size, char *error_buf,
                         uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_instantiate_ex(const wasm_module_t module,
                            const InstantiationArgs *args, char *error_buf,
                            uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_set_running_mode(wasm_module_inst_t module_inst,
                              RunningMode running_mode);

/* Mode_Interp for an instance, 0 for an invalid one. */
WASM_RUNTIME_API_EXTERN RunningMode
wasm_runtime_get_running_mode(wasm_module_inst_t module_inst);

/* Frees the instance, its function handles and its singleton exec env. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_deinstantiate(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_custom_data(wasm_module_inst_t module_inst,
                             void *custom_data);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_custom_data(wasm_module_inst_t module_inst);

/* ---- Functions and calls ---------------------------------------------- */

WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_runtime_lookup_function(const wasm_module_inst_t module_inst,
                             const char *name);

/* The tutorial's three-argument form; the signature is ignored. */
WASM_RUNTIME_API_EXTERN wasm_function_inst_t
mote_runtime_lookup_function_sig(const wasm_module_inst_t module_inst,
                                 const char *name, const char *signature);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_get_param_count(const wasm_function_inst_t func_inst,
                          const wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_get_result_count(const wasm_function_inst_t func_inst,
                           const wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN void
wasm_func_get_param_types(const wasm_function_inst_t func_inst,
                          const wasm_module_inst_t module_inst,
                          wasm_valkind_t *param_types);

WASM_RUNTIME_API_EXTERN void
wasm_func_get_result_types(const wasm_function_inst_t func_inst,
                           const wasm_module_inst_t module_inst,
                           wasm_valkind_t *result_types);

/* An exec env for module_inst; stack_size is accepted (limits are
   engine-wide). Each thread calling into an instance uses its own. */
WASM_RUNTIME_API_EXTERN wasm_exec_env_t
wasm_runtime_create_exec_env(wasm_module_inst_t module_inst,
                             uint32_t stack_size);

/* Ignores the singleton, which its instance owns. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy_exec_env(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN wasm_exec_env_t
wasm_runtime_get_exec_env_singleton(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_get_module_inst(wasm_exec_env_t exec_env);

/* The attachment of the native function running on exec_env. */
WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_function_attachment(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_user_data(wasm_exec_env_t exec_env, void *user_data);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_user_data(wasm_exec_env_t exec_env);

/*
 * Calls `function` with argv holding the parameters as 32-bit cells (i64 and
 * f64 take two, low half first; an externref takes one); the results
 * replace them. argc counts the parameter cells. False and an exception on
 * a trap, an exception raised by a native, or invalid arguments; a WASI
 * proc_exit is a success (see wasm_runtime_get_wasi_exit_code).
 */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_call_wasm(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                       uint32_t argc, uint32_t argv[]);

/* The tutorial's form: the parameter cells in `args`, the result cells
   written to `results`, on exec_env or (when NULL) the instance's
   singleton. */
WASM_RUNTIME_API_EXTERN bool
mote_runtime_call_wasm_inst(wasm_module_inst_t module_inst,
                            wasm_exec_env_t exec_env,
                            wasm_function_inst_t function, uint32_t argc,
                            const void *args, void *results);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_call_wasm_a(wasm_exec_env_t exec_env,
                         wasm_function_inst_t function, uint32_t num_results,
                         wasm_val_t results[], uint32_t num_args,
                         wasm_val_t *args);

/* ---- Exceptions ------------------------------------------------------- */

/* "Exception: ..." or NULL; the text stays valid while the instance lives
   (a later exception overwrites it). */
WASM_RUNTIME_API_EXTERN const char *
wasm_runtime_get_exception(wasm_module_inst_t module_inst);

/* Sets "Exception: <exception>", or clears it when exception is NULL. A
   native that sets an exception stops the wasm code that called it. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_exception(wasm_module_inst_t module_inst,
                           const char *exception);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_clear_exception(wasm_module_inst_t module_inst);

/* Sets the exception "terminated by user", from any thread. Running wasm
   code stops at its next call to a native function or when it returns. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_terminate(wasm_module_inst_t module_inst);

/* ---- Memory ----------------------------------------------------------- */

/* App addresses are offsets into the instance's default memory (its first
   exported memory). A failed check sets "out of bounds memory access". */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_validate_app_addr(wasm_module_inst_t module_inst,
                               uint64_t app_offset, uint64_t size);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_validate_app_str_addr(wasm_module_inst_t module_inst,
                                   uint64_t app_str_offset);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_validate_native_addr(wasm_module_inst_t module_inst,
                                  void *native_ptr, uint64_t size);

/* NULL when out of bounds. On 64-bit Unix a memory never moves when it
   grows, so native addresses stay valid. */
WASM_RUNTIME_API_EXTERN void *
wasm_runtime_addr_app_to_native(wasm_module_inst_t module_inst,
                                uint64_t app_offset);

/* 0 when outside the memory. */
WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_addr_native_to_app(wasm_module_inst_t module_inst,
                                void *native_ptr);

/* Allocates from the module's exported malloc, else from its app heap.
   Returns the app address (0 and "out of memory" on failure) and, when
   p_native_addr is not NULL, the native address there. */
WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_module_malloc(wasm_module_inst_t module_inst, uint64_t size,
                           void **p_native_addr);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_module_free(wasm_module_inst_t module_inst, uint64_t ptr);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_module_dup_data(wasm_module_inst_t module_inst, const char *src,
                             uint64_t size);

WASM_RUNTIME_API_EXTERN wasm_memory_inst_t
wasm_runtime_get_default_memory(const wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN void *
wasm_memory_get_base_address(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_memory_get_cur_page_count(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_memory_get_max_page_count(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_memory_get_bytes_per_page(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN bool
wasm_memory_enlarge(wasm_memory_inst_t memory_inst, uint64_t inc_page_count);

/* ---- Native functions ------------------------------------------------- */

/*
 * Registers native functions under module_name (see NativeSymbol). They
 * resolve imports of modules instantiated afterwards; an import whose
 * signature disagrees with its type stays unlinked, and calling it raises
 * "failed to call unlinked import function (module, name)". The array is
 * copied. False when an entry is invalid, or its signature cannot be called
 * on this target (more than the registers and eight stack slots).
 */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_register_natives(const char *module_name,
                              NativeSymbol *native_symbols,
                              uint32_t n_native_symbols);

/* As above, for functions of the form
   void f(wasm_exec_env_t exec_env, uint64_t *args). */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_register_natives_raw(const char *module_name,
                                  NativeSymbol *native_symbols,
                                  uint32_t n_native_symbols);

/* ---- WASI and applications -------------------------------------------- */

/* Whether the instance imports WASI (wasi_snapshot_preview1). */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_wasi_mode(wasm_module_inst_t module_inst);

/* The exported `_start` of type () -> (), or NULL. */
WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_runtime_lookup_wasi_start_function(wasm_module_inst_t module_inst);

/* The status a WASI command gave proc_exit, 0 if it returned. */
WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_wasi_exit_code(wasm_module_inst_t module_inst);

/* Runs a WASI command's _start, or else `main` (argc and argv are then
   copied into the module's memory, and main's result is stored in
   *(int *)argv). */
WASM_RUNTIME_API_EXTERN bool
wasm_application_execute_main(wasm_module_inst_t module_inst, int32_t argc,
                              char *argv[]);

/* Calls export `name` with arguments parsed from strings and prints its
   results as WAMR does ("0x8:i32"). */
WASM_RUNTIME_API_EXTERN bool
wasm_application_execute_func(wasm_module_inst_t module_inst, const char *name,
                              int32_t argc, char *argv[]);

/* ---- Two call forms by argument count --------------------------------- */

#define MOTE_ARGC_(_1, _2, _3, _4, _5, _6, n, ...) n
#define MOTE_ARGC(...) MOTE_ARGC_(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define MOTE_JOIN_(a, b) a##b
#define MOTE_JOIN(a, b) MOTE_JOIN_(a, b)

#define mote_lookup_function_2 (wasm_runtime_lookup_function)
#define mote_lookup_function_3 mote_runtime_lookup_function_sig
#define wasm_runtime_lookup_function(...) \
    MOTE_JOIN(mote_lookup_function_, MOTE_ARGC(__VA_ARGS__))(__VA_ARGS__)

#define mote_call_wasm_4 (wasm_runtime_call_wasm)
#define mote_call_wasm_6 mote_runtime_call_wasm_inst
#define wasm_runtime_call_wasm(...) \
    MOTE_JOIN(mote_call_wasm_, MOTE_ARGC(__VA_ARGS__))(__VA_ARGS__)

/* ---- Variadic calls --------------------------------------------------- */

/*
 * wasm_runtime_call_wasm_a with the num_args arguments given after it, as
 * WAMR reads them: int32_t, int64_t, double (for f32 and f64) or uintptr_t
 * (for externref), by the function's parameter types. Defined here because
 * Rust cannot define C variadic functions.
 */
static inline bool
wasm_runtime_call_wasm_v(wasm_exec_env_t exec_env,
                         wasm_function_inst_t function, uint32_t num_results,
                         wasm_val_t results[], uint32_t num_args, ...)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(exec_env);
    uint32_t count = wasm_func_get_param_count(function, inst);
    wasm_valkind_t kinds[64];
    wasm_val_t args[64];
    va_list list;
    uint32_t i;
    if (count != num_args || count > 64) {
        /* Let call_wasm_a report the mismatch. */
        return wasm_runtime_call_wasm_a(exec_env, function, num_results,
                                        results, num_args, NULL);
    }
    wasm_func_get_param_types(function, inst, kinds);
    va_start(list, num_args);
    for (i = 0; i < count; i++) {
        args[i].kind = kinds[i];
        switch (kinds[i]) {
            case WASM_I32:
                args[i].of.i32 = va_arg(list, int32_t);
                break;
            case WASM_I64:
                args[i].of.i64 = va_arg(list, int64_t);
                break;
            case WASM_F32:
                args[i].of.f32 = (float)va_arg(list, double);
                break;
            case WASM_F64:
                args[i].of.f64 = va_arg(list, double);
                break;
            default:
                args[i].of.foreign = va_arg(list, uintptr_t);
                break;
        }
    }
    va_end(list);
    return wasm_runtime_call_wasm_a(exec_env, function, num_results, results,
                                    num_args, args);
}

#ifdef __cplusplus
}
#endif

#endif /* _WASM_EXPORT_H */
