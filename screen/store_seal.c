/* store_seal: whole-file CRC-32 of a campaign store, kept in its HDF5 user block. */
#include "screen/store_seal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <isa-l/crc.h>
#include <stdint.h>

hid_t store_seal_fcpl(void)
{
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl >= 0 && H5Pset_userblock(fcpl, STORE_SEAL_BYTES) < 0) {
        H5Pclose(fcpl);
        return -1;
    }
    return fcpl;
}

/* CRC-32 (zlib, the same as Python's zlib.crc32) of bytes [STORE_SEAL_BYTES, end) of fd. */
static int body_crc(int fd, const char *path, unsigned long *crc, long long *bytes, ds_err *err)
{
    enum { CHUNK = 1 << 20 };
    unsigned char *buf = malloc(CHUNK);
    if (!buf) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    uint32_t c = 0; /* crc32_gzip_refl(0, ...) is zlib's crc32(0, ...), with PCLMUL */
    long long n = 0;
    off_t off = STORE_SEAL_BYTES;
    for (;;) {
        ssize_t got = pread(fd, buf, CHUNK, off);
        if (got < 0) {
            if (errno == EINTR) continue;
            free(buf);
            return ds_err_set(err, DS_EIO, path, 0, "cannot read the store: %s", strerror(errno));
        }
        if (got == 0) break;
        c = crc32_gzip_refl(c, buf, (uint64_t)got);
        n += got;
        off += got;
    }
    free(buf);
    *crc = c;
    *bytes = n + STORE_SEAL_BYTES;
    return DS_OK;
}

int store_seal_write(const char *path, ds_err *err)
{
    int fd = open(path, O_RDWR);
    if (fd < 0) return ds_err_set(err, DS_EIO, path, 0, "cannot open the new store to seal it: %s", strerror(errno));
    unsigned long crc = 0;
    long long bytes = 0;
    int rc = body_crc(fd, path, &crc, &bytes, err);
    if (!rc) {
        char block[STORE_SEAL_BYTES];
        memset(block, '\n', sizeof block);
        int len = snprintf(block, sizeof block,
                           STORE_SEAL_MAGIC
                           "crc32 %08lx\n"
                           "bytes %lld\n"
                           "(zlib CRC-32 of every byte after the first %d, as Python's zlib.crc32;\n"
                           " the HDF5 file follows at byte %d: h5dump and h5py skip this block)\n",
                           crc, bytes, STORE_SEAL_BYTES, STORE_SEAL_BYTES);
        if (len < 0 || len >= (int)sizeof block || pwrite(fd, block, sizeof block, 0) != (ssize_t)sizeof block)
            rc = ds_err_set(err, DS_EIO, path, 0, "cannot write the store's seal: %s", strerror(errno));
    }
    close(fd);
    return rc;
}

int store_seal_check(const char *path, ds_err *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return ds_err_set(err, DS_EIO, path, 0, "cannot open: %s", strerror(errno));
    char block[STORE_SEAL_BYTES + 1];
    ssize_t got = pread(fd, block, STORE_SEAL_BYTES, 0);
    block[got > 0 ? got : 0] = '\0';
    unsigned long crc_sealed = 0;
    long long bytes_sealed = -1;
    size_t ml = strlen(STORE_SEAL_MAGIC);
    if (got != STORE_SEAL_BYTES || strncmp(block, STORE_SEAL_MAGIC, ml) != 0 ||
        sscanf(block + ml, "crc32 %8lx\nbytes %lld", &crc_sealed, &bytes_sealed) != 2 || bytes_sealed < STORE_SEAL_BYTES) {
        close(fd);
        return ds_err_set(err, DS_EFORMAT, path, 0,
                          "no valid dftscreen seal in the first %d bytes (not a campaign store, a store of an "
                          "older format, or a damaged header); it is not read",
                          STORE_SEAL_BYTES);
    }
    unsigned long crc = 0;
    long long bytes = 0;
    int rc = body_crc(fd, path, &crc, &bytes, err);
    close(fd);
    if (rc) return rc;
    if (bytes != bytes_sealed)
        return ds_err_set(err, DS_EFORMAT, path, 0,
                          "the store has %lld bytes but was sealed with %lld (truncated copy or changed outside "
                          "dftscreen); it is not read",
                          bytes, bytes_sealed);
    if (crc != crc_sealed)
        return ds_err_set(err, DS_EFORMAT, path, 0,
                          "the store is corrupted: CRC-32 %08lx of its bytes does not match its seal %08lx "
                          "(damaged bytes, or changed outside dftscreen); it is not read",
                          crc, crc_sealed);
    return DS_OK;
}
