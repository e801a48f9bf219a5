/* svg: inline-SVG charts for the self-contained HTML report: bar chart (uncertainty
 * whiskers, shaded target window, negative bars growing down from zero), line chart (DOS
 * curves with vertical markers for d-band centres or E_F), scatter (Pareto front
 * highlighted and joined by its attainment step line) and a probability chart.
 *
 * Each chart is one <svg> element appended to a strbuf; it needs no JavaScript, CSS or
 * font file (presentation attributes, generic font families).  Axes get "nice" 1-2-5
 * ticks; colours are the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies), with a second cue (dash pattern, marker shape) where colour carries
 * meaning.  NaN/Inf values are left out and listed in a note under the chart, never
 * printed; labels are escaped, long ones truncated with the full text in a <title>
 * tooltip.  Output is deterministic.  Numbers are printed in the C locale's format
 * (dftscreen never calls setlocale); class names (bar, target-window, pareto-line, ...)
 * are for tests and page CSS, the look does not depend on them.
 * Functions return DS_OK, DS_ENOMEM (the buffer is left as it was) or DS_EUSAGE (negative
 * counts, NULL arrays with n > 0). */
#ifndef DS_SVG_H
#define DS_SVG_H

#include <stddef.h>

#include "screen/strbuf.h"

typedef struct {
    const char *label;
    int n;
    const double *x, *y;
} svg_series;

typedef struct {
    const char *label;
    double x;
} svg_marker;

int svg_bar_chart(strbuf *out, const char *title, const char *unit, int n, const char *const *labels,
                  const double *values, const double *errors /* NULL ok */,
                  const double *window_lo_hi /* NULL ok: shaded target window */);
/* DOS curves; markers are vertical dashed lines (d-band centres, E_F).  A marker whose
 * label equals a series label takes that series' colour. */
int svg_line_chart(strbuf *out, const char *title, const char *x_label, const char *y_label, int n_series,
                   const svg_series *series, int n_markers, const svg_marker *markers);
/* on_front (NULL ok): Pareto-front points drawn as diamonds and joined by the step line
 * bounding the region they dominate (whether x is minimised or maximised is inferred
 * from which reading makes the other points dominated). */
int svg_scatter(strbuf *out, const char *title, const char *x_label, const char *y_label, int n,
                const char *const *labels, const double *x, const double *y, const int *on_front);
/* Horizontal bars on 0..1, one row per candidate in the order given. */
int svg_probability_chart(strbuf *out, const char *title, int n, const char *const *labels,
                          const double *probability);

/* Axis ticks: multiples of step (1, 2 or 5 times a power of ten). */
typedef struct {
    double lo, hi;   /* axis range: whole ticks when expanded, else the data range */
    double step;
    double first;    /* first tick value (a multiple of step, >= lo) */
    int count;       /* ticks from first in steps of step, all within [lo, hi] */
    int decimals;    /* digits after the point for tick labels (fixed notation) */
    int exp_digits;  /* >= 0: tick labels in exponent notation with this many decimals */
} svg_ticks;

/* About `target` ticks over [lo, hi] (swapped if reversed; a non-finite bound becomes
 * 0..1; a degenerate range is widened around its value).  expand != 0 widens the range
 * to whole ticks. */
void svg_ticks_make(double lo, double hi, int target, int expand, svg_ticks *t);
double svg_tick_value(const svg_ticks *t, int i);
/* A tick label: enough digits to tell neighbouring ticks apart, "0" never "-0". */
void svg_tick_format(const svg_ticks *t, double value, char *buf, size_t n);

#endif
