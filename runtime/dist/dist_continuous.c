/*
** dist_continuous.c -- the continuous distributions: for each its log
** density with the partial derivatives, generator, mean and sd, and
** its table entry.  Parameterisations follow PyMC.
**
** Log densities include every normalising constant.  Beta, Gamma and
** InverseGamma are written through Loader's saddle-point forms of the
** binomial and Poisson masses (dist_math.h), as R's dbeta and dgamma are,
** so that large shapes keep their digits.
*/
#include <math.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include "dist_entries.h"
#include "dist_math.h"
#include "dist_suff.h"

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

/* On the log-odds t of x: log x and log(1 - x) are log_inv_logit(t) and
** log_inv_logit(-t), exact where x itself rounds to 0 or 1. */
static double beta_logpdf_logodds(double t, const double *a, double *d, unsigned want)
{
    double al = a[0], be = a[1], p, q, log_p, log_q;
    logit_parts(t, &p, &q, &log_p, &log_q);
    if (d) {
        d[0] = (al - 1) * q - (be - 1) * p;   /* d/dt, with dp/dt = p q */
        if (want & (DIST_WANT(1) | DIST_WANT(2))) {
            double psi_ab = gsl_sf_psi(al + be);
            d[1] = log_p - gsl_sf_psi(al) + psi_ab;
            d[2] = log_q - gsl_sf_psi(be) + psi_ab;
        }
    }
    return (al - 1) * log_p + (be - 1) * log_q - gsl_sf_lnbeta(al, be);
}

static double beta_random(const gsl_rng *r, const double *a)
{
    return inside_unit(gsl_ran_beta(r, a[0], a[1]));
}

static double beta_mean(const double *a) { return share_of(a[0], a[1]); }

/* sqrt(ab / ((a+b)^2 (a+b+1))) as sqrt(m) sqrt(1-m) / sqrt(a+b+1), m the
** mean: no product of the shapes to underflow, no sum to overflow. */
static double beta_sd(const double *a)
{
    return sqrt(share_of(a[0], a[1])) * sqrt(share_of(a[1], a[0])) / sqrt_sum(a[0], a[1] + 1);
}

/* On the log-odds scale Beta(a, b) decays like e^(a t) below and e^(-b t)
** above: tails of very different rates (Beta(0.001, 5)) leave the gentle
** side out of reach; equal ones (Beta(0.001, 0.001)) are sampled well. */
static const char *beta_lopsided(const double *a)
{
    double lo = fmin(a[0], a[1]), hi = fmax(a[0], a[1]);
    if (!(lo < 0.05 && hi > 100 * lo)) return NULL;
    return a[0] < a[1] ? "near 0" : "near 1";
}

const DistInfo dist_beta = {
    .name = "Beta",
    .nargs = 2,
    .arg_names = {"alpha", "beta"},
    .arg_constraint = {ARG_POSITIVE, ARG_POSITIVE},
    .support = SUPPORT_UNIT,
    .summary = "Beta(alpha, beta): a probability in (0, 1); alpha/(alpha+beta) is its mean",
    .logpdf = beta_logpdf,
    .logpdf_logodds = beta_logpdf_logodds,
    .random = beta_random,
    .mean = beta_mean,
    .sd = beta_sd,
    .lopsided = beta_lopsided,
    .lopsided_advice = "use shapes of 0.5 or more (Beta(1, 1) is uniform; Beta(0.5, 0.5) is Jeffreys' prior)",
};

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
static double normal_sd(const double *a) { return a[1]; }

const DistInfo dist_normal = {
    .name = "Normal",
    .nargs = 2,
    .arg_names = {"mu", "sigma"},
    .arg_constraint = {ARG_REAL, ARG_POSITIVE},
    .support = SUPPORT_REAL,
    .summary = "Normal(mu, sigma): the bell curve with mean mu and standard deviation sigma",
    .logpdf = normal_logpdf,
    .random = normal_random,
    .mean = normal_mean,
    .sd = normal_sd,
    .nstats = 3,
    .suff_stats = normal_suff_stats,
    .suff_logpdf = normal_suff_logpdf,
};

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
static double halfnormal_sd(const double *a) { return a[0] * sqrt(1 - 2 / M_PI); }

const DistInfo dist_halfnormal = {
    .name = "HalfNormal",
    .nargs = 1,
    .arg_names = {"sigma"},
    .arg_constraint = {ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "HalfNormal(sigma): |Normal(0, sigma)|, a gentle prior for a scale",
    .logpdf = halfnormal_logpdf,
    .random = halfnormal_random,
    .mean = halfnormal_mean,
    .sd = halfnormal_sd,
    .nstats = 2,
    .suff_stats = halfnormal_suff_stats,
    .suff_logpdf = halfnormal_suff_logpdf,
};

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

static double studentt_sd(const double *a)
{
    double nu = a[0];
    if (nu > 2) return a[2] * sqrt(nu / (nu - 2));
    return nu > 1 ? INFINITY : NAN;
}

const DistInfo dist_studentt = {
    .name = "StudentT",
    .nargs = 3,
    .arg_names = {"nu", "mu", "sigma"},
    .arg_constraint = {ARG_POSITIVE, ARG_REAL, ARG_POSITIVE},
    .support = SUPPORT_REAL,
    .summary = "StudentT(nu, mu, sigma): a Normal with heavier tails; nu degrees of freedom",
    .logpdf = studentt_logpdf,
    .random = studentt_random,
    .mean = studentt_mean,
    .sd = studentt_sd,
};

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
static double cauchy_sd(const double *a) { (void)a; return NAN; }

const DistInfo dist_cauchy = {
    .name = "Cauchy",
    .nargs = 2,
    .arg_names = {"alpha", "beta"},
    .arg_constraint = {ARG_REAL, ARG_POSITIVE},
    .support = SUPPORT_REAL,
    .summary = "Cauchy(alpha, beta): very heavy tails around location alpha with scale beta; no mean",
    .logpdf = cauchy_logpdf,
    .random = cauchy_random,
    .mean = cauchy_mean,
    .sd = cauchy_sd,
};

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
static double halfcauchy_sd(const double *a) { (void)a; return INFINITY; }

const DistInfo dist_halfcauchy = {
    .name = "HalfCauchy",
    .nargs = 1,
    .arg_names = {"beta"},
    .arg_constraint = {ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "HalfCauchy(beta): |Cauchy(0, beta)|, a heavy-tailed prior for a scale",
    .logpdf = halfcauchy_logpdf,
    .random = halfcauchy_random,
    .mean = halfcauchy_mean,
    .sd = halfcauchy_sd,
};

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
static double exponential_sd(const double *a) { return 1 / a[0]; }

const DistInfo dist_exponential = {
    .name = "Exponential",
    .nargs = 1,
    .arg_names = {"lam"},
    .arg_constraint = {ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "Exponential(lam): a waiting time at rate lam; 1/lam is its mean",
    .logpdf = exponential_logpdf,
    .random = exponential_random,
    .mean = exponential_mean,
    .sd = exponential_sd,
    .nstats = 2,
    .suff_stats = exponential_suff_stats,
    .suff_logpdf = exponential_suff_logpdf,
};

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
static double gamma_sd(const double *a) { return sqrt(a[0]) / a[1]; }

/* On the log scale Gamma(a, b) decays like e^(a u) below its mode and
** like exp(-b e^u) above: a shape below 0.2 (the Gamma(0.001, 0.001) of
** old BUGS examples) leaves a gentle tail far below a wall. */
static const char *gamma_lopsided(const double *a)
{
    return a[0] < 0.2 ? "near 0" : NULL;
}

const DistInfo dist_gamma = {
    .name = "Gamma",
    .nargs = 2,
    .arg_names = {"alpha", "beta"},
    .arg_constraint = {ARG_POSITIVE, ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "Gamma(alpha, beta): shape alpha and rate beta; alpha/beta is its mean",
    .logpdf = gamma_logpdf,
    .random = gamma_random,
    .mean = gamma_mean,
    .sd = gamma_sd,
    .lopsided = gamma_lopsided,
    .lopsided_advice = "for a scale use HalfNormal or Exponential, or a Gamma with shape alpha of 1 or more "
                       "(Gamma(2, 0.1) is weakly informative)",
    .nstats = 3,
    .suff_stats = gamma_suff_stats,
    .suff_logpdf = gamma_suff_logpdf,
};

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

/* b / ((a-1) sqrt(a-2)), divided step by step so that nothing overflows
** before the sd does */
static double invgamma_sd(const double *a)
{
    double al = a[0], be = a[1];
    return al > 2 ? be / (al - 1) / sqrt(al - 2) : INFINITY;
}

/* The mirror image of Gamma's on the log scale: a gentle tail towards
** infinity above a wall near 0. */
static const char *invgamma_lopsided(const double *a)
{
    return a[0] < 0.2 ? "towards infinity" : NULL;
}

const DistInfo dist_invgamma = {
    .name = "InverseGamma",
    .nargs = 2,
    .arg_names = {"alpha", "beta"},
    .arg_constraint = {ARG_POSITIVE, ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "InverseGamma(alpha, beta): 1/Gamma(alpha, beta), shape alpha and scale beta; beta/(alpha-1) is its mean",
    .logpdf = invgamma_logpdf,
    .random = invgamma_random,
    .mean = invgamma_mean,
    .sd = invgamma_sd,
    .lopsided = invgamma_lopsided,
    .lopsided_advice = "use a shape alpha of 1 or more, or for a scale a HalfNormal or Exponential prior",
};

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

/* sqrt(e^(s^2) - 1) e^(mu + s^2/2) = s e^(mu + s^2) sqrt((1 - e^(-s^2)) / s^2),
** summed in logs: finite wherever the sd is, whether e^mu or e^(s^2)
** overflow, and s^2 may underflow (the ratio is then 1). */
static double lognormal_sd(const double *a)
{
    double mu = a[0], sigma = a[1], s2 = sigma * sigma;
    if (isinf(s2)) return INFINITY;
    double ratio = s2 > 0 ? -expm1(-s2) / s2 : 1;
    return exp(mu + s2 + log(sigma) + 0.5 * log(ratio));
}

const DistInfo dist_lognormal = {
    .name = "LogNormal",
    .nargs = 2,
    .arg_names = {"mu", "sigma"},
    .arg_constraint = {ARG_REAL, ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "LogNormal(mu, sigma): exp of Normal(mu, sigma), a positive quantity that multiplies",
    .logpdf = lognormal_logpdf,
    .random = lognormal_random,
    .mean = lognormal_mean,
    .sd = lognormal_sd,
    .nstats = 4,
    .suff_stats = lognormal_suff_stats,
    .suff_logpdf = lognormal_suff_logpdf,
};

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
    return -log_width(a[0], a[1]);
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

/* (u - l) / sqrt(12), halved first: u - l may overflow */
static double uniform_sd(const double *a)
{
    return (0.5 * a[1] - 0.5 * a[0]) / sqrt(3);
}

const DistInfo dist_uniform = {
    .name = "Uniform",
    .nargs = 2,
    .arg_names = {"lower", "upper"},
    .arg_constraint = {ARG_REAL, ARG_REAL},
    .support = SUPPORT_INTERVAL,
    .summary = "Uniform(lower, upper): every value in (lower, upper) equally likely",
    .logpdf = uniform_logpdf,
    .random = uniform_random,
    .mean = uniform_mean,
    .sd = uniform_sd,
};

/* ------------------------------------------------------------ Flat(), HalfFlat() */

static double flat_logpdf(double x, const double *a, double *d, unsigned want)
{
    (void)want;
    (void)x;
    (void)a;
    if (d) d[0] = 0;
    return 0;
}

const DistInfo dist_flat = {
    .name = "Flat",
    .support = SUPPORT_REAL,
    .improper = true,
    .summary = "Flat(): improper, equally likely everywhere on the real line",
    .logpdf = flat_logpdf,
};

const DistInfo dist_halfflat = {
    .name = "HalfFlat",
    .support = SUPPORT_POSITIVE,
    .improper = true,
    .summary = "HalfFlat(): improper, equally likely everywhere on (0, inf)",
    .logpdf = flat_logpdf,
};

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
static double logistic_sd(const double *a) { return a[1] * (M_PI / sqrt(3)); }

const DistInfo dist_logistic = {
    .name = "Logistic",
    .nargs = 2,
    .arg_names = {"mu", "s"},
    .arg_constraint = {ARG_REAL, ARG_POSITIVE},
    .support = SUPPORT_REAL,
    .summary = "Logistic(mu, s): a bell curve with heavier tails than Normal, mean mu and scale s",
    .logpdf = logistic_logpdf,
    .random = logistic_random,
    .mean = logistic_mean,
    .sd = logistic_sd,
};

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
static double laplace_sd(const double *a) { return a[1] * M_SQRT2; }

const DistInfo dist_laplace = {
    .name = "Laplace",
    .nargs = 2,
    .arg_names = {"mu", "b"},
    .arg_constraint = {ARG_REAL, ARG_POSITIVE},
    .support = SUPPORT_REAL,
    .summary = "Laplace(mu, b): the double exponential around mu with scale b",
    .logpdf = laplace_logpdf,
    .random = laplace_random,
    .mean = laplace_mean,
    .sd = laplace_sd,
};

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

/* In logs: Gamma(1 + 1/k) overflows for small shapes k while the scale
** may bring the mean back into range. */
static double weibull_mean(const double *a)
{
    return exp(log(a[1]) + gsl_sf_lngamma(1 + 1 / a[0]));
}

/* log(e^d - 1), d > 0, without the overflow of e^d */
static double log_expm1(double d)
{
    return d > 1 ? d + log1p(-exp(-d)) : log(expm1(d));
}

/* beta sqrt(Gamma(1 + 2/k) - Gamma(1 + 1/k)^2), in logs and factored to
** keep the difference: beta Gamma(1 + 1/k) sqrt(e^(g2 - 2 g1) - 1). */
static double weibull_sd(const double *a)
{
    double g1 = gsl_sf_lngamma(1 + 1 / a[0]), g2 = gsl_sf_lngamma(1 + 2 / a[0]);
    return exp(log(a[1]) + g1 + 0.5 * log_expm1(fmax(g2 - 2 * g1, 0)));   /* >= 0 but for rounding */
}

const DistInfo dist_weibull = {
    .name = "Weibull",
    .nargs = 2,
    .arg_names = {"alpha", "beta"},
    .arg_constraint = {ARG_POSITIVE, ARG_POSITIVE},
    .support = SUPPORT_POSITIVE,
    .summary = "Weibull(alpha, beta): a lifetime with shape alpha and scale beta",
    .logpdf = weibull_logpdf,
    .random = weibull_random,
    .mean = weibull_mean,
    .sd = weibull_sd,
};
