/* test_campaign_hash: the content checksum that decides whether a run's main output changed
 * (campaign_file_hash, screen/campaign_walk.c) is CRC-64/XZ of the bytes as stored: the
 * catalogue check value, every length across the 64 KiB read buffer, and an unreadable file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

int main(void)
{
    if (T_WORKDIR_MAKE("hash_test")) return 1;
    RUN(check_value_of_the_catalogue);
    RUN(lengths_across_the_read_buffer_match_the_definition);
    RUN(unreadable_file_is_an_error_naming_it);
    if (T_WORKDIR_REMOVE()) return 1;
    return TEST_FINISH();
}
