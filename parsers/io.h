/* io: the one place where parsers touch bytes on disk.  Owns the error value every
 * layer returns (ds_err), a buffered line reader that reads plain and gzip files alike
 * (zlib's gzread passes plain files through), and fast, exact number parsing that
 * understands Fortran quirks (`****` overflow fields, exponents without `E`, `D`
 * exponents). */
#ifndef DS_IO_H
#define DS_IO_H

#include <stddef.h>
#include <stdint.h>

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
    ds_err fail_err;
} ds_reader;

#define DS_MAX_LINE_DEFAULT ((size_t)64 << 20)

int ds_reader_open(ds_reader *r, const char *path, ds_err *err);
/* The same reader for a parser that reads the file to its end: a .gz file of up to
 * DS_WHOLE_FILE_MAX uncompressed bytes is inflated in one call (libdeflate, about twice as
 * fast as zlib's streaming inflate) and a plain one read in one go; anything else (larger,
 * several gzip members, damaged or truncated) is streamed as ds_reader_open does, with its
 * messages. */
int ds_reader_open_full(ds_reader *r, const char *path, ds_err *err);
#define DS_WHOLE_FILE_MAX ((size_t)256 << 20)
/* Next line or NULL at end of file (or on failure: check r->failed / r->fail_err). */
char *ds_reader_next(ds_reader *r, size_t *len);
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
int ds_parse_long(const char **p, long *out);

/* Helpers on text. */
const char *ds_skip_ws(const char *p);
/* Inline byte loop: the line dispatchers call this dozens of times per line, and a
 * mismatch in the first byte (the common case) must cost one compare, not strlen+strncmp. */
static inline int ds_starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++) return 0;
    return 1;
}
/* A number read as double, as an int: `fallback` when it is NaN, infinite, not whole or
 * outside the int range (a damaged count must never reach a cast: that is undefined). */
int ds_to_int(double v, int fallback);
/* Copies at most n-1 chars of the whitespace-trimmed [b,e) into dst. */
void ds_copy_trim(char *dst, size_t n, const char *b, const char *e);
/* 1 if the file exists and is a regular file (or a symlink to one). */
int ds_file_exists(const char *path);
/* Finds path or path.gz; writes the one found into out.  Returns 1 if found. */
int ds_find_variant(const char *dir, const char *name, char *out, size_t n);

#endif
