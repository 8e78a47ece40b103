/*
** loo.c -- PSIS-LOO, WAIC and the comparison of models (loo.h).
**
** Each point's log importance ratios are minus its log-likelihood.  The
** largest M = ceil(min(0.2 S, 3 sqrt(S / r_eff))) of them are replaced by
** the expected order statistics of a generalized Pareto distribution
** fitted to their exponentials above the cutoff (the ratio just below the
** tail), and no weight may then exceed the largest raw ratio: loo 2.5.1's
** psis().  The fit's shape k says how far the weights can be trusted.
*/
#include "loo.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diagnostics.h"
#include "sort_order.h"

const double LOO_K_BOUNDS[LOO_K_RANGES - 1] = { 0.5, 0.7, 1.0 };

/* log sum exp(x[i]), safe from overflow; -inf for no mass. */
static double log_sum_exp(const double *x, size_t len)
{
    double top = -INFINITY;
    for (size_t i = 0; i < len; i++)
        if (x[i] > top) top = x[i];
    if (!isfinite(top)) return top;
    double sum = 0.0;
    for (size_t i = 0; i < len; i++) sum += exp(x[i] - top);
    return top + log(sum);
}

/* ---- the generalized Pareto fit ---- */

/* GSL has the generalized Pareto neither as a distribution nor as a fit,
** so Zhang & Stephens' (2009) empirical Bayes estimate is written here, as
** loo's gpdfit: the profile likelihood of theta = -k / sigma on a grid of
** M = 30 + floor(sqrt(N)) points set by the data, its posterior mean, and
** k shrunk towards 0.5 by a weakly informative prior worth 10 points.
** x holds the N exceedances in increasing order; grid has room for M. */
static void gpd_fit(const double *x, size_t N, double *grid, double *loglik, double *k_out, double *sigma_out)
{
    const double prior = 3.0;
    size_t M = 30 + (size_t)floor(sqrt((double)N));
    double xstar = x[(size_t)floor((double)N / 4.0 + 0.5) - 1];    /* the first quartile */
    double n_d = (double)N;
    for (size_t j = 0; j < M; j++) {
        double theta = 1.0 / x[N - 1] + (1.0 - sqrt((double)M / ((double)j + 0.5))) / prior / xstar;
        double mean_log = 0.0;
        for (size_t i = 0; i < N; i++) mean_log += log1p(-theta * x[i]);
        mean_log /= n_d;
        grid[j] = theta;
        loglik[j] = n_d * (log(-theta / mean_log) - mean_log - 1.0);
    }
    double norm = log_sum_exp(loglik, M);
    double theta_hat = 0.0;
    for (size_t j = 0; j < M; j++) theta_hat += grid[j] * exp(loglik[j] - norm);
    double k = 0.0;
    for (size_t i = 0; i < N; i++) k += log1p(-theta_hat * x[i]);
    k /= n_d;
    double sigma = -k / theta_hat;
    k = k * n_d / (n_d + 10.0) + 10.0 * 0.5 / (n_d + 10.0);
    *k_out = isnan(k) ? INFINITY : k;
    *sigma_out = sigma;
}

/* The p-quantile of the generalized Pareto of shape k and scale sigma. */
static double gpd_quantile(double p, double k, double sigma)
{
    if (isnan(sigma) || sigma <= 0.0) return NAN;
    return sigma * expm1(-k * log1p(-p)) / k;
}

/* ---- PSIS of one point ---- */

typedef struct Scratch {
    size_t S;
    double *lw, *tail, *grid, *loglik, *z;
    size_t *order;
    SortOrder *sort;   /* the log weights' order: a sort per point */
} Scratch;

static void scratch_free(Scratch *s)
{
    free(s->lw);
    free(s->tail);
    free(s->grid);
    free(s->loglik);
    free(s->z);
    free(s->order);
    sort_order_free(s->sort);
}

#define MCSE_DRAWS 1000     /* loo's mcse_elpd: normal quantiles of the expected density */

static int scratch_init(Scratch *s, size_t S)
{
    memset(s, 0, sizeof *s);
    s->S = S;
    size_t grid = 30 + (size_t)floor(sqrt((double)S)) + 1;
    s->lw = malloc(S * sizeof *s->lw);
    s->tail = malloc(S * sizeof *s->tail);
    s->order = malloc(S * sizeof *s->order);
    s->grid = malloc(grid * sizeof *s->grid);
    s->loglik = malloc(grid * sizeof *s->loglik);
    s->z = malloc(MCSE_DRAWS * sizeof *s->z);
    s->sort = sort_order_new(S);
    if (s->lw && s->tail && s->order && s->sort && s->grid && s->loglik && s->z) return 0;
    scratch_free(s);
    return -1;
}

/* Smoothed log weights of the log ratios lr (S values) into s->lw, not
** normalised; returns the Pareto k (+inf when the tail is under 5 draws
** or flat). */
static double psis_point(Scratch *s, const double *lr, double r_eff)
{
    size_t S = s->S;
    double top = lr[0];
    for (size_t i = 1; i < S; i++)
        if (lr[i] > top) top = lr[i];
    double *lw = s->lw;
    for (size_t i = 0; i < S; i++) lw[i] = lr[i] - top;

    double k = INFINITY;
    double S_d = (double)S;
    double len_d = ceil(fmin(0.2 * S_d, 3.0 * sqrt(S_d / r_eff)));
    size_t len = len_d >= 1.0 ? (size_t)len_d : 0;
    if (len >= 5 && len < S) {
        /* Equal ratios are equal log-likelihoods, so however ties are
        ** ordered every estimate comes out the same. */
        sort_order(s->sort, lw, S, s->order);
        size_t first = S - len;
        for (size_t j = 0; j < len; j++) s->tail[j] = lw[s->order[first + j]];
        if (fabs(s->tail[len - 1] - s->tail[0]) >= 2.220446049250313e-16 / 100) {
            double cutoff = lw[s->order[first - 1]], exp_cutoff = exp(cutoff);
            for (size_t j = 0; j < len; j++) s->tail[j] = exp(s->tail[j]) - exp_cutoff;
            double sigma;
            gpd_fit(s->tail, len, s->grid, s->loglik, &k, &sigma);
            if (isfinite(k))
                for (size_t j = 0; j < len; j++)
                    lw[s->order[first + j]] = log(gpd_quantile(((double)j + 0.5) / (double)len, k, sigma) + exp_cutoff);
        }
    }
    for (size_t i = 0; i < S; i++) {
        if (lw[i] > 0.0) lw[i] = 0.0;      /* no weight above the largest raw ratio */
        lw[i] += top;
    }
    return k;
}

/* loo's mcse_elpd of one point: the spread of log E[lik] when E[lik] is
** normal with the importance sampling variance, from MCSE_DRAWS normal
** quantiles, scaled by r_eff.  w are the normalised log weights. */
static double mcse_point(Scratch *s, const double *ll, const double *w, double elpd, double r_eff)
{
    size_t S = s->S;
    double epd = exp(elpd), var = 0.0;
    for (size_t i = 0; i < S; i++) {
        double d = exp(ll[i]) - epd;
        var += exp(2.0 * w[i]) * d * d;
    }
    double sd = sqrt(var);
    size_t nz = 0;
    const double c = 3.0 / 8.0;
    for (int r = 1; r <= MCSE_DRAWS; r++) {
        double z = epd + sd * gsl_cdf_ugaussian_Pinv(((double)r - c) / (MCSE_DRAWS - 2.0 * c + 1.0));
        if (z > 0.0) s->z[nz++] = log(z);
    }
    double v = nz >= 2 ? gsl_stats_variance(s->z, 1, nz) : NAN;
    return sqrt(v / r_eff);
}

/* ---- totals ---- */

static LooEstimate total_of(const double *x, int N)
{
    LooEstimate e = { 0.0, NAN };
    for (int i = 0; i < N; i++) e.estimate += x[i];
    if (N >= 2) e.se = sqrt((double)N * gsl_stats_variance(x, 1, (size_t)N));
    return e;
}

static LooEstimate scaled(LooEstimate e, double by)
{
    LooEstimate out = { by * e.estimate, fabs(by) * e.se };
    return out;
}

void loo_result_free(LooResult *r)
{
    free(r->elpd_loo_i);
    free(r->p_loo_i);
    free(r->mcse_elpd_loo_i);
    free(r->pareto_k);
    free(r->r_eff);
    free(r->elpd_waic_i);
    free(r->p_waic_i);
    free(r->points);
    memset(r, 0, sizeof *r);
}

bool loo_k_high(const LooResult *r, double k)
{
    return !(k <= r->k_threshold);
}

/* The totals, the k ranges and the counts of r's points. */
static void summarise(LooResult *r)
{
    int N = r->npoints;
    r->elpd_loo = total_of(r->elpd_loo_i, N);
    r->p_loo = total_of(r->p_loo_i, N);
    r->looic = scaled(r->elpd_loo, -2.0);
    r->elpd_waic = total_of(r->elpd_waic_i, N);
    r->p_waic = total_of(r->p_waic_i, N);
    r->waic = scaled(r->elpd_waic, -2.0);
    double mc_var = 0.0;
    bool above = false;
    for (int i = 0; i < N; i++) {
        double k = r->pareto_k[i];
        int range = 0;
        while (range < LOO_K_RANGES - 1 && !(k <= LOO_K_BOUNDS[range])) range++;
        r->k_count[range]++;
        if (loo_k_high(r, k)) r->nhigh++;
        if (!(k <= LOO_K_BOUNDS[1])) above = true;
        if (r->p_waic_i[i] > 0.4) r->p_waic_high++;
        mc_var += r->mcse_elpd_loo_i[i] * r->mcse_elpd_loo_i[i];
    }
    r->mcse_elpd_loo = above ? NAN : sqrt(mc_var);
}

int loo_compute(const double *ll, int m, int n, int npoints, LooResult *out, int *bad_point)
{
    memset(out, 0, sizeof *out);
    if (m < 1 || n < 1 || npoints < 1 || (size_t)m * (size_t)n < 2) return -1;
    size_t S = (size_t)m * (size_t)n, N = (size_t)npoints;
    for (size_t j = 0; j < S * N; j++)
        if (!isfinite(ll[j])) {
            if (bad_point) *bad_point = (int)(j / S);
            return LOO_NOT_FINITE;
        }
    out->npoints = npoints;
    out->ndraws = (int)S;
    out->k_threshold = fmin(1.0 - 1.0 / log10((double)S), 0.7);
    double **cols[] = { &out->elpd_loo_i, &out->p_loo_i, &out->mcse_elpd_loo_i, &out->pareto_k,
                        &out->r_eff, &out->elpd_waic_i, &out->p_waic_i };
    bool ok = true;
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) ok = ok && (*cols[c] = malloc(N * sizeof **cols[c]));
    Scratch s;
    double *lr = malloc(S * sizeof *lr), *sum = malloc(S * sizeof *sum);
    if (!ok || !lr || !sum || scratch_init(&s, S) != 0) {
        free(lr);
        free(sum);
        loo_result_free(out);
        return -1;
    }
    double log_S = log((double)S);
    for (size_t k = 0; k < N; k++) {
        const double *x = ll + k * S;
        /* relative efficiency of the likelihood, as loo's relative_eff;
        ** where it is undefined (a constant likelihood) loo's default of 1 */
        for (size_t i = 0; i < S; i++) lr[i] = exp(x[i]);
        double r_eff = diag_ess_chains(lr, m, n) / (double)S;
        if (!isfinite(r_eff) || r_eff <= 0.0) r_eff = 1.0;
        out->r_eff[k] = r_eff;

        for (size_t i = 0; i < S; i++) lr[i] = -x[i];
        out->pareto_k[k] = psis_point(&s, lr, r_eff);
        double norm = log_sum_exp(s.lw, S);
        for (size_t i = 0; i < S; i++) {
            s.lw[i] -= norm;
            sum[i] = x[i] + s.lw[i];
        }
        double elpd = log_sum_exp(sum, S);
        double lpd = log_sum_exp(x, S) - log_S;
        out->elpd_loo_i[k] = elpd;
        out->p_loo_i[k] = lpd - elpd;
        out->mcse_elpd_loo_i[k] = mcse_point(&s, x, s.lw, elpd, r_eff);
        out->p_waic_i[k] = gsl_stats_variance(x, 1, S);
        out->elpd_waic_i[k] = lpd - out->p_waic_i[k];
    }
    summarise(out);
    scratch_free(&s);
    free(lr);
    free(sum);
    return 0;
}

/* ---- from draws ---- */

/* k of "log_lik[k]", or 0 when name is not one. */
static int log_lik_index(const char *name)
{
    int k, used = 0;
    if (sscanf(name, "log_lik[%d]%n", &k, &used) != 1 || name[used] != '\0' || k < 1) return 0;
    return k;
}

bool loo_is_point_name(const char *name)
{
    return log_lik_index(name) > 0;
}

int loo_log_lik_vars(const Draws *d, int **vars)
{
    *vars = NULL;
    int n = 0;
    bool grouped = false;
    for (int v = 0; v < d->nvars; v++) grouped = grouped || d->group[v] == DRAWS_LOG_LIK;
    for (int v = 0; v < d->nvars; v++) n += grouped ? d->group[v] == DRAWS_LOG_LIK : log_lik_index(d->names[v]) > 0;
    if (n == 0) return 0;
    if (!(*vars = malloc((size_t)n * sizeof **vars))) return -1;
    if (grouped) {
        int j = 0;
        for (int v = 0; v < d->nvars; v++)
            if (d->group[v] == DRAWS_LOG_LIK) (*vars)[j++] = v;
        return n;
    }
    /* files read back: in the order of k, whatever the columns' order */
    double *index = malloc((size_t)n * sizeof *index);
    size_t *order = malloc((size_t)n * sizeof *order);
    int *found = malloc((size_t)n * sizeof *found);
    if (!index || !order || !found) {
        free(index);
        free(order);
        free(found);
        free(*vars);
        *vars = NULL;
        return -1;
    }
    int j = 0;
    for (int v = 0; v < d->nvars; v++) {
        int k = log_lik_index(d->names[v]);
        if (k > 0) {
            index[j] = k;
            found[j++] = v;
        }
    }
    gsl_sort_index(order, index, 1, (size_t)n);
    for (j = 0; j < n; j++) (*vars)[j] = found[order[j]];
    free(index);
    free(order);
    free(found);
    return n;
}

int loo_of_draws(const Draws *d, const int *vars, int nvars, LooResult *out, int *bad_var)
{
    memset(out, 0, sizeof *out);
    size_t S = (size_t)d->nchains * (size_t)d->ndraws;
    if (nvars < 1 || S < 2) return -1;
    double *ll = malloc(S * (size_t)nvars * sizeof *ll);
    if (!ll) return -1;
    for (int k = 0; k < nvars; k++) draws_gather(d, vars[k], ll + (size_t)k * S);
    int bad = 0;
    int rc = loo_compute(ll, d->nchains, d->ndraws, nvars, out, &bad);
    free(ll);
    if (rc == LOO_NOT_FINITE && bad_var) *bad_var = vars[bad];
    if (rc == 0 && !(out->points = malloc((size_t)nvars * sizeof *out->points))) {
        loo_result_free(out);
        rc = -1;
    }
    for (int k = 0; rc == 0 && k < nvars; k++)
        out->points[k] = d->of && d->of[vars[k]] ? d->of[vars[k]] : d->names[vars[k]];
    return rc;
}

/* ---- comparison ---- */

typedef struct Stacking {
    const double *const *lpd;
    int K, N;
    double *w, *p;      /* K weights; scratch of K */
} Stacking;

/* The weights softmax(z, 0): the last model's logit is fixed at 0. */
static void softmax(const gsl_vector *z, int K, double *w)
{
    double top = 0.0;
    for (int k = 0; k + 1 < K; k++) top = fmax(top, gsl_vector_get(z, (size_t)k));
    double sum = 0.0;
    for (int k = 0; k < K; k++) {
        w[k] = exp((k + 1 < K ? gsl_vector_get(z, (size_t)k) : 0.0) - top);
        sum += w[k];
    }
    for (int k = 0; k < K; k++) w[k] /= sum;
}

/* Minus the log score and its gradient in z: for each point, the
** posterior share p_k of each model, and d/dz_j = -sum_i (p_ij - w_j). */
static void stacking_fdf(const gsl_vector *z, void *params, double *f, gsl_vector *g)
{
    Stacking *st = params;
    int K = st->K;
    softmax(z, K, st->w);
    double score = 0.0;
    if (g) gsl_vector_set_zero(g);
    for (int i = 0; i < st->N; i++) {
        double top = -INFINITY;
        for (int k = 0; k < K; k++) {
            st->p[k] = log(st->w[k]) + st->lpd[k][i];
            top = fmax(top, st->p[k]);
        }
        double sum = 0.0;
        for (int k = 0; k < K; k++) sum += exp(st->p[k] - top);
        score += top + log(sum);
        for (int k = 0; g && k + 1 < K; k++)
            *gsl_vector_ptr(g, (size_t)k) -= exp(st->p[k] - top) / sum - st->w[k];
    }
    if (f) *f = -score;
}

static double stacking_f(const gsl_vector *z, void *params)
{
    double f;
    stacking_fdf(z, params, &f, NULL);
    return f;
}

static void stacking_df(const gsl_vector *z, void *params, gsl_vector *g)
{
    stacking_fdf(z, params, NULL, g);
}

int loo_stacking_weights(const double *const *lpd, int K, int N, double *w)
{
    if (K < 2) {
        for (int k = 0; k < K; k++) w[k] = 1.0;
        return 0;
    }
    Stacking st = { lpd, K, N, malloc((size_t)K * sizeof *st.w), malloc((size_t)K * sizeof *st.p) };
    gsl_vector *z = gsl_vector_calloc((size_t)K - 1);   /* equal weights to start, as loo */
    gsl_multimin_fdfminimizer *min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2,
                                                                     (size_t)K - 1);
    int rc = -1;
    if (st.w && st.p && z && min) {
        gsl_multimin_function_fdf fn = { stacking_f, stacking_df, stacking_fdf, (size_t)K - 1, &st };
        gsl_error_handler_t *saved = gsl_set_error_handler_off();
        gsl_multimin_fdfminimizer_set(min, &fn, z, 0.1, 0.1);
        /* The log score is concave in w; the optimum is found to a
        ** gradient far below what a weight's fourth digit needs.  An
        ** iteration that makes no progress ends the search where it is. */
        for (int it = 0; it < 2000; it++) {
            if (gsl_multimin_fdfminimizer_iterate(min) != GSL_SUCCESS) break;
            if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(min), 1e-10) == GSL_SUCCESS) break;
        }
        gsl_set_error_handler(saved);
        softmax(gsl_multimin_fdfminimizer_x(min), K, w);
        rc = 0;
    }
    if (min) gsl_multimin_fdfminimizer_free(min);
    if (z) gsl_vector_free(z);
    free(st.w);
    free(st.p);
    return rc;
}

void loo_comparison_free(LooComparison *c)
{
    free(c->rank);
    free(c->elpd_diff);
    free(c->se_diff);
    free(c->weight);
    memset(c, 0, sizeof *c);
}

int loo_compare(const LooResult *const *models, int nmodels, LooComparison *out)
{
    memset(out, 0, sizeof *out);
    if (nmodels < 2) return -1;
    int N = models[0]->npoints;
    for (int j = 1; j < nmodels; j++)
        if (models[j]->npoints != N) return -1;
    size_t K = (size_t)nmodels;
    out->nmodels = nmodels;
    double *elpd = malloc(K * sizeof *elpd), *diff = malloc((size_t)N * sizeof *diff);
    size_t *order = malloc(K * sizeof *order);
    const double **lpd = malloc(K * sizeof *lpd);
    out->rank = malloc(K * sizeof *out->rank);
    out->elpd_diff = malloc(K * sizeof *out->elpd_diff);
    out->se_diff = malloc(K * sizeof *out->se_diff);
    out->weight = malloc(K * sizeof *out->weight);
    int rc = elpd && diff && order && lpd && out->rank && out->elpd_diff && out->se_diff && out->weight ? 0 : -1;
    if (rc == 0) {
        /* best first; equal elpd keep the models' order, as R's order() */
        for (size_t j = 0; j < K; j++) elpd[j] = -models[j]->elpd_loo.estimate;
        gsl_sort_index(order, elpd, 1, K);
        for (size_t r = 1; r < K; r++)
            for (size_t q = r; q > 0 && elpd[order[q]] == elpd[order[q - 1]] && order[q] < order[q - 1]; q--) {
                size_t t = order[q];
                order[q] = order[q - 1];
                order[q - 1] = t;
            }
        const LooResult *best = models[order[0]];
        for (size_t r = 0; r < K; r++) {
            const LooResult *b = models[order[r]];
            out->rank[r] = (int)order[r];
            for (int i = 0; i < N; i++) diff[i] = b->elpd_loo_i[i] - best->elpd_loo_i[i];
            LooEstimate e = total_of(diff, N);
            out->elpd_diff[order[r]] = e.estimate;
            out->se_diff[order[r]] = r == 0 ? 0.0 : e.se;
        }
        for (size_t j = 0; j < K; j++) lpd[j] = models[j]->elpd_loo_i;
        rc = loo_stacking_weights(lpd, nmodels, N, out->weight);
    }
    free(elpd);
    free(diff);
    free(order);
    free(lpd);
    if (rc != 0) loo_comparison_free(out);
    return rc;
}
