/*
** plot.c -- pictures of posterior draws with cairo, after ArviZ's
** plot_trace, plot_posterior and plot_forest, drawn with the kit of
** plot_canvas.h from the densities of plot_density.h; the entry points,
** which hand the predictive kinds to plot_figures.h.
*/
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_math.h>

#include "plot_canvas.h"
#include "plot_density.h"
#include "plot_figures.h"

/* ------------------------------------------------------------------ */
/* The reference-value label                                          */
/* ------------------------------------------------------------------ */

size_t plot_ref_text(const double *x, size_t n, double ref, char *buf, size_t len)
{
    size_t finite = 0, below = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        finite++;
        if (x[i] < ref) below++;
    }
    double lo = finite ? 100.0 * (double)below / (double)finite : NAN;
    double hi = finite ? 100.0 * (double)(finite - below) / (double)finite : NAN;
    if (len > 0) snprintf(buf, len, "%.1f%% < %g < %.1f%%", lo, ref, hi);
    return finite;
}

/* ------------------------------------------------------------------ */
/* Trace plots                                                         */
/* ------------------------------------------------------------------ */

/* A small black tick at the bottom of f at x, on a whole pixel so that
** it stays crisp. */
static void divergence_tick(cairo_t *cr, const Frame *f, double x)
{
    double px = floor(plot_fx(f, x)) + 0.5;
    cairo_move_to(cr, px, f->y + f->h);
    cairo_line_to(cr, px, f->y + f->h - 9);
}

/* Whether draw i of chain c diverged, as the sampler recorded it. */
static bool divergent_at(const Draws *d, int c, int i)
{
    return d->stats && draws_stat_const(d, DRAW_DIVERGENT, c)[i] != 0;
}

static int trace_row(cairo_t *cr, const Draws *d, const View *w, double top,
                     bool last, double *buf)
{
    /* left: densities per chain */
    Frame f = { 70, top + 30, 370, TRACE_ROW_H - 78, 0, 1, 0, 1 };
    plot_view_xrange(w, &f.x0, &f.x1);
    Curve *curves = malloc((size_t)d->nchains * sizeof *curves);
    if (curves == NULL) return -1;
    double ymax = 0.0;
    for (int c = 0; c < d->nchains; c++) {
        size_t n = plot_view_draws(w, d, c, buf);
        if (plot_view_curve(w, buf, n, &curves[c]) != 0) {
            free(curves);
            return -1;
        }
        ymax = fmax(ymax, curves[c].ymax);
    }
    f.y1 = (ymax > 0.0 ? ymax : 1.0) * 1.08;
    Ticks xt, yt;
    plot_ticks_make(cr, &xt, f.x0, f.x1, f.w, true, w->discrete);
    plot_ticks_make(cr, &yt, f.y0, f.y1, f.h, false, false);
    plot_frame_grid(cr, &f, &xt, &yt);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    for (int c = 0; c < d->nchains; c++) plot_curve_draw(cr, &f, &curves[c], c, 1.5, c, d->nchains);
    cairo_restore(cr);
    free(curves);

    /* right: draws against iteration */
    Frame t = { 535, top + 30, 445, TRACE_ROW_H - 78, 0, d->ndraws > 1 ? d->ndraws - 1 : 1, w->lo, w->hi };
    plot_pad(&t.y0, &t.y1, 0.05);
    Ticks it, vt;
    plot_ticks_make(cr, &it, t.x0, t.x1, t.w, true, true);
    plot_ticks_make(cr, &vt, t.y0, t.y1, t.h, false, w->discrete);
    plot_frame_grid(cr, &t, &it, &vt);
    cairo_save(cr);
    cairo_rectangle(cr, t.x, t.y, t.w, t.h);
    cairo_clip(cr);
    cairo_set_line_width(cr, 1.0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* the draws as a line, or none at all when some are not finite */
    for (int c = 0; c < d->nchains && w->n > 0; c++) {
        const double *x = draws_at_const(d, w->v, c);
        for (int i = 0; i < d->ndraws; i++) {
            if (i > 0) cairo_line_to(cr, plot_fx(&t, i), plot_fy(&t, x[i]));
            else cairo_move_to(cr, plot_fx(&t, i), plot_fy(&t, x[i]));
        }
        plot_set_tab10(cr, c, d->nchains > 1 ? 0.7 : 1.0);   /* later chains must not hide earlier ones */
        cairo_stroke(cr);
        if (d->ndraws == 1) {   /* one draw makes no line: a dot instead */
            cairo_arc(cr, plot_fx(&t, 0), plot_fy(&t, x[0]), 2.5, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    }
    /* divergent draws, as ArviZ marks them: at the bottom of both panels */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.0);
    for (int c = 0; c < d->nchains; c++)
        for (int i = 0; i < d->ndraws; i++)
            if (divergent_at(d, c, i)) divergence_tick(cr, &t, i);
    cairo_stroke(cr);
    cairo_restore(cr);
    for (int c = 0; c < d->nchains && w->n > 0; c++) {
        const double *x = draws_at_const(d, w->v, c);
        for (int i = 0; i < d->ndraws; i++)
            if (divergent_at(d, c, i)) divergence_tick(cr, &f, x[i]);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);

    plot_frame_axes(cr, &f, &xt, &yt);
    plot_frame_axes(cr, &t, &it, &vt);
    plot_set_grey(cr, 0.1);
    plot_text(cr, w->name, f.x + f.w / 2, top + 8, FONT_TITLE, true, 0.5, 0.0);
    plot_text(cr, w->name, t.x + t.w / 2, top + 8, FONT_TITLE, true, 0.5, 0.0);
    plot_set_grey(cr, 0.35);
    plot_text_up(cr, w->discrete ? "share of draws" : "density", 16, f.y + f.h / 2, FONT_TICK);
    if (last) plot_text(cr, "draw", t.x + t.w / 2, t.y + t.h + 24, FONT_TICK, false, 0.5, 0.0);
    if (w->n == 0) {
        plot_text(cr, w->empty, f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
        plot_text(cr, w->empty, t.x + t.w / 2, t.y + t.h / 2, FONT_LABEL, false, 0.5, 0.5);
    }
    return 0;
}

static int count_divergent(const Draws *d)
{
    int n = 0;
    for (int c = 0; c < d->nchains; c++)
        for (int i = 0; i < d->ndraws; i++) n += divergent_at(d, c, i);
    return n;
}

static int plot_trace(Figure *g, const Draws *d, const View *views, int nviews, int total, const PlotOptions *o)
{
    cairo_t *cr = g->cr;
    char what[160];
    int ndiv = count_divergent(d);
    int len = snprintf(what, sizeof what, "%d chain%s \xc3\x97 %d draws", d->nchains, d->nchains == 1 ? "" : "s",
                       d->ndraws);
    if (ndiv > 0)
        snprintf(what + len, sizeof what - (size_t)len, ", %d divergent (black ticks)", ndiv);
    plot_header(cr, o->title, what);
    if (d->nchains > 1) plot_legend(cr, FIG_W - 20, 22, d->nchains, NULL, "chain");
    double *buf = malloc(((size_t)d->ndraws ? (size_t)d->ndraws : 1) * sizeof *buf);
    if (buf == NULL) return -1;
    for (int r = 0; r < nviews; r++)
        if (trace_row(cr, d, &views[r], HEADER_H + r * TRACE_ROW_H, r == nviews - 1, buf) != 0) {
            free(buf);
            return -1;
        }
    free(buf);
    if (nviews < total) plot_footnote(cr, HEADER_H + nviews * TRACE_ROW_H + 4, nviews, total);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Posterior plots                                                     */
/* ------------------------------------------------------------------ */

static int posterior_panel(cairo_t *cr, const View *w, const PlotOptions *o, double px, double py, double pw)
{
    Curve c;
    if (plot_view_curve(w, w->sorted, w->n, &c) != 0) return -1;   /* already sorted: sorting again is a no-op */
    bool has_ref = o->ref_val_given || strncmp(w->name, "diff", 4) == 0;
    double ref = o->ref_val_given ? o->ref_val : 0.0;
    Frame f = { px + 14, py + 52, pw - 28, POST_ROW_H - 96, 0, 1, 0, 1 };
    plot_view_xrange(w, &f.x0, &f.x1);
    if (has_ref && isfinite(ref) && w->n > 0) {
        /* the reference line belongs in the picture: it answers the question */
        double span = f.x1 - f.x0;
        if (ref < f.x0) f.x0 = ref - 0.03 * span;
        if (ref > f.x1) f.x1 = ref + 0.03 * span;
    }
    /* headroom for the reference label above the curve */
    f.y1 = (c.ymax > 0.0 ? c.ymax : 1.0) * (has_ref ? 1.25 : 1.08);
    Ticks xt;
    plot_ticks_make(cr, &xt, f.x0, f.x1, f.w, true, w->discrete);
    plot_frame_grid(cr, &f, &xt, NULL);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    plot_curve_draw(cr, &f, &c, 0, 2.0, 0, 1);
    cairo_restore(cr);
    plot_frame_axes(cr, &f, &xt, NULL);

    char buf[96], lo[32], hi[32];
    plot_set_grey(cr, 0.1);
    plot_text(cr, w->name, px + pw / 2, py + 6, FONT_TITLE, true, 0.5, 0.0);
    if (w->n == 0) {
        plot_text(cr, w->empty, f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
        return 0;
    }
    plot_fmt_value(lo, sizeof lo, w->mean);
    snprintf(buf, sizeof buf, "mean=%s", lo);
    plot_text_boxed(cr, buf, plot_fx(&f, w->mean), py + 28, FONT_LABEL + 1, 0.5, f.x, f.x + f.w);

    if (has_ref && isfinite(ref)) {
        double rx = plot_fx(&f, ref);
        plot_set_tab10(cr, 1, 1.0);
        cairo_set_line_width(cr, 1.5);
        cairo_set_dash(cr, (double[]){ 6, 3 }, 2, 0);
        cairo_move_to(cr, rx, f.y + f.h);
        cairo_line_to(cr, rx, f.y + 4);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        plot_ref_text(w->sorted, w->n, ref, buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.75, 0.35, 0.0);
        plot_text_boxed(cr, buf, rx, f.y + 2, FONT_LABEL, 0.5, f.x, f.x + f.w);
    }

    if (isfinite(w->hdi_lo) && isfinite(w->hdi_hi)) {
        /* the HDI bar sits on the axis, its ends labelled above it */
        double y = f.y + f.h - 3, x0 = plot_fx(&f, w->hdi_lo), x1 = plot_fx(&f, w->hdi_hi);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 5);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1 > x0 + 2 ? x1 : x0 + 2, y);
        cairo_stroke(cr);
        plot_fmt_value(lo, sizeof lo, w->hdi_lo);
        plot_fmt_value(hi, sizeof hi, w->hdi_hi);
        double lw = plot_text_width(cr, lo, FONT_LABEL, false), hw = plot_text_width(cr, hi, FONT_LABEL, false);
        double ly = y - 6 - FONT_LABEL - 4;
        if (strcmp(lo, hi) == 0) {
            plot_text_boxed(cr, lo, x0, ly, FONT_LABEL, 0.5, f.x, f.x + f.w);
        } else {
            /* centred on the ends when there is room, else pushed apart */
            double ax0 = 0.5, ax1 = 0.5;
            if (x1 - x0 < 0.5 * (lw + hw) + 8) ax0 = 1.0, ax1 = 0.0;
            plot_text_boxed(cr, lo, x0, ly, FONT_LABEL, ax0, f.x, f.x + f.w);
            plot_text_boxed(cr, hi, x1, ly, FONT_LABEL, ax1, f.x, f.x + f.w);
        }
        snprintf(buf, sizeof buf, "%g%% HDI", 100.0 * o->hdi_prob);
        plot_text_boxed(cr, buf, 0.5 * (x0 + x1), ly - FONT_LABEL - 10, FONT_LABEL, 0.5, f.x, f.x + f.w);
    }
    return 0;
}

static int plot_posterior(Figure *g, const View *views, int nviews, int total, const Draws *d,
                          const PlotOptions *o)
{
    cairo_t *cr = g->cr;
    char what[128];
    snprintf(what, sizeof what, "posterior of %d chain%s \xc3\x97 %d draws", d->nchains,
             d->nchains == 1 ? "" : "s", d->ndraws);
    plot_header(cr, o->title, what);
    int cols = nviews < 3 ? nviews : 3;
    double pw = (FIG_W - 20) / cols;
    for (int k = 0; k < nviews; k++) {
        double px = 10 + (k % cols) * pw, py = HEADER_H + (k / cols) * POST_ROW_H;
        if (posterior_panel(cr, &views[k], o, px, py, pw) != 0) return -1;
    }
    int rows = (nviews + cols - 1) / cols;
    if (nviews < total) plot_footnote(cr, HEADER_H + rows * POST_ROW_H + 4, nviews, total);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Forest plots                                                        */
/* ------------------------------------------------------------------ */

static int plot_forest(Figure *g, int nmodels, const char *const *labels, View *const *views, int nviews,
                       int total, const PlotOptions *o)
{
    cairo_t *cr = g->cr;
    char what[96];
    snprintf(what, sizeof what, "means, 50%% intervals and %g%% HDIs", 100.0 * o->hdi_prob);
    plot_header(cr, o->title, what);
    if (nmodels > 1) plot_legend(cr, FOREST_W - 20, 22, nmodels, labels, "model");

    double names_w = 0.0;
    for (int v = 0; v < nviews; v++) names_w = fmax(names_w, plot_text_width(cr, views[0][v].name, FONT_LABEL, false));
    double left = fmin(fmax(names_w + 30, 90), FOREST_W / 2);
    double group = nmodels * FOREST_ROW_H + FOREST_GAP;
    Frame f = { left, HEADER_H + 10, FOREST_W - left - 30, nviews * group, 0, 1, 0, 1 };
    bool first = true;
    for (int m = 0; m < nmodels; m++)
        for (int v = 0; v < nviews; v++) {
            const View *w = &views[m][v];
            double a = isfinite(w->hdi_lo) ? w->hdi_lo : w->lo, b = isfinite(w->hdi_hi) ? w->hdi_hi : w->hi;
            if (w->n == 0) continue;
            if (first || a < f.x0) f.x0 = a;
            if (first || b > f.x1) f.x1 = b;
            first = false;
        }
    if (o->ref_val_given && isfinite(o->ref_val)) {
        f.x0 = fmin(f.x0, o->ref_val);
        f.x1 = fmax(f.x1, o->ref_val);
    }
    plot_widen(&f.x0, &f.x1);
    plot_pad(&f.x0, &f.x1, 0.05);
    Ticks xt;
    plot_ticks_make(cr, &xt, f.x0, f.x1, f.w, true, false);
    /* alternate bands tell the variables apart */
    for (int v = 1; v < nviews; v += 2) {
        cairo_set_source_rgb(cr, 0.965, 0.965, 0.965);
        cairo_rectangle(cr, f.x, f.y + v * group, f.w, group);
        cairo_fill(cr);
    }
    plot_frame_grid(cr, &f, &xt, NULL);
    if (o->ref_val_given && isfinite(o->ref_val)) {
        plot_set_grey(cr, 0.45);
        cairo_set_line_width(cr, 1.0);
        cairo_set_dash(cr, (double[]){ 5, 3 }, 2, 0);
        cairo_move_to(cr, plot_fx(&f, o->ref_val), f.y);
        cairo_line_to(cr, plot_fx(&f, o->ref_val), f.y + f.h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int v = 0; v < nviews; v++) {
        plot_set_grey(cr, 0.1);
        plot_text(cr, views[0][v].name, 16, f.y + v * group + FOREST_GAP / 2 + nmodels * FOREST_ROW_H / 2, FONT_LABEL,
             false, 0.0, 0.5);
        for (int m = 0; m < nmodels; m++) {
            const View *w = &views[m][v];
            double y = f.y + v * group + FOREST_GAP / 2 + (m + 0.5) * FOREST_ROW_H;
            if (w->n == 0) {
                plot_set_grey(cr, 0.35);
                plot_text(cr, w->empty, f.x + 8, y, FONT_TICK, false, 0.0, 0.5);
                continue;
            }
            plot_set_tab10(cr, m, 1.0);
            if (isfinite(w->hdi_lo) && isfinite(w->hdi_hi)) {
                cairo_set_line_width(cr, 1.5);
                cairo_move_to(cr, plot_fx(&f, w->hdi_lo), y);
                cairo_line_to(cr, plot_fx(&f, w->hdi_hi), y);
                cairo_stroke(cr);
            }
            cairo_set_line_width(cr, 5);
            cairo_move_to(cr, plot_fx(&f, w->q25), y);
            cairo_line_to(cr, fmax(plot_fx(&f, w->q75), plot_fx(&f, w->q25) + 1), y);
            cairo_stroke(cr);
            cairo_arc(cr, plot_fx(&f, w->mean), y, 4.5, 0, 2 * M_PI);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 1.2);
            cairo_stroke(cr);
        }
    }
    plot_frame_axes(cr, &f, &xt, NULL);
    if (nviews < total) plot_footnote(cr, f.y + f.h + 30, nviews, total);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static int build_views(const Draws *d, const VarSummary *s, const int *idx, int n, double hdi_prob, View *out)
{
    for (int k = 0; k < n; k++)
        if (plot_view_init(&out[k], d, idx[k], s, hdi_prob) != 0) {
            for (int j = 0; j <= k; j++) plot_view_free(&out[j]);
            return -1;
        }
    return 0;
}

static void free_views(View *w, int n)
{
    for (int k = 0; w && k < n; k++) plot_view_free(&w[k]);
    free(w);
}

static double figure_height(PlotKind kind, int nviews, int total, int nmodels, const PlotOptions *o)
{
    double note = (nviews < total ? 28.0 : 10.0) + (kind == PLOT_PRIOR && !o->prior ? 18.0 : 0.0);
    if (kind == PLOT_TRACE) return HEADER_H + nviews * TRACE_ROW_H + note;
    if (kind == PLOT_POSTERIOR || kind == PLOT_PRIOR) {
        int cols = nviews < 3 ? nviews : 3;
        return HEADER_H + (nviews + cols - 1) / cols * POST_ROW_H + note;
    }
    return HEADER_H + 10 + nviews * (nmodels * FOREST_ROW_H + FOREST_GAP) + 34 + note;
}

/* Draws views[m][0 .. nviews-1] of nmodels models to path. */
static int render(const char *path, PlotKind kind, int nmodels, const char *const *labels, const Draws *d,
                  View *const *views, int nviews, int total,
                  const PlotOptions *o, char *err, size_t errlen)
{
    Figure g;
    double w = kind == PLOT_FOREST ? FOREST_W : FIG_W;
    if (plot_figure_open(&g, path, w, figure_height(kind, nviews, total, nmodels, o), o->title, err, errlen) != 0)
        return -1;
    int rc;
    if (kind == PLOT_TRACE) rc = plot_trace(&g, d, views[0], nviews, total, o);
    else if (kind == PLOT_POSTERIOR) rc = plot_posterior(&g, views[0], nviews, total, d, o);
    else if (kind == PLOT_PRIOR) rc = plot_prior(&g, views[0], nviews, total, d, o);
    else rc = plot_forest(&g, nmodels, labels, views, nviews, total, o);
    if (rc != 0 && errlen > 0) snprintf(err, errlen, "cannot draw '%s': out of memory", path);
    return plot_figure_close(&g, rc == 0, err, errlen);
}

int plot_draws(const char *path, const Draws *d, const VarSummary *s,
               const PlotOptions *o, char *err, size_t errlen)
{
    if (err && errlen > 0) err[0] = '\0';
    const char *name = path ? path : "(null)";
    if (path == NULL || plot_format_of(path) == PLOT_FORMAT_NONE)
        return plot_fail(err, errlen, "cannot write '%s': %s", name, "the name must end in .png, .svg or .pdf");
    if (d == NULL || o == NULL || d->nvars == 0 || d->ndraws <= 0 || (o->which && o->nwhich <= 0))
        return plot_fail(err, errlen, "cannot draw '%s': %s", name, "nothing to draw (no draws or no variables)");
    int chosen = o->which ? o->nwhich : d->nvars;
    for (int k = 0; o->which && k < o->nwhich; k++)
        if (o->which[k] < 0 || o->which[k] >= d->nvars)
            return plot_fail(err, errlen, "cannot draw '%s': %s", name, "a selected variable does not exist");
    if (o->kind == PLOT_PPC) return plot_ppc(path, d, o, err, errlen);
    int *idx = calloc((size_t)chosen, sizeof *idx);
    if (idx == NULL) return plot_fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
    int total = 0;
    for (int k = 0; k < chosen; k++) {
        int v = o->which ? o->which[k] : k;
        /* a prior plot is of the posterior's quantities, which a prior run
        ** draws too; the others show replicates and points of the
        ** log-likelihood only when asked for them (--plot-kind ppc is the
        ** replicates' picture) */
        bool replicate = d->group[v] != DRAWS_POSTERIOR;
        if (!replicate || (o->which && o->kind != PLOT_PRIOR)) idx[total++] = v;
    }
    if (total == 0) {
        free(idx);
        return plot_fail(err, errlen, "cannot draw '%s': %s", name, "no quantity of the posterior is selected");
    }
    int cap = o->kind == PLOT_FOREST ? MAX_FOREST : MAX_PANELS;
    int n = total < cap ? total : cap;
    View *views = calloc((size_t)n, sizeof *views);
    if (views == NULL) {
        free(idx);
        return plot_fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
    }
    int rc = build_views(d, s, idx, n, o->hdi_prob, views);
    free(idx);
    if (rc != 0) {
        free(views);
        return plot_fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
    }
    View *const models[1] = { views };
    rc = render(path, o->kind, 1, NULL, d, models, n, total, o, err, errlen);
    free_views(views, n);
    return rc;
}

int plot_forest_models(const char *path, int nmodels, const char *const *labels, const Draws *const *d,
                       const VarSummary *const *s, const PlotOptions *o, char *err, size_t errlen)
{
    if (err && errlen > 0) err[0] = '\0';
    const char *name = path ? path : "(null)";
    if (path == NULL || plot_format_of(path) == PLOT_FORMAT_NONE)
        return plot_fail(err, errlen, "cannot write '%s': %s", name, "the name must end in .png, .svg or .pdf");
    if (nmodels < 1 || d == NULL || o == NULL)
        return plot_fail(err, errlen, "cannot draw '%s': %s", name, "nothing to draw (no models)");
    for (int m = 0; m < nmodels; m++)
        if (d[m] == NULL || d[m]->ndraws <= 0 || d[m]->nvars == 0)
            return plot_fail(err, errlen, "cannot draw '%s': %s", name, "a model has no draws");
    /* the variables every model has, in the first model's order (or in
    ** the selection's, which names the first model's variables) */
    int cand = o->which ? o->nwhich : d[0]->nvars;
    int **idx = calloc((size_t)nmodels, sizeof *idx);
    View **views = calloc((size_t)nmodels, sizeof *views);
    int n = 0, rc = -1;
    if (idx == NULL || views == NULL) goto oom;
    for (int m = 0; m < nmodels; m++)
        if ((idx[m] = malloc(((size_t)cand + 1) * sizeof *idx[m])) == NULL) goto oom;
    int cap = MAX_FOREST / nmodels > 0 ? MAX_FOREST / nmodels : 1;    /* rows, not variables */
    for (int k = 0; k < cand && n < cap; k++) {
        int v = o->which ? o->which[k] : k;
        if (v < 0 || v >= d[0]->nvars) continue;
        int m = 1;
        for (; m < nmodels; m++)
            if ((idx[m][n] = draws_find(d[m], d[0]->names[v])) < 0) break;
        if (m == nmodels) idx[0][n++] = v;
    }
    if (n == 0) {
        plot_fail(err, errlen, "cannot draw '%s': %s", name, "the models share no variable to compare");
        goto out;
    }
    int built = 0;
    for (; built < nmodels; built++) {
        views[built] = calloc((size_t)n, sizeof *views[built]);
        if (views[built] == NULL ||
            build_views(d[built], s ? s[built] : NULL, idx[built], n, o->hdi_prob, views[built]) != 0) {
            free(views[built]);
            views[built] = NULL;
            break;
        }
    }
    if (built < nmodels) goto oom;
    int total = 0;
    for (int k = 0; k < cand; k++) {
        int v = o->which ? o->which[k] : k;
        bool shared = v >= 0 && v < d[0]->nvars;
        for (int m = 1; m < nmodels && shared; m++) shared = draws_find(d[m], d[0]->names[v]) >= 0;
        total += shared;
    }
    rc = render(path, PLOT_FOREST, nmodels, labels, d[0], views, n, total, o, err, errlen);
    goto out;
oom:
    plot_fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
out:
    for (int m = 0; m < nmodels; m++) {
        if (idx) free(idx[m]);
        if (views) free_views(views[m], n);
    }
    free(idx);
    free(views);
    return rc;
}
