/* store_table: per-run tables as compound datasets (writing, and reading one column). */
#include "screen/store_table.h"

#include <isa-l/crc64.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/io.h"
#include "screen/store_chunk.h"
#include "screen/store_io.h"

_Static_assert(sizeof(int) == 4, "table columns of ints are stored as 32-bit integers");

/* Bytes a column takes in a row: strings as wide as the longest (at least 1). */
static size_t column_size(const store_column *c, hsize_t n)
{
    if (c->kind == STORE_COL_F64) return sizeof(double);
    if (c->kind == STORE_COL_I32) return sizeof(int);
    size_t fit = 1;
    for (hsize_t i = 0; i < n; i++) {
        size_t l = strnlen((const char *)c->data + (size_t)i * c->width, c->width);
        if (l > fit) fit = l;
    }
    return fit;
}

/* On a little-endian host the packed rows are already the file's bytes: the file type also
 * describes them in memory (one type to build, and HDF5 writes them without converting).
 * Elsewhere a memory type of native members is built beside it. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ROWS_ARE_FILE_BYTES 1
#else
#define ROWS_ARE_FILE_BYTES 0
#endif

/* Inserts the column at offset into the file type and (when there is one) the memory type. */
static int insert_column(hid_t ftype, hid_t mtype, const store_column *c, size_t offset, size_t size)
{
    if (c->kind != STORE_COL_STR) {
        int f64 = c->kind == STORE_COL_F64;
        herr_t rc = H5Tinsert(ftype, c->name, offset, f64 ? H5T_IEEE_F64LE : H5T_STD_I32LE);
        if (rc >= 0 && mtype >= 0) rc = H5Tinsert(mtype, c->name, offset, f64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT);
        return rc < 0;
    }
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, size);
    H5Tset_strpad(st, H5T_STR_NULLPAD);
    int bad = H5Tinsert(ftype, c->name, offset, st) < 0 || (mtype >= 0 && H5Tinsert(mtype, c->name, offset, st) < 0);
    H5Tclose(st);
    return bad;
}

/* The table's `units` attribute: one string per column, in column order. */
static int write_units(hid_t d, int n_cols, const store_column *cols)
{
    if (n_cols <= 0 || n_cols > STORE_TABLE_MAX_COLS) return DS_OK; /* none (callers have 1..MAX) */
    size_t width = 1;
    for (int k = 0; k < n_cols; k++) {
        size_t l = cols[k].units ? strlen(cols[k].units) : 0;
        if (l > width) width = l;
    }
    char *table = calloc((size_t)n_cols, width);
    if (!table) return DS_ENOMEM;
    for (int k = 0; k < n_cols; k++)
        if (cols[k].units) memcpy(table + (size_t)k * width, cols[k].units, strlen(cols[k].units));
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    hsize_t dn = (hsize_t)n_cols;
    hid_t space = H5Screate_simple(1, &dn, NULL);
    hid_t a = H5Acreate2(d, "units", type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, type, table);
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    free(table);
    return rc < 0 ? DS_EIO : DS_OK;
}

/* Rows of the table, row-major, every column at its offset. */
static void pack_rows(unsigned char *rows, size_t row_size, hsize_t n, int n_cols, const store_column *cols,
                      const size_t *offset, const size_t *size)
{
    for (int k = 0; k < n_cols; k++) {
        const store_column *c = &cols[k];
        for (hsize_t i = 0; i < n; i++) {
            unsigned char *dst = rows + (size_t)i * row_size + offset[k];
            if (c->kind == STORE_COL_F64) memcpy(dst, (const double *)c->data + i, sizeof(double));
            else if (c->kind == STORE_COL_I32) memcpy(dst, (const int *)c->data + i, sizeof(int));
            else {
                const char *s = (const char *)c->data + (size_t)i * c->width;
                memcpy(dst, s, strnlen(s, c->width < size[k] ? c->width : size[k]));
            }
        }
    }
}

/* The columns that have data, where each sits in a row, and the row's size. */
typedef struct {
    store_column cols[STORE_TABLE_MAX_COLS];
    size_t offset[STORE_TABLE_MAX_COLS], size[STORE_TABLE_MAX_COLS], row_size;
    int n_cols;
} table_layout;

/* The layout and the packed rows (malloc'ed: zeroed, so NUL padding and reproducible bytes) of
 * an n-row table; *rows NULL when no column has data.  DS_EUSAGE, DS_ENOMEM. */
static int table_rows(table_layout *t, unsigned char **rows, hsize_t n, int n_cols_in, const store_column *cols_in)
{
    *rows = NULL;
    t->n_cols = 0;
    t->row_size = 0;
    if (n_cols_in > STORE_TABLE_MAX_COLS) return DS_EUSAGE;
    for (int k = 0; k < n_cols_in; k++)
        if (cols_in[k].data) t->cols[t->n_cols++] = cols_in[k];
    if (t->n_cols == 0) return DS_OK;
    for (int k = 0; k < t->n_cols; k++) {
        t->offset[k] = t->row_size;
        t->size[k] = column_size(&t->cols[k], n);
        t->row_size += t->size[k];
    }
    if (!(*rows = calloc(n ? (size_t)n : 1, t->row_size))) return DS_ENOMEM;
    pack_rows(*rows, t->row_size, n, t->n_cols, t->cols, t->offset, t->size);
    return DS_OK;
}

/* a table of 4096 bytes or more (a VASP run's ~270 echoed parameters, 30 kB of mostly NUL
 * padding; a long trajectory's steps) is chunked and deflated like a large array: counted in
 * cells (as before 2026-11-24) the parameters stayed raw, a sixth of a store's bytes.  1 and
 * the rows per chunk for such a table. */
static int table_chunked(hsize_t n, size_t row_size, hsize_t *chunk)
{
    if (n * (hsize_t)row_size < 4096) return 0;
    *chunk = (hsize_t)((1u << 21) / row_size);
    if (*chunk < 1) *chunk = 1;
    if (*chunk > n) *chunk = n;
    return 1;
}

int store_prepack_table(store_packed *pk, const void *key, hsize_t n, int n_cols, const store_column *cols)
{
    table_layout t;
    unsigned char *rows;
    hsize_t chunk;
    int rc = table_rows(&t, &rows, n, n_cols, cols);
    if (rc || !rows || !table_chunked(n, t.row_size, &chunk)) {
        free(rows);
        return rc ? -1 : 0;
    }
    int had = pk->n;
    rc = store_pack(pk, rows, 1, &n, &chunk, t.row_size, STORE_DEFLATE_LEVEL);
    if (!rc && pk->n > had) { /* deflated from rows, which are freed below: found by key */
        store_packed_array *a = &pk->arrays[pk->n - 1];
        a->data = key;
        a->has_raw_crc = 1;
        a->raw_crc64 = crc64_ecma_refl(0, rows, (uint64_t)n * t.row_size);
    }
    free(rows);
    return rc;
}

int store_put_table(hid_t loc, const char *name, hsize_t n, int n_cols_in, const store_column *cols_in)
{
    return store_put_table_packed(loc, name, n, n_cols_in, cols_in, NULL, NULL);
}

int store_put_table_packed(hid_t loc, const char *name, hsize_t n, int n_cols_in, const store_column *cols_in,
                           const store_packed *pk, const void *key)
{
    table_layout t;
    unsigned char *rows;
    int rc0 = table_rows(&t, &rows, n, n_cols_in, cols_in);
    if (rc0 || !rows) return rc0;
    const store_column *cols = t.cols;
    const size_t *offset = t.offset, *size = t.size, row_size = t.row_size;
    int n_cols = t.n_cols;
    hid_t ftype = H5Tcreate(H5T_COMPOUND, row_size), mtype = ROWS_ARE_FILE_BYTES ? -1 : H5Tcreate(H5T_COMPOUND, row_size);
    int rc = ftype < 0 || (!ROWS_ARE_FILE_BYTES && mtype < 0) ? DS_EIO : DS_OK;
    for (int k = 0; !rc && k < n_cols; k++)
        if (insert_column(ftype, mtype, &cols[k], offset[k], size[k])) rc = DS_EIO;
    hid_t rows_type = ROWS_ARE_FILE_BYTES ? ftype : mtype;
    hsize_t chunk = 1;
    int chunked = !rc && table_chunked(n, row_size, &chunk);
    hid_t dcpl = H5P_DEFAULT;
    /* only chunks packed from these very rows (their CRC-64): others are deflated here */
    uint64_t crc = chunked && key && pk ? crc64_ecma_refl(0, rows, (uint64_t)n * row_size) : 0;
    const store_packed_array *packed = chunked && key ? store_packed_find(pk, key, 1, &n, &chunk, row_size, &crc) : NULL;
    if (chunked) {
        dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(dcpl, 1, &chunk);
        H5Pset_deflate(dcpl, STORE_DEFLATE_LEVEL);
    }
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t d = rc ? -1 : H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0) rc = DS_EIO;
    else if (n > 0) {
        herr_t w = packed    ? store_write_packed(d, packed)
                   : chunked ? store_write_deflated(d, rows_type, 1, &n, &chunk, rows, row_size, STORE_DEFLATE_LEVEL)
                             : H5Dwrite(d, rows_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows);
        if (w < 0) rc = DS_EIO;
    }
    if (d >= 0 && !rc) rc = write_units(d, n_cols, cols);
    if (d >= 0) H5Dclose(d);
    if (dcpl != H5P_DEFAULT) H5Pclose(dcpl);
    H5Sclose(space);
    if (ftype >= 0) H5Tclose(ftype);
    if (mtype >= 0) H5Tclose(mtype);
    free(rows);
    return rc;
}

/* ---------------------------------------------------------------- reading */

/* The dataset loc/table, or -1 when it is absent or not a dataset. */
static hid_t open_table(hid_t loc, const char *table)
{
    if (H5Lexists(loc, table, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Oopen(loc, table, H5P_DEFAULT);
    if (d >= 0 && H5Iget_type(d) != H5I_DATASET) {
        H5Oclose(d);
        d = -1;
    }
    return d;
}

/* Reads the column name of the compound dataset loc/table into elements of mem_member;
 * NULL when the table is not a compound dataset or has no such column of class want. */
static void *read_column(hid_t loc, const char *table, const char *name, hid_t mem_member, H5T_class_t want,
                         hsize_t *count, int *is_table)
{
    *is_table = 0;
    hid_t d = open_table(loc, table);
    if (d < 0) return NULL; /* absent, or the group of a format 2 store */
    *is_table = 1;
    void *buf = NULL;
    hid_t ftype = H5Dget_type(d), space = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    int member = H5Tget_class(ftype) == H5T_COMPOUND ? H5Tget_member_index(ftype, name) : -1;
    if (n >= 0 && member >= 0 && H5Tget_member_class(ftype, (unsigned)member) == want) {
        size_t elem = H5Tget_size(mem_member);
        hid_t mtype = H5Tcreate(H5T_COMPOUND, elem);
        H5Tinsert(mtype, name, 0, mem_member);
        buf = calloc(n ? (size_t)n : 1, elem);
        if (buf && n > 0 && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        }
        H5Tclose(mtype);
        *count = (hsize_t)n;
    }
    H5Sclose(space);
    H5Tclose(ftype);
    H5Oclose(d);
    return buf;
}

double *store_get_column_doubles(hid_t loc, const char *table, const char *name, const char *old_path,
                                 hsize_t *count)
{
    int is_table;
    *count = 0;
    double *v = read_column(loc, table, name, H5T_NATIVE_DOUBLE, H5T_FLOAT, count, &is_table);
    return is_table || !old_path ? v : store_get_doubles(loc, old_path, count);
}

int *store_get_column_ints(hid_t loc, const char *table, const char *name, const char *old_path, hsize_t *count)
{
    int is_table;
    *count = 0;
    int *v = read_column(loc, table, name, H5T_NATIVE_INT, H5T_INTEGER, count, &is_table);
    return is_table || !old_path ? v : store_get_ints(loc, old_path, count);
}

char *store_get_column_strings(hid_t loc, const char *table, const char *name, const char *old_path,
                               size_t width, hsize_t *count)
{
    int is_table;
    *count = 0;
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, width);
    H5Tset_strpad(st, H5T_STR_NULLPAD);
    char *v = read_column(loc, table, name, st, H5T_STRING, count, &is_table);
    H5Tclose(st);
    return is_table || !old_path ? v : store_get_strings(loc, old_path, count, width);
}

long long store_table_rows(hid_t loc, const char *table)
{
    hid_t d = open_table(loc, table);
    if (d < 0) return -1;
    hid_t space = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    H5Sclose(space);
    H5Oclose(d);
    return n < 0 ? -1 : (long long)n;
}

static H5T_class_t column_class(store_col_kind kind)
{
    return kind == STORE_COL_F64 ? H5T_FLOAT : kind == STORE_COL_I32 ? H5T_INTEGER : H5T_STRING;
}

static size_t column_bytes(const store_column_out *c)
{
    return c->kind == STORE_COL_F64 ? sizeof(double) : c->kind == STORE_COL_I32 ? sizeof(int) : c->width;
}

int store_get_columns(hid_t loc, const char *table, hsize_t n_rows, int n_cols, const store_column_out *cols)
{
    if (n_cols > STORE_TABLE_MAX_COLS) return DS_EUSAGE;
    hid_t d = open_table(loc, table);
    if (d < 0) return DS_EFORMAT;
    hid_t ftype = H5Dget_type(d), space = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    int rc = H5Tget_class(ftype) == H5T_COMPOUND && n == (hssize_t)n_rows ? DS_OK : DS_EFORMAT;
    size_t offset[STORE_TABLE_MAX_COLS], row_size = 0;
    int use[STORE_TABLE_MAX_COLS] = {0}, n_used = 0;
    for (int k = 0; !rc && k < n_cols; k++) {
        int member = H5Tget_member_index(ftype, cols[k].name);
        if (member < 0 || H5Tget_member_class(ftype, (unsigned)member) != column_class(cols[k].kind)) continue;
        use[k] = 1;
        offset[k] = row_size;
        row_size += column_bytes(&cols[k]);
        n_used++;
    }
    unsigned char *rows = NULL;
    hid_t mtype = -1;
    if (!rc && n_used > 0 && n_rows > 0) {
        mtype = H5Tcreate(H5T_COMPOUND, row_size);
        rows = calloc((size_t)n_rows, row_size);
        if (!rows) rc = DS_ENOMEM;
        for (int k = 0; !rc && k < n_cols; k++) {
            if (!use[k]) continue;
            hid_t member = cols[k].kind == STORE_COL_F64 ? H5Tcopy(H5T_NATIVE_DOUBLE)
                           : cols[k].kind == STORE_COL_I32 ? H5Tcopy(H5T_NATIVE_INT)
                                                           : H5Tcopy(H5T_C_S1);
            if (cols[k].kind == STORE_COL_STR) {
                H5Tset_size(member, cols[k].width);
                H5Tset_strpad(member, H5T_STR_NULLPAD);
            }
            if (H5Tinsert(mtype, cols[k].name, offset[k], member) < 0) rc = DS_EIO;
            H5Tclose(member);
        }
        if (!rc && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) rc = DS_EIO;
    }
    for (int k = 0; !rc && rows && k < n_cols; k++) {
        if (!use[k]) continue;
        size_t b = column_bytes(&cols[k]);
        for (hsize_t i = 0; i < n_rows; i++) {
            unsigned char *dst = (unsigned char *)cols[k].data + (size_t)i * b;
            memcpy(dst, rows + (size_t)i * row_size + offset[k], b);
            if (cols[k].kind == STORE_COL_STR) dst[b - 1] = '\0';
        }
    }
    free(rows);
    if (mtype >= 0) H5Tclose(mtype);
    H5Sclose(space);
    H5Tclose(ftype);
    H5Oclose(d);
    return rc;
}
