/*
** dist_suff.h -- sufficient statistics of the families that have them
** (dist_suff.c), for the table in dist.c.
**
** When n observed values share every argument, their summed log density
** depends on the values only through a few numbers computed once at
** compile time, so a gradient costs O(1) instead of O(n).
*/
#ifndef BMC_DIST_SUFF_H
#define BMC_DIST_SUFF_H

#define SUFF_DECLARE(f) \
    void f##_suff_stats(const double *x, long n, const double *arg, double *s); \
    double f##_suff_logpdf(const double *s, const double *arg, double *d);

SUFF_DECLARE(normal)
SUFF_DECLARE(halfnormal)
SUFF_DECLARE(lognormal)
SUFF_DECLARE(bernoulli)
SUFF_DECLARE(bernoulli_logit)
SUFF_DECLARE(binomial)
SUFF_DECLARE(binomial_logit)
SUFF_DECLARE(poisson)
SUFF_DECLARE(exponential)
SUFF_DECLARE(gamma)

#endif
