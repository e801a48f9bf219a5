/* store_table: a run's small per-row records (atoms, kinds, steps, parameters, sources,
 * charges) as one compound HDF5 dataset each, a column per quantity.  HDF5 spends 20-30 us
 * of CPU on every dataset it creates, whatever its size (bench/bench_h5objects.sh), and a
 * run stored as one dataset per column had about 40 of them; h5py reads a column of a
 * table as it read the dataset (g["steps"]["energy_sigma0_eV"]). */
#ifndef DS_STORE_TABLE_H
#define DS_STORE_TABLE_H

#include <hdf5.h>
#include <stddef.h>

typedef enum { STORE_COL_F64, STORE_COL_I32, STORE_COL_STR } store_col_kind;

#define STORE_TABLE_MAX_COLS 32

/* One column: n values (doubles or ints), or n NUL-padded strings of width bytes each (stored
 * as wide as the longest).  units: what the numbers are in ("" for counts, flags and strings);
 * the table's `units` attribute lists them in column order.  A column with data NULL is left
 * out of the table. */
typedef struct {
    const char *name;
    store_col_kind kind;
    const void *data;
    size_t width;
    const char *units;
} store_column;

/* Writes the n-row table name under loc.  Returns DS_OK, DS_ENOMEM, DS_EIO, or DS_EUSAGE for
 * more than STORE_TABLE_MAX_COLS columns. */
int store_put_table(hid_t loc, const char *name, hsize_t n, int n_cols, const store_column *cols);

struct store_packed_s;
/* A table store_put_table deflates (4096 bytes of rows or more), deflated ahead by a reader
 * thread (no HDF5 call) and kept in pk under key (an address that stands for the table, e.g. the
 * run's parameter array).  Nothing for a table stored raw.  0, or -1 when memory runs out. */
int store_prepack_table(struct store_packed_s *pk, const void *key, hsize_t n, int n_cols, const store_column *cols);
/* store_put_table taking the chunks packed under key when the rows it builds are the very bytes
 * they were packed from (CRC-64 of the rows); otherwise deflating them itself. */
int store_put_table_packed(hid_t loc, const char *name, hsize_t n, int n_cols, const store_column *cols,
                           const struct store_packed_s *pk, const void *key);

/* One column of the table loc/table, malloc'ed, with the table's row count in *count; NULL
 * when the table or the column is absent or of another kind.  A store of format 2 kept each
 * column as a dataset of its own: when loc/table is not a dataset, the dataset old_path
 * (relative to loc, e.g. "steps/energy_free_eV"; NULL: none) is read instead. */
double *store_get_column_doubles(hid_t loc, const char *table, const char *name, const char *old_path,
                                 hsize_t *count);
int *store_get_column_ints(hid_t loc, const char *table, const char *name, const char *old_path, hsize_t *count);
/* Strings come back width bytes each, NUL-padded (cut to width when the file's are wider). */
char *store_get_column_strings(hid_t loc, const char *table, const char *name, const char *old_path,
                               size_t width, hsize_t *count);

/* A column to read into: n_rows doubles or ints, or n_rows strings of width bytes each
 * (NUL-terminated within width, cut when the file's are longer). */
typedef struct {
    const char *name;
    store_col_kind kind;
    void *data;
    size_t width;
} store_column_out;

/* Reads the columns of the table loc/table in one read; a column the table does not have (or
 * has of another kind) leaves its array as it was.  DS_EFORMAT when loc/table is not a table of
 * n_rows rows, DS_ENOMEM, DS_EIO, or DS_EUSAGE for more than STORE_TABLE_MAX_COLS columns. */
int store_get_columns(hid_t loc, const char *table, hsize_t n_rows, int n_cols, const store_column_out *cols);

/* Rows of the table loc/table; -1 when loc/table is not a dataset (absent, or the group of a
 * store of format 2). */
long long store_table_rows(hid_t loc, const char *table);

#endif
