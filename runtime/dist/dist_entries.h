/*
** dist_entries.h -- the table's entries, one per distribution (and per
** further parameterisation), defined beside their kernels in
** dist_continuous.c and dist_discrete.c and listed in dist.c.
*/
#ifndef BMC_DIST_ENTRIES_H
#define BMC_DIST_ENTRIES_H

#include "dist.h"

extern const DistInfo dist_beta;
extern const DistInfo dist_binomial;
extern const DistInfo dist_bernoulli;
extern const DistInfo dist_normal;
extern const DistInfo dist_halfnormal;
extern const DistInfo dist_studentt;
extern const DistInfo dist_cauchy;
extern const DistInfo dist_halfcauchy;
extern const DistInfo dist_exponential;
extern const DistInfo dist_gamma;
extern const DistInfo dist_invgamma;
extern const DistInfo dist_lognormal;
extern const DistInfo dist_uniform;
extern const DistInfo dist_poisson;
extern const DistInfo dist_negbinomial;
extern const DistInfo dist_flat;
extern const DistInfo dist_halfflat;
extern const DistInfo dist_logistic;
extern const DistInfo dist_laplace;
extern const DistInfo dist_weibull;
extern const DistInfo dist_geometric;
extern const DistInfo dist_betabinomial;
extern const DistInfo dist_bernoulli_logit;
extern const DistInfo dist_binomial_logit;

#endif
