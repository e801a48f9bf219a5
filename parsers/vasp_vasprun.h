/* vasp_vasprun: reads vasprun.xml (plain or .gz) in one streaming pass into a ds_run.
 * Memory is proportional to the data kept, not to the file.  A truncated file yields
 * every complete ionic step, flagged truncated, with a warning. */
#ifndef DS_VASP_VASPRUN_H
#define DS_VASP_VASPRUN_H

#include "parsers/run.h"

/* Fills run (which the caller has run_init'ed and later run_free's) with: code/version,
 * kinds (atominfo: element, count, ZVAL, mass, POTCAR title), species, initial and final
 * structures, every complete ionic step (energies with the VASP 4/5 e_0_energy fix, forces,
 * structure, SCF step count), eigenvalues/occupations/k-points, total and projected DOS,
 * E_F, every INCAR/parameters entry (run_add_param) and the settings fields that follow
 * from them, quality flags, sources.  Returns DS_OK when anything usable was read (then
 * problems are warnings and flags), an error code with err set otherwise. */
int vasp_vasprun_read(const char *path, ds_run *run, ds_err *err);

#endif
