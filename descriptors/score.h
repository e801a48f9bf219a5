/* score: turning descriptor values into a ranking.
 *
 * Each criterion looks at one descriptor and says what is good: minimise, maximise, or a
 * target window [lo, hi] (e.g. a "moderate" adsorption energy, neither too weak nor too
 * strong), plus optional hard limits.  The "badness" of a value is what every method
 * compares: v (minimise), -v (maximise), the distance to the window (0 inside).
 *   weighted:      each criterion normalised over the candidates to [0, 1] (1 = best:
 *                  (max - b) / (max - min) of the badness b; all equal -> 1), the score is
 *                  the weighted mean; higher is better.
 *   pareto:        non-dominated sorting of the badness vectors (front 1 = not dominated),
 *                  ties inside a front broken by the weighted score.
 *   lexicographic: the first criterion decides, the next breaks exact ties, and so on.
 * A candidate with a missing (NaN) value or outside a hard limit is not ranked; it is
 * listed after the ranked ones with the reason.
 * Robustness: score_topk_probability perturbs every value with a Gaussian of the
 * criterion's uncertainty (a seeded local generator: reproducible, no global state) and
 * counts how often each candidate lands in the top k. */
#ifndef DS_SCORE_H
#define DS_SCORE_H

typedef enum { SCORE_MINIMIZE, SCORE_MAXIMIZE, SCORE_TARGET } score_goal;
typedef enum { SCORE_WEIGHTED, SCORE_PARETO, SCORE_LEXICOGRAPHIC } score_method;

typedef struct {
    score_goal goal;
    double target_lo, target_hi; /* SCORE_TARGET */
    double weight;               /* > 0 */
    double uncertainty;          /* standard deviation for the Monte-Carlo, >= 0 */
    double limit_min, limit_max; /* hard limits on the value; -INFINITY/INFINITY = none */
} score_criterion;

enum { SCORE_OK = 0, SCORE_MISSING = 1, SCORE_LIMIT = 2 };

typedef struct {
    int *order;      /* n_candidates indices, ranked ones first (best first), then the rest */
    int n_ranked;
    double *score;   /* weighted score per candidate (NAN when not ranked) */
    int *front;      /* Pareto front number per candidate (1 = non-dominated; 0 when not ranked) */
    int *status;     /* SCORE_OK, SCORE_MISSING, SCORE_LIMIT per candidate */
    int *why;        /* the criterion index behind a status other than OK (-1 otherwise) */
} score_ranking;

/* values[c * n_criteria + k]: candidate c, criterion k.  Returns 0, or -1 when out of memory. */
int score_rank(const double *values, int n_candidates, const score_criterion *crit, int n_criteria,
               score_method method, score_ranking *out);
void score_ranking_free(score_ranking *r);

/* The badness of v under a criterion (see above). */
double score_badness(const score_criterion *c, double v);

/* prob[c] = fraction of `samples` Gaussian perturbations in which candidate c is ranked
 * within the first top_k (0 for candidates never ranked).  Returns 0 or -1 (memory). */
int score_topk_probability(const double *values, int n_candidates, const score_criterion *crit, int n_criteria,
                           score_method method, int top_k, int samples, unsigned long long seed, double *prob);

#endif
