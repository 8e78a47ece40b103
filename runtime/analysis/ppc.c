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

/* Draws gathered at a time: a quantity's draws lie one after another, so
** the k values of one draw are apart, and reading them draw by draw would
** miss the cache at every value. */
#define ROWS_AT_ONCE 16

/* The nstats statistics s[] over the replicates at every draw (chain after
** chain): t[j][draw] for s[j].  rows has room for ROWS_AT_ONCE * k values.
** Returns how many draws. */
static size_t replicated(const Draws *d, int first, int k, const PpcStat *s, int nstats, double *rows,
                         double *const *t)
{
    size_t n = 0;
    for (int ch = 0; ch < d->nchains; ch++)
        for (int i = 0; i < d->ndraws; i += ROWS_AT_ONCE) {
            int nrows = d->ndraws - i < ROWS_AT_ONCE ? d->ndraws - i : ROWS_AT_ONCE;
            for (int e = 0; e < k; e++) {
                const double *x = draws_at_const(d, first + e, ch) + i;
                for (int r = 0; r < nrows; r++) rows[(size_t)r * (size_t)k + (size_t)e] = x[r];
            }
            for (int r = 0; r < nrows; r++, n++)
                for (int j = 0; j < nstats; j++) t[j][n] = statistic(s[j], rows + (size_t)r * (size_t)k, (size_t)k);
        }
    return n;
}

static double *rows_for(int count)
{
    return malloc((size_t)ROWS_AT_ONCE * (size_t)(count > 0 ? count : 1) * sizeof(double));
}

int ppc_replicated(const Draws *d, int first, int count, PpcStat s, double *t)
{
    double *rows = rows_for(count);
    if (!rows) return -1;
    replicated(d, first, count, &s, 1, rows, &t);
    free(rows);
    return 0;
}

/* One check of statistic s, from its n values t over the replicates. */
static void check(const Draws *d, int first, int k, PpcStat s, double hdi_prob, const double *t, size_t n,
                  PpcCheck *c)
{
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
    enum { NSTATS = PPC_MAX + 1 };
    *out = NULL;
    *n = 0;
    int cap = 0;
    size_t draws = (size_t)d->nchains * (size_t)d->ndraws;
    double *t[NSTATS] = {0}, *rows = rows_for(d->nvars);
    int rc = rows ? 0 : -1;
    for (int j = 0; j < NSTATS; j++)
        if (!(t[j] = malloc((draws ? draws : 1) * sizeof *t[j]))) rc = -1;
    for (int v = 0, k; rc == 0 && ppc_next_quantity(d, v, &v, &k);) {
        /* a value alone, or a vector's mean, sd, min and max: all in one pass */
        PpcStat stats[NSTATS];
        int nstats = 0;
        for (PpcStat s = k == 1 ? PPC_VALUE : PPC_MEAN; s <= (k == 1 ? PPC_VALUE : PPC_MAX); s++) stats[nstats++] = s;
        size_t nt = replicated(d, v, k, stats, nstats, rows, t);
        for (int j = 0; j < nstats; j++) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 8;
                PpcCheck *p = realloc(*out, (size_t)cap * sizeof *p);
                if (!p) { rc = -1; break; }
                *out = p;
            }
            check(d, v, k, stats[j], hdi_prob, t[j], nt, &(*out)[(*n)++]);
        }
        v += k;
    }
    for (int j = 0; j < NSTATS; j++) free(t[j]);
    free(rows);
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
