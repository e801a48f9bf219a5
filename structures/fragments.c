/* fragments: bonding by covalent radii, periodic-aware union-find (with the lattice
 * translation between each atom and its set's root, so that rings through the boundary
 * reveal infinite fragments), and the metal-ligand bridging rule of fragments.h. */
#include "structures/fragments.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structures/covalent.h"
#include "structures/elements.h"
#include "structures/neighbors.h"
#include "structures/select.h"

/* Union-find over atoms.  off[x] is the lattice translation of x relative to parent[x]:
 * in the frame of the set, x sits at positions[x] + (sum of offs up to the root) . L.
 * Each root keeps a basis (rank <= 3) of the translations that map its set onto itself. */
typedef struct {
    int n;
    int *parent, *size;
    int (*off)[3];
    int *rank;                /* per root: number of independent self-translations */
    int (*basis)[3][3];       /* per root */
} uf_t;

static int uf_init(uf_t *u, int n);
static void uf_free(uf_t *u);
static int uf_find(uf_t *u, int x, int t[3]);
static void uf_add_translation(uf_t *u, int root, const int t[3]);
static void uf_union(uf_t *u, int i, int j, const int image[3]);

/* Bonding criterion and overlap watch for the neighbour search. */
typedef struct {
    const double *radius;
    double tolerance;
    double min_distance;
    int close_i, close_j;
    double close_d;
} bond_ctx;

static int keep_bond(void *ctx, int i, int j, double d);
static int find_bridging(uf_t *u0, const nb_list *bonds, const unsigned char *is_metal, int n, unsigned char *bridging);

static int uf_init(uf_t *u, int n)
{
    memset(u, 0, sizeof *u);
    u->n = n;
    u->parent = malloc((size_t)n * sizeof *u->parent);
    u->size = malloc((size_t)n * sizeof *u->size);
    u->off = calloc((size_t)n, sizeof *u->off);
    u->rank = calloc((size_t)n, sizeof *u->rank);
    u->basis = calloc((size_t)n, sizeof *u->basis);
    if (!u->parent || !u->size || !u->off || !u->rank || !u->basis) {
        uf_free(u);
        return DS_ENOMEM;
    }
    for (int i = 0; i < n; i++) u->parent[i] = i, u->size[i] = 1;
    return DS_OK;
}

static void uf_free(uf_t *u)
{
    free(u->parent);
    free(u->size);
    free(u->off);
    free(u->rank);
    free(u->basis);
    memset(u, 0, sizeof *u);
}

/* Root of x; t = translation of x relative to the root.  Compresses the path. */
static int uf_find(uf_t *u, int x, int t[3])
{
    int root = x, acc[3] = {0, 0, 0};
    while (u->parent[root] != root) {
        for (int k = 0; k < 3; k++) acc[k] += u->off[root][k];
        root = u->parent[root];
    }
    if (t) memcpy(t, acc, sizeof acc);
    /* second pass: point every node on the path at the root with its full offset */
    int y = x, rem[3] = {acc[0], acc[1], acc[2]};
    while (u->parent[y] != root && u->parent[y] != y) {
        int next = u->parent[y];
        int own[3] = {u->off[y][0], u->off[y][1], u->off[y][2]};
        memcpy(u->off[y], rem, sizeof rem);
        u->parent[y] = root;
        for (int k = 0; k < 3; k++) rem[k] -= own[k];
        y = next;
    }
    return root;
}

/* Adds t to the root's translation basis when it is independent of what is there. */
static void uf_add_translation(uf_t *u, int root, const int t[3])
{
    if (!t[0] && !t[1] && !t[2]) return;
    int r = u->rank[root];
    if (r >= 3) return;
    int (*b)[3] = u->basis[root];
    if (r == 1) {
        long long c0 = (long long)b[0][1] * t[2] - (long long)b[0][2] * t[1];
        long long c1 = (long long)b[0][2] * t[0] - (long long)b[0][0] * t[2];
        long long c2 = (long long)b[0][0] * t[1] - (long long)b[0][1] * t[0];
        if (!c0 && !c1 && !c2) return;
    } else if (r == 2) {
        long long c0 = (long long)b[0][1] * b[1][2] - (long long)b[0][2] * b[1][1];
        long long c1 = (long long)b[0][2] * b[1][0] - (long long)b[0][0] * b[1][2];
        long long c2 = (long long)b[0][0] * b[1][1] - (long long)b[0][1] * b[1][0];
        if (c0 * t[0] + c1 * t[1] + c2 * t[2] == 0) return;
    }
    memcpy(b[r], t, sizeof b[r]);
    u->rank[root] = r + 1;
}

/* Bond between i and the image of j at positions[j] + image . L. */
static void uf_union(uf_t *u, int i, int j, const int image[3])
{
    int ti[3], tj[3];
    int ri = uf_find(u, i, ti), rj = uf_find(u, j, tj);
    /* in ri's frame, j must sit at ti + image; it sits at tj in rj's frame */
    int d[3] = {ti[0] + image[0] - tj[0], ti[1] + image[1] - tj[1], ti[2] + image[2] - tj[2]};
    if (ri == rj) {
        uf_add_translation(u, ri, d);
        return;
    }
    /* attach the smaller set; d is rj's origin in ri's frame */
    if (u->size[ri] < u->size[rj]) {
        int t = ri;
        ri = rj;
        rj = t;
        for (int k = 0; k < 3; k++) d[k] = -d[k];
    }
    u->parent[rj] = ri;
    memcpy(u->off[rj], d, sizeof d);
    u->size[ri] += u->size[rj];
    for (int r = 0; r < u->rank[rj]; r++) uf_add_translation(u, ri, u->basis[rj][r]);
}

void frag_opts_default(frag_opts *opts)
{
    opts->tolerance = 1.2;
    opts->min_distance = 0.5;
    opts->names = NULL;
}

void frag_set_free(frag_set *set)
{
    if (set->fragments)
        for (int f = 0; f < set->n_fragments; f++) free(set->fragments[f].atoms);
    free(set->fragments);
    free(set->fragment_of);
    free(set->unwrapped);
    memset(set, 0, sizeof *set);
}


static int keep_bond(void *ctx, int i, int j, double d)
{
    bond_ctx *b = ctx;
    if (d < b->min_distance && d < b->close_d) {
        b->close_d = d;
        b->close_i = i;
        b->close_j = j;
    }
    return d <= b->tolerance * (b->radius[i] + b->radius[j]);
}

/* Metal-ligand bridging: which ligand sets (roots of the metal-free network) join the
 * metals they touch: those that touch two or more distinct metal atoms (or two images of
 * one), single atoms, and infinite ones.  bridging[root] = 1 for those. */
static int find_bridging(uf_t *u0, const nb_list *bonds, const unsigned char *is_metal, int n, unsigned char *bridging)
{
    /* first metal contact per ligand root: metal atom and its translation in the root frame */
    int *first_m = malloc((size_t)n * sizeof *first_m);
    int (*first_t)[3] = malloc((size_t)n * sizeof *first_t);
    if (!first_m || !first_t) {
        free(first_m);
        free(first_t);
        return DS_ENOMEM;
    }
    for (int a = 0; a < n; a++) first_m[a] = -1;
    memset(bridging, 0, (size_t)n);
    for (size_t p = 0; p < bonds->n_pairs; p++) {
        const nb_pair *b = &bonds->pairs[p];
        if (is_metal[b->i] == is_metal[b->j]) continue;
        int x = is_metal[b->i] ? b->j : b->i, m = is_metal[b->i] ? b->i : b->j;
        /* metal image seen from x: +image when x is i, -image when x is j */
        int sign = x == b->i ? 1 : -1;
        int tx[3];
        int root = uf_find(u0, x, tx);
        /* already infinite, or a single atom (oxo, nitride, hydride, halide): it belongs
         * with the metal, nothing to keep apart */
        if (u0->rank[root] > 0 || u0->size[root] == 1) {
            bridging[root] = 1;
            continue;
        }
        int tm[3] = {tx[0] + sign * b->image[0], tx[1] + sign * b->image[1], tx[2] + sign * b->image[2]};
        if (first_m[root] < 0) {
            first_m[root] = m;
            memcpy(first_t[root], tm, sizeof tm);
        } else if (first_m[root] != m || memcmp(first_t[root], tm, sizeof tm) != 0)
            bridging[root] = 1;
    }
    free(first_m);
    free(first_t);
    return DS_OK;
}

int fragments_find(const cell_atoms *atoms, const frag_opts *opts_in, frag_set *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    frag_opts opts;
    if (opts_in) opts = *opts_in;
    else frag_opts_default(&opts);
    if (!(opts.tolerance > 0) || opts.tolerance > 5)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "bond tolerance must be in (0, 5], got %g", opts.tolerance);
    int n = atoms->n_atoms;
    const double (*pos)[3] = (const double (*)[3])atoms->s->positions_angstrom;
    double *radius = malloc((size_t)n * sizeof *radius);
    unsigned char *is_metal = malloc((size_t)n);
    unsigned char *bridging = malloc((size_t)n);
    if (!radius || !is_metal || !bridging) {
        free(radius);
        free(is_metal);
        free(bridging);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for %d atoms", n);
    }
    double rmax = 0;
    int rc = DS_OK;
    for (int a = 0; a < n && !rc; a++) {
        int z = element_z(atoms->species[a]);
        radius[a] = covalent_radius(z);
        is_metal[a] = (unsigned char)element_is_metal(z);
        if (radius[a] <= 0)
            rc = ds_err_set(err, DS_EFORMAT, NULL, 0, "atom %d: no covalent radius for element '%.3s'", a + 1,
                            atoms->species[a]);
        if (radius[a] > rmax) rmax = radius[a];
    }
    bond_ctx bc = {radius, opts.tolerance, opts.min_distance, -1, -1, INFINITY};
    nb_list bonds = {0, 0, NULL};
    if (!rc) {
        double cutoff = 2 * rmax * opts.tolerance;
        if (opts.min_distance > cutoff) cutoff = opts.min_distance;
        rc = neighbors_find(&atoms->cell, pos, n, cutoff, keep_bond, &bc, 0, &bonds, err);
    }
    if (!rc && bc.close_i >= 0) {
        if (bc.close_i == bc.close_j)
            rc = ds_err_set(err, DS_EFORMAT, NULL, 0,
                            "atom %d (%.3s) overlaps its own periodic image: %.3f A apart (closer than %g A); the cell "
                            "is too small",
                            bc.close_i + 1, atoms->species[bc.close_i], bc.close_d, opts.min_distance);
        else
            rc = ds_err_set(err, DS_EFORMAT, NULL, 0, "atoms %d (%.3s) and %d (%.3s) overlap: %.3f A apart (closer than %g A)",
                            bc.close_i + 1, atoms->species[bc.close_i], bc.close_j + 1, atoms->species[bc.close_j],
                            bc.close_d, opts.min_distance);
    }
    uf_t u0, u1;
    memset(&u0, 0, sizeof u0);
    memset(&u1, 0, sizeof u1);
    if (!rc && (uf_init(&u0, n) || uf_init(&u1, n))) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    if (!rc) {
        /* covalent network: every bond except metal-ligand contacts */
        for (size_t p = 0; p < bonds.n_pairs; p++) {
            const nb_pair *b = &bonds.pairs[p];
            if (is_metal[b->i] != is_metal[b->j]) continue;
            uf_union(&u0, b->i, b->j, b->image);
            uf_union(&u1, b->i, b->j, b->image);
        }
        if (find_bridging(&u0, &bonds, is_metal, n, bridging)) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    if (!rc)
        for (size_t p = 0; p < bonds.n_pairs; p++) {
            const nb_pair *b = &bonds.pairs[p];
            if (is_metal[b->i] == is_metal[b->j]) continue;
            int x = is_metal[b->i] ? b->j : b->i;
            if (bridging[uf_find(&u0, x, NULL)]) uf_union(&u1, b->i, b->j, b->image);
        }
    if (!rc) {
        out->n_atoms = n;
        out->fragment_of = malloc((size_t)n * sizeof *out->fragment_of);
        out->unwrapped = malloc((size_t)n * sizeof *out->unwrapped);
        out->fragments = calloc((size_t)n, sizeof *out->fragments);
        if (!out->fragment_of || !out->unwrapped || !out->fragments)
            rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    if (!rc) {
        /* fragments numbered in order of their first atom; atoms join in ascending order */
        int *root_to_frag = malloc((size_t)n * sizeof *root_to_frag);
        if (!root_to_frag) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
        for (int a = 0; a < n && !rc; a++) root_to_frag[a] = -1;
        for (int a = 0; a < n && !rc; a++) {
            int t[3];
            int root = uf_find(&u1, a, t);
            if (root_to_frag[root] < 0) {
                root_to_frag[root] = out->n_fragments;
                fragment *f = &out->fragments[out->n_fragments++];
                f->atoms = malloc((size_t)u1.size[root] * sizeof *f->atoms);
                if (!f->atoms) {
                    rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
                    break;
                }
                f->periodic_dimension = u1.rank[root];
            }
            fragment *f = &out->fragments[root_to_frag[root]];
            f->atoms[f->n_atoms++] = a;
            out->fragment_of[a] = root_to_frag[root];
            for (int k = 0; k < 3; k++)
                out->unwrapped[a][k] = pos[a][k] + (atoms->cell.has_lattice
                                                        ? t[0] * atoms->cell.lattice[0][k] + t[1] * atoms->cell.lattice[1][k] +
                                                              t[2] * atoms->cell.lattice[2][k]
                                                        : 0);
        }
        free(root_to_frag);
    }
    for (int f = 0; f < out->n_fragments && !rc; f++) {
        fragment *fr = &out->fragments[f];
        frag_hill_formula(atoms->species, fr->atoms, fr->n_atoms, fr->formula, sizeof fr->formula);
        fr->kind = fr->periodic_dimension > 0 ? FRAG_EXTENDED : fr->n_atoms == 1 ? FRAG_ATOM : FRAG_MOLECULE;
        const char *nm = fr->kind == FRAG_EXTENDED ? NULL : frag_name_lookup(opts.names, fr->formula);
        snprintf(fr->name, sizeof fr->name, "%s", nm ? nm : "");
    }
    uf_free(&u0);
    uf_free(&u1);
    nb_list_free(&bonds);
    free(radius);
    free(is_metal);
    free(bridging);
    if (rc) frag_set_free(out);
    return rc;
}
