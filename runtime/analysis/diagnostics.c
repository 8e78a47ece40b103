/*
** diagnostics.c -- R-hat, effective sample sizes, Monte Carlo standard
** errors, HDI and E-BFMI of MCMC draws.
**
** Follows Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021) step by
** step as the R package posterior (version 1.4.0) computes it, so that its
** values serve as references: split chains (the middle draw of an odd
** count is dropped), rank normalisation z = Phi^-1((r - 3/8) / (S + 1/4))
** with average ranks for ties, autocovariances (summed directly for the
** first lags, by FFT beyond), Geyer's initial
** monotone sequence and the cap ESS <= S log10(S).
**
** Draws come as x[c * n + i]: m chains of n draws.  Every function works
** on its own copies (x is never written) and returns NAN when the input
** holds a non-finite value, is too short, or when memory runs out.
**
** Every figure is scale-equivariant: draws times c give ESS and R-hat
** unchanged and the other figures times |c|, from 1e-300 to 1e300.  Each
** function first scales its copy of the draws by the power of two that
** brings the largest magnitude into [1, 2), which is exact, so that
** squares and fourth powers neither overflow nor underflow, and scales
** its results back; on draws of magnitude 1 to 2 nothing changes, bit for
** bit.
*/
#include "diagnostics.h"

#include <float.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fft_halfcomplex.h>
#include <gsl/gsl_fft_real.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sort_order.h"

static int valid_shape(const double *x, int m, int n)
{
    return x != NULL && m >= 1 && n >= 1;
}

static int all_finite(const double *x, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* The exponent e with big in [2^e, 2^(e+1)), 0 for 0; big finite, >= 0. */
static int exponent_of(double big)
{
    return big > 0.0 ? ilogb(big) : 0;
}

/* The exponent e with the largest |x[i]| in [2^e, 2^(e+1)), 0 when every
** value is 0; x finite. */
static int scale_exponent(const double *x, size_t len)
{
    double big = 0.0;
    for (size_t i = 0; i < len; i++)
        if (fabs(x[i]) > big) big = fabs(x[i]);   /* not fmax: a call per value */
    return exponent_of(big);
}

/* The mean of len >= 1 values, as a sum of their differences from the
** first: exact for equal values, and more accurate when the spread is
** small beside the mean.  GSL's gsl_stats_mean keeps a running mean in
** long double with a division per value, several times slower, and a
** summary takes dozens of means of every quantity's draws. */
static double mean_of(const double *x, size_t len)
{
    double sum = 0.0;
    for (size_t i = 1; i < len; i++) sum += x[i] - x[0];
    return x[0] + sum / (double)len;
}

/* The sample variance (n - 1) of len >= 2 values about their mean, in two
** passes, as R's var; for the same reason as mean_of, not GSL's. */
static double variance_of(const double *x, size_t len, double mean)
{
    double sum = 0.0;
    for (size_t i = 0; i < len; i++) sum += (x[i] - mean) * (x[i] - mean);
    return sum / (double)(len - 1);
}

/* posterior's is_constant, relative: the range is below machine epsilon
** at the draws' magnitude.  posterior compares the range with epsilon
** itself, the same test for draws of magnitude 1 to 2 (as scaled draws
** are); relative, it also holds for what is computed from them, such as
** the squared deviations of mcse_sd, which are small when the spread is
** small beside the mean. */
static int is_constant(const double *x, size_t len)
{
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < len; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    /* the largest magnitude is lo's or hi's: scale_exponent without a pass */
    return hi == lo || hi - lo < ldexp(DBL_EPSILON, exponent_of(fmax(fabs(lo), fabs(hi))));
}

/* x times 2^-e into out, returning e: the draws at magnitude 1, exactly
** (only values 2^1022 times smaller than the largest lose digits, which
** no figure can see). */
static int scale_into(double *out, const double *x, size_t len)
{
    int e = scale_exponent(x, len);
    for (size_t i = 0; i < len; i++) out[i] = ldexp(x[i], -e);
    return e;
}

/* Replaces x[0..len-1] by its normal scores Phi^-1((r - 3/8)/(len + 1/4)),
** r the rank with ties given their average rank; order is x's indices in
** increasing order of their values.  Every quantity of a run has the
** same ranks 1 .. len (or halves between them, for ties), so each score
** is computed once, into scores[2 r] (2 len + 1 values, NAN until known). */
static void normal_scores(double *x, size_t len, const size_t *order, double *scores, long *computed)
{
    double denom = (double)len + 0.25;
    size_t i = 0;
    while (i < len) {
        size_t j = i + 1;
        while (j < len && x[order[j]] == x[order[i]]) j++;
        /* 1-based ranks i+1 .. j share their mean, (i + 1 + j) / 2 */
        double *z = &scores[i + 1 + j];
        if (isnan(*z)) {
            *z = gsl_cdf_ugaussian_Pinv(((double)(i + 1 + j) / 2.0 - 0.375) / denom);
            ++*computed;
        }
        for (size_t k = i; k < j; k++) x[order[k]] = *z;
        i = j;
    }
}

/* The order of f = |y - c| from `order`, the order of y: along it f falls
** to its least value and rises again (rounding keeps both monotone), so
** merging from both ends, the larger first, sorts it in one pass. */
static void folded_order(const double *f, const size_t *order, size_t len, size_t *out)
{
    size_t lo = 0, hi = len;
    for (size_t k = len; k-- > 0;)
        out[k] = f[order[lo]] > f[order[hi - 1]] ? order[lo++] : order[--hi];
}

/* R's quantile type 7 of sorted data, step for step as stats::quantile
** computes it, so that the quantile lands exactly on a draw whenever R's
** does (gsl_stats_quantile_from_sorted_data interpolates between equal
** neighbours and can miss them by a rounding). */
static double quantile_type7(const double *sorted, size_t len, double p)
{
    double index = 1.0 + (double)(len - 1) * p;   /* 1-based, as in R */
    double lo = floor(index), hi = ceil(index);
    double q = sorted[(size_t)lo - 1];
    double upper = sorted[(size_t)hi - 1];
    if (index > lo && upper != q) {
        double h = index - lo;
        q = (1.0 - h) * q + h * upper;
    }
    return q;
}

/* Smallest length >= n whose prime factors are 2, 3 and 5 (R's nextn,
** which posterior pads with); GSL's mixed-radix FFT is fastest on these
** and has no such helper. */
static size_t fft_length(size_t n)
{
    for (;; n++) {
        size_t r = n;
        while (r % 2 == 0) r /= 2;
        while (r % 3 == 0) r /= 3;
        while (r % 5 == 0) r /= 5;
        if (r == 1) return n;
    }
}

/* What the autocovariance of one chain needs, sized for chains of n. */
typedef struct FftScratch {
    size_t n, len;                           /* len = 2 * fft_length(n) */
    double *buf, *spec;                      /* len values each */
    gsl_fft_real_wavetable *forward;
    gsl_fft_halfcomplex_wavetable *inverse;
    gsl_fft_real_workspace *work;
} FftScratch;

static void fft_scratch_free(FftScratch *s)
{
    free(s->buf);
    free(s->spec);
    if (s->forward) gsl_fft_real_wavetable_free(s->forward);
    if (s->inverse) gsl_fft_halfcomplex_wavetable_free(s->inverse);
    if (s->work) gsl_fft_real_workspace_free(s->work);
}

static int fft_scratch_init(FftScratch *s, size_t n)
{
    s->n = n;
    s->len = 2 * fft_length(n);
    s->buf = malloc(s->len * sizeof *s->buf);
    s->spec = malloc(s->len * sizeof *s->spec);
    s->forward = gsl_fft_real_wavetable_alloc(s->len);
    s->inverse = gsl_fft_halfcomplex_wavetable_alloc(s->len);
    s->work = gsl_fft_real_workspace_alloc(s->len);
    if (!s->buf || !s->spec || !s->forward || !s->inverse || !s->work) {
        fft_scratch_free(s);
        return -1;
    }
    return 0;
}

/* Everything the diagnostics of m chains of n draws need, allocated once
** and reused for every quantity of a run. */
struct DiagWorkspace {
    int m, n;           /* the shape it serves */
    int m2, n2;         /* split chains */
    size_t total;       /* m * n */
    double *scaled;     /* total values: the current input times 2^-exponent */
    int exponent;       /* scale_into's */
    double *split;      /* total values: split chains of the current input */
    double *sorted;     /* total values: the draws in increasing order */
    double *scratch;    /* total values: folded draws, indicators, squares */
    size_t *order;      /* total indices: the split draws' order */
    size_t *fold_order; /* total indices: the folded split draws' order */
    SortOrder *sort;    /* for total values */
    long sorts;         /* sorts made: diag_workspace_sorts */
    double *scores;     /* 2 m2 n2 + 1 normal scores by twice their rank: normal_scores */
    long scores_computed;
    double *centred;    /* total values: each split chain less its mean */
    double *acov, *rho; /* n2 values each */
    size_t acov_lags;   /* acov[0 .. acov_lags-1] hold the current input's */
    long ffts;          /* autocovariances computed by FFT: diag_workspace_ffts */
    double *means;      /* m2 chain means */
    FftScratch fft;     /* for chains of n2 (unused below 3 draws) */
    bool have_fft;
};

/* A workspace for m chains of n draws, split in halves (split) or taken
** whole as chains (diag_ess_chains). */
static DiagWorkspace *workspace_alloc(int m, int n, bool split)
{
    if (m < 1 || n < 1) return NULL;
    DiagWorkspace *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    w->m = m;
    w->n = n;
    w->m2 = n == 1 || !split ? m : 2 * m;
    w->n2 = n == 1 || !split ? n : n / 2;
    w->total = (size_t)m * (size_t)n;
    w->scaled = malloc(w->total * sizeof *w->scaled);
    w->split = malloc(w->total * sizeof *w->split);
    w->sorted = malloc(w->total * sizeof *w->sorted);
    w->scratch = malloc(w->total * sizeof *w->scratch);
    w->order = malloc(w->total * sizeof *w->order);
    w->fold_order = malloc(w->total * sizeof *w->fold_order);
    w->sort = sort_order_new(w->total);
    size_t nscores = 2 * (size_t)w->m2 * (size_t)w->n2 + 1;
    w->scores = malloc(nscores * sizeof *w->scores);
    for (size_t k = 0; w->scores && k < nscores; k++) w->scores[k] = NAN;
    w->centred = malloc(w->total * sizeof *w->centred);
    w->acov = malloc((size_t)w->n2 * sizeof *w->acov);
    w->rho = malloc((size_t)w->n2 * sizeof *w->rho);
    w->means = malloc((size_t)w->m2 * sizeof *w->means);
    bool ok = w->scaled && w->split && w->sorted && w->scratch && w->order && w->fold_order && w->sort && w->scores && w->centred && w->acov && w->rho
              && w->means;
    if (ok && w->n2 >= 3) {
        ok = fft_scratch_init(&w->fft, (size_t)w->n2) == 0;
        w->have_fft = ok;
    }
    if (!ok) {
        diag_workspace_free(w);
        return NULL;
    }
    return w;
}

DiagWorkspace *diag_workspace_new(int m, int n)
{
    return workspace_alloc(m, n, true);
}

long diag_workspace_sorts(const DiagWorkspace *w)
{
    return w->sorts;
}

long diag_workspace_normal_scores(const DiagWorkspace *w)
{
    return w->scores_computed;
}

long diag_workspace_ffts(const DiagWorkspace *w)
{
    return w->ffts;
}

void diag_workspace_free(DiagWorkspace *w)
{
    if (w == NULL) return;
    free(w->scaled);
    free(w->split);
    free(w->sorted);
    free(w->scratch);
    free(w->order);
    free(w->fold_order);
    sort_order_free(w->sort);
    free(w->scores);
    free(w->centred);
    free(w->acov);
    free(w->rho);
    free(w->means);
    if (w->have_fft) fft_scratch_free(&w->fft);
    free(w);
}

/* Adds the power spectrum of chain y to spec (s->len values, half-complex,
** the imaginary parts left 0), for posterior's autocovariance: the centred
** chain (mean its mean) zero-padded to twice an FFT-friendly length.  A
** constant chain adds nothing: posterior gives it no autocovariance. */
static int add_power_spectrum(FftScratch *s, const double *y, double mean, double *spec)
{
    size_t n = s->n;
    double *b = s->buf, squares = 0.0;
    for (size_t i = 0; i < n; i++) {
        b[i] = y[i] - mean;
        squares += b[i] * b[i];
    }
    if (squares == 0.0) return 0;
    memset(b + n, 0, (s->len - n) * sizeof *b);
    if (gsl_fft_real_transform(b, 1, s->len, s->forward, s->work)) return -1;

    /* Half-complex layout: b[0] real, then (re, im) pairs, then the real
    ** Nyquist term b[len-1] (len is even). */
    spec[0] += b[0] * b[0];
    for (size_t k = 1; k + 1 < s->len; k += 2) spec[k] += b[k] * b[k] + b[k + 1] * b[k + 1];
    spec[s->len - 1] += b[s->len - 1] * b[s->len - 1];
    return 0;
}

/* The autocovariances (lags 0 .. n-1) of the m chains of x, averaged:
** posterior's autocovariance of each chain is its power spectrum
** transformed back, divided by n (posterior scales by var * (n-1) / n
** over lag 0, the same), so their mean is the transform of the spectra's
** sum over n m, one inverse transform for every chain. */
static int mean_autocovariance(FftScratch *s, const double *x, const double *chain_means, int m, double *acov)
{
    double *spec = s->spec;
    memset(spec, 0, s->len * sizeof *spec);
    for (int c = 0; c < m; c++)
        if (add_power_spectrum(s, x + (size_t)c * s->n, chain_means[c], spec)) return -1;
    if (gsl_fft_halfcomplex_inverse(spec, 1, s->len, s->inverse, s->work)) return -1;
    double scale = (double)s->n * (double)m;
    for (size_t k = 0; k < s->n; k++) acov[k] = spec[k] / scale;
    return 0;
}

/* Lags beyond which the autocovariances are computed by FFT, all at once:
** a lag summed directly costs m n products, all n of them by FFT about
** 20 m n log2 n, so direct sums are cheaper while ess_of needs fewer than
** about that many lags.  Geyer's sequence stops after a handful on
** well-mixed chains and exact draws; slow chains need hundreds. */
#define DIRECT_LAGS 32

/* Makes w->acov[0 .. lag] hold the chain-averaged autocovariances of the
** split chains (ess_of's w->centred): the same figures as
** mean_autocovariance's, lag by lag.  Returns 0, or -1 when the FFT
** fails. */
static int autocovariance_through(DiagWorkspace *w, size_t lag)
{
    size_t n = (size_t)w->n2, m = (size_t)w->m2;
    if (lag < w->acov_lags) return 0;
    if (lag >= DIRECT_LAGS) {
        w->ffts++;
        if (mean_autocovariance(&w->fft, w->split, w->means, w->m2, w->acov)) return -1;
        w->acov_lags = n;
        return 0;
    }
    for (size_t t = w->acov_lags; t <= lag; t++) {
        double sum = 0.0;
        for (size_t c = 0; c < m; c++) {
            const double *b = w->centred + c * n;
            for (size_t i = 0; i + t < n; i++) sum += b[i] * b[i + t];
        }
        w->acov[t] = sum / ((double)n * (double)m);
    }
    w->acov_lags = lag + 1;
    return 0;
}

/* posterior's .ess of the split chains in w->split: Geyer's initial
** monotone sequence over the chain-averaged autocorrelations, capped at
** S log10(S). */
static double ess_of(DiagWorkspace *w)
{
    const double *x = w->split;
    int m = w->m2, n = w->n2;
    size_t un = (size_t)n, total = (size_t)m * un;
    if (n < 3 || !all_finite(x, total) || is_constant(x, total)) return NAN;

    double *acov = w->acov, *rho = w->rho, *chain_means = w->means;
    memset(rho, 0, un * sizeof *rho);
    for (int c = 0; c < m; c++) {
        const double *y = x + (size_t)c * un;
        double *b = w->centred + (size_t)c * un;
        chain_means[c] = mean_of(y, un);
        for (size_t i = 0; i < un; i++) b[i] = y[i] - chain_means[c];
    }
    w->acov_lags = 0;
    if (autocovariance_through(w, 1)) return NAN;

    double n_d = (double)n;
    double mean_var = acov[0] * n_d / (n_d - 1.0);
    double var_plus = mean_var * (n_d - 1.0) / n_d;
    if (m > 1) var_plus += gsl_stats_variance(chain_means, 1, (size_t)m);

    /* Sums of adjacent pairs of autocorrelations, kept while positive. */
    size_t t = 0;
    double rho_even = 1.0;
    double rho_odd = 1.0 - (mean_var - acov[1]) / var_plus;
    rho[0] = rho_even;
    rho[1] = rho_odd;
    while ((long)t < (long)n - 5 && !isnan(rho_even + rho_odd)
           && rho_even + rho_odd > 0.0) {
        t += 2;
        if (autocovariance_through(w, t + 1)) return NAN;
        rho_even = 1.0 - (mean_var - acov[t]) / var_plus;
        rho_odd = 1.0 - (mean_var - acov[t + 1]) / var_plus;
        if (rho_even + rho_odd >= 0.0) {
            rho[t] = rho_even;
            rho[t + 1] = rho_odd;
        }
    }
    size_t max_t = t;
    if (rho_even > 0.0) rho[max_t] = rho_even;

    /* Make the pair sums monotone non-increasing. */
    for (t = 2; t + 2 <= max_t; t += 2) {
        if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
            rho[t] = (rho[t - 2] + rho[t - 1]) / 2.0;
            rho[t + 1] = rho[t];
        }
    }

    /* posterior sums rho_hat_t[1:max_t] in R; for max_t = 0 that range is
    ** c(1, 0), the first element alone. */
    double sum = 0.0;
    if (max_t == 0) sum = rho[0];
    for (size_t k = 0; k < max_t; k++) sum += rho[k];
    double tau = -1.0 + 2.0 * sum + rho[max_t];
    double tau_bound = 1.0 / log10((double)total);
    if (tau < tau_bound) tau = tau_bound;
    return (double)total / tau;
}

/* posterior's .rhat of the split chains in w->split. */
static double rhat_of(DiagWorkspace *w)
{
    const double *x = w->split;
    int m = w->m2, n = w->n2;
    size_t un = (size_t)n, total = (size_t)m * un;
    if (m < 2 || n < 2 || !all_finite(x, total) || is_constant(x, total))
        return NAN;
    double var_within = 0.0;
    for (int c = 0; c < m; c++) {
        const double *y = x + (size_t)c * un;
        w->means[c] = mean_of(y, un);
        var_within += variance_of(y, un, w->means[c]);
    }
    var_within /= m;
    double var_between = (double)n * gsl_stats_variance(w->means, 1, (size_t)m);
    return sqrt((var_between / var_within + (double)n - 1.0) / (double)n);
}

/* Splits each of the m chains of x into its first and last halves, in
** that order, into w->split (w->m2 chains of w->n2).  An odd middle draw
** is dropped; chains of one draw stay whole. */
static void split_into(DiagWorkspace *w, const double *x)
{
    size_t n = (size_t)w->n, half = (size_t)w->n2;
    if (n == 1) {
        memcpy(w->split, x, (size_t)w->m * sizeof *w->split);
        return;
    }
    for (size_t c = 0; c < (size_t)w->m; c++) {
        const double *chain = x + c * n;
        memcpy(w->split + 2 * c * half, chain, half * sizeof *w->split);
        memcpy(w->split + (2 * c + 1) * half, chain + n - half, half * sizeof *w->split);
    }
}

/* The split, rank-normalised draws of x in w->split, their order in
** w->order, and x's values in increasing order in w->sorted: the bulk
** diagnostics and every quantile start from these. */
static void prepare(DiagWorkspace *w, const double *x)
{
    split_into(w, x);
    size_t len = (size_t)w->m2 * (size_t)w->n2;
    sort_order(w->sort, w->split, len, w->order);
    w->sorts++;
    if (len == w->total) {   /* splitting is a reordering: its order sorts x */
        for (size_t k = 0; k < len; k++) w->sorted[k] = w->split[w->order[k]];
    } else {                 /* it dropped middle draws: x in order, fold_order as scratch */
        sort_order(w->sort, x, w->total, w->fold_order);
        w->sorts++;
        for (size_t k = 0; k < w->total; k++) w->sorted[k] = x[w->fold_order[k]];
    }
    normal_scores(w->split, len, w->order, w->scores, &w->scores_computed);
}

/* Rank-normalised split R-hat of the draws folded about their median:
** the spread of the tails.  Needs prepare's sorted draws and order. */
static double rhat_folded(DiagWorkspace *w, const double *x)
{
    double median = gsl_stats_median_from_sorted_data(w->sorted, 1, w->total);
    for (size_t i = 0; i < w->total; i++) w->scratch[i] = fabs(x[i] - median);
    split_into(w, w->scratch);
    size_t len = (size_t)w->m2 * (size_t)w->n2;
    folded_order(w->split, w->order, len, w->fold_order);
    normal_scores(w->split, len, w->fold_order, w->scores, &w->scores_computed);
    return rhat_of(w);
}

/* R's max() and min(): an undefined part makes the whole undefined. */
static double max_defined(double a, double b) { return isnan(a) || isnan(b) ? NAN : (a > b ? a : b); }
static double min_defined(double a, double b) { return isnan(a) || isnan(b) ? NAN : (a < b ? a : b); }

/* min of the ESS of the 5% and 95% quantile indicators; needs prepare's
** sorted draws. */
static double ess_tail(DiagWorkspace *w, const double *x)
{
    if (is_constant(x, w->total)) return NAN;
    double ess_q[2];
    for (int k = 0; k < 2; k++) {
        double q = quantile_type7(w->sorted, w->total, k == 0 ? 0.05 : 0.95);
        for (size_t i = 0; i < w->total; i++) w->scratch[i] = x[i] <= q;
        split_into(w, w->scratch);
        ess_q[k] = ess_of(w);
    }
    return min_defined(ess_q[0], ess_q[1]);
}

/* The basic ESS of x: split chains, no ranks. */
static double ess_basic(DiagWorkspace *w, const double *x)
{
    split_into(w, x);
    return ess_of(w);
}

static double mcse_mean(DiagWorkspace *w, const double *x)
{
    if (w->total < 2) return NAN;
    double ess = ess_basic(w, x);
    if (isnan(ess)) return NAN;
    return sqrt(variance_of(x, w->total, mean_of(x, w->total))) / sqrt(ess);
}

/* posterior 1.4.0's mcse_sd: the delta method on the squared deviations
** d^2, d = x - mean(x), with the ESS of d^2:
**     sqrt((mean(d^4) - mean(d^2)^2) / ess(d^2) / mean(d^2) / 4). */
static double mcse_sd(DiagWorkspace *w, const double *x)
{
    double *sq = w->scratch;
    size_t total = w->total;
    double mean = mean_of(x, total);
    for (size_t i = 0; i < total; i++) sq[i] = (x[i] - mean) * (x[i] - mean);
    double ess = ess_basic(w, sq);
    if (isnan(ess)) return NAN;
    double evar = mean_of(sq, total);
    double fourth = 0.0;
    for (size_t i = 0; i < total; i++) fourth += sq[i] * sq[i];
    fourth /= (double)total;
    double varvar = (fourth - evar * evar) / ess;
    return sqrt(varvar / evar / 4.0);
}

/* ArviZ's hdi of sorted draws: of the windows of floor(prob * len) + 1
** consecutive draws, the narrowest, the first of equals. */
static void hdi_sorted(const double *sorted, size_t len, double prob, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (len == 0 || !(prob > 0.0 && prob <= 1.0)) return;
    size_t inc = (size_t)floor(prob * (double)len);
    if (inc >= len) return;                  /* no window fits */
    size_t best = 0;
    for (size_t i = 1; i + inc < len; i++)
        if (sorted[i + inc] - sorted[i] < sorted[best + inc] - sorted[best]) best = i;
    *lo = sorted[best];
    *hi = sorted[best + inc];
}

/* The current input scaled (w->scaled, w->exponent) from x, which is
** finite. */
static const double *load(DiagWorkspace *w, const double *x)
{
    w->exponent = scale_into(w->scaled, x, w->total);
    return w->scaled;
}

/* A figure of the scaled draws back at the scale of the draws. */
static double unscaled(const DiagWorkspace *w, double v)
{
    return ldexp(v, w->exponent);
}

int diag_summary(DiagWorkspace *w, const double *x, double hdi_prob, DiagSummary *out)
{
    *out = (DiagSummary){ NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
    if (x == NULL || !all_finite(x, w->total)) return 0;
    const double *y = load(w, x);
    double mean = mean_of(y, w->total);
    out->mean = unscaled(w, mean);
    if (w->total > 1) out->sd = unscaled(w, sqrt(variance_of(y, w->total, mean)));
    prepare(w, y);
    double rhat_bulk = rhat_of(w);
    out->ess_bulk = ess_of(w);
    hdi_sorted(w->sorted, w->total, hdi_prob, &out->hdi_low, &out->hdi_high);
    out->hdi_low = unscaled(w, out->hdi_low);
    out->hdi_high = unscaled(w, out->hdi_high);
    out->r_hat = max_defined(rhat_bulk, rhat_folded(w, y));
    out->ess_tail = ess_tail(w, y);
    out->mcse_mean = unscaled(w, mcse_mean(w, y));
    out->mcse_sd = unscaled(w, mcse_sd(w, y));
    return 0;
}

/* ---- one diagnostic at a time ---- */

/* A workspace holding x, scaled, when its shape and values allow a
** diagnostic. */
static DiagWorkspace *workspace_for(const double *x, int m, int n)
{
    if (!valid_shape(x, m, n) || !all_finite(x, (size_t)m * (size_t)n)) return NULL;
    DiagWorkspace *w = diag_workspace_new(m, n);
    if (w) load(w, x);
    return w;
}

double diag_rhat(const double *x, int m, int n)
{
    DiagWorkspace *w = workspace_for(x, m, n);
    if (w == NULL) return NAN;
    prepare(w, w->scaled);
    double bulk = rhat_of(w);
    double rhat = max_defined(bulk, rhat_folded(w, w->scaled));
    diag_workspace_free(w);
    return rhat;
}

double diag_ess_bulk(const double *x, int m, int n)
{
    DiagWorkspace *w = workspace_for(x, m, n);
    if (w == NULL) return NAN;
    prepare(w, w->scaled);
    double ess = ess_of(w);
    diag_workspace_free(w);
    return ess;
}

double diag_ess_basic(const double *x, int m, int n)
{
    DiagWorkspace *w = workspace_for(x, m, n);
    if (w == NULL) return NAN;
    double ess = ess_basic(w, w->scaled);
    diag_workspace_free(w);
    return ess;
}

double diag_ess_chains(const double *x, int m, int n)
{
    if (!valid_shape(x, m, n) || !all_finite(x, (size_t)m * (size_t)n)) return NAN;
    DiagWorkspace *w = workspace_alloc(m, n, false);
    if (w == NULL) return NAN;
    memcpy(w->split, load(w, x), w->total * sizeof *w->split);
    double ess = ess_of(w);
    diag_workspace_free(w);
    return ess;
}

double diag_ess_tail(const double *x, int m, int n)
{
    DiagWorkspace *w = workspace_for(x, m, n);
    if (w == NULL) return NAN;
    prepare(w, w->scaled);
    double ess = ess_tail(w, w->scaled);
    diag_workspace_free(w);
    return ess;
}

double diag_mcse_mean(const double *x, int m, int n)
{
    DiagWorkspace *w = workspace_for(x, m, n);
    if (w == NULL) return NAN;
    double mcse = unscaled(w, mcse_mean(w, w->scaled));
    diag_workspace_free(w);
    return mcse;
}

double diag_mcse_sd(const double *x, int m, int n)
{
    DiagWorkspace *w = workspace_for(x, m, n);
    if (w == NULL) return NAN;
    double mcse = unscaled(w, mcse_sd(w, w->scaled));
    diag_workspace_free(w);
    return mcse;
}

double diag_sd(const double *x, size_t len)
{
    if (x == NULL || len < 2 || !all_finite(x, len)) return NAN;
    double *y = malloc(len * sizeof *y);
    if (y == NULL) return NAN;
    int e = scale_into(y, x, len);
    double sd = ldexp(sqrt(variance_of(y, len, mean_of(y, len))), e);
    free(y);
    return sd;
}

void diag_hdi(const double *x, size_t len, double prob, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (x == NULL || len == 0 || !all_finite(x, len)) return;
    double *sorted = malloc(len * sizeof *sorted);
    if (sorted == NULL) return;
    int e = scale_into(sorted, x, len);
    gsl_sort(sorted, 1, len);
    hdi_sorted(sorted, len, prob, lo, hi);
    *lo = ldexp(*lo, e);
    *hi = ldexp(*hi, e);
    free(sorted);
}

/* Squared successive differences over squared deviations from the mean
** (Betancourt 2016; ArviZ's bfmi), of the energies scaled as the draws
** are: a ratio, unchanged by the scale. */
double diag_ebfmi(const double *energy, size_t len)
{
    if (energy == NULL || len < 2 || !all_finite(energy, len)) return NAN;
    double *e = malloc(len * sizeof *e);
    if (e == NULL) return NAN;
    scale_into(e, energy, len);
    double mean = mean_of(e, len);
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < len; i++) {
        double dev = e[i] - mean;
        den += dev * dev;
        if (i > 0) {
            double diff = e[i] - e[i - 1];
            num += diff * diff;
        }
    }
    free(e);
    if (den == 0.0) return NAN;
    return num / den;
}
