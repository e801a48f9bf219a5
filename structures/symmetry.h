/* symmetry: space-group analysis of a structure with spglib (symbol, number, Hall
 * number, symmetry-equivalent atoms) at a chosen tolerance. */
#ifndef DS_SYMMETRY_H
#define DS_SYMMETRY_H

#include "parsers/io.h"
#include "parsers/run.h"

/* A cell spglib made: lattice rows a, b, c (Angstrom), fractional positions, atomic numbers. */
typedef struct {
    int n_atoms;
    double lattice_angstrom[3][3];
    double (*positions_frac)[3];  /* owned */
    int *atomic_numbers;          /* owned (0 for a label that is no element) */
} sym_cell;

typedef struct {
    double symprec_angstrom;
    int spacegroup_number;        /* 1..230 */
    char spacegroup_symbol[16];   /* international short symbol, e.g. "Fm-3m" */
    int hall_number;
    int n_atoms;
    int *equivalent_atoms;        /* owned: index of the representative atom (0-based) */
    char (*wyckoffs)[2];          /* owned: Wyckoff letter per atom */
    sym_cell standardized;        /* spglib's standardised conventional cell (idealised) */
    sym_cell primitive;           /* its primitive cell */
} sym_info;

/* Analyses s (species from species[], lattice required), including the standardised and
 * primitive cells, idealised to the space group's metric: the cells spg_standardize_cell
 * gives (to_primitive 0 and 1), built from the one spg_get_dataset call.  Returns DS_ENODATA for a
 * structure without a lattice, DS_EFORMAT when spglib finds no space group (the message
 * carries spglib's reason). */
int sym_analyse(const run_structure *s, const char (*species)[4], double symprec_angstrom, sym_info *out,
                ds_err *err);
void sym_info_free(sym_info *info);

#endif
