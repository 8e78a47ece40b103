/*
** summary.c -- the posterior summary of named draws: for every variable
** the columns of ArviZ's az.summary, from all chains' kept draws.
**
** A model with a thousand elements has a thousand variables, each needing
** sorts and FFTs of all its draws; the variables are shared out among
** threads, each with its own scratch.  Every variable's figures depend on
** its draws alone, so the result is the same for any number of threads.
*/
#include "summary.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "diagnostics.h"

typedef struct Share {
    const Draws *d;
    double hdi_prob;
    VarSummary *out;
    int first, step;       /* the variables first, first + step, ... */
    int status;            /* 0, or -1 when out of memory */
} Share;

static void summarise(DiagWorkspace *w, const double *x, double hdi_prob, VarSummary *s)
{
    DiagSummary ds;
    diag_summary(w, x, hdi_prob, &ds);
    s->mean = ds.mean;
    s->sd = ds.sd;
    s->hdi_low = ds.hdi_low;
    s->hdi_high = ds.hdi_high;
    s->mcse_mean = ds.mcse_mean;
    s->mcse_sd = ds.mcse_sd;
    s->ess_bulk = ds.ess_bulk;
    s->ess_tail = ds.ess_tail;
    s->r_hat = ds.r_hat;
}

static void *summarise_share(void *arg)
{
    Share *sh = arg;
    const Draws *d = sh->d;
    size_t total = (size_t)d->nchains * (size_t)d->ndraws;
    double *x = malloc(total * sizeof *x);                       /* freed here */
    DiagWorkspace *w = diag_workspace_new(d->nchains, d->ndraws); /* freed here */
    sh->status = x && w ? 0 : -1;
    if (sh->status == 0)
        for (int v = sh->first; v < d->nvars; v += sh->step) {
            draws_gather(d, v, x);
            summarise(w, x, sh->hdi_prob, &sh->out[v]);
            summary_nonfinite(d, v, &sh->out[v].nan_draws, &sh->out[v].inf_draws);
        }
    diag_workspace_free(w);
    free(x);
    return NULL;
}

int summary_compute(const Draws *d, double hdi_prob, int threads, VarSummary *out)
{
    if (d->nchains < 1 || d->ndraws < 1) {
        for (int v = 0; v < d->nvars; v++)
            out[v] = (VarSummary){ NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0, 0 };
        return 0;
    }
    /* A thread for fewer than a few dozen variables costs more than it saves. */
    int nt = threads < 1 ? 1 : threads;
    if (nt > d->nvars / 32) nt = d->nvars / 32 > 1 ? d->nvars / 32 : 1;
    Share *sh = calloc((size_t)nt, sizeof *sh);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    bool *started = calloc((size_t)nt, sizeof *started);
    int status = 0;
    if (!sh || !th || !started) {
        status = -1;
        goto done;
    }
    for (int t = 0; t < nt; t++) {
        sh[t] = (Share){ d, hdi_prob, out, t, nt, 0 };
        /* share 0 runs on this thread, as does any that gets no thread */
        if (t > 0) started[t] = pthread_create(&th[t], NULL, summarise_share, &sh[t]) == 0;
    }
    for (int t = 0; t < nt; t++)
        if (!started[t]) summarise_share(&sh[t]);
    for (int t = 0; t < nt; t++) {
        if (started[t]) pthread_join(th[t], NULL);
        if (sh[t].status != 0) status = -1;
    }
done:
    free(started);
    free(th);
    free(sh);
    return status;
}

long summary_nonfinite(const Draws *d, int v, long *nan, long *inf)
{
    *nan = *inf = 0;
    for (int c = 0; c < d->nchains; c++) {
        const double *x = draws_at_const(d, v, c);
        for (int i = 0; i < d->ndraws; i++) {
            *nan += isnan(x[i]) != 0;
            *inf += isinf(x[i]) != 0;
        }
    }
    return *nan + *inf;
}

int summary_quantiles(const Draws *d, int v, const double *p, int n, double *out)
{
    long nan, inf;
    size_t len = (size_t)d->nchains * (size_t)d->ndraws;
    if (len == 0 || summary_nonfinite(d, v, &nan, &inf) > 0) {
        for (int k = 0; k < n; k++) out[k] = NAN;
        return 0;
    }
    double *x = malloc(len * sizeof *x);
    if (!x) return -1;
    draws_gather(d, v, x);
    gsl_sort(x, 1, len);
    /* GSL's interpolation at (len - 1) p is R's type 7 */
    for (int k = 0; k < n; k++) out[k] = gsl_stats_quantile_from_sorted_data(x, 1, len, p[k]);
    free(x);
    return 0;
}
