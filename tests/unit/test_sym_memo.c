/* Unit tests for screen/sym_memo: the memo gives sym_analyse's space group, answers a
 * structure seen again from its table, and keys on the structure only: bytes after a species
 * symbol's NUL (unset in real runs) must not make the same structure a miss. */
#include "screen/sym_memo.h"
#include "tests/test.h"

/* rock salt, conventional cell: Fm-3m (225) */
static void rocksalt(run_structure *st, char species[8][4])
{
    const double a = 5.64;
    const double f[8][3] = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0},
                            {0.5, 0.5, 0.5}, {0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
    memset(st, 0, sizeof *st);
    CHECK(run_structure_alloc(st, 8) == DS_OK);
    st->has_lattice = 1;
    for (int i = 0; i < 3; i++) st->lattice_angstrom[i][i] = a;
    for (int k = 0; k < 8; k++) {
        for (int i = 0; i < 3; i++) st->positions_angstrom[k][i] = f[k][i] * a;
        memcpy(species[k], k < 4 ? "Na\0\x7f" : "Cl\0\x55", 4);
    }
}

TEST(same_answer_as_spglib_and_hits_on_the_same_structure)
{
    run_structure st;
    char species[8][4];
    rocksalt(&st, species);
    sym_info direct, memo1, memo2;
    ds_err err;
    CHECK(sym_analyse(&st, (const char (*)[4])species, 1e-3, &direct, &err) == DS_OK);
    CHECK(direct.spacegroup_number == 225);
    sym_memo *m = sym_memo_new();
    CHECK(m != NULL);
    CHECK(sym_memo_spacegroup(m, &st, (const char (*)[4])species, 1e-3, &memo1, &err) == DS_OK);
    /* the same symbols with other bytes after their NUL: the same structure */
    for (int k = 0; k < 8; k++) species[k][3] = (char)(0x11 * k + 1);
    CHECK(sym_memo_spacegroup(m, &st, (const char (*)[4])species, 1e-3, &memo2, &err) == DS_OK);
    size_t lookups, hits;
    sym_memo_counts(m, &lookups, &hits);
    CHECK(lookups == 2 && hits == 1);
    CHECK(memo1.spacegroup_number == direct.spacegroup_number && memo2.spacegroup_number == 225);
    CHECK_STR(memo1.spacegroup_symbol, direct.spacegroup_symbol);
    CHECK_STR(memo2.spacegroup_symbol, "Fm-3m");
    CHECK(memo1.hall_number == direct.hall_number);
    sym_info_free(&direct);
    sym_memo_free(m);
    run_structure_free(&st);
}

TEST(a_moved_atom_or_other_symprec_is_a_new_structure)
{
    run_structure st;
    char species[8][4];
    rocksalt(&st, species);
    sym_memo *m = sym_memo_new();
    sym_info a, b, c;
    ds_err err;
    CHECK(sym_memo_spacegroup(m, &st, (const char (*)[4])species, 1e-3, &a, &err) == DS_OK);
    st.positions_angstrom[0][2] += 0.2; /* off its site: lower symmetry */
    CHECK(sym_memo_spacegroup(m, &st, (const char (*)[4])species, 1e-3, &b, &err) == DS_OK);
    CHECK(sym_memo_spacegroup(m, &st, (const char (*)[4])species, 1e-1, &c, &err) == DS_OK);
    size_t lookups, hits;
    sym_memo_counts(m, &lookups, &hits);
    CHECK(lookups == 3 && hits == 0);
    CHECK(a.spacegroup_number == 225);
    CHECK(b.spacegroup_number != 225 && b.spacegroup_number >= 1);
    sym_info direct;
    CHECK(sym_analyse(&st, (const char (*)[4])species, 1e-3, &direct, &err) == DS_OK);
    CHECK(b.spacegroup_number == direct.spacegroup_number);
    sym_info_free(&direct);
    sym_memo_free(m);
    run_structure_free(&st);
}

int main(void)
{
    RUN(same_answer_as_spglib_and_hits_on_the_same_structure);
    RUN(a_moved_atom_or_other_symprec_is_a_new_structure);
    return TEST_FINISH();
}
