/* recipe: a valid recipe's contents, and every kind of bad recipe refused with the JSON
 * path of the problem (malformed JSON with its line, unknown key or kind, a role missing in
 * a candidate, an unknown reference, a cycle between combined descriptors, an empty
 * candidate list, bad criteria). */
#include <math.h>
#include <string.h>

#include "screen/recipe.h"
#include "tests/test.h"

static const char GOOD[] =
    "{\"name\": \"cations\", \"references\": {\"dmf\": \"dmf\"},\n"
    " \"candidates\": [{\"name\": \"Li+\", \"runs\": {\"complex\": \"li-dmf\", \"ion\": \"li-ion\"}},\n"
    "                {\"name\": \"Na+\", \"runs\": {\"complex\": \"na-dmf\", \"ion\": \"na-ion\"}, \"note\": \"capped\"}],\n"
    " \"descriptors\": [{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"ion\": -1, \"@dmf\": -1}},\n"
    "                 {\"name\": \"E_kcal\", \"kind\": \"combine\", \"terms\": {\"E\": 1}, \"unit\": \"kcal/mol\"},\n"
    "                 {\"name\": \"d\", \"kind\": \"dband\", \"run\": \"complex\", \"window\": [null, 0]}],\n"
    " \"criteria\": [{\"descriptor\": \"E\", \"goal\": \"target\", \"target\": [-2, -1], \"max\": 0}],\n"
    " \"ranking\": {\"method\": \"pareto\", \"top_k\": 2, \"samples\": 100, \"seed\": 3}}\n";

/* Parses GOOD with `from` replaced by `to` and expects an error containing `want`. */
static void expect_error(const char *from, const char *to, const char *want, int code)
{
    char text[4096];
    const char *p = strstr(GOOD, from);
    CHECK_MSG(p != NULL, "test setup: '%s' not in the good recipe", from);
    if (!p) return;
    snprintf(text, sizeof text, "%.*s%s%s", (int)(p - GOOD), GOOD, to, p + strlen(from));
    recipe r;
    ds_err err;
    ds_err_clear(&err);
    int rc = recipe_parse(text, "r.json", &r, &err);
    char buf[1400];
    ds_err_format(&err, buf, sizeof buf);
    CHECK_MSG(rc == code && strstr(buf, want) && strstr(buf, "r.json"), "want '%s' (code %d), got %d: %s", want, code,
              rc, buf);
    if (!rc) recipe_free(&r);
}

TEST(good_recipe_contents)
{
    recipe r;
    ds_err err;
    CHECK(recipe_parse(GOOD, "r.json", &r, &err) == DS_OK);
    CHECK(r.n_candidates == 2 && r.n_descriptors == 3 && r.n_criteria == 1 && r.n_references == 1);
    CHECK_STR(r.candidates[1].runs[0].path, "na-dmf");
    CHECK_STR(r.candidates[1].note, "capped"); /* kept for the reports */
    CHECK_STR(r.candidates[0].note, "");
    CHECK(r.descriptors[0].kind == RD_REACTION && r.descriptors[0].n_terms == 3);
    CHECK_NEAR(r.descriptors[0].terms[2].coefficient, -1, 0);
    CHECK_STR(r.descriptors[0].unit, "eV");
    CHECK_NEAR(r.descriptors[0].uncertainty, 0.05, 1e-15);
    /* the combination of an energy is an energy: kcal/mol with the exact factor */
    CHECK(r.descriptors[1].is_energy);
    CHECK_NEAR(r.descriptors[1].to_unit, 23.060548, 1e-12);
    CHECK_NEAR(r.descriptors[1].uncertainty, 0.05 * 23.060548, 1e-12);
    CHECK(isinf(r.descriptors[2].emin) && r.descriptors[2].emax == 0);
    CHECK(r.criteria[0].c.goal == SCORE_TARGET && r.criteria[0].c.target_lo == -2 && r.criteria[0].c.limit_max == 0);
    CHECK(r.method == SCORE_PARETO && r.top_k == 2 && r.samples == 100 && r.seed == 3);
    /* combine is evaluated after its input */
    int pos_e = -1, pos_k = -1;
    for (int i = 0; i < r.n_descriptors; i++) {
        if (r.order[i] == 0) pos_e = i;
        if (r.order[i] == 1) pos_k = i;
    }
    CHECK(pos_e >= 0 && pos_e < pos_k);
    recipe_free(&r);
}

TEST(malformed_json_names_the_line)
{
    expect_error("\"Na+\", \"runs\"", "\"Na+\" \"runs\"", "r.json:3", DS_EFORMAT);
}

TEST(unknown_keys_kinds_and_roles)
{
    expect_error("\"window\"", "\"windw\"", "descriptors[2]: unknown key 'windw'", DS_EUSAGE);
    expect_error("\"kind\": \"dband\"", "\"kind\": \"dbnd\"", "descriptors[2]: unknown descriptor kind 'dbnd'", DS_EUSAGE);
    expect_error("{\"complex\": \"na-dmf\", \"ion\": \"na-ion\"}", "{\"complex\": \"na-dmf\"}",
                 "candidates[1].runs: no run for role 'ion'", DS_EUSAGE);
    expect_error("\"@dmf\": -1", "\"@thf\": -1", "descriptors[0].terms.@thf: '@thf' names no entry of 'references'",
                 DS_EUSAGE);
    expect_error("\"descriptor\": \"E\"", "\"descriptor\": \"F\"", "criteria[0]: no descriptor named 'F'", DS_EUSAGE);
    expect_error("\"goal\": \"target\", \"target\": [-2, -1]", "\"goal\": \"target\"", "criteria[0]: goal 'target' needs",
                 DS_EUSAGE);
    expect_error("\"method\": \"pareto\"", "\"method\": \"best\"", "ranking.method", DS_EUSAGE);
    expect_error("\"complex\": 1,", "\"complex\": 0,", "descriptors[0].terms.complex: the coefficient must be a non-zero",
                 DS_EUSAGE);
}

TEST(cycles_and_empty_lists)
{
    expect_error("\"terms\": {\"E\": 1}, \"unit\": \"kcal/mol\"}",
                 "\"terms\": {\"E_kcal\": 1}, \"unit\": \"kcal/mol\"}",
                 "cycle: E_kcal -> E_kcal", DS_EUSAGE);
    /* a chain (d -> E_kcal -> E) is fine */
    char text[4096];
    const char *from = "{\"name\": \"d\", \"kind\": \"dband\", \"run\": \"complex\", \"window\": [null, 0]}";
    const char *p = strstr(GOOD, from);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(p - GOOD), GOOD, "{\"name\": \"d\", \"kind\": \"combine\", \"terms\": {\"E_kcal\": 1}}",
             p + strlen(from));
    recipe ok;
    ds_err e0;
    CHECK(recipe_parse(text, "r.json", &ok, &e0) == DS_OK);
    CHECK(ok.order[2] == 2 && ok.descriptors[2].is_energy);
    recipe_free(&ok);
    recipe r;
    ds_err err;
    const char *two =
        "{\"candidates\": [{\"name\": \"a\", \"runs\": {\"x\": \"x\"}}], \"descriptors\": ["
        "{\"name\": \"p\", \"kind\": \"combine\", \"terms\": {\"q\": 1}},"
        "{\"name\": \"q\", \"kind\": \"combine\", \"terms\": {\"p\": -1}}],"
        "\"criteria\": [{\"descriptor\": \"p\"}]}";
    char buf[1400];
    CHECK(recipe_parse(two, "r.json", &r, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(ds_err_format(&err, buf, sizeof buf), "cycle: p -> q -> p"), "%s", buf);
    const char *empty = "{\"candidates\": [], \"descriptors\": [{\"name\": \"e\", \"kind\": \"homo\", \"run\": \"x\"}],"
                        " \"criteria\": [{\"descriptor\": \"e\"}]}";
    CHECK(recipe_parse(empty, "r.json", &r, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(ds_err_format(&err, buf, sizeof buf), "candidates: the candidate list is empty"), "%s", buf);
    CHECK(recipe_parse("[1, 2]", "r.json", &r, &err) == DS_EUSAGE);
    CHECK(recipe_parse("", "r.json", &r, &err) == DS_EFORMAT);
}

int main(void)
{
    RUN(good_recipe_contents);
    RUN(malformed_json_names_the_line);
    RUN(unknown_keys_kinds_and_roles);
    RUN(cycles_and_empty_lists);
    return TEST_FINISH();
}
