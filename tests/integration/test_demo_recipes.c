/* The ready recipes on the bundled demo campaign (workflows/demo_campaign: the project's own
 * CP2K runs): both rank without error; in recipe (2) the five cations are ranked and the
 * Li+ row computed against the CUTOFF 200 Ry DMF is refused by the guard and listed, the
 * capped optimisations are named in the candidate notes, with
 * the binding energies equal to the Ha energies of the outputs; recipe (3) ranks its three
 * solvents. */
#include "tests/cli.h"

static cJSON *rank(const char *recipe, const char *out)
{
    char args[2048];
    int status = 1;
    snprintf(args, sizeof args, "rank '%s/workflows/%s' -o '%s' --quiet", t_env_("DS_ROOT", "."), recipe, out);
    free(cli_run(args, &status, NULL));
    char path[1200];
    snprintf(path, sizeof path, "%s/ranking.json", out);
    return status == 0 ? load_json_file(path) : NULL;
}

static const cJSON *find(const cJSON *j, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates"))
    if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), name)) return c;
    return NULL;
}

/* The last "ENERGY| Total FORCE_EVAL" value of the output of run folder RUN (relative to
 * the demo campaign, e.g. "sp400/li-dmf" holding li-dmf.out.gz), read with zcat and awk. */
static double energy_Ha(const char *run)
{
    char cmd[1024];
    const char *base = strrchr(run, '/') ? strrchr(run, '/') + 1 : run;
    snprintf(cmd, sizeof cmd, "zcat '%s/workflows/demo_campaign/%s/%s.out.gz' | awk '/ENERGY\\| Total FORCE_EVAL/{e=$NF} END{print e}'",
             t_env_("DS_ROOT", "."), run, base);
    FILE *p = popen(cmd, "r");
    double e = NAN;
    if (p && fscanf(p, "%lf", &e) != 1) e = NAN;
    if (p) pclose(p);
    return e;
}

TEST(cation_anchors_recipe)
{
    char dir[] = "/tmp/ds_demo_recipesXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[300];
    snprintf(out, sizeof out, "%s/cation", dir);
    cJSON *j = rank("cation_dmf.json", out);
    CHECK(j != NULL);
    static const char *const cations[][2] = {{"Li+", "li"}, {"Na+", "na"}, {"K+", "k"}, {"Mg2+", "mg"}, {"Zn2+", "zn"}};
    for (int i = 0; i < 5; i++) {
        const cJSON *c = find(j, cations[i][0]);
        CHECK_MSG(c && cJSON_IsNumber(cJSON_GetObjectItem(c, "rank")), "%s not ranked", cations[i][0]);
        char cx[48], ion[48];
        snprintf(cx, sizeof cx, "sp400/%s-dmf", cations[i][1]);
        snprintf(ion, sizeof ion, "sp400/%s-ion", cations[i][1]);
        double want = (energy_Ha(cx) - energy_Ha(ion) - energy_Ha("sp400/dmf")) * 27.211386245988;
        const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "descriptors"), "E_bind"), "value");
        CHECK_MSG(cJSON_IsNumber(v) && fabs(v->valuedouble - want) < 1e-6, "%s: E_bind %g, outputs give %g", cations[i][0],
                  cJSON_IsNumber(v) ? v->valuedouble : NAN, want);
    }
    const cJSON *bad = find(j, "Li+ vs DMF at 200 Ry");
    CHECK(bad && cJSON_IsNull(cJSON_GetObjectItem(bad, "rank")));
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(bad, "reason"));
    CHECK_MSG(why && strstr(why, "CUTOFF") && strstr(why, "dmf-cut200"), "%s", why ? why : "(none)");
    /* the capped optimisations are said in the notes, in ranking.json and report.md */
    const cJSON *na = find(j, "Na+");
    const char *note = na ? cJSON_GetStringValue(cJSON_GetObjectItem(na, "note")) : NULL;
    CHECK_MSG(note && strstr(note, "60 steps"), "Na+ note: %s", note ? note : "(none)");
    CHECK(cli_sh("grep -q 'Notes on candidates' '%s/report.md' && grep -q 'capped at 20 steps' '%s/report.html'", out, out) == 0);
    cJSON_Delete(j);
    snprintf(out, sizeof out, "%s/na", dir);
    j = rank("na_anode_reduction.json", out);
    CHECK(j != NULL);
    CHECK(find(j, "DMF") && find(j, "water") && find(j, "acetonitrile"));
    cJSON_Delete(j);
    CHECK(cli_sh("rm -rf '%s'", dir) == 0);
}

int main(void)
{
    RUN(cation_anchors_recipe);
    return TEST_FINISH();
}
