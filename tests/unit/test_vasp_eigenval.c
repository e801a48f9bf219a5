/* Unit tests for parsers/vasp_eigenval: ISPIN 1 and 2, with and without occupations, the
 * [spin][k][band] layout, gzip, and hostile input (truncation, garbage, overflow, NaN, wrong
 * NBANDS/NKPTS).  Fixture values: e = -10 + 1.5 b + 0.25 k + 0.125 s, bands 0-1 occupied
 * (tests/fixtures/vasp/make_fixtures.py). */
#include "parsers/vasp_eigenval.h"
#include "tests/test.h"

#include <unistd.h>
#include <zlib.h>

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_bytes(const char *path, const char *text, size_t n, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, text, (unsigned)n);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(text, 1, n, f);
        fclose(f);
    }
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    *n = fread(b, 1, (size_t)sz, f);
    b[*n] = '\0';
    fclose(f);
    return b;
}

static int has_warning(const ds_run *run, const char *needle)
{
    for (int i = 0; i < run->n_warnings; i++)
        if (strstr(run->warnings[i], needle)) return 1;
    return 0;
}

static int rd(const char *path, ds_run *run, ds_err *err)
{
    run_init(run);
    ds_err_clear(err);
    return vasp_eigenval_read(path, run, err);
}

static const char *edited(const char *fixture, const char *from, const char *to)
{
    size_t n;
    char *text = slurp(FIXTURE(fixture), &n);
    const char *p = tmp_path("EIGENVAL_edit");
    char *at = text ? strstr(text, from) : NULL;
    if (!at) {
        free(text);
        return NULL;
    }
    FILE *f = fopen(p, "wb");
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(text);
    return p;
}

/* All values against the generator's formula; nk k-points expected. */
static void check_values(const ds_run *run, int ns, int nk, int occ)
{
    const run_eigen *e = &run->eigen;
    CHECK(run->has_eigen && e->n_spins == ns && e->n_kpoints == nk && e->n_bands == 4);
    if (!(run->has_eigen && e->n_spins == ns && e->n_kpoints == nk && e->n_bands == 4)) return;
    for (int s = 0; s < ns; s++)
        for (int k = 0; k < nk; k++)
            for (int b = 0; b < 4; b++) {
                size_t i = ((size_t)s * nk + k) * 4 + b;
                CHECK_NEAR(e->energies_eV[i], -10 + 1.5 * b + 0.25 * k + 0.125 * s, 1e-12);
                if (occ)
                    CHECK_NEAR(e->occupations[i], b < 2 ? 1.0 : 0.0, 0);
                else
                    CHECK(isnan(e->occupations[i]));
            }
    if (nk == 2) {
        CHECK_NEAR(e->kpoints_frac[3], 0.5, 0);
        CHECK_NEAR(e->kpoints_frac[4], 0.25, 0);
        CHECK_NEAR(e->kweights[1], 0.75, 0);
    }
    CHECK_NEAR(run->settings.nelect, 4.0, 0);
}

TEST(ispin1_with_occupations)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/EIGENVAL_ispin1_occ"), &run, &err) == DS_OK);
    check_values(&run, 1, 2, 1);
    CHECK(run.n_warnings == 0 && !run.truncated && run.settings.spin_polarized == 0);
    CHECK_STR(run_source_of(&run, "eigenvalues"), FIXTURE("vasp/EIGENVAL_ispin1_occ"));
    run_free(&run);
}

TEST(ispin2_with_occupations)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/EIGENVAL_ispin2_occ"), &run, &err) == DS_OK);
    check_values(&run, 2, 2, 1);
    CHECK(run.settings.spin_polarized == 1);
    run_free(&run);
}

TEST(older_files_without_occupations)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/EIGENVAL_ispin1_noocc"), &run, &err) == DS_OK);
    check_values(&run, 1, 2, 0);
    CHECK(has_warning(&run, "no occupations"));
    run_free(&run);
    CHECK(rd(FIXTURE("vasp/EIGENVAL_ispin2_noocc"), &run, &err) == DS_OK);
    check_values(&run, 2, 2, 0);
    run_free(&run);
}

TEST(gzip_same_as_plain)
{
    size_t n;
    char *text = slurp(FIXTURE("vasp/EIGENVAL_ispin2_occ"), &n);
    CHECK(text != NULL);
    if (!text) return;
    const char *gz = tmp_path("EIGENVAL.gz");
    write_bytes(gz, text, n, 1);
    ds_run run;
    ds_err err;
    CHECK(rd(gz, &run, &err) == DS_OK);
    check_values(&run, 2, 2, 1);
    run_free(&run);
    free(text);
}

TEST(truncated_at_every_byte)
{
    const char *files[] = {"vasp/EIGENVAL_ispin2_occ", "vasp/EIGENVAL_ispin1_noocc"};
    for (size_t f = 0; f < 2; f++) {
        size_t n;
        char *text = slurp(FIXTURE(files[f]), &n);
        CHECK(text != NULL);
        if (!text) continue;
        int ns = f == 0 ? 2 : 1, occ = f == 0;
        /* First k-point complete after line 7 + 1 + 4 = 12. */
        size_t first_k_end = 0;
        for (int line = 0; line < 12; line++) first_k_end = (size_t)(strchr(text + first_k_end, '\n') - text) + 1;
        int cuts = 0;
        for (size_t cut = 0; cut < n; cut++, cuts++) {
            const char *p = tmp_path("EIGENVAL_cut");
            write_bytes(p, text, cut, cut % 5 == 2);
            ds_run run;
            ds_err err;
            int rc = rd(p, &run, &err);
            if (rc == DS_OK) {
                CHECK_MSG(cut + 1 >= first_k_end, "cut %zu accepted", cut);
                CHECK(run.truncated == 1);
                check_values(&run, ns, run.eigen.n_kpoints, occ);
                CHECK(run.eigen.n_kpoints == 1 || run.eigen.n_kpoints == 2);
            } else {
                CHECK_MSG(rc == DS_ETRUNC, "cut %zu: rc %d", cut, rc);
                CHECK_STR(err.file, p);
                CHECK(err.line >= 1 && err.msg[0]);
            }
            run_free(&run);
        }
        CHECK(cuts >= 50);
        free(text);
    }
}

TEST(empty_garbage_and_missing)
{
    ds_run run;
    ds_err err;
    const char *p = tmp_path("EIGENVAL_bad");
    write_bytes(p, "", 0, 0);
    CHECK(rd(p, &run, &err) == DS_ETRUNC);
    CHECK(err.line == 1 && strstr(err.msg, "empty"));
    run_free(&run);
    const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    write_bytes(p, bin, sizeof bin - 1, 0);
    CHECK(rd(p, &run, &err) == DS_EFORMAT);
    run_free(&run);
    const char *txt = "   2   2   1   3\nx\nx\nx\nx\n4 1 2\n";
    write_bytes(p, txt, strlen(txt), 0);
    CHECK(rd(p, &run, &err) == DS_EFORMAT);
    CHECK(err.line == 1 && strstr(err.msg, "ISPIN"));
    run_free(&run);
    CHECK(rd("/nonexistent/EIGENVAL", &run, &err) == DS_EIO);
    run_free(&run);
}

TEST(overflow_and_nan_flagged)
{
    ds_run run;
    ds_err err;
    const char *p = edited("vasp/EIGENVAL_ispin2_occ", "     -8.375000", "  ************");
    CHECK(p && rd(p, &run, &err) == DS_OK);
    CHECK(run.has_overflow_fields == 1 && isnan(run.eigen.energies_eV[2 * 4 + 1]));
    CHECK(has_warning(&run, "****"));
    run_free(&run);
    p = edited("vasp/EIGENVAL_ispin1_occ", "      -8.500000", "            NaN");
    CHECK(p && rd(p, &run, &err) == DS_OK);
    CHECK(run.has_nonfinite == 1 && isnan(run.eigen.energies_eV[1]));
    run_free(&run);
}

TEST(wrong_counts)
{
    ds_run run;
    ds_err err;
    /* NBANDS too large: the blank line before k-point 2 is not band 5. */
    const char *p = edited("vasp/EIGENVAL_ispin1_occ", "      4      2      4", "      4      2      5");
    CHECK(p && rd(p, &run, &err) == DS_EFORMAT);
    CHECK(err.line == 13 && strstr(err.msg, "NBANDS"));
    run_free(&run);
    /* NBANDS too small: k-point 1 complete, then band 4 where k-point 2 should start. */
    p = edited("vasp/EIGENVAL_ispin1_occ", "      4      2      4", "      4      2      3");
    CHECK(p && rd(p, &run, &err) == DS_OK);
    CHECK(run.eigen.n_kpoints == 1 && run.eigen.n_bands == 3 && !run.truncated);
    CHECK(has_warning(&run, "1 of NKPTS = 2"));
    run_free(&run);
    /* NKPTS too large: both k-points kept, the file ending is truncation. */
    p = edited("vasp/EIGENVAL_ispin2_occ", "      4      2      4", "      4      9      4");
    CHECK(p && rd(p, &run, &err) == DS_OK);
    CHECK(run.eigen.n_kpoints == 2 && run.truncated == 1);
    run_free(&run);
    /* Absurd header counts are refused before any allocation. */
    p = edited("vasp/EIGENVAL_ispin2_occ", "      4      2      4", "      4 99999999999      4");
    CHECK(p && rd(p, &run, &err) == DS_EFORMAT);
    CHECK(err.line == 6);
    run_free(&run);
    p = edited("vasp/EIGENVAL_ispin2_occ", "      4      2      4", "      4      2 5000000");
    CHECK(p && rd(p, &run, &err) == DS_EFORMAT);
    run_free(&run);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ds_eigenval_XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    RUN(ispin1_with_occupations);
    RUN(ispin2_with_occupations);
    RUN(older_files_without_occupations);
    RUN(gzip_same_as_plain);
    RUN(truncated_at_every_byte);
    RUN(empty_garbage_and_missing);
    RUN(overflow_and_nan_flagged);
    RUN(wrong_counts);
    const char *names[] = {"EIGENVAL.gz", "EIGENVAL_cut", "EIGENVAL_bad", "EIGENVAL_edit"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) unlink(tmp_path(names[i]));
    rmdir(tmpdir);
    return TEST_FINISH();
}
