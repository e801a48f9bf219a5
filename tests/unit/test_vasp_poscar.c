/* Unit tests for parsers/vasp_poscar: VASP 4/5/6 headers, Direct/Cartesian, selective
 * dynamics, scale factors (negative = volume, three per axis), species resolution, CONTCAR
 * tails, and hostile input (truncation at every byte, garbage, overflow, NaN, bad counts). */
#include "parsers/vasp_poscar.h"
#include "tests/test.h"

#include <unistd.h>
#include <zlib.h>

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_bytes(const char *path, const char *text, size_t n, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, text, (unsigned)n);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(text, 1, n, f);
        fclose(f);
    }
}

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text), 0);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    *n = fread(b, 1, (size_t)sz, f);
    b[*n] = '\0';
    fclose(f);
    return b;
}

static int has_warning(const ds_run *run, const char *needle)
{
    for (int i = 0; i < run->n_warnings; i++)
        if (strstr(run->warnings[i], needle)) return 1;
    return 0;
}

/* Reads path; returns the code and leaves run filled (caller frees). */
static int rd(const char *path, const char *const *names, int n_names, ds_run *run, ds_err *err)
{
    run_init(run);
    ds_err_clear(err);
    return vasp_poscar_read(path, names, n_names, run, err);
}

static int rd_text(const char *text, ds_run *run, ds_err *err)
{
    const char *p = tmp_path("POSCAR_text");
    write_text(p, text);
    return rd(p, NULL, 0, run, err);
}

TEST(vasp5_direct)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp5_direct"), NULL, 0, &run, &err) == DS_OK);
    CHECK(run.has_initial == 1 && run.n_atoms == 8 && run.initial.n_atoms == 8);
    CHECK(run.n_kinds == 2);
    CHECK_STR(run.kinds[0].symbol, "Na");
    CHECK_STR(run.kinds[1].label, "Cl");
    CHECK(run.kinds[0].count == 4 && run.kinds[1].count == 4);
    CHECK(isnan(run.kinds[0].zval));
    CHECK_STR(run.species[3], "Na");
    CHECK_STR(run.species[4], "Cl");
    CHECK(run.kind_of_atom[7] == 1);
    CHECK_STR(run.title, "NaCl rocksalt conventional cell");
    CHECK(run.initial.has_lattice && run.initial.selective == NULL);
    CHECK_NEAR(run.initial.lattice_angstrom[2][2], 5.64, 1e-14);
    CHECK_NEAR(run_volume_angstrom3(run.initial.lattice_angstrom), 5.64 * 5.64 * 5.64, 1e-10);
    CHECK_NEAR(run.initial.positions_angstrom[1][1], 2.82, 1e-14);
    CHECK_NEAR(run.initial.positions_angstrom[5][0], 2.82, 1e-14);
    CHECK_NEAR(run.initial.positions_angstrom[5][2], 2.82, 1e-14);
    CHECK(run.n_warnings == 0);
    CHECK_STR(run_source_of(&run, "initial_structure"), FIXTURE("vasp/POSCAR_vasp5_direct"));
    run_free(&run);
}

TEST(vasp5_gzip_same_as_plain)
{
    size_t n;
    char *text = slurp(FIXTURE("vasp/POSCAR_vasp5_direct"), &n);
    CHECK(text != NULL);
    if (!text) return;
    const char *gz = tmp_path("POSCAR.gz");
    write_bytes(gz, text, n, 1);
    ds_run a, b;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp5_direct"), NULL, 0, &a, &err) == DS_OK);
    CHECK(rd(gz, NULL, 0, &b, &err) == DS_OK);
    CHECK(a.n_atoms == b.n_atoms);
    CHECK(memcmp(a.initial.positions_angstrom, b.initial.positions_angstrom, (size_t)a.n_atoms * 24) == 0);
    CHECK(memcmp(a.initial.lattice_angstrom, b.initial.lattice_angstrom, sizeof a.initial.lattice_angstrom) == 0);
    run_free(&a);
    run_free(&b);
    free(text);
}

TEST(vasp4_species_from_comment_like_ase)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp4"), NULL, 0, &run, &err) == DS_OK);
    CHECK(run.n_atoms == 4 && run.n_kinds == 3);
    CHECK_STR(run.species[0], "Li");
    CHECK_STR(run.species[1], "Co");
    CHECK_STR(run.species[3], "O");
    CHECK(has_warning(&run, "comment line"));
    CHECK_NEAR(run.initial.positions_angstrom[0][2], 0.5 * 2.816 * 4.99, 1e-12);
    run_free(&run);
}

TEST(vasp4_type_symbols_win)
{
    const char *names[] = {"Li_sv", "Co", "O"};
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp4"), names, 3, &run, &err) == DS_OK);
    CHECK_STR(run.kinds[0].symbol, "Li");
    CHECK_STR(run.kinds[0].label, "Li_sv");
    CHECK(!has_warning(&run, "comment line"));
    run_free(&run);
    /* Wrong number of names: not used, said so, comment line still works. */
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp4"), names, 2, &run, &err) == DS_OK);
    CHECK(has_warning(&run, "2 species names supplied for 3 atom types"));
    CHECK_STR(run.species[1], "Co");
    run_free(&run);
}

TEST(vasp4_labels_after_coordinates_like_pymatgen)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp4_labels"), NULL, 0, &run, &err) == DS_OK);
    CHECK_STR(run.species[0], "Ti");
    CHECK_STR(run.species[2], "O");
    CHECK(has_warning(&run, "labels after the coordinates"));
    run_free(&run);
}

TEST(vasp4_unknown_species_is_a_clear_error)
{
    ds_run run;
    ds_err err;
    const char *p = FIXTURE("vasp/POSCAR_vasp4_unknown");
    CHECK(rd(p, NULL, 0, &run, &err) == DS_EFORMAT);
    CHECK_STR(err.file, p);
    CHECK(err.line == 6);
    CHECK(strstr(err.msg, "species unknown") && strstr(err.msg, "species line") && strstr(err.msg, "OUTCAR"));
    run_free(&run);
    const char *names[] = {"Mg", "O"};
    CHECK(rd(p, names, 2, &run, &err) == DS_OK);
    CHECK_STR(run.species[2], "O");
    run_free(&run);
}

TEST(species_line_vs_potcar_names)
{
    /* VASP takes the species from the POTCAR: supplied names win, with a warning. */
    const char *names[] = {"K", "Cl"};
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp5_direct"), names, 2, &run, &err) == DS_OK);
    CHECK_STR(run.species[0], "K");
    CHECK(has_warning(&run, "VASP used the POTCAR"));
    run_free(&run);
}

TEST(cartesian_positions_scaled)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_cartesian"), NULL, 0, &run, &err) == DS_OK);
    CHECK_NEAR(run.initial.lattice_angstrom[2][2], 12.0, 0);
    CHECK_NEAR(run.initial.positions_angstrom[0][0], 2.0, 0);
    CHECK_NEAR(run.initial.positions_angstrom[1][0], 2.957, 1e-14);
    CHECK_NEAR(run.initial.positions_angstrom[2][1], 2.926, 1e-14);
    run_free(&run);
}

TEST(selective_dynamics_flags)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_selective"), NULL, 0, &run, &err) == DS_OK);
    CHECK(run.initial.selective != NULL);
    if (run.initial.selective) {
        const unsigned char(*f)[3] = (const unsigned char(*)[3])run.initial.selective;
        CHECK(f[0][0] == 0 && f[0][1] == 0 && f[0][2] == 0);
        CHECK(f[1][0] == 0 && f[1][1] == 0 && f[1][2] == 1);
        CHECK(f[2][0] == 1 && f[3][2] == 1);
    }
    CHECK_STR(run.species[2], "C");
    CHECK_NEAR(run.initial.positions_angstrom[3][2], 5.15, 1e-13);
    run_free(&run);
    /* Flags missing on a line: an error naming that line. */
    CHECK(rd_text("x\n1\n3 0 0\n0 3 0\n0 0 3\nSi\n2\nSelective\nDirect\n0 0 0 T T T\n0.5 0.5 0.5\n", &run, &err) ==
          DS_EFORMAT);
    CHECK(err.line == 11 && strstr(err.msg, "T/F"));
    run_free(&run);
}

TEST(negative_scale_is_the_cell_volume)
{
    /* VASP: the lattice is scaled to the volume and Cartesian positions by the same factor.
     * (pymatgen 2022.11 multiplies Cartesian positions by the raw -11.81; ASE 3.22 also
     * scales the lattice by it.) */
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_negative_scale"), NULL, 0, &run, &err) == DS_OK);
    CHECK_NEAR(run_volume_angstrom3(run.initial.lattice_angstrom), 11.81, 1e-12);
    double s = cbrt(11.81 / 2.0);
    CHECK_NEAR(run.initial.lattice_angstrom[0][1], s, 1e-14);
    CHECK_NEAR(run.initial.positions_angstrom[0][0], 0.5 * s, 1e-14);
    run_free(&run);
}

TEST(vasp6_potcar_names_and_three_scales)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_vasp6_potcar"), NULL, 0, &run, &err) == DS_OK);
    CHECK_STR(run.kinds[0].symbol, "Fe");
    CHECK_STR(run.kinds[0].label, "Fe_pv");
    CHECK_STR(run.kinds[1].label, "O");
    CHECK_NEAR(run.initial.lattice_angstrom[1][2], 4.3, 1e-14);
    CHECK_NEAR(run.initial.lattice_angstrom[0][0], 2.15, 1e-14);
    /* "Kartesisch": K means Cartesian; positions scaled per axis like the lattice. */
    CHECK_NEAR(run.initial.positions_angstrom[1][2], 4.3, 1e-14);
    CHECK_NEAR(run.initial.positions_angstrom[1][0], 2.15, 1e-14);
    run_free(&run);
    CHECK(rd_text("x\n1 -1 1\n3 0 0\n0 3 0\n0 0 3\nSi\n1\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    CHECK(err.line == 2 && strstr(err.msg, "positive"));
    run_free(&run);
}

TEST(left_handed_kept_with_warning)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_lefthanded"), NULL, 0, &run, &err) == DS_OK);
    CHECK(has_warning(&run, "left-handed"));
    CHECK_NEAR(run.initial.positions_angstrom[1][2], -0.75, 1e-15);
    run_free(&run);
}

TEST(contcar_velocity_and_predictor_blocks_ignored)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/CONTCAR_velocities"), NULL, 0, &run, &err) == DS_OK);
    CHECK(run.n_atoms == 2 && run.n_warnings == 0);
    CHECK_STR(run.title, "Mg O");
    CHECK_NEAR(run.initial.positions_angstrom[1][1], 2.105, 1e-15);
    run_free(&run);
}

TEST(wrapped_species_and_counts_lines)
{
    ds_run run;
    ds_err err;
    CHECK(rd(FIXTURE("vasp/POSCAR_wrapped_species"), NULL, 0, &run, &err) == DS_OK);
    CHECK(run.n_kinds == 22 && run.n_atoms == 23);
    CHECK_STR(run.kinds[20].symbol, "Sc");
    CHECK(run.kinds[21].count == 2);
    CHECK_STR(run.species[22], "Ti");
    run_free(&run);
}

TEST(truncated_at_every_byte)
{
    /* File and the 1-based line of its last atom position. */
    const char *files[] = {"vasp/POSCAR_vasp5_direct", "vasp/POSCAR_selective", "vasp/CONTCAR_velocities"};
    const int last_pos_line[] = {16, 13, 10};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        size_t n;
        char *text = slurp(FIXTURE(files[f]), &n);
        CHECK(text != NULL);
        if (!text) continue;
        ds_run full;
        ds_err err;
        CHECK(rd(FIXTURE(files[f]), NULL, 0, &full, &err) == DS_OK);
        size_t last_start = 0, last_end = 0;
        for (int line = 1; line < last_pos_line[f]; line++)
            last_start = (size_t)(strchr(text + last_start, '\n') - text) + 1;
        last_end = (size_t)(strchr(text + last_start, '\n') - text);
        int cuts = 0, errors = 0;
        for (size_t cut = 0; cut < n; cut++, cuts++) {
            const char *p = tmp_path("POSCAR_cut");
            write_bytes(p, text, cut, cut % 7 == 3); /* some cuts as gzip files */
            ds_run run;
            int rc = rd(p, NULL, 0, &run, &err);
            if (rc == DS_OK) {
                /* Only a cut inside the last position line or after it can still give
                 * atoms, never fewer than the counts say, and inside that line (no newline)
                 * with a warning that the file may be cut. */
                CHECK(run.n_atoms == full.n_atoms);
                CHECK_MSG(cut > last_start, "cut %zu of %s accepted", cut, files[f]);
                if (cut <= last_end) CHECK(has_warning(&run, "may have been cut"));
            } else {
                errors++;
                CHECK(rc == DS_ETRUNC || rc == DS_EFORMAT);
                CHECK_STR(err.file, p);
                CHECK_MSG(err.line >= 1 && err.msg[0], "cut %zu: no line or message", cut);
            }
            run_free(&run);
        }
        CHECK(cuts >= 50 && errors > 50);
        run_free(&full);
        free(text);
    }
}

TEST(empty_garbage_and_missing)
{
    ds_run run;
    ds_err err;
    CHECK(rd_text("", &run, &err) == DS_ETRUNC);
    CHECK(err.line == 1 && strstr(err.msg, "empty"));
    run_free(&run);
    const char bin[] = "\x7f"
                       "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\n\x10\x20";
    const char *p = tmp_path("garbage");
    write_bytes(p, bin, sizeof bin - 1, 0);
    CHECK(rd(p, NULL, 0, &run, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "binary") != NULL);
    run_free(&run);
    CHECK(rd_text("hello\nthis is not a POSCAR\nat all\n", &run, &err) == DS_EFORMAT);
    CHECK(err.line == 2 && strstr(err.msg, "scale"));
    run_free(&run);
    CHECK(rd("/nonexistent/POSCAR", NULL, 0, &run, &err) == DS_EIO);
    CHECK_STR(err.file, "/nonexistent/POSCAR");
    run_free(&run);
}

TEST(overflow_nan_and_bad_numbers)
{
    ds_run run;
    ds_err err;
    CHECK(rd_text("x\n1.0\n3 0 0\n0 ****** 0\n0 0 3\nSi\n1\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    CHECK(err.line == 4 && strstr(err.msg, "lattice vector 2"));
    run_free(&run);
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n2\nDirect\n0 0 0\n0.5 NaN 0.5\n", &run, &err) == DS_EFORMAT);
    CHECK(err.line == 10 && strstr(err.msg, "finite"));
    run_free(&run);
    CHECK(rd_text("x\nNaN\n3 0 0\n0 3 0\n0 0 3\nSi\n1\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    CHECK(err.line == 2);
    run_free(&run);
    CHECK(rd_text("x\n0.0\n3 0 0\n0 3 0\n0 0 3\nSi\n1\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "zero") != NULL);
    run_free(&run);
    CHECK(rd_text("x\n1.0\n1 0 0\n0 1 0\n1 1 0\nSi\n1\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "linearly dependent") != NULL);
    run_free(&run);
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nBogus\n1\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "Bogus") != NULL);
    run_free(&run);
}

TEST(wrong_atom_counts)
{
    ds_run run;
    ds_err err;
    /* More atoms announced than listed. */
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi O\n1 2\nDirect\n0 0 0\n0.5 0.5 0.5\n", &run, &err) == DS_ETRUNC);
    CHECK(err.line == 11 && strstr(err.msg, "2 of the 3 atom positions"));
    run_free(&run);
    /* ... with a CONTCAR velocity block right after: the blank line is not a position. */
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n3\nDirect\n0 0 0\n0.5 0.5 0.5\n\n0 0 0\n0 0 0\n", &run, &err) ==
          DS_EFORMAT);
    CHECK(err.line == 11 && strstr(err.msg, "atom 3 of 3"));
    run_free(&run);
    /* Fewer announced than listed: read as announced, and said so. */
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n1\nDirect\n0 0 0\n0.5 0.5 0.5\n", &run, &err) == DS_OK);
    CHECK(run.n_atoms == 1 && has_warning(&run, "another coordinate line"));
    run_free(&run);
    /* Species and counts disagree. */
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi O\n1\nDirect\n0 0 0\n", &run, &err) != DS_OK);
    run_free(&run);
    /* Absurd counts are refused before anything is allocated for them. */
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n99999999999\nDirect\n0 0 0\n", &run, &err) == DS_ENOMEM);
    CHECK(err.line == 7 && strstr(err.msg, "refused"));
    run_free(&run);
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n-2\nDirect\n0 0 0\n", &run, &err) == DS_EFORMAT);
    run_free(&run);
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n0\nDirect\n", &run, &err) == DS_EFORMAT);
    CHECK(strstr(err.msg, "zero atoms") != NULL);
    run_free(&run);
    /* A missing mode line: positions are not taken for it. */
    CHECK(rd_text("x\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n2\n0 0 0\n0.5 0.5 0.5\n", &run, &err) == DS_EFORMAT);
    CHECK(err.line == 8 && strstr(err.msg, "Direct or Cartesian"));
    run_free(&run);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ds_poscar_XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    RUN(vasp5_direct);
    RUN(vasp5_gzip_same_as_plain);
    RUN(vasp4_species_from_comment_like_ase);
    RUN(vasp4_type_symbols_win);
    RUN(vasp4_labels_after_coordinates_like_pymatgen);
    RUN(vasp4_unknown_species_is_a_clear_error);
    RUN(species_line_vs_potcar_names);
    RUN(cartesian_positions_scaled);
    RUN(selective_dynamics_flags);
    RUN(negative_scale_is_the_cell_volume);
    RUN(vasp6_potcar_names_and_three_scales);
    RUN(left_handed_kept_with_warning);
    RUN(contcar_velocity_and_predictor_blocks_ignored);
    RUN(wrapped_species_and_counts_lines);
    RUN(truncated_at_every_byte);
    RUN(empty_garbage_and_missing);
    RUN(overflow_nan_and_bad_numbers);
    RUN(wrong_atom_counts);
    const char *names[] = {"POSCAR_text", "POSCAR.gz", "POSCAR_cut", "garbage"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) unlink(tmp_path(names[i]));
    rmdir(tmpdir);
    return TEST_FINISH();
}
