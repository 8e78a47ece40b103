/*
** metric_choice.h -- which metric METRIC_AUTO keeps at the end of each
** adaptation window: the window's dense covariance estimate or only its
** diagonal, chosen by how well each whitens draws it was not estimated
** from.
**
** A metric Sigma = L L' with centre mu maps the posterior to that of
** y = inv(L) (x - mu).  Its score is the Fisher divergence between that
** distribution and N(0, I) (Seyboldt et al. 2024, "Preconditioning
** Hamiltonian Monte Carlo by minimizing Fisher divergence"), over draws x
** with gradients g of log p:
**
**   E |L' g + inv(L) (x - mu)|^2 = tr(Sigma G) + tr(inv(Sigma) M) + 2 E[g' (x - mu)]
**
** with G = E[g g'] and M = E[(x - mu)(x - mu)'].  The last term does not
** depend on Sigma and is left out (it is -2d for a Gaussian, whose score
** is then 2d with Sigma its covariance).  The smaller the score, the
** closer the whitened posterior is to a standard normal, which NUTS
** crosses with the fewest steps and the fewest divergences.
**
** Each window's candidates are scored on the next window's draws: on
** their own draws a dense estimate always looks better, its noise fitted
** as if it were correlation.  So the first window keeps the diagonal, and
** a later one is dense only when the previous window's dense estimate,
** from fewer draws, already did clearly better on new ones.
**
** And only where one linear map describes the whole posterior.  With C
** the window's own covariance, tr(C G) / d is 1 for a Gaussian and larger
** for any other distribution (E[g (x - mean)'] = -I gives G >= inv(C)):
** how much the curvature varies over the posterior.  Where it varies, a
** dense metric fitted to the bulk takes steps too long elsewhere: on a
** Gaussian-process regression (posteriordb's gp_pois_regr, tr(C G) / d of
** 3.7 to 9) it diverged three times as often as the diagonal, in the
** short length scales of the tail, though it scored far better on the
** bulk's draws.  The regressions that dense helps score 0.8 to 1.4.
*/
#ifndef BMC_METRIC_CHOICE_H
#define BMC_METRIC_CHOICE_H

#include <stdbool.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>
#include "adapt.h"

typedef struct MetricChoice {
    int dim;
    bool held;            /* cov and mean hold an earlier window's estimate */
    bool dense;           /* the last choice */
    double score_dense;   /* the last scores (0 before the first) */
    double score_diag;
    double curvature;     /* the last window's tr(C G) / d (0 before the first) */
    double *cov;          /* dim*dim: the last window's covariance estimate */
    double *mean;         /* dim: the last window's mean */
    Welford grads;        /* this window's gradients (dense) */
    double *grad_moment;  /* dim*dim: G of this window */
    double *moment;       /* dim*dim: M of this window */
    double *factor;       /* dim*dim scratch: cov's factorisation */
    double *inverse;      /* dim*dim scratch: inv(cov) */
    gsl_permutation *perm;
    gsl_vector *pert;
} MetricChoice;

/* Returns 0, or -1 when out of memory (c is then empty and choice_free is
** still safe). */
int choice_init(MetricChoice *c, int dim);
void choice_free(MetricChoice *c);

/* Forgets every window, as at the start of a chain. */
void choice_reset(MetricChoice *c);

/* Adds the gradient of log p at a draw of the current window. */
void choice_add(MetricChoice *c, const double *grad);

/* At the close of a window whose draws are in draws (dense) and whose
** dense estimate (welford_estimate) is in estimate, dim*dim: decides, and
** leaves in estimate the metric to use, the estimate whole or its
** diagonal with zero off-diagonal terms.  Returns whether it is dense. */
bool choice_close(MetricChoice *c, const Welford *draws, double *estimate);

#endif
