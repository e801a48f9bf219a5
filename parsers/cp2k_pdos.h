/* cp2k_pdos: reads CP2K projected-DOS files (*-k<N>-1.pdos, ALPHA/BETA, list, COMPONENTS),
 * column layout from the header line (releases differ). */
#ifndef DS_CP2K_PDOS_H
#define DS_CP2K_PDOS_H

#include "parsers/run.h"

/* Appends one run_pdos_set (kind, spin, eigenvalues, occupations, per-orbital weights,
 * E_F from the header) to run->pdos_sets. */
int cp2k_pdos_read(const char *path, ds_run *run, ds_err *err);

#endif
