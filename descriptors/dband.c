/* dband: moments, filling and upper edge of a projected DOS (grid or discrete levels). */
#include "descriptors/dband.h"

#include <math.h>
#include <stdlib.h>

#include "descriptors/hilbert.h"

/* Trapezoid integral of f over x[lo..hi] (inclusive indices), as numpy.trapz. */
static double trapz(const double *x, const double *f, int lo, int hi)
{
    double s = 0.0;
    for (int i = lo; i < hi; i++) s += (x[i + 1] - x[i]) * (f[i] + f[i + 1]) * 0.5;
    return s;
}

/* Trapezoid integral of (x - c)^p f. */
static double trapz_moment(const double *x, const double *f, int lo, int hi, double c, int p)
{
    double s = 0.0;
    for (int i = lo; i < hi; i++) {
        double a = pow(x[i] - c, p) * f[i], b = pow(x[i + 1] - c, p) * f[i + 1];
        s += (x[i + 1] - x[i]) * (a + b) * 0.5;
    }
    return s;
}

static int window_indices(const double *e, int n, double emin, double emax, int *lo, int *hi)
{
    *lo = 0;
    while (*lo < n && e[*lo] < emin) (*lo)++;
    *hi = n - 1;
    while (*hi >= 0 && e[*hi] > emax) (*hi)--;
    return *hi - *lo + 1;
}

int dband_grid(const double *e, const double *rho, int n, double emin, double emax, dband_result *out,
               ds_err *err)
{
    for (int i = 0; i < n; i++) {
        if (!isfinite(e[i]) || !isfinite(rho[i]))
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "non-finite energy or density at grid point %d", i);
        if (i && e[i] < e[i - 1])
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "energies are not ascending at grid point %d", i);
    }
    int lo, hi;
    int m = window_indices(e, n, emin, emax, &lo, &hi);
    out->window_eV[0] = isfinite(emin) ? emin : (n ? e[0] : NAN);
    out->window_eV[1] = isfinite(emax) ? emax : (n ? e[n - 1] : NAN);
    out->n_points = m > 0 ? m : 0;
    if (m < 2)
        return ds_err_set(err, DS_ENODATA, NULL, 0, "the window [%g, %g] eV holds %d grid point(s); 2 are needed",
                          out->window_eV[0], out->window_eV[1], m > 0 ? m : 0);
    double norm = trapz(e, rho, lo, hi);
    if (!(norm > 0))
        return ds_err_set(err, DS_ENODATA, NULL, 0, "no states in the window [%g, %g] eV (integral %g)",
                          out->window_eV[0], out->window_eV[1], norm);
    out->states = norm;
    out->center_eV = trapz_moment(e, rho, lo, hi, 0.0, 1) / norm;
    double m2 = trapz_moment(e, rho, lo, hi, out->center_eV, 2) / norm;
    double m3 = trapz_moment(e, rho, lo, hi, out->center_eV, 3) / norm;
    double m4 = trapz_moment(e, rho, lo, hi, out->center_eV, 4) / norm;
    out->width_eV = sqrt(m2);
    out->skewness = m2 > 0 ? m3 / pow(m2, 1.5) : 0.0;
    out->kurtosis = m2 > 0 ? m4 / (m2 * m2) : 0.0;
    /* Filling: the grid points strictly below the reference, within the window. */
    int below = lo;
    while (below <= hi && e[below] < 0.0) below++;
    out->filling = below - 1 > lo ? trapz(e, rho, lo, below - 1) / norm : 0.0;
    /* Upper edge: Hilbert transform on the whole grid, maximum inside the window. */
    double *h = malloc((size_t)n * sizeof *h);
    if (!h) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    int rc = hilbert_transform(rho, n, h, err);
    if (rc) {
        free(h);
        return rc;
    }
    int best = lo;
    for (int i = lo; i <= hi; i++)
        if (h[i] > h[best]) best = i;
    out->upper_edge_eV = e[best];
    free(h);
    return DS_OK;
}

void dband_broaden(const double *e, const double *w, int n, double sigma, double gmin, double gmax, int gn,
                   double *curve)
{
    double step = gn > 1 ? (gmax - gmin) / (gn - 1) : 0.0;
    double norm = 1.0 / (sigma * sqrt(2.0 * M_PI));
    for (int g = 0; g < gn; g++) curve[g] = 0.0;
    for (int i = 0; i < n; i++) {
        if (w[i] == 0.0) continue;
        /* Gaussians are negligible beyond 8 sigma (exp(-32) ~ 1e-14). */
        int g0 = step > 0 ? (int)floor((e[i] - 8 * sigma - gmin) / step) : 0;
        int g1 = step > 0 ? (int)ceil((e[i] + 8 * sigma - gmin) / step) : gn - 1;
        if (g0 < 0) g0 = 0;
        if (g1 > gn - 1) g1 = gn - 1;
        for (int g = g0; g <= g1; g++) {
            double x = (gmin + g * step - e[i]) / sigma;
            curve[g] += w[i] * norm * exp(-0.5 * x * x);
        }
    }
}

int dband_levels(const double *e, const double *w, int n, double emin, double emax, double sigma,
                 dband_result *out, ds_err *err)
{
    if (!(sigma > 0)) return ds_err_set(err, DS_EUSAGE, NULL, 0, "the broadening must be positive, got %g eV", sigma);
    double s0 = 0, s1 = 0, lo_e = INFINITY, hi_e = -INFINITY, below = 0;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(e[i]) || !isfinite(w[i]))
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "non-finite energy or weight at level %d", i);
        if (e[i] < emin || e[i] > emax) continue;
        m++;
        s0 += w[i];
        s1 += w[i] * e[i];
        if (e[i] < 0) below += w[i];
        if (e[i] < lo_e) lo_e = e[i];
        if (e[i] > hi_e) hi_e = e[i];
    }
    out->window_eV[0] = isfinite(emin) ? emin : lo_e;
    out->window_eV[1] = isfinite(emax) ? emax : hi_e;
    out->n_points = m;
    if (m == 0 || !(s0 > 0))
        return ds_err_set(err, DS_ENODATA, NULL, 0, "no states in the window [%g, %g] eV", emin, emax);
    out->states = s0;
    double c = s1 / s0, m2 = 0, m3 = 0, m4 = 0;
    for (int i = 0; i < n; i++) {
        if (e[i] < emin || e[i] > emax) continue;
        double d = e[i] - c;
        m2 += w[i] * d * d;
        m3 += w[i] * d * d * d;
        m4 += w[i] * d * d * d * d;
    }
    m2 /= s0;
    m3 /= s0;
    m4 /= s0;
    out->center_eV = c;
    out->width_eV = sqrt(m2);
    out->skewness = m2 > 0 ? m3 / pow(m2, 1.5) : 0.0;
    out->kurtosis = m2 > 0 ? m4 / (m2 * m2) : 0.0;
    out->filling = below / s0;
    /* Upper edge from the broadened curve: a uniform grid 0.01 sigma... wide enough that
     * the curve has decayed at both ends (the transform is periodic). */
    double gmin = lo_e - 10 * sigma - (hi_e - lo_e), gmax = hi_e + 10 * sigma + (hi_e - lo_e);
    int gn = (int)ceil((gmax - gmin) / (sigma / 20.0)) + 1;
    if (gn > 1 << 20) gn = 1 << 20;
    double *grid_rho = malloc((size_t)gn * sizeof *grid_rho), *h = malloc((size_t)gn * sizeof *h);
    if (!grid_rho || !h) {
        free(grid_rho);
        free(h);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    double *we = malloc((size_t)n * sizeof *we);
    if (!we) {
        free(grid_rho);
        free(h);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    for (int i = 0; i < n; i++) we[i] = (e[i] < emin || e[i] > emax) ? 0.0 : w[i];
    dband_broaden(e, we, n, sigma, gmin, gmax, gn, grid_rho);
    free(we);
    int rc = hilbert_transform(grid_rho, gn, h, err);
    if (rc == DS_OK) {
        double step = (gmax - gmin) / (gn - 1);
        int best = -1;
        for (int g = 0; g < gn; g++) {
            double x = gmin + g * step;
            if (x < emin || x > emax) continue; /* an open window searches the whole curve */
            if (best < 0 || h[g] > h[best]) best = g;
        }
        out->upper_edge_eV = best >= 0 ? gmin + best * step : NAN;
        if (best < 0) rc = ds_err_set(err, DS_ENODATA, NULL, 0, "window too narrow for the broadened curve");
    }
    free(grid_rho);
    free(h);
    return rc;
}
