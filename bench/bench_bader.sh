#!/bin/sh
# bench_bader: Bader partition of the 240^3 synthetic density of
# ../shared/data/bader/make_synthetic_chgcar.py (50 atoms, 13,824,000 points), near-grid and
# weight, on 1 thread and on all cores: wall time and peak RSS, next to the Henkelman program.
# The program is not a Debian package: when DS_BADER_FORTRAN names its binary (or `bader` is
# on PATH) it is run here, on the same file in the same session (`bader CHGCAR`, `bader -b
# weight CHGCAR`, in a scratch folder); otherwise its figures recorded on the same machine type
# (../shared/data/bader/reference.json) are printed instead, marked so.  Also checks the
# charges against its ACF.dat.
# usage: sh bench/bench_bader.sh [path/to/dftscreen]   (env DS_BENCH_DIR: where to keep the
# generated 252 MB CHGCAR, default /tmp/ds_bench_bader; DS_BADER_N: grid size, default 240;
# DS_BADER_FORTRAN: the Henkelman program's binary)
set -e
BIN=${1:-build/dftscreen}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DS_SHARED_DATA:-$ROOT/../shared/data}/bader
N=${DS_BADER_N:-240}
DIR=${DS_BENCH_DIR:-/tmp/ds_bench_bader}
CORES=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
if [ ! -x "$BIN" ]; then echo "bench_bader: $BIN not built" >&2; exit 1; fi
if [ ! -f "$DATA/make_synthetic_chgcar.py" ]; then echo "bench_bader: SKIPPED ($DATA not found)"; exit 0; fi
if [ "$N" -lt 240 ]; then echo "bench_bader: the benchmark grid is at least 240^3" >&2; exit 1; fi
PY=/usr/bin/python3
if ! $PY -c 'import numpy' 2>/dev/null; then echo "bench_bader: SKIPPED (needs Debian's python3 with numpy to build the density)"; exit 0; fi
mkdir -p "$DIR"
if [ ! -s "$DIR/CHGCAR.$N" ]; then
  echo "building the ${N}^3 synthetic CHGCAR in $DIR (make_synthetic_chgcar.py, about a minute) ..."
  (cd "$DIR" && $PY "$DATA/make_synthetic_chgcar.py" --n "$N" --out "CHGCAR.$N.tmp" >/dev/null && mv "CHGCAR.$N.tmp" "CHGCAR.$N")
fi
TIME=/usr/bin/time
[ -x $TIME ] || { echo "bench_bader: SKIPPED (needs /usr/bin/time, Debian package time)"; exit 0; }

run() { # method threads -> "wall_s rss_MB" and the JSON in $DIR/out.json
  $TIME -f "%e %M" -o "$DIR/time.txt" "$BIN" bader "$DIR/CHGCAR.$N" --method "$1" --threads "$2" --json > "$DIR/out.json"
  awk '{printf "%.2f %.0f", $1, $2 / 1024}' "$DIR/time.txt"
}

# the program's charges for this density (synthetic-240 runs), to check what was timed
check() { # run name in reference.json
  [ "$N" = 240 ] || { echo "-"; return; }
  $PY - "$DATA/reference.json" "$DIR/out.json" "$1" <<'EOF'
import json, sys
ref = json.load(open(sys.argv[1]))["synthetic-240"]["runs"][sys.argv[3]]
out = json.load(open(sys.argv[2]))
d = max(abs(a["charge"] - b["charge_e"]) for a, b in zip(ref["atoms"], out["atoms"]))
print("%.6f" % d)
EOF
}

FORTRAN=${DS_BADER_FORTRAN:-$(command -v bader || true)}
fortran_run() { # method -> "wall_s user_s rss_MB" of the program run now on the same file
  rm -rf "$DIR/fortran" && mkdir -p "$DIR/fortran"
  ln -s "$DIR/CHGCAR.$N" "$DIR/fortran/CHGCAR"
  if [ "$1" = weight ]; then set -- -b weight; else set --; fi
  (cd "$DIR/fortran" && $TIME -f "%e %U %M" -o time.txt "$FORTRAN" "$@" CHGCAR > log.txt 2>&1)
  awk '{printf "%.2f %.2f %.0f", $1, $2, $3 / 1024}' "$DIR/fortran/time.txt"
}

fortran() { # run name -> "wall_s user_s rss_MB" recorded for bader 1.05
  [ "$N" = 240 ] || { echo "- - -"; return; }
  $PY - "$DATA/reference.json" "$1" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["synthetic-240"]["runs"][sys.argv[2]]["timing"]
print("%.2f %.2f %.0f" % (t["wall_s_median"], t["user_s_median"], t["max_rss_kb"] / 1024))
EOF
}

echo "Bader partition of a ${N}^3 grid ($(($N * $N * $N)) points, 50 atoms); wall time and peak RSS"
echo "includes reading the 252 MB CHGCAR and the surface distances, like the program's figures."
printf '%-10s %-28s %10s %10s %14s\n' method run wall_s RSS_MB "max|dq| vs ACF"
for m in neargrid weight; do
  if [ -n "$FORTRAN" ]; then
    set -- $(fortran_run $m)
    printf '%-10s %-28s %10s %10s %14s\n' $m "Fortran bader, run now" "$1" "$3" "(user $2 s)"
  else
    set -- $(fortran $m)
    printf '%-10s %-28s %10s %10s %14s\n' $m "Fortran bader 1.05, recorded" "$1" "$3" "(user $2 s)"
  fi
  for t in 1 $CORES; do
    set -- $(run $m $t)
    printf '%-10s %-28s %10s %10s %14s\n' $m "dftscreen, $t thread(s)" "$1" "$2" "$(check $m)"
  done
done
if [ -n "$FORTRAN" ]; then
  echo "Fortran program: $FORTRAN ($("$FORTRAN" -h 2>&1 | grep -m1 -o 'Version[^)]*' || echo version unknown)), run in this session on the same CHGCAR."
else
  echo "Fortran figures: reference.json (same 2-core VM type; other jobs were running during"
  echo "those runs, so their wall times are inflated: compare with their user time)."
  echo "Set DS_BADER_FORTRAN=/path/to/bader to run the program side by side."
fi
