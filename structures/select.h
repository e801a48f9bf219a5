/* select: the site-selection language shared by every command.  A selection is a comma-
 * separated union of terms:
 *   1,5-8            1-based atom indices and ranges (as VASP/CP2K users count)
 *   Fe, O            element symbols
 *   all              every atom
 *   metals, transition-metals, alkali, alkaline-earth   element classes
 * Terms combine by union: "Fe,Co,1-3".  (Fragment and symmetry-unique terms come with
 * the fragment and symmetry issues.) */
#ifndef DS_SELECT_H
#define DS_SELECT_H

#include "parsers/io.h"

/* Resolves sel against species[n_atoms]; out_mask (n_atoms bytes) is set to 1 for
 * selected atoms.  Returns DS_OK, or DS_EUSAGE with a message naming the bad term;
 * an empty result is DS_ENODATA ("selection 'Pt' matches no atom; the run has Fe, O"). */
int select_atoms(const char *sel, const char (*species)[4], int n_atoms, unsigned char *out_mask, ds_err *err);

/* Element classes by atomic number. */
int element_is_transition_metal(int z);
int element_is_metal(int z);
int element_is_alkali(int z);
int element_is_alkaline_earth(int z);

#endif
