# Sourced by the scripts that build C test and benchmark programs for
# wasm32-wasi. Defines WASM_CC and the functions wasm_cc OUT SRC [FLAGS...]
# and wasm_ld OUT OBJS... [FLAGS...] from the shared benchmark set's
# toolchain.sh in directory $1, or, when that is missing, from a copy of its
# settings (Debian's clang-19, lld-19, wasi-libc, libclang-rt-19-dev-wasm32).
if [[ -f $1/toolchain.sh ]]; then
  # shellcheck source=/dev/null
  source "$1/toolchain.sh"
else
  echo "note: no $1/toolchain.sh, using the same settings written out here" >&2
  WASM_CC=${WASM_CC:-clang-19}
  WASM_TARGET="--target=wasm32-wasi --sysroot=/usr"
  WASM_CFLAGS=${WASM_CFLAGS:-"-O2 -mcpu=mvp -mmutable-globals -msign-ext"}
  WASM_LDFLAGS=${WASM_LDFLAGS:-"-Wl,--strip-debug"}
  wasm_cc() { local o=$1 s=$2; shift 2; $WASM_CC $WASM_TARGET $WASM_CFLAGS "$@" -c "$s" -o "$o"; }
  wasm_ld() { local o=$1; shift; $WASM_CC $WASM_TARGET "$@" $WASM_LDFLAGS -o "$o"; }
fi
