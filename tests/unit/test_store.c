/* Unit tests for screen/store: a run written to HDF5 and read back is the same run;
 * a corrupted store is refused with a message. */
#include <unistd.h>

#include "screen/campaign_store.h"
#include "screen/store.h"
#include "screen/store_io.h"
#include "screen/store_seal.h"
#include "tests/test.h"
#include "tests/store_test.h"

static void make_run(ds_run *run)
{
    run_init(run);
    run->code = RUN_CODE_VASP;
    snprintf(run->path, sizeof run->path, "runs/feo");
    snprintf(run->code_version, sizeof run->code_version, "5.3.5");
    run_set_species(run, 2);
    snprintf(run->species[0], 4, "Fe");
    snprintf(run->species[1], 4, "O");
    run->kind_of_atom[0] = 0;
    run->kind_of_atom[1] = 1;
    run->n_kinds = 2;
    run->kinds = calloc(2, sizeof *run->kinds);
    snprintf(run->kinds[0].symbol, 4, "Fe");
    snprintf(run->kinds[1].symbol, 4, "O");
    run->kinds[0].zval = 8;
    run->kinds[1].zval = 6;
    run->kinds[0].mass_amu = run->kinds[1].mass_amu = NAN;
    snprintf(run->kinds[0].pseudopotential, 96, "PAW_PBE Fe 06Sep2000");
    run->has_final = 1;
    run_structure_alloc(&run->final, 2);
    run->final.has_lattice = 1;
    run->final.lattice_angstrom[0][0] = 4.3;
    run->final.lattice_angstrom[1][1] = 4.3;
    run->final.lattice_angstrom[2][2] = 4.3;
    run->final.positions_angstrom[1][0] = 2.15;
    for (int i = 0; i < 3; i++) {
        run_step *s = run_push_step(run);
        s->energy_free_eV = -10.0 - i * 0.123456789012345;
        s->energy_sigma0_eV = -10.01 - i * 0.1;
        s->n_scf_steps = 10 + i;
        s->scf_converged = 1;
        run_structure_alloc(&s->structure, 2);
        s->structure.has_lattice = 1;
        s->structure.positions_angstrom[1][2] = 0.1 * i;
        s->has_structure = 1;
    }
    run->fermi_eV = 2.41549698;
    run->has_eigen = 1;
    run->eigen.n_spins = 2;
    run->eigen.n_kpoints = 1;
    run->eigen.n_bands = 3;
    run->eigen.energies_eV = malloc(6 * sizeof(double));
    run->eigen.occupations = malloc(6 * sizeof(double));
    for (int i = 0; i < 6; i++) {
        run->eigen.energies_eV[i] = -3 + i;
        run->eigen.occupations[i] = i % 3 < 2;
    }
    run->converged_electronic = 1;
    run->converged_ionic = 0;
    run->terminated_normally = 1;
    run_add_param(run, "ENCUT", "520.0");
    run_add_warning(run, "a warning with, commas");
    run_add_source(run, "energy", "runs/feo/vasprun.xml");
    run_charges *c = run_add_charges(run, "mulliken", 2);
    c->net_charge_e[0] = 1.1;
    c->net_charge_e[1] = -1.1;
    c = run_add_charges(run, "hirshfeld", 2); /* after mulliken, as CP2K prints them */
    c->net_charge_e[0] = 0.7;
    c->spin_moment = calloc(2, sizeof(double));
    c->spin_moment[0] = 3.5;
    snprintf(run->settings.functional_raw, sizeof run->settings.functional_raw, "PE");
    run->settings.encut_eV = 520.0;
    run->settings.kmesh[0] = run->settings.kmesh[1] = 4;
    run->settings.kmesh[2] = 2;
    run->settings.ismear = -5;
    run->settings.ediffg = -0.02;
    snprintf(run->settings.ldau_u_eV, sizeof run->settings.ldau_u_eV, "5.3 0.0");
    run->magnetization_per_site = malloc(2 * sizeof(double));
    run->magnetization_per_site[0] = 3.61;
    run->magnetization_per_site[1] = -0.02;
    run->bsse.present = 1;
    run->bsse.n_fragments = 2;
    run->bsse.n_configs = 2;
    run->bsse.energies_Ha[1] = -76.123456789012;
    snprintf(run->bsse.labels[1], sizeof run->bsse.labels[1], "frag 1 in basis 1+2");
    snprintf(run->bsse.conf[1], sizeof run->bsse.conf[1], "11");
    run->bsse.correction_eV = 0.0123;
}

TEST(round_trip_every_field)
{
    char path[] = "/tmp/ds_store_testXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    ds_run run, back;
    make_run(&run);
    ds_err err;
    hid_t f = campaign_store_create(path, &err);
    CHECK(f >= 0);
    hid_t runs = H5Gcreate2(f, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(runs, "r0000000", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(store_write_run(g, &run, "{\"code\":\"vasp\"}", &err) == DS_OK);
    H5Gclose(g);
    H5Gclose(runs);
    H5Fclose(f);
    CHECK(store_seal_write(path, &err) == DS_OK);
    f = campaign_store_open_read(path, &err);
    CHECK(f >= 0);
    g = H5Gopen2(f, "/runs/r0000000", H5P_DEFAULT);
    run_init(&back);
    CHECK(store_read_run(g, &back, &err) == DS_OK);
    char *json = store_get_text(g, "show_json");
    CHECK_STR(json, "{\"code\":\"vasp\"}");
    free(json);
    H5Gclose(g);
    H5Fclose(f);
    CHECK(back.code == RUN_CODE_VASP && back.n_atoms == 2);
    CHECK_STR(back.species[1], "O");
    CHECK(back.n_kinds == 2 && back.kinds[0].zval == 8);
    CHECK_STR(back.kinds[0].pseudopotential, "PAW_PBE Fe 06Sep2000");
    CHECK(back.n_steps == 3);
    CHECK(back.steps[2].energy_free_eV == run.steps[2].energy_free_eV); /* bit-exact */
    CHECK(back.steps[1].n_scf_steps == 11 && back.steps[2].has_structure);
    CHECK(back.steps[2].structure.positions_angstrom[1][2] == run.steps[2].structure.positions_angstrom[1][2]);
    CHECK(back.has_final && back.final.positions_angstrom[1][0] == 2.15);
    CHECK(back.fermi_eV == 2.41549698);
    CHECK(back.has_eigen && back.eigen.n_spins == 2 && back.eigen.n_bands == 3 && back.eigen.energies_eV[5] == 2);
    CHECK(back.converged_ionic == 0 && back.terminated_normally == 1);
    CHECK_STR(run_param_get(&back, "ENCUT"), "520.0");
    CHECK(back.n_warnings == 1 && strcmp(back.warnings[0], "a warning with, commas") == 0);
    CHECK_STR(run_source_of(&back, "energy"), "runs/feo/vasprun.xml");
    CHECK(back.n_charges == 2 && back.charges[0].net_charge_e[1] == -1.1);
    CHECK(back.n_charges == 2 && strcmp(back.charges[1].method, "hirshfeld") == 0 && back.charges[1].spin_moment &&
          back.charges[1].spin_moment[0] == 3.5 && !back.charges[0].spin_moment);
    CHECK_STR(back.settings.functional_raw, "PE");
    CHECK(back.settings.encut_eV == 520.0 && back.settings.kmesh[2] == 2 && back.settings.ismear == -5 &&
          back.settings.ediffg == -0.02 && back.settings.nsw == run.settings.nsw && isnan(back.settings.cutoff_Ry));
    CHECK_STR(back.settings.ldau_u_eV, "5.3 0.0");
    CHECK(back.magnetization_per_site && back.magnetization_per_site[0] == 3.61 && back.magnetization_per_site[1] == -0.02);
    CHECK(back.bsse.present && back.bsse.n_configs == 2 && back.bsse.energies_Ha[1] == -76.123456789012 &&
          back.bsse.correction_eV == 0.0123);
    CHECK_STR(back.bsse.labels[1], "frag 1 in basis 1+2");
    CHECK_STR(back.bsse.conf[1], "11");
    CHECK(run_energy_eV(&back) == run_energy_eV(&run));
    run_free(&run);
    run_free(&back);
    unlink(path);
}

TEST(corrupted_store_is_refused_not_crashed)
{
    char path[] = "/tmp/ds_store_badXXXXXX";
    int fd = mkstemp(path);
    if (write(fd, "this is not HDF5 at all, just text", 34) != 34) CHECK(0);
    close(fd);
    ds_err err;
    CHECK(campaign_store_open_read(path, &err) < 0);
    CHECK_MSG(strstr(err.msg, "no valid dftscreen seal") != NULL, "%s", err.msg);
    campaign_index idx;
    CHECK(campaign_index_open(path, &idx, &err) != DS_OK);
    CHECK(strstr(err.msg, "left untouched") != NULL);
    campaign_index_close(&idx);
    unlink(path);
}

/* Attributes are created, never silently overwritten: a name already there is an error, and
 * store_attr_remove then a new write replaces it, whatever its type and size were. */
TEST(attributes_are_replaced_only_when_removed_first)
{
    char path[] = "/tmp/ds_store_attrXXXXXX";
    hid_t f = scratch_file(path);
    hid_t g = H5Gcreate2(f, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(store_attr_str(g, "a", "short") == DS_OK && store_attr_str(g, "a", "a longer value") == DS_EIO);
    char buf[64];
    store_get_str(g, "a", buf, sizeof buf);
    CHECK_STR(buf, "short");
    CHECK(store_attr_remove(g, "a") == DS_OK && store_attr_str(g, "a", "a longer value") == DS_OK);
    store_get_str(g, "a", buf, sizeof buf);
    CHECK_STR(buf, "a longer value");
    CHECK(store_attr_long(g, "n", 1) == DS_OK && store_attr_remove(g, "n") == DS_OK && store_attr_long(g, "n", 7) == DS_OK);
    CHECK(store_attr_str(g, "x", "text") == DS_OK && store_attr_remove(g, "x") == DS_OK &&
          store_attr_double(g, "x", 2.5) == DS_OK);
    CHECK(store_attr_remove(g, "never_written") == DS_OK);
    CHECK(store_get_long(g, "n", -1) == 7);
    CHECK(store_get_double(g, "x") == 2.5);
    H5O_info_t info;
    CHECK(H5Oget_info2(g, &info, H5O_INFO_NUM_ATTRS) >= 0 && info.num_attrs == 3);
    H5Gclose(g);
    H5Fclose(f);
    unlink(path);
}

/* String tables are stored as wide as their longest entry (a 96-byte field holding at most
 * "PBE" costs 3 bytes a row), NUL-padded, and read back into wider fields unchanged; an entry
 * that fills its whole field (no NUL) keeps every byte. */
TEST(string_tables_are_as_wide_as_their_longest_entry)
{
    char path[] = "/tmp/ds_store_strXXXXXX";
    hid_t f = scratch_file(path);
    char values[3][96] = {"PBE", "", "520"}, full[2][4];
    memcpy(full[0], "Zn", 3);
    memcpy(full[1], "abcd", 4); /* no NUL: the whole field */
    CHECK(store_put_strings(f, "v", 3, 96, &values[0][0]) == DS_OK && store_put_strings(f, "w", 2, 4, &full[0][0]) == DS_OK);
    CHECK(store_put_strings(f, "empty", 2, 48, (const char[96]){0}) == DS_OK);
    const char *names[3] = {"v", "w", "empty"};
    size_t want[3] = {3, 4, 1};
    for (int i = 0; i < 3; i++) {
        hid_t d = H5Dopen2(f, names[i], H5P_DEFAULT), t = H5Dget_type(d);
        CHECK_MSG(H5Tget_size(t) == want[i], "%s: %zu bytes a row", names[i], H5Tget_size(t));
        H5Tclose(t);
        H5Dclose(d);
    }
    hsize_t n = 0;
    char *back = store_get_strings(f, "v", &n, 96);
    CHECK(back && n == 3 && strcmp(back, "PBE") == 0 && back[96] == '\0' && strcmp(back + 192, "520") == 0);
    free(back);
    back = store_get_strings(f, "w", &n, 4);
    CHECK(back && n == 2 && memcmp(back, "Zn\0\0abcd", 8) == 0);
    free(back);
    H5Fclose(f);
    unlink(path);
}

/* Large arrays go to the file as chunks compressed by ISA-L's igzip (screen/store_chunk.c): edge
 * chunks that run past the array (5 rows in chunks of 3), chunks that do not compress
 * (stored raw with the filter masked) and long texts must all read back bit for bit, through
 * HDF5's own deflate filter. */
TEST(large_arrays_round_trip_through_direct_chunks)
{
    char path[] = "/tmp/ds_store_chunkXXXXXX";
    hid_t f = scratch_file(path);
    hsize_t dims[3] = {5, 3, 20001}, n = dims[0] * dims[1] * dims[2];
    double *v = malloc(n * sizeof *v);
    unsigned long long x = 88172645463325252ULL; /* xorshift: random bits do not compress */
    for (hsize_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double r;
        memcpy(&r, &x, sizeof r);
        v[i] = i < n / 2 ? (i % 7 == 0 ? 0.0 : 0.0123 * (double)(i % 13)) : (isfinite(r) ? r : NAN);
    }
    size_t text_len = 100000;
    char *text = malloc(text_len + 1);
    for (size_t i = 0; i < text_len; i++) text[i] = (char)('a' + (i * 7 + i / 13) % 26);
    text[text_len] = '\0';
    CHECK(store_put_doubles(f, "big", 3, dims, v, "eV") == DS_OK);
    CHECK(store_put_text(f, "text", text) == DS_OK);
    /* cut along its second dim ([1][10][20001] chunks): blocks that start inside a row of the
     * first dim, deflated from the array itself (no gathered copy) */
    hsize_t dims2[3] = {2, 20, 20001}, n2 = dims2[0] * dims2[1] * dims2[2];
    double *v2 = malloc(n2 * sizeof *v2);
    for (hsize_t i = 0; v2 && i < n2; i++) v2[i] = (double)(i % 1000) * 0.25 + (double)(i / 400020);
    CHECK(v2 && store_put_doubles(f, "big2", 3, dims2, v2, "eV") == DS_OK);
    H5Fclose(f);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hsize_t count = 0;
    double *back = store_get_doubles(f, "big", &count);
    CHECK(back && count == n);
    hsize_t bad = 0;
    for (hsize_t i = 0; back && i < n; i++) bad += memcmp(&back[i], &v[i], sizeof v[i]) != 0;
    CHECK_MSG(bad == 0, "%llu values differ", (unsigned long long)bad);
    double *back2 = store_get_doubles(f, "big2", &count);
    CHECK(back2 && count == n2);
    bad = 0;
    for (hsize_t i = 0; back2 && v2 && i < n2; i++) bad += memcmp(&back2[i], &v2[i], sizeof v2[i]) != 0;
    CHECK_MSG(bad == 0, "big2: %llu values differ", (unsigned long long)bad);
    hid_t d2 = H5Dopen2(f, "big2", H5P_DEFAULT), dcpl2 = H5Dget_create_plist(d2);
    hsize_t cdims[3] = {0, 0, 0};
    CHECK(H5Pget_chunk(dcpl2, 3, cdims) == 3 && cdims[0] == 1 && cdims[1] == 10 && cdims[2] == 20001);
    H5Pclose(dcpl2);
    H5Dclose(d2);
    free(back2);
    free(v2);
    hid_t d = H5Dopen2(f, "big", H5P_DEFAULT), dcpl = H5Dget_create_plist(d);
    unsigned flags = 0, cd[4];
    size_t n_cd = 4;
    CHECK(H5Pget_nfilters(dcpl) == 1 && H5Pget_filter2(dcpl, 0, &flags, &n_cd, cd, 0, NULL, NULL) == H5Z_FILTER_DEFLATE);
    H5Pclose(dcpl);
    H5Dclose(d);
    char *tb = store_get_text(f, "text");
    CHECK(tb && strcmp(tb, text) == 0);
    H5Fclose(f);
    free(tb);
    free(back);
    free(text);
    free(v);
    unlink(path);
}

/* Chunks deflated ahead of the write (by a reader thread: store_prepack_doubles, store_pack) are
 * what the writer hands to HDF5: the same bytes as compressing them at the write, edge and raw
 * chunks included; chunks packed at another level are used as they are (so the writer took
 * them); a pack of another array, or of the same array in another shape, is not used. */
TEST(packed_chunks_are_written_as_packed)
{
    char path[] = "/tmp/ds_store_packXXXXXX";
    hid_t f = scratch_file(path);
    hsize_t dims[3] = {5, 3, 20001}, n = dims[0] * dims[1] * dims[2], flat[1] = {n};
    double *v = malloc(n * sizeof *v), *copy = malloc(n * sizeof *copy);
    unsigned long long x = 88172645463325252ULL;
    for (hsize_t i = 0; v && copy && i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v[i] = i < n / 2 ? (i % 5 ? 0.0 : 0.0001 * (double)(i % 997)) : (double)(x >> 11) * 0x1p-53;
        copy[i] = v[i];
    }
    CHECK(v && copy && store_put_doubles(f, "plain", 3, dims, v, "eV") == DS_OK);
    store_packed pk = {0, 0, NULL};
    CHECK(store_prepack_doubles(&pk, 3, dims, v) == 0 && pk.n == 1 && pk.arrays[0].n_chunks > 1);
    CHECK(store_put_doubles_packed(f, "packed", 3, dims, v, "eV", &pk) == DS_OK);
    CHECK(storage_of(f, "packed") == storage_of(f, "plain") && storage_of(f, "plain") > 0);
    store_packed_free(&pk);
    CHECK(pk.n == 0 && pk.arrays == NULL);
    /* packed at level 3 with the writer's chunk dims: the writer (level 1) wrote those bytes */
    hid_t d = H5Dopen2(f, "plain", H5P_DEFAULT), dcpl = H5Dget_create_plist(d);
    hsize_t chunk[3] = {0, 0, 0};
    CHECK(H5Pget_chunk(dcpl, 3, chunk) == 3);
    H5Pclose(dcpl);
    H5Dclose(d);
    CHECK(store_pack(&pk, v, 3, dims, chunk, sizeof *v, 3) == 0 && pk.n == 1);
    size_t sum3 = 0;
    for (int i = 0; i < pk.arrays[0].n_chunks; i++) sum3 += pk.arrays[0].chunks[i].n;
    CHECK(store_put_doubles_packed(f, "level3", 3, dims, v, "eV", &pk) == DS_OK);
    CHECK_MSG(storage_of(f, "level3") == sum3 && sum3 != storage_of(f, "plain"), "level 3: %llu stored, %zu packed, %llu at level 1",
              (unsigned long long)storage_of(f, "level3"), sum3, (unsigned long long)storage_of(f, "plain"));
    /* the same pack offered for another array (same values) and for v in another shape */
    CHECK(store_put_doubles_packed(f, "other", 3, dims, copy, "eV", &pk) == DS_OK);
    CHECK(store_put_doubles_packed(f, "flat", 1, flat, v, "eV", &pk) == DS_OK);
    CHECK(storage_of(f, "other") == storage_of(f, "plain"));
    store_packed_free(&pk);
    /* texts likewise */
    size_t text_len = 70000;
    char *text = malloc(text_len + 1);
    for (size_t i = 0; text && i < text_len; i++) text[i] = (char)('a' + (i * 7 + i / 13) % 26);
    if (text) text[text_len] = '\0';
    CHECK(text && store_prepack_text(&pk, text) == 0 && pk.n == 1);
    CHECK(store_put_text_packed(f, "text", text, &pk) == DS_OK && store_put_text(f, "text_plain", text) == DS_OK);
    CHECK(storage_of(f, "text") == storage_of(f, "text_plain"));
    store_packed_free(&pk);
    H5Fclose(f);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    const char *names[] = {"plain", "packed", "level3", "other", "flat"};
    for (int k = 0; k < 5; k++) {
        hsize_t count = 0;
        double *back = store_get_doubles(f, names[k], &count);
        CHECK_MSG(back && count == n && memcmp(back, v, n * sizeof *v) == 0, "%s does not read back bit for bit", names[k]);
        free(back);
    }
    char *tb = store_get_text(f, "text");
    CHECK(tb && text && strcmp(tb, text) == 0);
    free(tb);
    H5Fclose(f);
    unlink(path);
    free(text);
    free(copy);
    free(v);
}

/* A run written from chunks its reader packed (store_prepack_run, store_write_run_packed) is the
 * run written without them: the same JSON read back, the same bytes stored for its PDOS. */
TEST(a_prepacked_run_is_the_same_run)
{
    char path[] = "/tmp/ds_store_prepackXXXXXX";
    hid_t f = scratch_file(path);
    ds_run run;
    make_run(&run);
    run.has_dos = 1;
    run_dos *dos = &run.dos;
    dos->n_points = 300, dos->n_spins = 1, dos->n_pdos_atoms = 2, dos->n_pdos_spins = 1, dos->n_orbitals = 9;
    dos->energies_eV = calloc(300, sizeof(double));
    dos->total = calloc(300, sizeof(double));
    dos->pdos = calloc(2 * 9 * 300, sizeof(double));
    dos->orbital_labels = calloc(9, sizeof *dos->orbital_labels);
    for (int i = 0; dos->energies_eV && dos->total && i < 300; i++) dos->energies_eV[i] = -10 + 0.05 * i, dos->total[i] = i % 7 * 0.5;
    for (int i = 0; dos->pdos && i < 2 * 9 * 300; i++) dos->pdos[i] = i % 11 ? 0.0 : 0.0625 * (i % 13);
    for (int o = 0; dos->orbital_labels && o < 9; o++) dos->orbital_labels[o][0] = "spdfghijk"[o];
    char *json = run_show_json_text(&run, 1e-3, 0);
    CHECK(json != NULL);
    store_packed pk = {0, 0, NULL};
    CHECK(store_prepack_run(&run, json, &pk) == 0 && pk.n >= 1); /* the PDOS at least */
    CHECK(store_packed_find(&pk, dos->pdos, 4, (hsize_t[]){2, 1, 9, 300}, (hsize_t[]){2, 1, 9, 300}, sizeof(double), NULL) != NULL);
    ds_err err;
    hid_t a = H5Gcreate2(f, "a", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), b = H5Gcreate2(f, "b", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(store_write_run(a, &run, json, &err) == DS_OK);
    CHECK(store_write_run_packed(b, &run, json, &pk, &err) == DS_OK);
    CHECK(storage_of(a, "dos/pdos") == storage_of(b, "dos/pdos") && storage_of(a, "dos/pdos") > 0);
    ds_run ra, rb;
    run_init(&ra), run_init(&rb);
    CHECK(store_read_run(a, &ra, &err) == DS_OK && store_read_run(b, &rb, &err) == DS_OK);
    char *ja = run_show_json_text(&ra, 1e-3, 0), *jb = run_show_json_text(&rb, 1e-3, 0);
    CHECK(ja && jb && strcmp(ja, jb) == 0);
    CHECK(rb.has_dos && rb.dos.pdos && memcmp(rb.dos.pdos, dos->pdos, 2 * 9 * 300 * sizeof(double)) == 0);
    free(ja), free(jb), free(json);
    run_free(&ra), run_free(&rb), run_free(&run);
    store_packed_free(&pk);
    H5Gclose(a), H5Gclose(b);
    H5Fclose(f);
    unlink(path);
}

/* A store of format 2 (tests/fixtures/store/format2.h5, written by the last dftscreen that wrote
 * that format) is still read: every run comes back as the show --json stored beside it. */
TEST(format_2_stores_are_still_read)
{
    char path[1024], first[512];
    snprintf(path, sizeof path, "%s/store/format2.h5", FIXTURES());
    ds_err err;
    hid_t f = campaign_store_open_read(path, &err);
    CHECK_MSG(f >= 0, "%s", err.msg);
    if (f < 0) return;
    CHECK(store_get_long(f, "format_version", -1) == 2);
    CHECK(H5Lexists(f, "/runs/r0000003/steps/energy_free_eV", H5P_DEFAULT) > 0); /* the old layout */
    H5Fclose(f);
    int n_differ = 0, compared = store_check_read_back(path, 0, &n_differ, first, sizeof first);
    CHECK_MSG(compared == 4 && n_differ == 0, "%d compared, %d differ: %s", compared, n_differ, first);
}

int main(void)
{
    RUN(round_trip_every_field);
    RUN(format_2_stores_are_still_read);
    RUN(large_arrays_round_trip_through_direct_chunks);
    RUN(packed_chunks_are_written_as_packed);
    RUN(a_prepacked_run_is_the_same_run);
    RUN(corrupted_store_is_refused_not_crashed);
    RUN(attributes_are_replaced_only_when_removed_first);
    RUN(string_tables_are_as_wide_as_their_longest_entry);
    return TEST_FINISH();
}
