/* bader: common part of the Bader partition: input checks, units, vacuum, the thread pool,
 * basin sums, basin-to-atom assignment (the Henkelman program's arithmetic), per-atom charge,
 * volume and nucleus-to-surface distance.  The methods are in bader_neargrid.c and
 * bader_weight.c. */
#include "descriptors/bader.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "descriptors/bader_internal.h"
#include "parsers/run.h"

#define SUM_BLOCKS 16

/* ---- thread pool ---- */

typedef struct {
    void (*fn)(void *, int, int);
    void *ctx;
    int n_tasks;
    atomic_int next;
} pool_job;

typedef struct {
    pool_job *job;
    int thread;
} pool_arg;

static void *pool_worker(void *arg)
{
    pool_arg *a = arg;
    for (;;) {
        int t = atomic_fetch_add(&a->job->next, 1);
        if (t >= a->job->n_tasks) break;
        a->job->fn(a->job->ctx, t, a->thread);
    }
    return NULL;
}

void bdr_parallel(int n_threads, int n_tasks, void (*fn)(void *ctx, int task, int thread), void *ctx)
{
    pool_job job = {.fn = fn, .ctx = ctx, .n_tasks = n_tasks};
    atomic_init(&job.next, 0);
    if (n_threads > n_tasks) n_threads = n_tasks;
    if (n_threads > 256) n_threads = 256;
    pthread_t tid[256];
    pool_arg args[256];
    int started = 0;
    for (int t = 1; t < n_threads; t++) {
        args[t] = (pool_arg){&job, t};
        if (pthread_create(&tid[t], NULL, pool_worker, &args[t]) != 0) break;
        started = t;
    }
    args[0] = (pool_arg){&job, 0};
    pool_worker(&args[0]); /* the caller works too; tasks left by failed threads run here */
    for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
}

/* ---- sums per basin in fixed blocks of planes ---- */

typedef struct {
    const bdr_grid *g;
    const int32_t *label;
    int n_basins, n_blocks;
    double *acc; /* n_blocks x (n_basins + 1) x 2; the last pair is vacuum */
} sum_ctx;

static void task_sum(void *ctx, int blk, int thread)
{
    sum_ctx *s = ctx;
    (void)thread;
    int n0 = s->g->n[0];
    size_t plane = (size_t)s->g->n[1] * (size_t)s->g->n[2];
    size_t p0 = (size_t)(n0 * blk / s->n_blocks) * plane, p1 = (size_t)(n0 * (blk + 1) / s->n_blocks) * plane;
    double *acc = s->acc + (size_t)blk * ((size_t)s->n_basins + 1) * 2;
    for (size_t p = p0; p < p1; p++) {
        int32_t b = s->label[p];
        if (b == BDR_VACUUM) b = s->n_basins;
        else if (b < 0) continue;
        acc[2 * (size_t)b] += s->g->chg[p];
        acc[2 * (size_t)b + 1] += 1.0;
    }
}

int bdr_sum_labels(const bdr_grid *g, bdr_basins *b)
{
    size_t nb = (size_t)b->n_basins + 1;
    sum_ctx s = {.g = g, .label = b->label, .n_basins = b->n_basins};
    s.n_blocks = g->n[0] < SUM_BLOCKS ? g->n[0] : SUM_BLOCKS;
    s.acc = calloc((size_t)s.n_blocks * nb * 2, sizeof *s.acc);
    b->charge_sum = calloc(nb, sizeof *b->charge_sum);
    b->points = calloc(nb, sizeof *b->points);
    if (!s.acc || !b->charge_sum || !b->points) {
        free(s.acc);
        return -1;
    }
    bdr_parallel(g->n_threads, s.n_blocks, task_sum, &s);
    b->vac_charge_sum = b->vac_points = 0;
    for (int k = 0; k < s.n_blocks; k++) {
        const double *a = s.acc + (size_t)k * nb * 2;
        for (int i = 0; i < b->n_basins; i++) {
            b->charge_sum[i] += a[2 * i];
            b->points[i] += a[2 * i + 1];
        }
        b->vac_charge_sum += a[2 * (nb - 1)];
        b->vac_points += a[2 * (nb - 1) + 1];
    }
    free(s.acc);
    return 0;
}

void bdr_basins_free(bdr_basins *b)
{
    free(b->label);
    free(b->max_index);
    free(b->attractor_index);
    free(b->charge_sum);
    free(b->points);
    memset(b, 0, sizeof *b);
}

/* ---- visited set of one walk: open addressing, cleared by bumping a generation number ---- */
int bdr_visit_reset(bdr_visit *v)
{
    if (!v->key) {
        v->cap = 1 << 12;
        v->key = calloc(v->cap, sizeof *v->key);
        v->gen = calloc(v->cap, sizeof *v->gen);
        v->path_cap = 1 << 10;
        v->path = malloc(v->path_cap * sizeof *v->path);
        if (!v->key || !v->gen || !v->path) return -1;
        v->cur = 0;
    }
    if (++v->cur == 0) {
        memset(v->gen, 0, v->cap * sizeof *v->gen);
        v->cur = 1;
    }
    v->n = 0;
    return 0;
}

static inline size_t visit_slot(const bdr_visit *v, uint32_t key)
{
    return ((size_t)key * 2654435761u) & (v->cap - 1);
}

int bdr_visit_has(const bdr_visit *v, uint32_t key)
{
    for (size_t s = visit_slot(v, key);; s = (s + 1) & (v->cap - 1)) {
        if (v->gen[s] != v->cur) return 0;
        if (v->key[s] == key) return 1;
    }
}

int bdr_visit_add(bdr_visit *v, uint32_t key)
{
    if (2 * (v->n + 1) > v->cap) {
        /* grow and re-insert the walk so far */
        size_t ncap = v->cap * 2;
        uint32_t *nk = calloc(ncap, sizeof *nk), *ng = calloc(ncap, sizeof *ng);
        if (!nk || !ng) {
            free(nk);
            free(ng);
            return -1;
        }
        free(v->key);
        free(v->gen);
        v->key = nk;
        v->gen = ng;
        v->cap = ncap;
        v->cur = 1;
        size_t n = v->n;
        v->n = 0;
        for (size_t t = 0; t < n; t++) {
            uint32_t k = v->path[t];
            size_t s = visit_slot(v, k);
            while (v->gen[s] == v->cur) s = (s + 1) & (v->cap - 1);
            v->gen[s] = v->cur;
            v->key[s] = k;
            v->n++;
        }
    }
    if (v->n == v->path_cap) {
        uint32_t *np = realloc(v->path, 2 * v->path_cap * sizeof *np);
        if (!np) return -1;
        v->path = np;
        v->path_cap *= 2;
    }
    size_t s = visit_slot(v, key);
    while (v->gen[s] == v->cur) {
        if (v->key[s] == key) return 0;
        s = (s + 1) & (v->cap - 1);
    }
    v->gen[s] = v->cur;
    v->key[s] = key;
    v->path[v->n++] = key;
    return 0;
}

void bdr_visit_free(bdr_visit *v)
{
    free(v->key);
    free(v->gen);
    free(v->path);
    memset(v, 0, sizeof *v);
}

/* ---- public API ---- */

void bader_opts_default(bader_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->method = BADER_NEARGRID;
    opts->vacuum_e_per_angstrom3 = BADER_VACUUM_AUTO;
    opts->significant_e = 1e-3;
}

int bader_unit_factors(const ds_grid *g, double *electrons_per_value, double *e_per_A3_per_value, ds_err *err)
{
    double vol = run_volume_angstrom3(g->lattice_angstrom);
    size_t npts = grid_n_points(g);
    if (!(vol > 0) || !npts) return ds_err_set(err, DS_EUSAGE, NULL, 0, "the grid's cell has zero volume");
    const double b3 = DS_BOHR_TO_ANGSTROM * DS_BOHR_TO_ANGSTROM * DS_BOHR_TO_ANGSTROM;
    double per_A3;
    if (strcmp(g->units, "rho*V_cell") == 0) per_A3 = 1.0 / vol;
    else if (strcmp(g->units, "e/bohr^3") == 0) per_A3 = 1.0 / b3;
    else if (strcmp(g->units, "e/A^3") == 0 || strcmp(g->units, "e/Angstrom^3") == 0) per_A3 = 1.0;
    else
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "grid values in '%s' are not a charge density (expected rho*V_cell, e/bohr^3 "
                          "or e/A^3)", g->units);
    if (electrons_per_value) *electrons_per_value = per_A3 * vol / (double)npts;
    if (e_per_A3_per_value) *e_per_A3_per_value = per_A3;
    return DS_OK;
}

/* Minimum image in Cartesian coordinates, the program's dpbc_car: repeated sweeps over the
 * 26 neighbouring images until none is shorter. */
static double dpbc_car_sq(const double L[3][3], double v[3])
{
    double best = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    int done;
    do {
        done = 1;
        for (int d1 = -1; d1 <= 1; d1++)
            for (int d2 = -1; d2 <= 1; d2++)
                for (int d3 = -1; d3 <= 1; d3++) {
                    double t[3];
                    for (int x = 0; x < 3; x++) t[x] = v[x] + L[0][x] * d1 + L[1][x] * d2 + L[2][x] * d3;
                    double dsq = t[0] * t[0] + t[1] * t[1] + t[2] * t[2];
                    if (dsq < best) {
                        memcpy(v, t, sizeof t);
                        best = dsq;
                        done = 0;
                    }
                }
    } while (!done);
    return best;
}

static double frac_dist_sq(const double L[3][3], const double a[3], const double b[3])
{
    double dv[3] = {a[0] - b[0], a[1] - b[1], a[2] - b[2]}, v[3];
    for (int x = 0; x < 3; x++) v[x] = dv[0] * L[0][x] + dv[1] * L[1][x] + dv[2] * L[2][x];
    return dpbc_car_sq(L, v);
}

int bader_nearest_atom(const double lattice[3][3], const double (*atoms_frac)[3], int n_atoms, const double frac[3],
                       double *dist)
{
    int best = 0;
    double dmin = frac_dist_sq(lattice, frac, atoms_frac[0]);
    for (int j = 1; j < n_atoms; j++) {
        double d = frac_dist_sq(lattice, frac, atoms_frac[j]);
        if (d < dmin) {
            dmin = d;
            best = j;
        }
    }
    if (dist) *dist = sqrt(dmin);
    return best;
}

/* ---- distance from each nucleus to its nearest surface point ---- */

typedef struct {
    const bdr_grid *g;
    const int32_t *label;
    const int *basin_atom;
    const double (*frac)[3];
    const double (*L)[3];
    int n_atoms;
    double *min_sq; /* n0 x n_atoms */
} mind_ctx;

static void task_mindist(void *ctx, int i, int thread)
{
    mind_ctx *m = ctx;
    (void)thread;
    const int n0 = m->g->n[0], n1 = m->g->n[1], n2 = m->g->n[2];
    double *out = m->min_sq + (size_t)i * (size_t)m->n_atoms;
    for (int a = 0; a < m->n_atoms; a++) out[a] = INFINITY;
    for (int j = 0; j < n1; j++)
        for (int k = 0; k < n2; k++) {
            size_t p = ((size_t)i * n1 + (size_t)j) * n2 + (size_t)k;
            if (m->label[p] < 0) continue;
            int atom = m->basin_atom[m->label[p]], edge = 0;
            for (int d1 = -1; d1 <= 1 && !edge; d1++)
                for (int d2 = -1; d2 <= 1 && !edge; d2++)
                    for (int d3 = -1; d3 <= 1; d3++) {
                        size_t q = ((size_t)bdr_wrap(i + d1, n0) * n1 + (size_t)bdr_wrap(j + d2, n1)) * n2 +
                                   (size_t)bdr_wrap(k + d3, n2);
                        if (m->label[q] < 0 || m->basin_atom[m->label[q]] != atom) {
                            edge = 1;
                            break;
                        }
                    }
            if (!edge) continue;
            /* the fractional difference wrapped to [-1/2, 1/2) first: the image search then
             * usually confirms it in one sweep (same minimum, to the last bits) */
            double f[3] = {(double)i / n0, (double)j / n1, (double)k / n2}, df[3], v[3];
            for (int x = 0; x < 3; x++) {
                df[x] = f[x] - m->frac[atom][x];
                df[x] -= floor(df[x] + 0.5);
            }
            for (int x = 0; x < 3; x++) v[x] = df[0] * m->L[0][x] + df[1] * m->L[1][x] + df[2] * m->L[2][x];
            double d = dpbc_car_sq(m->L, v);
            if (d < out[atom]) out[atom] = d;
        }
}

static int alloc_result(bader_result *r, int n_atoms, int n_basins)
{
    size_t na = (size_t)n_atoms, nb = n_basins ? (size_t)n_basins : 1;
    r->n_atoms = n_atoms;
    r->n_basins = n_basins;
    r->charge_e = calloc(na, sizeof(double));
    r->volume_angstrom3 = calloc(na, sizeof(double));
    r->min_dist_angstrom = calloc(na, sizeof(double));
    r->basin_max_angstrom = calloc(nb, sizeof *r->basin_max_angstrom);
    r->basin_max_grid = calloc(nb, sizeof *r->basin_max_grid);
    r->basin_charge_e = calloc(nb, sizeof(double));
    r->basin_volume_angstrom3 = calloc(nb, sizeof(double));
    r->basin_atom = calloc(nb, sizeof(int));
    r->basin_atom_dist_angstrom = calloc(nb, sizeof(double));
    return r->charge_e && r->volume_angstrom3 && r->min_dist_angstrom && r->basin_max_angstrom && r->basin_max_grid &&
                   r->basin_charge_e && r->basin_volume_angstrom3 && r->basin_atom && r->basin_atom_dist_angstrom
               ? 0
               : -1;
}

/* Near-grid basins are numbered in the order the program finds them: by their first point
 * in grid order.  Permutes the basin arrays and labels. */
static int renumber_by_first_point(bdr_basins *b, size_t npts)
{
    int nb = b->n_basins;
    if (nb <= 0) return 0;
    size_t nbs = (size_t)(unsigned)nb;
    int *newid = malloc(nbs * sizeof *newid);
    if (!newid) return -1;
    for (int i = 0; i < nb; i++) newid[i] = -1;
    int next = 0;
    for (size_t p = 0; p < npts && next < nb; p++) {
        int32_t l = b->label[p];
        if (l >= 0 && newid[l] < 0) newid[l] = next++;
    }
    for (int i = 0; i < nb; i++)
        if (newid[i] < 0) newid[i] = next++;
    size_t *mx = malloc(nbs * 2 * sizeof *mx);
    double *sums = malloc(nbs * 2 * sizeof *sums);
    if (!mx || !sums) {
        free(newid);
        free(mx);
        free(sums);
        return -1;
    }
    for (int i = 0; i < nb; i++) {
        mx[2 * newid[i]] = b->max_index[i];
        mx[2 * newid[i] + 1] = b->attractor_index[i];
        sums[2 * newid[i]] = b->charge_sum[i];
        sums[2 * newid[i] + 1] = b->points[i];
    }
    for (int i = 0; i < nb; i++) {
        b->max_index[i] = mx[2 * i];
        b->attractor_index[i] = mx[2 * i + 1];
        b->charge_sum[i] = sums[2 * i];
        b->points[i] = sums[2 * i + 1];
    }
    for (size_t p = 0; p < npts; p++)
        if (b->label[p] >= 0) b->label[p] = newid[b->label[p]];
    free(newid);
    free(mx);
    free(sums);
    return 0;
}

static void invert3(const double m[3][3], double inv[3][3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            int r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
            inv[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
        }
}

typedef struct {
    const double *ref;
    unsigned char *vac;
    double thr_values; /* threshold in the reference's units */
    int use_abs;
    size_t plane;
} vac_ctx;

static void task_vacuum(void *ctx, int i, int thread)
{
    vac_ctx *v = ctx;
    (void)thread;
    for (size_t p = (size_t)i * v->plane; p < (size_t)(i + 1) * v->plane; p++) {
        double x = v->use_abs ? fabs(v->ref[p]) : v->ref[p];
        v->vac[p] = x <= v->thr_values;
    }
}

int bader_partition(const ds_grid *density, const ds_grid *reference, const bader_opts *opts_in, bader_result *res,
                    ds_err *err)
{
    memset(res, 0, sizeof *res);
    bader_opts opts;
    if (opts_in) opts = *opts_in;
    else bader_opts_default(&opts);
    res->method = opts.method;
    if (!density || !density->values[0] || density->n[0] < 1 || density->n[1] < 1 || density->n[2] < 1)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "no density grid to partition");
    if (density->n_atoms < 1 || !density->positions_angstrom)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "the density grid has no atoms to assign basins to");
    if ((size_t)density->n[0] * density->n[1] * density->n[2] > (size_t)INT32_MAX)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "grid too large (more than 2^31 points)");
    const ds_grid *refg = reference ? reference : density;
    if (!refg->values[0] || memcmp(refg->n, density->n, sizeof density->n) != 0)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "the reference grid %d x %d x %d does not match the density grid %d x %d x %d",
                          refg->n[0], refg->n[1], refg->n[2], density->n[0], density->n[1], density->n[2]);
    double e_per_value, ref_per_A3;
    int rc = bader_unit_factors(density, &e_per_value, NULL, err);
    if (rc == DS_OK) rc = bader_unit_factors(refg, NULL, &ref_per_A3, err);
    if (rc != DS_OK) return rc;
    int nt = opts.n_threads;
    if (nt <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nt = c > 0 ? (int)c : 1;
    }
    const double(*L)[3] = (const double(*)[3])density->lattice_angstrom;
    size_t npts = grid_n_points(density);
    double cell = run_volume_angstrom3(density->lattice_angstrom), dv = cell / (double)npts;

    bdr_grid g = {.n = {density->n[0], density->n[1], density->n[2]}, .npts = npts, .ref = refg->values[0],
                  .chg = density->values[0], .n_threads = nt, .compat = opts.compat};
    for (int r = 0; r < 3; r++)
        for (int x = 0; x < 3; x++) g.voxel[r][x] = L[r][x] / density->n[r];
    unsigned char *vac = NULL;
    if (opts.vacuum) {
        vac = malloc(npts);
        if (!vac) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the vacuum mask");
        vac_ctx vc = {.ref = refg->values[0], .vac = vac, .thr_values = opts.vacuum_e_per_angstrom3 / ref_per_A3,
                      .use_abs = opts.method == BADER_NEARGRID, .plane = (size_t)g.n[1] * (size_t)g.n[2]};
        bdr_parallel(nt, g.n[0], task_vacuum, &vc);
        g.vac = vac;
    }
    bdr_basins b = {0};
    rc = opts.method == BADER_WEIGHT ? bdr_weight(&g, &b, err) : bdr_neargrid(&g, &b, err);
    free(vac);
    if (rc == DS_OK && opts.method == BADER_NEARGRID && renumber_by_first_point(&b, npts) != 0)
        rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    if (rc == DS_OK && alloc_result(res, density->n_atoms, b.n_basins) != 0)
        rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the results");
    if (rc != DS_OK) {
        bdr_basins_free(&b);
        return rc;
    }

    /* Atom positions, fractional relative to the grid origin. */
    int na = density->n_atoms;
    double (*frac)[3] = malloc((size_t)na * sizeof *frac);
    double *min_sq = malloc((size_t)g.n[0] * (size_t)na * sizeof *min_sq);
    if (!frac || !min_sq) {
        free(frac);
        free(min_sq);
        bdr_basins_free(&b);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
    }
    if (opts.atoms_frac) {
        memcpy(frac, opts.atoms_frac, (size_t)na * sizeof *frac);
    } else {
        double inv[3][3];
        invert3(L, inv);
        for (int a = 0; a < na; a++) {
            double x[3];
            for (int c = 0; c < 3; c++) x[c] = density->positions_angstrom[a][c] - density->origin_angstrom[c];
            for (int c = 0; c < 3; c++) frac[a][c] = x[0] * inv[0][c] + x[1] * inv[1][c] + x[2] * inv[2][c];
        }
    }

    int nsig = 0;
    double total = 0;
    for (int i = 0; i < b.n_basins; i++) {
        size_t p = b.max_index[i];
        int gi = (int)(p / ((size_t)g.n[1] * g.n[2])), gj = (int)(p / (size_t)g.n[2] % (size_t)g.n[1]),
            gk = (int)(p % (size_t)g.n[2]);
        res->basin_max_grid[i][0] = gi;
        res->basin_max_grid[i][1] = gj;
        res->basin_max_grid[i][2] = gk;
        for (int x = 0; x < 3; x++)
            res->basin_max_angstrom[i][x] =
                density->origin_angstrom[x] + gi * g.voxel[0][x] + gj * g.voxel[1][x] + gk * g.voxel[2][x];
        size_t q = b.attractor_index[i];
        int ai = (int)(q / ((size_t)g.n[1] * g.n[2])), aj = (int)(q / (size_t)g.n[2] % (size_t)g.n[1]),
            ak = (int)(q % (size_t)g.n[2]);
        /* the program: (p - 1) * (1 / npts) with 1-based p */
        double f[3] = {ai * (1.0 / g.n[0]), aj * (1.0 / g.n[1]), ak * (1.0 / g.n[2])};
        res->basin_atom[i] = bader_nearest_atom(L, (const double(*)[3])frac, na, f, &res->basin_atom_dist_angstrom[i]);
        res->basin_charge_e[i] = b.charge_sum[i] * e_per_value;
        res->basin_volume_angstrom3[i] = b.points[i] * dv;
        res->charge_e[res->basin_atom[i]] += res->basin_charge_e[i];
        res->volume_angstrom3[res->basin_atom[i]] += res->basin_volume_angstrom3[i];
        total += res->basin_charge_e[i];
        nsig += res->basin_charge_e[i] > opts.significant_e;
    }
    res->n_significant = nsig;
    res->vacuum_charge_e = b.vac_charge_sum * e_per_value;
    res->vacuum_volume_angstrom3 = b.vac_points * dv;
    res->total_electrons = total + res->vacuum_charge_e;

    mind_ctx mc = {.g = &g, .label = b.label, .basin_atom = res->basin_atom, .frac = (const double(*)[3])frac,
                   .L = L, .n_atoms = na, .min_sq = min_sq};
    bdr_parallel(nt, g.n[0], task_mindist, &mc);
    for (int a = 0; a < na; a++) {
        double m = INFINITY;
        for (int i = 0; i < g.n[0]; i++)
            if (min_sq[(size_t)i * na + a] < m) m = min_sq[(size_t)i * na + a];
        res->min_dist_angstrom[a] = isinf(m) ? NAN : sqrt(m); /* NAN: the atom has no surface */
    }
    free(frac);
    free(min_sq);
    bdr_basins_free(&b);
    return DS_OK;
}

void bader_result_free(bader_result *res)
{
    if (!res) return;
    free(res->charge_e);
    free(res->volume_angstrom3);
    free(res->min_dist_angstrom);
    free(res->basin_max_angstrom);
    free(res->basin_max_grid);
    free(res->basin_charge_e);
    free(res->basin_volume_angstrom3);
    free(res->basin_atom);
    free(res->basin_atom_dist_angstrom);
    memset(res, 0, sizeof *res);
}
