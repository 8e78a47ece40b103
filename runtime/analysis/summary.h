/*
** summary.h -- the posterior summary of named draws: ArviZ's az.summary
** columns for every variable.
**
** A quantity that is not a finite number in some draws (q = log(p - 0.5)
** is NaN wherever p < 0.5) has no summary: every figure is NAN, as in
** ArviZ's summary, since the mean and the interval of the other draws
** would describe a different distribution.  The counts say how many draws
** were not finite; pictures follow the same rule (summary_nonfinite).
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
    long nan_draws, inf_draws;  /* kept draws that are NaN, and +-infinite */
} VarSummary;

/* Fills out[0 .. d->nvars-1], on up to threads threads (the figures do not
** depend on how many).  Returns 0, or -1 when out of memory. */
int summary_compute(const Draws *d, double hdi_prob, int threads, VarSummary *out);

/* The quantiles of probabilities p[0 .. n) of variable v's kept draws into
** out, interpolated as R's type 7 and NumPy's default; NAN when v has no
** summary (summary_nonfinite).  Returns 0, or -1 when out of memory. */
int summary_quantiles(const Draws *d, int v, const double *p, int n, double *out);

/* Counts variable v's kept draws that are NaN and that are infinite into
** *nan and *inf; returns their sum, nonzero when v has no summary. */
long summary_nonfinite(const Draws *d, int v, long *nan, long *inf);

#endif
