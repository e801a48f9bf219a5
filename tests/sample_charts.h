/* sample_charts: a realistic screening page (12 MOF fillers with awkward names, DOS
 * curves with d-band centres, a Pareto scatter, top-k probabilities) shared by the
 * rendering test and the SVG unit tests. */
#ifndef DS_TEST_SAMPLE_CHARTS_H
#define DS_TEST_SAMPLE_CHARTS_H

#include <math.h>

#include "screen/html.h"
#include "screen/svg.h"

#define SAMPLE_N 12
#define SAMPLE_DOS_POINTS 600

static const char *const sample_names[SAMPLE_N] = {
    "UiO-66-NH2 (Zr6 node, \xCE\xBC\xE2\x82\x83-OH)", "MOF-808 <defective> & capped", "HKUST-1 Cu\xE2\x82\x83(BTC)\xE2\x82\x82",
    "ZIF-8", "MIL-53(Al) \"lp\" phase", "Mg-MOF-74", "NU-1000 with a rather long descriptive name", "Cu-BTC + 'DMF'",
    "UiO-67", "CAU-10-H", "MIL-101(Cr)", "PCN-250"};

static const double sample_binding_eV[SAMPLE_N] = {-0.84, -1.32, -0.61, -0.27, NAN, -1.91,
                                                   -0.95, -0.72, -1.05, -0.43, -1.47, -0.58};
static const double sample_dband_eV[SAMPLE_N] = {-2.9, -2.1, -2.4, -3.6, -2.2, -1.7, -3.1, -2.5, -2.0, -3.3, -1.9, -2.75};
static const double sample_probability[SAMPLE_N] = {0.93, 0.81, 0.64, 0.47, NAN, 0.22, 0.18, 0.07, 0.004, 0.0, 1.0, 0.55};
static const double sample_window_eV[2] = {-1.2, -0.6};

/* d-projected DOS: two Gaussians per metal, in states/eV. */
static void sample_dos(int k, double *x, double *y)
{
    double centre = -2.0 - 0.9 * k, width = 0.8 + 0.25 * k;
    for (int i = 0; i < SAMPLE_DOS_POINTS; i++) {
        double e = -10 + 15.0 * i / (SAMPLE_DOS_POINTS - 1);
        x[i] = e;
        y[i] = 3.2 * exp(-0.5 * pow((e - centre) / width, 2)) + 0.9 * exp(-0.5 * pow((e - centre - 1.6) / 0.5, 2));
    }
}

/* Minimise both binding energy and d-band centre: front = not dominated by any other. */
static void sample_front(const double *x, const double *y, int n, int *front)
{
    for (int i = 0; i < n; i++) {
        front[i] = isfinite(x[i]) && isfinite(y[i]);
        for (int j = 0; j < n && front[i]; j++)
            if (j != i && isfinite(x[j]) && isfinite(y[j]) && x[j] <= x[i] && y[j] <= y[i] && (x[j] < x[i] || y[j] < y[i]))
                front[i] = 0;
    }
}

/* Appends each chart type to out (each with its own error check); returns the first error. */
static int sample_charts(strbuf *out)
{
    double err[SAMPLE_N];
    for (int i = 0; i < SAMPLE_N; i++) err[i] = 0.05;
    int rc = svg_bar_chart(out, "TFSI\xE2\x81\xBB adsorption energy per MOF (target window shaded)", "eV", SAMPLE_N,
                           sample_names, sample_binding_eV, err, sample_window_eV);
    static double dx[3][SAMPLE_DOS_POINTS], dy[3][SAMPLE_DOS_POINTS];
    svg_series s[3];
    svg_marker m[4];
    const char *metals[3] = {"Zr (UiO-66-NH2)", "Cu (HKUST-1)", "Mg (Mg-MOF-74)"};
    for (int k = 0; k < 3; k++) {
        sample_dos(k, dx[k], dy[k]);
        s[k] = (svg_series){metals[k], SAMPLE_DOS_POINTS, dx[k], dy[k]};
        m[k] = (svg_marker){metals[k], -2.0 - 0.9 * k + 0.3};
    }
    dy[1][300] = NAN; /* a gap in one curve */
    m[3] = (svg_marker){"E_F", 0.0};
    if (!rc) rc = svg_line_chart(out, "d-projected DOS of the metal sites; dashed: d-band centres", "E \xE2\x88\x92 E_F (eV)",
                                 "PDOS (states/eV)", 3, s, 4, m);
    int front[SAMPLE_N];
    sample_front(sample_binding_eV, sample_dband_eV, SAMPLE_N, front);
    if (!rc)
        rc = svg_scatter(out, "d-band centre vs TFSI\xE2\x81\xBB adsorption energy", "E_ads (eV)", "d-band centre (eV)", SAMPLE_N,
                         sample_names, sample_binding_eV, sample_dband_eV, front);
    if (!rc) rc = svg_probability_chart(out, "Probability of being in the top 3 (10000 samples)", SAMPLE_N, sample_names, sample_probability);
    return rc;
}

#endif
