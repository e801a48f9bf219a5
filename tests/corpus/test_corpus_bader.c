/* Corpus tier for the Bader partition: every run of ../shared/data/bader/reference.json (the
 * Henkelman program 1.05 on real VASP densities, a cube file and a synthetic density) redone
 * from its command line and compared atom by atom; and a CP2K density cube of
 * ../shared/data/cp2k against the GTH valence electrons of its run.
 *
 * Near-grid: charges within 0.01 e of the program's ACF.dat, totals within 1e-4 e.
 * Weight: the same tolerances; where the program's weight method differs, the difference must
 * be the known defects of its weight_mod.f90 (1.05): reproducing them (BADER_COMPAT_*) must give
 * the program's charges to 1e-4 e (and its volumes and surface distances).  Every weight run is
 * also redone with both defects, which must match the program to 1e-4 e.  Verified causes (see
 * the printed table):
 *   - maxima stored one stencil step off, basins given to the wrong atom (pymatgen#4638):
 *     si2-diamond-macrodensity (bond-centre maxima equidistant from two atoms: 0.06 e) and the
 *     toy H2O run (0.2 e, with and without -ref);
 *   - the Voronoi stencil of the transposed voxel matrix (pymatgen#4639): the non-orthogonal
 *     Ca2N cube (0.019 e) and hexagonal MoTe2 (0.006 e: within 0.01 e, but volumes and surface
 *     distances differ).
 * ongrid runs are not compared (dftscreen implements near-grid and weight).  The synthetic
 * densities are not stored: synthetic-60 is rebuilt with make_synthetic_chgcar.py when
 * Debian's python3 with numpy is there; synthetic-240 when DS_BADER_SYNTH240 names a directory
 * holding its CHGCAR (and synth.cube), as bench/bench_bader.sh leaves it. */
#include <cJSON.h>
#include <unistd.h>

#include "descriptors/bader.h"
#include "descriptors/charge_transfer.h"
#include "parsers/cube.h"
#include "parsers/detect.h"
#include "parsers/vasp_chgcar.h"
#include "tests/cli.h"
#include "tests/test.h"

typedef struct {
    const char *case_name, *run;
    int compat;      /* the program's defects that explain the difference */
    int over_001;    /* 1: charges differ by more than 0.01 e without them */
} known_defect;

static const known_defect known[] = {
    {"si2-diamond-macrodensity", "weight", BADER_COMPAT_WEIGHT_ATTRACTOR, 1},
    {"h2o-molecule-aeccar", "weight", BADER_COMPAT_WEIGHT_ATTRACTOR, 1},
    {"h2o-molecule-aeccar", "weight_ref", BADER_COMPAT_WEIGHT_ATTRACTOR, 1},
    {"ca2n-cube-baderkit", "weight", BADER_COMPAT_WEIGHT_STENCIL, 1},
    {"mote2-vasp651-chgcar", "weight", BADER_COMPAT_WEIGHT_STENCIL, 0},
};

typedef struct {
    ds_grid g;
    vasp_chgcar_info info;
    int is_cube;
} dens;

static char synth60[512];

static int load(const char *path, dens *d, ds_err *e)
{
    grid_init(&d->g);
    memset(&d->info, 0, sizeof d->info);
    d->is_cube = strstr(path, ".cube") != NULL;
    if (d->is_cube) {
        int rc = cube_read(path, 0, &d->g, e);
        if (rc == DS_OK) snprintf(d->g.units, sizeof d->g.units, "e/bohr^3");
        return rc;
    }
    vasp_chgcar_opts o = {.max_sets = 1};
    return vasp_chgcar_read(path, &o, &d->g, &d->info, e);
}

static void unload(dens *d)
{
    grid_free(&d->g);
    vasp_chgcar_info_free(&d->info);
}

/* Directory holding a case's input files. */
static const char *case_dir(const char *case_name, char *buf, size_t n)
{
    if (strcmp(case_name, "synthetic-60") == 0) return synth60[0] ? synth60 : NULL;
    if (strcmp(case_name, "synthetic-240") == 0) {
        const char *d = getenv("DS_BADER_SYNTH240");
        return d && *d ? d : NULL;
    }
    snprintf(buf, n, "%s/bader/%s", SHARED_DATA(), case_name);
    return buf;
}

static double max_abs_diff(const bader_result *r, cJSON *atoms)
{
    double m = 0;
    int a = 0;
    cJSON *x;
    cJSON_ArrayForEach(x, atoms)
    {
        double d = fabs(r->charge_e[a] - cJSON_GetObjectItem(x, "charge")->valuedouble);
        if (d > m) m = d;
        a++;
    }
    return m;
}

/* Largest relative volume and absolute surface-distance differences (A) from the program. */
static void vol_dist_diff(const bader_result *r, cJSON *atoms, int is_cube, double *dv, double *dd)
{
    double len = is_cube ? DS_BOHR_TO_ANGSTROM : 1.0;
    int a = 0;
    cJSON *x;
    *dv = *dd = 0;
    cJSON_ArrayForEach(x, atoms)
    {
        double v = cJSON_GetObjectItem(x, "volume")->valuedouble * len * len * len;
        double md = cJSON_GetObjectItem(x, "min_dist")->valuedouble * len;
        *dv = fmax(*dv, fabs(r->volume_angstrom3[a] - v) / fmax(v, 1));
        *dd = fmax(*dd, fabs((isnan(r->min_dist_angstrom[a]) ? 0 : r->min_dist_angstrom[a]) - md));
        a++;
    }
}

static int runs_compared, runs_skipped;

/* Redoes one run of the program; returns 0 when it could not be done (inputs missing). */
static int check_run(const char *case_name, const char *run_name, cJSON *run)
{
    const char *cmd = cJSON_GetObjectItem(run, "command")->valuestring;
    char dirbuf[1024];
    const char *dir = case_dir(case_name, dirbuf, sizeof dirbuf);
    if (strstr(cmd, "ongrid") || !dir) {
        printf("  %-26s %-22s not compared (%s)\n", case_name, run_name, dir ? "ongrid method" : "input not generated");
        runs_skipped++;
        return 0;
    }
    bader_opts o;
    bader_opts_default(&o);
    char file[256] = "";
    int use_ref = 0;
    char tok[64];
    for (const char *p = cmd; sscanf(p, "%63s", tok) == 1; p = strstr(p, tok) + strlen(tok)) {
        if (strcmp(tok, "bader") == 0) continue;
        if (strcmp(tok, "-b") == 0 || strcmp(tok, "-vac") == 0 || strcmp(tok, "-ref") == 0) {
            char val[64];
            p = strstr(p, tok) + strlen(tok);
            sscanf(p, "%63s", val);
            if (strcmp(tok, "-b") == 0) o.method = strcmp(val, "weight") == 0 ? BADER_WEIGHT : BADER_NEARGRID;
            if (strcmp(tok, "-vac") == 0) o.vacuum = strcmp(val, "auto") == 0;
            if (strcmp(tok, "-ref") == 0) use_ref = 1;
            snprintf(tok, sizeof tok, "%s", val);
            continue;
        }
        snprintf(file, sizeof file, "%s", tok);
    }
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", dir, strcmp(file, "CHGCAR_sum") == 0 ? "AECCAR0" : file);
    if (access(path, R_OK) != 0) {
        printf("  %-26s %-22s not compared (%s not there)\n", case_name, run_name, path);
        runs_skipped++;
        return 0;
    }
    dens d, r2 = {0}, r0 = {0};
    ds_err e;
    int rc = load(path, &d, &e);
    CHECK_MSG(rc == DS_OK, "%s: %s", path, e.msg);
    /* CHGCAR_sum (AECCAR0 + AECCAR2, sum_chgcar.py) is summed in memory from the two files */
    int is_sum = strcmp(file, "CHGCAR_sum") == 0;
    if (rc == DS_OK && (use_ref || is_sum)) {
        char p0[1400], p2[1400];
        snprintf(p0, sizeof p0, "%s/AECCAR0", dir);
        snprintf(p2, sizeof p2, "%s/AECCAR2", dir);
        CHECK(load(p0, &r0, &e) == DS_OK && load(p2, &r2, &e) == DS_OK);
        for (size_t p = 0; p < grid_n_points(&r0.g); p++) r0.g.values[0][p] += r2.g.values[0][p];
        if (is_sum) { /* the sum is the density itself */
            double *t = d.g.values[0];
            d.g.values[0] = r0.g.values[0];
            r0.g.values[0] = t;
            use_ref = 0;
        }
    }
    if (rc != DS_OK) {
        unload(&d);
        return 0;
    }
    if (!d.is_cube) o.atoms_frac = (const double(*)[3])d.info.positions_frac;
    o.n_threads = 2;
    bader_result res;
    rc = bader_partition(&d.g, use_ref ? &r0.g : NULL, &o, &res, &e);
    CHECK_MSG(rc == DS_OK, "%s %s: %s", case_name, run_name, e.msg);
    cJSON *atoms = cJSON_GetObjectItem(run, "atoms");
    int n_ref = cJSON_GetArraySize(atoms);
    CHECK(rc != DS_OK || res.n_atoms == n_ref);
    if (rc == DS_OK && res.n_atoms == n_ref) {
        runs_compared++;
        double dq = max_abs_diff(&res, atoms), dq_both = NAN, dv, dd;
        double ne = cJSON_GetObjectItem(run, "number_of_electrons_stdout")->valuedouble;
        double vac = cJSON_GetObjectItem(run, "vacuum_charge")->valuedouble;
        const known_defect *kd = NULL;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            if (strcmp(known[k].case_name, case_name) == 0 && strcmp(known[k].run, run_name) == 0) kd = &known[k];
        /* a method's volumes and distances differ where its basins do: those of a defect case
         * are checked on the run that reproduces the defect */
        vol_dist_diff(&res, atoms, d.is_cube, &dv, &dd);
        if (o.method == BADER_WEIGHT) {
            bader_opts oc = o;
            oc.compat = BADER_COMPAT_WEIGHT_ATTRACTOR | BADER_COMPAT_WEIGHT_STENCIL;
            bader_result both;
            CHECK(bader_partition(&d.g, use_ref ? &r0.g : NULL, &oc, &both, &e) == DS_OK);
            dq_both = max_abs_diff(&both, atoms);
            CHECK_MSG(dq_both <= 1e-4, "%s %s: with the program's defects still %.6f e off", case_name, run_name, dq_both);
            bader_result_free(&both);
            if (kd) {
                bader_result only;
                oc.compat = kd->compat;
                CHECK(bader_partition(&d.g, use_ref ? &r0.g : NULL, &oc, &only, &e) == DS_OK);
                CHECK_MSG(max_abs_diff(&only, atoms) <= 1e-4, "%s %s: the listed defect alone does not explain it", case_name,
                          run_name);
                vol_dist_diff(&only, atoms, d.is_cube, &dv, &dd);
                bader_result_free(&only);
            }
        }
        if (kd && kd->over_001) CHECK_MSG(dq > 0.01, "%s %s: listed as > 0.01 e but agrees (%.6f e)", case_name, run_name, dq);
        else CHECK_MSG(dq <= 0.01, "%s %s: charges differ by %.6f e", case_name, run_name, dq);
        CHECK_MSG(fabs(res.total_electrons - ne) <= 1e-4, "%s %s: total %.6f vs %.5f", case_name, run_name, res.total_electrons,
                  ne);
        CHECK_MSG(fabs(res.vacuum_charge_e - vac) <= 1e-4, "%s %s: vacuum %.6f vs %.4f", case_name, run_name,
                  res.vacuum_charge_e, vac);
        /* program files give bohr for cube input (6 decimals); MoTe2 positions are misread by the
         * program (last digit lost, README), hence 1e-4 A */
        CHECK_MSG(dv <= 1e-4, "%s %s: volumes differ by %.2e (relative)", case_name, run_name, dv);
        CHECK_MSG(dd <= 1e-4, "%s %s: surface distances differ by %.6f A", case_name, run_name, dd);
        const char *why = !kd ? "agrees"
                          : kd->compat == BADER_COMPAT_WEIGHT_ATTRACTOR ? "program defect: attractor one step off (pymatgen#4638)"
                                                                        : "program defect: transposed stencil (pymatgen#4639)";
        printf("  %-26s %-22s max|dq| %.6f e  total %+.1e  vol %.1e  dist %.1e  %s\n", case_name, run_name, dq,
               res.total_electrons - ne, dv, dd, why);
        if (o.method == BADER_WEIGHT)
            printf("  %-26s %-22s   with both weight defects of the program: max|dq| %.6f e\n", "", "", dq_both);
        bader_result_free(&res);
    }
    unload(&d);
    unload(&r0);
    unload(&r2);
    return 1;
}

static void make_synth60(void)
{
    synth60[0] = '\0';
    /* 216,000 points x 5 runs would take minutes under valgrind; the other cases cover it */
    if (access("/usr/bin/python3", X_OK) != 0 || getenv("DS_UNDER_VALGRIND")) return;
    char dir[] = "/tmp/ds_bader_synth60XXXXXX";
    if (!mkdtemp(dir)) return;
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && /usr/bin/python3 '%s/bader/make_synthetic_chgcar.py' --n 60 --out CHGCAR --cube synth.cube "
             ">/dev/null 2>&1",
             dir, SHARED_DATA());
    if (system(cmd) == 0) snprintf(synth60, sizeof synth60, "%s", dir);
}

TEST(henkelman_reference_runs)
{
    char refpath[1024];
    snprintf(refpath, sizeof refpath, "%s/bader/reference.json", SHARED_DATA());
    if (access(refpath, R_OK) != 0) SKIP("%s not found", refpath);
    cJSON *ref = load_json_file(refpath);
    CHECK(ref != NULL);
    if (!ref) return;
    make_synth60();
    printf("  Henkelman bader 1.05 vs dftscreen (charges in e; volume relative; distance in A):\n");
    cJSON *c;
    cJSON_ArrayForEach(c, ref)
    {
        cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(c, "runs")) check_run(c->string, r->string, r);
    }
    printf("  %d runs compared, %d not compared\n", runs_compared, runs_skipped);
    CHECK(runs_compared >= 20);
    if (synth60[0]) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", synth60);
        CHECK(system(cmd) == 0);
    }
    cJSON_Delete(ref);
}

/* A CP2K density cube: the charges add up to the valence electrons (GTH q minus the system
 * charge) within 0.01 e, and the Zn -> DMF transfer is reported. */
TEST(cp2k_density_cube_counts_valence_electrons)
{
    char dir[1024], cube[1400];
    snprintf(dir, sizeof dir, "%s/cp2k/A-cation-dmf/zn-dmf-sp-pdos", SHARED_DATA());
    snprintf(cube, sizeof cube, "%s/zn-dmf-sp-pdos-ELECTRON_DENSITY-1_0.cube.gz", dir);
    if (access(cube, R_OK) != 0) SKIP("%s not found", cube);
    ds_run run;
    run_init(&run);
    ds_err e;
    if (run_read_path(dir, &run, &e) != DS_OK) {
        run_free(&run);
        SKIP("the CP2K run %s cannot be read yet: %s", dir, e.msg);
    }
    dens d;
    CHECK(load(cube, &d, &e) == DS_OK);
    bader_opts o;
    bader_opts_default(&o);
    bader_result r;
    CHECK(bader_partition(&d.g, NULL, &o, &r, &e) == DS_OK);
    double *z = calloc((size_t)r.n_atoms, sizeof *z);
    int zrc = charge_zval_from_run(&run, r.n_atoms, d.g.atomic_numbers, z, &e);
    if (zrc == DS_OK) {
        double zsum = 0;
        for (int a = 0; a < r.n_atoms; a++) zsum += z[a];
        double want = zsum - (isnan(run.settings.charge) ? 0 : run.settings.charge);
        printf("  Zn(DMF)2+ cube: %.4f electrons, valence %.4f\n", r.total_electrons, want);
        CHECK_NEAR(r.total_electrons, want, 0.01);
        unsigned char *ma = calloc((size_t)r.n_atoms, 1), *mb = calloc((size_t)r.n_atoms, 1);
        for (int a = 0; a < r.n_atoms; a++) (d.g.atomic_numbers[a] == 30 ? ma : mb)[a] = 1;
        ct_transfer t;
        CHECK(charge_transfer(r.charge_e, z, ma, mb, r.n_atoms, &t, &e) == DS_OK);
        printf("  Zn net charge %+.4f e, DMF %+.4f e: transfer Zn -> DMF %.4f e\n", t.a.net_charge_e, t.b.net_charge_e,
               t.transfer_a_to_b_e);
        CHECK(t.a.net_charge_e > 0.5 && t.a.net_charge_e < 2.0);
        free(ma);
        free(mb);
    }
    free(z);
    bader_result_free(&r);
    unload(&d);
    run_free(&run);
    if (zrc != DS_OK) SKIP("no GTH valence charges from the CP2K run yet: %s", e.msg);
}

/* The command end to end: JSON keys, an ACF.dat whose rows are the program's own, exit codes. */
TEST(cli_json_and_acf)
{
    char chg[1024], acf_ref[1024];
    snprintf(chg, sizeof chg, "%s/bader/si2-diamond-macrodensity/CHGCAR", SHARED_DATA());
    snprintf(acf_ref, sizeof acf_ref, "%s/bader/si2-diamond-macrodensity/ACF.neargrid.dat", SHARED_DATA());
    if (access(chg, R_OK) != 0) SKIP("%s not found", chg);
    if (access(DS_BIN(), X_OK) != 0) SKIP("%s not built", DS_BIN());
    char acf[] = "/tmp/ds_cli_acfXXXXXX";
    int fd = mkstemp(acf);
    close(fd);
    char args[4096];
    snprintf(args, sizeof args, "bader '%s' --json --threads 2 --acf '%s'", chg, acf);
    int st;
    char *out = cli_run(args, &st, NULL);
    CHECK(st == 0 && out);
    cJSON *j = out ? cJSON_Parse(out) : NULL;
    CHECK(j != NULL);
    if (j) {
        cJSON *atoms = cJSON_GetObjectItem(j, "atoms");
        CHECK(cJSON_GetArraySize(atoms) == 2);
        CHECK_NEAR(cJSON_GetObjectItem(cJSON_GetArrayItem(atoms, 0), "charge_e")->valuedouble, 4.134302, 5e-7);
        CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(atoms, 0), "volume_angstrom3") != NULL);
        CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(atoms, 0), "min_dist_angstrom") != NULL);
        CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(atoms, 0), "net_charge_e") == NULL); /* no ZVAL given */
        CHECK_NEAR(cJSON_GetObjectItem(j, "total_electrons")->valuedouble, 8.0, 1e-6);
        CHECK(cJSON_GetObjectItem(j, "vacuum_charge_e") != NULL);
        CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(j, "basins")) == 15);
        cJSON_Delete(j);
    }
    free(out);
    /* the written ACF.dat is the program's, character for character */
    FILE *a = fopen(acf, "r"), *b = fopen(acf_ref, "r");
    char la[256], lb[256];
    int lines = 0, same = 0;
    while (a && b && fgets(la, sizeof la, a) && fgets(lb, sizeof lb, b)) {
        lines++;
        same += strcmp(la, lb) == 0;
    }
    if (a) fclose(a);
    if (b) fclose(b);
    CHECK_MSG(lines == 8 && same == 8, "%d of %d lines equal", same, lines);
    unlink(acf);
    snprintf(args, sizeof args, "bader '%s' --method ongrid", chg);
    free(cli_run(args, &st, NULL));
    CHECK(st == 2);
    free(cli_run("bader /nonexistent/CHGCAR", &st, NULL));
    CHECK(st == 1);
}

int main(void)
{
    RUN(henkelman_reference_runs);
    RUN(cli_json_and_acf);
    RUN(cp2k_density_cube_counts_valence_electrons);
    return TEST_FINISH();
}
