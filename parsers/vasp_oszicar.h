/* vasp_oszicar: reads an OSZICAR (plain or .gz): per ionic step F, E0, dE, mag and SCF counts. */
#ifndef DS_VASP_OSZICAR_H
#define DS_VASP_OSZICAR_H

#include "parsers/run.h"

/* Appends one run_step per ionic line ('N F= ... E0= ... d E = ... mag= ...') with the
 * number of electronic steps before it.  Fortran numbers without 'E' (-.302333-128) are
 * read correctly. */
int vasp_oszicar_read(const char *path, ds_run *run, ds_err *err);

#endif
