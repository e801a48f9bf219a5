/* select: parse and resolve site selections (indices, elements, classes). */
#include "structures/select.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "structures/elements.h"

int element_is_alkali(int z)
{
    return z == 3 || z == 11 || z == 19 || z == 37 || z == 55 || z == 87;
}

int element_is_alkaline_earth(int z)
{
    return z == 4 || z == 12 || z == 20 || z == 38 || z == 56 || z == 88;
}

int element_is_transition_metal(int z)
{
    return (z >= 21 && z <= 30) || (z >= 39 && z <= 48) || (z >= 72 && z <= 80) || (z >= 104 && z <= 112) ||
           z == 57 || z == 89;
}

int element_is_metal(int z)
{
    if (z <= 0) return 0;
    /* Non-metals and metalloids; everything else is a metal (lanthanides, actinides incl.). */
    static const int nonmetal[] = {1, 2, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 32, 33, 34, 35, 36, 51, 52, 53, 54, 85, 86, 117, 118};
    for (size_t i = 0; i < sizeof nonmetal / sizeof *nonmetal; i++)
        if (nonmetal[i] == z) return 0;
    return 1;
}

static void run_species_list(const char (*species)[4], int n, char *buf, size_t len)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int a = 0; a < n; a++) {
        int seen = 0;
        for (int b = 0; b < a; b++)
            if (strcmp(species[a], species[b]) == 0) seen = 1;
        if (seen) continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", species[a]);
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
    }
}

static int apply_term(const char *term, const char (*species)[4], int n, unsigned char *mask, ds_err *err)
{
    if (isdigit((unsigned char)term[0])) {
        char *end;
        long a = strtol(term, &end, 10), b = a;
        if (*end == '-') b = strtol(end + 1, &end, 10);
        if (*end || a < 1 || b < a)
            return ds_err_set(err, DS_EUSAGE, NULL, 0, "bad index term '%s' (expected N or N-M, counting from 1)", term);
        if (b > n)
            return ds_err_set(err, DS_EUSAGE, NULL, 0, "index %ld in '%s' is beyond the %d atoms of the run", b, term, n);
        for (long i = a; i <= b; i++) mask[i - 1] = 1;
        return DS_OK;
    }
    int (*cls)(int) = NULL;
    if (strcasecmp(term, "all") == 0) {
        memset(mask, 1, (size_t)n);
        return DS_OK;
    }
    if (strcasecmp(term, "metals") == 0) cls = element_is_metal;
    else if (strcasecmp(term, "transition-metals") == 0 || strcasecmp(term, "tm") == 0) cls = element_is_transition_metal;
    else if (strcasecmp(term, "alkali") == 0) cls = element_is_alkali;
    else if (strcasecmp(term, "alkaline-earth") == 0) cls = element_is_alkaline_earth;
    if (cls) {
        for (int i = 0; i < n; i++)
            if (cls(element_z(species[i]))) mask[i] = 1;
        return DS_OK;
    }
    if (element_z(term) == 0)
        return ds_err_set(err, DS_EUSAGE, NULL, 0,
                          "unknown selection term '%s' (indices 1,5-8; element symbols; all, metals, "
                          "transition-metals, alkali, alkaline-earth)",
                          term);
    for (int i = 0; i < n; i++)
        if (strcmp(species[i], term) == 0) mask[i] = 1;
    return DS_OK;
}

int select_atoms(const char *sel, const char (*species)[4], int n, unsigned char *mask, ds_err *err)
{
    memset(mask, 0, (size_t)n);
    if (!sel || !*sel) return ds_err_set(err, DS_EUSAGE, NULL, 0, "empty selection");
    char *copy = strdup(sel);
    if (!copy) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    int rc = DS_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && rc == DS_OK; tok = strtok_r(NULL, ",", &save)) {
        char term[64];
        ds_copy_trim(term, sizeof term, tok, tok + strlen(tok));
        if (!term[0]) continue;
        rc = apply_term(term, species, n, mask, err);
    }
    free(copy);
    if (rc) return rc;
    for (int i = 0; i < n; i++)
        if (mask[i]) return DS_OK;
    char have[256];
    run_species_list(species, n, have, sizeof have);
    return ds_err_set(err, DS_ENODATA, NULL, 0, "selection '%s' matches no atom; the run has %s", sel, have);
}
