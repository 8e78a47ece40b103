/*
** adapt.c -- step size dual averaging, metric windows and running
** (co)variances for HMC warm-up (see adapt.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include "adapt.h"
#include "nuts.h"

_Static_assert(WINDOW_INIT_BUFFER + WINDOW_FIRST + WINDOW_TERM_BUFFER == NUTS_FULL_WARMUP,
               "the default windows fill a full warm-up");

/* ---- dual averaging (Hoffman & Gelman 2014, algorithm 5) ---- */

void stepadapt_init(StepAdapt *a, double delta, double eps, double eps_safe)
{
    a->delta = delta;
    a->gamma = 0.05;
    a->t0 = 10.0;
    a->kappa = 0.75;
    stepadapt_restart(a, eps, eps_safe);
}

void stepadapt_restart(StepAdapt *a, double eps, double eps_safe)
{
    /* mu is the point the iterates are shrunk towards; log(10 eps) makes
    ** the scheme try steps larger than eps first (Hoffman & Gelman, 3.2). */
    a->mu = log(10.0 * eps);
    a->s_bar = 0.0;
    a->x_bar = 0.0;
    a->eps_safe = eps_safe;
    a->count = 0;
}

double stepadapt_learn(StepAdapt *a, double accept_stat)
{
    double accept = accept_stat < 1.0 ? accept_stat : 1.0;
    double t = (double)++a->count;
    double eta = 1.0 / (t + a->t0);
    a->s_bar = (1.0 - eta) * a->s_bar + eta * (a->delta - accept);
    double x = a->mu - sqrt(t) / a->gamma * a->s_bar;
    double w = pow(t, -a->kappa);
    a->x_bar = (1.0 - w) * a->x_bar + w * x;
    return exp(x);
}

double stepadapt_final(const StepAdapt *a)
{
    if (a->count == 0) return a->eps_safe;
    double eps = exp(a->x_bar);
    return a->count < STEPADAPT_SETTLED && eps > a->eps_safe ? a->eps_safe : eps;
}

/* ---- Stan's warm-up windows ---- */

void windows_init(AdaptWindows *w, int tune)
{
    w->tune = tune;
    w->init_buffer = WINDOW_INIT_BUFFER;
    w->term_buffer = WINDOW_TERM_BUFFER;
    w->window = WINDOW_FIRST;
    if (w->init_buffer + w->window + w->term_buffer > tune) {
        /* Too short for the defaults: keep their proportions.  The casts
        ** truncate, as Stan's unsigned conversions do. */
        w->init_buffer = (int)(0.15 * tune);
        w->term_buffer = (int)(0.1 * tune);
        w->window = tune - w->init_buffer - w->term_buffer;
    }
    w->window_end = w->init_buffer + w->window - 1;
    /* Fewer than 20 iterations cannot estimate a variance worth having. */
    w->active = tune >= 20;
}

bool windows_collect(const AdaptWindows *w, int it)
{
    return w->active && it >= w->init_buffer && it < w->tune - w->term_buffer;
}

bool windows_close(AdaptWindows *w, int it)
{
    if (!w->active || it != w->window_end) return false;
    int last = w->tune - w->term_buffer - 1;   /* end of the slow phase */
    if (w->window_end == last) {
        w->window_end = -1;                     /* no windows left */
        return true;
    }
    w->window *= 2;
    w->window_end = it + w->window;
    /* A window after the next one that would not fit whole is merged
    ** into the next one. */
    if (w->window_end + 2 * w->window > last)
        w->window_end = last;
    return true;
}

/* ---- Welford's running (co)variance ---- */

int welford_init(Welford *w, int dim, bool dense)
{
    size_t n = dim > 0 ? (size_t)dim : 1;
    w->dim = dim;
    w->dense = dense && dim > 0;
    w->mean = malloc(n * sizeof *w->mean);
    w->m2 = malloc((w->dense ? n * n : n) * sizeof *w->m2);
    w->delta = malloc(n * sizeof *w->delta);
    if (!w->mean || !w->m2 || !w->delta) {
        welford_free(w);
        return -1;
    }
    welford_reset(w);
    return 0;
}

void welford_free(Welford *w)
{
    free(w->mean);
    free(w->m2);
    free(w->delta);
    w->mean = w->m2 = w->delta = NULL;
}

void welford_reset(Welford *w)
{
    size_t d = (size_t)w->dim;
    w->n = 0;
    memset(w->mean, 0, d * sizeof *w->mean);
    memset(w->m2, 0, (w->dense ? d * d : d) * sizeof *w->m2);
}

void welford_add(Welford *w, const double *x)
{
    int d = w->dim;
    double n = (double)++w->n;
    for (int i = 0; i < d; i++) {
        w->delta[i] = x[i] - w->mean[i];
        w->mean[i] += w->delta[i] / n;
    }
    /* (x - old mean)(x - new mean)' = ((n - 1) / n) delta delta' */
    if (w->dense) {
        gsl_matrix_view m2 = gsl_matrix_view_array(w->m2, (size_t)d, (size_t)d);
        gsl_vector_const_view dv = gsl_vector_const_view_array(w->delta, (size_t)d);
        gsl_blas_dsyr(CblasLower, (n - 1.0) / n, &dv.vector, &m2.matrix);
    } else {
        for (int i = 0; i < d; i++)
            w->m2[i] += (n - 1.0) / n * w->delta[i] * w->delta[i];
    }
}

int welford_estimate(const Welford *w, double *out)
{
    if (w->n < 2) return -1;
    int d = w->dim;
    double n = (double)w->n;
    double scale = n / (n + 5.0) / (n - 1.0);
    double ridge = 1e-3 * 5.0 / (n + 5.0);
    if (!w->dense) {
        for (int i = 0; i < d; i++)
            out[i] = scale * w->m2[i] + ridge;
        return 0;
    }
    for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
            double c = scale * w->m2[(size_t)i * d + j];
            out[(size_t)i * d + j] = out[(size_t)j * d + i] = c;
        }
        out[(size_t)i * d + i] += ridge;
    }
    return 0;
}

void welford_moment(const Welford *w, const double *about, double *out)
{
    size_t d = (size_t)w->dim;
    double n = (double)w->n;
    /* E[(x - a)(x - a)'] = m2 / n + (mean - a)(mean - a)' */
    for (size_t i = 0; i < d; i++) {
        double ui = w->mean[i] - (about ? about[i] : 0.0);
        for (size_t j = 0; j <= i; j++) {
            double uj = w->mean[j] - (about ? about[j] : 0.0);
            out[i * d + j] = out[j * d + i] = w->m2[i * d + j] / n + ui * uj;
        }
    }
}

int welford_scale_estimate(const Welford *draws, const Welford *grads, double *out)
{
    if (welford_estimate(draws, out) != 0) return -1;
    if (grads->n != draws->n || grads->dense || draws->dense) return 0;
    for (int i = 0; i < draws->dim; i++) {
        double vx = draws->m2[i], vg = grads->m2[i];   /* the same n divides both */
        if (vx > 0.0 && vg > 0.0 && isfinite(vx) && isfinite(vg)) out[i] = sqrt(vx / vg);
    }
    return 0;
}
