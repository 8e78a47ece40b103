/*
** test_dist_random.c -- the distribution table's generators against their
** means, variances, supports and quantiles, their reproducibility, and the
** closed-form means and variances; and that every proper entry has its
** generator checked.
**
** Reference values: exact quantiles by integrating each density with GSL's
** QAGS; closed forms worked out by hand in the comments.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "dist_named.h"
#include "testutil.h"

static bool drawn[64];   /* entries whose generator test_random checked */

static const DistInfo *get(const char *name) { return dist_named(name); }

/* ---------------------------------------------------------------- generators */

#define NDRAWS 20000

typedef struct {
    const char *name;
    double a[DIST_MAX_ARGS];
    bool check_variance;   /* fourth moment finite and the sample's fourth moment usable */
    double median;         /* checked instead of the mean when the variance is not finite */
} DrawCase;

static const DrawCase DRAWS[] = {
    {"Beta", {2, 5}, true, 0}, {"Beta", {0.3, 0.4}, true, 0},
    {"Binomial", {10, 0.3}, true, 0}, {"Binomial", {1e10, 0.3}, true, 0},
    {"Binomial", {1e13, 1e-12}, true, 0}, {"Binomial", {5e9, 1e-9}, true, 0},
    {"Bernoulli", {0.3}, true, 0},
    {"Bernoulli logit_p", {-0.8472978603872037}, true, 0}, {"Binomial logit_p", {10, 1.2}, true, 0},
    {"Normal", {1, 2}, true, 0}, {"HalfNormal", {2}, true, 0},
    {"StudentT", {5, 1, 2}, false, 0},
    {"StudentT", {1.5, 1, 2}, false, 1},        /* symmetric about mu */
    {"Cauchy", {1, 2}, false, 1},               /* median alpha */
    {"HalfCauchy", {2}, false, 2},              /* median beta: tan(pi/4) = 1 */
    {"Exponential", {4}, true, 0},
    {"Gamma", {3, 2}, true, 0}, {"Gamma", {0.5, 1e3}, true, 0},
    {"InverseGamma", {5, 2}, false, 0},
    {"LogNormal", {0.5, 0.4}, true, 0},
    {"Uniform", {-2, 6}, true, 0},
    {"Poisson", {3.5}, true, 0}, {"Poisson", {5e9}, true, 0},
    {"NegativeBinomial", {4, 2}, true, 0}, {"NegativeBinomial", {1e10, 1e3}, true, 0},
    {"Logistic", {1, 2}, true, 0}, {"Laplace", {1, 3}, true, 0},
    {"Weibull", {1.5, 2}, true, 0},
    {"Geometric", {0.25}, true, 0}, {"Geometric", {1e-12}, true, 0},
    {"BetaBinomial", {2, 3, 10}, true, 0}, {"BetaBinomial", {2, 3, 1e10}, true, 0},
};

typedef struct {
    const DistInfo *d;
    const double *a;
} Density;

static double density_at(double x, void *params)
{
    const Density *p = params;
    return exp(p->d->logpdf(x, p->a, NULL, 0));
}

/* P(X <= c) from the log density: a sum for counts, GSL's adaptive
** quadrature from the lower end of the support otherwise.  NAN when the
** quadrature does not converge. */
static double cdf_at(const DistInfo *d, const double *a, double c, gsl_integration_workspace *w)
{
    if (d->discrete) {
        double first = d->support == SUPPORT_POSITIVE_COUNT ? 1 : 0, s = 0;
        for (double k = first; k <= c; k++) s += exp(d->logpdf(k, a, NULL, 0));
        return s;
    }
    Density p = {d, a};
    gsl_function f = {density_at, &p};
    double v, err;
    /* quadrature trouble is reported through the status, not the handler */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int status;
    switch (d->support) {
    case SUPPORT_REAL: status = gsl_integration_qagil(&f, c, 1e-11, 1e-11, 1000, w, &v, &err); break;
    case SUPPORT_INTERVAL: status = gsl_integration_qags(&f, a[0], c, 1e-11, 1e-11, 1000, w, &v, &err); break;
    default: status = gsl_integration_qags(&f, 0, c, 1e-11, 1e-11, 1000, w, &v, &err); break;
    }
    gsl_set_error_handler(old);
    return status == GSL_SUCCESS ? v : NAN;
}

/* The sorted draws against the distribution function at their 10%, 50%
** and 90% points: the fraction of draws at or below c estimates P(X <= c)
** with standard error sqrt(F (1 - F) / n).  Counts past 1e5 are left to
** the moment checks (the sum would be long). */
static void check_quantiles(const DrawCase *c, const double *sorted, gsl_integration_workspace *w)
{
    const DistInfo *d = get(c->name);
    static const double qs[] = {0.1, 0.5, 0.9};
    for (int i = 0; i < 3; i++) {
        double at = sorted[(int)(qs[i] * NDRAWS)];
        if (d->discrete && at > 1e5) continue;
        int below = 0;
        while (below < NDRAWS && sorted[below] <= at) below++;
        double emp = (double)below / NDRAWS;
        double f = cdf_at(d, c->a, at, w);
        double se = sqrt(f * (1 - f) / NDRAWS);
        int ok = fabs(emp - f) <= 5 * se + 1e-9;
        if (!ok) fprintf(stderr, "\n  %s: %.4g of draws <= %.10g, P(X <= %.10g) = %.10g\n",
                         c->name, emp, at, at, f);
        CU_ASSERT(ok);
    }
}

static void test_random(void)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000); /* freed below */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);   /* freed below */
    double *x = malloc(NDRAWS * sizeof *x);          /* freed below */
    CU_ASSERT_FATAL(r != NULL && x != NULL && w != NULL);
    gsl_rng_set(r, 20240611);
    for (size_t i = 0; i < sizeof DRAWS / sizeof DRAWS[0]; i++) {
        const DrawCase *c = &DRAWS[i];
        const DistInfo *d = get(c->name);
        if (dist_index(d) >= 0 && dist_index(d) < 64) drawn[dist_index(d)] = true;
        int outside = 0;
        for (int j = 0; j < NDRAWS; j++) {
            x[j] = d->random(r, c->a);
            outside += !dist_in_support(d, x[j], c->a);
        }
        if (outside) fprintf(stderr, "\n  %s: %d draws outside the support\n", c->name, outside);
        CU_ASSERT_EQUAL(outside, 0);

        double var = d->variance(c->a);
        double m = gsl_stats_mean(x, 1, NDRAWS);
        if (isfinite(var)) {
            double se = sqrt(var / NDRAWS);
            int ok = fabs(m - d->mean(c->a)) <= 5 * se;
            if (!ok) fprintf(stderr, "\n  %s: sample mean %.10g, mean %.10g, se %.3g\n",
                             c->name, m, d->mean(c->a), se);
            CU_ASSERT(ok);
            if (c->check_variance) {
                /* the standard error of a sample variance: sqrt((m4 - s^4) / n) */
                double s2 = gsl_stats_variance_m(x, 1, NDRAWS, m), m4 = 0;
                for (int j = 0; j < NDRAWS; j++) m4 += pow(x[j] - m, 4);
                m4 /= NDRAWS;
                double se2 = sqrt(fmax(m4 - s2 * s2, 0) / NDRAWS);
                int okv = fabs(s2 - var) <= 5 * se2 + 1e-12 * var;
                if (!okv) fprintf(stderr, "\n  %s: sample variance %.10g, variance %.10g, se %.3g\n",
                                  c->name, s2, var, se2);
                CU_ASSERT(okv);
            }
        }
        gsl_sort(x, 1, NDRAWS);
        check_quantiles(c, x, w);
        if (!isfinite(var)) {
            /* the sample median's standard error is 1 / (2 f(median) sqrt(n)) */
            double med = gsl_stats_median_from_sorted_data(x, 1, NDRAWS);
            double f = exp(d->logpdf(c->median, c->a, NULL, 0));
            double se = 1 / (2 * f * sqrt(NDRAWS));
            int ok = fabs(med - c->median) <= 5 * se;
            if (!ok) fprintf(stderr, "\n  %s: sample median %.10g, median %.10g, se %.3g\n",
                             c->name, med, c->median, se);
            CU_ASSERT(ok);
        }
    }
    free(x);
    gsl_rng_free(r);
    gsl_integration_workspace_free(w);
}

/* Same seed, same draws: the generators keep no state of their own. */
static void test_random_reproducible(void)
{
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(r1 != NULL && r2 != NULL);
    gsl_rng_set(r1, 7);
    gsl_rng_set(r2, 7);
    const DistInfo *d = get("NegativeBinomial");
    double a[2] = {4, 2};
    for (int j = 0; j < 100; j++) CU_ASSERT_EQUAL(d->random(r1, a), d->random(r2, a));
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

/* ---------------------------------------------------------------- moments */

static double mean_of(const char *name, double a0, double a1, double a2)
{
    double a[DIST_MAX_ARGS] = {a0, a1, a2};
    return get(name)->mean(a);
}

static double var_of(const char *name, double a0, double a1, double a2)
{
    double a[DIST_MAX_ARGS] = {a0, a1, a2};
    return get(name)->variance(a);
}

static void test_moments(void)
{
    const double t = 1e-14;
    /* Beta(2, 3): 2/5; 2*3 / (5^2 * 6) = 0.04 */
    ASSERT_CLOSE(mean_of("Beta", 2, 3, 0), 0.4, t);
    ASSERT_CLOSE(var_of("Beta", 2, 3, 0), 0.04, t);
    /* Binomial(10, 0.3): 3; 10 * 0.3 * 0.7 */
    ASSERT_CLOSE(mean_of("Binomial", 10, 0.3, 0), 3, t);
    ASSERT_CLOSE(var_of("Binomial", 10, 0.3, 0), 2.1, t);
    /* Bernoulli(logit_p = log 3): p = 3/4; 3/4 * 1/4 */
    ASSERT_CLOSE(mean_of("Bernoulli logit_p", log(3), 0, 0), 0.75, t);
    ASSERT_CLOSE(var_of("Bernoulli logit_p", log(3), 0, 0), 0.1875, t);
    /* Binomial(8, logit_p = -log 3): p = 1/4; 2; 8 * 1/4 * 3/4 */
    ASSERT_CLOSE(mean_of("Binomial logit_p", 8, -log(3), 0), 2, t);
    ASSERT_CLOSE(var_of("Binomial logit_p", 8, -log(3), 0), 1.5, t);
    /* Bernoulli(0.25): 0.25; 0.25 * 0.75 */
    ASSERT_CLOSE(mean_of("Bernoulli", 0.25, 0, 0), 0.25, t);
    ASSERT_CLOSE(var_of("Bernoulli", 0.25, 0, 0), 0.1875, t);
    ASSERT_CLOSE(mean_of("Normal", 1, 2, 0), 1, t);
    ASSERT_CLOSE(var_of("Normal", 1, 2, 0), 4, t);
    /* R: 2*sqrt(2/pi); 4*(1-2/pi) */
    ASSERT_CLOSE(mean_of("HalfNormal", 2, 0, 0), 1.5957691216057308, t);
    ASSERT_CLOSE(var_of("HalfNormal", 2, 0, 0), 1.4535209105296745, t);
    /* StudentT(5, 1, 2): 1; 4 * 5/3.  nu = 1.5: infinite variance; nu <= 1: no mean */
    ASSERT_CLOSE(mean_of("StudentT", 5, 1, 2), 1, t);
    ASSERT_CLOSE(var_of("StudentT", 5, 1, 2), 20.0 / 3, t);
    ASSERT_CLOSE(mean_of("StudentT", 1.5, 1, 2), 1, t);
    CU_ASSERT(isinf(var_of("StudentT", 1.5, 1, 2)) && var_of("StudentT", 1.5, 1, 2) > 0);
    CU_ASSERT(isinf(var_of("StudentT", 2, 1, 2)));
    CU_ASSERT(isnan(mean_of("StudentT", 1, 1, 2)));
    CU_ASSERT(isnan(var_of("StudentT", 1, 1, 2)));
    CU_ASSERT(isnan(mean_of("StudentT", 0.5, 1, 2)));
    CU_ASSERT(isnan(mean_of("Cauchy", 0, 1, 0)));
    CU_ASSERT(isnan(var_of("Cauchy", 0, 1, 0)));
    CU_ASSERT(isinf(mean_of("HalfCauchy", 1, 0, 0)));
    CU_ASSERT(isinf(var_of("HalfCauchy", 1, 0, 0)));
    /* Exponential(4): 1/4; 1/16 */
    ASSERT_CLOSE(mean_of("Exponential", 4, 0, 0), 0.25, t);
    ASSERT_CLOSE(var_of("Exponential", 4, 0, 0), 0.0625, t);
    /* Gamma(3, rate 2): 3/2; 3/4 */
    ASSERT_CLOSE(mean_of("Gamma", 3, 2, 0), 1.5, t);
    ASSERT_CLOSE(var_of("Gamma", 3, 2, 0), 0.75, t);
    /* InverseGamma(3, 2): 2/(3-1); 4 / (2^2 * 1) */
    ASSERT_CLOSE(mean_of("InverseGamma", 3, 2, 0), 1, t);
    ASSERT_CLOSE(var_of("InverseGamma", 3, 2, 0), 1, t);
    ASSERT_CLOSE(mean_of("InverseGamma", 1.5, 2, 0), 4, t);
    CU_ASSERT(isinf(var_of("InverseGamma", 1.5, 2, 0)));
    CU_ASSERT(isinf(mean_of("InverseGamma", 0.5, 2, 0)));
    /* R: exp(0.5+0.08); (exp(0.16)-1)*exp(1.16) */
    ASSERT_CLOSE(mean_of("LogNormal", 0.5, 0.4, 0), 1.7860384307500734, t);
    ASSERT_CLOSE(var_of("LogNormal", 0.5, 0.4, 0), 0.55348810114467806, t);
    /* Uniform(-2, 6): 2; 8^2 / 12 */
    ASSERT_CLOSE(mean_of("Uniform", -2, 6, 0), 2, t);
    ASSERT_CLOSE(var_of("Uniform", -2, 6, 0), 64.0 / 12, t);
    ASSERT_CLOSE(mean_of("Poisson", 3.5, 0, 0), 3.5, t);
    ASSERT_CLOSE(var_of("Poisson", 3.5, 0, 0), 3.5, t);
    /* NegativeBinomial(4, 2): 4; 4 + 16/2 */
    ASSERT_CLOSE(mean_of("NegativeBinomial", 4, 2, 0), 4, t);
    ASSERT_CLOSE(var_of("NegativeBinomial", 4, 2, 0), 12, t);
    /* Logistic(1, 2): 1; R: 4*pi^2/3 */
    ASSERT_CLOSE(mean_of("Logistic", 1, 2, 0), 1, t);
    ASSERT_CLOSE(var_of("Logistic", 1, 2, 0), 13.159472534785811, t);
    /* Laplace(1, 3): 1; 2 * 9 */
    ASSERT_CLOSE(mean_of("Laplace", 1, 3, 0), 1, t);
    ASSERT_CLOSE(var_of("Laplace", 1, 3, 0), 18, t);
    /* R: 2*gamma(1+1/1.5); 4*(gamma(1+2/1.5) - gamma(1+1/1.5)^2) */
    ASSERT_CLOSE(mean_of("Weibull", 1.5, 2, 0), 1.8054905859018673, t);
    ASSERT_CLOSE(var_of("Weibull", 1.5, 2, 0), 1.502761139255727, 1e-13);
    /* Geometric(0.25): 4; 0.75 / 0.0625 */
    ASSERT_CLOSE(mean_of("Geometric", 0.25, 0, 0), 4, t);
    ASSERT_CLOSE(var_of("Geometric", 0.25, 0, 0), 12, t);
    /* BetaBinomial(2, 3, 10): 10 * 2/5; 10*2*3*(5+10) / (5^2 * 6) = 6 */
    ASSERT_CLOSE(mean_of("BetaBinomial", 2, 3, 10), 4, t);
    ASSERT_CLOSE(var_of("BetaBinomial", 2, 3, 10), 6, t);
}

/* ---------------------------------------------------------------- main */


/* Every proper entry's generator is checked above. */
static void test_every_generator(void)
{
    CU_ASSERT_FATAL(dist_count() <= 64);
    for (int i = 0; i < dist_count(); i++) {
        const DistInfo *d = dist_at(i);
        if (d->improper) continue;
        if (!drawn[i]) fprintf(stderr, "\n  %s (entry %d): its draws are not checked\n", d->summary, i);
        CU_ASSERT(drawn[i]);
    }
}

static CU_TestInfo random_tests[] = {
    {"draws match mean, variance and support", test_random},
    {"draws reproducible", test_random_reproducible},
    {"closed-form moments", test_moments},
    {"every generator checked", test_every_generator},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"dist random", NULL, NULL, NULL, NULL, random_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    gsl_set_error_handler_off();
    return testutil_run(suites);
}
