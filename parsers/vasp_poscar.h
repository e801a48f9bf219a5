/* vasp_poscar: reads POSCAR/CONTCAR (VASP 4 without the species line, VASP 5/6, Direct and
 * Cartesian, selective dynamics, negative scale = volume). */
#ifndef DS_VASP_POSCAR_H
#define DS_VASP_POSCAR_H

#include "parsers/run.h"

/* Fills run->initial (lattice, Cartesian positions in Angstrom, selective flags), the
 * species, the kinds (symbol, count) and the title.  type_symbols (may be NULL) names the
 * species of a VASP 4 file without a species line (from POTCAR/OUTCAR); without it the
 * comment line is tried (as ASE does), else an error says what is missing. */
int vasp_poscar_read(const char *path, const char *const *type_symbols, int n_type_symbols,
                     ds_run *run, ds_err *err);

#endif
