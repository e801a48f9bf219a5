#!/bin/sh
# bench_deflate: builds bench/bench_deflate.c and runs it on a store ingested from the real
# corpus (../shared/data): the store's chunk compressor (ISA-L igzip level 1) beside zlib
# level 1, HDF5's own deflate filter, on the corpus's DOS/PDOS/eigenvalue arrays.
set -e
BIN=${1:-build/dftscreen}
BUILD=$(dirname "$BIN")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DS_SHARED_DATA:-$ROOT/../shared/data}
[ -d "$DATA" ] || { echo "bench_deflate: SKIPPED ($DATA not found)"; exit 0; }
LIB="$BUILD/libdftscreen.a"
[ -f "$LIB" ] || { echo "bench_deflate: $LIB not found (make $BUILD/dftscreen first)" >&2; exit 1; }
PKGS=$(sed -n "s/^PKGS := //p" "$ROOT/Makefile") # the libraries the static library needs, as the Makefile links them
OUT="$BUILD/bench/bench_deflate"
mkdir -p "$BUILD/bench"
${CC:-cc} -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pthread -I"$ROOT" $(pkg-config --cflags $PKGS) \
  -o "$OUT" "$ROOT/bench/bench_deflate.c" "$LIB" $(pkg-config --libs $PKGS) -lm -pthread
TMP=${TMPDIR:-/tmp}/ds_bench_deflate
rm -rf "$TMP" && mkdir -p "$TMP"
"$BIN" ingest "$DATA" -o "$TMP/corpus.h5" --quiet >/dev/null 2>&1 || true
[ -f "$TMP/corpus.h5" ] || { echo "bench_deflate: the corpus ingest wrote no store" >&2; exit 1; }
"$OUT" "$TMP/corpus.h5"
rm -rf "$TMP"
