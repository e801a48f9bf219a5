/* symmetry: standardised and primitive cells.  A one-atom fcc Cu cell (the POSCAR fixture
 * with a negative, volume-valued scale) has a conventional cubic cell of 4 atoms and 4x the
 * volume with a = b = c at right angles; a conventional fcc cell built here reduces to one
 * atom of a quarter of its volume; graphene's primitive cell is its standardised one. */
#include <math.h>

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

int main(void)
{
    RUN(fcc_primitive_to_conventional);
    RUN(conventional_fcc_reduces_to_one_atom);
    RUN(graphene_primitive_is_standard);
    return TEST_FINISH();
}
