/* cp2k_out: reads a CP2K main output (.out/.log, plain or .gz) into a ds_run. */
#ifndef DS_CP2K_OUT_H
#define DS_CP2K_OUT_H

#include "parsers/run.h"

/* Fills: version, run type, echoed DFT settings (functional, dispersion, basis/potential per
 * kind, CUTOFF/REL_CUTOFF, charge, multiplicity, UKS/ROKS), per geometry step the total
 * energy ('ENERGY| Total FORCE_EVAL ( QS ) energy [a.u.]' -> eV), SCF steps and convergence,
 * dispersion energy, the structure (when printed), geometry-optimisation convergence,
 * MO eigenvalues/occupations per spin (last block), HOMO/LUMO (incl. OT 'Lowest Eigenvalues
 * of the unoccupied subspace'), Mulliken and Hirshfeld charges (last block, with spin
 * moments), BSSE counterpoise configurations and interaction energies (run->bsse; the run's
 * energy is then the whole system in its own basis), termination ('PROGRAM ENDED AT'), the
 * warnings count.  An [ABORT] box is an error naming CP2K's message when it comes before any
 * structure or energy, and a warning (terminated_normally 0, truncated 0) after. */
int cp2k_out_read(const char *path, ds_run *run, ds_err *err);

#endif
