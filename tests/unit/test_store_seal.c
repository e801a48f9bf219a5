/* test_store_seal: the campaign store's seal (screen/store_seal.c).  A sealed store opens;
 * any byte flipped anywhere, a truncation, a damaged seal or an unsealed HDF5 file is refused
 * with a message naming the file before HDF5 reads it (the store fuzz target found a
 * use-after-free inside libhdf5 1.10 on a damaged store: such bytes must never reach it). */
#include <fcntl.h>
#include <hdf5.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "screen/campaign_store.h"
#include "screen/store.h"
#include "screen/store_io.h"
#include "screen/store_seal.h"
#include "tests/test.h"

static char dir[64];

/* A store with a header, one run group and a deflated 6000-value dataset, sealed. */
static void make_store(const char *path)
{
    ds_err err;
    hid_t f = campaign_store_create(path, &err);
    CHECK(f >= 0);
    hid_t runs = H5Gcreate2(f, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(runs, "r0000000", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    store_attr_str(g, "code", "vasp");
    store_attr_double(g, "energy_eV", -12.345678901234567);
    double v[6000];
    for (int i = 0; i < 6000; i++) v[i] = -20.0 + 0.01 * i;
    hsize_t n = 6000;
    store_put_doubles(g, "dos_energies_eV", 1, &n, v, "eV");
    H5Gclose(g);
    H5Gclose(runs);
    H5Fclose(f);
    CHECK_MSG(store_seal_write(path, &err) == DS_OK, "%s", err.msg);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *b = malloc(*n ? *n : 1);
    if (b && fread(b, 1, *n, f) != *n) *n = 0;
    fclose(f);
    return b;
}

static void spit(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    if (fwrite(b, 1, n, f) != n) CHECK(0);
    fclose(f);
}

/* A fresh sealed store at dir/good.h5 (its path in good), its bytes returned; bad = dir/NAME. */
static unsigned char *good_store_bytes(char *good, char *bad, size_t len, const char *name, size_t *n)
{
    snprintf(good, len, "%s/good.h5", dir);
    snprintf(bad, len, "%s/%s", dir, name);
    make_store(good);
    *n = 0;
    return slurp(good, n);
}

TEST(sealed_store_opens_and_hdf5_skips_the_seal)
{
    char path[128];
    snprintf(path, sizeof path, "%s/good.h5", dir);
    make_store(path);
    ds_err err;
    CHECK_MSG(store_seal_check(path, &err) == DS_OK, "%s", err.msg);
    hid_t f = campaign_store_open_read(path, &err);
    CHECK_MSG(f >= 0, "%s", err.msg);
    if (f >= 0) {
        hid_t g = H5Gopen2(f, "/runs/r0000000", H5P_DEFAULT);
        CHECK(store_get_double(g, "energy_eV") == -12.345678901234567);
        hsize_t n = 0;
        double *v = store_get_doubles(g, "dos_energies_eV", &n);
        CHECK(v && n == 6000 && v[5999] == -20.0 + 0.01 * 5999);
        free(v);
        H5Gclose(g);
        H5Fclose(f);
    }
    /* plain HDF5 (h5py, h5dump) sees an ordinary file behind the block */
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f >= 0);
    hid_t fcpl = H5Fget_create_plist(f);
    hsize_t ub = 0;
    H5Pget_userblock(fcpl, &ub);
    CHECK(ub == STORE_SEAL_BYTES);
    H5Pclose(fcpl);
    H5Fclose(f);
    size_t n = 0;
    unsigned char *b = slurp(path, &n);
    CHECK(b && memcmp(b, STORE_SEAL_MAGIC, strlen(STORE_SEAL_MAGIC)) == 0);
    /* the seal is what docs/store.md says: zlib's CRC-32 (Python's zlib.crc32) of every byte
     * after the block, and the file size */
    unsigned long crc_sealed = 0;
    long long bytes_sealed = 0;
    const char *line = b ? strstr((const char *)b, "crc32 ") : NULL;
    CHECK(line && sscanf(line, "crc32 %8lx\nbytes %lld", &crc_sealed, &bytes_sealed) == 2);
    CHECK(bytes_sealed == (long long)n && n > STORE_SEAL_BYTES);
    if (b && n > STORE_SEAL_BYTES)
        CHECK(crc_sealed == crc32(crc32(0L, Z_NULL, 0), b + STORE_SEAL_BYTES, (uInt)(n - STORE_SEAL_BYTES)));
    free(b);
}

TEST(a_byte_flipped_anywhere_is_refused_by_the_seal)
{
    char good[128], bad[128];
    size_t n;
    unsigned char *b = good_store_bytes(good, bad, sizeof good, "flipped.h5", &n);
    CHECK(b && n > 4 * STORE_SEAL_BYTES);
    if (!b || n <= 4 * STORE_SEAL_BYTES) return;
    int refused = 0, trials = 0;
    /* the seal's magic, CRC digits and size digits (the comment after them is not data) */
    static const size_t in_seal[10] = {0, 5, 12, 20, 31, 39, 42, 46, 54, 55};
    for (int k = 0; k < 80; k++) {
        /* 10 places in the seal, 70 spread over the HDF5 file (metadata and data) */
        size_t at = k < 10 ? in_seal[k] : STORE_SEAL_BYTES + (size_t)(k - 10) * (n - STORE_SEAL_BYTES - 1) / 69;
        unsigned char keep = b[at];
        /* in the seal the lowest bit (bit 5 only changes the case of a hex digit: same seal) */
        b[at] ^= (unsigned char)(k < 10 ? 1u : 1u << (k % 8));
        spit(bad, b, n);
        b[at] = keep;
        ds_err err;
        ds_err_clear(&err);
        hid_t f = campaign_store_open_read(bad, &err);
        trials++;
        if (f < 0 && strstr(err.msg, "it is not read") && strcmp(err.file, bad) == 0) refused++;
        else printf("  flip at byte %zu: %s\n", at, f >= 0 ? "opened" : err.msg);
        if (f >= 0) H5Fclose(f);
    }
    CHECK(refused == trials);
    ds_err err;
    hid_t f = campaign_store_open_read(good, &err); /* the original is untouched and fine */
    CHECK(f >= 0);
    if (f >= 0) H5Fclose(f);
    free(b);
}

TEST(truncated_or_extended_store_is_refused)
{
    char good[128], bad[128];
    size_t n;
    unsigned char *b = good_store_bytes(good, bad, sizeof good, "cut.h5", &n);
    if (!b) return;
    for (int k = 0; k < 20; k++) {
        size_t len = (size_t)k * n / 20;
        spit(bad, b, len);
        ds_err err;
        ds_err_clear(&err);
        hid_t f = campaign_store_open_read(bad, &err);
        CHECK_MSG(f < 0 && (len < STORE_SEAL_BYTES ? strstr(err.msg, "no valid dftscreen seal") != NULL
                                                     : strstr(err.msg, "was sealed with") != NULL),
                  "cut at %zu: %s", len, err.msg);
        if (f >= 0) H5Fclose(f);
    }
    unsigned char *more = malloc(n + 3);
    memcpy(more, b, n);
    memcpy(more + n, "abc", 3);
    spit(bad, more, n + 3);
    ds_err err;
    CHECK(campaign_store_open_read(bad, &err) < 0 && strstr(err.msg, "was sealed with"));
    free(more);
    free(b);
}

TEST(unsealed_hdf5_file_is_refused)
{
    char path[128];
    snprintf(path, sizeof path, "%s/plain.h5", dir);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    campaign_store_write_header(f);
    hid_t g = H5Gcreate2(f, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(g);
    H5Fclose(f);
    ds_err err;
    CHECK(campaign_store_open_read(path, &err) < 0);
    CHECK_MSG(strstr(err.msg, "no valid dftscreen seal") && strstr(err.msg, "older format"), "%s", err.msg);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    snprintf(dir, sizeof dir, "/tmp/ds_sealXXXXXX");
    if (!mkdtemp(dir)) return 1;
    RUN(sealed_store_opens_and_hdf5_skips_the_seal);
    RUN(a_byte_flipped_anywhere_is_refused_by_the_seal);
    RUN(truncated_or_extended_store_is_refused);
    RUN(unsealed_hdf5_file_is_refused);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) return 1;
    return TEST_FINISH();
}
