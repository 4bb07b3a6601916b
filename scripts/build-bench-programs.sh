#!/usr/bin/env bash
# build-bench-programs.sh: rebuilds the project's own benchmark modules in
# benches/programs/ (see benches/programs/README.md).
#
#   scripts/build-bench-programs.sh [--check]
#
# sqlite.wasm: SQLite's amalgamation (sqlite3.c, about 9 MB of C) plus the
# driver benches/programs/sqlite.c, for wasm32-wasi (preview1). The SQLite
# source is not kept in this repository: it is the copy bundled in the
# crates.io crate libsqlite3-sys (pinned below), fetched with `cargo fetch`
# through a throwaway cargo project, so it comes from the ordinary cargo
# registry cache and is checked against Cargo's checksums.
#
# Compilers and flags come from the shared benchmark set's toolchain.sh
# ($MOTE_BENCH_DIR, default ../shared/bench): Debian's clang-19, lld-19,
# wasi-libc and libclang-rt-19-dev-wasm32 (`apt-get install` those), -O2,
# MVP + mutable-globals + sign-ext, linked without -O so clang does not run
# wasm-opt. The same settings are written out below if toolchain.sh is absent.
#
# --check: after building, run the module under target/release/mote (and any
# of wasmi/wasmtime found in /work/anchors/bin or ~/.cache/mote-anchors/bin)
# with the arguments in sqlite.args and compare stdout with sqlite.expected.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$REPO/benches/programs
BENCH_DIR=${MOTE_BENCH_DIR:-$REPO/../shared/bench}
WORK=${MOTE_BENCH_BUILD:-${TMPDIR:-/tmp}/mote-bench-programs}

# libsqlite3-sys 0.30.1 bundles SQLite 3.46.0.
SQLITE_CRATE=libsqlite3-sys
SQLITE_CRATE_VERSION=0.30.1

# SQLite compile-time options. SQLite's own __wasi__ block already sets
# SQLITE_OMIT_WAL (WAL needs shared memory), SQLITE_OMIT_LOAD_EXTENSION and
# SQLITE_THREADSAFE=0; they are repeated here so the build does not depend on
# that. LONGDOUBLE_TYPE=double keeps wasm32's 128-bit long double (soft-float
# calls into compiler-rt) out of the number conversions, as libsqlite3-sys does
# for this target. No _WASI_EMULATED_* flags or -lwasi-emulated-* libraries are
# needed: with SQLITE_WASI the unix VFS avoids mmap, getpid and signals.
SQLITE_DEFS="-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL
  -DLONGDOUBLE_TYPE=double"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# shellcheck source=scripts/wasm-toolchain.sh
source "$(dirname "$0")/wasm-toolchain.sh" "$BENCH_DIR"
command -v "$WASM_CC" >/dev/null ||
  { echo "error: $WASM_CC not found (apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32)" >&2; exit 1; }

# ---- fetch the SQLite amalgamation through cargo
fetch=$WORK/fetch
mkdir -p "$fetch/src"
cat >"$fetch/Cargo.toml" <<EOF
[package]
name = "mote-bench-fetch"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$SQLITE_CRATE = { version = "=$SQLITE_CRATE_VERSION", features = ["bundled"] }

[workspace]
EOF
echo 'fn main() {}' >"$fetch/src/main.rs"
(cd "$fetch" && cargo fetch --quiet)
manifest=$(cd "$fetch" && cargo metadata --format-version 1 --quiet |
  python3 -c 'import json,sys
m = json.load(sys.stdin)
print(next(p["manifest_path"] for p in m["packages"] if p["name"] == sys.argv[1]))' "$SQLITE_CRATE")
SQLITE_SRC=$(dirname "$manifest")/sqlite3
[[ -f $SQLITE_SRC/sqlite3.c ]] || { echo "error: no sqlite3.c in $SQLITE_SRC" >&2; exit 1; }
version=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' "$SQLITE_SRC/sqlite3.h")
echo "SQLite $version from $SQLITE_SRC"

# ---- compile and link
obj=$WORK/obj
mkdir -p "$obj"
# shellcheck disable=SC2086
wasm_cc "$obj/sqlite3.o" "$SQLITE_SRC/sqlite3.c" $SQLITE_DEFS
# shellcheck disable=SC2086
wasm_cc "$obj/driver.o" "$OUT/sqlite.c" -I"$SQLITE_SRC" $SQLITE_DEFS -Wall -Wextra
wasm_ld "$OUT/sqlite.wasm" "$obj/driver.o" "$obj/sqlite3.o"
echo "wrote $OUT/sqlite.wasm ($(stat -c %s "$OUT/sqlite.wasm") bytes)"

# ---- optional check against the expected output
if ((check)); then
  read -r -a args <"$OUT/sqlite.args"
  status=0
  engines=()
  [[ -x $REPO/target/release/mote ]] && engines+=("$REPO/target/release/mote run")
  for d in "$HOME/.cache/mote-anchors/bin" /work/anchors/bin; do
    [[ -x $d/wasmi ]] && { engines+=("$d/wasmi"); break; }
  done
  for d in "$HOME/.cache/mote-anchors/bin" /work/anchors/bin; do
    [[ -x $d/wasmtime ]] && { engines+=("$d/wasmtime run"); break; }
  done
  for e in "${engines[@]}"; do
    # shellcheck disable=SC2086
    if $e "$OUT/sqlite.wasm" "${args[@]}" | cmp -s - "$OUT/sqlite.expected"; then
      echo "ok   $e"
    else
      echo "FAIL $e: stdout differs from sqlite.expected" >&2
      status=1
    fi
  done
  exit $status
fi
