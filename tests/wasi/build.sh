#!/usr/bin/env bash
# Rebuilds the WASI test programs: tests/wasi/src/NAME.c -> tests/wasi/wasm/NAME.wasm.
#
# The .wasm files are committed, so running the tests needs no C toolchain.
# Requires Debian's clang-19, lld-19, wasi-libc and libclang-rt-19-dev-wasm32:
#   apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
# and uses the compilers and flags of the benchmark programs' toolchain.sh
# (MOTE_BENCH_DIR, else ../shared/bench next to the repository); a copy of its
# settings is the fallback when that is missing.
#
# Usage: tests/wasi/build.sh [NAME...]   (default: every src/*.c)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=${MOTE_BENCH_DIR:-$here/../../../shared/bench}
# shellcheck source=scripts/wasm-toolchain.sh
source "$here/../../scripts/wasm-toolchain.sh" "$bench"

if [[ $# -gt 0 ]]; then names=("$@"); else
  names=()
  for src in "$here"/src/*.c; do names+=("$(basename "$src" .c)"); done
fi

obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
mkdir -p "$here/wasm"
for name in "${names[@]}"; do
  wasm_cc "$obj/$name.o" "$here/src/$name.c" -Wall -Wextra -Werror
  wasm_ld "$here/wasm/$name.wasm" "$obj/$name.o"
  chmod 644 "$here/wasm/$name.wasm"
  echo "built wasm/$name.wasm ($(wc -c <"$here/wasm/$name.wasm") bytes)"
done
