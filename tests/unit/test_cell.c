/* Unit tests for structures/cell: lattice validation, conversions, wrapping and the exact
 * minimum image in orthogonal, hexagonal and strongly skewed cells (against brute force). */
#include "structures/cell.h"
#include "tests/test.h"

/* Independent reference: every image n with |f_k + n_k| <= r / h_k (h = plane heights from
 * the original vectors, r = any upper bound) along a and b, the best n_c for each by exact
 * 1-D minimisation (|w + n c|^2 is a parabola in n). */
static double brute_min_image(const double lat[3][3], const int pbc[3], const double a[3], const double b[3],
                              double bound, int best_image[3])
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double cr[3][3], vol;
    for (int k = 0; k < 3; k++) {
        const double *u = lat[(k + 1) % 3], *w = lat[(k + 2) % 3];
        cr[k][0] = u[1] * w[2] - u[2] * w[1];
        cr[k][1] = u[2] * w[0] - u[0] * w[2];
        cr[k][2] = u[0] * w[1] - u[1] * w[0];
    }
    vol = lat[0][0] * cr[0][0] + lat[0][1] * cr[0][1] + lat[0][2] * cr[0][2];
    int lo[2], hi[2];
    for (int k = 0; k < 2; k++) {
        double f = (d[0] * cr[k][0] + d[1] * cr[k][1] + d[2] * cr[k][2]) / vol;
        double h = fabs(vol) / sqrt(cr[k][0] * cr[k][0] + cr[k][1] * cr[k][1] + cr[k][2] * cr[k][2]);
        lo[k] = pbc[k] ? (int)ceil(-bound / h - f) - 1 : 0;
        hi[k] = pbc[k] ? (int)floor(bound / h - f) + 1 : 0;
    }
    double best = INFINITY;
    const double *c = lat[2];
    double cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    for (int i = lo[0]; i <= hi[0]; i++)
        for (int j = lo[1]; j <= hi[1]; j++) {
            double w[3];
            for (int k = 0; k < 3; k++) w[k] = d[k] + i * lat[0][k] + j * lat[1][k];
            int l = pbc[2] ? (int)nearbyint(-(w[0] * c[0] + w[1] * c[1] + w[2] * c[2]) / cc) : 0;
            double v[3];
            for (int k = 0; k < 3; k++) v[k] = w[k] + l * c[k];
            double dist = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (dist < best) {
                best = dist;
                best_image[0] = i, best_image[1] = j, best_image[2] = l;
            }
        }
    return best;
}

/* Deterministic pseudo-random numbers (no global state). */
static double rnd(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return ((*state >> 8) & 0xffffff) / (double)0x1000000;
}

TEST(validation_errors)
{
    ds_cell c;
    ds_err err;
    const double ok[3][3] = {{3, 0, 0}, {0, 4, 0}, {0, 0, 5}};
    CHECK(cell_init(&c, ok, NULL, &err) == DS_OK);
    CHECK_NEAR(c.volume, 60, 1e-12);
    CHECK_NEAR(c.height[2], 5, 1e-12);
    CHECK(cell_fully_periodic(&c));

    const double left[3][3] = {{3, 0, 0}, {0, 0, 5}, {0, 4, 0}};
    CHECK(cell_init(&c, left, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "left-handed") != NULL, "%s", err.msg);

    const double flat[3][3] = {{3, 0, 0}, {0, 4, 0}, {3, 4, 0}};
    CHECK(cell_init(&c, flat, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "zero-volume") != NULL, "%s", err.msg);

    const double zero_vec[3][3] = {{3, 0, 0}, {0, 0, 0}, {0, 0, 5}};
    CHECK(cell_init(&c, zero_vec, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "vector b has zero length") != NULL, "%s", err.msg);

    const double parallel[3][3] = {{3, 0, 0}, {0, 0, 5}, {6, 0, 0}};
    CHECK(cell_init(&c, parallel, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "parallel") != NULL && strstr(err.msg, "a and c") != NULL, "%s", err.msg);

    const double nearly_flat[3][3] = {{3, 0, 0}, {0, 4, 0}, {1, 1, 1e-7}};
    CHECK(cell_init(&c, nearly_flat, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "degenerate") != NULL, "%s", err.msg);

    const double nan_lat[3][3] = {{NAN, 0, 0}, {0, 4, 0}, {0, 0, 5}};
    CHECK(cell_init(&c, nan_lat, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "non-finite") != NULL, "%s", err.msg);
}

TEST(fractional_cartesian_round_trip)
{
    const double lat[3][3] = {{4.1, 0.2, -0.3}, {1.9, 3.7, 0.1}, {0.5, -0.8, 6.2}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, NULL, &err) == DS_OK);
    const double f[3] = {0.25, -1.5, 2.75};
    double x[3], g[3];
    cell_to_cartesian(&c, f, x);
    for (int k = 0; k < 3; k++) CHECK_NEAR(x[k], f[0] * lat[0][k] + f[1] * lat[1][k] + f[2] * lat[2][k], 1e-12);
    cell_to_fractional(&c, x, g);
    for (int k = 0; k < 3; k++) CHECK_NEAR(g[k], f[k], 1e-12);
    int shift[3];
    cell_wrap_fractional(&c, g, shift);
    CHECK_NEAR(g[0], 0.25, 1e-12);
    CHECK_NEAR(g[1], 0.5, 1e-12);
    CHECK_NEAR(g[2], 0.75, 1e-12);
    CHECK(shift[0] == 0 && shift[1] == 2 && shift[2] == -2);
    /* a value a hair below zero wraps to 0, not to 1.0 */
    double h[3] = {-1e-18, 0, 0};
    cell_wrap_fractional(&c, h, shift);
    CHECK(h[0] >= 0 && h[0] < 1);
    /* Partial periodicity: only the periodic axes wrap. */
    const int pbc[3] = {1, 1, 0};
    CHECK(cell_init(&c, lat, pbc, &err) == DS_OK);
    double p[3] = {1.5, -0.5, 3.5};
    cell_wrap_fractional(&c, p, shift);
    CHECK_NEAR(p[0], 0.5, 1e-12);
    CHECK_NEAR(p[1], 0.5, 1e-12);
    CHECK_NEAR(p[2], 3.5, 1e-12);
}

TEST(min_image_orthogonal_and_hexagonal)
{
    const double cubic[3][3] = {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, cubic, NULL, &err) == DS_OK);
    const double a[3] = {0.5, 0.5, 0.5}, b[3] = {9.5, 0.5, 9.0};
    double v[3];
    int im[3];
    CHECK_NEAR(cell_distance(&c, a, b, v, im), sqrt(1.0 + 2.25), 1e-12);
    CHECK(im[0] == -1 && im[1] == 0 && im[2] == -1);
    CHECK_NEAR(v[0], -1.0, 1e-12);
    /* Hexagonal cell (gamma = 120 degrees): the nearest image is along a + b. */
    const double hex[3][3] = {{3, 0, 0}, {-1.5, 3 * sqrt(3) / 2, 0}, {0, 0, 5}};
    CHECK(cell_init(&c, hex, NULL, &err) == DS_OK);
    const double o[3] = {0, 0, 0}, p[3] = {1.4, 2.5, 0};
    int bim[3];
    const int pbc[3] = {1, 1, 1};
    double ref = brute_min_image(hex, pbc, o, p, 10, bim);
    CHECK_NEAR(cell_distance(&c, o, p, NULL, im), ref, 1e-12);
    CHECK(im[0] == bim[0] && im[1] == bim[1] && im[2] == bim[2]);
    /* No lattice: plain distance, zero image. */
    cell_init_none(&c);
    CHECK_NEAR(cell_distance(&c, a, b, NULL, im), sqrt(81 + 0 + 8.5 * 8.5), 1e-12);
    CHECK(im[0] == 0 && im[1] == 0 && im[2] == 0);
}

/* Strongly skewed cells: wrapping the fractional difference to [-0.5, 0.5) is NOT the
 * minimum image here; the exact search must still find it. */
TEST(min_image_strongly_skewed_matches_brute_force)
{
    unsigned st = 12345;
    int n_checked = 0, n_naive_wrong = 0;
    for (int trial = 0; trial < 60; trial++) {
        double lat[3][3] = {{5 + 3 * rnd(&st), 0, 0}, {0, 0, 0}, {0, 0, 0}};
        /* b nearly parallel to a (angles down to ~10 degrees), c tilted far over a and b */
        double tilt = 1 + 3 * rnd(&st);
        lat[1][0] = tilt * lat[0][0] * (0.5 + rnd(&st));
        lat[1][1] = 1.2 + 2 * rnd(&st);
        lat[2][0] = (rnd(&st) - 0.5) * 20;
        lat[2][1] = (rnd(&st) - 0.5) * 20;
        lat[2][2] = 1.5 + 3 * rnd(&st);
        ds_cell c;
        ds_err err;
        if (cell_init(&c, lat, NULL, &err) != DS_OK) continue;
        for (int pair = 0; pair < 20; pair++) {
            double fa[3] = {rnd(&st), rnd(&st), rnd(&st)}, fb[3] = {rnd(&st) * 3 - 1, rnd(&st), rnd(&st) * 2};
            double a[3], b[3];
            cell_to_cartesian(&c, fa, a);
            cell_to_cartesian(&c, fb, b);
            int bim[3], im[3];
            const int pbc[3] = {1, 1, 1};
            /* the naive answer: round each fractional difference; an upper bound */
            double df[3] = {fb[0] - fa[0], fb[1] - fa[1], fb[2] - fa[2]};
            for (int k = 0; k < 3; k++) df[k] -= nearbyint(df[k]);
            double nv[3];
            cell_to_cartesian(&c, df, nv);
            double naive = sqrt(nv[0] * nv[0] + nv[1] * nv[1] + nv[2] * nv[2]);
            double ref = brute_min_image(lat, pbc, a, b, naive, bim);
            double v[3];
            double d = cell_distance(&c, a, b, v, im);
            CHECK_NEAR(d, ref, 1e-9);
            double check[3];
            for (int k = 0; k < 3; k++) check[k] = b[k] + im[0] * lat[0][k] + im[1] * lat[1][k] + im[2] * lat[2][k] - a[k];
            for (int k = 0; k < 3; k++) CHECK_NEAR(v[k], check[k], 1e-9);
            if (naive > ref + 1e-6) n_naive_wrong++;
            n_checked++;
        }
    }
    CHECK(n_checked > 500);
    /* the test cells are skewed enough that the naive method fails often */
    CHECK_MSG(n_naive_wrong > n_checked / 4, "naive wrong %d of %d", n_naive_wrong, n_checked);
}

TEST(min_image_partial_periodicity)
{
    const double lat[3][3] = {{4, 0, 0}, {1, 4, 0}, {0, 0, 10}};
    const int pbc[3] = {1, 1, 0};
    ds_cell c;
    ds_err err;
    CHECK(cell_init(&c, lat, pbc, &err) == DS_OK);
    const double a[3] = {0.2, 0.2, 0.5}, b[3] = {3.9, 3.9, 9.8};
    int im[3], bim[3];
    double ref = brute_min_image(lat, pbc, a, b, 20, bim);
    CHECK_NEAR(cell_distance(&c, a, b, NULL, im), ref, 1e-12);
    CHECK(im[2] == 0);
    CHECK(im[0] == bim[0] && im[1] == bim[1]);
}

/* A slab cell with a long c and a small, oblique surface cell; and a skewed cell periodic
 * along a and b only (closest vector in the 2-D sublattice). */
TEST(min_image_elongated_and_skewed_slabs)
{
    unsigned st = 4242;
    const double slab[3][3] = {{2.8, 0, 0}, {1.4, 2.42, 0}, {0.7, 0.4, 60.0}};
    const double skew2d[3][3] = {{4.0, 0, 0}, {11.0, 1.5, 0}, {3.0, -2.0, 9.0}};
    const int full[3] = {1, 1, 1}, slabpbc[3] = {1, 1, 0};
    const double (*lats[2])[3] = {slab, skew2d};
    const int *pbcs[2] = {full, slabpbc};
    for (int t = 0; t < 2; t++) {
        ds_cell c;
        ds_err err;
        CHECK(cell_init(&c, lats[t], pbcs[t], &err) == DS_OK);
        for (int pair = 0; pair < 200; pair++) {
            double fa[3] = {rnd(&st), rnd(&st), rnd(&st)}, fb[3] = {rnd(&st) * 4 - 2, rnd(&st) * 4 - 2, rnd(&st)};
            double a[3], b[3];
            cell_to_cartesian(&c, fa, a);
            cell_to_cartesian(&c, fb, b);
            int bim[3], im[3];
            double naive = sqrt(pow(b[0] - a[0], 2) + pow(b[1] - a[1], 2) + pow(b[2] - a[2], 2));
            double ref = brute_min_image(lats[t], pbcs[t], a, b, naive, bim);
            CHECK_NEAR(cell_distance(&c, a, b, NULL, im), ref, 1e-9);
            if (!pbcs[t][2]) CHECK(im[2] == 0);
        }
    }
}

TEST(atoms_view_validation)
{
    run_structure s;
    memset(&s, 0, sizeof s);
    CHECK(run_structure_alloc(&s, 2) == DS_OK);
    s.has_lattice = 1;
    s.lattice_angstrom[0][0] = s.lattice_angstrom[1][1] = s.lattice_angstrom[2][2] = 5;
    s.positions_angstrom[1][0] = 1.0;
    const char good[2][4] = {"Na", "Cl"}, bad[2][4] = {"Na", "Xq"};
    cell_atoms at;
    ds_err err;
    CHECK(cell_atoms_init(&at, &s, good, NULL, &err) == DS_OK);
    CHECK(at.n_atoms == 2 && at.cell.has_lattice);
    CHECK(cell_atoms_init(&at, &s, bad, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atom 2 has unknown element 'Xq'") != NULL, "%s", err.msg);
    s.positions_angstrom[0][1] = NAN;
    CHECK(cell_atoms_init(&at, &s, good, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atom 1 has a non-finite coordinate") != NULL, "%s", err.msg);
    s.positions_angstrom[0][1] = 0;
    s.lattice_angstrom[2][2] = -5;
    CHECK(cell_atoms_init(&at, &s, good, NULL, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "left-handed") != NULL, "%s", err.msg);
    s.has_lattice = 0;
    CHECK(cell_atoms_init(&at, &s, good, NULL, &err) == DS_OK);
    CHECK(!at.cell.has_lattice && !at.cell.pbc[0]);
    run_structure_free(&s);
}

TEST(atoms_from_run_periodicity)
{
    ds_run run;
    run_init(&run);
    ds_err err;
    cell_atoms at;
    CHECK(cell_atoms_from_run(&run, &at, &err) == DS_ENODATA);
    CHECK(run_set_species(&run, 1) == DS_OK);
    strcpy(run.species[0], "Li");
    run.has_initial = 1;
    CHECK(run_structure_alloc(&run.initial, 1) == DS_OK);
    run.initial.has_lattice = 1;
    for (int k = 0; k < 3; k++) run.initial.lattice_angstrom[k][k] = 14;
    CHECK(cell_atoms_from_run(&run, &at, &err) == DS_OK);
    CHECK(at.cell.pbc[0] && at.cell.pbc[1] && at.cell.pbc[2]);
    strcpy(run.settings.periodicity, "NONE");
    CHECK(cell_atoms_from_run(&run, &at, &err) == DS_OK);
    CHECK(!at.cell.pbc[0] && !at.cell.pbc[1] && !at.cell.pbc[2]);
    strcpy(run.settings.periodicity, "XY");
    CHECK(cell_atoms_from_run(&run, &at, &err) == DS_OK);
    CHECK(at.cell.pbc[0] && at.cell.pbc[1] && !at.cell.pbc[2]);
    /* the final structure wins over the initial one */
    run.has_final = 1;
    CHECK(run_structure_alloc(&run.final, 1) == DS_OK);
    run.final.positions_angstrom[0][0] = 2.5;
    CHECK(cell_atoms_from_run(&run, &at, &err) == DS_OK);
    CHECK(at.s == &run.final);
    run_free(&run);
}

int main(void)
{
    RUN(validation_errors);
    RUN(fractional_cartesian_round_trip);
    RUN(min_image_orthogonal_and_hexagonal);
    RUN(min_image_strongly_skewed_matches_brute_force);
    RUN(min_image_partial_periodicity);
    RUN(min_image_elongated_and_skewed_slabs);
    RUN(atoms_view_validation);
    RUN(atoms_from_run_periodicity);
    return TEST_FINISH();
}
