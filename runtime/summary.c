/*
** summary.c -- the posterior summary of named draws: for every variable
** the columns of ArviZ's az.summary, from all chains' kept draws.
*/
#include "summary.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_statistics_double.h>

#include "diagnostics.h"

static void summarise(const double *x, int m, int n, double hdi_prob, VarSummary *s)
{
    size_t total = (size_t)m * (size_t)n;
    s->mean = total > 0 ? gsl_stats_mean(x, 1, total) : NAN;
    s->sd = total > 1 ? gsl_stats_sd_m(x, 1, total, s->mean) : NAN;
    diag_hdi(x, total, hdi_prob, &s->hdi_low, &s->hdi_high);
    s->mcse_mean = diag_mcse_mean(x, m, n);
    s->mcse_sd = diag_mcse_sd(x, m, n);
    s->ess_bulk = diag_ess_bulk(x, m, n);
    s->ess_tail = diag_ess_tail(x, m, n);
    s->r_hat = diag_rhat(x, m, n);
}

int summary_compute(const Draws *d, double hdi_prob, VarSummary *out)
{
    size_t total = (size_t)d->nchains * (size_t)d->ndraws;
    /* one gather buffer for every variable; freed here */
    double *x = malloc((total > 0 ? total : 1) * sizeof *x);
    if (x == NULL) return -1;
    for (int v = 0; v < d->nvars; v++) {
        draws_gather(d, v, x);
        summarise(x, d->nchains, d->ndraws, hdi_prob, &out[v]);
    }
    free(x);
    return 0;
}
