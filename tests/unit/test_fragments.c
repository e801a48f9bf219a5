/* Unit tests for structures/fragments (with covalent radii and the name table),
 * structures/hostguest and structures/coordination, on the project's own fixtures
 * (tests/fixtures/structures, written by make_fixtures.py) and structures built here. */
#include <unistd.h>
#include <zlib.h>

#include "structures/coordination.h"
#include "structures/covalent.h"
#include "structures/fragments.h"
#include "structures/hostguest.h"
#include "tests/test.h"
#include "tests/unit/fixture_structures.h"

/* Loads a fixture and finds its fragments; returns 0 on success. */
static int load_frags(const char *rel, fx_structure *fx, cell_atoms *at, frag_set *fs, const int pbc[3])
{
    char path[1024];
    snprintf(path, sizeof path, "%s/structures/%s", FIXTURES(), rel);
    if (fx_load(path, fx) != 0) {
        printf("  cannot load %s\n", path);
        return -1;
    }
    ds_err err;
    if (cell_atoms_init(at, &fx->s, (const char (*)[4])fx->species, pbc, &err) != DS_OK) {
        printf("  %s: %s\n", rel, err.msg);
        return -1;
    }
    if (fragments_find(at, NULL, fs, &err) != DS_OK) {
        printf("  %s: %s\n", rel, err.msg);
        return -1;
    }
    return 0;
}

/* "formula/name/kind" of every fragment, joined by ' + '. */
static const char *summary(const frag_set *fs, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < fs->n_fragments; f++) {
        const fragment *fr = &fs->fragments[f];
        used += (size_t)snprintf(buf + used, len - used, "%s%s/%s/%s%d", f ? " + " : "", fr->formula,
                                 fr->name[0] ? fr->name : "-", frag_kind_name(fr->kind), fr->periodic_dimension);
        if (used >= len) break;
    }
    return buf;
}

static void expect_fragments(const char *rel, const char *expected)
{
    fx_structure fx;
    cell_atoms at;
    frag_set fs;
    char buf[1024];
    if (load_frags(rel, &fx, &at, &fs, NULL) != 0) {
        CHECK_MSG(0, "%s did not load", rel);
        fx_free(&fx);
        return;
    }
    CHECK_STR(summary(&fs, buf, sizeof buf), expected);
    /* every atom is in exactly the fragment fragment_of says */
    int total = 0;
    for (int f = 0; f < fs.n_fragments; f++) {
        total += fs.fragments[f].n_atoms;
        for (int k = 0; k < fs.fragments[f].n_atoms; k++) CHECK(fs.fragment_of[fs.fragments[f].atoms[k]] == f);
    }
    CHECK(total == at.n_atoms);
    frag_set_free(&fs);
    fx_free(&fx);
}

TEST(molecules_and_ions)
{
    expect_fragments("POSCAR_dmf", "C3H7NO/DMF/molecule0");
    expect_fragments("POSCAR_tfsi", "C2F6NO4S2/TFSI/molecule0");
    expect_fragments("POSCAR_pc", "C4H6O3/PC/molecule0");
    expect_fragments("POSCAR_li", "Li/Li+/atom0");
    expect_fragments("POSCAR_h2o", "H2O/H2O/molecule0");
}

TEST(cation_solvent_and_ion_pairs_split_at_the_metal)
{
    /* the cation's contact with one ligand is coordination, not a covalent bond */
    expect_fragments("POSCAR_li_dmf", "C3H7NO/DMF/molecule0 + Li/Li+/atom0");
    expect_fragments("POSCAR_na_pc2", "Na/Na+/atom0 + C4H6O3/PC/molecule0 + C4H6O3/PC/molecule0");
    expect_fragments("POSCAR_na_fec_ec", "C3H3FO3/FEC/molecule0 + C3H4O3/EC/molecule0 + Na/Na+/atom0");
    expect_fragments("POSCAR_na_tfsi", "C2F6NO4S2/TFSI/molecule0 + Na/Na+/atom0");
}

TEST(anion_on_a_metal_cluster)
{
    /* the formates bridge the two Cu (one cluster); TFSI touches one Cu (separate) */
    expect_fragments("POSCAR_cu2_formate4_tfsi", "C4H4Cu2O8/-/molecule0 + C2F6NO4S2/TFSI/molecule0");
}

/* Single atoms bonded to a metal stay with it (terminal oxo, a halide in a contact pair);
 * molecules bonded to one metal do not (see cation_solvent_...). */
TEST(single_atom_ligands_stay_with_the_metal)
{
    run_structure s;
    memset(&s, 0, sizeof s);
    run_structure_alloc(&s, 7);
    s.has_lattice = 1;
    for (int k = 0; k < 3; k++) s.lattice_angstrom[k][k] = 15;
    const double d = 1.76 / sqrt(3.0);
    const double pos[7][3] = {{5, 5, 5},         {5 + d, 5 + d, 5 + d}, {5 - d, 5 - d, 5 + d}, {5 - d, 5 + d, 5 - d},
                              {5 + d, 5 - d, 5 - d}, {10, 10, 10},       {12.1, 10, 10}};
    const char sp[7][4] = {"Mo", "O", "O", "O", "O", "Li", "Cl"};
    memcpy(s.positions_angstrom, pos, sizeof pos);
    cell_atoms at;
    frag_set fs;
    ds_err err;
    char buf[256];
    CHECK(cell_atoms_init(&at, &s, sp, NULL, &err) == DS_OK);
    CHECK(fragments_find(&at, NULL, &fs, &err) == DS_OK);
    CHECK_STR(summary(&fs, buf, sizeof buf), "MoO4/-/molecule0 + ClLi/-/molecule0");
    frag_set_free(&fs);
    run_structure_free(&s);
}

TEST(periodic_frameworks_layers_chains)
{
    expect_fragments("POSCAR_fecn3_framework", "C3FeN3/-/extended3");
    expect_fragments("POSCAR_fecn3_h2o", "C3FeN3/-/extended3 + H2O/H2O/molecule0");
    /* the same crystal in a strongly skewed cell with every atom wrapped */
    expect_fragments("POSCAR_fecn3_h2o_skewed", "C3FeN3/-/extended3 + H2O/H2O/molecule0");
    expect_fragments("POSCAR_graphene", "C2/-/extended2");
    expect_fragments("POSCAR_carbon_chain", "C2/-/extended1");
}

TEST(molecule_across_the_boundary_is_whole)
{
    fx_structure fx;
    cell_atoms at;
    frag_set fs;
    CHECK(load_frags("POSCAR_dmf", &fx, &at, &fs, NULL) == 0);
    frag_set_free(&fs);
    /* move DMF so that it straddles the corner of the box, and wrap every atom */
    for (int a = 0; a < fx.n_atoms; a++)
        for (int k = 0; k < 3; k++) {
            double x = fx.s.positions_angstrom[a][k] + 8.0 - 0.4;
            fx.s.positions_angstrom[a][k] = x - 16.0 * floor(x / 16.0);
        }
    ds_err err;
    CHECK(fragments_find(&at, NULL, &fs, &err) == DS_OK);
    CHECK(fs.n_fragments == 1);
    CHECK_STR(fs.fragments[0].name, "DMF");
    /* unwrapped positions make it compact again */
    double maxd = 0;
    for (int a = 0; a < fx.n_atoms; a++)
        for (int b = 0; b < fx.n_atoms; b++) {
            double d = 0;
            for (int k = 0; k < 3; k++) d += pow(fs.unwrapped[a][k] - fs.unwrapped[b][k], 2);
            if (sqrt(d) > maxd) maxd = sqrt(d);
        }
    CHECK_MSG(maxd < 5.0, "unwrapped DMF spans %.2f A", maxd);
    frag_set_free(&fs);
    /* without periodicity the pieces are separate */
    const int none[3] = {0, 0, 0};
    CHECK(cell_atoms_init(&at, &fx.s, (const char (*)[4])fx.species, none, &err) == DS_OK);
    CHECK(fragments_find(&at, NULL, &fs, &err) == DS_OK);
    CHECK(fs.n_fragments > 1);
    frag_set_free(&fs);
    fx_free(&fx);
}

/* Fragments do not depend on where the structure sits in the cell: shifted and wrapped so
 * that the cluster straddles every face, the same fragments come out, and the unwrapped
 * positions restore every intramolecular distance. */
TEST(invariant_under_shift_and_wrap)
{
    fx_structure fx;
    cell_atoms at;
    frag_set ref;
    CHECK(load_frags("POSCAR_cu2_formate4_tfsi", &fx, &at, &ref, NULL) == 0);
    int n = fx.n_atoms;
    double (*orig)[3] = malloc((size_t)n * sizeof *orig);
    memcpy(orig, fx.s.positions_angstrom, (size_t)n * sizeof *orig);
    const double shifts[3][3] = {{12.0, 12.0, 12.0}, {-8.3, 11.1, 2.9}, {10.5, -9.7, -11.2}};
    char a[512], b[512];
    summary(&ref, a, sizeof a);
    for (int t = 0; t < 3; t++) {
        for (int i = 0; i < n; i++)
            for (int k = 0; k < 3; k++) {
                double x = orig[i][k] + shifts[t][k];
                fx.s.positions_angstrom[i][k] = x - 20.0 * floor(x / 20.0);
            }
        frag_set fs;
        ds_err err;
        CHECK(fragments_find(&at, NULL, &fs, &err) == DS_OK);
        CHECK_STR(summary(&fs, b, sizeof b), a);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                if (fs.fragment_of[i] != fs.fragment_of[j]) continue;
                double d0 = 0, d1 = 0;
                for (int k = 0; k < 3; k++) {
                    d0 += pow(orig[i][k] - orig[j][k], 2);
                    d1 += pow(fs.unwrapped[i][k] - fs.unwrapped[j][k], 2);
                }
                CHECK_NEAR(sqrt(d1), sqrt(d0), 1e-9);
            }
        frag_set_free(&fs);
    }
    free(orig);
    frag_set_free(&ref);
    fx_free(&fx);
}

TEST(errors_overlap_unknown_radius_tolerance)
{
    fx_structure fx;
    cell_atoms at;
    frag_set fs;
    ds_err err;
    CHECK(load_frags("POSCAR_h2o", &fx, &at, &fs, NULL) == 0);
    frag_set_free(&fs);
    /* move H onto O */
    for (int k = 0; k < 3; k++) fx.s.positions_angstrom[1][k] = fx.s.positions_angstrom[0][k] + (k == 0 ? 0.2 : 0);
    CHECK(fragments_find(&at, NULL, &fs, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atoms 1 (O) and 2 (H) overlap: 0.200 A apart (closer than 0.5 A)") != NULL, "%s", err.msg);
    /* the check can be turned off */
    frag_opts o;
    frag_opts_default(&o);
    o.min_distance = 0;
    CHECK(fragments_find(&at, &o, &fs, &err) == DS_OK);
    frag_set_free(&fs);
    o.tolerance = -1;
    CHECK(fragments_find(&at, &o, &fs, &err) == DS_EUSAGE);
    /* an element beyond the covalent-radius table */
    strcpy(fx.species[2], "Bk");
    CHECK(cell_atoms_init(&at, &fx.s, (const char (*)[4])fx.species, NULL, &err) == DS_OK);
    CHECK(fragments_find(&at, &o, &fs, &err) != DS_OK);
    frag_opts_default(&o);
    o.min_distance = 0;
    CHECK(fragments_find(&at, &o, &fs, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "atom 3: no covalent radius for element 'Bk'") != NULL, "%s", err.msg);
    fx_free(&fx);
}

TEST(covalent_radii_table)
{
    /* Cordero et al. 2008, Table 2 */
    CHECK_NEAR(covalent_radius(1), 0.31, 0);
    CHECK_NEAR(covalent_radius(6), 0.76, 0);
    CHECK_NEAR(covalent_radius(3), 1.28, 0);
    CHECK_NEAR(covalent_radius(26), 1.32, 0);
    CHECK_NEAR(covalent_radius(30), 1.22, 0);
    CHECK_NEAR(covalent_radius(96), 1.69, 0);
    CHECK(covalent_radius(0) == 0 && covalent_radius(97) == 0);
}

TEST(hill_formulas_and_parsing)
{
    const char sp[6][4] = {"O", "H", "C", "N", "H", "Li"};
    char f[64];
    frag_hill_formula(sp, NULL, 6, f, sizeof f);
    CHECK_STR(f, "CH2LiNO");
    const int water[2] = {0, 1};
    frag_hill_formula(sp, water, 2, f, sizeof f);
    CHECK_STR(f, "HO");
    ds_err err;
    CHECK(frag_formula_parse("NOC3H7", f, sizeof f, &err) == DS_OK);
    CHECK_STR(f, "C3H7NO");
    CHECK(frag_formula_parse("S2O4NF6C2", f, sizeof f, &err) == DS_OK);
    CHECK_STR(f, "C2F6NO4S2");
    CHECK(frag_formula_parse("PF6", f, sizeof f, &err) == DS_OK);
    CHECK_STR(f, "F6P");
    CHECK(frag_formula_parse("HOH", f, sizeof f, &err) == DS_OK);
    CHECK_STR(f, "H2O");
    CHECK(frag_formula_parse("Xy2", f, sizeof f, &err) == DS_EUSAGE);
    CHECK(frag_formula_parse("c3h7", f, sizeof f, &err) == DS_EUSAGE);
    CHECK(frag_formula_parse("C0", f, sizeof f, &err) == DS_EUSAGE);
    CHECK(frag_formula_parse("", f, sizeof f, &err) == DS_EUSAGE);
    CHECK_STR(frag_name_lookup(NULL, "C3H7NO"), "DMF");
    CHECK_STR(frag_name_lookup(NULL, "Zn"), "Zn2+");
    CHECK(frag_name_lookup(NULL, "C99") == NULL);
}

static void write_text(const char *path, const char *text, size_t len, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, text, (unsigned)len);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(text, 1, len, f);
        fclose(f);
    }
}

TEST(user_name_file_plain_gzip_and_bad)
{
    const char *text = "# my electrolyte names\n"
                       "C6H4O2  BQ      # benzoquinone\n"
                       "\n"
                       "C3H7NO  dimethylformamide\n"
                       "Li      lithium\n";
    char path[64];
    snprintf(path, sizeof path, "/tmp/ds_fragnames_%d", (int)getpid());
    for (int gz = 0; gz < 2; gz++) {
        write_text(path, text, strlen(text), gz);
        frag_names names = {0, 0, NULL};
        ds_err err;
        CHECK(frag_names_load(path, &names, &err) == DS_OK);
        CHECK(names.n == 3);
        CHECK_STR(frag_name_lookup(&names, "C6H4O2"), "BQ");
        CHECK_STR(frag_name_lookup(&names, "C3H7NO"), "dimethylformamide"); /* user wins */
        CHECK_STR(frag_name_lookup(&names, "Li"), "lithium");
        CHECK_STR(frag_name_lookup(&names, "C2F6NO4S2"), "TFSI");          /* built-in still there */
        frag_names_free(&names);
    }
    const char *bad[] = {"C3H7NO\n", "C3H7NO DMF extra\n", "Qq2 foo\n", "C3H7NO a_name_that_is_far_too_long_to_keep\n"};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        char t[256];
        snprintf(t, sizeof t, "# header\n%s", bad[b]);
        write_text(path, t, strlen(t), 0);
        frag_names names = {0, 0, NULL};
        ds_err err;
        CHECK(frag_names_load(path, &names, &err) == DS_EFORMAT);
        CHECK_MSG(err.line == 2 && strcmp(err.file, path) == 0, "bad[%zu]: %s:%ld %s", b, err.file, err.line, err.msg);
        frag_names_free(&names);
    }
    /* truncated at every byte: loads fewer entries or says which line is wrong */
    size_t len = strlen(text);
    for (size_t cut = 0; cut <= len; cut++) {
        write_text(path, text, cut, cut % 2);
        frag_names names = {0, 0, NULL};
        ds_err err;
        int rc = frag_names_load(path, &names, &err);
        CHECK(rc == DS_OK || (rc == DS_EFORMAT && err.line > 0));
        CHECK(names.n <= 3);
        frag_names_free(&names);
    }
    /* binary garbage */
    unsigned char junk[300];
    for (int i = 0; i < 300; i++) junk[i] = (unsigned char)(i * 37 + 11);
    write_text(path, (const char *)junk, sizeof junk, 0);
    frag_names names = {0, 0, NULL};
    ds_err err;
    CHECK(frag_names_load(path, &names, &err) != DS_OK);
    frag_names_free(&names);
    unlink(path);
    CHECK(frag_names_load("/nonexistent/names", &names, &err) == DS_EIO);
}

TEST(user_names_reach_the_fragments)
{
    fx_structure fx;
    cell_atoms at;
    frag_set fs;
    CHECK(load_frags("POSCAR_li_dmf", &fx, &at, &fs, NULL) == 0);
    frag_set_free(&fs);
    frag_names names = {0, 0, NULL};
    frag_name e = {"C3H7NO", "solvent-A"};
    names.entries = &e;
    names.n = names.cap = 1;
    frag_opts o;
    frag_opts_default(&o);
    o.names = &names;
    ds_err err;
    CHECK(fragments_find(&at, &o, &fs, &err) == DS_OK);
    CHECK_STR(fs.fragments[0].name, "solvent-A");
    CHECK_STR(fs.fragments[1].name, "Li+");
    frag_set_free(&fs);
    fx_free(&fx);
}

int main(void)
{
    RUN(molecules_and_ions);
    RUN(cation_solvent_and_ion_pairs_split_at_the_metal);
    RUN(anion_on_a_metal_cluster);
    RUN(single_atom_ligands_stay_with_the_metal);
    RUN(periodic_frameworks_layers_chains);
    RUN(molecule_across_the_boundary_is_whole);
    RUN(invariant_under_shift_and_wrap);
    RUN(errors_overlap_unknown_radius_tolerance);
    RUN(covalent_radii_table);
    RUN(hill_formulas_and_parsing);
    RUN(user_name_file_plain_gzip_and_bad);
    RUN(user_names_reach_the_fragments);
    return TEST_FINISH();
}
