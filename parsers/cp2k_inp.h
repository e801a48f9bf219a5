/* cp2k_inp: reads enough of a CP2K input (.inp) section tree to confirm functional, charge,
 * multiplicity, periodicity, cutoffs, kinds (basis, potential) and the cell. */
#ifndef DS_CP2K_INP_H
#define DS_CP2K_INP_H

#include "parsers/run.h"

/* Fills run->settings fields that are still unknown and records what the input says under
 * params 'inp:<SECTION/KEYWORD>'; a disagreement with what the output echoed is a warning. */
int cp2k_inp_read(const char *path, ds_run *run, ds_err *err);

#endif
