/*
** dist_entries.h -- the list of the table's entries, one per distribution
** (and per further parameterisation), in listing order: every first
** parameterisation, then the others.  Each entry is defined beside its
** kernels in dist_continuous.c or dist_discrete.c as dist_NAME; this list
** is the one other place that names it.
*/
#ifndef BMC_DIST_ENTRIES_H
#define BMC_DIST_ENTRIES_H

#include "dist.h"

#define DIST_ENTRIES(X) \
    X(beta) X(binomial) X(bernoulli) X(normal) X(halfnormal) X(studentt) X(cauchy) \
    X(halfcauchy) X(exponential) X(gamma) X(invgamma) X(lognormal) X(uniform) X(poisson) \
    X(negbinomial) X(flat) X(halfflat) X(logistic) X(laplace) X(weibull) X(geometric) \
    X(betabinomial) X(bernoulli_logit) X(binomial_logit)

#define DIST_DECLARE(name) extern const DistInfo dist_##name;
DIST_ENTRIES(DIST_DECLARE)
#undef DIST_DECLARE

#endif
