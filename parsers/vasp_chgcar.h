/* vasp_chgcar: reads VASP volumetric files (CHGCAR, CHG, AECCAR0/1/2, LOCPOT, ELFCAR, PARCHG)
 * into a ds_grid: structure header, grid sizes and the data sets, plain or gzip.
 *
 * Units: VASP writes rho(r) * V_cell for charge-like files, so a value divided by the cell
 * volume (A^3) is a density in e/A^3 and the sum of all values divided by the number of grid
 * points is the number of electrons.  The grid's units field says "rho*V_cell" for these
 * files; LOCPOT holds a potential in eV ("eV"), which the caller selects with opts.units. */
#ifndef DS_VASP_CHGCAR_H
#define DS_VASP_CHGCAR_H

#include <stddef.h>

#include "parsers/grid.h"

typedef struct {
    size_t max_bytes;        /* refuse data sets whose values would exceed this (0 = 32 GiB) */
    int max_sets;            /* data sets to read: 1 = total density only, up to 4 (0 = all) */
    const char *species_hint;/* VASP 4 files (no species line): element per ion type, blank-
                                separated ("Na C H O"); NULL = try the title line */
    const char *units;       /* stored in grid->units; NULL = "rho*V_cell" */
} vasp_chgcar_opts;

/* What the header said, beyond the grid.  Owned arrays are freed by vasp_chgcar_info_free. */
typedef struct {
    int vasp5;               /* 1 when the file has a species line (VASP 5 and later) */
    int n_types;
    int species_known;       /* 0: a VASP 4 file without a usable hint (atomic numbers are 0) */
    double (*positions_frac)[3]; /* atom positions as written (Direct coordinates), owned */
    int n_sets_in_file;      /* data sets seen (including one cut short) */
    int truncated_set;       /* 0-based index of a data set after the first that is cut short
                                and was dropped, -1 when none */
    char warning[320];       /* "" or what was dropped and why */
} vasp_chgcar_info;

/* Reads path into grid (grid_init'ed by the caller, grid_free'd by the caller even on error;
 * likewise info, when given, with vasp_chgcar_info_free).
 * grid->values[0] is the total density; values[1] the magnetisation (ISPIN=2) or m_x
 * (noncollinear, then values[2], values[3] are m_y, m_z).  Layout is grid.h's (third axis
 * fastest); the file's x-fastest order is converted.  opts and info may be NULL.
 * Errors: DS_ETRUNC when the first data set is incomplete (message: line, values found and
 * expected), DS_EFORMAT for a bad header, grid sizes that do not match the data, NaN/Inf or
 * '****' values, zero-volume cells; DS_ENOMEM when the header asks for more than the limit or
 * than the file can hold. */
int vasp_chgcar_read(const char *path, const vasp_chgcar_opts *opts, ds_grid *grid, vasp_chgcar_info *info,
                     ds_err *err);
void vasp_chgcar_info_free(vasp_chgcar_info *info);

/* 1 if the file looks like a VASP volumetric file (line 2 a scale factor, lines 3-5 three
 * numbers each), 0 if not (for example a cube file). */
int vasp_chgcar_sniff(const char *path);

#endif
