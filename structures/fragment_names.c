/* fragment_names: Hill formulas, the built-in table of ions and molecules by formula, and
 * the user's name file (format in fragments.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "structures/elements.h"
#include "structures/fragments.h"

static void hill_from_counts(const int *count, char *out, size_t len);

/* Built-in names.  Monatomic entries name the usual ion of electrolyte and MOF chemistry
 * (the charge is the conventional one, not computed).  A formula names one molecule only
 * where battery-electrolyte and MOF work makes the reading unambiguous. */
static const frag_name builtin[] = {
    /* monatomic ions */
    {"Li", "Li+"}, {"Na", "Na+"}, {"K", "K+"}, {"Rb", "Rb+"}, {"Cs", "Cs+"},
    {"Mg", "Mg2+"}, {"Ca", "Ca2+"}, {"Sr", "Sr2+"}, {"Ba", "Ba2+"}, {"Zn", "Zn2+"}, {"Al", "Al3+"},
    {"F", "F-"}, {"Cl", "Cl-"}, {"Br", "Br-"}, {"I", "I-"},
    /* solvents */
    {"C3H7NO", "DMF"},           /* N,N-dimethylformamide */
    {"C4H6O3", "PC"},            /* propylene carbonate */
    {"C3H4O3", "EC"},            /* ethylene carbonate */
    {"C3H3FO3", "FEC"},          /* fluoroethylene carbonate */
    {"C3H2O3", "VC"},            /* vinylene carbonate */
    {"C3H6O3", "DMC"},           /* dimethyl carbonate */
    {"C4H8O3", "EMC"},           /* ethyl methyl carbonate */
    {"C5H10O3", "DEC"},          /* diethyl carbonate */
    {"C4H10O2", "DME"},          /* 1,2-dimethoxyethane */
    {"C6H14O3", "diglyme"},
    {"C8H18O4", "triglyme"},
    {"C10H22O5", "TEGDME"},      /* tetraglyme */
    {"C3H6O2", "DOL"},           /* 1,3-dioxolane */
    {"C4H8O", "THF"},
    {"C2H3N", "MeCN"},           /* acetonitrile */
    {"C2H6OS", "DMSO"},
    {"H2O", "H2O"},
    /* anions */
    {"C2F6NO4S2", "TFSI"},       /* bis(trifluoromethanesulfonyl)imide */
    {"F2NO4S2", "FSI"},          /* bis(fluorosulfonyl)imide */
    {"CF3O3S", "OTf"},           /* triflate */
    {"F6P", "PF6"},
    {"BF4", "BF4"},
    {"ClO4", "ClO4"},
    {"C4BO8", "BOB"},            /* bis(oxalato)borate */
    {"NO3", "NO3"},
    {"CHO2", "formate"},
    {"C2H3O2", "acetate"},
    {"C8H4O4", "BDC"},           /* terephthalate (MOF linker) */
    /* small gas molecules */
    {"CO2", "CO2"}, {"CO", "CO"}, {"CH4", "CH4"}, {"H2", "H2"}, {"N2", "N2"}, {"O2", "O2"}, {"H3N", "NH3"},
};

/* Hill formula from counts per atomic number. */
static void hill_from_counts(const int *count, char *out, size_t len)
{
    size_t used = 0;
    if (len) out[0] = '\0';
    int order[118], n = 0;
    int has_c = count[6] > 0;
    if (has_c) {
        order[n++] = 6;
        if (count[1] > 0) order[n++] = 1;
    }
    /* remaining elements in alphabetical order of their symbols */
    int rest[118], m = 0;
    for (int z = 1; z <= 118; z++)
        if (count[z] > 0 && !(has_c && (z == 6 || z == 1))) rest[m++] = z;
    for (int a = 1; a < m; a++)
        for (int b = a; b > 0 && strcmp(element_symbol(rest[b]), element_symbol(rest[b - 1])) < 0; b--) {
            int t = rest[b];
            rest[b] = rest[b - 1];
            rest[b - 1] = t;
        }
    for (int a = 0; a < m; a++) order[n++] = rest[a];
    for (int a = 0; a < n && used + 1 < len; a++) {
        int z = order[a];
        int w = count[z] == 1 ? snprintf(out + used, len - used, "%s", element_symbol(z))
                              : snprintf(out + used, len - used, "%s%d", element_symbol(z), count[z]);
        if (w < 0 || (size_t)w >= len - used) {
            out[used] = '\0';
            break;
        }
        used += (size_t)w;
    }
}

void frag_hill_formula(const char (*species)[4], const int *atoms, int n, char *out, size_t len)
{
    int count[119] = {0};
    for (int a = 0; a < n; a++) {
        int z = element_z(species[atoms ? atoms[a] : a]);
        if (z >= 1 && z <= 118 && count[z] < 1000000000) count[z]++;
    }
    hill_from_counts(count, out, len);
}

int frag_formula_parse(const char *text, char *hill, size_t len, ds_err *err)
{
    int count[119] = {0};
    const char *p = text;
    int any = 0;
    while (*p) {
        if (!isupper((unsigned char)*p))
            return ds_err_set(err, DS_EUSAGE, NULL, 0, "bad formula '%s': expected an element symbol at '%s'", text, p);
        char sym[4] = {*p++, 0, 0, 0};
        if (islower((unsigned char)*p)) sym[1] = *p++;
        int z = element_z(sym);
        if (!z) return ds_err_set(err, DS_EUSAGE, NULL, 0, "bad formula '%s': unknown element '%s'", text, sym);
        long c = 1;
        if (isdigit((unsigned char)*p)) {
            char *end;
            c = strtol(p, &end, 10);
            if (c < 1 || c > 100000)
                return ds_err_set(err, DS_EUSAGE, NULL, 0, "bad formula '%s': count %ld out of range", text, c);
            p = end;
        }
        count[z] += (int)c;
        any = 1;
    }
    if (!any) return ds_err_set(err, DS_EUSAGE, NULL, 0, "empty formula");
    hill_from_counts(count, hill, len);
    return DS_OK;
}

const char *frag_name_lookup(const frag_names *names, const char *hill)
{
    if (names)
        for (int i = names->n - 1; i >= 0; i--)
            if (strcmp(names->entries[i].formula, hill) == 0) return names->entries[i].name;
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (strcmp(builtin[i].formula, hill) == 0) return builtin[i].name;
    return NULL;
}

int frag_names_load(const char *path, frag_names *names, ds_err *err)
{
    ds_reader r;
    int rc = ds_reader_open(&r, path, err);
    if (rc) return rc;
    char *line;
    size_t len;
    while ((line = ds_reader_next(&r, &len))) {
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char f[128], nm[128], extra[8];
        int got = sscanf(line, "%127s %127s %7s", f, nm, extra);
        if (got <= 0) continue;
        if (got != 2) {
            rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "expected 'FORMULA NAME', got '%s'", line);
            break;
        }
        if (strlen(nm) >= FRAG_NAME_LEN) {
            rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "name '%s' longer than %d characters", nm,
                            FRAG_NAME_LEN - 1);
            break;
        }
        frag_name e;
        ds_err perr;
        if (frag_formula_parse(f, e.formula, sizeof e.formula, &perr) != DS_OK) {
            rc = ds_err_set(err, DS_EFORMAT, path, r.line_no, "%s", perr.msg);
            break;
        }
        memcpy(e.name, nm, strlen(nm) + 1); /* length checked above */
        if (names->n == names->cap) {
            int cap = names->cap ? names->cap * 2 : 16;
            frag_name *ne = realloc(names->entries, (size_t)cap * sizeof *ne);
            if (!ne) {
                rc = ds_err_set(err, DS_ENOMEM, path, r.line_no, "out of memory");
                break;
            }
            names->entries = ne;
            names->cap = cap;
        }
        names->entries[names->n++] = e;
    }
    if (!rc && r.failed) {
        rc = r.fail_err.code;
        if (err) *err = r.fail_err;
    }
    ds_reader_close(&r);
    return rc;
}

void frag_names_free(frag_names *names)
{
    free(names->entries);
    memset(names, 0, sizeof *names);
}

const char *frag_kind_name(int kind)
{
    switch (kind) {
    case FRAG_ATOM: return "atom";
    case FRAG_MOLECULE: return "molecule";
    case FRAG_EXTENDED: return "extended";
    default: return "unknown";
    }
}
