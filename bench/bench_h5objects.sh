#!/bin/sh
# bench_h5objects: HDF5's cost per object, the floor under a small run's ingest (a run is stored as
# about 8 groups, 40 datasets and 80 attributes: docs/store.md).  Builds bench/h5_object_cost.c
# against the installed HDF5 and runs it on 1000 run groups of 30 values.
# usage: sh bench/bench_h5objects.sh [path/to/dftscreen (unused)]
set -eu
DIR=$(dirname "$0")
TMP=${TMPDIR:-/tmp}/ds_bench_h5objects
mkdir -p "$TMP"
CFLAGS_H5=$(pkg-config --cflags hdf5-serial 2>/dev/null || echo -I/usr/include/hdf5/serial)
LIBS_H5=$(pkg-config --libs hdf5-serial 2>/dev/null || echo "-L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5")
${CC:-cc} -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror $CFLAGS_H5 -o "$TMP/h5_object_cost" "$DIR/h5_object_cost.c" $LIBS_H5
"$TMP/h5_object_cost" "$TMP/objects.h5" 1000 30
rm -rf "$TMP"
