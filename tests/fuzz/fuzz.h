/* fuzz.h: the shared part of the libFuzzer targets (tests/fuzz/fuzz_*.c, built by `make
 * fuzz` with clang -fsanitize=fuzzer,address,undefined).  Readers take a path: each input
 * is written into one in-memory file (memfd) and read through /proc/self/fd/N, so the
 * whole reader, gzip detection included, sees it exactly as a file on disk. */
#ifndef DS_FUZZ_H
#define DS_FUZZ_H

/* memfd_create needs _GNU_SOURCE, which the Makefile passes (-D_GNU_SOURCE): it must come
 * before the first system header, and the reader headers included before this one have some */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("dftscreen-fuzz", 0);
        if (fd < 0) return NULL;
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0) return NULL;
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
        if (w <= 0) return NULL;
        done += (size_t)w;
    }
    return path;
}

/* A run reader fuzz target: read, then free. */
#define FUZZ_RUN_READER(call)                                                                    \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                                 \
    {                                                                                            \
        const char *path = fuzz_file(data, size);                                                \
        if (!path) return 0;                                                                     \
        ds_run run;                                                                              \
        run_init(&run);                                                                          \
        ds_err err;                                                                              \
        ds_err_clear(&err);                                                                      \
        (void)(call);                                                                            \
        run_free(&run);                                                                          \
        return 0;                                                                                \
    }

#endif
