/* rank through the real binary on the project's own CP2K fixtures (tests/fixtures/
^ * cp2k: Li+ ... water, Li+, water, and water at a different CUTOFF): the binding
 * energy from the Ha values, the guard refusing the CUTOFF 200 reference and listing the
 * candidate, a recipe path that matches no run refused with its JSON path, the same
 * ranking from a campaign store as from the folder, and report.html rendered by headless
 * Chromium when it is installed. */
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/cli.h"

static char work[256];



static const char RECIPE[] =
    "{\"name\": \"Li+ and water (fixtures)\",\n"
    " \"candidates\": [\n"
    "   {\"name\": \"Li+ water\", \"runs\": {\"complex\": \"li-h2o\", \"ion\": \"li-ion\", \"water\": \"h2o\"}},\n"
    "   {\"name\": \"Li+ water <200 Ry>\", \"runs\": {\"complex\": \"li-h2o\", \"ion\": \"li-ion\", \"water\": \"h2o-cut200\"}}],\n"
    " \"descriptors\": [\n"
    "   {\"name\": \"E_bind\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"ion\": -1, \"water\": -1}},\n"
    "   {\"name\": \"E_kJ\", \"kind\": \"combine\", \"terms\": {\"E_bind\": 1}, \"unit\": \"kJ/mol\"},\n"
    "   {\"name\": \"q_Li\", \"kind\": \"net_charge\", \"run\": \"complex\", \"atoms\": \"Li\", \"method\": \"mulliken\"},\n"
    "   {\"name\": \"to_water\", \"kind\": \"charge_transfer\", \"run\": \"complex\", \"to\": \"O,H\", \"method\": \"mulliken\"},\n"
    "   {\"name\": \"gap\", \"kind\": \"gap\", \"run\": \"complex\"}],\n"
    " \"criteria\": [{\"descriptor\": \"E_kJ\", \"goal\": \"minimize\"}, {\"descriptor\": \"gap\", \"goal\": \"maximize\"}],\n"
    " \"ranking\": {\"samples\": 200}}\n";

static cJSON *run_rank(const char *recipe_text, const char *source_opt, const char *out, int *status, char **err)
{
    char recipe_path[512], args[2048];
    snprintf(recipe_path, sizeof recipe_path, "%s/recipe.json", work);
    cli_write_text(recipe_path, recipe_text);
    snprintf(args, sizeof args, "rank '%s' %s -o '%s/%s'", recipe_path, source_opt, work, out);
    free(cli_run(args, status, err));
    char path[600];
    snprintf(path, sizeof path, "%s/%s/ranking.json", work, out);
    char *text = *status == 0 ? cli_read_text(path) : NULL;
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    return j;
}

static const cJSON *candidate(const cJSON *j, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates"))
    if (!strcmp(cJSON_GetObjectItem(c, "name")->valuestring, name)) return c;
    return NULL;
}

static double value_of(const cJSON *c, const char *d)
{
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "descriptors"), d), "value");
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

TEST(binding_energy_guard_and_charges)
{
    char opt[600];
    snprintf(opt, sizeof opt, "--root '%s/cp2k'", FIXTURES());
    int status;
    char *err = NULL;
    cJSON *j = run_rank(RECIPE, opt, "out", &status, &err);
    CHECK_MSG(status == 0 && j, "rank failed: %s", err ? err : "");
    free(err);
    const cJSON *ok = candidate(j, "Li+ water"), *refused = candidate(j, "Li+ water <200 Ry>");
    CHECK(ok && refused);
    /* E(Li+ water) - E(Li+) - E(water), printed Ha values of the three outputs */
    double ha = -24.405094265661042 - (-7.207434009994769) - (-17.135668980398933);
    CHECK_NEAR(value_of(ok, "E_bind"), ha * 27.211386245988, 1e-9);
    CHECK_NEAR(value_of(ok, "E_kJ"), ha * 27.211386245988 * 96.485332, 1e-6);
    /* the CUTOFF 200 water: the guard refuses the subtraction, the candidate is listed */
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(refused, "descriptors"), "E_bind");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(v, "excluded")));
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(v, "reason"));
    CHECK_MSG(why && strstr(why, "CUTOFF") && strstr(why, "h2o-cut200"), "%s", why ? why : "(none)");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(refused, "status")), "excluded");
    /* charges: Li's Mulliken net charge and the electrons water gained are the same
     * transfer seen from both sides (the complex is +1 overall) */
    double q = value_of(ok, "q_Li"), t = value_of(ok, "to_water");
    CHECK(q > 0.5 && q < 1.0);
    CHECK_NEAR(q - t, 1.0, 1e-3);
    cJSON_Delete(j);
    char path[600];
    snprintf(path, sizeof path, "%s/out/report.md", work);
    char *md = cli_read_text(path);
    CHECK_MSG(md && strstr(md, "## Not ranked") && strstr(md, "Li+ water <200 Ry>") && strstr(md, "CUTOFF"), "%s", md ? md : "");
    free(md);
    snprintf(path, sizeof path, "%s/out/ranking.csv", work);
    char *csv = cli_read_text(path);
    CHECK(csv && strstr(csv, "rank,candidate,status") && strstr(csv, "\"Li+ water <200 Ry>\"") == NULL &&
          strstr(csv, "E_kJ_kJ_mol"));
    free(csv);
}

TEST(missing_run_is_refused_with_its_json_path)
{
    char opt[600], text[4096];
    snprintf(opt, sizeof opt, "--root '%s/cp2k'", FIXTURES());
    snprintf(text, sizeof text, "%s", RECIPE);
    char *p = strstr(text, "\"li-ion\", \"water\": \"h2o\"}},");
    memcpy(p, "\"na-ion\"", 8);
    int status;
    char *err = NULL;
    cJSON *j = run_rank(text, opt, "out2", &status, &err);
    CHECK_MSG(status == 1 && err && strstr(err, "candidates[0].runs.ion: run 'na-ion' not found"), "%s", err ? err : "");
    cJSON_Delete(j);
    free(err);
}

TEST(campaign_store_ranks_like_the_folder)
{
    char args[2048], opt[600];
    int status;
    snprintf(args, sizeof args, "ingest '%s/cp2k' -o '%s/c.h5' --quiet", FIXTURES(), work);
    free(cli_run(args, &status, NULL));
    CHECK(status == 0);
    snprintf(opt, sizeof opt, "--root '%s/cp2k'", FIXTURES());
    cJSON *a = run_rank(RECIPE, opt, "fromdir", &status, NULL);
    snprintf(opt, sizeof opt, "--campaign '%s/c.h5'", work);
    char *err = NULL;
    cJSON *b = run_rank(RECIPE, opt, "fromstore", &status, &err);
    CHECK_MSG(a && b, "%s", err ? err : "");
    free(err);
    /* identical candidates, values, ranks and probabilities (the run paths are the same
     * strings: the store keeps the path it was given) */
    cJSON *ca = cJSON_GetObjectItem(a, "candidates"), *cb = cJSON_GetObjectItem(b, "candidates");
    CHECK(ca && cb && cli_json_identical(ca, cb));
    cJSON_Delete(a);
    cJSON_Delete(b);
}

TEST(report_html_renders_in_chromium)
{
    char path[600];
    snprintf(path, sizeof path, "%s/out/report.html", work);
    char *html = cli_read_text(path);
    CHECK(html && strstr(html, "<svg") && !strstr(html, "nan") && !strstr(html, "inf<") && strstr(html, "Li+ water &lt;200 Ry&gt;"));
    free(html);
    if (system("command -v chromium >/dev/null 2>&1") != 0) {
        SKIP("chromium not installed (Debian package chromium): rendering not checked");
        return;
    }
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom 'file://%s' 2>/dev/null > '%s/dom.html'",
             path, work);
    CHECK(system(cmd) == 0);
    snprintf(path, sizeof path, "%s/dom.html", work);
    char *dom = cli_read_text(path);
    int svgs = 0, bars = 0;
    for (const char *p = dom; p && (p = strstr(p, "<svg")); p++) svgs++;
    for (const char *p = dom; p && (p = strstr(p, "class=\"bar\"")); p++) bars++;
    /* E_bind, E_kJ and gap bar charts, the scatter, the probability chart */
    CHECK_MSG(svgs >= 5 && bars >= 3, "%d svg, %d bars after Chromium parsed the page", svgs, bars);
    free(dom);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=1200,2400 "
             "--screenshot='%s/shot.png' 'file://%s/out/report.html' >/dev/null 2>&1",
             work, work, work);
    CHECK(system(cmd) == 0);
    struct stat st;
    snprintf(path, sizeof path, "%s/shot.png", work);
    CHECK_MSG(stat(path, &st) == 0 && st.st_size > 20000, "screenshot missing or blank (%ld bytes)", (long)st.st_size);
}

/* An ACF.dat beside a run joins its charges; the Bader net charge is ZVAL - population with
 * the GTH valence charges of the run (Li q3, O q6, H q1). */
TEST(bader_acf_beside_a_run_gives_net_charges)
{
    char cmd[2048], dir[600];
    snprintf(dir, sizeof dir, "%s/bader_tree", work);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -r '%s/cp2k/li-h2o' '%s/' && cp -r '%s/cp2k/li-ion' '%s/'", dir,
             FIXTURES(), dir, FIXTURES(), dir);
    CHECK(system(cmd) == 0);
    char acf[700];
    snprintf(acf, sizeof acf, "%s/li-h2o/ACF.dat", dir);
    cli_write_text(acf,
               "    #         X           Y           Z       CHARGE      MIN DIST   ATOMIC VOL\n"
               " --------------------------------------------------------------------------------\n"
               "    1    4.000000    4.000000    6.019000    2.100000     0.900000    10.000000\n"
               "    2    4.000000    4.000000    4.119000    7.300000     0.700000    20.000000\n"
               "    3    4.000000    4.763000    3.523000    0.300000     0.300000     5.000000\n"
               "    4    4.000000    3.237000    3.523000    0.300000     0.300000     5.000000\n"
               " --------------------------------------------------------------------------------\n"
               "    VACUUM CHARGE:               0.0000\n"
               "    VACUUM VOLUME:               0.0000\n"
               "    NUMBER OF ELECTRONS:        10.0000\n");
    const char *recipe =
        "{\"candidates\": [{\"name\": \"Li+ water\", \"runs\": {\"complex\": \"li-h2o\"}}],"
        " \"descriptors\": [{\"name\": \"q_Li\", \"kind\": \"net_charge\", \"run\": \"complex\", \"atoms\": \"Li\", \"method\": \"bader\"},"
        "  {\"name\": \"to_water\", \"kind\": \"charge_transfer\", \"run\": \"complex\", \"to\": \"molecule:H2O\", \"method\": \"bader\"}],"
        " \"criteria\": [{\"descriptor\": \"q_Li\"}]}";
    char opt[700];
    snprintf(opt, sizeof opt, "--root '%s'", dir);
    int status;
    char *err = NULL;
    cJSON *j = run_rank(recipe, opt, "bader_out", &status, &err);
    CHECK_MSG(j != NULL, "%s", err ? err : "");
    free(err);
    const cJSON *c = candidate(j, "Li+ water");
    CHECK_NEAR(value_of(c, "q_Li"), 3 - 2.1, 1e-12);
    CHECK_NEAR(value_of(c, "to_water"), (7.3 + 0.3 + 0.3) - (6 + 1 + 1), 1e-12);
    cJSON_Delete(j);
}

int main(void)
{
    snprintf(work, sizeof work, "/tmp/ds_rank_testXXXXXX");
    if (!mkdtemp(work)) return 1;
    RUN(binding_energy_guard_and_charges);
    RUN(missing_run_is_refused_with_its_json_path);
    RUN(campaign_store_ranks_like_the_folder);
    RUN(report_html_renders_in_chromium);
    RUN(bader_acf_beside_a_run_gives_net_charges);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) return 1;
    return TEST_FINISH();
}
