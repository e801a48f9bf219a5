/* cell: the geometry of a (possibly periodic) cell: lattice validation, fractional <->
 * Cartesian conversion, wrapping and exact minimum-image distances in any triclinic cell,
 * and cell_atoms, the read-only view of one structure (positions, species, cell) that the
 * neighbour search, fragments, coordination and selection code work on. */
#ifndef DS_CELL_H
#define DS_CELL_H

#include "parsers/io.h"
#include "parsers/run.h"

/* A cell.  Lattice rows are the vectors a, b, c in Angstrom.  Without a lattice (a molecule
 * in vacuum) has_lattice is 0, pbc are all 0 and distances are plain Euclidean. */
typedef struct {
    int has_lattice;
    int pbc[3];               /* periodic along a, b, c (only with a lattice) */
    double lattice[3][3];     /* rows a, b, c */
    double inverse[3][3];     /* frac[k] = sum_r cart[r] * inverse[r][k] */
    double volume;            /* a . (b x c), Angstrom^3, > 0 (right-handed) */
    double height[3];         /* distance between neighbouring lattice planes:
                                 height[0] = V / |b x c|, etc. */
    /* A reduced basis of the same lattice (shorter, more orthogonal periodic vectors;
     * reduced = reduced_of . lattice with an integer unimodular reduced_of), used by the
     * minimum-image and neighbour searches so that strongly skewed cells cost no more
     * than orthogonal ones.  Non-periodic vectors are left as they are. */
    double reduced[3][3];
    double reduced_inverse[3][3];
    double reduced_height[3];
    int reduced_of[3][3];
    /* Closest-vector search over the periodic reduced vectors (Fincke-Pohst): their
     * number, which they are, the decomposed Gram matrix, and the projection taking a
     * Cartesian vector to its coordinates along them. */
    int n_periodic;
    int periodic_axis[3];
    double gram_q[3][3];
    double gram_proj[3][3];
} ds_cell;

/* Validates lattice and fills cell.  pbc may be NULL (periodic along all three vectors).
 * Errors (DS_EFORMAT, message says what is wrong): non-finite entries, a zero-length
 * vector, two parallel vectors, coplanar vectors (zero volume), a left-handed set
 * (a . (b x c) < 0), a cell that stays nearly flat after reduction (degenerate). */
int cell_init(ds_cell *cell, const double lattice[3][3], const int pbc[3], ds_err *err);
/* A cell without lattice (molecule in vacuum). */
void cell_init_none(ds_cell *cell);
/* 1 when the cell is periodic along all three vectors. */
int cell_fully_periodic(const ds_cell *cell);

void cell_to_fractional(const ds_cell *cell, const double cart[3], double frac[3]);
void cell_to_cartesian(const ds_cell *cell, const double frac[3], double cart[3]);
/* Wraps frac into [0, 1) along the periodic axes; shift receives the integers added
 * (may be NULL). */
void cell_wrap_fractional(const ds_cell *cell, double frac[3], int shift[3]);
/* Fractional coordinates in the reduced basis, and an image given in the reduced basis
 * converted to the original one (for code that searches in the reduced basis). */
void cell_to_reduced_fractional(const ds_cell *cell, const double cart[3], double frac[3]);
void cell_image_from_reduced(const ds_cell *cell, const int reduced_image[3], int image[3]);

/* Minimum-image vector from a to b: vec = b + image . lattice - a, the shortest over all
 * lattice translations along the periodic axes (exact in any triclinic cell, however
 * skewed).  Returns |vec|.  vec and image may be NULL. */
double cell_distance(const ds_cell *cell, const double a[3], const double b[3], double vec[3], int image[3]);

/* Coordinates beyond this (Angstrom) are refused as corrupt. */
#define DS_CELL_MAX_COORD 1e7

/* One structure as the analysis code sees it.  Nothing is owned: s and species must
 * outlive the view. */
typedef struct {
    int n_atoms;
    const run_structure *s;       /* positions_angstrom (and the lattice it came with) */
    const char (*species)[4];     /* element symbol per atom */
    ds_cell cell;
} cell_atoms;

/* Builds the view and validates it: the lattice (as cell_init, when s->has_lattice), every
 * species a known element ("atom 5 has unknown element 'Xx'"), finite positions.
 * pbc may be NULL (periodic along all axes when there is a lattice). */
int cell_atoms_init(cell_atoms *atoms, const run_structure *s, const char (*species)[4], const int pbc[3],
                    ds_err *err);
/* The structure of a run to analyse: the final one, else the last step's, else the initial
 * one.  Periodicity: CP2K's PERIODIC setting (NONE, XY, XYZ, ...) when the run names it,
 * else periodic along all axes when there is a lattice.  DS_ENODATA when the run has no
 * structure or no species. */
int cell_atoms_from_run(const ds_run *run, cell_atoms *atoms, ds_err *err);

#endif
