/* html: building blocks of the self-contained HTML report: escaping (text and attribute
 * values alike), the page frame with inline CSS (no scripts, fonts or other external
 * resources; a Content-Security-Policy forbids them), headings, paragraphs, tables and
 * figures.  The output is well-formed XHTML-style markup (void elements self-closed), so
 * it also parses as XML.  Everything writes into a strbuf and returns DS_OK or DS_ENOMEM. */
#ifndef DS_HTML_H
#define DS_HTML_H

#include <stddef.h>

#include "screen/strbuf.h"

/* Escapes & < > " ' and replaces invalid UTF-8 and control characters (except tab and
 * newline) with U+FFFD, so any byte string becomes valid text or attribute content.
 * NULL text writes nothing.  On allocation failure the text is left out: callers that
 * must know use html_escape_n. */
void html_escape(strbuf *out, const char *text);
/* The first n bytes of text (stops early at a NUL); returns DS_OK or DS_ENOMEM. */
int html_escape_n(strbuf *out, const char *text, size_t n);

/* Length in bytes of the valid UTF-8 sequence at s (1-4), or 0 when s does not start
 * one (a stray continuation byte, an overlong form, a surrogate, a truncated sequence). */
size_t html_utf8_seq_len(const char *s);
/* Number of characters (code points; each invalid byte counts as one). */
size_t html_utf8_count(const char *s);
/* Byte length of the first max_chars characters of s. */
size_t html_utf8_prefix(const char *s, size_t max_chars);

int html_page_begin(strbuf *out, const char *title);
int html_page_end(strbuf *out);

/* <hN> (level clamped to 1..6) and <p class="note"|""> with escaped text. */
int html_heading(strbuf *out, int level, const char *text);
int html_paragraph(strbuf *out, const char *css_class, const char *text);

/* A table: headers (n_cols, NULL entries print empty) in <thead>; rows of escaped cells.
 * Cells that are numbers are right-aligned (class "num"). */
int html_table_begin(strbuf *out, int n_cols, const char *const *headers);
int html_table_row(strbuf *out, int n_cols, const char *const *cells);
int html_table_end(strbuf *out);

/* <figure> around a chart; the caption (escaped, may be NULL) goes in <figcaption>. */
int html_figure_begin(strbuf *out);
int html_figure_end(strbuf *out, const char *caption);

#endif
