/* store_io: typed HDF5 helpers (attributes, numeric and string datasets) for the store. */
#ifndef DS_STORE_IO_H
#define DS_STORE_IO_H

#include <hdf5.h>
#include <stdio.h>

#include "screen/store.h"
#include "screen/store_chunk.h"

int store_put_doubles(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *data,
                      const char *units);
/* The same, taking the array's chunks from pk when a reader packed them (store_prepack_doubles
 * with the same data and dims; pk may be NULL); otherwise compressing them here. */
int store_put_doubles_packed(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *data,
                             const char *units, const store_packed *pk);
/* Packs into pk the chunks store_put_doubles would deflate for this array (nothing for an array
 * it keeps raw).  No HDF5 call: for a reader thread.  0, or -1 when memory runs out. */
int store_prepack_doubles(store_packed *pk, int rank, const hsize_t *dims, const double *data);
/* store_put_text and its packing, likewise. */
int store_put_text_packed(hid_t loc, const char *name, const char *text, const store_packed *pk);
int store_prepack_text(store_packed *pk, const char *text);
int store_put_ints(hid_t loc, const char *name, hsize_t n, const int *data);
int store_put_strings(hid_t loc, const char *name, hsize_t n, size_t width, const char *data);
/* Readers return malloc'ed arrays (NULL when absent) and the element count. */
double *store_get_doubles(hid_t loc, const char *name, hsize_t *count);
int *store_get_ints(hid_t loc, const char *name, hsize_t *count);
char *store_get_strings(hid_t loc, const char *name, hsize_t *count, size_t width);

#endif
