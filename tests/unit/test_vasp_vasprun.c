/* Unit tests for parsers/vasp_vasprun on the project's hand-written vasprun.xml
 * (tests/fixtures/vasp/feo-relax): values, the VASP 4/5 e_0_energy correction, eigenvalues,
 * DOS and PDOS layout, gzip, truncation at many points, garbage, overflow and NaN fields. */
#include <unistd.h>
#include <zlib.h>

#include "parsers/vasp_vasprun.h"
#include "tests/test.h"

static char *fixture_text(size_t *len)
{
    ds_err err;
    char *text = NULL;
    if (ds_read_all(FIXTURE("vasp/feo-relax/vasprun.xml"), 1 << 24, &text, len, &err) != DS_OK) return NULL;
    return text;
}

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
    CHECK(r->code == RUN_CODE_VASP);
    CHECK_STR(r->code_version, "5.4.4.18Apr17-6-g9f103f2a35");
    CHECK(r->n_atoms == 2 && r->n_kinds == 2);
    CHECK_STR(r->species[0], "Fe");
    CHECK_STR(r->species[1], "O");
    CHECK(r->kinds[0].zval == 8.0 && r->kinds[1].zval == 6.0);
    CHECK_STR(r->kinds[0].pseudopotential, "PAW_PBE Fe 06Sep2000");
    CHECK(r->n_steps == 2);
    /* e_0_energy is written as 0 in the calculation block (VASP 5 bug): the corrected
     * value is e_fr + (e_0 - e_fr) of the last SCF step = -16.3129 + 0.1/4 */
    CHECK_NEAR(r->steps[1].energy_sigma0_eV, -16.2879, 1e-12);
    CHECK_NEAR(r->steps[1].energy_free_eV, -16.31234567 + 0.025, 1e-12);
    CHECK(r->steps[0].n_scf_steps == 3 && r->steps[1].n_scf_steps == 4);
    CHECK_NEAR(r->steps[0].max_force_eV_per_angstrom, 0.1, 1e-12);
    CHECK(r->converged_electronic == 1 && r->converged_ionic == 1 && r->terminated_normally == 1 && !r->truncated);
    CHECK_NEAR(r->fermi_eV, 1.2345, 0);
    CHECK(r->has_eigen && r->eigen.n_spins == 2 && r->eigen.n_kpoints == 2 && r->eigen.n_bands == 6);
    CHECK_NEAR(r->eigen.energies_eV[(1 * 2 + 1) * 6 + 2], -8.0 + 5.0 + 0.3 + 0.2, 1e-12);
    CHECK(r->eigen.kweights && r->eigen.kweights[1] == 0.75);
    CHECK(r->has_dos && r->dos.n_points == 7 && r->dos.n_spins == 2);
    CHECK(r->dos.n_pdos_atoms == 2 && r->dos.n_pdos_spins == 2 && r->dos.n_orbitals == 9);
    CHECK_STR(r->dos.orbital_labels[8], "dx2");
    /* pdos[atom 0][spin 0][orbital 0 (s)][point 3] = 0.01 * 4 */
    CHECK_NEAR(r->dos.pdos[((0 * 2 + 0) * 9 + 0) * 7 + 3], 0.04, 1e-12);
    CHECK(r->settings.kmesh[0] == 2 && r->settings.ldau == 1);
    CHECK_NEAR(r->settings.encut_eV, 520, 0);
    CHECK_STR(r->settings.dispersion, "D3(BJ)");
    CHECK(r->has_initial && r->has_final);
    CHECK_NEAR(r->initial.positions_angstrom[1][0], 0.51 * 0 + 0.5 * 2.15 + 0.5 * 2.15, 1e-12);
}

TEST(reads_every_field)
{
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_vasprun_read(FIXTURE("vasp/feo-relax/vasprun.xml"), &r, &err) == DS_OK);
    check_full(&r);
    run_free(&r);
}

TEST(gzip_reads_the_same)
{
    size_t n;
    char *text = fixture_text(&n);
    CHECK(text != NULL);
    if (!text) return;
    write_tmp("/tmp/ds_vr_test.xml.gz", text, n, 1);
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_vasprun_read("/tmp/ds_vr_test.xml.gz", &r, &err) == DS_OK);
    check_full(&r);
    run_free(&r);
    unlink("/tmp/ds_vr_test.xml.gz");
    free(text);
}

/* Cut the file at >= 50 points: every cut gives only complete steps (flagged truncated)
 * or a clear error, never a crash or a partial step. */
TEST(truncation_keeps_complete_steps_only)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    const char *second_calc_end = strstr(strstr(text, "</calculation>") + 1, "</calculation>");
    size_t first_end = (size_t)(strstr(text, "</calculation>") - text);
    int cuts = 0;
    for (size_t cut = 0; cut < n; cut += n / 60 + 1, cuts++) {
        write_tmp("/tmp/ds_vr_cut.xml", text, cut, 0);
        ds_run r;
        run_init(&r);
        ds_err err;
        int rc = vasp_vasprun_read("/tmp/ds_vr_cut.xml", &r, &err);
        if (rc == DS_OK) {
            CHECK(r.truncated == 1);
            int expect = cut > (size_t)(second_calc_end - text) + 14 ? 2 : cut > first_end + 14 ? 1 : 0;
            CHECK_MSG(r.n_steps == expect, "cut %zu: %d steps, expected %d", cut, r.n_steps, expect);
        } else {
            CHECK_MSG(err.file[0] && err.msg[0], "cut %zu: error without a message", cut);
        }
        run_free(&r);
    }
    CHECK(cuts >= 50);
    unlink("/tmp/ds_vr_cut.xml");
    free(text);
}

TEST(garbage_empty_and_not_vasprun)
{
    ds_run r;
    ds_err err;
    write_tmp("/tmp/ds_vr_bad.xml", "", 0, 0);
    run_init(&r);
    CHECK(vasp_vasprun_read("/tmp/ds_vr_bad.xml", &r, &err) != DS_OK);
    run_free(&r);
    char junk[2048];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (char)((i * 7919u + 13u) & 0xff);
    write_tmp("/tmp/ds_vr_bad.xml", junk, sizeof junk, 0);
    run_init(&r);
    CHECK(vasp_vasprun_read("/tmp/ds_vr_bad.xml", &r, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "<modeling>") != NULL && strstr(err.file, "ds_vr_bad.xml") != NULL);
    run_free(&r);
    write_tmp("/tmp/ds_vr_bad.xml", "<?xml version=\"1.0\"?>\n<other>\n</other>\n", 38, 0);
    run_init(&r);
    CHECK(vasp_vasprun_read("/tmp/ds_vr_bad.xml", &r, &err) == DS_EFORMAT);
    run_free(&r);
    unlink("/tmp/ds_vr_bad.xml");
}

TEST(overflow_and_nan_fields_are_flagged)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    char *p = strstr(text, "<r>     1.0000");
    if (!p) p = strstr(text, "<r>");
    /* put a Fortran overflow field and a NaN into DOS/eigenvalue rows */
    char *q = strstr(strstr(text, "<total>"), "<r>");
    memcpy(q + 4, "**********", 10); /* the whole %10.4f field */
    char *e = strstr(strstr(text, "<eigenvalues>"), "<r>");
    memcpy(e + 4, "       NaN", 10);
    write_tmp("/tmp/ds_vr_ovf.xml", text, n, 0);
    ds_run r;
    run_init(&r);
    ds_err err;
    CHECK(vasp_vasprun_read("/tmp/ds_vr_ovf.xml", &r, &err) == DS_OK);
    CHECK(r.has_overflow_fields == 1 && r.has_nonfinite == 1);
    CHECK(r.n_warnings >= 2);
    CHECK(r.n_steps == 2); /* flagged, not refused */
    run_free(&r);
    unlink("/tmp/ds_vr_ovf.xml");

    free(text);
    (void)p;
}

/* The fixture with [start of `from`, start of `to`) replaced by `insert`. */
static char *splice(const char *text, const char *from, const char *to, const char *insert)
{
    const char *a = strstr(text, from), *b = a ? strstr(a, to) : NULL;
    if (!a || !b) return NULL;
    size_t na = (size_t)(a - text), ni = strlen(insert), nb = strlen(b);
    char *out = malloc(na + ni + nb + 1);
    memcpy(out, text, na);
    memcpy(out + na, insert, ni);
    memcpy(out + na + ni, b, nb + 1);
    return out;
}

/* One number written one of the ways a file may hold it (VASP's %10.4f, other widths, tabs,
 * exponents, negative zero, long fractions), appended at *n; *value gets what strtod reads. */
static void put_number(char *buf, size_t *n, unsigned long long *state, double *value)
{
    static const char *const formats[] = {"%11.4f", "\t%.4f", " %14.6E", "  %.3e", " %.10f", " %12.7f",
                                          "\t \t%.1f", " %.0f.", "%16.8f", " %.4f "};
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    unsigned r = (unsigned)(*state >> 33);
    double v = (r % 5 < 2) ? 0.0 : ((double)(*state >> 11) / 9007199254740992.0 - 0.5) * 199.0;
    char tok[64];
    if (r % 13 == 0) snprintf(tok, sizeof tok, "   -0.0000");
    else snprintf(tok, sizeof tok, formats[(r >> 4) % 10], v);
    size_t l = strlen(tok);
    memcpy(buf + *n, tok, l);
    *n += l;
    *value = strtod(tok, NULL);
}

/* A <dos> block of np points, two spins, two ions and nine orbitals with numbers written in
 * assorted ways; the values strtod reads go to total[3 * 2 * np] and partial[2 * 2 * np * 10] in
 * file order.  joined: every set of partial rows on one line (thousands of numbers). */
static char *dos_block(int np, int joined, double *total, double *partial)
{
    char *b = malloc((size_t)np * 1200 + 8192);
    size_t n = 0;
    unsigned long long state = 0x9FB21C651E98DF25ULL;
    n += (size_t)sprintf(b + n, "  <dos>\n   <i name=\"efermi\">      1.23450000 </i>\n   <total>\n    <array>\n     <set>\n");
    for (int s = 0; s < 2; s++) {
        n += (size_t)sprintf(b + n, "      <set comment=\"spin %d\">\n", s + 1);
        for (int i = 0; i < np; i++) {
            n += (size_t)sprintf(b + n, "       <r>");
            for (int k = 0; k < 3; k++) put_number(b, &n, &state, &total[(s * np + i) * 3 + k]);
            n += (size_t)sprintf(b + n, " </r>\n");
        }
        n += (size_t)sprintf(b + n, "      </set>\n");
    }
    n += (size_t)sprintf(b + n, "     </set>\n    </array>\n   </total>\n   <partial>\n    <array>\n"
                                "     <field>energy</field>\n");
    static const char *const orbitals[] = {"s", "py", "pz", "px", "dxy", "dyz", "dz2", "dxz", "dx2"};
    for (int o = 0; o < 9; o++) n += (size_t)sprintf(b + n, "     <field>%5s</field>\n", orbitals[o]);
    n += (size_t)sprintf(b + n, "     <set>\n");
    for (int a = 0; a < 2; a++) {
        n += (size_t)sprintf(b + n, "      <set comment=\"ion %d\">\n", a + 1);
        for (int s = 0; s < 2; s++) {
            n += (size_t)sprintf(b + n, "       <set comment=\"spin %d\">\n", s + 1);
            if (joined) n += (size_t)sprintf(b + n, "        <r>");
            for (int i = 0; i < np; i++) {
                if (!joined) n += (size_t)sprintf(b + n, "        <r>");
                for (int k = 0; k < 10; k++) put_number(b, &n, &state, &partial[((a * 2 + s) * np + i) * 10 + k]);
                if (!joined) n += (size_t)sprintf(b + n, " </r>\n");
            }
            if (joined) n += (size_t)sprintf(b + n, " </r>\n");
            n += (size_t)sprintf(b + n, "       </set>\n");
        }
        n += (size_t)sprintf(b + n, "      </set>\n");
    }
    n += (size_t)sprintf(b + n, "     </set>\n    </array>\n   </partial>\n  </dos>\n");
    return b;
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* DOS rows written with varied spacing, tabs, exponents, negative zeros and long fractions, one
 * point per row or a whole set in one row of 3000 numbers: every value as strtod reads it, bit
 * for bit, in its place. */
TEST(dos_rows_read_exactly)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    enum { NP = 300 };
    double *total = malloc(sizeof(double) * 3 * 2 * NP), *partial = malloc(sizeof(double) * 2 * 2 * NP * 10);
    for (int joined = 0; joined < 2; joined++) {
        char *dos = dos_block(NP, joined, total, partial);
        char *file = splice(text, "  <dos>", "  <projected>", dos);
        CHECK(file != NULL);
        if (!file) break;
        write_tmp("/tmp/ds_vr_dos.xml", file, strlen(file), 0);
        ds_run r;
        run_init(&r);
        ds_err err;
        CHECK(vasp_vasprun_read("/tmp/ds_vr_dos.xml", &r, &err) == DS_OK);
        CHECK(r.has_dos && r.dos.n_points == NP && r.dos.n_spins == 2 && r.dos.n_pdos_atoms == 2 &&
              r.dos.n_pdos_spins == 2 && r.dos.n_orbitals == 9 && r.dos.pdos != NULL);
        int bad = 0;
        for (int s = 0; r.has_dos && r.dos.n_points == NP && s < 2; s++)
            for (int i = 0; i < NP; i++) {
                const double *row = &total[(s * NP + i) * 3];
                if ((s == 0 && !same_bits(r.dos.energies_eV[i], row[0])) || !same_bits(r.dos.total[s * NP + i], row[1]) ||
                    !same_bits(r.dos.integrated[s * NP + i], row[2]))
                    bad++;
            }
        for (int a = 0; r.dos.pdos && r.dos.n_orbitals == 9 && a < 2; a++)
            for (int s = 0; s < 2; s++)
                for (int i = 0; i < NP; i++)
                    for (int o = 0; o < 9; o++)
                        if (!same_bits(r.dos.pdos[((a * 2 + s) * 9 + o) * NP + i], partial[((a * 2 + s) * NP + i) * 10 + o + 1]))
                            bad++;
        CHECK_MSG(bad == 0, "joined %d: %d values differ from strtod's", joined, bad);
        CHECK(r.n_steps == 2 && !r.truncated);
        run_free(&r);
        free(file);
        free(dos);
    }
    unlink("/tmp/ds_vr_dos.xml");
    free(total);
    free(partial);
    free(text);
}

/* A <projected> block of some 6000 lines, with lines that look like its end but are not. */
static char *projected_block(void)
{
    char *b = malloc(1 << 20);
    size_t n = 0;
    n += (size_t)sprintf(b + n, "  <projected>\n   <eigenvalues>\n    <array>\n     <set>\n      <set comment=\"spin 1\">\n"
                                "       <set comment=\"kpoint 1\">\n");
    for (int i = 0; i < 6; i++) n += (size_t)sprintf(b + n, "        <r>   %8.4f    1.0000 </r>\n", -8.0 + i);
    n += (size_t)sprintf(b + n, "       </set>\n      </set>\n     </set>\n    </array>\n   </eigenvalues>\n   <array>\n");
    static const char *const decoys[] = {"        <r> </projected> </r>\n", "  </projectedX>\n", "\t</projected\n",
                                         "  </modelingX>\n", "  x</projected>\n", "  </modeling\n", "j</projected>\n"};
    for (int band = 0; band < 500; band++) {
        n += (size_t)sprintf(b + n, "     <set comment=\"band %d\">\n", band + 1);
        for (int ion = 0; ion < 10; ion++)
            n += (size_t)sprintf(b + n, "      <r>    0.%04d    0.0000    0.0000    0.%04d </r>\n", (band * 7 + ion) % 10000,
                                 ion);
        n += (size_t)sprintf(b + n, "%s", decoys[band % 7]);
        n += (size_t)sprintf(b + n, "     </set>\n");
    }
    n += (size_t)sprintf(b + n, "   </array>\n  </projected>\n");
    return b;
}

static long count_lines(const char *text, size_t n)
{
    long lines = 0;
    for (size_t i = 0; i < n; i++) lines += text[i] == '\n';
    return lines + (n > 0 && text[n - 1] != '\n');
}

/* The same bytes as a gzip file of two members: ds_reader_open_full streams such a file line by
 * line (no skipping ahead), the reference the whole-file reading must agree with. */
static void write_two_members(const char *path, const char *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    gzwrite(g, data, (unsigned)(n / 2));
    gzclose(g);
    g = gzopen(path, "ab");
    if (n - n / 2) gzwrite(g, data + n / 2, (unsigned)(n - n / 2));
    gzclose(g);
}

/* Reads data written plain (the whole file, skipping the projected block in one jump) and as a
 * two-member gzip (streamed line by line): the same result, warnings word for word.  Returns
 * the plain reading's code; *run keeps its run. */
static int read_both_ways(const char *data, size_t n, ds_run *run, ds_err *err)
{
    write_tmp("/tmp/ds_vr_skip.xml", data, n, 0);
    write_two_members("/tmp/ds_vr_skip2.xml.gz", data, n);
    ds_run ref;
    ds_err ref_err;
    run_init(run);
    run_init(&ref);
    int rc = vasp_vasprun_read("/tmp/ds_vr_skip.xml", run, err);
    int ref_rc = vasp_vasprun_read("/tmp/ds_vr_skip2.xml.gz", &ref, &ref_err);
    CHECK_MSG(rc == ref_rc, "whole file %d, streamed %d", rc, ref_rc);
    if (rc == ref_rc && rc != DS_OK)
        CHECK_MSG(err->line == ref_err.line && strcmp(err->msg, ref_err.msg) == 0, "whole file %ld: %s; streamed %ld: %s",
                  err->line, err->msg, ref_err.line, ref_err.msg);
    if (rc == ref_rc && rc == DS_OK) {
        CHECK(run->truncated == ref.truncated && run->terminated_normally == ref.terminated_normally &&
              run->n_steps == ref.n_steps && run->n_warnings == ref.n_warnings);
        for (int i = 0; i < run->n_warnings && i < ref.n_warnings; i++)
            CHECK_MSG(strcmp(run->warnings[i], ref.warnings[i]) == 0, "whole file: %s; streamed: %s", run->warnings[i],
                      ref.warnings[i]);
    }
    run_free(&ref);
    unlink("/tmp/ds_vr_skip.xml");
    unlink("/tmp/ds_vr_skip2.xml.gz");
    return rc;
}

static int has_warning(const ds_run *r, const char *text)
{
    for (int i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i], text)) return 1;
    return 0;
}

/* A malformed line after a large skipped <projected> block is named by its own line number,
 * with LF or CRLF line ends. */
TEST(line_numbers_after_a_skipped_projected_block)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    char *block = projected_block();
    size_t nb = strlen(block);
    block = realloc(block, nb + 64);
    strcpy(block + nb, "  <eigenvalues>\n   <r>    1.0000 </r>\n"); /* one number where two belong */
    char *file = splice(text, "  <projected>", " </calculation>\n <structure name=\"finalpos\"", block);
    CHECK(file != NULL);
    if (!file) return;
    const char *bad = strstr(file, "   <r>    1.0000 </r>\n");
    long bad_line = count_lines(file, (size_t)(bad - file)) + 1;
    CHECK(bad_line > 6000);
    for (int crlf = 0; crlf < 2; crlf++) {
        size_t len = strlen(file);
        char *data = malloc(2 * len + 1), *d = data;
        for (size_t i = 0; i < len; i++) {
            if (crlf && file[i] == '\n') *d++ = '\r';
            *d++ = file[i];
        }
        ds_run r;
        ds_err err;
        CHECK(read_both_ways(data, (size_t)(d - data), &r, &err) == DS_OK);
        char want[128];
        snprintf(want, sizeof want, "line %ld: malformed content; reading stopped there, 1 complete", bad_line);
        CHECK_MSG(has_warning(&r, want), "crlf %d: no warning \"%s\" (first: %s)", crlf, want,
                  r.n_warnings ? r.warnings[0] : "none");
        CHECK(r.truncated && r.n_steps == 1);
        run_free(&r);
        free(data);
    }
    free(file);
    free(block);
    free(text);
}

/* A file cut anywhere inside a large <projected> block (at a line's end, inside a line, right
 * after the opening tag, just before the closing one) is truncated at its last line, as
 * reading line by line says; a </modeling> inside the block closes the file there. */
TEST(truncated_inside_a_skipped_projected_block)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    char *block = projected_block();
    char *file = splice(text, "  <projected>", " </calculation>\n <structure name=\"finalpos\"", block);
    CHECK(file != NULL);
    if (!file) return;
    size_t len = strlen(file);
    size_t open_end = (size_t)(strstr(file, "  <projected>\n") - file) + 14;
    size_t close_at = (size_t)(strstr(file, "  </projected>\n") - file);
    size_t cuts[40];
    int n_cuts = 0;
    cuts[n_cuts++] = open_end;      /* right after the <projected> line */
    cuts[n_cuts++] = open_end - 1;  /* inside it, before its newline */
    cuts[n_cuts++] = close_at;      /* all but the closing line */
    cuts[n_cuts++] = close_at + 5;  /* inside the closing tag */
    cuts[n_cuts++] = close_at + 14; /* the closing tag without its newline */
    for (int k = 1; n_cuts < 40; k++) cuts[n_cuts++] = open_end + (close_at - open_end) * (size_t)k / 36 + (size_t)k % 3;
    for (int i = 0; i < n_cuts; i++) {
        size_t cut = cuts[i];
        ds_run r;
        ds_err err;
        CHECK(read_both_ways(file, cut, &r, &err) == DS_OK);
        char want[160];
        snprintf(want, sizeof want, "the file ends at line %ld without </modeling>", count_lines(file, cut));
        CHECK_MSG(has_warning(&r, want), "cut at %zu: no warning \"%s\"", cut, want);
        CHECK_MSG(has_warning(&r, "the file ends inside ionic step 2 (opened at line 131)"), "cut at %zu", cut);
        CHECK(r.truncated && r.n_steps == 1);
        run_free(&r);
    }
    /* </modeling> inside the block: the file is closed there, step 2 dropped, not truncated */
    char *mid = strstr(file + open_end + (close_at - open_end) / 2, "\n") + 1;
    size_t at = (size_t)(mid - file);
    char *closed = malloc(len + 32);
    memcpy(closed, file, at);
    strcpy(closed + at, "  </modeling>\n");
    strcat(closed, file + at);
    ds_run r;
    ds_err err;
    CHECK(read_both_ways(closed, strlen(closed), &r, &err) == DS_OK);
    CHECK(!r.truncated && r.n_steps == 1 && has_warning(&r, "the file ends inside ionic step 2 (opened at line 131)"));
    run_free(&r);
    free(closed);
    free(file);
    free(block);
    free(text);
}

/* Each block the reader skips whole ends at its own closing tag, whether its opening tag has
 * attributes or not: content inside it that would be malformed elsewhere (an eigenvalue row of
 * one number) is not looked at, nor are the other blocks' closing tags; a tag that only starts
 * like one is not skipped. */
TEST(skipped_blocks_end_at_their_own_closing_tag)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return;
    static const char *const names[] = {"projected",          "projected_kpoints_opt", "eigenvalues_kpoints_opt",
                                        "dos_kpoints_opt",    "dielectricfunction",    "projectedX"};
    enum { N_NAMES = sizeof names / sizeof *names };
    for (int i = 0; i < N_NAMES; i++)
        for (int attr = 0; attr < 2; attr++) {
            char block[2048];
            size_t b = (size_t)snprintf(block, sizeof block, "  <%s%s>\n", names[i], attr ? " comment=\"x\"" : "");
            for (int k = 0; k < N_NAMES - 1; k++)
                if (k != i) b += (size_t)snprintf(block + b, sizeof block - b, "   </%s>\n", names[k]);
            snprintf(block + b, sizeof block - b, "   <eigenvalues>\n    <r>    1.0000 </r>\n   </eigenvalues>\n  </%s>\n",
                     names[i]);
            char *file = splice(text, "  <projected>\n", "  <projected>\n", block); /* inserted before it */
            CHECK(file != NULL);
            if (!file) continue;
            ds_run r;
            ds_err err;
            run_init(&r);
            write_tmp("/tmp/ds_vr_blocks.xml", file, strlen(file), 0);
            CHECK(vasp_vasprun_read("/tmp/ds_vr_blocks.xml", &r, &err) == DS_OK);
            int skipped = i < N_NAMES - 1;
            CHECK_MSG(skipped ? (r.n_steps == 2 && !r.truncated && r.n_warnings == 0)
                              : (r.n_steps == 1 && has_warning(&r, "malformed content")),
                      "<%s%s>: %d steps, %d warnings (%s)", names[i], attr ? " comment" : "", r.n_steps, r.n_warnings,
                      r.n_warnings ? r.warnings[0] : "");
            run_free(&r);
            free(file);
        }
    unlink("/tmp/ds_vr_blocks.xml");
    free(text);
}

/* The same arrays, bit for bit (NaN included), in two readings of one file. */
static int same_arrays(const ds_run *a, const ds_run *b)
{
#define SAME_N(x, y, n) ((!(x) && !(y)) || ((x) && (y) && memcmp((x), (y), sizeof *(x) * (size_t)(n)) == 0))
    if (a->has_dos != b->has_dos || a->has_eigen != b->has_eigen) return 0;
    if (a->has_dos) {
        const run_dos *x = &a->dos, *y = &b->dos;
        size_t np = (size_t)x->n_points * (size_t)x->n_spins;
        if (x->n_points != y->n_points || x->n_spins != y->n_spins || x->n_pdos_atoms != y->n_pdos_atoms ||
            x->n_pdos_spins != y->n_pdos_spins || x->n_orbitals != y->n_orbitals)
            return 0;
        if (!SAME_N(x->energies_eV, y->energies_eV, x->n_points) || !SAME_N(x->total, y->total, np) ||
            !SAME_N(x->integrated, y->integrated, np) ||
            !SAME_N(x->pdos, y->pdos, (size_t)x->n_pdos_atoms * (size_t)x->n_pdos_spins * (size_t)x->n_orbitals * (size_t)x->n_points))
            return 0;
    }
    if (a->has_eigen) {
        const run_eigen *x = &a->eigen, *y = &b->eigen;
        size_t n = (size_t)x->n_spins * (size_t)x->n_kpoints * (size_t)x->n_bands;
        if (x->n_spins != y->n_spins || x->n_kpoints != y->n_kpoints || x->n_bands != y->n_bands ||
            !SAME_N(x->energies_eV, y->energies_eV, n) || !SAME_N(x->occupations, y->occupations, n))
            return 0;
    }
    return 1;
#undef SAME_N
}

static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t l = strlen(prefix);
    return strncmp(s, prefix, l) == 0 ? s + l : s;
}

/* The fixture with its <dos> block replaced by dos_block's of np points (the values written
 * are not kept); NULL when it cannot be made. */
static char *fixture_with_dos(int np)
{
    size_t n;
    char *text = fixture_text(&n);
    if (!text) return NULL;
    double *total = malloc(sizeof(double) * 3 * 2 * (size_t)np), *partial = malloc(sizeof(double) * 2 * 2 * (size_t)np * 10);
    char *dos = dos_block(np, 0, total, partial);
    char *file = splice(text, "  <dos>", "  <projected>", dos);
    free(dos);
    free(total);
    free(partial);
    free(text);
    return file;
}

/* Eigenvalue and DOS rows are read straight from the file's buffer when the whole file is in
 * memory (ds_reader_xml_row); a two-member gzip is streamed line by line and never takes that
 * path.  With one row of a DOS or eigenvalue block damaged in each of the ways a file may hold
 * it (one number short or over, a Fortran overflow, NaN, no closing tag, text after it, a tab
 * before it, a CR inside it, the row cut at the end of the file), both readings keep the same
 * arrays bit for bit and give the same code, warnings and line numbers. */
TEST(fast_rows_read_as_streamed)
{
    enum { NP = 120 };
    char *file = fixture_with_dos(NP);
    CHECK(file != NULL);
    static const char *const damage[] = {"<r>   1.0000   2.0000 </r>",
                                         "<r>   1.0000   2.0000   3.0000   4.0000 </r>",
                                         "<r> *****   2.0000   3.0000 </r>",
                                         "<r>   NaN   2.0000   3.0000 </r>",
                                         "<r>   1.0000   2.0000   3.0000",
                                         "<r>   1.0000   2.0000   3.0000 </r> x",
                                         "\t<r>   1.0000   2.0000   3.0000 </r>",
                                         "<r>   1.0000   2.0000   3.0000 \r</r>",
                                         "<r>   1.0000   2.0000   3.0000 </r",
                                         "<r>   1.0000   2.0000   3.0000   4.0000   5.0000   6.0000   7.0000   8.0000   9.0000 </r>",
                                         "<r>   1.0000  </r>",
                                         ""};
    size_t nd = sizeof damage / sizeof *damage;
    int cases = 0;
    for (size_t d = 0; file && d < nd; d++)
        for (int which = 0; which < 4; which++) {
            /* rows of the total DOS (0, 1), of the PDOS (2) and of the eigenvalues (3) */
            const char *at = which < 2 ? strstr(file, "<total>") : which == 2 ? strstr(file, "<partial>") : strstr(file, "<eigenvalues>");
            if (!at) continue;
            int skip = which == 1 ? NP + 7 : 5;
            const char *row = at;
            for (int i = 0; row && i <= skip; i++) row = strstr(row + 1, "<r>");
            if (!row) continue;
            const char *end = strchr(row, '\n');
            size_t pre = (size_t)(row - file), dl = strlen(damage[d]);
            int cut = d == nd - 1; /* the file ends inside the row */
            size_t len = cut ? pre + 12 : pre + dl + strlen(end);
            char *data = malloc(len + 1);
            memcpy(data, file, pre);
            if (cut) memcpy(data + pre, row, 12);
            else {
                memcpy(data + pre, damage[d], dl);
                memcpy(data + pre + dl, end, strlen(end));
            }
            data[len] = '\0';
            write_tmp("/tmp/ds_vr_rows.xml", data, len, 0);
            write_two_members("/tmp/ds_vr_rows2.xml.gz", data, len);
            ds_run a, b;
            ds_err ea, eb;
            run_init(&a);
            run_init(&b);
            int ra = vasp_vasprun_read("/tmp/ds_vr_rows.xml", &a, &ea);
            int rb = vasp_vasprun_read("/tmp/ds_vr_rows2.xml.gz", &b, &eb);
            int same = ra == rb && (ra != DS_OK || (same_arrays(&a, &b) && a.n_steps == b.n_steps &&
                                                     a.truncated == b.truncated && a.n_warnings == b.n_warnings &&
                                                     a.has_overflow_fields == b.has_overflow_fields &&
                                                     a.has_nonfinite == b.has_nonfinite));
            if (ra != DS_OK && ra == rb) same = ea.line == eb.line && strcmp(ea.msg, eb.msg) == 0;
            for (int i = 0; same && ra == DS_OK && i < a.n_warnings; i++) /* the same words after each file's name */
                same = strcmp(skip_prefix(a.warnings[i], "/tmp/ds_vr_rows.xml"), skip_prefix(b.warnings[i], "/tmp/ds_vr_rows2.xml.gz")) == 0;
            CHECK_MSG(same, "row \"%s\" in block %d: whole file rc %d (%d warnings: %s), streamed rc %d (%d: %s)",
                      damage[d], which, ra, a.n_warnings, a.n_warnings ? a.warnings[0] : "-", rb, b.n_warnings,
                      b.n_warnings ? b.warnings[0] : "-");
            cases++;
            run_free(&a);
            run_free(&b);
            free(data);
        }
    CHECK(cases == (int)nd * 4);
    /* and the undamaged file: the fast path must not change a value */
    if (file) {
        write_tmp("/tmp/ds_vr_rows.xml", file, strlen(file), 0);
        write_two_members("/tmp/ds_vr_rows2.xml.gz", file, strlen(file));
        ds_run a, b;
        ds_err ea, eb;
        run_init(&a);
        run_init(&b);
        CHECK(vasp_vasprun_read("/tmp/ds_vr_rows.xml", &a, &ea) == DS_OK &&
              vasp_vasprun_read("/tmp/ds_vr_rows2.xml.gz", &b, &eb) == DS_OK);
        CHECK(a.has_dos && a.has_eigen && same_arrays(&a, &b) && a.n_warnings == b.n_warnings);
        run_free(&a);
        run_free(&b);
    }
    unlink("/tmp/ds_vr_rows.xml");
    unlink("/tmp/ds_vr_rows2.xml.gz");
    free(file);
}

/* The eigenvalue and DOS arrays are given room before their first row from the run's
 * parameters (NBANDS, NEDOS, ISPIN, LNONCOLLINEAR); that is a hint only.  Parameters that are
 * right, too small, far too large (1e300: the room is capped by what the rest of the file can
 * hold; uncapped, the sanitizer build aborts on the allocation), negative, not numbers or
 * claiming four spin components read the same arrays, bit for bit, as a file without them. */
TEST(size_parameters_are_only_a_hint)
{
    enum { NP = 120 };
    char *base = fixture_with_dos(NP);
    CHECK(base != NULL);
    ds_run ref;
    ds_err err;
    run_init(&ref);
    if (base) write_tmp("/tmp/ds_vr_hint.xml", base, strlen(base), 0);
    CHECK(base && vasp_vasprun_read("/tmp/ds_vr_hint.xml", &ref, &err) == DS_OK);
    CHECK(ref.has_dos && ref.dos.n_points == NP && ref.has_eigen && ref.eigen.n_bands == 6);
    static const char *const params[] = {
        "NBANDS\">  6</i>\n   <i type=\"int\" name=\"NEDOS",   "NBANDS\">  1</i>\n   <i type=\"int\" name=\"NEDOS",
        "NBANDS\">  1e300</i>\n   <i type=\"int\" name=\"NEDOS", "NBANDS\">  -5</i>\n   <i type=\"int\" name=\"NEDOS",
        "NBANDS\">  abc</i>\n   <i type=\"int\" name=\"NEDOS",  "LNONCOLLINEAR\">  T</i>\n   <i type=\"int\" name=\"NEDOS"};
    static const char *const nedos[] = {"120", "3", "1e300", "-1", "*****", "120"};
    for (size_t i = 0; base && i < sizeof params / sizeof *params; i++) {
        char insert[512];
        snprintf(insert, sizeof insert, "   <i type=\"int\" name=\"%s\">  %s</i>\n   <i type=\"int\" name=\"NELM\">",
                 params[i], nedos[i]);
        char *file = splice(base, "   <i type=\"int\" name=\"NELM\">", "    60</i>", insert);
        CHECK(file != NULL);
        if (!file) continue;
        write_tmp("/tmp/ds_vr_hint.xml", file, strlen(file), 0);
        ds_run r;
        run_init(&r);
        int rc = vasp_vasprun_read("/tmp/ds_vr_hint.xml", &r, &err);
        CHECK_MSG(rc == DS_OK && same_arrays(&ref, &r) && r.n_warnings == ref.n_warnings,
                  "parameters %zu (%s / NEDOS %s): rc %d, %d warnings", i, params[i], nedos[i], rc, r.n_warnings);
        run_free(&r);
        free(file);
    }
    run_free(&ref);
    unlink("/tmp/ds_vr_hint.xml");
    free(base);
}

int main(void)
{
    RUN(reads_every_field);
    RUN(gzip_reads_the_same);
    RUN(truncation_keeps_complete_steps_only);
    RUN(garbage_empty_and_not_vasprun);
    RUN(overflow_and_nan_fields_are_flagged);
    RUN(dos_rows_read_exactly);
    RUN(line_numbers_after_a_skipped_projected_block);
    RUN(truncated_inside_a_skipped_projected_block);
    RUN(skipped_blocks_end_at_their_own_closing_tag);
    RUN(fast_rows_read_as_streamed);
    RUN(size_parameters_are_only_a_hint);
    return TEST_FINISH();
}
