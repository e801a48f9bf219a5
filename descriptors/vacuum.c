/* vacuum: planar average of a local potential and the vacuum level on its plateau.
 * Definition (the usual one for work functions and molecular levels in a box, e.g.
 * Neugebauer & Scheffler PRB 46, 16067 (1992); vaspkit / pymatgen Locpot.get_average_along_axis
 * give the same planar average): V_avg(z_m) = (1 / (n_1 n_2)) sum_{i,j} V(i, j, m); the vacuum
 * level is V_avg averaged over the grid planes in the middle third of the largest atom-free
 * gap along the axis, where the molecule's potential has decayed; plateau_spread_eV (max - min
 * there) tells how flat it is. */
#include "descriptors/vacuum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int vacuum_planar_average(const double *values, const int n[3], int axis, double *avg, ds_err *err)
{
    if (axis < 0 || axis > 2) return ds_err_set(err, DS_EUSAGE, "", 0, "axis %d: expected 0, 1 or 2", axis);
    if (n[0] <= 0 || n[1] <= 0 || n[2] <= 0) return ds_err_set(err, DS_EUSAGE, "", 0, "empty grid");
    memset(avg, 0, (size_t)n[axis] * sizeof *avg);
    for (int i = 0; i < n[0]; i++)
        for (int j = 0; j < n[1]; j++) {
            const double *row = values + ((size_t)i * n[1] + j) * n[2];
            if (axis == 2)
                for (int k = 0; k < n[2]; k++) avg[k] += row[k];
            else {
                double s = 0;
                for (int k = 0; k < n[2]; k++) s += row[k];
                avg[axis == 0 ? i : j] += s;
            }
        }
    double per_plane = (double)n[0] * n[1] * n[2] / n[axis];
    for (int m = 0; m < n[axis]; m++) avg[m] /= per_plane;
    return DS_OK;
}

static int invert3(const double m[3][3], double inv[3][3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (!(fabs(det) > 1e-12)) return 0;
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            int r1 = (r + 1) % 3, r2 = (r + 2) % 3, c1 = (c + 1) % 3, c2 = (c + 2) % 3;
            inv[c][r] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
        }
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Largest gap between consecutive atoms (fractional, periodic) along axis. */
static double largest_gap(const double (*pos)[3], int n_atoms, const double inv[3][3], int axis, double *f, double *start)
{
    for (int a = 0; a < n_atoms; a++) {
        double x = pos[a][0] * inv[0][axis] + pos[a][1] * inv[1][axis] + pos[a][2] * inv[2][axis];
        f[a] = x - floor(x);
    }
    qsort(f, (size_t)n_atoms, sizeof *f, cmp_double);
    double best = f[0] + 1.0 - f[n_atoms - 1];
    *start = f[n_atoms - 1];
    for (int a = 1; a < n_atoms; a++)
        if (f[a] - f[a - 1] > best) best = f[a] - f[a - 1], *start = f[a - 1];
    return best;
}

int vacuum_level(const double *values, const int n[3], const double lattice_angstrom[3][3],
                 const double (*positions_angstrom)[3], int n_atoms, int axis, vacuum_result *out, ds_err *err)
{
    memset(out, 0, sizeof *out);
    out->vacuum_level_eV = out->plateau_spread_eV = NAN;
    if (n_atoms <= 0) return ds_err_set(err, DS_EUSAGE, "", 0, "no atoms: the vacuum gap is undefined");
    if (axis > 2) return ds_err_set(err, DS_EUSAGE, "", 0, "axis %d: expected 0, 1 or 2", axis);
    double inv[3][3];
    if (!invert3(lattice_angstrom, inv)) return ds_err_set(err, DS_EUSAGE, "", 0, "singular cell");
    double *f = malloc((size_t)n_atoms * sizeof *f);
    if (!f) return ds_err_set(err, DS_ENOMEM, "", 0, "out of memory");
    double gap[3] = {0, 0, 0}, start[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        /* distance between lattice planes of axis k = 1 / |k-th column of the inverse| */
        double g = sqrt(inv[0][k] * inv[0][k] + inv[1][k] * inv[1][k] + inv[2][k] * inv[2][k]);
        gap[k] = largest_gap(positions_angstrom, n_atoms, inv, k, f, &start[k]) / g;
    }
    free(f);
    if (axis < 0) {
        axis = gap[1] > gap[0] ? 1 : 0;
        if (gap[2] > gap[axis]) axis = 2;
    }
    double g_inv = sqrt(inv[0][axis] * inv[0][axis] + inv[1][axis] * inv[1][axis] + inv[2][axis] * inv[2][axis]);
    double gap_frac = gap[axis] * g_inv;
    out->axis = axis;
    out->gap_angstrom = gap[axis];
    out->gap_start_frac = start[axis];
    out->gap_end_frac = start[axis] + gap_frac;
    double *avg = malloc((size_t)n[axis] * sizeof *avg);
    if (!avg) return ds_err_set(err, DS_ENOMEM, "", 0, "out of memory");
    int rc = vacuum_planar_average(values, n, axis, avg, err);
    if (rc) {
        free(avg);
        return rc;
    }
    /* grid plane m sits at fraction m / n (VASP and cube grids start at the origin) */
    double lo = start[axis] + gap_frac / 3.0, hi = start[axis] + 2.0 * gap_frac / 3.0;
    double sum = 0, vmin = INFINITY, vmax = -INFINITY;
    int count = 0;
    for (int m = (int)ceil(lo * n[axis] - 1e-9); m <= (int)floor(hi * n[axis] + 1e-9); m++) {
        double v = avg[((m % n[axis]) + n[axis]) % n[axis]];
        sum += v;
        vmin = fmin(vmin, v);
        vmax = fmax(vmax, v);
        count++;
    }
    free(avg);
    if (count == 0)
        return ds_err_set(err, DS_ENODATA, "", 0, "the largest gap along axis %c (%.3f Angstrom) holds no grid plane in its middle third",
                          "abc"[axis], out->gap_angstrom);
    out->vacuum_level_eV = sum / count;
    out->plateau_spread_eV = vmax - vmin;
    out->n_plateau_points = count;
    return DS_OK;
}
