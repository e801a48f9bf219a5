/* Unit tests for descriptors/xc_identity: VASP and CP2K functional settings -> libxc. */
#include <math.h>

#include "descriptors/xc_identity.h"
#include "tests/test.h"

static void vasp_run(ds_run *run, const char *const *kv, int n)
{
    run_init(run);
    run->code = RUN_CODE_VASP;
    for (int i = 0; i < n; i += 2) run_add_param(run, kv[i], kv[i + 1]);
}

TEST(vasp_pbe_from_gga_tag)
{
    ds_run run;
    const char *kv[] = {"GGA", "PE"};
    vasp_run(&run, kv, 2);
    run_xc xc;
    ds_err err;
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "PBE");
    CHECK_STR(xc.libxc_names, "gga_x_pbe+gga_c_pbe");
    CHECK(xc.libxc_ids[0] == 101 && xc.libxc_ids[1] == 130); /* XC_GGA_X_PBE, XC_GGA_C_PBE */
    CHECK_STR(xc.family, "GGA");
    CHECK(xc.exact_exchange_fraction == 0.0);
    run_free(&run);
}

TEST(vasp_default_gga_from_potcar_family)
{
    ds_run run;
    const char *kv[] = {"GGA", "--"};
    vasp_run(&run, kv, 2);
    run.kinds = calloc(1, sizeof *run.kinds);
    run.n_kinds = 1;
    snprintf(run.kinds[0].pseudopotential, sizeof run.kinds[0].pseudopotential, "PAW_PBE Fe 06Sep2000");
    run_xc xc;
    ds_err err;
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "PBE");
    run_free(&run);
    /* No tag and no POTCAR title: unknown, with a reason. */
    vasp_run(&run, kv, 2);
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_ENODATA);
    CHECK_STR(xc.label, "unknown");
    CHECK(strstr(err.msg, "POTCAR") != NULL);
    run_free(&run);
}

TEST(vasp_hse06_keeps_run_parameters)
{
    ds_run run;
    const char *kv[] = {"GGA", "PE", "LHFCALC", "T", "AEXX", "0.25", "HFSCREEN", "0.207"};
    vasp_run(&run, kv, 8);
    run_xc xc;
    ds_err err;
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "HSE06");
    CHECK_STR(xc.family, "HYB_GGA");
    CHECK_NEAR(xc.exact_exchange_fraction, 0.25, 1e-12);
    CHECK_NEAR(xc.range_separation_bohr_inv, 0.207 * 0.529177210903, 1e-12);
    run_free(&run);
    /* AEXX changed: a different functional, named so. */
    const char *kv2[] = {"GGA", "PE", "LHFCALC", "T", "AEXX", "0.30", "HFSCREEN", "0.2"};
    vasp_run(&run, kv2, 8);
    run_xc xc2;
    CHECK(xc_identity_of_run(&run, &xc2, &err) == DS_OK);
    CHECK_STR(xc2.label, "HSE06(AEXX=0.3)");
    char why[256];
    CHECK(!xc_identity_equal(&xc, &xc2, why, sizeof why));
    CHECK(strstr(why, "exact exchange") != NULL);
    run_free(&run);
}

TEST(vasp_pbe0_and_scan_and_plus_u)
{
    ds_run run;
    const char *kv[] = {"GGA", "PE", "LHFCALC", ".TRUE.", "HFSCREEN", "0.0"};
    vasp_run(&run, kv, 6);
    run_xc xc;
    ds_err err;
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "PBE0");
    CHECK_NEAR(xc.exact_exchange_fraction, 0.25, 1e-12);
    run_free(&run);
    const char *kv2[] = {"METAGGA", "R2SCAN", "GGA", "--"};
    vasp_run(&run, kv2, 4);
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "r2SCAN");
    CHECK_STR(xc.family, "MGGA");
    run_free(&run);
    const char *kv3[] = {"GGA", "PE"};
    vasp_run(&run, kv3, 2);
    run.settings.ldau = 1;
    CHECK(xc_identity_of_run(&run, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "PBE+U");
    run_free(&run);
}

TEST(cp2k_names_and_equality)
{
    ds_run a, b;
    run_init(&a);
    run_init(&b);
    a.code = b.code = RUN_CODE_CP2K;
    snprintf(a.settings.functional_raw, sizeof a.settings.functional_raw, "PBE");
    snprintf(b.settings.functional_raw, sizeof b.settings.functional_raw, "BLYP");
    run_xc xa, xb;
    ds_err err;
    CHECK(xc_identity_of_run(&a, &xa, &err) == DS_OK);
    CHECK(xc_identity_of_run(&b, &xb, &err) == DS_OK);
    CHECK_STR(xb.libxc_names, "gga_x_b88+gga_c_lyp");
    char why[256];
    CHECK(!xc_identity_equal(&xa, &xb, why, sizeof why));
    CHECK(strstr(why, "PBE") && strstr(why, "BLYP"));
    /* The same functional from two codes is the same identity. */
    ds_run v;
    const char *kv[] = {"GGA", "PE"};
    vasp_run(&v, kv, 2);
    run_xc xv;
    CHECK(xc_identity_of_run(&v, &xv, &err) == DS_OK);
    CHECK(xc_identity_equal(&xa, &xv, why, sizeof why));
    snprintf(a.settings.functional_raw, sizeof a.settings.functional_raw, "NOSUCHXC");
    CHECK(xc_identity_of_run(&a, &xa, &err) == DS_ENODATA);
    run_free(&a);
    run_free(&b);
    run_free(&v);
}

int main(void)
{
    RUN(vasp_pbe_from_gga_tag);
    RUN(vasp_default_gga_from_potcar_family);
    RUN(vasp_hse06_keeps_run_parameters);
    RUN(vasp_pbe0_and_scan_and_plus_u);
    RUN(cp2k_names_and_equality);
    return TEST_FINISH();
}
