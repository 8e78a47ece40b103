/*
** repl_dist.c -- `:dist Beta(10, 90)`: what a distribution says, as a
** teacher shows a prior: its support, mean and sd, the central 94%
** interval, and a sketch of its density.
**
** Quantiles: a sample from the distribution's own generator gives a first
** guess and the scale; for continuous distributions each quantile is then
** found exactly, by root finding on the distribution function obtained by
** integrating the density (GSL's QAGS), and for discrete ones by summing
** the masses.  The sample's quantiles are kept only when that fails (the
** integral does not come to 1, or the counts run into the millions).
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "dist.h"
#include "lower.h"
#include "parse.h"
#include "sema.h"
#include "session.h"
#include "termplot.h"

#define DIST_SAMPLE     100000      /* draws for the first guess */
#define DIST_SEED       20240101UL  /* fixed: the same answer every time */
#define DIST_MAX_COUNTS 2000000L    /* masses summed, at most */
#define INTERVAL_PROB   0.94

typedef struct Spec {
    const DistInfo *d;
    double arg[DIST_MAX_ARGS];
} Spec;

/* ---- reading "Beta(alpha = 10, beta = 90)" ---- */

/* The distribution of the call in src from byte offset on, read as a
** model's '~' reads one: parsed, its arguments bound by keyword or place
** and computed (they may be expressions of numbers), and checked against
** their constraints.  Errors go to dg; returns 0 or -1. */
static int read_call(const Source *src, size_t offset, Spec *sp, Diags *dg)
{
    Arena arena = { NULL };
    Sema sema;
    memset(&sema, 0, sizeof sema);
    int rc = -1;
    Expr *call = parse_call(src, offset, &arena, dg);
    if (!call && !diags_failed(dg)) diag_error(dg, DIAG_NO_MEMORY, LOC_NONE, "out of memory");
    if (call) {
        sema_run_call(&sema, call, dg);
        if (!diags_failed(dg) && lower_constant_args(call, dg, sp->arg) == 0) {
            sp->d = dist_at(call->ref);
            rc = 0;
            if (sp->d->improper) {
                Diag *e = diag_error(dg, DIAG_MODEL, call->name_loc,
                                     "%s is improper: it has no mean, spread or density to show", sp->d->name);
                diag_note(e, "it is uniform on %s; as a prior it says nothing", dist_support_text(sp->d));
                rc = -1;
            }
        }
    }
    sema_free(&sema);
    arena_free(&arena);
    return rc;
}

/* ---- the numbers ---- */

static void support_bounds(const Spec *sp, double *lo, double *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    switch (sp->d->support) {
    case SUPPORT_REAL: break;
    case SUPPORT_POSITIVE: case SUPPORT_COUNT: *lo = 0; break;
    case SUPPORT_POSITIVE_COUNT: *lo = 1; break;
    case SUPPORT_UNIT: case SUPPORT_BINARY: *lo = 0; *hi = 1; break;
    case SUPPORT_INTERVAL: *lo = sp->arg[0]; *hi = sp->arg[1]; break;
    case SUPPORT_BOUNDED_COUNT:
        *lo = 0;
        for (int k = 0; k < sp->d->nargs; k++)
            if (sp->d->arg_constraint[k] == ARG_COUNT) *hi = sp->arg[k];
        break;
    }
}

static double density(double x, void *ctx)
{
    const Spec *sp = ctx;
    if (!dist_in_support(sp->d, x, sp->arg)) return 0;
    double v = exp(sp->d->logpdf(x, sp->arg, NULL, 0));
    return isfinite(v) ? v : 0;
}

/* The distribution function of a continuous distribution, by integrating
** its density in a standard variable z = (x - centre) / scale, so that the
** integrals see a unit-sized bump whatever the distribution's scale. */
typedef struct Cdf {
    Spec *sp;
    double lo, hi;        /* support */
    double centre, scale;
    double at_centre;     /* F(centre) */
    gsl_integration_workspace *ws;
} Cdf;

static double density_z(double z, void *ctx)
{
    const Cdf *c = ctx;
    double x = c->centre + c->scale * z;
    if (!(x > c->lo && x < c->hi)) return 0;
    return c->scale * density(x, c->sp);
}

/* The integral of the density from the centre to x (negative below it). */
static int integral_from_centre(Cdf *c, double x, double *out)
{
    gsl_function f = { density_z, c };
    double r = 0, err = 0;
    int st;
    if (x == INFINITY) st = gsl_integration_qagiu(&f, 0, 1e-12, 1e-10, 1000, c->ws, &r, &err);
    else if (x == -INFINITY) { st = gsl_integration_qagil(&f, 0, 1e-12, 1e-10, 1000, c->ws, &r, &err); r = -r; }
    else {
        double z = (x - c->centre) / c->scale;
        if (z == 0) { *out = 0; return 0; }
        st = gsl_integration_qags(&f, fmin(0, z), fmax(0, z), 1e-12, 1e-10, 1000, c->ws, &r, &err);
        if (z < 0) r = -r;
    }
    *out = r;
    /* roundoff is reported where x = centre + scale z cannot resolve the
    ** scale finer (a narrow bump far from 0); a small error is still fine */
    bool ok = st == GSL_SUCCESS || (st == GSL_EROUND && err < 1e-8);
    return ok && isfinite(r) ? 0 : -1;
}

static double cdf_value(double x, void *ctx)
{
    Cdf *c = ctx;
    double r;
    if (integral_from_centre(c, x, &r) != 0) return NAN;
    return c->at_centre + r;
}

typedef struct CdfGoal { Cdf *c; double p; } CdfGoal;

static double cdf_minus_p(double x, void *ctx)
{
    const CdfGoal *t = ctx;
    return cdf_value(x, t->c) - t->p;
}

/* Solves F(x) = p by Brent's method near the guess; returns 0 or -1. */
static int continuous_quantile(Cdf *c, double p, double guess, double *q)
{
    double step = 0.05 * c->scale, a = guess - step, b = guess + step;
    CdfGoal t = { c, p };
    double fa = 0, fb = 0;
    int k;
    for (k = 0; k < 60; k++) {
        if (a <= c->lo) a = nextafter(c->lo, INFINITY);
        if (b >= c->hi) b = nextafter(c->hi, -INFINITY);
        fa = cdf_minus_p(a, &t);
        fb = cdf_minus_p(b, &t);
        if (!isfinite(fa) || !isfinite(fb)) return -1;
        if (fa <= 0 && fb >= 0) break;
        step *= 2;
        if (fa > 0) a -= step;
        if (fb < 0) b += step;
    }
    if (k == 60) return -1;
    if (fa == 0) { *q = a; return 0; }
    if (fb == 0) { *q = b; return 0; }
    gsl_function f = { cdf_minus_p, &t };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) return -1;
    int st = gsl_root_fsolver_set(s, &f, a, b);
    for (int it = 0; st == GSL_SUCCESS && it < 200; it++) {
        st = gsl_root_fsolver_iterate(s);
        double lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s);
        if (st == GSL_SUCCESS && gsl_root_test_interval(lo, hi, 1e-9 * c->scale, 1e-13) == GSL_SUCCESS) break;
    }
    *q = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return st == GSL_SUCCESS ? 0 : -1;
}

/* Refines the continuous quantiles q[k] of probabilities p[k] in place
** (sample quantiles on entry).  Returns 0, or -1 leaving q as it was. */
static int refine_continuous(Spec *sp, const double *sorted, size_t n, const double *p, double *q, int nq)
{
    Cdf c = { .sp = sp };
    support_bounds(sp, &c.lo, &c.hi);
    c.centre = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.5);
    c.scale = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.75) - gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.25);
    if (!(c.scale > 0) || !isfinite(c.scale)) return -1;
    c.ws = gsl_integration_workspace_alloc(1000);
    if (!c.ws) return -1;
    double below, above, out[8];
    int rc = -1;
    /* the whole mass must come to 1, or the integrals cannot be trusted */
    if (integral_from_centre(&c, c.lo, &below) == 0 && integral_from_centre(&c, c.hi, &above) == 0 &&
        fabs(above - below - 1) < 1e-7) {
        c.at_centre = -below;
        rc = 0;
        for (int k = 0; k < nq && rc == 0; k++) rc = continuous_quantile(&c, p[k], q[k], &out[k]);
    }
    gsl_integration_workspace_free(c.ws);
    if (rc == 0) memcpy(q, out, (size_t)nq * sizeof *q);
    return rc;
}

/* Exact quantiles of a discrete distribution by summing masses from the
** bottom of the support: the least k with F(k) >= p. */
static int refine_discrete(Spec *sp, const double *p, double *q, int nq)
{
    double lo, hi;
    support_bounds(sp, &lo, &hi);
    double top = q[nq - 1];   /* the sample's highest quantile: how far the sum must go, roughly */
    if (top - lo > DIST_MAX_COUNTS) return -1;
    double sum = 0, out[8];
    int k = 0;
    for (double x = lo; k < nq && x <= hi && x - lo <= 2.0 * DIST_MAX_COUNTS; x++) {
        sum += density(x, sp);
        while (k < nq && sum >= p[k] * (1 - 1e-12)) out[k++] = x;
    }
    if (k < nq) return -1;
    memcpy(q, out, (size_t)nq * sizeof *q);
    return 0;
}

/* ---- output ---- */

static void put_value(const char *what, double v, int digits)
{
    if (isnan(v)) printf("  %-14s undefined\n", what);
    else if (isinf(v)) printf("  %-14s infinite\n", what);
    else printf("  %-14s %.*g\n", what, digits, v);
}

static void support_line(const Spec *sp)
{
    double lo, hi;
    support_bounds(sp, &lo, &hi);
    switch (sp->d->support) {
    case SUPPORT_INTERVAL: printf("  %-14s (%g, %g)\n", "support", lo, hi); break;
    case SUPPORT_BOUNDED_COUNT: printf("  %-14s 0, 1, ..., %.0f\n", "support", hi); break;
    default: printf("  %-14s %s\n", "support", dist_support_text(sp->d)); break;
    }
}

static void explain(Session *s, Spec *sp)
{
    const DistInfo *d = sp->d;
    double mean = d->mean(sp->arg), sd = d->sd(sp->arg);
    if (d->discrete && !isfinite(mean)) {
        repl_error(s, "this %s puts its mass beyond every count: nothing to show", d->name);
        return;
    }
    double *x = malloc(DIST_SAMPLE * sizeof *x);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!x || !rng) {
        free(x);
        gsl_rng_free(rng);
        repl_error(s, "out of memory");
        return;
    }
    gsl_rng_set(rng, DIST_SEED);
    size_t n = 0;
    for (size_t i = 0; i < DIST_SAMPLE; i++) {
        double v = d->random(rng, sp->arg);
        if (isfinite(v)) x[n++] = v;
    }
    gsl_rng_free(rng);
    if (n < DIST_SAMPLE / 2) {
        free(x);
        repl_error(s, "cannot draw from %s with these arguments", d->name);
        return;
    }
    gsl_sort(x, 1, n);
    /* the interval, and the range the picture shows */
    double tail = (1 - INTERVAL_PROB) / 2;
    const double p[4] = { 0.001, tail, 1 - tail, 0.999 };
    double q[4];
    for (int k = 0; k < 4; k++) q[k] = gsl_stats_quantile_from_sorted_data(x, 1, n, p[k]);
    if (d->discrete) for (int k = 0; k < 4; k++) q[k] = ceil(q[k]);
    bool exact = (d->discrete ? refine_discrete(sp, p, q, 4) : refine_continuous(sp, x, n, p, q, 4)) == 0;
    double median = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.5);
    double iqr = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.75) - gsl_stats_quantile_from_sorted_data(x, 1, n, 0.25);
    free(x);

    printf("%s(", d->name);
    for (int k = 0; k < d->nargs; k++) printf("%s%s = %g", k ? ", " : "", d->arg_names[k], sp->arg[k]);
    printf(")\n  %s\n", d->summary);
    support_line(sp);
    /* digits enough to tell the ends of a narrow interval apart */
    int digits = 4;
    double width = q[2] - q[1], size = fmax(fabs(q[1]), fabs(q[2]));
    if (width > 0 && size / width > 10) digits = 3 + (int)ceil(log10(size / width));
    if (digits > 15) digits = 15;
    put_value("mean", mean, digits);
    put_value("sd", sd, 4);
    char what[32];
    snprintf(what, sizeof what, "%g%% interval", 100 * INTERVAL_PROB);
    printf("  %-14s [%.*g, %.*g]   (the %g%% and %g%% quantiles%s)\n", what, digits, q[1], digits, q[2], 100 * tail,
           100 * (1 - tail), exact ? "" : ", estimated from 100,000 draws");

    double lo = q[0], hi = q[3], slo, shi;
    support_bounds(sp, &slo, &shi);
    if (iqr > 0 && !d->discrete) {   /* heavy tails (Cauchy) would squash the middle, */
        lo = fmax(lo, median - 6 * iqr);
        hi = fmin(hi, median + 6 * iqr);
        double margin = 0.05 * (q[2] - q[1]);   /* but the interval stays in view */
        lo = fmin(lo, q[1] - margin);
        hi = fmax(hi, q[2] + margin);
    }
    /* the support's ends when the picture comes near them */
    if (isfinite(slo) && lo - slo < 0.1 * (hi - lo)) lo = slo;
    if (isfinite(shi) && shi - hi < 0.1 * (hi - lo)) hi = shi;
    if (d->discrete && hi == lo) { lo -= 1; hi += 1; }
    char label[160];
    snprintf(label, sizeof label, "density, with the mean and the %g%% interval marked below", 100 * INTERVAL_PROB);
    TermPlotOptions o = { .width = repl_width(s), .height = 10, .utf8 = s->utf8, .color = s->plot_color,
                          .mark_lo = q[1], .mark_hi = q[2], .mark_mean = isfinite(mean) ? mean : NAN, .label = label };
    if (termplot_curve(stdout, density, sp, lo, hi, d->discrete, &o) != 0)
        repl_note(s, "no picture: the range is too wide to draw");
}

void repl_cmd_dist(Session *s, const char *args)
{
    if (!*args) {
        repl_error(s, ":dist needs a distribution, for example :dist Beta(10, 90)");
        return;
    }
    /* the source is the command as typed, so the caret lands under it */
    size_t len = strlen(args) + 7;
    char *text = malloc(len);
    if (!text) { repl_error(s, "out of memory"); return; }
    snprintf(text, len, ":dist %s", args);
    Source *src = source_from_text(REPL_NAME, text, strlen(text));
    if (!src) { free(text); repl_error(s, "out of memory"); return; }
    Diags dg;
    diags_init(&dg, src);
    Spec sp;
    memset(&sp, 0, sizeof sp);
    if (read_call(src, 6, &sp, &dg) != 0) {
        repl_print_diags(s, &dg);
    } else {
        explain(s, &sp);
    }
    diags_clear(&dg);
    source_free(src);
    free(text);
}
