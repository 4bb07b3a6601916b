/*
 * Mote: native symbols for wasm_runtime_register_natives, as in WAMR's
 * lib_export.h.
 */

#ifndef _LIB_EXPORT_H_
#define _LIB_EXPORT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One host function that modules may import.
 *
 * symbol:     the import's field name.
 * func_ptr:   the C function. Its first parameter is the wasm_exec_env_t of
 *             the call, then one parameter per wasm parameter.
 * signature:  "(params)result" with i (i32), I (i64), f (f32), F (f64),
 *             r (externref, a uintptr_t in C), * (i32 offset of a buffer,
 *             checked and passed as a native pointer; its length is the next
 *             parameter when that is ~, else 1), ~ (i32 length of the
 *             preceding buffer) and $ (i32 offset of a NUL-terminated string,
 *             checked and passed as a native pointer). NULL: the types come
 *             from the import, without checks.
 * attachment: returned by wasm_runtime_get_function_attachment while the
 *             function runs.
 */
typedef struct NativeSymbol {
    const char *symbol;
    void *func_ptr;
    const char *signature;
    void *attachment;
} NativeSymbol;

/* clang-format off */
#define EXPORT_WASM_API(symbol) \
    { #symbol, (void *)symbol, NULL, NULL }
#define EXPORT_WASM_API2(symbol) \
    { #symbol, (void *)symbol##_wrapper, NULL, NULL }

#define EXPORT_WASM_API_WITH_SIG(symbol, signature) \
    { #symbol, (void *)symbol, signature, NULL }
#define EXPORT_WASM_API_WITH_SIG2(symbol, signature) \
    { #symbol, (void *)symbol##_wrapper, signature, NULL }

#define EXPORT_WASM_API_WITH_ATT(symbol, signature, attachment) \
    { #symbol, (void *)symbol, signature, attachment }
#define EXPORT_WASM_API_WITH_ATT2(symbol, signature, attachment) \
    { #symbol, (void *)symbol##_wrapper, signature, attachment }
/* clang-format on */

#ifdef __cplusplus
}
#endif

#endif /* _LIB_EXPORT_H_ */
