/* Unit tests for parsers/io: number parsing (exactness, Fortran quirks) and the line reader. */
#include "parsers/io.h"
#include "tests/test.h"

#include <unistd.h>
#include <zlib.h>

static double num(const char *s, int *rc)
{
    double v = 0;
    const char *p = s;
    *rc = ds_parse_double(&p, &v);
    return v;
}

TEST(parses_exactly_like_strtod)
{
    const char *cases[] = {"-28.21851457", "0.1", "2.41549698", "-1283.3295", "1e-300", "6.02214076e23",
                           "123456789012345678901234", "0.000000000000000000001234", "-0.0", "3.14159265358979323846",
                           "  -47.161489382155", "1.7976931348623157e308", "4.9e-324", "-5.409E-05"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc;
        double v = num(cases[i], &rc);
        CHECK(rc == DS_NUM_OK);
        double ref = strtod(cases[i], NULL);
        CHECK_MSG(memcmp(&v, &ref, sizeof v) == 0, "%s -> %.17g vs strtod %.17g", cases[i], v, ref);
    }
}

TEST(fortran_quirks)
{
    int rc;
    CHECK_NEAR(num("-.302333-128", &rc), -0.302333e-128, 1e-140);
    CHECK(rc == DS_NUM_OK);
    CHECK_NEAR(num("1.5D+02", &rc), 150.0, 0);
    CHECK(rc == DS_NUM_OK);
    num("*********", &rc);
    CHECK(rc == DS_NUM_OVERFLOW);
    CHECK(isnan(num("NaN", &rc)) && rc == DS_NUM_NONFINITE);
    CHECK(isinf(num("-Infinity", &rc)) && rc == DS_NUM_NONFINITE);
    num("abc", &rc);
    CHECK(rc == DS_NUM_NONE);
    num("", &rc);
    CHECK(rc == DS_NUM_NONE);
}

TEST(token_advance)
{
    const char *p = " 1.0 -2.5e1</r>";
    double a, b;
    CHECK(ds_parse_double(&p, &a) == DS_NUM_OK);
    CHECK(ds_parse_double(&p, &b) == DS_NUM_OK);
    CHECK(a == 1.0 && b == -25.0);
    CHECK_STR(p, "</r>");
    long l;
    p = "  42 x";
    CHECK(ds_parse_long(&p, &l) == DS_NUM_OK && l == 42);
}

static void write_file(const char *path, const char *text, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzputs(g, text);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fputs(text, f);
        fclose(f);
    }
}

TEST(reader_plain_and_gzip_same_lines)
{
    char plain[] = "/tmp/ds_io_testXXXXXX";
    int fd = mkstemp(plain);
    close(fd);
    char gzp[64];
    snprintf(gzp, sizeof gzp, "%s.gz", plain);
    const char *text = "first line\r\nsecond\n\nlast no newline";
    for (int k = 0; k < 4; k++) { /* plain, gzip; streamed, then whole (ds_reader_open_full) */
        int gz = k % 2, full = k / 2;
        const char *path = gz ? gzp : plain;
        write_file(path, text, gz);
        CHECK(ds_is_gzip(path) == gz);
        ds_reader r;
        ds_err err;
        CHECK((full ? ds_reader_open_full(&r, path, &err) : ds_reader_open(&r, path, &err)) == DS_OK);
        CHECK(r.whole == full);
        size_t len;
        CHECK_STR(ds_reader_next(&r, &len), "first line");
        CHECK_STR(ds_reader_next(&r, &len), "second");
        CHECK_STR(ds_reader_next(&r, &len), "");
        CHECK_STR(ds_reader_next(&r, &len), "last no newline");
        CHECK(r.line_no == 4 && r.last_line_unterminated);
        CHECK(ds_reader_next(&r, &len) == NULL && !r.failed);
        ds_reader_close(&r);
    }
    unlink(plain);
    unlink(gzp);
}

TEST(reader_refuses_overlong_line_and_truncated_gzip)
{
    char path[] = "/tmp/ds_io_longXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 3000; i++) fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", f);
    fclose(f);
    ds_reader r;
    ds_err err;
    for (int full = 0; full < 2; full++) {
        CHECK((full ? ds_reader_open_full(&r, path, &err) : ds_reader_open(&r, path, &err)) == DS_OK);
        r.max_line = 1 << 16;
        CHECK(ds_reader_next(&r, NULL) == NULL);
        CHECK(r.failed && r.fail_err.code == DS_EFORMAT && r.fail_err.line == 1);
        ds_reader_close(&r);
    }

    /* A gzip file cut in the middle of its stream. */
    char gzp[64];
    snprintf(gzp, sizeof gzp, "%s.gz", path);
    gzFile g = gzopen(gzp, "wb");
    for (int i = 0; i < 20000; i++) gzprintf(g, "line %d with some text %f\n", i, i * 0.37);
    gzclose(g);
    f = fopen(gzp, "rb");
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fclose(f);
    CHECK(ds_reader_open_full(&r, gzp, &err) == DS_OK && r.whole); /* whole, before the cut */
    long n = 0;
    while (ds_reader_next(&r, NULL)) n++;
    CHECK(n == 20000 && !r.failed);
    ds_reader_close(&r);
    /* the trailer's size field says 200 MB: not believed (more than deflate's 1032:1), the
     * file is streamed and zlib's length check names the damage */
    f = fopen(gzp, "r+b");
    fseek(f, sz - 4, SEEK_SET);
    unsigned char claim[4] = {0x00, 0x00, 0x80, 0x0c}; /* 0x0c800000 = 200 MiB, little-endian */
    CHECK(fwrite(claim, 1, 4, f) == 4);
    fclose(f);
    CHECK(ds_reader_open_full(&r, gzp, &err) == DS_OK && !r.whole);
    n = 0;
    while (ds_reader_next(&r, NULL)) n++;
    CHECK_MSG(r.failed && strstr(r.fail_err.msg, "length check") && strstr(r.fail_err.msg, gzp), "%ld lines, failed %d: %s",
              n, r.failed, r.fail_err.msg);
    ds_reader_close(&r);
    CHECK(truncate(gzp, sz / 2) == 0);
    for (int full = 0; full < 2; full++) { /* cut: the one-call inflate gives way to streaming */
        CHECK((full ? ds_reader_open_full(&r, gzp, &err) : ds_reader_open(&r, gzp, &err)) == DS_OK);
        CHECK(!r.whole);
        n = 0;
        while (ds_reader_next(&r, NULL)) n++;
        CHECK(n > 1000 && n < 20000);
        CHECK(r.failed && r.fail_err.code == DS_ETRUNC);
        ds_reader_close(&r);
    }
    unlink(path);
    unlink(gzp);
}

TEST(open_errors_name_the_file)
{
    ds_reader r;
    ds_err err;
    CHECK(ds_reader_open(&r, "/nonexistent/OUTCAR", &err) == DS_EIO);
    CHECK_STR(err.file, "/nonexistent/OUTCAR");
    char buf[1024];
    CHECK(strstr(ds_err_format(&err, buf, sizeof buf), "/nonexistent/OUTCAR") != NULL);
    CHECK(ds_reader_open(&r, "/tmp", &err) == DS_EIO);
}

int main(void)
{
    RUN(parses_exactly_like_strtod);
    RUN(fortran_quirks);
    RUN(token_advance);
    RUN(reader_plain_and_gzip_same_lines);
    RUN(reader_refuses_overlong_line_and_truncated_gzip);
    RUN(open_errors_name_the_file);
    return TEST_FINISH();
}
