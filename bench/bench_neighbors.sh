#!/bin/sh
# bench_neighbors: builds bench/bench_neighbors.c against the static library next to the
# dftscreen binary given as $1 (as the Makefile links its tests) and times the neighbour
# search, fragments and coordination on a 5,120-atom periodic cell.  Fails when a step
# takes a second or more.
set -e
BIN=${1:-build/dftscreen}
BUILD=$(dirname "$BIN")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIB="$BUILD/libdftscreen.a"
[ -f "$LIB" ] || { echo "bench_neighbors: $LIB not found (make $BUILD/dftscreen first)" >&2; exit 1; }
PKGS=$(sed -n "s/^PKGS := //p" "$ROOT/Makefile") # the libraries the static library needs, as the Makefile links them
OUT="$BUILD/bench/bench_neighbors"
mkdir -p "$BUILD/bench"
${CC:-cc} -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pthread -I"$ROOT" $(pkg-config --cflags $PKGS) \
  -o "$OUT" "$ROOT/bench/bench_neighbors.c" "$LIB" $(pkg-config --libs $PKGS) -lm -pthread
"$OUT"
