/* module_malloc round trips with the app heap and with the module's own
   malloc/free, address validation and conversion, and the memory API. */
#include "test.h"

static uint32_t call0(wasm_module_inst_t inst, const char *name)
{
    uint32_t argv[1];
    CHECK(call_cells(inst, name, 0, argv));
    return argv[0];
}

static uint32_t load8(wasm_module_inst_t inst, uint64_t offset)
{
    uint32_t argv[1] = { (uint32_t)offset };
    CHECK(call_cells(inst, "load8", 1, argv));
    return argv[0];
}

static void app_heap(wasm_module_t module)
{
    wasm_module_inst_t inst = instantiate(module, 8192);
    void *native = NULL, *again = NULL;
    uint64_t a, b, c, dup;
    char *p;

    /* the heap is a page added at the end of the memory */
    CHECK(call0(inst, "size") == 2);
    a = wasm_runtime_module_malloc(inst, 100, &native);
    CHECK(a >= 65536 && a < 2 * 65536 && native != NULL);
    CHECK(wasm_runtime_addr_app_to_native(inst, a) == native);
    CHECK(wasm_runtime_addr_native_to_app(inst, native) == a);
    CHECK(wasm_runtime_validate_app_addr(inst, a, 100));
    CHECK(wasm_runtime_validate_native_addr(inst, native, 100));
    memset(native, 0x5a, 100);
    CHECK(load8(inst, a) == 0x5a && load8(inst, a + 99) == 0x5a);

    /* freed blocks are reused; blocks do not overlap */
    b = wasm_runtime_module_malloc(inst, 16, NULL);
    CHECK(b >= a + 100);
    wasm_runtime_module_free(inst, a);
    c = wasm_runtime_module_malloc(inst, 64, &again);
    CHECK(c == a && again == native);
    wasm_runtime_module_free(inst, c);
    wasm_runtime_module_free(inst, b);
    wasm_runtime_module_free(inst, 0);       /* ignored */
    wasm_runtime_module_free(inst, 12345);   /* not a block: ignored */

    /* too much: 0 and "out of memory" */
    native = &native;
    CHECK(wasm_runtime_module_malloc(inst, 8193, &native) == 0 && native == NULL);
    CHECK_EXCEPTION(inst, "Exception: out of memory");
    wasm_runtime_clear_exception(inst);
    a = wasm_runtime_module_malloc(inst, 8192, NULL);
    CHECK(a != 0);
    wasm_runtime_module_free(inst, a);

    /* dup_data copies */
    dup = wasm_runtime_module_dup_data(inst, "hello", 6);
    CHECK(dup != 0 && load8(inst, dup + 1) == 'e');
    CHECK(wasm_runtime_validate_app_str_addr(inst, dup));
    p = wasm_runtime_addr_app_to_native(inst, dup);
    CHECK(strcmp(p, "hello") == 0);
    wasm_runtime_module_free(inst, dup);
    wasm_runtime_deinstantiate(inst);

    /* no heap asked for: nothing to allocate from */
    inst = instantiate(module, 0);
    CHECK(call0(inst, "size") == 1);
    CHECK(wasm_runtime_module_malloc(inst, 8, NULL) == 0);
    CHECK_EXCEPTION(inst, "Exception: out of memory");
    wasm_runtime_deinstantiate(inst);
}

static void own_malloc(wasm_module_t module)
{
    wasm_module_inst_t inst = instantiate(module, 8192);
    void *native;
    uint64_t a, b;

    CHECK(call0(inst, "size") == 1); /* no app heap was added */
    a = wasm_runtime_module_malloc(inst, 10, &native);
    CHECK(a == 1024 && native == wasm_runtime_addr_app_to_native(inst, 1024));
    b = wasm_runtime_module_malloc(inst, 10, NULL);
    CHECK(b == 1040);
    memcpy(native, "xyz", 4);
    CHECK(load8(inst, a + 2) == 'z');
    wasm_runtime_module_free(inst, a);
    wasm_runtime_module_free(inst, b);
    CHECK(call0(inst, "frees") == 2);
    CHECK(wasm_runtime_module_dup_data(inst, "ab", 3) == 1056);
    wasm_runtime_deinstantiate(inst);
}

static void addresses_and_memory(wasm_module_t module)
{
    wasm_module_inst_t inst = instantiate(module, 0);
    wasm_memory_inst_t memory = wasm_runtime_get_default_memory(inst);
    uint8_t *base;

    CHECK(memory != NULL);
    base = wasm_memory_get_base_address(memory);
    CHECK(base != NULL && base == wasm_runtime_addr_app_to_native(inst, 0));
    CHECK(wasm_memory_get_cur_page_count(memory) == 1);
    CHECK(wasm_memory_get_max_page_count(memory) == 4);
    CHECK(wasm_memory_get_bytes_per_page(memory) == 65536);

    /* out of bounds: false with an exception, or NULL / 0 */
    CHECK(wasm_runtime_validate_app_addr(inst, 65535, 1));
    CHECK(!wasm_runtime_validate_app_addr(inst, 65535, 2));
    CHECK_EXCEPTION(inst, "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_validate_app_addr(inst, UINT64_MAX, 2));
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_validate_native_addr(inst, base - 1, 1));
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_validate_native_addr(inst, base + 65535, 2));
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_validate_app_str_addr(inst, 0));
    memset(base + 65530, 'x', 6);
    CHECK(!wasm_runtime_validate_app_str_addr(inst, 65530));
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_addr_app_to_native(inst, 65536) == NULL);
    CHECK(wasm_runtime_addr_native_to_app(inst, base + 65536) == 0);
    CHECK(wasm_runtime_addr_native_to_app(inst, &inst) == 0);

    /* growing keeps the base (and so native pointers) where they are */
    CHECK(wasm_memory_enlarge(memory, 2));
    CHECK(wasm_memory_get_cur_page_count(memory) == 3);
    CHECK(call0(inst, "size") == 3);
    CHECK(wasm_memory_get_base_address(memory) == base);
    CHECK(wasm_runtime_validate_app_addr(inst, 65535, 2));
    CHECK(!wasm_memory_enlarge(memory, 2)); /* beyond the maximum of 4 */
    CHECK(wasm_memory_get_cur_page_count(memory) == 3);
    wasm_runtime_deinstantiate(inst);
}

int main(void)
{
    wasm_module_t heap, alloc;
    CHECK(wasm_runtime_init());
    heap = load_module("heap.wasm");
    alloc = load_module("alloc.wasm");
    app_heap(heap);
    own_malloc(alloc);
    addresses_and_memory(heap);
    wasm_runtime_unload(heap);
    wasm_runtime_unload(alloc);
    wasm_runtime_destroy();
    printf("malloc: ok\n");
    return 0;
}
