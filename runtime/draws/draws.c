/*
** draws.c -- named posterior draws: allocation, access by variable and
** chain, the sampler's statistics beside them, and the chain-after-chain
** gather the diagnostics read.
*/
#include "draws.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

Draws *draws_new(int nvars, const char *const *names, int nchains, int capacity)
{
    if (nvars < 0 || nchains < 1 || capacity < 0 || (nvars > 0 && names == NULL))
        return NULL;
    size_t values = (size_t)nvars * (size_t)nchains;
    if (capacity > 0 && values > SIZE_MAX / sizeof(double) / (size_t)capacity)
        return NULL;
    values *= (size_t)capacity;

    Draws *d = calloc(1, sizeof *d);
    if (d == NULL) return NULL;
    d->nvars = nvars;
    d->nchains = nchains;
    d->capacity = capacity;
    d->ndraws = 0;
    /* at least one element each, so that an empty set is not mistaken
    ** for a failed allocation */
    d->names = calloc(nvars > 0 ? (size_t)nvars : 1, sizeof *d->names);
    d->group = calloc(nvars > 0 ? (size_t)nvars : 1, 1);
    d->of = calloc(nvars > 0 ? (size_t)nvars : 1, sizeof *d->of);
    d->observed = malloc((nvars > 0 ? (size_t)nvars : 1) * sizeof *d->observed);
    d->x = calloc(values > 0 ? values : 1, sizeof *d->x);
    size_t nstats = (size_t)DRAW_NSTATS * (size_t)nchains * (size_t)capacity;
    d->stats = calloc(nstats > 0 ? nstats : 1, sizeof *d->stats);
    if (d->names == NULL || d->group == NULL || d->of == NULL || d->observed == NULL || d->x == NULL ||
        d->stats == NULL) {
        draws_free(d);
        return NULL;
    }
    for (int v = 0; v < nvars; v++) d->observed[v] = NAN;
    for (int v = 0; v < nvars; v++) {
        d->names[v] = strdup(names[v] ? names[v] : "");
        if (d->names[v] == NULL) {
            draws_free(d);
            return NULL;
        }
    }
    return d;
}

void draws_free(Draws *d)
{
    if (d == NULL) return;
    if (d->names)
        for (int v = 0; v < d->nvars; v++) free(d->names[v]);
    if (d->of)
        for (int v = 0; v < d->nvars; v++) free(d->of[v]);
    free(d->names);
    free(d->group);
    free(d->of);
    free(d->observed);
    free(d->x);
    free(d->stats);
    free(d);
}

int draws_set_group(Draws *d, int v, DrawsGroup group, const char *of, double observed)
{
    char *copy = strdup(of);
    if (!copy) return -1;
    free(d->of[v]);
    d->of[v] = copy;
    d->group[v] = (unsigned char)group;
    d->observed[v] = observed;
    return 0;
}

int draws_set_replicate(Draws *d, int v, const char *of, double observed)
{
    return draws_set_group(d, v, DRAWS_PREDICTIVE, of, observed);
}

double *draws_at(Draws *d, int v, int c)
{
    return d->x + ((size_t)v * (size_t)d->nchains + (size_t)c) * (size_t)d->capacity;
}

const double *draws_at_const(const Draws *d, int v, int c)
{
    return d->x + ((size_t)v * (size_t)d->nchains + (size_t)c) * (size_t)d->capacity;
}

const char *draw_stat_name(DrawStat k)
{
    static const char *const names[DRAW_NSTATS] = {
        [DRAW_LP] = "lp__", [DRAW_ACCEPT] = "accept_stat__", [DRAW_STEPSIZE] = "stepsize__",
        [DRAW_TREEDEPTH] = "treedepth__", [DRAW_N_LEAPFROG] = "n_leapfrog__",
        [DRAW_DIVERGENT] = "divergent__", [DRAW_ENERGY] = "energy__",
    };
    return k >= 0 && k < DRAW_NSTATS ? names[k] : "?";
}

double *draws_stat(Draws *d, DrawStat k, int c)
{
    return d->stats + ((size_t)k * (size_t)d->nchains + (size_t)c) * (size_t)d->capacity;
}

const double *draws_stat_const(const Draws *d, DrawStat k, int c)
{
    return d->stats + ((size_t)k * (size_t)d->nchains + (size_t)c) * (size_t)d->capacity;
}

void draws_gather(const Draws *d, int v, double *out)
{
    size_t n = (size_t)d->ndraws;
    for (int c = 0; c < d->nchains; c++)
        memcpy(out + (size_t)c * n, draws_at_const(d, v, c), n * sizeof *out);
}

int draws_find(const Draws *d, const char *name)
{
    if (d == NULL || name == NULL) return -1;
    for (int v = 0; v < d->nvars; v++)
        if (strcmp(d->names[v], name) == 0) return v;
    return -1;
}

Draws *draws_extend(const Draws *d, int nmore, const char *const *names)
{
    int n = d->nvars + nmore;
    const char **all = malloc((n > 0 ? (size_t)n : 1) * sizeof *all);
    if (!all) return NULL;
    for (int v = 0; v < d->nvars; v++) all[v] = d->names[v];
    for (int k = 0; k < nmore; k++) all[d->nvars + k] = names[k];
    Draws *e = draws_new(n, all, d->nchains, d->capacity);
    free(all);
    if (!e) return NULL;
    e->ndraws = d->ndraws;
    size_t per = (size_t)d->nchains * (size_t)d->capacity;
    memcpy(e->x, d->x, (size_t)d->nvars * per * sizeof *e->x);
    memcpy(e->stats, d->stats, (size_t)DRAW_NSTATS * per * sizeof *e->stats);
    for (int v = 0; v < d->nvars; v++) {
        e->group[v] = d->group[v];
        e->observed[v] = d->observed[v];
        if (d->of[v] && !(e->of[v] = strdup(d->of[v]))) {
            draws_free(e);
            return NULL;
        }
    }
    return e;
}
