/* recipe: the "bsse" key of reaction descriptors (a counterpoise run by role or @reference). */
#include "screen/recipe.h"
#include "tests/test.h"

static int parse(const char *descriptor, recipe *r, char *buf, size_t n)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"references\": {\"cpref\": \"refs/cp\"},\n"
             " \"candidates\": [{\"name\": \"A\", \"runs\": {\"complex\": \"a-b\", \"a\": \"a\", \"b\": \"b\", \"cp\": \"a-b-cp\"}}],\n"
             " \"descriptors\": [%s],\n"
             " \"criteria\": [{\"descriptor\": \"E\", \"goal\": \"minimize\"}]}\n",
             descriptor);
    ds_err err;
    ds_err_clear(&err);
    int rc = recipe_parse(text, "r.json", r, &err);
    ds_err_format(&err, buf, n);
    return rc;
}

TEST(bsse_role_or_reference_is_kept)
{
    recipe r;
    char buf[1400];
    CHECK(parse("{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"a\": -1, \"b\": -1}, \"bsse\": \"cp\"}",
                &r, buf, sizeof buf) == DS_OK);
    CHECK_STR(r.descriptors[0].bsse, "cp");
    recipe_free(&r);
    CHECK(parse("{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"a\": -1}, \"bsse\": \"@cpref\"}", &r,
                buf, sizeof buf) == DS_OK);
    CHECK_STR(r.descriptors[0].bsse, "@cpref");
    recipe_free(&r);
    CHECK(parse("{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1, \"a\": -1}}", &r, buf, sizeof buf) ==
          DS_OK);
    CHECK_STR(r.descriptors[0].bsse, "");
    recipe_free(&r);
}

TEST(bsse_errors_name_the_json_path)
{
    recipe r;
    char buf[1400];
    CHECK(parse("{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1}, \"bsse\": \"nope\"}", &r, buf,
                sizeof buf) == DS_EUSAGE);
    CHECK_MSG(strstr(buf, "candidates[0].runs") && strstr(buf, "'nope'") && strstr(buf, "descriptors[0].bsse"), "%s", buf);
    CHECK(parse("{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1}, \"bsse\": \"@nope\"}", &r, buf,
                sizeof buf) == DS_EUSAGE);
    CHECK_MSG(strstr(buf, "descriptors[0].bsse") && strstr(buf, "references"), "%s", buf);
    CHECK(parse("{\"name\": \"E\", \"kind\": \"lumo\", \"run\": \"complex\", \"bsse\": \"cp\"}", &r, buf, sizeof buf) ==
          DS_EUSAGE);
    CHECK_MSG(strstr(buf, "descriptors[0]") && strstr(buf, "reaction descriptors only"), "%s", buf);
    CHECK(parse("{\"name\": \"E\", \"kind\": \"reaction\", \"terms\": {\"complex\": 1}, \"bsse\": 3}", &r, buf, sizeof buf) ==
          DS_EUSAGE);
    CHECK_MSG(strstr(buf, "descriptors[0]") && strstr(buf, "bsse"), "%s", buf);
}

int main(void)
{
    RUN(bsse_role_or_reference_is_kept);
    RUN(bsse_errors_name_the_json_path);
    return TEST_FINISH();
}
