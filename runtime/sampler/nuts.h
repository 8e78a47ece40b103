/*
** nuts.h -- the No-U-Turn Sampler with warm-up adaptation.
**
** NUTS after Hoffman & Gelman (2014), with multinomial sampling along the
** trajectory and the generalised no-U-turn criterion of Betancourt (2017).
** Warm-up adapts the step size by dual averaging and the metric (diagonal
** or dense) in Stan's windows.  A chain sees only a Target.
**
** Use: nuts_new, nuts_init at a point with finite density, then
** nuts_iterate cfg->tune + cfg->draws times; the first cfg->tune calls
** adapt, the rest sample with the adapted step size and metric.
*/
#ifndef BMC_NUTS_H
#define BMC_NUTS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <gsl/gsl_rng.h>
#include "target.h"

typedef enum { METRIC_AUTO, METRIC_DIAG, METRIC_DENSE } MetricKind;

typedef struct NutsConfig {
    int tune;             /* warm-up iterations (adaptation on) */
    int draws;            /* sampling iterations */
    int max_treedepth;    /* 10 */
    double target_accept; /* 0.8 */
    MetricKind metric;    /* METRIC_AUTO is resolved by nuts_new */
    /* Set from any thread (or a signal handler) to abandon the iteration in
    ** progress at its next leapfrog step; NULL: never.  Read, not owned. */
    atomic_int *stop;
} NutsConfig;

/* The shortest warm-up that holds Stan's default adaptation windows;
** shorter ones get proportionally shorter windows and less reliable
** step sizes and metrics. */
#define NUTS_FULL_WARMUP 150

/* The defaults of design section 3. */
NutsConfig nuts_default_config(void);

/* What one iteration did: CmdStan's sampler columns. */
typedef struct NutsStats {
    double lp;            /* log density at the new point */
    double accept_stat;   /* mean Metropolis acceptance over the trajectory */
    double stepsize;
    int treedepth;
    int n_leapfrog;
    int divergent;        /* 1 when the trajectory diverged */
    double energy;        /* Hamiltonian at the new point */
    bool stopped;         /* abandoned by the stop flag: no draw, the chain where it was */
} NutsStats;

typedef struct Nuts Nuts;

/* A new chain on target t.  rng is borrowed and must outlive the chain.
** Returns NULL only when out of memory. */
Nuts *nuts_new(const Target *t, const NutsConfig *cfg, gsl_rng *rng);
void nuts_free(Nuts *s);

/* Places the chain at q0 (copied).  Returns 0, or -1 when the log density
** or its gradient is not finite there.  Also chooses the initial step
** size with Stan's doubling/halving heuristic. */
int nuts_init(Nuts *s, const double *q0);

/* One iteration.  Writes the new position into q (dim values) and the
** iteration's statistics into st. */
void nuts_iterate(Nuts *s, double *q, NutsStats *st);

/* The metric in use after warm-up (or as chosen so far). */
bool nuts_dense(const Nuts *s);
double nuts_stepsize(const Nuts *s);
/* Inverse metric: dim values (diagonal) or dim*dim row-major (dense). */
const double *nuts_inv_metric(const Nuts *s);
/* Gradient evaluations so far, warm-up included. */
long nuts_gradient_evals(const Nuts *s);

/* Which metric METRIC_AUTO means for this dimension and warm-up length. */
MetricKind nuts_resolve_metric(MetricKind m, int dim, int tune);

#endif
