/* vasp_doscar: reads DOSCAR (ISPIN 1 and 2, noncollinear; LORBIT 10/11/12 site blocks). */
#ifndef DS_VASP_DOSCAR_H
#define DS_VASP_DOSCAR_H

#include "parsers/run.h"

/* Fills run->dos (energies absolute, total, integrated, per-site projections with orbital
 * labels) and run->fermi_eV from the header.  noncollinear: 1/0 when known (vasprun or
 * OUTCAR said so), -1 to infer from the column count where that is unambiguous. */
int vasp_doscar_read(const char *path, int noncollinear, ds_run *run, ds_err *err);

#endif
