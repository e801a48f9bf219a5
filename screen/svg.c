/* svg: inline SVG charts (see svg.h). */
#include "screen/svg.h"

#include <math.h>
#include <string.h>

/* Okabe-Ito palette: distinguishable with the common colour-vision deficiencies. */
static const char *const PALETTE[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"};
#define N_PALETTE 8

void svg_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

double svg_nice_step(double span, int target)
{
    if (!(span > 0) || !isfinite(span)) return 1.0;
    double raw = span / (target > 0 ? target : 5), p = pow(10, floor(log10(raw))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

typedef struct {
    double lo, hi, step;
} axis;

/* Axis over [lo, hi] extended to whole ticks; a degenerate range gets a unit around it. */
static axis make_axis(double lo, double hi, int ticks)
{
    axis a;
    if (!isfinite(lo) || !isfinite(hi)) lo = 0, hi = 1;
    if (hi - lo < 1e-12 * (fabs(hi) + 1)) lo -= 0.5 * (fabs(lo) + 1e-3), hi += 0.5 * (fabs(hi) + 1e-3);
    a.step = svg_nice_step(hi - lo, ticks);
    a.lo = floor(lo / a.step) * a.step;
    a.hi = ceil(hi / a.step) * a.step;
    return a;
}

static int digits_for(double step) { return step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9); }

static void header(FILE *f, int w, int h, const char *title)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
            w, h, w, h);
    fputs("<title>", f);
    svg_escape(f, title);
    fprintf(f, "</title>\n<text x=\"%d\" y=\"20\" text-anchor=\"middle\" class=\"ct\">", w / 2);
    svg_escape(f, title);
    fputs("</text>\n", f);
}

/* A label cut to max characters (UTF-8 safe: cuts only before a lead byte). */
static void short_label(FILE *f, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        svg_escape(f, s);
        return;
    }
    size_t cut = max - 1;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)cut, s);
    svg_escape(f, buf);
    fputs("\xE2\x80\xA6", f); /* ellipsis */
}

/* Vertical value axis at x0 between y_top and y_bottom with gridlines to x1. */
static void value_axis_y(FILE *f, const axis *a, double x0, double x1, double y_top, double y_bot, const char *label)
{
    int dg = digits_for(a->step);
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        double y = y_bot - (v - a->lo) / (a->hi - a->lo) * (y_bot - y_top);
        double shown = fabs(v) < a->step * 1e-9 ? 0.0 : v;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", x0, y, x1, y);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%.*f</text>\n", x0 - 4, y + 4, dg, shown);
    }
    fprintf(f, "<text transform=\"translate(14,%.1f) rotate(-90)\" text-anchor=\"middle\" class=\"al\">", (y_top + y_bot) / 2);
    svg_escape(f, label);
    fputs("</text>\n", f);
}

static void value_axis_x(FILE *f, const axis *a, double x_left, double x_right, double y0, double y_top, const char *label)
{
    int dg = digits_for(a->step);
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        double x = x_left + (v - a->lo) / (a->hi - a->lo) * (x_right - x_left);
        double shown = fabs(v) < a->step * 1e-9 ? 0.0 : v;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", x, y_top, x, y0);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"tick\">%.*f</text>\n", x, y0 + 16, dg, shown);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"al\">", (x_left + x_right) / 2, y0 + 34);
    svg_escape(f, label);
    fputs("</text>\n", f);
}

void svg_bar_chart(FILE *f, const char *title, const char *unit, int n, const char *const *labels, const double *values,
                   const double *errors, const double *window)
{
    int w = 160 + 70 * (n > 4 ? n : 4), h = 360;
    double x0 = 70, x1 = w - 20, yt = 40, yb = h - 90;
    double lo = 0, hi = 0;
    int n_missing = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(values[i])) {
            n_missing++;
            continue;
        }
        double e = errors && isfinite(errors[i]) ? errors[i] : 0;
        lo = fmin(lo, values[i] - e), hi = fmax(hi, values[i] + e);
    }
    if (window) lo = fmin(lo, window[0]), hi = fmax(hi, window[1]);
    axis a = make_axis(lo, hi, 6);
    header(f, w, h, title);
#define YV(v) (yb - ((v) - a.lo) / (a.hi - a.lo) * (yb - yt))
    if (window)
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"window\"><title>target window</title></rect>\n",
                x0, YV(window[1]), x1 - x0, YV(window[0]) - YV(window[1]));
    char axis_label[96];
    snprintf(axis_label, sizeof axis_label, "%s", unit && unit[0] ? unit : "value");
    value_axis_y(f, &a, x0, x1, yt, yb, axis_label);
    double slot = (x1 - x0) / (n > 0 ? n : 1), bw = slot * 0.6;
    double yz = YV(0.0);
    for (int i = 0; i < n; i++) {
        double xc = x0 + slot * (i + 0.5);
        fprintf(f, "<text transform=\"translate(%.1f,%.1f) rotate(-35)\" text-anchor=\"end\" class=\"tick\">", xc + 4, yb + 26);
        short_label(f, labels[i], 22);
        fputs("<title>", f);
        svg_escape(f, labels[i]);
        fputs("</title></text>\n", f);
        if (!isfinite(values[i])) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"tick\">n/a</text>\n", xc, yz - 4);
            continue;
        }
        double yv = YV(values[i]);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" class=\"bar\"><title>", xc - bw / 2,
                fmin(yv, yz), bw, fabs(yz - yv), PALETTE[0]);
        svg_escape(f, labels[i]);
        fprintf(f, ": %.4f ", values[i]);
        svg_escape(f, unit);
        fputs("</title></rect>\n", f);
        if (errors && isfinite(errors[i]) && errors[i] > 0) {
            double ya = YV(values[i] - errors[i]), yb2 = YV(values[i] + errors[i]);
            fprintf(f, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh8M%.1f %.1fh8\" class=\"err\"/>\n", xc, ya, yb2, xc - 4, ya,
                    xc - 4, yb2);
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"val\">%.3f</text>\n", xc,
                values[i] < 0 ? fmax(yv, yz) + 13 : fmin(yv, yz) - 4, values[i]);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>\n", x0, yz, x1, yz);
    if (n_missing) fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%d candidate(s) without a value (n/a)</text>\n", x0, h - 6, n_missing);
#undef YV
    fputs("</svg>\n", f);
}

void svg_line_chart(FILE *f, const char *title, const char *x_label, const char *y_label, int n_series,
                    const svg_series *s, int n_markers, const svg_marker *m)
{
    int w = 760, h = 380;
    double x0 = 70, x1 = w - 170, yt = 40, yb = h - 60;
    double xlo = INFINITY, xhi = -INFINITY, yhi = 0;
    for (int k = 0; k < n_series; k++)
        for (int i = 0; i < s[k].n; i++)
            if (isfinite(s[k].x[i]) && isfinite(s[k].y[i])) {
                xlo = fmin(xlo, s[k].x[i]), xhi = fmax(xhi, s[k].x[i]), yhi = fmax(yhi, s[k].y[i]);
            }
    axis ax = make_axis(xlo, xhi, 8), ay = make_axis(0, yhi, 5);
    header(f, w, h, title);
    value_axis_y(f, &ay, x0, x1, yt, yb, y_label);
    value_axis_x(f, &ax, x0, x1, yb, yt, x_label);
#define XP(v) (x0 + ((v) - ax.lo) / (ax.hi - ax.lo) * (x1 - x0))
#define YP(v) (yb - ((v) - ay.lo) / (ay.hi - ay.lo) * (yb - yt))
    for (int k = 0; k < n_series; k++) {
        const char *col = PALETTE[k % N_PALETTE];
        fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" d=\"", col);
        int pen = 0;
        for (int i = 0; i < s[k].n; i++) {
            if (!isfinite(s[k].x[i]) || !isfinite(s[k].y[i])) {
                pen = 0;
                continue;
            }
            fprintf(f, "%c%.1f %.1f", pen ? 'L' : 'M', XP(s[k].x[i]), YP(s[k].y[i]));
            pen = 1;
        }
        fputs("\"><title>", f);
        svg_escape(f, s[k].label);
        fputs("</title></path>\n", f);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"3\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" class=\"tick\">", x1 + 12,
                yt + 14 + 18 * k, col, x1 + 30, yt + 18 + 18 * k);
        short_label(f, s[k].label, 20);
        fputs("</text>\n", f);
    }
    for (int i = 0; i < n_markers; i++) {
        if (!isfinite(m[i].x) || m[i].x < ax.lo || m[i].x > ax.hi) continue;
        const char *col = PALETTE[i % N_PALETTE];
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5 3\"><title>", XP(m[i].x), yt,
                XP(m[i].x), yb, col);
        svg_escape(f, m[i].label);
        fprintf(f, " = %.3f</title></line>\n", m[i].x);
    }
#undef XP
#undef YP
    fputs("</svg>\n", f);
}

void svg_scatter(FILE *f, const char *title, const char *x_label, const char *y_label, int n, const char *const *labels,
                 const double *x, const double *y, const int *on_front)
{
    int w = 620, h = 420;
    double x0 = 70, x1 = w - 30, yt = 40, yb = h - 60;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i]))
            xlo = fmin(xlo, x[i]), xhi = fmax(xhi, x[i]), ylo = fmin(ylo, y[i]), yhi = fmax(yhi, y[i]);
    axis ax = make_axis(xlo, xhi, 6), ay = make_axis(ylo, yhi, 6);
    header(f, w, h, title);
    value_axis_y(f, &ay, x0, x1, yt, yb, y_label);
    value_axis_x(f, &ax, x0, x1, yb, yt, x_label);
#define XP(v) (x0 + ((v) - ax.lo) / (ax.hi - ax.lo) * (x1 - x0))
#define YP(v) (yb - ((v) - ay.lo) / (ay.hi - ay.lo) * (yb - yt))
    if (on_front) { /* the front joined in x order */
        int idx[256], m = 0;
        for (int i = 0; i < n && m < 256; i++)
            if (on_front[i] && isfinite(x[i]) && isfinite(y[i])) idx[m++] = i;
        for (int a = 1; a < m; a++)
            for (int b = a; b > 0 && x[idx[b]] < x[idx[b - 1]]; b--) {
                int t = idx[b];
                idx[b] = idx[b - 1], idx[b - 1] = t;
            }
        if (m > 1) {
            fputs("<path fill=\"none\" class=\"front\" d=\"", f);
            for (int a = 0; a < m; a++) fprintf(f, "%c%.1f %.1f", a ? 'L' : 'M', XP(x[idx[a]]), YP(y[idx[a]]));
            fputs("\"><title>Pareto front</title></path>\n", f);
        }
    }
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        int fr = on_front && on_front[i];
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>", XP(x[i]), YP(y[i]), fr ? 7 : 5,
                fr ? PALETTE[1] : PALETTE[0]);
        svg_escape(f, labels[i]);
        fprintf(f, ": (%.4f, %.4f)%s</title></circle>\n", x[i], y[i], fr ? ", on the Pareto front" : "");
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">", XP(x[i]) + 8, YP(y[i]) - 6);
        short_label(f, labels[i], 16);
        fputs("</text>\n", f);
    }
#undef XP
#undef YP
    fputs("</svg>\n", f);
}

void svg_probability_chart(FILE *f, const char *title, int n, const char *const *labels, const double *p)
{
    int w = 620, h = 70 + 26 * (n > 1 ? n : 1);
    double x0 = 180, x1 = w - 60, yt = 36;
    header(f, w, h, title);
    for (int t = 0; t <= 4; t++) {
        double x = x0 + (x1 - x0) * t / 4.0;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%.2f</text>\n",
                x, yt, x, yt + 26.0 * n, x, h - 14, t / 4.0);
    }
    for (int i = 0; i < n; i++) {
        double y = yt + 26 * i, v = isfinite(p[i]) ? fmin(fmax(p[i], 0), 1) : 0;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">", x0 - 6, y + 16);
        short_label(f, labels[i], 24);
        fprintf(f, "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\"><title>", x0, y + 3, (x1 - x0) * v,
                PALETTE[2]);
        svg_escape(f, labels[i]);
        fprintf(f, ": %.3f</title></rect><text x=\"%.1f\" y=\"%.1f\" class=\"val\">%.2f</text>\n", v, x0 + (x1 - x0) * v + 4, y + 16, v);
    }
    fputs("</svg>\n", f);
}
