/* elements: the periodic table as the readers and structure code need it (symbols, Z). */
#ifndef DS_ELEMENTS_H
#define DS_ELEMENTS_H

/* Atomic number of an element symbol (case-sensitive as written: "Fe"), 0 if unknown. */
int element_z(const char *symbol);
/* Symbol of Z (1..118), NULL outside. */
const char *element_symbol(int z);
/* Extracts the element from a label such as "Fe_pv", "Fe1", "O_s", "Zn_GW", "H.5", "Li_sv":
 * writes the symbol into out (4 bytes) and returns its Z, or 0 when the label does not start
 * with an element symbol.  Case is normalised ("FE" -> "Fe"). */
int element_from_label(const char *label, char out[4]);

#endif
