/* cp2k_xyz: reads a CP2K trajectory (*-pos-1.xyz, plain or .gz): every frame's structure and energy. */
#ifndef DS_CP2K_XYZ_H
#define DS_CP2K_XYZ_H

#include "parsers/run.h"

/* For each frame, sets the structure (and the 'E =' energy in eV when the code has none)
 * of the matching ionic step, appending steps when the run has fewer; the last complete
 * frame becomes run->final when the output did not print a final structure.  The cell is
 * taken from run->final/initial lattice when known (xyz has none). */
int cp2k_xyz_read(const char *path, ds_run *run, ds_err *err);

#endif
