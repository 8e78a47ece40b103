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
** few draws, non-finite values); constant draws give R-hat NAN and ESS NAN
** as posterior does.
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

/* Shortest interval holding prob of the len draws (ArviZ's hdi). */
void diag_hdi(const double *x, size_t len, double prob, double *lo, double *hi);

/* E-BFMI of one chain's energies (len values). */
double diag_ebfmi(const double *energy, size_t len);

#endif
