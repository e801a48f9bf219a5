/* elements: symbol <-> atomic number, and element extraction from POTCAR/kind labels. */
#include "structures/elements.h"

#include <ctype.h>
#include <string.h>

static const char *const symbols[119] = {
    "",   "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",  "S",
    "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As",
    "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
    "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho",
    "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po",
    "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md",
    "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

int element_z(const char *symbol)
{
    if (!symbol || !symbol[0]) return 0;
    for (int z = 1; z <= 118; z++)
        if (strcmp(symbols[z], symbol) == 0) return z;
    return 0;
}

const char *element_symbol(int z)
{
    return (z >= 1 && z <= 118) ? symbols[z] : NULL;
}

int element_from_label(const char *label, char out[4])
{
    out[0] = '\0';
    if (!label) return 0;
    while (*label == ' ' || *label == '\t') label++;
    if (!isalpha((unsigned char)label[0])) return 0;
    char two[3] = {(char)toupper((unsigned char)label[0]), 0, 0};
    if (isalpha((unsigned char)label[1])) {
        two[1] = (char)tolower((unsigned char)label[1]);
        int z = element_z(two);
        /* Prefer the two-letter symbol unless the label continues with more letters that
         * make it a word (then fall back to one letter, e.g. "Hx" is not an element). */
        if (z) {
            memcpy(out, two, 3);
            return z;
        }
    }
    two[1] = '\0';
    int z = element_z(two);
    if (z) memcpy(out, two, 2);
    return z;
}
