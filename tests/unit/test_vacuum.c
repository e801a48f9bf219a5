/* Unit tests for descriptors/vacuum on the hand-made LOCPOT of tests/fixtures/vacuum
 * (make_locpot.py): V(i,j,k) = V_VAC + W(z_k) + B cos(2 pi i / 4) with a compact well W, so
 * the planar average along c is V_VAC + W(z_k) and the vacuum level is V_VAC exactly; along a
 * the average of plane i is V_VAC + B cos(2 pi i / 4) + mean_k W(z_k).  Also the CLI: the
 * LOCPOT beside a run fills vacuum_level_eV and the orbital energies relative to it. */
#include <unistd.h>

#include "descriptors/vacuum.h"
#include "parsers/vasp_chgcar.h"
#include "tests/cli.h"

#define V_VAC 3.25
#define B_AMP 0.5
#define D_WELL 5.0

static double well(double z)
{
    return fabs(z - 6.0) < 2.0 ? -D_WELL * pow(cos(M_PI * (z - 6.0) / 4.0), 2) : 0.0;
}

static int read_locpot(ds_grid *g)
{
    ds_err err;
    vasp_chgcar_opts o = {0};
    o.units = "eV";
    grid_init(g);
    int rc = vasp_chgcar_read(FIXTURE("vacuum/LOCPOT_h2o_box"), &o, g, NULL, &err);
    CHECK_MSG(rc == DS_OK, "%s", err.msg);
    return rc == DS_OK;
}

TEST(planar_average_and_plateau_along_the_largest_gap)
{
    ds_grid g;
    if (!read_locpot(&g)) return;
    CHECK(g.n[0] == 4 && g.n[1] == 4 && g.n[2] == 24 && g.n_atoms == 3);
    double avg[24];
    ds_err err;
    CHECK(vacuum_planar_average(g.values[0], g.n, 2, avg, &err) == DS_OK);
    for (int k = 0; k < 24; k++) CHECK_NEAR(avg[k], V_VAC + well(12.0 * k / 24), 1e-10);
    vacuum_result v;
    CHECK_MSG(vacuum_level(g.values[0], g.n, g.lattice_angstrom, (const double (*)[3])g.positions_angstrom, g.n_atoms, -1, &v, &err) ==
                  DS_OK,
              "%s", err.msg);
    CHECK(v.axis == 2);
    CHECK_NEAR(v.gap_angstrom, 12.0 - (6.119 - 5.523), 1e-5); /* positions written with 6 decimals */
    CHECK_NEAR(v.vacuum_level_eV, V_VAC, 1e-12);
    CHECK(v.plateau_spread_eV < 1e-12 && v.n_plateau_points >= 7);
    grid_free(&g);
}

TEST(user_axis)
{
    ds_grid g;
    if (!read_locpot(&g)) return;
    double mean_w = 0;
    for (int k = 0; k < 24; k++) mean_w += well(12.0 * k / 24) / 24;
    double avg[4];
    ds_err err;
    CHECK(vacuum_planar_average(g.values[0], g.n, 0, avg, &err) == DS_OK);
    const double cos_i[4] = {1, 0, -1, 0};
    for (int i = 0; i < 4; i++) CHECK_NEAR(avg[i], V_VAC + B_AMP * cos_i[i] + mean_w, 1e-10);
    /* every atom at x = 0.5: the gap along a is the whole cell, its middle third (fractions
     * 0.833 .. 1.167) holds only plane i = 4 = 0 */
    vacuum_result v;
    CHECK(vacuum_level(g.values[0], g.n, g.lattice_angstrom, (const double (*)[3])g.positions_angstrom, g.n_atoms, 0, &v, &err) == DS_OK);
    CHECK(v.axis == 0 && v.n_plateau_points == 1);
    CHECK_NEAR(v.vacuum_level_eV, V_VAC + B_AMP + mean_w, 1e-10);
    grid_free(&g);
}

TEST(errors)
{
    double values[8] = {0};
    int n[3] = {2, 2, 2};
    double lat[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, sing[3][3] = {{1, 0, 0}, {1, 0, 0}, {0, 0, 1}};
    double pos[1][3] = {{0, 0, 0}};
    vacuum_result v;
    ds_err err;
    CHECK(vacuum_level(values, n, lat, (const double (*)[3])pos, 0, -1, &v, &err) != DS_OK && strstr(err.msg, "no atoms"));
    CHECK(isnan(v.vacuum_level_eV));
    CHECK(vacuum_level(values, n, sing, (const double (*)[3])pos, 1, -1, &v, &err) != DS_OK && strstr(err.msg, "singular"));
    double avg[2];
    CHECK(vacuum_planar_average(values, n, 3, avg, &err) != DS_OK);
}

/* Through the CLI: a run directory with a LOCPOT (here the feo-relax vasprun.xml fixture, for
 * its eigenvalues) reports the vacuum level and the orbitals relative to it. */
TEST(orbitals_command_reads_the_locpot)
{
    char dir[] = "/tmp/ds_vacuum_XXXXXX";
    if (!mkdtemp(dir)) return;
    char cmd[4400], args[1200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/vasprun.xml' && cp '%s' '%s/LOCPOT'", FIXTURE("vasp/feo-relax/vasprun.xml"), dir,
             FIXTURE("vacuum/LOCPOT_h2o_box"), dir);
    CHECK(system(cmd) == 0);
    snprintf(args, sizeof args, "orbitals --json '%s'", dir);
    int status = -1;
    char *out = cli_run(args, &status, NULL);
    cJSON *j = status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    CHECK_MSG(j != NULL, "orbitals failed (%d)", status);
    if (j) {
        double vac = cJSON_GetObjectItem(j, "vacuum_level_eV")->valuedouble;
        CHECK_NEAR(vac, V_VAC, 1e-12);
        CHECK_NEAR(cJSON_GetObjectItem(j, "homo_vs_vacuum_eV")->valuedouble, cJSON_GetObjectItem(j, "homo_eV")->valuedouble - vac, 1e-12);
        CHECK_NEAR(cJSON_GetObjectItem(j, "lumo_vs_vacuum_eV")->valuedouble, cJSON_GetObjectItem(j, "lumo_eV")->valuedouble - vac, 1e-12);
        CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "vacuum"), "axis")->valuestring, "c");
        cJSON_Delete(j);
    }
    snprintf(cmd, sizeof cmd, "rm -f '%s/LOCPOT'", dir);
    CHECK(system(cmd) == 0);
    out = cli_run(args, &status, NULL);
    j = status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    CHECK(j && cJSON_IsNull(cJSON_GetObjectItem(j, "vacuum_level_eV")) && cJSON_IsNull(cJSON_GetObjectItem(j, "homo_vs_vacuum_eV")));
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    RUN(planar_average_and_plateau_along_the_largest_gap);
    RUN(user_axis);
    RUN(errors);
    RUN(orbitals_command_reads_the_locpot);
    return TEST_FINISH();
}
