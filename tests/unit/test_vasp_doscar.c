/* Unit tests for parsers/vasp_doscar: total DOS (ISPIN 1/2), site blocks of every layout
 * (LORBIT 10 spd, LORBIT 11 lm with ISPIN 1/2, noncollinear lm, noncollinear lm+f wrapped
 * over two lines, the one ambiguous column count), total-only files, gzip, and hostile input.
 * Fixture values encode their place (tests/fixtures/vasp/make_fixtures.py). */
#include "parsers/vasp_doscar.h"
#include "tests/test.h"

#include <unistd.h>
#include <zlib.h>

#define NEDOS 10

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

static int rd(const char *path, int ncl, ds_run *run, ds_err *err)
{
    run_init(run);
    ds_err_clear(err);
    return vasp_doscar_read(path, ncl, run, err);
}

/* A fixture file with its text edited: the first occurrence of from replaced by to. */
static const char *edited(const char *fixture, const char *from, const char *to)
{
    size_t n;
    char *text = slurp(FIXTURE(fixture), &n);
    const char *p = tmp_path("DOSCAR_edit");
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

static double code(int a, int s, int o, int i)
{
    return (1000 + 4000 * a + 1000 * s + 60 * o + i) * 1e-4;
}

/* Every projection equals the value the generator wrote for its (ion, component, orbital). */
static int pdos_values_ok(const run_dos *d)
{
    for (int a = 0; a < d->n_pdos_atoms; a++)
        for (int s = 0; s < d->n_pdos_spins; s++)
            for (int o = 0; o < d->n_orbitals; o++)
                for (int i = 0; i < d->n_points; i++) {
                    double v = d->pdos[(((size_t)a * d->n_pdos_spins + s) * d->n_orbitals + o) * d->n_points + i];
                    if (fabs(v - code(a, s, o, i)) > 1e-12) {
                        printf("  pdos[a=%d s=%d o=%d i=%d] = %g, expected %g\n", a, s, o, i, v, code(a, s, o, i));
                        return 0;
                    }
                }
    return 1;
}

static void check_total(const ds_run *run, int ns)
{
    const run_dos *d = &run->dos;
    CHECK(run->has_dos && d->n_points == NEDOS && d->n_spins == ns);
    CHECK_NEAR(run->fermi_eV, 0.5, 0);
    for (int i = 0; i < NEDOS; i++) {
        CHECK_NEAR(d->energies_eV[i], -5.0 + i, 0);
        for (int s = 0; s < ns; s++) {
            CHECK_NEAR(d->total[s * NEDOS + i], 0.1 * (i + 1) + 0.5 * s, 1e-12);
            CHECK_NEAR(d->integrated[s * NEDOS + i], 0.1 * (i + 1) * (i + 2) / 2 + 0.5 * s * (i + 1), 1e-12);
        }
    }
}

TEST(ispin1_lorbit10)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/DOSCAR_ispin1_lorbit10"), -1, &run, &err) == DS_OK);
    check_total(&run, 1);
    const run_dos *d = &run.dos;
    CHECK(d->n_pdos_atoms == 2 && d->n_pdos_spins == 1 && d->n_orbitals == 3);
    CHECK_STR(d->orbital_labels[0], "s");
    CHECK_STR(d->orbital_labels[2], "d");
    CHECK(pdos_values_ok(d));
    CHECK(run.settings.noncollinear == 0 && run.settings.spin_polarized == 0);
    CHECK(run.n_warnings == 0 && !run.truncated);
    CHECK_STR(run_source_of(&run, "dos"), FIXTURE("vasp/DOSCAR_ispin1_lorbit10"));
    run_free(&run);
}

TEST(ispin2_lorbit11_interleaved_spins)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/DOSCAR_ispin2_lorbit11"), -1, &run, &err) == DS_OK);
    check_total(&run, 2);
    const run_dos *d = &run.dos;
    CHECK(d->n_pdos_atoms == 2 && d->n_pdos_spins == 2 && d->n_orbitals == 9);
    const char *want[9] = {"s", "py", "pz", "px", "dxy", "dyz", "dz2", "dxz", "dx2"};
    for (int o = 0; o < 9 && d->orbital_labels; o++) CHECK_STR(d->orbital_labels[o], want[o]);
    CHECK(pdos_values_ok(d));
    CHECK(run.settings.spin_polarized == 1 && run.settings.noncollinear == 0);
    run_free(&run);
    /* A caller that believes the run noncollinear is told the file says otherwise. */
    CHECK(rd(FIXTURE("vasp/DOSCAR_ispin2_lorbit11"), 1, &run, &err) == DS_OK);
    CHECK(run.dos.n_pdos_spins == 2 && has_warning(&run, "5 columns"));
    run_free(&run);
}

TEST(noncollinear_lorbit11)
{
    ds_run run;
    ds_err err;
    for (int hint = -1; hint <= 1; hint += 2) {
        CHECK(rd(FIXTURE("vasp/DOSCAR_ncl_lorbit11"), hint, &run, &err) == DS_OK);
        check_total(&run, 1);
        CHECK(run.dos.n_pdos_atoms == 2 && run.dos.n_pdos_spins == 4 && run.dos.n_orbitals == 9);
        CHECK(pdos_values_ok(&run.dos));
        CHECK(run.settings.noncollinear == 1);
        run_free(&run);
    }
    /* Said collinear: 36 values fit no collinear layout; total kept, projections refused. */
    CHECK(rd(FIXTURE("vasp/DOSCAR_ncl_lorbit11"), 0, &run, &err) == DS_OK);
    check_total(&run, 1);
    CHECK(run.dos.n_pdos_atoms == 0 && run.dos.pdos == NULL);
    CHECK(has_warning(&run, "match no VASP layout"));
    run_free(&run);
}

TEST(noncollinear_f_rows_wrapped_over_two_lines)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/DOSCAR_ncl_f_wrapped"), -1, &run, &err) == DS_OK);
    const run_dos *d = &run.dos;
    CHECK(d->n_pdos_atoms == 1 && d->n_pdos_spins == 4 && d->n_orbitals == 16);
    CHECK_STR(d->orbital_labels[9], "f_3");
    CHECK_STR(d->orbital_labels[15], "f3");
    CHECK(pdos_values_ok(d));
    CHECK(has_warning(&run, "wrapped"));
    run_free(&run);
}

TEST(sixteen_values_are_ambiguous_without_a_hint)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/DOSCAR_ispin1_lm_f"), -1, &run, &err) == DS_OK);
    check_total(&run, 1);
    CHECK(run.dos.n_pdos_atoms == 0 && has_warning(&run, "noncollinear"));
    run_free(&run);
    CHECK(rd(FIXTURE("vasp/DOSCAR_ispin1_lm_f"), 0, &run, &err) == DS_OK);
    CHECK(run.dos.n_pdos_spins == 1 && run.dos.n_orbitals == 16 && pdos_values_ok(&run.dos));
    run_free(&run);
    CHECK(rd(FIXTURE("vasp/DOSCAR_ispin1_lm_f"), 1, &run, &err) == DS_OK);
    CHECK(run.dos.n_pdos_spins == 4 && run.dos.n_orbitals == 4);
    CHECK_STR(run.dos.orbital_labels[3], "f");
    /* Column j of the file (written as lm orbital j) is orbital j / 4, component j % 4. */
    for (int o = 0; o < 4; o++)
        for (int s = 0; s < 4; s++)
            CHECK_NEAR(run.dos.pdos[((size_t)s * 4 + o) * NEDOS + 7], code(0, 0, 4 * o + s, 7), 1e-12);
    run_free(&run);
}

TEST(total_only)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/DOSCAR_total_only"), -1, &run, &err) == DS_OK);
    check_total(&run, 1);
    CHECK(run.dos.n_pdos_atoms == 0 && run.dos.pdos == NULL && run.n_warnings == 0 && !run.truncated);
    run_free(&run);
}

TEST(gzip_same_as_plain)
{
    size_t n;
    char *text = slurp(FIXTURE("vasp/DOSCAR_ispin2_lorbit11"), &n);
    CHECK(text != NULL);
    if (!text) return;
    const char *gz = tmp_path("DOSCAR.gz");
    write_bytes(gz, text, n, 1);
    ds_run run;
    ds_err err;
    CHECK(rd(gz, -1, &run, &err) == DS_OK);
    check_total(&run, 2);
    CHECK(run.dos.n_pdos_atoms == 2 && pdos_values_ok(&run.dos));
    run_free(&run);
    /* The .gz itself cut short: an error or flagged complete blocks, never garbage. */
    size_t gn;
    char *gzb = slurp(gz, &gn);
    for (size_t cut = 10; gzb && cut < gn; cut += gn / 40 + 1) {
        const char *p = tmp_path("DOSCAR_cut.gz");
        write_bytes(p, gzb, cut, 0);
        int rc = rd(p, -1, &run, &err);
        if (rc == DS_OK) {
            CHECK(run.truncated == 1 && pdos_values_ok(&run.dos));
        } else {
            CHECK(rc == DS_ETRUNC || rc == DS_EFORMAT || rc == DS_EIO);
        }
        run_free(&run);
    }
    free(gzb);
    free(text);
}

TEST(truncated_at_many_points)
{
    const char *files[] = {"vasp/DOSCAR_ispin2_lorbit11", "vasp/DOSCAR_ncl_f_wrapped", "vasp/DOSCAR_total_only"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        size_t n;
        char *text = slurp(FIXTURE(files[f]), &n);
        CHECK(text != NULL);
        if (!text) continue;
        /* The total block ends after line 6 + NEDOS. */
        size_t total_end = 0;
        for (int line = 0; line < 6 + NEDOS; line++) total_end = (size_t)(strchr(text + total_end, '\n') - text) + 1;
        ds_run full;
        ds_err err;
        CHECK(rd(FIXTURE(files[f]), -1, &full, &err) == DS_OK);
        size_t step = n / 120 + 1;
        int cuts = 0;
        for (size_t cut = 0; cut < n; cut += step, cuts++) {
            const char *p = tmp_path("DOSCAR_cut");
            write_bytes(p, text, cut, 0);
            ds_run run;
            int rc = rd(p, -1, &run, &err);
            if (cut + 1 < total_end) {
                /* Inside the total DOS (a last line without newline counts as cut): an error. */
                CHECK_MSG(rc == DS_ETRUNC, "cut %zu of %s: rc %d", cut, files[f], rc);
                CHECK_STR(err.file, p);
                CHECK(err.line >= 1 && err.msg[0]);
            } else {
                CHECK_MSG(rc == DS_OK, "cut %zu of %s: rc %d", cut, files[f], rc);
                CHECK(run.dos.n_pdos_atoms <= full.dos.n_pdos_atoms);
                CHECK(pdos_values_ok(&run.dos));
                if (full.dos.n_pdos_atoms > 0 && cut > total_end) CHECK(run.truncated == 1 && run.n_warnings > 0);
            }
            run_free(&run);
        }
        CHECK(cuts >= 50);
        run_free(&full);
        free(text);
    }
}

TEST(empty_garbage_and_missing)
{
    ds_run run;
    ds_err err;
    const char *p = tmp_path("DOSCAR_bad");
    write_bytes(p, "", 0, 0);
    CHECK(rd(p, -1, &run, &err) == DS_ETRUNC);
    CHECK(err.line == 1 && strstr(err.msg, "empty"));
    run_free(&run);
    const char bin[] = "\x1f\x8b\x08garbage\0\xff\xfe\n\x01\x02";
    write_bytes(p, bin, sizeof bin - 1, 0);
    CHECK(rd(p, -1, &run, &err) != DS_OK);
    run_free(&run);
    const char *txt = "This is\nnot a DOSCAR\n";
    write_bytes(p, txt, strlen(txt), 0);
    CHECK(rd(p, -1, &run, &err) == DS_EFORMAT);
    CHECK(err.line == 1 && strstr(err.msg, "not a DOSCAR"));
    run_free(&run);
    CHECK(rd("/nonexistent/DOSCAR", -1, &run, &err) == DS_EIO);
    run_free(&run);
}

TEST(overflow_and_nan_fields_flagged)
{
    ds_run run;
    ds_err err;
    const char *p = edited("vasp/DOSCAR_ispin1_lorbit10", "  0.3000E+00  0.6000E+00", "  ***********  0.6000E+00");
    CHECK(p && rd(p, -1, &run, &err) == DS_OK);
    CHECK(run.has_overflow_fields == 1 && isnan(run.dos.total[2]) && has_warning(&run, "****"));
    CHECK(run.dos.n_pdos_atoms == 2);
    run_free(&run);
    p = edited("vasp/DOSCAR_ispin1_lorbit10", "  0.1000E+00  0.1060E+00", "         NaN  0.1060E+00");
    CHECK(p && rd(p, -1, &run, &err) == DS_OK);
    CHECK(run.has_nonfinite == 1 && isnan(run.dos.pdos[0]));
    run_free(&run);
    /* Header fields: NEDOS as '***' or text is not a DOSCAR we can read. */
    p = edited("vasp/DOSCAR_ispin1_lorbit10", " 10      0.50000000", " ***      0.50000000");
    CHECK(p && rd(p, -1, &run, &err) == DS_EFORMAT);
    CHECK(err.line == 6);
    run_free(&run);
}

TEST(header_counts_checked_against_the_file)
{
    ds_run run;
    ds_err err;
    /* NEDOS claims 5 million points: read as far as the file goes, then a clear error. */
    const char *p = edited("vasp/DOSCAR_total_only", " 10      0.50000000", " 5000000      0.50000000");
    CHECK(p && rd(p, -1, &run, &err) == DS_ETRUNC);
    CHECK(strstr(err.msg, "after 10 of NEDOS = 5000000") != NULL);
    run_free(&run);
    p = edited("vasp/DOSCAR_total_only", " 10      0.50000000", " 99999999999      0.50000000");
    CHECK(p && rd(p, -1, &run, &err) == DS_EFORMAT);
    run_free(&run);
    /* NIONS larger than the blocks present: the blocks there are kept, flagged. */
    p = edited("vasp/DOSCAR_ispin1_lorbit10", "   2   2   1   0", "9999999   2   1   0");
    CHECK(p && rd(p, -1, &run, &err) == DS_OK);
    CHECK(run.dos.n_pdos_atoms == 2 && run.truncated == 1 && pdos_values_ok(&run.dos));
    run_free(&run);
    p = edited("vasp/DOSCAR_ispin1_lorbit10", "   2   2   1   0", "  -3   2   1   0");
    CHECK(p && rd(p, -1, &run, &err) == DS_EFORMAT);
    run_free(&run);
    /* A total row with 4 columns. */
    p = edited("vasp/DOSCAR_total_only", "  0.3000E+00  0.6000E+00\n", "  0.3000E+00  0.6000E+00  0.1E+00\n");
    CHECK(p && rd(p, -1, &run, &err) == DS_EFORMAT);
    CHECK(err.line == 9);
    run_free(&run);
    /* A short row inside the second site block: first ion kept, the rest refused. */
    p = edited("vasp/DOSCAR_ispin1_lorbit10", "  0.5003E+00  0.5063E+00  0.5123E+00", "  0.5003E+00  0.5063E+00");
    CHECK(p && rd(p, -1, &run, &err) == DS_OK);
    CHECK(run.dos.n_pdos_atoms == 1 && !run.truncated && has_warning(&run, "wrong length"));
    CHECK(pdos_values_ok(&run.dos));
    run_free(&run);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ds_doscar_XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    RUN(ispin1_lorbit10);
    RUN(ispin2_lorbit11_interleaved_spins);
    RUN(noncollinear_lorbit11);
    RUN(noncollinear_f_rows_wrapped_over_two_lines);
    RUN(sixteen_values_are_ambiguous_without_a_hint);
    RUN(total_only);
    RUN(gzip_same_as_plain);
    RUN(truncated_at_many_points);
    RUN(empty_garbage_and_missing);
    RUN(overflow_and_nan_fields_flagged);
    RUN(header_counts_checked_against_the_file);
    const char *names[] = {"DOSCAR.gz", "DOSCAR_cut.gz", "DOSCAR_cut", "DOSCAR_bad", "DOSCAR_edit"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) unlink(tmp_path(names[i]));
    rmdir(tmpdir);
    return TEST_FINISH();
}
