/* libFuzzer target: the EIGENVAL reader. */
#include "parsers/vasp_eigenval.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(vasp_eigenval_read(path, &run, &err))
