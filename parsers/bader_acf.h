/* bader_acf: reads and writes the Henkelman `bader` program's outputs ACF.dat (per atom),
 * BCF.dat (per basin) and AVF.dat (basins of each atom), so existing analyses import directly.
 * Values keep the units the program wrote: X/Y/Z, MIN DIST, DISTANCE in A and ATOMIC VOL in
 * A^3 for CHGCAR input, bohr and bohr^3 for cube input (the file does not say which). */
#ifndef DS_BADER_ACF_H
#define DS_BADER_ACF_H

#include "parsers/run.h"

typedef struct {
    int n_atoms;
    int n_columns;           /* columns per row with the index: 7, or 6 in old files without ATOMIC VOL */
    double (*position)[3];   /* owned */
    double *charge_e;        /* Bader electrons per atom, owned */
    double *min_dist;        /* distance to the nearest zero-flux surface, owned */
    double *volume;          /* atomic volume, owned (NAN for 6-column files) */
    int has_footer;          /* 1 when the VACUUM/NUMBER OF ELECTRONS lines were read */
    double vacuum_charge_e, vacuum_volume, n_electrons; /* NAN without footer */
    int truncated;           /* the file ends before the footer (rows read so far are kept) */
    int has_overflow;        /* a Fortran '****' field was read (that value is NAN) */
} bader_acf;

typedef struct {
    int n_basins;
    double (*position)[3];   /* maximum of each significant basin, owned */
    double *charge_e;        /* owned */
    int *atom;               /* 1-based atom the basin is assigned to, owned */
    double *distance;        /* maximum-to-atom distance, owned */
    int truncated;
    int has_overflow;
} bader_bcf;

typedef struct {
    int n_rows;              /* atoms listed (atoms without significant basins are not) */
    int *atom;               /* 1-based atom per row, owned */
    int *first;              /* row r lists basins[first[r] .. first[r+1]-1]; n_rows + 1 entries, owned */
    int *basins;             /* 1-based BCF basin numbers, owned */
    int truncated;
} bader_avf;

/* Each reader returns DS_OK when at least the header and one complete row were read (a file
 * cut before its footer sets truncated); DS_EFORMAT with file and line when the file is not
 * what it should be (empty, binary, wrong columns, rows out of order); DS_ETRUNC when it
 * ends before the first row.  The caller frees with the matching *_free (also on error). */
int bader_acf_read(const char *path, bader_acf *acf, ds_err *err);
int bader_bcf_read(const char *path, bader_bcf *bcf, ds_err *err);
int bader_avf_read(const char *path, bader_avf *avf, ds_err *err);
void bader_acf_free(bader_acf *acf);
void bader_bcf_free(bader_bcf *bcf);
void bader_avf_free(bader_avf *avf);

/* Reader contract: ACF.dat into run->charges (method "bader", population_e = CHARGE,
 * net_charge_e NAN because ZVAL is not in the file); truncation and '****' become flags and
 * warnings on the run. */
int bader_acf_read_run(const char *path, ds_run *run, ds_err *err);

/* Writes acf in the layout of bader 1.05 (rows (I5,4F12.6,2F13.6), footer F12.4), readable by
 * pymatgen and ASE.  A value too wide for its column is written wider, after a blank, so that
 * columns stay separated (Fortran would print '****'). */
int bader_acf_write(const char *path, const bader_acf *acf, ds_err *err);

#endif
