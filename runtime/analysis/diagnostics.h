/*
** diagnostics.h -- convergence diagnostics for MCMC draws.
**
** After Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021), "Rank-
** normalization, folding, and localization: an improved R-hat for
** assessing convergence of MCMC", as implemented by the R package
** `posterior` (which the tests use for reference values).
**
** Draws of one scalar quantity come as x[c * n + i]: m chains of n draws.
** Every function returns NAN when the quantity cannot be computed (too
** few draws, non-finite values); constant draws (equal up to rounding)
** give R-hat NAN and ESS NAN as posterior does.  Every figure is
** scale-equivariant over the whole double range: draws times c have the
** same ESS, R-hat and E-BFMI, and |c| times the sd, MCSEs and HDI.
*/
#ifndef BMC_DIAGNOSTICS_H
#define BMC_DIAGNOSTICS_H

#include <stddef.h>

/* max(rank-normalised split R-hat of the bulk, of the folded draws) */
double diag_rhat(const double *x, int m, int n);
/* rank-normalised split bulk ESS */
double diag_ess_bulk(const double *x, int m, int n);
/* min of the ESS of the 5% and 95% quantile indicators */
double diag_ess_tail(const double *x, int m, int n);
/* MCSE of the mean: sd / sqrt(ESS of the mean) */
double diag_mcse_mean(const double *x, int m, int n);
/* MCSE of the sd, as posterior's mcse_sd */
double diag_mcse_sd(const double *x, int m, int n);
/* The basic (not rank-normalised) ESS of the draws, posterior's ess_basic */
double diag_ess_basic(const double *x, int m, int n);
/* The ESS of the m chains as they are (not split, not rank-normalised):
** the loo package's ess_rfun, behind its relative efficiencies */
double diag_ess_chains(const double *x, int m, int n);

/* Every diagnostic of the summary at once.  A workspace holds the scratch
** for m chains of n draws, made once and reused for every quantity of a
** run: the draws are sorted once for the HDI, the median and the tail
** quantiles, and rank-normalised once for the bulk R-hat and ESS.  Each
** value equals what the single functions above return. */
typedef struct DiagWorkspace DiagWorkspace;

typedef struct DiagSummary {
    double mean, sd;
    double r_hat, ess_bulk, ess_tail, mcse_mean, mcse_sd;
    double hdi_low, hdi_high;
} DiagSummary;

/* NULL when out of memory or m, n < 1. */
DiagWorkspace *diag_workspace_new(int m, int n);
void diag_workspace_free(DiagWorkspace *w);
/* How many times w has sorted draws: once per diag_summary, the folded
** draws' order following from the draws'. */
long diag_workspace_sorts(const DiagWorkspace *w);
/* How many normal scores w has computed: one per distinct rank, however
** many quantities it summarised. */
long diag_workspace_normal_scores(const DiagWorkspace *w);
/* How many times w has computed autocovariances by FFT: only for chains
** whose ESS needs more than the first few lags. */
long diag_workspace_ffts(const DiagWorkspace *w);

/* Fills out for x, m chains of n draws as w was made for; NAN where a
** value is undefined, as above.  Returns 0. */
int diag_summary(DiagWorkspace *w, const double *x, double hdi_prob, DiagSummary *out);

/* The sample standard deviation of len draws; NAN for fewer than 2, a
** non-finite value, or when memory runs out. */
double diag_sd(const double *x, size_t len);

/* Shortest interval holding prob of the len draws (ArviZ's hdi). */
void diag_hdi(const double *x, size_t len, double prob, double *lo, double *hi);

/* E-BFMI of one chain's energies (len values). */
double diag_ebfmi(const double *energy, size_t len);

#endif
