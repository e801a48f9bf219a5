/* formula: chemical formula of a list of species (elements in order of first appearance,
 * counts after symbols: "Fe2O2"), and the reduced formula (counts divided by their gcd). */
#ifndef DS_FORMULA_H
#define DS_FORMULA_H

#include <stddef.h>

void formula_of_species(const char (*species)[4], int n_atoms, int reduced, char *out, size_t out_len);

#endif
