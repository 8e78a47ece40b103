/*
** dist_discrete.c -- the distributions of counts: for each its log mass
** with the partial derivatives, generator, mean and sd, and its
** table entry.  Parameterisations follow PyMC.
**
** Binomial, Poisson and NegativeBinomial use Loader's saddle-point form
** (C. Loader, "Fast and accurate computation of binomial probabilities",
** 2000; R's dbinom and dpois use it too): the textbook sum of log-gammas
** loses digits to cancellation once counts reach millions, and this form
** does not.  Its ingredients are in dist_math.h.
*/
#include <math.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include "dist_entries.h"
#include "dist_math.h"
#include "dist_suff.h"

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
static double binomial_sd(const double *a) { return sqrt(a[0]) * sqrt(a[1]) * sqrt(1 - a[1]); }

const DistInfo dist_binomial = {
    .name = "Binomial",
    .nargs = 2,
    .arg_names = {"n", "p"},
    .arg_constraint = {ARG_COUNT, ARG_UNIT},
    .support = SUPPORT_BOUNDED_COUNT,
    .discrete = true,
    .summary = "Binomial(n, p): successes in n independent trials that each succeed with probability p",
    .logpdf = binomial_logpdf,
    .random = binomial_random,
    .mean = binomial_mean,
    .sd = binomial_sd,
    .nstats = 3,
    .suff_stats = binomial_suff_stats,
    .suff_logpdf = binomial_suff_logpdf,
    .data_part = binomial_data_part,
    .logpdf_rest = binomial_logpdf_rest,
    .logit_form = &dist_binomial_logit,
};

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
    return binomial_draw(r, a[0], inv_logit(a[1]));
}

static double binomial_logit_mean(const double *a) { return a[0] * inv_logit(a[1]); }

static double binomial_logit_sd(const double *a) { return sqrt(a[0]) * logit_sd_of(a[1]); }

const DistInfo dist_binomial_logit = {
    .name = "Binomial",
    .nargs = 2,
    .arg_names = {"n", "logit_p"},
    .arg_constraint = {ARG_COUNT, ARG_REAL},
    .support = SUPPORT_BOUNDED_COUNT,
    .discrete = true,
    .alternative = true,
    .summary = "Binomial(n, logit_p = t): Binomial(n, p) with p = inv_logit(t); t is the log-odds",
    .logpdf = binomial_logit_logpdf,
    .random = binomial_logit_random,
    .mean = binomial_logit_mean,
    .sd = binomial_logit_sd,
    .nstats = 3,
    .suff_stats = binomial_logit_suff_stats,
    .suff_logpdf = binomial_logit_suff_logpdf,
    .data_part = binomial_logit_data_part,
    .logpdf_rest = binomial_logit_logpdf_rest,
};

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
static double bernoulli_sd(const double *a) { return sqrt(a[0]) * sqrt(1 - a[0]); }

const DistInfo dist_bernoulli = {
    .name = "Bernoulli",
    .nargs = 1,
    .arg_names = {"p"},
    .arg_constraint = {ARG_UNIT},
    .support = SUPPORT_BINARY,
    .discrete = true,
    .summary = "Bernoulli(p): one trial, 1 with probability p and 0 otherwise",
    .logpdf = bernoulli_logpdf,
    .random = bernoulli_random,
    .mean = bernoulli_mean,
    .sd = bernoulli_sd,
    .nstats = 2,
    .suff_stats = bernoulli_suff_stats,
    .suff_logpdf = bernoulli_suff_logpdf,
    .logit_form = &dist_bernoulli_logit,
};

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
    return gsl_ran_bernoulli(r, inv_logit(a[0]));
}

static double bernoulli_logit_mean(const double *a) { return inv_logit(a[0]); }

static double bernoulli_logit_sd(const double *a) { return logit_sd_of(a[0]); }

const DistInfo dist_bernoulli_logit = {
    .name = "Bernoulli",
    .nargs = 1,
    .arg_names = {"logit_p"},
    .arg_constraint = {ARG_REAL},
    .support = SUPPORT_BINARY,
    .discrete = true,
    .alternative = true,
    .summary = "Bernoulli(logit_p = t): Bernoulli(p) with p = inv_logit(t); t is the log-odds",
    .logpdf = bernoulli_logit_logpdf,
    .random = bernoulli_logit_random,
    .mean = bernoulli_logit_mean,
    .sd = bernoulli_logit_sd,
    .nstats = 2,
    .suff_stats = bernoulli_logit_suff_stats,
    .suff_logpdf = bernoulli_logit_suff_logpdf,
};

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
static double poisson_sd(const double *a) { return sqrt(a[0]); }

const DistInfo dist_poisson = {
    .name = "Poisson",
    .nargs = 1,
    .arg_names = {"mu"},
    .arg_constraint = {ARG_POSITIVE},
    .support = SUPPORT_COUNT,
    .discrete = true,
    .summary = "Poisson(mu): a count of independent events with mean mu",
    .logpdf = poisson_logpdf,
    .random = poisson_random,
    .mean = poisson_mean,
    .sd = poisson_sd,
    .nstats = 3,
    .suff_stats = poisson_suff_stats,
    .suff_logpdf = poisson_suff_logpdf,
    .data_part = poisson_data_part,
    .logpdf_rest = poisson_logpdf_rest,
};

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
/* sqrt(mu + mu^2 / alpha), with the smaller of mu / alpha and alpha / mu
** inside the root so that neither mu^2 nor the ratio overflows */
static double negbinomial_sd(const double *a)
{
    double mu = a[0], al = a[1];
    return mu <= al ? sqrt(mu) * sqrt(1 + mu / al) : mu / sqrt(al) * sqrt(1 + al / mu);
}

const DistInfo dist_negbinomial = {
    .name = "NegativeBinomial",
    .nargs = 2,
    .arg_names = {"mu", "alpha"},
    .arg_constraint = {ARG_POSITIVE, ARG_POSITIVE},
    .support = SUPPORT_COUNT,
    .discrete = true,
    .summary = "NegativeBinomial(mu, alpha): an overdispersed count with mean mu and variance mu + mu^2/alpha",
    .logpdf = negbinomial_logpdf,
    .random = negbinomial_random,
    .mean = negbinomial_mean,
    .sd = negbinomial_sd,
};

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
static double geometric_sd(const double *a) { return sqrt(1 - a[0]) / a[0]; }

const DistInfo dist_geometric = {
    .name = "Geometric",
    .nargs = 1,
    .arg_names = {"p"},
    .arg_constraint = {ARG_UNIT},
    .support = SUPPORT_POSITIVE_COUNT,
    .discrete = true,
    .summary = "Geometric(p): the number of trials up to and including the first success",
    .logpdf = geometric_logpdf,
    .random = geometric_random,
    .mean = geometric_mean,
    .sd = geometric_sd,
};

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

static double betabinomial_mean(const double *a) { return a[2] * share_of(a[0], a[1]); }

/* sqrt(n m (1-m) (s+n) / (s+1)), m = alpha/s the Beta's mean, s = alpha + beta:
** as Beta's sd, without products of the shapes or sums that overflow */
static double betabinomial_sd(const double *a)
{
    double al = a[0], be = a[1], n = a[2];
    return sqrt(n) * sqrt(share_of(al, be)) * sqrt(share_of(be, al)) * (sqrt_sum(al, be + n) / sqrt_sum(al, be + 1));
}

const DistInfo dist_betabinomial = {
    .name = "BetaBinomial",
    .nargs = 3,
    .arg_names = {"alpha", "beta", "n"},
    .arg_constraint = {ARG_POSITIVE, ARG_POSITIVE, ARG_COUNT},
    .support = SUPPORT_BOUNDED_COUNT,
    .discrete = true,
    .summary = "BetaBinomial(alpha, beta, n): Binomial(n, p) with p drawn from Beta(alpha, beta)",
    .logpdf = betabinomial_logpdf,
    .random = betabinomial_random,
    .mean = betabinomial_mean,
    .sd = betabinomial_sd,
    .data_part = betabinomial_data_part,
    .logpdf_rest = betabinomial_logpdf_rest,
};
