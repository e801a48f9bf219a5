/* test_campaign_hash: the content checksum that decides whether a run's main output changed
 * (campaign_file_hash, screen/campaign_walk.c) is CRC-64/XZ of the bytes as stored: the
 * catalogue check value, every length across the 64 KiB read buffer, and an unreadable file.
 * The reader that parses a file whole takes the same checksum of the bytes it read
 * (ds_reader digest), which the ingest stores instead of reading the file again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "screen/campaign.h"
#include "tests/test.h"

static void write_file(const char *path, const unsigned char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(bytes, 1, n, f);
    fclose(f);
}

/* Bitwise CRC-64/XZ (poly 0x42F0E1EBA9EA3693 reflected, init and final xor all ones): the
 * definition, to check the table-free library routine against. */
static uint64_t crc64_xz_bitwise(const unsigned char *p, size_t n)
{
    uint64_t crc = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) crc = crc & 1 ? (crc >> 1) ^ 0xC96C5795D7870F42ULL : crc >> 1;
    }
    return ~crc;
}

TEST(check_value_of_the_catalogue)
{
    const char *path = T_WORK("check");
    write_file(path, (const unsigned char *)"123456789", 9);
    ds_err err;
    ds_err_clear(&err);
    CHECK(campaign_file_hash(path, &err) == 0x995DC9BBDF1939FAULL); /* CRC-64/XZ "check" */
    CHECK(err.code == DS_OK);
    write_file(path, (const unsigned char *)"", 0);
    CHECK(campaign_file_hash(path, &err) == 0);
}

TEST(lengths_across_the_read_buffer_match_the_definition)
{
    size_t sizes[] = {1, 7, 8, 65535, 65536, 65537, 3 * 65536 + 13};
    size_t max = 3 * 65536 + 13;
    unsigned char *bytes = malloc(max);
    CHECK(bytes != NULL);
    if (!bytes) return;
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < max; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bytes[i] = (unsigned char)(x >> 24);
    }
    const char *path = T_WORK("random");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        write_file(path, bytes, sizes[k]);
        ds_err err;
        CHECK_MSG(campaign_file_hash(path, &err) == crc64_xz_bitwise(bytes, sizes[k]), "%zu bytes", sizes[k]);
    }
    free(bytes);
}

TEST(unreadable_file_is_an_error_naming_it)
{
    const char *path = T_WORK("absent");
    ds_err err;
    ds_err_clear(&err);
    CHECK(campaign_file_hash(path, &err) == 0);
    CHECK(err.code == DS_EIO && strstr(err.file, "absent") != NULL);
}

/* n bytes of text lines (the reader's digest is of any bytes; lines keep the file a text file) */
static void fill_text(unsigned char *bytes, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        bytes[i] = i % 61 == 60 ? '\n' : (unsigned char)('0' + seed % 43);
    }
}

static void write_gzip(const char *path, const unsigned char *bytes, size_t n, int members)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fclose(f);
    for (int m = 0; m < members; m++) { /* each member appended: a multi-member file when members > 1 */
        gzFile g = gzopen(path, "ab");
        if (!g) return;
        size_t part = n / (size_t)members, from = (size_t)m * part, len = m == members - 1 ? n - from : part;
        if (len) gzwrite(g, bytes + from, (unsigned)len);
        gzclose(g);
    }
}

TEST(reader_digest_is_the_checksum_of_the_file_as_stored)
{
    size_t sizes[] = {0, 1, 9, 65536, 65537, 3 * 65536 + 13};
    size_t max = 3 * 65536 + 13;
    unsigned char *bytes = malloc(max);
    CHECK(bytes != NULL);
    if (!bytes) return;
    fill_text(bytes, max, 88172645463325252ULL);
    const char *plain = T_WORK("digest.txt"), *gz = T_WORK("digest.txt.gz");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (int z = 0; z < 2; z++) {
            const char *path = z ? gz : plain;
            if (z) write_gzip(path, bytes, sizes[k], 1);
            else write_file(path, bytes, sizes[k]);
            ds_reader r;
            ds_err err;
            CHECK(ds_reader_open_full(&r, path, &err) == DS_OK);
            uint64_t want = campaign_file_hash(path, &err);
            CHECK_MSG(r.whole && r.has_digest && r.digest_crc64_xz == want, "%s, %zu bytes: %016llx, file %016llx",
                      z ? "gzip" : "plain", sizes[k], (unsigned long long)r.digest_crc64_xz, (unsigned long long)want);
            FILE *f = fopen(path, "rb");
            long on_disk = -1;
            if (f && fseek(f, 0, SEEK_END) == 0) on_disk = ftell(f);
            if (f) fclose(f);
            CHECK(r.digest_bytes == (uint64_t)on_disk);
            ds_reader_close(&r);
        }
    }
    /* the catalogue check value through the reader */
    write_file(plain, (const unsigned char *)"123456789", 9);
    ds_reader r;
    ds_err err;
    CHECK(ds_reader_open_full(&r, plain, &err) == DS_OK && r.has_digest && r.digest_crc64_xz == 0x995DC9BBDF1939FAULL);
    ds_reader_close(&r);
    free(bytes);
}

/* A file the reader streams (two gzip members; or opened with ds_reader_open) has no digest:
 * the ingest then reads it again for the checksum. */
TEST(a_streamed_file_has_no_digest)
{
    unsigned char text[4000];
    fill_text(text, sizeof text, 7);
    const char *gz = T_WORK("two_members.gz");
    write_gzip(gz, text, sizeof text, 2);
    ds_reader r;
    ds_err err;
    CHECK(ds_reader_open_full(&r, gz, &err) == DS_OK);
    CHECK(!r.whole && !r.has_digest);
    size_t lines = 0;
    while (ds_reader_next(&r, NULL)) lines++;
    CHECK(lines == sizeof text / 61 + 1 && !r.failed); /* both members read */
    ds_reader_close(&r);
    CHECK(ds_reader_open(&r, gz, &err) == DS_OK && !r.has_digest);
    ds_reader_close(&r);
}

int main(void)
{
    if (T_WORKDIR_MAKE("hash_test")) return 1;
    RUN(check_value_of_the_catalogue);
    RUN(lengths_across_the_read_buffer_match_the_definition);
    RUN(unreadable_file_is_an_error_naming_it);
    RUN(reader_digest_is_the_checksum_of_the_file_as_stored);
    RUN(a_streamed_file_has_no_digest);
    if (T_WORKDIR_REMOVE()) return 1;
    return TEST_FINISH();
}
