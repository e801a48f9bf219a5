/* libFuzzer target: the OUTCAR reader. */
#include "parsers/vasp_outcar.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(vasp_outcar_read(path, &run, &err))
