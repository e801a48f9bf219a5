/* libFuzzer target: the Henkelman ACF.dat reader (as a run's Bader charges). */
#include "parsers/bader_acf.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(bader_acf_read_run(path, &run, &err))
