/*
** loo.h -- approximate leave-one-out cross-validation by Pareto-smoothed
** importance sampling (PSIS-LOO), WAIC, and the comparison of models on
** the same observed points.
**
** After Vehtari, Gelman & Gabry (2017), "Practical Bayesian model
** evaluation using leave-one-out cross-validation and WAIC"; Vehtari,
** Simpson, Gelman, Yao & Gabry (2024), "Pareto smoothed importance
** sampling"; Zhang & Stephens (2009) for the generalized Pareto fit; Yao,
** Vehtari, Simpson & Gelman (2018) for stacking.  The numbers are those of
** the R package loo, version 2.5.1, which the tests use for reference.
**
** The log-likelihood comes as ll[(size_t)k * S + c * n + i]: point k's
** values at draw i of chain c, m chains of n draws, S = m * n (each
** point's draws in the layout of draws_gather).
*/
#ifndef BMC_LOO_H
#define BMC_LOO_H

#include <stdbool.h>
#include "draws.h"

/* A total over the points and its standard error, sqrt(N var(pointwise)). */
typedef struct LooEstimate {
    double estimate, se;
} LooEstimate;

/* The Pareto k ranges that loo's print counts points by. */
enum { LOO_K_GOOD, LOO_K_OK, LOO_K_BAD, LOO_K_VERY_BAD, LOO_K_RANGES };

typedef struct LooResult {
    int npoints;                /* N */
    int ndraws;                 /* S, every chain's draws */
    /* N values each, owned */
    double *elpd_loo_i, *p_loo_i, *mcse_elpd_loo_i;
    double *pareto_k;           /* +inf where the tail was too short or flat to fit */
    double *r_eff;              /* relative efficiency of exp(log_lik) */
    double *elpd_waic_i, *p_waic_i;
    LooEstimate elpd_loo, p_loo, looic;
    LooEstimate elpd_waic, p_waic, waic;
    double mcse_elpd_loo;       /* NAN when a k is above 0.7, as loo */
    double k_threshold;         /* min(1 - 1 / log10(S), 0.7): a k above it is unreliable */
    int k_count[LOO_K_RANGES];  /* points with k in (-inf, 0.5], (0.5, 0.7], (0.7, 1], (1, inf) */
    int nhigh;                  /* points with k above k_threshold */
    int p_waic_high;            /* points with p_waic above 0.4, where loo advises LOO over WAIC */
    const char **points;        /* loo_of_draws: each point's name, borrowed from the draws (the
                                ** point's Draws.of, "y[3]", else the variable's); owned array */
} LooResult;

/* The bounds of the k ranges, loo's k_cut: 0.5, 0.7, 1. */
extern const double LOO_K_BOUNDS[LOO_K_RANGES - 1];

/* PSIS-LOO and WAIC of npoints points of m chains of n draws (ll laid out
** as above) into out.  Returns 0; LOO_NOT_FINITE when a value of ll is not
** finite (*bad_point receives its point, from 0; bad_point may be NULL);
** -1 when out of memory or fewer than 2 draws.  Unless it returns 0, out
** holds nothing to free.  Free out with loo_result_free. */
enum { LOO_NOT_FINITE = 1 };
int loo_compute(const double *ll, int m, int n, int npoints, LooResult *out, int *bad_point);
void loo_result_free(LooResult *r);

/* Whether a k is above the threshold of r (an infinite k is). */
bool loo_k_high(const LooResult *r, double k);

/* The pointwise log-likelihood variables of d, in point order: those of
** group DRAWS_LOG_LIK, or else those called "log_lik[k]" (files read
** back).  Returns their count (0: none) with *vars (malloc'ed, caller
** frees; NULL for none), or -1 when out of memory. */
int loo_log_lik_vars(const Draws *d, int **vars);

/* Whether name is a point's, "log_lik[k]". */
bool loo_is_point_name(const char *name);

/* PSIS-LOO of the variables vars[0 .. nvars) of d (loo_log_lik_vars),
** with out->points naming them: d must outlive out.  Returns as
** loo_compute, *bad_var the variable not finite. */
int loo_of_draws(const Draws *d, const int *vars, int nvars, LooResult *out, int *bad_var);

/* Models compared by elpd_loo on the same points, as loo_compare and
** loo_model_weights. */
typedef struct LooComparison {
    int nmodels;
    int *rank;                  /* rank[r]: the model in place r, best first (owned) */
    double *elpd_diff;          /* per model: its elpd_loo minus the best's (0 for the best) */
    double *se_diff;            /* per model: sqrt(N var(pointwise differences)) */
    double *weight;             /* per model: stacking weights, summing to 1 */
} LooComparison;

/* Compares nmodels results of the same number of points.  Returns 0; -1
** when out of memory, fewer than 2 models, or their numbers of points
** differ (out then holds nothing to free). */
int loo_compare(const LooResult *const *models, int nmodels, LooComparison *out);
void loo_comparison_free(LooComparison *c);

/* Stacking weights of K models from their pointwise elpd_loo, lpd[k][i]
** for N points, into w (K values): the weights on the simplex that
** maximise sum_i log sum_k w_k exp(lpd[k][i]).  Returns 0, or -1 when out
** of memory. */
int loo_stacking_weights(const double *const *lpd, int K, int N, double *w);

#endif
