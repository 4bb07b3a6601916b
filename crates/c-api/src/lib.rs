//! skeleton
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_init() -> bool {
    true
}
