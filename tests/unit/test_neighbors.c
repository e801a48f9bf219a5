/* Unit tests for structures/neighbors: the cell-list search against an O(N^2 x images)
 * brute force in orthogonal, skewed, partially periodic and non-periodic cells, cutoffs
 * larger than the cell, self-images, overlap detection and the adjacency. */
#include "structures/neighbors.h"
#include "tests/test.h"

static double rnd(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return ((*state >> 8) & 0xffffff) / (double)0x1000000;
}

typedef struct {
    int i, j, im[3];
    double d;
} ref_pair;

static int cmp_pair(const void *pa, const void *pb)
{
    const ref_pair *a = pa, *b = pb;
    if (a->i != b->i) return a->i - b->i;
    if (a->j != b->j) return a->j - b->j;
    for (int k = 0; k < 3; k++)
        if (a->im[k] != b->im[k]) return a->im[k] - b->im[k];
    return 0;
}

static int positive(const int im[3])
{
    for (int k = 0; k < 3; k++)
        if (im[k]) return im[k] > 0;
    return 0;
}

/* Every (i <= j, image) within cutoff, images bounded by the plane heights. */
static ref_pair *brute(const ds_cell *c, const double (*pos)[3], int n, double cutoff, size_t *count)
{
    int range[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++)
        if (c->has_lattice && c->pbc[k]) {
            /* positions may sit outside the cell: allow for their spread too */
            double fmin = INFINITY, fmax = -INFINITY;
            for (int a = 0; a < n; a++) {
                double f[3];
                cell_to_fractional(c, pos[a], f);
                if (f[k] < fmin) fmin = f[k];
                if (f[k] > fmax) fmax = f[k];
            }
            range[k] = (int)ceil(cutoff / c->height[k] + (fmax - fmin)) + 1;
        }
    size_t cap = 1024, m = 0;
    ref_pair *out = malloc(cap * sizeof *out);
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++)
            for (int x = -range[0]; x <= range[0]; x++)
                for (int y = -range[1]; y <= range[1]; y++)
                    for (int z = -range[2]; z <= range[2]; z++) {
                        int im[3] = {x, y, z};
                        if (i == j && !positive(im)) continue;
                        double v[3];
                        for (int k = 0; k < 3; k++)
                            v[k] = pos[j][k] + x * c->lattice[0][k] + y * c->lattice[1][k] + z * c->lattice[2][k] -
                                   pos[i][k];
                        double d = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                        if (d > cutoff) continue;
                        if (m == cap) out = realloc(out, (cap *= 2) * sizeof *out);
                        out[m++] = (ref_pair){i, j, {x, y, z}, d};
                    }
    qsort(out, m, sizeof *out, cmp_pair);
    *count = m;
    return out;
}

/* Compares the search with brute force; returns the number of pairs. */
static size_t compare(const ds_cell *c, const double (*pos)[3], int n, double cutoff)
{
    nb_list list;
    ds_err err;
    int rc = neighbors_find(c, pos, n, cutoff, NULL, NULL, 0, &list, &err);
    CHECK_MSG(rc == DS_OK, "%s", err.msg);
    size_t m;
    ref_pair *ref = brute(c, pos, n, cutoff, &m);
    ref_pair *got = malloc((list.n_pairs + 1) * sizeof *got);
    for (size_t p = 0; p < list.n_pairs; p++) {
        const nb_pair *q = &list.pairs[p];
        got[p] = (ref_pair){q->i, q->j, {q->image[0], q->image[1], q->image[2]}, q->distance};
        double v[3];
        for (int k = 0; k < 3; k++)
            v[k] = pos[q->j][k] + q->image[0] * c->lattice[0][k] + q->image[1] * c->lattice[1][k] +
                   q->image[2] * c->lattice[2][k] - pos[q->i][k];
        if (!c->has_lattice)
            for (int k = 0; k < 3; k++) v[k] = pos[q->j][k] - pos[q->i][k];
        for (int k = 0; k < 3; k++) CHECK_NEAR(q->vector[k], v[k], 1e-9);
    }
    qsort(got, list.n_pairs, sizeof *got, cmp_pair);
    CHECK_MSG(list.n_pairs == m, "cell-list found %zu pairs, brute force %zu", list.n_pairs, m);
    if (list.n_pairs == m)
        for (size_t p = 0; p < m; p++) {
            CHECK(cmp_pair(&got[p], &ref[p]) == 0);
            CHECK_NEAR(got[p].d, ref[p].d, 1e-9);
        }
    free(got);
    free(ref);
    nb_list_free(&list);
    return m;
}

static void random_positions(const ds_cell *c, double (*pos)[3], int n, unsigned *st, double spread)
{
    for (int a = 0; a < n; a++) {
        double f[3] = {(rnd(st) - 0.5) * spread + 0.5, (rnd(st) - 0.5) * spread + 0.5, (rnd(st) - 0.5) * spread + 0.5};
        cell_to_cartesian(c, f, pos[a]);
    }
}

TEST(orthogonal_cell_matches_brute_force)
{
    const double lat[3][3] = {{9, 0, 0}, {0, 10, 0}, {0, 0, 11}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    unsigned st = 7;
    double pos[120][3];
    random_positions(&c, pos, 120, &st, 1.0);
    CHECK(compare(&c, (const double (*)[3])pos, 120, 3.0) > 100);
    /* atoms outside the cell (unwrapped coordinates) give the same pairs */
    random_positions(&c, pos, 120, &st, 3.0);
    CHECK(compare(&c, (const double (*)[3])pos, 120, 3.0) > 100);
}

TEST(skewed_cells_match_brute_force)
{
    unsigned st = 99;
    for (int trial = 0; trial < 6; trial++) {
        double lat[3][3] = {{6 + 2 * rnd(&st), 0, 0}, {0, 0, 0}, {0, 0, 0}};
        lat[1][0] = (1 + 2 * rnd(&st)) * lat[0][0];
        lat[1][1] = 2 + rnd(&st);
        lat[2][0] = (rnd(&st) - 0.5) * 14;
        lat[2][1] = (rnd(&st) - 0.5) * 14;
        lat[2][2] = 3 + 2 * rnd(&st);
        ds_cell c;
        ds_err err;
        CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
        double pos[40][3];
        random_positions(&c, pos, 40, &st, 1.0);
        CHECK(compare(&c, (const double (*)[3])pos, 40, 2.5 + 2 * rnd(&st)) > 0);
    }
}

TEST(cutoff_larger_than_cell_and_self_images)
{
    /* bcc Fe, one atom: with a 5 A cutoff the atom sees 8 + 6 + 12 + 24 + 8 neighbours
     * (shells at 2.49, 2.87, 4.06, 4.76, 4.97 A), i.e. 29 pairs with its own images. */
    const double a = 2.87;
    const double lat[3][3] = {{-a / 2, a / 2, a / 2}, {a / 2, -a / 2, a / 2}, {a / 2, a / 2, -a / 2}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    double pos[1][3] = {{0, 0, 0}};
    nb_list list;
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 1, 5.0, NULL, NULL, 0, &list, &err) == DS_OK);
    CHECK_MSG(list.n_pairs == 29, "%zu pairs", list.n_pairs);
    int shell1 = 0;
    for (size_t p = 0; p < list.n_pairs; p++)
        if (fabs(list.pairs[p].distance - a * sqrt(3) / 2) < 1e-9) shell1++;
    CHECK(shell1 == 4); /* 8 nearest neighbours = 4 pairs (image and -image) */
    nb_list_free(&list);
    /* a tiny cell with a long cutoff, several atoms */
    const double small[3][3] = {{2.1, 0, 0}, {0.7, 1.9, 0}, {0.3, -0.4, 2.4}};
    CHECK(cell_init(&c, small, NULL, &err) == DS_OK);
    double p3[3][3] = {{0, 0, 0}, {1.0, 0.5, 0.3}, {0.2, 1.1, 1.7}};
    CHECK(compare(&c, (const double (*)[3])p3, 3, 6.5) > 100);
}

TEST(partial_periodicity_and_no_lattice)
{
    const double lat[3][3] = {{8, 0, 0}, {2, 7, 0}, {0, 0, 12}};
    const int slab[3] = {1, 1, 0};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, slab, &err) == DS_OK);
    unsigned st = 3;
    double pos[60][3];
    random_positions(&c, pos, 60, &st, 1.4);
    CHECK(compare(&c, (const double (*)[3])pos, 60, 3.2) > 0);
    cell_init_none(&c);
    for (int a = 0; a < 60; a++)
        for (int k = 0; k < 3; k++) pos[a][k] = rnd(&st) * 9 - 20;
    CHECK(compare(&c, (const double (*)[3])pos, 60, 3.2) > 0);
    /* every atom in one plane (zero extent along z) */
    for (int a = 0; a < 60; a++) pos[a][2] = 1.0;
    CHECK(compare(&c, (const double (*)[3])pos, 60, 2.0) > 0);
    /* one atom, and no atoms */
    nb_list list;
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 1, 2.0, NULL, NULL, 0, &list, &err) == DS_OK);
    CHECK(list.n_pairs == 0);
    nb_list_free(&list);
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 0, 2.0, NULL, NULL, 0, &list, &err) == DS_OK);
    nb_list_free(&list);
}

static int keep_short(void *ctx, int i, int j, double d)
{
    (void)i, (void)j;
    return d <= *(const double *)ctx;
}

TEST(keep_filter_limits_and_bad_cutoffs)
{
    const double lat[3][3] = {{5, 0, 0}, {0, 5, 0}, {0, 0, 5}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    double pos[2][3] = {{0, 0, 0}, {1.2, 0, 0}};
    nb_list list;
    double lim = 1.5;
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 2, 4.0, keep_short, &lim, 0, &list, &err) == DS_OK);
    CHECK(list.n_pairs == 1 && list.pairs[0].i == 0 && list.pairs[0].j == 1);
    CHECK_NEAR(list.pairs[0].distance, 1.2, 1e-12);
    nb_list_free(&list);
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 2, 0.0, NULL, NULL, 0, &list, &err) == DS_EUSAGE);
    nb_list_free(&list);
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 2, NAN, NULL, NULL, 0, &list, &err) == DS_EUSAGE);
    nb_list_free(&list);
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 2, 1e5, NULL, NULL, 0, &list, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "million periodic images") != NULL, "%s", err.msg);
    nb_list_free(&list);
    /* max_pairs is enforced */
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 2, 12.0, NULL, NULL, 10, &list, &err) == DS_ENOMEM);
    nb_list_free(&list);
}

TEST(overlap_detection)
{
    const double lat[3][3] = {{6, 0, 0}, {0, 6, 0}, {0, 0, 6}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    const char sp[3][4] = {"O", "H", "Cu"};
    double pos[3][3] = {{0, 0, 0}, {0.97, 0, 0}, {3, 3, 3}};
    CHECK(neighbors_check_overlap(&c, (const double (*)[3])pos, sp, 3, 0.5, &err) == DS_OK);
    pos[2][0] = 5.8, pos[2][1] = 0.1, pos[2][2] = 0; /* 0.22 A from O through the boundary */
    CHECK(neighbors_check_overlap(&c, (const double (*)[3])pos, sp, 3, 0.5, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atoms 1 (O) and 3 (Cu) overlap: 0.224 A apart") != NULL, "%s", err.msg);
    /* coincident atoms */
    pos[2][0] = 0.97, pos[2][1] = 0, pos[2][2] = 0;
    CHECK(neighbors_check_overlap(&c, (const double (*)[3])pos, sp, 3, 0.5, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atoms 2 (H) and 3 (Cu) overlap: 0.000 A") != NULL, "%s", err.msg);
    /* an atom and its own image in a too-small cell */
    const double tiny[3][3] = {{0.3, 0, 0}, {0, 6, 0}, {0, 0, 6}};
    CHECK(cell_init(&c, tiny, NULL, &err) == DS_OK);
    CHECK(neighbors_check_overlap(&c, (const double (*)[3])pos, sp, 1, 0.5, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "own periodic image") != NULL, "%s", err.msg);
}

/* The search is public API: absurd coordinates must not crash it (cell_atoms_init refuses
 * them before analysis code gets there). */
TEST(hostile_coordinates_do_not_crash)
{
    const double lat[3][3] = {{5, 0, 0}, {1, 5, 0}, {0, 0, 5}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    double pos[4][3] = {{0, 0, 0}, {NAN, 1, 1}, {1e300, -1e300, 0}, {1.0, 0, 0}};
    nb_list list;
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 4, 2.0, NULL, NULL, 0, &list, &err) == DS_OK);
    for (size_t p = 0; p < list.n_pairs; p++) CHECK(list.pairs[p].distance <= 2.0);
    nb_list_free(&list);
    cell_init_none(&c);
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 4, 2.0, NULL, NULL, 0, &list, &err) == DS_OK);
    nb_list_free(&list);
    double v[3];
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    (void)cell_distance(&c, pos[0], pos[2], v, NULL);
    run_structure s;
    memset(&s, 0, sizeof s);
    run_structure_alloc(&s, 1);
    s.positions_angstrom[0][0] = 2e7;
    const char sp[1][4] = {"H"};
    cell_atoms at;
    CHECK(cell_atoms_init(&at, &s, sp, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atom 1 has a coordinate of") != NULL, "%s", err.msg);
    run_structure_free(&s);
}

TEST(adjacency_both_directions)
{
    const double lat[3][3] = {{3, 0, 0}, {0, 8, 0}, {0, 0, 8}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    /* a chain along a: each atom bonded to its own images at +-a, and 0-1 bonded */
    double pos[2][3] = {{0, 0, 0}, {0, 1.5, 0}};
    nb_list list;
    CHECK(neighbors_find(&c, (const double (*)[3])pos, 2, 3.01, NULL, NULL, 0, &list, &err) == DS_OK);
    nb_adjacency adj;
    CHECK(nb_adjacency_build(&list, 2, &adj, &err) == DS_OK);
    /* atom 0: self +a, self -a, atom 1 at image 0, atom 1 at +-a is 3.35 A (not within) */
    CHECK(adj.start[1] - adj.start[0] == 3);
    int self_plus = 0, self_minus = 0, other = 0;
    for (size_t e = adj.start[0]; e < adj.start[1]; e++) {
        int im[3];
        int o = nb_entry_other(&list, adj.entry[e], im);
        if (o == 0 && im[0] == 1) self_plus++;
        if (o == 0 && im[0] == -1) self_minus++;
        if (o == 1 && im[0] == 0) other++;
    }
    CHECK(self_plus == 1 && self_minus == 1 && other == 1);
    nb_adjacency_free(&adj);
    nb_list_free(&list);
}

int main(void)
{
    RUN(orthogonal_cell_matches_brute_force);
    RUN(skewed_cells_match_brute_force);
    RUN(cutoff_larger_than_cell_and_self_images);
    RUN(partial_periodicity_and_no_lattice);
    RUN(keep_filter_limits_and_bad_cutoffs);
    RUN(overlap_detection);
    RUN(hostile_coordinates_do_not_crash);
    RUN(adjacency_both_directions);
    return TEST_FINISH();
}
