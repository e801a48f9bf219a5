/* Unit tests for the structure-aware selection terms (fragment:N, molecule:NAME,
 * unique:El) of structures/select, and that the original terms behave as before. */
#include "structures/select.h"
#include "tests/test.h"
#include "tests/unit/fixture_structures.h"

static int count(const unsigned char *m, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++) c += m[i] != 0;
    return c;
}

TEST(original_terms_unchanged)
{
    const char sp[6][4] = {"Fe", "Fe", "O", "O", "Na", "Co"};
    unsigned char m[6];
    ds_err err;
    CHECK(select_atoms("Fe", sp, 6, m, &err) == DS_OK && m[0] && m[1] && count(m, 6) == 2);
    CHECK(select_atoms("1,3-4", sp, 6, m, &err) == DS_OK && m[0] && m[2] && m[3] && count(m, 6) == 3);
    CHECK(select_atoms("transition-metals", sp, 6, m, &err) == DS_OK && count(m, 6) == 3);
    CHECK(select_atoms("tm", sp, 6, m, &err) == DS_OK && count(m, 6) == 3);
    CHECK(select_atoms("alkali, O", sp, 6, m, &err) == DS_OK && m[4] && m[2] && m[3] && count(m, 6) == 3);
    CHECK(select_atoms("metals", sp, 6, m, &err) == DS_OK && count(m, 6) == 4);
    CHECK(select_atoms("all", sp, 6, m, &err) == DS_OK && count(m, 6) == 6);
    CHECK(select_atoms("Pt", sp, 6, m, &err) == DS_ENODATA);
    CHECK_MSG(strstr(err.msg, "the run has Fe, O, Na, Co") != NULL, "%s", err.msg);
    CHECK(select_atoms("7", sp, 6, m, &err) == DS_EUSAGE);
    CHECK(select_atoms("3-1", sp, 6, m, &err) == DS_EUSAGE);
    CHECK(select_atoms("bogus", sp, 6, m, &err) == DS_EUSAGE);
    CHECK(select_atoms("", sp, 6, m, &err) == DS_EUSAGE);
    /* structure terms need the structure */
    CHECK(select_atoms("fragment:1", sp, 6, m, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "needs the structure") != NULL, "%s", err.msg);
    CHECK(select_atoms("color:red", sp, 6, m, &err) == DS_EUSAGE);
}

static int load(const char *rel, fx_structure *fx, cell_atoms *at, const int pbc[3])
{
    char path[1024];
    snprintf(path, sizeof path, "%s/structures/%s", FIXTURES(), rel);
    if (fx_load(path, fx) != 0) return -1;
    ds_err err;
    return cell_atoms_init(at, &fx->s, (const char (*)[4])fx->species, pbc, &err) == DS_OK ? 0 : -1;
}

TEST(fragment_and_molecule_terms)
{
    fx_structure fx;
    cell_atoms at;
    CHECK(load("POSCAR_li_dmf", &fx, &at, NULL) == 0);
    select_context ctx = {&at, NULL, 0};
    unsigned char m[13];
    ds_err err;
    CHECK(select_atoms_ext("molecule:DMF", &ctx, m, &err) == DS_OK && count(m, 13) == 12 && !m[12]);
    CHECK(select_atoms_ext("molecule:dmf", &ctx, m, &err) == DS_OK && count(m, 13) == 12);
    CHECK(select_atoms_ext("molecule:NOC3H7", &ctx, m, &err) == DS_OK && count(m, 13) == 12);
    CHECK(select_atoms_ext("molecule:Li+", &ctx, m, &err) == DS_OK && count(m, 13) == 1 && m[12]);
    CHECK(select_atoms_ext("molecule:Li", &ctx, m, &err) == DS_OK && count(m, 13) == 1 && m[12]);
    CHECK(select_atoms_ext("fragment:2", &ctx, m, &err) == DS_OK && count(m, 13) == 1 && m[12]);
    CHECK(select_atoms_ext("fragment:1-2", &ctx, m, &err) == DS_OK && count(m, 13) == 13);
    /* combinations are unions */
    CHECK(select_atoms_ext("fragment:2, O", &ctx, m, &err) == DS_OK && count(m, 13) == 2);
    CHECK(select_atoms_ext("molecule:DMF,1", &ctx, m, &err) == DS_OK && count(m, 13) == 12);
    CHECK(select_atoms_ext("alkali", &ctx, m, &err) == DS_OK && count(m, 13) == 1);
    /* errors */
    CHECK(select_atoms_ext("fragment:3", &ctx, m, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "beyond the 2 fragments") != NULL, "%s", err.msg);
    CHECK(select_atoms_ext("fragment:x", &ctx, m, &err) == DS_EUSAGE);
    CHECK(select_atoms_ext("fragment:2-1", &ctx, m, &err) == DS_EUSAGE);
    CHECK(select_atoms_ext("molecule:", &ctx, m, &err) == DS_EUSAGE);
    CHECK(select_atoms_ext("molecule:TFSI", &ctx, m, &err) == DS_ENODATA);
    CHECK_MSG(strstr(err.msg, "fragments 1 DMF (C3H7NO), 2 Li+ (Li)") != NULL, "%s", err.msg);
    /* user names reach the selection */
    frag_name e = {"C3H7NO", "solvent-A"};
    frag_names names = {1, 1, &e};
    frag_opts fo;
    frag_opts_default(&fo);
    fo.names = &names;
    ctx.frag = &fo;
    CHECK(select_atoms_ext("molecule:solvent-A", &ctx, m, &err) == DS_OK && count(m, 13) == 12);
    /* an overlap makes the fragment terms fail with the analysis' message */
    fx.s.positions_angstrom[12][0] = fx.s.positions_angstrom[1][0] + 0.1;
    fx.s.positions_angstrom[12][1] = fx.s.positions_angstrom[1][1];
    fx.s.positions_angstrom[12][2] = fx.s.positions_angstrom[1][2];
    CHECK(select_atoms_ext("fragment:1", &ctx, m, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "overlap") != NULL, "%s", err.msg);
    CHECK(select_atoms_ext("Li", &ctx, m, &err) == DS_OK); /* plain terms do not need fragments */
    CHECK(select_atoms_ext("Li", NULL, m, &err) == DS_EUSAGE);
    fx_free(&fx);
}

static void rocksalt(run_structure *s, double a)
{
    const double frac[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                               {.5, .5, .5}, {.5, 0, 0}, {0, .5, 0}, {0, 0, .5}};
    memset(s, 0, sizeof *s);
    run_structure_alloc(s, 8);
    s->has_lattice = 1;
    s->lattice_angstrom[0][0] = s->lattice_angstrom[1][1] = s->lattice_angstrom[2][2] = a;
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 3; k++) s->positions_angstrom[i][k] = frac[i][k] * a;
}

TEST(unique_sites)
{
    run_structure s;
    rocksalt(&s, 5.64);
    const char sp[8][4] = {"Na", "Na", "Na", "Na", "Cl", "Cl", "Cl", "Cl"};
    cell_atoms at;
    ds_err err;
    CHECK(cell_atoms_init(&at, &s, sp, NULL, &err) == DS_OK);
    select_context ctx = {&at, NULL, 1e-3};
    unsigned char m[8];
    CHECK(select_atoms_ext("unique:Na", &ctx, m, &err) == DS_OK && count(m, 8) == 1 && m[0]);
    CHECK(select_atoms_ext("unique:Cl", &ctx, m, &err) == DS_OK && count(m, 8) == 1 && m[4]);
    CHECK(select_atoms_ext("unique:all", &ctx, m, &err) == DS_OK && count(m, 8) == 2 && m[0] && m[4]);
    CHECK(select_atoms_ext("unique:metals", &ctx, m, &err) == DS_OK && count(m, 8) == 1 && m[0]);
    CHECK(select_atoms_ext("unique:Na,Cl", &ctx, m, &err) == DS_OK && count(m, 8) == 5);
    CHECK(select_atoms_ext("unique:Fe", &ctx, m, &err) == DS_ENODATA);
    CHECK(select_atoms_ext("unique:Xx", &ctx, m, &err) == DS_EUSAGE);
    /* a displaced Na: at a tight tolerance the Na sites split, at a loose one they do not */
    s.positions_angstrom[1][0] += 0.02;
    CHECK(select_atoms_ext("unique:Na", &ctx, m, &err) == DS_OK && count(m, 8) > 1);
    ctx.symprec_angstrom = 0.1;
    CHECK(select_atoms_ext("unique:Na", &ctx, m, &err) == DS_OK && count(m, 8) == 1);
    /* symmetry needs a periodic cell */
    const int none[3] = {0, 0, 0};
    CHECK(cell_atoms_init(&at, &s, sp, none, &err) == DS_OK);
    CHECK(select_atoms_ext("unique:Na", &ctx, m, &err) == DS_EUSAGE);
    CHECK_MSG(strstr(err.msg, "periodic") != NULL, "%s", err.msg);
    run_structure_free(&s);
}

TEST(unique_sites_in_a_framework)
{
    fx_structure fx;
    cell_atoms at;
    CHECK(load("POSCAR_fecn3_framework", &fx, &at, NULL) == 0);
    select_context ctx = {&at, NULL, 1e-3};
    unsigned char m[7];
    ds_err err;
    /* Fe(CN)3 with C along +a, +b, +c: R3m (three-fold axis along [111]), the three C (and
     * the three N) equivalent */
    CHECK(select_atoms_ext("unique:C", &ctx, m, &err) == DS_OK && count(m, 7) == 1);
    CHECK(select_atoms_ext("unique:all", &ctx, m, &err) == DS_OK && count(m, 7) == 3);
    CHECK(select_atoms_ext("unique:Fe,fragment:1", &ctx, m, &err) == DS_OK && count(m, 7) == 7);
    fx_free(&fx);
}

int main(void)
{
    RUN(original_terms_unchanged);
    RUN(fragment_and_molecule_terms);
    RUN(unique_sites);
    RUN(unique_sites_in_a_framework);
    return TEST_FINISH();
}
