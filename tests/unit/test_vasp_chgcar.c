/* Unit tests for parsers/vasp_chgcar: header variants, layout conversion, spin sets,
 * augmentation skipping, gzip, and hostile input (truncation, NaN, '****', bad sizes). */
#include "parsers/vasp_chgcar.h"
#include "tests/test.h"

#include <unistd.h>
#include <zlib.h>

/* fixture value at grid point (i, j, k), see tests/fixtures/bader/make_fixtures.py */
static double fx(int i, int j, int k)
{
    return 0.5 + i + 10 * j + 100 * k;
}

static double at(const ds_grid *g, int set, int i, int j, int k)
{
    return g->values[set][((size_t)i * g->n[1] + j) * g->n[2] + k];
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

static void write_bytes(const char *path, const char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
}

static int read_file(const char *path, const vasp_chgcar_opts *o, ds_grid *g, vasp_chgcar_info *info, ds_err *e)
{
    grid_init(g);
    ds_err_clear(e);
    return vasp_chgcar_read(path, o, g, info, e);
}

TEST(spin_chgcar_layout_and_sets)
{
    ds_grid g;
    vasp_chgcar_info info;
    ds_err e;
    CHECK(read_file(FIXTURE("bader/CHGCAR_spin"), NULL, &g, &info, &e) == DS_OK);
    CHECK(g.n[0] == 3 && g.n[1] == 4 && g.n[2] == 5);
    CHECK(g.n_sets == 2);
    CHECK(info.vasp5 == 1 && info.n_types == 2 && info.species_known == 1 && info.truncated_set == -1);
    CHECK_STR(g.units, "rho*V_cell");
    CHECK_STR(g.comment[0], "NaCl test cell");
    CHECK(g.n_atoms == 2 && g.atomic_numbers[0] == 11 && g.atomic_numbers[1] == 17);
    CHECK_NEAR(g.lattice_angstrom[2][1], 0.7, 0);
    /* Cl at (0.5, 0.25, 0.5): 0.5 a + 0.25 b + 0.5 c */
    CHECK_NEAR(g.positions_angstrom[1][0], 0.5 * 4 + 0.25 * 1 + 0.5 * 0.5, 1e-15);
    CHECK_NEAR(g.positions_angstrom[1][1], 0.25 * 5 + 0.5 * 0.7, 1e-15);
    CHECK_NEAR(info.positions_frac[1][1], 0.25, 0);
    int bad = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 5; k++) {
                bad += at(&g, 0, i, j, k) != fx(i, j, k);
                bad += at(&g, 1, i, j, k) != -(fx(i, j, k) + 0.25);
            }
    CHECK_MSG(bad == 0, "%d values in the wrong place", bad);
    vasp_chgcar_info_free(&info);
    grid_free(&g);

    vasp_chgcar_opts one = {.max_sets = 1};
    CHECK(read_file(FIXTURE("bader/CHGCAR_spin"), &one, &g, NULL, &e) == DS_OK);
    CHECK(g.n_sets == 1 && g.values[1] == NULL);
    grid_free(&g);
}

TEST(gzip_same_as_plain)
{
    size_t n;
    char *b = slurp(FIXTURE("bader/CHGCAR_spin"), &n);
    CHECK(b != NULL);
    if (!b) return;
    char path[] = "/tmp/ds_chgcar_gzXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    gzFile gz = gzopen(path, "wb");
    gzwrite(gz, b, (unsigned)n);
    gzclose(gz);
    ds_grid g, h;
    ds_err e;
    CHECK(read_file(path, NULL, &g, NULL, &e) == DS_OK);
    CHECK(read_file(FIXTURE("bader/CHGCAR_spin"), NULL, &h, NULL, &e) == DS_OK);
    CHECK(g.n_sets == 2 && h.n_sets == 2);
    if (g.n_sets == 2 && h.n_sets == 2)
        CHECK(memcmp(g.values[1], h.values[1], grid_n_points(&g) * sizeof(double)) == 0);
    CHECK(vasp_chgcar_sniff(path) == 1);
    grid_free(&g);
    grid_free(&h);
    unlink(path);
    free(b);
}

TEST(vasp4_species_from_title_hint_or_unknown)
{
    ds_grid g;
    vasp_chgcar_info info;
    ds_err e;
    vasp_chgcar_opts pot = {.units = "eV"};
    CHECK(read_file(FIXTURE("bader/LOCPOT_vasp4"), &pot, &g, &info, &e) == DS_OK);
    CHECK(info.vasp5 == 0 && info.species_known == 1);
    CHECK(g.atomic_numbers[0] == 11 && g.atomic_numbers[1] == 17);
    CHECK_STR(g.units, "eV");
    CHECK(g.n_sets == 1 && at(&g, 0, 2, 3, 4) == fx(2, 3, 4));
    vasp_chgcar_info_free(&info);
    grid_free(&g);

    CHECK(read_file(FIXTURE("bader/CHG_vasp4_nonames"), NULL, &g, &info, &e) == DS_OK);
    CHECK(info.species_known == 0 && g.atomic_numbers[0] == 0);
    CHECK_NEAR(at(&g, 0, 1, 2, 3), fx(1, 2, 3), 1e-12); /* 10 values per line, 6 digits */
    vasp_chgcar_info_free(&info);
    grid_free(&g);

    vasp_chgcar_opts hint = {.species_hint = "K F"};
    CHECK(read_file(FIXTURE("bader/CHG_vasp4_nonames"), &hint, &g, &info, &e) == DS_OK);
    CHECK(info.species_known == 1 && g.atomic_numbers[0] == 19 && g.atomic_numbers[1] == 9);
    vasp_chgcar_info_free(&info);
    grid_free(&g);
}

TEST(cartesian_selective_negative_scale)
{
    ds_grid g;
    vasp_chgcar_info info;
    ds_err e;
    CHECK(read_file(FIXTURE("bader/CHGCAR_cartesian"), NULL, &g, &info, &e) == DS_OK);
    double f = cbrt(2.0); /* volume 240 A^3 asked, the raw cell has 120 */
    CHECK_NEAR(g.lattice_angstrom[0][0], 4 * f, 1e-12);
    CHECK_NEAR(g.positions_angstrom[1][0], 2.5 * f, 1e-12);
    /* Cartesian (2.5, 1.6, 3.0) in the raw cell is fractional (0.5, 0.25, 0.5) */
    CHECK_NEAR(info.positions_frac[1][0], 0.5, 1e-12);
    CHECK_NEAR(info.positions_frac[1][1], 0.25, 1e-12);
    CHECK_NEAR(info.positions_frac[1][2], 0.5, 1e-12);
    vasp_chgcar_info_free(&info);
    grid_free(&g);
}

/* Truncating at many points never crashes: a cut before the end of the first set is an error
 * naming the file and a line; whatever is accepted is exactly right; a cut inside the second
 * set keeps the first and reports the drop. */
TEST(truncated_at_many_points)
{
    size_t n;
    char *b = slurp(FIXTURE("bader/CHGCAR_spin"), &n);
    CHECK(b != NULL);
    if (!b) return;
    size_t first_aug = (size_t)(strstr(b, "augmentation") - b);
    size_t second_at = (size_t)(strstr(b + first_aug, "    3    4    5") - b);
    size_t second_aug = (size_t)(strstr(b + second_at, "augmentation") - b);
    size_t last_line = first_aug - 1;
    while (last_line > 0 && b[last_line - 1] != '\n') last_line--;
    char path[] = "/tmp/ds_chgcar_cutXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    int cuts = 0, errors = 0, partial = 0;
    for (size_t cut = 0; cut < n; cut += 37) {
        write_bytes(path, b, cut);
        ds_grid g;
        vasp_chgcar_info info;
        ds_err e;
        int rc = read_file(path, NULL, &g, &info, &e);
        cuts++;
        if (rc != DS_OK) {
            errors++;
            CHECK_MSG(rc == DS_ETRUNC || rc == DS_EFORMAT, "cut %zu: code %d", cut, rc);
            CHECK_MSG(strstr(e.file, "ds_chgcar_cut") != NULL, "cut %zu: no file in error", cut);
            CHECK_MSG(cut == 0 || e.line > 0, "cut %zu: no line in '%s'", cut, e.msg);
            CHECK_MSG(cut < first_aug, "cut %zu after the first set failed: %s", cut, e.msg);
        } else {
            CHECK_MSG(cut > last_line, "cut %zu inside the first set accepted", cut);
            int bad = 0;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                    for (int k = 0; k < 5; k++) {
                        bad += at(&g, 0, i, j, k) != fx(i, j, k);
                        if (g.n_sets == 2) bad += at(&g, 1, i, j, k) != -(fx(i, j, k) + 0.25);
                    }
            CHECK_MSG(bad == 0, "cut %zu: %d wrong values accepted", cut, bad);
            if (cut > second_at + 20 && cut < second_aug - 20) {
                CHECK_MSG(g.n_sets == 1 && info.truncated_set == 1, "cut %zu: drop of set 2 not reported", cut);
                partial += g.n_sets == 1 && info.truncated_set == 1 && strstr(info.warning, "data set 2") != NULL;
            }
        }
        vasp_chgcar_info_free(&info);
        grid_free(&g);
    }
    CHECK(cuts >= 50);
    CHECK(errors > 30 && partial > 5);
    unlink(path);
    free(b);
}

static int read_text(const char *text, ds_err *e)
{
    char path[] = "/tmp/ds_chgcar_badXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_bytes(path, text, strlen(text));
    ds_grid g;
    int rc = read_file(path, NULL, &g, NULL, e);
    grid_free(&g);
    unlink(path);
    return rc;
}

static char *with_data(const char *head, const char *data)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s%s", head, data);
    return buf;
}

static const char head8[] = "t\n1.0\n2 0 0\n0 2 0\n0 0 2\nH\n1\nDirect\n0 0 0\n\n2 2 2\n";

TEST(bad_input_gives_clear_errors)
{
    ds_err e;
    CHECK(read_text("", &e) == DS_EFORMAT);
    CHECK(strstr(e.msg, "empty") != NULL);
    CHECK(read_text("\x01\x02\x7f\x03garbage\n\x05\n", &e) == DS_EFORMAT);
    CHECK(read_text(with_data(head8, "1 2 3 4 5 6 7 8\n"), &e) == DS_OK);
    CHECK(read_text(with_data(head8, "1 2 3 NaN 5 6 7 8\n"), &e) == DS_EFORMAT);
    CHECK(strstr(e.msg, "non-finite") != NULL && e.line == 12);
    CHECK(read_text(with_data(head8, "1 2 3 ******** 5 6 7 8\n"), &e) == DS_EFORMAT);
    CHECK(strstr(e.msg, "****") != NULL);
    CHECK(read_text(with_data(head8, "1 2 3 4 5\naugmentation occupancies 1 2\n"), &e) == DS_EFORMAT);
    CHECK(strstr(e.msg, "do not match") != NULL && e.line == 13);
    CHECK(read_text(with_data(head8, "1 2 3 4 5\n"), &e) == DS_ETRUNC); /* too short for 8 values at all */
    CHECK(strstr(e.msg, "needs 8 values") != NULL && e.line == 11);
    CHECK(read_text(with_data(head8, "1 2 3 4 5\n\n\n\n\n\n\n\n\n"), &e) == DS_ETRUNC);
    CHECK(strstr(e.msg, "5 of the 8") != NULL);
    CHECK(read_text(with_data(head8, "1 2 3 4 5 6 7 8."), &e) == DS_OK);
    CHECK(read_text("t\n1.0\n2 0 0\n0 2 0\n0 0 2\nH\n1\nDirect\n0 0 0\n\n2 2 2\n1.0E+00 2.0E+00 3.0E+00 4.0E+00 5.0E+00 "
                    "6.0E+00 7.0E+00 8.0E+",
                    &e) == DS_ETRUNC); /* last value cut on an unterminated line */
    CHECK(read_text("t\n1.0\n2 0 0\n4 0 0\n0 0 2\nH\n1\nDirect\n0 0 0\n\n2 2 2\n1 2 3 4 5 6 7 8\n", &e) == DS_EFORMAT);
    CHECK(strstr(e.msg, "zero volume") != NULL);
    CHECK(read_text("t\n1.0\n2 0 0\n0 2 0\n0 0 2\nH\n1\nDirect\n0 0 0\n\n100000 100000 100000\n1 2 3\n", &e) != DS_OK);
    CHECK(e.code == DS_ENOMEM || e.code == DS_ETRUNC);
    /* counts say 2 atoms, one position line, then the grid line is taken as a position:
     * the real grid line is then missing or wrong */
    CHECK(read_text("t\n1.0\n2 0 0\n0 2 0\n0 0 2\nH\n2\nDirect\n0 0 0\n\n2 2 2\n1 2 3 4 5 6 7 8\n", &e) == DS_EFORMAT);
    CHECK(read_text("t\n1.0\n2 0 0\n0 2 0\n0 0 2\nXx\n1\nDirect\n0 0 0\n\n2 2 2\n1 2 3 4 5 6 7 8\n", &e) == DS_EFORMAT);
    CHECK(strstr(e.msg, "species") != NULL);
    CHECK(read_text("t\n1.0\n2 0 0\n0 2 0\n0 0 2\nH\n1\nDirect\n0 0 0\n\n2 0 2\n", &e) == DS_EFORMAT);
}

TEST(sniff_tells_cube_from_chgcar)
{
    char path[] = "/tmp/ds_chgcar_sniffXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    const char cube[] = " cube\n comment\n    1    0.0 0.0 0.0\n    2    1.0 0.0 0.0\n    2 0.0 1.0 0.0\n";
    write_bytes(path, cube, strlen(cube));
    CHECK(vasp_chgcar_sniff(path) == 0);
    CHECK(vasp_chgcar_sniff(FIXTURE("bader/LOCPOT_vasp4")) == 1);
    CHECK(vasp_chgcar_sniff("/nonexistent/CHGCAR") == 0);
    unlink(path);
}

int main(void)
{
    RUN(spin_chgcar_layout_and_sets);
    RUN(gzip_same_as_plain);
    RUN(vasp4_species_from_title_hint_or_unknown);
    RUN(cartesian_selective_negative_scale);
    RUN(truncated_at_many_points);
    RUN(bad_input_gives_clear_errors);
    RUN(sniff_tells_cube_from_chgcar);
    return TEST_FINISH();
}
