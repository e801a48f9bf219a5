#!/bin/sh
# Benchmark: `dftscreen show --json` on the largest real vasprun.xml of the corpus
# (cs2sni6, 13.7 MB uncompressed) and on a >= 200 MB vasprun.xml built from it by repeating
# its <calculation> blocks; MB/s and peak RSS, beside pymatgen's Vasprun on the same files
# in the same run when python3-pymatgen is installed.  Warm cache, best of 3.
# usage: sh bench/bench_vasprun.sh build/dftscreen
set -eu
BIN=${1:-build/dftscreen}
DATA=${DS_SHARED_DATA:-$(dirname "$0")/../../shared/data}
SRC="$DATA/vasp/cs2sni6-soc-noncollinear-optics/vasprun.xml.gz"
[ -f "$SRC" ] || { echo "bench_vasprun: $SRC not found, skipped"; exit 0; }
TMP=${TMPDIR:-/tmp}/ds_bench_vasprun
mkdir -p "$TMP"
gzip -dc "$SRC" > "$TMP/real.xml"
/usr/bin/python3 - "$TMP/real.xml" "$TMP/big.xml" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
text = open(src).read()
a = text.index("<calculation>"); b = text.rindex("</calculation>") + len("</calculation>")
head, calcs, tail = text[:a], text[a:b], text[b:]
# pymatgen refuses more than two unlabelled dielectric functions: drop them from the copies
import re
calcs = re.sub(r"<dielectricfunction.*?</dielectricfunction>\s*", "", calcs, flags=re.S)
with open(dst, "w") as f:
    f.write(head)
    n = 0
    while f.tell() < 210e6:
        f.write(calcs); f.write("\n"); n += 1
    f.write(tail)
PY
measure() { # label command...
  /usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys, time, os
label, cmd = sys.argv[1], sys.argv[2:]
size = os.path.getsize(cmd[-1]) / 1e6
best = 1e9
for _ in range(int(os.environ.get("REPS", "3"))):
    t = time.perf_counter(); subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True); best = min(best, time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{label:34s} {size:8.1f} MB  {best:8.3f} s  {size/best:8.1f} MB/s  peak RSS {rss:7.1f} MB")
PY
}
echo "file sizes: real $(du -m "$TMP/real.xml" | cut -f1) MB, big $(du -m "$TMP/big.xml" | cut -f1) MB"
measure "dftscreen show --json (real)" "$BIN" show --json "$TMP/real.xml"
measure "dftscreen show --json (big)" "$BIN" show --json "$TMP/big.xml"
if /usr/bin/python3 -c "import pymatgen.io.vasp" 2>/dev/null; then
  cat > "$TMP/pmg.py" <<'PY'
import sys, warnings
warnings.simplefilter("ignore")
from pymatgen.io.vasp.outputs import Vasprun
v = Vasprun(sys.argv[1], parse_potcar_file=False)
print(v.final_energy)
PY
  measure "pymatgen Vasprun (real)" /usr/bin/python3 "$TMP/pmg.py" "$TMP/real.xml"
  REPS=1 measure "pymatgen Vasprun (big, 1 run)" /usr/bin/python3 "$TMP/pmg.py" "$TMP/big.xml"
else
  echo "pymatgen not installed: no side-by-side figure"
fi
rm -rf "$TMP"
