/* bader_weight: the weight method of Yu and Trinkle (J. Chem. Phys. 134, 064111 (2011)).
 *
 * "Higher" means a larger reference value, ties going to the lower grid index (the order of the
 * program's sort_weight).  A point with no higher Voronoi neighbour is a maximum; a point whose
 * higher neighbours all belong to one basin is interior to it; any other point is a boundary
 * point whose weight to basin b is w_b = sum_m P(m) w_b(m) over its higher neighbours m, with
 * P(m) = alpha(m) (rho_m - rho) / sum(...) and alpha = Voronoi facet area / neighbour distance.
 * The program sorts all points and keeps a full grid of transition probabilities (about 4.5x
 * the near-grid memory).  Here each point is classified once all its higher neighbours are (a
 * depth-first walk uphill), and the charges use the transposed recursion: the charge passing
 * through a boundary point, m(p) = rho(p) + sum over lower boundary neighbours q of
 * P(q -> p) m(q), goes on to its higher neighbours in proportion P, and what reaches an
 * interior point belongs to its basin (a depth-first walk downhill).  Same sums, no per-basin
 * weights.  Both values are pure functions of the grid, so threads walk from different planes
 * at once; a point two threads reach together is computed twice to the same bits (atomic
 * stores), and the results do not depend on the number of threads.
 * The stencil is the Voronoi cell of the grid point built from the voxel vectors; the program
 * (1.05) builds it from the transposed voxel matrix (pymatgen#4639) and stores each maximum one
 * stencil step off (pymatgen#4638); BADER_COMPAT_* reproduce both for comparisons. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "descriptors/bader_internal.h"

#define W_MAX_STENCIL 64
#define W_UNSET INT32_MIN

typedef struct {
    int n;
    int d[W_MAX_STENCIL][3];
    double alpha[W_MAX_STENCIL];
} w_stencil;

static int build_stencil(const double voxel[3][3], int transposed, w_stencil *st);
static int clip_polygon(double (*poly)[3], int n, const double nrm[3], double off, double (*out)[3]);
static int above_of(const bdr_grid *g, const w_stencil *st, size_t p, size_t *above, double *tv, double *tsum);

/* Voronoi cell of a grid point: for every lattice vector R = d . voxel with |d_i| <= 3 (the
 * program's range and order), the facet on the bisector plane clipped by all other planes;
 * alpha = facet area / |R|. */
static int build_stencil(const double voxel[3][3], int transposed, w_stencil *st)
{
    enum { NR = 3, NC = 342 };
    double R[NC][3], half[NC];
    int D[NC][3], nc = 0;
    for (int a = -NR; a <= NR; a++)
        for (int b = -NR; b <= NR; b++)
            for (int c = -NR; c <= NR; c++) {
                if (!a && !b && !c) continue;
                int d[3] = {a, b, c};
                for (int x = 0; x < 3; x++) {
                    R[nc][x] = transposed ? voxel[x][0] * a + voxel[x][1] * b + voxel[x][2] * c
                                          : voxel[0][x] * a + voxel[1][x] * b + voxel[2][x] * c;
                    D[nc][x] = d[x];
                }
                half[nc] = 0.5 * (R[nc][0] * R[nc][0] + R[nc][1] * R[nc][1] + R[nc][2] * R[nc][2]);
                nc++;
            }
    double amax = 0, alpha[NC];
    for (int s = 0; s < nc; s++) {
        double len = sqrt(2 * half[s]), nrm[3] = {R[s][0] / len, R[s][1] / len, R[s][2] / len};
        /* two unit vectors in the facet plane */
        double t[3] = {1, 0, 0};
        if (fabs(nrm[0]) > 0.9) t[0] = 0, t[1] = 1;
        double u[3] = {nrm[1] * t[2] - nrm[2] * t[1], nrm[2] * t[0] - nrm[0] * t[2], nrm[0] * t[1] - nrm[1] * t[0]};
        double ul = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        for (int x = 0; x < 3; x++) u[x] /= ul;
        double w[3] = {nrm[1] * u[2] - nrm[2] * u[1], nrm[2] * u[0] - nrm[0] * u[2], nrm[0] * u[1] - nrm[1] * u[0]};
        double big = 4 * len, poly[2][64][3];
        int np = 4, cur = 0;
        static const double sg[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
        for (int v = 0; v < 4; v++)
            for (int x = 0; x < 3; x++) poly[0][v][x] = 0.5 * R[s][x] + big * (sg[v][0] * u[x] + sg[v][1] * w[x]);
        for (int o = 0; o < nc && np > 2; o++) {
            if (o == s) continue;
            double ol = sqrt(2 * half[o]), on[3] = {R[o][0] / ol, R[o][1] / ol, R[o][2] / ol};
            np = clip_polygon(poly[cur], np, on, half[o] / ol, poly[1 - cur]);
            cur = 1 - cur;
        }
        double area = 0;
        if (np > 2) {
            double acc[3] = {0, 0, 0};
            for (int v = 0; v < np; v++) {
                const double *p = poly[cur][v], *q = poly[cur][(v + 1) % np];
                acc[0] += p[1] * q[2] - p[2] * q[1];
                acc[1] += p[2] * q[0] - p[0] * q[2];
                acc[2] += p[0] * q[1] - p[1] * q[0];
            }
            area = 0.5 * fabs(acc[0] * nrm[0] + acc[1] * nrm[1] + acc[2] * nrm[2]);
        }
        alpha[s] = area / len;
        if (alpha[s] > amax) amax = alpha[s];
    }
    st->n = 0;
    for (int s = 0; s < nc; s++) {
        if (!(alpha[s] > 1e-8 * amax)) continue;
        if (st->n == W_MAX_STENCIL) return -1;
        memcpy(st->d[st->n], D[s], sizeof D[s]);
        st->alpha[st->n++] = alpha[s];
    }
    return st->n > 0 ? 0 : -1;
}

/* Sutherland-Hodgman: keeps the part of poly with x . nrm <= off. */
static int clip_polygon(double (*poly)[3], int n, const double nrm[3], double off, double (*out)[3])
{
    int m = 0;
    const double tol = 1e-12 * (fabs(off) + 1);
    for (int v = 0; v < n; v++) {
        const double *p = poly[v], *q = poly[(v + 1) % n];
        double dp = p[0] * nrm[0] + p[1] * nrm[1] + p[2] * nrm[2] - off;
        double dq = q[0] * nrm[0] + q[1] * nrm[1] + q[2] * nrm[2] - off;
        if (dp <= tol && m < 63) memcpy(out[m++], p, 3 * sizeof(double));
        if (((dp < -tol && dq > tol) || (dp > tol && dq < -tol)) && m < 63) {
            double t = dp / (dp - dq);
            for (int x = 0; x < 3; x++) out[m][x] = p[x] + t * (q[x] - p[x]);
            m++;
        }
    }
    return m;
}

/* Voronoi neighbours of p that are higher, with their flux factors alpha (rho_m - rho_p);
 * returns how many. */
static int above_of(const bdr_grid *g, const w_stencil *st, size_t p, size_t *above, double *tv, double *tsum)
{
    const int n0 = g->n[0], n1 = g->n[1], n2 = g->n[2];
    const double *rho = g->ref;
    int i = (int)(p / ((size_t)n1 * n2)), j = (int)(p / n2 % n1), k = (int)(p % n2), na = 0;
    double sum = 0;
    for (int s = 0; s < st->n; s++) {
        int a = i + st->d[s][0], b = j + st->d[s][1], c = k + st->d[s][2];
        a = a < 0 ? a + n0 : (a >= n0 ? a - n0 : a);
        b = b < 0 ? b + n1 : (b >= n1 ? b - n1 : b);
        c = c < 0 ? c + n2 : (c >= n2 ? c - n2 : c);
        size_t q = ((size_t)a * n1 + (size_t)b) * n2 + (size_t)c;
        if (!(rho[q] > rho[p] || (rho[q] == rho[p] && q < p))) continue;
        above[na] = q;
        tv[na] = st->alpha[s] * (rho[q] - rho[p]);
        sum += tv[na++];
    }
    *tsum = sum;
    return na;
}

/* Neighbour p + d_s (periodic). */
static inline size_t step_to(const bdr_grid *g, size_t p, const int d[3], int sign)
{
    const int n0 = g->n[0], n1 = g->n[1], n2 = g->n[2];
    int i = (int)(p / ((size_t)n1 * n2)) + sign * d[0], j = (int)(p / n2 % n1) + sign * d[1], k = (int)(p % n2) + sign * d[2];
    i = i < 0 ? i + n0 : (i >= n0 ? i - n0 : i);
    j = j < 0 ? j + n1 : (j >= n1 ? j - n1 : j);
    k = k < 0 ? k + n2 : (k >= n2 ? k - n2 : k);
    return ((size_t)i * n1 + (size_t)j) * n2 + (size_t)k;
}

static inline int higher(const double *rho, size_t q, size_t p)
{
    return rho[q] > rho[p] || (rho[q] == rho[p] && q < p);
}

typedef struct {
    uint32_t p;
    int s; /* next stencil entry to look at */
} w_frame;

typedef struct {
    w_frame *f;
    size_t n, cap;
} w_stack;

static int stack_push(w_stack *st, size_t p)
{
    if (st->n == st->cap) {
        size_t nc = st->cap ? 2 * st->cap : 4096;
        w_frame *nf = realloc(st->f, nc * sizeof *nf);
        if (!nf) return -1;
        st->f = nf;
        st->cap = nc;
    }
    st->f[st->n++] = (w_frame){(uint32_t)p, 0};
    return 0;
}

/* State of a point: W_UNSET until classified, then its basin (maxima and interior points),
 * BDR_VACUUM, or -(volnum + 2) for a boundary point whose largest flux P goes to basin volnum
 * (the first of equal P wins, as in the program).  Shared between threads: atomic access. */
static inline int32_t get_state(const int32_t *state, size_t p)
{
    return __atomic_load_n(&state[p], __ATOMIC_RELAXED);
}

typedef struct {
    const bdr_grid *g;
    const w_stencil *st;
    int32_t *state;
    double *mass;           /* per point: charge, points passing through a boundary point */
    unsigned char *done;    /* mass of a boundary point is final */
    w_stack *stacks;        /* per thread */
    atomic_int failed;      /* out of memory in some task */
    int n_basins, n_blocks;
    int n_chunks;           /* the walks start from this many contiguous blocks of planes */
    double *acc;            /* per block: what boundary points hand to each basin */
} w_ctx;

/* Classifies p, all of whose higher neighbours are classified. */
static void classify(const w_ctx *c, size_t p)
{
    size_t above[W_MAX_STENCIL];
    double tv[W_MAX_STENCIL], tsum;
    int na = above_of(c->g, c->st, p, above, tv, &tsum);
    int32_t tb = get_state(c->state, above[0]);
    int boundary = tb < 0;
    for (int a = 1; a < na && !boundary; a++) boundary = get_state(c->state, above[a]) != tb;
    int32_t v = tb;
    if (boundary) {
        double pmax = 0;
        int32_t volnum = -1;
        for (int a = 0; a < na; a++) {
            double prob = tsum > 0 ? tv[a] / tsum : 1.0 / na; /* all equal values: split evenly */
            int32_t sa = get_state(c->state, above[a]);
            if (prob > pmax) pmax = prob, volnum = sa >= 0 ? sa : -(sa + 2);
        }
        v = -(volnum + 2);
    }
    __atomic_store_n(&c->state[p], v, __ATOMIC_RELAXED);
}

static void task_classify(void *ctx, int t, int thread)
{
    w_ctx *c = ctx;
    const bdr_grid *g = c->g;
    w_stack *stk = &c->stacks[thread];
    size_t plane = (size_t)g->n[1] * g->n[2];
    size_t lo = (size_t)(g->n[0] * t / c->n_chunks) * plane, hi = (size_t)(g->n[0] * (t + 1) / c->n_chunks) * plane;
    for (size_t p0 = lo; p0 < hi; p0++) {
        if (get_state(c->state, p0) != W_UNSET) continue;
        if (stack_push(stk, p0) != 0) {
            c->failed = 1;
            return;
        }
        while (stk->n) {
            w_frame *f = &stk->f[stk->n - 1];
            size_t p = f->p;
            int pushed = 0;
            for (; f->s < c->st->n; f->s++) {
                size_t q = step_to(g, p, c->st->d[f->s], 1);
                if (get_state(c->state, q) == W_UNSET && higher(g->ref, q, p)) {
                    f->s++;
                    if (stack_push(stk, q) != 0) {
                        c->failed = 1;
                        return;
                    }
                    pushed = 1;
                    break;
                }
            }
            if (pushed) continue;
            if (get_state(c->state, p) == W_UNSET) classify(c, p);
            stk->n--;
        }
    }
}

/* The charge and points passing through boundary point p: its own plus P(q -> p) m(q) from
 * each lower boundary neighbour q.  Stored divided by p's flux sum (or by its number of higher
 * neighbours when they all have its value, done = 2), so that P(p -> m) m(p) is just
 * alpha (rho_m - rho_p) times the stored value. */
static void finish_mass(const w_ctx *c, size_t p)
{
    const double *rho = c->g->ref;
    double m[2] = {c->g->chg[p], 1.0};
    for (int s = 0; s < c->st->n; s++) {
        size_t q = step_to(c->g, p, c->st->d[s], -1);
        if (get_state(c->state, q) >= BDR_VACUUM || !higher(rho, p, q)) continue;
        unsigned char kind = __atomic_load_n(&c->done[q], __ATOMIC_ACQUIRE);
        double f = kind == 2 ? 1.0 : c->st->alpha[s] * (rho[p] - rho[q]), mq[2];
        __atomic_load(&c->mass[2 * q], &mq[0], __ATOMIC_RELAXED);
        __atomic_load(&c->mass[2 * q + 1], &mq[1], __ATOMIC_RELAXED);
        m[0] += f * mq[0];
        m[1] += f * mq[1];
    }
    size_t above[W_MAX_STENCIL];
    double tv[W_MAX_STENCIL], tsum;
    int na = above_of(c->g, c->st, p, above, tv, &tsum);
    double norm = tsum > 0 ? tsum : na;
    m[0] /= norm;
    m[1] /= norm;
    __atomic_store(&c->mass[2 * p], &m[0], __ATOMIC_RELAXED);
    __atomic_store(&c->mass[2 * p + 1], &m[1], __ATOMIC_RELAXED);
    __atomic_store_n(&c->done[p], (unsigned char)(tsum > 0 ? 1 : 2), __ATOMIC_RELEASE);
}

static void task_mass(void *ctx, int t, int thread)
{
    w_ctx *c = ctx;
    const bdr_grid *g = c->g;
    w_stack *stk = &c->stacks[thread];
    size_t plane = (size_t)g->n[1] * g->n[2];
    size_t lo = (size_t)(g->n[0] * t / c->n_chunks) * plane, hi = (size_t)(g->n[0] * (t + 1) / c->n_chunks) * plane;
    for (size_t p0 = lo; p0 < hi; p0++) {
        if (get_state(c->state, p0) >= BDR_VACUUM || __atomic_load_n(&c->done[p0], __ATOMIC_ACQUIRE)) continue;
        if (stack_push(stk, p0) != 0) {
            c->failed = 1;
            return;
        }
        while (stk->n) {
            w_frame *f = &stk->f[stk->n - 1];
            size_t p = f->p;
            int pushed = 0;
            for (; f->s < c->st->n; f->s++) {
                size_t q = step_to(g, p, c->st->d[f->s], -1);
                if (get_state(c->state, q) < BDR_VACUUM && higher(g->ref, p, q) &&
                    !__atomic_load_n(&c->done[q], __ATOMIC_ACQUIRE)) {
                    f->s++;
                    if (stack_push(stk, q) != 0) {
                        c->failed = 1;
                        return;
                    }
                    pushed = 1;
                    break;
                }
            }
            if (pushed) continue;
            if (!__atomic_load_n(&c->done[p], __ATOMIC_ACQUIRE)) finish_mass(c, p);
            stk->n--;
        }
    }
}

/* What the boundary points of a block of planes hand to interior points, per basin. */
static void task_hand_on(void *ctx, int blk, int thread)
{
    w_ctx *c = ctx;
    (void)thread;
    const bdr_grid *g = c->g;
    size_t plane = (size_t)g->n[1] * g->n[2];
    size_t p0 = (size_t)(g->n[0] * blk / c->n_blocks) * plane, p1 = (size_t)(g->n[0] * (blk + 1) / c->n_blocks) * plane;
    double *acc = c->acc + (size_t)blk * (size_t)c->n_basins * 2;
    for (size_t p = p0; p < p1; p++) {
        if (c->state[p] >= BDR_VACUUM) continue;
        size_t above[W_MAX_STENCIL];
        double tv[W_MAX_STENCIL], tsum;
        int na = above_of(g, c->st, p, above, tv, &tsum);
        for (int a = 0; a < na; a++) {
            int32_t sa = c->state[above[a]];
            if (sa < 0) continue;
            double f = tsum > 0 ? tv[a] : 1.0; /* the mass is stored divided by tsum (or na) */
            acc[2 * sa] += f * c->mass[2 * p];
            acc[2 * sa + 1] += f * c->mass[2 * p + 1];
        }
    }
}

static void task_maxima(void *ctx, int i, int thread)
{
    w_ctx *c = ctx;
    (void)thread;
    const bdr_grid *g = c->g;
    size_t plane = (size_t)g->n[1] * g->n[2], above[W_MAX_STENCIL];
    double tv[W_MAX_STENCIL], tsum;
    for (size_t p = (size_t)i * plane; p < (size_t)(i + 1) * plane; p++) {
        int vac = g->vac && g->vac[p];
        c->state[p] = vac ? BDR_VACUUM : (above_of(g, c->st, p, above, tv, &tsum) == 0 ? -3 : W_UNSET);
    }
}

static const double *sort_rho;
static int cmp_maxima(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_rho[x] != sort_rho[y]) return sort_rho[x] > sort_rho[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

#define W_SUM_BLOCKS 16

int bdr_weight(const bdr_grid *g, bdr_basins *out, ds_err *err)
{
    w_stencil st;
    if (build_stencil(g->voxel, (g->compat & BADER_COMPAT_WEIGHT_STENCIL) != 0, &st) != 0)
        return ds_err_set(err, DS_EUSAGE, NULL, 0, "cannot build the Voronoi stencil of this grid (degenerate cell?)");
    const size_t npts = g->npts;
    int nt = g->n_threads < 1 ? 1 : g->n_threads;
    w_ctx c = {.g = g, .st = &st};
    c.state = malloc(npts * sizeof *c.state);
    c.stacks = calloc((size_t)nt, sizeof *c.stacks);
    size_t *maxima = NULL;
    int rc = DS_OK, n_basins = 0;
    if (!c.state || !c.stacks) goto oom;

    /* Maxima (no higher Voronoi neighbour), numbered as the program does: highest first. */
    bdr_parallel(nt, g->n[0], task_maxima, &c);
    size_t cap = 64;
    maxima = malloc(cap * sizeof *maxima);
    if (!maxima) goto oom;
    for (size_t p = 0; p < npts; p++) {
        if (c.state[p] != -3) continue;
        if ((size_t)n_basins == cap) {
            size_t *nm = realloc(maxima, 2 * cap * sizeof *nm);
            if (!nm) goto oom;
            maxima = nm;
            cap *= 2;
        }
        maxima[n_basins++] = p;
    }
    sort_rho = g->ref;
    qsort(maxima, (size_t)n_basins, sizeof *maxima, cmp_maxima);
    for (int b = 0; b < n_basins; b++) c.state[maxima[b]] = b;

    /* Pass 1: classify every point after its higher neighbours. */
    c.n_chunks = nt < g->n[0] ? nt : g->n[0];
    bdr_parallel(nt, c.n_chunks, task_classify, &c);
    if (c.failed) goto oom;
    out->n_basins = n_basins;
    out->max_index = maxima;
    maxima = NULL;
    out->attractor_index = malloc((n_basins ? (size_t)n_basins : 1) * sizeof *out->attractor_index);
    if (!out->attractor_index) goto oom;
    for (int b = 0; b < n_basins; b++) /* the program stores the maximum plus the last stencil vector (pymatgen#4638) */
        out->attractor_index[b] = (g->compat & BADER_COMPAT_WEIGHT_ATTRACTOR) ? step_to(g, out->max_index[b], st.d[st.n - 1], 1)
                                                                               : out->max_index[b];

    /* Pass 2: charge passing through each boundary point, then what reaches the basins. */
    c.mass = malloc(npts * 2 * sizeof *c.mass);
    c.done = calloc(npts, 1);
    c.n_basins = n_basins;
    c.n_blocks = g->n[0] < W_SUM_BLOCKS ? g->n[0] : W_SUM_BLOCKS;
    c.acc = calloc((size_t)c.n_blocks * (n_basins ? (size_t)n_basins : 1) * 2, sizeof *c.acc);
    if (!c.mass || !c.done || !c.acc) goto oom;
    bdr_parallel(nt, c.n_chunks, task_mass, &c);
    if (c.failed) goto oom;
    bdr_parallel(nt, c.n_blocks, task_hand_on, &c);

    /* Interior and vacuum sums from the states (boundary points are < BDR_VACUUM and are
     * skipped), plus what the boundary handed on; then boundary points count for their basin
     * of largest flux in the atom assignment and the surface distance. */
    out->label = c.state;
    c.state = NULL;
    if (bdr_sum_labels(g, out) != 0) goto oom;
    for (int k = 0; k < c.n_blocks; k++)
        for (int b = 0; b < n_basins; b++) {
            out->charge_sum[b] += c.acc[((size_t)k * n_basins + (size_t)b) * 2];
            out->points[b] += c.acc[((size_t)k * n_basins + (size_t)b) * 2 + 1];
        }
    for (size_t p = 0; p < npts; p++)
        if (out->label[p] < BDR_VACUUM) out->label[p] = -(out->label[p] + 2);
    goto done;
oom:
    rc = ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory in the weight method (%zu grid points)", npts);
done:
    free(c.state);
    free(maxima);
    free(c.mass);
    free(c.done);
    free(c.acc);
    for (int t = 0; c.stacks && t < nt; t++) free(c.stacks[t].f);
    free(c.stacks);
    return rc;
}
