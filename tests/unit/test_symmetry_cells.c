/* symmetry: standardised and primitive cells.  A one-atom fcc Cu cell (the POSCAR fixture
 * with a negative, volume-valued scale) has a conventional cubic cell of 4 atoms and 4x the
 * volume with a = b = c at right angles; a conventional fcc cell built here reduces to one
 * atom of a quarter of its volume; graphene's primitive cell is its standardised one.
 * Both cells are built from one spg_get_dataset call (no second and third symmetry search):
 * for every centring (P, A, C, I, F, R) they are checked against spglib's own
 * spg_standardize_cell, to_primitive 0 and 1, as the oracle. */
#include <math.h>
#include <spglib.h>
#include <stdlib.h>

#include "parsers/vasp_poscar.h"
#include "structures/symmetry.h"
#include "tests/test.h"

static double volume(const double L[3][3])
{
    return fabs(L[0][0] * (L[1][1] * L[2][2] - L[1][2] * L[2][1]) - L[0][1] * (L[1][0] * L[2][2] - L[1][2] * L[2][0]) +
                L[0][2] * (L[1][0] * L[2][1] - L[1][1] * L[2][0]));
}

TEST(fcc_primitive_to_conventional)
{
    ds_run run;
    run_init(&run);
    ds_err err;
    CHECK(vasp_poscar_read(FIXTURE("vasp/POSCAR_negative_scale"), NULL, 0, &run, &err) == DS_OK);
    sym_info s;
    CHECK(sym_analyse(&run.initial, (const char (*)[4])run.species, 1e-3, &s, &err) == DS_OK);
    CHECK(s.spacegroup_number == 225);
    CHECK(s.primitive.n_atoms == 1 && s.standardized.n_atoms == 4);
    double vp = volume(s.primitive.lattice_angstrom), vs = volume(s.standardized.lattice_angstrom);
    CHECK_NEAR(vp, run_volume_angstrom3(run.initial.lattice_angstrom), 1e-9);
    CHECK_NEAR(vs / vp, 4.0, 1e-9);
    double a = cbrt(vs);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) CHECK_NEAR(s.standardized.lattice_angstrom[i][j], i == j ? a : 0.0, 1e-9);
    for (int k = 0; k < 4; k++) CHECK(s.standardized.atomic_numbers[k] == 29);
    sym_info_free(&s);
    run_free(&run);
}

TEST(conventional_fcc_reduces_to_one_atom)
{
    double a = 3.615; /* Cu */
    run_structure st;
    memset(&st, 0, sizeof st);
    CHECK(run_structure_alloc(&st, 4) == DS_OK);
    st.has_lattice = 1;
    for (int i = 0; i < 3; i++) st.lattice_angstrom[i][i] = a;
    const double f[4][3] = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 3; i++) st.positions_angstrom[k][i] = f[k][i] * a;
    const char species[4][4] = {"Cu", "Cu", "Cu", "Cu"};
    sym_info s;
    ds_err err;
    CHECK(sym_analyse(&st, species, 1e-3, &s, &err) == DS_OK);
    CHECK(s.primitive.n_atoms == 1);
    CHECK_NEAR(volume(s.primitive.lattice_angstrom), a * a * a / 4, 1e-9);
    /* the primitive vectors are face diagonals: |v| = a / sqrt(2) */
    for (int i = 0; i < 3; i++) {
        const double *v = s.primitive.lattice_angstrom[i];
        CHECK_NEAR(sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), a / sqrt(2.0), 1e-9);
    }
    sym_info_free(&s);
    run_structure_free(&st);
}

TEST(graphene_primitive_is_standard)
{
    ds_run run;
    run_init(&run);
    ds_err err;
    CHECK(vasp_poscar_read(FIXTURE("structures/POSCAR_graphene"), NULL, 0, &run, &err) == DS_OK);
    sym_info s;
    CHECK(sym_analyse(&run.initial, (const char (*)[4])run.species, 1e-3, &s, &err) == DS_OK);
    CHECK(s.spacegroup_number == 191);
    CHECK(s.primitive.n_atoms == 2 && s.standardized.n_atoms == 2);
    CHECK_NEAR(volume(s.primitive.lattice_angstrom), volume(s.standardized.lattice_angstrom), 1e-9);
    sym_info_free(&s);
    run_free(&run);
}

/* A crystal given as a conventional lattice (rows) and fractional positions. */
typedef struct {
    const char *name;
    double lat[3][3];
    int n;
    double f[8][3];
    int z[8];
    char centring; /* first letter of the symbol spglib must find */
} crystal;

/* Does cell (lattice rows, n positions, types) equal spglib's (lattice columns)? Lattices
 * to 1e-9 A; atoms as a set: each of spglib's has one of ours of the same type at the same
 * fractional position modulo 1. */
static int same_cell(const sym_cell *c, double L[3][3], const double (*pos)[3], const int *typ, int m)
{
    if (c->n_atoms != m) return 0;
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++)
            if (fabs(c->lattice_angstrom[r][k] - L[k][r]) > 1e-9) return 0;
    for (int a = 0; a < m; a++) {
        int found = 0;
        for (int b = 0; b < m && !found; b++) {
            if (c->atomic_numbers[b] != typ[a]) continue;
            double d = 0;
            for (int i = 0; i < 3; i++) {
                double x = c->positions_frac[b][i] - pos[a][i];
                x -= round(x);
                d += x * x;
            }
            found = d < 1e-16;
        }
        if (!found) return 0;
    }
    return 1;
}

TEST(cells_equal_spglib_standardize_for_every_centring)
{
    static const crystal xs[] = {
        {"rutile-like P", {{4.6, 0, 0}, {0, 4.6, 0}, {0, 0, 2.96}}, 6,
         {{0, 0, 0}, {.5, .5, .5}, {.305, .305, 0}, {.695, .695, 0}, {.805, .195, .5}, {.195, .805, .5}},
         {22, 22, 8, 8, 8, 8}, 'P'},
        {"bcc Fe", {{2.87, 0, 0}, {0, 2.87, 0}, {0, 0, 2.87}}, 2, {{0, 0, 0}, {.5, .5, .5}}, {26, 26}, 'I'},
        {"rock salt", {{5.64, 0, 0}, {0, 5.64, 0}, {0, 0, 5.64}}, 8,
         {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.5, 0, 0}, {0, .5, 0}, {0, 0, .5}, {.5, .5, .5}},
         {11, 11, 11, 11, 17, 17, 17, 17}, 'F'},
        {"C-centred orthorhombic", {{3.1, 0, 0}, {0, 5.3, 0}, {0, 0, 4.2}}, 4,
         {{0, .1, .25}, {.5, .6, .25}, {0, .9, .75}, {.5, .4, .75}}, {6, 6, 6, 6}, 'C'},
        {"A-centred orthorhombic", {{3.3, 0, 0}, {0, 4.4, 0}, {0, 0, 5.5}}, 4,
         {{0, 0, .1}, {0, .5, .6}, {.5, 0, .37}, {.5, .5, .87}}, {14, 14, 8, 8}, 'A'},
        {"Bi, rhombohedral (hexagonal axes)", {{4.54, 0, 0}, {-2.27, 3.9317553331, 0}, {0, 0, 11.86}}, 6,
         {{0, 0, .2339}, {0, 0, .7661}, {2. / 3, 1. / 3, 1. / 3 + .2339}, {2. / 3, 1. / 3, 1. / 3 - .2339},
          {1. / 3, 2. / 3, 2. / 3 + .2339}, {1. / 3, 2. / 3, 2. / 3 - .2339}},
         {83, 83, 83, 83, 83, 83}, 'R'},
    };
    static const char *sym[] = {"", "H", "", "", "", "", "C", "N", "O", "", "", "Na", "", "", "Si", "", "", "Cl"};
    for (size_t t = 0; t < sizeof xs / sizeof xs[0]; t++) {
        const crystal *x = &xs[t];
        run_structure st;
        memset(&st, 0, sizeof st);
        CHECK(run_structure_alloc(&st, x->n) == DS_OK);
        st.has_lattice = 1;
        memcpy(st.lattice_angstrom, x->lat, sizeof st.lattice_angstrom);
        char species[8][4];
        for (int a = 0; a < x->n; a++) {
            for (int i = 0; i < 3; i++)
                st.positions_angstrom[a][i] = x->f[a][0] * x->lat[0][i] + x->f[a][1] * x->lat[1][i] +
                                              x->f[a][2] * x->lat[2][i];
            const char *e = x->z[a] < 18 ? sym[x->z[a]] : x->z[a] == 22 ? "Ti" : x->z[a] == 26 ? "Fe" : "Bi";
            snprintf(species[a], sizeof species[a], "%s", e);
        }
        sym_info s;
        ds_err err;
        CHECK(sym_analyse(&st, (const char (*)[4])species, 1e-3, &s, &err) == DS_OK);
        printf("    %-36s %-8s std %d atoms, primitive %d\n", x->name, s.spacegroup_symbol, s.standardized.n_atoms,
               s.primitive.n_atoms);
        CHECK(s.spacegroup_symbol[0] == x->centring);
        for (int prim = 0; prim <= 1; prim++) {
            double L[3][3], (*pos)[3] = calloc(4 * (size_t)x->n, sizeof *pos);
            int *typ = calloc(4 * (size_t)x->n, sizeof *typ);
            for (int r = 0; r < 3; r++)
                for (int k = 0; k < 3; k++) L[r][k] = x->lat[k][r];
            memcpy(pos, x->f, (size_t)x->n * sizeof *pos);
            memcpy(typ, x->z, (size_t)x->n * sizeof *typ);
            int m = spg_standardize_cell(L, pos, typ, x->n, prim, 0, 1e-3);
            CHECK(m > 0);
            CHECK(same_cell(prim ? &s.primitive : &s.standardized, L, (const double (*)[3])pos, typ, m));
            free(pos);
            free(typ);
        }
        sym_info_free(&s);
        run_structure_free(&st);
    }
}

int main(void)
{
    RUN(fcc_primitive_to_conventional);
    RUN(conventional_fcc_reduces_to_one_atom);
    RUN(graphene_primitive_is_standard);
    RUN(cells_equal_spglib_standardize_for_every_centring);
    return TEST_FINISH();
}
