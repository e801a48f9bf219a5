/* libFuzzer target: the POSCAR/CONTCAR reader (species from the file or the comment). */
#include "parsers/vasp_poscar.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(vasp_poscar_read(path, NULL, 0, &run, &err))
