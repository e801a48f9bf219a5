/* Unit tests for structures/: elements, formula, spglib symmetry. */
#include "structures/elements.h"
#include "structures/formula.h"
#include "structures/symmetry.h"
#include "tests/test.h"

TEST(elements_and_labels)
{
    char sym[4];
    CHECK(element_z("Fe") == 26 && element_z("Og") == 118 && element_z("Xx") == 0);
    CHECK(element_from_label("Fe_pv", sym) == 26);
    CHECK_STR(sym, "Fe");
    CHECK(element_from_label("O_s", sym) == 8);
    CHECK_STR(sym, "O");
    CHECK(element_from_label("ZN", sym) == 30);
    CHECK_STR(sym, "Zn");
    CHECK(element_from_label("H1", sym) == 1);
    CHECK(element_from_label("123", sym) == 0);
    CHECK_STR(element_symbol(11), "Na");
    CHECK(element_symbol(0) == NULL);
}

TEST(formulas)
{
    const char sp[6][4] = {"Fe", "Fe", "O", "O", "O", "O"};
    char f[64];
    formula_of_species(sp, 6, 0, f, sizeof f);
    CHECK_STR(f, "Fe2O4");
    formula_of_species(sp, 6, 1, f, sizeof f);
    CHECK_STR(f, "FeO2");
}

static void build(run_structure *s, double a, const double (*frac)[3], int n)
{
    memset(s, 0, sizeof *s);
    run_structure_alloc(s, n);
    s->has_lattice = 1;
    s->lattice_angstrom[0][0] = s->lattice_angstrom[1][1] = s->lattice_angstrom[2][2] = a;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) s->positions_angstrom[i][k] = frac[i][k] * a;
}

TEST(rocksalt_is_fm3m)
{
    const double frac[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                               {.5, .5, .5}, {.5, 0, 0}, {0, .5, 0}, {0, 0, .5}};
    const char sp[8][4] = {"Na", "Na", "Na", "Na", "Cl", "Cl", "Cl", "Cl"};
    run_structure s;
    build(&s, 5.64, frac, 8);
    sym_info info;
    ds_err err;
    CHECK(sym_analyse(&s, sp, 1e-3, &info, &err) == DS_OK);
    CHECK(info.spacegroup_number == 225);
    CHECK_STR(info.spacegroup_symbol, "Fm-3m");
    for (int i = 0; i < 4; i++) CHECK(info.equivalent_atoms[i] == 0);
    for (int i = 4; i < 8; i++) CHECK(info.equivalent_atoms[i] == 4);
    sym_info_free(&info);
    /* A displaced atom lowers the symmetry at a tight tolerance but not at a loose one. */
    s.positions_angstrom[0][0] += 0.01;
    CHECK(sym_analyse(&s, sp, 1e-3, &info, &err) == DS_OK);
    CHECK(info.spacegroup_number != 225);
    sym_info_free(&info);
    CHECK(sym_analyse(&s, sp, 0.1, &info, &err) == DS_OK);
    CHECK(info.spacegroup_number == 225);
    sym_info_free(&info);
    run_structure_free(&s);
}

TEST(no_lattice_and_zero_volume_are_errors)
{
    const double frac[1][3] = {{0, 0, 0}};
    const char sp[1][4] = {"Fe"};
    run_structure s;
    build(&s, 2.87, frac, 1);
    sym_info info;
    ds_err err;
    CHECK(sym_analyse(&s, sp, 1e-3, &info, &err) == DS_OK);
    CHECK(info.spacegroup_number == 221); /* simple cubic with one atom: Pm-3m */
    sym_info_free(&info);
    s.lattice_angstrom[2][2] = 0;
    CHECK(sym_analyse(&s, sp, 1e-3, &info, &err) == DS_EFORMAT);
    s.has_lattice = 0;
    CHECK(sym_analyse(&s, sp, 1e-3, &info, &err) == DS_ENODATA);
    run_structure_free(&s);
}

int main(void)
{
    RUN(elements_and_labels);
    RUN(formulas);
    RUN(rocksalt_is_fm3m);
    RUN(no_lattice_and_zero_volume_are_errors);
    return TEST_FINISH();
}
