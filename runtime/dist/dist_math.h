/*
** dist_math.h -- the numerical pieces the distributions share, defined
** once: constants, 0 log 0 = 0 products, Loader's saddle-point forms of
** the binomial and Poisson masses, log-odds in log space, and draws that
** reach beyond GSL's unsigned counts.  The IR's kernels and transforms use
** the log-odds functions too.
**
** The small ones are inline: the kernels call them for every element of
** every log density.
*/
#ifndef BMC_DIST_MATH_H
#define BMC_DIST_MATH_H

#include <float.h>
#include <math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#define LOG_2PI        1.8378770664093454835606594728112   /* log(2 pi) */
#define LOG_SQRT_2PI   0.91893853320467274178032973640562  /* log(sqrt(2 pi)) */
#define LOG_SQRT_2_PI -0.22579135264472743236309761494744  /* log(sqrt(2 / pi)) */

/* a log(y) and a log1p(y), with 0 log 0 = 0 so that boundary cases such
** as Binomial(n, 0) at 0 give log 1 = 0 rather than NaN. */
static inline double xlogy(double a, double y) { return a == 0 ? 0 : a * log(y); }
static inline double xlog1py(double a, double y) { return a == 0 ? 0 : a * log1p(y); }

/* a / b, 0 when a is 0: the derivative of xlogy's term. */
static inline double xdivy(double a, double b) { return a == 0 ? 0 : a / b; }

/* log(a / b) for a, b > 0: accurate when a is near b, and free of the
** overflow of a / b when they are far apart. */
static inline double log_ratio(double a, double b)
{
    if (a > 0.5 * b && a < 2 * b) return log1p((a - b) / b);
    return log(a) - log(b);
}

/* log(1 + z^2 / nu), without the overflow of z^2 for huge |z|. */
static inline double log1p_sq(double z, double nu)
{
    double zz = z * z;
    if (isinf(zz)) return 2 * log(fabs(z)) - log(nu);
    return log1p(zz / nu);
}

/* z^2 / (nu + z^2), which is 1 when z^2 overflows. */
static inline double sq_share(double z, double nu) { return 1 / (1 + nu / (z * z)); }

/* Stirling's error log(x!) - log(sqrt(2 pi x) (x/e)^x) = log Gamma*(x), x > 0. */
static inline double stirlerr(double x) { return log(gsl_sf_gammastar(x)); }

/* Loader's deviance x log(x/m) + m - x >= 0, for x > 0 and m >= 0; m - x
** first, as adding m to a term near -(m - x) would lose the difference. */
static inline double bd0(double x, double m) { return x * log_ratio(x, m) + (m - x); }

/* log(m^k e^-m / k!): the Poisson mass, for real k >= 0 and m >= 0, in
** two parts as the binomial's below. */
static inline double log_poisson_count(double k)
{
    return k == 0 ? 0 : -stirlerr(k) - 0.5 * (LOG_2PI + log(k));
}

static inline double log_poisson_rest(double k, double m)
{
    if (k == 0) return -m;
    if (m == 0) return -INFINITY;
    return -bd0(k, m);
}

static inline double log_poisson_raw(double k, double m)
{
    return log_poisson_count(k) + log_poisson_rest(k, m);
}

/* log(C(n, k) p^k (1-p)^j) with n = k + j: k successes, j failures, both
** >= 0, in two parts: the terms of the counts alone, which a likelihood of
** data computes once, and the rest, which alone depends on p.  C is taken
** through Gamma, so k and j may be real (Beta uses that); j is passed
** rather than n so that a zero count stays exactly zero. */
static inline double log_binomial_counts(double k, double j)
{
    if (k == 0 || j == 0) return 0;
    double n = k + j;
    return stirlerr(n) - stirlerr(k) - stirlerr(j) + 0.5 * (log(n) - LOG_2PI - log(k) - log(j));
}

static inline double log_binomial_rest(double k, double j, double p)
{
    double n = k + j;
    if (n == 0) return 0;
    if (k == 0) return j * log1p(-p);
    if (j == 0) return k * log(p);
    if (p == 0 || p == 1) return -INFINITY;
    return -bd0(k, n * p) - bd0(j, n * (1 - p));
}

static inline double log_binomial_raw(double k, double j, double p)
{
    return log_binomial_counts(k, j) + log_binomial_rest(k, j, p);
}

/* For a log-odds t: *p = inv_logit(t), *q = 1 - *p computed as inv_logit(-t)
** (no cancellation near 1), *log_p = log *p and *log_q = log *q, all from
** one exp, finite even where p or q underflows to 0. */
static inline void logit_parts(double t, double *p, double *q, double *log_p, double *log_q)
{
    double e = exp(-fabs(t)), l = log1p(e);   /* softplus(-|t|) */
    double big = 1 / (1 + e), small = e / (1 + e);
    *p = t >= 0 ? big : small;
    *q = t >= 0 ? small : big;
    *log_p = t >= 0 ? -l : t - l;
    *log_q = t >= 0 ? -t - l : -l;
}

/* inv_logit(t) = 1 / (1 + exp(-t)) and its log, without overflow for any
** t: the same values logit_parts gives. */
static inline double inv_logit(double t)
{
    return t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t));
}

static inline double log_inv_logit(double t)
{
    return t >= 0 ? -log1p(exp(-t)) : t - log1p(exp(t));
}

/* sqrt(p (1 - p)) of a log-odds t: e^(-|t|/2) / (1 + e^-|t|), which stays
** finite where p (1 - p) underflows (|t| > 745). */
static inline double logit_sd_of(double t)
{
    double e = exp(-fabs(t));
    return exp(-0.5 * fabs(t)) / (1 + e);
}

/* a / (a + b) for a, b > 0, without the overflow of a + b: the mean of
** Beta(a, b), and b / (a + b) is share_of(b, a). */
static inline double share_of(double a, double b)
{
    return a >= b ? 1 / (1 + b / a) : (a / b) / (1 + a / b);
}

/* log(hi - lo) for finite lo < hi, halved first where the width itself
** overflows (Uniform(-1e308, 1e308)). */
static inline double log_width(double lo, double hi)
{
    double w = hi - lo;
    return isinf(w) && isfinite(lo) && isfinite(hi) ? log(0.5 * hi - 0.5 * lo) + log(2.0) : log(w);
}

/* sqrt(a + b) for a, b >= 0, without the overflow of a + b. */
static inline double sqrt_sum(double a, double b)
{
    double big = fmax(a, b), small = fmin(a, b);
    return big > 0 ? sqrt(big) * sqrt(1 + small / big) : 0;
}

/* Draws that rounded onto the edge of an open support (a Gamma draw that
** underflowed to 0, a Beta draw that rounded to 1) are moved just inside. */
static inline double inside_real(double x)
{
    return isinf(x) ? copysign(DBL_MAX, x) : x;
}

static inline double inside_positive(double x)
{
    if (!(x > 0)) return DBL_TRUE_MIN;
    return isinf(x) ? DBL_MAX : x;
}

static inline double inside_unit(double x)
{
    if (!(x > 0)) return DBL_TRUE_MIN;
    return x < 1 ? x : 1 - DBL_EPSILON / 2;
}

/* log(Gamma(a + 1/2) / Gamma(a)), a > 0. */
double lngamma_half_ratio(double a);

/* log C(n, k), 0 <= k <= n <= 2^53. */
double log_choose(double n, double k);

/* Binomial(n, p) and Poisson(mu) draws for any count a double holds. */
double binomial_draw(const gsl_rng *r, double n, double p);
double poisson_draw(const gsl_rng *r, double mu);

#endif
