/*
** test_dist_random.c -- the distribution table's generators against their
** means, variances, supports and quantiles, their reproducibility, and the
** closed-form means and standard deviations at ordinary and extreme
** arguments; and that every proper entry has its generator and its
** moments checked.
**
** Reference values: exact quantiles by integrating each density with GSL's
** QAGS; closed forms worked out by hand in the comments; at extreme
** arguments, the closed forms evaluated with mpmath at 40 digits.
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

        double sd = d->sd(c->a), var = sd * sd;
        double m = gsl_stats_mean(x, 1, NDRAWS);
        if (isfinite(var)) {
            double se = sd / sqrt(NDRAWS);
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

/* Each entry's mean and sd at ordinary arguments and at extreme ones,
** where squares and sums of the arguments overflow or underflow while the
** moments themselves are ordinary doubles. */
typedef struct MomentCase {
    const char *name;
    double a[DIST_MAX_ARGS];
    double mean, sd;        /* NAN: undefined; INFINITY: infinite */
    bool extreme;
} MomentCase;

static const MomentCase MOMENTS[] = {
    /* Beta(2, 3): 2/5; sqrt(2*3 / (5^2 * 6)) = 0.2 */
    {"Beta", {2, 3}, 0.4, 0.2, false},
    {"Beta", {1e-200, 1e-200}, 0.5, 0.5, true},
    {"Beta", {1e300, 1e300}, 0.5, 3.5355339059327376e-151, true},
    {"Beta", {1e308, 1e308}, 0.5, 3.5355339059327376e-155, true},
    {"Beta", {1e-300, 1}, 1e-300, 7.0710678118654752e-151, true},
    /* Binomial(10, 0.3): 3; sqrt(10 * 0.3 * 0.7) */
    {"Binomial", {10, 0.3}, 3, 1.4491376746189439, false},
    {"Binomial", {1e15, 1e-300}, 1e-285, 3.1622776601683793e-143, true},
    {"Binomial", {9007199254740992.0, 0.5}, 4503599627370496.0, 47453132.812125776, true},
    /* Bernoulli(0.25): 0.25; sqrt(0.25 * 0.75) */
    {"Bernoulli", {0.25}, 0.25, 0.43301270189221932, false},
    {"Bernoulli", {1e-300}, 1e-300, 1e-150, true},
    {"Bernoulli", {1 - 0x1p-53}, 1 - 0x1p-53, 1.0536712127723507e-8, true},
    /* Bernoulli(logit_p = log 3): p = 3/4; sqrt(3/4 * 1/4).  At t = +-800,
    ** sqrt(p q) = e^-400 / (1 + e^-800) = e^-400 while p q underflows */
    {"Bernoulli logit_p", {1.0986122886681098}, 0.75, 0.43301270189221932, false},
    {"Bernoulli logit_p", {-800}, 0, 1.9151695967140057e-174, true},
    {"Bernoulli logit_p", {800}, 1, 1.9151695967140057e-174, true},
    /* Binomial(8, logit_p = -log 3): p = 1/4; 2; sqrt(8 * 1/4 * 3/4) */
    {"Binomial logit_p", {8, -1.0986122886681098}, 2, 1.224744871391589, false},
    {"Binomial logit_p", {1e6, -1000}, 0, 7.1245764067412855e-215, true},
    {"Normal", {1, 2}, 1, 2, false},
    {"Normal", {0, 1e200}, 0, 1e200, true},
    {"Normal", {0, 1e-200}, 0, 1e-200, true},
    /* R: 2*sqrt(2/pi); sqrt(4*(1-2/pi)) */
    {"HalfNormal", {2}, 1.5957691216057308, 1.2056205499781739, false},
    {"HalfNormal", {1e300}, 7.9788456080286536e+299, 6.0281027498908697e+299, true},
    /* StudentT(5, 1, 2): 1; sqrt(4 * 5/3).  nu in (1, 2]: infinite sd;
    ** nu <= 1: no mean, no sd */
    {"StudentT", {5, 1, 2}, 1, 2.5819888974716113, false},
    {"StudentT", {1.5, 1, 2}, 1, INFINITY, false},
    {"StudentT", {2, 1, 2}, 1, INFINITY, false},
    {"StudentT", {1, 1, 2}, NAN, NAN, false},
    {"StudentT", {0.5, 1, 2}, NAN, NAN, false},
    {"StudentT", {3, 0, 1e200}, 0, 1.7320508075688773e+200, true},
    {"StudentT", {1e300, 0, 1e-200}, 0, 1e-200, true},
    {"Cauchy", {0, 1}, NAN, NAN, false},
    {"Cauchy", {0, 1e300}, NAN, NAN, true},
    {"HalfCauchy", {1}, INFINITY, INFINITY, false},
    {"HalfCauchy", {1e-300}, INFINITY, INFINITY, true},
    /* Exponential(4): 1/4; 1/4 */
    {"Exponential", {4}, 0.25, 0.25, false},
    {"Exponential", {1e-200}, 1e200, 1e200, true},
    {"Exponential", {1e200}, 1e-200, 1e-200, true},
    /* Gamma(3, rate 2): 3/2; sqrt(3/4) */
    {"Gamma", {3, 2}, 1.5, 0.86602540378443865, false},
    {"Gamma", {1e-300, 1e-300}, 1, 1e150, true},
    {"Gamma", {1e300, 1e150}, 1e150, 1, true},
    /* InverseGamma(3, 2): 2/(3-1); sqrt(4 / (2^2 * 1)).  alpha in (1, 2]:
    ** infinite sd; alpha <= 1: infinite mean */
    {"InverseGamma", {3, 2}, 1, 1, false},
    {"InverseGamma", {1.5, 2}, 4, INFINITY, false},
    {"InverseGamma", {0.5, 2}, INFINITY, INFINITY, false},
    {"InverseGamma", {3, 1e200}, 5e199, 5e199, true},
    {"InverseGamma", {1e250, 1e308}, 1e58, 1e-67, true},
    /* R: exp(0.5+0.08); sqrt((exp(0.16)-1)*exp(1.16)) */
    {"LogNormal", {0.5, 0.4}, 1.7860384307500734, 0.74396780921265531, false},
    {"LogNormal", {800, 1e-200}, INFINITY, 2.7263745721125666e+147, true},
    {"LogNormal", {-1000, 30}, 1.374152566130957e-239, 3.720075976020836e-44, true},
    {"LogNormal", {0.5, 1e-170}, 1.6487212707001281, 1.6487212707001281e-170, true},
    /* Uniform(-2, 6): 2; sqrt(8^2 / 12) */
    {"Uniform", {-2, 6}, 2, 2.3094010767585031, false},
    {"Uniform", {-1e308, 1e308}, 0, 5.7735026918962576e+307, true},
    {"Poisson", {3.5}, 3.5, 1.8708286933869707, false},
    {"Poisson", {1e300}, 1e300, 1e150, true},
    {"Poisson", {1e-300}, 1e-300, 1e-150, true},
    /* NegativeBinomial(4, 2): 4; sqrt(4 + 16/2) */
    {"NegativeBinomial", {4, 2}, 4, 3.4641016151377546, false},
    {"NegativeBinomial", {1e300, 1e-10}, 1e300, 1e305, true},
    {"NegativeBinomial", {1e-300, 1e300}, 1e-300, 1e-150, true},
    /* Logistic(1, 2): 1; R: sqrt(4*pi^2/3) */
    {"Logistic", {1, 2}, 1, 3.6275987284684357, false},
    {"Logistic", {0, 1e300}, 0, 1.8137993642342179e+300, true},
    /* Laplace(1, 3): 1; sqrt(2 * 9) */
    {"Laplace", {1, 3}, 1, 4.2426406871192851, false},
    {"Laplace", {0, 1e300}, 0, 1.414213562373095e+300, true},
    /* R: 2*gamma(1+1/1.5); 2*sqrt(gamma(1+2/1.5) - gamma(1+1/1.5)^2).  A
    ** small shape: Gamma(101) and Gamma(201) beside a scale of 1e-300 */
    {"Weibull", {1.5, 2}, 1.8054905859018672, 1.2258715835093527, false},
    {"Weibull", {0.01, 1e-300}, 9.3326215443944153e-143, 2.8083053027845646e-113, true},
    {"Weibull", {1.5, 1e300}, 9.0274529295093361e+299, 6.1293579175467637e+299, true},
    /* Geometric(0.25): 4; sqrt(0.75 / 0.0625) */
    {"Geometric", {0.25}, 4, 3.4641016151377546, false},
    {"Geometric", {1e-200}, 1e200, 1e200, true},
    {"Geometric", {1}, 1, 0, true},
    /* BetaBinomial(2, 3, 10): 10 * 2/5; sqrt(10*2*3*(5+10) / (5^2 * 6)) */
    {"BetaBinomial", {2, 3, 10}, 4, 2.4494897427831781, false},
    {"BetaBinomial", {1e308, 1e308, 10}, 5, 1.5811388300841897, true},
    {"BetaBinomial", {1e-200, 1e-200, 1e15}, 5e14, 5e14, true},
};

/* Entries whose moments test_moments checked, at ordinary [0] and
** extreme [1] arguments. */
static bool moments_seen[2][64];

/* got is want: both undefined, the same infinity, or within 1e-13
** relative (0 exactly). */
static void expect_moment(double got, double want, const char *what, const MomentCase *c)
{
    bool ok = isnan(want) ? isnan(got) : isinf(want) || want == 0 ? got == want
            : fabs(got - want) <= 1e-13 * fabs(want);
    if (!ok) fprintf(stderr, "\n  %s(%g, %g, %g): %s %.17g, expected %.17g\n", c->name, c->a[0], c->a[1], c->a[2],
                     what, got, want);
    CU_ASSERT(ok);
}

static void test_moments(void)
{
    for (size_t i = 0; i < sizeof MOMENTS / sizeof MOMENTS[0]; i++) {
        const MomentCase *c = &MOMENTS[i];
        const DistInfo *d = get(c->name);
        if (dist_index(d) >= 0 && dist_index(d) < 64) moments_seen[c->extreme][dist_index(d)] = true;
        expect_moment(d->mean(c->a), c->mean, "mean", c);
        expect_moment(d->sd(c->a), c->sd, "sd", c);
    }
}

/* ---------------------------------------------------------------- main */


/* Every proper entry's generator is checked above, and its mean and sd
** at ordinary and at extreme arguments. */
static void test_every_generator(void)
{
    CU_ASSERT_FATAL(dist_count() <= 64);
    for (int i = 0; i < dist_count(); i++) {
        const DistInfo *d = dist_at(i);
        if (d->improper) continue;
        if (!drawn[i]) fprintf(stderr, "\n  %s (entry %d): its draws are not checked\n", d->summary, i);
        if (!moments_seen[0][i]) fprintf(stderr, "\n  %s (entry %d): no moments at ordinary arguments\n", d->summary, i);
        if (!moments_seen[1][i]) fprintf(stderr, "\n  %s (entry %d): no moments at extreme arguments\n", d->summary, i);
        CU_ASSERT(drawn[i]);
        CU_ASSERT(moments_seen[0][i]);
        CU_ASSERT(moments_seen[1][i]);
    }
}

static CU_TestInfo random_tests[] = {
    {"draws match mean, variance and support", test_random},
    {"draws reproducible", test_random_reproducible},
    {"closed-form means and sds, ordinary and extreme", test_moments},
    {"every generator and its moments checked", test_every_generator},
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
