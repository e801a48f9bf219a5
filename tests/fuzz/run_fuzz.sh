#!/bin/sh
# Runs every libFuzzer target in BUILD for SECONDS each, one after the other, from seed
# corpora made of the project's fixtures (the files each reader is meant for), and prints
# one line per target with executions, coverage and crashes.  Corpora and crash artifacts
# stay in BUILD (never in the repo): BUILD/corpus/<target>/, BUILD/artifacts/<target>/.
# usage: sh tests/fuzz/run_fuzz.sh build-fuzz 60 [target ...]   (no target: all of them)
set -eu
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-60}
shift 2 2>/dev/null || set --
ONLY=" $* "
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
F="$ROOT/tests/fixtures"
seed() { # target files...
  t=$1; shift
  mkdir -p "$BUILD/corpus/$t"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$BUILD/corpus/$t/$(echo "$f" | tr '/' '_')" 2>/dev/null || true; done
}
seed fuzz_outcar $(find "$F" -name 'OUTCAR*')
seed fuzz_vasprun $(find "$F" -name 'vasprun*')
seed fuzz_oszicar $(find "$F" -name 'OSZICAR*')
seed fuzz_poscar $(find "$F" -name 'POSCAR*' -o -name 'CONTCAR*')
seed fuzz_doscar $(find "$F" -name 'DOSCAR*')
seed fuzz_eigenval $(find "$F" -name 'EIGENVAL*')
seed fuzz_cp2k_out $(find "$F" -name '*.out' -o -name '*.out.gz')
seed fuzz_cp2k_inp $(find "$F" -name '*.inp')
seed fuzz_cp2k_pdos $(find "$F" -name '*.pdos' -o -name '*.pdos.gz')
seed fuzz_acf $(find "$F" -name 'ACF*')
seed fuzz_cube $(find "$F" -name '*.cube' -o -name '*.cube.gz')
seed fuzz_chgcar $(find "$F" -name 'CHG*' -o -name 'AECCAR*' -o -name 'LOCPOT*')
seed fuzz_recipe "$ROOT"/workflows/*.json
if [ ! -d "$BUILD/corpus/fuzz_store" ] || [ -z "$(ls "$BUILD/corpus/fuzz_store" 2>/dev/null)" ]; then
  mkdir -p "$BUILD/corpus/fuzz_store"
  if [ -x "$ROOT/build/dftscreen" ]; then
    "$ROOT/build/dftscreen" ingest "$F/cp2k/h2o" -o "$BUILD/corpus/fuzz_store/h2o.h5" --quiet || true
    "$ROOT/build/dftscreen" ingest "$F/vasp" -o "$BUILD/corpus/fuzz_store/vasp.h5" --quiet || true
    rm -f "$BUILD"/corpus/fuzz_store/*.lock
  fi
fi
status=0
for t in "$BUILD"/fuzz_*; do
  [ -x "$t" ] || continue
  n=$(basename "$t")
  [ "$ONLY" = "  " ] || case "$ONLY" in *" $n "*) ;; *) continue ;; esac
  mkdir -p "$BUILD/artifacts/$n" "$BUILD/corpus/$n"
  log="$BUILD/$n.log"
  touch "$BUILD/$n.start" # crashes counted are the artifacts this run wrote, not older ones
  "$t" "$BUILD/corpus/$n" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=1048576 -timeout=20 \
    -artifact_prefix="$BUILD/artifacts/$n/" -print_final_stats=1 > "$log" 2>&1 || status=1
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo ?)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo ?)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo ?)
  crashes=$(find "$BUILD/artifacts/$n" -type f -newer "$BUILD/$n.start" | wc -l)
  printf '%-18s %10s execs  cov %6s  ft %6s  %s s  crashes %s\n' "$n" "$execs" "$cov" "$ft" "$SECONDS_EACH" "$crashes"
done
exit $status
