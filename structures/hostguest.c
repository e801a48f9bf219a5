/* hostguest: guest atoms of a complex from its host and guest parts (see hostguest.h). */
#include "structures/hostguest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/elements.h"

static void counts_of(const cell_atoms *a, int count[119]);
static int check_composition(const cell_atoms *c, const cell_atoms *h, const cell_atoms *g, ds_err *err);
static int count_formula(const frag_set *set, const char *formula);
static void centroid(const frag_set *set, int f, double out[3]);
static int map_by_fragments(const cell_atoms *c, const frag_set *fc, const frag_set *fh, const frag_set *fg,
                            unsigned char *guest, int *ok);
static int map_by_order(const cell_atoms *c, const cell_atoms *h, const cell_atoms *g, unsigned char *guest,
                        char *method, size_t len);
static int same_species(const cell_atoms *a, int from, const cell_atoms *b);
static void list_formulas(const frag_set *s, char *buf, size_t len);

static void counts_of(const cell_atoms *a, int count[119])
{
    memset(count, 0, 119 * sizeof *count);
    for (int i = 0; i < a->n_atoms; i++) {
        int z = element_z(a->species[i]);
        if (z > 0 && z <= 118) count[z]++;
    }
}

static int check_composition(const cell_atoms *c, const cell_atoms *h, const cell_atoms *g, ds_err *err)
{
    int cc[119], ch[119], cg[119];
    counts_of(c, cc);
    counts_of(h, ch);
    counts_of(g, cg);
    char diff[512] = "";
    size_t used = 0;
    for (int z = 1; z <= 118; z++) {
        if (cc[z] == ch[z] + cg[z]) continue;
        int w = snprintf(diff + used, sizeof diff - used, "%s%s: complex %d, host %d + guest %d", used ? "; " : "",
                         element_symbol(z), cc[z], ch[z], cg[z]);
        if (w < 0 || (size_t)w >= sizeof diff - used) break;
        used += (size_t)w;
    }
    if (used) return ds_err_set(err, DS_EFORMAT, NULL, 0, "the complex is not host + guest (%s)", diff);
    return DS_OK;
}

static int count_formula(const frag_set *set, const char *formula)
{
    int n = 0;
    for (int f = 0; f < set->n_fragments; f++)
        if (strcmp(set->fragments[f].formula, formula) == 0) n++;
    return n;
}

static void centroid(const frag_set *set, int f, double out[3])
{
    const fragment *fr = &set->fragments[f];
    out[0] = out[1] = out[2] = 0;
    for (int a = 0; a < fr->n_atoms; a++)
        for (int k = 0; k < 3; k++) out[k] += set->unwrapped[fr->atoms[a]][k] / fr->n_atoms;
}

/* Sets *ok = 1 and fills guest when the fragments decompose; returns DS_ENOMEM only. */
static int map_by_fragments(const cell_atoms *c, const frag_set *fc, const frag_set *fh, const frag_set *fg,
                            unsigned char *guest, int *ok)
{
    *ok = 0;
    /* every formula of any of the three must balance: complex = host + guest */
    const frag_set *sets[3] = {fc, fh, fg};
    for (int s = 0; s < 3; s++)
        for (int f = 0; f < sets[s]->n_fragments; f++) {
            const char *F = sets[s]->fragments[f].formula;
            if (count_formula(fc, F) != count_formula(fh, F) + count_formula(fg, F)) return DS_OK;
        }
    int nf = fc->n_fragments;
    unsigned char *is_guest = calloc((size_t)nf, 1), *done = calloc((size_t)nf, 1);
    int *cand = malloc((size_t)nf * sizeof *cand);
    int *hosts = malloc(((size_t)fh->n_fragments + 1) * sizeof *hosts);
    if (!is_guest || !done || !cand || !hosts) {
        free(is_guest), free(done), free(cand), free(hosts);
        return DS_ENOMEM;
    }
    for (int f = 0; f < nf; f++) {
        if (done[f]) continue;
        const char *F = fc->fragments[f].formula;
        int n_c = 0, n_h = 0;
        for (int q = 0; q < nf; q++)
            if (strcmp(fc->fragments[q].formula, F) == 0) cand[n_c++] = q, done[q] = 1;
        for (int q = 0; q < fh->n_fragments; q++)
            if (strcmp(fh->fragments[q].formula, F) == 0) hosts[n_h++] = q;
        /* greedy: repeatedly give the closest (complex fragment, host fragment) pair to the
         * host; what is left of this formula is guest */
        unsigned char *taken = calloc((size_t)n_c + (size_t)n_h + 1, 1);
        if (!taken) {
            free(is_guest), free(done), free(cand), free(hosts);
            return DS_ENOMEM;
        }
        for (int round = 0; round < n_h; round++) {
            double best = INFINITY;
            int bi = -1, bj = -1;
            for (int i = 0; i < n_c; i++) {
                if (taken[i]) continue;
                double ci[3];
                centroid(fc, cand[i], ci);
                for (int j = 0; j < n_h; j++) {
                    if (taken[n_c + j]) continue;
                    double hj[3];
                    centroid(fh, hosts[j], hj);
                    double d = cell_distance(&c->cell, ci, hj, NULL, NULL);
                    if (d < best || bi < 0) best = d, bi = i, bj = j;
                }
            }
            taken[bi] = 1;
            taken[n_c + bj] = 1;
        }
        for (int i = 0; i < n_c; i++) is_guest[cand[i]] = !taken[i];
        free(taken);
    }
    for (int a = 0; a < c->n_atoms; a++) guest[a] = is_guest[fc->fragment_of[a]];
    free(is_guest), free(done), free(cand), free(hosts);
    *ok = 1;
    return DS_OK;
}

static int same_species(const cell_atoms *a, int from, const cell_atoms *b)
{
    for (int i = 0; i < b->n_atoms; i++)
        if (strcmp(a->species[from + i], b->species[i]) != 0) return 0;
    return 1;
}

static int map_by_order(const cell_atoms *c, const cell_atoms *h, const cell_atoms *g, unsigned char *guest,
                        char *method, size_t len)
{
    int nh = h->n_atoms, ng = g->n_atoms;
    if (same_species(c, 0, h) && same_species(c, nh, g)) {
        for (int a = 0; a < c->n_atoms; a++) guest[a] = a >= nh;
        snprintf(method, len, "atom order (host first)");
        return 1;
    }
    if (same_species(c, 0, g) && same_species(c, ng, h)) {
        for (int a = 0; a < c->n_atoms; a++) guest[a] = a < ng;
        snprintf(method, len, "atom order (guest first)");
        return 1;
    }
    return 0;
}

static void list_formulas(const frag_set *s, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < s->n_fragments; f++) {
        int w = snprintf(buf + used, len - used, "%s%s", f ? " + " : "", s->fragments[f].formula);
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
    }
}

int hostguest_map(const cell_atoms *c, const cell_atoms *h, const cell_atoms *g, const frag_opts *opts, hg_map *out,
                  ds_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_composition(c, h, g, err);
    if (rc) return rc;
    out->n_atoms = c->n_atoms;
    out->guest = calloc((size_t)c->n_atoms, 1);
    if (!out->guest) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    frag_set fc, fh, fg;
    memset(&fh, 0, sizeof fh);
    memset(&fg, 0, sizeof fg);
    rc = fragments_find(c, opts, &fc, err);
    if (rc) {
        hg_map_free(out);
        return rc;
    }
    ds_err perr;
    int have_parts = fragments_find(h, opts, &fh, &perr) == DS_OK && fragments_find(g, opts, &fg, &perr) == DS_OK;
    int ok = 0;
    if (have_parts && map_by_fragments(c, &fc, &fh, &fg, out->guest, &ok))
        rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    if (!rc && ok) snprintf(out->method, sizeof out->method, "fragments");
    if (!rc && !ok && !map_by_order(c, h, g, out->guest, out->method, sizeof out->method)) {
        char lc[256], lh[256], lg[256];
        list_formulas(&fc, lc, sizeof lc);
        list_formulas(&fh, lh, sizeof lh);
        list_formulas(&fg, lg, sizeof lg);
        rc = ds_err_set(err, DS_ENODATA, NULL, 0,
                        "cannot tell which atoms are the guest: the complex's fragments (%s) do not split into the "
                        "host's (%s) and the guest's (%s), and its atom order is neither host + guest nor guest + host",
                        lc, have_parts ? lh : "?", have_parts ? lg : "?");
    }
    frag_set_free(&fc);
    frag_set_free(&fh);
    frag_set_free(&fg);
    if (rc) {
        hg_map_free(out);
        return rc;
    }
    for (int a = 0; a < c->n_atoms; a++) out->n_guest += out->guest[a];
    return DS_OK;
}

void hg_map_free(hg_map *map)
{
    free(map->guest);
    memset(map, 0, sizeof *map);
}
