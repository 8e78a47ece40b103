/*
** plot_prior.c -- each quantity's prior against its posterior, on one
** panel: how the data move the prior.  The prior's draws come from a
** prior predictive run of the same model (PlotOptions.prior), matched by
** name; the prior is dashed, the posterior solid, a few integers as bars
** side by side.  A prior with long tails is shown only as far as its
** bulk reaches, so that the posterior beside it keeps a shape.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "plot_figures.h"

#define FENCE  3.0     /* interquartile ranges: how far beyond its quartiles a prior is shown */

/* The colours: the posterior C0, as in the posterior plots; the prior C1. */
enum { POSTERIOR_COLOUR = 0, PRIOR_COLOUR = 1 };

/* Whether name (perhaps "theta[2]") is one of the improper names (a
** scalar's or a whole vector's). */
static bool improper(const PlotOptions *o, const char *name)
{
    size_t base = strcspn(name, "[");
    for (int k = 0; k < o->nimproper; k++)
        if (strlen(o->improper[k]) == base && strncmp(o->improper[k], name, base) == 0) return true;
    return false;
}

/* The x range of the prior's draws to show: out to Tukey's far-out
** fences, three interquartile ranges beyond the quartiles, so that long
** tails (a HalfCauchy's) leave the posterior room; all of a prior that
** ends within them. */
static void prior_window(const View *w, double *lo, double *hi)
{
    double q1 = gsl_stats_quantile_from_sorted_data(w->sorted, 1, w->n, 0.25);
    double q3 = gsl_stats_quantile_from_sorted_data(w->sorted, 1, w->n, 0.75);
    *lo = w->lo;
    *hi = w->hi;
    if (q3 > q1) {
        *lo = fmax(*lo, q1 - FENCE * (q3 - q1));
        *hi = fmin(*hi, q3 + FENCE * (q3 - q1));
    }
}

/* "0.121 ± 0.0101": a view's mean and sd; with mean false the sd alone. */
static void moments(const View *w, bool mean, char *buf, size_t len)
{
    char m[32], s[32];
    plot_fmt_value(m, sizeof m, w->mean);
    plot_fmt_value(s, sizeof s, w->n > 1 ? gsl_stats_sd(w->sorted, 1, w->n) : 0.0);
    if (mean) snprintf(buf, len, "%s \xc2\xb1 %s", m, s);
    else snprintf(buf, len, "%s", s);
}

/* The line under a panel's title: how the prior's mean and sd became the
** posterior's, or the sds alone when that is too wide for width pixels. */
static void moments_line(cairo_t *cr, const View *post, const View *prior, double width, char *line, size_t len)
{
    char a[80], b[80];
    for (int mean = 1; mean >= 0; mean--) {
        moments(post, mean, b, sizeof b);
        if (!prior) {
            snprintf(line, len, "posterior %s%s", mean ? "" : "sd ", b);
        } else {
            moments(prior, mean, a, sizeof a);
            snprintf(line, len, "%sprior %s \xe2\x86\x92 posterior %s", mean ? "" : "sd: ", a, b);
        }
        if (plot_text_width(cr, line, FONT_TICK, false) <= width) return;
    }
}

/* The two curves and the frame's x range: bars over the integers of both
** when both are a few integers, else kernel densities. */
static int prior_curves(const View *post, const View *prior, Frame *f, Curve *cpost, Curve *cprior, bool *bars)
{
    cprior->kind = CURVE_NONE;
    cprior->ymax = 0.0;
    plot_view_xrange(post, &f->x0, &f->x1);
    if (prior == NULL) return plot_view_curve(post, post->sorted, post->n, cpost);
    double k0 = fmin(post->k0, prior->k0), k1 = fmax(post->k0 + post->nbars, prior->k0 + prior->nbars) - 1;
    *bars = post->discrete && prior->discrete && plot_discrete(NULL, 0, k0, k1);   /* the span's rule alone */
    if (*bars) {
        plot_bars(post->sorted, post->n, k0, (int)(k1 - k0) + 1, cpost);
        plot_bars(prior->sorted, prior->n, k0, (int)(k1 - k0) + 1, cprior);
        f->x0 = k0 - 0.5;
        f->x1 = k1 + 0.5;
        return 0;
    }
    double lo, hi;
    prior_window(prior, &lo, &hi);
    if (plot_kde(post->sorted, post->n, cpost) != 0 || plot_kde_window(prior->sorted, prior->n, lo, hi, cprior) != 0)
        return -1;
    f->x0 = fmin(post->lo, lo);
    f->x1 = fmax(post->hi, hi);
    plot_widen(&f->x0, &f->x1);
    plot_pad(&f->x0, &f->x1, 0.03);
    return 0;
}

static int prior_panel(cairo_t *cr, const View *post, const PlotOptions *o, double px, double py, double pw)
{
    plot_set_grey(cr, 0.1);
    plot_text(cr, post->name, px + pw / 2, py + 6, FONT_TITLE, true, 0.5, 0.0);
    Frame f = { px + 14, py + 52, pw - 28, POST_ROW_H - 96, 0, 1, 0, 1 };
    if (post->n == 0) {
        plot_set_grey(cr, 0.35);
        plot_text(cr, post->empty, f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
        return 0;
    }
    /* the prior's draws, or why there are none */
    bool is_improper = improper(o, post->name);
    int pv = o->prior && !is_improper ? draws_find(o->prior, post->name) : -1;
    View prior;
    memset(&prior, 0, sizeof prior);
    if (pv >= 0 && plot_view_init(&prior, o->prior, pv, NULL, o->hdi_prob) != 0) return -1;
    const char *missing = is_improper ? "improper prior: no prior curve"
                        : !o->prior ? "no prior curve"
                        : pv < 0 ? "the prior run does not draw it"
                        : prior.n == 0 ? prior.empty : NULL;
    Curve cpost, cprior;
    bool bars = false;
    int rc = prior_curves(post, missing ? NULL : &prior, &f, &cpost, &cprior, &bars);
    if (rc != 0) {
        plot_view_free(&prior);
        return -1;
    }
    double top = fmax(cpost.kind == CURVE_SPIKE ? 0.0 : cpost.ymax, cprior.kind == CURVE_SPIKE ? 0.0 : cprior.ymax);
    f.y1 = (top > 0.0 ? top : 1.0) * (missing ? 1.25 : 1.08);   /* room for the word on what is missing */
    Ticks xt;
    plot_ticks_make(cr, &xt, f.x0, f.x1, f.w, true, bars || (missing && post->discrete));
    plot_frame_grid(cr, &f, &xt, NULL);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    if (!missing) {
        if (!bars) cairo_set_dash(cr, (double[]){ 7, 4 }, 2, 0);
        plot_curve_draw(cr, &f, &cprior, PRIOR_COLOUR, 2.0, 0, bars ? 2 : 1);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    plot_curve_draw(cr, &f, &cpost, POSTERIOR_COLOUR, 2.0, bars ? 1 : 0, bars ? 2 : 1);
    cairo_restore(cr);
    plot_frame_axes(cr, &f, &xt, NULL);

    char line[200];
    moments_line(cr, post, missing ? NULL : &prior, pw - 12, line, sizeof line);
    plot_set_grey(cr, 0.35);
    plot_text(cr, line, px + pw / 2, py + 28, FONT_TICK, false, 0.5, 0.0);
    if (missing) plot_text_boxed(cr, missing, f.x + f.w / 2, f.y + 4, FONT_LABEL, 0.5, f.x, f.x + f.w);
    plot_view_free(&prior);
    return 0;
}

int plot_prior(Figure *g, const View *views, int nviews, int total, const Draws *d, const PlotOptions *o)
{
    cairo_t *cr = g->cr;
    char what[128];
    snprintf(what, sizeof what, "prior and posterior of %d chain%s \xc3\x97 %d draws", d->nchains,
             d->nchains == 1 ? "" : "s", d->ndraws);
    plot_header(cr, o->title, what);
    double c0[3], c1[3];
    plot_tab10_rgb(PRIOR_COLOUR, c1);
    plot_tab10_rgb(POSTERIOR_COLOUR, c0);
    const LegendItem legend[2] = {
        { "prior", c1[0], c1[1], c1[2], 1, 2.0, true },
        { "posterior", c0[0], c0[1], c0[2], 1, 2.0, false },
    };
    plot_legend_items(cr, FIG_W - 20, 22, legend, 2);
    int cols = nviews < 3 ? nviews : 3;
    double pw = (FIG_W - 20) / cols;
    for (int k = 0; k < nviews; k++) {
        double px = 10 + (k % cols) * pw, py = HEADER_H + (k / cols) * POST_ROW_H;
        if (prior_panel(cr, &views[k], o, px, py, pw) != 0) return -1;
    }
    double y = HEADER_H + (nviews + cols - 1) / cols * POST_ROW_H + 4;
    if (!o->prior) {   /* why no panel has a prior */
        char why[600];
        snprintf(why, sizeof why, "no prior curves: %s", o->no_prior ? o->no_prior : "no prior draws were given");
        plot_set_grey(cr, 0.35);
        plot_text(cr, why, 16, y, FONT_TICK, false, 0.0, 0.0);
        y += 18;
    }
    if (nviews < total) plot_footnote(cr, y, nviews, total);
    return 0;
}
