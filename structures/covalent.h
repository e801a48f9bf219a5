/* covalent: single-bond covalent radii of the elements, the bonding criterion of the
 * fragment and coordination analyses.
 *
 * Values: B. Cordero, V. Gomez, A. E. Platero-Prats, M. Reves, J. Echeverria, E. Cremades,
 * F. Barragan and S. Alvarez, "Covalent radii revisited", Dalton Trans. 2008, 2832-2838
 * (doi:10.1039/b801115j), Table 2, for H (Z = 1) to Cm (Z = 96).  Where the paper gives
 * several values the same choice as ASE's ase.data.covalent_radii is made: C sp3 (0.76),
 * and the low-spin radii of Mn (1.39), Fe (1.32) and Co (1.26). */
#ifndef DS_COVALENT_H
#define DS_COVALENT_H

/* Radius in Angstrom of element z, or 0 when the table has none (z < 1 or z > 96). */
double covalent_radius(int z);

#endif
