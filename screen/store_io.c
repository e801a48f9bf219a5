/* store_io: typed HDF5 helpers (attributes, datasets, string tables) used by the store. */
#include "screen/store_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen/store_chunk.h"

int store_attr_remove(hid_t loc, const char *name)
{
    if (H5Aexists(loc, name) <= 0) return DS_OK;
    return H5Adelete(loc, name) < 0 ? DS_EIO : DS_OK;
}

int store_attr_str(hid_t loc, const char *name, const char *value)
{
    if (!value) value = "";
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, strlen(value) + 1);
    H5Tset_strpad(type, H5T_STR_NULLTERM);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT); /* no lookup first: see store.h */
    herr_t rc = a < 0 ? -1 : H5Awrite(a, type, value);
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    return rc < 0 ? DS_EIO : DS_OK;
}

static int attr_scalar(hid_t loc, const char *name, hid_t mem_type, hid_t file_type, const void *v)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, mem_type, v);
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    return rc < 0 ? DS_EIO : DS_OK;
}

int store_attr_double(hid_t loc, const char *name, double value)
{
    return attr_scalar(loc, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, &value);
}

int store_attr_long(hid_t loc, const char *name, long value)
{
    long long v = value;
    return attr_scalar(loc, name, H5T_NATIVE_LLONG, H5T_STD_I64LE, &v);
}

void store_get_str(hid_t loc, const char *name, char *buf, size_t n)
{
    buf[0] = '\0';
    if (H5Aexists(loc, name) <= 0) return;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return;
    hid_t ftype = H5Aget_type(a);
    if (H5Tget_class(ftype) == H5T_STRING && !H5Tis_variable_str(ftype)) {
        size_t sz = H5Tget_size(ftype);
        char *tmp = malloc(sz + 1);
        hid_t mtype = H5Tcopy(H5T_C_S1);
        H5Tset_size(mtype, sz);
        if (tmp && H5Aread(a, mtype, tmp) >= 0) {
            tmp[sz] = '\0';
            snprintf(buf, n, "%s", tmp);
        }
        H5Tclose(mtype);
        free(tmp);
    }
    H5Tclose(ftype);
    H5Aclose(a);
}

double store_get_double(hid_t loc, const char *name)
{
    double v = NAN;
    if (H5Aexists(loc, name) <= 0) return NAN;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0 || H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0) v = NAN;
    if (a >= 0) H5Aclose(a);
    return v;
}

long store_get_long(hid_t loc, const char *name, long fallback)
{
    long long v = fallback;
    if (H5Aexists(loc, name) <= 0) return fallback;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0 || H5Aread(a, H5T_NATIVE_LLONG, &v) < 0) v = fallback;
    if (a >= 0) H5Aclose(a);
    return (long)v;
}

/* Large arrays (DOS, PDOS, eigenvalues) are chunked and deflated: DFT data compresses.
 * No byte shuffle: the arrays repeat whole values (zeros, the same few printed digits),
 * which deflate finds as 8-byte matches; shuffled, the store was a third larger and
 * took longer to compress (docs/store.md).  Returns 1 and the chunk dims (at most 2^18
 * elements, the leading dims halved first) for such an array. */
static int doubles_chunked(int rank, const hsize_t *dims, hsize_t *chunk)
{
    hsize_t total = 1;
    for (int i = 0; i < rank; i++) total *= dims[i];
    if (total < 4096 || rank > 4) return 0;
    for (int i = 0; i < rank; i++) chunk[i] = dims[i] ? dims[i] : 1;
    hsize_t c = total;
    for (int i = 0; i < rank && c > (1u << 18); i++) {
        while (chunk[i] > 1 && c > (1u << 18)) {
            c /= chunk[i];
            chunk[i] = (chunk[i] + 1) / 2;
            c *= chunk[i];
        }
    }
    return 1;
}

int store_prepack_doubles(store_packed *pk, int rank, const hsize_t *dims, const double *data)
{
    hsize_t chunk[4];
    if (!data || !doubles_chunked(rank, dims, chunk)) return 0;
    return store_pack(pk, data, rank, dims, chunk, sizeof *data, STORE_DEFLATE_LEVEL);
}

int store_put_doubles(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *data,
                      const char *units)
{
    return store_put_doubles_packed(loc, name, rank, dims, data, units, NULL);
}

int store_put_doubles_packed(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *data,
                             const char *units, const store_packed *pk)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hsize_t chunk[4];
    int chunked = doubles_chunked(rank, dims, chunk);
    /* a small array keeps the default creation list: making and closing one costs more
     * (17k instructions) than writing the data */
    hid_t dcpl = H5P_DEFAULT;
    if (chunked) {
        dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(dcpl, rank, chunk);
        H5Pset_deflate(dcpl, STORE_DEFLATE_LEVEL);
    }
    const store_packed_array *packed = chunked ? store_packed_find(pk, data, rank, dims, chunk, sizeof *data, NULL) : NULL;
    hid_t d = H5Dcreate2(loc, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t rc = d < 0     ? -1
                : packed  ? store_write_packed(d, packed)
                : chunked ? store_write_deflated(d, H5T_NATIVE_DOUBLE, rank, dims, chunk, data, sizeof *data, STORE_DEFLATE_LEVEL)
                          : H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (d >= 0 && units) store_attr_str(d, "units", units);
    if (d >= 0) H5Dclose(d);
    if (dcpl != H5P_DEFAULT) H5Pclose(dcpl);
    H5Sclose(space);
    return rc < 0 ? DS_EIO : DS_OK;
}

int store_put_ints(hid_t loc, const char *name, hsize_t n, const int *data)
{
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(loc, name, H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = d < 0 ? -1 : H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (d >= 0) H5Dclose(d);
    H5Sclose(space);
    return rc < 0 ? DS_EIO : DS_OK;
}

/* Fixed-width string table: n strings of width w (NUL-padded) in one dataset.  The strings
 * are copied into a zeroed table first: whatever followed a string's NUL in the caller's
 * array never reaches the file (stores of the same runs are byte-for-byte reproducible). */
int store_put_strings(hid_t loc, const char *name, hsize_t n, size_t width, const char *data)
{
    /* as wide as the longest entry (NUL-padded, no terminator needed): the fixed-size fields of
     * a run (a 96-byte parameter value, a 256-byte file name) are mostly padding, which was a
     * quarter of a store's bytes */
    size_t fit = 1;
    for (hsize_t i = 0; i < n; i++) {
        size_t l = strnlen(data + (size_t)i * width, width);
        if (l > fit) fit = l;
    }
    char *table = calloc(n ? (size_t)n : 1, fit);
    if (!table) return DS_ENOMEM;
    for (hsize_t i = 0; i < n; i++) {
        const char *src = data + (size_t)i * width;
        memcpy(table + (size_t)i * fit, src, strnlen(src, width));
    }
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, fit);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = d < 0 ? -1 : H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, table);
    if (d >= 0) H5Dclose(d);
    H5Sclose(space);
    H5Tclose(type);
    free(table);
    return rc < 0 ? DS_EIO : DS_OK;
}

int store_prepack_text(store_packed *pk, const char *text)
{
    hsize_t n = text ? strlen(text) : 0, chunk = n < (1u << 16) ? n : (1u << 16);
    return n >= 4096 ? store_pack(pk, text, 1, &n, &chunk, 1, STORE_DEFLATE_LEVEL) : 0;
}

int store_put_text(hid_t loc, const char *name, const char *text)
{
    return store_put_text_packed(loc, name, text, NULL);
}

int store_put_text_packed(hid_t loc, const char *name, const char *text, const store_packed *pk)
{
    hsize_t n = strlen(text);
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t dcpl = H5P_DEFAULT;
    hsize_t chunk = n < (1u << 16) ? n : (1u << 16);
    if (n >= 4096) {
        dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(dcpl, 1, &chunk);
        H5Pset_deflate(dcpl, STORE_DEFLATE_LEVEL);
    }
    const store_packed_array *packed = n >= 4096 ? store_packed_find(pk, text, 1, &n, &chunk, 1, NULL) : NULL;
    hid_t d = H5Dcreate2(loc, name, H5T_NATIVE_CHAR, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t rc = d < 0       ? -1
                : !n        ? 0
                : packed    ? store_write_packed(d, packed)
                : n >= 4096 ? store_write_deflated(d, H5T_NATIVE_CHAR, 1, &n, &chunk, text, 1, STORE_DEFLATE_LEVEL)
                            : H5Dwrite(d, H5T_NATIVE_CHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, text);
    if (d >= 0) H5Dclose(d);
    if (dcpl != H5P_DEFAULT) H5Pclose(dcpl);
    H5Sclose(space);
    return rc < 0 ? DS_EIO : DS_OK;
}

/* Opens a dataset and checks its element count against expected (0 = any). */
static hid_t open_checked(hid_t loc, const char *name, hsize_t *count)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t space = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    H5Sclose(space);
    if (n < 0) {
        H5Dclose(d);
        return -1;
    }
    *count = (hsize_t)n;
    return d;
}

double *store_get_doubles(hid_t loc, const char *name, hsize_t *count)
{
    hid_t d = open_checked(loc, name, count);
    if (d < 0) return NULL;
    double *buf = malloc((*count ? *count : 1) * sizeof *buf);
    if (buf && *count && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    H5Dclose(d);
    return buf;
}

int *store_get_ints(hid_t loc, const char *name, hsize_t *count)
{
    hid_t d = open_checked(loc, name, count);
    if (d < 0) return NULL;
    int *buf = malloc((*count ? *count : 1) * sizeof *buf);
    if (buf && *count && H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    H5Dclose(d);
    return buf;
}

char *store_get_strings(hid_t loc, const char *name, hsize_t *count, size_t width)
{
    hid_t d = open_checked(loc, name, count);
    if (d < 0) return NULL;
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    char *buf = calloc(*count ? *count : 1, width);
    if (buf && *count && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    H5Tclose(type);
    H5Dclose(d);
    return buf;
}

char *store_get_text(hid_t loc, const char *name)
{
    hsize_t n = 0;
    hid_t d = open_checked(loc, name, &n);
    if (d < 0) return NULL;
    char *buf = malloc(n + 1);
    if (buf && n && H5Dread(d, H5T_NATIVE_CHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = '\0';
    H5Dclose(d);
    return buf;
}
