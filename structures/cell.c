/* cell: lattice validation, coordinate conversion, lattice reduction and exact minimum-image
 * distances; the cell_atoms view of a structure and its choice from a run. */
#include "structures/cell.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "structures/elements.h"

static double dot3(const double a[3], const double b[3]);
static void cross3(const double a[3], const double b[3], double out[3]);
static double norm3(const double a[3]);
static int invert3(const double m[3][3], double inv[3][3]);
static void heights_of(const double l[3][3], double volume, double h[3]);
static void reduce_basis(ds_cell *cell);
static void frac_in(const double inv[3][3], const double cart[3], double frac[3]);
static int pbc_from_periodicity(const char *text, int pbc[3]);
static void prepare_cvp(ds_cell *cell);

/* Closest-vector enumeration state: minimise Q(n + f) over integer n. */
typedef struct {
    int p;
    const double (*q)[3];
    double f[3];
    int n[3], best_n[3];
    double best, bound;
} cvp_state;

static void cvp_search(cvp_state *s, int i, double partial);

static const char axis_name[3] = {'a', 'b', 'c'};

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross3(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

static double norm3(const double a[3])
{
    return sqrt(dot3(a, a));
}

/* inv such that frac = cart . inv for lattice rows m (inv = m^-1). */
static int invert3(const double m[3][3], double inv[3][3])
{
    double c0[3], c1[3], c2[3];
    cross3(m[1], m[2], c0);
    cross3(m[2], m[0], c1);
    cross3(m[0], m[1], c2);
    double det = dot3(m[0], c0);
    if (det == 0 || !isfinite(det)) return -1;
    /* Columns of m^-1 are the reciprocal vectors (b x c)/V, (c x a)/V, (a x b)/V. */
    for (int r = 0; r < 3; r++) {
        inv[r][0] = c0[r] / det;
        inv[r][1] = c1[r] / det;
        inv[r][2] = c2[r] / det;
    }
    return 0;
}

static void heights_of(const double l[3][3], double volume, double h[3])
{
    double c[3];
    for (int k = 0; k < 3; k++) {
        cross3(l[(k + 1) % 3], l[(k + 2) % 3], c);
        h[k] = fabs(volume) / norm3(c);
    }
}

static void frac_in(const double inv[3][3], const double cart[3], double frac[3])
{
    for (int k = 0; k < 3; k++) frac[k] = cart[0] * inv[0][k] + cart[1] * inv[1][k] + cart[2] * inv[2][k];
}

/* Pairwise (Gauss-like) reduction of the periodic vectors: subtract integer multiples of
 * one vector from another while that strictly shortens it.  Each accepted step shortens a
 * vector, so the loop ends; the result spans the same lattice (unimodular shears only). */
static void reduce_basis(ds_cell *cell)
{
    memcpy(cell->reduced, cell->lattice, sizeof cell->reduced);
    memset(cell->reduced_of, 0, sizeof cell->reduced_of);
    for (int k = 0; k < 3; k++) cell->reduced_of[k][k] = 1;
    for (int iter = 0, changed = 1; changed && iter < 1000; iter++) {
        changed = 0;
        for (int i = 0; i < 3; i++) {
            if (!cell->pbc[i]) continue;
            for (int j = 0; j < 3; j++) {
                if (j == i || !cell->pbc[j]) continue;
                double *vi = cell->reduced[i], *vj = cell->reduced[j];
                double mu = nearbyint(dot3(vi, vj) / dot3(vj, vj));
                if (mu == 0 || fabs(mu) > 1e9) continue;
                double t[3] = {vi[0] - mu * vj[0], vi[1] - mu * vj[1], vi[2] - mu * vj[2]};
                if (dot3(t, t) < dot3(vi, vi) * (1 - 1e-12)) {
                    memcpy(vi, t, sizeof t);
                    for (int k = 0; k < 3; k++) cell->reduced_of[i][k] -= (int)mu * cell->reduced_of[j][k];
                    changed = 1;
                }
            }
        }
    }
    invert3(cell->reduced, cell->reduced_inverse);
    heights_of(cell->reduced, cell->volume, cell->reduced_height);
    prepare_cvp(cell);
}

/* Gram matrix G of the periodic reduced vectors R_P, decomposed as in Cohen, "A Course in
 * Computational Algebraic Number Theory", algorithm 2.7.6: x^T G x =
 * sum_i q_ii (x_i + sum_{j>i} q_ij x_j)^2; and G^-1 R_P, which gives the coordinates f
 * along R_P of the projection of a vector w onto their span (w = f R_P + w_perp). */
static void prepare_cvp(ds_cell *cell)
{
    int p = 0;
    for (int k = 0; k < 3; k++)
        if (cell->pbc[k]) cell->periodic_axis[p++] = k;
    cell->n_periodic = p;
    double g[3][3] = {{0}}, q[3][3] = {{0}};
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++)
            g[i][j] = q[i][j] = dot3(cell->reduced[cell->periodic_axis[i]], cell->reduced[cell->periodic_axis[j]]);
    for (int i = 0; i < p; i++) {
        for (int j = i + 1; j < p; j++) {
            q[j][i] = q[i][j];
            q[i][j] = q[i][j] / q[i][i];
        }
        for (int k = i + 1; k < p; k++)
            for (int l = k; l < p; l++) q[k][l] -= q[k][i] * q[i][l];
    }
    memcpy(cell->gram_q, q, sizeof q);
    /* G^-1 by Gauss-Jordan on the p x p block (p <= 3, G positive definite) */
    double inv[3][3] = {{0}}, a[3][3];
    memcpy(a, g, sizeof a);
    for (int i = 0; i < p; i++) inv[i][i] = 1;
    for (int c = 0; c < p; c++) {
        int piv = c;
        for (int r = c + 1; r < p; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c])) piv = r;
        for (int k = 0; k < 3; k++) {
            double t = a[c][k];
            a[c][k] = a[piv][k], a[piv][k] = t;
            t = inv[c][k];
            inv[c][k] = inv[piv][k], inv[piv][k] = t;
        }
        double d = a[c][c];
        for (int k = 0; k < p; k++) a[c][k] /= d, inv[c][k] /= d;
        for (int r = 0; r < p; r++) {
            if (r == c) continue;
            double m = a[r][c];
            for (int k = 0; k < p; k++) a[r][k] -= m * a[c][k], inv[r][k] -= m * inv[c][k];
        }
    }
    memset(cell->gram_proj, 0, sizeof cell->gram_proj);
    for (int i = 0; i < p; i++)
        for (int x = 0; x < 3; x++)
            for (int j = 0; j < p; j++) cell->gram_proj[i][x] += inv[i][j] * cell->reduced[cell->periodic_axis[j]][x];
}

int cell_init(ds_cell *cell, const double lattice[3][3], const int pbc[3], ds_err *err)
{
    memset(cell, 0, sizeof *cell);
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            if (!isfinite(lattice[r][c]))
                return ds_err_set(err, DS_EFORMAT, NULL, 0, "lattice vector %c has a non-finite component",
                                  axis_name[r]);
    double len[3];
    for (int r = 0; r < 3; r++) {
        len[r] = norm3(lattice[r]);
        if (!(len[r] > 1e-6))
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "degenerate lattice: vector %c has zero length", axis_name[r]);
    }
    for (int r = 0; r < 3; r++) {
        int s = (r + 1) % 3;
        double c[3];
        cross3(lattice[r], lattice[s], c);
        if (norm3(c) < 1e-8 * len[r] * len[s])
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "degenerate lattice: vectors %c and %c are parallel",
                              axis_name[r < s ? r : s], axis_name[r < s ? s : r]);
    }
    double bc[3];
    cross3(lattice[1], lattice[2], bc);
    double volume = dot3(lattice[0], bc);
    if (fabs(volume) < 1e-8 * len[0] * len[1] * len[2])
        return ds_err_set(err, DS_EFORMAT, NULL, 0,
                          "zero-volume lattice: vectors a, b, c are coplanar (a.(b x c) = %.3g A^3)", volume);
    if (volume < 0)
        return ds_err_set(err, DS_EFORMAT, NULL, 0,
                          "left-handed lattice: a.(b x c) = %.6g A^3 < 0 (swap two vectors or negate one)", volume);
    cell->has_lattice = 1;
    for (int k = 0; k < 3; k++) cell->pbc[k] = pbc ? (pbc[k] != 0) : 1;
    memcpy(cell->lattice, lattice, sizeof cell->lattice);
    invert3(cell->lattice, cell->inverse);
    cell->volume = volume;
    heights_of(cell->lattice, volume, cell->height);
    reduce_basis(cell);
    /* A cell that stays nearly flat after reduction (angles of hundredths of a degree) is
     * degenerate: its periodic images are numerically meaningless. */
    double defect = volume / (norm3(cell->reduced[0]) * norm3(cell->reduced[1]) * norm3(cell->reduced[2]));
    for (int k = 0; k < 3; k++)
        if (cell->pbc[k] && norm3(cell->reduced[k]) < 1e-2) {
            double shortest = norm3(cell->reduced[k]);
            memset(cell, 0, sizeof *cell);
            return ds_err_set(err, DS_EFORMAT, NULL, 0,
                              "degenerate lattice: integer combinations of the vectors give a translation of only "
                              "%.3g A",
                              shortest);
        }
    if (defect < 1e-4) {
        memset(cell, 0, sizeof *cell);
        return ds_err_set(err, DS_EFORMAT, NULL, 0,
                          "degenerate lattice: the vectors are nearly coplanar (volume %.6g A^3 for lengths "
                          "%.6g, %.6g, %.6g A)",
                          volume, len[0], len[1], len[2]);
    }
    return DS_OK;
}

void cell_init_none(ds_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    for (int k = 0; k < 3; k++) {
        cell->lattice[k][k] = cell->inverse[k][k] = cell->reduced[k][k] = cell->reduced_inverse[k][k] = 1;
        cell->height[k] = cell->reduced_height[k] = 1;
        cell->reduced_of[k][k] = 1;
    }
    cell->volume = 1;
}

int cell_fully_periodic(const ds_cell *cell)
{
    return cell->has_lattice && cell->pbc[0] && cell->pbc[1] && cell->pbc[2];
}

void cell_to_fractional(const ds_cell *cell, const double cart[3], double frac[3])
{
    frac_in(cell->inverse, cart, frac);
}

void cell_to_reduced_fractional(const ds_cell *cell, const double cart[3], double frac[3])
{
    frac_in(cell->reduced_inverse, cart, frac);
}

void cell_to_cartesian(const ds_cell *cell, const double frac[3], double cart[3])
{
    for (int k = 0; k < 3; k++)
        cart[k] = frac[0] * cell->lattice[0][k] + frac[1] * cell->lattice[1][k] + frac[2] * cell->lattice[2][k];
}

void cell_wrap_fractional(const ds_cell *cell, double frac[3], int shift[3])
{
    for (int k = 0; k < 3; k++) {
        int s = 0;
        if (cell->has_lattice && cell->pbc[k] && fabs(frac[k]) < 1e9) { /* NaN and absurd values stay */
            double f = floor(frac[k]);
            s = -(int)f;
            frac[k] -= f;
            /* A tiny negative value wraps to 1.0 in floating point: that is 0 modulo 1. */
            if (frac[k] >= 1.0) {
                frac[k] = 0.0;
                s -= 1;
            }
        }
        if (shift) shift[k] = s;
    }
}

void cell_image_from_reduced(const ds_cell *cell, const int reduced_image[3], int image[3])
{
    for (int k = 0; k < 3; k++)
        image[k] = reduced_image[0] * cell->reduced_of[0][k] + reduced_image[1] * cell->reduced_of[1][k] +
                   reduced_image[2] * cell->reduced_of[2][k];
}

static void cvp_search(cvp_state *s, int i, double partial)
{
    double t = s->f[i];
    for (int j = i + 1; j < s->p; j++) t += s->q[i][j] * (s->n[j] + s->f[j]);
    double room = (s->bound - partial) / s->q[i][i];
    if (!(room >= 0)) return;
    double r = sqrt(room);
    double lo = ceil(-r - t), hi = floor(r - t);
    for (double x = lo; x <= hi; x++) {
        double y = x + t;
        double val = partial + s->q[i][i] * y * y;
        s->n[i] = (int)x;
        if (i > 0) cvp_search(s, i - 1, val);
        else if (val < s->best) {
            s->best = val;
            s->bound = val * (1 + 1e-12) + 1e-24;
            memcpy(s->best_n, s->n, sizeof s->n);
        }
    }
}

/* Exact minimum image: the closest lattice vector problem over the periodic (reduced)
 * vectors, solved by Fincke-Pohst enumeration: start from the rounded image, then visit
 * only lattice points inside the ellipsoid that could beat it (a handful in any cell,
 * however skewed or elongated, because the basis is reduced and the bound shrinks). */
double cell_distance(const ds_cell *cell, const double a[3], const double b[3], double vec[3], int image[3])
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    int best_n[3] = {0, 0, 0};
    double best[3] = {d[0], d[1], d[2]};
    int p = cell->has_lattice ? cell->n_periodic : 0;
    cvp_state s;
    memset(&s, 0, sizeof s);
    s.p = p;
    s.q = (const double (*)[3])cell->gram_q;
    int sane = 1;
    for (int i = 0; i < p; i++) {
        s.f[i] = dot3(cell->gram_proj[i], d);
        /* NaN or points absurdly far apart (cell_atoms_init refuses such coordinates):
         * plain difference */
        if (!(fabs(s.f[i]) < 1e8)) sane = 0;
    }
    if (p > 0 && sane) {
        int n0[3] = {0, 0, 0};
        for (int i = 0; i < p; i++) n0[i] = -(int)nearbyint(s.f[i]);
        /* the rounded image is the first candidate; Q(n + f) = |w_par + n R_P|^2 */
        double q0 = 0;
        for (int i = 0; i < p; i++) {
            double t = n0[i] + s.f[i];
            for (int j = i + 1; j < p; j++) t += s.q[i][j] * (n0[j] + s.f[j]);
            q0 += s.q[i][i] * t * t;
        }
        s.best = q0;
        s.bound = q0 * (1 + 1e-12) + 1e-24;
        memcpy(s.best_n, n0, sizeof n0);
        cvp_search(&s, p - 1, 0.0);
        int red[3] = {0, 0, 0};
        for (int i = 0; i < p; i++) red[cell->periodic_axis[i]] = s.best_n[i];
        cell_image_from_reduced(cell, red, best_n);
        /* vec exactly b + image.L - a in the original basis */
        for (int k = 0; k < 3; k++)
            best[k] = d[k] + best_n[0] * cell->lattice[0][k] + best_n[1] * cell->lattice[1][k] +
                      best_n[2] * cell->lattice[2][k];
    }
    if (vec) memcpy(vec, best, sizeof best);
    if (image) memcpy(image, best_n, sizeof best_n);
    return norm3(best);
}

int cell_atoms_init(cell_atoms *atoms, const run_structure *s, const char (*species)[4], const int pbc[3],
                    ds_err *err)
{
    memset(atoms, 0, sizeof *atoms);
    if (!s || s->n_atoms <= 0 || !s->positions_angstrom)
        return ds_err_set(err, DS_ENODATA, NULL, 0, "structure has no atoms");
    if (!species) return ds_err_set(err, DS_ENODATA, NULL, 0, "structure has no species");
    for (int i = 0; i < s->n_atoms; i++) {
        if (element_z(species[i]) == 0)
            return ds_err_set(err, DS_EFORMAT, NULL, 0, "atom %d has unknown element '%.3s'", i + 1, species[i]);
        for (int k = 0; k < 3; k++) {
            double x = s->positions_angstrom[i][k];
            if (!isfinite(x))
                return ds_err_set(err, DS_EFORMAT, NULL, 0, "atom %d has a non-finite coordinate", i + 1);
            if (fabs(x) > DS_CELL_MAX_COORD)
                return ds_err_set(err, DS_EFORMAT, NULL, 0, "atom %d has a coordinate of %.6g A (beyond %g A)", i + 1, x,
                                  DS_CELL_MAX_COORD);
        }
    }
    if (s->has_lattice) {
        int rc = cell_init(&atoms->cell, s->lattice_angstrom, pbc, err);
        if (rc) return rc;
    } else cell_init_none(&atoms->cell);
    atoms->n_atoms = s->n_atoms;
    atoms->s = s;
    atoms->species = species;
    return DS_OK;
}

/* CP2K &CELL PERIODIC: NONE, X, Y, Z, XY, XZ, YZ, XYZ. */
static int pbc_from_periodicity(const char *text, int pbc[3])
{
    if (!text || !text[0]) return 0;
    if (strcasecmp(text, "NONE") == 0) {
        pbc[0] = pbc[1] = pbc[2] = 0;
        return 1;
    }
    int p[3] = {0, 0, 0};
    for (const char *c = text; *c; c++) {
        if (*c == 'X' || *c == 'x') p[0] = 1;
        else if (*c == 'Y' || *c == 'y') p[1] = 1;
        else if (*c == 'Z' || *c == 'z') p[2] = 1;
        else return 0;
    }
    memcpy(pbc, p, sizeof p);
    return 1;
}

int cell_atoms_from_run(const ds_run *run, cell_atoms *atoms, ds_err *err)
{
    memset(atoms, 0, sizeof *atoms);
    const run_structure *s = NULL;
    if (run->has_final && run->final.n_atoms > 0 && run->final.positions_angstrom) s = &run->final;
    for (int i = run->n_steps - 1; !s && i >= 0; i--)
        if (run->steps[i].has_structure && run->steps[i].structure.n_atoms > 0) s = &run->steps[i].structure;
    if (!s && run->has_initial && run->initial.n_atoms > 0 && run->initial.positions_angstrom) s = &run->initial;
    if (!s) return ds_err_set(err, DS_ENODATA, run->path, 0, "the run holds no structure");
    if (!run->species || run->n_atoms != s->n_atoms)
        return ds_err_set(err, DS_ENODATA, run->path, 0, "the run's species do not match its structure (%d vs %d atoms)",
                          run->n_atoms, s->n_atoms);
    int pbc[3] = {1, 1, 1};
    pbc_from_periodicity(run->settings.periodicity, pbc);
    int rc = cell_atoms_init(atoms, s, (const char (*)[4])run->species, pbc, err);
    if (rc && err && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", run->path);
    return rc;
}
