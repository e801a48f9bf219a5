/* libFuzzer target: the Gaussian/CP2K cube reader, with a 64 MB cap on the grid so that a
 * header claiming a huge grid is refused before any allocation. */
#include "parsers/cube.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    if (!path) return 0;
    ds_grid grid;
    grid_init(&grid);
    ds_err err;
    ds_err_clear(&err);
    cube_read(path, 64u << 20, &grid, &err);
    grid_free(&grid);
    return 0;
}
