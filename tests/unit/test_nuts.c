/*
** test_nuts.c -- the NUTS sampler, its adaptation and its metrics, on
** targets whose distributions are known in closed form.
**
** Reference values: Gaussian means, variances and correlations are the
** targets' own parameters; the half-normal mean is sqrt(2 / pi); dual
** averaging values were computed in R from Hoffman & Gelman's (2014)
** equations; the warm-up windows are the ones the Stan Reference Manual
** lists for 1000 iterations (75 / 25, 50, 100, 200, 500 / 50); sample
** (co)variances come from gsl_stats.  Monte Carlo checks use a standard
** error that assumes an effective sample size of only n / 2 (NUTS on
** Gaussians typically reaches n or more for means), or batch means.
** Every chain has a fixed seed.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_statistics.h>
#include "adapt.h"
#include "metric.h"
#include "metric_choice.h"
#include "nuts.h"
#include "testutil.h"

/* ---- targets ---- */

/* Independent Gaussians, zero mean, standard deviations sd[i]. */
typedef struct IndepGauss {
    int dim;
    const double *sd;
} IndepGauss;

static double indep_logp(void *ctx, const double *q, double *grad)
{
    const IndepGauss *g = ctx;
    double lp = 0.0;
    for (int i = 0; i < g->dim; i++) {
        double z = q[i] / g->sd[i];
        lp -= 0.5 * z * z;
        grad[i] = -z / g->sd[i];
    }
    return lp;
}

/* A zero-mean bivariate Gaussian with sds s1, s2 and correlation r; its
** precision is the closed-form inverse of the 2 x 2 covariance. */
typedef struct Gauss2 {
    double s1, s2, r;
} Gauss2;

static double gauss2_logp(void *ctx, const double *q, double *grad)
{
    const Gauss2 *g = ctx;
    double k = 1.0 / (1.0 - g->r * g->r);
    double a = k / (g->s1 * g->s1), b = -k * g->r / (g->s1 * g->s2), d = k / (g->s2 * g->s2);
    grad[0] = -(a * q[0] + b * q[1]);
    grad[1] = -(b * q[0] + d * q[1]);
    return 0.5 * (q[0] * grad[0] + q[1] * grad[1]);
}

/* A standard bivariate normal cut to q[0] > 0: elsewhere the density is
** -inf (q[1] > 0) or NaN (q[1] <= 0), as a failing model would give. */
static double halfspace_logp(void *ctx, const double *q, double *grad)
{
    (void)ctx;
    if (!(q[0] > 0.0)) return q[1] > 0.0 ? -INFINITY : NAN;
    grad[0] = -q[0];
    grad[1] = -q[1];
    return -0.5 * (q[0] * q[0] + q[1] * q[1]);
}

/* Neal's funnel: v ~ N(0, 3), x_i ~ N(0, exp(v / 2)), i = 1..dim-1. */
static double funnel_logp(void *ctx, const double *q, double *grad)
{
    int dim = *(const int *)ctx;
    double v = q[0];
    double lp = -v * v / 18.0;
    grad[0] = -v / 9.0;
    for (int i = 1; i < dim; i++) {
        double e = exp(-v);
        lp += -0.5 * q[i] * q[i] * e - 0.5 * v;
        grad[i] = -q[i] * e;
        grad[0] += 0.5 * q[i] * q[i] * e - 0.5;
    }
    return lp;
}

/* q = log x with x ~ Gamma(3, 1): a skewed target, E[q] = psi(3) and
** Var[q] = psi_1(3). */
static double loggamma3_logp(void *ctx, const double *q, double *grad)
{
    (void)ctx;
    double e = exp(q[0]);
    grad[0] = 3.0 - e;
    return 3.0 * q[0] - e;
}

/* No parameters at all: a constant density. */
static double empty_logp(void *ctx, const double *q, double *grad)
{
    (void)ctx;
    (void)q;
    (void)grad;
    return -1.25;
}

/* Finite log density with a NaN gradient. */
static double bad_gradient_logp(void *ctx, const double *q, double *grad)
{
    (void)ctx;
    grad[0] = NAN;
    return -0.5 * q[0] * q[0];
}

/* ---- running a chain ---- */

typedef struct Run {
    int dim, n;
    double *x;            /* x[i * n + k]: coordinate i of draw k */
    NutsStats *st;        /* n sampling iterations */
    double *inv_metric;   /* copy, dim or dim*dim */
    bool dense;
    double stepsize;
    long grad_evals;
    int divergent;        /* over the draws */
    int warm_divergent;   /* over the warm-up */
    long leapfrog;        /* over the draws */
    double mean_accept;   /* over the draws */
    double mean_depth;
    bool stepsize_fixed;  /* the draws all used nuts_stepsize's value */
} Run;

static void run_free(Run *r)
{
    free(r->x);
    free(r->st);
    free(r->inv_metric);
}

/* Runs cfg->tune + cfg->draws iterations from q0 with seed; the draws
** and their statistics go to r.  Returns nuts_init's result. */
static int run_chain(const Target *t, const NutsConfig *cfg, unsigned long seed,
                     const double *q0, Run *r)
{
    memset(r, 0, sizeof *r);
    int d = t->dim, n = cfg->draws;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    Nuts *s = nuts_new(t, cfg, rng);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    double *q = malloc((size_t)d * sizeof *q);
    r->dim = d;
    r->n = n;
    r->x = malloc((size_t)d * n * sizeof *r->x);
    r->st = malloc((size_t)n * sizeof *r->st);
    int rc = nuts_init(s, q0);
    if (rc == 0) {
        for (int k = 0; k < cfg->tune + n; k++) {
            NutsStats st;
            nuts_iterate(s, q, &st);
            if (k < cfg->tune) {
                r->warm_divergent += st.divergent;
                continue;
            }
            int j = k - cfg->tune;
            for (int i = 0; i < d; i++) r->x[(size_t)i * n + j] = q[i];
            r->st[j] = st;
        }
        r->stepsize = nuts_stepsize(s);
        r->stepsize_fixed = true;
        for (int j = 0; j < n; j++) {
            r->divergent += r->st[j].divergent;
            r->leapfrog += r->st[j].n_leapfrog;
            r->mean_accept += r->st[j].accept_stat / n;
            r->mean_depth += (double)r->st[j].treedepth / n;
            if (r->st[j].stepsize != r->stepsize) r->stepsize_fixed = false;
        }
        r->dense = nuts_dense(s);
        size_t m = r->dense ? (size_t)d * d : (size_t)d;
        r->inv_metric = malloc(m * sizeof *r->inv_metric);
        memcpy(r->inv_metric, nuts_inv_metric(s), m * sizeof *r->inv_metric);
        r->grad_evals = nuts_gradient_evals(s);
    }
    free(q);
    nuts_free(s);
    gsl_rng_free(rng);
    return rc;
}

static const double *coord(const Run *r, int i)
{
    return r->x + (size_t)i * r->n;
}

/* Monte Carlo standard error of the mean by batch means (50 batches). */
static double batch_mcse(const double *x, int n)
{
    enum { B = 50 };
    double means[B];
    int len = n / B;
    for (int b = 0; b < B; b++) means[b] = gsl_stats_mean(x + (size_t)b * len, 1, (size_t)len);
    return gsl_stats_sd(means, 1, B) / sqrt((double)B);
}

/* The standard error of a mean of n draws from sd, for ESS n / 2. */
static double se_half_ess(double sd, int n)
{
    return sd / sqrt(n / 2.0);
}

/* ---- 1. one-dimensional standard normal ---- */

static void test_standard_normal(void)
{
    double sd = 1.0, q0 = 1.5;
    IndepGauss g = { 1, &sd };
    Target t = { 1, indep_logp, &g };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 1000;
    cfg.draws = 20000;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 11, &q0, &r), 0);
    const double *x = coord(&r, 0);
    double mean = gsl_stats_mean(x, 1, r.n);
    double mcse = batch_mcse(x, r.n);
    CU_ASSERT(mcse > 0.0 && mcse < 0.02);
    CU_ASSERT(fabs(mean) < 4.0 * mcse);
    /* E[x^2] = 1, checked with the batch-means error of the squares. */
    double *sq = malloc((size_t)r.n * sizeof *sq);
    for (int k = 0; k < r.n; k++) sq[k] = x[k] * x[k];
    double m2 = gsl_stats_mean(sq, 1, r.n);
    CU_ASSERT(fabs(m2 - 1.0) < 4.0 * batch_mcse(sq, r.n));
    ASSERT_CLOSE(gsl_stats_variance(x, 1, r.n), 1.0, 0.05);
    CU_ASSERT_EQUAL(r.divergent, 0);
    CU_ASSERT(r.stepsize_fixed);
    /* The draws' lp is the density at the draw. */
    for (int k = 0; k < 100; k++) ASSERT_CLOSE(r.st[k].lp, -0.5 * x[k] * x[k], 1e-12);
    free(sq);
    run_free(&r);
}

/* A skewed target catches biases a symmetric one hides. */
static void test_skewed(void)
{
    Target t = { 1, loggamma3_logp, NULL };
    NutsConfig cfg = nuts_default_config();
    cfg.draws = 20000;
    double q0 = 0.5;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 12, &q0, &r), 0);
    const double *x = coord(&r, 0);
    /* References: GSL's digamma and trigamma. */
    double mean = gsl_sf_psi(3.0), var = gsl_sf_psi_1(3.0);
    CU_ASSERT(fabs(gsl_stats_mean(x, 1, r.n) - mean) < 4.0 * batch_mcse(x, r.n));
    double *dev2 = malloc((size_t)r.n * sizeof *dev2);
    for (int k = 0; k < r.n; k++) dev2[k] = (x[k] - mean) * (x[k] - mean);
    CU_ASSERT(fabs(gsl_stats_mean(dev2, 1, r.n) - var) < 4.0 * batch_mcse(dev2, r.n));
    ASSERT_REL(gsl_stats_variance(x, 1, r.n), var, 0.10);
    free(dev2);
    run_free(&r);
}

/* A target without parameters still runs: every draw is the empty
** point with the constant density. */
static void test_no_parameters(void)
{
    Target t = { 0, empty_logp, NULL };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 100;
    cfg.draws = 50;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 13, NULL, &r), 0);
    CU_ASSERT_EQUAL(r.divergent, 0);
    for (int k = 0; k < r.n; k++) CU_ASSERT_EQUAL(r.st[k].lp, -1.25);
    run_free(&r);
}

/* ---- 2. 100 independent Gaussians, scales 0.01 .. 100 ---- */

static void test_scaled_gaussians(void)
{
    enum { D = 100 };
    double sd[D], q0[D];
    for (int i = 0; i < D; i++) {
        sd[i] = pow(10.0, -2.0 + 4.0 * i / (D - 1));
        q0[i] = 0.5 * sd[i] * (i % 2 ? 1 : -1);
    }
    IndepGauss g = { D, sd };
    Target t = { D, indep_logp, &g };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 1000;
    cfg.draws = 3000;   /* 10 % on each of 100 sds needs a few thousand */
    cfg.metric = METRIC_DIAG;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 22, q0, &r), 0);
    CU_ASSERT_FALSE(r.dense);
    CU_ASSERT_EQUAL(r.divergent, 0);
    int bad_mean = 0, bad_sd = 0, bad_metric = 0;
    /* The last slow window holds 500 draws (iterations 450..949); Stan's
    ** regularisation then gives (500/505) var + 1e-3 (5/505). */
    double n_w = 500.0;
    for (int i = 0; i < D; i++) {
        const double *x = coord(&r, i);
        if (fabs(gsl_stats_mean(x, 1, r.n)) > 4.0 * se_half_ess(sd[i], r.n)) bad_mean++;
        if (fabs(gsl_stats_sd(x, 1, r.n) / sd[i] - 1.0) > 0.10) bad_sd++;
        double expect = n_w / (n_w + 5.0) * sd[i] * sd[i] + 1e-3 * 5.0 / (n_w + 5.0);
        if (fabs(log(r.inv_metric[i] / expect)) > log(1.6)) bad_metric++;
    }
    CU_ASSERT_EQUAL(bad_mean, 0);
    CU_ASSERT_EQUAL(bad_sd, 0);
    CU_ASSERT_EQUAL(bad_metric, 0);
    run_free(&r);
}

/* ---- 3. strongly correlated pair: dense against diagonal ---- */

static void test_dense_correlated(void)
{
    Gauss2 g = { 1.0, 10.0, 0.99 };
    Target t = { 2, gauss2_logp, &g };
    double q0[2] = { 1.0, 1.0 };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 1000;
    cfg.draws = 2000;
    Run dense, diag;
    cfg.metric = METRIC_DENSE;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 33, q0, &dense), 0);
    cfg.metric = METRIC_DIAG;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 33, q0, &diag), 0);
    CU_ASSERT_TRUE(dense.dense);
    CU_ASSERT_FALSE(diag.dense);

    const double *x = coord(&dense, 0), *y = coord(&dense, 1);
    int n = dense.n;
    CU_ASSERT(fabs(gsl_stats_mean(x, 1, n)) < 4.0 * se_half_ess(g.s1, n));
    CU_ASSERT(fabs(gsl_stats_mean(y, 1, n)) < 4.0 * se_half_ess(g.s2, n));
    ASSERT_REL(gsl_stats_sd(x, 1, n), g.s1, 0.10);
    ASSERT_REL(gsl_stats_sd(y, 1, n), g.s2, 0.10);
    /* The sampling sd of r near 0.99 is (1 - r^2) / sqrt(ESS) < 0.001. */
    ASSERT_CLOSE(gsl_stats_correlation(x, 1, y, 1, n), g.r, 0.004);

    /* The adapted inverse metric estimates the covariance
    ** [[1, 9.9], [9.9, 100]]. */
    const double *m = dense.inv_metric;
    ASSERT_CLOSE(m[1], m[2], 1e-12);
    ASSERT_REL(m[0], 1.0, 0.35);
    ASSERT_REL(m[3], 100.0, 0.35);
    ASSERT_CLOSE(m[1] / sqrt(m[0] * m[3]), g.r, 0.01);

    /* Fewer leapfrog steps for the same draws: the dense metric turns the
    ** long narrow ridge into a round target. */
    CU_ASSERT(dense.leapfrog * 2 < diag.leapfrog);
    CU_ASSERT(dense.mean_depth + 0.5 < diag.mean_depth);
    run_free(&dense);
    run_free(&diag);
}

/* An exact draw q of a 2-d target and the gradient of log p there. */
typedef void (*DrawFn)(const void *target, gsl_rng *rng, double q[2], double grad[2]);

static void gauss2_draw(const void *target, gsl_rng *rng, double q[2], double grad[2])
{
    const Gauss2 *g = target;
    double z1 = gsl_ran_ugaussian(rng), z2 = gsl_ran_ugaussian(rng);
    q[0] = g->s1 * z1;
    q[1] = g->s2 * (g->r * z1 + sqrt(1.0 - g->r * g->r) * z2);
    gauss2_logp((void *)g, q, grad);
}

/* One window of n exact draws with their gradients, fed to draws (dense
** Welford) and to c; returns choice_close's answer and leaves the metric
** it chose in est (2 x 2). */
static bool choice_window(MetricChoice *c, Welford *draws, DrawFn draw, const void *target, gsl_rng *rng,
                          int n, double *est)
{
    welford_reset(draws);
    for (int k = 0; k < n; k++) {
        double q[2], grad[2];
        draw(target, rng, q, grad);
        welford_add(draws, q);
        choice_add(c, grad);
    }
    CU_ASSERT_EQUAL_FATAL(welford_estimate(draws, est), 0);
    return choice_close(c, draws, est);
}

/* METRIC_AUTO's choice: the first window keeps the diagonal (nothing held
** out to judge by); later ones keep the dense estimate of a correlated
** Gaussian N(0, S) and the diagonal of an uncorrelated one, where the two
** tie.  The scores tr(Sigma G) + tr(inv(Sigma) M), with G = inv(S) and
** M = S, are 2 + 2 for Sigma = S and 2 / (1 - r^2) + 2 for its diagonal. */
static void test_metric_choice(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 5);
    MetricChoice c;
    Welford w;
    CU_ASSERT_EQUAL_FATAL(choice_init(&c, 2), 0);
    CU_ASSERT_EQUAL_FATAL(welford_init(&w, 2, true), 0);
    double est[4];

    Gauss2 corr = { 1.0, 10.0, 0.9 };
    CU_ASSERT_FALSE(choice_window(&c, &w, gauss2_draw, &corr, rng, 100, est));
    CU_ASSERT_EQUAL(est[1], 0.0);
    CU_ASSERT_EQUAL(est[2], 0.0);
    CU_ASSERT_TRUE(choice_window(&c, &w, gauss2_draw, &corr, rng, 100, est));
    ASSERT_REL(est[1] / sqrt(est[0] * est[3]), 0.9, 0.1);
    /* the scores: about 4 and 2 / (1 - 0.81) + 2 = 12.5 */
    ASSERT_REL(c.score_dense, 4.0, 0.25);
    ASSERT_REL(c.score_diag, 12.5, 0.25);

    choice_reset(&c);
    Gauss2 indep = { 1.0, 10.0, 0.0 };
    for (int k = 0; k < 4; k++) {
        CU_ASSERT_FALSE(choice_window(&c, &w, gauss2_draw, &indep, rng, 100, est));
        CU_ASSERT_EQUAL(est[1], 0.0);
    }
    choice_free(&c);
    welford_free(&w);
    gsl_rng_free(rng);
}

/* A correlated funnel: v ~ N(0, 1.5^2), x = 3 v + exp(v / 2) z.  Its
** correlation is 0.93, so the dense estimate whitens the bulk far better
** than the diagonal, but x's spread grows twenty-fold along v, and
** tr(C G) / d is about 5.6 (1 for a Gaussian): METRIC_AUTO keeps the
** diagonal. */
static void funnel_draw(const void *target, gsl_rng *rng, double q[2], double grad[2])
{
    (void)target;
    double v = 1.5 * gsl_ran_ugaussian(rng), x = 3.0 * v + exp(v / 2.0) * gsl_ran_ugaussian(rng);
    double r = x - 3.0 * v, e = exp(v);
    q[0] = v;
    q[1] = x;
    grad[0] = -v / 2.25 - 0.5 + 3.0 * r / e + r * r / (2.0 * e);
    grad[1] = -r / e;
}

static void test_metric_choice_curvature(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 6);
    MetricChoice c;
    Welford w;
    CU_ASSERT_EQUAL_FATAL(choice_init(&c, 2), 0);
    CU_ASSERT_EQUAL_FATAL(welford_init(&w, 2, true), 0);
    double est[4];
    for (int k = 0; k < 4; k++) {
        CU_ASSERT_FALSE(choice_window(&c, &w, funnel_draw, NULL, rng, 500, est));
        CU_ASSERT_EQUAL(est[1], 0.0);
        if (k > 0) CU_ASSERT(c.score_dense < 0.5 * c.score_diag);   /* dense looks better on the bulk */
        if (k > 0) CU_ASSERT(c.curvature > 4.0);
    }
    /* a Gaussian of the same correlation keeps dense: tr(C G) / d near 1 */
    choice_reset(&c);
    Gauss2 corr = { 1.0, 10.0, 0.93 };
    choice_window(&c, &w, gauss2_draw, &corr, rng, 500, est);
    CU_ASSERT_TRUE(choice_window(&c, &w, gauss2_draw, &corr, rng, 500, est));
    ASSERT_REL(c.curvature, 1.0, 0.2);
    choice_free(&c);
    welford_free(&w);
    gsl_rng_free(rng);
}

/* Under METRIC_AUTO a correlated pair still ends with a dense metric. */
static void test_auto_keeps_dense(void)
{
    Gauss2 g = { 1.0, 10.0, 0.99 };
    Target t = { 2, gauss2_logp, &g };
    double q0[2] = { 1.0, 1.0 };
    NutsConfig cfg = nuts_default_config();
    cfg.draws = 200;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 33, q0, &r), 0);
    CU_ASSERT_TRUE(r.dense);
    CU_ASSERT(fabs(r.inv_metric[1]) > 0.5 * sqrt(r.inv_metric[0] * r.inv_metric[3]));
    run_free(&r);
}

/* ---- 4. divergences ---- */

static void test_halfspace_divergences(void)
{
    Target t = { 2, halfspace_logp, NULL };
    double q0[2] = { 1.0, 0.0 };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 500;
    cfg.draws = 4000;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 44, q0, &r), 0);
    CU_ASSERT(r.divergent > 0);
    int outside = 0, bad_lp = 0;
    for (int k = 0; k < r.n; k++) {
        if (!(coord(&r, 0)[k] > 0.0)) outside++;
        if (!isfinite(r.st[k].lp) || !isfinite(r.st[k].energy)) bad_lp++;
    }
    CU_ASSERT_EQUAL(outside, 0);
    CU_ASSERT_EQUAL(bad_lp, 0);
    /* A hard boundary rejected exactly keeps the target: q[0] is
    ** half-normal with mean sqrt(2 / pi), q[1] standard normal. */
    const double *x = coord(&r, 0), *y = coord(&r, 1);
    double mcse = batch_mcse(x, r.n);
    CU_ASSERT(fabs(gsl_stats_mean(x, 1, r.n) - sqrt(2.0 / acos(-1.0))) < 4.0 * mcse);
    CU_ASSERT(fabs(gsl_stats_mean(y, 1, r.n)) < 4.0 * batch_mcse(y, r.n));
    run_free(&r);
}

static void test_funnel_divergences(void)
{
    int dim = 10;
    Target t = { dim, funnel_logp, &dim };
    double q0[10] = { 0.5, 1, -1, 0.5, -0.5, 1, -1, 0.2, -0.2, 0.1 };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 300;
    cfg.draws = 500;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 55, q0, &r), 0);
    /* The neck needs ever smaller steps: some transitions diverge. */
    CU_ASSERT(r.warm_divergent + r.divergent > 0);
    int bad = 0;
    for (int k = 0; k < r.n; k++) {
        if (!isfinite(r.st[k].lp)) bad++;
        for (int i = 0; i < dim; i++)
            if (!isfinite(coord(&r, i)[k])) bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    run_free(&r);
}

/* ---- 5. determinism ---- */

static void test_determinism(void)
{
    Gauss2 g = { 1.0, 3.0, 0.5 };
    Target t = { 2, gauss2_logp, &g };
    double q0[2] = { 0.3, -0.7 };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 200;
    cfg.draws = 300;
    Run a, b, c;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 66, q0, &a), 0);
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 66, q0, &b), 0);
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 67, q0, &c), 0);
    size_t bytes = (size_t)a.dim * a.n * sizeof(double);
    CU_ASSERT_EQUAL(memcmp(a.x, b.x, bytes), 0);
    CU_ASSERT_EQUAL(memcmp(a.st, b.st, (size_t)a.n * sizeof *a.st), 0);
    CU_ASSERT_EQUAL(a.grad_evals, b.grad_evals);
    CU_ASSERT_NOT_EQUAL(memcmp(a.x, c.x, bytes), 0);
    run_free(&a);
    run_free(&b);
    run_free(&c);
}

/* ---- 6. initial points ---- */

static void test_init_rejects_bad_points(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    NutsConfig cfg = nuts_default_config();
    Target half = { 2, halfspace_logp, NULL };
    Nuts *s = nuts_new(&half, &cfg, rng);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    double minus_inf_at[2] = { -1.0, 1.0 }, nan_at[2] = { -1.0, -1.0 }, fine[2] = { 1.0, 0.0 };
    CU_ASSERT_EQUAL(nuts_init(s, minus_inf_at), -1);
    CU_ASSERT_EQUAL(nuts_init(s, nan_at), -1);
    CU_ASSERT_EQUAL(nuts_init(s, fine), 0);
    nuts_free(s);

    Target badgrad = { 1, bad_gradient_logp, NULL };
    s = nuts_new(&badgrad, &cfg, rng);
    double q = 0.5;
    CU_ASSERT_EQUAL(nuts_init(s, &q), -1);
    nuts_free(s);
    gsl_rng_free(rng);
}

/* ---- 7. step size adaptation ---- */

/* Dual averaging drives the mean acceptance of the iterations it sees to
** the target; here those are the terminal buffer's 50 (after the last
** restart).  The draws then use exp(x_bar), a geometric average of the
** iterates, which accepts more often (CmdStan's examples show the same,
** e.g. a mean accept_stat__ near 0.9 for adapt delta 0.8): their mean
** must lie above target - 0.05 and at most max_above over the target. */
static void check_accept(double target_accept, double max_above, unsigned long seed)
{
    enum { D = 10 };
    double sd[D], q0[D];
    for (int i = 0; i < D; i++) {
        sd[i] = 1.0 + i;
        q0[i] = 0.1 * i;
    }
    IndepGauss g = { D, sd };
    Target t = { D, indep_logp, &g };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 1000;
    cfg.draws = 1000;
    cfg.target_accept = target_accept;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    Nuts *s = nuts_new(&t, &cfg, rng);
    CU_ASSERT_EQUAL_FATAL(nuts_init(s, q0), 0);
    double q[D], warm = 0.0, draws = 0.0;
    NutsStats st;
    for (int k = 0; k < cfg.tune + cfg.draws; k++) {
        nuts_iterate(s, q, &st);
        if (k >= cfg.tune - 50 && k < cfg.tune) warm += st.accept_stat / 50;
        if (k >= cfg.tune) draws += st.accept_stat / cfg.draws;
    }
    ASSERT_CLOSE(warm, target_accept, 0.05);
    bool ok = draws > target_accept - 0.05 && draws < target_accept + max_above;
    if (!ok) fprintf(stderr, "\n  mean accept_stat %g for target %g\n", draws, target_accept);
    CU_ASSERT(ok);
    nuts_free(s);
    gsl_rng_free(rng);
}

static void test_stepsize_adaptation(void)
{
    check_accept(0.8, 0.15, 77);
    check_accept(0.95, 0.05, 78);
    check_accept(0.65, 0.25, 79);
}

/* ---- bookkeeping: gradients, depth, short warm-ups ---- */

static void test_gradient_count_and_depth(void)
{
    /* A 10-d standard normal needs depth 3 or so at the adapted step:
    ** a cap of 2 binds. */
    enum { D = 10 };
    double sd[D], q[D];
    for (int i = 0; i < D; i++) {
        sd[i] = 1.0;
        q[i] = 0.5;
    }
    IndepGauss g = { D, sd };
    Target t = { D, indep_logp, &g };
    NutsConfig cfg = nuts_default_config();
    cfg.tune = 200;
    cfg.max_treedepth = 2;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 88);
    Nuts *s = nuts_new(&t, &cfg, rng);
    CU_ASSERT_EQUAL_FATAL(nuts_init(s, q), 0);
    int hit_max = 0, too_deep = 0, uncounted = 0;
    for (int k = 0; k < cfg.tune + 300; k++) {
        long before = nuts_gradient_evals(s);
        NutsStats st;
        nuts_iterate(s, q, &st);
        too_deep += st.treedepth > 2 || st.n_leapfrog > 3;     /* 1 + 2 */
        if (k < cfg.tune) continue;
        /* Sampling evaluates the gradient once per leapfrog step. */
        uncounted += nuts_gradient_evals(s) - before != st.n_leapfrog;
        hit_max += st.treedepth == 2;
    }
    CU_ASSERT_EQUAL(too_deep, 0);
    CU_ASSERT_EQUAL(uncounted, 0);
    CU_ASSERT(hit_max > 0);
    nuts_free(s);
    gsl_rng_free(rng);
}

static void test_short_warmup(void)
{
    double sd[2] = { 0.1, 10.0 }, q0[2] = { 0.05, 1.0 };
    IndepGauss g = { 2, sd };
    Target t = { 2, indep_logp, &g };
    NutsConfig cfg = nuts_default_config();
    cfg.metric = METRIC_DIAG;
    cfg.draws = 10;
    /* 100 iterations: one window of 75 draws (15% / 75% / 10%). */
    cfg.tune = 100;
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 99, q0, &r), 0);
    for (int i = 0; i < 2; i++) {
        double ratio = r.inv_metric[i] / (sd[i] * sd[i]);
        CU_ASSERT(ratio > 0.2 && ratio < 5.0);
    }
    run_free(&r);
    /* Under 20 iterations the metric is not estimated at all. */
    cfg.tune = 15;
    CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, 99, q0, &r), 0);
    CU_ASSERT_EQUAL(r.inv_metric[0], 1.0);
    CU_ASSERT_EQUAL(r.inv_metric[1], 1.0);
    run_free(&r);
}

/* However short the warm-up, the step size it ends with must leave the
** chain able to move: a mean acceptance statistic over 20 draws well
** above 0 (a step past the leapfrog integrator's stability limit, 2 s for
** a Gaussian of sd s, rejects nearly everything).  Checked at three
** scales, from 40 seeded starting points each, for warm-ups of 0 to 50
** iterations. */
static void test_short_warmups_move(void)
{
    const double sds[] = { 1.0, 1e-3, 1e3 };
    const int tunes[] = { 0, 1, 2, 5, 10, 20, 21, 25, 50 };
    for (size_t a = 0; a < sizeof sds / sizeof sds[0]; a++) {
        IndepGauss g = { 1, &sds[a] };
        Target t = { 1, indep_logp, &g };
        for (size_t b = 0; b < sizeof tunes / sizeof tunes[0]; b++) {
            NutsConfig cfg = nuts_default_config();
            cfg.metric = METRIC_DIAG;
            cfg.tune = tunes[b];
            cfg.draws = 20;
            int stuck = 0;
            for (unsigned long seed = 1; seed <= 40; seed++) {
                double q0 = sds[a] * (4.0 * (double)(seed % 7) / 6.0 - 2.0);
                Run r;
                CU_ASSERT_EQUAL_FATAL(run_chain(&t, &cfg, seed, &q0, &r), 0);
                stuck += !(r.mean_accept > 0.3);
                run_free(&r);
            }
            if (stuck) fprintf(stderr, "\n  sd %g, --tune %d: %d of 40 chains barely moved\n", sds[a], tunes[b], stuck);
            CU_ASSERT_EQUAL(stuck, 0);
        }
    }
}

static void test_resolve_metric(void)
{
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_AUTO, 50, 150), METRIC_DENSE);
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_AUTO, 2, 1000), METRIC_DENSE);
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_AUTO, 51, 1000), METRIC_DIAG);
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_AUTO, 10, 149), METRIC_DIAG);
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_DIAG, 2, 1000), METRIC_DIAG);
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_DENSE, 500, 10), METRIC_DENSE);
    CU_ASSERT_EQUAL(nuts_resolve_metric(METRIC_DENSE, 0, 1000), METRIC_DIAG);
    NutsConfig c = nuts_default_config();
    CU_ASSERT_EQUAL(c.tune, 1000);
    CU_ASSERT_EQUAL(c.draws, 1000);
    CU_ASSERT_EQUAL(c.max_treedepth, 10);
    ASSERT_CLOSE(c.target_accept, 0.8, 0.0);
    CU_ASSERT_EQUAL(c.metric, METRIC_AUTO);
}

/* ---- adapt.h ---- */

static void test_dual_averaging(void)
{
    /* Reference: R, iterating Hoffman & Gelman's equations with delta 0.8,
    ** mu = log(10), gamma 0.05, t0 10, kappa 0.75 on accepts .6, 1, .3. */
    StepAdapt a;
    stepadapt_init(&a, 0.8, 1.0, INFINITY);
    ASSERT_CLOSE(stepadapt_learn(&a, 0.6), 6.95143928398879, 1e-12);
    ASSERT_CLOSE(stepadapt_final(&a), 6.95143928398879, 1e-12);
    ASSERT_CLOSE(stepadapt_learn(&a, 1.0), 10.0, 1e-12);
    ASSERT_CLOSE(stepadapt_final(&a), 8.62934155368118, 1e-12);
    ASSERT_CLOSE(stepadapt_learn(&a, 0.3), 2.63857320376391, 1e-12);
    ASSERT_CLOSE(stepadapt_final(&a), 5.13125222439708, 1e-12);
    /* An accept statistic above 1 counts as 1. */
    StepAdapt b;
    stepadapt_init(&b, 0.8, 1.0, INFINITY);
    stepadapt_learn(&b, 0.6);
    ASSERT_CLOSE(stepadapt_learn(&b, 1.7), 10.0, 1e-12);
    /* Accepts equal to the target keep every iterate at mu = log(10 eps):
    ** the average is 10 eps, kept only after STEPADAPT_SETTLED iterations;
    ** before, the step size known to be accepted, 2 here. */
    StepAdapt c;
    stepadapt_init(&c, 0.8, 1.0, 2.0);
    ASSERT_CLOSE(stepadapt_final(&c), 2.0, 0.0);
    for (int i = 1; i <= STEPADAPT_SETTLED; i++) {
        stepadapt_learn(&c, 0.8);
        ASSERT_CLOSE(stepadapt_final(&c), i < STEPADAPT_SETTLED ? 2.0 : 10.0, 1e-12);
    }
    /* an average below the safe step size is kept, however few iterations made it */
    stepadapt_restart(&c, 1.0, 20.0);
    stepadapt_learn(&c, 0.8);
    ASSERT_CLOSE(stepadapt_final(&c), 10.0, 1e-12);
}

static void test_windows(void)
{
    /* Stan Reference Manual: for 1000 iterations, buffer 75, windows 25,
    ** 50, 100, 200, 500, buffer 50. */
    AdaptWindows w;
    windows_init(&w, 1000);
    int ends[8], nends = 0, first = -1, last = -1;
    for (int it = 0; it < 1000; it++) {
        if (windows_collect(&w, it)) {
            if (first < 0) first = it;
            last = it;
        }
        if (windows_close(&w, it) && nends < 8) ends[nends++] = it;
    }
    CU_ASSERT_EQUAL(first, 75);
    CU_ASSERT_EQUAL(last, 949);
    CU_ASSERT_EQUAL_FATAL(nends, 5);
    int expect[5] = { 99, 149, 249, 449, 949 };
    for (int k = 0; k < 5; k++) CU_ASSERT_EQUAL(ends[k], expect[k]);

    /* 100 iterations: 15 / 75 / 10. */
    windows_init(&w, 100);
    nends = 0;
    first = last = -1;
    for (int it = 0; it < 100; it++) {
        if (windows_collect(&w, it)) {
            if (first < 0) first = it;
            last = it;
        }
        if (windows_close(&w, it) && nends < 8) ends[nends++] = it;
    }
    CU_ASSERT_EQUAL(first, 15);
    CU_ASSERT_EQUAL(last, 89);
    CU_ASSERT_EQUAL(nends, 1);
    CU_ASSERT_EQUAL(ends[0], 89);

    /* 400 iterations (slow phase 75..349): windows of 25 and 50 fit; after
    ** the next (100, to 249) one of 200 would not, so it runs to 349. */
    windows_init(&w, 400);
    nends = 0;
    for (int it = 0; it < 400; it++)
        if (windows_close(&w, it) && nends < 8) ends[nends++] = it;
    CU_ASSERT_EQUAL_FATAL(nends, 3);
    CU_ASSERT_EQUAL(ends[0], 99);
    CU_ASSERT_EQUAL(ends[1], 149);
    CU_ASSERT_EQUAL(ends[2], 349);

    windows_init(&w, 19);
    int any = 0;
    for (int it = 0; it < 19; it++) any += windows_collect(&w, it) + windows_close(&w, it);
    CU_ASSERT_EQUAL(any, 0);
}

static void test_welford(void)
{
    enum { N = 200, D = 3 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 5);
    double cols[D][N];
    Welford diag, dense;
    CU_ASSERT_EQUAL_FATAL(welford_init(&diag, D, false), 0);
    CU_ASSERT_EQUAL_FATAL(welford_init(&dense, D, true), 0);
    double out_diag[D], out_dense[D * D];
    CU_ASSERT_EQUAL(welford_estimate(&dense, out_dense), -1);   /* no draws */
    for (int k = 0; k < N; k++) {
        double z = gsl_rng_uniform(rng);
        double x[D] = { 100.0 + z, 3.0 * z + gsl_rng_uniform(rng), -gsl_rng_uniform(rng) * 1e-2 };
        for (int i = 0; i < D; i++) cols[i][k] = x[i];
        welford_add(&diag, x);
        welford_add(&dense, x);
    }
    CU_ASSERT_EQUAL(welford_estimate(&diag, out_diag), 0);
    CU_ASSERT_EQUAL(welford_estimate(&dense, out_dense), 0);
    double shrink = N / (N + 5.0), ridge = 1e-3 * 5.0 / (N + 5.0);
    for (int i = 0; i < D; i++) {
        ASSERT_REL(out_diag[i], shrink * gsl_stats_variance(cols[i], 1, N) + ridge, 1e-10);
        for (int j = 0; j < D; j++) {
            double c = shrink * gsl_stats_covariance(cols[i], 1, cols[j], 1, N) + (i == j ? ridge : 0.0);
            ASSERT_REL(out_dense[i * D + j], c, 1e-9);
        }
    }
    welford_reset(&dense);
    CU_ASSERT_EQUAL(welford_estimate(&dense, out_dense), -1);
    welford_free(&diag);
    welford_free(&dense);
    gsl_rng_free(rng);
}

/* For a Gaussian with variances v the gradient of log p at x is
** -(x - mu) / v, so sqrt(var(x) / var(g)) is v exactly, however little
** the draws spread; where the gradient does not vary, the draws'
** estimate stays. */
static void test_welford_scale(void)
{
    enum { N = 15, D = 2 };
    const double mu[D] = { 26.0, 0.6 }, v[D] = { 36.0, 0.0035 };
    Welford draws, grads;
    CU_ASSERT_EQUAL_FATAL(welford_init(&draws, D, false), 0);
    CU_ASSERT_EQUAL_FATAL(welford_init(&grads, D, false), 0);
    double out[D];
    CU_ASSERT_EQUAL(welford_scale_estimate(&draws, &grads, out), -1);   /* no draws */
    for (int k = 0; k < N; k++) {
        /* a spread of 1e-4, far below either sd */
        double x[D] = { mu[0] + 1e-4 * k, mu[1] - 1e-4 * k * k };
        double g[D] = { -(x[0] - mu[0]) / v[0], -(x[1] - mu[1]) / v[1] };
        welford_add(&draws, x);
        welford_add(&grads, g);
    }
    CU_ASSERT_EQUAL(welford_scale_estimate(&draws, &grads, out), 0);
    for (int i = 0; i < D; i++) ASSERT_REL(out[i], v[i], 1e-9);
    /* a flat direction: var(g) = 0 */
    double from_draws[D];
    welford_reset(&grads);
    for (int k = 0; k < N; k++) welford_add(&grads, (double[D]){ 0.0, 1.0 * k });
    CU_ASSERT_EQUAL(welford_estimate(&draws, from_draws), 0);
    CU_ASSERT_EQUAL(welford_scale_estimate(&draws, &grads, out), 0);
    ASSERT_REL(out[0], from_draws[0], 1e-12);
    welford_free(&draws);
    welford_free(&grads);
}

/* ---- metric.h ---- */

static void test_dense_metric(void)
{
    /* Sigma = [[4, 1.2], [1.2, 1]]: momenta must have covariance
    ** inv(Sigma) = [[1, -1.2], [-1.2, 4]] / 2.56. */
    Metric m;
    CU_ASSERT_EQUAL_FATAL(metric_init(&m, 2, true), 0);
    double sigma[4] = { 4.0, 1.2, 1.2, 1.0 };
    CU_ASSERT_EQUAL(metric_set(&m, sigma), 0);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 6);
    enum { N = 40000 };
    double *a = malloc(2 * N * sizeof *a), *b = a + N;
    for (int k = 0; k < N; k++) {
        double p[2];
        metric_sample(&m, rng, p);
        a[k] = p[0];
        b[k] = p[1];
    }
    /* Sample variances of N normal draws: relative sd sqrt(2 / N) < 1%. */
    ASSERT_REL(gsl_stats_variance(a, 1, N), 1.0 / 2.56, 0.04);
    ASSERT_REL(gsl_stats_variance(b, 1, N), 4.0 / 2.56, 0.04);
    ASSERT_REL(gsl_stats_covariance(a, 1, b, 1, N), -1.2 / 2.56, 0.05);
    double p[2] = { 1.0, -2.0 }, v[2];
    metric_velocity(&m, p, v);
    ASSERT_CLOSE(v[0], 4.0 - 2.4, 1e-14);
    ASSERT_CLOSE(v[1], 1.2 - 2.0, 1e-14);
    /* Not positive definite: refused without a GSL abort, metric kept. */
    double indefinite[4] = { 1.0, 2.0, 2.0, 1.0 };
    CU_ASSERT_EQUAL(metric_set(&m, indefinite), -1);
    CU_ASSERT_EQUAL(m.inv[1], 1.2);
    metric_velocity(&m, p, v);
    ASSERT_CLOSE(v[0], 1.6, 1e-14);
    free(a);
    gsl_rng_free(rng);
    metric_free(&m);

    Metric dg;
    CU_ASSERT_EQUAL_FATAL(metric_init(&dg, 2, false), 0);
    double bad[2] = { 1.0, -1.0 }, good[2] = { 4.0, 0.25 };
    CU_ASSERT_EQUAL(metric_set(&dg, bad), -1);
    CU_ASSERT_EQUAL(metric_set(&dg, good), 0);
    metric_velocity(&dg, p, v);
    ASSERT_CLOSE(v[0], 4.0, 1e-14);
    ASSERT_CLOSE(v[1], -0.5, 1e-14);
    metric_free(&dg);
}

int main(void)
{
    CU_TestInfo sampler[] = {
        { "1-D standard normal", test_standard_normal },
        { "skewed 1-D target", test_skewed },
        { "no parameters", test_no_parameters },
        { "100 Gaussians, scales 0.01..100", test_scaled_gaussians },
        { "correlated pair: dense vs diag", test_dense_correlated },
        { "correlated pair: auto keeps dense", test_auto_keeps_dense },
        { "divergences at a hard boundary", test_halfspace_divergences },
        { "divergences in a funnel", test_funnel_divergences },
        { "determinism", test_determinism },
        { "init rejects non-finite points", test_init_rejects_bad_points },
        { "step size adaptation", test_stepsize_adaptation },
        { "gradient count and max depth", test_gradient_count_and_depth },
        { "short warm-ups", test_short_warmup },
        { "short warm-ups end with a step size that moves", test_short_warmups_move },
        { "metric resolution and defaults", test_resolve_metric },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo adaptation[] = {
        { "dual averaging", test_dual_averaging },
        { "warm-up windows", test_windows },
        { "Welford estimates", test_welford },
        { "a diagonal from the gradients' variance", test_welford_scale },
        { "auto's choice of metric", test_metric_choice },
        { "auto keeps the diagonal where curvature varies", test_metric_choice_curvature },
        { "metrics", test_dense_metric },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "nuts", NULL, NULL, NULL, NULL, sampler },
        { "adapt", NULL, NULL, NULL, NULL, adaptation },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
