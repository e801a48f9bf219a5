/* fragments: splits a structure into molecules, ions and extended (periodic) fragments by
 * covalent-radius bonding, gives each its Hill formula and, from a small table the user
 * can extend, a name (DMF, TFSI, Li+, ...).
 *
 * Bonding: atoms i and j are bonded when d <= tolerance * (r_i + r_j), r the covalent
 * radii of structures/covalent.h (default tolerance 1.2), through periodic boundaries
 * along the periodic axes.
 *
 * Metal-ligand contacts (one end a metal, the other not; element classes of
 * structures/select.h) are coordination bonds, not covalent ones: a ligand (a component of
 * the covalent network without metals) of two or more atoms that touches a single metal
 * atom stays a separate fragment (a solvent molecule on a cation or on an open metal site,
 * an anion on a cluster), while one that bridges two or more metal atoms (or two periodic
 * images of one) joins them (carboxylate linkers, oxo and hydroxo bridges, the oxide ions
 * of a solid), and so does a single atom bonded to a metal (terminal oxo, nitride,
 * hydride, halide: a Li+ Cl- contact pair is one fragment, ClLi).  So Li+-DMF is Li+ and
 * DMF; a MOF framework, Cu2(HCOO)4, rock salt or an MoO3 layer with its terminal oxygens
 * are one fragment each; DMF coordinated to a framework metal is its own fragment.
 *
 * Extended fragments: a fragment that bonds to its own periodic image is infinite; its
 * periodic dimension (1 chain, 2 layer, 3 framework) is the rank of the lattice
 * translations that map it onto itself.
 *
 * Name table file (frag_names_load): one entry per line, "FORMULA NAME", blank-separated;
 * FORMULA is element symbols with optional counts in any order ("C3H7NO", "NOC3H7",
 * "Li"); NAME is up to 31 characters without blanks; '#' starts a comment.  User entries
 * take precedence over the built-in table (later lines over earlier ones). */
#ifndef DS_FRAGMENTS_H
#define DS_FRAGMENTS_H

#include <stddef.h>

#include "parsers/io.h"
#include "structures/cell.h"

#define FRAG_FORMULA_LEN 64
#define FRAG_NAME_LEN 32

typedef struct {
    char formula[FRAG_FORMULA_LEN]; /* Hill order */
    char name[FRAG_NAME_LEN];
} frag_name;

typedef struct {
    int n, cap;
    frag_name *entries;       /* owned */
} frag_names;

/* Appends the entries of a name file (format above).  Errors name the file and line. */
int frag_names_load(const char *path, frag_names *names, ds_err *err);
void frag_names_free(frag_names *names);
/* Name of a Hill formula: user entries (newest first), then the built-in table; NULL when
 * neither has it.  names may be NULL. */
const char *frag_name_lookup(const frag_names *names, const char *hill);
/* Hill formula (C, H, then alphabetical; without carbon all alphabetical; counts of 1
 * omitted) of the atoms listed (or of all n atoms when atoms is NULL). */
void frag_hill_formula(const char (*species)[4], const int *atoms, int n, char *out, size_t len);
/* Parses a written formula (element symbols with optional counts, any order, repeats
 * summed) into Hill form.  DS_EUSAGE for an unknown element or bad text. */
int frag_formula_parse(const char *text, char *hill, size_t len, ds_err *err);

enum { FRAG_ATOM = 0, FRAG_MOLECULE = 1, FRAG_EXTENDED = 2 };

typedef struct {
    int n_atoms;
    int *atoms;               /* 0-based, ascending, owned */
    char formula[FRAG_FORMULA_LEN];
    char name[FRAG_NAME_LEN]; /* "" when the table has no name for it */
    int kind;                 /* FRAG_ATOM (monatomic), FRAG_MOLECULE (finite), FRAG_EXTENDED */
    int periodic_dimension;   /* 0 finite; 1, 2 or 3 */
} fragment;

typedef struct {
    double tolerance;         /* bonding factor on r_i + r_j (default 1.2) */
    double min_distance;      /* atoms closer than this are an error (default 0.5 A, as
                                 pymatgen's DISTANCE_TOLERANCE); <= 0 turns the check off */
    const frag_names *names;  /* user names or NULL */
} frag_opts;

void frag_opts_default(frag_opts *opts);

typedef struct {
    int n_atoms;
    int *fragment_of;         /* fragment index per atom, owned */
    int n_fragments;
    fragment *fragments;      /* ordered by their first atom, owned */
    double (*unwrapped)[3];   /* positions shifted by lattice vectors so that every finite
                                 fragment is whole (bonded atoms are bonded in place), owned */
} frag_set;

/* Finds the fragments.  opts may be NULL (defaults).  Errors: overlapping atoms (DS_EFORMAT,
 * naming them), an element without covalent radius (beyond Cm), bad tolerance (DS_EUSAGE),
 * memory. */
int fragments_find(const cell_atoms *atoms, const frag_opts *opts, frag_set *out, ds_err *err);
void frag_set_free(frag_set *set);
const char *frag_kind_name(int kind);

#endif
