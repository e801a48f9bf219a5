/* libFuzzer target: the CP2K .pdos reader. */
#include "parsers/cp2k_pdos.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(cp2k_pdos_read(path, &run, &err))
