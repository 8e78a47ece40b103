/*
** test_robust.c -- numerical robustness: huge and tiny counts, data on
** extreme scales, parameters at the edges of their supports, densities that
** overflow in naive formulas, and a funnel whose divergences must show.
**
** Expected values are exact conjugate posteriors (closed form) or come
** from the formulas in the comments.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include "compile.h"
#include "diagnostics.h"
#include "eval.h"
#include "run.h"
#include "testutil.h"

/* Compiles text (with data assignments "N=3", ...); NULL after printing errors. */
static Model *compile(const char *text, const char *const *assign, int nassign)
{
    DataSet *ds = dataset_new();
    char err[512];
    for (int i = 0; i < nassign; i++)
        if (test_parse_assign(ds, assign[i], err, sizeof err) != 0) fprintf(stderr, "%s\n", err);
    /* a prior alone stays a parameter: its density and NUTS on it are tested */
    CompileOptions opt = COMPILE_FULL;
    opt.keep_leaves = true;
    Model *m = model_compile(source_from_text("<test>", text, strlen(text)), ds, &opt);
    dataset_free(ds);
    if (m && !model_ok(m)) {
        diags_print(&m->diags, stderr, NULL);
        model_free(m);
        return NULL;
    }
    return m;
}

/* Samples m (4 chains, fixed seed); fills res.  Returns the run status. */
static RunStatus sample(const Model *m, RunResult *res, int draws, double target_accept)
{
    RunConfig cfg = { .nuts = nuts_default_config(), .chains = 4, .cores = 2, .seed = 20261124 };
    cfg.nuts.draws = draws;
    cfg.nuts.target_accept = target_accept;
    return run_chains(m->ir, &cfg, res);
}

/* Mean and MCSE of variable v's draws. */
static void mean_mcse(const RunResult *res, int v, double *mean, double *mcse)
{
    const Draws *d = res->draws;
    double *x = malloc((size_t)d->nchains * d->ndraws * sizeof *x);
    draws_gather(d, v, x);
    double s = 0;
    for (long i = 0; i < (long)d->nchains * d->ndraws; i++) s += x[i];
    *mean = s / ((double)d->nchains * d->ndraws);
    *mcse = diag_mcse_mean(x, d->nchains, d->ndraws);
    free(x);
}

/* Beta(1, 1) prior, Binomial(n, p) observed y: the posterior is
** Beta(1 + y, 1 + n - y), mean (1 + y) / (2 + n). */
static void binomial_extreme(const char *n, const char *y, double exact_mean)
{
    char text[256];
    snprintf(text, sizeof text, "p ~ Beta(1, 1);\ny ~ Binomial(%s, p) observed %s;\n", n, y);
    Model *m = compile(text, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunResult res;
    CU_ASSERT_EQUAL(sample(m, &res, 1000, 0.8), RUN_OK);
    double mean, mcse;
    mean_mcse(&res, 0, &mean, &mcse);
    CU_ASSERT(fabs(mean - exact_mean) <= 4 * mcse);
    if (!(fabs(mean - exact_mean) <= 4 * mcse))
        fprintf(stderr, "\n  n=%s y=%s: mean %.6g, exact %.6g, mcse %.3g\n", n, y, mean, exact_mean, mcse);
    /* With y = 0 of 1e9 the log-odds u have log density u - 1e9 e^u + c: a
    ** wall of double-exponential steepness on one side, where a trajectory
    ** now and then diverges (Stan's does too); counts that broke the
    ** arithmetic would make most of them diverge. */
    int div = 0;
    for (int c = 0; c < 4; c++)
        for (int i = 0; i < 1000; i++) div += draws_stat_const(res.draws, DRAW_DIVERGENT, c)[i] != 0;
    CU_ASSERT(div <= 20);
    if (div > 20) fprintf(stderr, "\n  n=%s y=%s: %d divergences in 4000 draws\n", n, y, div);
    run_result_free(&res);
    model_free(m);
}

static void test_binomial_huge_counts(void)
{
    binomial_extreme("1000000000", "0", 1.0 / (2 + 1e9));
    binomial_extreme("1000000000", "1000000000", (1 + 1e9) / (2 + 1e9));
    binomial_extreme("1000000000", "500000000", 0.5);
    binomial_extreme("1", "0", 1.0 / 3);
}

/* Normal(mu, sigma) with a flat prior on mu and known sigma: mu's posterior
** is Normal(mean(y), sigma / sqrt(n)), whatever the scale of the data. */
static void normal_at_scale(double centre, double spread)
{
    double y[5] = {-2, -1, 0, 1, 2}, mean = 0;
    char data[512], sig[64];
    int off = snprintf(data, sizeof data, "y=[");
    for (int i = 0; i < 5; i++) {
        double v = centre + spread * y[i];
        mean += v / 5;
        off += snprintf(data + off, sizeof data - (size_t)off, "%s%.17g", i ? "," : "", v);
    }
    snprintf(data + off, sizeof data - (size_t)off, "]");
    snprintf(sig, sizeof sig, "s=%.17g", spread);
    const char *assign[] = {data, sig};
    Model *m = compile("data y[5];\ndata s;\nmu ~ Flat();\ny ~ Normal(mu, s);\n", assign, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunResult res;
    CU_ASSERT_EQUAL_FATAL(sample(m, &res, 1000, 0.8), RUN_OK);
    double got, mcse;
    mean_mcse(&res, 0, &got, &mcse);
    ASSERT_REL(mcse, spread / sqrt(5) / sqrt(4000), 1.5);   /* roughly the sd over sqrt(draws) */
    CU_ASSERT(fabs(got - mean) <= 4 * mcse);
    run_result_free(&res);
    model_free(m);
}

static void test_extreme_scales(void)
{
    normal_at_scale(1e6, 1);
    normal_at_scale(1e6, 1e-3);
    normal_at_scale(1e-6, 1e-6);
    normal_at_scale(0, 1e6);
}

/* Beta(0.5, 0.5) piles its mass at 0 and 1: the sampler must neither
** crash nor stick there.  Its mean is 1/2 and its variance 1/8. */
static void test_support_edges(void)
{
    Model *m = compile("p ~ Beta(0.5, 0.5);\nq ~ Beta(0.05, 0.05);\n", NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunResult res;
    CU_ASSERT_EQUAL_FATAL(sample(m, &res, 2000, 0.9), RUN_OK);
    double mean, mcse;
    mean_mcse(&res, 0, &mean, &mcse);
    CU_ASSERT(fabs(mean - 0.5) <= 4 * mcse);
    /* every draw strictly inside (0, 1), even where they crowd the ends */
    for (int v = 0; v < 2; v++)
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < res.draws->ndraws; i++) {
                double x = draws_at(res.draws, v, c)[i];
                CU_ASSERT(x > 0 && x < 1);
            }
    run_result_free(&res);
    model_free(m);
}

/* Log densities where naive formulas overflow or underflow must stay
** finite: values computed by hand from the log-space formulas. */
static void test_log_space(void)
{
    /* Poisson(mu) at y = 1000 with mu = 1000: a naive mu^y / y! overflows;
    ** log density = y log mu - mu - lgamma(y + 1). */
    Model *m = compile("mu ~ HalfFlat();\ny ~ Poisson(mu) observed 1000;\n", NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    EvalWs *w = eval_new(m->ir);
    double v = 1000, lp, g;
    CU_ASSERT_EQUAL(eval_constrained(w, &v, &lp, &g), 0);
    ASSERT_REL(lp, 1000 * log(1000.0) - 1000 - lgamma(1001.0), 1e-12);
    CU_ASSERT(fabs(g) < 1e-12);   /* d/dmu = y/mu - 1 = 0 */
    eval_free(w);
    model_free(m);

    /* Normal far in its tail: log density -x^2/2 - log sqrt(2 pi) at x = 1e150
    ** is about -5e299, finite though exp() of it underflows to 0. */
    m = compile("x ~ Normal(0, 1);\n", NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    w = eval_new(m->ir);
    v = 1e150;
    CU_ASSERT_EQUAL(eval_constrained(w, &v, &lp, &g), 0);
    ASSERT_REL(lp, -0.5 * 1e300, 1e-12);
    ASSERT_REL(g, -1e150, 1e-12);
    eval_free(w);
    model_free(m);

    /* Unconstrained coordinates far out: a (0,1) parameter at u = +-40 maps
    ** to within 1e-17 of its bounds; the log-Jacobian log p + log(1 - p)
    ** is about -40 there, computed without forming 1 - p. */
    m = compile("p ~ Uniform(0, 1);\n", NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    w = eval_new(m->ir);
    for (double u = -40; u <= 40; u += 80) {
        double q = u, grad;
        lp = eval_logp_grad(w, &q, &grad);
        ASSERT_REL(lp, -fabs(u) - log1p(exp(-fabs(u))) * 2, 1e-9);
        CU_ASSERT(isfinite(grad));
    }
    eval_free(w);
    model_free(m);
}

/* Centred eight schools has a funnel: NUTS must report divergences there
** rather than hide them (the non-centred model in models/ has few or none). */
static void test_funnel_divergences(void)
{
    const char *assign[] = {"J=8", "y=[28, 8, -3, 7, -1, 1, 18, 12]", "sigma=[15, 10, 16, 11, 9, 11, 10, 18]"};
    Model *m = compile("data J;\ndata y[J];\ndata sigma[J];\nmu ~ Normal(0, 5);\ntau ~ HalfCauchy(5);\n"
                       "theta[J] ~ Normal(mu, tau);\ny ~ Normal(theta, sigma);\n", assign, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    RunResult res;
    CU_ASSERT_EQUAL_FATAL(sample(m, &res, 1000, 0.8), RUN_OK);
    int div = 0;
    for (int c = 0; c < 4; c++)
        for (int i = 0; i < 1000; i++) div += draws_stat_const(res.draws, DRAW_DIVERGENT, c)[i] != 0;
    CU_ASSERT(div > 0);
    run_result_free(&res);
    model_free(m);
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo tests[] = {
        {"Binomial with n = 1e9, y = 0 and y = n", test_binomial_huge_counts},
        {"data around 1e6 and 1e-6", test_extreme_scales},
        {"parameters crowding their support's edges", test_support_edges},
        {"log densities that overflow naively", test_log_space},
        {"a funnel reports its divergences", test_funnel_divergences},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {{"robust", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
    return testutil_run(suites);
}
