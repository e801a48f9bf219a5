/* Unit tests for the parameter table of parsers/run (run_add_param, run_param_get): the hash
 * index must behave as the linear table it replaced: a repeated name replaces the value in
 * place, order is insertion order, lookups of absent names fail, and a name too long for its
 * field is stored cut and appended each time (the first one is what a lookup finds). */
#include "parsers/run.h"
#include "tests/test.h"

TEST(many_params_replace_in_place_and_keep_order)
{
    ds_run run;
    run_init(&run);
    char name[48], value[96];
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "TAG%d", i);
        snprintf(value, sizeof value, "%d", i * 7);
        CHECK(run_add_param(&run, name, value) == DS_OK);
    }
    CHECK(run.n_params == 1000);
    CHECK(run_add_param(&run, "TAG500", "replaced") == DS_OK);
    CHECK(run.n_params == 1000);
    CHECK(strcmp(run.params[500].value, "replaced") == 0);
    int all = 1;
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "TAG%d", i);
        snprintf(value, sizeof value, "%d", i * 7);
        const char *v = run_param_get(&run, name);
        if (!v || strcmp(run.params[i].name, name) != 0 || (i != 500 && strcmp(v, value) != 0)) all = 0;
    }
    CHECK(all);
    CHECK(run_param_get(&run, "TAG1000") == NULL);
    CHECK(run_param_get(&run, "") == NULL);
    CHECK(run_param_get(&run, "tag1") == NULL); /* names are case-sensitive here */
    run_free(&run);
    CHECK(run_param_get(&run, "TAG1") == NULL);
}

TEST(overlong_names_are_cut_and_appended)
{
    ds_run run;
    run_init(&run);
    const char *a = "inp:FORCE_EVAL/DFT/XC/XC_FUNCTIONAL/PBE/PARAMETRIZATION_A";
    const char *b = "inp:FORCE_EVAL/DFT/XC/XC_FUNCTIONAL/PBE/PARAMETRIZATION_B";
    CHECK(run_add_param(&run, a, "one") == DS_OK);
    CHECK(run_add_param(&run, b, "two") == DS_OK);
    CHECK(run_add_param(&run, a, "three") == DS_OK);
    CHECK(run.n_params == 3);
    CHECK(strlen(run.params[0].name) == sizeof run.params[0].name - 1);
    CHECK(strcmp(run.params[0].name, run.params[1].name) == 0);
    CHECK(run_param_get(&run, a) == NULL);
    CHECK(run_param_get(&run, run.params[0].name) != NULL &&
          strcmp(run_param_get(&run, run.params[0].name), "one") == 0);
    CHECK(run_add_param(&run, "ENCUT", "520") == DS_OK);
    CHECK(strcmp(run_param_get(&run, "ENCUT"), "520") == 0);
    /* the index is rebuilt as the table grows: still the first of the equal cut names */
    char name[16];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "X%d", i);
        CHECK(run_add_param(&run, name, "x") == DS_OK);
    }
    CHECK(strcmp(run_param_get(&run, run.params[0].name), "one") == 0);
    run_free(&run);
}

TEST(a_moved_run_keeps_its_index)
{
    ds_run run, moved;
    run_init(&run);
    CHECK(run_add_param(&run, "ISPIN", "2") == DS_OK);
    moved = run;
    run_init(&run);
    CHECK(run_add_param(&moved, "ISPIN", "1") == DS_OK);
    CHECK(moved.n_params == 1 && strcmp(run_param_get(&moved, "ISPIN"), "1") == 0);
    run_free(&moved);
    run_free(&run);
}

/* Values and source file names are cut to their field as snprintf("%s") would: the first
 * size - 1 bytes and a NUL; a value that fills its field exactly and an empty one are kept
 * whole; a replaced value is cut the same way. */
TEST(overlong_values_are_cut_to_their_field)
{
    ds_run run;
    run_init(&run);
    char big[600];
    for (size_t i = 0; i < sizeof big - 1; i++) big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    size_t vcap = sizeof run.params[0].value;
    CHECK(run_add_param(&run, "LONG", big) == DS_OK);
    CHECK(strlen(run.params[0].value) == vcap - 1 && strncmp(run.params[0].value, big, vcap - 1) == 0);
    char exact[600];
    memcpy(exact, big, vcap - 1);
    exact[vcap - 1] = '\0';
    CHECK(run_add_param(&run, "EXACT", exact) == DS_OK && strcmp(run_param_get(&run, "EXACT"), exact) == 0);
    CHECK(run_add_param(&run, "EMPTY", "") == DS_OK && strcmp(run_param_get(&run, "EMPTY"), "") == 0);
    CHECK(run_add_param(&run, "EMPTY", big + 1) == DS_OK);
    CHECK(strlen(run_param_get(&run, "EMPTY")) == vcap - 1 && strncmp(run_param_get(&run, "EMPTY"), big + 1, vcap - 1) == 0);
    CHECK(run_add_source(&run, "dos", big) == DS_OK);
    size_t fcap = sizeof run.sources[0].file;
    CHECK(run.n_sources == 1 && strlen(run.sources[0].file) == fcap - 1 && strncmp(run.sources[0].file, big, fcap - 1) == 0);
    CHECK(run_add_source(&run, "dos", "DOSCAR") == DS_OK && run.n_sources == 1 && strcmp(run.sources[0].file, "DOSCAR") == 0);
    run_free(&run);
}

int main(void)
{
    RUN(many_params_replace_in_place_and_keep_order);
    RUN(overlong_names_are_cut_and_appended);
    RUN(a_moved_run_keeps_its_index);
    RUN(overlong_values_are_cut_to_their_field);
    return TEST_FINISH();
}
