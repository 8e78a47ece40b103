/*
** ppc.h -- posterior predictive checks: each observed quantity's
** statistics of the data, set against their distribution over the
** replicates drawn at every kept draw (Gelman, Meng & Stern 1996;
** Gelman et al., Bayesian Data Analysis, ch. 6).
**
** A scalar is checked by its value; a vector by its mean, sd, min and max.
** The posterior predictive p-value is P(T(y_rep) >= T(y)): near 0 or 1
** the model does not reproduce that feature of the data.
*/
#ifndef BMC_PPC_H
#define BMC_PPC_H

#include <stdbool.h>
#include "draws.h"

typedef enum { PPC_VALUE, PPC_MEAN, PPC_SD, PPC_MIN, PPC_MAX } PpcStat;

/* "value", "mean", "sd", "min", "max". */
const char *ppc_stat_name(PpcStat s);

typedef struct PpcCheck {
    const char *of;        /* the observed quantity (borrowed from the draws) */
    int first, count;      /* its replicates: variables first .. first + count - 1 */
    PpcStat stat;
    double observed;       /* T(y) */
    double mean;           /* mean of T(y_rep) over the draws */
    double hdi_low, hdi_high;
    double p_value;        /* P(T(y_rep) >= T(y)) */
    double p_above;        /* P(T(y_rep) > T(y)): the same but for ties */
    long nreplicates;      /* the draws of T(y_rep) behind them */
} PpcCheck;

/* A check is extreme when T(y) is above all but PPC_TAIL of the
** replicates' (p_value < PPC_TAIL) or below all but PPC_TAIL of them
** (p_above > 1 - PPC_TAIL).  Ties count against it either way, so that a
** count's min of 0, which every replicate ties or exceeds, is no alarm. */
#define PPC_TAIL 0.05

/* Fewer replicates than this say too little of the tails to call a check
** extreme: with 20, one replicate past T(y) is the whole tail. */
#define PPC_MIN_REPLICATES 100

static inline bool ppc_extreme(const PpcCheck *c)
{
    return c->nreplicates >= PPC_MIN_REPLICATES && (c->p_value < PPC_TAIL || c->p_above > 1 - PPC_TAIL);
}

/* The next observed quantity the draws replicate, from variable from on:
** its replicates are variables *first .. *first + *count - 1 (a vector's
** follow one another, with the same Draws.of).  Returns false when no
** replicate is left. */
bool ppc_next_quantity(const Draws *d, int from, int *first, int *count);

/* T(y) of the observed values of the count replicates from variable first. */
double ppc_observed(const Draws *d, int first, int count, PpcStat s);

/* T(y_rep) at every kept draw, chain after chain, into t (nchains * ndraws
** values), for the count replicates from variable first.  Returns 0, or
** -1 when out of memory. */
int ppc_replicated(const Draws *d, int first, int count, PpcStat s, double *t);

/* The checks of every observed quantity the draws replicate (DRAWS_PREDICTIVE
** variables), in their order, into *out (malloc'ed, caller frees; NULL with
** *n 0 when there are none).  Returns 0, or -1 when out of memory. */
int ppc_checks(const Draws *d, double hdi_prob, PpcCheck **out, int *n);

#endif
