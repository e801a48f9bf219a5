/* Hostile input for every reader: each reader's real fixture (files the project made)
 * truncated at 60 points, with 60 single bytes flipped, with a number replaced by a Fortran
 * overflow field (****) or by NaN/Inf at 20 places each; absurd header counts refused
 * before any allocation; a 100 MB line without a newline; a run in a folder whose name has
 * spaces and bytes that are not UTF-8.  Every call must return (a value or a clear error
 * naming the file), never crash: the suite runs this under ASan+UBSan and valgrind. */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsers/bader_acf.h"
#include "parsers/cp2k_inp.h"
#include "parsers/cp2k_out.h"
#include "parsers/cp2k_pdos.h"
#include "parsers/cp2k_xyz.h"
#include "parsers/cube.h"
#include "parsers/detect.h"
#include "parsers/vasp_chgcar.h"
#include "parsers/vasp_doscar.h"
#include "parsers/vasp_eigenval.h"
#include "parsers/vasp_oszicar.h"
#include "parsers/vasp_outcar.h"
#include "parsers/vasp_poscar.h"
#include "parsers/vasp_vasprun.h"
#include "tests/cli.h" /* cli_sh */
#include "tests/test.h"

typedef int (*run_reader)(const char *path, ds_run *run, ds_err *err);

static int read_poscar(const char *p, ds_run *r, ds_err *e) { return vasp_poscar_read(p, NULL, 0, r, e); }
static int read_doscar(const char *p, ds_run *r, ds_err *e) { return vasp_doscar_read(p, 0, r, e); }
static int read_doscar_ncl(const char *p, ds_run *r, ds_err *e) { return vasp_doscar_read(p, 1, r, e); }
static int read_cube(const char *p, ds_run *r, ds_err *e)
{
    (void)r;
    ds_grid g;
    grid_init(&g); /* the readers fill a grid the caller initialised, and free it */
    int rc = cube_read(p, 64u << 20, &g, e);
    grid_free(&g);
    return rc;
}
static int read_chgcar(const char *p, ds_run *r, ds_err *e)
{
    (void)r;
    vasp_chgcar_opts o = {64u << 20, 0, NULL, NULL};
    ds_grid g;
    vasp_chgcar_info info;
    grid_init(&g);
    int rc = vasp_chgcar_read(p, &o, &g, &info, e);
    grid_free(&g);
    vasp_chgcar_info_free(&info);
    return rc;
}

static const struct {
    const char *fixture;
    run_reader read;
} CASES[] = {
    {"vasp/feo-relax/vasprun.xml", vasp_vasprun_read},
    {"vasp/si-relax-outcar/OUTCAR", vasp_outcar_read},
    {"vasp/POSCAR_selective", read_poscar},
    {"vasp/CONTCAR_velocities", read_poscar},
    {"vasp/DOSCAR_ispin2_lorbit11", read_doscar},
    {"vasp/DOSCAR_ncl_lorbit11", read_doscar_ncl},
    {"vasp/EIGENVAL_ispin2_occ", vasp_eigenval_read},
    {"cp2k/oh-uks/oh-uks.out.gz", cp2k_out_read},
    {"cp2k/h2o-geo2/h2o-geo2.out.gz", cp2k_out_read},
    {"cp2k/li-h2o/li-h2o.inp", cp2k_inp_read},
    {"cp2k/h2o-diag/h2o-diag-k1-1.pdos", cp2k_pdos_read},
    {"cp2k/h2o-geo/h2o-geo-pos-1.xyz.gz", cp2k_xyz_read},
    {"bader/ACF.dat", bader_acf_read_run},
    {"bader/CHGCAR_spin", read_chgcar},
    {"bader/LOCPOT_vasp4", read_chgcar},
};

static char work[256];

static int write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

/* Runs the reader on data; the result must be a value or an error with a message. */
static void try_read(run_reader read, const char *data, size_t n, const char *what, long where)
{
    char path[512];
    snprintf(path, sizeof path, "%s/input", work);
    if (write_bytes(path, data, n)) return;
    ds_run run;
    run_init(&run);
    ds_err err;
    ds_err_clear(&err);
    int rc = read(path, &run, &err);
    CHECK_MSG(rc == DS_OK || (err.msg[0] && strstr(err.file, "input")), "%s at %ld: error without a message", what,
              where);
    run_free(&run);
}

static unsigned long long next(unsigned long long *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

TEST(every_reader_survives_cuts_flips_overflow_and_nan)
{
    for (size_t c = 0; c < sizeof CASES / sizeof *CASES; c++) {
        char *data = NULL, fixture[1024];
        size_t n = 0;
        ds_err err;
        snprintf(fixture, sizeof fixture, "%s/%s", FIXTURES(), CASES[c].fixture);
        CHECK_MSG(ds_read_all(fixture, 64u << 20, &data, &n, &err) == DS_OK, "%s", fixture);
        if (!data) continue;
        unsigned long long s = 0x9E3779B97F4A7C15ULL + c;
        char *copy = malloc(n + 16);
        for (int k = 0; k < 60; k++) { /* truncations: evenly spread, the last ones near the end */
            size_t cut = k < 50 ? n * (size_t)k / 50 : n - (size_t)(60 - k) * 7 % (n ? n : 1);
            try_read(CASES[c].read, data, cut, CASES[c].fixture, (long)cut);
        }
        for (int k = 0; k < 60 && n; k++) { /* one byte flipped */
            memcpy(copy, data, n);
            size_t at = next(&s) % n;
            copy[at] = (char)(copy[at] ^ (1 + next(&s) % 255));
            try_read(CASES[c].read, copy, n, CASES[c].fixture, (long)at);
        }
        static const char *const fills[] = {"****", "NaN", "-Inf", "1e999"};
        for (int f = 0; f < 4; f++)
            for (int k = 0; k < 20 && n; k++) { /* a number replaced */
                memcpy(copy, data, n);
                size_t at = next(&s) % n;
                while (at < n && !(copy[at] >= '0' && copy[at] <= '9')) at++;
                size_t l = strlen(fills[f]);
                if (at + l > n) continue;
                memcpy(copy + at, fills[f], l);
                try_read(CASES[c].read, copy, n, CASES[c].fixture, (long)at);
            }
        free(copy);
        free(data);
    }
}

/* Headers that claim absurd sizes: refused without allocating what they claim (under ASan
 * an allocation of that size would abort the test). */
TEST(absurd_header_counts_are_refused)
{
    const char *poscar = "big\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n1000000000\nDirect\n0 0 0\n";
    try_read(read_poscar, poscar, strlen(poscar), "POSCAR NIONS=1e9", 0);
    const char *chg = "big\n1.0\n5 0 0\n0 5 0\n0 0 5\nH\n1\nDirect\n0 0 0\n\n1000000 1000000 1000000\n1 2 3 4 5\n";
    try_read(read_chgcar, chg, strlen(chg), "CHGCAR 1e6^3", 0);
    const char *cube = "c\nc\n1 0 0 0\n1000000 0.1 0 0\n1000000 0 0.1 0\n1000000 0 0 0.1\n1 1.0 0 0 0\n1 2 3\n";
    try_read(read_cube, cube, strlen(cube), "cube 1e6^3", 0);
    const char *eig = "    1    1    1    1\n 0 0 0 0\n 1.0\n  CAR\n big\n 8 1 1000000000\n\n";
    try_read(vasp_eigenval_read, eig, strlen(eig), "EIGENVAL NBANDS=1e9", 0);
    const char *dos = "    1    1    1    0\n 0 0 0 0 0\n 1.0\n  CAR\n big\n 10 -10 1000000000 0 1\n";
    try_read(read_doscar, dos, strlen(dos), "DOSCAR NEDOS=1e9", 0);
}

TEST(a_100_mb_line_is_survived)
{
    size_t n = 100u << 20;
    char *line = malloc(n);
    CHECK(line != NULL);
    if (!line) return;
    memset(line, '7', n);
    memcpy(line, "<?xml version=\"1.0\"?>\n<modeling>\n<r> ", 36);
    try_read(vasp_vasprun_read, line, n, "vasprun 100 MB line", 0);
    try_read(vasp_outcar_read, line, n, "OUTCAR 100 MB line", 0);
    try_read(cp2k_out_read, line, n, "CP2K 100 MB line", 0);
    free(line);
}

TEST(paths_with_spaces_and_non_utf8_bytes)
{
    char dir[600], cmd[4096];
    snprintf(dir, sizeof dir, "%s/run dir \xff\xfe latin1 \xe9", work);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s/cp2k/li-ion/li-ion.out.gz' '%s/' && cp '%s/cp2k/li-ion/li-ion.inp' '%s/'",
             dir, FIXTURES(), dir, FIXTURES(), dir);
    CHECK(system(cmd) == 0);
    ds_run run;
    run_init(&run);
    ds_err err;
    CHECK(run_read_path(dir, &run, &err) == DS_OK);
    CHECK(run.n_atoms == 1);
    run_free(&run);
}

/* Inputs the fuzzers found (tests/fuzz): each once crashed a reader. */
TEST(fuzz_regressions)
{
    /* cp2k_out: a CELL| vector line without its ':' (strchr(NULL) + 1) */
    const char *cell = " CELL| Vector a [angstrom]   8.000   0.000   0.000\n"
                       " CELL| Vector b [angstrom]\n"
                       " ENERGY| Total FORCE_EVAL ( QS ) energy [a.u.]:  -17.1\n";
    try_read(cp2k_out_read, cell, strlen(cell), "cp2k_out CELL line without ':'", 0);
    /* cp2k_out: the kind line's markers in the wrong order (a copy with a negative length) */
    const char *kind = " Number of atoms: 2  1. Atomic kind: O\n";
    try_read(cp2k_out_read, kind, strlen(kind), "cp2k_out kind markers reversed", 0);
    /* DOSCAR: an LORBIT field of 6.7e22 (a double cast to long) */
    const char *dos = "  1  1  66666666666666666666666  0\n 0 0 0 0 0\n 1.0\n  CAR\n x\n 10 -10 3 0 1\n";
    try_read(read_doscar, dos, strlen(dos), "DOSCAR huge LORBIT", 0);
    /* cp2k_inp: MULTIPLICITY 1e300 */
    const char *inp = "&FORCE_EVAL\n &DFT\n  MULTIPLICITY 1e300\n &END DFT\n&END FORCE_EVAL\n";
    try_read(cp2k_inp_read, inp, strlen(inp), "cp2k_inp huge MULTIPLICITY", 0);
    /* vasprun.xml: an integer INCAR parameter of 2.7e67 (a double cast to long; UBSan) */
    ds_run run;
    ds_err err;
    run_init(&run);
    int rc = vasp_vasprun_read(FIXTURE("vasp/vasprun_bad_huge_param.xml"), &run, &err);
    CHECK(rc == DS_OK || err.msg[0]);
    run_free(&run);
    /* cp2k_out: more than 16 BSSE configurations (the per-configuration SCF flags held 16 of
     * the 32 the run keeps; UBSan index out of bounds) */
    char bsse[4096] = " CP2K| version string:                                          CP2K version 2023.1\n";
    for (int i = 0; i < 20; i++)
        strcat(bsse, " -  BSSE CALCULATION     FRAGMENT CONF: 10     FRAGMENT SUBCONF: 10     -\n"
                     "  Total energy:      -7.20745476757565\n");
    strcat(bsse, " ENERGY| Total FORCE_EVAL ( QS ) energy [a.u.]:  -17.1\n");
    try_read(cp2k_out_read, bsse, strlen(bsse), "cp2k_out 20 BSSE configurations", 0);
    char path[600];
    snprintf(path, sizeof path, "%s/bsse20.out", work);
    FILE *f = fopen(path, "w");
    if (f) fputs(bsse, f), fclose(f);
    run_init(&run);
    rc = cp2k_out_read(path, &run, &err);
    CHECK_MSG(rc == DS_OK && run.bsse.n_configs == 20, "rc %d, %d configurations: %s", rc, run.bsse.n_configs, err.msg);
    run_free(&run);
    /* OUTCAR: a second NIONS line, larger, after the first POSITION table (the position arrays
     * were sized by the first: a heap overflow found by fuzz_outcar) */
    char outcar[4096] = " vasp.5.4.4.18Apr17-6-g9f103f2a35 (build Apr  9 2020 10:35:27) complex\n"
                        "   number of dos      NEDOS =    301   number of ions     NIONS =      1\n"
                        " POSITION                                       TOTAL-FORCE (eV/Angst)\n"
                        " -----------------------------------------------------------------------\n"
                        "      0.00000      0.00000      0.00000         0.000000      0.000000      0.000000\n"
                        "   number of dos      NEDOS =    301   number of ions     NIONS =      9\n"
                        " POSITION                                       TOTAL-FORCE (eV/Angst)\n"
                        " -----------------------------------------------------------------------\n";
    for (int i = 0; i < 9; i++)
        strcat(outcar, "      1.00000      1.00000      1.00000         0.100000      0.100000      0.100000\n");
    snprintf(path, sizeof path, "%s/OUTCAR_two_nions", work);
    f = fopen(path, "w");
    if (f) fputs(outcar, f), fclose(f);
    run_init(&run);
    rc = vasp_outcar_read(path, &run, &err);
    int warned = 0;
    for (int i = 0; i < run.n_warnings; i++) warned |= strstr(run.warnings[i], "NIONS = 9 after NIONS = 1") != NULL;
    CHECK_MSG(warned && run.truncated, "rc %d: %s", rc, err.msg);
    run_free(&run);
    /* vasprun.xml: k-point divisions of 5.6e106 (a double cast to int; UBSan, fuzz_vasprun) */
    snprintf(path, sizeof path, "%s/vasprun_huge_divisions.xml", work);
    CHECK(cli_sh(
              "sed 's|<v type=\"int\" name=\"divisions\">.*</v>|<v type=\"int\" name=\"divisions\">5.6e106 1 1 </v>|' '%s' > '%s'",
              FIXTURE("vasp/feo-relax/vasprun.xml"), path) == 0);
    run_init(&run);
    rc = vasp_vasprun_read(path, &run, &err);
    CHECK_MSG(rc == DS_OK && run.settings.kmesh[0] == 0 && run.settings.kmesh[1] == 1, "rc %d, kmesh %d: %s", rc,
              run.settings.kmesh[0], err.msg);
    run_free(&run);
    /* vasprun.xml: NSW of 6.7e36 and NELM of -7e30 (param_long cast them to long; UBSan, found
     * by fuzz_vasprun): read, with the defaults standing in (NSW 0, NELM 60) */
    snprintf(path, sizeof path, "%s/vasprun_huge_nsw.xml", work);
    CHECK(cli_sh("sed -e 's|name=\"NSW\">.*</i>|name=\"NSW\">6666666666666666666666666666666666666</i>|' "
                 "-e 's|name=\"NELM\">.*</i>|name=\"NELM\">-7e30</i>|' '%s' > '%s'",
                 FIXTURE("vasp/feo-relax/vasprun.xml"), path) == 0);
    CHECK(cli_sh("grep -q '666666666666</i>' '%s' && grep -q -- '-7e30' '%s'", path, path) == 0);
    run_init(&run);
    rc = vasp_vasprun_read(path, &run, &err);
    CHECK_MSG(rc == DS_OK && run.n_steps > 0 && run.converged_ionic == 1 && run.converged_electronic == 1,
              "rc %d, %d steps, ionic %d, electronic %d: %s", rc, run.n_steps, run.converged_ionic,
              run.converged_electronic, err.msg);
    run_free(&run);
    /* vasprun.xml: a selective-dynamics row with ten flags (room was made for three per row:
     * heap overflow found by fuzz_vasprun) */
    snprintf(path, sizeof path, "%s/vasprun_long_selective.xml", work);
    CHECK(cli_sh("sed 's|<structure name=\"initialpos\" >|&\\n  <varray type=\"logical\" name=\"selective\" >\\n"
              "   <v type=\"logical\" > T T T T T T T T T T </v>\\n  </varray>|' '%s' > '%s'",
              FIXTURE("vasp/feo-relax/vasprun.xml"), path) == 0);
    CHECK(cli_sh("grep -q 'T T T T T T T T T T' '%s'", path) == 0);
    run_init(&run);
    rc = vasp_vasprun_read(path, &run, &err);
    CHECK_MSG(rc == DS_OK && run.has_initial && !run.initial.selective, "rc %d: %s", rc, err.msg);
    run_free(&run);
}

int main(void)
{
    snprintf(work, sizeof work, "/tmp/ds_hostileXXXXXX");
    if (!mkdtemp(work)) return 1;
    RUN(every_reader_survives_cuts_flips_overflow_and_nan);
    RUN(absurd_header_counts_are_refused);
    if (!getenv("DS_UNDER_VALGRIND")) RUN(a_100_mb_line_is_survived); /* valgrind: minutes for nothing new */
    RUN(paths_with_spaces_and_non_utf8_bytes);
    RUN(fuzz_regressions);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) return 1;
    return TEST_FINISH();
}
