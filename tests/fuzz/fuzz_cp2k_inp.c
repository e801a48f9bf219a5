/* libFuzzer target: the CP2K input reader. */
#include "parsers/cp2k_inp.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(cp2k_inp_read(path, &run, &err))
