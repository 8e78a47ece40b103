/*
** plot_density.c -- densities of draws (plot_density.h).
**
** Densities are Gaussian kernel density estimates with Silverman's
** bandwidth, reflected at the ends of the data as ArviZ does.  GSL has no
** kernel density estimator, so the draws are first counted into a
** gsl_histogram of fine bins and the kernel is summed over the bins, which
** keeps the cost independent of the number of draws.  Integer-valued
** draws with few distinct values (0/1 indicators, counts) are shown as a
** histogram with one bar per integer instead, as ArviZ shows discrete
** variables.
*/
#include "plot_density.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_histogram.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "diagnostics.h"
#include "format.h"

/* ------------------------------------------------------------------ */
/* Densities                                                           */
/* ------------------------------------------------------------------ */

/* Silverman's rule of thumb for n sorted draws. */
static double bandwidth(const double *sorted, size_t n)
{
    double sd = n > 1 ? diag_sd(sorted, n) : 0.0;
    double iqr = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.75)
               - gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.25);
    double spread = iqr > 0.0 ? fmin(sd, iqr / 1.34) : sd;
    return 0.9 * spread * pow((double)n, -0.2);
}

int plot_kde_window(const double *sorted, size_t n, double lo, double hi, Curve *c)
{
    double dlo = sorted[0], dhi = sorted[n - 1];
    double bw = bandwidth(sorted, n);
    if (!(bw > 0.0) || !(dhi > dlo)) {
        c->kind = CURVE_SPIKE;
        c->lo = c->hi = gsl_stats_mean(sorted, 1, n);
        c->n = 0;
        c->ymax = 1.0;
        return 0;
    }
    lo = fmax(lo, dlo);
    hi = fmin(hi, dhi);
    if (!(hi > lo)) {   /* a window beside the draws: the whole of them */
        lo = dlo;
        hi = dhi;
    }
    /* the draws within the kernel's reach of the window; the data's own
    ** ends, where they are in it, are mirrored */
    double blo = fmax(dlo, lo - 6.0 * bw), bhi = fmin(dhi, hi + 6.0 * bw);
    bool mirror_lo = blo == dlo, mirror_hi = bhi == dhi;
    gsl_histogram *h = gsl_histogram_alloc(KDE_BINS);
    if (h == NULL) return -1;
    /* the top edge just above the largest draw, which a histogram's
    ** half-open bins would leave out */
    gsl_histogram_set_ranges_uniform(h, blo, bhi + (bhi - blo) * 1e-9);
    for (size_t i = 0; i < n; i++)
        if (sorted[i] >= blo && sorted[i] <= bhi) gsl_histogram_increment(h, sorted[i]);
    double norm = 1.0 / ((double)n * bw * sqrt(2.0 * M_PI));
    c->kind = CURVE_KDE;
    c->lo = lo;
    c->hi = hi;
    c->n = GRID;
    c->ymax = 0.0;
    for (int j = 0; j < GRID; j++) {
        double g = lo + (hi - lo) * j / (GRID - 1), sum = 0.0;
        for (size_t b = 0; b < KDE_BINS; b++) {
            double count = gsl_histogram_get(h, b);
            if (count == 0.0) continue;
            double bl, bh;
            gsl_histogram_get_range(h, b, &bl, &bh);
            double m = 0.5 * (bl + bh);
            double u[3] = { (g - m) / bw, mirror_lo ? (g - (2 * dlo - m)) / bw : INFINITY,
                            mirror_hi ? (g - (2 * dhi - m)) / bw : INFINITY };
            for (int k = 0; k < 3; k++)
                if (fabs(u[k]) < 6.0) sum += count * exp(-0.5 * u[k] * u[k]);
        }
        c->y[j] = sum * norm;
        c->ymax = fmax(c->ymax, c->y[j]);
    }
    gsl_histogram_free(h);
    return 0;
}

int plot_kde(const double *sorted, size_t n, Curve *c)
{
    return plot_kde_window(sorted, n, sorted[0], sorted[n - 1], c);
}

double plot_curve_at(const Curve *c, double x)
{
    if (c->kind != CURVE_KDE || !(x >= c->lo && x <= c->hi)) return 0.0;
    double at = (x - c->lo) / (c->hi - c->lo) * (c->n - 1);
    int j = (int)floor(at);
    if (j >= c->n - 1) return c->y[c->n - 1];
    return c->y[j] + (at - j) * (c->y[j + 1] - c->y[j]);
}

bool plot_integers(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != floor(x[i])) return false;
    return true;
}

bool plot_discrete(const double *x, size_t n, double lo, double hi)
{
    return hi - lo < MAX_BARS && plot_integers(x, n);
}

/* The share of draws at each integer k0 .. k0 + nbars - 1. */
void plot_bars(const double *x, size_t n, double k0, int nbars, Curve *c)
{
    c->kind = CURVE_BARS;
    c->lo = k0;
    c->hi = k0 + nbars - 1;
    c->n = nbars;
    memset(c->y, 0, sizeof c->y);
    size_t finite = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        finite++;
        long k = lround(x[i] - k0);
        if (k >= 0 && k < nbars) c->y[k] += 1.0;
    }
    c->ymax = 0.0;
    for (int k = 0; k < nbars; k++) {
        c->y[k] /= finite ? (double)finite : 1.0;
        c->ymax = fmax(c->ymax, c->y[k]);
    }
}

/* ------------------------------------------------------------------ */
/* One variable's draws, ready to draw                                 */
/* ------------------------------------------------------------------ */

void plot_view_free(View *w)
{
    free(w->sorted);
    w->sorted = NULL;
}

size_t plot_view_draws(const View *w, const Draws *d, int c, double *out)
{
    if (w->nonfinite > 0) return 0;
    size_t n = 0;
    for (int k = c < 0 ? 0 : c; k < (c < 0 ? d->nchains : c + 1); k++) {
        memcpy(out + n, draws_at_const(d, w->v, k), (size_t)d->ndraws * sizeof *out);
        n += (size_t)d->ndraws;
    }
    return n;
}

int plot_view_init(View *w, const Draws *d, int v, const VarSummary *s, double hdi_prob)
{
    memset(w, 0, sizeof *w);
    w->name = d->names[v];
    w->v = v;
    size_t total = (size_t)d->nchains * (size_t)d->ndraws;
    w->sorted = malloc((total ? total : 1) * sizeof *w->sorted);
    if (w->sorted == NULL) return -1;
    long nan, inf;
    w->nonfinite = summary_nonfinite(d, v, &nan, &inf);
    if (w->nonfinite > 0) format_nonfinite(w->empty, sizeof w->empty, nan, inf, (long)total);
    else snprintf(w->empty, sizeof w->empty, "no draws");
    w->n = plot_view_draws(w, d, -1, w->sorted);
    w->mean = w->hdi_lo = w->hdi_hi = w->q25 = w->q75 = NAN;
    w->lo = w->hi = NAN;
    if (w->n > 0) {
        gsl_sort(w->sorted, 1, w->n);
        w->lo = w->sorted[0];
        w->hi = w->sorted[w->n - 1];
        w->mean = gsl_stats_mean(w->sorted, 1, w->n);
        w->q25 = gsl_stats_quantile_from_sorted_data(w->sorted, 1, w->n, 0.25);
        w->q75 = gsl_stats_quantile_from_sorted_data(w->sorted, 1, w->n, 0.75);
        diag_hdi(w->sorted, w->n, hdi_prob, &w->hdi_lo, &w->hdi_hi);
        w->discrete = plot_discrete(w->sorted, w->n, w->lo, w->hi);
        w->k0 = w->lo;
        w->nbars = w->discrete ? (int)(w->hi - w->lo) + 1 : 0;
    }
    /* the table's numbers, when the summary has them, so that picture and
    ** table agree */
    if (s && isfinite(s[v].mean)) w->mean = s[v].mean;
    if (s && isfinite(s[v].hdi_low) && isfinite(s[v].hdi_high)) {
        w->hdi_lo = s[v].hdi_low;
        w->hdi_hi = s[v].hdi_high;
    }
    plot_widen(&w->lo, &w->hi);
    return 0;
}

/* The density of n finite draws x of w's variable. */
int plot_view_curve(const View *w, double *x, size_t n, Curve *c)
{
    c->kind = CURVE_NONE;
    c->ymax = 0.0;
    if (n == 0) return 0;
    if (w->discrete) {
        plot_bars(x, n, w->k0, w->nbars, c);
        return 0;
    }
    gsl_sort(x, 1, n);
    return plot_kde(x, n, c);
}

/* The x range a density panel shows. */
void plot_view_xrange(const View *w, double *lo, double *hi)
{
    *lo = w->discrete ? w->k0 - 0.5 : w->lo;
    *hi = w->discrete ? w->k0 + w->nbars - 0.5 : w->hi;
    if (!w->discrete) plot_pad(lo, hi, 0.03);
}

void plot_curve_path(cairo_t *cr, const Frame *f, const Curve *c)
{
    for (int j = 0; j < c->n; j++) {
        double x = c->lo + (c->hi - c->lo) * j / (c->n - 1);
        if (j == 0) cairo_move_to(cr, plot_fx(f, x), plot_fy(f, c->y[j]));
        else cairo_line_to(cr, plot_fx(f, x), plot_fy(f, c->y[j]));
    }
}

/* Draws c in f in tab10 colour k.  Bars share each integer's slot with
** the other curves drawn beside them: this one takes part `part` of
** `parts`. */
void plot_curve_draw(cairo_t *cr, const Frame *f, const Curve *c, int k, double width, int part, int parts)
{
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (c->kind == CURVE_KDE) {
        plot_curve_path(cr, f, c);
        plot_set_tab10(cr, k, 1.0);
        cairo_stroke(cr);
    } else if (c->kind == CURVE_BARS) {
        double share = 0.8 / parts;
        for (int j = 0; j < c->n; j++) {
            double x = c->lo + j - 0.4 + part * share;
            cairo_rectangle(cr, plot_fx(f, x), plot_fy(f, c->y[j]), plot_fx(f, x + share) - plot_fx(f, x), plot_fy(f, 0.0) - plot_fy(f, c->y[j]));
        }
        plot_set_tab10(cr, k, 0.85);
        cairo_fill(cr);
    } else if (c->kind == CURVE_SPIKE) {
        cairo_move_to(cr, plot_fx(f, c->lo), plot_fy(f, 0.0));
        cairo_line_to(cr, plot_fx(f, c->lo), plot_fy(f, c->ymax));
        plot_set_tab10(cr, k, 1.0);
        cairo_stroke(cr);
    }
}
