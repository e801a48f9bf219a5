/* coordination: the ligand shell of metal sites: neighbours within a cutoff, coordination
 * number, open metal sites, and the nearest guest atom with its distance (e.g. Fe-O(TFSI)).
 *
 * Neighbours are the non-metal atoms within the cutoff: a fixed distance when one is given,
 * else the bonding criterion of fragments.h (d <= tolerance * (r_metal + r_ligand)).
 * Metal-metal contacts (Cu-Cu in a paddlewheel, a metal surface) are not counted.
 *
 * Guests: with a guest mask (from hostguest_map) the guest atoms are those of the mask;
 * otherwise, with fragments, the atoms outside the metal's own fragment.  The host
 * coordination counts the neighbours that are not guests.
 *
 * Open metal site: host coordination below the usual coordination number of the element
 * (table below, overridable per element).  Unknown (-1) for elements without a table
 * value and for metallic sites (no non-metal neighbour but metal neighbours, as in a bulk
 * metal or a surface): those are not coordination sites.  A bare ion is open.
 *
 * Usual coordination numbers (the common saturated coordination of the element's usual
 * ion in MOFs and electrolytes): Li 4, Be 4, Na 6, Mg 6, Al 6, K 6, Ca 6, Sc 6, Ti 6, V 6,
 * Cr 6, Mn 6, Fe 6, Co 6, Ni 6, Cu 5 (Cu(II): square pyramid, so a paddlewheel Cu with
 * four carboxylate O is open), Zn 4 (tetrahedral, as in MOF-5 and ZIFs), Ga 6, Rb 8, Sr 8,
 * Y 8, Zr 8 (UiO-66), Nb 6, Mo 6, Ru 6, Rh 6, Pd 4, Ag 4, Cd 6, In 6, Sn 6, Cs 8, Ba 8,
 * La-Lu 8, Hf 8, Ta 6, W 6, Re 6, Os 6, Ir 6, Pt 4, Au 4, Pb 6, Bi 6, Th 8, U 8. */
#ifndef DS_COORDINATION_H
#define DS_COORDINATION_H

#include "parsers/io.h"
#include "structures/cell.h"
#include "structures/fragments.h"

typedef struct {
    int atom;                  /* 0-based */
    char element[4];
    int coordination;          /* non-metal neighbours within the cutoff */
    int host_coordination;     /* of those, the ones that are not guests */
    int n_metal_neighbors;     /* metal atoms within the cutoff (not counted above) */
    int usual;                 /* usual coordination number; 0 unknown */
    int open_site;             /* 1 open, 0 saturated, -1 unknown */
    int *neighbors;            /* coordination entries, 0-based, nearest first, owned */
    double *distances;         /* Angstrom, owned */
    int nearest_guest;         /* 0-based guest atom nearest to the site, -1 when no guest */
    double nearest_guest_distance; /* Angstrom (minimum image), NAN when none */
} coord_site;

typedef struct {
    int n_sites;
    coord_site *sites;         /* in atom order, owned */
} coord_set;

typedef struct {
    double cutoff;             /* > 0: fixed neighbour cutoff in Angstrom; 0: bonding criterion */
    double tolerance;          /* bonding factor (default 1.2) */
    int usual_override[119];   /* > 0 replaces the table value of that Z */
} coord_opts;

void coord_opts_default(coord_opts *opts);
/* Usual coordination number of element z (the table above), 0 when unknown. */
int coordination_usual(int z);

/* Analyses the metal atoms selected by sites (NULL: every metal).  frags and guest may be
 * NULL (see above for what each adds).  opts may be NULL (defaults). */
int coordination_analyse(const cell_atoms *atoms, const frag_set *frags, const unsigned char *guest,
                         const unsigned char *sites, const coord_opts *opts, coord_set *out, ds_err *err);
void coord_set_free(coord_set *set);

#endif
