/* store_chunk: direct writes of deflate-compressed chunks into a chunked dataset. */
#ifndef DS_STORE_CHUNK_H
#define DS_STORE_CHUNK_H

#include <hdf5.h>
#include <stddef.h>

/* zlib level of the deflate filter on large datasets (docs/store.md has the measurement:
 * level 1 costs 4% more store than 4 and saves a tenth of the ingest CPU). */
#ifndef STORE_DEFLATE_LEVEL
#define STORE_DEFLATE_LEVEL 1
#endif

/* One chunk's zlib stream, as store_write_deflated writes it: in (n bytes) compressed at the
 * zlib-compatible level into out (cap bytes).  lbuf: store_deflate_buf_size(level) bytes of
 * scratch (NULL when that is 0), reusable from call to call.  Returns the stream's length,
 * or 0 when it does not fit in cap. */
size_t store_deflate(const void *in, size_t n, void *out, size_t cap, int level, void *lbuf);
size_t store_deflate_buf_size(int level);

/* Writes the row-major array data (dims, elements of elem_size bytes already in the file's
 * byte order: little-endian doubles, chars or table rows) into dset, created chunked (chunk
 * dims) with only the deflate filter, compressing each chunk at zlib-compatible level.
 * rank 1..4.  mem_type describes an element in memory: on a big-endian host the data goes
 * through H5Dwrite with it (HDF5 converts and compresses).  Returns 0, or -1 when HDF5
 * refuses a chunk or memory runs out. */
int store_write_deflated(hid_t dset, hid_t mem_type, int rank, const hsize_t *dims, const hsize_t *chunk, const void *data,
                         size_t elem_size, int level);

#endif
