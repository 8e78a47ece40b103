/*
** draws.h -- named posterior draws, the one thing diagnostics, summaries
** and printers see of a run: the values of every reported quantity at
** every kept draw of every chain, and beside them the sampler's record of
** each draw (ArviZ's sample_stats, CmdStan's sampler columns) as plain
** numbers, so that no printer needs to know which sampler made them.
*/
#ifndef BMC_DRAWS_H
#define BMC_DRAWS_H

#include <stddef.h>

/* What the sampler recorded at each draw, in CmdStan's column order. */
typedef enum {
    DRAW_LP,            /* log density, up to a constant: lp__ */
    DRAW_ACCEPT,        /* mean acceptance statistic of the transition */
    DRAW_STEPSIZE,
    DRAW_TREEDEPTH,
    DRAW_N_LEAPFROG,
    DRAW_DIVERGENT,     /* 1 when the transition diverged */
    DRAW_ENERGY,        /* the Hamiltonian at the draw */
    DRAW_NSTATS
} DrawStat;

/* CmdStan's column name of each statistic: "lp__", "accept_stat__", ... */
const char *draw_stat_name(DrawStat k);

/* Which part of a run a variable belongs to, as ArviZ's groups do. */
typedef enum {
    DRAWS_POSTERIOR,    /* parameters, deterministic and generated quantities */
    DRAWS_PREDICTIVE,   /* a replicate of observed data, drawn at each draw */
    DRAWS_LOG_LIK       /* the log density of one observed point at each draw ("log_lik[k]",
                        ** its Draws.of the point it is of, "y[3]"): for PSIS-LOO and WAIC */
} DrawsGroup;

typedef struct Draws {
    int nvars;
    int nchains;
    int capacity;      /* draws per chain room was made for */
    int ndraws;        /* draws per chain kept (equal for every chain) */
    char **names;      /* nvars owned strings, "theta[1]" */
    unsigned char *group;  /* nvars DrawsGroup: all DRAWS_POSTERIOR until set */
    /* For a DRAWS_PREDICTIVE variable: the observed quantity it replicates
    ** (owned: "y", shared by a vector's elements, whose replicates follow
    ** one another) and its observed value; for a DRAWS_LOG_LIK one, the
    ** point ("y[3]") and NAN; NULL and NAN otherwise. */
    char **of;
    double *observed;
    double *x;         /* x[((size_t)v * nchains + c) * capacity + i] */
    double *stats;     /* stats[((size_t)k * nchains + c) * capacity + i], DRAW_NSTATS of them */
} Draws;

/* New draws with room for capacity draws per chain; names are copied;
** values and statistics start at 0.  Returns NULL when out of memory. */
Draws *draws_new(int nvars, const char *const *names, int nchains, int capacity);
void draws_free(Draws *d);

/* Pointer to the draws of variable v in chain c (capacity values). */
double *draws_at(Draws *d, int v, int c);
const double *draws_at_const(const Draws *d, int v, int c);

/* Pointer to statistic k of chain c (capacity values). */
double *draws_stat(Draws *d, DrawStat k, int c);
const double *draws_stat_const(const Draws *d, DrawStat k, int c);

/* Copies variable v's kept draws, chain after chain, into out
** (nchains * ndraws values): the layout diagnostics.h expects. */
void draws_gather(const Draws *d, int v, double *out);

/* Marks variable v as the replicate of element value observed of the
** observed quantity of (copied).  Returns 0, or -1 when out of memory. */
int draws_set_replicate(Draws *d, int v, const char *of, double observed);

/* Puts variable v in group, as the part of the observed quantity of
** (copied) of value observed (NAN for a point of the log-likelihood,
** whose of is the point's element, "y[3]").  Returns 0, or -1 when out
** of memory. */
int draws_set_group(Draws *d, int v, DrawsGroup group, const char *of, double observed);

/* A copy of d with nmore variables after its own, called names, their
** draws 0: d's draws, statistics and groups as they are.  Returns NULL
** when out of memory. */
Draws *draws_extend(const Draws *d, int nmore, const char *const *names);

/* Index of the variable called name, or -1. */
int draws_find(const Draws *d, const char *name);

#endif
