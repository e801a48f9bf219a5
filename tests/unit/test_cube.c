/* Unit tests for parsers/cube: write -> read round trip (values to the written precision,
 * positions to the header precision), Bohr -> Angstrom conversions, gzip, truncation,
 * absurd headers refused before allocating. */
#include <unistd.h>
#include <zlib.h>

#include "parsers/cube.h"
#include "parsers/run.h"
#include "tests/test.h"

static void make_grid(ds_grid *g)
{
    grid_init(g);
    g->n[0] = 4, g->n[1] = 5, g->n[2] = 7;
    snprintf(g->comment[0], sizeof g->comment[0], "test density");
    snprintf(g->comment[1], sizeof g->comment[1], "OUTER LOOP: X, MIDDLE LOOP: Y, INNER LOOP: Z");
    for (int k = 0; k < 3; k++) g->lattice_angstrom[k][k] = g->n[k] * 0.25 * DS_BOHR_TO_ANGSTROM;
    g->origin_angstrom[0] = 1.0 * DS_BOHR_TO_ANGSTROM;
    g->n_atoms = 2;
    g->atomic_numbers = malloc(2 * sizeof(int));
    g->atom_values = malloc(2 * sizeof(double));
    g->positions_angstrom = malloc(2 * sizeof *g->positions_angstrom);
    g->atomic_numbers[0] = 8, g->atomic_numbers[1] = 1;
    g->atom_values[0] = 6, g->atom_values[1] = 1;
    for (int a = 0; a < 2; a++)
        for (int k = 0; k < 3; k++) g->positions_angstrom[a][k] = (0.5 + a + 0.25 * k) * DS_BOHR_TO_ANGSTROM;
    size_t n = grid_n_points(g);
    g->values[0] = malloc(n * sizeof(double));
    g->n_sets = 1;
    for (size_t i = 0; i < n; i++) g->values[0][i] = exp(-0.01 * (double)i) * 1.2345678;
}

TEST(round_trip_and_units)
{
    ds_grid g, h;
    make_grid(&g);
    ds_err err;
    CHECK(cube_write("/tmp/ds_cube_rt.cube", &g, &err) == DS_OK);
    grid_init(&h);
    CHECK(cube_read("/tmp/ds_cube_rt.cube", 0, &h, &err) == DS_OK);
    CHECK(h.n[0] == 4 && h.n[1] == 5 && h.n[2] == 7 && h.n_atoms == 2);
    CHECK(h.atomic_numbers[0] == 8 && h.atom_values[1] == 1);
    /* origin 1 bohr = 0.529177210903 Angstrom (CODATA 2018) */
    CHECK_NEAR(h.origin_angstrom[0], 0.529177210903, 1e-6 * 0.529177210903);
    CHECK_NEAR(h.lattice_angstrom[2][2], 7 * 0.25 * 0.529177210903, 1e-6);
    for (int a = 0; a < 2; a++)
        for (int k = 0; k < 3; k++) CHECK_NEAR(h.positions_angstrom[a][k], g.positions_angstrom[a][k], 1e-6);
    size_t n = grid_n_points(&g);
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(h.values[0][i] - g.values[0][i]) > 1e-5 * fabs(g.values[0][i])) bad++;
    CHECK(bad == 0);
    /* writing what was read reproduces the file byte for byte */
    CHECK(cube_write("/tmp/ds_cube_rt2.cube", &h, &err) == DS_OK);
    char *a, *b;
    size_t la, lb;
    ds_read_all("/tmp/ds_cube_rt.cube", 1 << 20, &a, &la, &err);
    ds_read_all("/tmp/ds_cube_rt2.cube", 1 << 20, &b, &lb, &err);
    CHECK(la == lb && memcmp(a, b, la) == 0);
    /* gzip */
    gzFile z = gzopen("/tmp/ds_cube_rt.cube.gz", "wb");
    gzwrite(z, a, (unsigned)la);
    gzclose(z);
    ds_grid c;
    grid_init(&c);
    CHECK(cube_read("/tmp/ds_cube_rt.cube.gz", 0, &c, &err) == DS_OK && c.values[0][3] == h.values[0][3]);
    grid_free(&c);
    /* truncation at many points: a clear error or (cut after the last value) success */
    int cuts = 0;
    for (size_t cut = 0; cut < la; cut += la / 55 + 1, cuts++) {
        FILE *f = fopen("/tmp/ds_cube_cut.cube", "wb");
        fwrite(a, 1, cut, f);
        fclose(f);
        grid_init(&c);
        int rc = cube_read("/tmp/ds_cube_cut.cube", 0, &c, &err);
        CHECK(rc == DS_ETRUNC || rc == DS_EFORMAT);
        CHECK(err.msg[0] != '\0');
        grid_free(&c);
    }
    CHECK(cuts >= 50);
    free(a);
    free(b);
    grid_free(&g);
    grid_free(&h);
    unlink("/tmp/ds_cube_rt.cube"), unlink("/tmp/ds_cube_rt2.cube"), unlink("/tmp/ds_cube_rt.cube.gz"), unlink("/tmp/ds_cube_cut.cube");
}

TEST(absurd_headers_refused_before_allocating)
{
    const char *huge = "c1\nc2\n    1 0 0 0\n1000000 0.1 0 0\n1000000 0 0.1 0\n1000000 0 0 0.1\n 1 1.0 0 0 0\n 1.0\n";
    FILE *f = fopen("/tmp/ds_cube_huge.cube", "wb");
    fputs(huge, f);
    fclose(f);
    ds_grid g;
    grid_init(&g);
    ds_err err;
    CHECK(cube_read("/tmp/ds_cube_huge.cube", 0, &g, &err) == DS_ENOMEM);
    CHECK(strstr(err.msg, "refused") != NULL && g.values[0] == NULL);
    grid_free(&g);
    f = fopen("/tmp/ds_cube_huge.cube", "wb");
    fputs("c1\nc2\n1000000000 0 0 0\n2 0.1 0 0\n2 0 0.1 0\n2 0 0 0.1\n", f);
    fclose(f);
    grid_init(&g);
    CHECK(cube_read("/tmp/ds_cube_huge.cube", 0, &g, &err) == DS_EFORMAT);
    grid_free(&g);
    unlink("/tmp/ds_cube_huge.cube");
}

int main(void)
{
    RUN(round_trip_and_units);
    RUN(absurd_headers_refused_before_allocating);
    return TEST_FINISH();
}
