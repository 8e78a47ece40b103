/*
** dist_math.c -- the larger shared pieces of dist_math.h: ratios of
** gamma functions, binomial coefficients beyond GSL's unsigned range, and
** the count generators.
*/
#include "dist_math.h"

#include <limits.h>
#include <gsl/gsl_randist.h>

/* log(Gamma(a + 1/2) / Gamma(a)), a > 0.  gsl_sf_lnpoch(a, 0.5) loses
** digits for large a (about 6e-7 at a = 5e9); Stirling's series with GSL's
** Gamma* does not: the log-gammas' leading terms cancel analytically. */
double lngamma_half_ratio(double a)
{
    if (a < 1) return gsl_sf_lngamma(a + 0.5) - gsl_sf_lngamma(a);
    return a * log1p(0.5 / a) - 0.5 + 0.5 * log(a) + stirlerr(a + 0.5) - stirlerr(a);
}

/* log C(n, k), 0 <= k <= n <= 2^53.  gsl_sf_lnchoose takes unsigned int;
** beyond that its own identity C(n, k) = 1 / ((n + 1) B(k + 1, n - k + 1)). */
double log_choose(double n, double k)
{
    if (n <= UINT_MAX) return gsl_sf_lnchoose((unsigned)n, (unsigned)k);
    if (k == 0 || k == n) return 0;
    return -log1p(n) - gsl_sf_lnbeta(k + 1, n - k + 1);
}

/* GSL's discrete generators return unsigned int.  These two reach counts
** beyond UINT_MAX exactly, by splitting the count until GSL can take the
** rest (L. Devroye, "Non-Uniform Random Variate Generation", 1986, X.4;
** the Poisson split is Ahrens and Dieter's, as in gsl_ran_poisson). */
double binomial_draw(const gsl_rng *r, double n, double p)
{
    double k = 0;
    while (n > UINT_MAX) {
        /* the m-th smallest of n uniforms is Beta(m, n - m + 1) */
        double m = floor((n + 1) / 2);
        double y = gsl_ran_beta(r, m, n - m + 1);
        if (y <= p) {           /* m of them lie below p; the rest are uniform on (y, 1) */
            k += m;
            n -= m;
            p = (p - y) / (1 - y);
        } else {                /* the m - 1 below y are uniform on (0, y) */
            n = m - 1;
            p = p / y;
        }
    }
    return k + gsl_ran_binomial(r, p, (unsigned)n);
}

double poisson_draw(const gsl_rng *r, double mu)
{
    double k = 0;
    /* below 1e9, a draw past UINT_MAX is over 100 standard deviations out */
    while (mu > 1e9) {
        /* the m-th event of a unit-rate process comes at Gamma(m, 1) */
        double m = floor(mu * 0.875);
        double t = gsl_ran_gamma(r, m, 1.0);
        if (t >= mu) return k + binomial_draw(r, m - 1, mu / t);
        k += m;
        mu -= t;
    }
    return k + gsl_ran_poisson(r, mu);
}

