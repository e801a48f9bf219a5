/* strbuf: growable text buffer (see strbuf.h).  Doubling growth, size-capped, no global
 * state; every append leaves data NUL-terminated so callers can hand it to fputs. */
#include "screen/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/io.h"

int strbuf_reserve(strbuf *sb, size_t extra)
{
    if (extra > STRBUF_MAX_BYTES || sb->len > STRBUF_MAX_BYTES - extra) return DS_ENOMEM;
    size_t need = sb->len + extra + 1;
    if (sb->data && need <= sb->cap) return DS_OK;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need) cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) return DS_ENOMEM;
    if (!sb->data) p[0] = '\0';
    sb->data = p;
    sb->cap = cap;
    return DS_OK;
}

int strbuf_append(strbuf *sb, const char *s, size_t n)
{
    int rc = strbuf_reserve(sb, n);
    if (rc) return rc;
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return DS_OK;
}

int strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list probe;
    va_copy(probe, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, probe);
    va_end(probe);
    if (n < 0) return DS_ENOMEM; /* only an encoding error can get here */
    if ((size_t)n < sizeof small) return strbuf_append(sb, small, (size_t)n);
    int rc = strbuf_reserve(sb, (size_t)n);
    if (rc) return rc;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return DS_OK;
}

int strbuf_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

void strbuf_truncate(strbuf *sb, size_t len)
{
    if (!sb->data || len >= sb->len) return;
    sb->len = len;
    sb->data[len] = '\0';
}

void strbuf_free(strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
