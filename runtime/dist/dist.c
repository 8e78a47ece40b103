/*
** dist.c -- the distribution table: for every distribution its arguments,
** support, log density with partial derivatives, generator, mean and
** variance.  Parameterisations follow PyMC.
**
** Log densities include every normalising constant.  Binomial, Poisson,
** NegativeBinomial, and through them Beta, Gamma and InverseGamma, use
** Loader's saddle-point form (C. Loader, "Fast and accurate computation of
** binomial probabilities", 2000; R's dbinom, dpois, dbeta and dgamma use
** it too): the textbook sum of log-gammas loses digits to cancellation
** once counts or shapes reach millions, and this form does not.  Its two
** ingredients are GSL's Gamma* (Stirling's error) and the deviance term
** bd0, written below with log1p; GSL has no such form of its own.
**
** The table is static const and nothing here keeps state: every function
** is re-entrant.
*/
#include "dist.h"
#include "dist_suff.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#define LOG_2PI        1.8378770664093454835606594728112   /* log(2 pi) */
#define LOG_SQRT_2PI   0.91893853320467274178032973640562  /* log(sqrt(2 pi)) */
#define LOG_SQRT_2_PI -0.22579135264472743236309761494744  /* log(sqrt(2 / pi)) */

/* ------------------------------------------------------------ helpers */

/* a log(y) and a log1p(y), with 0 log 0 = 0 so that boundary cases such
** as Binomial(n, 0) at 0 give log 1 = 0 rather than NaN. */
static double xlogy(double a, double y) { return a == 0 ? 0 : a * log(y); }
static double xlog1py(double a, double y) { return a == 0 ? 0 : a * log1p(y); }

/* a / b, 0 when a is 0: the derivative of xlogy's term. */
static double xdivy(double a, double b) { return a == 0 ? 0 : a / b; }

/* log(a / b) for a, b > 0: accurate when a is near b, and free of the
** overflow of a / b when they are far apart. */
static double log_ratio(double a, double b)
{
    if (a > 0.5 * b && a < 2 * b) return log1p((a - b) / b);
    return log(a) - log(b);
}

/* log(1 + z^2 / nu), without the overflow of z^2 for huge |z|. */
static double log1p_sq(double z, double nu)
{
    double zz = z * z;
    if (isinf(zz)) return 2 * log(fabs(z)) - log(nu);
    return log1p(zz / nu);
}

/* z^2 / (nu + z^2), which is 1 when z^2 overflows. */
static double sq_share(double z, double nu) { return 1 / (1 + nu / (z * z)); }

/* Stirling's error log(x!) - log(sqrt(2 pi x) (x/e)^x) = log Gamma*(x), x > 0. */
static double stirlerr(double x) { return log(gsl_sf_gammastar(x)); }

/* Loader's deviance x log(x/m) + m - x >= 0, for x > 0 and m >= 0; m - x
** first, as adding m to a term near -(m - x) would lose the difference. */
static double bd0(double x, double m) { return x * log_ratio(x, m) + (m - x); }

/* log(m^k e^-m / k!): the Poisson mass, for real k >= 0 and m >= 0, in
** two parts as the binomial's below. */
static double log_poisson_count(double k)
{
    return k == 0 ? 0 : -stirlerr(k) - 0.5 * (LOG_2PI + log(k));
}

static double log_poisson_rest(double k, double m)
{
    if (k == 0) return -m;
    if (m == 0) return -INFINITY;
    return -bd0(k, m);
}

static double log_poisson_raw(double k, double m)
{
    return log_poisson_count(k) + log_poisson_rest(k, m);
}

/* log(C(n, k) p^k (1-p)^j) with n = k + j: k successes, j failures, both
** >= 0, in two parts: the terms of the counts alone, which a likelihood of
** data computes once, and the rest, which alone depends on p.  C is taken
** through Gamma, so k and j may be real (Beta uses that); j is passed
** rather than n so that a zero count stays exactly zero. */
static double log_binomial_counts(double k, double j)
{
    if (k == 0 || j == 0) return 0;
    double n = k + j;
    return stirlerr(n) - stirlerr(k) - stirlerr(j) + 0.5 * (log(n) - LOG_2PI - log(k) - log(j));
}

static double log_binomial_rest(double k, double j, double p)
{
    double n = k + j;
    if (n == 0) return 0;
    if (k == 0) return j * log1p(-p);
    if (j == 0) return k * log(p);
    if (p == 0 || p == 1) return -INFINITY;
    return -bd0(k, n * p) - bd0(j, n * (1 - p));
}

static double log_binomial_raw(double k, double j, double p)
{
    return log_binomial_counts(k, j) + log_binomial_rest(k, j, p);
}

/* log(Gamma(a + 1/2) / Gamma(a)), a > 0.  gsl_sf_lnpoch(a, 0.5) loses
** digits for large a (about 6e-7 at a = 5e9); Stirling's series with GSL's
** Gamma* does not: the log-gammas' leading terms cancel analytically. */
static double lngamma_half_ratio(double a)
{
    if (a < 1) return gsl_sf_lngamma(a + 0.5) - gsl_sf_lngamma(a);
    return a * log1p(0.5 / a) - 0.5 + 0.5 * log(a) + stirlerr(a + 0.5) - stirlerr(a);
}

/* log C(n, k), 0 <= k <= n <= 2^53.  gsl_sf_lnchoose takes unsigned int;
** beyond that its own identity C(n, k) = 1 / ((n + 1) B(k + 1, n - k + 1)). */
static double log_choose(double n, double k)
{
    if (n <= UINT_MAX) return gsl_sf_lnchoose((unsigned)n, (unsigned)k);
    if (k == 0 || k == n) return 0;
    return -log1p(n) - gsl_sf_lnbeta(k + 1, n - k + 1);
}

/* For a log-odds t: *p = inv_logit(t), *q = 1 - *p computed as inv_logit(-t)
** (no cancellation near 1), *log_p = log *p and *log_q = log *q, all from
** one exp, finite even where p or q underflows to 0. */
static void logit_parts(double t, double *p, double *q, double *log_p, double *log_q)
{
    double e = exp(-fabs(t)), l = log1p(e);   /* softplus(-|t|) */
    double big = 1 / (1 + e), small = e / (1 + e);
    *p = t >= 0 ? big : small;
    *q = t >= 0 ? small : big;
    *log_p = t >= 0 ? -l : t - l;
    *log_q = t >= 0 ? -t - l : -l;
}

/* p and p (1 - p) of a log-odds t. */
static double logit_p_of(double t)
{
    double p, q, log_p, log_q;
    logit_parts(t, &p, &q, &log_p, &log_q);
    return p;
}

static double logit_pq_of(double t)
{
    double p, q, log_p, log_q;
    logit_parts(t, &p, &q, &log_p, &log_q);
    return p * q;
}

/* Draws that rounded onto the edge of an open support (a Gamma draw that
** underflowed to 0, a Beta draw that rounded to 1) are moved just inside. */
static double inside_real(double x)
{
    return isinf(x) ? copysign(DBL_MAX, x) : x;
}

static double inside_positive(double x)
{
    if (!(x > 0)) return DBL_TRUE_MIN;
    return isinf(x) ? DBL_MAX : x;
}

static double inside_unit(double x)
{
    if (!(x > 0)) return DBL_TRUE_MIN;
    return x < 1 ? x : 1 - DBL_EPSILON / 2;
}

/* GSL's discrete generators return unsigned int.  These two reach counts
** beyond UINT_MAX exactly, by splitting the count until GSL can take the
** rest (L. Devroye, "Non-Uniform Random Variate Generation", 1986, X.4;
** the Poisson split is Ahrens and Dieter's, as in gsl_ran_poisson). */
static double binomial_draw(const gsl_rng *r, double n, double p)
{
    double k = 0;
    while (n > UINT_MAX) {
        /* the m-th smallest of n uniforms is Beta(m, n - m + 1) */
        double m = floor((n + 1) / 2);
        double y = gsl_ran_beta(r, m, n - m + 1);
        if (y <= p) {           /* m of them lie below p; the rest are uniform on (y, 1) */
            k += m;
            n -= m;
            p = (p - y) / (1 - y);
        } else {                /* the m - 1 below y are uniform on (0, y) */
            n = m - 1;
            p = p / y;
        }
    }
    return k + gsl_ran_binomial(r, p, (unsigned)n);
}

static double poisson_draw(const gsl_rng *r, double mu)
{
    double k = 0;
    /* below 1e9, a draw past UINT_MAX is over 100 standard deviations out */
    while (mu > 1e9) {
        /* the m-th event of a unit-rate process comes at Gamma(m, 1) */
        double m = floor(mu * 0.875);
        double t = gsl_ran_gamma(r, m, 1.0);
        if (t >= mu) return k + binomial_draw(r, m - 1, mu / t);
        k += m;
        mu -= t;
    }
    return k + gsl_ran_poisson(r, mu);
}

/* ------------------------------------------------------------ Beta(alpha, beta) */

/* As a binomial mass in real "trials", as R's dbeta does, so that large
** shapes keep their digits: for a, b >= 1 the density is
** (a+b-1) C(a+b-2, a-1) x^(a-1) (1-x)^(b-1); a shape below 1 moves one
** power of x (or 1-x) out.  Both below 1: nothing large to cancel. */
static double beta_core(double x, double a, double b)
{
    if (a >= 1 && b >= 1) return log(a + b - 1) + log_binomial_raw(a - 1, b - 1, x);
    if (b >= 1) return log(a) - log(x) + log_binomial_raw(a, b - 1, x);
    if (a >= 1) return log(b) - log1p(-x) + log_binomial_raw(a - 1, b, x);
    return xlogy(a - 1, x) + xlog1py(b - 1, -x) - gsl_sf_lnbeta(a, b);
}

static double beta_logpdf(double x, const double *a, double *d, unsigned want)
{
    double al = a[0], be = a[1];
    if (d) {
        d[0] = xdivy(al - 1, x) - xdivy(be - 1, 1 - x);
        if (want & (DIST_WANT(1) | DIST_WANT(2))) {   /* digammas only when the shapes vary */
            double psi_ab = gsl_sf_psi(al + be);
            d[1] = log(x) - gsl_sf_psi(al) + psi_ab;
            d[2] = log1p(-x) - gsl_sf_psi(be) + psi_ab;
        }
    }
    return beta_core(x, al, be);
}

static double beta_random(const gsl_rng *r, const double *a)
{
    return inside_unit(gsl_ran_beta(r, a[0], a[1]));
}

static double beta_mean(const double *a) { return a[0] / (a[0] + a[1]); }

static double beta_variance(const double *a)
{
    double s = a[0] + a[1];
    return a[0] * a[1] / (s * s * (s + 1));
}

/* ------------------------------------------------------------ Binomial(n, p) */

/* The terms of the counts alone: a likelihood of data computes them once. */
static double binomial_data_part(double x, const double *a)
{
    return log_binomial_counts(x, a[0] - x);
}

static double binomial_logpdf_rest(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double n = a[0], p = a[1];
    if (d) {
        d[0] = 0;
        d[1] = 0;
        d[2] = xdivy(x, p) - xdivy(n - x, 1 - p);
    }
    return log_binomial_rest(x, n - x, p);
}

static double binomial_logpdf(double x, const double *a, double *d, unsigned want)
{
    return binomial_data_part(x, a) + binomial_logpdf_rest(x, a, d, want);
}

static double binomial_random(const gsl_rng *r, const double *a)
{
    return binomial_draw(r, a[0], a[1]);
}

static double binomial_mean(const double *a) { return a[0] * a[1]; }
static double binomial_variance(const double *a) { return a[0] * a[1] * (1 - a[1]); }

/* ------------------------------------------------------------ Binomial(n, logit_p) */

/* The same terms as Binomial(n, p) with p = inv_logit(logit_p): Loader's
** deviances where n p and n (1 - p) are representable, else k log p +
** j log(1 - p) minus the data part's k log(k/n) + j log(j/n), the same
** value by another route, from log p and log(1 - p) taken in log space. */
static double binomial_logit_data_part(double x, const double *a)
{
    return log_binomial_counts(x, a[0] - x);
}

static double binomial_logit_logpdf_rest(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double n = a[0], k = x, j = n - x;
    double p, q, log_p, log_q;
    logit_parts(a[1], &p, &q, &log_p, &log_q);
    if (d) {
        d[0] = 0;
        d[1] = 0;
        d[2] = k * q - j * p;     /* k - n p */
    }
    if (n == 0) return 0;
    if (k == 0) return j * log_q;
    if (j == 0) return k * log_p;
    if (n * p > 0 && n * q > 0) return -bd0(k, n * p) - bd0(j, n * q);
    return k * (log_p - log(k / n)) + j * (log_q - log(j / n));
}

static double binomial_logit_logpdf(double x, const double *a, double *d, unsigned want)
{
    return binomial_logit_data_part(x, a) + binomial_logit_logpdf_rest(x, a, d, want);
}

static double binomial_logit_random(const gsl_rng *r, const double *a)
{
    return binomial_draw(r, a[0], logit_p_of(a[1]));
}

static double binomial_logit_mean(const double *a) { return a[0] * logit_p_of(a[1]); }

static double binomial_logit_variance(const double *a) { return a[0] * logit_pq_of(a[1]); }

/* ------------------------------------------------------------ Bernoulli(p) */

static double bernoulli_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double p = a[0];
    if (d) {
        d[0] = 0;
        d[1] = x == 1 ? 1 / p : -1 / (1 - p);
    }
    return x == 1 ? log(p) : log1p(-p);
}

static double bernoulli_random(const gsl_rng *r, const double *a)
{
    return gsl_ran_bernoulli(r, a[0]);
}

static double bernoulli_mean(const double *a) { return a[0]; }
static double bernoulli_variance(const double *a) { return a[0] * (1 - a[0]); }

/* ------------------------------------------------------------ Bernoulli(logit_p) */

static double bernoulli_logit_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double p, q, log_p, log_q;
    logit_parts(a[0], &p, &q, &log_p, &log_q);
    if (d) {
        d[0] = 0;
        d[1] = x == 1 ? q : -p;   /* x - p */
    }
    return x == 1 ? log_p : log_q;
}

static double bernoulli_logit_random(const gsl_rng *r, const double *a)
{
    return gsl_ran_bernoulli(r, logit_p_of(a[0]));
}

static double bernoulli_logit_mean(const double *a) { return logit_p_of(a[0]); }

static double bernoulli_logit_variance(const double *a) { return logit_pq_of(a[0]); }

/* ------------------------------------------------------------ Normal(mu, sigma) */

static double normal_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double mu = a[0], sigma = a[1];
    double z = (x - mu) / sigma;
    if (d) {
        d[0] = -z / sigma;
        d[1] = z / sigma;
        d[2] = (z * z - 1) / sigma;
    }
    return -0.5 * z * z - log(sigma) - LOG_SQRT_2PI;
}

static double normal_random(const gsl_rng *r, const double *a)
{
    return inside_real(a[0] + gsl_ran_gaussian(r, a[1]));
}

static double normal_mean(const double *a) { return a[0]; }
static double normal_variance(const double *a) { return a[1] * a[1]; }

/* ------------------------------------------------------------ HalfNormal(sigma) */

static double halfnormal_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double sigma = a[0];
    double z = x / sigma;
    if (d) {
        d[0] = -z / sigma;
        d[1] = (z * z - 1) / sigma;
    }
    return LOG_SQRT_2_PI - log(sigma) - 0.5 * z * z;
}

static double halfnormal_random(const gsl_rng *r, const double *a)
{
    return inside_positive(fabs(gsl_ran_gaussian(r, a[0])));
}

static double halfnormal_mean(const double *a) { return a[0] * sqrt(2 / M_PI); }
static double halfnormal_variance(const double *a) { return a[0] * a[0] * (1 - 2 / M_PI); }

/* ------------------------------------------------------------ StudentT(nu, mu, sigma) */

static double studentt_logpdf(double x, const double *a, double *d, unsigned want)
{
    double nu = a[0], mu = a[1], sigma = a[2];
    double z = (x - mu) / sigma;
    double l = log1p_sq(z, nu);
    if (d) {
        double w = sq_share(z, nu);               /* z^2 / (nu + z^2) */
        double dz = -(nu + 1) * z / (nu + z * z); /* d/dz, 0 when z^2 overflows */
        d[0] = dz / sigma;
        if (want & DIST_WANT(1))
            d[1] = 0.5 * (gsl_sf_psi(0.5 * (nu + 1)) - gsl_sf_psi(0.5 * nu) - 1 / nu - l
                          + (nu + 1) * w / nu);
        d[2] = -dz / sigma;
        d[3] = ((nu + 1) * w - 1) / sigma;
    }
    return lngamma_half_ratio(0.5 * nu) - 0.5 * (log(nu) + M_LNPI) - log(sigma)
           - 0.5 * (nu + 1) * l;
}

static double studentt_random(const gsl_rng *r, const double *a)
{
    return inside_real(a[1] + a[2] * gsl_ran_tdist(r, a[0]));
}

static double studentt_mean(const double *a) { return a[0] > 1 ? a[1] : NAN; }

static double studentt_variance(const double *a)
{
    double nu = a[0];
    if (nu > 2) return a[2] * a[2] * nu / (nu - 2);
    return nu > 1 ? INFINITY : NAN;
}

/* ------------------------------------------------------------ Cauchy(alpha, beta) */

/* Shared with HalfCauchy: log density of Cauchy(loc, scale) less the
** constant, and its derivatives in x, loc and scale. */
static double cauchy_core(double x, double loc, double scale, double *dx, double *dloc,
                          double *dscale)
{
    double z = (x - loc) / scale;
    if (dx) {
        double dz = -2 * z / (1 + z * z);
        *dx = dz / scale;
        *dloc = -dz / scale;
        *dscale = (2 * sq_share(z, 1) - 1) / scale;
    }
    return -log(scale) - log1p_sq(z, 1);
}

static double cauchy_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double c = d ? cauchy_core(x, a[0], a[1], &d[0], &d[1], &d[2])
                 : cauchy_core(x, a[0], a[1], NULL, NULL, NULL);
    return c - M_LNPI;
}

static double cauchy_random(const gsl_rng *r, const double *a)
{
    return inside_real(a[0] + gsl_ran_cauchy(r, a[1]));
}

static double cauchy_mean(const double *a) { (void)a; return NAN; }
static double cauchy_variance(const double *a) { (void)a; return NAN; }

/* ------------------------------------------------------------ HalfCauchy(beta) */

static double halfcauchy_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double dloc;
    double c = d ? cauchy_core(x, 0, a[0], &d[0], &dloc, &d[1])
                 : cauchy_core(x, 0, a[0], NULL, NULL, NULL);
    return c + M_LN2 - M_LNPI;
}

static double halfcauchy_random(const gsl_rng *r, const double *a)
{
    return inside_positive(fabs(gsl_ran_cauchy(r, a[0])));
}

/* Both integrals diverge to +inf: the tail is one-sided. */
static double halfcauchy_mean(const double *a) { (void)a; return INFINITY; }
static double halfcauchy_variance(const double *a) { (void)a; return INFINITY; }

/* ------------------------------------------------------------ Exponential(lam) */

static double exponential_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double lam = a[0];
    if (d) {
        d[0] = -lam;
        d[1] = 1 / lam - x;
    }
    return log(lam) - lam * x;
}

static double exponential_random(const gsl_rng *r, const double *a)
{
    return inside_positive(gsl_ran_exponential(r, 1 / a[0])); /* GSL takes the mean */
}

static double exponential_mean(const double *a) { return 1 / a[0]; }
static double exponential_variance(const double *a) { return 1 / (a[0] * a[0]); }

/* ------------------------------------------------------------ Gamma(alpha, beta) */

/* log density of Gamma(al, rate be) at x.  Written as a Poisson mass in
** the shape, as R's dgamma does, to keep digits for large shapes:
** be (be x)^(al-1) e^(-be x) / (al-1)!  or, for al < 1,
** (al / x) (be x)^al e^(-be x) / al!.  When be x underflows or overflows
** the plain sum of logs is as good and stays finite. */
static double gamma_core(double x, double al, double be)
{
    double m = be * x;
    if (m > 0 && isfinite(m)) {
        if (al >= 1) return log(be) + log_poisson_raw(al - 1, m);
        return log(al) - log(x) + log_poisson_raw(al, m);
    }
    return al * log(be) - gsl_sf_lngamma(al) + xlogy(al - 1, x) - be * x;
}

/* beta is the rate */
static double gamma_logpdf(double x, const double *a, double *d, unsigned want)
{
    double al = a[0], be = a[1];
    if (d) {
        d[0] = xdivy(al - 1, x) - be;
        if (want & DIST_WANT(1)) d[1] = log(be) - gsl_sf_psi(al) + log(x);
        d[2] = al / be - x;
    }
    return gamma_core(x, al, be);
}

static double gamma_random(const gsl_rng *r, const double *a)
{
    return inside_positive(gsl_ran_gamma(r, a[0], 1 / a[1])); /* GSL takes the scale */
}

static double gamma_mean(const double *a) { return a[0] / a[1]; }
static double gamma_variance(const double *a) { return a[0] / (a[1] * a[1]); }

/* ------------------------------------------------------------ InverseGamma(alpha, beta) */

/* beta is the scale: 1/X ~ Gamma(alpha, rate beta) */
static double invgamma_logpdf(double x, const double *a, double *d, unsigned want)
{
    double al = a[0], be = a[1];
    if (d) {
        d[0] = (be / x - (al + 1)) / x;
        if (want & DIST_WANT(1)) d[1] = log(be) - gsl_sf_psi(al) - log(x);
        d[2] = al / be - 1 / x;
    }
    /* the density of 1/x, times |d(1/x)/dx|, unless 1/x overflows */
    double y = 1 / x;
    if (isfinite(y)) return gamma_core(y, al, be) - 2 * log(x);
    return al * log(be) - gsl_sf_lngamma(al) - (al + 1) * log(x) - be / x;
}

static double invgamma_random(const gsl_rng *r, const double *a)
{
    return inside_positive(1 / gsl_ran_gamma(r, a[0], 1 / a[1]));
}

static double invgamma_mean(const double *a)
{
    return a[0] > 1 ? a[1] / (a[0] - 1) : INFINITY;
}

static double invgamma_variance(const double *a)
{
    double al = a[0], be = a[1];
    return al > 2 ? be * be / ((al - 1) * (al - 1) * (al - 2)) : INFINITY;
}

/* ------------------------------------------------------------ LogNormal(mu, sigma) */

static double lognormal_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double mu = a[0], sigma = a[1];
    double lx = log(x);
    double z = (lx - mu) / sigma;
    if (d) {
        d[0] = -(1 + z / sigma) / x;
        d[1] = z / sigma;
        d[2] = (z * z - 1) / sigma;
    }
    return -lx - log(sigma) - LOG_SQRT_2PI - 0.5 * z * z;
}

static double lognormal_random(const gsl_rng *r, const double *a)
{
    return inside_positive(gsl_ran_lognormal(r, a[0], a[1]));
}

static double lognormal_mean(const double *a) { return exp(a[0] + 0.5 * a[1] * a[1]); }

static double lognormal_variance(const double *a)
{
    double s2 = a[1] * a[1];
    return expm1(s2) * exp(2 * a[0] + s2);
}

/* ------------------------------------------------------------ Uniform(lower, upper) */

static double uniform_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double width = a[1] - a[0];
    (void)x;
    if (d) {
        d[0] = 0;
        d[1] = 1 / width;
        d[2] = -1 / width;
    }
    if (isinf(width)) return -(log(0.5 * a[1] - 0.5 * a[0]) + M_LN2);
    return -log(width);
}

static double uniform_random(const gsl_rng *r, const double *a)
{
    double lo = a[0], hi = a[1];
    double x = gsl_ran_flat(r, lo, hi);
    if (x <= lo) x = nextafter(lo, hi);
    if (x >= hi) x = nextafter(hi, lo);
    return x;
}

static double uniform_mean(const double *a) { return 0.5 * a[0] + 0.5 * a[1]; }

static double uniform_variance(const double *a)
{
    double w = a[1] - a[0];
    return w * w / 12;
}

/* ------------------------------------------------------------ Poisson(mu) */

static double poisson_data_part(double x, const double *a)
{
    (void)a;
    return log_poisson_count(x);
}

static double poisson_logpdf_rest(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double mu = a[0];
    if (d) {
        d[0] = 0;
        d[1] = x / mu - 1;
    }
    return log_poisson_rest(x, mu);
}

static double poisson_logpdf(double x, const double *a, double *d, unsigned want)
{
    return poisson_data_part(x, a) + poisson_logpdf_rest(x, a, d, want);
}

static double poisson_random(const gsl_rng *r, const double *a)
{
    return poisson_draw(r, a[0]);
}

static double poisson_mean(const double *a) { return a[0]; }
static double poisson_variance(const double *a) { return a[0]; }

/* ------------------------------------------------------------ NegativeBinomial(mu, alpha) */

/* PyMC's mean and overdispersion form: p = alpha / (mu + alpha) and
** n = alpha in the trials form, variance mu + mu^2 / alpha. */
static double negbinomial_logpdf(double x, const double *a, double *d, unsigned want)
{
    double mu = a[0], al = a[1];
    if (d) {
        d[0] = 0;
        d[1] = al * (x - mu) / (mu * (mu + al));
        if (want & DIST_WANT(2))
            d[2] = gsl_sf_psi(x + al) - gsl_sf_psi(al) - log1p(mu / al) + (mu - x) / (mu + al);
    }
    if (x == 0) return -al * log1p(mu / al);
    /* Saddle-point form: Stirling's series for the three log-gammas, whose
    ** linear terms cancel exactly; what remains is
    **   -(x + al) log((mu + al) / (x + al)) - x log(x / mu),
    ** with the first log taken through log1p while its ratio is near 1 so
    ** that a huge alpha (the Poisson limit) keeps mu - x intact. */
    double t = (mu - x) / (x + al);
    double l = t > -0.5 && t < 1 ? log1p(t) : log_ratio(mu + al, x + al);
    return stirlerr(x + al) - stirlerr(al) - stirlerr(x)
           - 0.5 * (LOG_2PI + log(x) + log1p(x / al))
           - (x + al) * l - x * log_ratio(x, mu);
}

static double negbinomial_random(const gsl_rng *r, const double *a)
{
    /* the Gamma-Poisson mixture: rate ~ Gamma(alpha, scale mu/alpha) */
    double mu = a[0], al = a[1];
    return poisson_draw(r, gsl_ran_gamma(r, al, mu / al));
}

static double negbinomial_mean(const double *a) { return a[0]; }
static double negbinomial_variance(const double *a) { return a[0] + a[0] * a[0] / a[1]; }

/* ------------------------------------------------------------ Flat(), HalfFlat() */

static double flat_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    (void)x;
    (void)a;
    if (d) d[0] = 0;
    return 0;
}

/* ------------------------------------------------------------ Logistic(mu, s) */

static double logistic_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double mu = a[0], s = a[1];
    double z = (x - mu) / s;
    if (d) {
        double th = tanh(0.5 * z);   /* -d/dz of the log density */
        d[0] = -th / s;
        d[1] = th / s;
        d[2] = (z * th - 1) / s;
    }
    /* symmetric in z; written with |z| so that exp cannot overflow */
    double az = fabs(z);
    return -az - 2 * log1p(exp(-az)) - log(s);
}

static double logistic_random(const gsl_rng *r, const double *a)
{
    return inside_real(a[0] + gsl_ran_logistic(r, a[1]));
}

static double logistic_mean(const double *a) { return a[0]; }
static double logistic_variance(const double *a) { return a[1] * a[1] * M_PI * M_PI / 3; }

/* ------------------------------------------------------------ Laplace(mu, b) */

static double laplace_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double mu = a[0], b = a[1];
    double dev = fabs(x - mu);
    if (d) {
        double sign = (x > mu) - (x < mu);
        d[0] = -sign / b;
        d[1] = sign / b;
        d[2] = (dev / b - 1) / b;
    }
    return -M_LN2 - log(b) - dev / b;
}

static double laplace_random(const gsl_rng *r, const double *a)
{
    return inside_real(a[0] + gsl_ran_laplace(r, a[1]));
}

static double laplace_mean(const double *a) { return a[0]; }
static double laplace_variance(const double *a) { return 2 * a[1] * a[1]; }

/* ------------------------------------------------------------ Weibull(alpha, beta) */

/* alpha is the shape, beta the scale */
static double weibull_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double al = a[0], be = a[1];
    double lt = log_ratio(x, be);          /* log(x / beta) */
    double ta = exp(al * lt);              /* (x / beta)^alpha */
    if (d) {
        d[0] = (al - 1 - al * ta) / x;
        d[1] = 1 / al + lt * (1 - ta);
        d[2] = al * (ta - 1) / be;
    }
    return log(al) - log(be) + (al - 1) * lt - ta;
}

static double weibull_random(const gsl_rng *r, const double *a)
{
    return inside_positive(gsl_ran_weibull(r, a[1], a[0])); /* GSL: (scale, shape) */
}

static double weibull_mean(const double *a)
{
    return a[1] * exp(gsl_sf_lngamma(1 + 1 / a[0]));
}

static double weibull_variance(const double *a)
{
    /* Gamma(1 + 2/k) - Gamma(1 + 1/k)^2, factored to keep the difference */
    double g1 = gsl_sf_lngamma(1 + 1 / a[0]), g2 = gsl_sf_lngamma(1 + 2 / a[0]);
    return a[1] * a[1] * exp(2 * g1) * expm1(g2 - 2 * g1);
}

/* ------------------------------------------------------------ Geometric(p) */

/* trials up to and including the first success: 1, 2, ... */
static double geometric_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    double p = a[0];
    if (d) {
        d[0] = 0;
        d[1] = 1 / p - xdivy(x - 1, 1 - p);
    }
    return log(p) + xlog1py(x - 1, -p);
}

/* gsl_ran_geometric's inversion, kept in double because its unsigned int
** result wraps for small p.  p = 0 puts no mass anywhere and draws +inf. */
static double geometric_random(const gsl_rng *r, const double *a)
{
    double p = a[0];
    if (p == 1) return 1;
    return floor(log(gsl_rng_uniform_pos(r)) / log1p(-p)) + 1;
}

static double geometric_mean(const double *a) { return 1 / a[0]; }
static double geometric_variance(const double *a) { return (1 - a[0]) / (a[0] * a[0]); }

/* ------------------------------------------------------------ BetaBinomial(alpha, beta, n) */

static double betabinomial_data_part(double x, const double *a)
{
    return log_choose(a[2], x);
}

static double betabinomial_logpdf_rest(double x, const double *a, double *d, unsigned want)
{
    double al = a[0], be = a[1], n = a[2];
    if (d) {
        d[0] = 0;
        d[3] = 0;
        if (want & (DIST_WANT(1) | DIST_WANT(2))) {
            double common = gsl_sf_psi(al + be) - gsl_sf_psi(n + al + be);
            d[1] = gsl_sf_psi(x + al) - gsl_sf_psi(al) + common;
            d[2] = gsl_sf_psi(n - x + be) - gsl_sf_psi(be) + common;
        }
    }
    return gsl_sf_lnbeta(x + al, n - x + be) - gsl_sf_lnbeta(al, be);
}

static double betabinomial_logpdf(double x, const double *a, double *d, unsigned want)
{
    return betabinomial_data_part(x, a) + betabinomial_logpdf_rest(x, a, d, want);
}

static double betabinomial_random(const gsl_rng *r, const double *a)
{
    return binomial_draw(r, a[2], gsl_ran_beta(r, a[0], a[1]));
}

static double betabinomial_mean(const double *a) { return a[2] * a[0] / (a[0] + a[1]); }

static double betabinomial_variance(const double *a)
{
    double al = a[0], be = a[1], n = a[2], s = al + be;
    return n * al * be * (s + n) / (s * s * (s + 1));
}

/* ------------------------------------------------------------ the table */

#define PROPER(f) f##_logpdf, f##_random, f##_mean, f##_variance
#define IMPROPER  flat_logpdf, NULL, NULL, NULL
#define SUFF(f, k) , k, f##_suff_stats, f##_suff_logpdf
#define NO_SUFF    , 0, NULL, NULL
#define SPLIT(f)   , f##_data_part, f##_logpdf_rest
#define NO_SPLIT   , NULL, NULL

static const DistInfo TABLE[] = {
    {"Beta", 2, {"alpha", "beta"}, {ARG_POSITIVE, ARG_POSITIVE},
     SUPPORT_UNIT, false, false,
     "Beta(alpha, beta): a probability in (0, 1); alpha/(alpha+beta) is its mean",
     PROPER(beta) NO_SUFF NO_SPLIT, false},
    {"Binomial", 2, {"n", "p"}, {ARG_COUNT, ARG_UNIT},
     SUPPORT_BOUNDED_COUNT, true, false,
     "Binomial(n, p): successes in n independent trials that each succeed with probability p",
     PROPER(binomial) SUFF(binomial, 3) SPLIT(binomial), false},
    {"Bernoulli", 1, {"p"}, {ARG_UNIT},
     SUPPORT_BINARY, true, false,
     "Bernoulli(p): one trial, 1 with probability p and 0 otherwise",
     PROPER(bernoulli) SUFF(bernoulli, 2) NO_SPLIT, false},
    {"Normal", 2, {"mu", "sigma"}, {ARG_REAL, ARG_POSITIVE},
     SUPPORT_REAL, false, false,
     "Normal(mu, sigma): the bell curve with mean mu and standard deviation sigma",
     PROPER(normal) SUFF(normal, 3) NO_SPLIT, false},
    {"HalfNormal", 1, {"sigma"}, {ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "HalfNormal(sigma): |Normal(0, sigma)|, a gentle prior for a scale",
     PROPER(halfnormal) SUFF(halfnormal, 2) NO_SPLIT, false},
    {"StudentT", 3, {"nu", "mu", "sigma"}, {ARG_POSITIVE, ARG_REAL, ARG_POSITIVE},
     SUPPORT_REAL, false, false,
     "StudentT(nu, mu, sigma): a Normal with heavier tails; nu degrees of freedom",
     PROPER(studentt) NO_SUFF NO_SPLIT, false},
    {"Cauchy", 2, {"alpha", "beta"}, {ARG_REAL, ARG_POSITIVE},
     SUPPORT_REAL, false, false,
     "Cauchy(alpha, beta): very heavy tails around location alpha with scale beta; no mean",
     PROPER(cauchy) NO_SUFF NO_SPLIT, false},
    {"HalfCauchy", 1, {"beta"}, {ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "HalfCauchy(beta): |Cauchy(0, beta)|, a heavy-tailed prior for a scale",
     PROPER(halfcauchy) NO_SUFF NO_SPLIT, false},
    {"Exponential", 1, {"lam"}, {ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "Exponential(lam): a waiting time at rate lam; 1/lam is its mean",
     PROPER(exponential) SUFF(exponential, 2) NO_SPLIT, false},
    {"Gamma", 2, {"alpha", "beta"}, {ARG_POSITIVE, ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "Gamma(alpha, beta): shape alpha and rate beta; alpha/beta is its mean",
     PROPER(gamma) SUFF(gamma, 3) NO_SPLIT, false},
    {"InverseGamma", 2, {"alpha", "beta"}, {ARG_POSITIVE, ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "InverseGamma(alpha, beta): 1/Gamma(alpha, beta), shape alpha and scale beta; beta/(alpha-1) is its mean",
     PROPER(invgamma) NO_SUFF NO_SPLIT, false},
    {"LogNormal", 2, {"mu", "sigma"}, {ARG_REAL, ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "LogNormal(mu, sigma): exp of Normal(mu, sigma), a positive quantity that multiplies",
     PROPER(lognormal) SUFF(lognormal, 4) NO_SPLIT, false},
    {"Uniform", 2, {"lower", "upper"}, {ARG_REAL, ARG_REAL},
     SUPPORT_INTERVAL, false, false,
     "Uniform(lower, upper): every value in (lower, upper) equally likely",
     PROPER(uniform) NO_SUFF NO_SPLIT, false},
    {"Poisson", 1, {"mu"}, {ARG_POSITIVE},
     SUPPORT_COUNT, true, false,
     "Poisson(mu): a count of independent events with mean mu",
     PROPER(poisson) SUFF(poisson, 3) SPLIT(poisson), false},
    {"NegativeBinomial", 2, {"mu", "alpha"}, {ARG_POSITIVE, ARG_POSITIVE},
     SUPPORT_COUNT, true, false,
     "NegativeBinomial(mu, alpha): an overdispersed count with mean mu and variance mu + mu^2/alpha",
     PROPER(negbinomial) NO_SUFF NO_SPLIT, false},
    {"Flat", 0, {NULL}, {ARG_REAL},
     SUPPORT_REAL, false, true,
     "Flat(): improper, equally likely everywhere on the real line",
     IMPROPER NO_SUFF NO_SPLIT, false},
    {"HalfFlat", 0, {NULL}, {ARG_REAL},
     SUPPORT_POSITIVE, false, true,
     "HalfFlat(): improper, equally likely everywhere on (0, inf)",
     IMPROPER NO_SUFF NO_SPLIT, false},
    {"Logistic", 2, {"mu", "s"}, {ARG_REAL, ARG_POSITIVE},
     SUPPORT_REAL, false, false,
     "Logistic(mu, s): a bell curve with heavier tails than Normal, mean mu and scale s",
     PROPER(logistic) NO_SUFF NO_SPLIT, false},
    {"Laplace", 2, {"mu", "b"}, {ARG_REAL, ARG_POSITIVE},
     SUPPORT_REAL, false, false,
     "Laplace(mu, b): the double exponential around mu with scale b",
     PROPER(laplace) NO_SUFF NO_SPLIT, false},
    {"Weibull", 2, {"alpha", "beta"}, {ARG_POSITIVE, ARG_POSITIVE},
     SUPPORT_POSITIVE, false, false,
     "Weibull(alpha, beta): a lifetime with shape alpha and scale beta",
     PROPER(weibull) NO_SUFF NO_SPLIT, false},
    {"Geometric", 1, {"p"}, {ARG_UNIT},
     SUPPORT_POSITIVE_COUNT, true, false,
     "Geometric(p): the number of trials up to and including the first success",
     PROPER(geometric) NO_SUFF NO_SPLIT, false},
    {"BetaBinomial", 3, {"alpha", "beta", "n"}, {ARG_POSITIVE, ARG_POSITIVE, ARG_COUNT},
     SUPPORT_BOUNDED_COUNT, true, false,
     "BetaBinomial(alpha, beta, n): Binomial(n, p) with p drawn from Beta(alpha, beta)",
     PROPER(betabinomial) NO_SUFF SPLIT(betabinomial), false},

    /* Alternative parameterisations, after every first one: PyMC's logit_p
    ** keyword, the log-odds.  The compiler also uses them for a likelihood
    ** whose p is inv_logit(...), which they compute in one step. */
    {"Bernoulli", 1, {"logit_p"}, {ARG_REAL},
     SUPPORT_BINARY, true, false,
     "Bernoulli(logit_p = t): Bernoulli(p) with p = inv_logit(t); t is the log-odds",
     PROPER(bernoulli_logit) SUFF(bernoulli_logit, 2) NO_SPLIT, true},
    {"Binomial", 2, {"n", "logit_p"}, {ARG_COUNT, ARG_REAL},
     SUPPORT_BOUNDED_COUNT, true, false,
     "Binomial(n, logit_p = t): Binomial(n, p) with p = inv_logit(t); t is the log-odds",
     PROPER(binomial_logit) SUFF(binomial_logit, 3) SPLIT(binomial_logit), true},
};

#define TABLE_SIZE ((int)(sizeof TABLE / sizeof TABLE[0]))

/* ------------------------------------------------------------ queries */

const DistInfo *dist_lookup(const char *name)
{
    if (name == NULL) return NULL;
    for (int i = 0; i < TABLE_SIZE; i++)
        if (strcmp(TABLE[i].name, name) == 0) return &TABLE[i];
    return NULL;
}

static bool has_keywords(const DistInfo *d, const char *const *keywords, int n)
{
    for (int i = 0; i < n; i++) {
        if (!keywords[i]) continue;
        bool found = false;
        for (int k = 0; k < d->nargs; k++) found = found || strcmp(d->arg_names[k], keywords[i]) == 0;
        if (!found) return false;
    }
    return true;
}

const DistInfo *dist_variant(const DistInfo *d, const char *const *keywords, int n)
{
    if (d == NULL) return NULL;
    for (int i = 0; i < TABLE_SIZE; i++)
        if (strcmp(TABLE[i].name, d->name) == 0 && has_keywords(&TABLE[i], keywords, n)) return &TABLE[i];
    return NULL;
}

int dist_count(void) { return TABLE_SIZE; }

const DistInfo *dist_at(int i)
{
    return i >= 0 && i < TABLE_SIZE ? &TABLE[i] : NULL;
}

int dist_index(const DistInfo *d)
{
    for (int i = 0; i < TABLE_SIZE; i++)
        if (&TABLE[i] == d) return i;   /* equality: no ordering of unrelated pointers */
    return -1;
}

bool dist_arg_valid(const DistInfo *d, int k, double value)
{
    if (d == NULL || k < 0 || k >= d->nargs || !isfinite(value)) return false;
    switch (d->arg_constraint[k]) {
    case ARG_REAL: return true;
    case ARG_POSITIVE: return value > 0;
    case ARG_UNIT: return value >= 0 && value <= 1;
    /* 2^53: beyond it not every integer is a double */
    case ARG_COUNT: return value >= 0 && value <= 9007199254740992.0 && value == floor(value);
    }
    return false;
}

/* The upper end of a bounded count: the ARG_COUNT argument. */
static double count_bound(const DistInfo *d, const double *arg)
{
    for (int k = 0; k < d->nargs; k++)
        if (d->arg_constraint[k] == ARG_COUNT) return arg[k];
    return -1;
}

bool dist_in_support(const DistInfo *d, double x, const double *arg)
{
    if (d == NULL || !isfinite(x)) return false;
    bool whole = x == floor(x);
    switch (d->support) {
    case SUPPORT_REAL: return true;
    case SUPPORT_POSITIVE: return x > 0;
    case SUPPORT_UNIT: return x > 0 && x < 1;
    case SUPPORT_INTERVAL: return x > arg[0] && x < arg[1];
    case SUPPORT_COUNT: return whole && x >= 0;
    case SUPPORT_BOUNDED_COUNT: return whole && x >= 0 && x <= count_bound(d, arg);
    case SUPPORT_BINARY: return x == 0 || x == 1;
    case SUPPORT_POSITIVE_COUNT: return whole && x >= 1;
    }
    return false;
}

const char *dist_support_text(const DistInfo *d)
{
    switch (d->support) {
    case SUPPORT_REAL: return "the real line";
    case SUPPORT_POSITIVE: return "(0, inf)";
    case SUPPORT_UNIT: return "(0, 1)";
    case SUPPORT_INTERVAL: return "(lower, upper)";
    case SUPPORT_COUNT: return "0, 1, 2, ...";
    case SUPPORT_BOUNDED_COUNT: return "0, 1, ..., n";
    case SUPPORT_BINARY: return "{0, 1}";
    case SUPPORT_POSITIVE_COUNT: return "1, 2, 3, ...";
    }
    return "?";
}
