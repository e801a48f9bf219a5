/* score: weighted normalisation, target windows, hard limits, missing values, Pareto
 * fronts, lexicographic order and the Monte-Carlo top-k probability on small cases whose
 * answers are worked out by hand. */
#include <math.h>

#include "descriptors/score.h"
#include "tests/test.h"

static score_criterion crit(score_goal g, double w, double sigma)
{
    score_criterion c = {g, 0, 0, w, sigma, -INFINITY, INFINITY};
    return c;
}

TEST(weighted_minimise_orders_by_value_and_normalises)
{
    double v[] = {-1.0, -3.0, -2.0};
    score_criterion c = crit(SCORE_MINIMIZE, 1, 0);
    score_ranking r;
    CHECK(score_rank(v, 3, &c, 1, SCORE_WEIGHTED, &r) == 0);
    CHECK(r.n_ranked == 3 && r.order[0] == 1 && r.order[1] == 2 && r.order[2] == 0);
    CHECK_NEAR(r.score[1], 1.0, 1e-15);
    CHECK_NEAR(r.score[2], 0.5, 1e-15);
    CHECK_NEAR(r.score[0], 0.0, 1e-15);
    score_ranking_free(&r);
}

TEST(target_window_prefers_values_inside)
{
    /* "moderate" adsorption between -1.0 and -0.5 eV: -0.7 inside, -2.0 is 1.0 too strong,
     * -0.2 is 0.3 too weak */
    double v[] = {-2.0, -0.7, -0.2};
    score_criterion c = crit(SCORE_TARGET, 1, 0);
    c.target_lo = -1.0, c.target_hi = -0.5;
    CHECK_NEAR(score_badness(&c, -2.0), 1.0, 1e-15);
    CHECK_NEAR(score_badness(&c, -0.2), 0.3, 1e-15);
    score_ranking r;
    CHECK(score_rank(v, 3, &c, 1, SCORE_WEIGHTED, &r) == 0);
    CHECK(r.order[0] == 1 && r.order[1] == 2 && r.order[2] == 0);
    CHECK_NEAR(r.score[2], 0.7, 1e-12);
    score_ranking_free(&r);
}

TEST(limits_and_missing_values_are_not_ranked)
{
    double v[] = {-1.0, 1.0, NAN, -0.5, -5.0, 2.0};
    score_criterion c[2] = {crit(SCORE_MINIMIZE, 1, 0), crit(SCORE_MAXIMIZE, 1, 0)};
    c[0].limit_min = -4.0;
    score_ranking r;
    CHECK(score_rank(v, 3, c, 2, SCORE_WEIGHTED, &r) == 0);
    CHECK(r.n_ranked == 1 && r.order[0] == 0);
    CHECK(r.status[1] == SCORE_MISSING && r.why[1] == 0);
    CHECK(r.status[2] == SCORE_LIMIT && r.why[2] == 0);
    CHECK(isnan(r.score[1]) && r.front[1] == 0);
    score_ranking_free(&r);
}

TEST(pareto_fronts_by_non_dominated_sorting)
{
    /* minimise both: A(1,4) B(2,2) C(4,1) are mutually non-dominated, D(3,3) is dominated
     * by B only, E(5,5) by everyone */
    double v[] = {1, 4, 2, 2, 4, 1, 3, 3, 5, 5};
    score_criterion c[2] = {crit(SCORE_MINIMIZE, 1, 0), crit(SCORE_MINIMIZE, 1, 0)};
    score_ranking r;
    CHECK(score_rank(v, 5, c, 2, SCORE_PARETO, &r) == 0);
    CHECK(r.front[0] == 1 && r.front[1] == 1 && r.front[2] == 1);
    CHECK(r.front[3] == 2 && r.front[4] == 3);
    CHECK(r.order[3] == 3 && r.order[4] == 4);
    score_ranking_free(&r);
}

TEST(lexicographic_breaks_ties_with_the_next_criterion)
{
    double v[] = {-1.0, 5.0, -2.0, 1.0, -2.0, 3.0};
    score_criterion c[2] = {crit(SCORE_MINIMIZE, 1, 0), crit(SCORE_MAXIMIZE, 1, 0)};
    score_ranking r;
    CHECK(score_rank(v, 3, c, 2, SCORE_LEXICOGRAPHIC, &r) == 0);
    CHECK(r.order[0] == 2 && r.order[1] == 1 && r.order[2] == 0);
    score_ranking_free(&r);
}

TEST(topk_probability_certain_and_coin_toss)
{
    /* far apart relative to sigma: certain; two equal values: each wins half the time */
    double v[] = {-5.0, -1.0, 0.0};
    score_criterion c = crit(SCORE_MINIMIZE, 1, 0.05);
    double p[3];
    CHECK(score_topk_probability(v, 3, &c, 1, SCORE_WEIGHTED, 1, 4000, 42, p) == 0);
    CHECK_NEAR(p[0], 1.0, 1e-12);
    CHECK_NEAR(p[1] + p[2], 0.0, 1e-12);
    double w[] = {-1.0, -1.0, 3.0};
    CHECK(score_topk_probability(w, 3, &c, 1, SCORE_WEIGHTED, 1, 4000, 42, p) == 0);
    CHECK_NEAR(p[0], 0.5, 0.04);
    CHECK_NEAR(p[1], 0.5, 0.04);
    CHECK_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
    /* the same seed gives the same numbers */
    double q[3];
    CHECK(score_topk_probability(w, 3, &c, 1, SCORE_WEIGHTED, 1, 4000, 42, q) == 0);
    CHECK(q[0] == p[0] && q[1] == p[1]);
    /* two values 1 sigma-of-the-difference apart: P(first wins) = Phi(1/sqrt(2)*... ) check
     * against the normal CDF: d = 0.05, sigma_diff = 0.05*sqrt(2): P = Phi(0.7071) = 0.7602 */
    double u[] = {-1.05, -1.0};
    CHECK(score_topk_probability(u, 2, &c, 1, SCORE_WEIGHTED, 1, 20000, 7, p) == 0);
    CHECK_NEAR(p[0], 0.7602, 0.015);
}

int main(void)
{
    RUN(weighted_minimise_orders_by_value_and_normalises);
    RUN(target_window_prefers_values_inside);
    RUN(limits_and_missing_values_are_not_ranked);
    RUN(pareto_fronts_by_non_dominated_sorting);
    RUN(lexicographic_breaks_ties_with_the_next_criterion);
    RUN(topk_probability_certain_and_coin_toss);
    return TEST_FINISH();
}
