/* bench_deflate: the store's chunk compressor (ISA-L igzip level 1, screen/store_chunk.c)
 * beside zlib level 1 (what HDF5's own deflate filter, and h5py's compression="gzip",
 * compression_opts=1, run) on the DOS/PDOS/eigenvalue arrays of a real campaign store:
 * every dataset of 4096 doubles or more under /runs is read, compressed whole by both, and
 * inflated back with zlib (the stream any HDF5 reader inflates), which must give the same
 * bytes.  Prints MB/s (CPU time) and the compressed sizes.  Exit 1 on a round-trip failure.
 * The igzip side is the store's own store_deflate.  usage: bench_deflate STORE.h5 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "screen/store_chunk.h"

#define REP 5

typedef struct {
    double isal_s, zlib_s;
    size_t raw, isal_out, zlib_out, arrays;
    int bad;
} totals;

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int round_trips(const unsigned char *packed, size_t n, const void *raw, size_t raw_n, unsigned char *back)
{
    uLongf got = raw_n;
    return uncompress(back, &got, packed, n) == Z_OK && got == raw_n && memcmp(back, raw, raw_n) == 0;
}

static herr_t visit(hid_t loc, const char *name, const H5O_info_t *info, void *data)
{
    totals *t = data;
    if (info->type != H5O_TYPE_DATASET) return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t type = H5Dget_type(d), space = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    int is_double = H5Tget_class(type) == H5T_FLOAT && H5Tget_size(type) == 8;
    H5Tclose(type), H5Sclose(space);
    if (!is_double || n < 4096 || n > (1 << 24)) {
        H5Dclose(d);
        return 0;
    }
    size_t raw_n = (size_t)n * 8, cap = compressBound((uLong)raw_n);
    double *raw = malloc(raw_n);
    unsigned char *out = malloc(cap), *back = malloc(raw_n), *lbuf = malloc(store_deflate_buf_size(1));
    if (raw && out && back && lbuf && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0) {
        size_t zi = 0;
        uLongf zz = 0;
        double t0 = cpu_now();
        for (int r = 0; r < REP; r++) zi = store_deflate(raw, raw_n, out, cap, 1, lbuf);
        double t1 = cpu_now();
        if (!zi || !round_trips(out, zi, raw, raw_n, back)) t->bad++;
        double t2 = cpu_now();
        for (int r = 0; r < REP; r++) {
            zz = cap;
            compress2(out, &zz, (const Bytef *)raw, raw_n, 1);
        }
        double t3 = cpu_now();
        t->isal_s += (t1 - t0) / REP;
        t->zlib_s += (t3 - t2) / REP;
        t->raw += raw_n;
        t->isal_out += zi;
        t->zlib_out += zz;
        t->arrays++;
    }
    free(raw), free(out), free(back), free(lbuf);
    H5Dclose(d);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_deflate STORE.h5\n");
        return 2;
    }
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return 1;
    totals t = {0};
    H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &t, H5O_INFO_BASIC);
    H5Fclose(f);
    if (!t.arrays) {
        printf("bench_deflate: no array of 4096 doubles or more in %s\n", argv[1]);
        return 1;
    }
    printf("%zu arrays, %.1f MB of doubles (mean of %d repeats each, CPU time)\n", t.arrays,
           (double)t.raw / 1e6, REP);
    printf("%-34s %8.1f MB/s  %10zu bytes (%.1f%%)\n", "ISA-L igzip level 1 (the store)", (double)t.raw / 1e6 / t.isal_s,
           t.isal_out, 100.0 * (double)t.isal_out / (double)t.raw);
    printf("%-34s %8.1f MB/s  %10zu bytes (%.1f%%)\n", "zlib level 1 (HDF5's own filter)", (double)t.raw / 1e6 / t.zlib_s,
           t.zlib_out, 100.0 * (double)t.zlib_out / (double)t.raw);
    printf("speed ratio %.1fx; round trips through zlib's inflate: %s\n", t.zlib_s / t.isal_s,
           t.bad ? "FAILED" : "all identical");
    return t.bad ? 1 : 0;
}
