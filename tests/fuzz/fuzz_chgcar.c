/* libFuzzer target: the CHGCAR/AECCAR/LOCPOT reader (every data set), grid capped at 64 MB. */
#include "parsers/vasp_chgcar.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    if (!path) return 0;
    vasp_chgcar_opts opts = {64u << 20, 0, NULL, NULL};
    ds_grid grid;
    vasp_chgcar_info info;
    ds_err err;
    ds_err_clear(&err);
    grid_init(&grid);
    vasp_chgcar_read(path, &opts, &grid, &info, &err);
    grid_free(&grid);
    vasp_chgcar_info_free(&info);
    return 0;
}
