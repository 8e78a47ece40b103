/*
** plot_ppc.c -- the posterior predictive check picture, after ArviZ's
** plot_ppc: one panel per observed quantity.  A vector of observed values
** is drawn as its density (a kernel estimate; counts as a bar per
** integer) over the densities of PPC_SETS replicated data sets, chosen
** evenly from the draws, as thin translucent lines, and their mean as a
** dashed line.  A scalar observation is drawn as the histogram of its
** replicates at every draw, the observed value and the replicates' mean
** marked by vertical lines.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "plot_figures.h"
#include "ppc.h"

#define PPC_ROW_H      260.0
#define PPC_BINS_MIN   10       /* bins of a scalar's histogram, at least ... */
#define PPC_BINS_MAX   50       /* ... and at most */

/* The colours, ArviZ's: observed black, replicates C0, their mean C1. */
static void set_observed(cairo_t *cr) { cairo_set_source_rgb(cr, 0, 0, 0); }
static void set_replicate(cairo_t *cr, double alpha) { plot_set_tab10(cr, 0, alpha); }
static void set_mean(cairo_t *cr) { plot_set_tab10(cr, 1, 1.0); }

int plot_ppc_pick(size_t total, int want, size_t *at)
{
    size_t n = want > 0 && total > (size_t)want ? (size_t)want : total;
    for (size_t k = 0; k < n; k++) at[k] = k * total / n;
    return (int)n;
}

/* One observed quantity: its replicates are variables first .. first +
** count - 1. */
typedef struct Quantity {
    const char *name;
    int first, count;
} Quantity;

/* The values of the replicated data set at draw j (chain after chain). */
static void replicated_set(const Draws *d, const Quantity *q, size_t j, double *out)
{
    int c = (int)(j / (size_t)d->ndraws), i = (int)(j % (size_t)d->ndraws);
    for (int e = 0; e < q->count; e++) out[e] = draws_at_const(d, q->first + e, c)[i];
}

/* Keeps the finite of n values, sorted; returns how many. */
static size_t finite_sorted(double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) x[m++] = x[i];
    if (m > 0) gsl_sort(x, 1, m);
    return m;
}

/* A curve as a line: a KDE as it is, bars as steps over their integers, a
** spike as a vertical line through the frame. */
static void curve_line(cairo_t *cr, const Frame *f, const Curve *c)
{
    if (c->kind == CURVE_KDE) {
        plot_curve_path(cr, f, c);
    } else if (c->kind == CURVE_BARS) {
        for (int k = 0; k < c->n; k++) {
            double y = plot_fy(f, c->y[k]);
            if (k == 0) cairo_move_to(cr, plot_fx(f, c->lo - 0.5), y);
            else cairo_line_to(cr, plot_fx(f, c->lo + k - 0.5), y);
            cairo_line_to(cr, plot_fx(f, c->lo + k + 0.5), y);
        }
    } else if (c->kind == CURVE_SPIKE) {
        cairo_move_to(cr, plot_fx(f, c->lo), f->y + f->h);
        cairo_line_to(cr, plot_fx(f, c->lo), f->y);
    }
}

/* The path of the bars of the integers with a share (none for the rest). */
static void bars_path(cairo_t *cr, const Frame *f, const Curve *c)
{
    for (int k = 0; k < c->n; k++)
        if (c->y[k] > 0.0) {
            double x0 = plot_fx(f, c->lo + k - 0.4), x1 = plot_fx(f, c->lo + k + 0.4);
            cairo_rectangle(cr, x0, plot_fy(f, c->y[k]), x1 - x0, plot_fy(f, 0.0) - plot_fy(f, c->y[k]));
        }
}

static void vertical(cairo_t *cr, const Frame *f, double x)
{
    cairo_move_to(cr, plot_fx(f, x), f->y + f->h);
    cairo_line_to(cr, plot_fx(f, x), f->y + 2);
}

/* The panel's box under its two title lines. */
static Frame panel_frame(double px, double py, double pw)
{
    return (Frame){ px + 14, py + 50, pw - 28, PPC_ROW_H - 86, 0, 1, 0, 1 };
}

static void panel_titles(cairo_t *cr, const char *name, const char *what, double px, double py, double pw)
{
    plot_set_grey(cr, 0.1);
    plot_text(cr, name, px + pw / 2, py + 6, FONT_TITLE, true, 0.5, 0.0);
    plot_set_grey(cr, 0.35);
    plot_text(cr, what, px + pw / 2, py + 26, FONT_TICK, false, 0.5, 0.0);
}

/* The densities of a vector's observed values and of the replicated sets
** at[0 .. nsets-1], and their mean: on a common grid for kernel
** densities, per integer for counts. */
typedef struct VectorCurves {
    Curve observed, mean;
    Curve *sets;         /* nsets */
    int nsets;
    bool discrete;
    double lo, hi;       /* of every value shown */
} VectorCurves;

/* The ranges and the kind of the curves: a pass over every value. */
static void vector_range(const Draws *d, const Quantity *q, const size_t *at, int nsets, double *buf,
                         VectorCurves *vc)
{
    size_t k = (size_t)q->count;
    vc->lo = INFINITY;
    vc->hi = -INFINITY;
    vc->discrete = true;
    for (int r = -1; r < nsets; r++) {
        if (r < 0) memcpy(buf, d->observed + q->first, k * sizeof *buf);
        else replicated_set(d, q, at[r], buf);
        size_t m = finite_sorted(buf, k);
        if (m == 0) continue;
        vc->lo = fmin(vc->lo, buf[0]);
        vc->hi = fmax(vc->hi, buf[m - 1]);
        vc->discrete = vc->discrete && plot_integers(buf, m);
    }
    /* the span's rule alone: the values are checked */
    vc->discrete = vc->discrete && isfinite(vc->lo) && plot_discrete(NULL, 0, vc->lo, vc->hi);
}

/* The density of m sorted finite values as vc's kind has it. */
static int vector_curve(const VectorCurves *vc, const double *x, size_t m, Curve *c)
{
    c->kind = CURVE_NONE;
    c->ymax = 0.0;
    if (m == 0) return 0;
    if (vc->discrete) {
        plot_bars(x, m, vc->lo, (int)(vc->hi - vc->lo) + 1, c);
        return 0;
    }
    return plot_kde(x, m, c);
}

static int vector_curves(const Draws *d, const Quantity *q, const size_t *at, int nsets, VectorCurves *vc)
{
    size_t k = (size_t)q->count;
    double *buf = malloc(k * sizeof *buf);
    vc->sets = calloc((size_t)(nsets > 0 ? nsets : 1), sizeof *vc->sets);
    vc->nsets = nsets;
    if (!buf || !vc->sets) {
        free(buf);
        return -1;
    }
    vector_range(d, q, at, nsets, buf, vc);
    memcpy(buf, d->observed + q->first, k * sizeof *buf);
    int rc = vector_curve(vc, buf, finite_sorted(buf, k), &vc->observed);
    for (int r = 0; r < nsets && rc == 0; r++) {
        replicated_set(d, q, at[r], buf);
        rc = vector_curve(vc, buf, finite_sorted(buf, k), &vc->sets[r]);
    }
    free(buf);
    /* the mean of the sets' densities, ArviZ's dashed line */
    Curve *mean = &vc->mean;
    memset(mean, 0, sizeof *mean);
    if (vc->discrete) {
        mean->kind = CURVE_BARS;
        mean->lo = vc->lo;
        mean->hi = vc->hi;
        mean->n = (int)(vc->hi - vc->lo) + 1;
    } else if (isfinite(vc->lo) && vc->hi > vc->lo) {
        mean->kind = CURVE_KDE;
        mean->lo = vc->lo;
        mean->hi = vc->hi;
        mean->n = GRID;
    }
    for (int j = 0; j < mean->n; j++) {
        double x = vc->discrete ? vc->lo + j : vc->lo + (vc->hi - vc->lo) * j / (GRID - 1), sum = 0.0;
        for (int r = 0; r < nsets; r++)
            sum += vc->discrete ? (vc->sets[r].kind == CURVE_BARS ? vc->sets[r].y[j] : 0.0)
                                : plot_curve_at(&vc->sets[r], x);
        mean->y[j] = nsets > 0 ? sum / nsets : 0.0;
        mean->ymax = fmax(mean->ymax, mean->y[j]);
    }
    return rc;
}

/* The tallest of the curves that have a height (a spike has none). */
static double tallest(const VectorCurves *vc)
{
    double top = vc->observed.kind == CURVE_SPIKE ? 0.0 : vc->observed.ymax;
    for (int r = 0; r < vc->nsets; r++)
        if (vc->sets[r].kind != CURVE_SPIKE) top = fmax(top, vc->sets[r].ymax);
    return fmax(top, vc->mean.ymax);
}

static int vector_panel(cairo_t *cr, const Draws *d, const Quantity *q, const size_t *at, int nsets,
                        double px, double py, double pw)
{
    VectorCurves vc;
    memset(&vc, 0, sizeof vc);
    if (vector_curves(d, q, at, nsets, &vc) != 0) {
        free(vc.sets);
        return -1;
    }
    char what[160];
    size_t total = (size_t)d->nchains * (size_t)d->ndraws;
    snprintf(what, sizeof what, "%d observed values; %d of %zu replicated data sets", q->count, nsets, total);
    panel_titles(cr, q->name, what, px, py, pw);
    Frame f = panel_frame(px, py, pw);
    if (!isfinite(vc.lo)) {
        plot_text(cr, "no finite values", f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
        free(vc.sets);
        return 0;
    }
    f.x0 = vc.discrete ? vc.lo - 0.5 : vc.lo;
    f.x1 = vc.discrete ? vc.hi + 0.5 : vc.hi;
    plot_widen(&f.x0, &f.x1);
    if (!vc.discrete) plot_pad(&f.x0, &f.x1, 0.03);
    double top = tallest(&vc);
    f.y1 = (top > 0.0 ? top : 1.0) * 1.08;
    Ticks xt;
    plot_ticks_make(cr, &xt, f.x0, f.x1, f.w, true, vc.discrete);
    plot_frame_grid(cr, &f, &xt, NULL);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    const Curve *obs = &vc.observed;
    if (obs->kind == CURVE_BARS) {   /* counts: the observed bars under the lines */
        bars_path(cr, &f, obs);
        plot_set_grey(cr, 0.82);
        cairo_fill(cr);
    }
    cairo_set_line_width(cr, 1.0);
    for (int r = 0; r < vc.nsets; r++) {   /* one stroke each: where they agree, the colour deepens */
        curve_line(cr, &f, &vc.sets[r]);
        set_replicate(cr, PPC_REP_ALPHA);
        cairo_stroke(cr);
    }
    cairo_set_line_width(cr, 2.0);
    cairo_set_dash(cr, (double[]){ 6, 3 }, 2, 0);
    curve_line(cr, &f, &vc.mean);
    set_mean(cr);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (obs->kind == CURVE_BARS) {   /* ... and their outlines over them */
        cairo_set_line_width(cr, 1.2);
        bars_path(cr, &f, obs);
    } else {
        cairo_set_line_width(cr, 2.0);
        curve_line(cr, &f, obs);
    }
    set_observed(cr);
    cairo_stroke(cr);
    cairo_restore(cr);
    plot_frame_axes(cr, &f, &xt, NULL);
    free(vc.sets);
    return 0;
}

/* A scalar's n sorted replicates as a histogram that takes in the
** observed value obs: a bar per integer for a few integers, else bins
** (whole-numbered for integers) from *lo, *width wide.  Returns whether
** the values are integers. */
static bool scalar_histogram(const double *x, size_t n, double obs, Curve *c, double *lo, double *width)
{
    double a = fmin(x[0], obs), b = fmax(x[n - 1], obs);
    bool integers = obs == floor(obs) && plot_integers(x, n);
    if (integers && plot_discrete(NULL, 0, a, b)) {   /* the span's rule alone: the values are checked */
        plot_bars(x, n, a, (int)(b - a) + 1, c);
        *lo = a - 0.5;
        *width = 1.0;
        return true;
    }
    int bins = (int)ceil(sqrt((double)n));
    bins = bins < PPC_BINS_MIN ? PPC_BINS_MIN : bins > PPC_BINS_MAX ? PPC_BINS_MAX : bins;
    if (integers) {
        /* edges between the integers; (b - a + 0.5) / width is never whole */
        *width = ceil((b - a + 1) / bins);
        *lo = a - 0.5;
        bins = (int)ceil((b - *lo) / *width);
    } else {
        plot_widen(&a, &b);
        *width = (b - a) / bins;
        *lo = a;
    }
    memset(c, 0, sizeof *c);
    c->kind = CURVE_BARS;
    c->n = bins;
    for (size_t i = 0; i < n; i++) {
        long k = (long)floor((x[i] - *lo) / *width);   /* the largest value closes the last bin */
        c->y[k < 0 ? 0 : k >= bins ? bins - 1 : k] += 1.0 / (double)n;
    }
    for (int k = 0; k < bins; k++) c->ymax = fmax(c->ymax, c->y[k]);
    return integers;
}

static int scalar_panel(cairo_t *cr, const Draws *d, const Quantity *q, double px, double py, double pw)
{
    size_t total = (size_t)d->nchains * (size_t)d->ndraws;
    double *x = malloc(total * sizeof *x);
    if (!x) return -1;
    draws_gather(d, q->first, x);
    size_t n = finite_sorted(x, total);
    double obs = d->observed[q->first];
    char what[160], value[32];
    plot_fmt_value(value, sizeof value, obs);
    snprintf(what, sizeof what, "observed %s; its replicates at %zu draws", value, total);
    panel_titles(cr, q->name, what, px, py, pw);
    Frame f = panel_frame(px, py, pw);
    if (n == 0 || !isfinite(obs)) {
        plot_text(cr, "no finite values", f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
        free(x);
        return 0;
    }
    Curve c;
    double lo, width;
    bool integers = scalar_histogram(x, n, obs, &c, &lo, &width);
    double mean = gsl_stats_mean(x, 1, n);
    free(x);
    f.x0 = lo;
    f.x1 = lo + c.n * width;
    plot_pad(&f.x0, &f.x1, 0.03);
    f.y1 = (c.ymax > 0.0 ? c.ymax : 1.0) * 1.08;
    Ticks xt;
    plot_ticks_make(cr, &xt, f.x0, f.x1, f.w, true, integers);
    plot_frame_grid(cr, &f, &xt, NULL);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    double gap = integers && width == 1.0 ? 0.1 : 0.0;   /* integers stand apart; bins touch */
    for (int k = 0; k < c.n; k++) {
        double x0 = plot_fx(&f, lo + k * width + gap), x1 = plot_fx(&f, lo + (k + 1) * width - gap);
        cairo_rectangle(cr, x0, plot_fy(&f, c.y[k]), fmax(x1 - x0, 1.0), plot_fy(&f, 0.0) - plot_fy(&f, c.y[k]));
    }
    set_replicate(cr, 0.85);
    cairo_fill(cr);
    cairo_set_line_width(cr, 2.0);
    cairo_set_dash(cr, (double[]){ 6, 3 }, 2, 0);
    vertical(cr, &f, mean);
    set_mean(cr);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    vertical(cr, &f, obs);
    set_observed(cr);
    cairo_stroke(cr);
    cairo_restore(cr);
    plot_frame_axes(cr, &f, &xt, NULL);
    return 0;
}

/* The observed quantities to draw: those with a replicate in o->which,
** or all when it selects none.  Returns how many (at most cap) into q,
** and the number there are into *total. */
static int choose_quantities(const Draws *d, const PlotOptions *o, Quantity *q, int cap, int *total)
{
    bool any = false;
    for (int k = 0; o->which && k < o->nwhich; k++) any = any || d->group[o->which[k]] == DRAWS_PREDICTIVE;
    int n = 0;
    *total = 0;
    for (int v = 0, count; ppc_next_quantity(d, v, &v, &count); v += count) {
        bool chosen = !any;
        for (int k = 0; any && k < o->nwhich && !chosen; k++) chosen = o->which[k] >= v && o->which[k] < v + count;
        if (!chosen) continue;
        if (n < cap) q[n++] = (Quantity){ d->of[v], v, count };
        (*total)++;
    }
    return n;
}

int plot_ppc(const char *path, const Draws *d, const PlotOptions *o, char *err, size_t errlen)
{
    Quantity q[MAX_PANELS];
    int total, nq = choose_quantities(d, o, q, MAX_PANELS, &total);
    if (nq == 0)
        return plot_fail(err, errlen, "cannot draw '%s': %s", path,
                         "the draws have no replicates of observed data (a posterior predictive run makes them)");
    size_t ndraws = (size_t)d->nchains * (size_t)d->ndraws, at[PPC_SETS];
    int nsets = plot_ppc_pick(ndraws, PPC_SETS, at);
    int cols = nq < 2 ? 1 : 2, rows = (nq + cols - 1) / cols;
    double note = nq < total ? 28.0 : 10.0;
    Figure g;
    if (plot_figure_open(&g, path, FIG_W, HEADER_H + rows * PPC_ROW_H + note, o->title, err, errlen) != 0) return -1;
    cairo_t *cr = g.cr;
    plot_header(cr, o->title, "posterior predictive check");
    double c0[3], c1[3];
    plot_tab10_rgb(0, c0);
    plot_tab10_rgb(1, c1);
    const LegendItem legend[3] = {
        { "observed", 0, 0, 0, 1, 2.0, false },
        { "posterior predictive", c0[0], c0[1], c0[2], 0.6, 1.5, false },
        { "posterior predictive mean", c1[0], c1[1], c1[2], 1, 2.0, true },
    };
    plot_legend_items(cr, FIG_W - 20, 22, legend, 3);
    double pw = (FIG_W - 20) / cols;
    int rc = 0;
    for (int k = 0; k < nq && rc == 0; k++) {
        double px = 10 + (k % cols) * pw, py = HEADER_H + (k / cols) * PPC_ROW_H;
        rc = q[k].count > 1 ? vector_panel(cr, d, &q[k], at, nsets, px, py, pw) : scalar_panel(cr, d, &q[k], px, py, pw);
    }
    if (rc == 0 && nq < total) plot_footnote(cr, HEADER_H + rows * PPC_ROW_H + 4, nq, total);
    if (rc != 0) plot_fail(err, errlen, "cannot draw '%s': %s", path, "out of memory");
    return plot_figure_close(&g, rc == 0, err, errlen);
}
