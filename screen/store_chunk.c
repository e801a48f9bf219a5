/* store_chunk: writes a chunked, deflate-filtered dataset chunk by chunk, compressing each
 * chunk with ISA-L's igzip and handing it to HDF5 as it would be on disk (H5Dwrite_chunk).
 * The dataset keeps the standard deflate filter in its creation property list, so h5py,
 * h5dump and HDF5 itself read it like one written through H5Dwrite: igzip writes ordinary
 * zlib streams.  Its level 1 compresses DOS/PDOS arrays 5x faster than libdeflate's level 1
 * (itself twice zlib's) for a stream about 9% larger (docs/store.md). */
#include "screen/store_chunk.h"

#include <isa-l/igzip_lib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Copies the chunk at element offset off of the row-major array data (dims) into buf
 * (chunk dims, zero-padded where the chunk runs past the array's edge). */
static void gather_chunk(int rank, const hsize_t *dims, const hsize_t *chunk, const hsize_t *off,
                         const unsigned char *data, size_t elem, unsigned char *buf)
{
    size_t chunk_elems = 1;
    for (int i = 0; i < rank; i++) chunk_elems *= (size_t)chunk[i];
    hsize_t last = chunk[rank - 1];
    hsize_t row_len = off[rank - 1] + last <= dims[rank - 1] ? last : dims[rank - 1] - off[rank - 1];
    size_t n_rows = chunk_elems / (size_t)last;
    hsize_t idx[4] = {0, 0, 0, 0}; /* position of the row inside the chunk (dims 0..rank-2) */
    for (size_t r = 0; r < n_rows; r++) {
        unsigned char *dst = buf + r * (size_t)last * elem;
        int inside = 1;
        size_t src = 0;
        for (int i = 0; i < rank - 1; i++) {
            hsize_t g = off[i] + idx[i];
            if (g >= dims[i]) inside = 0;
            src = src * (size_t)dims[i] + (size_t)g;
        }
        if (inside) {
            src = src * (size_t)dims[rank - 1] + (size_t)off[rank - 1];
            memcpy(dst, data + src * elem, (size_t)row_len * elem);
            memset(dst + (size_t)row_len * elem, 0, (size_t)(last - row_len) * elem);
        } else {
            memset(dst, 0, (size_t)last * elem);
        }
        for (int i = rank - 2; i >= 0; i--) { /* next row: odometer over the chunk's leading dims */
            if (++idx[i] < chunk[i]) break;
            idx[i] = 0;
        }
    }
}

/* igzip levels are 0..3; zlib's 1..9 map onto them (1 -> 1, 2..5 -> 2, 6.. -> 3) */
static int isal_level_of(int level)
{
    return level <= 0 ? 0 : level == 1 ? 1 : level <= 5 ? 2 : 3;
}

size_t store_deflate_buf_size(int level)
{
    static const size_t size[4] = {ISAL_DEF_LVL0_DEFAULT, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT,
                                   ISAL_DEF_LVL3_DEFAULT};
    return size[isal_level_of(level)];
}

size_t store_deflate(const void *in, size_t n, void *out, size_t cap, int level, void *lbuf)
{
    if (n > UINT32_MAX || cap > UINT32_MAX) return 0;
    struct isal_zstream z;
    /* The public fields: the init leaves some (hist_bits, ...) unset, and 0 is their default.
     * The internal state (80 kB, mostly history buffer and hash heads, which level 1 keeps in
     * lbuf instead) is set up by the init and by isal_deflate_stateless itself; clearing it
     * too was 0.4% of an ingest's instructions.  valgrind memcheck of the store tests and of
     * a corpus ingest reads no byte of it uninitialised. */
    memset(&z, 0, offsetof(struct isal_zstream, internal_state));
    isal_deflate_stateless_init(&z);
    z.level = (uint32_t)isal_level_of(level);
    z.level_buf = lbuf;
    z.level_buf_size = (uint32_t)store_deflate_buf_size(level);
    z.gzip_flag = IGZIP_ZLIB;
    z.end_of_stream = 1;
    z.flush = NO_FLUSH;
    z.next_in = (uint8_t *)in;
    z.avail_in = (uint32_t)n;
    z.next_out = out;
    z.avail_out = (uint32_t)cap;
    return isal_deflate_stateless(&z) == COMP_OK ? (size_t)z.total_out : 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* What is done with each deflated chunk: off its first element, mask 1 when stored raw. */
typedef int (*chunk_sink)(void *ctx, const hsize_t *off, unsigned mask, const void *bytes, size_t n);

/* Deflates data chunk by chunk in row-major chunk order, handing each to sink. */
static int deflate_chunks(int rank, const hsize_t *dims, const hsize_t *chunk, const void *data, size_t elem_size,
                          int level, chunk_sink sink, void *ctx)
{
    if (rank < 1 || rank > 4) return -1;
    size_t chunk_elems = 1;
    for (int i = 0; i < rank; i++) {
        if (chunk[i] == 0 || dims[i] == 0) return -1;
        chunk_elems *= (size_t)chunk[i];
    }
    size_t raw_bytes = chunk_elems * elem_size;
    size_t lbuf_size = store_deflate_buf_size(level);
    /* A chunk that is one block of the row-major array (1 along the leading dims, any extent
     * along one dim, whole along the trailing ones: how store_put_doubles cuts DOS/PDOS arrays)
     * and lies wholly inside it is deflated from the caller's data as it is; only the others
     * (and the zero-padded chunk at an edge) are gathered into a copy first. */
    int split = 0; /* the one dim where chunk < dims, after dims of chunk 1 */
    while (split < rank - 1 && chunk[split] == 1) split++;
    int blocks = 1;
    for (int i = split + 1; i < rank; i++) blocks &= chunk[i] == dims[i];
    unsigned char *raw = malloc(raw_bytes);
    unsigned char *packed = malloc(raw_bytes); /* a chunk that does not shrink is stored raw */
    unsigned char *lbuf = lbuf_size ? malloc(lbuf_size) : NULL;
    int rc = (raw && packed && (lbuf || !lbuf_size)) ? 0 : -1;
    hsize_t off[4] = {0, 0, 0, 0};
    for (int done = rc; !done;) {
        const unsigned char *src = raw;
        if (blocks && off[split] + chunk[split] <= dims[split]) {
            size_t at = 0; /* element index of off */
            for (int i = 0; i < rank; i++) at = at * (size_t)dims[i] + (size_t)off[i];
            src = (const unsigned char *)data + at * elem_size;
        } else {
            gather_chunk(rank, dims, chunk, off, data, elem_size, raw);
        }
        size_t n = store_deflate(src, raw_bytes, packed, raw_bytes, level, lbuf);
        /* As HDF5's optional deflate filter does: a chunk that does not shrink is stored
         * as it is, with the filter's bit set in the chunk's filter mask. */
        rc = n > 0 && n < raw_bytes ? sink(ctx, off, 0, packed, n) : sink(ctx, off, 1, src, raw_bytes);
        if (rc) break;
        int i = rank - 1;
        for (; i >= 0; i--) { /* next chunk in row-major order */
            off[i] += chunk[i];
            if (off[i] < dims[i]) break;
            off[i] = 0;
        }
        done = i < 0;
    }
    free(lbuf);
    free(packed);
    free(raw);
    return rc;
}

static int sink_hdf5(void *ctx, const hsize_t *off, unsigned mask, const void *bytes, size_t n)
{
    return H5Dwrite_chunk(*(const hid_t *)ctx, H5P_DEFAULT, mask, off, n, bytes) < 0 ? -1 : 0;
}

static int sink_keep(void *ctx, const hsize_t *off, unsigned mask, const void *bytes, size_t n)
{
    store_packed_array *a = ctx;
    store_chunk_bytes *c = realloc(a->chunks, (size_t)(a->n_chunks + 1) * sizeof *c);
    if (!c) return -1;
    a->chunks = c;
    c += a->n_chunks;
    memset(c, 0, sizeof *c);
    if (!(c->bytes = malloc(n ? n : 1))) return -1;
    memcpy(c->off, off, sizeof c->off);
    c->filter_mask = mask;
    c->n = n;
    memcpy(c->bytes, bytes, n);
    a->n_chunks++;
    return 0;
}
#endif

int store_write_deflated(hid_t dset, hid_t mem_type, int rank, const hsize_t *dims, const hsize_t *chunk, const void *data,
                         size_t elem_size, int level)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    (void)mem_type;
    return deflate_chunks(rank, dims, chunk, data, elem_size, level, sink_hdf5, &dset);
#else
    /* The chunks are handed over as file bytes (little-endian): elsewhere HDF5 converts. */
    (void)rank, (void)dims, (void)chunk, (void)elem_size, (void)level;
    return H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0 ? -1 : 0;
#endif
}

static void packed_array_free(store_packed_array *a)
{
    for (int i = 0; i < a->n_chunks; i++) free(a->chunks[i].bytes);
    free(a->chunks);
    memset(a, 0, sizeof *a);
}

int store_pack(store_packed *pk, const void *data, int rank, const hsize_t *dims, const hsize_t *chunk, size_t elem_size,
               int level)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (rank < 1 || rank > 4 || !data) return -1;
    if (pk->n == pk->cap) {
        int cap = pk->cap ? 2 * pk->cap : 8;
        store_packed_array *a = realloc(pk->arrays, (size_t)cap * sizeof *a);
        if (!a) return -1;
        pk->arrays = a;
        pk->cap = cap;
    }
    store_packed_array *a = &pk->arrays[pk->n];
    memset(a, 0, sizeof *a);
    a->data = data;
    a->elem_size = elem_size;
    a->rank = rank;
    for (int i = 0; i < rank; i++) a->dims[i] = dims[i], a->chunk[i] = chunk[i];
    if (deflate_chunks(rank, dims, chunk, data, elem_size, level, sink_keep, a)) {
        packed_array_free(a);
        return -1;
    }
    pk->n++;
    return 0;
#else
    (void)pk, (void)data, (void)rank, (void)dims, (void)chunk, (void)elem_size, (void)level;
    return 0;
#endif
}

const store_packed_array *store_packed_find(const store_packed *pk, const void *data, int rank, const hsize_t *dims,
                                            const hsize_t *chunk, size_t elem_size, const uint64_t *raw_crc64)
{
    for (int k = 0; pk && k < pk->n; k++) {
        const store_packed_array *a = &pk->arrays[k];
        int same = a->data == data && a->rank == rank && a->elem_size == elem_size &&
                   (raw_crc64 ? a->has_raw_crc && a->raw_crc64 == *raw_crc64 : !a->has_raw_crc);
        for (int i = 0; same && i < rank; i++) same = a->dims[i] == dims[i] && a->chunk[i] == chunk[i];
        if (same) return a;
    }
    return NULL;
}

int store_write_packed(hid_t dset, const store_packed_array *a)
{
    for (int i = 0; i < a->n_chunks; i++) {
        const store_chunk_bytes *c = &a->chunks[i];
        if (H5Dwrite_chunk(dset, H5P_DEFAULT, c->filter_mask, c->off, c->n, c->bytes) < 0) return -1;
    }
    return 0;
}

void store_packed_free(store_packed *pk)
{
    for (int k = 0; pk && k < pk->n; k++) packed_array_free(&pk->arrays[k]);
    if (pk) {
        free(pk->arrays);
        memset(pk, 0, sizeof *pk);
    }
}
