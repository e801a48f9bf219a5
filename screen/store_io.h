/* store_io: typed HDF5 helpers (attributes, numeric and string datasets) for the store. */
#ifndef DS_STORE_IO_H
#define DS_STORE_IO_H

#include <hdf5.h>
#include <stdio.h>

#include "screen/store.h"

int store_put_doubles(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *data,
                      const char *units);
int store_put_ints(hid_t loc, const char *name, hsize_t n, const int *data);
int store_put_strings(hid_t loc, const char *name, hsize_t n, size_t width, const char *data);
/* Readers return malloc'ed arrays (NULL when absent) and the element count. */
double *store_get_doubles(hid_t loc, const char *name, hsize_t *count);
int *store_get_ints(hid_t loc, const char *name, hsize_t *count);
char *store_get_strings(hid_t loc, const char *name, hsize_t *count, size_t width);

#endif
