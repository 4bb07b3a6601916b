/* Natives with each signature character, raw natives, attachments, user
   data, natives calling back into wasm, exceptions raised by natives, and
   pointer arguments outside linear memory refused with an exception. */
#include "test.h"

static int calls; /* how many times add_i32 ran */

static int32_t add_i32(wasm_exec_env_t env, int32_t a, int32_t b)
{
    CHECK(wasm_runtime_get_module_inst(env) != NULL);
    calls++;
    return a + b;
}

static int64_t mul_i64(wasm_exec_env_t env, int64_t a, int64_t b)
{
    (void)env;
    return a * b;
}

static float half_f32(wasm_exec_env_t env, float x)
{
    (void)env;
    return x / 2;
}

static double scale_f64(wasm_exec_env_t env, double x, int32_t by)
{
    (void)env;
    return x * by;
}

/* More integer arguments than registers: some go on the stack. */
static double mixed(wasm_exec_env_t env, int32_t a, double b, int64_t c,
                    float d, int32_t e, int32_t f, int32_t g, int32_t h,
                    int32_t i, double j)
{
    (void)env;
    return a + b + c * 10 + d + e * 100 + f * 1000 + g * 10000 + h * 100000
           + i * 1000000 + j;
}

/* More float arguments than registers. */
static double many_f64(wasm_exec_env_t env, double a, double b, double c,
                       double d, double e, double f, double g, double h,
                       double i, double j, int32_t k)
{
    (void)env;
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i
           + 10 * j + k;
}

static int sum_buf_calls;
static int32_t sum_buf(wasm_exec_env_t env, const uint8_t *buf, uint32_t len)
{
    int32_t sum = 0;
    uint32_t k;
    wasm_module_inst_t module_inst = get_module_inst(env);
    CHECK(wasm_runtime_validate_native_addr(module_inst, (void *)buf, len));
    sum_buf_calls++;
    for (k = 0; k < len; k++)
        sum += buf[k];
    return sum;
}

static int32_t first_byte(wasm_exec_env_t env, const uint8_t *p)
{
    (void)env;
    return *p;
}

static int32_t str_len(wasm_exec_env_t env, const char *s)
{
    (void)env;
    return (int32_t)strlen(s);
}

struct object {
    int32_t value;
};
static struct object objects[4];

static uintptr_t wrap(wasm_exec_env_t env, int32_t i)
{
    (void)env;
    objects[i].value = i * 11;
    return (uintptr_t)&objects[i];
}

static int32_t unwrap(wasm_exec_env_t env, uintptr_t ref)
{
    (void)env;
    return ref ? ((struct object *)ref)->value : -1;
}

static int32_t attachment(wasm_exec_env_t env)
{
    return *(int32_t *)wasm_runtime_get_function_attachment(env);
}

static int64_t nosig(wasm_exec_env_t env, int32_t a, int64_t b)
{
    (void)env;
    return a - b;
}

static void raise_exception(wasm_exec_env_t env, int32_t code)
{
    if (code)
        wasm_runtime_set_exception(get_module_inst(env), "raised by native");
}

/* Calls the guest's `double` on the same exec env, with its user data. */
static int32_t callback(wasm_exec_env_t env, int32_t x)
{
    wasm_module_inst_t inst = get_module_inst(env);
    wasm_function_inst_t dbl = wasm_runtime_lookup_function(inst, "double");
    uint32_t argv[1];
    CHECK(dbl != NULL);
    argv[0] = (uint32_t)x + *(int32_t *)wasm_runtime_get_user_data(env);
    if (!wasm_runtime_call_wasm(env, dbl, 1, argv))
        return -1;
    return (int32_t)argv[0];
}

static void raw_add(wasm_exec_env_t env, uint64_t *args)
{
    native_raw_return_type(int64_t, args);
    native_raw_get_arg(int32_t, a, args);
    native_raw_get_arg(int64_t, b, args);
    (void)env;
    native_raw_set_return(a + b);
}

static void raw_sum(wasm_exec_env_t env, uint64_t *args)
{
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(uint8_t *, buf, args);
    native_raw_get_arg(uint32_t, len, args);
    int32_t sum = 0;
    uint32_t k;
    (void)env;
    for (k = 0; k < len; k++)
        sum += buf[k];
    native_raw_set_return(sum);
}

static void mismatch(wasm_exec_env_t env, int64_t x)
{
    (void)env;
    (void)x;
    CHECK(!"a native with the wrong signature must not be called");
}

static int32_t seven = 7;

static NativeSymbol natives[] = {
    EXPORT_WASM_API_WITH_SIG(add_i32, "(ii)i"),
    EXPORT_WASM_API_WITH_SIG(mul_i64, "(II)I"),
    EXPORT_WASM_API_WITH_SIG(half_f32, "(f)f"),
    EXPORT_WASM_API_WITH_SIG(scale_f64, "(Fi)F"),
    EXPORT_WASM_API_WITH_SIG(mixed, "(iFIfiiiiiF)F"),
    EXPORT_WASM_API_WITH_SIG(many_f64, "(FFFFFFFFFFi)F"),
    EXPORT_WASM_API_WITH_SIG(sum_buf, "(*~)i"),
    EXPORT_WASM_API_WITH_SIG(first_byte, "(*)i"),
    EXPORT_WASM_API_WITH_SIG(str_len, "($)i"),
    EXPORT_WASM_API_WITH_SIG(wrap, "(i)r"),
    EXPORT_WASM_API_WITH_SIG(unwrap, "(r)i"),
    EXPORT_WASM_API_WITH_ATT(attachment, "()i", &seven),
    EXPORT_WASM_API(nosig),
    EXPORT_WASM_API_WITH_SIG(raise_exception, "(i)"),
    EXPORT_WASM_API_WITH_SIG(callback, "(i)i"),
    EXPORT_WASM_API_WITH_SIG(mismatch, "(I)"),
};

static NativeSymbol raw_natives[] = {
    EXPORT_WASM_API_WITH_SIG(raw_add, "(iI)I"),
    EXPORT_WASM_API_WITH_SIG(raw_sum, "(*~)i"),
};

static wasm_val_t i32_val(int32_t v)
{
    wasm_val_t val;
    memset(&val, 0, sizeof val);
    val.kind = WASM_I32;
    val.of.i32 = v;
    return val;
}

/* Calls an export taking and returning i32s through wasm_val_t. */
static int call_i32(wasm_module_inst_t inst, const char *name, int nargs,
                    int32_t a, int32_t b, int32_t *result)
{
    wasm_val_t args[2] = { i32_val(a), i32_val(b) };
    wasm_val_t results[1];
    wasm_function_inst_t func = wasm_runtime_lookup_function(inst, name);
    CHECK(func != NULL);
    if (!wasm_runtime_call_wasm_a(wasm_runtime_get_exec_env_singleton(inst),
                                  func, 1, results, nargs, args))
        return 0;
    CHECK(results[0].kind == WASM_I32);
    *result = results[0].of.i32;
    return 1;
}

int main(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    wasm_function_inst_t func;
    wasm_val_t args[2], results[1];
    uint32_t argv[4];
    int32_t r;
    int32_t bump = 100;

    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_register_natives("env", natives,
                                        sizeof natives / sizeof natives[0]));
    CHECK(wasm_runtime_register_natives_raw(
        "env", raw_natives, sizeof raw_natives / sizeof raw_natives[0]));
    module = load_module("natives.wasm");
    inst = instantiate(module, 0);
    env = wasm_runtime_create_exec_env(inst, 16384);
    CHECK(env != NULL && wasm_runtime_get_module_inst(env) == inst);

    /* i */
    CHECK(call_i32(inst, "add_i32", 2, 40, 2, &r) && r == 42 && calls == 1);
    /* I */
    func = wasm_runtime_lookup_function(inst, "mul_i64");
    memset(args, 0, sizeof args);
    args[0].kind = args[1].kind = WASM_I64;
    args[0].of.i64 = 3000000000LL;
    args[1].of.i64 = -3;
    CHECK(wasm_runtime_call_wasm_a(env, func, 1, results, 2, args));
    CHECK(results[0].kind == WASM_I64 && results[0].of.i64 == -9000000000LL);
    /* f, through call_wasm_v */
    func = wasm_runtime_lookup_function(inst, "half_f32");
    CHECK(wasm_runtime_call_wasm_v(env, func, 1, results, 1, 5.0));
    CHECK(results[0].kind == WASM_F32 && results[0].of.f32 == 2.5f);
    /* F with an i */
    func = wasm_runtime_lookup_function(inst, "scale_f64");
    CHECK(wasm_runtime_call_wasm_v(env, func, 1, results, 2, 1.5, 4));
    CHECK(results[0].kind == WASM_F64 && results[0].of.f64 == 6.0);
    /* arguments beyond the registers */
    func = wasm_runtime_lookup_function(inst, "mixed");
    CHECK(wasm_runtime_call_wasm_a(env, func, 1, results, 0, NULL));
    CHECK(results[0].of.f64 == 1 + 0.5 + 20 + 0.25 + 300 + 4000 + 50000
                                   + 600000 + 7000000 + 0.125);
    func = wasm_runtime_lookup_function(inst, "many_f64");
    CHECK(wasm_runtime_call_wasm_a(env, func, 1, results, 0, NULL));
    CHECK(results[0].of.f64 == 385 + 1000);

    /* * and ~: a checked buffer and its length */
    CHECK(call_i32(inst, "sum_buf", 2, 32, 4, &r) && r == 10);
    CHECK(sum_buf_calls == 1);
    CHECK(!call_i32(inst, "sum_buf", 2, 65534, 4, &r));
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    CHECK(sum_buf_calls == 1);
    wasm_runtime_clear_exception(inst);
    CHECK(!call_i32(inst, "sum_buf", 2, -16, 32, &r));
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);
    CHECK(call_i32(inst, "sum_buf", 2, 65532, 4, &r) && r == 'c' + 'd' + 'e' + 'f');
    /* * alone: one byte */
    CHECK(call_i32(inst, "first_byte", 1, 33, 0, &r) && r == 2);
    CHECK(!call_i32(inst, "first_byte", 1, 65536, 0, &r));
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);
    /* $: a checked string */
    CHECK(call_i32(inst, "str_len", 1, 16, 0, &r) && r == 5);
    CHECK(!call_i32(inst, "str_len", 1, 65530, 0, &r)); /* no NUL before the end */
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);
    /* r: host objects as externref */
    CHECK(call_i32(inst, "round_trip", 1, 3, 0, &r) && r == 33);
    CHECK(call_i32(inst, "unwrap_null", 0, 0, 0, &r) && r == -1);
    /* attachments, and a native registered without a signature */
    CHECK(call_i32(inst, "attachment", 0, 0, 0, &r) && r == 7);
    CHECK(wasm_runtime_get_function_attachment(env) == NULL);
    func = wasm_runtime_lookup_function(inst, "nosig");
    memset(args, 0, sizeof args);
    args[0] = i32_val(10);
    args[1].kind = WASM_I64;
    args[1].of.i64 = 3;
    CHECK(wasm_runtime_call_wasm_a(env, func, 1, results, 2, args));
    CHECK(results[0].of.i64 == 7);

    /* raw natives, with a checked buffer */
    func = wasm_runtime_lookup_function(inst, "raw_add");
    args[0] = i32_val(-2);
    args[1].of.i64 = 1LL << 40;
    CHECK(wasm_runtime_call_wasm_a(env, func, 1, results, 2, args));
    CHECK(results[0].of.i64 == (1LL << 40) - 2);
    CHECK(call_i32(inst, "raw_sum", 2, 32, 3, &r) && r == 6);
    CHECK(!call_i32(inst, "raw_sum", 2, 65535, 2, &r));
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);

    /* a native that raises an exception stops the guest */
    calls = 0;
    CHECK(call_i32(inst, "raise", 1, 0, 0, &r) && r == 2 && calls == 1);
    CHECK(!call_i32(inst, "raise", 1, 1, 0, &r));
    CHECK_EXCEPTION(inst, "Exception: raised by native");
    CHECK(calls == 1);
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_get_exception(inst) == NULL);

    /* a native calling back into wasm on the caller's exec env */
    wasm_runtime_set_user_data(env, &bump);
    CHECK(wasm_runtime_get_user_data(env) == &bump);
    func = wasm_runtime_lookup_function(inst, "callback");
    argv[0] = 5;
    CHECK(wasm_runtime_call_wasm(env, func, 1, argv));
    CHECK(argv[0] == 210);

    /* unlinked imports, and a native whose signature disagrees */
    CHECK(!call_cells(inst, "missing", 0, argv));
    CHECK_EXCEPTION(inst,
        "Exception: failed to call unlinked import function (env, missing)");
    wasm_runtime_clear_exception(inst);
    CHECK(!call_cells(inst, "mismatch", 0, argv));
    CHECK_EXCEPTION(inst,
        "Exception: failed to call unlinked import function (env, mismatch)");

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("natives: ok\n");
    return 0;
}
