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

/* One step of the 64-bit linear congruential generator the random-text tests share (Knuth's
 * MMIX constants): reproducible inputs, no libc rand state. */
static unsigned long long lcg_step(unsigned long long *state)
{
    return *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
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

/* The plain-decimal fast path against strtod, bit for bit, on random tokens of every
 * length around its 15-digit limit, and with what may follow a token (an exponent or a
 * Fortran exponent must send it to the general path). */
TEST(plain_decimals_exactly_like_strtod)
{
    static const char *const tails[] = {"", " ", "</r>", "E-3", "e+12", "D+02", "-100", "+5", "x"};
    unsigned long long state = 0x9E3779B97F4A7C15ULL;
    int bad = 0;
    for (int i = 0; i < 200000 && bad < 5; i++) {
        lcg_step(&state);
        unsigned r = (unsigned)(state >> 33);
        char tok[64], norm[64];
        size_t n = 0;
        if (r & 1) tok[n++] = '-';
        int ni = 1 + (int)((r >> 1) % 10), nf = (int)((r >> 5) % 12);
        for (int k = 0; k < ni + nf; k++) {
            lcg_step(&state);
            if (k == ni) tok[n++] = '.';
            tok[n++] = (char)('0' + (state >> 40) % 10);
        }
        if (nf == 0 && (r >> 9) % 2) tok[n++] = '.';
        const char *tail = tails[(r >> 10) % (sizeof tails / sizeof *tails)];
        snprintf(tok + n, sizeof tok - n, "%s", tail);
        /* strtod's view of the same token: D -> E, Fortran exponent given its E */
        if (tail[0] == 'D') snprintf(norm, sizeof norm, "%.*sE%s", (int)n, tok, tail + 1);
        else if (tail[0] == '-' || tail[0] == '+') snprintf(norm, sizeof norm, "%.*sE%s", (int)n, tok, tail);
        else snprintf(norm, sizeof norm, "%s", tok);
        int rc;
        double v = num(tok, &rc);
        double ref = strtod(norm, NULL);
        if (rc != DS_NUM_OK || memcmp(&v, &ref, sizeof v) != 0) {
            bad++;
            CHECK_MSG(0, "%s -> %.17g (rc %d) vs strtod(%s) %.17g", tok, v, rc, norm, ref);
        }
    }
    CHECK(bad == 0);
}

/* ds_parse_double_line (8 bytes at a time) must give what ds_parse_double gives, value bit
 * for bit and end of token, on lines of random tokens of every shape, each line in a buffer
 * that ends DS_READER_PAD bytes after its NUL, as the reader guarantees (ASan catches a read
 * further out). */
TEST(line_parser_same_as_general_parser)
{
    static const char *const odd[] = {"***", "NaN", "-Infinity", "1.0-100", "+5.", "-.5", "12345678.9", "\t2.5",
                                      "123456789012345.5", "0.1234567890123456", "7", "1.5D+02", "-0.0000", "x"};
    unsigned long long state = 0xD1B54A32D192ED03ULL;
    int bad = 0;
    for (int line = 0; line < 20000 && bad < 5; line++) {
        char text[512];
        size_t n = 0;
        lcg_step(&state);
        int tokens = 1 + (int)((state >> 33) % 12);
        for (int t = 0; t < tokens && n < 400; t++) {
            lcg_step(&state);
            unsigned r = (unsigned)(state >> 33);
            int blanks = (int)(r % 14);
            for (int b = 0; b < blanks; b++) text[n++] = ' ';
            if (r % 9 == 0) {
                n += (size_t)snprintf(text + n, sizeof text - n, "%s", odd[(r >> 4) % (sizeof odd / sizeof *odd)]);
            } else {
                if ((r >> 4) & 1) text[n++] = '-';
                int ni = 1 + (int)((r >> 5) % 9), nf = (int)((r >> 9) % 10);
                for (int k = 0; k < ni; k++) text[n++] = (char)('0' + (r >> (k % 20)) % 10);
                text[n++] = '.';
                for (int k = 0; k < nf; k++) {
                    lcg_step(&state);
                    text[n++] = (char)('0' + (state >> 40) % 10);
                }
                if ((r >> 13) % 7 == 0) n += (size_t)snprintf(text + n, sizeof text - n, "E-%u", (r >> 16) % 30);
            }
        }
        if ((state >> 20) & 1) n += (size_t)snprintf(text + n, sizeof text - n, " </r>");
        char *buf = malloc(n + 1 + DS_READER_PAD);
        memcpy(buf, text, n);
        memset(buf + n, 0, 1 + DS_READER_PAD);
        const char *a = buf, *b = buf;
        for (;;) {
            double va = 0, vb = 0;
            int ra = ds_parse_double(&a, &va), rb = ds_parse_double_line(&b, &vb);
            if (ra != rb || a != b || (ra != DS_NUM_NONE && memcmp(&va, &vb, sizeof va) != 0 && !(isnan(va) && isnan(vb)))) {
                bad++;
                CHECK_MSG(0, "line \"%s\": general rc %d %.17g at +%td, line parser rc %d %.17g at +%td", buf, ra, va,
                          a - buf, rb, vb, b - buf);
                break;
            }
            if (ra == DS_NUM_NONE) break;
        }
        free(buf);
    }
    CHECK(bad == 0);
}

/* A line of numbers in a buffer that ends DS_READER_PAD bytes after its NUL, as the reader
 * guarantees: ds_parse_doubles_line must read it as ds_parse_double does number by number
 * (values bit for bit, NaN as NaN, end of the numbers, overflow/NaN flags), in one call or in
 * chunks of any size. */
static int row_same_as_general(const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1 + DS_READER_PAD);
    memcpy(buf, text, n);
    memset(buf + n, 0, 1 + DS_READER_PAD);
    double want[256], got[256];
    size_t n_want = 0;
    unsigned want_seen = 0;
    const char *a = buf;
    for (;;) {
        int rc = ds_parse_double(&a, &want[n_want]);
        if (rc == DS_NUM_NONE || n_want == 255) break;
        if (rc != DS_NUM_OK) want_seen |= 1u << rc;
        n_want++;
    }
    int ok = 1;
    for (size_t chunk = 1; chunk <= n_want + 1 && ok; chunk = chunk < 4 ? chunk + 1 : chunk * 3) {
        const char *b = buf;
        unsigned seen = 0;
        size_t total = 0, k;
        do {
            k = ds_parse_doubles_line(&b, got + total, chunk, &seen);
            total += k;
        } while (k == chunk && total < 256 - chunk);
        ok = total == n_want && b == a && seen == want_seen;
        for (size_t i = 0; ok && i < n_want; i++)
            ok = memcmp(&got[i], &want[i], sizeof got[i]) == 0 || (isnan(got[i]) && isnan(want[i]));
        if (!ok)
            CHECK_MSG(0, "row \"%s\" in chunks of %zu: %zu numbers ending at +%td (flags %u), expected %zu at +%td (%u)",
                      buf, chunk, total, b - buf, seen, n_want, a - buf, want_seen);
    }
    free(buf);
    return ok;
}

TEST(row_parser_same_as_general_parser)
{
    /* shapes around the fast paths' limits: 7 digits in all, 7 before the point, 7 or 8 after
     * it, zeros of either sign, blanks of every kind between numbers, exponents of every kind */
    static const char *const rows[] = {
        "<r>   -25.1755     0.0000     0.0000    -0.0000 </r>", "  1234.567 1234.5678 0.1234567 0.12345678",
        "1234567.5 12345678.5 123456.7 -1234567.", "\t-6.0000\t 0.0100 \t0.0200\r", "0.0000</r>", "-0.0000<",
        "  1.5E+00 -2.5e-3 7.25D+01 1.0-100 +5. -.5 .25", "*** 1.0 ********** NaN -Infinity 2.0", "3.0000x 4",
        "   5.     6.0    7", "<v>   0.00000000   0.50000000   0.25000000 </v>", "", "   ", "9.9999999e307 1e-320",
        "0.0000000 -0.0000000 00000.000 -0000000.0", "12.5-3 12.5+ 12.5e 12.5E+", "1.2.3 4..5",
        /* the one-compare "0.0000" and what may follow it */
        "0.0000 0.00001 0.0000E+01 0.0000-1 0.0000x 0.0000\t0.0000\r0.0000<", "0.0000.5 0.00005 0.0000", "0.0000",
        "0.000 0.0001 +0.0000 -0.0000 00.0000 0.0000d3 0.0000e 0.00000000"};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) row_same_as_general(rows[i]);
    /* a zero's text repeated (the run of +0 read by comparing bytes): the field length from 1 to
     * past 16 bytes, runs ended by the line's end, '<', a blank of each kind, a longer zero, a
     * number that starts like the zero (0.00005, 0.0000E+01, 0.0000x, 0.0000.5), -0, a shorter
     * field and a non-zero; chunks of every size cut the runs (row_same_as_general) */
    static const char *const repeats[] = {
        "<r>    -8.8473     0.0000     0.0000     0.0000     0.0000     0.0000     0.0000     0.0000     0.0000     0.0000 </r>",
        "<r>     3.0806     0.0000     0.0000     0.0021     0.0000     0.0000    -0.0000     0.0000     0.0000</r>",
        "0 0 0 0 0 0 0", "0.0 0.0 0.0 0.00 0.0", "     0.0000     0.0000     0.0000", "     0.0000     0.0000<",
        "     0.0000     0.00005     0.0000     0.0000E+01     0.0000     0.0000x",
        "     0.0000     0.0000.5", "     0.0000     0.0000\t     0.0000\r     0.0000", "     0.0000    0.0000     0.0000",
        "         0.0000         0.0000         0.0000", "          0.0000          0.0000          0.0000",
        "             0.0000             0.0000             0.0000", "  0.0000  0.0000  0.0000  0.0000  0.0000  0.0000",
        "0.0000 0.0000 0.0000 -0.0000 0.0000 0.0000 1.0000 0.0000 0.0000",
        "     0.0000     0.0000     0.0000 ***     0.0000     0.0000 NaN     0.0000     0.0000"};
    for (size_t i = 0; i < sizeof repeats / sizeof *repeats; i++) row_same_as_general(repeats[i]);
    /* a fast-path zero keeps its sign, as strtod's */
    double z[2];
    unsigned seen = 0;
    char zeros[8 + DS_READER_PAD] = " -0.0000";
    const char *p = zeros;
    CHECK(ds_parse_doubles_line(&p, z, 2, &seen) == 1 && z[0] == 0 && signbit(z[0]) && *p == '\0');
    /* random rows: numbers of 1..9 integer and 0..9 fraction digits, signs, zeros, blanks */
    static const char *const gaps[] = {" ", "  ", "     ", "\t", " \t ", "\r ", "        ", "           "};
    static const char *const odd[] = {"***", "NaN", "1.0-100", "2.5E+01", "-0.0000", "0.0000", "1e5", "x"};
    unsigned long long state = 0x853C49E6748FEA9BULL;
    int bad = 0;
    for (int line = 0; line < 20000 && bad < 5; line++) {
        char text[1024];
        size_t n = 0;
        lcg_step(&state);
        int tokens = 1 + (int)((state >> 33) % 40);
        if ((state >> 20) & 1) n += (size_t)snprintf(text, sizeof text, "<r>");
        for (int t = 0; t < tokens && n < 900; t++) {
            lcg_step(&state);
            unsigned r = (unsigned)(state >> 33);
            n += (size_t)snprintf(text + n, sizeof text - n, "%s", gaps[r % 8]);
            if (r % 23 == 0) {
                n += (size_t)snprintf(text + n, sizeof text - n, "%s", odd[(r >> 3) % 8]);
                continue;
            }
            if ((r >> 3) & 1) text[n++] = '-';
            int ni = 1 + (int)((r >> 4) % 9), nf = (int)((r >> 8) % 10), zero = (r >> 12) % 3 == 0;
            for (int k = 0; k < ni + nf; k++) {
                lcg_step(&state);
                if (k == ni) text[n++] = '.';
                text[n++] = zero ? '0' : (char)('0' + (state >> 40) % 10);
            }
            if (nf == 0) text[n++] = '.';
        }
        text[n] = '\0';
        if ((state >> 21) & 1) snprintf(text + n, sizeof text - n, " </r>");
        if (!row_same_as_general(text)) bad++;
    }
    CHECK(bad == 0);
}

/* Rows of fixed-width fields, as VASP writes DOS and PDOS rows (F11.4 after "<r>"), read at
 * each field's place w bytes after the one before: mostly zeros of the row's width, now and then
 * a non-zero, and fields that break the width (a number too wide for it, a shorter one, `***`,
 * NaN, an exponent, a zero with more digits, -0) or a first field of another width (eigenvalue
 * rows: F11.4 then F10.4); every row's end (</r>, '<', a tab, CR, the buffer's NUL right after
 * the last digit).  Read as ds_parse_double does number by number, in chunks of every size. */
TEST(fixed_width_rows_read_as_one_by_one)
{
    static const char *const ends[] = {" </r>", "</r>", "<", "\t", "\r", "", "  </r>", " x"};
    static const char *const odd[] = {"***", "NaN", "0.0000E+01", "0.00005", "-0.0000", "1.0-100", "12345678.1234",
                                      "0.0000.5", "+0.0000", "0.0000x"};
    unsigned long long state = 0x2545F4914F6CDD1DULL;
    int bad = 0;
    for (int line = 0; line < 30000 && bad < 5; line++) {
        char text[1024];
        size_t n = 0;
        lcg_step(&state);
        unsigned r0 = (unsigned)(state >> 33);
        int w = 5 + (int)(r0 % 14), first_w = (r0 >> 4) % 5 == 0 ? w + 1 - (int)((r0 >> 7) % 3) : w;
        int fields = 1 + (int)((r0 >> 9) % 24);
        if ((r0 >> 14) & 1) n += (size_t)snprintf(text, sizeof text, "<r>");
        for (int f = 0; f < fields && n < 900; f++) {
            lcg_step(&state);
            unsigned r = (unsigned)(state >> 33);
            int fw = f == 0 ? first_w : w;
            if (r % 41 == 0) { /* a field that breaks the width */
                const char *o = odd[(r >> 6) % 10];
                int pad = (r >> 10) % 2 ? fw - (int)strlen(o) : 1;
                n += (size_t)snprintf(text + n, sizeof text - n, "%*s%s", pad > 0 ? pad : 1, "", o);
            } else if (r % 4 == 0) { /* a non-zero, of the width when it fits, sometimes too wide */
                double v = ((double)(r >> 8) - 4.0e6) / (r % 3 ? 1.0e4 : 1.0e1);
                n += (size_t)snprintf(text + n, sizeof text - n, "%*.4f", fw, v);
            } else if (r % 97 == 1) { /* a shorter zero */
                n += (size_t)snprintf(text + n, sizeof text - n, " 0.0000");
            } else {
                n += (size_t)snprintf(text + n, sizeof text - n, "%*.4f", fw, 0.0);
            }
        }
        lcg_step(&state);
        n += (size_t)snprintf(text + n, sizeof text - n, "%s", ends[(state >> 33) % 8]);
        if (!row_same_as_general(text)) bad++;
    }
    CHECK(bad == 0);
}

/* A random text file for the reader tests, into text: 1..max_lines lines, each mostly one of the
 * first n_common pieces, now and then any piece, a NUL byte in front or fill bytes fill_char
 * after; CRLF line ends in a quarter of the files, the last newline now and then left out.
 * Returns its length; *lines_out gets the number of lines. */
static size_t random_lines(char *text, unsigned long long *state, const char *const *pieces, size_t n_pieces,
                           unsigned n_common, int max_lines, char fill_char, int fill, int *lines_out)
{
    size_t n = 0;
    lcg_step(state);
    int lines = 1 + (int)((*state >> 33) % (unsigned long long)max_lines), crlf = (*state >> 40) % 4 == 0;
    for (int l = 0; l < lines; l++) {
        lcg_step(state);
        unsigned r = (unsigned)(*state >> 33);
        const char *piece = r % 4 ? pieces[(r >> 2) % n_common] : pieces[(r >> 3) % n_pieces];
        if ((r >> 9) % 37 == 0) text[n++] = '\0';
        size_t len = strlen(piece);
        memcpy(text + n, piece, len);
        n += len;
        if ((r >> 15) % 29 == 0)
            for (int k = 0; k < fill; k++) text[n++] = fill_char;
        if (l < lines - 1 || (r >> 20) % 2) {
            if (crlf) text[n++] = '\r';
            text[n++] = '\n';
        }
    }
    *lines_out = lines;
    return n;
}

/* text written to path and opened twice: ref streams it line by line (ds_reader_open), r holds
 * it whole (ds_reader_open_full); both refuse lines longer than max_line. */
static void open_both(const char *path, const char *text, size_t n, size_t max_line, ds_reader *ref, ds_reader *r)
{
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    ds_err err;
    CHECK(ds_reader_open(ref, path, &err) == DS_OK && ds_reader_open_full(r, path, &err) == DS_OK && r->whole);
    ref->max_line = r->max_line = max_line;
}

/* ds_reader_skip_to_line against the lines themselves: a file of random lines (blanks of every
 * kind, the prefixes at the start of a line or inside one, near misses, NUL bytes, CRLF, with or
 * without a last newline) is read line by line by a streaming reader, which stops at the first
 * line after the starting one that starts with a prefix past its blanks; the whole-file reader
 * skips there and must return the same line with the same line number, bytes consumed and
 * last-line flag; in front of a line longer than max_line it stops, and both fail alike. */
static void skip_case(const char *path, const char *text, size_t n, size_t start_line, size_t max_line)
{
    static const char *const stops[2] = {"</projected>", "</modeling>"};
    ds_reader ref, r;
    open_both(path, text, n, max_line, &ref, &r);
    char *want = NULL, *got = NULL;
    for (size_t i = 0; i < start_line; i++) {
        want = ds_reader_next(&ref, NULL);
        got = ds_reader_next(&r, NULL);
    }
    if (want && got) {
        while ((want = ds_reader_next(&ref, NULL))) {
            const char *q = ds_skip_ws_line(want);
            if (ds_starts_with(q, stops[0]) || ds_starts_with(q, stops[1])) break;
        }
        ds_reader_skip_to_line(&r, stops, 2);
        got = ds_reader_next(&r, NULL);
    }
    CHECK_MSG(!want == !got && (!want || strcmp(want, got) == 0) && ref.line_no == r.line_no &&
                  ref.bytes_consumed == r.bytes_consumed && ref.last_line_unterminated == r.last_line_unterminated &&
                  ref.failed == r.failed && ref.fail_err.line == r.fail_err.line,
              "from line %zu: line by line \"%s\" at %ld (%llu bytes, unterminated %d, failed %d at %ld), skip \"%s\" at "
              "%ld (%llu, %d, %d at %ld)",
              start_line, want ? want : "(end)", ref.line_no, (unsigned long long)ref.bytes_consumed,
              ref.last_line_unterminated, ref.failed, ref.fail_err.line, got ? got : "(end)", r.line_no,
              (unsigned long long)r.bytes_consumed, r.last_line_unterminated, r.failed, r.fail_err.line);
    ds_reader_close(&ref);
    ds_reader_close(&r);
}

TEST(reader_skip_to_line_as_line_by_line)
{
    static const char *const pieces[] = {
        "<r>    0.0000    0.1000 </r>", "  </projected>", "</projected>", "\t\r </projected>  tail", "</projected",
        "  </projectedX>", "<r> </projected> </r>", "x</projected>", " </modeling>", "</modelin", "<set comment=\"band 1\">",
        "  \t  ", "", "</set>", "j j j </ </p", "\xff\xfe", "  </pro\r", " jjjj</projected>"};
    char path[] = "/tmp/ds_io_skipXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unsigned long long state = 0x2545F4914F6CDD1DULL;
    char *text = malloc(1 << 17);
    for (int file = 0; file < 400; file++) {
        int lines;
        /* mostly rows; now and then a piece, a NUL byte or a long line */
        size_t n = random_lines(text, &state, pieces, sizeof pieces / sizeof *pieces, 1, 60, 'x', 200, &lines);
        size_t start = (size_t)(state >> 50) % (size_t)(lines + 1);
        skip_case(path, text, n, start, (state >> 45) % 3 ? DS_MAX_LINE_DEFAULT : 150);
    }
    /* the end of the file in the skipped block, with and without its last newline */
    const char *cut = "<projected>\n<r> 1 </r>\n<r> 2 </r>";
    skip_case(path, cut, strlen(cut), 1, DS_MAX_LINE_DEFAULT);
    skip_case(path, "<projected>\n<r> 1 </r>\n", 23, 1, DS_MAX_LINE_DEFAULT);
    skip_case(path, "<projected>\n", 12, 1, DS_MAX_LINE_DEFAULT);
    /* 70000 empty lines and then short ones: line counts far past what a byte counter holds */
    size_t n = 0;
    n += (size_t)sprintf(text, "<projected>\n");
    for (int i = 0; i < 70000; i++) text[n++] = '\n';
    for (int i = 0; i < 20000 && n < (1 << 17) - 32; i++) n += (size_t)sprintf(text + n, i % 2 ? "\r\n" : " \n");
    n += (size_t)sprintf(text + n, "</projected>\n</modeling>\n");
    skip_case(path, text, n, 1, DS_MAX_LINE_DEFAULT);
    free(text);
    unlink(path);
}

/* ds_reader_xml_row against the line reader: a file of random lines (rows of every shape a
 * damaged vasprun.xml may hold, near misses, NUL bytes, CRLF, with or without a last newline)
 * is read by a whole-file reader that tries ds_reader_xml_row before each line, beside a
 * streaming reader that reads every line with ds_reader_next.  A row the fast path takes must
 * give the numbers and flags ds_parse_doubles_line gives after the line's "<r>", and leave the
 * reader where ds_reader_next leaves it; a line it refuses must leave the reader untouched,
 * so that ds_reader_next then returns the same line as the streaming reader. */
static void xml_row_case(const char *path, const char *text, size_t n, size_t exact, size_t room, size_t max_line,
                         int *taken)
{
    ds_reader ref, r;
    open_both(path, text, n, max_line, &ref, &r);
    for (int guard = 0; guard < 100000; guard++) {
        double got[40], want[40];
        size_t k = 99;
        unsigned seen = 0;
        size_t start = r.start;
        long line_no = r.line_no;
        unsigned long long bytes = (unsigned long long)r.bytes_consumed;
        if (ds_reader_xml_row(&r, 'r', exact, got, room, &k, &seen)) {
            (*taken)++;
            char *line = ds_reader_next(&ref, NULL);
            CHECK(line != NULL);
            if (!line) break;
            const char *q = ds_skip_ws_line(line);
            CHECK_MSG(ds_starts_with(q, "<r>"), "taken: \"%s\"", line);
            q += 3;
            unsigned want_seen = 0;
            size_t kw = ds_parse_doubles_line(&q, want, room, &want_seen);
            CHECK_MSG(kw == k && k < room && (!exact || k == exact) && memcmp(got, want, k * sizeof *got) == 0 &&
                          seen == want_seen && strstr(q, "</r>") != NULL,
                      "row \"%s\": %zu numbers (flags %u) by the fast path, %zu (%u) by the line", line, k, seen, kw,
                      want_seen);
            CHECK_MSG(ref.line_no == r.line_no && ref.bytes_consumed == r.bytes_consumed,
                      "row \"%s\": line %ld / %ld, bytes %llu / %llu", line, r.line_no, ref.line_no,
                      (unsigned long long)r.bytes_consumed, (unsigned long long)ref.bytes_consumed);
            continue;
        }
        CHECK(r.start == start && r.line_no == line_no && (unsigned long long)r.bytes_consumed == bytes && seen == 0);
        char *want_line = ds_reader_next(&ref, NULL), *got_line = ds_reader_next(&r, NULL);
        CHECK_MSG(!want_line == !got_line && (!want_line || strcmp(want_line, got_line) == 0) &&
                      ref.line_no == r.line_no && ref.bytes_consumed == r.bytes_consumed &&
                      ref.last_line_unterminated == r.last_line_unterminated && ref.failed == r.failed,
                  "refused line: \"%s\" at %ld line by line, \"%s\" at %ld after the fast path",
                  want_line ? want_line : "(end)", ref.line_no, got_line ? got_line : "(end)", r.line_no);
        if (!want_line || !got_line) break;
    }
    ds_reader_close(&ref);
    ds_reader_close(&r);
}

TEST(reader_xml_row_as_line_by_line)
{
    static const char *const pieces[] = {
        "<r>  -23.1733    1.0000 </r>", "       <r>    0.0000    0.1000    0.0000 </r>", "<r>1 2</r>", "\t<r> 1 2 </r>",
        "<r> 1 2 </r>  \t", "<r> 1 2 </r> x", "<r> 1 2 x </r>", "<r> 1 2 </r", "<r> 1 2 <r>", "<v> 1 2 </v>",
        "<r> ***** 1.0 </r>", "<r> NaN 2 </r>", "<r> 1.5D+02 -.302333-128 </r>", "<r></r>", "<r> </r>", " <r > 1 2 </r>",
        "<r> 1 2 </R>", "<r> 1\t2 </r>", "<r> 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 </r>", "</set>", "",
        "<r> 1 2 \r </r>", "<r> -0.0000 1e300 </r>", "<r>  1.12345678901234567890 2 </r>"};
    char path[] = "/tmp/ds_io_rowXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unsigned long long state = 0x9E3779B97F4A7C15ULL;
    char *text = malloc(1 << 16);
    int taken = 0;
    for (int file = 0; file < 600; file++) {
        int lines;
        /* mostly the two plain rows; now and then another shape, a NUL byte or 120 blanks */
        size_t n = random_lines(text, &state, pieces, sizeof pieces / sizeof *pieces, 2, 40, ' ', 120, &lines);
        lcg_step(&state);
        size_t exact = (size_t)(state >> 40) % 5, room = 2 + (size_t)(state >> 50) % 30;
        xml_row_case(path, text, n, exact, room, (state >> 45) % 4 ? DS_MAX_LINE_DEFAULT : 40, &taken);
    }
    CHECK_MSG(taken > 2000, "only %d rows taken by the fast path", taken);
    /* the shapes it must take, and the ones it must leave to the line reader */
    int t = 0;
    const char *good = "  <r>  -1.0000  0.0000 </r>\n<r>1 2</r>\r\n\t<r> 3 4 </r> \n";
    xml_row_case(path, good, strlen(good), 2, 32, DS_MAX_LINE_DEFAULT, &t);
    CHECK(t == 2); /* the tab-indented row goes to the line reader */
    const char *refused[] = {"<r> 1 2 3 </r>\n", "<r> 1 2 </r> x\n", "<r> 1 2 </r>", "<v> 1 2 </v>\n", "<r> 1 2 </r\n"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        t = 0;
        xml_row_case(path, refused[i], strlen(refused[i]), 2, 32, DS_MAX_LINE_DEFAULT, &t);
        CHECK_MSG(t == 0, "taken: \"%s\"", refused[i]);
    }
    t = 0; /* as many numbers as room: there may be more, so the line reader reads it */
    xml_row_case(path, "<r> 1 2 3 </r>\n", 15, 0, 3, DS_MAX_LINE_DEFAULT, &t);
    CHECK(t == 0);
    t = 0; /* a row longer than max_line is the line reader's to refuse */
    xml_row_case(path, "<r> 1 2 </r>\n<r>  1.0000  2.0000 </r>\n", 38, 2, 32, 20, &t);
    CHECK(t == 1);
    free(text);
    unlink(path);
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
    /* one bit of the trailer's CRC-32 flipped: the one-call inflate (which checks it) refuses
     * the file, which is streamed, and zlib's check names the damage after the lines */
    f = fopen(gzp, "r+b");
    fseek(f, sz - 8, SEEK_SET);
    int crc0 = fgetc(f);
    fseek(f, sz - 8, SEEK_SET);
    fputc(crc0 ^ 1, f);
    fclose(f);
    CHECK(ds_reader_open_full(&r, gzp, &err) == DS_OK && !r.whole);
    n = 0;
    while (ds_reader_next(&r, NULL)) n++;
    CHECK_MSG(r.failed && strstr(r.fail_err.msg, "check") && strstr(r.fail_err.msg, gzp), "%ld lines, failed %d: %s", n,
              r.failed, r.fail_err.msg);
    ds_reader_close(&r);
    f = fopen(gzp, "r+b");
    fseek(f, sz - 8, SEEK_SET);
    fputc(crc0, f);
    fclose(f);
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
    RUN(plain_decimals_exactly_like_strtod);
    RUN(line_parser_same_as_general_parser);
    RUN(row_parser_same_as_general_parser);
    RUN(fixed_width_rows_read_as_one_by_one);
    RUN(fortran_quirks);
    RUN(token_advance);
    RUN(reader_plain_and_gzip_same_lines);
    RUN(reader_refuses_overlong_line_and_truncated_gzip);
    RUN(reader_skip_to_line_as_line_by_line);
    RUN(reader_xml_row_as_line_by_line);
    RUN(open_errors_name_the_file);
    return TEST_FINISH();
}
