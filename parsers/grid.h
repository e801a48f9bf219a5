/* grid: a volumetric data set on a periodic grid (cube files, CHGCAR/AECCAR/LOCPOT).
 * values are stored in C order with the third axis fastest:
 *   values[set][((size_t)i * n[1] + j) * n[2] + k]  (i along a, j along b, k along c),
 * which is a cube file's own order.  Readers convert to this layout. */
#ifndef DS_GRID_H
#define DS_GRID_H

#include "parsers/io.h"

typedef struct {
    int n[3];
    double lattice_angstrom[3][3];  /* cell spanned by the whole grid: row r = n[r] * voxel r */
    double origin_angstrom[3];
    int n_atoms;
    int *atomic_numbers;            /* owned */
    double *atom_values;            /* cube second atom column (nuclear/valence charge), owned */
    double (*positions_angstrom)[3];/* owned */
    int n_sets;                     /* 1, or 2 for CHGCAR total+magnetisation */
    double *values[4];              /* owned */
    char units[32];                 /* e.g. "e/bohr^3" (cube density), "Ha" (cube potential), "rho*V_cell" (CHGCAR) */
    char comment[2][128];           /* the two cube comment lines / CHGCAR title */
} ds_grid;

void grid_init(ds_grid *g);
void grid_free(ds_grid *g);
size_t grid_n_points(const ds_grid *g);

#endif
