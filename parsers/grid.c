/* grid: lifecycle of ds_grid. */
#include "parsers/grid.h"

#include <stdlib.h>
#include <string.h>

void grid_init(ds_grid *g)
{
    memset(g, 0, sizeof *g);
}

void grid_free(ds_grid *g)
{
    free(g->atomic_numbers);
    free(g->atom_values);
    free(g->positions_angstrom);
    for (int s = 0; s < 4; s++) free(g->values[s]);
    grid_init(g);
}

size_t grid_n_points(const ds_grid *g)
{
    return (size_t)g->n[0] * (size_t)g->n[1] * (size_t)g->n[2];
}
