/* test_vasp_params: INCAR tags -> settings (parsers/vasp_params.c).  PREC must come out as the
 * same word whichever file it was read from, or the settings check warns about two runs that
 * were computed alike: vasprun.xml says "accurate", the OUTCAR echo "accura", an INCAR "A". */
#include "parsers/run.h"
#include "parsers/vasp_params.h"
#include "tests/test.h"

static const char *prec_of(const char *v)
{
    static char out[32];
    vasp_prec_canonical(v, out, sizeof out);
    return out;
}

TEST(prec_spellings_of_the_same_setting_agree)
{
    const char *accurate[] = {"accurate", "Accurate", "ACCURATE", "accura", "Acc", "A", "  accurate  "};
    for (size_t i = 0; i < sizeof accurate / sizeof accurate[0]; i++)
        CHECK_MSG(strcmp(prec_of(accurate[i]), "accurate") == 0, "'%s' -> '%s'", accurate[i], prec_of(accurate[i]));
    CHECK(strcmp(prec_of("Normal"), "normal") == 0);
    CHECK(strcmp(prec_of("normal"), "normal") == 0);
    CHECK(strcmp(prec_of("Med"), "medium") == 0);
    CHECK(strcmp(prec_of("High"), "high") == 0);
    CHECK(strcmp(prec_of("low"), "low") == 0);
    CHECK(strcmp(prec_of("SingleN"), "singlen") == 0);
}

TEST(prec_ambiguous_or_unknown_is_kept_lower_case)
{
    CHECK(strcmp(prec_of("Single"), "single") == 0); /* Single, or SingleN's 6-letter echo */
    CHECK(strcmp(prec_of("S"), "s") == 0);
    CHECK(strcmp(prec_of("Weird"), "weird") == 0);
    CHECK(strcmp(prec_of("accuratex"), "accuratex") == 0);
    CHECK(strcmp(prec_of(""), "") == 0);
    char small[4];
    vasp_prec_canonical("accurate", small, sizeof small);
    CHECK(strcmp(small, "acc") == 0);
}

TEST(settings_take_the_canonical_prec)
{
    ds_run a, b;
    run_init(&a);
    run_init(&b);
    run_add_param(&a, "PREC", "accura"); /* an OUTCAR echo */
    run_add_param(&b, "PREC", "accurate"); /* vasprun.xml */
    vasp_settings_from_params(&a);
    vasp_settings_from_params(&b);
    CHECK(strcmp(a.settings.prec, "accurate") == 0);
    CHECK(strcmp(a.settings.prec, b.settings.prec) == 0);
    run_free(&a);
    run_free(&b);
}

int main(void)
{
    RUN(prec_spellings_of_the_same_setting_agree);
    RUN(prec_ambiguous_or_unknown_is_kept_lower_case);
    RUN(settings_take_the_canonical_prec);
    return TEST_FINISH();
}
