/*
** dist_suff.c -- summed log densities of iid values through sufficient
** statistics.
**
** Each pair: f_suff_stats(x, n, arg, s) fills s from the values (arg holds
** the arguments that are data, the others NAN); f_suff_logpdf(s, arg, d)
** returns the sum of the n log densities, normalising constants included,
** and its partial derivatives d[k] in arg[k].  The sums match summing
** logpdf over the values up to rounding.  Spreads are kept as sums of
** squared deviations from the mean (two passes), so data far from zero
** with a small spread lose no precision.
*/
#include "dist_suff.h"

#include <math.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_statistics_double.h>
#include "dist_math.h"

/* s = {n, mean, sum of squared deviations} of v (n > 0). */
static void moments(const double *v, long n, double *s)
{
    s[0] = (double)n;
    s[1] = gsl_stats_mean(v, 1, (size_t)n);
    double ss = 0;
    for (long i = 0; i < n; i++) ss += (v[i] - s[1]) * (v[i] - s[1]);
    s[2] = ss;
}

/* Sum over n values of log Normal(v | mu, sigma) from {n, mean, ss}. */
static double normal_sum(const double *s, double mu, double sigma, double *dmu, double *dsigma)
{
    double n = s[0], dev = s[1] - mu, q = s[2] + n * dev * dev, v = sigma * sigma;
    if (dmu) {
        *dmu = n * dev / v;
        *dsigma = -n / sigma + q / (v * sigma);
    }
    return -n * (log(sigma) + LOG_SQRT_2PI) - q / (2 * v);
}

/* ---- Normal(mu, sigma): {n, mean, ss} ---- */

void normal_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    moments(x, n, s);
}

double normal_suff_logpdf(const double *s, const double *arg, double *d)
{
    return normal_sum(s, arg[0], arg[1], d ? &d[0] : NULL, d ? &d[1] : NULL);
}

/* ---- HalfNormal(sigma): {n, sum of squares} ---- */

void halfnormal_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    s[0] = (double)n;
    s[1] = 0;
    for (long i = 0; i < n; i++) s[1] += x[i] * x[i];
}

double halfnormal_suff_logpdf(const double *s, const double *arg, double *d)
{
    double n = s[0], sigma = arg[0], v = sigma * sigma;
    if (d) d[0] = -n / sigma + s[1] / (v * sigma);
    return n * (M_LN2 - log(sigma) - LOG_SQRT_2PI) - s[1] / (2 * v);
}

/* ---- LogNormal(mu, sigma): {n, mean, ss} of log x, and sum of log x ---- */

void lognormal_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    double sum = 0;
    for (long i = 0; i < n; i++) sum += log(x[i]);
    double mean = sum / (double)n;
    double ss = 0;
    for (long i = 0; i < n; i++) ss += (log(x[i]) - mean) * (log(x[i]) - mean);
    s[0] = (double)n;
    s[1] = mean;
    s[2] = ss;
    s[3] = sum;
}

double lognormal_suff_logpdf(const double *s, const double *arg, double *d)
{
    return normal_sum(s, arg[0], arg[1], d ? &d[0] : NULL, d ? &d[1] : NULL) - s[3];
}

/* ---- Bernoulli(p): {n, successes} ---- */

void bernoulli_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    s[0] = (double)n;
    s[1] = 0;
    for (long i = 0; i < n; i++) s[1] += x[i];
}

double bernoulli_suff_logpdf(const double *s, const double *arg, double *d)
{
    double p = arg[0], k = s[1], f = s[0] - s[1];
    if (d) d[0] = (k ? k / p : 0) - (f ? f / (1 - p) : 0);
    return xlogy(k, p) + xlog1py(f, -p);
}

/* log p and log(1 - p) of the log-odds t, and their derivatives q and -p
** in t, in log space as Bernoulli(logit_p) takes them (dist_math.h). */
static void logit_logs(double t, double *log_p, double *log_q, double *dlog_p, double *dlog_q)
{
    double p, q;
    logit_parts(t, &p, &q, log_p, log_q);
    *dlog_p = q;
    *dlog_q = -p;
}

/* ---- Bernoulli(logit_p): {n, successes} ---- */

void bernoulli_logit_suff_stats(const double *x, long n, const double *arg, double *s)
{
    bernoulli_suff_stats(x, n, arg, s);
}

double bernoulli_logit_suff_logpdf(const double *s, const double *arg, double *d)
{
    double k = s[1], f = s[0] - s[1], log_p, log_q, dlog_p, dlog_q;
    logit_logs(arg[0], &log_p, &log_q, &dlog_p, &dlog_q);
    if (d) d[0] = k * dlog_p + f * dlog_q;
    return (k ? k * log_p : 0) + (f ? f * log_q : 0);
}

/* ---- Binomial(n, p), n data: {successes, failures, sum of log C(n, x)} ---- */

void binomial_suff_stats(const double *x, long n, const double *arg, double *s)
{
    /* log C(n, x) as the table's own Binomial computes it, accurate for
    ** any n: log Binomial(x | n, 1/2) + n log 2. */
    s[0] = s[1] = s[2] = 0;
    for (long i = 0; i < n; i++) {
        s[0] += x[i];
        s[1] += arg[0] - x[i];
        s[2] += log_binomial_counts(x[i], arg[0] - x[i]) + log_binomial_rest(x[i], arg[0] - x[i], 0.5) + arg[0] * M_LN2;
    }
}

double binomial_suff_logpdf(const double *s, const double *arg, double *d)
{
    double p = arg[1], k = s[0], f = s[1];
    if (d) {
        d[0] = 0;
        d[1] = (k ? k / p : 0) - (f ? f / (1 - p) : 0);
    }
    return s[2] + xlogy(k, p) + xlog1py(f, -p);
}

/* ---- Binomial(n, logit_p), n data: as Binomial(n, p) ---- */

void binomial_logit_suff_stats(const double *x, long n, const double *arg, double *s)
{
    binomial_suff_stats(x, n, arg, s);
}

double binomial_logit_suff_logpdf(const double *s, const double *arg, double *d)
{
    double k = s[0], f = s[1], log_p, log_q, dlog_p, dlog_q;
    logit_logs(arg[1], &log_p, &log_q, &dlog_p, &dlog_q);
    if (d) {
        d[0] = 0;
        d[1] = k * dlog_p + f * dlog_q;
    }
    return s[2] + (k ? k * log_p : 0) + (f ? f * log_q : 0);
}

/* ---- Poisson(mu): {n, sum, sum of log x!} ---- */

void poisson_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    s[0] = (double)n;
    s[1] = s[2] = 0;
    for (long i = 0; i < n; i++) {
        s[1] += x[i];
        s[2] += gsl_sf_lngamma(x[i] + 1);
    }
}

double poisson_suff_logpdf(const double *s, const double *arg, double *d)
{
    double mu = arg[0];
    if (d) d[0] = (s[1] ? s[1] / mu : 0) - s[0];
    return xlogy(s[1], mu) - s[0] * mu - s[2];
}

/* ---- Exponential(lam): {n, sum} ---- */

void exponential_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    s[0] = (double)n;
    s[1] = 0;
    for (long i = 0; i < n; i++) s[1] += x[i];
}

double exponential_suff_logpdf(const double *s, const double *arg, double *d)
{
    double lam = arg[0];
    if (d) d[0] = s[0] / lam - s[1];
    return s[0] * log(lam) - lam * s[1];
}

/* ---- Gamma(alpha, beta), beta a rate: {n, sum, sum of log x} ---- */

void gamma_suff_stats(const double *x, long n, const double *arg, double *s)
{
    (void)arg;
    s[0] = (double)n;
    s[1] = s[2] = 0;
    for (long i = 0; i < n; i++) {
        s[1] += x[i];
        s[2] += log(x[i]);
    }
}

double gamma_suff_logpdf(const double *s, const double *arg, double *d)
{
    double a = arg[0], b = arg[1], n = s[0];
    if (d) {
        d[0] = n * (log(b) - gsl_sf_psi(a)) + s[2];
        d[1] = n * a / b - s[1];
    }
    return n * (a * log(b) - gsl_sf_lngamma(a)) + (a - 1) * s[2] - b * s[1];
}
