/* html: escaping and the page frame of the HTML report (see html.h). */
#include "screen/html.h"

#include <stdlib.h>
#include <string.h>

#include "parsers/io.h"

#define REPLACEMENT_CHAR "\xEF\xBF\xBD"

/* Inline style sheet: readable tables, charts that scale down on narrow windows. */
static const char PAGE_CSS[] =
    "body{font-family:'DejaVu Sans','Liberation Sans',Arial,Helvetica,sans-serif;color:#222;"
    "max-width:1120px;margin:1.5em auto;padding:0 1em;line-height:1.4}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}\n"
    "h3{font-size:1.05em}p.note{color:#555;font-size:.9em}code{background:#f4f4f4;padding:0 .2em}\n"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.92em}\n"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "th{background:#f0f3f7}tbody tr:nth-child(even){background:#fafafa}td.num{text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    "figure{margin:1.2em 0}figcaption{color:#555;font-size:.9em;max-width:760px}\n"
    "svg{max-width:100%;height:auto;display:block}\n";

size_t html_utf8_seq_len(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    /* U+FFFE/U+FFFF are not XML characters */
    if (cp == 0xFFFE || cp == 0xFFFF) return 0;
    return n;
}

size_t html_utf8_count(const char *s)
{
    size_t n = 0;
    while (s && *s) {
        size_t k = html_utf8_seq_len(s);
        s += k ? k : 1;
        n++;
    }
    return n;
}

size_t html_utf8_prefix(const char *s, size_t max_chars)
{
    size_t bytes = 0;
    for (size_t i = 0; s && s[bytes] && i < max_chars; i++) {
        size_t k = html_utf8_seq_len(s + bytes);
        bytes += k ? k : 1;
    }
    return bytes;
}

int html_escape_n(strbuf *out, const char *text, size_t n)
{
    if (!text) return DS_OK;
    int rc = strbuf_reserve(out, n + n / 4);
    size_t i = 0, run = 0; /* [run, i) is pending literal text */
    while (!rc && i < n && text[i]) {
        unsigned char c = (unsigned char)text[i];
        const char *rep = NULL;
        size_t k = 1;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n') rep = REPLACEMENT_CHAR; /* not XML text */
            else if (c == 0x7F) rep = REPLACEMENT_CHAR;
            else if (c >= 0x80) {
                k = html_utf8_seq_len(text + i);
                if (!k || i + k > n) rep = REPLACEMENT_CHAR, k = 1;
            }
        }
        if (rep) {
            rc = strbuf_append(out, text + run, i - run);
            if (!rc) rc = strbuf_append(out, rep, strlen(rep));
            run = i + k;
        }
        i += k;
    }
    if (!rc) rc = strbuf_append(out, text + run, i - run);
    return rc;
}

void html_escape(strbuf *out, const char *text)
{
    size_t before = out->len;
    if (text && html_escape_n(out, text, strlen(text)) != DS_OK) strbuf_truncate(out, before);
}

static int escaped(strbuf *out, const char *text) { return text ? html_escape_n(out, text, strlen(text)) : DS_OK; }

int html_page_begin(strbuf *out, const char *title)
{
    int rc = strbuf_printf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                "style-src 'unsafe-inline'; img-src data:\"/>\n<title>");
    if (!rc) rc = escaped(out, title && *title ? title : "dftscreen report");
    if (!rc) rc = strbuf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", PAGE_CSS);
    return rc;
}

int html_page_end(strbuf *out) { return strbuf_printf(out, "</main>\n</body>\n</html>\n"); }

int html_heading(strbuf *out, int level, const char *text)
{
    level = level < 1 ? 1 : level > 6 ? 6 : level;
    int rc = strbuf_printf(out, "<h%d>", level);
    if (!rc) rc = escaped(out, text);
    if (!rc) rc = strbuf_printf(out, "</h%d>\n", level);
    return rc;
}

int html_paragraph(strbuf *out, const char *css_class, const char *text)
{
    int rc = strbuf_printf(out, "<p");
    if (!rc && css_class && *css_class) {
        rc = strbuf_printf(out, " class=\"");
        if (!rc) rc = escaped(out, css_class);
        if (!rc) rc = strbuf_printf(out, "\"");
    }
    if (!rc) rc = strbuf_printf(out, ">");
    if (!rc) rc = escaped(out, text);
    if (!rc) rc = strbuf_printf(out, "</p>\n");
    return rc;
}

/* A cell is numeric when strtod consumes all of it (after trimming blanks). */
static int is_number(const char *s)
{
    if (!s) return 0;
    while (*s == ' ') s++;
    if (!*s) return 0;
    char *end;
    (void)strtod(s, &end);
    if (end == s) return 0;
    while (*end == ' ') end++;
    return *end == '\0';
}

static int cells(strbuf *out, const char *tag, int n_cols, const char *const *text)
{
    int rc = strbuf_printf(out, "<tr>");
    for (int i = 0; !rc && i < n_cols; i++) {
        const char *t = text ? text[i] : NULL;
        rc = strbuf_printf(out, "<%s%s>", tag, tag[1] == 'd' && is_number(t) ? " class=\"num\"" : "");
        if (!rc) rc = escaped(out, t);
        if (!rc) rc = strbuf_printf(out, "</%s>", tag);
    }
    if (!rc) rc = strbuf_printf(out, "</tr>\n");
    return rc;
}

int html_table_begin(strbuf *out, int n_cols, const char *const *headers)
{
    if (n_cols < 0) return DS_EUSAGE;
    int rc = strbuf_printf(out, "<table>\n<thead>\n");
    if (!rc) rc = cells(out, "th", n_cols, headers);
    if (!rc) rc = strbuf_printf(out, "</thead>\n<tbody>\n");
    return rc;
}

int html_table_row(strbuf *out, int n_cols, const char *const *cells_text)
{
    if (n_cols < 0) return DS_EUSAGE;
    return cells(out, "td", n_cols, cells_text);
}

int html_table_end(strbuf *out) { return strbuf_printf(out, "</tbody>\n</table>\n"); }

int html_figure_begin(strbuf *out) { return strbuf_printf(out, "<figure>\n"); }

int html_figure_end(strbuf *out, const char *caption)
{
    int rc = DS_OK;
    if (caption && *caption) {
        rc = strbuf_printf(out, "<figcaption>");
        if (!rc) rc = escaped(out, caption);
        if (!rc) rc = strbuf_printf(out, "</figcaption>\n");
    }
    if (!rc) rc = strbuf_printf(out, "</figure>\n");
    return rc;
}
