/*
** summary.h -- the posterior summary of named draws: ArviZ's az.summary
** columns for every variable.
*/
#ifndef BMC_SUMMARY_H
#define BMC_SUMMARY_H

#include "draws.h"

typedef struct VarSummary {
    double mean, sd;
    double hdi_low, hdi_high;   /* shortest interval holding hdi_prob */
    double mcse_mean, mcse_sd;
    double ess_bulk, ess_tail;
    double r_hat;
} VarSummary;

/* Fills out[0 .. d->nvars-1], on up to threads threads (the figures do not
** depend on how many).  Returns 0, or -1 when out of memory. */
int summary_compute(const Draws *d, double hdi_prob, int threads, VarSummary *out);

#endif
