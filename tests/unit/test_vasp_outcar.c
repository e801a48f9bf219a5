/* Unit tests for parsers/vasp_outcar on the project's hand-written OUTCAR
 * (tests/fixtures/vasp/si-relax-outcar): steps, energies, E_F, convergence, termination,
 * gzip, truncation at many points (an unfinished step never counts), garbage. */
#include <unistd.h>
#include <zlib.h>

#include "descriptors/xc_identity.h"
#include "parsers/vasp_outcar.h"
#include "tests/test.h"

static void write_tmp(const char *path, const char *data, size_t n, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, data, (unsigned)n);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void check_full(const ds_run *r)
{
    CHECK_STR(r->code_version, "5.4.4");
    CHECK(r->n_atoms == 2 && r->n_kinds == 1 && r->kinds[0].zval == 4.0);
    CHECK_STR(r->kinds[0].pseudopotential, "PAW_PBE Si 05Jan2001");
    CHECK(r->n_steps == 2);
    CHECK_NEAR(r->steps[1].energy_free_eV, -10.841, 1e-12);
    CHECK_NEAR(r->steps[1].energy_no_entropy_eV, -10.8412, 1e-12);
    CHECK_NEAR(r->steps[1].energy_sigma0_eV, -10.8411, 1e-12);
    CHECK_NEAR(r->fermi_eV, 5.913, 1e-12); /* the last E-fermi, not the first */
    CHECK(r->steps[0].n_scf_steps == 4 && r->steps[1].n_scf_steps == 5);
    CHECK(r->steps[1].scf_converged == 0 && r->converged_electronic == 0); /* 5 = NELM */
    CHECK(r->converged_ionic == 1 && r->terminated_normally == 1 && !r->truncated);
    CHECK_NEAR(r->steps[1].max_force_eV_per_angstrom, sqrt(3e-4), 1e-12);
    CHECK_NEAR(r->final.lattice_angstrom[0][1], 2.715, 1e-12);
    CHECK_NEAR(r->settings.encut_eV, 300, 0);
    CHECK(r->settings.nelm == 5 && r->settings.nsw == 5);
    CHECK_NEAR(r->settings.nelect, 8, 0);
}

TEST(reads_steps_and_flags)
{
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_outcar_read(FIXTURE("vasp/si-relax-outcar/OUTCAR"), &r, &err) == DS_OK);
    check_full(&r);
    run_free(&r);
}

TEST(gzip_and_truncation)
{
    char *text;
    size_t n;
    ds_err err;
    CHECK(ds_read_all(FIXTURE("vasp/si-relax-outcar/OUTCAR"), 1 << 24, &text, &n, &err) == DS_OK);
    write_tmp("/tmp/ds_oc.gz", text, n, 1);
    ds_run r;
    run_init(&r);
    CHECK(vasp_outcar_read("/tmp/ds_oc.gz", &r, &err) == DS_OK);
    check_full(&r);
    run_free(&r);
    unlink("/tmp/ds_oc.gz");
    const char *first = strstr(text, "energy(sigma->0)");
    const char *second = strstr(first + 1, "energy(sigma->0)");
    int cuts = 0;
    for (size_t cut = 0; cut < n; cut += n / 60 + 1, cuts++) {
        write_tmp("/tmp/ds_oc_cut", text, cut, 0);
        run_init(&r);
        int rc = vasp_outcar_read("/tmp/ds_oc_cut", &r, &err);
        if (rc == DS_OK) {
            /* a step counts once its energy(sigma->0) line was read (cut inside that line: either) */
            size_t f0 = (size_t)(first - text), f1 = (size_t)(strchr(first, '\n') - text);
            size_t s0 = (size_t)(second - text), s1 = (size_t)(strchr(second, '\n') - text);
            int hi = cut > s0 ? 2 : cut > f0 ? 1 : 0, lo = cut >= s1 ? 2 : cut >= f1 ? 1 : 0;
            CHECK_MSG(r.n_steps >= lo && r.n_steps <= hi, "cut %zu: %d steps, expected %d..%d", cut, r.n_steps, lo, hi);
            CHECK(r.n_steps < 2 ? r.truncated == 1 : 1);
            if (cut < (size_t)(strstr(text, "General timing") - text)) CHECK(r.terminated_normally == 0);
        } else CHECK(err.msg[0] && err.file[0]);
        run_free(&r);
    }
    CHECK(cuts >= 50);
    unlink("/tmp/ds_oc_cut");
    free(text);
}

/* VASP's WARNING boxes are counted once each (by the banner line, which starts with '|'),
 * wherever they appear; text that only quotes a key is not taken for it. */
TEST(warning_boxes_and_keys_by_line_start)
{
    char *text;
    size_t n;
    ds_err err;
    CHECK(ds_read_all(FIXTURE("vasp/si-relax-outcar/OUTCAR"), 1 << 24, &text, &n, &err) == DS_OK);
    if (!text) return;
    static const char box[] =
        " -----------------------------------------------------------------------------\n"
        "|                                                                             |\n"
        "|           W    W    AA    RRRRR   N    N  II  N    N   GGGG   !!!           |\n"
        "|           W    W   A  A   R    R  NN   N  II  NN   N  G    G  !!!           |\n"
        "|           W    W  A    A  R    R  N N  N  II  N N  N  G       !!!           |\n"
        "|      The number of bands has been changed from the values supplied        |\n"
        "|      in the INCAR file. (reached required accuracy is quoted here)       |\n"
        " -----------------------------------------------------------------------------\n";
    /* two boxes: one after the first line, one before the closing timing */
    const char *nl = strchr(text, '\n') + 1, *timing = strstr(text, " General timing");
    CHECK(timing != NULL);
    size_t a = (size_t)(nl - text), b = (size_t)(timing - text), nb = strlen(box);
    char *mod = malloc(n + 2 * nb + 1);
    memcpy(mod, text, a);
    memcpy(mod + a, box, nb);
    memcpy(mod + a + nb, text + a, b - a);
    memcpy(mod + nb + b, box, nb);
    memcpy(mod + 2 * nb + b, text + b, n - b);
    write_tmp("/tmp/ds_oc_box", mod, n + 2 * nb, 0);
    ds_run r;
    run_init(&r);
    CHECK(vasp_outcar_read("/tmp/ds_oc_box", &r, &err) == DS_OK);
    check_full(&r);
    int found = 0;
    for (int i = 0; i < r.n_warnings; i++) found += strstr(r.warnings[i], "VASP printed 2 WARNING box(es)") != NULL;
    CHECK_MSG(found == 1, "%d warnings, first: %s", r.n_warnings, r.n_warnings ? r.warnings[0] : "");
    run_free(&r);
    /* cut before the real "reached required accuracy" line: not converged, not terminated,
     * although the first box quotes those words */
    size_t reached = (size_t)(strstr(text, " reached required accuracy") - text);
    write_tmp("/tmp/ds_oc_box", mod, reached + nb, 0);
    run_init(&r);
    CHECK(vasp_outcar_read("/tmp/ds_oc_box", &r, &err) == DS_OK);
    CHECK_MSG(r.converged_ionic != 1 && r.terminated_normally != 1, "converged_ionic %d terminated_normally %d",
              r.converged_ionic, r.terminated_normally);
    run_free(&r);
    unlink("/tmp/ds_oc_box");
    free(mod);
    free(text);
}

/* The fixture with `extra` put in after its first line (the version line): what a header
 * quirk does to an otherwise complete OUTCAR.  The caller frees the run. */
static int read_with_header_lines(const char *extra, ds_run *r, ds_err *err)
{
    char *text;
    size_t n;
    if (ds_read_all(FIXTURE("vasp/si-relax-outcar/OUTCAR"), 1 << 24, &text, &n, err) != DS_OK) return -1;
    size_t a = (size_t)(strchr(text, '\n') + 1 - text), ne = strlen(extra);
    char *mod = malloc(n + ne);
    memcpy(mod, text, a);
    memcpy(mod + a, extra, ne);
    memcpy(mod + a + ne, text + a, n - a);
    write_tmp("/tmp/ds_oc_hdr", mod, n + ne, 0);
    free(mod);
    free(text);
    run_init(r);
    int rc = vasp_outcar_read("/tmp/ds_oc_hdr", r, err);
    unlink("/tmp/ds_oc_hdr");
    return rc;
}

static int param_index(const ds_run *r, const char *name)
{
    for (int i = 0; i < r->n_params; i++)
        if (strcmp(r->params[i].name, name) == 0) return i;
    return -1;
}

/* The parameter echo: a tag counts as a whole word (letters, digits, '_' around it end it)
 * followed by blanks and '='; its first such place in the file wins, a later one in the same
 * line or file does not; several tags in one line are taken in the order of the tag list, not
 * of the line; a value ends at ';' or at a comment (3+ blanks, then text). */
TEST(parameter_echo_words_order_and_first_wins)
{
    static const char extra[] = "   NELMIN=  2;   NELMDL = -5   XNELM = 99  NELM_X = 98  _NELM = 97  NELM2 = 96\n"
                                "   ISPIN  =      2    spin polarized calculation?   ISPIN = 7\n"
                                "   SIGMA  =   0.10;  ISMEAR =    -1;  ENCUT = 450.0 eV  33.07 Ry\n"
                                "   LDAUU = 5.0 0.0   LDAU = T\n"
                                "   IBRION is set here: IBRION =  2\n"
                                "NSW=3\n"
                                " = 4 NSW\n"
                                "   GGA    = PE    GGA type\n";
    ds_run r;
    ds_err err;
    CHECK(read_with_header_lines(extra, &r, &err) == DS_OK);
    CHECK_STR(run_param_get(&r, "NELM"), "5"); /* the fixture's own line, later in the file */
    CHECK_STR(run_param_get(&r, "ISPIN"), "2");
    CHECK_STR(run_param_get(&r, "SIGMA"), "0.10");
    CHECK_STR(run_param_get(&r, "ISMEAR"), "-1");
    CHECK_STR(run_param_get(&r, "ENCUT"), "450.0");
    CHECK_STR(run_param_get(&r, "LDAUU"), "5.0 0.0");
    CHECK_STR(run_param_get(&r, "LDAU"), "T");
    CHECK_STR(run_param_get(&r, "IBRION"), "2");
    CHECK_STR(run_param_get(&r, "NSW"), "3");
    CHECK_STR(run_param_get(&r, "GGA"), "PE");
    CHECK(run_param_get(&r, "NELMIN") == NULL && run_param_get(&r, "XNELM") == NULL);
    int e = param_index(&r, "ENCUT"), i = param_index(&r, "ISMEAR"), s = param_index(&r, "SIGMA");
    CHECK_MSG(e > 0 && i == e + 1 && s == i + 1, "ENCUT %d ISMEAR %d SIGMA %d", e, i, s);
    CHECK(param_index(&r, "ISPIN") < e && param_index(&r, "LDAU") == param_index(&r, "LDAUU") - 1);
    CHECK(r.n_steps == 2 && r.terminated_normally == 1);
    run_free(&r);
}

/* VASP right-aligns short echo values, so a value may follow '=' after 3+ blanks and start
 * with a letter ("GGA     =    PS    GGA type"); those blanks are no comment break.  The old
 * reader took them for one and recorded "" (GGA = PS read as the POTCAR default, PBE).  Each
 * line is the first echo of its tag (the fixture's own GGA = -- comes later). */
TEST(parameter_echo_values_after_blanks)
{
    static const struct { const char *line, *tag, *value; } cases[] = {
        {"   GGA     =    PS    GGA type\n", "GGA", "PS"},
        {"   GGA     =    PE    GGA type\n", "GGA", "PE"},
        {"   GGA     =    91    GGA type\n", "GGA", "91"},
        {"   GGA     =    RP    GGA type\n", "GGA", "RP"},
        {"   GGA     =    --    GGA type\n", "GGA", "--"},
        {"   GGA     = PE    functional components\n", "GGA", "PE"}, /* VASP 6.5 */
        {"   LDAU   =      F\n", "LDAU", "F"},
        {"   LDAU   =      T\n", "LDAU", "T"},
        {"   LSORBIT =      F    spin-orbit coupling\n", "LSORBIT", "F"},
        {"   LNONCOLLINEAR =      T non collinear calculations\n", "LNONCOLLINEAR", "T"},
        {"   LHFCALC =     T    Hartree Fock is set to\n", "LHFCALC", "T"},
        {"   METAGGA=      F    non-selfconsistent MetaGGA calc.\n", "METAGGA", "F"},
        {"   LASPH  =      T    aspherical Exc in radial PAW\n", "LASPH", "T"},
        {"   PREC   = accura    normal or accurate (medium, high low for compatibility)\n", "PREC", "accura"},
        {"   ENCUT  =  520.0 eV  38.22 Ry    6.18 a.u.   5.70  5.75  9.92*2*pi/ulx,y,z\n", "ENCUT", "520.0"},
        {"   ISMEAR =     0;   SIGMA  =   0.05  broadening in eV -4-tet -1-fermi 0-gaus\n", "SIGMA", "0.05"},
        {"   NELECT =      28.0000    total number of electrons\n", "NELECT", "28.0000"},
        {"   LORBIT       =     11    0 simple, 1 ext, 2 COOP (PROOUT), +10 PAW based schemes\n", "LORBIT", "11"},
        {"   U (eV)           for each species LDAUU =   4.0  0.0\n", "LDAUU", "4.0  0.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ds_run r;
        ds_err err;
        CHECK(read_with_header_lines(cases[i].line, &r, &err) == DS_OK);
        const char *got = run_param_get(&r, cases[i].tag);
        CHECK_MSG(got && strcmp(got, cases[i].value) == 0, "%s: %s = [%s], expected [%s]", cases[i].line, cases[i].tag,
                  got ? got : "(absent)", cases[i].value);
        CHECK(r.n_steps == 2);
        run_free(&r);
    }
}

/* What the echo values decide: an OUTCAR-only run echoing GGA = PS is PBEsol (not the PBE of
 * its PAW_PBE POTCAR), LHFCALC = T makes it a hybrid, LSORBIT/LNONCOLLINEAR = F say collinear,
 * LDAU = T turns DFT+U on.  All were read as "" (unknown) before. */
TEST(echoed_functional_and_switches_reach_the_settings)
{
    ds_run r;
    ds_err err;
    run_xc xc;
    CHECK(read_with_header_lines("   GGA     =    PS    GGA type\n", &r, &err) == DS_OK);
    CHECK_STR(r.settings.functional_raw, "GGA=PS");
    CHECK(xc_identity_of_run(&r, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "PBEsol");
    CHECK_STR(xc.libxc_names, "gga_x_pbe_sol+gga_c_pbe_sol");
    run_free(&r);

    CHECK(read_with_header_lines("   GGA     =    PE    GGA type\n   LHFCALC =     T    Hartree Fock is set to\n", &r,
                                 &err) == DS_OK);
    CHECK(xc_identity_of_run(&r, &xc, &err) == DS_OK);
    CHECK_STR(xc.label, "PBE0");
    run_free(&r);

    CHECK(read_with_header_lines("   LNONCOLLINEAR =      F non collinear calculations\n"
                                 "   LSORBIT =      F    spin-orbit coupling\n"
                                 "   LDAU   =      T\n"
                                 "   U (eV)           for each species LDAUU =   4.0  0.0\n",
                                 &r, &err) == DS_OK);
    CHECK(r.settings.noncollinear == 0);
    CHECK(r.settings.ldau == 1);
    CHECK_STR(r.settings.ldau_u_eV, "4.0  0.0");
    run_free(&r);
}

/* on_line picks a line's branch by its first byte: a line that starts like a key but is not
 * that key (or lacks the key's second word) must still reach the later tests, as the chain of
 * tests it replaces did: the parameter echo and NIONS (which may stand anywhere in a line). */
TEST(prefix_misses_fall_through)
{
    static const char extra[] = " TITEL-like ENCUT = 999\n"
                                "\t POSITION  ISPIN = 2\n"
                                " magnetization NSW = 4\n"
                                "-------- IBRION = 3\n"
                                " free energy ISMEAR = 1\n"
                                " \t\r\n"
                                " E-fermi NELM = 7\n";
    ds_run r;
    ds_err err;
    CHECK(read_with_header_lines(extra, &r, &err) == DS_OK);
    CHECK_STR(run_param_get(&r, "ENCUT"), "999");
    CHECK_STR(run_param_get(&r, "ISPIN"), "2");
    CHECK_STR(run_param_get(&r, "NSW"), "4");
    CHECK_STR(run_param_get(&r, "IBRION"), "3");
    CHECK_STR(run_param_get(&r, "ISMEAR"), "1");
    CHECK_STR(run_param_get(&r, "NELM"), "7");
    CHECK(r.n_steps == 2 && r.n_atoms == 2);
    run_free(&r);
    /* "NIONS =" anywhere in a line, as strstr finds it (no word boundary), its '=' at column 6
     * or later, after other '=' signs */
    static const char *const nions_lines[] = {" direct NIONS =  3\n", " POSITION NIONS =  3\n", "---- NIONS =  3\n",
                                              " ions per NIONS =  3\n", "x = 1   NIONS =  3\n", "NIONS =  3\n",
                                              " NNIONS =  3\n", "a=b=c= NIONS =  3 = 4\n"};
    for (size_t i = 0; i < sizeof nions_lines / sizeof *nions_lines; i++) {
        CHECK(read_with_header_lines(nions_lines[i], &r, &err) == DS_OK);
        int found = 0;
        for (int w = 0; w < r.n_warnings; w++) found += strstr(r.warnings[w], "NIONS = 2 after NIONS = 3") != NULL;
        CHECK_MSG(found == 1 && r.truncated == 1 && r.n_steps == 0, "line %zu: %d steps, truncated %d", i, r.n_steps,
                  r.truncated);
        run_free(&r);
    }
    static const char *const not_nions[] = {"NIONS= 3\n", " NIONS  = 3\n", "IONS =  3\n", " NIONS\n", "x = NIONS\n"};
    for (size_t i = 0; i < sizeof not_nions / sizeof *not_nions; i++) {
        CHECK(read_with_header_lines(not_nions[i], &r, &err) == DS_OK);
        CHECK_MSG(r.n_steps == 2 && r.n_atoms == 2 && !r.truncated, "line %zu: %d steps", i, r.n_steps);
        run_free(&r);
    }
}

/* An SCF iteration is a line that starts with "----" and holds "Iteration" (found as strstr
 * finds it, after other capital I's) and a '('; the first one ends the parameter echo, so a
 * header line taken for one leaves the fixture's ENCUT unread. */
TEST(iteration_lines)
{
    static const char *const taken[] = {"---- Iteration    1(   1)  ----\n", "----I IIteration    1(   1)\n",
                                        "  -------- In Iteration 1 (1)\n"};
    static const char *const not_taken[] = {"---- Iteration 1 ----\n", "--- Iteration    1(   1)\n",
                                            "---- iteration    1(   1)\n", "---- Iteratio    1(   1)\n"};
    ds_run r;
    ds_err err;
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++) {
        CHECK(read_with_header_lines(taken[i], &r, &err) == DS_OK);
        CHECK_MSG(run_param_get(&r, "ENCUT") == NULL && r.n_steps == 2, "line %zu: ENCUT %s", i,
                  run_param_get(&r, "ENCUT"));
        run_free(&r);
    }
    for (size_t i = 0; i < sizeof not_taken / sizeof *not_taken; i++) {
        CHECK(read_with_header_lines(not_taken[i], &r, &err) == DS_OK);
        CHECK_MSG(run_param_get(&r, "ENCUT") != NULL && r.n_steps == 2, "line %zu", i);
        run_free(&r);
    }
}

TEST(not_an_outcar)
{
    write_tmp("/tmp/ds_oc_bad", "hello\nworld\n", 12, 0);
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_outcar_read("/tmp/ds_oc_bad", &r, &err) == DS_EFORMAT);
    CHECK(err.line == 1 && strstr(err.msg, "vasp.") != NULL);
    run_free(&r);
    write_tmp("/tmp/ds_oc_bad", "", 0, 0);
    run_init(&r);
    CHECK(vasp_outcar_read("/tmp/ds_oc_bad", &r, &err) == DS_ETRUNC);
    run_free(&r);
    unlink("/tmp/ds_oc_bad");
}

int main(void)
{
    RUN(reads_steps_and_flags);
    RUN(gzip_and_truncation);
    RUN(warning_boxes_and_keys_by_line_start);
    RUN(parameter_echo_words_order_and_first_wins);
    RUN(parameter_echo_values_after_blanks);
    RUN(echoed_functional_and_switches_reach_the_settings);
    RUN(prefix_misses_fall_through);
    RUN(iteration_lines);
    RUN(not_an_outcar);
    return TEST_FINISH();
}
