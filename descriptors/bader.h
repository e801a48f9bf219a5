/* bader: grid-based Bader partition of a charge density on a periodic, possibly
 * non-orthogonal grid.  Two methods:
 *   near-grid (Tang, Sanville, Henkelman, J. Phys.: Condens. Matter 21, 084204 (2009)), with
 *     the iterative edge refinement that is the default of the Henkelman program;
 *   weight (Yu, Trinkle, J. Chem. Phys. 134, 064111 (2011)): fractional assignment by the
 *     flux through the Voronoi facets of each grid point.
 * A reference grid (e.g. AECCAR0 + AECCAR2) may define the basins while the density is
 * integrated in them (the program's -ref).  Per atom: Bader electrons, volume, distance from
 * the nucleus to the nearest zero-flux surface point; per basin: the maximum.
 *
 * Vacuum (optional): a point is vacuum when |rho| <= threshold (e/A^3) for near-grid, as the
 * Henkelman program does (ABS in bader_mod.f90), and when rho <= threshold for weight (its
 * weight_mod.f90 has no ABS); rho is the reference when there is one.  Vacuum charge is
 * reported apart.  Results do not depend on the number of threads. */
#ifndef DS_BADER_H
#define DS_BADER_H

#include "parsers/grid.h"

typedef enum { BADER_NEARGRID = 0, BADER_WEIGHT = 1 } bader_method;

/* Reproduce two known defects of Henkelman bader 1.05's weight method, for comparisons
 * only: the maximum stored one grid step off (pymatgen#4638), the Voronoi stencil built from
 * the transposed voxel matrix (pymatgen#4639). */
enum { BADER_COMPAT_WEIGHT_ATTRACTOR = 1, BADER_COMPAT_WEIGHT_STENCIL = 2 };

#define BADER_VACUUM_AUTO 1e-3 /* e/A^3, the program's -vac auto */

typedef struct {
    bader_method method;
    int vacuum;               /* 1: use vacuum_e_per_angstrom3 */
    double vacuum_e_per_angstrom3;
    int n_threads;            /* 0: all online cores */
    int compat;               /* BADER_COMPAT_* bits, 0 normally */
    double significant_e;     /* basins above this charge are "significant" (BCF.dat); 1e-3 */
    /* Atom positions in fractional coordinates exactly as the file wrote them (optional;
     * otherwise derived from the Cartesian ones).  Only used to decide which atom a basin
     * maximum belongs to, where exact ties are settled by rounding as in the program. */
    const double (*atoms_frac)[3];
} bader_opts;

typedef struct {
    bader_method method;
    int n_atoms;
    double *charge_e;                 /* Bader electrons per atom, owned */
    double *volume_angstrom3;         /* owned */
    double *min_dist_angstrom;        /* nucleus to the nearest zero-flux surface point, owned */
    int n_basins;                     /* every maximum found */
    int n_significant;                /* basins with charge > significant_e */
    double (*basin_max_angstrom)[3];  /* Cartesian position of each maximum, owned */
    int (*basin_max_grid)[3];         /* its grid indices (0-based), owned */
    double *basin_charge_e;           /* owned */
    double *basin_volume_angstrom3;   /* owned */
    int *basin_atom;                  /* 0-based atom of each basin, owned */
    double *basin_atom_dist_angstrom; /* maximum-to-atom distance, owned */
    double vacuum_charge_e, vacuum_volume_angstrom3;
    double total_electrons;           /* sum over basins plus vacuum */
} bader_result;

void bader_opts_default(bader_opts *opts);

/* Electrons per grid value and e/A^3 per grid value, from grid->units: "rho*V_cell" (VASP),
 * "e/bohr^3" (cube density), "e/A^3".  DS_EUSAGE for other units (e.g. a potential). */
int bader_unit_factors(const ds_grid *g, double *electrons_per_value, double *e_per_A3_per_value, ds_err *err);

/* Partitions density (values[0]) into basins of reference (values[0]; NULL = the density
 * itself), which must have the same grid.  The atoms are the density grid's.  res is owned
 * by the caller (bader_result_free, also after an error). */
int bader_partition(const ds_grid *density, const ds_grid *reference, const bader_opts *opts, bader_result *res,
                    ds_err *err);
void bader_result_free(bader_result *res);

/* Nearest atom to a point given in fractional coordinates, minimum image, with the
 * arithmetic of the Henkelman program (so exact ties go the same way: strict '<' in atom
 * order).  lattice rows in A; returns the 0-based atom, distance in *dist. */
int bader_nearest_atom(const double lattice[3][3], const double (*atoms_frac)[3], int n_atoms, const double frac[3],
                       double *dist);

#endif
