#!/bin/sh
# bench_ingest: `dftscreen ingest` of a campaign of >= 2000 run directories built from the
# real corpus (hard links to the VASP runs of ../shared/data/vasp that have a vasprun.xml,
# cycled), with 1 and 2 threads, then a re-ingest of the unchanged tree and an ingest of the
# distinct runs once each (every structure new to the space-group memo); beside a plain
# pymatgen loop (`Vasprun(path)` per run, the usual post-processing script) over a sample of
# the same directories when python3-pymatgen is installed, its rate scaled to runs/s.  Wall
# time and CPU time (user+sys) are both printed: runs per CPU-second is the per-core rate, and
# holds when the machine is shared.
# The per-core ratio to pymatgen is measured in DS_BENCH_PAIRS pairs (default 3), each an
# `ingest -j 1` of the whole tree followed at once by the pymatgen loop, and the median ratio
# of the pairs is reported: on a shared machine the CPU rate of both moves by +-20% from minute
# to minute, and a ratio taken from two runs minutes apart moved with it.
# usage: sh bench/bench_ingest.sh [path/to/dftscreen]   (DS_BENCH_RUNS: default 2000,
# DS_BENCH_PMG_SAMPLE: pymatgen sample size, default 60, rounded up to a whole number of
# cycles of the distinct runs: the sample is the first runs in path order, which cycle through
# the corpus, so only whole cycles weigh each distinct run as the ingest does; DS_BENCH_PAIRS;
# DS_BENCH_EACH: copies per distinct run in the closing per-run table, default 100, 0 skips it)
set -eu
BIN=${1:-build/dftscreen}
DATA=${DS_SHARED_DATA:-$(dirname "$0")/../../shared/data}
N=${DS_BENCH_RUNS:-2000}
SAMPLE=${DS_BENCH_PMG_SAMPLE:-60}
PAIRS=${DS_BENCH_PAIRS:-3}
[ -d "$DATA/vasp" ] || { echo "bench_ingest: SKIPPED ($DATA/vasp not found)"; exit 0; }
TMP=${TMPDIR:-/tmp}/ds_bench_ingest
rm -rf "$TMP"
mkdir -p "$TMP/tree"
set --
for d in "$DATA"/vasp/*/; do
  for f in "$d"vasprun.xml "$d"vasprun.xml.gz; do [ -f "$f" ] && set -- "$@" "${d%/}" && break; done
done
[ $# -gt 0 ] || { echo "bench_ingest: no vasprun.xml in $DATA/vasp"; exit 1; }
SAMPLE=$(( (SAMPLE + $# - 1) / $# * $# ))
[ "$SAMPLE" -le "$N" ] || SAMPLE=$N
i=0
while [ $i -lt "$N" ]; do
  for src in "$@"; do
    [ $i -lt "$N" ] || break
    dst=$(printf '%s/tree/g%02d/run%05d' "$TMP" $((i / 100)) $i)
    mkdir -p "$(dirname "$dst")"
    cp -al "$src" "$dst" 2>/dev/null || cp -a "$src" "$dst"
    i=$((i + 1))
  done
done
# every hard-linked copy counted (-l): the bytes an ingest of the tree has in front of it
MB=$(du -sblL "$TMP/tree" | awk '{printf "%.1f", $1 / 1e6}')
echo "tree: $N run directories from $# distinct corpus runs, $MB MB counting every copy (vasprun.xml gzipped where the corpus keeps it so); pymatgen sample $SAMPLE"
# The machine: the ratio to pymatgen moves with the CPU (CPython gained 2.3x from one machine to
# the next where dftscreen gained 1.6x: 29.6x on one, 21.1x on the other for the same code).
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
VEC=$(grep -m 1 -o -w -E 'avx512f|avx2' /proc/cpuinfo 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')
PMGV=$(/usr/bin/python3 -c 'import importlib.metadata as m; print(m.version("pymatgen"))' 2>/dev/null || echo "not installed")
echo "machine: ${CPU:-unknown CPU}, $(nproc 2>/dev/null || echo '?') cores, vector units: ${VEC:-below avx2}; pymatgen $PMGV"
run() { # label threads [tree runs MB]: wall time, and CPU time (user+sys) for the per-core rate
  tree=${3:-$TMP/tree} n=${4:-$N} mb=${5:-$MB}
  rm -f "$TMP/c.h5" "$TMP/c.h5.lock"
  t0=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -o "$TMP/cpu" -f "%U %S" "$BIN" ingest "$tree" -o "$TMP/c.h5" -j "$2" --quiet
  else # no GNU time (Debian package `time`): no CPU figure
    "$BIN" ingest "$tree" -o "$TMP/c.h5" -j "$2" --quiet
    echo "nan 0" > "$TMP/cpu"
  fi
  t1=$(date +%s.%N)
  cpu=$(awk '{print $1 + $2}' "$TMP/cpu")
  awk -v l="$1" -v n="$n" -v mb="$mb" -v a="$t0" -v b="$t1" -v c="$cpu" 'BEGIN{t=b-a; printf "%-36s %8.2f s  %8.1f runs/s  %8.1f MB/s  | CPU %7.2f s  %7.1f runs per CPU-s\n", l, t, n/t, mb/t, c, n/c}'
  awk -v n="$n" -v c="$cpu" 'BEGIN{print (c + 0 > 0 ? n / c : "nan")}' > "$TMP/rate"
}
run "dftscreen ingest -j 2" 2
t0=$(date +%s.%N)
"$BIN" ingest "$TMP/tree" -o "$TMP/c.h5" -j 2 --quiet
t1=$(date +%s.%N)
awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN{printf "%-36s %8.2f s  (%d runs hashed and copied)\n", "dftscreen re-ingest, unchanged tree", b-a, n}'
# The distinct runs once each: the copies above repeat each structure, so after its first
# copy the space group comes from sym_memo; here every structure costs a spglib call, as in
# a campaign where no two runs share a structure (CPU time of a short run: +-10 ms).
mkdir -p "$TMP/distinct"
i=0
for src in "$@"; do
  cp -al "$src" "$TMP/distinct/d$i" 2>/dev/null || cp -a "$src" "$TMP/distinct/d$i"
  i=$((i + 1))
done
DMB=$(du -sblL "$TMP/distinct" | awk '{printf "%.1f", $1 / 1e6}')
run "ingest -j 1, distinct runs once" 1 "$TMP/distinct" $# "$DMB"
PMG=0
/usr/bin/python3 -c 'import pymatgen.io.vasp' 2>/dev/null && PMG=1
pmg_loop() { # the pymatgen loop over the sample; its runs per CPU-s into $TMP/pmg_rate
  /usr/bin/python3 - "$TMP/tree" "$SAMPLE" "$N" "$TMP/pmg_rate" <<'PY'
import glob, os, sys, time, warnings
from pymatgen.io.vasp import Vasprun
warnings.filterwarnings("ignore")
tree, sample, total, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
runs = sorted(glob.glob(os.path.join(tree, "g*", "run*")))[:sample]
t = time.perf_counter(); c = time.process_time(); ok = 0
for r in runs:
    f = os.path.join(r, "vasprun.xml")
    if not os.path.exists(f): f += ".gz"
    try:
        Vasprun(f, parse_potcar_file=False); ok += 1
    except Exception:
        pass
dt = time.perf_counter() - t; dc = time.process_time() - c
print(f"{'pymatgen Vasprun loop, 1 process':36s} {dt:8.2f} s  {len(runs)/dt:8.1f} runs/s  | CPU {dc:7.2f} s  {len(runs)/dc:7.1f} runs per CPU-s  (first {len(runs)} runs, {ok} parsed; {total} runs would take ~{total*dt/len(runs):.0f} s)")
open(out, "w").write(f"{len(runs)/dc}\n")
PY
}
[ "$PMG" = 1 ] || echo "pymatgen: not installed (Debian python3-pymatgen), comparison skipped"
: > "$TMP/ratios"
p=1
while [ $p -le "$PAIRS" ]; do
  run "dftscreen ingest -j 1 (pair $p/$PAIRS)" 1
  if [ "$PMG" = 1 ]; then
    pmg_loop
    awk -v a="$(cat "$TMP/rate")" -v b="$(cat "$TMP/pmg_rate")" 'BEGIN{if (a + 0 > 0 && b + 0 > 0) printf "%.1f\n", a / b}' >> "$TMP/ratios"
  fi
  p=$((p + 1))
done
if [ -s "$TMP/ratios" ]; then
  sort -n "$TMP/ratios" | awk '{r[NR]=$1; l=l (NR>1?", ":"") $1} END{printf "per-core ratio dftscreen ingest -j 1 / pymatgen: median %.1fx of %d pairs (%s)\n", r[int((NR+1)/2)], NR, l}'
fi
# Where the ratio comes from: each distinct run on its own, DS_BENCH_EACH copies (default 100)
# ingested with -j 1 (CPU per run; /usr/bin/time counts 10 ms, so 0.1 ms per run at 100 copies),
# beside pymatgen's Vasprun of the same file (CPU per run, best of 3).  The pairs above weigh
# every distinct run equally, so their ratio is total pymatgen time over total dftscreen time:
# the large DOS-heavy runs, where pymatgen spends most of its time, dominate it.
EACH=${DS_BENCH_EACH:-100}
if [ "$PMG" = 1 ] && [ "$EACH" -gt 0 ] && [ -x /usr/bin/time ]; then
  echo "per distinct run (CPU ms per run; dftscreen: ingest -j 1 of $EACH copies; pymatgen: Vasprun, best of 3):"
  printf '  %-44s %10s %10s %8s\n' run dftscreen pymatgen ratio
  for src in "$@"; do
    rm -rf "$TMP/each"
    i=0
    while [ $i -lt "$EACH" ]; do
      cp -al "$src" "$TMP/each/c$i" 2>/dev/null || { mkdir -p "$TMP/each"; cp -al "$src" "$TMP/each/c$i" 2>/dev/null || cp -a "$src" "$TMP/each/c$i"; }
      i=$((i + 1))
    done
    rm -f "$TMP/c.h5" "$TMP/c.h5.lock"
    /usr/bin/time -o "$TMP/cpu" -f "%U %S" "$BIN" ingest "$TMP/each" -o "$TMP/c.h5" -j 1 --quiet
    ds=$(awk -v n="$EACH" '{printf "%.2f", ($1 + $2) * 1000 / n}' "$TMP/cpu")
    pm=$(/usr/bin/python3 - "$src" <<'PY'
import os, sys, time, warnings
from pymatgen.io.vasp import Vasprun
warnings.filterwarnings("ignore")
f = os.path.join(sys.argv[1], "vasprun.xml")
if not os.path.exists(f): f += ".gz"
best, note = None, ""
for _ in range(3):
    c = time.process_time()
    try:
        Vasprun(f, parse_potcar_file=False)
    except Exception as e:
        note = " (fails: " + type(e).__name__ + ")"
    dc = (time.process_time() - c) * 1000
    best = dc if best is None else min(best, dc)
print(f"{best:.2f}{note}")
PY
)
    awk -v r="$(basename "$src")" -v d="$ds" -v p="$pm" 'BEGIN{split(p, a, " "); printf "  %-44s %10.2f %10.2f %7.1fx%s\n", r, d, a[1], (d > 0 ? a[1] / d : 0), substr(p, length(a[1]) + 1)}'
  done
fi
rm -rf "$TMP"
