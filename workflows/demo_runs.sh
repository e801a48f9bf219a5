#!/bin/sh
# Lists the example runs `make demo` reads: every CP2K run directory under the project's
# own fixtures and demo campaign (a directory holding a *.out or *.out.gz), and every
# VASP vasprun.xml / OUTCAR fixture file.
ROOT=${1:-.}
{
  for d in "$ROOT"/workflows/demo_campaign "$ROOT"/tests/fixtures/cp2k*; do
    [ -d "$d" ] || continue
    find "$d" \( -name '*.out' -o -name '*.out.gz' \) -type f 2>/dev/null | while read -r f; do dirname "$f"; done
  done
  if [ -d "$ROOT/tests/fixtures/vasp" ]; then
    find "$ROOT/tests/fixtures/vasp" -type f \( -name 'vasprun*.xml' -o -name 'vasprun*.xml.gz' -o -name 'OUTCAR*' \) \
      ! -name '*trunc*' ! -name '*bad*' ! -name '*garbage*' 2>/dev/null
  fi
} | sort -u
