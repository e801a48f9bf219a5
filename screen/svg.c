/* svg: what every chart shares (see svg_internal.h): ticks, number formatting, text,
 * axes, notes.  The charts themselves are in svg_bars.c and svg_xy.c. */
#include "screen/svg_internal.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parsers/io.h"
#include "screen/html.h"

/* Okabe & Ito (2008), "Color Universal Design": blue, vermillion, bluish green, reddish
 * purple, orange, sky blue, black (yellow left out: too faint on white). */
const char *const svgc_palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
const int svgc_n_palette = 7;

const char *svgc_dash(int i)
{
    static const char *const dashes[] = {"", "6 3", "2 2", "8 3 2 3"};
    return dashes[(i / svgc_n_palette) % 4];
}

void svgc_put(svgc *c, const char *fmt, ...)
{
    if (c->rc) return;
    va_list ap;
    va_start(ap, fmt);
    c->rc = strbuf_vprintf(c->out, fmt, ap);
    va_end(ap);
}

void svgc_esc(svgc *c, const char *text)
{
    if (!c->rc && text) c->rc = html_escape_n(c->out, text, strlen(text));
}

void svgc_esc_cut(svgc *c, const char *text, size_t max_chars)
{
    if (!text || c->rc) return;
    if (html_utf8_count(text) <= max_chars) {
        svgc_esc(c, text);
        return;
    }
    /* cut in the middle: candidate names often differ only at the end ("... #12", "-NH2") */
    size_t count = html_utf8_count(text), room = max_chars > 1 ? max_chars - 1 : 1;
    size_t tail = room >= 8 ? room * 2 / 5 : 0, head = room - tail;
    size_t head_bytes = html_utf8_prefix(text, head), tail_at = html_utf8_prefix(text, count - tail);
    c->rc = html_escape_n(c->out, text, head_bytes);
    svgc_put(c, "\xE2\x80\xA6");
    if (!c->rc && tail) c->rc = html_escape_n(c->out, text + tail_at, strlen(text + tail_at));
}

void svgc_text(svgc *c, const char *attrs, const char *text, size_t max_chars)
{
    svgc_put(c, "<text %s>", attrs);
    svgc_esc_cut(c, text ? text : "", max_chars);
    if (text && html_utf8_count(text) > max_chars) {
        svgc_put(c, "<title>");
        svgc_esc(c, text);
        svgc_put(c, "</title>");
    }
    svgc_put(c, "</text>\n");
}

double svgc_text_px(const char *text, double font_px) { return (double)html_utf8_count(text) * 0.62 * font_px; }

size_t svgc_fit_chars(double width_px, double font_px)
{
    double n = width_px / (0.62 * font_px);
    return n < 4 ? 4 : n > 200 ? 200 : (size_t)n;
}

double svgc_px(double v)
{
    if (!isfinite(v)) return isnan(v) ? 0 : v > 0 ? 1e6 : -1e6;
    return v > 1e6 ? 1e6 : v < -1e6 ? -1e6 : v;
}

double svgc_map(double v, double lo, double hi, double p0, double p1)
{
    double span = hi - lo;
    if (!(span > 0) || !isfinite(span)) return svgc_px(0.5 * (p0 + p1));
    return svgc_px(p0 + (v - lo) / span * (p1 - p0));
}

/* printf's decimal point follows LC_NUMERIC; SVG needs '.'. */
static void dot_decimal(char *buf)
{
    for (char *p = buf; *p; p++)
        if (*p == ',') *p = '.';
}

void svgc_num(double v, int significant, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "n/a");
        return;
    }
    snprintf(buf, n, "%.*g", significant, v == 0 ? 0.0 : v);
    dot_decimal(buf);
}

void svgc_fixed(double v, int decimals, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "n/a");
        return;
    }
    decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
    if (fabs(v) >= 1e15) snprintf(buf, n, "%.6g", v);
    else snprintf(buf, n, "%.*f", decimals, v);
    dot_decimal(buf);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) memmove(buf, buf + 1, strlen(buf)); /* "-0.0" */
}

/* ---- ticks ---- */

static double nice_step(double raw)
{
    double p = pow(10, floor(log10(raw))), m = raw / p;
    return (m <= 1.0 + 1e-9 ? 1 : m <= 2.0 + 1e-9 ? 2 : m <= 5.0 + 1e-9 ? 5 : 10) * p;
}

void svg_ticks_make(double lo, double hi, int target, int expand, svg_ticks *t)
{
    const double big = 1e300; /* beyond this, step arithmetic could overflow */
    if (!isfinite(lo) || !isfinite(hi)) lo = 0, hi = 1;
    if (lo > hi) {
        double s = lo;
        lo = hi, hi = s;
    }
    lo = lo < -big ? -big : lo, hi = hi > big ? big : hi;
    if (target < 2) target = 2;
    double scale = fmax(fabs(lo), fabs(hi));
    if (hi - lo <= scale * 1e-12 || hi - lo < DBL_MIN * 1e3) { /* degenerate: widen around the value */
        double pad = scale > 0 ? scale * 0.1 : 1.0;
        lo -= pad, hi += pad;
    }
    double step = nice_step(hi / target - lo / target);
    double first = ceil(lo / step - 1e-9) * step, last = floor(hi / step + 1e-9) * step;
    if (expand) {
        first = floor(lo / step + 1e-9) * step;
        last = ceil(hi / step - 1e-9) * step;
        lo = first, hi = last;
    }
    t->lo = lo, t->hi = hi, t->step = step, t->first = first;
    t->count = (int)floor((last - first) / step + 0.5) + 1;
    if (t->count < 1) t->count = 1;
    scale = fmax(fabs(lo), fabs(hi));
    int step_exp = (int)floor(log10(step) + 1e-9);
    t->decimals = step_exp < 0 ? -step_exp : 0;
    t->exp_digits = -1;
    if (scale >= 1e6 || scale < 1e-3) {
        int d = (int)floor(log10(scale) + 1e-9) - step_exp;
        t->exp_digits = d < 0 ? 0 : d > 16 ? 16 : d;
    }
}

double svg_tick_value(const svg_ticks *t, int i)
{
    double v = t->first + i * t->step;
    return fabs(v) < t->step * 1e-9 ? 0.0 : v;
}

void svg_tick_format(const svg_ticks *t, double v, char *buf, size_t n)
{
    if (fabs(v) < t->step * 1e-9) v = 0.0;
    if (t->exp_digits >= 0) {
        if (v == 0) snprintf(buf, n, "0");
        else snprintf(buf, n, "%.*e", t->exp_digits, v);
        dot_decimal(buf);
    } else
        svgc_fixed(v, t->decimals, buf, n);
}

/* ---- frame, axes, notes ---- */

void svgc_begin(svgc *c, strbuf *out, int width, int height, const char *title, const char *kind)
{
    c->out = out, c->start = out->len, c->rc = DS_OK;
    svgc_put(c,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" width=\"%d\" height=\"%d\" "
             "viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"%s\" font-size=\"12\" fill=\"%s\">\n<title>",
             kind, width, height, width, height, SVGC_FONT, SVGC_INK);
    svgc_esc(c, title && *title ? title : "chart");
    svgc_put(c, "</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height);
    svgc_text(c, "x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\"", title ? title : "",
              svgc_fit_chars(width - 24, 15));
}

int svgc_end(svgc *c)
{
    svgc_put(c, "</svg>\n");
    if (c->rc) strbuf_truncate(c->out, c->start);
    return c->rc;
}

void svgc_axis_y(svgc *c, const svg_ticks *t, svgc_rect p, const char *label)
{
    char num[64];
    svgc_put(c, "<g class=\"axis-y\" font-size=\"11\">\n");
    for (int i = 0; i < t->count; i++) {
        double v = svg_tick_value(t, i), y = svgc_map(v, t->lo, t->hi, p.bottom, p.top);
        svg_tick_format(t, v, num, sizeof num);
        svgc_put(c, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>", p.left, y,
                 p.right, y, SVGC_GRID);
        svgc_put(c, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", p.left - 6, y + 4, num);
    }
    double mid = 0.5 * (p.top + p.bottom);
    char attrs[160];
    snprintf(attrs, sizeof attrs, "transform=\"translate(16,%.2f) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\"",
             mid);
    svgc_text(c, attrs, label ? label : "", svgc_fit_chars(p.bottom - p.top, 12));
    svgc_put(c, "</g>\n");
}

void svgc_axis_x(svgc *c, const svg_ticks *t, svgc_rect p, const char *label)
{
    char num[64];
    svgc_put(c, "<g class=\"axis-x\" font-size=\"11\">\n");
    for (int i = 0; i < t->count; i++) {
        double v = svg_tick_value(t, i), x = svgc_map(v, t->lo, t->hi, p.left, p.right);
        svg_tick_format(t, v, num, sizeof num);
        svgc_put(c, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>", x, p.top, x,
                 p.bottom, SVGC_GRID);
        svgc_put(c, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>", x, p.bottom, x, p.bottom + 4,
                 SVGC_MUTED);
        svgc_put(c, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n", x, p.bottom + 17, num);
    }
    char attrs[128];
    snprintf(attrs, sizeof attrs, "x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"12\"",
             0.5 * (p.left + p.right), p.bottom + 36);
    svgc_text(c, attrs, label ? label : "", svgc_fit_chars(p.right - p.left, 12));
    svgc_put(c, "</g>\n");
}

void svgc_frame(svgc *c, svgc_rect p)
{
    svgc_put(c, "<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"%s\"/>\n",
             p.left, p.top, p.right - p.left, p.bottom - p.top, SVGC_MUTED);
}

void svgc_note(svgc *c, double y, const char *text)
{
    char attrs[96];
    snprintf(attrs, sizeof attrs, "class=\"note\" x=\"12\" y=\"%.2f\" font-size=\"11\" fill=\"%s\"", y, SVGC_MUTED);
    svgc_text(c, attrs, text, svgc_fit_chars(SVGC_WIDTH - 24, 11));
}

void svgc_list_add(svgc_list *l, const char *name)
{
    name = name ? name : "(unnamed)";
    if (!l->rc && l->count < 12) {
        if (l->count) l->rc = strbuf_append(&l->names, ", ", 2);
        if (!l->rc) l->rc = strbuf_append(&l->names, name, strlen(name));
    } else if (!l->rc && l->count == 12)
        l->rc = strbuf_printf(&l->names, ", ...");
    l->count++;
}

void svgc_list_note(svgc *c, svgc_list *l, double *y, const char *prefix)
{
    if (l->rc && !c->rc) c->rc = l->rc;
    if (l->count && !c->rc) {
        strbuf note = {0};
        c->rc = strbuf_printf(&note, "%s: %s", prefix, l->names.data);
        if (!c->rc) svgc_note(c, *y, note.data);
        *y += 16;
        strbuf_free(&note);
    }
    strbuf_free(&l->names);
    l->count = 0;
}
