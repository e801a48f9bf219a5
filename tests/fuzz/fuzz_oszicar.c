/* libFuzzer target: the OSZICAR reader. */
#include "parsers/vasp_oszicar.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(vasp_oszicar_read(path, &run, &err))
