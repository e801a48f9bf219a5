/* Unit tests for parsers/vasp_vasprun on the project's hand-written vasprun.xml
 * (tests/fixtures/vasp/feo-relax): values, the VASP 4/5 e_0_energy correction, eigenvalues,
 * DOS and PDOS layout, gzip, truncation at many points, garbage, overflow and NaN fields. */
#include <unistd.h>
#include <zlib.h>

#include "parsers/vasp_vasprun.h"
#include "tests/test.h"

static char *fixture_text(size_t *len)
{
    ds_err err;
    char *text = NULL;
    if (ds_read_all(FIXTURE("vasp/feo-relax/vasprun.xml"), 1 << 24, &text, len, &err) != DS_OK) return NULL;
    return text;
}

static void write_tmp(const char *path, const char *data, size_t n, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, data, (unsigned)n);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void check_full(const ds_run *r)
{
    CHECK(r->code == RUN_CODE_VASP);
    CHECK_STR(r->code_version, "5.4.4.18Apr17-6-g9f103f2a35");
    CHECK(r->n_atoms == 2 && r->n_kinds == 2);
    CHECK_STR(r->species[0], "Fe");
    CHECK_STR(r->species[1], "O");
    CHECK(r->kinds[0].zval == 8.0 && r->kinds[1].zval == 6.0);
    CHECK_STR(r->kinds[0].pseudopotential, "PAW_PBE Fe 06Sep2000");
    CHECK(r->n_steps == 2);
    /* e_0_energy is written as 0 in the calculation block (VASP 5 bug): the corrected
     * value is e_fr + (e_0 - e_fr) of the last SCF step = -16.3129 + 0.1/4 */
    CHECK_NEAR(r->steps[1].energy_sigma0_eV, -16.2879, 1e-12);
    CHECK_NEAR(r->steps[1].energy_free_eV, -16.31234567 + 0.025, 1e-12);
    CHECK(r->steps[0].n_scf_steps == 3 && r->steps[1].n_scf_steps == 4);
    CHECK_NEAR(r->steps[0].max_force_eV_per_angstrom, 0.1, 1e-12);
    CHECK(r->converged_electronic == 1 && r->converged_ionic == 1 && r->terminated_normally == 1 && !r->truncated);
    CHECK_NEAR(r->fermi_eV, 1.2345, 0);
    CHECK(r->has_eigen && r->eigen.n_spins == 2 && r->eigen.n_kpoints == 2 && r->eigen.n_bands == 6);
    CHECK_NEAR(r->eigen.energies_eV[(1 * 2 + 1) * 6 + 2], -8.0 + 5.0 + 0.3 + 0.2, 1e-12);
    CHECK(r->eigen.kweights && r->eigen.kweights[1] == 0.75);
    CHECK(r->has_dos && r->dos.n_points == 7 && r->dos.n_spins == 2);
    CHECK(r->dos.n_pdos_atoms == 2 && r->dos.n_pdos_spins == 2 && r->dos.n_orbitals == 9);
    CHECK_STR(r->dos.orbital_labels[8], "dx2");
    /* pdos[atom 0][spin 0][orbital 0 (s)][point 3] = 0.01 * 4 */
    CHECK_NEAR(r->dos.pdos[((0 * 2 + 0) * 9 + 0) * 7 + 3], 0.04, 1e-12);
    CHECK(r->settings.kmesh[0] == 2 && r->settings.ldau == 1);
    CHECK_NEAR(r->settings.encut_eV, 520, 0);
    CHECK_STR(r->settings.dispersion, "D3(BJ)");
    CHECK(r->has_initial && r->has_final);
    CHECK_NEAR(r->initial.positions_angstrom[1][0], 0.51 * 0 + 0.5 * 2.15 + 0.5 * 2.15, 1e-12);
}

TEST(reads_every_field)
{
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_vasprun_read(FIXTURE("vasp/feo-relax/vasprun.xml"), &r, &err) == DS_OK);
    check_full(&r);
    run_free(&r);
}

TEST(gzip_reads_the_same)
{
    size_t n;
    char *text = fixture_text(&n);
    CHECK(text != NULL);
    if (!text) return;
    write_tmp("/tmp/ds_vr_test.xml.gz", text, n, 1);
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_vasprun_read("/tmp/ds_vr_test.xml.gz", &r, &err) == DS_OK);
    check_full(&r);
    run_free(&r);
    unlink("/tmp/ds_vr_test.xml.gz");
    free(text);
}

/* Cut the file at >= 50 points: every cut gives only complete steps (flagged truncated)
 * or a clear error, never a crash or a partial step. */
TEST(truncation_keeps_complete_steps_only)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    const char *second_calc_end = strstr(strstr(text, "</calculation>") + 1, "</calculation>");
    size_t first_end = (size_t)(strstr(text, "</calculation>") - text);
    int cuts = 0;
    for (size_t cut = 0; cut < n; cut += n / 60 + 1, cuts++) {
        write_tmp("/tmp/ds_vr_cut.xml", text, cut, 0);
        ds_run r;
        run_init(&r);
        ds_err err;
        int rc = vasp_vasprun_read("/tmp/ds_vr_cut.xml", &r, &err);
        if (rc == DS_OK) {
            CHECK(r.truncated == 1);
            int expect = cut > (size_t)(second_calc_end - text) + 14 ? 2 : cut > first_end + 14 ? 1 : 0;
            CHECK_MSG(r.n_steps == expect, "cut %zu: %d steps, expected %d", cut, r.n_steps, expect);
        } else {
            CHECK_MSG(err.file[0] && err.msg[0], "cut %zu: error without a message", cut);
        }
        run_free(&r);
    }
    CHECK(cuts >= 50);
    unlink("/tmp/ds_vr_cut.xml");
    free(text);
}

TEST(garbage_empty_and_not_vasprun)
{
    ds_run r;
    ds_err err;
    write_tmp("/tmp/ds_vr_bad.xml", "", 0, 0);
    run_init(&r);
    CHECK(vasp_vasprun_read("/tmp/ds_vr_bad.xml", &r, &err) != DS_OK);
    run_free(&r);
    char junk[2048];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (char)((i * 7919u + 13u) & 0xff);
    write_tmp("/tmp/ds_vr_bad.xml", junk, sizeof junk, 0);
    run_init(&r);
    CHECK(vasp_vasprun_read("/tmp/ds_vr_bad.xml", &r, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "<modeling>") != NULL && strstr(err.file, "ds_vr_bad.xml") != NULL);
    run_free(&r);
    write_tmp("/tmp/ds_vr_bad.xml", "<?xml version=\"1.0\"?>\n<other>\n</other>\n", 38, 0);
    run_init(&r);
    CHECK(vasp_vasprun_read("/tmp/ds_vr_bad.xml", &r, &err) == DS_EFORMAT);
    run_free(&r);
    unlink("/tmp/ds_vr_bad.xml");
}

TEST(overflow_and_nan_fields_are_flagged)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    char *p = strstr(text, "<r>     1.0000");
    if (!p) p = strstr(text, "<r>");
    /* put a Fortran overflow field and a NaN into DOS/eigenvalue rows */
    char *q = strstr(strstr(text, "<total>"), "<r>");
    memcpy(q + 4, "**********", 10); /* the whole %10.4f field */
    char *e = strstr(strstr(text, "<eigenvalues>"), "<r>");
    memcpy(e + 4, "       NaN", 10);
    write_tmp("/tmp/ds_vr_ovf.xml", text, n, 0);
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_vasprun_read("/tmp/ds_vr_ovf.xml", &r, &err) == DS_OK);
    CHECK(r.has_overflow_fields == 1 && r.has_nonfinite == 1);
    CHECK(r.n_warnings >= 2);
    CHECK(r.n_steps == 2); /* flagged, not refused */
    run_free(&r);
    unlink("/tmp/ds_vr_ovf.xml");

    free(text);
    (void)p;
}

int main(void)
{
    RUN(reads_every_field);
    RUN(gzip_reads_the_same);
    RUN(truncation_keeps_complete_steps_only);
    RUN(garbage_empty_and_not_vasprun);
    RUN(overflow_and_nan_fields_are_flagged);
    return TEST_FINISH();
}
