/* select: parse and resolve site selections (indices, elements, classes, and with a
 * structure: fragments, molecules by name or formula, symmetry-unique sites). */
#include "structures/select.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "structures/elements.h"
#include "structures/symmetry.h"

/* One resolution: the species, and what structure-aware terms computed (lazily). */
typedef struct {
    const char (*species)[4];
    int n;
    const select_context *ctx;
    int have_frags, have_sym;
    frag_set frags;
    sym_info sym;
} sel_state;

static int apply_term(const char *term, sel_state *st, unsigned char *mask, ds_err *err);
static void run_species_list(const char (*species)[4], int n, char *buf, size_t len);
static int (*class_of(const char *name))(int);
static int need_structure(const sel_state *st, const char *term, ds_err *err);
static int need_fragments(sel_state *st, ds_err *err);
static int term_fragment(const char *term, const char *arg, sel_state *st, unsigned char *mask, ds_err *err);
static int term_molecule(const char *term, const char *arg, sel_state *st, unsigned char *mask, ds_err *err);
static int term_unique(const char *term, const char *arg, sel_state *st, unsigned char *mask, ds_err *err);
static void fragment_list(const frag_set *f, char *buf, size_t len);
static int resolve(const char *sel, sel_state *st, unsigned char *mask, ds_err *err);

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

static int (*class_of(const char *name))(int)
{
    if (strcasecmp(name, "metals") == 0) return element_is_metal;
    if (strcasecmp(name, "transition-metals") == 0 || strcasecmp(name, "tm") == 0) return element_is_transition_metal;
    if (strcasecmp(name, "alkali") == 0) return element_is_alkali;
    if (strcasecmp(name, "alkaline-earth") == 0) return element_is_alkaline_earth;
    return NULL;
}

static int need_structure(const sel_state *st, const char *term, ds_err *err)
{
    if (st->ctx && st->ctx->atoms) return DS_OK;
    return ds_err_set(err, DS_EUSAGE, NULL, 0, "selection term '%s' needs the structure, which this command does not use",
                      term);
}

static int need_fragments(sel_state *st, ds_err *err)
{
    if (st->have_frags) return DS_OK;
    int rc = fragments_find(st->ctx->atoms, st->ctx->frag, &st->frags, err);
    if (rc == DS_OK) st->have_frags = 1;
    return rc;
}

/* fragment:N or fragment:N-M */
static int term_fragment(const char *term, const char *arg, sel_state *st, unsigned char *mask, ds_err *err)
{
    char *end;
    long a = strtol(arg, &end, 10), b = a;
    if (end != arg && *end == '-') b = strtol(end + 1, &end, 10);
    if (!isdigit((unsigned char)arg[0]) || *end || a < 1 || b < a)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "bad term '%s' (expected fragment:N or fragment:N-M, from 1)", term);
    int rc = need_fragments(st, err);
    if (rc) return rc;
    if (b > st->frags.n_fragments)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "fragment %ld in '%s' is beyond the %d fragments of the structure", b,
                          term, st->frags.n_fragments);
    for (long f = a; f <= b; f++) {
        const fragment *fr = &st->frags.fragments[f - 1];
        for (int k = 0; k < fr->n_atoms; k++) mask[fr->atoms[k]] = 1;
    }
    return DS_OK;
}

/* molecule:NAME (table name, case-insensitive) or molecule:FORMULA */
static int term_molecule(const char *term, const char *arg, sel_state *st, unsigned char *mask, ds_err *err)
{
    if (!arg[0]) return ds_err_set(err, DS_EUSAGE, NULL, 0, "bad term '%s' (expected molecule:NAME or molecule:FORMULA)", term);
    int rc = need_fragments(st, err);
    if (rc) return rc;
    char hill[FRAG_FORMULA_LEN] = "";
    ds_err perr;
    int is_formula = frag_formula_parse(arg, hill, sizeof hill, &perr) == DS_OK;
    for (int f = 0; f < st->frags.n_fragments; f++) {
        const fragment *fr = &st->frags.fragments[f];
        if ((fr->name[0] && strcasecmp(fr->name, arg) == 0) || (is_formula && strcmp(fr->formula, hill) == 0))
            for (int k = 0; k < fr->n_atoms; k++) mask[fr->atoms[k]] = 1;
    }
    return DS_OK;
}

/* unique:El or unique:CLASS */
static int term_unique(const char *term, const char *arg, sel_state *st, unsigned char *mask, ds_err *err)
{
    int (*cls)(int) = class_of(arg);
    int all = strcasecmp(arg, "all") == 0;
    if (!cls && !all && element_z(arg) == 0)
        return ds_err_set(err, DS_EUSAGE, NULL, 0,
                          "bad term '%s' (expected unique:ELEMENT, e.g. unique:Fe, or unique:metals, "
                          "unique:transition-metals, unique:alkali, unique:alkaline-earth, unique:all)",
                          term);
    const cell_atoms *at = st->ctx->atoms;
    if (!cell_fully_periodic(&at->cell))
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "'%s' needs a periodic cell (symmetry); this structure is not periodic",
                          term);
    if (!st->have_sym) {
        double symprec = st->ctx->symprec_angstrom > 0 ? st->ctx->symprec_angstrom : 1e-3;
        int rc = sym_analyse(at->s, at->species, symprec, &st->sym, err);
        if (rc) return rc;
        st->have_sym = 1;
    }
    /* the first atom of each equivalence class (classes are named by an atom index) */
    unsigned char *seen = calloc((size_t)st->n, 1);
    if (!seen) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < st->n; i++) {
        int cls_id = st->sym.equivalent_atoms[i];
        int first = cls_id >= 0 && cls_id < st->n && !seen[cls_id];
        if (cls_id >= 0 && cls_id < st->n) seen[cls_id] = 1;
        int z = element_z(st->species[i]);
        if (first && (all || (cls ? cls(z) : strcmp(st->species[i], arg) == 0))) mask[i] = 1;
    }
    free(seen);
    return DS_OK;
}

static int apply_term(const char *term, sel_state *st, unsigned char *mask, ds_err *err)
{
    const char (*species)[4] = st->species;
    int n = st->n;
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
    const char *colon = strchr(term, ':');
    if (colon) {
        size_t klen = (size_t)(colon - term);
        const char *arg = colon + 1;
        int is_frag = klen == 8 && strncasecmp(term, "fragment", 8) == 0;
        int is_mol = klen == 8 && strncasecmp(term, "molecule", 8) == 0;
        int is_uniq = klen == 6 && strncasecmp(term, "unique", 6) == 0;
        if (!is_frag && !is_mol && !is_uniq)
            return ds_err_set(err, DS_EUSAGE, NULL, 0,
                              "unknown selection term '%s' (prefixed terms: fragment:N, molecule:NAME, unique:El)", term);
        int rc = need_structure(st, term, err);
        if (rc) return rc;
        if (is_frag) return term_fragment(term, arg, st, mask, err);
        if (is_mol) return term_molecule(term, arg, st, mask, err);
        return term_unique(term, arg, st, mask, err);
    }
    if (strcasecmp(term, "all") == 0) {
        memset(mask, 1, (size_t)n);
        return DS_OK;
    }
    int (*cls)(int) = class_of(term);
    if (cls) {
        for (int i = 0; i < n; i++)
            if (cls(element_z(species[i]))) mask[i] = 1;
        return DS_OK;
    }
    if (element_z(term) == 0)
        return ds_err_set(err, DS_EUSAGE, NULL, 0,
                          "unknown selection term '%s' (indices 1,5-8; element symbols; all, metals, "
                          "transition-metals, alkali, alkaline-earth; fragment:N, molecule:NAME, unique:El)",
                          term);
    for (int i = 0; i < n; i++)
        if (strcmp(species[i], term) == 0) mask[i] = 1;
    return DS_OK;
}

static void fragment_list(const frag_set *f, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < f->n_fragments; k++) {
        const fragment *fr = &f->fragments[k];
        int w = fr->name[0] ? snprintf(buf + used, len - used, "%s%d %s (%s)", k ? ", " : "", k + 1, fr->name, fr->formula)
                            : snprintf(buf + used, len - used, "%s%d %s", k ? ", " : "", k + 1, fr->formula);
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
    }
}

static int resolve(const char *sel, sel_state *st, unsigned char *mask, ds_err *err)
{
    int n = st->n;
    memset(mask, 0, (size_t)n);
    if (!sel || !*sel) return ds_err_set(err, DS_EUSAGE, NULL, 0, "empty selection");
    char *copy = strdup(sel);
    if (!copy) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    int rc = DS_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && rc == DS_OK; tok = strtok_r(NULL, ",", &save)) {
        char term[64];
        ds_copy_trim(term, sizeof term, tok, tok + strlen(tok));
        if (!term[0]) continue;
        rc = apply_term(term, st, mask, err);
    }
    free(copy);
    if (rc) return rc;
    for (int i = 0; i < n; i++)
        if (mask[i]) return DS_OK;
    char have[256];
    run_species_list(st->species, n, have, sizeof have);
    if (st->have_frags) {
        char frags[512];
        fragment_list(&st->frags, frags, sizeof frags);
        return ds_err_set(err, DS_ENODATA, NULL, 0, "selection '%s' matches no atom; the structure has %s; fragments %s",
                          sel, have, frags);
    }
    return ds_err_set(err, DS_ENODATA, NULL, 0, "selection '%s' matches no atom; the run has %s", sel, have);
}

int select_atoms(const char *sel, const char (*species)[4], int n, unsigned char *mask, ds_err *err)
{
    sel_state st;
    memset(&st, 0, sizeof st);
    st.species = species;
    st.n = n;
    return resolve(sel, &st, mask, err);
}

int select_atoms_ext(const char *sel, const select_context *ctx, unsigned char *mask, ds_err *err)
{
    if (!ctx || !ctx->atoms) return ds_err_set(err, DS_EUSAGE, NULL, 0, "no structure to select from");
    sel_state st;
    memset(&st, 0, sizeof st);
    st.species = ctx->atoms->species;
    st.n = ctx->atoms->n_atoms;
    st.ctx = ctx;
    int rc = resolve(sel, &st, mask, err);
    if (st.have_frags) frag_set_free(&st.frags);
    if (st.have_sym) sym_info_free(&st.sym);
    return rc;
}
