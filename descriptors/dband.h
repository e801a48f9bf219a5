/* dband: the d-band family of descriptors (any orbital set) from a projected DOS.
 *
 * Definitions (Hammer & Norskov; pymatgen CompleteDos, 2022.11), E measured from the
 * reference energy (E_F by default), rho the projected DOS summed over the selected atoms
 * and orbitals (and spins when both are asked for), integrals by the trapezoid rule on
 * the file's own grid restricted to the window [emin, emax] (inclusive, no interpolation):
 *   centre   eps = int E rho dE / int rho dE
 *   width    W = sqrt(m2),  m_n = int (E - eps)^n rho dE / int rho dE
 *   skewness m3 / W^3;  kurtosis m4 / W^4
 *   filling  int_{E<0} rho dE / int rho dE   (grid points strictly below the reference)
 *   upper band edge: the energy of the maximum of the Hilbert transform of rho, taken on
 *            the whole grid (Xin et al., PRB 89, 115114 (2014); pymatgen
 *            get_upper_band_edge), the maximum searched inside the window.
 * For CP2K, whose .pdos lists MO eigenvalues with weights instead of a grid, the moments
 * are exact weighted sums over the levels inside the window, and the upper edge is taken
 * from a Gaussian-broadened curve (width given by the caller) on a uniform grid. */
#ifndef DS_DBAND_H
#define DS_DBAND_H

#include "parsers/io.h"

typedef struct {
    double center_eV, width_eV, filling, skewness, kurtosis, upper_edge_eV;
    double window_eV[2];     /* the window actually used (relative to the reference) */
    double states;           /* int rho dE in the window (number of states) */
    int n_points;            /* grid points or levels inside the window */
} dband_result;

/* energies_eV: n ascending values relative to the reference; density: n values.
 * emin/emax may be -INFINITY/INFINITY (whole grid).  Errors (no NaN ever returned):
 * fewer than 2 points in the window, no states in the window, non-finite input. */
int dband_grid(const double *energies_eV, const double *density, int n, double emin, double emax,
               dband_result *out, ds_err *err);

/* Discrete levels: energies relative to the reference, weights >= 0.  broadening_eV > 0
 * is the Gaussian sigma of the curve used for the upper edge. */
int dband_levels(const double *energies_eV, const double *weights, int n, double emin, double emax,
                 double broadening_eV, dband_result *out, ds_err *err);

/* Gaussian-broadened curve sum_i w_i g(E - E_i; sigma) on grid_n points from grid_min to
 * grid_max (inclusive).  curve must hold grid_n values. */
void dband_broaden(const double *energies_eV, const double *weights, int n, double sigma_eV, double grid_min,
                   double grid_max, int grid_n, double *curve);

#endif
