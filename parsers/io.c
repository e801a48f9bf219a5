/* io: error values, the gzip-transparent line reader and exact fast number parsing. */
#include "parsers/io.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <isa-l/crc64.h>
#include <isa-l/igzip_lib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define READ_CHUNK ((size_t)1 << 20)

void ds_err_clear(ds_err *err)
{
    if (!err) return;
    err->code = 0;
    err->file[0] = '\0';
    err->line = 0;
    err->msg[0] = '\0';
}

int ds_err_set(ds_err *err, int code, const char *file, long line, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *ds_err_format(const ds_err *err, char *buf, size_t n)
{
    if (err->file[0] && err->line > 0)
        snprintf(buf, n, "%s:%ld: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(buf, n, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, n, "%s", err->msg);
    return buf;
}

int ds_is_gzip(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char m[2] = {0, 0};
    size_t got = fread(m, 1, 2, f);
    fclose(f);
    return got == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

int ds_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int ds_find_variant(const char *dir, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", dir, name);
    if (ds_file_exists(out)) return 1;
    snprintf(out, n, "%s/%s.gz", dir, name);
    if (ds_file_exists(out)) return 1;
    out[0] = '\0';
    return 0;
}

int ds_reader_open(ds_reader *r, const char *path, ds_err *err)
{
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->max_line = DS_MAX_LINE_DEFAULT;
    struct stat st;
    if (stat(path, &st) != 0)
        return ds_err_set(err, DS_EIO, path, 0, "cannot open: %s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return ds_err_set(err, DS_EIO, path, 0, "is a directory, expected a file");
    gzFile gz = gzopen(path, "rb");
    if (!gz) return ds_err_set(err, DS_EIO, path, 0, "cannot open: %s", strerror(errno));
    gzbuffer(gz, 1 << 17);
    r->gz = gz;
    r->cap = READ_CHUNK;
    r->buf = calloc(1, r->cap + 1 + DS_READER_PAD);
    if (!r->buf) {
        gzclose(gz);
        r->gz = NULL;
        return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory for the read buffer");
    }
    return DS_OK;
}

/* Reads the n bytes of the file at fd into a new buffer (one byte more for a NUL, and the
 * reader's zeroed padding). */
static char *read_fd_exact(int fd, size_t n)
{
    char *buf = malloc(n + 1 + DS_READER_PAD);
    if (buf) memset(buf + n, 0, 1 + DS_READER_PAD);
    size_t got = 0;
    while (buf && got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k <= 0) break;
        got += (size_t)k;
    }
    if (buf && got != n) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* The whole file at path into r->buf: plain bytes, or one gzip member whose trailer (CRC and
 * size, which ISA-L's inflate checks) matches.  Returns 1 when done, 0 to stream instead. */
static int slurp(ds_reader *r, const char *path, size_t file_size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    char *in = file_size <= DS_WHOLE_FILE_MAX ? read_fd_exact(fd, file_size) : NULL;
    close(fd);
    if (!in) return 0;
    /* ISA-L's folded CRC-64 (tens of GB/s): 0.8% of the CPU of a 2000-run ingest (perf), which
     * no longer reads each main output a second time for its checksum */
    r->has_digest = 1;
    r->digest_bytes = file_size;
    r->digest_crc64_xz = crc64_ecma_refl(0, (const unsigned char *)in, file_size);
    const unsigned char *u = (const unsigned char *)in;
    if (!(file_size >= 2 && u[0] == 0x1f && u[1] == 0x8b)) { /* plain text */
        r->buf = in;
        r->cap = r->end = file_size;
        return 1;
    }
    if (file_size < 18) { /* no room for a gzip header and trailer: zlib says what is wrong */
        free(in);
        return 0;
    }
    size_t isize = (size_t)u[file_size - 4] | (size_t)u[file_size - 3] << 8 | (size_t)u[file_size - 2] << 16 |
                   (size_t)u[file_size - 1] << 24; /* uncompressed size mod 2^32 */
    /* deflate cannot expand more than 1032:1, so a trailer claiming more is damaged: stream it
     * (zlib then says what is wrong) rather than allocate what it claims */
    int plausible = isize <= DS_WHOLE_FILE_MAX && isize / 1032 <= file_size;
    char *out = plausible ? malloc(isize + 1 + DS_READER_PAD) : NULL;
    if (out) memset(out + isize, 0, 1 + DS_READER_PAD);
    int ok = 0;
    if (out) {
        struct inflate_state z;
        memset(&z, 0, sizeof z);
        isal_inflate_init(&z);
        z.crc_flag = ISAL_GZIP; /* header parsed, trailer's CRC-32 and size checked */
        z.next_in = (uint8_t *)in;
        z.avail_in = (uint32_t)file_size;
        z.next_out = (uint8_t *)out;
        z.avail_out = (uint32_t)isize;
        /* one member filling exactly the size its trailer states: anything else (several
         * members, trailing bytes, damage) is streamed so zlib's messages apply */
        ok = isal_inflate_stateless(&z) == ISAL_DECOMP_OK && z.avail_in == 0 && z.total_out == isize;
    }
    free(in);
    if (!ok) {
        free(out);
        return 0;
    }
    r->buf = out;
    r->cap = r->end = isize;
    return 1;
}

int ds_reader_open_full(ds_reader *r, const char *path, ds_err *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= DS_WHOLE_FILE_MAX) {
        memset(r, 0, sizeof *r);
        snprintf(r->path, sizeof r->path, "%s", path);
        r->max_line = DS_MAX_LINE_DEFAULT;
        if (slurp(r, path, (size_t)st.st_size)) {
            r->whole = 1;
            r->eof = 1;
            return DS_OK;
        }
    }
    return ds_reader_open(r, path, err);
}

static char *line_too_long(ds_reader *r)
{
    ds_err_set(&r->fail_err, DS_EFORMAT, r->path, r->line_no + 1,
               "line longer than %zu bytes: not a text output file of a DFT code, or corrupted", r->max_line);
    r->failed = 1;
    return NULL;
}

/* Reads more data after compacting; returns bytes read, 0 at EOF, -1 on error. */
static long reader_fill(ds_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        if (r->cap >= r->max_line) {
            line_too_long(r);
            return -1;
        }
        size_t ncap = r->cap * 2 > r->max_line ? r->max_line : r->cap * 2;
        char *nb = realloc(r->buf, ncap + 1 + DS_READER_PAD);
        if (!nb) {
            ds_err_set(&r->fail_err, DS_ENOMEM, r->path, r->line_no + 1, "out of memory for a long line");
            r->failed = 1;
            return -1;
        }
        memset(nb + r->end, 0, ncap + 1 + DS_READER_PAD - r->end); /* every byte a line can be followed by is set */
        r->buf = nb;
        r->cap = ncap;
    }
    size_t want = r->cap - r->end;
    if (want > (size_t)1 << 30) want = (size_t)1 << 30;
    int got = gzread((gzFile)r->gz, r->buf + r->end, (unsigned)want);
    if (got < 0) {
        int zerr = 0;
        const char *m = gzerror((gzFile)r->gz, &zerr);
        ds_err_set(&r->fail_err, DS_EIO, r->path, r->line_no + 1, "read error: %s", m ? m : "?");
        r->failed = 1;
        return -1;
    }
    if (got == 0) {
        /* A gzip stream cut short reports Z_BUF_ERROR at the end: the file was truncated. */
        int zerr = 0;
        gzerror((gzFile)r->gz, &zerr);
        if (zerr == Z_BUF_ERROR) {
            ds_err_set(&r->fail_err, DS_ETRUNC, r->path, r->line_no + 1,
                       "gzip stream ends early (truncated .gz file)");
            r->failed = 1;
        }
    }
    r->end += (size_t)got;
    return got;
}

char *ds_reader_next(ds_reader *r, size_t *len)
{
    if ((!r->gz && !r->whole) || r->failed) return NULL;
    for (;;) {
        char *s = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = avail ? memchr(s, '\n', avail) : NULL;
        if (nl) {
            size_t l = (size_t)(nl - s);
            if (l > r->max_line) return line_too_long(r);
            r->start += l + 1;
            r->bytes_consumed += l + 1;
            if (l && s[l - 1] == '\r') l--;
            s[l] = '\0';
            r->line_no++;
            if (len) *len = l;
            return s;
        }
        if (r->eof) {
            if (avail == 0) return NULL;
            /* Last line without a newline. */
            if (avail > r->max_line) return line_too_long(r);
            r->start = r->end;
            r->bytes_consumed += avail;
            size_t l = avail;
            if (s[l - 1] == '\r') l--;
            s[l] = '\0';
            r->line_no++;
            r->last_line_unterminated = 1;
            if (len) *len = l;
            return s;
        }
        long got = reader_fill(r);
        if (got < 0) return NULL;
        if (got == 0) r->eof = 1;
    }
}

/* '\n' bytes in [p, p + n).  SSE2 (every x86-64 has it) compares 16 bytes at a time: a skipped
 * block is megabytes, and counting its lines one memchr at a time cost more than the rest of
 * the skip. */
static size_t count_newlines(const char *p, size_t n)
{
    size_t count = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n');
    while (n >= 64) {
        /* each byte lane of acc counts to at most 4 per round: 63 rounds stay below 256 */
        size_t rounds = n / 64 < 63 ? n / 64 : 63;
        __m128i acc = _mm_setzero_si128();
        for (size_t i = 0; i < rounds; i++, p += 64) {
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), nl));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), nl));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), nl));
        }
        __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128()); /* two 64-bit lane sums */
        count += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
        n -= rounds * 64;
    }
#endif
    for (; n; n--) count += *p++ == '\n';
    return count;
}

/* Which byte of a prefix to look for with memchr: the one least likely in the bulk of a
 * block (numbers, blanks, tags like <r>, <set comment="band 1">).  Only the speed depends on
 * the choice: every candidate is checked whole. */
static size_t anchor_index(const char *prefix, size_t len)
{
    static const char common[] = "</> \"=.-+0123456789reatsionlcdupmhgfbvkwyxqjz"; /* most common first */
    size_t best = 0, best_rank = 0;
    for (size_t i = 0; i < len; i++) {
        const char *at = strchr(common, prefix[i]);
        size_t rank = at ? (size_t)(at - common) + 1 : sizeof common; /* not listed: rarest */
        if (rank > best_rank) best = i, best_rank = rank;
    }
    return best;
}

/* The first line of r->buf starting in [from, r->end) whose text past its leading blanks
 * (space, tab, CR: what ds_skip_ws_line passes over inside a line) starts with a prefix: the
 * offset of that line's first byte, or r->end.  `from` is the first byte of a line. */
static size_t find_line_starting(const ds_reader *r, size_t from, const char *const *prefixes, int n)
{
    const char *buf = r->buf;
    size_t found = r->end;
    for (int k = 0; k < n; k++) {
        size_t len = strlen(prefixes[k]);
        if (len == 0 || len > r->end - from) continue;
        size_t off = anchor_index(prefixes[k], len);
        char anchor = prefixes[k][off];
        /* a match starts before the line already found, and fits in the file */
        size_t stop = r->end - len + 1;
        if (found < stop) stop = found;
        const char *h = buf + from + off, *he = buf + stop + off;
        while (h < he && (h = memchr(h, anchor, (size_t)(he - h)))) {
            size_t s = (size_t)(h - buf) - off;
            if (memcmp(buf + s, prefixes[k], len) == 0) {
                size_t t = s;
                while (t > from && (buf[t - 1] == ' ' || buf[t - 1] == '\t' || buf[t - 1] == '\r')) t--;
                if (t == from || buf[t - 1] == '\n') {
                    found = t;
                    break;
                }
            }
            h++;
        }
    }
    return found;
}

void ds_reader_skip_to_line(ds_reader *r, const char *const *prefixes, int n)
{
    if (!r->whole || r->failed) return;
    size_t from = r->start, to = find_line_starting(r, from, prefixes, n);
    /* ds_reader_next refuses a line longer than max_line: stop in front of one.  Every line in a
     * span of at most max_line bytes is short enough; a longer span is walked in windows of
     * max_line + 1 bytes, each of which must hold a '\n'. */
    for (size_t pos = from; to - pos > r->max_line;) {
        size_t i = pos + r->max_line;
        while (i > pos && r->buf[i] != '\n') i--;
        if (r->buf[i] != '\n') {
            to = pos;
            break;
        }
        pos = i + 1;
    }
    long lines = (long)count_newlines(r->buf + from, to - from);
    if (to == r->end && to > from && r->buf[to - 1] != '\n') { /* the last line, without its newline */
        lines++;
        r->last_line_unterminated = 1;
    }
    r->line_no += lines;
    r->bytes_consumed += to - from;
    r->start = to;
}

/* Past spaces (only: a tab, CR or LF stops it) in a buffer with DS_READER_PAD readable bytes
 * after its NUL, 8 bytes at a time. */
static inline const char *skip_spaces(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    uint64_t x;
    while (!(x = ds_load8_(p) ^ 0x2020202020202020ULL)) p += 8;
    return p + (__builtin_ctzll(x) >> 3);
#else
    while (*p == ' ') p++;
    return p;
#endif
}

int ds_reader_xml_row(ds_reader *r, char tag, size_t exact, double *dst, size_t room, size_t *count, unsigned *seen)
{
    if (!r->whole || r->failed || room < 2) return 0;
    /* the bytes from r->start on are untouched file text, NUL after the end: every scan below
     * stops at a byte it does not accept, at the latest that NUL */
    const char *s = r->buf + r->start, *p = skip_spaces(s);
    if (p[0] != '<' || p[1] != tag || p[2] != '>') return 0;
    p += 3;
    unsigned row_seen = 0;
    size_t k = ds_parse_doubles_line(&p, dst, room, &row_seen);
    if (k == room || (exact && k != exact)) return 0; /* room full: maybe more numbers */
    p = skip_spaces(p);
    if (p[0] != '<' || p[1] != '/' || p[2] != tag || p[3] != '>') return 0;
    p += 4;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\r') p++;
    if (*p != '\n') return 0;
    size_t l = (size_t)(p - s);
    if (l > r->max_line) return 0;
    r->start += l + 1;
    r->bytes_consumed += l + 1;
    r->line_no++;
    *count = k;
    *seen |= row_seen;
    return 1;
}

void ds_reader_close(ds_reader *r)
{
    if (r->gz) gzclose((gzFile)r->gz);
    r->gz = NULL;
    free(r->buf);
    r->buf = NULL;
}

int ds_read_all(const char *path, size_t max_bytes, char **out, size_t *out_len, ds_err *err)
{
    *out = NULL;
    if (out_len) *out_len = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return ds_err_set(err, DS_EIO, path, 0, "cannot open: %s", strerror(errno));
    gzFile gz = gzopen(path, "rb");
    if (!gz) return ds_err_set(err, DS_EIO, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        gzclose(gz);
        return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
    }
    for (;;) {
        if (len == cap) {
            if (cap >= max_bytes) {
                free(buf);
                gzclose(gz);
                return ds_err_set(err, DS_ENOMEM, path, 0, "file larger than the %zu-byte limit", max_bytes);
            }
            size_t ncap = cap * 2 > max_bytes ? max_bytes : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                gzclose(gz);
                return ds_err_set(err, DS_ENOMEM, path, 0, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        int got = gzread(gz, buf + len, (unsigned)(cap - len));
        if (got < 0) {
            free(buf);
            gzclose(gz);
            return ds_err_set(err, DS_EIO, path, 0, "read error");
        }
        if (got == 0) break;
        len += (size_t)got;
    }
    gzclose(gz);
    buf[len] = '\0';
    *out = buf;
    if (out_len) *out_len = len;
    return DS_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
/* A field's text of len (1..16) bytes, as two masked words to compare other fields with. */
typedef struct {
    size_t len;
    uint64_t m0, m1, a0, a1;
} field_text;

static inline field_text field_text_of(const char *text, size_t len)
{
    field_text f = {len, len >= 8 ? ~0ULL : (1ULL << (8 * len)) - 1,
                    len <= 8 ? 0 : len == 16 ? ~0ULL : (1ULL << (8 * (len - 8))) - 1, 0, 0};
    f.a0 = ds_load8_(text) & f.m0;
    f.a1 = ds_load8_(text + 8) & f.m1;
    return f;
}

/* The field at s repeats f's text and a byte that ends a number follows it.  Reads 16 bytes from
 * s, and s[len] only once the len bytes before it matched (so never past a NUL). */
static inline int repeats_field(const char *s, const field_text *f)
{
    return (ds_load8_(s) & f->m0) == f->a0 && (ds_load8_(s + 8) & f->m1) == f->a1 && ds_ends_number_(s[f->len]);
}
#endif

/* Kept out of line: inlined into ds_reader_xml_row (same file), gcc 12 -O2 made its number loop
 * about 30% more instructions (callgrind, 200-run ingest: 1.45G against 1.11G). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t doubles_one_by_one(const char **pp, double *dst, size_t max, unsigned *seen)
{
    const char *p = *pp;
    size_t k = 0;
    while (k < max) {
        const char *field = p;
        int rc = ds_parse_double_line(&p, &dst[k]);
        if (rc != DS_NUM_OK) {
            if (rc == DS_NUM_NONE) break;
            *seen |= 1u << rc;
            k++;
            continue;
        }
        k++;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
        /* A +0 just read from at most 16 bytes of text (its blanks and "0.0000"): the fields after
         * it that repeat those bytes exactly, each followed by a byte that ends a number (blank,
         * '<', NUL), are the same +0.  Most of a DOS or PDOS row is such zeros; comparing 16 bytes
         * costs less than parsing each, and has no branch that a zero beside a non-zero number
         * mispredicts (cs2sni6's PDOS block, 720,000 numbers: 7.4 -> 4.9 ns a number).  Bytes
         * read: at most 16 from a position inside the line, which DS_READER_PAD covers; p[len]
         * only once the len bytes before it matched the field, so it is at most the NUL. */
        size_t len = (size_t)(p - field);
        uint64_t bits;
        memcpy(&bits, &dst[k - 1], sizeof bits);
        if (bits != 0 || len > 16) continue;
        field_text z = field_text_of(field, len);
        while (k < max && repeats_field(p, &z)) {
            dst[k++] = 0.0;
            p += len;
        }
#endif
    }
    *pp = p;
    return k;
}

#if defined(__GNUC__)
__attribute__((noinline)) /* as doubles_one_by_one */
#endif
size_t ds_parse_doubles_line(const char **pp, double *dst, size_t max, unsigned *seen)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    /* A row of fixed-width fields (Fortran's F11.4 of a DOS or PDOS row: "   -25.1755     0.0000
     * ..."): every field as wide as the first, w bytes of blanks and number.  Each field is read
     * at its place, w bytes after the one before, rather than where the parse of the one before
     * ended, so that one field's parse does not wait for the last (cs2sni6's 788,048 row numbers:
     * 5.5 -> 4.6 ns a number).  It is the same reading as one by one as long as each parse ends
     * exactly w bytes on; at the first that does not (another width, `***`, NaN), the fields
     * before it were read as one by one would, and one by one goes on from where it ended.  A
     * zero is the template of blanks and "0.0000" followed by a byte that ends a number, as
     * doubles_one_by_one's zero runs.  Bytes read: 16 from a field's place, which lies inside the
     * line (the fields before it were exactly w wide), and s[w] once those matched; as there. */
    const char *p0 = *pp, *s = p0;
    if (max < 2 || ds_parse_double_line(&s, &dst[0]) != DS_NUM_OK) return doubles_one_by_one(pp, dst, max, seen);
    size_t w = (size_t)(s - p0), k = 1;
    if (w < 7 || w > 16) { /* no room for a blank and "0.0000", or a field wider than a compare */
        k += doubles_one_by_one(&s, dst + 1, max - 1, seen);
        *pp = s;
        return k;
    }
    char text[16];
    memset(text, ' ', sizeof text);
    memcpy(text + w - 6, "0.0000", 6);
    field_text zero = field_text_of(text, w);
    const char *e = s;
    int rc = DS_NUM_OK;
    unsigned off = 0; /* the last field read was not w wide, or no plain number */
    while (k < max) {
        if (repeats_field(s, &zero)) {
            dst[k++] = 0.0;
            s += w;
            continue;
        }
        e = s;
        rc = ds_parse_double_line(&e, &dst[k]);
        if (rc == DS_NUM_NONE) break;
        off = (unsigned)(rc != DS_NUM_OK) | (unsigned)(e != s + w);
        k++;
        s += w; /* not e: the next field's place must not wait for this parse */
        if (off) break;
    }
    if (off) { /* e: where that field ended, as one by one would have it */
        if (rc != DS_NUM_OK) *seen |= 1u << rc;
        k += doubles_one_by_one(&e, dst + k, max - k, seen);
        s = e;
    }
    *pp = s;
    return k;
#else
    return doubles_one_by_one(pp, dst, max, seen);
#endif
}

int ds_to_int(double v, int fallback)
{
    if (!(v >= -2147483648.0 && v <= 2147483647.0) || v != floor(v)) return fallback;
    return (int)v;
}

void ds_copy_trim(char *dst, size_t n, const char *b, const char *e)
{
    if (e < b) e = b; /* markers found in the wrong order on a damaged line: empty */
    while (b < e && isspace((unsigned char)*b)) b++;
    while (e > b && isspace((unsigned char)e[-1])) e--;
    size_t l = (size_t)(e - b);
    if (n == 0) return;
    if (l >= n) l = n - 1;
    memcpy(dst, b, l);
    dst[l] = '\0';
}

/* Exact powers of ten representable in a double (Clinger's fast path). */
static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int word_ci(const char *p, const char *w)
{
    for (; *w; p++, w++)
        if (tolower((unsigned char)*p) != *w) return 0;
    return 1;
}

int ds_parse_double(const char **pp, double *out)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '*') {
        while (*p == '*') p++;
        *pp = p;
        *out = NAN;
        return DS_NUM_OVERFLOW;
    }
    const char *tok = p;
    int neg = 0;
    if (*p == '-' || *p == '+') {
        neg = (*p == '-');
        p++;
    }
    /* NaN/Inf are rare: one cheap test before the case-insensitive comparisons (hot path). */
    int c0 = *p | 0x20;
    if (c0 == 'n' && word_ci(p, "nan")) {
        p += 3;
        if (*p == '(') { /* nan(chars) */
            while (*p && *p != ')') p++;
            if (*p) p++;
        }
        *pp = p;
        *out = neg ? -NAN : NAN;
        return DS_NUM_NONFINITE;
    }
    if (c0 == 'i' && word_ci(p, "inf")) {
        p += word_ci(p, "infinity") ? 8 : 3;
        *pp = p;
        *out = neg ? -INFINITY : INFINITY;
        return DS_NUM_NONFINITE;
    }
    uint64_t mant = 0;
    int exp10 = 0, any = 0, dropped = 0;
    while (*p >= '0' && *p <= '9') {
        any = 1;
        if (mant < 100000000000000000ULL) mant = mant * 10 + (uint64_t)(*p - '0');
        else { exp10++; if (*p != '0') dropped = 1; }
        p++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            any = 1;
            if (mant < 100000000000000000ULL) { mant = mant * 10 + (uint64_t)(*p - '0'); exp10--; }
            else if (*p != '0') dropped = 1;
            p++;
        }
    }
    if (!any) return DS_NUM_NONE;
    int fortran_exp = 0;
    const char *q = p;
    int has_exp = 0;
    if (*q == 'e' || *q == 'E' || *q == 'd' || *q == 'D') {
        q++;
        if (*q == '+' || *q == '-') q++;
        if (*q >= '0' && *q <= '9') has_exp = 1;
    } else if ((*q == '+' || *q == '-') && q[1] >= '0' && q[1] <= '9') {
        /* Fortran writes 1.0-100 for 1.0E-100 when the exponent needs three digits. */
        has_exp = 1;
        fortran_exp = 1;
    }
    long e = 0;
    if (has_exp) {
        q = p + (fortran_exp ? 0 : 1);
        int eneg = 0;
        if (*q == '+' || *q == '-') { eneg = (*q == '-'); q++; }
        while (*q >= '0' && *q <= '9') {
            if (e < 100000) e = e * 10 + (*q - '0');
            q++;
        }
        if (eneg) e = -e;
        p = q;
    }
    long total = (long)exp10 + e;
    double v;
    if (!dropped && mant <= (1ULL << 53) && total >= -22 && total <= 22) {
        v = (double)mant;
        v = total < 0 ? v / pow10_exact[-total] : v * pow10_exact[total];
    } else if (mant == 0 && !dropped) {
        v = 0.0;
    } else {
        /* Slow path: normalise the token for strtod (D -> E, insert E for Fortran). */
        char tmp[128];
        size_t n = 0;
        for (const char *s = tok; s < p && n < sizeof tmp - 2; s++) {
            char c = *s;
            if (c == 'd' || c == 'D') c = 'E';
            if (fortran_exp && s > tok && (c == '+' || c == '-') && s[-1] >= '0' && s[-1] <= '9')
                tmp[n++] = 'E';
            if (fortran_exp && s > tok && (c == '+' || c == '-') && s[-1] == '.')
                tmp[n++] = 'E';
            tmp[n++] = c;
        }
        tmp[n] = '\0';
        v = strtod(tmp, NULL);
        *pp = p;
        *out = v; /* strtod applied the sign */
        return isfinite(v) ? DS_NUM_OK : DS_NUM_NONFINITE;
    }
    *pp = p;
    *out = neg ? -v : v;
    return DS_NUM_OK;
}

int ds_parse_long(const char **pp, long *out)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '*') {
        while (*p == '*') p++;
        *pp = p;
        return DS_NUM_OVERFLOW;
    }
    int neg = 0;
    if (*p == '-' || *p == '+') { neg = (*p == '-'); p++; }
    if (!(*p >= '0' && *p <= '9')) return DS_NUM_NONE;
    long v = 0;
    while (*p >= '0' && *p <= '9') {
        if (v < 100000000000000000L) v = v * 10 + (*p - '0');
        p++;
    }
    *pp = p;
    *out = neg ? -v : v;
    return DS_NUM_OK;
}
