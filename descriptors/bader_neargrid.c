/* bader_neargrid: the near-grid Bader method (Tang, Sanville, Henkelman 2009) with the
 * iterative edge refinement that the Henkelman program runs by default (-r auto).
 *
 * The program walks one trajectory at a time and labels every point it passes; that order
 * dependence does not parallelise.  Here the same trajectories are used in two deterministic
 * phases:
 *   1. every point points to the first step of its near-grid trajectory (or, when that step
 *      does not go uphill, to its steepest on-grid neighbour); pointer jumping labels each
 *      point with the maximum its chain reaches;
 *   2. refinement: every point on a basin edge is re-traced with the full near-grid walk
 *      (the accumulated off-grid correction dr, the ongrid fallback when the walk would revisit
 *      a point), which stops at the first point whose neighbours all lie deep in one basin;
 *      points next to reassigned points are re-traced in the next round until nothing moves
 *      (the program's refine_edge with -1).
 * Each round reads the labels of the previous round only, so results do not depend on the
 * number of threads. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/bader_internal.h"

#define NG_MAX_ROUNDS 500
#define NG_MAX_STEPS 10000000L

typedef struct {
    uint32_t *p;
    size_t n, cap;
} ng_list;

typedef struct {
    const bdr_grid *g;
    int n0, n1, n2;
    const double *rho;
    double ginv[3][3];        /* inverse metric of the voxel vectors: gradient in grid steps */
    double inv_dist[27];      /* 1 / |d1 v1 + d2 v2 + d3 v3| for the ongrid step */
    ptrdiff_t off[27];        /* neighbour offsets of an inner point, program order */
    unsigned char *ismax;     /* no neighbour strictly higher */
    unsigned char *cand;      /* re-trace this round */
    _Atomic unsigned char *deepc; /* deep() of this round: 0 unknown, 1 no, 2 yes (shared cache) */
    int32_t *a, *b;           /* labels (a) and next labels (b) */
    long *task_count;         /* per task: changes (jumping, refinement) */
    ng_list *changed;         /* per plane: points whose label changed this round */
    bdr_visit *visit;         /* per thread */
    atomic_int failed;        /* out of memory in some task */
} ng_ctx;

static void nbrs(const ng_ctx *c, int i, int j, int k, size_t q[27]);
static void grad_dir(const ng_ctx *c, const size_t q[27], double g[3]);
static int is_max(const ng_ctx *c, const size_t q[27]);
static int ongrid_step(const ng_ctx *c, const size_t q[27]);
static int32_t trace(ng_ctx *c, bdr_visit *v, size_t start);

static inline size_t lin(const ng_ctx *c, int i, int j, int k)
{
    return ((size_t)i * (size_t)c->n1 + (size_t)j) * (size_t)c->n2 + (size_t)k;
}

static inline void unlin(const ng_ctx *c, size_t p, int *i, int *j, int *k)
{
    *k = (int)(p % (size_t)c->n2);
    p /= (size_t)c->n2;
    *j = (int)(p % (size_t)c->n1);
    *i = (int)(p / (size_t)c->n1);
}

static inline int wrapm(int i, int n)
{
    i %= n;
    return i < 0 ? i + n : i;
}

/* Fortran ANINT: nearest integer, halves away from zero (|x| small here). */
static inline double anint(double x)
{
    double r = (double)(long)x, d = x - r;
    return d >= 0.5 ? r + 1 : (d <= -0.5 ? r - 1 : r);
}

/* The 27 points around (i,j,k), periodic, in the program's loop order (d1 outer, d3 inner):
 * index (d1+1)*9 + (d2+1)*3 + (d3+1); 13 is the point itself. */
static void nbrs(const ng_ctx *c, int i, int j, int k, size_t q[27])
{
    size_t p = lin(c, i, j, k);
    if (i > 0 && j > 0 && k > 0 && i < c->n0 - 1 && j < c->n1 - 1 && k < c->n2 - 1) {
        for (int t = 0; t < 27; t++) q[t] = (size_t)((ptrdiff_t)p + c->off[t]);
        return;
    }
    int ii[3] = {bdr_wrap(i - 1, c->n0), i, bdr_wrap(i + 1, c->n0)};
    int jj[3] = {bdr_wrap(j - 1, c->n1), j, bdr_wrap(j + 1, c->n1)};
    int kk[3] = {bdr_wrap(k - 1, c->n2), k, bdr_wrap(k + 1, c->n2)};
    int t = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            for (int d = 0; d < 3; d++) q[t++] = lin(c, ii[a], jj[b], kk[d]);
}

/* Central differences in grid units, zero along an axis where the point is higher than both
 * neighbours, turned into a step direction in grid units (the program's rho_grad_dir). */
static void grad_dir(const ng_ctx *c, const size_t q[27], double g[3])
{
    const double *rho = c->rho;
    double r0 = rho[q[13]];
    double rp[3] = {rho[q[22]], rho[q[16]], rho[q[14]]}, rm[3] = {rho[q[4]], rho[q[10]], rho[q[12]]};
    double gl[3];
    for (int a = 0; a < 3; a++) gl[a] = (rp[a] < r0 && rm[a] < r0) ? 0.0 : (rp[a] - rm[a]) / 2.0;
    for (int a = 0; a < 3; a++) g[a] = c->ginv[a][0] * gl[0] + c->ginv[a][1] * gl[1] + c->ginv[a][2] * gl[2];
}

/* grad_dir at (i,j,k) from its six face neighbours only (the walk's common case). */
static void grad_at(const ng_ctx *c, int i, int j, int k, size_t p, double g[3])
{
    size_t q[27];
    if (i > 0 && j > 0 && k > 0 && i < c->n0 - 1 && j < c->n1 - 1 && k < c->n2 - 1) {
        q[13] = p;
        q[22] = (size_t)((ptrdiff_t)p + c->off[22]), q[4] = (size_t)((ptrdiff_t)p + c->off[4]);
        q[16] = (size_t)((ptrdiff_t)p + c->off[16]), q[10] = (size_t)((ptrdiff_t)p + c->off[10]);
        q[14] = p + 1, q[12] = p - 1;
    } else {
        nbrs(c, i, j, k, q);
    }
    grad_dir(c, q, g);
}

static int is_max(const ng_ctx *c, const size_t q[27])
{
    double r0 = c->rho[q[13]];
    for (int t = 0; t < 27; t++)
        if (c->rho[q[t]] > r0) return 0;
    return 1;
}

/* Steepest ascent to a neighbour, differences divided by the neighbour distance; the first
 * of equal candidates wins (program order).  Returns the neighbour index (13: stay). */
static int ongrid_step(const ng_ctx *c, const size_t q[27])
{
    double r0 = c->rho[q[13]], best = r0;
    int bt = 13;
    for (int t = 0; t < 27; t++) {
        if (t == 13) continue;
        double v = r0 + (c->rho[q[t]] - r0) * c->inv_dist[t];
        if (v > best) {
            best = v;
            bt = t;
        }
    }
    return bt;
}

static inline double max_abs3(const double g[3])
{
    double a = fabs(g[0]), b = fabs(g[1]), d = fabs(g[2]);
    double m = a > b ? a : b;
    return m > d ? m : d;
}

/* Where the first near-grid step from a point goes (dr = 0), or the point itself when the
 * gradient vanishes. */
static size_t neargrid_target(const ng_ctx *c, int i, int j, int k, const size_t q[27])
{
    double g[3];
    grad_dir(c, q, g);
    double m = max_abs3(g);
    if (m < 1e-30) return q[13];
    double coeff = 1.0 / m;
    int t[3] = {i, j, k};
    for (int a = 0; a < 3; a++) {
        double ga = coeff * g[a], ra = anint(ga);
        t[a] += (int)ra + (int)anint(ga - ra);
    }
    return lin(c, wrapm(t[0], c->n0), wrapm(t[1], c->n1), wrapm(t[2], c->n2));
}

/* Phase 1 pointer: the first near-grid step if it goes uphill, else the ongrid step. */
static size_t first_step(const ng_ctx *c, int i, int j, int k, const size_t q[27])
{
    size_t pm = neargrid_target(c, i, j, k, q);
    if (pm != q[13] && c->rho[pm] > c->rho[q[13]]) return pm;
    return q[ongrid_step(c, q)];
}

/* A walk may stop at a point that is not re-traced this round and whose 26 neighbours all
 * carry its label and are not re-traced either (the program's "known" points).  Neighbouring
 * walks pass the same points, so the answer is cached for the round (any thread computes the
 * same value, so the relaxed stores are harmless). */
static int deep(const ng_ctx *c, int i, int j, int k, size_t p)
{
    unsigned char known = atomic_load_explicit(&c->deepc[p], memory_order_relaxed);
    if (known) return known == 2;
    int32_t l = c->a[p];
    int yes = l >= 0 && !c->cand[p];
    if (yes) {
        size_t q[27];
        nbrs(c, i, j, k, q);
        for (int t = 0; t < 27 && yes; t++) yes = c->a[q[t]] == l && !c->cand[q[t]];
    }
    atomic_store_explicit(&c->deepc[p], (unsigned char)(yes ? 2 : 1), memory_order_relaxed);
    return yes;
}

/* Full near-grid walk from start (the program's max_neargrid/step_neargrid). */
static int32_t trace(ng_ctx *c, bdr_visit *v, size_t start)
{
    if (bdr_visit_reset(v) != 0 || bdr_visit_add(v, (uint32_t)start) != 0) {
        c->failed = 1;
        return c->a[start];
    }
    double dr[3] = {0, 0, 0};
    int i, j, k;
    unlin(c, start, &i, &j, &k);
    size_t p = start, q[27];
    for (long step = 0; step < NG_MAX_STEPS; step++) {
        double g[3];
        grad_at(c, i, j, k, p, g);
        double m = max_abs3(g);
        int t[3] = {i, j, k}, have_q = 0;
        if (m < 1e-30) {
            nbrs(c, i, j, k, q);
            have_q = 1;
            if (is_max(c, q)) return c->a[p];
            int o = ongrid_step(c, q);
            t[0] += o / 9 - 1, t[1] += o / 3 % 3 - 1, t[2] += o % 3 - 1;
            dr[0] = dr[1] = dr[2] = 0;
        } else {
            double coeff = 1.0 / m;
            for (int a = 0; a < 3; a++) {
                double ga = coeff * g[a], ra = anint(ga);
                t[a] += (int)ra;
                dr[a] += ga - ra;
                double rd = anint(dr[a]);
                t[a] += (int)rd;
                dr[a] -= rd;
            }
        }
        t[0] = wrapm(t[0], c->n0), t[1] = wrapm(t[1], c->n1), t[2] = wrapm(t[2], c->n2);
        size_t pm = lin(c, t[0], t[1], t[2]);
        if (bdr_visit_has(v, (uint32_t)pm)) {
            if (!have_q) nbrs(c, i, j, k, q);
            int o = ongrid_step(c, q);
            t[0] = wrapm(i + o / 9 - 1, c->n0), t[1] = wrapm(j + o / 3 % 3 - 1, c->n1), t[2] = wrapm(k + o % 3 - 1, c->n2);
            pm = q[o];
            dr[0] = dr[1] = dr[2] = 0;
        }
        if (pm == p) return c->a[p]; /* a maximum */
        i = t[0], j = t[1], k = t[2], p = pm;
        if (bdr_visit_add(v, (uint32_t)p) != 0) {
            c->failed = 1;
            return c->a[start];
        }
        if (deep(c, i, j, k, p)) return c->a[p];
    }
    return c->a[p];
}

/* ---- phase tasks (one task = one plane of the first axis) ---- */

static void task_pointers(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    (void)thread;
    size_t q[27];
    for (int j = 0; j < c->n1; j++)
        for (int k = 0; k < c->n2; k++) {
            nbrs(c, i, j, k, q);
            size_t p = q[13];
            c->ismax[p] = (unsigned char)is_max(c, q);
            c->a[p] = c->ismax[p] ? (int32_t)p : (int32_t)first_step(c, i, j, k, q);
        }
}

static void task_jump(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    (void)thread;
    long changed = 0;
    size_t p0 = lin(c, i, 0, 0), plane = (size_t)c->n1 * (size_t)c->n2;
    for (size_t p = p0; p < p0 + plane; p++) {
        int32_t t = c->a[c->a[p]];
        c->b[p] = t;
        changed += (t != c->a[p]);
    }
    c->task_count[i] = changed;
}

static void task_relabel(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx; /* a[p] = b[root of p]; b holds the basin of each root */
    (void)thread;
    size_t p0 = lin(c, i, 0, 0), plane = (size_t)c->n1 * (size_t)c->n2;
    const unsigned char *vac = c->g->vac;
    for (size_t p = p0; p < p0 + plane; p++) c->a[p] = (vac && vac[p]) ? BDR_VACUUM : c->b[c->a[p]];
}

/* Candidates of the first round: non-vacuum edge points that are not maxima. */
static void task_edges(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    (void)thread;
    long n = 0;
    for (int j = 0; j < c->n1; j++)
        for (int k = 0; k < c->n2; k++) {
            size_t p = lin(c, i, j, k);
            int32_t l = c->a[p];
            int edge = 0;
            if (l >= 0 && !c->ismax[p]) {
                size_t q[27];
                nbrs(c, i, j, k, q);
                for (int t = 0; t < 27 && !edge; t++) edge = c->a[q[t]] != l;
            }
            c->cand[p] = (unsigned char)edge;
            n += edge;
        }
    c->task_count[i] = n;
}

static void task_clear_deep(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    (void)thread;
    size_t p0 = lin(c, i, 0, 0), plane = (size_t)c->n1 * (size_t)c->n2;
    for (size_t p = p0; p < p0 + plane; p++) atomic_store_explicit(&c->deepc[p], 0, memory_order_relaxed);
}

static void task_trace(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    ng_list *ch = &c->changed[i];
    ch->n = 0;
    size_t p0 = lin(c, i, 0, 0), plane = (size_t)c->n1 * (size_t)c->n2;
    const unsigned char *cp = c->cand + p0;
    for (size_t t = 0; t < plane; t++) {
        if (!cp[t]) continue;
        size_t p = p0 + t;
        int32_t l = trace(c, &c->visit[thread], p);
        c->b[p] = l;
        if (l == c->a[p]) continue;
        if (ch->n == ch->cap) {
            size_t nc = ch->cap ? 2 * ch->cap : 256;
            uint32_t *np = realloc(ch->p, nc * sizeof *np);
            if (!np) {
                c->failed = 1;
                continue;
            }
            ch->p = np;
            ch->cap = nc;
        }
        ch->p[ch->n++] = (uint32_t)p;
    }
    c->task_count[i] = (long)ch->n;
}

/* Next round: points (not vacuum, not maxima) next to a reassigned point.  Task i writes
 * only plane i, from the changes in planes i-1, i, i+1. */
static void task_mark(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    (void)thread;
    long n = 0;
    const unsigned char *vac = c->g->vac;
    size_t p0 = lin(c, i, 0, 0), plane = (size_t)c->n1 * (size_t)c->n2;
    memset(c->cand + p0, 0, plane);
    int planes[3] = {bdr_wrap(i - 1, c->n0), i, bdr_wrap(i + 1, c->n0)};
    for (int s = 0; s < 3; s++) {
        if ((s == 0 && planes[0] == i) || (s == 2 && (planes[2] == i || planes[2] == planes[0]))) continue;
        const ng_list *ch = &c->changed[planes[s]];
        for (size_t t = 0; t < ch->n; t++) {
            int qi, qj, qk;
            unlin(c, ch->p[t], &qi, &qj, &qk);
            for (int d2 = -1; d2 <= 1; d2++)
                for (int d3 = -1; d3 <= 1; d3++) {
                    size_t r = lin(c, i, bdr_wrap(qj + d2, c->n1), bdr_wrap(qk + d3, c->n2));
                    if (c->cand[r] || c->ismax[r] || (vac && vac[r])) continue;
                    c->cand[r] = 1;
                    n++;
                }
        }
    }
    c->task_count[i] = n;
}

static void task_commit(void *ctx, int i, int thread)
{
    ng_ctx *c = ctx;
    (void)thread;
    const ng_list *ch = &c->changed[i];
    for (size_t t = 0; t < ch->n; t++) c->a[ch->p[t]] = c->b[ch->p[t]];
}

static long sum_counts(const ng_ctx *c)
{
    long s = 0;
    for (int i = 0; i < c->n0; i++) s += c->task_count[i];
    return s;
}

static void setup_geometry(ng_ctx *c)
{
    const double(*v)[3] = (const double(*)[3])c->g->voxel;
    double m[3][3];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) m[a][b] = v[a][0] * v[b][0] + v[a][1] * v[b][1] + v[a][2] * v[b][2];
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    for (int r = 0; r < 3; r++)
        for (int s = 0; s < 3; s++) {
            int r1 = (s + 1) % 3, r2 = (s + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
            c->ginv[r][s] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
        }
    int t = 0;
    for (int d1 = -1; d1 <= 1; d1++)
        for (int d2 = -1; d2 <= 1; d2++)
            for (int d3 = -1; d3 <= 1; d3++, t++) {
                double x[3];
                for (int a = 0; a < 3; a++) x[a] = d1 * v[0][a] + d2 * v[1][a] + d3 * v[2][a];
                double len = sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
                c->inv_dist[t] = t == 13 ? 0.0 : 1.0 / len;
                c->off[t] = ((ptrdiff_t)d1 * c->n1 + d2) * c->n2 + d3;
            }
}

static int find(int *parent, int x)
{
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

/* Roots of the pointer forest -> basins.  Two equal maxima are one basin when the near-grid
 * step of one goes to the other (a walk crosses such a plateau in the program and stops on
 * the far point, which becomes the maximum); equal maxima that are only diagonal neighbours
 * stay apart, as in the program.  A basin whose maximum is a vacuum
 * point is vacuum.  Leaves b[root] = basin (or BDR_VACUUM) and fills out->max_index. */
static int make_basins(ng_ctx *c, bdr_basins *out)
{
    size_t npts = c->g->npts, n_roots = 0, cap = 64;
    size_t *roots = malloc(cap * sizeof *roots);
    if (!roots) return -1;
    for (size_t p = 0; p < npts; p++) {
        if ((size_t)c->a[p] != p) continue;
        if (n_roots == cap) {
            size_t *nr = realloc(roots, 2 * cap * sizeof *nr);
            if (!nr) {
                free(roots);
                return -1;
            }
            roots = nr;
            cap *= 2;
        }
        c->b[p] = (int32_t)n_roots; /* temporary: root number */
        roots[n_roots++] = p;
    }
    int *parent = malloc((n_roots ? n_roots : 1) * sizeof *parent);
    if (!parent) {
        free(roots);
        return -1;
    }
    for (size_t r = 0; r < n_roots; r++) parent[r] = (int)r;
    for (size_t r = 0; r < n_roots; r++) {
        int i, j, k;
        unlin(c, roots[r], &i, &j, &k);
        size_t nq[27];
        nbrs(c, i, j, k, nq);
        size_t q = neargrid_target(c, i, j, k, nq);
        if (q == roots[r] || (size_t)c->a[q] != q || c->rho[q] != c->rho[roots[r]]) continue;
        int x = find(parent, (int)r), y = find(parent, c->b[q]);
        if (x != y) parent[x] = y; /* the point stepped to is the maximum */
    }
    const unsigned char *vac = c->g->vac;
    int n_basins = 0;
    int *basin_of = malloc((n_roots ? n_roots : 1) * sizeof *basin_of);
    out->max_index = malloc((n_roots ? n_roots : 1) * sizeof *out->max_index);
    if (!basin_of || !out->max_index) {
        free(roots);
        free(parent);
        free(basin_of);
        return -1;
    }
    for (size_t r = 0; r < n_roots; r++) basin_of[r] = -2;
    for (size_t r = 0; r < n_roots; r++) {
        int rep = find(parent, (int)r);
        if (basin_of[rep] == -2) {
            if (vac && vac[roots[rep]]) basin_of[rep] = BDR_VACUUM;
            else {
                basin_of[rep] = n_basins;
                out->max_index[n_basins++] = roots[rep];
            }
        }
        basin_of[r] = basin_of[rep];
    }
    for (size_t r = 0; r < n_roots; r++) c->b[roots[r]] = basin_of[r];
    out->n_basins = n_basins;
    free(roots);
    free(parent);
    free(basin_of);
    return 0;
}

int bdr_neargrid(const bdr_grid *g, bdr_basins *out, ds_err *err)
{
    ng_ctx c = {.g = g, .n0 = g->n[0], .n1 = g->n[1], .n2 = g->n[2], .rho = g->ref};
    setup_geometry(&c);
    size_t npts = g->npts;
    int nt = g->n_threads < 1 ? 1 : g->n_threads;
    out->label = malloc(npts * sizeof *out->label);
    c.a = out->label;
    c.b = malloc(npts * sizeof *c.b);
    c.ismax = malloc(npts);
    c.cand = malloc(npts);
    c.deepc = malloc(npts * sizeof *c.deepc);
    c.task_count = calloc((size_t)c.n0, sizeof *c.task_count);
    c.changed = calloc((size_t)c.n0, sizeof *c.changed);
    c.visit = calloc((size_t)nt, sizeof *c.visit);
    int rc = DS_OK;
    if (!c.a || !c.b || !c.ismax || !c.cand || !c.deepc || !c.task_count || !c.changed || !c.visit) {
        rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the near-grid partition of %zu points", npts);
        goto done;
    }
    /* Phase 1: pointers, pointer jumping, basins. */
    bdr_parallel(nt, c.n0, task_pointers, &c);
    for (;;) {
        bdr_parallel(nt, c.n0, task_jump, &c);
        int32_t *t = c.a;
        c.a = c.b;
        c.b = t;
        if (sum_counts(&c) == 0) break;
    }
    if (c.a != out->label) {
        memcpy(out->label, c.a, npts * sizeof *c.a);
        c.b = c.a;
        c.a = out->label;
    }
    if (make_basins(&c, out) != 0) {
        rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the basin list");
        goto done;
    }
    bdr_parallel(nt, c.n0, task_relabel, &c);

    /* Phase 2: edge refinement rounds. */
    memcpy(c.b, c.a, npts * sizeof *c.a);
    bdr_parallel(nt, c.n0, task_edges, &c);
    for (int round = 0; round < NG_MAX_ROUNDS && sum_counts(&c) > 0; round++) {
        bdr_parallel(nt, c.n0, task_clear_deep, &c);
        bdr_parallel(nt, c.n0, task_trace, &c);
        if (c.failed) {
            rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory while refining basin edges");
            goto done;
        }
        if (sum_counts(&c) == 0) break;
        bdr_parallel(nt, c.n0, task_mark, &c);
        bdr_parallel(nt, c.n0, task_commit, &c);
    }
    out->attractor_index = malloc((out->n_basins ? (size_t)out->n_basins : 1) * sizeof *out->attractor_index);
    if (!out->attractor_index) {
        rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    memcpy(out->attractor_index, out->max_index, (size_t)out->n_basins * sizeof *out->max_index);
    if (bdr_sum_labels(g, out) != 0) rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for basin sums");
done:
    for (int t = 0; c.visit && t < nt; t++) bdr_visit_free(&c.visit[t]);
    free(c.visit);
    for (int i = 0; c.changed && i < c.n0; i++) free(c.changed[i].p);
    free(c.changed);
    free(c.task_count);
    free(c.cand);
    free((void *)c.deepc);
    free(c.ismax);
    free(c.b);
    return rc;
}
