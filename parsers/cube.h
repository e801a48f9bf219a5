/* cube: reads and writes Gaussian/CP2K cube files (atomic units on disk, Angstrom in memory). */
#ifndef DS_CUBE_H
#define DS_CUBE_H

#include "parsers/grid.h"

/* Reads header, atoms, grid vectors and values (plain or .gz).  Refuses grids whose
 * header size is absurd or larger than max_bytes of values (0 = default limit) before
 * allocating.  Values stay in the file's units (atomic units). */
int cube_read(const char *path, size_t max_bytes, ds_grid *grid, ds_err *err);
/* Writes grid as a cube file (positions and vectors converted back to bohr). */
int cube_write(const char *path, const ds_grid *grid, ds_err *err);

#endif
