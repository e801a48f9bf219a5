/* svg_xy: charts on two value axes: the line chart (DOS curves with vertical markers)
 * and the scatter with the Pareto front. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/io.h"
#include "screen/svg_internal.h"

typedef struct {
    double x0, y0, x1, y1;
} box;

static int boxes_overlap(box a, box b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

static int overlaps_any(box a, const box *list, int n)
{
    for (int i = 0; i < n; i++)
        if (boxes_overlap(a, list[i])) return 1;
    return 0;
}

/* ---- line chart ---- */

static int series_has_data(const svg_series *s) { return s->n > 0 && s->x && s->y; }

static void line_legend(svgc *c, int n_series, const svg_series *series, svgc_rect p, double y)
{
    double col_w = (p.right - p.left + 40) / 3;
    svgc_put(c, "<g class=\"legend\" font-size=\"11\">\n");
    for (int k = 0; k < n_series; k++) {
        double x = p.left - 40 + col_w * (k % 3), yy = y + 18 * (k / 3);
        svgc_put(c, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"2.2\" stroke-dasharray=\"%s\"/>",
                 x, yy - 4, x + 22, yy - 4, svgc_palette[k % svgc_n_palette], svgc_dash(k));
        char attrs[64];
        snprintf(attrs, sizeof attrs, "x=\"%.2f\" y=\"%.2f\"", x + 28, yy);
        svgc_text(c, attrs, series[k].label ? series[k].label : "(unnamed)", svgc_fit_chars(col_w - 34, 11));
    }
    svgc_put(c, "</g>\n");
}

/* Marker labels in rows at the top of the plot, a new row where they would collide. */
static int marker_rows(int n, const svg_marker *m, const svg_ticks *tx, svgc_rect p, int *row, double *lx, int *anchor_end)
{
    box *placed = malloc(sizeof(box) * (size_t)(n > 0 ? n : 1));
    int n_rows = 0, n_placed = 0;
    if (!placed) return -1;
    for (int i = 0; i < n; i++) {
        row[i] = -1;
        if (!isfinite(m[i].x)) continue;
        double x = svgc_map(m[i].x, tx->lo, tx->hi, p.left, p.right);
        double w = svgc_text_px(m[i].label ? m[i].label : "", 10.5);
        w = fmin(w, 24 * 0.62 * 10.5) + 4;
        anchor_end[i] = x + 4 + w > p.right;
        lx[i] = anchor_end[i] ? x - 4 : x + 4;
        box b = {anchor_end[i] ? x - 4 - w : x + 4, 0, anchor_end[i] ? x - 4 : x + 4 + w, 0};
        int r = 0;
        for (; r < 6; r++) {
            b.y0 = r, b.y1 = r + 0.5;
            if (!overlaps_any(b, placed, n_placed)) break;
        }
        if (r == 6) r = i % 6, b.y0 = r, b.y1 = r + 0.5;
        placed[n_placed++] = b;
        row[i] = r;
        n_rows = r + 1 > n_rows ? r + 1 : n_rows;
    }
    free(placed);
    return n_rows;
}

static void draw_series(svgc *c, int k, const svg_series *s, const svg_ticks *tx, const svg_ticks *ty, svgc_rect p,
                        svgc_list *gaps)
{
    if (!series_has_data(s)) return;
    svgc_put(c, "<path class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" stroke-linejoin=\"round\" "
                "stroke-dasharray=\"%s\" d=\"",
             svgc_palette[k % svgc_n_palette], svgc_dash(k));
    int pen = 0, skipped = 0;
    for (int i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i])) {
            pen = 0, skipped++;
            continue;
        }
        svgc_put(c, "%c%.2f %.2f", pen ? 'L' : 'M', svgc_map(s->x[i], tx->lo, tx->hi, p.left, p.right),
                 svgc_map(s->y[i], ty->lo, ty->hi, p.bottom, p.top));
        pen = 1;
    }
    svgc_put(c, "\"><title>");
    svgc_esc(c, s->label);
    svgc_put(c, "</title></path>\n");
    if (skipped) {
        char what[64];
        snprintf(what, sizeof what, " (%d point%s)", skipped, skipped > 1 ? "s" : "");
        strbuf tmp = {0};
        if (strbuf_printf(&tmp, "%s%s", s->label ? s->label : "(unnamed)", what) == DS_OK) svgc_list_add(gaps, tmp.data);
        else gaps->rc = DS_ENOMEM;
        strbuf_free(&tmp);
    }
}

int svg_line_chart(strbuf *out, const char *title, const char *x_label, const char *y_label, int n_series,
                   const svg_series *series, int n_markers, const svg_marker *markers)
{
    if (!out || n_series < 0 || n_markers < 0 || (n_series > 0 && !series) || (n_markers > 0 && !markers)) return DS_EUSAGE;
    double xlo = INFINITY, xhi = -INFINITY, ylo = 0, yhi = 0; /* y from zero: DOS (spin down may be < 0) */
    for (int k = 0; k < n_series; k++)
        for (int i = 0; series_has_data(&series[k]) && i < series[k].n; i++) {
            double x = series[k].x[i], y = series[k].y[i];
            if (!isfinite(x) || !isfinite(y)) continue;
            xlo = fmin(xlo, x), xhi = fmax(xhi, x), ylo = fmin(ylo, y), yhi = fmax(yhi, y);
        }
    int have_data = xlo <= xhi;
    for (int i = 0; i < n_markers; i++)
        if (isfinite(markers[i].x)) xlo = fmin(xlo, markers[i].x), xhi = fmax(xhi, markers[i].x);
    if (!(xlo <= xhi)) xlo = 0, xhi = 1;
    if (!have_data) ylo = 0, yhi = 1;
    svgc_rect p = {78, SVGC_WIDTH - 20, 44, 344};
    svg_ticks tx, ty;
    svg_ticks_make(xlo, xhi, 8, 0, &tx);
    int *row = malloc(sizeof(int) * 2 * (size_t)(n_markers > 0 ? n_markers : 1));
    double *lx = malloc(sizeof(double) * (size_t)(n_markers > 0 ? n_markers : 1));
    int n_rows = row && lx ? marker_rows(n_markers, markers, &tx, p, row, lx, row + n_markers) : -1;
    if (n_rows < 0) {
        free(row), free(lx);
        return DS_ENOMEM;
    }
    double span = yhi - ylo;
    svg_ticks_make(ylo, yhi + span * (0.04 + 0.075 * n_rows), 5, 1, &ty);
    int legend_rows = (n_series + 2) / 3, n_bad_markers = 0;
    for (int i = 0; i < n_markers; i++) n_bad_markers += row[i] < 0;
    svgc_list gaps = {{0}, 0, 0}, bad = {{0}, 0, 0}, empty = {{0}, 0, 0};
    for (int k = 0; k < n_series; k++)
        if (!series_has_data(&series[k])) svgc_list_add(&empty, series[k].label);
    int any_gap = 0;
    for (int k = 0; k < n_series && !any_gap; k++)
        for (int i = 0; series_has_data(&series[k]) && i < series[k].n; i++)
            if (!isfinite(series[k].x[i]) || !isfinite(series[k].y[i])) {
                any_gap = 1;
                break;
            }
    int n_notes = !have_data + (n_bad_markers > 0) + (empty.count > 0) + any_gap;
    int height = (int)ceil(p.bottom + 50 + 18.0 * legend_rows + 16.0 * (n_notes + 1) + 6);

    svgc c;
    svgc_begin(&c, out, SVGC_WIDTH, height, title, "line-chart");
    svgc_axis_y(&c, &ty, p, y_label);
    svgc_axis_x(&c, &tx, p, x_label);
    svgc_frame(&c, p);
    if (ty.lo < 0 && ty.hi > 0) {
        double y0 = svgc_map(0, ty.lo, ty.hi, p.bottom, p.top);
        svgc_put(&c, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n", p.left, y0, p.right, y0, SVGC_MUTED);
    }
    for (int k = 0; k < n_series; k++) draw_series(&c, k, &series[k], &tx, &ty, p, &gaps);
    /* marker lines first, then their labels, so no line crosses a label */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n_markers; i++) {
            if (row[i] < 0) {
                if (pass) svgc_list_add(&bad, markers[i].label);
                continue;
            }
            const char *colour = SVGC_INK;
            for (int k = 0; k < n_series; k++)
                if (markers[i].label && series[k].label && !strcmp(markers[i].label, series[k].label))
                    colour = svgc_palette[k % svgc_n_palette];
            double x = svgc_map(markers[i].x, tx.lo, tx.hi, p.left, p.right);
            if (!pass) {
                char num[40];
                svgc_num(markers[i].x, 6, num, sizeof num);
                svgc_put(&c, "<line class=\"marker\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                             "stroke-width=\"1.4\" stroke-dasharray=\"5 4\"><title>",
                         x, p.top, x, p.bottom, colour);
                svgc_esc(&c, markers[i].label);
                svgc_put(&c, " = %s</title></line>\n", num);
                continue;
            }
            char attrs[200];
            snprintf(attrs, sizeof attrs,
                     "class=\"marker-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\" font-size=\"10.5\" fill=\"%s\" "
                     "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
                     lx[i], p.top + 13 + 14.0 * row[i], row[n_markers + i] ? "end" : "start", colour);
            svgc_text(&c, attrs, markers[i].label ? markers[i].label : "", 24);
        }
    line_legend(&c, n_series, series, p, p.bottom + 58);
    double y = p.bottom + 58 + 18.0 * legend_rows + 4;
    if (!have_data) svgc_note(&c, y, "No finite data points to draw."), y += 16;
    svgc_list_note(&c, &gaps, &y, "Non-finite points left out (the curve is broken there)");
    svgc_list_note(&c, &bad, &y, "Markers without a finite position, not drawn");
    svgc_list_note(&c, &empty, &y, "Series without data");
    free(row), free(lx);
    return svgc_end(&c);
}

/* ---- scatter with the Pareto front ---- */

/* The front joined in x order (ties by index so the output is deterministic). */
static void sort_front_by_x(int *idx, int m, const double *x)
{
    for (int a = 1; a < m; a++)
        for (int b = a; b > 0 && (x[idx[b]] < x[idx[b - 1]] || (x[idx[b]] == x[idx[b - 1]] && idx[b] < idx[b - 1])); b--) {
            int t = idx[b];
            idx[b] = idx[b - 1], idx[b - 1] = t;
        }
}

/* Is x minimised (+1) or maximised (-1)?  The reading (with either sense of y) under which
 * the front dominates most of the other points; ties prefer minimising. */
static int infer_x_sense(int n, const double *x, const double *y, const int *on_front, const int *idx, int m)
{
    int best = -1, best_sx = 1;
    for (int sx = 1; sx >= -1; sx -= 2)
        for (int sy = 1; sy >= -1; sy -= 2) {
            int count = 0;
            for (int q = 0; q < n; q++) {
                if (on_front[q] || !isfinite(x[q]) || !isfinite(y[q])) continue;
                for (int a = 0; a < m; a++)
                    if (sx * x[idx[a]] <= sx * x[q] && sy * y[idx[a]] <= sy * y[q]) {
                        count++;
                        break;
                    }
            }
            if (count > best) best = count, best_sx = sx;
        }
    return best_sx;
}

/* Segment from (x0,y0) to (x1,y1) (axis-aligned) as a box names must keep clear of. */
static box segment_box(double x0, double y0, double x1, double y1)
{
    return (box){fmin(x0, x1) - 2, fmin(y0, y1) - 2, fmax(x0, x1) + 2, fmax(y0, y1) + 2};
}

static void front_line(svgc *c, int n, const double *x, const double *y, const int *on_front, const svg_ticks *tx,
                       const svg_ticks *ty, svgc_rect p, box *taken, int *n_taken)
{
    int *idx = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1)), m = 0;
    if (!idx) {
        c->rc = c->rc ? c->rc : DS_ENOMEM;
        return;
    }
    for (int i = 0; i < n; i++)
        if (on_front[i] && isfinite(x[i]) && isfinite(y[i])) idx[m++] = i;
    sort_front_by_x(idx, m, x);
    if (m > 1) {
        int sx = infer_x_sense(n, x, y, on_front, idx, m);
        svgc_put(c, "<path class=\"pareto-line\" fill=\"none\" stroke=\"#D55E00\" stroke-width=\"2\" stroke-linejoin=\"round\" d=\"");
#define PX(v) svgc_map((v), tx->lo, tx->hi, p.left, p.right)
#define PY(v) svgc_map((v), ty->lo, ty->hi, p.bottom, p.top)
        for (int a = 0; a < m; a++) {
            int i = idx[a];
            if (a) { /* the corner of the dominated region between neighbours */
                int prev = idx[a - 1];
                double cx = sx > 0 ? x[i] : x[prev], cy = sx > 0 ? y[prev] : y[i];
                svgc_put(c, "L%.2f %.2f", PX(cx), PY(cy));
                taken[(*n_taken)++] = segment_box(PX(x[prev]), PY(y[prev]), PX(cx), PY(cy));
                taken[(*n_taken)++] = segment_box(PX(cx), PY(cy), PX(x[i]), PY(y[i]));
            }
            svgc_put(c, "%c%.2f %.2f", a ? 'L' : 'M', PX(x[i]), PY(y[i]));
        }
        svgc_put(c, "\"><title>Pareto front</title></path>\n");
    }
    free(idx);
}

static void scatter_legend(svgc *c)
{
    svgc_put(c, "<g class=\"legend\" font-size=\"11\">\n"
                "<path d=\"M19 31l6 6-6 6-6-6z\" fill=\"#D55E00\" stroke=\"#222222\"/>"
                "<line x1=\"30\" y1=\"37\" x2=\"48\" y2=\"37\" stroke=\"#D55E00\" stroke-width=\"2\"/>"
                "<text x=\"54\" y=\"41\">Pareto front (step line: edge of the region it dominates)</text>\n"
                "<circle cx=\"420\" cy=\"37\" r=\"4.5\" fill=\"#0072B2\" fill-opacity=\"0.8\"/>"
                "<text x=\"430\" y=\"41\">other candidates</text>\n</g>\n");
}

/* Name beside its point: the first of eight positions that stays inside the plot and
 * clear of other points and names; 0 when none does. */
static int place_label(double px, double py, double w, svgc_rect p, box *taken, int n_taken, double *tx, double *ty,
                       const char **anchor)
{
    static const double off[8][2] = {{9, 4}, {-9, 4}, {0, -10}, {0, 18}, {7, -7}, {7, 15}, {-7, -7}, {-7, 15}};
    static const int anch[8] = {0, 2, 1, 1, 0, 0, 2, 2}; /* start, middle, end */
    static const char *const names[3] = {"start", "middle", "end"};
    for (int k = 0; k < 8; k++) {
        double x = px + off[k][0], y = py + off[k][1];
        double x0 = anch[k] == 0 ? x : anch[k] == 1 ? x - w / 2 : x - w;
        box b = {x0, y - 9, x0 + w, y + 2};
        if (b.x0 < p.left + 2 || b.x1 > p.right - 2 || b.y0 < p.top + 2 || b.y1 > p.bottom - 2) continue;
        if (overlaps_any(b, taken, n_taken)) continue;
        taken[n_taken] = b;
        *tx = x, *ty = y, *anchor = names[anch[k]];
        return 1;
    }
    return 0;
}

int svg_scatter(strbuf *out, const char *title, const char *x_label, const char *y_label, int n,
                const char *const *labels, const double *x, const double *y, const int *on_front)
{
    if (!out || n < 0 || (n > 0 && (!x || !y))) return DS_EUSAGE;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    svgc_list missing = {{0}, 0, 0}, crowded = {{0}, 0, 0};
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            svgc_list_add(&missing, labels && labels[i] ? labels[i] : "(unnamed)");
            continue;
        }
        xlo = fmin(xlo, x[i]), xhi = fmax(xhi, x[i]), ylo = fmin(ylo, y[i]), yhi = fmax(yhi, y[i]);
    }
    int have_data = xlo <= xhi;
    if (!have_data) xlo = ylo = 0, xhi = yhi = 1;
    double px_pad = 0.06 * (xhi - xlo), py_pad = 0.08 * (yhi - ylo);
    svg_ticks tx, ty;
    svg_ticks_make(xlo - px_pad, xhi + px_pad, 7, 1, &tx);
    svg_ticks_make(ylo - py_pad, yhi + py_pad, 6, 1, &ty);
    svgc_rect p = {78, SVGC_WIDTH - 24, on_front ? 58 : 44, 0};
    p.bottom = p.top + 380;
    int height = (int)ceil(p.bottom + 50 + 16.0 * ((missing.count > 0) + !have_data + 1) + 4);
    box *taken = malloc(sizeof(box) * 4 * (size_t)(n > 0 ? n : 1)); /* points, front segments, names */
    if (!taken) {
        strbuf_free(&missing.names);
        return DS_ENOMEM;
    }
    int n_taken = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            double cx = svgc_map(x[i], tx.lo, tx.hi, p.left, p.right), cy = svgc_map(y[i], ty.lo, ty.hi, p.bottom, p.top);
            taken[n_taken++] = (box){cx - 6, cy - 6, cx + 6, cy + 6};
        }

    svgc c;
    svgc_begin(&c, out, SVGC_WIDTH, height, title, "scatter");
    if (on_front) scatter_legend(&c);
    svgc_axis_y(&c, &ty, p, y_label);
    svgc_axis_x(&c, &tx, p, x_label);
    svgc_frame(&c, p);
    if (on_front) front_line(&c, n, x, y, on_front, &tx, &ty, p, taken, &n_taken);
    for (int pass = 0; pass < 2; pass++) /* front points last, on top */
        for (int i = 0; i < n; i++) {
            int front = on_front && on_front[i];
            if (front != pass || !isfinite(x[i]) || !isfinite(y[i])) continue;
            double cx = svgc_map(x[i], tx.lo, tx.hi, p.left, p.right), cy = svgc_map(y[i], ty.lo, ty.hi, p.bottom, p.top);
            char nx[40], ny[40];
            svgc_num(x[i], 6, nx, sizeof nx), svgc_num(y[i], 6, ny, sizeof ny);
            if (front)
                svgc_put(&c, "<path class=\"front-point\" d=\"M%.2f %.2fl6 6-6 6-6-6z\" fill=\"#D55E00\" stroke=\"#222222\"><title>",
                         cx, cy - 6);
            else
                svgc_put(&c, "<circle class=\"point\" cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"#0072B2\" fill-opacity=\"0.8\" "
                             "stroke=\"#ffffff\"><title>",
                         cx, cy);
            svgc_esc(&c, labels && labels[i] ? labels[i] : "(unnamed)");
            svgc_put(&c, ": (%s, %s)%s</title></%s>\n", nx, ny, front ? ", on the Pareto front" : "", front ? "path" : "circle");
        }
    svgc_put(&c, "<g class=\"names\" font-size=\"10.5\">\n");
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        const char *name = labels && labels[i] ? labels[i] : "(unnamed)";
        double cx = svgc_map(x[i], tx.lo, tx.hi, p.left, p.right), cy = svgc_map(y[i], ty.lo, ty.hi, p.bottom, p.top);
        double w = fmin(svgc_text_px(name, 10.5), 18 * 0.62 * 10.5), lx, ly;
        const char *anchor;
        if (!place_label(cx, cy, w, p, taken, n_taken, &lx, &ly, &anchor)) {
            svgc_list_add(&crowded, name);
            continue;
        }
        n_taken++;
        char attrs[128];
        snprintf(attrs, sizeof attrs, "x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\"", lx, ly, anchor);
        svgc_text(&c, attrs, name, 18);
    }
    svgc_put(&c, "</g>\n");
    free(taken);
    double yn = p.bottom + 54;
    if (!have_data) svgc_note(&c, yn, "No point with two finite values."), yn += 16;
    svgc_list_note(&c, &missing, &yn, "Not drawn (a value is not finite)");
    svgc_list_note(&c, &crowded, &yn, "Unnamed where crowded (hover the point)");
    return svgc_end(&c);
}
