/* score: weighted, Pareto and lexicographic rankings and the Monte-Carlo top-k
 * probability (see score.h). */
#include "descriptors/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void weighted_scores(const double *bad, int n, const int *ok, const score_criterion *crit, int nk,
                            double *score);
static void pareto_fronts(const double *bad, int n, const int *ok, int nk, int *front);
static double gaussian(unsigned long long *state);

double score_badness(const score_criterion *c, double v)
{
    switch (c->goal) {
    case SCORE_MAXIMIZE: return -v;
    case SCORE_TARGET: return v < c->target_lo ? c->target_lo - v : v > c->target_hi ? v - c->target_hi : 0.0;
    default: return v;
    }
}

/* Sorting context: qsort has no user pointer in C11, so the comparison data travel in
 * a small array of records sorted directly. */
typedef struct {
    int index;
    int front;
    double score;
    const double *bad; /* n_criteria badness values (lexicographic) */
    int n_criteria;
    score_method method;
} rank_rec;

static int compare_rec(const void *pa, const void *pb)
{
    const rank_rec *a = pa, *b = pb;
    if (a->method == SCORE_LEXICOGRAPHIC) {
        for (int k = 0; k < a->n_criteria; k++)
            if (a->bad[k] != b->bad[k]) return a->bad[k] < b->bad[k] ? -1 : 1;
    } else {
        if (a->method == SCORE_PARETO && a->front != b->front) return a->front < b->front ? -1 : 1;
        if (a->score != b->score) return a->score > b->score ? -1 : 1;
    }
    return a->index - b->index; /* stable: recipe order */
}

int score_rank(const double *values, int n, const score_criterion *crit, int nk, score_method method,
               score_ranking *out)
{
    memset(out, 0, sizeof *out);
    size_t nn = n > 0 ? (size_t)n : 1, nb = (size_t)(n > 0 ? n : 1) * (size_t)(nk > 0 ? nk : 1);
    out->order = malloc(nn * sizeof *out->order);
    out->score = malloc(nn * sizeof *out->score);
    out->front = calloc(nn, sizeof *out->front);
    out->status = calloc(nn, sizeof *out->status);
    out->why = malloc(nn * sizeof *out->why);
    double *bad = malloc(nb * sizeof *bad);
    int *ok = malloc(nn * sizeof *ok);
    rank_rec *recs = malloc(nn * sizeof *recs);
    if (!out->order || !out->score || !out->front || !out->status || !out->why || !bad || !ok || !recs) {
        free(bad), free(ok), free(recs);
        score_ranking_free(out);
        return -1;
    }
    for (int c = 0; c < n; c++) {
        ok[c] = 1;
        out->why[c] = -1;
        for (int k = 0; k < nk; k++) {
            double v = values[(size_t)c * nk + k];
            bad[(size_t)c * nk + k] = score_badness(&crit[k], v);
            if (!ok[c]) continue;
            if (!isfinite(v)) ok[c] = 0, out->status[c] = SCORE_MISSING, out->why[c] = k;
            else if (v < crit[k].limit_min || v > crit[k].limit_max) ok[c] = 0, out->status[c] = SCORE_LIMIT, out->why[c] = k;
        }
    }
    weighted_scores(bad, n, ok, crit, nk, out->score);
    pareto_fronts(bad, n, ok, nk, out->front);
    int m = 0;
    for (int c = 0; c < n; c++)
        if (ok[c]) recs[m++] = (rank_rec){c, out->front[c], out->score[c], &bad[(size_t)c * nk], nk, method};
    qsort(recs, (size_t)m, sizeof *recs, compare_rec);
    for (int i = 0; i < m; i++) out->order[i] = recs[i].index;
    out->n_ranked = m;
    for (int c = 0; c < n; c++)
        if (!ok[c]) out->order[m++] = c;
    free(bad), free(ok), free(recs);
    return 0;
}

void score_ranking_free(score_ranking *r)
{
    free(r->order), free(r->score), free(r->front), free(r->status), free(r->why);
    memset(r, 0, sizeof *r);
}

static void weighted_scores(const double *bad, int n, const int *ok, const score_criterion *crit, int nk,
                            double *score)
{
    double wsum = 0;
    for (int k = 0; k < nk; k++) wsum += crit[k].weight;
    for (int c = 0; c < n; c++) score[c] = ok[c] ? 0.0 : NAN;
    for (int k = 0; k < nk; k++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int c = 0; c < n; c++)
            if (ok[c]) {
                double b = bad[(size_t)c * nk + k];
                if (b < lo) lo = b;
                if (b > hi) hi = b;
            }
        for (int c = 0; c < n; c++) {
            if (!ok[c]) continue;
            double b = bad[(size_t)c * nk + k];
            double s = hi > lo ? (hi - b) / (hi - lo) : 1.0;
            score[c] += crit[k].weight * s / (wsum > 0 ? wsum : 1.0);
        }
    }
}

/* a dominates b: no worse in every criterion, better in one. */
static int dominates(const double *a, const double *b, int nk)
{
    int better = 0;
    for (int k = 0; k < nk; k++) {
        if (a[k] > b[k]) return 0;
        if (a[k] < b[k]) better = 1;
    }
    return better;
}

static void pareto_fronts(const double *bad, int n, const int *ok, int nk, int *front)
{
    int assigned = 0, total = 0;
    for (int c = 0; c < n; c++) front[c] = 0, total += ok[c];
    for (int f = 1; assigned < total; f++) {
        int added = 0;
        for (int c = 0; c < n; c++) {
            if (!ok[c] || front[c]) continue;
            int dominated = 0;
            for (int d = 0; d < n && !dominated; d++) /* only candidates of no earlier front count */
                if (d != c && ok[d] && (front[d] == 0 || front[d] == -f) &&
                    dominates(&bad[(size_t)d * nk], &bad[(size_t)c * nk], nk))
                    dominated = 1;
            if (!dominated) front[c] = -f; /* mark, commit after the sweep */
        }
        for (int c = 0; c < n; c++)
            if (front[c] == -f) front[c] = f, assigned++, added++;
        if (!added) break; /* cannot happen for a strict partial order; guards NaN */
    }
}

/* xorshift64* and Box-Muller: small, seeded, reproducible. */
static double uniform01(unsigned long long *s)
{
    unsigned long long x = *s;
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    *s = x;
    return ((x * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static double gaussian(unsigned long long *state)
{
    double u1 = uniform01(state), u2 = uniform01(state);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

int score_topk_probability(const double *values, int n, const score_criterion *crit, int nk, score_method method,
                           int top_k, int samples, unsigned long long seed, double *prob)
{
    size_t nb = (size_t)(n > 0 ? n : 1) * (size_t)(nk > 0 ? nk : 1);
    double *v = malloc(nb * sizeof *v);
    if (!v) return -1;
    unsigned long long state = seed ? seed : 0x9E3779B97F4A7C15ULL;
    for (int c = 0; c < n; c++) prob[c] = 0;
    for (int s = 0; s < samples; s++) {
        for (size_t i = 0; i < (size_t)n * nk; i++) {
            int k = (int)(i % (size_t)nk);
            v[i] = values[i] + crit[k].uncertainty * gaussian(&state);
            if (!isfinite(values[i])) v[i] = values[i];
        }
        score_ranking r;
        if (score_rank(v, n, crit, nk, method, &r)) {
            free(v);
            return -1;
        }
        for (int i = 0; i < r.n_ranked && i < top_k; i++) prob[r.order[i]] += 1.0;
        score_ranking_free(&r);
    }
    for (int c = 0; c < n; c++) prob[c] = samples > 0 ? prob[c] / samples : 0;
    free(v);
    return 0;
}
