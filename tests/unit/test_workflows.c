/* The recipes shipped in workflows/ are valid (every key, role, unit and criterion), so
 * users start from recipes that run. */
#include <glob.h>

#include "screen/recipe.h"
#include "tests/test.h"

TEST(every_shipped_recipe_parses)
{
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/workflows/*.json", t_env_("DS_ROOT", "."));
    glob_t g;
    CHECK(glob(pattern, 0, NULL, &g) == 0);
    CHECK(g.gl_pathc >= 3);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        recipe r;
        ds_err err;
        char buf[1400];
        int rc = recipe_read(g.gl_pathv[i], &r, &err);
        CHECK_MSG(rc == DS_OK, "%s", ds_err_format(&err, buf, sizeof buf));
        if (!rc) {
            CHECK(r.n_criteria > 0 && r.n_descriptors > 0 && r.name[0] && r.description[0]);
            recipe_free(&r);
        }
    }
    globfree(&g);
}

int main(void)
{
    RUN(every_shipped_recipe_parses);
    return TEST_FINISH();
}
