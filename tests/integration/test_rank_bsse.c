/* rank with a counterpoise (BSSE) run on the project's CP2K fixtures: the recipe key
 * "bsse" is validated (reaction descriptors only, a role every candidate has); a build
 * whose CP2K reader does not read BSSE configurations refuses it with the JSON path
 * instead of ranking without it; a build that reads them (RUN_BSSE_MAX_CONFIGS, branch
 * cp2k) passes the BSSE run through the consistency guard (the fixture's BSSE run has no
 * D3 dispersion, the binding runs do: refused) and, when the recipe allows inconsistent
 * runs, adds its correction to the binding energy. */
#include <sys/stat.h>
#include <unistd.h>

#include "parsers/run.h"
#include "tests/cli.h"

static char work[256];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = calloc(1, 1 << 20);
    size_t n = b ? fread(b, 1, (1 << 20) - 1, f) : 0;
    if (b) b[n] = 0;
    fclose(f);
    return b;
}

/* Writes the recipe (descriptor options spliced in), runs rank over the fixtures and
 * returns ranking.json parsed (NULL on failure; *err holds stderr). */
static cJSON *rank_with(const char *descriptor_extra, const char *recipe_extra, int *status, char **err)
{
    char path[512], args[2048], text[4096];
    /* the Li+-water runs (tests/fixtures/cp2k) */
    const char *lead = "cp2k";
    snprintf(text, sizeof text,
             "{\"name\": \"Li+ water with counterpoise\",\n"
             " \"candidates\": [{\"name\": \"Li+ water\", \"runs\": {\"complex\": \"%s/li-h2o\", "
             "\"ion\": \"%s/li-ion\", \"water\": \"%s/h2o\", \"cp\": \"cp2k/lih2o-bsse\"}}],\n"
             " \"descriptors\": [{\"name\": \"E_raw\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"ion\": -1, \"water\": -1}},\n"
             "   {\"name\": \"E_cp\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"ion\": -1, \"water\": -1}%s}],\n"
             " \"criteria\": [{\"descriptor\": \"E_raw\", \"goal\": \"minimize\"}], \"ranking\": {\"samples\": 10}%s}\n",
             lead, lead, lead, descriptor_extra, recipe_extra);
    snprintf(path, sizeof path, "%s/recipe.json", work);
    FILE *f = fopen(path, "w");
    if (f) fputs(text, f), fclose(f);
    snprintf(args, sizeof args, "rank '%s' --root '%s' -o '%s/out'", path, FIXTURES(), work);
    free(cli_run(args, status, err));
    snprintf(path, sizeof path, "%s/out/ranking.json", work);
    char *json = *status == 0 ? slurp(path) : NULL;
    cJSON *j = json ? cJSON_Parse(json) : NULL;
    free(json);
    return j;
}

__attribute__((unused)) static const cJSON *value_obj(const cJSON *j, const char *d)
{
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "candidates"), 0);
    return cJSON_GetObjectItem(cJSON_GetObjectItem(c, "descriptors"), d);
}

TEST(bsse_key_is_validated_with_its_json_path)
{
    int status = 0;
    char *err = NULL;
    cJSON *j = rank_with(", \"bsse\": \"nosuch\"", "", &status, &err);
    CHECK_MSG(status == 1 && err && strstr(err, "descriptors[1].bsse") && strstr(err, "nosuch"), "%d: %s", status,
              err ? err : "");
    cJSON_Delete(j);
    free(err);
    err = NULL;
    j = rank_with("", ", \"descriptors_extra_is_not_a_key\": 1", &status, &err);
    CHECK_MSG(status == 1 && err && strstr(err, "descriptors_extra_is_not_a_key"), "%s", err ? err : "");
    cJSON_Delete(j);
    free(err);
}

#ifndef RUN_BSSE_MAX_CONFIGS
TEST(bsse_not_yet_available_is_a_clear_error)
{
    int status = 0;
    char *err = NULL;
    cJSON *j = rank_with(", \"bsse\": \"cp\"", "", &status, &err);
    CHECK(j == NULL);
    CHECK_MSG(status == 1 && err && strstr(err, "descriptors[1].bsse: counterpoise (BSSE) correction is not yet available"),
              "%d: %s", status, err ? err : "");
    cJSON_Delete(j);
    free(err);
}
#else
TEST(bsse_run_is_guarded_and_its_correction_added)
{
    int status = 0;
    char *err = NULL;
    cJSON *j = rank_with(", \"bsse\": \"cp\"", "", &status, &err);
    CHECK_MSG(j != NULL, "%s", err ? err : "");
    const cJSON *v = value_obj(j, "E_cp");
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(v, "reason"));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(v, "excluded")));
    CHECK_MSG(why && strstr(why, "counterpoise run cannot be combined") && strstr(why, "lih2o-bsse"), "%s", why ? why : "");
    cJSON_Delete(j);
    free(err);
    err = NULL;
    j = rank_with(", \"bsse\": \"cp\"", ", \"allow_inconsistent\": true", &status, &err);
    CHECK_MSG(j != NULL, "%s", err ? err : "");
    cJSON *show = cli_show_json(FIXTURE("cp2k/lih2o-bsse"), &status, NULL);
    const cJSON *corr = cJSON_GetObjectItem(show, "bsse_correction_eV");
    CHECK(cJSON_IsNumber(corr) && corr->valuedouble > 0);
    const cJSON *raw = cJSON_GetObjectItem(value_obj(j, "E_raw"), "value");
    const cJSON *cp = cJSON_GetObjectItem(value_obj(j, "E_cp"), "value");
    CHECK(cJSON_IsNumber(raw) && cJSON_IsNumber(cp) && cJSON_IsNumber(corr));
    if (cJSON_IsNumber(raw) && cJSON_IsNumber(cp) && cJSON_IsNumber(corr))
        CHECK_NEAR(cp->valuedouble, raw->valuedouble + corr->valuedouble, 1e-9);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(value_obj(j, "E_cp"), "provisional")));
    cJSON_Delete(show);
    cJSON_Delete(j);
    free(err);
}
#endif

int main(void)
{
    snprintf(work, sizeof work, "/tmp/ds_rank_bsse_XXXXXX");
    if (!mkdtemp(work)) return 1;
    RUN(bsse_key_is_validated_with_its_json_path);
#ifndef RUN_BSSE_MAX_CONFIGS
    RUN(bsse_not_yet_available_is_a_clear_error);
#else
    RUN(bsse_run_is_guarded_and_its_correction_added);
#endif
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) printf("  could not remove %s\n", work);
    return TEST_FINISH();
}
