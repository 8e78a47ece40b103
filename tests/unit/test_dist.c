/*
** test_dist.c -- the distribution table: log densities against GSL's pdf
** functions and R, every partial derivative against central finite
** differences, supports and argument checks; and that every entry has
** them.  The generators and moments are in test_dist_random.c.
**
** Reference values: GSL's gsl_ran_*_pdf, called here, where they are
** accurate (moderate arguments); R 4 (Rscript, digits = 17) for extreme
** regimes, pasted as literals with the R expression beside each; closed
** forms worked out by hand in the comments.
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

/* Which entries each kind of check has looked at: every entry of the
** table must have reference densities and derivative checks here (and
** draws checked in test_dist_random.c), or test_every_entry fails. */
enum { SEEN_OTHER, SEEN_DENSITY, SEEN_DERIVATIVE, SEEN_KINDS };
static int seeing = SEEN_OTHER;
static bool seen[SEEN_KINDS][64];

/* The entry called name, recorded as seen by the kind of check running. */
static const DistInfo *get(const char *name)
{
    const DistInfo *d = dist_named(name);
    if (dist_index(d) >= 0 && dist_index(d) < 64) seen[seeing][dist_index(d)] = true;
    return d;
}

/* The log density of name at x; unused trailing arguments are ignored. */
static double lp(const char *name, double x, double a0, double a1, double a2)
{
    double a[DIST_MAX_ARGS] = {a0, a1, a2};
    return get(name)->logpdf(x, a, NULL, 0);
}

/* ---------------------------------------------------------------- table */

static const char *const NAMES[] = {
    "Beta", "Binomial", "Bernoulli", "Normal", "HalfNormal", "StudentT", "Cauchy",
    "HalfCauchy", "Exponential", "Gamma", "InverseGamma", "LogNormal", "Uniform",
    "Poisson", "NegativeBinomial", "Flat", "HalfFlat", "Logistic", "Laplace",
    "Weibull", "Geometric", "BetaBinomial",
};
#define NNAMES ((int)(sizeof NAMES / sizeof NAMES[0]))

/* The alternative parameterisations, after the first ones: PyMC's logit_p. */
static const struct { const char *name; const char *args[2]; } ALTERNATIVES[] = {
    {"Bernoulli", {"logit_p"}}, {"Binomial", {"n", "logit_p"}},
};
#define NALTERNATIVES ((int)(sizeof ALTERNATIVES / sizeof ALTERNATIVES[0]))

static void test_table(void)
{
    CU_ASSERT_EQUAL(dist_count(), NNAMES + NALTERNATIVES);
    CU_ASSERT_PTR_NULL(dist_at(-1));
    CU_ASSERT_PTR_NULL(dist_at(dist_count()));
    CU_ASSERT_EQUAL(dist_index(NULL), -1);
    for (int i = 0; i < dist_count(); i++) CU_ASSERT_EQUAL(dist_index(dist_at(i)), i);
    CU_ASSERT_PTR_NULL(dist_lookup("Binomal"));
    CU_ASSERT_PTR_NULL(dist_lookup("beta"));
    CU_ASSERT_PTR_NULL(dist_lookup(""));
    CU_ASSERT_PTR_NULL(dist_lookup(NULL));
    for (int i = 0; i < dist_count(); i++) {
        const DistInfo *d = dist_at(i);
        CU_ASSERT_EQUAL(d->alternative, i >= NNAMES);
        if (i < NNAMES) {
            CU_ASSERT_STRING_EQUAL(d->name, NAMES[i]);
            CU_ASSERT_PTR_EQUAL(dist_lookup(NAMES[i]), d);
        } else {
            /* found by its keywords, not by its name alone */
            const char *const *args = ALTERNATIVES[i - NNAMES].args;
            CU_ASSERT_STRING_EQUAL(d->name, ALTERNATIVES[i - NNAMES].name);
            CU_ASSERT_PTR_NOT_EQUAL(dist_lookup(d->name), d);
            CU_ASSERT_PTR_EQUAL(dist_variant(dist_lookup(d->name), args, d->nargs), d);
            /* the first parameterisation's own keywords find it; both at once, none */
            const DistInfo *first = dist_lookup(d->name);
            CU_ASSERT_PTR_EQUAL(dist_variant(first, first->arg_names, first->nargs), first);
            const char *both[] = {"p", "logit_p"};
            CU_ASSERT_PTR_NULL(dist_variant(first, both, 2));
            for (int k = 0; k < d->nargs; k++) CU_ASSERT_STRING_EQUAL(d->arg_names[k], args[k]);
        }
        CU_ASSERT(d->nargs >= 0 && d->nargs <= DIST_MAX_ARGS);
        for (int k = 0; k < d->nargs; k++) CU_ASSERT_PTR_NOT_NULL(d->arg_names[k]);
        /* the summary starts with the call form, "Beta(" */
        size_t len = strlen(d->name);
        CU_ASSERT(strncmp(d->summary, d->name, len) == 0 && d->summary[len] == '(');
        CU_ASSERT_PTR_NOT_NULL(d->logpdf);
        CU_ASSERT_EQUAL(d->random == NULL, d->improper);
        CU_ASSERT_EQUAL(d->mean == NULL, d->improper);
        CU_ASSERT_EQUAL(d->sd == NULL, d->improper);
        bool counted = d->support == SUPPORT_COUNT || d->support == SUPPORT_BOUNDED_COUNT ||
                       d->support == SUPPORT_BINARY || d->support == SUPPORT_POSITIVE_COUNT;
        CU_ASSERT_EQUAL(d->discrete, counted);
        int ncount = 0;
        for (int k = 0; k < d->nargs; k++) ncount += d->arg_constraint[k] == ARG_COUNT;
        CU_ASSERT_EQUAL(ncount, d->support == SUPPORT_BOUNDED_COUNT ? 1 : 0);
    }
    CU_ASSERT(get("Flat")->improper && get("HalfFlat")->improper);
    CU_ASSERT_EQUAL(get("Flat")->nargs, 0);
    CU_ASSERT_EQUAL(get("HalfFlat")->nargs, 0);
}

/* PyMC's argument names, in PyMC's order. */
static void test_arg_names(void)
{
    static const struct { const char *name; const char *args[3]; } want[] = {
        {"Beta", {"alpha", "beta"}}, {"Binomial", {"n", "p"}}, {"Bernoulli", {"p"}},
        {"Normal", {"mu", "sigma"}}, {"HalfNormal", {"sigma"}},
        {"StudentT", {"nu", "mu", "sigma"}}, {"Cauchy", {"alpha", "beta"}},
        {"HalfCauchy", {"beta"}}, {"Exponential", {"lam"}}, {"Gamma", {"alpha", "beta"}},
        {"InverseGamma", {"alpha", "beta"}}, {"LogNormal", {"mu", "sigma"}},
        {"Uniform", {"lower", "upper"}}, {"Poisson", {"mu"}},
        {"NegativeBinomial", {"mu", "alpha"}}, {"Logistic", {"mu", "s"}},
        {"Laplace", {"mu", "b"}}, {"Weibull", {"alpha", "beta"}}, {"Geometric", {"p"}},
        {"BetaBinomial", {"alpha", "beta", "n"}},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const DistInfo *d = get(want[i].name);
        int n = 0;
        while (n < 3 && want[i].args[n]) n++;
        CU_ASSERT_EQUAL(d->nargs, n);
        for (int k = 0; k < n && k < d->nargs; k++)
            CU_ASSERT_STRING_EQUAL(d->arg_names[k], want[i].args[k]);
    }
    CU_ASSERT_EQUAL(get("Binomial")->arg_constraint[0], ARG_COUNT);
    CU_ASSERT_EQUAL(get("Binomial")->arg_constraint[1], ARG_UNIT);
    CU_ASSERT_EQUAL(get("BetaBinomial")->arg_constraint[2], ARG_COUNT);
    CU_ASSERT_EQUAL(get("Poisson")->arg_constraint[0], ARG_POSITIVE);
    CU_ASSERT_EQUAL(get("StudentT")->arg_constraint[1], ARG_REAL);
    CU_ASSERT_EQUAL(get("Uniform")->support, SUPPORT_INTERVAL);
    CU_ASSERT_EQUAL(get("Geometric")->support, SUPPORT_POSITIVE_COUNT);
}

/* ---------------------------------------------------------------- log densities */

#define TOL 1e-12

/* Moderate arguments against GSL's own densities. */
static void test_logpdf_vs_gsl(void)
{
    seeing = SEEN_DENSITY;
    static const double xs01[] = {0.3, 0.01, 0.99, 0.5};
    static const double shapes[][2] = {{2, 5}, {0.5, 0.5}, {1, 1}, {3.5, 1.2}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double x = xs01[i], a = shapes[j][0], b = shapes[j][1];
            ASSERT_CLOSE(lp("Beta", x, a, b, 0), log(gsl_ran_beta_pdf(x, a, b)), TOL);
        }

    for (unsigned k = 0; k <= 10; k++)
        ASSERT_CLOSE(lp("Binomial", k, 10, 0.3, 0), log(gsl_ran_binomial_pdf(k, 0.3, 10)), TOL);
    for (unsigned k = 0; k <= 300; k += 30)
        ASSERT_CLOSE(lp("Binomial", k, 1000, 0.12, 0),
                     log(gsl_ran_binomial_pdf(k, 0.12, 1000)), TOL);
    ASSERT_CLOSE(lp("Binomial", 7, 7, 0.8, 0), log(gsl_ran_binomial_pdf(7, 0.8, 7)), TOL);

    for (unsigned k = 0; k <= 1; k++)
        ASSERT_CLOSE(lp("Bernoulli", k, 0.3, 0, 0), log(gsl_ran_bernoulli_pdf(k, 0.3)), TOL);

    static const double reals[] = {-3, 0, 1, 4.5, 12};
    static const double locscale[][2] = {{1, 2}, {0, 1}, {-2, 0.1}, {10, 30}};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) {
            double x = reals[i], m = locscale[j][0], s = locscale[j][1];
            ASSERT_CLOSE(lp("Normal", x, m, s, 0), log(gsl_ran_gaussian_pdf(x - m, s)), TOL);
            ASSERT_CLOSE(lp("Cauchy", x, m, s, 0), log(gsl_ran_cauchy_pdf(x - m, s)), TOL);
            ASSERT_CLOSE(lp("Logistic", x, m, s, 0), log(gsl_ran_logistic_pdf(x - m, s)), TOL);
            ASSERT_CLOSE(lp("Laplace", x, m, s, 0), log(gsl_ran_laplace_pdf(x - m, s)), TOL);
            static const double nus[] = {0.5, 1, 3, 30};
            for (int k = 0; k < 4; k++)
                ASSERT_CLOSE(lp("StudentT", x, nus[k], m, s),
                             log(gsl_ran_tdist_pdf((x - m) / s, nus[k]) / s), TOL);
            ASSERT_CLOSE(lp("Uniform", s / 2, 0, s, 0), log(gsl_ran_flat_pdf(s / 2, 0, s)), TOL);
            ASSERT_CLOSE(lp("Uniform", x, x - s, x + 2 * s, 0),
                         log(gsl_ran_flat_pdf(x, x - s, x + 2 * s)), TOL);
        }

    static const double pos[] = {0.01, 0.3, 1, 2.5, 17};
    static const double two[][2] = {{3, 1.5}, {0.5, 2}, {1, 0.2}, {7.5, 4}};
    for (int i = 0; i < 5; i++) {
        double x = pos[i];
        for (int j = 0; j < 4; j++) {
            double a = two[j][0], b = two[j][1];
            /* HalfNormal and HalfCauchy: twice the centred density */
            ASSERT_CLOSE(lp("HalfNormal", x, b, 0, 0), log(2 * gsl_ran_gaussian_pdf(x, b)), TOL);
            ASSERT_CLOSE(lp("HalfCauchy", x, b, 0, 0), log(2 * gsl_ran_cauchy_pdf(x, b)), TOL);
            /* GSL's exponential takes the mean, its gamma the scale */
            ASSERT_CLOSE(lp("Exponential", x, b, 0, 0), log(gsl_ran_exponential_pdf(x, 1 / b)), TOL);
            ASSERT_CLOSE(lp("Gamma", x, a, b, 0), log(gsl_ran_gamma_pdf(x, a, 1 / b)), TOL);
            /* 1/X ~ Gamma(alpha, rate beta), with the Jacobian 1/x^2 */
            ASSERT_CLOSE(lp("InverseGamma", x, a, b, 0),
                         log(gsl_ran_gamma_pdf(1 / x, a, 1 / b) / (x * x)), TOL);
            ASSERT_CLOSE(lp("LogNormal", x, a - 2, b, 0),
                         log(gsl_ran_lognormal_pdf(x, a - 2, b)), TOL);
            /* GSL's Weibull takes (scale, shape), PyMC's (shape, scale) */
            ASSERT_CLOSE(lp("Weibull", x, a, b, 0), log(gsl_ran_weibull_pdf(x, b, a)), TOL);
        }
    }

    static const double mus[] = {3.5, 0.01, 40};
    for (int j = 0; j < 3; j++)
        for (unsigned k = 0; k <= 60; k += 3)
            ASSERT_CLOSE(lp("Poisson", k, mus[j], 0, 0), log(gsl_ran_poisson_pdf(k, mus[j])), TOL);

    /* PyMC's (mu, alpha) is GSL's (p = alpha/(mu+alpha), n = alpha) */
    static const double nb[][2] = {{4, 2}, {3, 0.5}, {0.2, 10}, {50, 3}};
    for (int j = 0; j < 4; j++)
        for (unsigned k = 0; k <= 60; k += 4) {
            double mu = nb[j][0], al = nb[j][1];
            ASSERT_CLOSE(lp("NegativeBinomial", k, mu, al, 0),
                         log(gsl_ran_negative_binomial_pdf(k, al / (mu + al), al)), TOL);
        }

    for (unsigned k = 1; k <= 40; k += 3) {
        ASSERT_CLOSE(lp("Geometric", k, 0.25, 0, 0), log(gsl_ran_geometric_pdf(k, 0.25)), TOL);
        ASSERT_CLOSE(lp("Geometric", k, 0.9, 0, 0), log(gsl_ran_geometric_pdf(k, 0.9)), TOL);
    }

    CU_ASSERT_EQUAL(lp("Flat", -1e300, 0, 0, 0), 0);
    CU_ASSERT_EQUAL(lp("HalfFlat", 3, 0, 0, 0), 0);
}

/* Extreme regimes against R. */
static void test_logpdf_vs_r(void)
{
    seeing = SEEN_DENSITY;
    /* dbinom(0, 1e9, 1e-9, log=TRUE) */
    ASSERT_CLOSE(lp("Binomial", 0, 1e9, 1e-9, 0), -1.0000000005, TOL);
    /* dbinom(1e9, 1e9, 1-1e-9, log=TRUE) */
    ASSERT_CLOSE(lp("Binomial", 1e9, 1e9, 1 - 1e-9, 0), -0.99999997221806858, TOL);
    /* dbinom(3, 1e9, 1e-9, log=TRUE) */
    ASSERT_CLOSE(lp("Binomial", 3, 1e9, 1e-9, 0), -2.7917594697280554, TOL);
    /* dbinom(5e8, 1e9, 0.5, log=TRUE) */
    ASSERT_CLOSE(lp("Binomial", 5e8, 1e9, 0.5, 0), -10.587424271367933, TOL);
    /* dbinom(300000123, 1e9, 0.3, log=TRUE) */
    ASSERT_CLOSE(lp("Binomial", 300000123, 1e9, 0.3, 0), -10.500283716427601, TOL);
    /* Here R's dbinom(999999990, 1e9, 1-1e-8, log=TRUE) = -2.0785616406474361
    ** is itself off by 2.5e-9; the reference is Python's mpmath at 50 digits:
    ** loggamma(n+1) - loggamma(x+1) - loggamma(n-x+1) + x*log(p) + (n-x)*log(1-p)
    ** with p the double nearest 1-1e-8. */
    ASSERT_CLOSE(lp("Binomial", 999999990, 1e9, 1 - 1e-8, 0), -2.0785616381350586, TOL);
    /* dbinom(4e12, 1e13, 0.4, log=TRUE): n beyond unsigned int */
    ASSERT_CLOSE(lp("Binomial", 4e12, 1e13, 0.4, 0), -15.172183459845922, TOL);
    /* dbinom(120, 1000, 0.12, log=TRUE) */
    ASSERT_CLOSE(lp("Binomial", 120, 1000, 0.12, 0), -3.2494735253127844, TOL);

    /* The log-odds parameterisations.  dbinom(3, 10, plogis(-1.2), log=TRUE) */
    ASSERT_CLOSE(lp("Binomial logit_p", 3, 10, -1.2, 0), -1.4453329305982658, TOL);
    /* dbinom(3, 1e9, plogis(-20.7), log=TRUE) */
    ASSERT_CLOSE(lp("Binomial logit_p", 3, 1e9, -20.7, 0), -2.7455005586244199, TOL);
    /* dbinom(500070000, 1e9, plogis(0.0003), log=TRUE) */
    ASSERT_CLOSE(lp("Binomial logit_p", 500070000, 1e9, 0.0003, 0), -10.637424251393986, TOL);
    /* p = plogis(-800) underflows; in log space: lchoose(10, 3) +
    ** 3 * plogis(-800, log.p=TRUE) + 7 * plogis(-800, lower.tail=FALSE, log.p=TRUE) */
    ASSERT_REL(lp("Binomial logit_p", 3, 10, -800, 0), -2395.2125082572179, TOL);
    /* plogis(-800, log.p=TRUE); plogis(40, lower.tail=FALSE, log.p=TRUE) */
    ASSERT_REL(lp("Bernoulli logit_p", 1, -800, 0, 0), -800, TOL);
    ASSERT_REL(lp("Bernoulli logit_p", 0, 40, 0, 0), -40, TOL);

    /* dpois(1e9, 1e9, log=TRUE) */
    ASSERT_CLOSE(lp("Poisson", 1e9, 1e9, 0, 0), -11.28057145176121, TOL);
    /* dpois(1e6, 1e-3, log=TRUE) */
    ASSERT_REL(lp("Poisson", 1e6, 1e-3, 0, 0), -19723273.664640304, TOL);
    /* dpois(3, 1e-300, log=TRUE) */
    ASSERT_REL(lp("Poisson", 3, 1e-300, 0, 0), -2074.1183431638692, TOL);
    /* dpois(0, 1e300, log=TRUE) */
    ASSERT_REL(lp("Poisson", 0, 1e300, 0, 0), -1e300, TOL);

    /* dnbinom(1e6, size=0.5, mu=1e6, log=TRUE) */
    ASSERT_CLOSE(lp("NegativeBinomial", 1e6, 1e6, 0.5, 0), -15.234449341168927, TOL);
    /* The Poisson limit.  R's dnbinom(5, size=1e12, mu=5, log=TRUE) =
    ** -1.7403021806265428 is off by 1.2e-11; the reference is mpmath at 50
    ** digits: loggamma(x+a) - loggamma(a) - loggamma(x+1) + a*log(a/(mu+a))
    ** + x*log(mu/(mu+a)).  dpois(5, 5, log=TRUE) = -1.7403021806115442 is
    ** 2.5e-12 away, as the overdispersion 1e-12 predicts. */
    ASSERT_CLOSE(lp("NegativeBinomial", 5, 5, 1e12, 0), -1.7403021806140441, TOL);
    /* dnbinom(1e9, size=1e9, mu=1e9, log=TRUE) */
    ASSERT_CLOSE(lp("NegativeBinomial", 1e9, 1e9, 1e9, 0), -11.627145042082851, TOL);
    /* dnbinom(3, size=1e-3, mu=1e4, log=TRUE) */
    ASSERT_CLOSE(lp("NegativeBinomial", 3, 1e4, 1e-3, 0), -8.0209865880264566, TOL);
    /* dnbinom(0, size=1e-3, mu=1e4, log=TRUE) */
    ASSERT_CLOSE(lp("NegativeBinomial", 0, 1e4, 1e-3, 0), -0.016118095750958315, TOL);

    /* dbeta(1e-6, 0.5, 0.5, log=TRUE) */
    ASSERT_CLOSE(lp("Beta", 1e-6, 0.5, 0.5, 0), 5.763025893132987, TOL);
    /* dbeta(1-1e-6, 2, 0.3, log=TRUE) */
    ASSERT_CLOSE(lp("Beta", 1 - 1e-6, 2, 0.3, 0), 8.7292478506959164, TOL);
    /* dbeta(1e-300, 0.1, 3, log=TRUE) */
    ASSERT_CLOSE(lp("Beta", 1e-300, 0.1, 3, 0), 619.53949035937205, TOL);
    /* dbeta(0.5, 1e6, 1e6, log=TRUE) */
    ASSERT_CLOSE(lp("Beta", 0.5, 1e6, 1e6, 0), 7.0285373916173821, TOL);

    /* dt(0.5, 1e10, log=TRUE) */
    ASSERT_CLOSE(lp("StudentT", 0.5, 1e10, 0, 1), -1.0439385332406104, TOL);
    /* dt((3-1)/0.5, 2.5, log=TRUE) - log(0.5) */
    ASSERT_CLOSE(lp("StudentT", 3, 2.5, 1, 0.5), -3.8260824132682218, TOL);
    /* dt(1e100, 3, log=TRUE); the same as
    ** lgamma(2) - lgamma(1.5) - 0.5*log(3*pi) - 2*(200*log(10) - log(3)) */
    ASSERT_CLOSE(lp("StudentT", 1e100, 3, 0, 1), -919.8377014699056, TOL);
    /* |z| = 1e200, beyond the square's range:
    ** lgamma(2) - lgamma(1.5) - 0.5*log(3*pi) - 2*(400*log(10) - log(3)) by hand */
    ASSERT_REL(lp("StudentT", 1e200, 3, 0, 1),
               lgamma(2) - lgamma(1.5) - 0.5 * log(3 * M_PI) - 2 * (400 * M_LN10 - log(3)), TOL);

    /* dgamma(1e-300, shape=0.5, rate=2, log=TRUE) */
    ASSERT_CLOSE(lp("Gamma", 1e-300, 0.5, 2, 0), 345.16197259646214, TOL);
    /* dgamma(1e6, shape=1e6, rate=1, log=TRUE) */
    ASSERT_CLOSE(lp("Gamma", 1e6, 1e6, 1, 0), -7.8266938955201431, TOL);
    /* dgamma(2.5, shape=3, rate=1.5, log=TRUE) */
    ASSERT_CLOSE(lp("Gamma", 2.5, 3, 1.5, 0), -1.394170392487142, TOL);
    /* dgamma(1e-3/1e8, shape=1e-3, rate=1e8, log=TRUE) */
    ASSERT_CLOSE(lp("Gamma", 1e-3 / 1e8, 1e-3, 1e8, 0), 18.413349382271665, TOL);
    /* dgamma(1e-8, shape=0.3, rate=2, log=TRUE) */
    ASSERT_CLOSE(lp("Gamma", 1e-8, 0.3, 2, 0), 12.006622660116562, TOL);

    /* 3*log(2) - lgamma(3) - 4*log(0.7) - 2/0.7: InverseGamma(3, 2) at 0.7 */
    ASSERT_CLOSE(lp("InverseGamma", 0.7, 3, 2, 0), -0.044148720268037067, TOL);
    /* dgamma(1/0.02, shape=1e6, rate=2e4, log=TRUE) - 2*log(0.02) */
    ASSERT_CLOSE(lp("InverseGamma", 0.02, 1e6, 2e4, 0), 9.9008396678722761, TOL);

    /* dnorm(1e-300, 0, 1e-300, log=TRUE) */
    ASSERT_CLOSE(lp("Normal", 1e-300, 0, 1e-300, 0), 689.35658936500897, TOL);
    /* dnorm(3e300, 1e300, 1e300, log=TRUE) */
    ASSERT_CLOSE(lp("Normal", 3e300, 1e300, 1e300, 0), -693.69446643141839, TOL);
    /* dnorm(1e10, -2e10, 1e10, log=TRUE) */
    ASSERT_CLOSE(lp("Normal", 1e10, -2e10, 1e10, 0), -28.444789463145131, TOL);
    /* log(2) + dnorm(1e-8, 0, 1, log=TRUE) */
    ASSERT_CLOSE(lp("HalfNormal", 1e-8, 1, 0, 0), -0.22579135264472749, TOL);

    /* log(2) + dcauchy(1e5, 0, 0.1, log=TRUE) */
    ASSERT_CLOSE(lp("HalfCauchy", 1e5, 0.1, 0, 0), -25.78001872822496, TOL);
    /* z = 1e200: -log(pi) - log(1 + z^2) = -log(pi) - 400 log(10) to double precision */
    ASSERT_REL(lp("Cauchy", 1e200, 0, 1, 0), -M_LNPI - 400 * M_LN10, TOL);

    /* dlnorm(1e-200, 0, 1, log=TRUE) */
    ASSERT_REL(lp("LogNormal", 1e-200, 0, 1, 0), -105578.36412950236, TOL);
    /* dlnorm(2, 0.3, 0.8, log=TRUE) */
    ASSERT_CLOSE(lp("LogNormal", 2, 0.3, 0.8, 0), -1.5096958386865289, TOL);

    /* dlogis(800, 0, 1, log=TRUE) */
    ASSERT_CLOSE(lp("Logistic", 800, 0, 1, 0), -800, TOL);
    /* dlogis(-30, 1, 2, log=TRUE) */
    ASSERT_CLOSE(lp("Logistic", -30, 1, 2, 0), -16.193147551638184, TOL);

    /* dweibull(1e-10, 0.5, 2, log=TRUE) */
    ASSERT_CLOSE(lp("Weibull", 1e-10, 0.5, 2, 0), 10.473197623062498, TOL);
    /* dweibull(5, 10, 4, log=TRUE) */
    ASSERT_CLOSE(lp("Weibull", 5, 10, 4, 0), -6.3886430524527427, TOL);

    /* dgeom(1e9-1, 1e-9, log=TRUE): R counts failures, PyMC trials */
    ASSERT_CLOSE(lp("Geometric", 1e9, 1e-9, 0, 0), -21.723265836446412, TOL);
    /* dgeom(0, 1, log=TRUE) */
    CU_ASSERT_EQUAL(lp("Geometric", 1, 1, 0, 0), 0);

    /* lchoose(10, 3) + lbeta(3+2, 10-3+5) - lbeta(2, 5) */
    ASSERT_CLOSE(lp("BetaBinomial", 3, 2, 5, 10), -1.8028093054146388, TOL);
    /* lchoose(20, 0) + lbeta(0+0.5, 20+0.5) - lbeta(0.5, 0.5) */
    ASSERT_CLOSE(lp("BetaBinomial", 0, 0.5, 0.5, 20), -2.0764804291473871, TOL);
    /* lchoose(1e6, 3e5) + lbeta(3e5+2.5, 1e6-3e5+4) - lbeta(2.5, 4): the sum
    ** cancels from about 6e5 down to 13, so both sides keep ~1e-10 */
    ASSERT_CLOSE(lp("BetaBinomial", 3e5, 2.5, 4, 1e6), -13.10537792972489, 1e-9);
}

/* p exactly 0 or 1: 0 or -inf, never NaN, derivatives included. */
static void test_logpdf_boundaries(void)
{
    const DistInfo *bin = get("Binomial"), *ber = get("Bernoulli"), *geo = get("Geometric");
    double d[4];
    struct { double x, n, p, want; } bc[] = {
        {0, 10, 0, 0}, {10, 10, 1, 0}, {3, 10, 0, -INFINITY}, {3, 10, 1, -INFINITY},
        {10, 10, 0, -INFINITY}, {0, 10, 1, -INFINITY}, {0, 0, 0.3, 0}, {0, 0, 1, 0},
        {0, 1e9, 0, 0}, {1e9, 1e9, 1, 0},
    };
    for (size_t i = 0; i < sizeof bc / sizeof bc[0]; i++) {
        double a[2] = {bc[i].n, bc[i].p};
        double v = bin->logpdf(bc[i].x, a, d, DIST_WANT_ALL);
        CU_ASSERT_EQUAL(v, bc[i].want);
        CU_ASSERT(!isnan(d[0]) && !isnan(d[1]) && !isnan(d[2]));
    }
    struct { double x, p, want; } be[] = {
        {0, 0, 0}, {1, 1, 0}, {1, 0, -INFINITY}, {0, 1, -INFINITY},
    };
    for (size_t i = 0; i < sizeof be / sizeof be[0]; i++) {
        double a[1] = {be[i].p};
        CU_ASSERT_EQUAL(ber->logpdf(be[i].x, a, d, DIST_WANT_ALL), be[i].want);
        CU_ASSERT(!isnan(d[0]) && !isnan(d[1]));
    }
    double one = 1, zero = 0;
    CU_ASSERT_EQUAL(geo->logpdf(1, &one, d, DIST_WANT_ALL), 0);
    CU_ASSERT(!isnan(d[1]));
    CU_ASSERT_EQUAL(geo->logpdf(4, &one, d, DIST_WANT_ALL), -INFINITY);
    CU_ASSERT_EQUAL(geo->logpdf(4, &zero, d, DIST_WANT_ALL), -INFINITY);
    /* Binomial(10, 0) at 0 has slope -n in p: d/dp [n log(1-p)] at 0 */
    double a0[2] = {10, 0};
    bin->logpdf(0, a0, d, DIST_WANT_ALL);
    CU_ASSERT_EQUAL(d[2], -10);
}

/* A discrete distribution's mass sums to 1: a check on every constant. */
static double mass_sum(const char *name, double a0, double a1, double a2, double first, double last)
{
    double s = 0;
    for (double x = first; x <= last; x++) s += exp(lp(name, x, a0, a1, a2));
    return s;
}

static void test_mass_sums(void)
{
    ASSERT_CLOSE(mass_sum("Binomial", 50, 0.37, 0, 0, 50), 1, 1e-13);
    ASSERT_CLOSE(mass_sum("Bernoulli", 0.37, 0, 0, 0, 1), 1, 1e-15);
    ASSERT_CLOSE(mass_sum("Poisson", 6.5, 0, 0, 0, 200), 1, 1e-13);
    ASSERT_CLOSE(mass_sum("NegativeBinomial", 6.5, 1.5, 0, 0, 2000), 1, 1e-13);
    ASSERT_CLOSE(mass_sum("Geometric", 0.3, 0, 0, 1, 400), 1, 1e-13);
    ASSERT_CLOSE(mass_sum("BetaBinomial", 2, 3, 10, 0, 10), 1, 1e-13);
    ASSERT_CLOSE(mass_sum("BetaBinomial", 0.5, 0.5, 20, 0, 20), 1, 1e-13);
    ASSERT_CLOSE(mass_sum("BetaBinomial", 30, 0.7, 200, 0, 200), 1, 1e-13);
}

/* ---------------------------------------------------------------- derivatives */

typedef struct {
    const char *name;
    double v[1 + DIST_MAX_ARGS];   /* x, then the arguments */
} Point;

static const Point POINTS[] = {
    {"Beta", {0.3, 2, 5}}, {"Beta", {1e-6, 0.5, 0.5}}, {"Beta", {1 - 1e-6, 2, 0.3}},
    {"Beta", {0.5, 0.05, 0.02}}, {"Beta", {0.9, 50, 3}}, {"Beta", {0.2, 1, 1}},
    {"Binomial", {3, 10, 0.2}}, {"Binomial", {0, 10, 0.3}}, {"Binomial", {10, 10, 0.7}},
    {"Binomial", {3, 1e9, 1e-9}}, {"Binomial", {5e8 + 7e4, 1e9, 0.5}},
    {"Bernoulli", {1, 0.3}}, {"Bernoulli", {0, 0.3}}, {"Bernoulli", {0, 1e-9}},
    {"Bernoulli", {1, 1 - 1e-9}},
    {"Bernoulli logit_p", {1, 0.3}}, {"Bernoulli logit_p", {0, -2}}, {"Bernoulli logit_p", {1, -30}},
    {"Bernoulli logit_p", {0, 30}},
    {"Binomial logit_p", {3, 10, -1.2}}, {"Binomial logit_p", {0, 10, 2}}, {"Binomial logit_p", {10, 10, 0.5}},
    {"Binomial logit_p", {3, 1e9, -20.7}}, {"Binomial logit_p", {5e8 + 7e4, 1e9, 0.0003}},
    {"Normal", {1.5, 0.5, 2}}, {"Normal", {-3, 0, 1e-3}}, {"Normal", {3e-300, 0, 1e-300}},
    {"Normal", {1e10, -2e10, 1e10}},
    {"HalfNormal", {0.5, 2}}, {"HalfNormal", {1e-8, 1}}, {"HalfNormal", {30, 3}},
    {"StudentT", {0.5, 3, 0, 1}}, {"StudentT", {-20, 1.5, 2, 0.5}},
    {"StudentT", {1, 1e6, 0, 1}}, {"StudentT", {4, 0.1, 1, 3}},
    {"Cauchy", {0.3, 1, 2}}, {"Cauchy", {1e4, 0, 0.01}},
    {"HalfCauchy", {0.3, 2}}, {"HalfCauchy", {1e5, 0.1}},
    {"Exponential", {0.1, 3}}, {"Exponential", {1e-10, 1e5}},
    {"Gamma", {2.5, 3, 1.5}}, {"Gamma", {1e-8, 0.3, 2}}, {"Gamma", {1e6 + 500, 1e6, 1}},
    {"Gamma", {0.5, 1, 2}},
    {"InverseGamma", {0.7, 3, 2}}, {"InverseGamma", {1e-3, 0.5, 1e-2}},
    {"InverseGamma", {50, 2.5, 100}},
    {"LogNormal", {2, 0.3, 0.8}}, {"LogNormal", {1e-5, 0, 3}},
    {"Uniform", {0.3, 0, 1}}, {"Uniform", {-1.5, -2, 5}},
    {"Poisson", {0, 3.5}}, {"Poisson", {7, 3.5}}, {"Poisson", {1e9, 1e9 - 3e4}},
    {"Poisson", {2, 1e-6}},
    {"NegativeBinomial", {0, 3, 2}}, {"NegativeBinomial", {7, 3, 0.5}},
    {"NegativeBinomial", {1e6, 1e6 + 100, 1e3}}, {"NegativeBinomial", {4, 5, 1e10}},
    {"Flat", {-3}}, {"HalfFlat", {2}},
    {"Logistic", {0.5, 1, 2}}, {"Logistic", {60, 0, 1}},
    {"Laplace", {2, 1, 0.5}}, {"Laplace", {-3, 1, 2}},
    {"Weibull", {1.2, 1.5, 2}}, {"Weibull", {1e-6, 0.5, 1}}, {"Weibull", {5, 10, 4}},
    {"Geometric", {1, 0.3}}, {"Geometric", {5, 0.3}}, {"Geometric", {1e6, 1e-6}},
    {"Geometric", {1, 1 - 1e-9}},
    {"BetaBinomial", {3, 2, 5, 10}}, {"BetaBinomial", {0, 0.5, 0.5, 20}},
    {"BetaBinomial", {20, 0.5, 0.5, 20}}, {"BetaBinomial", {400, 3, 7, 1000}},
};

/* Whether v (x and arguments) is a point where the density is defined. */
static bool point_ok(const DistInfo *d, const double *v)
{
    for (int k = 0; k < d->nargs; k++)
        if (!dist_arg_valid(d, k, v[1 + k])) return false;
    return dist_in_support(d, v[0], v + 1) && isfinite(d->logpdf(v[0], v + 1, NULL, 0));
}

/* Central difference in coordinate c.  The step is 1e-6 of the distance
** the coordinate can move both ways and stay defined (at most |v[c]|), so
** that points next to an edge get a step well inside it.  *noise receives
** the rounding error the difference can carry. */
static double central_difference(const DistInfo *d, const double *v, int c, double *noise)
{
    double t = v[c] != 0 ? fabs(v[c]) : 1;
    double up[4], dn[4];
    for (;;) {
        memcpy(up, v, sizeof up);
        memcpy(dn, v, sizeof dn);
        up[c] += t;
        dn[c] -= t;
        if (point_ok(d, up) && point_ok(d, dn)) break;
        t *= 0.5;
    }
    double h = 1e-6 * t;
    memcpy(up, v, sizeof up);
    memcpy(dn, v, sizeof dn);
    up[c] += h;
    dn[c] -= h;
    double fu = d->logpdf(up[0], up + 1, NULL, 0), fd = d->logpdf(dn[0], dn + 1, NULL, 0);
    double step = up[c] - dn[c];   /* the step actually taken, after rounding */
    *noise = 100 * DBL_EPSILON * (fabs(fu) + fabs(fd) + 1) / step;
    return (fu - fd) / step;
}

static void test_derivatives(void)
{
    seeing = SEEN_DERIVATIVE;
    for (size_t i = 0; i < sizeof POINTS / sizeof POINTS[0]; i++) {
        const Point *pt = &POINTS[i];
        const DistInfo *d = get(pt->name);
        CU_ASSERT_FATAL(point_ok(d, pt->v));
        double g[1 + DIST_MAX_ARGS + 1];
        for (int k = 0; k < (int)(sizeof g / sizeof g[0]); k++) g[k] = 12345;
        double f = d->logpdf(pt->v[0], pt->v + 1, g, DIST_WANT_ALL);
        CU_ASSERT_EQUAL(f, d->logpdf(pt->v[0], pt->v + 1, NULL, 0));
        /* only d[0 .. nargs] are written */
        for (int k = 1 + d->nargs; k < (int)(sizeof g / sizeof g[0]); k++)
            CU_ASSERT_EQUAL(g[k], 12345);
        for (int c = 0; c <= d->nargs; c++) {
            bool fixed = c == 0 ? d->discrete : d->arg_constraint[c - 1] == ARG_COUNT;
            if (fixed) {
                CU_ASSERT_EQUAL(g[c], 0);
                continue;
            }
            double noise;
            double fd = central_difference(d, pt->v, c, &noise);
            double tol = 1e-6 * fmax(1, fabs(fd)) + noise;
            int ok = fabs(g[c] - fd) <= tol;
            if (!ok)
                fprintf(stderr, "\n  %s at (%g, %g, %g, %g): d[%d] = %.17g, difference %.17g\n",
                        pt->name, pt->v[0], pt->v[1], pt->v[2], pt->v[3], c, g[c], fd);
            CU_ASSERT(ok);
        }
    }
}

/* The data part of a family's log density, from log-gammas: log C(n, k)
** + k log(k/n) + (n-k) log(1 - k/n) for the binomials (the terms of
** Loader's form free of p), log C(n, k) for BetaBinomial, and
** k log k - k - log k! for Poisson.  *scale is the size of the terms that
** cancel, for the tolerance. */
static double data_part_reference(const char *name, const double *v, double *scale)
{
    double k = v[0];
    if (strcmp(name, "Poisson") == 0) {
        *scale = fabs(gsl_sf_lngamma(k + 1)) + 1;
        return (k > 0 ? k * log(k) : 0) - k - gsl_sf_lngamma(k + 1);
    }
    double n = strcmp(name, "BetaBinomial") == 0 ? v[3] : v[1], j = n - k;
    double lchoose = gsl_sf_lngamma(n + 1) - gsl_sf_lngamma(k + 1) - gsl_sf_lngamma(j + 1);
    *scale = gsl_sf_lngamma(n + 1) + 1;
    if (strcmp(name, "BetaBinomial") == 0) return lchoose;
    return lchoose + (k > 0 ? k * log(k / n) : 0) + (j > 0 ? j * log(j / n) : 0);
}

/* A family's data part reads only the value and its count arguments (the
** compiler passes NAN for the others), and is what the reference above
** says; the whole log density, data part and rest, is checked against R
** and GSL above. */
static void test_data_part(void)
{
    int split = 0;
    for (size_t i = 0; i < sizeof POINTS / sizeof POINTS[0]; i++) {
        const Point *pt = &POINTS[i];
        const DistInfo *d = get(pt->name);
        CU_ASSERT((d->data_part == NULL) == (d->logpdf_rest == NULL));
        if (!d->data_part) continue;
        split++;
        double counts_only[DIST_MAX_ARGS];
        for (int k = 0; k < d->nargs; k++)
            counts_only[k] = d->arg_constraint[k] == ARG_COUNT ? pt->v[1 + k] : NAN;
        double part = d->data_part(pt->v[0], pt->v + 1);
        CU_ASSERT_EQUAL(part, d->data_part(pt->v[0], counts_only));
        double scale, want = data_part_reference(d->name, pt->v, &scale);
        bool ok = fabs(part - want) <= 1e-13 * scale;
        if (!ok) fprintf(stderr, "\n  %s at (%g, %g, %g): data part %.17g, reference %.17g\n",
                         pt->name, pt->v[0], pt->v[1], pt->v[2], part, want);
        CU_ASSERT(ok);
    }
    CU_ASSERT(split >= 4);   /* Binomial (both forms), Poisson, BetaBinomial */
}

/* ---------------------------------------------------------------- supports */

static bool in(const char *name, double x, double a0, double a1, double a2)
{
    double a[DIST_MAX_ARGS] = {a0, a1, a2};
    return dist_in_support(get(name), x, a);
}

static void test_support(void)
{
    CU_ASSERT(in("Binomial", 10, 10, 0.5, 0));
    CU_ASSERT(in("Binomial", 0, 10, 0.5, 0));
    CU_ASSERT(!in("Binomial", 12, 10, 0.5, 0));
    CU_ASSERT(!in("Binomial", 11, 10, 0.5, 0));
    CU_ASSERT(!in("Binomial", 1.5, 10, 0.5, 0));
    CU_ASSERT(!in("Binomial", -1, 10, 0.5, 0));
    CU_ASSERT(!in("Binomial", NAN, 10, 0.5, 0));
    CU_ASSERT(in("BetaBinomial", 10, 1, 1, 10));   /* n is the third argument */
    CU_ASSERT(!in("BetaBinomial", 11, 1, 1, 10));
    CU_ASSERT(!in("BetaBinomial", 2, 5, 5, 1));
    CU_ASSERT(in("Poisson", 0, 3, 0, 0));
    CU_ASSERT(in("Poisson", 1e15, 3, 0, 0));
    CU_ASSERT(!in("Poisson", -1, 3, 0, 0));
    CU_ASSERT(!in("Poisson", 2.5, 3, 0, 0));
    CU_ASSERT(!in("Poisson", INFINITY, 3, 0, 0));
    CU_ASSERT(in("NegativeBinomial", 0, 3, 1, 0));
    CU_ASSERT(!in("NegativeBinomial", 0.5, 3, 1, 0));
    CU_ASSERT(!in("Geometric", 0, 0.5, 0, 0));
    CU_ASSERT(in("Geometric", 1, 0.5, 0, 0));
    CU_ASSERT(in("Geometric", 7, 0.5, 0, 0));
    CU_ASSERT(!in("Geometric", 1.5, 0.5, 0, 0));
    CU_ASSERT(in("Bernoulli", 0, 0.5, 0, 0));
    CU_ASSERT(in("Bernoulli", 1, 0.5, 0, 0));
    CU_ASSERT(!in("Bernoulli", 0.5, 0.5, 0, 0));
    CU_ASSERT(!in("Bernoulli", 2, 0.5, 0, 0));
    CU_ASSERT(!in("Beta", 0, 1, 1, 0));
    CU_ASSERT(!in("Beta", 1, 1, 1, 0));
    CU_ASSERT(in("Beta", 1e-300, 1, 1, 0));
    CU_ASSERT(in("Beta", nextafter(1, 0), 1, 1, 0));
    CU_ASSERT(!in("Beta", NAN, 1, 1, 0));
    CU_ASSERT(!in("Uniform", -1, -1, 2, 0));
    CU_ASSERT(!in("Uniform", 2, -1, 2, 0));
    CU_ASSERT(!in("Uniform", 2.0000001, -1, 2, 0));
    CU_ASSERT(in("Uniform", 0, -1, 2, 0));
    CU_ASSERT(in("Uniform", nextafter(-1, 0), -1, 2, 0));
    CU_ASSERT(!in("HalfNormal", 0, 1, 0, 0));
    CU_ASSERT(!in("Exponential", -1e-300, 1, 0, 0));
    CU_ASSERT(in("Gamma", 1e-300, 1, 1, 0));
    CU_ASSERT(!in("HalfFlat", 0, 0, 0, 0));
    CU_ASSERT(in("HalfFlat", 1e-300, 0, 0, 0));
    CU_ASSERT(in("Flat", -1e308, 0, 0, 0));
    CU_ASSERT(!in("Flat", INFINITY, 0, 0, 0));
    CU_ASSERT(!in("Normal", -INFINITY, 0, 1, 0));
    CU_ASSERT(!in("Normal", NAN, 0, 1, 0));
    CU_ASSERT(in("Normal", -1e308, 0, 1, 0));

    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Normal")), "the real line");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Gamma")), "(0, inf)");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Beta")), "(0, 1)");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Uniform")), "(lower, upper)");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Poisson")), "0, 1, 2, ...");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Binomial")), "0, 1, ..., n");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Bernoulli")), "{0, 1}");
    CU_ASSERT_STRING_EQUAL(dist_support_text(get("Geometric")), "1, 2, 3, ...");
}

static void test_arg_valid(void)
{
    const DistInfo *bin = get("Binomial"), *nor = get("Normal"), *uni = get("Uniform");
    CU_ASSERT(dist_arg_valid(bin, 0, 10));
    CU_ASSERT(dist_arg_valid(bin, 0, 0));
    CU_ASSERT(dist_arg_valid(bin, 0, 9007199254740992.0));        /* 2^53 */
    CU_ASSERT(!dist_arg_valid(bin, 0, 9007199254740994.0));       /* 2^53 + 2 */
    CU_ASSERT(!dist_arg_valid(bin, 0, 10.5));
    CU_ASSERT(!dist_arg_valid(bin, 0, -1));
    CU_ASSERT(!dist_arg_valid(bin, 0, INFINITY));
    CU_ASSERT(!dist_arg_valid(bin, 0, NAN));
    CU_ASSERT(dist_arg_valid(bin, 1, 0));
    CU_ASSERT(dist_arg_valid(bin, 1, 1));
    CU_ASSERT(dist_arg_valid(bin, 1, 0.5));
    CU_ASSERT(!dist_arg_valid(bin, 1, 1.0000001));
    CU_ASSERT(!dist_arg_valid(bin, 1, -0.1));
    CU_ASSERT(!dist_arg_valid(bin, 1, NAN));
    CU_ASSERT(!dist_arg_valid(bin, 2, 0.5));                      /* no third argument */
    CU_ASSERT(!dist_arg_valid(bin, -1, 0.5));
    CU_ASSERT(dist_arg_valid(nor, 0, -1e300));
    CU_ASSERT(!dist_arg_valid(nor, 0, NAN));
    CU_ASSERT(!dist_arg_valid(nor, 0, -INFINITY));
    CU_ASSERT(dist_arg_valid(nor, 1, 1e-300));
    CU_ASSERT(!dist_arg_valid(nor, 1, 0));
    CU_ASSERT(!dist_arg_valid(nor, 1, -1));
    CU_ASSERT(!dist_arg_valid(nor, 1, INFINITY));
    CU_ASSERT(dist_arg_valid(uni, 0, -5));
    CU_ASSERT(dist_arg_valid(uni, 1, -5));
    CU_ASSERT(!dist_arg_valid(uni, 1, INFINITY));
    CU_ASSERT(!dist_arg_valid(get("Beta"), 0, 0));
    CU_ASSERT(!dist_arg_valid(get("Poisson"), 0, 0));
    CU_ASSERT(!dist_arg_valid(get("NegativeBinomial"), 1, 0));
    CU_ASSERT(!dist_arg_valid(get("Flat"), 0, 1));
    CU_ASSERT(dist_arg_valid(get("BetaBinomial"), 2, 7));
    CU_ASSERT(!dist_arg_valid(get("BetaBinomial"), 2, 7.5));
    CU_ASSERT(!dist_arg_valid(NULL, 0, 1));
}

/* Beta on its log-odds t, where x = inv_logit(t) rounds to 0 or 1: the
** density and d/dt against mpmath at 50 digits (x = 1/(1 + exp(-t)),
** (a-1) log x + (b-1) log(1-x) - log B(a, b), and mpmath.diff of it). */
static void test_beta_logodds(void)
{
    static const double ref[][5] = {   /* t, alpha, beta, log density, d/dt */
        {50.0, 0.02, 0.02, 44.395469141570554, 0.98},
        {-50.0, 0.02, 0.02, 44.395469141570554, -0.98},
        {700.0, 0.5, 0.5, 348.8552701141506, 0.5},
        {-700.0, 2.0, 3.0, -697.515093350212, 1.0},
        {9.0, 2.0, 5.0, -32.599419629286461, -3.9993830271200688},
        {-12.0, 1000.0, 2.0, -11974.18963413518, 998.99385582539779},
        {36.8, 1.0, 1.0, 0.0, 0.0},
        {40.0, 3.0, 0.7, 12.474057899573778, 0.3},
    };
    seeing = SEEN_DENSITY;
    const DistInfo *d = get("Beta");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d->logpdf_logodds);
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        double der[3];
        double lp = d->logpdf_logodds(ref[i][0], ref[i] + 1, der, DIST_WANT_ALL);
        ASSERT_CLOSE(lp, ref[i][3], 1e-13);
        ASSERT_CLOSE(der[0], ref[i][4], 1e-12);
        /* the shapes' partials against central differences */
        for (int k = 0; k < 2; k++) {
            double a[2] = {ref[i][1], ref[i][2]}, h = 1e-6 * a[k];
            a[k] += h;
            double up = d->logpdf_logodds(ref[i][0], a, NULL, 0);
            a[k] -= 2 * h;
            double down = d->logpdf_logodds(ref[i][0], a, NULL, 0);
            ASSERT_CLOSE(der[1 + k], (up - down) / (2 * h), 1e-5);
        }
    }
    /* where x is well inside (0, 1), the same as the density of x */
    for (double t = -7.5; t <= 7.5; t += 0.75) {
        double a[2] = {2.5, 0.7}, x = 1 / (1 + exp(-t));
        ASSERT_CLOSE(d->logpdf_logodds(t, a, NULL, 0), d->logpdf(x, a, NULL, 0), 1e-12);
    }
    /* only distributions on (0, 1) have it */
    for (int i = 0; i < dist_count(); i++)
        if (dist_at(i)->logpdf_logodds) CU_ASSERT_EQUAL(dist_at(i)->support, SUPPORT_UNIT);
}

/* Adding a distribution is an entry, its tests and its documentation: an
** entry without reference densities or derivative checks fails here (its
** section of docs/language.md is checked by tests/cli/test_docs.sh). */
static void test_every_entry(void)
{
    CU_ASSERT_FATAL(dist_count() <= 64);
    for (int i = 0; i < dist_count(); i++) {
        const DistInfo *d = dist_at(i);
        if (!seen[SEEN_DENSITY][i]) fprintf(stderr, "\n  %s (entry %d) has no reference densities\n", d->summary, i);
        if (!seen[SEEN_DERIVATIVE][i]) fprintf(stderr, "\n  %s (entry %d) has no derivative checks\n", d->summary, i);
        CU_ASSERT(seen[SEEN_DENSITY][i]);
        CU_ASSERT(seen[SEEN_DERIVATIVE][i]);
    }
}

static CU_TestInfo table_tests[] = {
    {"table entries", test_table},
    {"PyMC argument names", test_arg_names},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo logpdf_tests[] = {
    {"against GSL densities", test_logpdf_vs_gsl},
    {"extreme regimes against R", test_logpdf_vs_r},
    {"p at 0 and 1", test_logpdf_boundaries},
    {"discrete masses sum to 1", test_mass_sums},
    {"derivatives against finite differences", test_derivatives},
    {"data part and rest", test_data_part},
    {"Beta on its log-odds, both ends", test_beta_logodds},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo support_tests[] = {
    {"support membership", test_support},
    {"argument constraints", test_arg_valid},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo coverage_tests[] = {
    {"every entry has its tests", test_every_entry},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"dist table", NULL, NULL, NULL, NULL, table_tests},
    {"dist logpdf", NULL, NULL, NULL, NULL, logpdf_tests},
    {"dist support", NULL, NULL, NULL, NULL, support_tests},
    {"dist coverage", NULL, NULL, NULL, NULL, coverage_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return testutil_run(suites);
}
