/*
** metric.h -- the Euclidean metric of Hamiltonian Monte Carlo: how
** momenta are drawn and what kinetic energy they carry.
**
** The metric is stored through its inverse Sigma (an estimate of the
** target's covariance): momenta are drawn from N(0, M) with M = inv(Sigma),
** the kinetic energy is K(p) = p' Sigma p / 2 and the velocity dq/dt is
** dK/dp = Sigma p (Betancourt's "sharp" momentum).  Sigma is diagonal
** (dim values) or dense (dim*dim, row-major, symmetric).
*/
#ifndef BMC_METRIC_H
#define BMC_METRIC_H

#include <stdbool.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

typedef struct Metric {
    int dim;
    bool dense;
    double *inv;      /* Sigma: dim values, or dim*dim row-major; owned */
    double *factor;   /* diag: 1/sqrt(Sigma_ii); dense: lower Cholesky
                      ** factor L of Sigma = L L' in the lower triangle;
                      ** owned */
    /* Dense only, so that metric_set allocates nothing: */
    double *work;             /* dim*dim scratch */
    gsl_permutation *perm;    /* for the positive-definiteness test */
    gsl_vector *pert;
} Metric;

/* The unit metric of the given shape.  Returns 0, or -1 when out of
** memory (m is then empty and metric_free is still safe). */
int metric_init(Metric *m, int dim, bool dense);
void metric_free(Metric *m);

/* Back to Sigma = I. */
void metric_reset(Metric *m);

/* Sets Sigma to a copy of inv (the shape of m).  Returns 0, or -1 when a
** dense inv is not numerically positive definite or a diagonal has a
** non-positive or non-finite entry; m is then unchanged. */
int metric_set(Metric *m, const double *inv);

/* Draws p ~ N(0, inv(Sigma)) from rng. */
void metric_sample(const Metric *m, gsl_rng *rng, double *p);

/* v = Sigma p: the velocity of momentum p. */
void metric_velocity(const Metric *m, const double *p, double *v);

#endif
