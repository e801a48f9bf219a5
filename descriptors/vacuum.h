/* vacuum: the vacuum level of a molecule (or slab) in a box from its local potential
 * (VASP LOCPOT): the planar average of the potential along one axis, and its value on the
 * plateau in the middle of the largest empty gap along that axis.  Works on arrays (a grid
 * and atom positions); the caller reads the file. */
#ifndef DS_VACUUM_H
#define DS_VACUUM_H

#include "parsers/io.h"

/* Planar average along axis (0 = a, 1 = b, 2 = c) of values laid out as grid.h's
 * values[((i * n[1]) + j) * n[2] + k]: avg[m] = mean over the grid plane with index m along
 * axis (the mean over a lattice plane, whatever the cell's angles).  avg has n[axis] slots. */
int vacuum_planar_average(const double *values, const int n[3], int axis, double *avg, ds_err *err);

typedef struct {
    int axis;                 /* 0, 1, 2 = a, b, c */
    double gap_angstrom;      /* the largest atom-free stretch along axis (interplanar distance) */
    double gap_start_frac, gap_end_frac; /* fractional coordinates along axis (end may be > 1) */
    double vacuum_level_eV;   /* mean planar average over the middle third of the gap */
    double plateau_spread_eV; /* max - min of the planar average over that window */
    int n_plateau_points;     /* grid planes averaged */
} vacuum_result;

/* axis < 0: the axis with the largest gap (in Angstrom between lattice planes).  Atoms are
 * Cartesian (Angstrom) in the cell given by lattice rows; values are the potential (eV).
 * Errors: no atoms, a singular cell, a gap with no grid plane in its middle third. */
int vacuum_level(const double *values, const int n[3], const double lattice_angstrom[3][3],
                 const double (*positions_angstrom)[3], int n_atoms, int axis, vacuum_result *out, ds_err *err);

#endif
