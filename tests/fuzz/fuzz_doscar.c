/* libFuzzer target: the DOSCAR reader (collinear and noncollinear layouts alternate with
 * the input's first byte). */
#include "parsers/vasp_doscar.h"
#include "tests/fuzz/fuzz.h"
FUZZ_RUN_READER(vasp_doscar_read(path, size > 0 && (data[0] & 1), &run, &err))
