/* formula: formulas from species lists. */
#include "structures/formula.h"

#include <stdio.h>
#include <string.h>

static int gcd(int a, int b)
{
    while (b) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

void formula_of_species(const char (*species)[4], int n_atoms, int reduced, char *out, size_t out_len)
{
    enum { MAX_ELEMENTS = 128 };
    char symbols[MAX_ELEMENTS][4];
    int counts[MAX_ELEMENTS];
    int n = 0;
    for (int a = 0; a < n_atoms; a++) {
        int k = 0;
        while (k < n && strcmp(symbols[k], species[a]) != 0) k++;
        if (k == n) {
            if (n == MAX_ELEMENTS) continue;
            snprintf(symbols[n], sizeof symbols[n], "%s", species[a]);
            counts[n++] = 0;
        }
        counts[k]++;
    }
    int g = 0;
    for (int k = 0; k < n; k++) g = gcd(g, counts[k]);
    if (!reduced || g == 0) g = 1;
    size_t used = 0;
    if (out_len) out[0] = '\0';
    for (int k = 0; k < n && used + 1 < out_len; k++) {
        int c = counts[k] / g;
        int w = c == 1 ? snprintf(out + used, out_len - used, "%s", symbols[k])
                       : snprintf(out + used, out_len - used, "%s%d", symbols[k], c);
        if (w < 0) break;
        used += (size_t)w;
    }
}
