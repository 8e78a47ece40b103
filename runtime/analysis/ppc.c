/*
** ppc.c -- posterior predictive checks (ppc.h).
*/
#include "ppc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_statistics_double.h>
#include "diagnostics.h"

const char *ppc_stat_name(PpcStat s)
{
    static const char *const names[] = { "value", "mean", "sd", "min", "max" };
    return s <= PPC_MAX ? names[s] : "?";
}

/* Statistic s of the k values y (the sample sd, n - 1, as the data's). */
static double statistic(PpcStat s, const double *y, size_t k)
{
    double lo, hi;
    switch (s) {
    case PPC_VALUE: return y[0];
    case PPC_MEAN: return gsl_stats_mean(y, 1, k);
    case PPC_SD: return k > 1 ? gsl_stats_sd(y, 1, k) : NAN;
    case PPC_MIN: gsl_stats_minmax(&lo, &hi, y, 1, k); return lo;
    case PPC_MAX: gsl_stats_minmax(&lo, &hi, y, 1, k); return hi;
    }
    return NAN;
}

bool ppc_next_quantity(const Draws *d, int from, int *first, int *count)
{
    int v = from < 0 ? 0 : from;
    while (v < d->nvars && d->group[v] != DRAWS_PREDICTIVE) v++;
    if (v >= d->nvars) return false;
    int k = 1;
    while (v + k < d->nvars && d->group[v + k] == DRAWS_PREDICTIVE && strcmp(d->of[v + k], d->of[v]) == 0) k++;
    *first = v;
    *count = k;
    return true;
}

double ppc_observed(const Draws *d, int first, int count, PpcStat s)
{
    return statistic(s, d->observed + first, (size_t)count);
}

/* T over the replicates at every draw into t (row: room for the k values
** of one draw); returns how many. */
static size_t replicated(const Draws *d, int first, int k, PpcStat s, double *row, double *t)
{
    size_t n = 0;
    for (int ch = 0; ch < d->nchains; ch++)
        for (int i = 0; i < d->ndraws; i++) {
            for (int e = 0; e < k; e++) row[e] = draws_at_const(d, first + e, ch)[i];
            t[n++] = statistic(s, row, (size_t)k);
        }
    return n;
}

int ppc_replicated(const Draws *d, int first, int count, PpcStat s, double *t)
{
    double *row = malloc((size_t)(count > 0 ? count : 1) * sizeof *row);
    if (!row) return -1;
    replicated(d, first, count, s, row, t);
    free(row);
    return 0;
}

/* One check: T over the replicates at every draw (t holds nchains * ndraws
** values; row the k values of one draw). */
static void check(const Draws *d, int first, int k, PpcStat s, double hdi_prob, double *t, double *row, PpcCheck *c)
{
    size_t n = replicated(d, first, k, s, row, t);
    *c = (PpcCheck){ .of = d->of[first], .first = first, .count = k, .stat = s, .nreplicates = (long)n };
    c->observed = ppc_observed(d, first, k, s);
    size_t at_least = 0, above = 0;
    for (size_t j = 0; j < n; j++) {
        at_least += t[j] >= c->observed;
        above += t[j] > c->observed;
    }
    c->p_value = n ? (double)at_least / (double)n : NAN;
    c->p_above = n ? (double)above / (double)n : NAN;
    c->mean = n ? gsl_stats_mean(t, 1, n) : NAN;
    c->hdi_low = c->hdi_high = NAN;
    if (n) diag_hdi(t, n, hdi_prob, &c->hdi_low, &c->hdi_high);
}

int ppc_checks(const Draws *d, double hdi_prob, PpcCheck **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 0;
    size_t draws = (size_t)d->nchains * (size_t)d->ndraws;
    double *t = malloc((draws ? draws : 1) * sizeof *t), *row = malloc(((size_t)d->nvars + 1) * sizeof *row);
    int rc = t && row ? 0 : -1;
    for (int v = 0, k; rc == 0 && ppc_next_quantity(d, v, &v, &k);) {
        PpcStat first = k == 1 ? PPC_VALUE : PPC_MEAN, last = k == 1 ? PPC_VALUE : PPC_MAX;
        for (PpcStat s = first; s <= last; s++) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 8;
                PpcCheck *p = realloc(*out, (size_t)cap * sizeof *p);
                if (!p) { rc = -1; break; }
                *out = p;
            }
            check(d, v, k, s, hdi_prob, t, row, &(*out)[(*n)++]);
        }
        v += k;
    }
    free(t);
    free(row);
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
