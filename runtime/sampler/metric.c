/*
** metric.c -- diagonal and dense Euclidean metrics (see metric.h).
**
** A dense Sigma is factored once per change, Sigma = L L'.  Then
** p = inv(L') z with z ~ N(0, I) has covariance inv(L L') = M, which is
** the momentum distribution the kinetic energy p' Sigma p / 2 requires.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include "metric.h"

static size_t metric_size(int dim, bool dense)
{
    size_t n = dim > 0 ? (size_t)dim : 1;
    return dense ? n * n : n;
}

int metric_init(Metric *m, int dim, bool dense)
{
    size_t n = metric_size(dim, dense);
    m->dim = dim;
    m->dense = dense && dim > 0;
    m->inv = malloc(n * sizeof *m->inv);
    m->factor = malloc(n * sizeof *m->factor);
    m->work = NULL;
    m->perm = NULL;
    m->pert = NULL;
    if (m->dense) {
        m->work = malloc(n * sizeof *m->work);
        m->perm = gsl_permutation_alloc((size_t)dim);
        m->pert = gsl_vector_alloc((size_t)dim);
    }
    if (!m->inv || !m->factor || (m->dense && (!m->work || !m->perm || !m->pert))) {
        metric_free(m);
        return -1;
    }
    metric_reset(m);
    return 0;
}

void metric_free(Metric *m)
{
    free(m->inv);
    free(m->factor);
    free(m->work);
    if (m->perm) gsl_permutation_free(m->perm);
    if (m->pert) gsl_vector_free(m->pert);
    m->inv = m->factor = m->work = NULL;
    m->perm = NULL;
    m->pert = NULL;
}

void metric_reset(Metric *m)
{
    int d = m->dim;
    if (m->dense) {
        size_t n = (size_t)d * (size_t)d;
        memset(m->inv, 0, n * sizeof *m->inv);
        memset(m->factor, 0, n * sizeof *m->factor);
        for (int i = 0; i < d; i++)
            m->inv[(size_t)i * d + i] = m->factor[(size_t)i * d + i] = 1.0;
    } else {
        for (int i = 0; i < d; i++)
            m->inv[i] = m->factor[i] = 1.0;
    }
}

/* Whether Sigma candidate a is numerically positive definite.
** gsl_linalg_cholesky_decomp1 would report the opposite through the GSL
** error handler, which aborts by default; the modified Cholesky
** factorisation always completes and says how much it had to add to the
** diagonal, so a zero perturbation is the test. */
static bool positive_definite(Metric *m, const double *a)
{
    size_t d = (size_t)m->dim;
    memcpy(m->work, a, d * d * sizeof *m->work);
    gsl_matrix_view w = gsl_matrix_view_array(m->work, d, d);
    return gsl_linalg_mcholesky_decomp(&w.matrix, m->perm, m->pert) == GSL_SUCCESS
           && gsl_vector_isnull(m->pert);
}

int metric_set(Metric *m, const double *inv)
{
    int d = m->dim;
    if (!m->dense) {
        for (int i = 0; i < d; i++)
            if (!(inv[i] > 0.0) || !isfinite(inv[i])) return -1;
        for (int i = 0; i < d; i++) {
            m->inv[i] = inv[i];
            m->factor[i] = 1.0 / sqrt(inv[i]);
        }
        return 0;
    }
    size_t n = (size_t)d * (size_t)d;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(inv[k])) return -1;
    if (!positive_definite(m, inv)) return -1;
    memcpy(m->factor, inv, n * sizeof *m->factor);
    gsl_matrix_view f = gsl_matrix_view_array(m->factor, (size_t)d, (size_t)d);
    if (gsl_linalg_cholesky_decomp1(&f.matrix) != GSL_SUCCESS) {
        /* Only reachable with the error handler off: refactor the old
        ** Sigma, which was positive definite. */
        memcpy(m->factor, m->inv, n * sizeof *m->factor);
        gsl_linalg_cholesky_decomp1(&f.matrix);
        return -1;
    }
    memcpy(m->inv, inv, n * sizeof *m->inv);
    return 0;
}

void metric_sample(const Metric *m, gsl_rng *rng, double *p)
{
    int d = m->dim;
    if (!m->dense) {
        for (int i = 0; i < d; i++)
            p[i] = gsl_ran_ugaussian(rng) * m->factor[i];
        return;
    }
    for (int i = 0; i < d; i++)
        p[i] = gsl_ran_ugaussian(rng);
    gsl_matrix_const_view l = gsl_matrix_const_view_array(m->factor, (size_t)d, (size_t)d);
    gsl_vector_view pv = gsl_vector_view_array(p, (size_t)d);
    gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &l.matrix, &pv.vector);
}

void metric_velocity(const Metric *m, const double *p, double *v)
{
    int d = m->dim;
    if (!m->dense) {
        for (int i = 0; i < d; i++)
            v[i] = m->inv[i] * p[i];
        return;
    }
    gsl_matrix_const_view s = gsl_matrix_const_view_array(m->inv, (size_t)d, (size_t)d);
    gsl_vector_const_view pv = gsl_vector_const_view_array(p, (size_t)d);
    gsl_vector_view vv = gsl_vector_view_array(v, (size_t)d);
    gsl_blas_dsymv(CblasLower, 1.0, &s.matrix, &pv.vector, 0.0, &vv.vector);
}
