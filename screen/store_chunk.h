/* store_chunk: direct writes of deflate-compressed chunks into a chunked dataset. */
#ifndef DS_STORE_CHUNK_H
#define DS_STORE_CHUNK_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

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

/* Chunks deflated ahead of the write.  Compressing is about a third of what the thread that
 * writes the store does, and HDF5 lets only that thread in: a reader thread packs a run's
 * large arrays (store_pack, no HDF5 call) and the writer hands the chunks over as they are. */
typedef struct {
    hsize_t off[4];       /* the chunk's first element */
    unsigned filter_mask; /* 1: stored raw (it did not shrink), as store_write_deflated does */
    size_t n;
    unsigned char *bytes; /* owned */
} store_chunk_bytes;

typedef struct {
    const void *data; /* the array the chunks were made from: what store_packed_find looks for */
    size_t elem_size;
    int rank;
    hsize_t dims[4], chunk[4];
    int n_chunks;
    store_chunk_bytes *chunks; /* owned, in row-major chunk order */
    int has_raw_crc;           /* packed from bytes made for the purpose (a table's rows, found by */
    uint64_t raw_crc64;        /* a key): their CRC-64, which the writer's own bytes must match */
} store_packed_array;

typedef struct store_packed_s {
    int n, cap;
    store_packed_array *arrays; /* owned */
} store_packed;

/* Deflates the chunks of data exactly as store_write_deflated would and keeps them in pk.
 * Returns 0, or -1 when memory runs out or the shape is not one store_write_deflated takes (pk
 * then holds nothing for data: the writer compresses it itself).  On a big-endian host nothing
 * is packed (HDF5 converts there). */
int store_pack(store_packed *pk, const void *data, int rank, const hsize_t *dims, const hsize_t *chunk, size_t elem_size,
               int level);
/* The chunks packed under data with exactly this shape and element size, or NULL.  raw_crc64
 * NULL: chunks packed from the array at data itself; otherwise chunks packed, under data as a
 * key, from bytes of that CRC-64 (a table's rows). */
const store_packed_array *store_packed_find(const store_packed *pk, const void *data, int rank, const hsize_t *dims,
                                            const hsize_t *chunk, size_t elem_size, const uint64_t *raw_crc64);
/* Writes packed chunks into dset (created chunked with a's chunk dims and the deflate filter). */
int store_write_packed(hid_t dset, const store_packed_array *a);
void store_packed_free(store_packed *pk);

#endif
