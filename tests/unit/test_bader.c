/* Unit tests for descriptors/bader and descriptors/charge_transfer on analytic densities
 * (superposed spherical Gaussian atoms in orthorhombic and triclinic cells, partitions known
 * by symmetry), and for parsers/bader_acf (ACF/BCF/AVF reading, ACF round trip). */
#include "descriptors/bader.h"
#include "descriptors/charge_transfer.h"
#include "parsers/bader_acf.h"
#include "tests/test.h"

#include <unistd.h>

#define PI 3.14159265358979323846

typedef struct {
    double g[3];   /* position in grid steps */
    double z;      /* electrons */
    double sigma;  /* Gaussian width, A */
    int is_atom;   /* 0: a bump of density without a nucleus */
} blob;

/* Density in e/A^3 on an n0 x n1 x n2 grid: a normalised Gaussian per blob at its minimum
 * image.  Displacements are taken in grid steps first, so mirror/inversion images of a grid
 * point get bitwise the same value. */
static void make_grid(ds_grid *g, const double lat[3][3], const int n[3], const blob *b, int nb, double offset)
{
    grid_init(g);
    memcpy(g->n, n, sizeof g->n);
    memcpy(g->lattice_angstrom, lat, sizeof g->lattice_angstrom);
    snprintf(g->units, sizeof g->units, "e/A^3");
    int na = 0;
    for (int t = 0; t < nb; t++) na += b[t].is_atom;
    g->n_atoms = na;
    g->atomic_numbers = calloc((size_t)na, sizeof(int));
    g->positions_angstrom = calloc((size_t)na, sizeof *g->positions_angstrom);
    for (int t = 0, a = 0; t < nb; t++) {
        if (!b[t].is_atom) continue;
        g->atomic_numbers[a] = 8;
        for (int x = 0; x < 3; x++)
            for (int r = 0; r < 3; r++) g->positions_angstrom[a][x] += b[t].g[r] / n[r] * lat[r][x];
        a++;
    }
    size_t npts = (size_t)n[0] * n[1] * n[2];
    g->values[0] = calloc(npts, sizeof(double));
    g->n_sets = 1;
    for (int i = 0; i < n[0]; i++)
        for (int j = 0; j < n[1]; j++)
            for (int k = 0; k < n[2]; k++) {
                double v = offset;
                for (int t = 0; t < nb; t++) {
                    double d[3] = {i - b[t].g[0], j - b[t].g[1], k - b[t].g[2]}, best = INFINITY;
                    for (int m0 = -1; m0 <= 1; m0++)
                        for (int m1 = -1; m1 <= 1; m1++)
                            for (int m2 = -1; m2 <= 1; m2++) {
                                double f[3] = {(d[0] + m0 * n[0]) / n[0], (d[1] + m1 * n[1]) / n[1], (d[2] + m2 * n[2]) / n[2]};
                                double x[3];
                                for (int c = 0; c < 3; c++) x[c] = f[0] * lat[0][c] + f[1] * lat[1][c] + f[2] * lat[2][c];
                                double r2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
                                if (r2 < best) best = r2;
                            }
                    double s = b[t].sigma;
                    v += b[t].z / pow(2 * PI * s * s, 1.5) * exp(-best / (2 * s * s));
                }
                g->values[0][((size_t)i * n[1] + j) * n[2] + k] = v;
            }
}

static bader_result run(const ds_grid *g, const ds_grid *ref, bader_method m, int threads)
{
    bader_opts o;
    bader_opts_default(&o);
    o.method = m;
    o.n_threads = threads;
    bader_result r;
    ds_err e;
    int rc = bader_partition(g, ref, &o, &r, &e);
    CHECK_MSG(rc == DS_OK, "bader_partition: %s", e.msg);
    return r;
}

static const double ortho[3][3] = {{8, 0, 0}, {0, 6, 0}, {0, 0, 7}};
static const int ortho_n[3] = {32, 24, 28};

/* Two equal atoms mirrored by x -> 33 - x (grid steps): no grid point on either mirror plane,
 * so both methods must give the two atoms the same charge, volume and surface distance. */
TEST(mirror_pair_orthorhombic)
{
    blob b[2] = {{{8.25, 12, 14}, 2, 0.5, 1}, {{24.75, 12, 14}, 2, 0.5, 1}};
    ds_grid g;
    make_grid(&g, ortho, ortho_n, b, 2, 0);
    for (int m = 0; m < 2; m++) {
        bader_result r = run(&g, NULL, m, 2);
        CHECK(r.n_atoms == 2 && r.n_basins == 2);
        CHECK_NEAR(r.charge_e[0], r.charge_e[1], 1e-10);
        CHECK_NEAR(r.charge_e[0] + r.charge_e[1], 4.0, 1e-6);
        CHECK_NEAR(r.volume_angstrom3[0], r.volume_angstrom3[1], 1e-9);
        CHECK_NEAR(r.volume_angstrom3[0] + r.volume_angstrom3[1], 8 * 6 * 7, 1e-9);
        CHECK_NEAR(r.min_dist_angstrom[0], r.min_dist_angstrom[1], 1e-12);
        /* the zero-flux planes are 2.0625 A and 1.9375 A from each nucleus along x; the nearest
         * surface grid point lies within one grid step of them */
        CHECK(r.min_dist_angstrom[0] > 1.9375 - 0.26 && r.min_dist_angstrom[0] < 1.9375 + 0.01);
        CHECK_NEAR(r.total_electrons, 4.0, 1e-6);
        CHECK(r.vacuum_charge_e == 0);
        /* maxima on the nearest grid points of the nuclei */
        CHECK(r.basin_atom[0] != r.basin_atom[1]);
        for (int bb = 0; bb < 2; bb++) {
            double gx = b[r.basin_atom[bb]].g[0];
            CHECK_MSG(fabs(r.basin_max_grid[bb][0] - gx) <= 0.5 && r.basin_max_grid[bb][1] == 12 && r.basin_max_grid[bb][2] == 14,
                      "basin %d max at %d for an atom at %g", bb, r.basin_max_grid[bb][0], gx);
            CHECK_NEAR(r.basin_atom_dist_angstrom[bb], 0.25 * 8 / 32, 1e-12);
        }
        bader_result_free(&r);
    }
    grid_free(&g);
}

/* Unequal, well-separated atoms: each gets its own electrons (tails beyond 4 sigma only). */
TEST(unequal_atoms_get_their_electrons)
{
    blob b[2] = {{{8, 12, 14}, 1, 0.35, 1}, {{24, 12, 14}, 3, 0.45, 1}};
    ds_grid g;
    make_grid(&g, ortho, ortho_n, b, 2, 0);
    for (int m = 0; m < 2; m++) {
        bader_result r = run(&g, NULL, m, 1);
        CHECK_NEAR(r.charge_e[0], 1.0, 1e-4);
        CHECK_NEAR(r.charge_e[1], 3.0, 1e-4);
        bader_result_free(&r);
    }
    grid_free(&g);
}

static const double tric[3][3] = {{6, 0, 0}, {1.5, 5.5, 0}, {1, 1.2, 5}};
static const int tric_n[3] = {30, 28, 26};

/* Triclinic cell, two atoms related by inversion through the origin (grid point p -> -p);
 * only the inversion-invariant grid points can go either way, and they carry ~1e-8 e. */
TEST(inversion_pair_triclinic)
{
    blob b[2] = {{{7.5, 7, 6.5}, 2, 0.45, 1}, {{30 - 7.5, 28 - 7, 26 - 6.5}, 2, 0.45, 1}};
    ds_grid g;
    make_grid(&g, tric, tric_n, b, 2, 0);
    double vol = 6 * 5.5 * 5;
    for (int m = 0; m < 2; m++) {
        bader_result r = run(&g, NULL, m, 3);
        CHECK(r.n_atoms == 2);
        CHECK_NEAR(r.charge_e[0], r.charge_e[1], 1e-6);
        CHECK_NEAR(r.charge_e[0] + r.charge_e[1], r.total_electrons, 1e-12);
        CHECK_NEAR(r.total_electrons, 4.0, 1e-5);
        CHECK_NEAR(r.volume_angstrom3[0] + r.volume_angstrom3[1], vol, 1e-9);
        CHECK_NEAR(r.volume_angstrom3[0], r.volume_angstrom3[1], 0.02 * vol / 30);
        bader_result_free(&r);
    }
    grid_free(&g);
}

/* One atom in a triclinic cell: everything is its own, it has no zero-flux surface. */
TEST(single_atom_triclinic)
{
    blob b[1] = {{{10.2, 3.7, 20.1}, 6, 0.6, 1}};
    ds_grid g;
    make_grid(&g, tric, tric_n, b, 1, 0.01);
    for (int m = 0; m < 2; m++) {
        bader_result r = run(&g, NULL, m, 2);
        CHECK(r.n_basins == 1 && r.n_significant == 1);
        CHECK_NEAR(r.charge_e[0], r.total_electrons, 1e-12);
        CHECK_NEAR(r.volume_angstrom3[0], 6 * 5.5 * 5, 1e-9);
        CHECK(isnan(r.min_dist_angstrom[0]));
        bader_result_free(&r);
    }
    grid_free(&g);
}

/* Same results on 1 and 3 threads, bit for bit. */
TEST(threads_do_not_change_results)
{
    blob b[3] = {{{5.3, 4.1, 3.3}, 2, 0.5, 1}, {{17.8, 9.2, 15.5}, 3, 0.6, 1}, {{24.1, 20.2, 7.7}, 1, 0.4, 1}};
    ds_grid g;
    make_grid(&g, tric, tric_n, b, 3, 0);
    for (int m = 0; m < 2; m++) {
        bader_result r1 = run(&g, NULL, m, 1), r3 = run(&g, NULL, m, 3);
        CHECK(r1.n_basins == r3.n_basins);
        CHECK(memcmp(r1.charge_e, r3.charge_e, 3 * sizeof(double)) == 0);
        CHECK(memcmp(r1.volume_angstrom3, r3.volume_angstrom3, 3 * sizeof(double)) == 0);
        CHECK(memcmp(r1.min_dist_angstrom, r3.min_dist_angstrom, 3 * sizeof(double)) == 0);
        bader_result_free(&r1);
        bader_result_free(&r3);
    }
    grid_free(&g);
}

/* --ref: basins of the reference, charge of the density: a uniform density splits by volume. */
TEST(reference_defines_basins)
{
    blob b[2] = {{{8.25, 12, 14}, 2, 0.5, 1}, {{24.75, 12, 14}, 2, 0.5, 1}};
    ds_grid ref, dens;
    make_grid(&ref, ortho, ortho_n, b, 2, 0);
    make_grid(&dens, ortho, ortho_n, b, 0, 0.1);
    dens.n_atoms = ref.n_atoms;
    free(dens.atomic_numbers);
    free(dens.positions_angstrom);
    dens.atomic_numbers = calloc(2, sizeof(int));
    dens.positions_angstrom = malloc(2 * sizeof *dens.positions_angstrom);
    memcpy(dens.positions_angstrom, ref.positions_angstrom, 2 * sizeof *dens.positions_angstrom);
    for (int m = 0; m < 2; m++) {
        bader_result r = run(&dens, &ref, m, 2);
        CHECK_NEAR(r.charge_e[0], 0.1 * 8 * 6 * 7 / 2, 1e-9);
        CHECK_NEAR(r.charge_e[1], r.charge_e[0], 1e-9);
        bader_result_free(&r);
    }
    ds_grid small;
    int n2[3] = {16, 24, 28};
    make_grid(&small, ortho, n2, b, 2, 0);
    bader_opts o;
    bader_opts_default(&o);
    bader_result r;
    ds_err e;
    CHECK(bader_partition(&dens, &small, &o, &r, &e) == DS_EUSAGE);
    CHECK(strstr(e.msg, "does not match") != NULL);
    bader_result_free(&r);
    grid_free(&small);
    grid_free(&ref);
    grid_free(&dens);
}

/* Vacuum: |rho| <= thr for near-grid, rho <= thr for weight (the program's rules); a negative
 * offset makes the difference visible.  Charges plus vacuum always give the total. */
TEST(vacuum_rules)
{
    blob b[2] = {{{8, 12, 14}, 2, 0.4, 1}, {{24, 12, 14}, 2, 0.4, 1}};
    ds_grid g;
    make_grid(&g, ortho, ortho_n, b, 2, -0.004);
    double vac[2];
    for (int m = 0; m < 2; m++) {
        bader_opts o;
        bader_opts_default(&o);
        o.method = m;
        o.vacuum = 1;
        o.vacuum_e_per_angstrom3 = 0.003;
        bader_result r;
        ds_err e;
        CHECK(bader_partition(&g, NULL, &o, &r, &e) == DS_OK);
        CHECK_NEAR(r.charge_e[0] + r.charge_e[1] + r.vacuum_charge_e, r.total_electrons, 1e-12);
        CHECK_NEAR(r.total_electrons, 4.0 - 0.004 * 8 * 6 * 7, 1e-5);
        CHECK(r.vacuum_volume_angstrom3 > 0);
        CHECK_NEAR(r.volume_angstrom3[0] + r.volume_angstrom3[1] + r.vacuum_volume_angstrom3, 8 * 6 * 7, 1e-9);
        vac[m] = r.vacuum_volume_angstrom3;
        bader_result_free(&r);
    }
    /* the offset is -0.004: far from the atoms |rho| = 0.004 > 0.003 is not vacuum for
     * near-grid, but rho = -0.004 <= 0.003 is for weight */
    CHECK(vac[BADER_WEIGHT] > vac[BADER_NEARGRID] + 100);
    grid_free(&g);
}

/* A density bump without nucleus exactly half way between two atoms: the tie goes to the
 * first atom (strict '<' in atom order, as the program); with the program's weight-method
 * attractor shifted one step along +x (pymatgen#4638) it goes to the second. */
TEST(tie_and_weight_attractor_compat)
{
    blob b[3] = {{{8, 12, 14}, 2, 0.4, 1}, {{24, 12, 14}, 2, 0.4, 1}, {{16, 12, 14}, 0.5, 0.3, 0}};
    ds_grid g;
    make_grid(&g, ortho, ortho_n, b, 3, 0);
    bader_result r = run(&g, NULL, BADER_WEIGHT, 2);
    CHECK(r.n_basins == 3);
    CHECK(r.charge_e[0] > r.charge_e[1] + 0.4);
    bader_opts o;
    bader_opts_default(&o);
    o.method = BADER_WEIGHT;
    o.compat = BADER_COMPAT_WEIGHT_ATTRACTOR;
    bader_result c;
    ds_err e;
    CHECK(bader_partition(&g, NULL, &o, &c, &e) == DS_OK);
    CHECK(c.charge_e[1] > c.charge_e[0] + 0.4);
    CHECK_NEAR(c.charge_e[0], r.charge_e[1], 1e-12);
    bader_result_free(&r);
    bader_result_free(&c);
    double lat[3][3] = {{4, 0, 0}, {0, 4, 0}, {0, 0, 4}}, frac[2][3] = {{0.25, 0, 0}, {0.75, 0, 0}}, p[3] = {0.5, 0, 0}, d;
    CHECK(bader_nearest_atom(lat, (const double(*)[3])frac, 2, p, &d) == 0);
    CHECK_NEAR(d, 1.0, 1e-15);
    p[0] = 0.0; /* equidistant through the periodic boundary */
    CHECK(bader_nearest_atom(lat, (const double(*)[3])frac, 2, p, &d) == 0);
    grid_free(&g);
}

TEST(bad_partition_input)
{
    blob b[1] = {{{4, 4, 4}, 1, 0.5, 1}};
    ds_grid g;
    make_grid(&g, ortho, ortho_n, b, 1, 0);
    bader_result r;
    ds_err e;
    snprintf(g.units, sizeof g.units, "eV");
    CHECK(bader_partition(&g, NULL, NULL, &r, &e) == DS_EUSAGE);
    CHECK(strstr(e.msg, "not a charge density") != NULL);
    snprintf(g.units, sizeof g.units, "e/A^3");
    g.lattice_angstrom[2][2] = 0;
    CHECK(bader_partition(&g, NULL, NULL, &r, &e) == DS_EUSAGE);
    CHECK(strstr(e.msg, "zero volume") != NULL);
    g.lattice_angstrom[2][2] = 7;
    g.n_atoms = 0;
    CHECK(bader_partition(&g, NULL, NULL, &r, &e) == DS_EUSAGE);
    g.n_atoms = 1;
    CHECK(bader_partition(NULL, NULL, NULL, &r, &e) == DS_EUSAGE);
    bader_result_free(&r);
    grid_free(&g);
}

TEST(acf_round_trip)
{
    blob b[2] = {{{8, 12, 14}, 1, 0.35, 1}, {{24, 12, 14}, 3, 0.45, 1}};
    ds_grid g;
    make_grid(&g, ortho, ortho_n, b, 2, 0);
    bader_result r = run(&g, NULL, BADER_NEARGRID, 2);
    bader_acf out = {.n_atoms = 2, .n_columns = 7, .has_footer = 1, .position = g.positions_angstrom,
                     .charge_e = r.charge_e, .min_dist = r.min_dist_angstrom, .volume = r.volume_angstrom3,
                     .vacuum_charge_e = r.vacuum_charge_e, .vacuum_volume = r.vacuum_volume_angstrom3,
                     .n_electrons = r.total_electrons};
    char path[] = "/tmp/ds_acf_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    ds_err e;
    CHECK(bader_acf_write(path, &out, &e) == DS_OK);
    bader_acf in;
    CHECK(bader_acf_read(path, &in, &e) == DS_OK);
    CHECK(in.n_atoms == 2 && in.n_columns == 7 && in.has_footer && !in.truncated);
    for (int a = 0; a < 2; a++) {
        CHECK_NEAR(in.charge_e[a], r.charge_e[a], 5e-7);
        CHECK_NEAR(in.volume[a], r.volume_angstrom3[a], 5e-7);
        CHECK_NEAR(in.min_dist[a], r.min_dist_angstrom[a], 5e-7);
        CHECK_NEAR(in.position[a][0], g.positions_angstrom[a][0], 5e-7);
    }
    CHECK_NEAR(in.n_electrons, r.total_electrons, 5e-5);
    bader_acf_free(&in);
    unlink(path);
    bader_result_free(&r);
    grid_free(&g);
}

TEST(acf_bcf_avf_readers)
{
    bader_acf a;
    ds_err e;
    CHECK(bader_acf_read(FIXTURE("bader/ACF.dat"), &a, &e) == DS_OK);
    CHECK(a.n_atoms == 3 && a.n_columns == 7 && a.has_footer && a.has_overflow);
    CHECK_NEAR(a.charge_e[1], 9.876544, 0);
    CHECK(isnan(a.position[2][2]));
    CHECK_NEAR(a.vacuum_volume, 2.5, 0);
    CHECK_NEAR(a.n_electrons, 17.01, 0);
    bader_acf_free(&a);
    CHECK(bader_acf_read(FIXTURE("bader/ACF_6col.dat"), &a, &e) == DS_OK);
    CHECK(a.n_columns == 6 && isnan(a.volume[0]) && isnan(a.vacuum_charge_e) && a.has_footer);
    bader_acf_free(&a);
    bader_bcf c;
    CHECK(bader_bcf_read(FIXTURE("bader/BCF.dat"), &c, &e) == DS_OK);
    CHECK(c.n_basins == 2 && c.atom[1] == 2 && !c.truncated);
    CHECK_NEAR(c.charge_e[1], 7.4779, 0);
    bader_bcf_free(&c);
    bader_avf v;
    CHECK(bader_avf_read(FIXTURE("bader/AVF.dat"), &v, &e) == DS_OK);
    CHECK(v.n_rows == 2 && v.atom[1] == 2 && v.first[2] - v.first[1] == 3 && v.basins[v.first[1] + 2] == 4);
    bader_avf_free(&v);
    ds_run run;
    run_init(&run);
    CHECK(bader_acf_read_run(FIXTURE("bader/ACF.dat"), &run, &e) == DS_OK);
    CHECK(run.n_charges == 1 && run.has_overflow_fields == 1);
    CHECK_STR(run.charges[0].method, "bader");
    CHECK_NEAR(run.charges[0].population_e[0], 0.123456, 0);
    run_free(&run);
}

/* Truncated, empty, garbage and out-of-order ACF files. */
TEST(acf_bad_input)
{
    FILE *f = fopen(FIXTURE("bader/ACF.dat"), "rb");
    char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    CHECK(n > 500);
    char path[] = "/tmp/ds_acf_cutXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    int ok = 0, bad = 0;
    for (size_t cut = 0; cut < n; cut += 9) {
        f = fopen(path, "wb");
        fwrite(buf, 1, cut, f);
        fclose(f);
        bader_acf a;
        ds_err e;
        int rc = bader_acf_read(path, &a, &e);
        if (rc == DS_OK) {
            ok++;
            CHECK(a.n_atoms >= 1 && a.n_atoms <= 3);
            CHECK_MSG(a.truncated || cut >= n - 1, "cut %zu: not flagged", cut);
            CHECK_NEAR(a.charge_e[0], 0.123456, 0);
        } else {
            bad++;
            CHECK(rc == DS_ETRUNC || rc == DS_EFORMAT);
            CHECK(strstr(e.file, "ds_acf_cut") != NULL);
        }
        bader_acf_free(&a);
    }
    CHECK(ok > 20 && bad > 10);
    const char *bads[] = {"", "\x7f\x01garbage", "    #  X  Y  Z  CHARGE\n ---\n    2  0 0 0 1 1 1\n",
                          "    #  X  Y  Z  CHARGE\n ---\n    1  0 0 0 1\n"};
    for (int t = 0; t < 4; t++) {
        f = fopen(path, "wb");
        fputs(bads[t], f);
        fclose(f);
        bader_acf a;
        ds_err e;
        CHECK_MSG(bader_acf_read(path, &a, &e) == DS_EFORMAT, "case %d: %s", t, e.msg);
        bader_acf_free(&a);
    }
    unlink(path);
}

TEST(charge_transfer_signs_and_fragments)
{
    double bader[3] = {0.09, 7.41, 1.5}, zval[3] = {1, 7, 1.5}, net[3];
    charge_net(bader, zval, 3, net);
    CHECK_NEAR(net[0], 0.91, 1e-12);
    CHECK_NEAR(net[1], -0.41, 1e-12);
    unsigned char a[3] = {1, 0, 0}, b[3] = {0, 1, 1};
    ct_transfer t;
    ds_err e;
    CHECK(charge_transfer(bader, zval, a, b, 3, &t, &e) == DS_OK);
    CHECK_NEAR(t.transfer_a_to_b_e, 0.91, 1e-12);
    CHECK_NEAR(t.b.net_charge_e, -0.41, 1e-12);
    CHECK_NEAR(t.imbalance_e, 0.5, 1e-12);
    CHECK(t.a.n_atoms == 1 && t.b.n_atoms == 2);
    unsigned char both[3] = {1, 1, 0};
    CHECK(charge_transfer(bader, zval, both, b, 3, &t, &e) == DS_EUSAGE);
    unsigned char none[3] = {0, 0, 0};
    CHECK(charge_transfer(bader, zval, none, b, 3, &t, &e) == DS_ENODATA);
    double zbad[3] = {1, NAN, 1.5};
    CHECK(charge_transfer(bader, zbad, a, b, 3, &t, &e) == DS_ENODATA);
    CHECK(strstr(e.msg, "atom 2") != NULL);

    ds_run run;
    run_init(&run);
    run_set_species(&run, 2);
    run.n_kinds = 2;
    run.kinds = calloc(2, sizeof *run.kinds);
    snprintf(run.kinds[0].symbol, 4, "Na");
    run.kinds[0].zval = 7; /* Na_pv */
    snprintf(run.kinds[1].symbol, 4, "Cl");
    run.kinds[1].zval = 7;
    snprintf(run.species[0], 4, "Na");
    snprintf(run.species[1], 4, "Cl");
    run.kind_of_atom[0] = 0;
    run.kind_of_atom[1] = 1;
    double z[2];
    int zn[2] = {11, 17};
    CHECK(charge_zval_from_run(&run, 2, zn, z, &e) == DS_OK);
    CHECK(z[0] == 7 && z[1] == 7);
    int wrong[2] = {11, 9};
    CHECK(charge_zval_from_run(&run, 2, wrong, z, &e) == DS_EUSAGE);
    CHECK(charge_zval_from_run(&run, 3, NULL, z, &e) == DS_EUSAGE);
    run.kinds[1].zval = NAN;
    CHECK(charge_zval_from_run(&run, 2, zn, z, &e) == DS_ENODATA);
    run_free(&run);
}

int main(void)
{
    RUN(mirror_pair_orthorhombic);
    RUN(unequal_atoms_get_their_electrons);
    RUN(inversion_pair_triclinic);
    RUN(single_atom_triclinic);
    RUN(threads_do_not_change_results);
    RUN(reference_defines_basins);
    RUN(vacuum_rules);
    RUN(tie_and_weight_attractor_compat);
    RUN(bad_partition_input);
    RUN(acf_round_trip);
    RUN(acf_bcf_avf_readers);
    RUN(acf_bad_input);
    RUN(charge_transfer_signs_and_fragments);
    return TEST_FINISH();
}
