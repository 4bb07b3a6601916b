//! Prints the interpreter IR of a module, for performance work:
//! `cargo run --release -p mote-ir --example listing -- FILE.wasm|FILE.wat [FUNC_INDEX]`
//! (with `FUEL=1` in the environment, as translated for fuel metering).

use mote_environ::wasmparser::WasmFeatures;
use mote_environ::{TypeRegistry, parse};
use mote_ir::{TranslateConfig, translate};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: listing FILE [FUNC_INDEX]");
    let only: Option<u32> = args.next().map(|s| s.parse().expect("FUNC_INDEX is a number"));
    let bytes = wat::parse_file(&path).expect("readable module");
    let mut registry = TypeRegistry::default();
    let parsed = parse(&bytes, WasmFeatures::default(), &mut registry).expect("valid module");
    for pending in parsed.funcs {
        let index = pending.index;
        if only.is_some_and(|o| o != index.0) {
            continue;
        }
        let func = translate(
            &parsed.info,
            &bytes,
            index,
            pending.validator,
            TranslateConfig {
                fuel: std::env::var_os("FUEL").is_some(),
            },
        )
        .expect("translates");
        let name = parsed.info.func_name(index).unwrap_or("");
        println!(
            "func {} {name} (frame {} cells, {} instrs):",
            index.0,
            func.frame_cells,
            func.code.len()
        );
        for (pc, instr) in func.code.iter().enumerate() {
            println!("  {pc:4}: {instr:?}");
        }
    }
}
