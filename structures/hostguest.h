/* hostguest: which atoms of a complex (host + guest, e.g. a MOF with an adsorbed molecule,
 * or a cation with a solvent molecule) are the guest, found from the complex and the
 * separate host and guest structures, so that adsorption energies and charge transfer need
 * no atom indices from the user.
 *
 * 1. The complex must have exactly the host's plus the guest's atoms (element counts).
 * 2. Fragments: when the complex's fragments split into the host's fragments and the
 *    guest's (same Hill formulas, counted), the complex fragments with formulas only the
 *    guest has are guest; a formula both have (e.g. a DMF guest in a host that holds DMF)
 *    is shared out by geometry: the complex fragments whose centroids lie closest to the
 *    host's fragments of that formula (minimum image in the complex's cell) are host.
 * 3. Otherwise (the guest bonds covalently to the host, so fragments merge) the atom order:
 *    species of the complex = host's then guest's, or guest's then host's.
 * 4. Otherwise an error says what did not match. */
#ifndef DS_HOSTGUEST_H
#define DS_HOSTGUEST_H

#include "parsers/io.h"
#include "structures/cell.h"
#include "structures/fragments.h"

typedef struct {
    int n_atoms;              /* atoms of the complex */
    unsigned char *guest;     /* 1 for the guest's atoms, owned */
    int n_guest;
    char method[64];          /* "fragments", "atom order (host first)", "atom order (guest first)" */
} hg_map;

/* opts as for fragments_find (may be NULL).  Errors: DS_EFORMAT when the compositions do
 * not add up (the message lists the differences), DS_ENODATA when neither fragments nor
 * atom order identify the guest, and the errors of fragments_find. */
int hostguest_map(const cell_atoms *complex_atoms, const cell_atoms *host, const cell_atoms *guest, const frag_opts *opts,
                  hg_map *out, ds_err *err);
void hg_map_free(hg_map *map);

#endif
