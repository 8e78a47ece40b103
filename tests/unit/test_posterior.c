/*
** test_posterior.c -- sampling compiled models whose posteriors are known
** in closed form, through run_chains as `bmc run` does: 4 chains, fixed
** seeds.
**
** Reference values (exact, not from bmc):
** - conjugate posteriors worked out by hand: Beta(a, b) prior with y of n
**   Binomial successes -> Beta(a + y, b + n - y); Gamma(a, rate b) prior
**   with Poisson counts -> Gamma(a + sum y, b + n) (Exponential(lam) is
**   Gamma(1, lam)); Normal(m0, s0) prior for the mean of Normal data with
**   known sigma -> Normal with precision 1/s0^2 + n/sigma^2 and mean
**   (m0/s0^2 + sum y/sigma^2) / precision; a prior alone -> the prior;
** - their means, standard deviations and quantiles from those formulas and
**   GSL's inverse distribution functions (gsl_cdf_*_Pinv);
** - P(p_B > p_A) for independent Betas by GSL's adaptive quadrature of
**   f_A(x) P(p_B > x) over (0, 1), cross-checked against the closed-form
**   sum for integer parameters (E. Miller, "Formulas for Bayesian A/B
**   testing", 2015).
**
** Tolerances: a posterior mean within 4 Monte Carlo standard errors
** (diag_mcse_mean, posterior's mcse_mean); a quantile through the mean of
** the indicator draws <= q, which is exactly P, within 4 of its MCSE; a
** standard deviation within 4 of its MCSE (diag_mcse_sd) and within 5%:
** with the ESS of at least 1000 that is also required, the relative
** standard error of an sd is about 1 / sqrt(2 ESS) <= 2.2%, and these runs
** reach 2500-4000, so 5% is more than 3 standard errors.  At 4 standard
** errors a single check fails by chance with probability 6e-5; the seeds
** are fixed, so a failure means the sampler's distribution changed.
*/
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>

#include "compile.h"
#include "diagnostics.h"
#include "run.h"
#include "testutil.h"

#define CHAINS 4
#define MAX_RHAT 1.01

/* ------------------------------------------------------------ helpers */

static Model *check_compiled(Model *m)
{
    if (m && model_ok(m) && m->ir) return m;
    if (m) diags_print(&m->diags, stderr, NULL);
    model_free(m);
    return NULL;
}

/* NUTS samples every continuous '~', a prior alone too (as --sampler nuts):
** these are tests of the sampler, not of drawing exactly (test_predictive.c). */
static const CompileOptions *nuts_everywhere(void)
{
    static const CompileOptions opt = { .passes = IR_PASS_ALL, .keep_leaves = true };
    return &opt;
}

/* Run from the repository root: the models are opened by relative path. */
static Model *compile_file(const char *path)
{
    char err[512];
    Source *src = source_read_file(path, err, sizeof err);
    if (!src) { fprintf(stderr, "\n  %s: %s\n", path, err); return NULL; }
    return check_compiled(model_compile(src, NULL, nuts_everywhere()));
}

static Model *compile_text(const char *text, const DataSet *data)
{
    return check_compiled(model_compile(source_from_text("test.bm", text, strlen(text)), data, nuts_everywhere()));
}

static RunConfig config(unsigned long seed, int draws, int tune, int cores)
{
    RunConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.nuts = nuts_default_config();
    cfg.nuts.draws = draws;
    cfg.nuts.tune = tune;
    cfg.chains = CHAINS;
    cfg.cores = cores;
    cfg.seed = seed;
    return cfg;
}

/* The draws of name, chain after chain (caller frees), or NULL. */
static double *draws_of(const RunResult *res, const char *name)
{
    int v = draws_find(res->draws, name);
    if (v < 0) { fprintf(stderr, "\n  no draws of %s\n", name); return NULL; }
    double *x = malloc((size_t)res->draws->nchains * res->draws->ndraws * sizeof *x);
    if (x) draws_gather(res->draws, v, x);
    return x;
}

static int divergences(const RunResult *res, const RunConfig *cfg)
{
    int n = 0;
    for (int c = 0; c < cfg->chains; c++)
        for (int i = 0; i < res->draws->ndraws; i++) n += draws_stat_const(res->draws, DRAW_DIVERGENT, c)[i] != 0;
    return n;
}

/* The draws of name have mean `mean` and standard deviation `sd`, within
** the tolerances of the header; R-hat and ESS are healthy. */
static void check_moments(const RunResult *res, const char *name, double mean, double sd)
{
    double *x = draws_of(res, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    int m = res->draws->nchains, n = res->draws->ndraws;
    size_t len = (size_t)m * n;
    double xm = gsl_stats_mean(x, 1, len), xs = gsl_stats_sd_m(x, 1, len, xm);
    double se = diag_mcse_mean(x, m, n), se_sd = diag_mcse_sd(x, m, n);
    double rhat = diag_rhat(x, m, n), ess = diag_ess_bulk(x, m, n);
    bool ok = fabs(xm - mean) <= 4 * se && fabs(xs - sd) <= 4 * se_sd && fabs(xs / sd - 1) <= 0.05 &&
              rhat <= MAX_RHAT && ess >= 1000;
    if (!ok)
        fprintf(stderr, "\n  %s: mean %.6g (exact %.6g, mcse %.3g), sd %.6g (exact %.6g, mcse %.3g), "
                "r_hat %.4f, ess_bulk %.0f\n", name, xm, mean, se, xs, sd, se_sd, rhat, ess);
    CU_ASSERT(fabs(xm - mean) <= 4 * se);
    CU_ASSERT(fabs(xs - sd) <= 4 * se_sd);
    CU_ASSERT(fabs(xs / sd - 1) <= 0.05);
    CU_ASSERT(rhat <= MAX_RHAT);
    CU_ASSERT(ess >= 1000);
    free(x);
}

/* The share of draws of name at or below q[k] is prob[k] within 4 MCSE:
** the indicator's mean estimates the exact CDF value prob[k]. */
static void check_quantiles(const RunResult *res, const char *name, const double *prob, const double *q, int nq)
{
    double *x = draws_of(res, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    int m = res->draws->nchains, n = res->draws->ndraws;
    size_t len = (size_t)m * n;
    double *ind = malloc(len * sizeof *ind);
    for (int k = 0; k < nq; k++) {
        for (size_t i = 0; i < len; i++) ind[i] = x[i] <= q[k];
        double share = gsl_stats_mean(ind, 1, len), se = diag_mcse_mean(ind, m, n);
        if (!(fabs(share - prob[k]) <= 4 * se))
            fprintf(stderr, "\n  %s: %.5f of the draws <= %.6g, exact %.3f (mcse %.3g)\n", name, share, q[k],
                    prob[k], se);
        CU_ASSERT(fabs(share - prob[k]) <= 4 * se);
    }
    free(ind);
    free(x);
}

/* The posterior mean of an indicator (b_wins) is exactly p, within 4 MCSE. */
static void check_probability(const RunResult *res, const char *name, double p)
{
    double *x = draws_of(res, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    int m = res->draws->nchains, n = res->draws->ndraws;
    double share = gsl_stats_mean(x, 1, (size_t)m * n), se = diag_mcse_mean(x, m, n);
    if (!(fabs(share - p) <= 4 * se))
        fprintf(stderr, "\n  %s: mean %.5f, exact %.5f (mcse %.3g)\n", name, share, p, se);
    CU_ASSERT(fabs(share - p) <= 4 * se);
    free(x);
}

/* ------------------------------------------------- exact A/B posteriors */

typedef struct BetaPair { double a1, b1, a2, b2; } BetaPair;

static double integrand(double x, void *params)
{
    const BetaPair *bp = params;
    return gsl_ran_beta_pdf(x, bp->a1, bp->b1) * gsl_cdf_beta_Q(x, bp->a2, bp->b2);
}

/* P(X2 > X1), X1 ~ Beta(a1, b1), X2 ~ Beta(a2, b2) independent:
** the integral over (0, 1) of f1(x) P(X2 > x). */
static double prob_greater(BetaPair bp)
{
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    gsl_function f = { integrand, &bp };
    double result = NAN, abserr;
    int rc = gsl_integration_qags(&f, 0, 1, 1e-13, 1e-11, 1000, ws, &result, &abserr);
    CU_ASSERT_EQUAL(rc, GSL_SUCCESS);
    gsl_integration_workspace_free(ws);
    return result;
}

/* The same in closed form for integer a2 (Miller 2015):
** sum_{i=0}^{a2-1} B(a1+i, b1+b2) / ((b2+i) B(1+i, b2) B(a1, b1)). */
static double prob_greater_sum(BetaPair bp)
{
    double s = 0;
    for (int i = 0; i < (int)bp.a2; i++)
        s += exp(gsl_sf_lnbeta(bp.a1 + i, bp.b1 + bp.b2) - log(bp.b2 + i) - gsl_sf_lnbeta(1 + i, bp.b2) -
                 gsl_sf_lnbeta(bp.a1, bp.b1));
    return s;
}

static double beta_mean(double a, double b) { return a / (a + b); }
static double beta_var(double a, double b) { return a * b / ((a + b) * (a + b) * (a + b + 1)); }

/* An A/B model file: p_A ~ Beta(a1, b1), p_B ~ Beta(a2, b2) a posteriori. */
static void check_ab_model(const char *path, BetaPair bp, unsigned long seed)
{
    Model *m = compile_file(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig cfg = config(seed, 1000, 1000, 2);
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    CU_ASSERT_EQUAL(res.draws->ndraws, 1000);
    CU_ASSERT_EQUAL(divergences(&res, &cfg), 0);

    const double prob[3] = {0.05, 0.5, 0.95};
    double qa[3], qb[3];
    for (int k = 0; k < 3; k++) {
        qa[k] = gsl_cdf_beta_Pinv(prob[k], bp.a1, bp.b1);
        qb[k] = gsl_cdf_beta_Pinv(prob[k], bp.a2, bp.b2);
    }
    check_moments(&res, "p_A", beta_mean(bp.a1, bp.b1), sqrt(beta_var(bp.a1, bp.b1)));
    check_moments(&res, "p_B", beta_mean(bp.a2, bp.b2), sqrt(beta_var(bp.a2, bp.b2)));
    check_quantiles(&res, "p_A", prob, qa, 3);
    check_quantiles(&res, "p_B", prob, qb, 3);
    /* independent a posteriori: the variances of the difference add */
    check_moments(&res, "diff", beta_mean(bp.a2, bp.b2) - beta_mean(bp.a1, bp.b1),
                  sqrt(beta_var(bp.a1, bp.b1) + beta_var(bp.a2, bp.b2)));
    double p = prob_greater(bp);
    ASSERT_CLOSE(p, prob_greater_sum(bp), 1e-9);
    check_probability(&res, "b_wins", p);
    run_result_free(&res);
    model_free(m);
}

/* 120 of 1000 and 150 of 1000 under Beta(1, 1) priors. */
static void test_ab(void)
{
    check_ab_model("models/ab.bm", (BetaPair){121, 881, 151, 851}, 1);
}

/* the same data under Beta(10, 90) priors */
static void test_ab_informative(void)
{
    check_ab_model("models/ab_informative.bm", (BetaPair){130, 970, 160, 940}, 2);
}

/* 1 of 10 and 2 of 10 under Beta(1, 1) */
static void test_ab_small(void)
{
    check_ab_model("models/ab_small.bm", (BetaPair){2, 10, 3, 9}, 3);
}

/* 1 of 10 and 2 of 10 under Beta(10, 90) */
static void test_ab_small_informative(void)
{
    check_ab_model("models/ab_small_informative.bm", (BetaPair){11, 99, 12, 98}, 4);
}

/* The exact P(B beats A) for ab.bm, two ways, is about 0.98 (the README's
** table shows 0.98). */
static void test_exact_reference(void)
{
    BetaPair bp = {121, 881, 151, 851};
    double p = prob_greater(bp);
    ASSERT_CLOSE(p, prob_greater_sum(bp), 1e-9);
    CU_ASSERT(p > 0.97 && p < 0.99);
    /* symmetry: P(X2 > X1) + P(X1 > X2) = 1 */
    ASSERT_CLOSE(p + prob_greater((BetaPair){151, 851, 121, 881}), 1, 1e-9);
}

/* ------------------------------------------------ other conjugate pairs */

static void gamma_quantiles(double a, double rate, double *q)
{
    q[0] = gsl_cdf_gamma_Pinv(0.05, a, 1 / rate);
    q[1] = gsl_cdf_gamma_Pinv(0.5, a, 1 / rate);
    q[2] = gsl_cdf_gamma_Pinv(0.95, a, 1 / rate);
}

/* Gamma(2, 0.5) prior, 8 Poisson counts summing to 31 -> Gamma(33, 8.5). */
static void test_gamma_poisson(void)
{
    Model *m = compile_text("lambda ~ Gamma(alpha = 2, beta = 0.5);\n"
                            "y ~ Poisson(lambda) observed [3, 1, 4, 1, 5, 9, 2, 6];\n", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig cfg = config(5, 1000, 1000, 2);
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    CU_ASSERT_EQUAL(divergences(&res, &cfg), 0);
    const double prob[3] = {0.05, 0.5, 0.95};
    double q[3];
    gamma_quantiles(33, 8.5, q);
    check_moments(&res, "lambda", 33 / 8.5, sqrt(33) / 8.5);
    check_quantiles(&res, "lambda", prob, q, 3);
    run_result_free(&res);
    model_free(m);
}

/* models/click_count.bm: Exponential(0.5) = Gamma(1, 0.5) priors; 40 visits
** each with 76 clicks on A and 89 on B (the sums of its data vectors) ->
** Gamma(77, 40.5) and Gamma(90, 40.5). */
static void test_click_count(void)
{
    Model *m = compile_file("models/click_count.bm");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig cfg = config(6, 1000, 1000, 2);
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    CU_ASSERT_EQUAL(divergences(&res, &cfg), 0);
    const double prob[3] = {0.05, 0.5, 0.95};
    double qa[3], qb[3];
    gamma_quantiles(77, 40.5, qa);
    gamma_quantiles(90, 40.5, qb);
    check_moments(&res, "lambda_A", 77 / 40.5, sqrt(77) / 40.5);
    check_moments(&res, "lambda_B", 90 / 40.5, sqrt(90) / 40.5);
    check_quantiles(&res, "lambda_A", prob, qa, 3);
    check_quantiles(&res, "lambda_B", prob, qb, 3);
    check_moments(&res, "diff_rate", (90 - 77) / 40.5, sqrt(77 + 90) / 40.5);
    run_result_free(&res);
    model_free(m);
}

/* Normal(1, 2) prior on mu; 6 observations with sigma 1.5 known:
** precision 1/4 + 6/2.25, mean (1/4 + sum y / 2.25) / precision. */
static void test_normal_known_sigma(void)
{
    const double y[6] = {2.1, 3.4, 1.7, 2.9, 4.2, 2.5};
    Model *m = compile_text("mu ~ Normal(1, 2);\n"
                            "y ~ Normal(mu, 1.5) observed [2.1, 3.4, 1.7, 2.9, 4.2, 2.5];\n", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig cfg = config(7, 1000, 1000, 2);
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    CU_ASSERT_EQUAL(divergences(&res, &cfg), 0);
    double sum = 0;
    for (int i = 0; i < 6; i++) sum += y[i];
    double prec = 1 / 4.0 + 6 / 2.25, mean = (1 / 4.0 + sum / 2.25) / prec, sd = 1 / sqrt(prec);
    const double prob[3] = {0.05, 0.5, 0.95};
    double q[3];
    for (int k = 0; k < 3; k++) q[k] = mean + gsl_cdf_gaussian_Pinv(prob[k], sd);
    check_moments(&res, "mu", mean, sd);
    check_quantiles(&res, "mu", prob, q, 3);
    run_result_free(&res);
    model_free(m);
}

/* theta[i] ~ Normal(0, s[i]) with s log-spaced from 0.01 to 100: the
** posterior is the prior, and the metric must adapt to scales 1e4 apart.
** 100 means and sds are checked, so each within 5 MCSE (a chance failure
** somewhere has probability about 1e-4), and the sds' mean relative error
** within 1%: about 1.1% each at ESS 4000, averaged over 100 nearly
** independent coordinates -> 0.11%.  Warm-up (500 iterations) costs most
** of the time, so 1000 draws cost little more than 500; with 500 the
** largest of 100 R-hats is about 1.01 by chance alone (tail ESS ~1300),
** with 1000 about 1.005 (R's posterior gives the same for iid draws). */
static void test_gaussian_100(void)
{
    enum { D = 100 };
    double s[D];
    char assign[D * 32 + 8];
    size_t n = (size_t)snprintf(assign, sizeof assign, "s=[");
    for (int i = 0; i < D; i++) {
        s[i] = pow(10, -2 + 4.0 * i / (D - 1));
        n += (size_t)snprintf(assign + n, sizeof assign - n, "%s%.17g", i ? ", " : "", s[i]);
    }
    snprintf(assign + n, sizeof assign - n, "]");
    DataSet *ds = dataset_new();
    char err[256];
    CU_ASSERT_EQUAL_FATAL(test_parse_assign(ds, assign, err, sizeof err), 0);
    Model *m = compile_text("data s[100];\ntheta[100] ~ Normal(0, s);\n", ds);
    dataset_free(ds);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig cfg = config(8, 1000, 500, 2);
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    CU_ASSERT_EQUAL(divergences(&res, &cfg), 0);
    int nc = res.draws->nchains, nd = res.draws->ndraws;
    size_t len = (size_t)nc * nd;
    double *x = malloc(len * sizeof *x), rel_sum = 0;
    for (int i = 0; i < D; i++) {
        char name[32];
        snprintf(name, sizeof name, "theta[%d]", i + 1);
        int v = draws_find(res.draws, name);
        CU_ASSERT_FATAL(v >= 0);
        draws_gather(res.draws, v, x);
        double xm = gsl_stats_mean(x, 1, len), xs = gsl_stats_sd_m(x, 1, len, xm);
        double se = diag_mcse_mean(x, nc, nd), se_sd = diag_mcse_sd(x, nc, nd), rhat = diag_rhat(x, nc, nd);
        bool ok = fabs(xm) <= 5 * se && fabs(xs - s[i]) <= 5 * se_sd && rhat <= MAX_RHAT;
        if (!ok)
            fprintf(stderr, "\n  %s: mean %.4g (mcse %.3g), sd %.4g (exact %.4g, mcse %.3g), r_hat %.4f\n", name,
                    xm, se, xs, s[i], se_sd, rhat);
        CU_ASSERT(fabs(xm) <= 5 * se);
        CU_ASSERT(fabs(xs - s[i]) <= 5 * se_sd);
        CU_ASSERT(rhat <= MAX_RHAT);
        rel_sum += xs / s[i] - 1;
    }
    if (!(fabs(rel_sum / D) <= 0.01)) fprintf(stderr, "\n  mean relative sd error %.4f\n", rel_sum / D);
    CU_ASSERT(fabs(rel_sum / D) <= 0.01);
    free(x);
    run_result_free(&res);
    model_free(m);
}

/* ------------------------------------------------- the run itself */

static bool same_results(const RunResult *a, const RunResult *b, const RunConfig *cfg)
{
    const Draws *da = a->draws, *db = b->draws;
    if (da->nvars != db->nvars || da->ndraws != db->ndraws) return false;
    for (int v = 0; v < da->nvars; v++)
        for (int c = 0; c < da->nchains; c++)
            if (memcmp(draws_at_const(da, v, c), draws_at_const(db, v, c), (size_t)da->ndraws * sizeof(double)))
                return false;
    for (int k = 0; k < DRAW_NSTATS; k++)
        for (int c = 0; c < cfg->chains; c++)
            if (memcmp(draws_stat_const(da, (DrawStat)k, c), draws_stat_const(db, (DrawStat)k, c),
                       (size_t)da->ndraws * sizeof(double)))
                return false;
    return memcmp(a->stepsize, b->stepsize, (size_t)cfg->chains * sizeof(double)) == 0;
}

/* The same seed gives the same draws bit for bit on 1 thread or 2;
** another seed gives other draws. */
static void test_reproducible(void)
{
    Model *m = compile_file("models/ab.bm");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig c1 = config(42, 300, 300, 1), c2 = config(42, 300, 300, 2), c3 = config(43, 300, 300, 2);
    RunResult r1, r2, r3;
    CU_ASSERT_EQUAL(run_chains(m->ir, &c1, &r1), RUN_OK);
    CU_ASSERT_EQUAL(run_chains(m->ir, &c2, &r2), RUN_OK);
    CU_ASSERT_EQUAL(run_chains(m->ir, &c3, &r3), RUN_OK);
    CU_ASSERT(same_results(&r1, &r2, &c1));
    CU_ASSERT(!same_results(&r1, &r3, &c1));
    /* and the chains of one run differ from each other */
    CU_ASSERT(memcmp(draws_at_const(r1.draws, 0, 0), draws_at_const(r1.draws, 0, 1), 300 * sizeof(double)) != 0);
    run_result_free(&r1);
    run_result_free(&r2);
    run_result_free(&r3);
    model_free(m);
}

/* Where the draws were made: on the calling thread, or on others (the
** chains' threads count at once). */
typedef struct DrawThreads {
    pthread_t caller;
    atomic_int on_caller, elsewhere;
} DrawThreads;

static int note_thread(void *user, int chain, const double *stats, const double *values)
{
    (void)chain;
    (void)stats;
    (void)values;
    DrawThreads *t = user;
    atomic_fetch_add(pthread_equal(pthread_self(), t->caller) ? &t->on_caller : &t->elsewhere, 1);
    return 0;
}

/* One worker with nothing to report while it runs (one core, or one
** chain) runs on the calling thread: a thread made for it would only be
** waited for.  Two cores and two chains take two threads. */
static void test_one_worker_no_thread(void)
{
    Model *m = compile_file("models/ab.bm");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const struct { int chains, cores; bool caller; } cases[] = { { 1, 4, true }, { 2, 1, true }, { 2, 2, false } };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        DrawThreads t = { .caller = pthread_self() };
        atomic_init(&t.on_caller, 0);
        atomic_init(&t.elsewhere, 0);
        DrawSink sink = { .user = &t, .draw = note_thread };
        RunConfig cfg = config(3, 20, 20, cases[k].cores);
        cfg.chains = cases[k].chains;
        cfg.sink = &sink;
        RunResult res;
        CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
        int on_caller = atomic_load(&t.on_caller), elsewhere = atomic_load(&t.elsewhere);
        CU_ASSERT_EQUAL(on_caller + elsewhere, 20 * cases[k].chains);
        CU_ASSERT_EQUAL(on_caller, cases[k].caller ? 20 * cases[k].chains : 0);
        run_result_free(&res);
    }
    model_free(m);
}

static void count_call(void *user, const ChainProgress *chains, int n, double seconds)
{
    (void)chains;
    (void)n;
    (void)seconds;
    ++*(int *)user;
}

/* Progress every 30 seconds of a run of milliseconds: reported at the
** start and at the end, which comes when the chains end, not when the
** next report would be due. */
static void test_progress_ends_with_chains(void)
{
    Model *m = compile_file("models/ab.bm");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    int calls = 0;
    RunConfig cfg = config(4, 50, 50, 2);
    cfg.progress = count_call;
    cfg.progress_every = 30;
    cfg.user = &calls;
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    CU_ASSERT(res.seconds < 30);
    CU_ASSERT_EQUAL(calls, 2);
    run_result_free(&res);
    model_free(m);
}

/* A stop flag already set: interrupted, no draws kept. */
static void test_interrupted_before_start(void)
{
    Model *m = compile_file("models/ab.bm");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    atomic_int stop = 1;
    RunConfig cfg = config(1, 1000, 1000, 2);
    cfg.stop = &stop;
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_INTERRUPTED);
    CU_ASSERT_EQUAL(res.status, RUN_INTERRUPTED);
    CU_ASSERT_EQUAL(res.draws->ndraws, 0);
    run_result_free(&res);
    model_free(m);
}

/* Set from the progress callback a quarter second in, as a signal handler
** would: the run stops long before its 200000 draws, keeping what it has. */
typedef struct StopAfter {
    atomic_int flag;
    int calls;
} StopAfter;

static void stop_soon(void *user, const ChainProgress *chains, int n, double seconds)
{
    (void)chains;
    (void)n;
    StopAfter *s = user;
    s->calls++;
    if (seconds > 0.25) atomic_store(&s->flag, 1);
}

static void test_interrupted_while_running(void)
{
    Model *m = compile_file("models/ab.bm");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    StopAfter st = {0, 0};
    RunConfig cfg = config(1, 200000, 100, 2);
    cfg.stop = &st.flag;
    cfg.progress = stop_soon;
    cfg.user = &st;
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_INTERRUPTED);
    CU_ASSERT(st.calls >= 2);
    CU_ASSERT(res.draws->ndraws < 200000);
    CU_ASSERT(res.seconds < 10);
    /* every kept draw is a real value */
    for (int c = 0; c < CHAINS; c++)
        for (int i = 0; i < res.draws->ndraws; i++) {
            double p = draws_at_const(res.draws, 0, c)[i];
            if (!(p > 0 && p < 1)) { CU_FAIL("a kept draw of p_A outside (0, 1)"); c = CHAINS; break; }
        }
    run_result_free(&res);
    model_free(m);
}

/* y = 0 lies in (x + 10, x + 11) only for x in (-11, -10), and initial
** points are uniform in (-2, 2): no chain can start. */
static void test_no_initial_point(void)
{
    Model *m = compile_text("x ~ Normal(0, 1);\ny ~ Uniform(x + 10, x + 11) observed 0;\n", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunConfig cfg = config(1, 100, 100, 2);
    RunResult res;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_NO_INIT);
    CU_ASSERT(strlen(res.message) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.message, "initial"));
    run_result_free(&res);
    /* given a valid start the same model samples: x = -10.5 */
    double init = -10.5;
    cfg.init = &init;
    CU_ASSERT_EQUAL(run_chains(m->ir, &cfg, &res), RUN_OK);
    for (int c = 0; c < CHAINS; c++)
        for (int i = 0; i < res.draws->ndraws; i++) {
            double x = draws_at_const(res.draws, 0, c)[i];
            if (!(x > -11 && x < -10)) { CU_FAIL("a draw of x outside (-11, -10)"); c = CHAINS; break; }
        }
    run_result_free(&res);
    model_free(m);
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo exact[] = {
        {"the exact P(B beats A)", test_exact_reference},
        {"ab.bm: Beta-Binomial", test_ab},
        {"ab_informative.bm", test_ab_informative},
        {"ab_small.bm", test_ab_small},
        {"ab_small_informative.bm", test_ab_small_informative},
        {"Gamma-Poisson", test_gamma_poisson},
        {"click_count.bm: Exponential-Poisson", test_click_count},
        {"Normal mean, known sigma", test_normal_known_sigma},
        {"100-d Gaussian, scales 0.01 to 100", test_gaussian_100},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo runs[] = {
        {"bit for bit whatever the threads", test_reproducible},
        {"one worker: no thread", test_one_worker_no_thread},
        {"progress ends with the chains", test_progress_ends_with_chains},
        {"interrupted before the start", test_interrupted_before_start},
        {"interrupted while running", test_interrupted_while_running},
        {"no valid initial point", test_no_initial_point},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"posteriors in closed form", NULL, NULL, NULL, NULL, exact},
        {"runs", NULL, NULL, NULL, NULL, runs},
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
