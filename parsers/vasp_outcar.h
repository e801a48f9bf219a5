/* vasp_outcar: reads an OUTCAR (plain or .gz) into a ds_run. */
#ifndef DS_VASP_OUTCAR_H
#define DS_VASP_OUTCAR_H

#include "parsers/run.h"

/* Fills: version, kinds (POTCAR TITEL, ZVAL, ions per type), species, per ionic step the
 * lattice, positions, forces and max force, TOTEN / energy without entropy / energy(sigma->0),
 * E_F, magnetization (total and per site, final), echoed parameters (ENCUT, ISPIN, ...),
 * NELECT, terminated_normally (timing block), converged_ionic ('reached required accuracy'
 * with NSW/IBRION), electronic convergence per step (NELM), warnings, '****' fields.
 * An unfinished ionic step at the end is not counted as a step (flag + warning). */
int vasp_outcar_read(const char *path, ds_run *run, ds_err *err);

#endif
