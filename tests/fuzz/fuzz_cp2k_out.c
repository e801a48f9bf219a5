/* libFuzzer target: the CP2K main output reader. */
#include "parsers/cp2k_out.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(cp2k_out_read(path, &run, &err))
