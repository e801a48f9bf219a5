/* select: the site-selection language shared by every command.  A selection is a comma-
 * separated union of terms:
 *   1,5-8            1-based atom indices and ranges (as VASP/CP2K users count)
 *   Fe, O            element symbols
 *   all              every atom
 *   metals, transition-metals, alkali, alkaline-earth   element classes
 * and, when the structure is known (select_atoms_ext):
 *   fragment:2, fragment:1-3   fragments by number, as `dftscreen structure` lists them
 *                              (structures/fragments.h; numbered by their first atom)
 *   molecule:TFSI              fragments by name (case-insensitive: DMF, Li+, ...) or by
 *                              formula (molecule:C3H7NO, any element order)
 *   unique:Fe, unique:metals   symmetry-unique sites: of each set of symmetry-equivalent
 *                              atoms (spglib, structures/symmetry.h) the first atom;
 *                              needs a periodic cell
 * Terms combine by union: "Fe,Co,1-3", "unique:Cu,molecule:DMF". */
#ifndef DS_SELECT_H
#define DS_SELECT_H

#include "parsers/io.h"
#include "structures/cell.h"
#include "structures/fragments.h"

/* Resolves sel against species[n_atoms]; out_mask (n_atoms bytes) is set to 1 for
 * selected atoms.  Returns DS_OK, or DS_EUSAGE with a message naming the bad term;
 * an empty result is DS_ENODATA ("selection 'Pt' matches no atom; the run has Fe, O"). */
int select_atoms(const char *sel, const char (*species)[4], int n_atoms, unsigned char *out_mask, ds_err *err);

/* What the structure-aware terms need.  Fragments and symmetry are computed once per call,
 * only when a term asks for them. */
typedef struct {
    const cell_atoms *atoms;      /* the structure (species, positions, cell) */
    const frag_opts *frag;        /* bonding tolerance and names; NULL = defaults */
    double symprec_angstrom;      /* spglib tolerance for unique:; <= 0 means 1e-3 */
} select_context;

/* As select_atoms over ctx->atoms (out_mask: ctx->atoms->n_atoms bytes), with the
 * fragment:, molecule: and unique: terms.  Errors as select_atoms, plus those of the
 * fragment and symmetry analyses (overlapping atoms, no periodic cell for unique:). */
int select_atoms_ext(const char *sel, const select_context *ctx, unsigned char *out_mask, ds_err *err);

/* Element classes by atomic number. */
int element_is_transition_metal(int z);
int element_is_metal(int z);
int element_is_alkali(int z);
int element_is_alkaline_earth(int z);

#endif
