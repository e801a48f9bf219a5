/* Unit tests for screen/store_table: a run's small records as compound datasets.  Columns
 * read back bit for bit, one at a time or several in one read; strings are stored as wide as
 * the longest; a long table is chunked and deflated; absent or mistyped columns are refused;
 * a format 2 group of one dataset per column is read through old_path. */
#include <unistd.h>

#include "screen/store_chunk.h"
#include "screen/store_io.h"
#include "screen/store_table.h"
#include "tests/test.h"
#include "tests/store_test.h"

TEST(columns_round_trip_bit_for_bit)
{
    char path[] = "/tmp/ds_table_rtXXXXXX";
    hid_t f = scratch_file(path);
    double e[3] = {-10.123456789012345, NAN, 1e-300};
    int n_scf[3] = {12, -1, 2147483647};
    char label[3][32] = {"Zn", "", "frag 1+2 in basis 1+2"};
    const store_column cols[] = {{"energy_eV", STORE_COL_F64, e, 0, "eV"},
                                 {"n_scf", STORE_COL_I32, n_scf, 0, ""},
                                 {"label", STORE_COL_STR, label, 32, ""},
                                 {"absent", STORE_COL_F64, NULL, 0, "eV"}};
    CHECK(store_put_table(f, "t", 3, 4, cols) == DS_OK);
    hid_t d = H5Dopen2(f, "t", H5P_DEFAULT), type = H5Dget_type(d);
    CHECK(H5Tget_nmembers(type) == 3);                      /* the column without data is left out */
    CHECK(H5Tget_size(type) == 8 + 4 + strlen(label[2])); /* strings as wide as the longest */
    H5Tclose(type);
    hsize_t n_units = 0;
    hid_t a = H5Aopen(d, "units", H5P_DEFAULT), space = H5Aget_space(a);
    H5Sget_simple_extent_dims(space, &n_units, NULL);
    CHECK(n_units == 3);
    H5Sclose(space);
    H5Aclose(a);
    H5Dclose(d);
    hsize_t n = 0;
    double *e_back = store_get_column_doubles(f, "t", "energy_eV", NULL, &n);
    CHECK(e_back && n == 3 && memcmp(e_back, e, sizeof e) == 0);
    free(e_back);
    int *i_back = store_get_column_ints(f, "t", "n_scf", NULL, &n);
    CHECK(i_back && n == 3 && memcmp(i_back, n_scf, sizeof n_scf) == 0);
    free(i_back);
    char *s_back = store_get_column_strings(f, "t", "label", NULL, 32, &n);
    CHECK(s_back && n == 3 && strcmp(s_back, "Zn") == 0 && s_back[32] == '\0' && strcmp(s_back + 64, label[2]) == 0);
    free(s_back);
    /* narrower than stored: cut to the field */
    s_back = store_get_column_strings(f, "t", "label", NULL, 4, &n);
    CHECK(s_back && n == 3 && memcmp(s_back + 8, "frag", 4) == 0);
    free(s_back);
    H5Fclose(f);
    unlink(path);
}

/* A column the table lacks, or holds as another kind, a missing table and a plain dataset give
 * NULL (the reader then reports the run's store as inconsistent); too many columns are refused. */
TEST(absent_and_mistyped_columns_give_null)
{
    char path[] = "/tmp/ds_table_badXXXXXX";
    hid_t f = scratch_file(path);
    double e[2] = {1, 2};
    const store_column cols[] = {{"energy_eV", STORE_COL_F64, e, 0, "eV"}};
    CHECK(store_put_table(f, "t", 2, 1, cols) == DS_OK);
    hsize_t dn = 2;
    CHECK(store_put_doubles(f, "plain", 1, &dn, e, "eV") == DS_OK);
    hsize_t n = 99;
    CHECK(store_get_column_doubles(f, "t", "missing", NULL, &n) == NULL);
    CHECK(store_get_column_ints(f, "t", "energy_eV", NULL, &n) == NULL);      /* a float column */
    CHECK(store_get_column_strings(f, "t", "energy_eV", NULL, 8, &n) == NULL); /* not strings */
    CHECK(store_get_column_doubles(f, "nothing", "energy_eV", NULL, &n) == NULL && n == 0);
    CHECK(store_get_column_doubles(f, "plain", "energy_eV", NULL, &n) == NULL); /* not a table */
    CHECK(store_table_rows(f, "t") == 2 && store_table_rows(f, "nothing") == -1);
    /* more columns than a table takes: refused, nothing written */
    store_column many[STORE_TABLE_MAX_COLS + 1];
    store_column_out many_out[STORE_TABLE_MAX_COLS + 1];
    for (int k = 0; k <= STORE_TABLE_MAX_COLS; k++) {
        many[k] = (store_column){"energy_eV", STORE_COL_F64, e, 0, "eV"};
        many_out[k] = (store_column_out){"energy_eV", STORE_COL_F64, e, 0};
    }
    CHECK(store_put_table(f, "wide", 2, STORE_TABLE_MAX_COLS + 1, many) == DS_EUSAGE && store_table_rows(f, "wide") == -1);
    CHECK(store_get_columns(f, "t", 2, STORE_TABLE_MAX_COLS + 1, many_out) == DS_EUSAGE);
    H5Fclose(f);
    unlink(path);
}

/* Several columns in one read; a column the table lacks keeps the caller's value; a table of
 * another row count is refused. */
TEST(several_columns_in_one_read)
{
    char path[] = "/tmp/ds_table_rowXXXXXX";
    hid_t f = scratch_file(path);
    double cutoff = 400.0, sigma = 0.05;
    int ismear = -5;
    char functional[64] = "PBE";
    const store_column cols[] = {{"cutoff_Ry", STORE_COL_F64, &cutoff, 0, "Ry"},
                                 {"ismear", STORE_COL_I32, &ismear, 0, ""},
                                 {"functional", STORE_COL_STR, functional, sizeof functional, ""},
                                 {"sigma_eV", STORE_COL_F64, &sigma, 0, "eV"}};
    CHECK(store_put_table(f, "settings", 1, 4, cols) == DS_OK);
    double cutoff_back = 0, kept = -7.5;
    int ismear_back = 0;
    char functional_back[4] = "xxx"; /* narrower: cut and terminated */
    const store_column_out out[] = {{"cutoff_Ry", STORE_COL_F64, &cutoff_back, 0},
                                    {"ismear", STORE_COL_I32, &ismear_back, 0},
                                    {"functional", STORE_COL_STR, functional_back, sizeof functional_back},
                                    {"not_stored", STORE_COL_F64, &kept, 0},
                                    {"sigma_eV", STORE_COL_I32, &ismear_back, 0}}; /* wrong kind: skipped */
    CHECK(store_get_columns(f, "settings", 1, 5, out) == DS_OK);
    CHECK(cutoff_back == 400.0 && ismear_back == -5 && strcmp(functional_back, "PBE") == 0 && kept == -7.5);
    CHECK(store_get_columns(f, "settings", 2, 5, out) == DS_EFORMAT);
    CHECK(store_get_columns(f, "absent", 1, 5, out) == DS_EFORMAT);
    H5Fclose(f);
    unlink(path);
}

/* A long table (a trajectory's steps) is chunked and deflated, and reads back bit for bit
 * through HDF5's own filter; an empty table has no rows. */
TEST(long_tables_are_compressed_and_read_back)
{
    char path[] = "/tmp/ds_table_longXXXXXX";
    hid_t f = scratch_file(path);
    hsize_t n = 100000;
    double *e = malloc(n * sizeof *e);
    int *k = malloc(n * sizeof *k);
    char(*tag)[8] = calloc(n, 8);
    for (hsize_t i = 0; i < n; i++) {
        e[i] = -100.0 + 1e-3 * (double)(i % 977);
        k[i] = (int)(i % 31);
        snprintf(tag[i], 8, "s%u", (unsigned)(i % 1000));
    }
    const store_column cols[] = {{"e_eV", STORE_COL_F64, e, 0, "eV"}, {"k", STORE_COL_I32, k, 0, ""},
                                 {"tag", STORE_COL_STR, tag, 8, ""}};
    CHECK(store_put_table(f, "steps", n, 3, cols) == DS_OK);
    int dummy = 0;
    const store_column empty[] = {{"k", STORE_COL_I32, &dummy, 0, ""}};
    CHECK(store_put_table(f, "none", 0, 1, empty) == DS_OK);
    H5Fclose(f);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "steps", H5P_DEFAULT), dcpl = H5Dget_create_plist(d);
    CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_nfilters(dcpl) == 1);
    CHECK(H5Dget_storage_size(d) < n * (8 + 4 + 4) / 2);
    H5Pclose(dcpl);
    H5Dclose(d);
    hsize_t count = 0;
    double *e_back = store_get_column_doubles(f, "steps", "e_eV", NULL, &count);
    int *k_back = store_get_column_ints(f, "steps", "k", NULL, &count);
    char *tag_back = store_get_column_strings(f, "steps", "tag", NULL, 8, &count);
    CHECK(count == n && e_back && k_back && tag_back);
    CHECK(e_back && memcmp(e_back, e, n * sizeof *e) == 0);
    CHECK(k_back && memcmp(k_back, k, n * sizeof *k) == 0);
    CHECK(tag_back && memcmp(tag_back, tag, n * 8) == 0);
    free(e_back), free(k_back), free(tag_back);
    int *none = store_get_column_ints(f, "none", "k", NULL, &count);
    CHECK(none && count == 0 && store_table_rows(f, "none") == 0);
    free(none);
    H5Fclose(f);
    free(e), free(k), free(tag);
    unlink(path);
}

/* A store of format 2 kept each column as a dataset: when the table's name is a group, the
 * old path is read (relative to loc). */
TEST(format_2_columns_are_read_from_their_old_datasets)
{
    char path[] = "/tmp/ds_table_v2XXXXXX";
    hid_t f = scratch_file(path);
    hid_t g = H5Gcreate2(f, "kinds", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    double zval[2] = {12, 6};
    hsize_t dn = 2;
    CHECK(store_put_doubles(g, "zval", 1, &dn, zval, "e") == DS_OK);
    H5Gclose(g);
    hsize_t n = 0;
    double *back = store_get_column_doubles(f, "kinds", "zval_e", "kinds/zval", &n);
    CHECK(back && n == 2 && back[0] == 12 && back[1] == 6);
    free(back);
    CHECK(store_get_column_doubles(f, "kinds", "zval_e", NULL, &n) == NULL);
    CHECK(store_get_column_doubles(f, "kinds", "zval_e", "kinds/absent", &n) == NULL);
    CHECK(store_table_rows(f, "kinds") == -1);
    H5Fclose(f);
    unlink(path);
}

/* A table deflated ahead by a reader (store_prepack_table, under a key that stands for it) is
 * written from those chunks when the writer's rows are the very bytes packed (here the packed
 * chunk is swapped for the raw rows, filter masked, and the store holds exactly those bytes);
 * another table offered under the same key is deflated by the writer, and reads back as itself. */
TEST(a_table_packed_ahead_is_written_from_the_pack)
{
    char path[] = "/tmp/ds_table_packXXXXXX";
    hid_t f = scratch_file(path);
    enum { N = 300 };
    static char names[N][48], values[N][96], others[N][96];
    for (int i = 0; i < N; i++) { /* every name 6 bytes, every value 8: rows of exactly 14 bytes */
        snprintf(names[i], sizeof names[i], "TAG%03d", i);
        snprintf(values[i], sizeof values[i], "%08d", i * 37);
        snprintf(others[i], sizeof others[i], "%08d", i * 41);
    }
    const store_column cols[] = {{"name", STORE_COL_STR, names, 48, ""}, {"value", STORE_COL_STR, values, 96, ""}};
    const store_column other[] = {{"name", STORE_COL_STR, names, 48, ""}, {"value", STORE_COL_STR, others, 96, ""}};
    int key; /* any address */
    store_packed pk = {0, 0, NULL};
    CHECK(store_prepack_table(&pk, &key, N, 2, cols) == 0 && pk.n == 1 && pk.arrays[0].n_chunks == 1 && pk.arrays[0].has_raw_crc);
    if (pk.n != 1 || pk.arrays[0].n_chunks != 1) return;
    CHECK(store_put_table(f, "plain", N, 2, cols) == DS_OK);
    CHECK(store_put_table_packed(f, "packed", N, 2, cols, &pk, &key) == DS_OK);
    CHECK(storage_of(f, "packed") == storage_of(f, "plain"));
    /* the pack's chunk replaced by the rows themselves, stored raw */
    unsigned char *raw = malloc(N * 14);
    for (int i = 0; raw && i < N; i++) memcpy(raw + 14 * i, names[i], 6), memcpy(raw + 14 * i + 6, values[i], 8);
    store_chunk_bytes *c = &pk.arrays[0].chunks[0];
    free(c->bytes);
    c->bytes = raw, c->n = N * 14, c->filter_mask = 1;
    CHECK(store_put_table_packed(f, "raw", N, 2, cols, &pk, &key) == DS_OK);
    CHECK_MSG(storage_of(f, "raw") == N * 14 && storage_of(f, "plain") < N * 14, "raw %llu, plain %llu",
              (unsigned long long)storage_of(f, "raw"), (unsigned long long)storage_of(f, "plain"));
    CHECK(store_put_table_packed(f, "other", N, 2, other, &pk, &key) == DS_OK);
    store_packed_free(&pk);
    const char *tables[] = {"plain", "packed", "raw", "other"};
    for (int k = 0; k < 4; k++) {
        hsize_t n = 0;
        char *v = store_get_column_strings(f, tables[k], "value", NULL, 96, &n);
        int same = v && n == N;
        for (int i = 0; same && i < N; i++) same = strcmp(v + 96 * i, k == 3 ? others[i] : values[i]) == 0;
        CHECK_MSG(same, "table %s does not read back", tables[k]);
        free(v);
    }
    H5Fclose(f);
    unlink(path);
}

int main(void)
{
    RUN(columns_round_trip_bit_for_bit);
    RUN(absent_and_mistyped_columns_give_null);
    RUN(several_columns_in_one_read);
    RUN(long_tables_are_compressed_and_read_back);
    RUN(a_table_packed_ahead_is_written_from_the_pack);
    RUN(format_2_columns_are_read_from_their_old_datasets);
    return TEST_FINISH();
}
