/*
** test_predictive.c -- generated quantities and predictive runs, through
** model_compile and run_chains as `bmc run` (--prior, --predict) runs them.
**
** Reference distributions (exact, not from bmc):
** - Binomial(n, p) with p ~ Beta(a, b) is Beta-Binomial(n, a, b): pmf
**   C(n, k) B(k + a, n - k + b) / B(a, b), from log-gamma functions; mean
**   n a / (a + b), variance n a b (a + b + n) / ((a + b)^2 (a + b + 1));
** - Normal(mu, s) with mu ~ Normal(m, t) is Normal(m, sqrt(s^2 + t^2));
** - the A/B posterior of 120 of 1000 under Beta(1, 1) is Beta(121, 881),
**   so a replicate of y_A is Beta-Binomial(1000, 121, 881);
** - GSL's pmfs of Binomial, Poisson, Bernoulli and negative binomial (PyMC's
**   NegativeBinomial(mu, alpha) is GSL's with p = alpha / (mu + alpha),
**   n = alpha).
**
** Counts are checked by a chi-square test of their frequencies against the
** pmf, values grouped so that each group expects at least 5; a check
** fails when p < 1e-3 (seeds are fixed: a failure means the distribution
** drawn changed).  Means within 4 standard errors; variances within 5%,
** more than 4 standard errors at these sizes.
*/
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>

#include "compile.h"
#include "diagnostics.h"
#include "run.h"
#include "testutil.h"

#define CHAINS 4
#define MIN_P 1e-3

/* ------------------------------------------------------------ helpers */

static Model *compile(const char *text, Predictive predictive)
{
    CompileOptions opt = COMPILE_FULL;
    opt.predictive = predictive;
    Model *m = model_compile(source_from_text("test.bm", text, strlen(text)), NULL, &opt);
    if (m && model_ok(m) && m->ir) return m;
    if (m) diags_print(&m->diags, stderr, NULL);
    model_free(m);
    return NULL;
}

static RunStatus run(const Model *m, unsigned long seed, int draws, int cores, RunResult *res)
{
    RunConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.nuts = nuts_default_config();
    cfg.nuts.draws = draws;
    cfg.nuts.tune = 500;
    cfg.chains = CHAINS;
    cfg.cores = cores;
    cfg.seed = seed;
    return run_chains(m->ir, &cfg, res);
}

/* Every kept draw of the quantity called name, chain after chain (malloc'ed). */
static double *gather(const RunResult *res, const char *name, size_t *n)
{
    int v = draws_find(res->draws, name);
    CU_ASSERT_FATAL(v >= 0);
    *n = (size_t)res->draws->nchains * (size_t)res->draws->ndraws;
    double *x = malloc(*n * sizeof *x);
    CU_ASSERT_FATAL(x != NULL);
    draws_gather(res->draws, v, x);
    return x;
}

typedef double (*Pmf)(long k, const double *a);

/* The chi-square p-value of the counts x[0 .. n) against pmf on 0 .. hi,
** hi holding everything above it too; values grouped from 0 up so that
** each group expects at least 5, a short last group joining the one
** before. */
static double chisq_p(const double *x, size_t n, Pmf pmf, const double *a, long hi, const char *what)
{
    double *seen = calloc((size_t)hi + 1, sizeof *seen), *prob = calloc((size_t)hi + 1, sizeof *prob);
    CU_ASSERT_FATAL(seen && prob);
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] >= 0 && x[i] == floor(x[i]))) { CU_FAIL("a count that is not a whole number"); break; }
        seen[x[i] > hi ? hi : (long)x[i]]++;
    }
    double below = 0;
    for (long k = 0; k < hi; k++) below += prob[k] = pmf(k, a);
    prob[hi] = 1 - below;
    double chi2 = 0, o = 0, e = 0, last_o = 0, last_e = 0;
    int groups = 0;
    for (long k = 0; k <= hi; k++) {
        o += seen[k];
        e += prob[k] * (double)n;
        if (e >= 5 || k == hi) {
            if (e < 5 && groups > 0) {   /* too small alone: with the group before */
                chi2 -= (last_o - last_e) * (last_o - last_e) / last_e;
                o += last_o;
                e += last_e;
                groups--;
            }
            if (e > 0) chi2 += (o - e) * (o - e) / e;
            groups++;
            last_o = o;
            last_e = e;
            o = e = 0;
        }
    }
    free(seen);
    free(prob);
    double p = groups > 1 ? gsl_cdf_chisq_Q(chi2, groups - 1) : 0;
    if (!(p >= MIN_P)) fprintf(stderr, "\n  %s: chi-square %.1f on %d groups, p = %.2g\n", what, chi2, groups, p);
    return p;
}

static double beta_binomial_pmf(long k, const double *a)
{
    double n = a[0], al = a[1], be = a[2];
    if (k < 0 || k > n) return 0;
    return exp(gsl_sf_lnchoose((unsigned)n, (unsigned)k) + gsl_sf_lnbeta(k + al, n - k + be) - gsl_sf_lnbeta(al, be));
}

static double binomial_pmf(long k, const double *a) { return k < 0 ? 0 : gsl_ran_binomial_pdf((unsigned)k, a[1], (unsigned)a[0]); }
static double poisson_pmf(long k, const double *a) { return k < 0 ? 0 : gsl_ran_poisson_pdf((unsigned)k, a[0]); }
static double bernoulli_pmf(long k, const double *a) { return k < 0 || k > 1 ? 0 : gsl_ran_bernoulli_pdf((unsigned)k, a[0]); }

/* PyMC's NegativeBinomial(mu, alpha). */
static double negbin_pmf(long k, const double *a)
{
    return k < 0 ? 0 : gsl_ran_negative_binomial_pdf((unsigned)k, a[1] / (a[0] + a[1]), a[1]);
}

/* mean within 4 standard errors of want_mean, variance within 5% of want_var */
static void check_moments(const double *x, size_t n, double want_mean, double want_var, const char *what)
{
    double m = gsl_stats_mean(x, 1, n), v = gsl_stats_variance_m(x, 1, n, m);
    bool ok = fabs(m - want_mean) <= 4 * sqrt(want_var / (double)n) && fabs(v / want_var - 1) <= 0.05;
    if (!ok) fprintf(stderr, "\n  %s: mean %.5g (exact %.5g), variance %.5g (exact %.5g)\n", what, m, want_mean, v, want_var);
    CU_ASSERT(ok);
}

/* ------------------------------------------------------------ prior predictive */

/* Before any data, Beta(10, 90) and 1000 visitors predict
** Beta-Binomial(1000, 10, 90) buyers: exact independent draws. */
static void test_prior_beta_binomial(void)
{
    Model *m = compile("p ~ Beta(10, 90);\ny ~ Binomial(1000, p) observed 120;\n", PREDICT_PRIOR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(m->ir->dim, 0);   /* nothing for NUTS */
    RunResult res;
    CU_ASSERT_EQUAL_FATAL(run(m, 11, 5000, 2, &res), RUN_OK);
    CU_ASSERT(res.exact);
    size_t n;
    double *y = gather(&res, "y", &n), *p = gather(&res, "p", &n);
    const double a[3] = {1000, 10, 90};
    check_moments(y, n, 100, 1000 * 10 * 90 * 1100.0 / (100.0 * 100 * 101), "prior predictive of y");
    CU_ASSERT(chisq_p(y, n, beta_binomial_pmf, a, 1000, "prior predictive of y") >= MIN_P);
    check_moments(p, n, 0.1, 10 * 90 / (100.0 * 100 * 101), "prior of p");
    /* the draws are independent: the lag-1 autocorrelation is noise */
    double r = gsl_stats_lag1_autocorrelation(y, 1, n);
    CU_ASSERT(fabs(r) < 4 / sqrt((double)n));
    free(y);
    free(p);
    run_result_free(&res);
    model_free(m);
}

/* A chain of Normals: mu ~ Normal(1, 2), y ~ Normal(mu, 1) predicts
** y ~ Normal(1, sqrt(5)); checked at its mean, variance and deciles. */
static void test_prior_normal_chain(void)
{
    Model *m = compile("mu ~ Normal(1, 2);\ny ~ Normal(mu, 1) observed 0.5;\n", PREDICT_PRIOR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunResult res;
    CU_ASSERT_EQUAL_FATAL(run(m, 12, 5000, 2, &res), RUN_OK);
    size_t n;
    double *y = gather(&res, "y", &n);
    check_moments(y, n, 1, 5, "prior predictive of y");
    for (int d = 1; d <= 9; d++) {
        double q = 1 + sqrt(5) * gsl_cdf_ugaussian_Pinv(d / 10.0), below = 0;
        for (size_t i = 0; i < n; i++) below += y[i] <= q;
        double share = below / (double)n, se = sqrt(0.1 * d * (1 - 0.1 * d) / (double)n);
        if (!(fabs(share - d / 10.0) <= 4 * se)) fprintf(stderr, "\n  decile %d: %.4f\n", d, share);
        CU_ASSERT(fabs(share - d / 10.0) <= 4 * se);
    }
    free(y);
    run_result_free(&res);
    model_free(m);
}

/* ------------------------------------------------------------ posterior predictive */

/* The A/B model: a replicate of y_A follows the exact posterior predictive
** Beta-Binomial(1000, 121, 881).  Its draws follow NUTS's draws of p_A,
** so the chi-square threshold allows for their little autocorrelation. */
static void test_posterior_predictive_ab(void)
{
    char err[256];
    Source *src = source_read_file("models/ab.bm", err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(src);
    CompileOptions opt = COMPILE_FULL;
    opt.predictive = PREDICT_POSTERIOR;
    Model *m = model_compile(src, NULL, &opt);
    CU_ASSERT_FATAL(m && model_ok(m));
    RunResult res;
    CU_ASSERT_EQUAL_FATAL(run(m, 13, 5000, 2, &res), RUN_OK);
    size_t n;
    double *y = gather(&res, "y_A_rep", &n);
    int v = draws_find(res.draws, "y_A_rep");
    CU_ASSERT(res.draws->group[v] == DRAWS_PREDICTIVE);
    CU_ASSERT_STRING_EQUAL(res.draws->of[v], "y_A");
    CU_ASSERT_EQUAL(res.draws->observed[v], 120);
    double a = 121, b = 881, N = 1000;
    double mean = N * a / (a + b), var = N * a * b * (a + b + N) / ((a + b) * (a + b) * (a + b + 1));
    double ess = diag_ess_bulk(y, CHAINS, (int)(n / CHAINS));
    double m_ = gsl_stats_mean(y, 1, n), v_ = gsl_stats_variance_m(y, 1, n, m_);
    bool ok = fabs(m_ - mean) <= 4 * sqrt(var / ess) && fabs(v_ / var - 1) <= 0.05;
    if (!ok) fprintf(stderr, "\n  y_A_rep: mean %.5g (exact %.5g), variance %.5g (exact %.5g)\n", m_, mean, v_, var);
    CU_ASSERT(ok);
    const double pars[3] = {1000, 121, 881};
    CU_ASSERT(chisq_p(y, n, beta_binomial_pmf, pars, 1000, "posterior predictive of y_A") >= 1e-4);
    free(y);
    run_result_free(&res);
    model_free(m);
}

/* ------------------------------------------------------------ generated quantities */

/* Discrete leaves are drawn, not refused: their frequencies against their
** pmfs, at two sets of arguments each. */
static void test_generated_discrete(void)
{
    static const struct {
        const char *dist;
        Pmf pmf;
        double a[2];
        long hi;
        double mean, var;
    } cases[] = {
        {"Binomial(20, 0.3)", binomial_pmf, {20, 0.3}, 20, 6, 4.2},
        {"Binomial(5, 0.9)", binomial_pmf, {5, 0.9}, 5, 4.5, 0.45},
        {"Poisson(3.5)", poisson_pmf, {3.5}, 40, 3.5, 3.5},
        {"Poisson(0.2)", poisson_pmf, {0.2}, 10, 0.2, 0.2},
        {"Bernoulli(0.2)", bernoulli_pmf, {0.2}, 1, 0.2, 0.16},
        {"Bernoulli(0.97)", bernoulli_pmf, {0.97}, 1, 0.97, 0.0291},
        /* mu and mu + mu^2 / alpha */
        {"NegativeBinomial(4, 2)", negbin_pmf, {4, 2}, 200, 4, 12},
        {"NegativeBinomial(30, 0.7)", negbin_pmf, {30, 0.7}, 2000, 30, 30 + 900 / 0.7},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char text[128];
        snprintf(text, sizeof text, "k ~ %s;\n", cases[c].dist);
        Model *m = compile(text, PREDICT_NONE);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        RunResult res;
        CU_ASSERT_EQUAL_FATAL(run(m, 20 + c, 5000, 2, &res), RUN_OK);
        size_t n;
        double *k = gather(&res, "k", &n);
        CU_ASSERT(chisq_p(k, n, cases[c].pmf, cases[c].a, cases[c].hi, cases[c].dist) >= MIN_P);
        check_moments(k, n, cases[c].mean, cases[c].var, cases[c].dist);
        free(k);
        run_result_free(&res);
        model_free(m);
    }
}

/* Draws stay reproducible by seed whatever the threads, and a generated
** quantity added to a model leaves the sampler's draws as they were. */
static void test_generated_reproducible(void)
{
    Model *m = compile("p ~ Beta(1, 1);\ny ~ Binomial(100, p) observed 12;\ny_rep ~ Binomial(100, p);\n", PREDICT_NONE);
    Model *bare = compile("p ~ Beta(1, 1);\ny ~ Binomial(100, p) observed 12;\n", PREDICT_NONE);
    CU_ASSERT_FATAL(m && bare);
    RunResult r1, r2, r3, r0;
    CU_ASSERT_EQUAL(run(m, 5, 300, 1, &r1), RUN_OK);
    CU_ASSERT_EQUAL(run(m, 5, 300, 2, &r2), RUN_OK);
    CU_ASSERT_EQUAL(run(m, 6, 300, 2, &r3), RUN_OK);
    CU_ASSERT_EQUAL(run(bare, 5, 300, 2, &r0), RUN_OK);
    size_t n;
    double *a = gather(&r1, "y_rep", &n), *b = gather(&r2, "y_rep", &n), *c = gather(&r3, "y_rep", &n);
    double *p1 = gather(&r1, "p", &n), *p0 = gather(&r0, "p", &n);
    CU_ASSERT(memcmp(a, b, n * sizeof *a) == 0);
    CU_ASSERT(memcmp(a, c, n * sizeof *a) != 0);
    CU_ASSERT(memcmp(p1, p0, n * sizeof *p1) == 0);
    free(a); free(b); free(c); free(p1); free(p0);
    run_result_free(&r1); run_result_free(&r2); run_result_free(&r3); run_result_free(&r0);
    model_free(m);
    model_free(bare);
}

/* What cannot be drawn is refused, naming it: Flat alone, and any
** improper prior in a prior predictive run. */
static void test_undrawable(void)
{
    static const struct {
        const char *text;
        Predictive predictive;
        const char *message;
    } cases[] = {
        {"mu ~ Flat();\n", PREDICT_NONE, "'mu' has an improper prior (Flat) and no data inform it: its posterior is improper"},
        {"mu ~ Flat();\ny ~ Normal(mu, 1) observed 1;\n", PREDICT_PRIOR,
         "'mu' has an improper prior (Flat): a prior predictive run cannot draw it"},
        {"s ~ HalfFlat();\ny ~ Normal(0, s) observed 1;\n", PREDICT_PRIOR,
         "'s' has an improper prior (HalfFlat): a prior predictive run cannot draw it"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        CompileOptions opt = COMPILE_FULL;
        opt.predictive = cases[c].predictive;
        Model *m = model_compile(source_from_text("t.bm", cases[c].text, strlen(cases[c].text)), NULL, &opt);
        CU_ASSERT_FATAL(m != NULL);
        CU_ASSERT(!model_ok(m));
        if (m->diags.n > 0) {
            if (strcmp(m->diags.items[0].message, cases[c].message) != 0)
                fprintf(stderr, "\n  got '%s'\n", m->diags.items[0].message);
            CU_ASSERT_STRING_EQUAL(m->diags.items[0].message, cases[c].message);
        }
        model_free(m);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo prior[] = {
        {"Beta-Binomial prior predictive", test_prior_beta_binomial},
        {"a chain of Normals", test_prior_normal_chain},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo posterior[] = {
        {"A/B replicates against Beta-Binomial(1000, 121, 881)", test_posterior_predictive_ab},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo generated[] = {
        {"discrete leaves against their pmfs", test_generated_discrete},
        {"reproducible, and apart from the sampler's stream", test_generated_reproducible},
        {"what cannot be drawn", test_undrawable},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"prior predictive", NULL, NULL, NULL, NULL, prior},
        {"posterior predictive", NULL, NULL, NULL, NULL, posterior},
        {"generated quantities", NULL, NULL, NULL, NULL, generated},
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
