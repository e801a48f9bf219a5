/* svg: small inline-SVG charts for the self-contained HTML report (no JavaScript, no
 * external resources): bar chart (with uncertainty whiskers and a shaded target window),
 * line chart (DOS curves with vertical markers), scatter (with the Pareto front
 * highlighted) and a probability chart.  Axes get "nice" 1-2-5 ticks; NaN/Inf values are
 * left out (never printed); all text is escaped. */
#ifndef DS_SVG_H
#define DS_SVG_H

#include <stdio.h>

typedef struct {
    const char *label;
    int n;
    const double *x, *y;
} svg_series;

typedef struct {
    const char *label;
    double x;
} svg_marker;

/* Text escaped for HTML/SVG content and attributes (& < > " '). */
void svg_escape(FILE *f, const char *text);

/* Tick step for a range: 1, 2 or 5 times a power of ten giving about `target` ticks. */
double svg_nice_step(double span, int target);

void svg_bar_chart(FILE *f, const char *title, const char *unit, int n, const char *const *labels,
                   const double *values, const double *errors, const double *window_lo_hi);
void svg_line_chart(FILE *f, const char *title, const char *x_label, const char *y_label, int n_series,
                    const svg_series *series, int n_markers, const svg_marker *markers);
void svg_scatter(FILE *f, const char *title, const char *x_label, const char *y_label, int n,
                 const char *const *labels, const double *x, const double *y, const int *on_front);
void svg_probability_chart(FILE *f, const char *title, int n, const char *const *labels, const double *probability);

#endif
