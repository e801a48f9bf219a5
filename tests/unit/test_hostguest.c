/* Unit tests for structures/hostguest (guest atoms of a complex from its parts) and
 * structures/coordination (metal-site shells, open sites, nearest guest), on the fixtures
 * of tests/fixtures/structures and structures built from them here. */
#include "structures/coordination.h"
#include "structures/hostguest.h"
#include "tests/test.h"
#include "tests/unit/fixture_structures.h"

typedef struct {
    fx_structure fx;
    cell_atoms at;
} fx_view;

static int open_fx(const char *rel, fx_view *v)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/structures/%s", FIXTURES(), rel);
    if (fx_load(path, &v->fx) != 0) {
        printf("  cannot load %s\n", path);
        return -1;
    }
    ds_err err;
    if (cell_atoms_init(&v->at, &v->fx.s, (const char (*)[4])v->fx.species, NULL, &err) != DS_OK) {
        printf("  %s: %s\n", rel, err.msg);
        return -1;
    }
    return 0;
}

/* A structure built from two others (atoms of a, then of b), in a's cell. */
static void concat(const fx_view *a, const fx_view *b, fx_view *out)
{
    memset(out, 0, sizeof *out);
    int n = a->fx.n_atoms + b->fx.n_atoms;
    run_structure_alloc(&out->fx.s, n);
    out->fx.s.has_lattice = 1;
    memcpy(out->fx.s.lattice_angstrom, a->fx.s.lattice_angstrom, sizeof out->fx.s.lattice_angstrom);
    out->fx.species = calloc((size_t)n, sizeof *out->fx.species);
    out->fx.n_atoms = n;
    for (int i = 0; i < n; i++) {
        const fx_view *src = i < a->fx.n_atoms ? a : b;
        int j = i < a->fx.n_atoms ? i : i - a->fx.n_atoms;
        memcpy(out->fx.s.positions_angstrom[i], src->fx.s.positions_angstrom[j], sizeof(double[3]));
        memcpy(out->fx.species[i], src->fx.species[j], 4);
    }
    ds_err err;
    cell_atoms_init(&out->at, &out->fx.s, (const char (*)[4])out->fx.species, NULL, &err);
}

/* The atoms of src where mask is set, in order, in src's cell. */
static void subset(const fx_view *src, const unsigned char *mask, fx_view *out)
{
    memset(out, 0, sizeof *out);
    int n = 0;
    for (int i = 0; i < src->fx.n_atoms; i++) n += mask[i] != 0;
    run_structure_alloc(&out->fx.s, n);
    out->fx.s.has_lattice = 1;
    memcpy(out->fx.s.lattice_angstrom, src->fx.s.lattice_angstrom, sizeof out->fx.s.lattice_angstrom);
    out->fx.species = calloc((size_t)n, sizeof *out->fx.species);
    out->fx.n_atoms = n;
    for (int i = 0, k = 0; i < src->fx.n_atoms; i++) {
        if (!mask[i]) continue;
        memcpy(out->fx.s.positions_angstrom[k], src->fx.s.positions_angstrom[i], sizeof(double[3]));
        memcpy(out->fx.species[k++], src->fx.species[i], 4);
    }
    ds_err err;
    cell_atoms_init(&out->at, &out->fx.s, (const char (*)[4])out->fx.species, NULL, &err);
}

TEST(shared_formula_is_shared_out_by_geometry)
{
    /* Na+(PC)2 from host Na+(PC) and guest PC: both parts hold a PC; the complex's PC
     * that sits where the host's PC is belongs to the host */
    fx_view c;
    CHECK(open_fx("POSCAR_na_pc2", &c) == 0);
    frag_set fs;
    ds_err err;
    CHECK(fragments_find(&c.at, NULL, &fs, &err) == DS_OK);
    CHECK(fs.n_fragments == 3);
    unsigned char hmask[64] = {0}, gmask[64] = {0};
    for (int i = 0; i < c.fx.n_atoms; i++) {
        hmask[i] = fs.fragment_of[i] != 2;
        gmask[i] = fs.fragment_of[i] == 2;
    }
    fx_view host, guest;
    subset(&c, hmask, &host);
    subset(&c, gmask, &guest);
    /* the parts were relaxed on their own: move them a little */
    for (int a = 0; a < host.fx.n_atoms; a++) host.fx.s.positions_angstrom[a][1] += 0.3;
    for (int a = 0; a < guest.fx.n_atoms; a++) guest.fx.s.positions_angstrom[a][2] -= 0.4;
    hg_map map;
    CHECK(hostguest_map(&c.at, &host.at, &guest.at, NULL, &map, &err) == DS_OK);
    CHECK_STR(map.method, "fragments");
    CHECK(map.n_guest == 13);
    for (int i = 0; i < c.fx.n_atoms; i++) CHECK(map.guest[i] == gmask[i]);
    hg_map_free(&map);
    /* and with the guest's PC declared as host and vice versa */
    for (int i = 0; i < c.fx.n_atoms; i++) {
        hmask[i] = fs.fragment_of[i] != 1;
        gmask[i] = fs.fragment_of[i] == 1;
    }
    fx_free(&host.fx), fx_free(&guest.fx);
    subset(&c, hmask, &host);
    subset(&c, gmask, &guest);
    CHECK(hostguest_map(&c.at, &host.at, &guest.at, NULL, &map, &err) == DS_OK);
    for (int i = 0; i < c.fx.n_atoms; i++) CHECK(map.guest[i] == gmask[i]);
    hg_map_free(&map);
    fx_free(&host.fx), fx_free(&guest.fx);
    frag_set_free(&fs);
    fx_free(&c.fx);
}

TEST(cation_dmf_from_its_parts)
{
    fx_view c, li, dmf;
    CHECK(open_fx("POSCAR_li_dmf", &c) == 0 && open_fx("POSCAR_li", &li) == 0 && open_fx("POSCAR_dmf", &dmf) == 0);
    hg_map map;
    ds_err err;
    /* host Li+, guest DMF: the DMF atoms (1-12) are the guest */
    CHECK(hostguest_map(&c.at, &li.at, &dmf.at, NULL, &map, &err) == DS_OK);
    CHECK_STR(map.method, "fragments");
    CHECK(map.n_guest == 12);
    for (int i = 0; i < 13; i++) CHECK(map.guest[i] == (strcmp(c.fx.species[i], "Li") != 0));
    hg_map_free(&map);
    /* the other way round */
    CHECK(hostguest_map(&c.at, &dmf.at, &li.at, NULL, &map, &err) == DS_OK);
    CHECK(map.n_guest == 1 && map.guest[12] == 1);
    hg_map_free(&map);
    /* wrong parts: composition does not add up */
    fx_view na;
    CHECK(open_fx("POSCAR_na", &na) == 0);
    CHECK(hostguest_map(&c.at, &na.at, &dmf.at, NULL, &map, &err) == DS_EFORMAT);
    CHECK_MSG(strstr(err.msg, "Li: complex 1, host 0 + guest 0; Na: complex 0, host 1 + guest 0") != NULL, "%s", err.msg);
    fx_free(&na.fx);
    fx_free(&c.fx), fx_free(&li.fx), fx_free(&dmf.fx);
}

TEST(guest_in_a_framework)
{
    fx_view c, host, w;
    CHECK(open_fx("POSCAR_fecn3_h2o", &c) == 0 && open_fx("POSCAR_fecn3_framework", &host) == 0 && open_fx("POSCAR_h2o", &w) == 0);
    hg_map map;
    ds_err err;
    CHECK(hostguest_map(&c.at, &host.at, &w.at, NULL, &map, &err) == DS_OK);
    CHECK(map.n_guest == 3);
    for (int i = 0; i < c.fx.n_atoms; i++)
        CHECK(map.guest[i] == (strcmp(c.fx.species[i], "O") == 0 || strcmp(c.fx.species[i], "H") == 0));
    hg_map_free(&map);
    fx_free(&c.fx), fx_free(&host.fx), fx_free(&w.fx);
}

TEST(chemisorbed_guest_falls_back_on_atom_order)
{
    fx_view g;
    CHECK(open_fx("POSCAR_graphene", &g) == 0);
    /* epoxide O over the C-C bond: bonded to both C, so host and guest share a fragment */
    fx_view o;
    memset(&o, 0, sizeof o);
    run_structure_alloc(&o.fx.s, 1);
    o.fx.s.has_lattice = 1;
    memcpy(o.fx.s.lattice_angstrom, g.fx.s.lattice_angstrom, sizeof o.fx.s.lattice_angstrom);
    o.fx.species = calloc(1, sizeof *o.fx.species);
    strcpy(o.fx.species[0], "O");
    o.fx.n_atoms = 1;
    for (int k = 0; k < 3; k++)
        o.fx.s.positions_angstrom[0][k] = 0.5 * (g.fx.s.positions_angstrom[0][k] + g.fx.s.positions_angstrom[1][k]);
    o.fx.s.positions_angstrom[0][2] += 1.25;
    ds_err err;
    CHECK(cell_atoms_init(&o.at, &o.fx.s, (const char (*)[4])o.fx.species, NULL, &err) == DS_OK);
    fx_view c;
    concat(&g, &o, &c);
    hg_map map;
    CHECK(hostguest_map(&c.at, &g.at, &o.at, NULL, &map, &err) == DS_OK);
    CHECK_STR(map.method, "atom order (host first)");
    CHECK(map.n_guest == 1 && map.guest[2] == 1);
    hg_map_free(&map);
    fx_free(&c.fx);
    concat(&o, &g, &c);
    CHECK(hostguest_map(&c.at, &g.at, &o.at, NULL, &map, &err) == DS_OK);
    CHECK_STR(map.method, "atom order (guest first)");
    CHECK(map.guest[0] == 1 && map.n_guest == 1);
    hg_map_free(&map);
    /* C, O, C: neither order, and the fragments merged: a clear error */
    char sp1[4];
    memcpy(sp1, c.fx.species[1], 4);
    memcpy(c.fx.species[1], c.fx.species[0], 4);
    memcpy(c.fx.species[0], sp1, 4);
    double p[3];
    memcpy(p, c.fx.s.positions_angstrom[1], sizeof p);
    memcpy(c.fx.s.positions_angstrom[1], c.fx.s.positions_angstrom[0], sizeof p);
    memcpy(c.fx.s.positions_angstrom[0], p, sizeof p);
    CHECK(hostguest_map(&c.at, &g.at, &o.at, NULL, &map, &err) == DS_ENODATA);
    CHECK_MSG(strstr(err.msg, "cannot tell which atoms are the guest") != NULL && strstr(err.msg, "C2O") != NULL, "%s",
              err.msg);
    fx_free(&c.fx), fx_free(&g.fx), fx_free(&o.fx);
}

static const coord_site *site_of(const coord_set *cs, int atom)
{
    for (int s = 0; s < cs->n_sites; s++)
        if (cs->sites[s].atom == atom) return &cs->sites[s];
    return NULL;
}

TEST(cation_site_is_open_and_sees_the_solvent)
{
    fx_view c;
    CHECK(open_fx("POSCAR_li_dmf", &c) == 0);
    frag_set fs;
    ds_err err;
    CHECK(fragments_find(&c.at, NULL, &fs, &err) == DS_OK);
    coord_set cs;
    CHECK(coordination_analyse(&c.at, &fs, NULL, NULL, NULL, &cs, &err) == DS_OK);
    CHECK(cs.n_sites == 1);
    const coord_site *li = &cs.sites[0];
    CHECK_STR(li->element, "Li");
    CHECK(li->coordination == 1 && li->host_coordination == 0 && li->usual == 4 && li->open_site == 1);
    CHECK(li->nearest_guest >= 0 && strcmp(c.fx.species[li->nearest_guest], "O") == 0);
    CHECK_NEAR(li->nearest_guest_distance, 1.80, 1e-6);
    CHECK_NEAR(li->distances[0], 1.80, 1e-6);
    coord_set_free(&cs);
    /* a fixed cutoff takes in more of the molecule, nearest first */
    coord_opts o;
    coord_opts_default(&o);
    o.cutoff = 3.5;
    CHECK(coordination_analyse(&c.at, &fs, NULL, NULL, &o, &cs, &err) == DS_OK);
    CHECK(cs.sites[0].coordination >= 2);
    for (int k = 1; k < cs.sites[0].coordination; k++) CHECK(cs.sites[0].distances[k] >= cs.sites[0].distances[k - 1]);
    coord_set_free(&cs);
    o.cutoff = -1;
    CHECK(coordination_analyse(&c.at, &fs, NULL, NULL, &o, &cs, &err) == DS_EUSAGE);
    frag_set_free(&fs);
    fx_free(&c.fx);
}

TEST(paddlewheel_open_sites_and_axial_anion)
{
    fx_view c;
    CHECK(open_fx("POSCAR_cu2_formate4_tfsi", &c) == 0);
    frag_set fs;
    ds_err err;
    CHECK(fragments_find(&c.at, NULL, &fs, &err) == DS_OK);
    coord_set cs;
    CHECK(coordination_analyse(&c.at, &fs, NULL, NULL, NULL, &cs, &err) == DS_OK);
    CHECK(cs.n_sites == 2);
    /* atoms 1, 2 are Cu (first in the file); Cu2 (z = +1.3) carries the TFSI */
    const coord_site *a = site_of(&cs, 0), *b = site_of(&cs, 1);
    CHECK(a && b);
    if (a && b) {
        const coord_site *top = c.fx.s.positions_angstrom[0][2] > c.fx.s.positions_angstrom[1][2] ? a : b;
        const coord_site *bottom = top == a ? b : a;
        CHECK(bottom->coordination == 4 && bottom->host_coordination == 4 && bottom->n_metal_neighbors == 1);
        CHECK(bottom->usual == 5 && bottom->open_site == 1);
        CHECK(top->coordination == 5 && top->host_coordination == 4 && top->open_site == 1);
        CHECK_STR(c.fx.species[top->nearest_guest], "O");
        CHECK_NEAR(top->nearest_guest_distance, 2.30, 1e-6);
        CHECK(bottom->nearest_guest_distance > 4.0);
    }
    coord_set_free(&cs);
    /* with a usual coordination of 4 for Cu the paddlewheel is saturated */
    coord_opts o;
    coord_opts_default(&o);
    o.usual_override[29] = 4;
    CHECK(coordination_analyse(&c.at, &fs, NULL, NULL, &o, &cs, &err) == DS_OK);
    CHECK(cs.sites[0].open_site == 0 && cs.sites[1].open_site == 0);
    coord_set_free(&cs);
    /* only selected sites */
    unsigned char only[64] = {0};
    only[1] = 1;
    CHECK(coordination_analyse(&c.at, &fs, NULL, only, NULL, &cs, &err) == DS_OK);
    CHECK(cs.n_sites == 1 && cs.sites[0].atom == 1);
    coord_set_free(&cs);
    frag_set_free(&fs);
    fx_free(&c.fx);
}

TEST(framework_metal_saturated_guest_by_mask_metallic_unknown)
{
    fx_view c, host, w;
    CHECK(open_fx("POSCAR_fecn3_h2o", &c) == 0 && open_fx("POSCAR_fecn3_framework", &host) == 0 && open_fx("POSCAR_h2o", &w) == 0);
    hg_map map;
    ds_err err;
    CHECK(hostguest_map(&c.at, &host.at, &w.at, NULL, &map, &err) == DS_OK);
    coord_set cs;
    CHECK(coordination_analyse(&c.at, NULL, map.guest, NULL, NULL, &cs, &err) == DS_OK);
    CHECK(cs.n_sites == 1);
    CHECK(cs.sites[0].coordination == 6 && cs.sites[0].host_coordination == 6 && cs.sites[0].open_site == 0);
    /* nearest guest atom against a brute-force minimum image over 27 cells */
    double best = INFINITY;
    for (int j = 0; j < c.fx.n_atoms; j++) {
        if (!map.guest[j]) continue;
        for (int x = -1; x <= 1; x++)
            for (int y = -1; y <= 1; y++)
                for (int z = -1; z <= 1; z++) {
                    double d = 0;
                    for (int k = 0; k < 3; k++) {
                        double v = c.fx.s.positions_angstrom[j][k] + x * c.fx.s.lattice_angstrom[0][k] +
                                   y * c.fx.s.lattice_angstrom[1][k] + z * c.fx.s.lattice_angstrom[2][k] -
                                   c.fx.s.positions_angstrom[0][k];
                        d += v * v;
                    }
                    if (sqrt(d) < best) best = sqrt(d);
                }
    }
    CHECK_NEAR(cs.sites[0].nearest_guest_distance, best, 1e-9);
    coord_set_free(&cs);
    hg_map_free(&map);
    /* no guest information: no nearest guest */
    CHECK(coordination_analyse(&host.at, NULL, NULL, NULL, NULL, &cs, &err) == DS_OK);
    CHECK(cs.sites[0].nearest_guest == -1 && isnan(cs.sites[0].nearest_guest_distance));
    coord_set_free(&cs);
    /* bcc Fe: only metal neighbours, not a coordination site */
    run_structure s;
    memset(&s, 0, sizeof s);
    run_structure_alloc(&s, 1);
    s.has_lattice = 1;
    const double a = 2.87;
    const double lat[3][3] = {{-a / 2, a / 2, a / 2}, {a / 2, -a / 2, a / 2}, {a / 2, a / 2, -a / 2}};
    memcpy(s.lattice_angstrom, lat, sizeof lat);
    const char fe[1][4] = {"Fe"};
    cell_atoms at;
    CHECK(cell_atoms_init(&at, &s, fe, NULL, &err) == DS_OK);
    CHECK(coordination_analyse(&at, NULL, NULL, NULL, NULL, &cs, &err) == DS_OK);
    /* 1.2 * (1.32 + 1.32) = 3.17 A takes in both shells (8 at 2.49 A, 6 at 2.87 A) */
    CHECK(cs.sites[0].coordination == 0 && cs.sites[0].n_metal_neighbors == 14 && cs.sites[0].open_site == -1);
    coord_set_free(&cs);
    run_structure_free(&s);
    CHECK(coordination_usual(30) == 4 && coordination_usual(29) == 5 && coordination_usual(64) == 8 &&
          coordination_usual(8) == 0);
    fx_free(&c.fx), fx_free(&host.fx), fx_free(&w.fx);
}

int main(void)
{
    RUN(cation_dmf_from_its_parts);
    RUN(guest_in_a_framework);
    RUN(shared_formula_is_shared_out_by_geometry);
    RUN(chemisorbed_guest_falls_back_on_atom_order);
    RUN(cation_site_is_open_and_sees_the_solvent);
    RUN(paddlewheel_open_sites_and_axial_anion);
    RUN(framework_metal_saturated_guest_by_mask_metallic_unknown);
    return TEST_FINISH();
}
