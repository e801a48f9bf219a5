/* neighbors: cell-list neighbour search in the reduced basis of any triclinic cell.
 *
 * Atoms are binned by their (wrapped) fractional coordinates along the reduced vectors.
 * A bin is at least one cutoff wide measured perpendicular to its faces (the lattice-plane
 * height), so two atoms within the cutoff differ by at most ceil(cutoff * nbins / height)
 * bins along each axis, whatever the angles; searching that many bins to either side, with
 * the periodic shift each wrapped bin index implies, finds every image exactly once. */
#include "structures/neighbors.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Everything the search needs per atom and per axis. */
typedef struct {
    int nb[3];          /* bins per axis */
    int reach[3];       /* bins searched to either side */
    double origin[3], span[3];
    int periodic[3];
    size_t *bin_start;  /* CSR of atoms per bin */
    int *bin_atoms;
    int *bin_of;        /* flat bin index per atom */
    int (*shift)[3];    /* wrap shift per atom (reduced basis) */
} nb_grid;

static int push_pair(nb_list *out, size_t max_pairs, const nb_pair *p, ds_err *err);
static int floor_div(int a, int b);
static void grid_free(nb_grid *g);
static int grid_build(const ds_cell *cell, const double (*pos)[3], int n, double cutoff, nb_grid *g, ds_err *err);
static int image_positive(const int im[3]);

static int floor_div(int a, int b)
{
    int q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static int push_pair(nb_list *out, size_t max_pairs, const nb_pair *p, ds_err *err)
{
    if (out->n_pairs == out->cap) {
        if (out->n_pairs >= max_pairs)
            return ds_err_set(err, DS_ENOMEM, NULL, 0, "more than %zu neighbour pairs: cutoff too large for this structure",
                              max_pairs);
        size_t cap = out->cap ? out->cap * 2 : 1024;
        if (cap > max_pairs) cap = max_pairs;
        nb_pair *np = realloc(out->pairs, cap * sizeof *np);
        if (!np) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for %zu neighbour pairs", cap);
        out->pairs = np;
        out->cap = cap;
    }
    out->pairs[out->n_pairs++] = *p;
    return DS_OK;
}

void nb_list_free(nb_list *list)
{
    free(list->pairs);
    memset(list, 0, sizeof *list);
}


static void grid_free(nb_grid *g)
{
    free(g->bin_start);
    free(g->bin_atoms);
    free(g->bin_of);
    free(g->shift);
}

static int grid_build(const ds_cell *cell, const double (*pos)[3], int n, double cutoff, nb_grid *g, ds_err *err)
{
    memset(g, 0, sizeof *g);
    double (*frac)[3] = malloc((size_t)n * sizeof *frac);
    g->shift = malloc((size_t)n * sizeof *g->shift);
    g->bin_of = malloc((size_t)n * sizeof *g->bin_of);
    if (!frac || !g->shift || !g->bin_of) {
        free(frac);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for %d atoms", n);
    }
    int has_pbc = cell->has_lattice;
    for (int k = 0; k < 3; k++) g->periodic[k] = has_pbc && cell->pbc[k];
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int a = 0; a < n; a++) {
        cell_to_reduced_fractional(cell, pos[a], frac[a]);
        cell_wrap_fractional(cell, frac[a], g->shift[a]);
        for (int k = 0; k < 3; k++) {
            if (frac[a][k] < lo[k]) lo[k] = frac[a][k];
            if (frac[a][k] > hi[k]) hi[k] = frac[a][k];
        }
    }
    double delta[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        g->origin[k] = g->periodic[k] ? 0.0 : lo[k];
        g->span[k] = g->periodic[k] ? 1.0 : hi[k] - lo[k];
        double width = g->span[k] * cell->reduced_height[k]; /* Angstrom across the bins */
        /* bins a hair wider than the cutoff keep the reach at 1 with a safety margin */
        double nbd = width / (cutoff * (1 + 1e-6));
        g->nb[k] = nbd >= 1 ? (nbd > 1e6 ? 1000000 : (int)nbd) : 1;
    }
    /* Keep the bin count near the atom count (empty bins cost memory and time). */
    double limit = 8.0 * n + 64;
    for (;;) {
        double prod = (double)g->nb[0] * g->nb[1] * g->nb[2];
        if (prod <= limit) break;
        double factor = cbrt(prod / limit) * 1.01;
        for (int k = 0; k < 3; k++) g->nb[k] = g->nb[k] / factor >= 1 ? (int)(g->nb[k] / factor) : 1;
    }
    for (int k = 0; k < 3; k++) {
        double width = g->span[k] * cell->reduced_height[k];
        if (!g->periodic[k] && g->nb[k] == 1) {
            g->reach[k] = 0;
            continue;
        }
        delta[k] = cutoff * g->nb[k] / width;
        if (!(delta[k] <= 1e6)) {
            free(frac);
            return ds_err_set(err, DS_EUSAGE, NULL, 0,
                              "cutoff %g A needs more than a million periodic images of this cell", cutoff);
        }
        /* the margin covers rounding in the bin coordinates (|x_i - x_j| <= delta exactly) */
        g->reach[k] = (int)ceil(delta[k] + 1e-9);
        if (g->reach[k] < 1) g->reach[k] = 1;
        if (!g->periodic[k] && g->reach[k] > g->nb[k] - 1) g->reach[k] = g->nb[k] - 1;
    }
    double images = 1;
    for (int k = 0; k < 3; k++) images *= 2.0 * g->reach[k] + 1;
    if (images > 1e6) {
        free(frac);
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "cutoff %g A needs more than a million periodic images of this cell",
                          cutoff);
    }
    size_t n_bins = (size_t)g->nb[0] * (size_t)g->nb[1] * (size_t)g->nb[2];
    g->bin_start = calloc(n_bins + 1, sizeof *g->bin_start);
    g->bin_atoms = malloc((size_t)n * sizeof *g->bin_atoms);
    if (!g->bin_start || !g->bin_atoms) {
        free(frac);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for %zu bins", n_bins);
    }
    for (int a = 0; a < n; a++) {
        int b[3];
        for (int k = 0; k < 3; k++) {
            double x = g->span[k] > 0 ? (frac[a][k] - g->origin[k]) / g->span[k] * g->nb[k] : 0;
            b[k] = x > 0 ? (x < g->nb[k] ? (int)x : g->nb[k] - 1) : 0;
        }
        g->bin_of[a] = (b[0] * g->nb[1] + b[1]) * g->nb[2] + b[2];
        g->bin_start[g->bin_of[a] + 1]++;
    }
    for (size_t b = 0; b < n_bins; b++) g->bin_start[b + 1] += g->bin_start[b];
    size_t *fill = malloc(n_bins * sizeof *fill);
    if (!fill) {
        free(frac);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for %zu bins", n_bins);
    }
    memcpy(fill, g->bin_start, n_bins * sizeof *fill);
    for (int a = 0; a < n; a++) g->bin_atoms[fill[g->bin_of[a]]++] = a;
    free(fill);
    free(frac);
    return DS_OK;
}

/* A self pair (atom and its own image) is kept for one of image / -image only. */
static int image_positive(const int im[3])
{
    for (int k = 0; k < 3; k++)
        if (im[k] != 0) return im[k] > 0;
    return 0;
}

int neighbors_find(const ds_cell *cell, const double (*pos)[3], int n, double cutoff, nb_keep_fn keep, void *keep_ctx,
                   size_t max_pairs, nb_list *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    if (!(cutoff > 0) || !isfinite(cutoff))
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "neighbour cutoff must be a positive number of Angstrom, got %g", cutoff);
    if (n <= 0) return DS_OK;
    if (max_pairs == 0) max_pairs = (size_t)1 << 25;
    nb_grid g;
    int rc = grid_build(cell, pos, n, cutoff, &g, err);
    if (rc) {
        grid_free(&g);
        return rc;
    }
    double cut2 = cutoff * cutoff;
    for (int i = 0; i < n && rc == DS_OK; i++) {
        int bi = g.bin_of[i];
        int b[3] = {bi / (g.nb[1] * g.nb[2]), (bi / g.nb[2]) % g.nb[1], bi % g.nb[2]};
        for (int o0 = -g.reach[0]; o0 <= g.reach[0] && rc == DS_OK; o0++) {
            int c0 = b[0] + o0, s0 = 0;
            if (g.periodic[0]) {
                s0 = floor_div(c0, g.nb[0]);
                c0 -= s0 * g.nb[0];
            } else if (c0 < 0 || c0 >= g.nb[0]) continue;
            for (int o1 = -g.reach[1]; o1 <= g.reach[1] && rc == DS_OK; o1++) {
                int c1 = b[1] + o1, s1 = 0;
                if (g.periodic[1]) {
                    s1 = floor_div(c1, g.nb[1]);
                    c1 -= s1 * g.nb[1];
                } else if (c1 < 0 || c1 >= g.nb[1]) continue;
                for (int o2 = -g.reach[2]; o2 <= g.reach[2] && rc == DS_OK; o2++) {
                    int c2 = b[2] + o2, s2 = 0;
                    if (g.periodic[2]) {
                        s2 = floor_div(c2, g.nb[2]);
                        c2 -= s2 * g.nb[2];
                    } else if (c2 < 0 || c2 >= g.nb[2]) continue;
                    size_t bin = ((size_t)c0 * g.nb[1] + c1) * g.nb[2] + c2;
                    for (size_t q = g.bin_start[bin]; q < g.bin_start[bin + 1]; q++) {
                        int j = g.bin_atoms[q];
                        if (j < i) continue;
                        /* image of j (reduced basis): undo both wraps, add the bin shift */
                        int red[3] = {g.shift[j][0] - g.shift[i][0] + s0, g.shift[j][1] - g.shift[i][1] + s1,
                                      g.shift[j][2] - g.shift[i][2] + s2};
                        if (j == i && red[0] == 0 && red[1] == 0 && red[2] == 0) continue;
                        double v[3];
                        for (int k = 0; k < 3; k++)
                            v[k] = pos[j][k] - pos[i][k] + red[0] * cell->reduced[0][k] +
                                   red[1] * cell->reduced[1][k] + red[2] * cell->reduced[2][k];
                        double d2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
                        if (!(d2 <= cut2)) continue; /* also drops NaN */
                        int im[3] = {0, 0, 0};
                        if (cell->has_lattice) cell_image_from_reduced(cell, red, im);
                        if (j == i && !image_positive(im)) continue;
                        double d = sqrt(d2);
                        if (keep && !keep(keep_ctx, i, j, d)) continue;
                        nb_pair p = {.i = i, .j = j, .image = {im[0], im[1], im[2]}, .distance = d};
                        memcpy(p.vector, v, sizeof v);
                        rc = push_pair(out, max_pairs, &p, err);
                        if (rc) break;
                    }
                }
            }
        }
    }
    grid_free(&g);
    return rc;
}

int neighbors_check_overlap(const ds_cell *cell, const double (*pos)[3], const char (*species)[4], int n,
                            double min_distance, ds_err *err)
{
    if (!(min_distance > 0)) return DS_OK;
    nb_list list;
    int rc = neighbors_find(cell, pos, n, min_distance, NULL, NULL, 0, &list, err);
    if (rc) {
        nb_list_free(&list);
        return rc;
    }
    const nb_pair *worst = NULL;
    for (size_t p = 0; p < list.n_pairs; p++)
        if (list.pairs[p].distance < min_distance && (!worst || list.pairs[p].distance < worst->distance))
            worst = &list.pairs[p];
    if (worst) {
        int i = worst->i, j = worst->j;
        double d = worst->distance;
        int self = i == j;
        nb_list_free(&list);
        if (self)
            return ds_err_set(err, DS_EFORMAT, NULL, 0,
                              "atom %d (%.3s) overlaps its own periodic image: %.3f A apart (closer than %g A); the "
                              "cell is too small",
                              i + 1, species ? species[i] : "?", d, min_distance);
        return ds_err_set(err, DS_EFORMAT, NULL, 0, "atoms %d (%.3s) and %d (%.3s) overlap: %.3f A apart (closer than %g A)",
                          i + 1, species ? species[i] : "?", j + 1, species ? species[j] : "?", d, min_distance);
    }
    nb_list_free(&list);
    return DS_OK;
}

int nb_adjacency_build(const nb_list *list, int n, nb_adjacency *adj, ds_err *err)
{
    memset(adj, 0, sizeof *adj);
    adj->n_atoms = n;
    adj->start = calloc((size_t)n + 1, sizeof *adj->start);
    adj->entry = malloc((list->n_pairs ? 2 * list->n_pairs : 1) * sizeof *adj->entry);
    if (!adj->start || !adj->entry) {
        nb_adjacency_free(adj);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the adjacency of %d atoms", n);
    }
    for (size_t p = 0; p < list->n_pairs; p++) {
        adj->start[list->pairs[p].i + 1]++;
        adj->start[list->pairs[p].j + 1]++;
    }
    for (int a = 0; a < n; a++) adj->start[a + 1] += adj->start[a];
    size_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
    if (!fill) {
        nb_adjacency_free(adj);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the adjacency of %d atoms", n);
    }
    memcpy(fill, adj->start, ((size_t)n + 1) * sizeof *fill);
    for (size_t p = 0; p < list->n_pairs; p++) {
        adj->entry[fill[list->pairs[p].i]++] = 2 * p;
        adj->entry[fill[list->pairs[p].j]++] = 2 * p + 1;
    }
    free(fill);
    return DS_OK;
}

void nb_adjacency_free(nb_adjacency *adj)
{
    free(adj->start);
    free(adj->entry);
    memset(adj, 0, sizeof *adj);
}

int nb_entry_other(const nb_list *list, size_t entry, int image[3])
{
    const nb_pair *p = &list->pairs[entry / 2];
    int side = (int)(entry % 2);
    if (image)
        for (int k = 0; k < 3; k++) image[k] = side ? -p->image[k] : p->image[k];
    return side ? p->i : p->j;
}
