/* vasp_eigenval: reads EIGENVAL (ISPIN 1 and 2, with or without occupations). */
#ifndef DS_VASP_EIGENVAL_H
#define DS_VASP_EIGENVAL_H

#include "parsers/run.h"

/* Fills run->eigen (k-points, weights, energies, occupations; NAN occupations when the file
 * has none) and settings.nelect. */
int vasp_eigenval_read(const char *path, ds_run *run, ds_err *err);

#endif
