/* Unit tests for descriptors/consistency and descriptors/reaction on synthetic runs. */
#include "descriptors/reaction.h"
#include "tests/test.h"

static void cp2k_run(ds_run *run, const char *path, double energy_Ha, double cutoff_Ry)
{
    run_init(run);
    run->code = RUN_CODE_CP2K;
    snprintf(run->path, sizeof run->path, "%s", path);
    snprintf(run->settings.functional_raw, sizeof run->settings.functional_raw, "PBE");
    snprintf(run->settings.dispersion, sizeof run->settings.dispersion, "D3(BJ)");
    run->settings.cutoff_Ry = cutoff_Ry;
    run->settings.rel_cutoff_Ry = 50;
    run->converged_electronic = 1;
    run->converged_ionic = 1;
    run_step *s = run_push_step(run);
    s->energy_sigma0_eV = s->energy_free_eV = energy_Ha * DS_HA_TO_EV;
    run->n_kinds = 1;
    run->kinds = calloc(1, sizeof *run->kinds);
    snprintf(run->kinds[0].symbol, 4, "O");
    snprintf(run->kinds[0].basis, sizeof run->kinds[0].basis, "DZVP-MOLOPT-SR-GTH");
    snprintf(run->kinds[0].pseudopotential, sizeof run->kinds[0].pseudopotential, "GTH-PBE-q6");
}

TEST(binding_energy_units_and_sign)
{
    /* Li+-DMF of the corpus MANIFEST: -54.42212170 - (-47.16148938) - (-7.17381332) Ha */
    ds_run c, a, b;
    cp2k_run(&c, "li-dmf", -54.42212170, 400);
    cp2k_run(&a, "dmf", -47.16148938, 400);
    cp2k_run(&b, "li-ion", -7.17381332, 400);
    reaction_term t[3] = {{&c, 1}, {&a, -1}, {&b, -1}};
    reaction_result r;
    ds_err err;
    CHECK(reaction_energy(t, 3, 0, &r, &err) == DS_OK);
    double expect = (-54.42212170 + 47.16148938 + 7.17381332) * 27.211386245988;
    CHECK_NEAR(r.energy_eV, expect, 1e-9);
    CHECK_NEAR(r.energy_kcal_per_mol, expect * 23.060548, 1e-9);
    CHECK_NEAR(r.energy_kJ_per_mol, expect * 96.485332, 1e-9);
    CHECK(r.energy_eV < 0);
    CHECK(r.consistency.n_findings == 0);
    reaction_result_free(&r);
    run_free(&c);
    run_free(&a);
    run_free(&b);
}

TEST(guard_refuses_different_cutoff_and_functional)
{
    ds_run c, a;
    cp2k_run(&c, "complex.out", -10, 400);
    cp2k_run(&a, "part.out", -5, 300);
    reaction_term t[2] = {{&c, 1}, {&a, -1}};
    reaction_result r;
    ds_err err;
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "CUTOFF") && strstr(err.msg, "complex.out") && strstr(err.msg, "part.out"), "%s", err.msg);
    reaction_result_free(&r);
    /* allowed: the number comes with the finding */
    CHECK(reaction_energy(t, 2, REACTION_ALLOW_INCONSISTENT, &r, &err) == DS_OK);
    CHECK(r.consistency.n_refusals == 1);
    CHECK_NEAR(r.energy_eV, -5 * 27.211386245988, 1e-9);
    reaction_result_free(&r);
    a.settings.cutoff_Ry = 400;
    snprintf(a.settings.functional_raw, sizeof a.settings.functional_raw, "BLYP");
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "functional") && strstr(err.msg, "BLYP"), "%s", err.msg);
    reaction_result_free(&r);
    snprintf(a.settings.functional_raw, sizeof a.settings.functional_raw, "PBE");
    snprintf(a.kinds[0].basis, sizeof a.kinds[0].basis, "SZV-MOLOPT-SR-GTH");
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "basis set O"), "%s", err.msg);
    reaction_result_free(&r);
    run_free(&c);
    run_free(&a);
}

TEST(unconverged_and_truncated_runs_are_excluded_by_default)
{
    ds_run c, a;
    cp2k_run(&c, "complex", -10, 400);
    cp2k_run(&a, "part", -5, 400);
    a.converged_electronic = 0;
    reaction_term t[2] = {{&c, 1}, {&a, -1}};
    reaction_result r;
    ds_err err;
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_EUSAGE);
    CHECK(strstr(err.msg, "SCF did not converge") && strstr(err.file, "part"));
    reaction_result_free(&r);
    CHECK(reaction_energy(t, 2, REACTION_ALLOW_UNCONVERGED, &r, &err) == DS_OK);
    CHECK(r.n_warnings == 1);
    reaction_result_free(&r);
    a.converged_electronic = 1;
    a.truncated = 1;
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_EUSAGE);
    CHECK(strstr(err.msg, "truncated") != NULL);
    reaction_result_free(&r);
    /* an unconverged geometry is provisional, not refused */
    a.truncated = 0;
    a.converged_ionic = 0;
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_OK);
    CHECK(r.n_warnings == 1 && strstr(r.warnings[0], "provisional"));
    reaction_result_free(&r);
    /* a run without any complete step has no energy */
    a.n_steps = 0;
    CHECK(reaction_energy(t, 2, 0, &r, &err) == DS_EUSAGE && strstr(err.msg, "no energy"));
    reaction_result_free(&r);
    a.n_steps = 1;
    run_free(&c);
    run_free(&a);
}

TEST(code_mismatch_and_vasp_encut)
{
    ds_run v1, v2, cp;
    run_init(&v1);
    run_init(&v2);
    v1.code = v2.code = RUN_CODE_VASP;
    run_add_param(&v1, "GGA", "PE");
    run_add_param(&v2, "GGA", "PE");
    v1.settings.encut_eV = 520;
    v2.settings.encut_eV = 400;
    run_push_step(&v1)->energy_sigma0_eV = -1;
    run_push_step(&v2)->energy_sigma0_eV = -2;
    cp2k_run(&cp, "cp2k", -1, 400);
    const ds_run *runs[3] = {&v1, &v2, &cp};
    consistency_report rep;
    CHECK(consistency_check(runs, 3, &rep) == DS_OK);
    int saw_encut = 0, saw_code = 0;
    for (int i = 0; i < rep.n_findings; i++) {
        saw_encut |= strcmp(rep.findings[i].what, "ENCUT") == 0;
        saw_code |= strcmp(rep.findings[i].what, "code") == 0 && rep.findings[i].run_b == 2;
    }
    CHECK(saw_encut && saw_code && rep.n_refusals >= 2);
    consistency_report_free(&rep);
    run_free(&v1);
    run_free(&v2);
    run_free(&cp);
}

int main(void)
{
    RUN(binding_energy_units_and_sign);
    RUN(guard_refuses_different_cutoff_and_functional);
    RUN(unconverged_and_truncated_runs_are_excluded_by_default);
    RUN(code_mismatch_and_vasp_encut);
    return TEST_FINISH();
}
