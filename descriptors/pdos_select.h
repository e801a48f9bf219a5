/* pdos_select: sums a run's projected DOS over selected atoms and an orbital set, per
 * spin: the curve the d-band descriptors take.  Orbital sets: "s", "p", "d", "f" (every
 * m-component of that l, whatever the code calls them: dxy/dx2/x2-y2/d-2/...), or one
 * component by its label as the file writes it ("dz2", "d0"). */
#ifndef DS_PDOS_SELECT_H
#define DS_PDOS_SELECT_H

#include "parsers/run.h"

/* 1 when label belongs to orbital set `orbital`. */
int pdos_orbital_matches(const char *label, const char *orbital);

/* Grid PDOS (VASP): out_up/out_down get n_points values (out_down may be NULL; it is
 * left untouched for one spin).  For noncollinear runs only the total component is
 * used (m_x, m_y, m_z are magnetisation densities, not spin channels); n_spins_out says
 * how many channels were filled (1 or 2).  Errors: no projection, empty selection, no
 * orbital of that set in the file. */
int pdos_grid_sum(const run_dos *dos, const unsigned char *atom_mask, int n_atoms, const char *orbital,
                  double *out_up, double *out_down, int *n_spins_out, ds_err *err);

/* CP2K levels: gathers, for spin `spin` (0 alpha/restricted, 1 beta), the eigenvalues and
 * the summed weights of `orbital` over the PDOS sets whose kind has every atom selected.
 * *energies_eV / *weights are malloc'ed (caller frees); a kind only partly selected is an
 * error (CP2K projects per kind unless the input asked for atom lists). */
int pdos_levels_sum(const ds_run *run, const unsigned char *atom_mask, const char *orbital, int spin,
                    double **energies_eV, double **weights, int *n_levels, ds_err *err);

#endif
