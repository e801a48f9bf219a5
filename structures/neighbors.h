/* neighbors: every pair of atoms within a cutoff, periodic (any triclinic cell, any
 * number of periodic axes, cutoffs larger than the cell) or not, by a cell-list search
 * whose cost grows linearly with the number of atoms. */
#ifndef DS_NEIGHBORS_H
#define DS_NEIGHBORS_H

#include <stddef.h>

#include "parsers/io.h"
#include "structures/cell.h"

/* One pair.  Each unordered pair is listed once: i < j, or i == j for an atom and one of
 * its own periodic images (image and -image give the same pair; one is listed).
 * Coincident atoms (i != j at distance 0) are listed too, so overlaps can be found. */
typedef struct {
    int i, j;              /* 0-based atom indices */
    int image[3];          /* atom j is taken at positions[j] + image . lattice */
    double distance;       /* Angstrom */
    double vector[3];      /* positions[j] + image . lattice - positions[i] */
} nb_pair;

typedef struct {
    size_t n_pairs, cap;
    nb_pair *pairs;        /* owned */
} nb_list;

/* Optional per-pair test applied before a pair is stored (return 1 to keep): lets callers
 * search with the largest cutoff they need and keep, e.g., only covalent bonds. */
typedef int (*nb_keep_fn)(void *ctx, int i, int j, double distance);

/* Finds the pairs with distance <= cutoff among positions[n_atoms] in cell (periodic
 * images along the cell's periodic axes; plain distances without a lattice).  keep may be
 * NULL.  out is initialised here and freed by nb_list_free (also after an error).
 * Errors: DS_EUSAGE for a cutoff that is not a positive finite number or that would need
 * more than a million periodic images of the cell, DS_ENOMEM when the list would exceed
 * max_pairs (0 = 2^25, about 2 GB) or memory runs out. */
int neighbors_find(const ds_cell *cell, const double (*positions)[3], int n_atoms, double cutoff, nb_keep_fn keep,
                   void *keep_ctx, size_t max_pairs, nb_list *out, ds_err *err);
void nb_list_free(nb_list *list);

/* Checks that no two atoms (or an atom and its own image) are closer than min_distance
 * (Angstrom).  DS_OK when none is; DS_EFORMAT naming the closest such pair otherwise
 * ("atoms 3 and 7 overlap: 0.296 A apart (closer than 0.5 A)"). */
int neighbors_check_overlap(const ds_cell *cell, const double (*positions)[3], const char (*species)[4], int n_atoms,
                            double min_distance, ds_err *err);

/* Full (both-direction) adjacency in CSR form built from a pair list: the neighbours of
 * atom a are entry[start[a]] .. entry[start[a+1]-1]; an entry is 2 * pair index + side
 * (0: a is the pair's i, 1: a is its j), so an atom bonded to its own image has both. */
typedef struct {
    int n_atoms;
    size_t *start;         /* n_atoms + 1, owned */
    size_t *entry;         /* 2 * n_pairs, owned */
} nb_adjacency;

int nb_adjacency_build(const nb_list *list, int n_atoms, nb_adjacency *adj, ds_err *err);
void nb_adjacency_free(nb_adjacency *adj);
/* The neighbour an adjacency entry stands for: returns its atom index and sets image so
 * that the neighbour sits at positions[other] + image . lattice relative to the atom
 * whose list holds the entry (taken at positions[atom]).  image may be NULL. */
int nb_entry_other(const nb_list *list, size_t entry, int image[3]);

#endif
