/* Unit tests for the CP2K readers on the project's own runs (tests/fixtures/cp2k, made by
 * make_fixtures.sh with Debian's cp2k 2023.1): a converged GEO_OPT with its trajectory, OT
 * with the unoccupied-subspace LUMO, a setup abort, a cell given as A/B/C vectors, and the
 * BSSE (counterpoise) run, whose numbers the test re-derives from the output text with its
 * own scanner (zlib + sscanf), independent of parsers/io.c. */
#include <unistd.h>
#include <zlib.h>

#include "parsers/cp2k_dir.h"
#include "parsers/run.h"
#include "screen/store.h"
#include "tests/test.h"

#define HA 27.211386245988

/* Every line of a (gzipped) text file that contains key: the number after key's last
 * ':' or '=' (sscanf %lf), in order.  Returns the count. */
static int scan_after(const char *path, const char *key, const char *sep, double *v, int max)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return -1;
    char line[4096];
    int n = 0;
    while (gzgets(f, line, sizeof line)) {
        char *k = strstr(line, key);
        if (!k) continue;
        char *s = strstr(k, sep);
        if (s && n < max && sscanf(s + strlen(sep), "%lf", &v[n]) == 1) n++;
    }
    gzclose(f);
    return n;
}

static int read_run(const char *name, ds_run *run, ds_err *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cp2k/%s", FIXTURES(), name);
    run_init(run);
    return cp2k_dir_read(path, run, err);
}

TEST(converged_geometry_optimisation)
{
    ds_run run;
    ds_err err;
    CHECK_MSG(read_run("h2o-geo", &run, &err) == DS_OK, "%s", err.msg);
    double e[64], frame_e[64];
    int ne = scan_after(FIXTURE("cp2k/h2o-geo/h2o-geo.out.gz"), "ENERGY| Total FORCE_EVAL", "[a.u.]:", e, 64);
    int nf = scan_after(FIXTURE("cp2k/h2o-geo/h2o-geo-pos-1.xyz.gz"), " i =", "E =", frame_e, 64);
    CHECK(ne >= 3 && nf >= 2);
    CHECK(run.converged_ionic == 1 && run.converged_electronic == 1 && run.terminated_normally == 1);
    CHECK(run.n_steps == ne);
    /* the final energy is the re-evaluation at the minimum: the last ENERGY| line */
    CHECK_NEAR(run_energy_eV(&run), e[ne - 1] * HA, 1e-9);
    /* every frame sits on the step with its energy; the starting geometry has no frame */
    int with_structure = 0;
    for (int i = 0; i < run.n_steps; i++) with_structure += run.steps[i].has_structure;
    CHECK(with_structure == nf);
    CHECK(!run.steps[0].has_structure && run.steps[run.n_steps - 1].has_structure);
    for (int i = 0; i < run.n_steps; i++)
        if (run.steps[i].has_structure) CHECK_NEAR(run.steps[i].energy_sigma0_eV, e[i] * HA, 1e-9);
    CHECK_NEAR(frame_e[nf - 1], e[ne - 1], 1e-10);
    CHECK(run.has_final && run.final.n_atoms == 3);
    for (int i = 0; i < run.n_warnings; i++) CHECK_MSG(!strstr(run.warnings[i], "differs"), "%s", run.warnings[i]);
    /* the final structure is the last frame's (read here by hand: 3 atoms, last 3 lines) */
    gzFile f = gzopen(FIXTURE("cp2k/h2o-geo/h2o-geo-pos-1.xyz.gz"), "rb");
    char line[512], last[3][512];
    int n = 0;
    while (f && gzgets(f, line, sizeof line)) snprintf(last[n++ % 3], sizeof last[0], "%s", line);
    if (f) gzclose(f);
    for (int a = 0; a < 3; a++) {
        char el[8];
        double x[3];
        CHECK(sscanf(last[(n + a) % 3], "%7s %lf %lf %lf", el, &x[0], &x[1], &x[2]) == 4);
        for (int k = 0; k < 3; k++) CHECK_NEAR(run.final.positions_angstrom[a][k], x[k], 1e-12);
    }
    run_free(&run);
}

TEST(ot_lumo_from_the_unoccupied_subspace)
{
    ds_run run;
    ds_err err;
    CHECK_MSG(read_run("h2o-ot", &run, &err) == DS_OK, "%s", err.msg);
    /* the block prints the lowest unoccupied eigenvalues (a.u.) on the line after the header */
    gzFile f = gzopen(FIXTURE("cp2k/h2o-ot/h2o-ot.out.gz"), "rb");
    char line[4096];
    double lumo_Ha = NAN, gap_eV = NAN;
    int after = 0;
    while (f && gzgets(f, line, sizeof line)) {
        if (strstr(line, "Lowest Eigenvalues of the unoccupied subspace")) after = 1;
        else if (after && sscanf(line, "%lf", &lumo_Ha) == 1) after = 0;
        if (strstr(line, "HOMO - LUMO gap [eV] :")) sscanf(strchr(line, ':') + 1, "%lf", &gap_eV);
    }
    if (f) gzclose(f);
    CHECK(!isnan(lumo_Ha) && !isnan(gap_eV));
    CHECK_NEAR(run.lumo_eV, lumo_Ha * HA, 1e-9);
    CHECK_NEAR(run.lumo_eV - run.homo_eV, gap_eV, 1e-5); /* printed with 6 decimals */
    CHECK(run.converged_electronic == 1);
    run_free(&run);
}

TEST(cell_from_a_b_c_vectors_at_full_precision)
{
    ds_run run;
    ds_err err;
    CHECK_MSG(read_run("h2o-ot", &run, &err) == DS_OK, "%s", err.msg);
    const double want[3][3] = {{8.0, 0.0, 0.0}, {0.5, 8.0, 0.0}, {0.0, 0.0, 8.5}}; /* h2o-ot.inp &CELL A/B/C */
    CHECK(run.has_final && run.final.has_lattice);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) CHECK(run.final.lattice_angstrom[i][k] == want[i][k]);
    CHECK_STR(run.settings.periodicity, "XYZ");
    CHECK_NEAR(run_volume_angstrom3(run.final.lattice_angstrom), 544.0, 1e-9); /* CELL| Volume */
    run_free(&run);
    CHECK_MSG(read_run("h2o", &run, &err) == DS_OK, "%s", err.msg); /* ABC 8.0 8.0 8.0 */
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) CHECK(run.final.lattice_angstrom[i][k] == (i == k ? 8.0 : 0.0));
    run_free(&run);
}

TEST(setup_abort_is_a_clear_error)
{
    ds_run run;
    ds_err err;
    CHECK(read_run("oh-abort", &run, &err) != DS_OK);
    CHECK_MSG(strstr(err.msg, "CP2K aborted") && strstr(err.msg, "Use the LSD option for an odd number of electrons") &&
                  strstr(err.msg, "qs_environment.F:1375"),
              "%s", err.msg);
    run_free(&run);
}

/* An abort after the first energy: the run is read and flagged, not truncated. */
TEST(abort_after_an_energy_is_flagged)
{
    gzFile in = gzopen(FIXTURE("cp2k/h2o/h2o.out.gz"), "rb");
    const char *path = "/tmp/ds_cp2k_abort_late.out";
    FILE *out = fopen(path, "w");
    CHECK(in && out);
    if (!in || !out) return;
    char line[4096];
    while (gzgets(in, line, sizeof line)) {
        if (strstr(line, "PROGRAM ENDED AT")) break;
        fputs(line, out);
    }
    gzclose(in);
    fputs(" *******************************************************************************\n"
          " * [ABORT]                                                                     *\n"
          " *  \\___/            something went wrong late                                  *\n"
          " * / \\                                                       qs_scf.F:123 *\n"
          " *******************************************************************************\n",
          out);
    fclose(out);
    ds_run run;
    ds_err err;
    run_init(&run);
    CHECK_MSG(cp2k_dir_read(path, &run, &err) == DS_OK, "%s", err.msg);
    CHECK(run.terminated_normally == 0 && run.truncated == 0 && run.n_steps == 1);
    int seen = 0;
    for (int i = 0; i < run.n_warnings; i++) seen |= strstr(run.warnings[i], "CP2K aborted: something went wrong late (qs_scf.F:123)") != NULL;
    CHECK(seen);
    run_free(&run);
    unlink(path);
}

TEST(bsse_counterpoise_energies)
{
    ds_run run;
    ds_err err;
    CHECK_MSG(read_run("lih2o-bsse", &run, &err) == DS_OK, "%s", err.msg);
    const char *out = FIXTURE("cp2k/lih2o-bsse/lih2o-bsse.out.gz");
    /* the test's own reading: each "FRAGMENT CONF: x  FRAGMENT SUBCONF: y" header is
     * followed by its SCF summary's "Total energy:" line */
    gzFile f = gzopen(out, "rb");
    char line[4096], conf[8][8], sub[8][8];
    double e[8];
    int n = 0;
    while (f && gzgets(f, line, sizeof line)) {
        char *h = strstr(line, "FRAGMENT CONF:");
        if (h && n < 8 && sscanf(h, "FRAGMENT CONF: %7s FRAGMENT SUBCONF: %7s", conf[n], sub[n]) == 2) e[n++] = NAN;
        else if (n && strncmp(line, "  Total energy:", 15) == 0) sscanf(line + 15, "%lf", &e[n - 1]);
    }
    if (f) gzclose(f);
    CHECK(n == 5 && run.bsse.present && run.bsse.n_configs == n && run.bsse.n_fragments == 2);
    double a_a = NAN, b_b = NAN, a_ab = NAN, b_ab = NAN, ab = NAN;
    for (int i = 0; i < n && i < run.bsse.n_configs; i++) {
        CHECK_STR(run.bsse.conf[i], conf[i]);
        CHECK_STR(run.bsse.subconf[i], sub[i]);
        CHECK(run.bsse.energies_Ha[i] == e[i]);
        CHECK(run.bsse.energies_eV[i] == e[i] * HA);
        if (!strcmp(conf[i], "10") && !strcmp(sub[i], "10")) a_a = e[i];
        if (!strcmp(conf[i], "01") && !strcmp(sub[i], "01")) b_b = e[i];
        if (!strcmp(conf[i], "11") && !strcmp(sub[i], "10")) a_ab = e[i];
        if (!strcmp(conf[i], "11") && !strcmp(sub[i], "01")) b_ab = e[i];
        if (!strcmp(conf[i], "11") && !strcmp(sub[i], "11")) ab = e[i];
    }
    CHECK_STR(run.bsse.labels[2], "frag 1 in basis 1+2");
    double unc_eV = (ab - a_a - b_b) * HA, cor_eV = (ab - a_ab - b_ab) * HA;
    CHECK_NEAR(run.bsse.interaction_eV, unc_eV, 1e-9);
    CHECK_NEAR(run.bsse.corrected_interaction_eV, cor_eV, 1e-9);
    CHECK_NEAR(run.bsse.correction_eV, cor_eV - unc_eV, 1e-9);
    CHECK(run.bsse.correction_eV > 0); /* ghost functions lower the fragments' energies */
    /* the printed lines, exactly, and consistent with the configurations to their 6 decimals */
    double printed[2], total[2];
    CHECK(scan_after(out, "BSSE-free interaction energy", ":", printed, 2) == 1);
    CHECK(scan_after(out, "CP-corrected Total energy", ":", total, 2) == 1);
    CHECK(run.bsse.printed_interaction_eV == printed[0] * HA);
    CHECK(run.bsse.printed_cp_corrected_total_eV == total[0] * HA);
    CHECK_NEAR(printed[0], ab - a_ab - b_ab, 0.5e-6 + 1e-12);
    CHECK_NEAR(total[0], a_a + b_b + (ab - a_ab - b_ab), 1.5e-6);
    /* the run's energy is the whole system in its own basis */
    CHECK_NEAR(run_energy_eV(&run), ab * HA, 1e-9);
    CHECK(run.converged_electronic == 1 && run.terminated_normally == 1);

    /* HDF5 store round trip */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const char *h5 = "/tmp/ds_test_bsse.h5";
    hid_t file = H5Fcreate(h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(file, "r0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(store_write_run(g, &run, "{}", &err) == DS_OK);
    H5Gclose(g);
    H5Fclose(file);
    ds_run back;
    run_init(&back);
    file = H5Fopen(h5, H5F_ACC_RDONLY, H5P_DEFAULT);
    g = H5Gopen2(file, "r0", H5P_DEFAULT);
    CHECK_MSG(store_read_run(g, &back, &err) == DS_OK, "%s", err.msg);
    H5Gclose(g);
    H5Fclose(file);
    CHECK(back.bsse.present && back.bsse.n_configs == run.bsse.n_configs && back.bsse.n_fragments == 2);
    for (int i = 0; i < run.bsse.n_configs; i++) {
        CHECK(back.bsse.energies_Ha[i] == run.bsse.energies_Ha[i] && back.bsse.energies_eV[i] == run.bsse.energies_eV[i]);
        CHECK_STR(back.bsse.labels[i], run.bsse.labels[i]);
        CHECK_STR(back.bsse.conf[i], run.bsse.conf[i]);
        CHECK_STR(back.bsse.subconf[i], run.bsse.subconf[i]);
    }
    CHECK(back.bsse.interaction_eV == run.bsse.interaction_eV);
    CHECK(back.bsse.corrected_interaction_eV == run.bsse.corrected_interaction_eV);
    CHECK(back.bsse.correction_eV == run.bsse.correction_eV);
    CHECK(back.bsse.printed_interaction_eV == run.bsse.printed_interaction_eV);
    CHECK(back.bsse.printed_cp_corrected_total_eV == run.bsse.printed_cp_corrected_total_eV);
    run_free(&back);
    run_free(&run);
    unlink(h5);
}

/* A run that is not BSSE carries no counterpoise block. */
TEST(no_bsse_block_elsewhere)
{
    ds_run run;
    ds_err err;
    CHECK_MSG(read_run("li-h2o", &run, &err) == DS_OK, "%s", err.msg);
    CHECK(!run.bsse.present && run.bsse.n_configs == 0 && isnan(run.bsse.corrected_interaction_eV));
    run_free(&run);
}

int main(void)
{
    RUN(converged_geometry_optimisation);
    RUN(ot_lumo_from_the_unoccupied_subspace);
    RUN(cell_from_a_b_c_vectors_at_full_precision);
    RUN(setup_abort_is_a_clear_error);
    RUN(abort_after_an_energy_is_flagged);
    RUN(bsse_counterpoise_energies);
    RUN(no_bsse_block_elsewhere);
    return TEST_FINISH();
}
