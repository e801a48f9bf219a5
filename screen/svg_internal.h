/* svg_internal: what the chart files of screen/svg*.c share: a drawing context with a
 * sticky error, coordinate and number formatting that never prints NaN, the palette,
 * text measuring and truncation, axes and notes.  Not for use outside screen/svg*.c. */
#ifndef DS_SVG_INTERNAL_H
#define DS_SVG_INTERNAL_H

#include "screen/svg.h"

typedef struct {
    strbuf *out;
    size_t start; /* out->len when the chart began: restored on failure */
    int rc;       /* first error; later writes are skipped */
} svgc;

/* Plot area in SVG pixels. */
typedef struct {
    double left, right, top, bottom;
} svgc_rect;

#define SVGC_WIDTH 760
#define SVGC_FONT "'DejaVu Sans','Liberation Sans',Arial,Helvetica,sans-serif"
#define SVGC_INK "#222222"
#define SVGC_MUTED "#555555"
#define SVGC_GRID "#e3e3e3"

extern const char *const svgc_palette[];
extern const int svgc_n_palette;
/* Dash patterns that tell series apart where colours repeat ("" = solid). */
const char *svgc_dash(int series_index);

void svgc_put(svgc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void svgc_esc(svgc *c, const char *text);
/* Escaped text cut to max_chars characters: start and end kept, an ellipsis between. */
void svgc_esc_cut(svgc *c, const char *text, size_t max_chars);
/* <text ...>label<title>full</title></text> with the tooltip only when the label was cut;
 * attrs is inserted verbatim into the start tag. */
void svgc_text(svgc *c, const char *attrs, const char *text, size_t max_chars);

/* Width estimate of text at font_px (no font metrics in C: a generous average glyph). */
double svgc_text_px(const char *text, double font_px);
/* Characters of text that fit in width_px at font_px (at least 4). */
size_t svgc_fit_chars(double width_px, double font_px);

/* A finite pixel coordinate (NaN -> 0, clamped to +-1e6) for "%.2f". */
double svgc_px(double v);
/* Linear map of v from [lo, hi] to [p0, p1]. */
double svgc_map(double v, double lo, double hi, double p0, double p1);
/* A data value for a tooltip or label: %.*g / fixed with the decimal point as '.'. */
void svgc_num(double v, int significant, char *buf, size_t n);
void svgc_fixed(double v, int decimals, char *buf, size_t n);

void svgc_begin(svgc *c, strbuf *out, int width, int height, const char *title, const char *kind);
/* Closes the chart; on failure truncates out to where the chart began. Returns c->rc. */
int svgc_end(svgc *c);

/* Value axis on the left (gridlines across the plot, tick labels, rotated label). */
void svgc_axis_y(svgc *c, const svg_ticks *t, svgc_rect p, const char *label);
/* Value axis at the bottom (gridlines up the plot, tick labels, label 36 px below). */
void svgc_axis_x(svgc *c, const svg_ticks *t, svgc_rect p, const char *label);
void svgc_frame(svgc *c, svgc_rect p);
/* Grey note lines at the foot of the chart, cut to the chart width with a tooltip. */
void svgc_note(svgc *c, double y, const char *text);

/* Names of skipped items, "a, b, c" (the first 12, then "..."). */
typedef struct {
    strbuf names;
    int count;
    int rc; /* DS_ENOMEM once an append failed */
} svgc_list;
void svgc_list_add(svgc_list *l, const char *name);
/* Appends a note "prefix: names" when the list is not empty; frees the list. */
void svgc_list_note(svgc *c, svgc_list *l, double *y, const char *prefix);

#endif
