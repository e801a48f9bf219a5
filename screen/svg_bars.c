/* svg_bars: the bar chart (one bar per candidate, from zero, so binding energies grow
 * downwards) and the horizontal probability chart. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parsers/io.h"
#include "screen/html.h"
#include "screen/svg_internal.h"

#define BAR_LABEL_FONT 11.0
#define BAR_LABEL_CHARS 26
#define COS45 0.70710678118654752

static double error_of(const double *errors, int i)
{
    return errors && isfinite(errors[i]) ? fabs(errors[i]) : 0.0;
}

/* How candidate names sit under the bars: flat when they fit their slot, else at 45
 * degrees, else vertical; `stride` > 1 labels only every stride-th bar. */
typedef struct {
    int rotate, stride;
    size_t max_chars;
    double band_px; /* height below the plot taken by the names */
} name_layout;

static name_layout layout_names(int n, const char *const *labels, double slot)
{
    name_layout L = {0, 1, BAR_LABEL_CHARS, 22};
    double widest = 0;
    for (int i = 0; i < n; i++) {
        const char *s = labels && labels[i] ? labels[i] : "";
        size_t chars = html_utf8_count(s);
        double w = (double)(chars < L.max_chars ? chars : L.max_chars) * 0.62 * BAR_LABEL_FONT;
        widest = w > widest ? w : widest;
    }
    if (widest <= slot - 6) return L;
    if (slot >= 18) {
        L.rotate = 45, L.band_px = widest * COS45 + 22;
        return L;
    }
    L.rotate = 90, L.band_px = widest + 14;
    while (slot * L.stride < 13) L.stride++;
    return L;
}

static void bar_names(svgc *c, int n, const char *const *labels, svgc_rect p, double slot, name_layout L)
{
    svgc_put(c, "<g class=\"names\" font-size=\"%g\">\n", BAR_LABEL_FONT);
    for (int i = 0; i < n; i += L.stride) {
        double x = p.left + slot * (i + 0.5);
        char attrs[160], fallback[24];
        const char *name = labels && labels[i] ? labels[i] : NULL;
        if (!name) snprintf(fallback, sizeof fallback, "#%d", i + 1), name = fallback;
        if (L.rotate == 0)
            snprintf(attrs, sizeof attrs, "x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\"", x, p.bottom + 16);
        else if (L.rotate == 45)
            snprintf(attrs, sizeof attrs, "transform=\"translate(%.2f,%.2f) rotate(-45)\" text-anchor=\"end\"", x + 4,
                     p.bottom + 12);
        else
            snprintf(attrs, sizeof attrs, "transform=\"translate(%.2f,%.2f) rotate(-90)\" text-anchor=\"end\"", x + 4,
                     p.bottom + 8);
        svgc_text(c, attrs, name, L.max_chars);
    }
    svgc_put(c, "</g>\n");
}

/* Legend row under the title: what the colours and the band mean. */
static void bar_legend(svgc *c, const double *w, const char *unit)
{
    char lo[48], hi[48];
    svgc_num(w[0], 6, lo, sizeof lo);
    svgc_num(w[1], 6, hi, sizeof hi);
    svgc_put(c, "<g class=\"legend\" font-size=\"11\">\n"
                "<rect x=\"12\" y=\"32\" width=\"14\" height=\"10\" fill=\"#009E73\" fill-opacity=\"0.18\" "
                "stroke=\"#009E73\" stroke-dasharray=\"3 2\"/>\n<text x=\"31\" y=\"41\">target window %s to %s ",
             lo, hi);
    svgc_esc(c, unit);
    svgc_put(c, "</text>\n<rect x=\"262\" y=\"32\" width=\"10\" height=\"10\" fill=\"#009E73\"/>"
                "<text x=\"277\" y=\"41\">inside the window</text>\n"
                "<rect x=\"392\" y=\"32\" width=\"10\" height=\"10\" fill=\"#0072B2\"/>"
                "<text x=\"407\" y=\"41\">outside</text>\n</g>\n");
}

static void one_bar(svgc *c, const char *name, const char *unit, double v, double e, const double *w, double x,
                    double bw, svgc_rect p, const svg_ticks *t, double slot)
{
    double y0 = svgc_map(0, t->lo, t->hi, p.bottom, p.top), yv = svgc_map(v, t->lo, t->hi, p.bottom, p.top);
    int inside = w && v >= w[0] && v <= w[1];
    char num[48], err[48];
    svgc_num(v, 6, num, sizeof num);
    svgc_num(e, 3, err, sizeof err);
    svgc_put(c, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>", x - bw / 2,
             fmin(y0, yv), bw, fabs(yv - y0), inside ? "#009E73" : "#0072B2");
    svgc_esc(c, name);
    svgc_put(c, ": %s%s%s ", num, e > 0 ? " \xC2\xB1 " : "", e > 0 ? err : "");
    svgc_esc(c, unit);
    svgc_put(c, "%s</title></rect>\n", w ? (inside ? " (inside the target window)" : " (outside the target window)") : "");
    double tip = v;
    if (e > 0) {
        double ya = svgc_map(v - e, t->lo, t->hi, p.bottom, p.top), yb = svgc_map(v + e, t->lo, t->hi, p.bottom, p.top);
        double cap = fmin(5, bw / 3);
        svgc_put(c, "<path class=\"err\" d=\"M%.2f %.2fV%.2fM%.2f %.2fH%.2fM%.2f %.2fH%.2f\" stroke=\"%s\" fill=\"none\"/>\n",
                 x, ya, yb, x - cap, ya, x + cap, x - cap, yb, x + cap, SVGC_INK);
        tip = v >= 0 ? v + e : v - e;
    }
    if (slot < 34) return; /* no room for value labels: the tooltip has the number */
    char label[48];
    svgc_fixed(v, t->decimals + 1, label, sizeof label);
    double yt = svgc_map(tip, t->lo, t->hi, p.bottom, p.top) + (v >= 0 ? -4 : 12);
    if (yt < p.top + 9 || yt > p.bottom - 2) return;
    svgc_put(c, "<text class=\"value\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\" "
                "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">%s</text>\n",
             x, yt, SVGC_MUTED, label);
}

int svg_bar_chart(strbuf *out, const char *title, const char *unit, int n, const char *const *labels,
                  const double *values, const double *errors, const double *window_lo_hi)
{
    if (!out || n < 0 || (n > 0 && !values)) return DS_EUSAGE;
    unit = unit ? unit : "";
    double w[2], *win = NULL, lo = 0, hi = 0;
    if (window_lo_hi && isfinite(window_lo_hi[0]) && isfinite(window_lo_hi[1])) {
        w[0] = fmin(window_lo_hi[0], window_lo_hi[1]), w[1] = fmax(window_lo_hi[0], window_lo_hi[1]), win = w;
        lo = w[0], hi = w[1];
    }
    int n_finite = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(values[i])) continue;
        double e = error_of(errors, i);
        lo = fmin(lo, values[i] - e), hi = fmax(hi, values[i] + e), n_finite++;
    }
    double span = hi - lo; /* room for value labels beyond the bar ends */
    lo -= lo < 0 ? 0.07 * span : 0, hi += hi > 0 ? 0.07 * span : 0;
    svg_ticks t;
    svg_ticks_make(lo, hi, 6, 1, &t);

    svgc_rect p = {78, SVGC_WIDTH - 16, win ? 58 : 44, 0};
    p.bottom = p.top + 290;
    double slot = (p.right - p.left) / (n > 0 ? n : 1);
    name_layout L = layout_names(n, labels, slot);
    if (L.rotate == 45) { /* the first name reaches left of its bar: keep it inside the chart */
        double reach = (double)L.max_chars * 0.62 * BAR_LABEL_FONT * COS45;
        double widest = (L.band_px - 22) / COS45;
        reach = fmin(reach, widest * COS45) - slot / 2 + 8;
        if (reach > p.left) p.left = fmin(reach, 220), slot = (p.right - p.left) / n;
    }
    int n_notes = (n_finite < n) + (L.stride > 1) + (n == 0);
    int height = (int)ceil(p.bottom + L.band_px + 16.0 * n_notes + 8);

    svgc c;
    svgc_begin(&c, out, SVGC_WIDTH, height, title, "bar-chart");
    if (win) bar_legend(&c, win, unit);
    char ylabel[160];
    snprintf(ylabel, sizeof ylabel, "%s", unit[0] ? unit : "value");
    svgc_axis_y(&c, &t, p, ylabel);
    if (win) {
        double ya = svgc_map(win[1], t.lo, t.hi, p.bottom, p.top), yb = svgc_map(win[0], t.lo, t.hi, p.bottom, p.top);
        svgc_put(&c, "<rect class=\"target-window\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#009E73\" "
                     "fill-opacity=\"0.14\" stroke=\"#009E73\" stroke-dasharray=\"4 3\"><title>target window</title></rect>\n",
                 p.left, ya, p.right - p.left, fmax(yb - ya, 0.5));
    }
    svgc_frame(&c, p);
    double bw = fmin(slot * 0.68, 64);
    svgc_list missing = {{0}, 0, 0};
    for (int i = 0; i < n; i++) {
        const char *name = labels && labels[i] ? labels[i] : "(unnamed)";
        double x = p.left + slot * (i + 0.5);
        if (!isfinite(values[i])) {
            double y0 = svgc_map(0, t.lo, t.hi, p.bottom, p.top);
            svgc_put(&c, "<text class=\"missing\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">"
                         "n/a</text>\n",
                     x, y0 - 4 > p.top + 10 ? y0 - 4 : y0 + 14, SVGC_MUTED);
            svgc_list_add(&missing, name);
            continue;
        }
        one_bar(&c, name, unit, values[i], error_of(errors, i), win, x, bw, p, &t, slot);
    }
    double y0 = svgc_map(0, t.lo, t.hi, p.bottom, p.top);
    svgc_put(&c, "<line class=\"zero\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1.2\"/>\n",
             p.left, y0, p.right, y0, SVGC_INK);
    bar_names(&c, n, labels, p, slot, L);
    double y = p.bottom + L.band_px + 12;
    if (n == 0) svgc_note(&c, y, "No candidates to show."), y += 16;
    svgc_list_note(&c, &missing, &y, "No finite value, not drawn (n/a)");
    if (L.stride > 1) {
        char note[120];
        snprintf(note, sizeof note, "Too many bars to name each: one name in %d shown; hover a bar for its value.", L.stride);
        svgc_note(&c, y, note);
    }
    return svgc_end(&c);
}

int svg_probability_chart(strbuf *out, const char *title, int n, const char *const *labels, const double *probability)
{
    if (!out || n < 0 || (n > 0 && !probability)) return DS_EUSAGE;
    const double row = 22, font = 12;
    double widest = 40;
    for (int i = 0; i < n; i++) {
        double wpx = svgc_text_px(labels && labels[i] ? labels[i] : "#000", font);
        widest = fmax(widest, wpx);
    }
    svgc_rect p = {0, SVGC_WIDTH - 64, 44, 0};
    p.left = 16 + fmin(widest, 250) + 10;
    p.bottom = p.top + row * (n > 0 ? n : 1);
    svgc_list missing = {{0}, 0, 0}, clipped = {{0}, 0, 0};
    for (int i = 0; i < n; i++) {
        double v = probability[i];
        const char *name = labels && labels[i] ? labels[i] : "(unnamed)";
        if (!isfinite(v)) svgc_list_add(&missing, name);
        else if (v < -1e-9 || v > 1 + 1e-9) svgc_list_add(&clipped, name);
    }
    int height = (int)ceil(p.bottom + 48 + 16.0 * ((missing.count > 0) + (clipped.count > 0) + (n == 0)));
    svgc c;
    svgc_begin(&c, out, SVGC_WIDTH, height, title, "probability-chart");
    svg_ticks t = {0, 1, 0.2, 0, 6, 1, -1};
    svgc_axis_x(&c, &t, p, "probability");
    svgc_frame(&c, p);
    size_t max_chars = svgc_fit_chars(p.left - 26, font);
    for (int i = 0; i < n; i++) {
        double y = p.top + row * i, v = probability[i];
        char attrs[128], num[32], label[32], fallback[24];
        const char *name = labels && labels[i] ? labels[i] : NULL;
        if (!name) snprintf(fallback, sizeof fallback, "#%d", i + 1), name = fallback;
        snprintf(attrs, sizeof attrs, "x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" font-size=\"%g\"", p.left - 8, y + 15, font);
        svgc_text(&c, attrs, name, max_chars);
        if (!isfinite(v)) {
            svgc_put(&c, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\" fill=\"%s\">n/a</text>\n", p.left + 4, y + 15, SVGC_MUTED);
            continue;
        }
        double shown = fmin(fmax(v, 0), 1), x1 = svgc_map(shown, 0, 1, p.left, p.right);
        svgc_num(v, 6, num, sizeof num);
        if (shown > 0 && shown < 0.005) snprintf(label, sizeof label, "&lt;0.01");
        else svgc_fixed(shown, 2, label, sizeof label);
        svgc_put(&c, "<rect class=\"pbar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#0072B2\"><title>", p.left,
                 y + 4, x1 - p.left, row - 8);
        svgc_esc(&c, name);
        svgc_put(&c, ": %s</title></rect>\n<text class=\"value\" x=\"%.2f\" y=\"%.2f\" font-size=\"11\">%s</text>\n", num,
                 x1 + 5, y + 15, label);
    }
    double y = p.bottom + 56;
    if (n == 0) svgc_note(&c, y, "No candidates to show."), y += 16;
    svgc_list_note(&c, &missing, &y, "No probability (n/a)");
    svgc_list_note(&c, &clipped, &y, "Outside 0..1, drawn clipped");
    return svgc_end(&c);
}
