/*
** metric_choice.c -- dense or diagonal by held-out Fisher divergence (see
** metric_choice.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_linalg.h>
#include "metric_choice.h"

/* How much lower than the diagonal's the dense score must be for the dense
** metric to be kept: a dense metric costs O(d^2) per step and its estimate
** is noisier, so a tie goes to the diagonal. */
#define DENSE_MIN_GAIN 0.9

/* The largest tr(C G) / d (see metric_choice.h) at which a dense metric is
** kept: a Gaussian's 1 and its sampling noise in a window (up to 2.2 over
** posteriordb's near-Gaussian posteriors, 3.7 the least of the
** Gaussian-process regression's). */
#define DENSE_MAX_CURVATURE 3.0

int choice_init(MetricChoice *c, int dim)
{
    size_t n = dim > 0 ? (size_t)dim : 1;
    memset(c, 0, sizeof *c);
    c->dim = dim;
    c->cov = malloc(n * n * sizeof *c->cov);
    c->mean = malloc(n * sizeof *c->mean);
    c->grad_moment = malloc(n * n * sizeof *c->grad_moment);
    c->moment = malloc(n * n * sizeof *c->moment);
    c->factor = malloc(n * n * sizeof *c->factor);
    c->inverse = malloc(n * n * sizeof *c->inverse);
    c->perm = gsl_permutation_alloc(n);
    c->pert = gsl_vector_alloc(n);
    bool grads_ok = welford_init(&c->grads, dim, true) == 0;
    if (!c->cov || !c->mean || !c->grad_moment || !c->moment || !c->factor || !c->inverse || !c->perm || !c->pert || !grads_ok) {
        choice_free(c);
        return -1;
    }
    choice_reset(c);
    return 0;
}

void choice_free(MetricChoice *c)
{
    free(c->cov);
    free(c->mean);
    free(c->grad_moment);
    free(c->moment);
    free(c->factor);
    free(c->inverse);
    if (c->perm) gsl_permutation_free(c->perm);
    if (c->pert) gsl_vector_free(c->pert);
    welford_free(&c->grads);
    c->cov = c->mean = c->grad_moment = c->moment = c->factor = c->inverse = NULL;
    c->perm = NULL;
    c->pert = NULL;
}

void choice_reset(MetricChoice *c)
{
    c->held = false;
    c->dense = false;
    c->score_dense = c->score_diag = c->curvature = 0.0;
    welford_reset(&c->grads);
}

void choice_add(MetricChoice *c, const double *grad)
{
    welford_add(&c->grads, grad);
}

/* sum_ij a_ij b_ij = tr(a b) for symmetric a, b. */
static double trace_product(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t k = 0; k < n * n; k++) s += a[k] * b[k];
    return s;
}

/* tr(Sigma G) + tr(inv(Sigma) M) for the dense Sigma = c->cov, with G and
** M the window's; +inf when Sigma is not numerically
** positive definite (the modified Cholesky factorisation, which never
** fails, then had to perturb it). */
static double dense_score(MetricChoice *c)
{
    size_t d = (size_t)c->dim;
    memcpy(c->factor, c->cov, d * d * sizeof *c->factor);
    gsl_matrix_view f = gsl_matrix_view_array(c->factor, d, d);
    gsl_matrix_view inv = gsl_matrix_view_array(c->inverse, d, d);
    if (gsl_linalg_mcholesky_decomp(&f.matrix, c->perm, c->pert) != GSL_SUCCESS
        || !gsl_vector_isnull(c->pert)
        || gsl_linalg_mcholesky_invert(&f.matrix, c->perm, &inv.matrix) != GSL_SUCCESS)
        return INFINITY;
    return trace_product(c->cov, c->grad_moment, d) + trace_product(c->inverse, c->moment, d);
}

/* The same for the diagonal of c->cov. */
static double diag_score(const MetricChoice *c)
{
    size_t d = (size_t)c->dim;
    double s = 0.0;
    for (size_t i = 0; i < d; i++) {
        double v = c->cov[i * d + i];
        s += v * c->grad_moment[i * d + i] + c->moment[i * d + i] / v;
    }
    return s;
}

bool choice_close(MetricChoice *c, const Welford *draws, double *estimate)
{
    size_t d = (size_t)c->dim;
    c->dense = false;
    if (c->held && draws->n >= 2 && c->grads.n >= 2) {
        /* G about zero; M about the earlier window's mean, the centre
        ** its candidates whiten around. */
        welford_moment(&c->grads, NULL, c->grad_moment);
        welford_moment(draws, c->mean, c->moment);
        c->score_diag = diag_score(c);
        c->score_dense = dense_score(c);
        welford_moment(draws, draws->mean, c->factor);   /* C, into scratch dense_score is done with */
        c->curvature = trace_product(c->factor, c->grad_moment, d) / (double)d;
        c->dense = c->score_dense < DENSE_MIN_GAIN * c->score_diag && c->curvature <= DENSE_MAX_CURVATURE;
    }
    memcpy(c->cov, estimate, d * d * sizeof *c->cov);
    memcpy(c->mean, draws->mean, d * sizeof *c->mean);
    c->held = true;
    welford_reset(&c->grads);
    if (!c->dense)
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++)
                if (i != j) estimate[i * d + j] = 0.0;
    return c->dense;
}
