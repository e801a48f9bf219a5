#!/bin/sh
# Runs every test executable under BUILD/tests and prints one closing line
# "N passed, N failed, N skipped".  Unit and integration tests use tests/fixtures only;
# the corpus tier reads ../shared/data (or $DS_SHARED_DATA) and skips, saying so, without it.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export DS_FIXTURES="$ROOT/tests/fixtures"
export DS_SHARED_DATA="${DS_SHARED_DATA:-$ROOT/../shared/data}"
export DS_BIN="$ROOT/$BUILD/dftscreen"
export DS_ROOT="$ROOT"
if [ -d "$DS_SHARED_DATA" ]; then
  echo "corpus tier: reading $DS_SHARED_DATA"
else
  echo "corpus tier: SKIPPED ($DS_SHARED_DATA not found; the core tests still run)"
fi
pass=0; fail=0; skip=0; failed_bins=""
tmp=$(mktemp -d)
for t in $(find "$ROOT/$BUILD/tests" -type f -perm -u+x | sort); do
  name=${t#"$ROOT/$BUILD/tests/"}
  out="$tmp/out"
  if [ -n "$DS_VALGRIND" ]; then
    DS_UNDER_VALGRIND=1 timeout 3600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
      "$t" > "$out" 2>&1
  else
    timeout 1200 "$t" > "$out" 2>&1
  fi
  rc=$?
  counts=$(grep '^# counts ' "$out" | tail -n 1)
  if [ -z "$counts" ]; then
    echo "FAIL $name: crashed or exited early (status $rc)"
    tail -n 20 "$out"
    fail=$((fail + 1)); failed_bins="$failed_bins $name"
    continue
  fi
  set -- $counts
  p=$3; f=$4; s=$5
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $name: exit status $rc (sanitizer or valgrind report?)"
    tail -n 30 "$out"
    f=1
  fi
  pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
  if [ "$f" -gt 0 ]; then
    echo "== $name"; grep -v '^ok ' "$out" | grep -v '^# counts'
    failed_bins="$failed_bins $name"
  else
    printf '%-48s %4d passed, %d skipped\n' "$name" "$p" "$s"
    grep -A1 '^SKIP' "$out" | grep 'skipped:' | sort -u | head -n 3
  fi
done
rm -rf "$tmp"
[ -n "$failed_bins" ] && echo "failing:$failed_bins"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
