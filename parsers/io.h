/* io: the one place where parsers touch bytes on disk.  Owns the error value every
 * layer returns (ds_err), a buffered line reader that reads plain and gzip files alike
 * (zlib's gzread passes plain files through), and fast, exact number parsing that
 * understands Fortran quirks (`****` overflow fields, exponents without `E`, `D`
 * exponents). */
#ifndef DS_IO_H
#define DS_IO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Error value: a status plus a message that names the file, the line and what was
 * expected.  Every function that can fail takes one; nothing calls exit(). */
typedef struct {
    int code;          /* 0 = ok; see DS_E* below */
    char file[512];    /* file the problem is in ("" when not file-related) */
    long line;         /* 1-based line number, 0 when unknown */
    char msg[768];     /* human-readable message, without file and line */
} ds_err;

enum {
    DS_OK = 0,
    DS_EIO = 1,        /* cannot open / read */
    DS_EFORMAT = 2,    /* content is not what the format requires */
    DS_ETRUNC = 3,     /* file ends before required data */
    DS_ENOMEM = 4,     /* allocation failed or refused (size limit) */
    DS_EUSAGE = 5,     /* bad arguments */
    DS_ENODATA = 6     /* the file is valid but holds no such data */
};

void ds_err_clear(ds_err *err);
/* Sets err (if non-NULL) and returns code, so `return ds_err_set(...)` reads well. */
int ds_err_set(ds_err *err, int code, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "file:line: message" into buf. */
const char *ds_err_format(const ds_err *err, char *buf, size_t n);

/* Line reader over a plain or gzip-compressed file.  Lines are returned NUL-terminated,
 * without the newline (and without a trailing '\r').  The buffer is reused: a returned
 * line is valid until the next call. */
/* Every line ds_reader_next returns is followed in memory, past its NUL, by at least this
 * many readable bytes with defined contents (ds_parse_double_line reads 8 at a time). */
#define DS_READER_PAD 16

typedef struct {
    void *gz;              /* gzFile */
    char path[512];
    char *buf;
    size_t cap, start, end;
    long line_no;          /* number of the line last returned */
    int eof;
    int last_line_unterminated; /* the file's last line had no '\n' (often: truncated) */
    size_t max_line;       /* longest line accepted (bytes) */
    uint64_t bytes_consumed;   /* uncompressed bytes returned so far */
    int failed;            /* a read error or over-long line stopped the reader */
    int whole;             /* buf holds the whole file (ds_reader_open_full); gz is NULL */
    int has_digest;        /* whole: the file's bytes as on disk were read in one go, and: */
    uint64_t digest_bytes; /*   how many, */
    uint64_t digest_crc64_xz; /* their CRC-64/XZ (ISA-L crc64_ecma_refl), a campaign's checksum */
    ds_err fail_err;
} ds_reader;

#define DS_MAX_LINE_DEFAULT ((size_t)64 << 20)

int ds_reader_open(ds_reader *r, const char *path, ds_err *err);
/* The same reader for a parser that reads the file to its end: a .gz file of up to
 * DS_WHOLE_FILE_MAX uncompressed bytes is inflated in one call (ISA-L's igzip, which checks
 * the trailer's CRC-32 and size; about twice as fast as zlib's streaming inflate) and a plain one read in one go; anything else (larger,
 * several gzip members, damaged or truncated) is streamed as ds_reader_open does, with its
 * messages.  When the whole file was read, has_digest is set and digest_crc64_xz is the
 * CRC-64/XZ of its bytes as on disk (compressed, for a .gz): the bytes parsed, so that the
 * campaign's change check need not read the file a second time. */
int ds_reader_open_full(ds_reader *r, const char *path, ds_err *err);
#define DS_WHOLE_FILE_MAX ((size_t)256 << 20)
/* Next line or NULL at end of file (or on failure: check r->failed / r->fail_err). */
char *ds_reader_next(ds_reader *r, size_t *len);
/* For a block the caller skips whole (its lines are not looked at): when the reader holds the
 * whole file (ds_reader_open_full), moves it past every line up to the first whose text, after
 * its leading blanks (space, tab, CR), starts with one of the n prefixes (none holding a CR or
 * LF), so that ds_reader_next returns that line next, or NULL when no line does.  Line numbers,
 * bytes_consumed and last_line_unterminated end as reading those lines one by one would leave
 * them, and a line ds_reader_next would refuse as too long is not passed.  A streaming reader
 * is not moved: the caller reads on line by line, which is always right. */
void ds_reader_skip_to_line(ds_reader *r, const char *const *prefixes, int n);
/* For a reader holding the whole file (ds_reader_open_full): when the next line is one XML row
 * of numbers, `<tag>` numbers `</tag>` with a one-letter tag (spaces before it, blanks after the
 * numbers and after the closing tag, one CR before its newline; e.g. VASP's
 * `<r>  -1.0000  0.0000 </r>`), parses its
 * numbers into dst by ds_parse_doubles_line (at most room of them; *seen as there), sets
 * *count, moves the reader past the line as ds_reader_next would and returns 1.  Returns 0 and
 * leaves the reader and *seen as they were when the line is anything else: another shape, more
 * numbers than room - 1, not `exact` of them (exact > 0), no newline after it (the last line of
 * the file) or longer than max_line; the caller then reads it with ds_reader_next.  For the
 * rows of a block: one call per row instead of finding each line's end first. */
int ds_reader_xml_row(ds_reader *r, char tag, size_t exact, double *dst, size_t room, size_t *count, unsigned *seen);
void ds_reader_close(ds_reader *r);
/* 1 if the file starts with the gzip magic bytes. */
int ds_is_gzip(const char *path);

/* Reads a whole file (plain or gzip) into a NUL-terminated buffer; refuses files whose
 * uncompressed size exceeds max_bytes. */
int ds_read_all(const char *path, size_t max_bytes, char **out, size_t *out_len, ds_err *err);

/* Number parsing.  *p is advanced past the token on success.
 * Returns DS_NUM_OK, DS_NUM_NONE (no number at *p after blanks), DS_NUM_OVERFLOW (a
 * Fortran `***` field; *p advanced past it, *out = NAN) or DS_NUM_NONFINITE (NaN/Inf
 * text; *out set accordingly).  Exact: the result equals strtod's. */
enum { DS_NUM_OK = 0, DS_NUM_NONE = 1, DS_NUM_OVERFLOW = 2, DS_NUM_NONFINITE = 3 };
int ds_parse_double(const char **p, double *out);
/* The same, faster (8 bytes at a time, inline), for text inside a line that ds_reader_next
 * returned: it may read up to 8 bytes past the line's end, which the reader guarantees are
 * there (DS_READER_PAD).  Never on other strings.  Defined below. */
static inline int ds_parse_double_line(const char **p, double *out);
/* The numbers of a reader line from *pp on, by ds_parse_double_line, into dst (at most max of
 * them): how many, with *pp past the last.  Stops at the first text that is no number (left
 * at *pp) or when dst is full.  A Fortran `***` field or NaN/Inf text is stored as parsed and
 * sets 1 << DS_NUM_OVERFLOW or 1 << DS_NUM_NONFINITE in *seen. */
size_t ds_parse_doubles_line(const char **pp, double *dst, size_t max, unsigned *seen);
int ds_parse_long(const char **p, long *out);

/* Helpers on text. */
/* Past blanks (space, tab, CR, LF).  Inline, spaces first: every line of every reader
 * starts here, and indentation is spaces. */
static inline const char *ds_skip_ws(const char *p)
{
    for (;;) {
        while (*p == ' ') p++;
        if (*p == '\t' || *p == '\r' || *p == '\n') p++;
        else return p;
    }
}
/* ds_skip_ws for a line that ds_reader_next returned: blanks 8 bytes at a time (it may
 * read up to 8 bytes past the line's end, which DS_READER_PAD guarantees).  Never on other
 * strings. */
static inline const char *ds_skip_ws_line(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    uint64_t x;
    for (;;) {
        memcpy(&x, p, 8);
        x ^= 0x2020202020202020ULL;
        if (x) break;
        p += 8;
    }
    p += __builtin_ctzll(x) >> 3;
#endif
    return ds_skip_ws(p); /* tabs, CR, LF: rare */
}
/* Inline byte loop: the line dispatchers call this dozens of times per line, and a
 * mismatch in the first byte (the common case) must cost one compare, not strlen+strncmp. */
static inline int ds_starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++) return 0;
    return 1;
}
/* ds_starts_with against a string literal: a byte loop of the literal's constant length, which
 * the compiler unrolls into compares with its bytes (a long literal is then no loop over memory).
 * Reads no byte of p past the first that differs, so never past its NUL. */
static inline int ds_starts_n_(const char *p, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != lit[i]) return 0;
    return 1;
}
#define DS_STARTS(p, lit) ds_starts_n_((p), "" lit, sizeof(lit) - 1)
/* A number read as double, as an int: `fallback` when it is NaN, infinite, not whole or
 * outside the int range (a damaged count must never reach a cast: that is undefined). */
int ds_to_int(double v, int fallback);
/* Copies at most n-1 chars of the whitespace-trimmed [b,e) into dst. */
void ds_copy_trim(char *dst, size_t n, const char *b, const char *e);
/* 1 if the file exists and is a regular file (or a symlink to one). */
int ds_file_exists(const char *path);
/* Finds path or path.gz; writes the one found into out.  Returns 1 if found. */
int ds_find_variant(const char *dir, const char *name, char *out, size_t n);

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
static inline uint64_t ds_load8_(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* A byte that ends a number in a row: a blank, the end of the line or text, or the '<' of a tag. */
static inline int ds_ends_number_(char c)
{
    return (unsigned char)c <= ' ' || c == '<';
}

/* How many of the 8 bytes in x (first byte lowest) are ASCII digits before the first that is
 * not.  A byte below '0' borrows from, and one above 0xB9 carries into, the byte after it:
 * only bytes after the first non-digit are disturbed, and they are not counted. */
static inline unsigned ds_digit_run_(uint64_t x)
{
    uint64_t flags = ((x - 0x3030303030303030ULL) | (x + 0x4646464646464646ULL)) & 0x8080808080808080ULL;
    return flags ? (unsigned)__builtin_ctzll(flags) >> 3 : 8;
}

/* The value of the first n (1..8) digit bytes of x: shifted so they end at the top byte
 * (zeros ahead of them read as leading zeros), then combined pairwise (Lemire's method). */
static inline uint64_t ds_digits_value_(uint64_t x, unsigned n)
{
    x = (x - 0x3030303030303030ULL) << (8 * (8 - n));
    x = x * 10 + (x >> 8);
    return (((x & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
            (((x >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >> 32;
}

/* [-]d.d with at most 7 digits on each side and no exponent after it: an exact integer below
 * 2^53 over an exact power of ten, one correctly rounded division (Clinger's fast path, the
 * double ds_parse_double and strtod give).  Anything else goes to ds_parse_double.  The part of
 * ds_parse_double_line (below) for a number of more than 7 digits: p is its first byte, q the
 * first digit, a the 8 bytes from q, ni the digits before the '.' at q[ni]. */
static inline int ds_parse_double_line_long_(const char **pp, double *out, const char *p, const char *q, uint64_t a,
                                             unsigned ni)
{
    static const double p10[8] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    static const uint64_t u10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    const char *f = q + ni + 1;
    uint64_t b = ds_load8_(f);
    unsigned nf = ds_digit_run_(b);
    if (nf == 8) return ds_parse_double(pp, out);
    char c = f[nf];
    if ((c | 0x20) == 'e' || (c | 0x20) == 'd' || c == '+' || c == '-') return ds_parse_double(pp, out);
    uint64_t m = ds_digits_value_(a, ni);
    if (nf) m = m * u10[nf] + ds_digits_value_(b, nf);
    double v = (double)m / p10[nf];
    *out = *p == '-' ? -v : v;
    *pp = f + nf;
    return DS_NUM_OK;
}

/* The same exact division, first tried on the 8 bytes that hold the integer part: with the '.'
 * taken out (the bytes after it move down one), "-25.1755" is one run of at most 7 digits, one
 * value; "0.0000" is one compare.  A longer fraction goes on to the two-word path above.  A '<'
 * where a number would start (the closing tag that ends a row) is answered here: no number, as
 * ds_parse_double would say. */
static inline int ds_parse_double_line(const char **pp, double *out)
{
    static const double p10[8] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    const char *p = *pp;
    uint64_t x;
    while (!(x = ds_load8_(p) ^ 0x2020202020202020ULL)) p += 8; /* blanks, 8 at a time */
    p += __builtin_ctzll(x) >> 3;
    uint64_t a = ds_load8_(p);
    /* "0.0000" (VASP's %.4f of an empty state: most numbers of a DOS block) in one compare */
    if ((a & 0xFFFFFFFFFFFFULL) == 0x303030302E30ULL && ds_ends_number_(p[6])) {
        *out = 0.0;
        *pp = p + 6;
        return DS_NUM_OK;
    }
    const char *q = p;
    if (*p == '-') a = ds_load8_(++q);
    unsigned ni = ds_digit_run_(a);
    if (ni == 0 || ni == 8 || q[ni] != '.') return *p == '<' ? DS_NUM_NONE : ds_parse_double(pp, out);
    uint64_t low = ((uint64_t)1 << (8 * ni)) - 1; /* the ni integer digits */
    uint64_t d = (a & low) | ((a >> 8) & ~low);   /* their fraction digits follow; top byte 0 */
    unsigned nd = ds_digit_run_(d);               /* ni..7 */
    char c = q[nd + 1];                           /* the byte after the last fraction digit seen */
    if (!ds_ends_number_(c)) {                    /* not the usual blank, end of line or tag */
        if ((c | 0x20) == 'e' || (c | 0x20) == 'd' || c == '+' || c == '-') return ds_parse_double(pp, out);
        if (c >= '0' && c <= '9') return ds_parse_double_line_long_(pp, out, p, q, a, ni); /* > 7 digits */
    }
    double v = (double)ds_digits_value_(d, nd) / p10[nd - ni];
    *out = *p == '-' ? -v : v;
    *pp = q + nd + 1;
    return DS_NUM_OK;
}
#else
static inline int ds_parse_double_line(const char **pp, double *out)
{
    return ds_parse_double(pp, out);
}
#endif

#endif
