/* strbuf: a growable, always NUL-terminated text buffer for building reports (HTML, SVG).
 * A zero-initialised strbuf is a valid empty buffer; free it with strbuf_free.  Calls
 * return DS_OK or DS_ENOMEM (parsers/io.h); on failure the buffer keeps what it had. */
#ifndef DS_STRBUF_H
#define DS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data; /* NULL until the first append, then NUL-terminated */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
} strbuf;

/* Refuses to grow past this (a report is kilobytes to a few megabytes). */
#define STRBUF_MAX_BYTES ((size_t)1 << 30)

int strbuf_append(strbuf *sb, const char *s, size_t n);
int strbuf_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Ensures room for `extra` more bytes plus the NUL. */
int strbuf_reserve(strbuf *sb, size_t extra);
/* Drops everything after the first `len` bytes (no-op when len >= sb->len). */
void strbuf_truncate(strbuf *sb, size_t len);
void strbuf_free(strbuf *sb);

#endif
