/* libFuzzer target: the vasprun.xml reader. */
#include "parsers/vasp_vasprun.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(vasp_vasprun_read(path, &run, &err))
