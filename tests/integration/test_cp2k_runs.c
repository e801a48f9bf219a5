/* Integration tests on the project's own CP2K runs (tests/fixtures/cp2k, made with
 * Debian's cp2k 2023.1 by make_fixtures.sh) through the real binary.  Expected numbers
 * were read from the outputs with: zgrep 'ENERGY| Total FORCE_EVAL' <run>/<run>.out.gz */
#include "tests/cli.h"

#define HA 27.211386245988

static cJSON *show(const char *run)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cp2k/%s", FIXTURES(), run);
    int status;
    char *err = NULL;
    cJSON *j = cli_show_json(path, &status, &err);
    CHECK_MSG(j != NULL, "%s: %s", run, err ? err : "");
    free(err);
    return j;
}

static double num(cJSON *j, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(j, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int flag(cJSON *j, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(j, k);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

TEST(closed_shell_single_point)
{
    cJSON *j = show("h2o");
    if (!j) return;
    CHECK_NEAR(num(j, "energy_eV"), -17.135668980398933 * HA, 1e-9);
    CHECK(flag(j, "converged_electronic") == 1 && flag(j, "terminated_normally") == 1 && flag(j, "truncated") == 0);
    CHECK(num(j, "homo_eV") < num(j, "lumo_eV"));
    cJSON *s = cJSON_GetObjectItem(j, "settings");
    CHECK_NEAR(num(s, "cutoff_Ry"), 250, 1e-9);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "xc"), "label")->valuestring, "PBE");
    CHECK_STR(cJSON_GetObjectItem(s, "dispersion")->valuestring, "D3(BJ)");
    cJSON *q = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "charges"), "mulliken");
    cJSON *net = cJSON_GetObjectItem(q, "net_charge_e");
    CHECK(cJSON_GetArraySize(net) == 3 && cJSON_GetArrayItem(net, 0)->valuedouble < 0);
    cJSON_Delete(j);
}

TEST(open_shell_uks)
{
    cJSON *j = show("oh-uks");
    if (!j) return;
    CHECK_NEAR(num(j, "energy_eV"), -16.480124589330511 * HA, 1e-9);
    cJSON *s = cJSON_GetObjectItem(j, "settings");
    CHECK(flag(s, "spin_polarized") == 1);
    CHECK(num(s, "multiplicity") == 2);
    cJSON_Delete(j);
}

TEST(unconverged_scf_is_flagged)
{
    cJSON *j = show("h2o-scf3");
    if (!j) return;
    CHECK(flag(j, "converged_electronic") == 0);
    CHECK_NEAR(num(j, "energy_eV"), -17.079643273245317 * HA, 1e-9);
    cJSON_Delete(j);
}

TEST(geometry_optimisation_at_max_iter)
{
    cJSON *j = show("h2o-geo2");
    if (!j) return;
    CHECK(flag(j, "converged_ionic") == 0 && flag(j, "terminated_normally") == 1);
    CHECK(cJSON_GetObjectItem(j, "n_ionic_steps")->valueint == 3);
    CHECK_NEAR(num(j, "energy_eV"), -17.144769687815145 * HA, 1e-9);
    cJSON *pos = cJSON_GetObjectItem(j, "positions_angstrom");
    CHECK(cJSON_GetArraySize(pos) == 3); /* final geometry from the trajectory */
    cJSON_Delete(j);
}

TEST(binding_energy_and_guard_on_real_runs)
{
    char args[2048];
    const char *f = FIXTURES();
    snprintf(args, sizeof args, "binding --json '%s/cp2k/li-h2o' '%s/cp2k/h2o' '%s/cp2k/li-ion'", f, f, f);
    int status;
    char *out = cli_run(args, &status, NULL);
    cJSON *j = status == 0 ? cJSON_Parse(out) : NULL;
    free(out);
    CHECK(j != NULL);
    if (j) {
        double e = (-24.405094265661042 + 17.135668980398933 + 7.207434009994769) * HA;
        CHECK_NEAR(num(j, "binding_energy_eV"), e, 1e-9);
        CHECK_NEAR(num(j, "binding_energy_kcal_per_mol"), e * 23.060548, 1e-8);
    }
    cJSON_Delete(j);
    /* different CUTOFF: refused, naming both runs */
    char *err = NULL;
    snprintf(args, sizeof args, "binding '%s/cp2k/li-h2o' '%s/cp2k/h2o-cut200' '%s/cp2k/li-ion'", f, f, f);
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 1 && strstr(err, "CUTOFF") && strstr(err, "h2o-cut200"), "%s", err);
    free(err);
    /* unconverged SCF: excluded by default */
    snprintf(args, sizeof args, "binding '%s/cp2k/li-h2o' '%s/cp2k/h2o-scf3' '%s/cp2k/li-ion'", f, f, f);
    free(cli_run(args, &status, &err));
    CHECK_MSG(status == 1 && strstr(err, "SCF did not converge"), "%s", err);
    free(err);
}

/* Lowest level with occupation 0 over the run folder's .pdos.gz files (zcat | awk), in eV. */
static double pdos_lumo_eV(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "zcat '%s'/*.pdos.gz | awk '$1 !~ /#/ && $3 + 0 == 0 && (m == \"\" || $2 < m) {m = $2} END {print m}'", dir);
    FILE *p = popen(cmd, "r");
    double e = NAN;
    if (p && fscanf(p, "%lf", &e) != 1) e = NAN;
    if (p) pclose(p);
    return e * HA;
}

/* An OT run without ADDED_MOS (the demo's Zn2+-DMF at 400 Ry) prints no unoccupied level; its
 * .pdos files (NLUMO 4) hold the LUMO.  And when the .pdos files come from another SCF state
 * (their HOMO is not the output's), they are not used: a warning says why. */
TEST(ot_run_lumo_from_pdos_levels)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/workflows/demo_campaign/sp400/zn-dmf", t_env_("DS_ROOT", "."));
    int status;
    char *err = NULL;
    cJSON *j = cli_show_json(dir, &status, &err);
    CHECK_MSG(j != NULL, "%s", err);
    free(err);
    double want = pdos_lumo_eV(dir);
    CHECK(isfinite(want));
    CHECK_NEAR(num(j, "lumo_eV"), want, 1e-9);
    CHECK(num(j, "homo_eV") < num(j, "lumo_eV"));
    const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "sources"), "lumo"));
    CHECK(src && strstr(src, ".pdos.gz"));
    cJSON_Delete(j);
    /* the same output beside .pdos files whose occupied levels were shifted by 0.01 Ha */
    char tmp[] = "/tmp/ds_ot_lumoXXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    CHECK(cli_sh("cp '%s'/zn-dmf.out.gz '%s'/zn-dmf.inp '%s'/ && for f in '%s'/*.pdos.gz; do zcat \"$f\" | "
                 "awk '$1 !~ /#/ && $3 + 0 > 0 {$2 = $2 + 0.01} {print}' > '%s'/$(basename \"$f\" .gz); done",
                 dir, dir, tmp, dir, tmp) == 0);
    j = cli_show_json(tmp, &status, &err);
    CHECK_MSG(j != NULL, "%s", err);
    free(err);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(j, "lumo_eV")));
    char *w = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "warnings"));
    CHECK_MSG(w && strstr(w, "LUMO not taken from") && strstr(w, "is not the output's HOMO"), "%s", w ? w : "");
    free(w);
    cJSON_Delete(j);
    CHECK(cli_sh("rm -rf '%s'", tmp) == 0);
}

int main(void)
{
    RUN(closed_shell_single_point);
    RUN(open_shell_uks);
    RUN(unconverged_scf_is_flagged);
    RUN(geometry_optimisation_at_max_iter);
    RUN(binding_energy_and_guard_on_real_runs);
    RUN(ot_run_lumo_from_pdos_levels);
    return TEST_FINISH();
}
