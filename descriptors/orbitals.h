/* orbitals: frontier orbitals from eigenvalues and occupations.  HOMO (VBM) = highest
 * level with occupation > occu_tol, LUMO (CBM) = lowest level with occupation <= occu_tol,
 * over all spins and k-points, gap = max(LUMO - HOMO, 0), exactly as pymatgen
 * Vasprun.eigenvalue_band_properties (occu_tol 1e-8); also per spin. */
#ifndef DS_ORBITALS_H
#define DS_ORBITALS_H

#include "parsers/run.h"

typedef struct {
    double homo_eV, lumo_eV, gap_eV;
    int homo_spin, homo_kpoint, lumo_spin, lumo_kpoint; /* 0-based */
    int direct;                 /* HOMO and LUMO at the same k-point */
    int n_spins;
    double homo_spin_eV[2], lumo_spin_eV[2], gap_spin_eV[2]; /* NAN where a spin has none */
} orbitals_result;

int orbitals_frontier(const run_eigen *eig, double occu_tol, orbitals_result *out, ds_err *err);

/* Frontier orbitals of a run: from its eigenvalues when it has them; else (CP2K OT runs,
 * whose MO block holds only occupied levels) from the HOMO/LUMO the output printed, or the
 * LUMO the reader took from the .pdos files' empty levels (parsers/cp2k_dir.c).  *from (may be
 * NULL) says which. */
int orbitals_of_run(const ds_run *run, double occu_tol, orbitals_result *out, const char **from, ds_err *err);

#endif
