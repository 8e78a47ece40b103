/*
** plot.c -- pictures of posterior draws with cairo, after ArviZ's
** plot_trace, plot_posterior and plot_forest.
**
** Everything is laid out in pixels at 96 dpi.  PNG files are drawn at
** that size; SVG and PDF pages are the same picture in points (a pixel
** is 0.75 pt), so the three formats have the same proportions.
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
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gsl/gsl_histogram.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "diagnostics.h"

/* ------------------------------------------------------------------ */
/* Sizes and colours                                                   */
/* ------------------------------------------------------------------ */

#define PX_TO_PT      0.75      /* 72 pt per inch over 96 px per inch */
#define FIG_W         1000.0
#define FOREST_W      800.0
#define HEADER_H      46.0      /* the title line with the chain legend */
#define TRACE_ROW_H   220.0
#define POST_ROW_H    250.0
#define FOREST_ROW_H  24.0      /* one model's row of one variable */
#define FOREST_GAP    10.0      /* between variables */
#define MAX_PANELS    40        /* as ArviZ's plot.max_subplots */
#define MAX_FOREST    200       /* rows of a forest plot */
#define GRID          200       /* points of a density curve */
#define KDE_BINS      400       /* histogram bins the kernel is summed over */
#define MAX_BARS      60        /* integers shown as bars, at most */
#define FONT_TICK     11.0
#define FONT_LABEL    12.0
#define FONT_TITLE    14.0

/* matplotlib's tab10, the colours ArviZ gives chains and models */
static const double TAB10[10][3] = {
    { 0x1f / 255.0, 0x77 / 255.0, 0xb4 / 255.0 }, { 0xff / 255.0, 0x7f / 255.0, 0x0e / 255.0 },
    { 0x2c / 255.0, 0xa0 / 255.0, 0x2c / 255.0 }, { 0xd6 / 255.0, 0x27 / 255.0, 0x28 / 255.0 },
    { 0x94 / 255.0, 0x67 / 255.0, 0xbd / 255.0 }, { 0x8c / 255.0, 0x56 / 255.0, 0x4b / 255.0 },
    { 0xe3 / 255.0, 0x77 / 255.0, 0xc2 / 255.0 }, { 0x7f / 255.0, 0x7f / 255.0, 0x7f / 255.0 },
    { 0xbc / 255.0, 0xbd / 255.0, 0x22 / 255.0 }, { 0x17 / 255.0, 0xbe / 255.0, 0xcf / 255.0 },
};

static void set_tab10(cairo_t *cr, int k, double alpha)
{
    const double *c = TAB10[k % 10];
    cairo_set_source_rgba(cr, c[0], c[1], c[2], alpha);
}

static void set_grey(cairo_t *cr, double level)
{
    cairo_set_source_rgb(cr, level, level, level);
}

/* ------------------------------------------------------------------ */
/* Kinds, formats and the reference-value label                       */
/* ------------------------------------------------------------------ */

int plot_kind_parse(const char *s, PlotKind *kind)
{
    static const struct { const char *name; PlotKind kind; } kinds[] = {
        { "trace", PLOT_TRACE }, { "posterior", PLOT_POSTERIOR }, { "forest", PLOT_FOREST },
    };
    if (s == NULL) return -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *kind = kinds[i].kind;
            return 0;
        }
    return -1;
}

PlotFormat plot_format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot == NULL || strchr(dot, '/') != NULL) return PLOT_FORMAT_NONE;
    if (strcasecmp(dot, ".png") == 0) return PLOT_FORMAT_PNG;
    if (strcasecmp(dot, ".svg") == 0) return PLOT_FORMAT_SVG;
    if (strcasecmp(dot, ".pdf") == 0) return PLOT_FORMAT_PDF;
    return PLOT_FORMAT_NONE;
}

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
/* Numbers on axes                                                     */
/* ------------------------------------------------------------------ */

/* The 1-2-5 step that cuts span into about target intervals. */
static double nice_step(double span, int target)
{
    double raw = span / (target > 0 ? target : 1);
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
}

/* The multiples of step in [lo, hi], at most max of them. */
static int ticks_at(double lo, double hi, double step, double *t, int max)
{
    int n = 0;
    double k = ceil(lo / step - 1e-9);
    for (; n < max; k += 1.0) {
        double v = k * step;
        if (v > hi + step * 1e-9) break;
        t[n++] = fabs(v) < step * 1e-9 ? 0.0 : v;   /* no "-0" */
    }
    return n;
}

/* A tick label with as many decimals as the step needs. */
static void fmt_tick(char *buf, size_t len, double v, double step)
{
    double big = fmax(fabs(v), step);
    if (big >= 1e6 || step < 1e-5) {
        snprintf(buf, len, "%.3g", v);
        return;
    }
    int decimals = (int)-floor(log10(step) + 1e-9);
    snprintf(buf, len, "%.*f", decimals > 0 ? decimals : 0, v);
}

/* A value as the labels show it: three significant digits, as ArviZ's
** round_num, but whole numbers from 1000 on rather than exponents. */
static void fmt_value(char *buf, size_t len, double v)
{
    if (fabs(v) >= 1000.0 && fabs(v) < 1e9) snprintf(buf, len, "%.0f", v);
    else snprintf(buf, len, "%.3g", fabs(v) < 1e-12 ? 0.0 : v);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

static void font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Copies s into out (len bytes), '?' for every byte that does not start
** a valid UTF-8 sequence: cairo puts a context in an error state for good
** when shown an invalid string, and names and labels come from users. */
static const char *clean_utf8(const char *s, char *out, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p && o + 5 < len) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        unsigned long cp = n == 1 ? *p : n == 2 ? (*p & 0x1Fu) : n == 3 ? (*p & 0x0Fu) : (*p & 0x07u);
        for (int k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80) { n = 0; break; }
            cp = cp << 6 | (p[k] & 0x3Fu);
        }
        static const unsigned long least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (n == 0 || cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out[o++] = '?';
            p++;
            continue;
        }
        memcpy(out + o, p, (size_t)n);
        o += (size_t)n;
        p += n;
    }
    out[o] = '\0';
    return out;
}

static double text_width(cairo_t *cr, const char *s, double size, bool bold)
{
    cairo_text_extents_t te;
    char clean[256];
    font(cr, size, bold);
    cairo_text_extents(cr, clean_utf8(s, clean, sizeof clean), &te);
    return te.x_advance;
}

/* Shows s anchored at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top,
** 0.5 middle, 1 bottom of the line. */
static void text(cairo_t *cr, const char *s, double x, double y, double size, bool bold, double ax, double ay)
{
    cairo_font_extents_t fe;
    cairo_text_extents_t te;
    char clean[256];
    clean_utf8(s, clean, sizeof clean);
    font(cr, size, bold);
    cairo_font_extents(cr, &fe);
    cairo_text_extents(cr, clean, &te);
    double line = fe.ascent + fe.descent;
    cairo_move_to(cr, x - ax * te.x_advance, y - ay * line + fe.ascent);
    cairo_show_text(cr, clean);
}

/* The same, rotated a quarter turn to read upwards, centred on (x, y). */
static void text_up(cairo_t *cr, const char *s, double x, double y, double size)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, s, 0, 0, size, false, 0.5, 0.5);
    cairo_restore(cr);
}

/* ------------------------------------------------------------------ */
/* Frames: a box on the page and the data ranges it shows             */
/* ------------------------------------------------------------------ */

typedef struct Frame {
    double x, y, w, h;          /* the box, in pixels */
    double x0, x1, y0, y1;      /* the data it spans */
} Frame;

static double fx(const Frame *f, double v) { return f->x + (v - f->x0) / (f->x1 - f->x0) * f->w; }
static double fy(const Frame *f, double v) { return f->y + f->h - (v - f->y0) / (f->y1 - f->y0) * f->h; }

/* Widens [*lo, *hi] when it is empty, so that a frame never divides by
** zero (constant draws, a single draw). */
static void widen(double *lo, double *hi)
{
    if (!isfinite(*lo) || !isfinite(*hi)) { *lo = -1.0; *hi = 1.0; }
    if (*hi - *lo > 1e-12 * fmax(1.0, fabs(*lo))) return;
    double c = 0.5 * (*lo + *hi), d = c != 0.0 ? 0.1 * fabs(c) : 1.0;
    *lo = c - d;
    *hi = c + d;
}

static void pad(double *lo, double *hi, double share)
{
    double d = (*hi - *lo) * share;
    *lo -= d;
    *hi += d;
}

/* Ticks along one axis: as many as fit with room between their labels. */
typedef struct Ticks {
    int n;
    double v[16];
    double step;
    char label[16][32];
} Ticks;

static void ticks_make(cairo_t *cr, Ticks *t, double lo, double hi, double pixels, bool horizontal, bool integers)
{
    int target = (int)(pixels / (horizontal ? 90.0 : 40.0));
    if (target < 2) target = 2;
    if (target > 10) target = 10;
    for (; target >= 1; target--) {
        t->step = nice_step(hi - lo, target);
        if (integers && t->step < 1.0) t->step = 1.0;
        t->n = ticks_at(lo, hi, t->step, t->v, 16);
        double widest = 0.0;
        for (int i = 0; i < t->n; i++) {
            fmt_tick(t->label[i], sizeof t->label[i], t->v[i], t->step);
            widest = fmax(widest, text_width(cr, t->label[i], FONT_TICK, false));
        }
        double gap = t->step / (hi - lo) * pixels;
        if (gap >= (horizontal ? widest + 12.0 : 2.2 * FONT_TICK)) break;
    }
}

/* Light grey grid lines at the ticks, under the data. */
static void frame_grid(cairo_t *cr, const Frame *f, const Ticks *xt, const Ticks *yt)
{
    cairo_set_line_width(cr, 1.0);
    cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
    for (int i = 0; xt && i < xt->n; i++) {
        double px = fx(f, xt->v[i]);
        cairo_move_to(cr, px, f->y);
        cairo_line_to(cr, px, f->y + f->h);
    }
    for (int i = 0; yt && i < yt->n; i++) {
        double py = fy(f, yt->v[i]);
        cairo_move_to(cr, f->x, py);
        cairo_line_to(cr, f->x + f->w, py);
    }
    cairo_stroke(cr);
}

/* The bottom axis (and the left one when yt is given), over the data. */
static void frame_axes(cairo_t *cr, const Frame *f, const Ticks *xt, const Ticks *yt)
{
    set_grey(cr, 0.25);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, f->x, f->y + f->h);
    cairo_line_to(cr, f->x + f->w, f->y + f->h);
    if (yt) {
        cairo_move_to(cr, f->x, f->y);
        cairo_line_to(cr, f->x, f->y + f->h);
    }
    for (int i = 0; i < xt->n; i++) {
        double px = fx(f, xt->v[i]);
        cairo_move_to(cr, px, f->y + f->h);
        cairo_line_to(cr, px, f->y + f->h + 4);
    }
    for (int i = 0; yt && i < yt->n; i++) {
        double py = fy(f, yt->v[i]);
        cairo_move_to(cr, f->x, py);
        cairo_line_to(cr, f->x - 4, py);
    }
    cairo_stroke(cr);
    for (int i = 0; i < xt->n; i++)
        text(cr, xt->label[i], fx(f, xt->v[i]), f->y + f->h + 6, FONT_TICK, false, 0.5, 0.0);
    for (int i = 0; yt && i < yt->n; i++)
        text(cr, yt->label[i], f->x - 7, fy(f, yt->v[i]), FONT_TICK, false, 1.0, 0.5);
}

/* ------------------------------------------------------------------ */
/* Densities                                                           */
/* ------------------------------------------------------------------ */

typedef enum { CURVE_NONE, CURVE_KDE, CURVE_BARS, CURVE_SPIKE } CurveKind;

typedef struct Curve {
    CurveKind kind;
    double lo, hi;      /* KDE: ends of the grid; bars: first and last integer; spike: the value */
    int n;              /* grid points or bars */
    double y[GRID];     /* density at the grid points, or share of draws per integer */
    double ymax;
} Curve;

/* The normal kernel summed over histogram bins and their mirror images
** at lo and hi (ArviZ's bound correction), at the GRID points. */
static int kde(const double *sorted, size_t n, Curve *c)
{
    double lo = sorted[0], hi = sorted[n - 1];
    double sd = n > 1 ? gsl_stats_sd(sorted, 1, n) : 0.0;
    double iqr = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.75)
               - gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.25);
    /* Silverman's rule of thumb */
    double spread = iqr > 0.0 ? fmin(sd, iqr / 1.34) : sd;
    double bw = 0.9 * spread * pow((double)n, -0.2);
    if (!(bw > 0.0) || !(hi > lo)) {
        c->kind = CURVE_SPIKE;
        c->lo = c->hi = gsl_stats_mean(sorted, 1, n);
        c->n = 0;
        c->ymax = 1.0;
        return 0;
    }
    gsl_histogram *h = gsl_histogram_alloc(KDE_BINS);
    if (h == NULL) return -1;
    /* the top edge just above the largest draw, which a histogram's
    ** half-open bins would leave out */
    gsl_histogram_set_ranges_uniform(h, lo, hi + (hi - lo) * 1e-9);
    for (size_t i = 0; i < n; i++) gsl_histogram_increment(h, sorted[i]);
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
            double u[3] = { (g - m) / bw, (g - (2 * lo - m)) / bw, (g - (2 * hi - m)) / bw };
            for (int k = 0; k < 3; k++)
                if (fabs(u[k]) < 6.0) sum += count * exp(-0.5 * u[k] * u[k]);
        }
        c->y[j] = sum * norm;
        c->ymax = fmax(c->ymax, c->y[j]);
    }
    gsl_histogram_free(h);
    return 0;
}

/* The share of draws at each integer k0 .. k0 + nbars - 1. */
static void bars(const double *x, size_t n, double k0, int nbars, Curve *c)
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

typedef struct View {
    const char *name;
    int v;
    double *sorted;     /* the finite draws of all chains, sorted; owned */
    size_t n;
    bool discrete;      /* integers only, few of them: bars */
    double k0;          /* discrete: the smallest integer */
    int nbars;
    double mean, hdi_lo, hdi_hi, q25, q75;
    double lo, hi;      /* the range of the draws, widened when empty */
} View;

static void view_free(View *w)
{
    free(w->sorted);
    w->sorted = NULL;
}

/* Copies the finite draws of chain c (or of every chain when c < 0). */
static size_t finite_draws(const Draws *d, int v, int c, double *out)
{
    size_t n = 0;
    for (int k = c < 0 ? 0 : c; k < (c < 0 ? d->nchains : c + 1); k++) {
        const double *x = draws_at_const(d, v, k);
        for (int i = 0; i < d->ndraws; i++)
            if (isfinite(x[i])) out[n++] = x[i];
    }
    return n;
}

static int view_init(View *w, const Draws *d, int v, const VarSummary *s, double hdi_prob)
{
    memset(w, 0, sizeof *w);
    w->name = d->names[v];
    w->v = v;
    size_t total = (size_t)d->nchains * (size_t)d->ndraws;
    w->sorted = malloc((total ? total : 1) * sizeof *w->sorted);
    if (w->sorted == NULL) return -1;
    w->n = finite_draws(d, v, -1, w->sorted);
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
        w->discrete = w->hi - w->lo < MAX_BARS;
        for (size_t i = 0; i < w->n && w->discrete; i++)
            w->discrete = w->sorted[i] == floor(w->sorted[i]);
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
    widen(&w->lo, &w->hi);
    return 0;
}

/* The density of n finite draws x of w's variable. */
static int view_curve(const View *w, double *x, size_t n, Curve *c)
{
    c->kind = CURVE_NONE;
    c->ymax = 0.0;
    if (n == 0) return 0;
    if (w->discrete) {
        bars(x, n, w->k0, w->nbars, c);
        return 0;
    }
    gsl_sort(x, 1, n);
    return kde(x, n, c);
}

/* The x range a density panel shows. */
static void view_xrange(const View *w, double *lo, double *hi)
{
    *lo = w->discrete ? w->k0 - 0.5 : w->lo;
    *hi = w->discrete ? w->k0 + w->nbars - 0.5 : w->hi;
    if (!w->discrete) pad(lo, hi, 0.03);
}

/* Draws c in f in tab10 colour k.  Bars share each integer's slot with
** the other curves drawn beside them: this one takes part `part` of
** `parts`. */
static void curve_draw(cairo_t *cr, const Frame *f, const Curve *c, int k, double width, int part, int parts)
{
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (c->kind == CURVE_KDE) {
        for (int j = 0; j < c->n; j++) {
            double x = c->lo + (c->hi - c->lo) * j / (c->n - 1);
            if (j == 0) cairo_move_to(cr, fx(f, x), fy(f, c->y[j]));
            else cairo_line_to(cr, fx(f, x), fy(f, c->y[j]));
        }
        set_tab10(cr, k, 1.0);
        cairo_stroke(cr);
    } else if (c->kind == CURVE_BARS) {
        double share = 0.8 / parts;
        for (int j = 0; j < c->n; j++) {
            double x = c->lo + j - 0.4 + part * share;
            cairo_rectangle(cr, fx(f, x), fy(f, c->y[j]), fx(f, x + share) - fx(f, x), fy(f, 0.0) - fy(f, c->y[j]));
        }
        set_tab10(cr, k, 0.85);
        cairo_fill(cr);
    } else if (c->kind == CURVE_SPIKE) {
        cairo_move_to(cr, fx(f, c->lo), fy(f, 0.0));
        cairo_line_to(cr, fx(f, c->lo), fy(f, c->ymax));
        set_tab10(cr, k, 1.0);
        cairo_stroke(cr);
    }
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

typedef struct Figure {
    const char *path;
    PlotFormat format;
    FILE *file;
    cairo_surface_t *surface;
    cairo_t *cr;
} Figure;

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *path, const char *why)
{
    if (errlen > 0) snprintf(err, errlen, fmt, path, why);
    return -1;
}

/* Opens path for a w x h pixel picture on a white page. */
static int figure_open(Figure *g, const char *path, double w, double h, const char *title, char *err,
                       size_t errlen)
{
    memset(g, 0, sizeof *g);
    g->path = path;
    g->format = plot_format_of(path);
    if (g->format == PLOT_FORMAT_NONE)
        return fail(err, errlen, "cannot write '%s': %s", path, "the name must end in .png, .svg or .pdf");
    g->file = fopen(path, "wb");
    if (g->file == NULL) return fail(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    if (g->format == PLOT_FORMAT_PNG) {
        g->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w), (int)ceil(h));
    } else if (g->format == PLOT_FORMAT_SVG) {
        g->surface = cairo_svg_surface_create_for_stream(write_file, g->file, w * PX_TO_PT, h * PX_TO_PT);
    } else {
        g->surface = cairo_pdf_surface_create_for_stream(write_file, g->file, w * PX_TO_PT, h * PX_TO_PT);
        if (cairo_surface_status(g->surface) == CAIRO_STATUS_SUCCESS) {
            cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_CREATOR, "bmc");
            char clean[256];
            if (title) cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_TITLE,
                                                      clean_utf8(title, clean, sizeof clean));
        }
    }
    g->cr = cairo_create(g->surface);
    cairo_status_t st = cairo_status(g->cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(g->cr);
        cairo_surface_destroy(g->surface);
        fclose(g->file);
        remove(path);
        return fail(err, errlen, "cannot write '%s': %s", path, cairo_status_to_string(st));
    }
    if (g->format != PLOT_FORMAT_PNG) cairo_scale(g->cr, PX_TO_PT, PX_TO_PT);
    cairo_set_source_rgb(g->cr, 1, 1, 1);
    cairo_paint(g->cr);
    return 0;
}

/* Finishes the file; a failed figure (ok false) is removed. */
static int figure_close(Figure *g, bool ok, char *err, size_t errlen)
{
    cairo_status_t st = cairo_status(g->cr);
    cairo_destroy(g->cr);
    if (ok && st == CAIRO_STATUS_SUCCESS) {
        if (g->format == PLOT_FORMAT_PNG) st = cairo_surface_write_to_png_stream(g->surface, write_file, g->file);
        cairo_surface_finish(g->surface);
        if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(g->surface);
    }
    cairo_surface_destroy(g->surface);
    int closed = fclose(g->file);
    int closed_errno = errno;
    if (!ok) {
        remove(g->path);
        return -1;
    }
    if (st != CAIRO_STATUS_SUCCESS || closed != 0) {
        remove(g->path);
        return fail(err, errlen, "cannot write '%s': %s", g->path,
                    st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : strerror(closed_errno));
    }
    return 0;
}

/* The title line: the model's name and what is shown, at the left. */
static double header(cairo_t *cr, const char *title, const char *what)
{
    double x = 16;
    if (title && *title) {
        set_grey(cr, 0.1);
        text(cr, title, x, 14, 16, true, 0.0, 0.0);
        x += text_width(cr, title, 16, true) + 12;
    }
    set_grey(cr, 0.35);
    text(cr, what, x, 16, FONT_LABEL, false, 0.0, 0.0);
    return x + text_width(cr, what, FONT_LABEL, false);
}

/* A legend of coloured lines, right-aligned at x_right on line y. */
static void legend(cairo_t *cr, double x_right, double y, int n, const char *const *labels, const char *fallback)
{
    double widths[10], total = 0.0;
    char buf[10][64];
    int shown = n < 10 ? n : 10;    /* tab10 repeats after ten */
    for (int k = 0; k < shown; k++) {
        if (labels && labels[k]) clean_utf8(labels[k], buf[k], sizeof buf[k]);
        else snprintf(buf[k], sizeof buf[k], "%s %d", fallback, k + 1);
        widths[k] = 24 + text_width(cr, buf[k], FONT_LABEL, false) + 16;
        total += widths[k];
    }
    double x = x_right - total;
    for (int k = 0; k < shown; k++) {
        set_tab10(cr, k, 1.0);
        cairo_set_line_width(cr, 3);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + 18, y);
        cairo_stroke(cr);
        set_grey(cr, 0.2);
        text(cr, buf[k], x + 24, y, FONT_LABEL, false, 0.0, 0.5);
        x += widths[k];
    }
}

static void footnote(cairo_t *cr, double y, int shown, int total)
{
    char buf[128];
    snprintf(buf, sizeof buf, "showing %d of %d variables; choose others with --vars", shown, total);
    set_grey(cr, 0.35);
    text(cr, buf, 16, y, FONT_TICK, false, 0.0, 0.0);
}

/* ------------------------------------------------------------------ */
/* Trace plots                                                         */
/* ------------------------------------------------------------------ */

/* A small black tick at the bottom of f at x, on a whole pixel so that
** it stays crisp. */
static void divergence_tick(cairo_t *cr, const Frame *f, double x)
{
    double px = floor(fx(f, x)) + 0.5;
    cairo_move_to(cr, px, f->y + f->h);
    cairo_line_to(cr, px, f->y + f->h - 9);
}

static bool divergent_at(const Draws *d, const int *divergent, int stride, int c, int i)
{
    return divergent && stride >= d->ndraws && divergent[(size_t)c * (size_t)stride + (size_t)i];
}

static int trace_row(cairo_t *cr, const Draws *d, const View *w, const int *divergent, int stride, double top,
                     bool last, double *buf)
{
    /* left: densities per chain */
    Frame f = { 70, top + 30, 370, TRACE_ROW_H - 78, 0, 1, 0, 1 };
    view_xrange(w, &f.x0, &f.x1);
    Curve *curves = malloc((size_t)d->nchains * sizeof *curves);
    if (curves == NULL) return -1;
    double ymax = 0.0;
    for (int c = 0; c < d->nchains; c++) {
        size_t n = finite_draws(d, w->v, c, buf);
        if (view_curve(w, buf, n, &curves[c]) != 0) {
            free(curves);
            return -1;
        }
        ymax = fmax(ymax, curves[c].ymax);
    }
    f.y1 = (ymax > 0.0 ? ymax : 1.0) * 1.08;
    Ticks xt, yt;
    ticks_make(cr, &xt, f.x0, f.x1, f.w, true, w->discrete);
    ticks_make(cr, &yt, f.y0, f.y1, f.h, false, false);
    frame_grid(cr, &f, &xt, &yt);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    for (int c = 0; c < d->nchains; c++) curve_draw(cr, &f, &curves[c], c, 1.5, c, d->nchains);
    cairo_restore(cr);
    free(curves);

    /* right: draws against iteration */
    Frame t = { 535, top + 30, 445, TRACE_ROW_H - 78, 0, d->ndraws > 1 ? d->ndraws - 1 : 1, w->lo, w->hi };
    pad(&t.y0, &t.y1, 0.05);
    Ticks it, vt;
    ticks_make(cr, &it, t.x0, t.x1, t.w, true, true);
    ticks_make(cr, &vt, t.y0, t.y1, t.h, false, w->discrete);
    frame_grid(cr, &t, &it, &vt);
    cairo_save(cr);
    cairo_rectangle(cr, t.x, t.y, t.w, t.h);
    cairo_clip(cr);
    cairo_set_line_width(cr, 1.0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (int c = 0; c < d->nchains; c++) {
        const double *x = draws_at_const(d, w->v, c);
        bool pen = false;
        for (int i = 0; i < d->ndraws; i++) {
            if (!isfinite(x[i])) { pen = false; continue; }
            if (pen) cairo_line_to(cr, fx(&t, i), fy(&t, x[i]));
            else cairo_move_to(cr, fx(&t, i), fy(&t, x[i]));
            pen = true;
        }
        set_tab10(cr, c, d->nchains > 1 ? 0.7 : 1.0);   /* later chains must not hide earlier ones */
        cairo_stroke(cr);
        /* a draw with no finite neighbour makes no line: a dot instead */
        for (int i = 0; i < d->ndraws; i++) {
            bool alone = isfinite(x[i]) && (i == 0 || !isfinite(x[i - 1])) &&
                         (i == d->ndraws - 1 || !isfinite(x[i + 1]));
            if (!alone) continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, fx(&t, i), fy(&t, x[i]), 2.5, 0, 2 * M_PI);
        }
        cairo_fill(cr);
    }
    /* divergent draws, as ArviZ marks them: at the bottom of both panels */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.0);
    for (int c = 0; c < d->nchains; c++)
        for (int i = 0; i < d->ndraws; i++)
            if (divergent_at(d, divergent, stride, c, i)) divergence_tick(cr, &t, i);
    cairo_stroke(cr);
    cairo_restore(cr);
    for (int c = 0; c < d->nchains; c++) {
        const double *x = draws_at_const(d, w->v, c);
        for (int i = 0; i < d->ndraws; i++)
            if (divergent_at(d, divergent, stride, c, i) && isfinite(x[i])) divergence_tick(cr, &f, x[i]);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);

    frame_axes(cr, &f, &xt, &yt);
    frame_axes(cr, &t, &it, &vt);
    set_grey(cr, 0.1);
    text(cr, w->name, f.x + f.w / 2, top + 8, FONT_TITLE, true, 0.5, 0.0);
    text(cr, w->name, t.x + t.w / 2, top + 8, FONT_TITLE, true, 0.5, 0.0);
    set_grey(cr, 0.35);
    text_up(cr, w->discrete ? "share of draws" : "density", 16, f.y + f.h / 2, FONT_TICK);
    if (last) text(cr, "draw", t.x + t.w / 2, t.y + t.h + 24, FONT_TICK, false, 0.5, 0.0);
    if (w->n == 0) text(cr, "no finite draws", f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
    return 0;
}

static int count_divergent(const Draws *d, const int *divergent, int stride)
{
    int n = 0;
    for (int c = 0; c < d->nchains; c++)
        for (int i = 0; i < d->ndraws; i++) n += divergent_at(d, divergent, stride, c, i);
    return n;
}

static int plot_trace(Figure *g, const Draws *d, const View *views, int nviews, int total, const int *divergent,
                      int stride, const PlotOptions *o)
{
    cairo_t *cr = g->cr;
    char what[160];
    int ndiv = count_divergent(d, divergent, stride);
    int len = snprintf(what, sizeof what, "%d chain%s \xc3\x97 %d draws", d->nchains, d->nchains == 1 ? "" : "s",
                       d->ndraws);
    if (ndiv > 0)
        snprintf(what + len, sizeof what - (size_t)len, ", %d divergent (black ticks)", ndiv);
    header(cr, o->title, what);
    if (d->nchains > 1) legend(cr, FIG_W - 20, 22, d->nchains, NULL, "chain");
    double *buf = malloc(((size_t)d->ndraws ? (size_t)d->ndraws : 1) * sizeof *buf);
    if (buf == NULL) return -1;
    for (int r = 0; r < nviews; r++)
        if (trace_row(cr, d, &views[r], divergent, stride, HEADER_H + r * TRACE_ROW_H, r == nviews - 1, buf) != 0) {
            free(buf);
            return -1;
        }
    free(buf);
    if (nviews < total) footnote(cr, HEADER_H + nviews * TRACE_ROW_H + 4, nviews, total);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Posterior plots                                                     */
/* ------------------------------------------------------------------ */

/* A label on a white box, so that it reads over the curve. */
static void boxed_text(cairo_t *cr, const char *s, double x, double y, double size, double ax, double left,
                       double right)
{
    double w = text_width(cr, s, size, false);
    double x0 = x - ax * w;
    if (x0 + w > right) x0 = right - w;
    if (x0 < left) x0 = left;
    cairo_save(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x0 - 3, y - 2, w + 6, size + 6);
    cairo_fill(cr);
    cairo_restore(cr);
    text(cr, s, x0, y, size, false, 0.0, 0.0);
}

static int posterior_panel(cairo_t *cr, const View *w, const PlotOptions *o, double px, double py, double pw)
{
    Curve c;
    if (view_curve(w, w->sorted, w->n, &c) != 0) return -1;   /* already sorted: sorting again is a no-op */
    bool has_ref = o->ref_val_given || strncmp(w->name, "diff", 4) == 0;
    double ref = o->ref_val_given ? o->ref_val : 0.0;
    Frame f = { px + 14, py + 52, pw - 28, POST_ROW_H - 96, 0, 1, 0, 1 };
    view_xrange(w, &f.x0, &f.x1);
    if (has_ref && isfinite(ref) && w->n > 0) {
        /* the reference line belongs in the picture: it answers the question */
        double span = f.x1 - f.x0;
        if (ref < f.x0) f.x0 = ref - 0.03 * span;
        if (ref > f.x1) f.x1 = ref + 0.03 * span;
    }
    /* headroom for the reference label above the curve */
    f.y1 = (c.ymax > 0.0 ? c.ymax : 1.0) * (has_ref ? 1.25 : 1.08);
    Ticks xt;
    ticks_make(cr, &xt, f.x0, f.x1, f.w, true, w->discrete);
    frame_grid(cr, &f, &xt, NULL);
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y - 2, f.w, f.h + 2);
    cairo_clip(cr);
    curve_draw(cr, &f, &c, 0, 2.0, 0, 1);
    cairo_restore(cr);
    frame_axes(cr, &f, &xt, NULL);

    char buf[96], lo[32], hi[32];
    set_grey(cr, 0.1);
    text(cr, w->name, px + pw / 2, py + 6, FONT_TITLE, true, 0.5, 0.0);
    if (w->n == 0) {
        text(cr, "no finite draws", f.x + f.w / 2, f.y + f.h / 2, FONT_LABEL, false, 0.5, 0.5);
        return 0;
    }
    fmt_value(lo, sizeof lo, w->mean);
    snprintf(buf, sizeof buf, "mean=%s", lo);
    boxed_text(cr, buf, fx(&f, w->mean), py + 28, FONT_LABEL + 1, 0.5, f.x, f.x + f.w);

    if (has_ref && isfinite(ref)) {
        double rx = fx(&f, ref);
        cairo_set_source_rgb(cr, TAB10[1][0], TAB10[1][1], TAB10[1][2]);
        cairo_set_line_width(cr, 1.5);
        cairo_set_dash(cr, (double[]){ 6, 3 }, 2, 0);
        cairo_move_to(cr, rx, f.y + f.h);
        cairo_line_to(cr, rx, f.y + 4);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        plot_ref_text(w->sorted, w->n, ref, buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.75, 0.35, 0.0);
        boxed_text(cr, buf, rx, f.y + 2, FONT_LABEL, 0.5, f.x, f.x + f.w);
    }

    if (isfinite(w->hdi_lo) && isfinite(w->hdi_hi)) {
        /* the HDI bar sits on the axis, its ends labelled above it */
        double y = f.y + f.h - 3, x0 = fx(&f, w->hdi_lo), x1 = fx(&f, w->hdi_hi);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 5);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1 > x0 + 2 ? x1 : x0 + 2, y);
        cairo_stroke(cr);
        fmt_value(lo, sizeof lo, w->hdi_lo);
        fmt_value(hi, sizeof hi, w->hdi_hi);
        double lw = text_width(cr, lo, FONT_LABEL, false), hw = text_width(cr, hi, FONT_LABEL, false);
        double ly = y - 6 - FONT_LABEL - 4;
        if (strcmp(lo, hi) == 0) {
            boxed_text(cr, lo, x0, ly, FONT_LABEL, 0.5, f.x, f.x + f.w);
        } else {
            /* centred on the ends when there is room, else pushed apart */
            double ax0 = 0.5, ax1 = 0.5;
            if (x1 - x0 < 0.5 * (lw + hw) + 8) ax0 = 1.0, ax1 = 0.0;
            boxed_text(cr, lo, x0, ly, FONT_LABEL, ax0, f.x, f.x + f.w);
            boxed_text(cr, hi, x1, ly, FONT_LABEL, ax1, f.x, f.x + f.w);
        }
        snprintf(buf, sizeof buf, "%g%% HDI", 100.0 * o->hdi_prob);
        boxed_text(cr, buf, 0.5 * (x0 + x1), ly - FONT_LABEL - 10, FONT_LABEL, 0.5, f.x, f.x + f.w);
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
    header(cr, o->title, what);
    int cols = nviews < 3 ? nviews : 3;
    double pw = (FIG_W - 20) / cols;
    for (int k = 0; k < nviews; k++) {
        double px = 10 + (k % cols) * pw, py = HEADER_H + (k / cols) * POST_ROW_H;
        if (posterior_panel(cr, &views[k], o, px, py, pw) != 0) return -1;
    }
    int rows = (nviews + cols - 1) / cols;
    if (nviews < total) footnote(cr, HEADER_H + rows * POST_ROW_H + 4, nviews, total);
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
    header(cr, o->title, what);
    if (nmodels > 1) legend(cr, FOREST_W - 20, 22, nmodels, labels, "model");

    double names_w = 0.0;
    for (int v = 0; v < nviews; v++) names_w = fmax(names_w, text_width(cr, views[0][v].name, FONT_LABEL, false));
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
    widen(&f.x0, &f.x1);
    pad(&f.x0, &f.x1, 0.05);
    Ticks xt;
    ticks_make(cr, &xt, f.x0, f.x1, f.w, true, false);
    /* alternate bands tell the variables apart */
    for (int v = 1; v < nviews; v += 2) {
        cairo_set_source_rgb(cr, 0.965, 0.965, 0.965);
        cairo_rectangle(cr, f.x, f.y + v * group, f.w, group);
        cairo_fill(cr);
    }
    frame_grid(cr, &f, &xt, NULL);
    if (o->ref_val_given && isfinite(o->ref_val)) {
        set_grey(cr, 0.45);
        cairo_set_line_width(cr, 1.0);
        cairo_set_dash(cr, (double[]){ 5, 3 }, 2, 0);
        cairo_move_to(cr, fx(&f, o->ref_val), f.y);
        cairo_line_to(cr, fx(&f, o->ref_val), f.y + f.h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int v = 0; v < nviews; v++) {
        set_grey(cr, 0.1);
        text(cr, views[0][v].name, 16, f.y + v * group + FOREST_GAP / 2 + nmodels * FOREST_ROW_H / 2, FONT_LABEL,
             false, 0.0, 0.5);
        for (int m = 0; m < nmodels; m++) {
            const View *w = &views[m][v];
            double y = f.y + v * group + FOREST_GAP / 2 + (m + 0.5) * FOREST_ROW_H;
            if (w->n == 0) continue;
            set_tab10(cr, m, 1.0);
            if (isfinite(w->hdi_lo) && isfinite(w->hdi_hi)) {
                cairo_set_line_width(cr, 1.5);
                cairo_move_to(cr, fx(&f, w->hdi_lo), y);
                cairo_line_to(cr, fx(&f, w->hdi_hi), y);
                cairo_stroke(cr);
            }
            cairo_set_line_width(cr, 5);
            cairo_move_to(cr, fx(&f, w->q25), y);
            cairo_line_to(cr, fmax(fx(&f, w->q75), fx(&f, w->q25) + 1), y);
            cairo_stroke(cr);
            cairo_arc(cr, fx(&f, w->mean), y, 4.5, 0, 2 * M_PI);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 1.2);
            cairo_stroke(cr);
        }
    }
    frame_axes(cr, &f, &xt, NULL);
    if (nviews < total) footnote(cr, f.y + f.h + 30, nviews, total);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static int build_views(const Draws *d, const VarSummary *s, const int *idx, int n, double hdi_prob, View *out)
{
    for (int k = 0; k < n; k++)
        if (view_init(&out[k], d, idx[k], s, hdi_prob) != 0) {
            for (int j = 0; j <= k; j++) view_free(&out[j]);
            return -1;
        }
    return 0;
}

static void free_views(View *w, int n)
{
    for (int k = 0; w && k < n; k++) view_free(&w[k]);
    free(w);
}

static double figure_height(PlotKind kind, int nviews, int total, int nmodels)
{
    double note = nviews < total ? 28.0 : 10.0;
    if (kind == PLOT_TRACE) return HEADER_H + nviews * TRACE_ROW_H + note;
    if (kind == PLOT_POSTERIOR) {
        int cols = nviews < 3 ? nviews : 3;
        return HEADER_H + (nviews + cols - 1) / cols * POST_ROW_H + note;
    }
    return HEADER_H + 10 + nviews * (nmodels * FOREST_ROW_H + FOREST_GAP) + 34 + note;
}

/* Draws views[m][0 .. nviews-1] of nmodels models to path. */
static int render(const char *path, PlotKind kind, int nmodels, const char *const *labels, const Draws *d,
                  View *const *views, int nviews, int total, const int *divergent, int stride,
                  const PlotOptions *o, char *err, size_t errlen)
{
    Figure g;
    double w = kind == PLOT_FOREST ? FOREST_W : FIG_W;
    if (figure_open(&g, path, w, figure_height(kind, nviews, total, nmodels), o->title, err, errlen) != 0)
        return -1;
    int rc;
    if (kind == PLOT_TRACE) rc = plot_trace(&g, d, views[0], nviews, total, divergent, stride, o);
    else if (kind == PLOT_POSTERIOR) rc = plot_posterior(&g, views[0], nviews, total, d, o);
    else rc = plot_forest(&g, nmodels, labels, views, nviews, total, o);
    if (rc != 0 && errlen > 0) snprintf(err, errlen, "cannot draw '%s': out of memory", path);
    return figure_close(&g, rc == 0, err, errlen);
}

int plot_draws(const char *path, const Draws *d, const VarSummary *s, const int *divergent, int stride,
               const PlotOptions *o, char *err, size_t errlen)
{
    if (err && errlen > 0) err[0] = '\0';
    const char *name = path ? path : "(null)";
    if (path == NULL || plot_format_of(path) == PLOT_FORMAT_NONE)
        return fail(err, errlen, "cannot write '%s': %s", name, "the name must end in .png, .svg or .pdf");
    if (d == NULL || o == NULL || d->nvars == 0 || d->ndraws <= 0 || (o->which && o->nwhich <= 0))
        return fail(err, errlen, "cannot draw '%s': %s", name, "nothing to draw (no draws or no variables)");
    int total = o->which ? o->nwhich : d->nvars;
    for (int k = 0; o->which && k < o->nwhich; k++)
        if (o->which[k] < 0 || o->which[k] >= d->nvars)
            return fail(err, errlen, "cannot draw '%s': %s", name, "a selected variable does not exist");
    int cap = o->kind == PLOT_FOREST ? MAX_FOREST : MAX_PANELS;
    int n = total < cap ? total : cap;
    int *idx = calloc((size_t)n, sizeof *idx);
    View *views = calloc((size_t)n, sizeof *views);
    if (idx == NULL || views == NULL) {
        free(idx);
        free(views);
        return fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
    }
    for (int k = 0; k < n; k++) idx[k] = o->which ? o->which[k] : k;
    int rc = build_views(d, s, idx, n, o->hdi_prob, views);
    free(idx);
    if (rc != 0) {
        free(views);
        return fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
    }
    View *const models[1] = { views };
    rc = render(path, o->kind, 1, NULL, d, models, n, total, divergent, stride, o, err, errlen);
    free_views(views, n);
    return rc;
}

int plot_forest_models(const char *path, int nmodels, const char *const *labels, const Draws *const *d,
                       const VarSummary *const *s, const PlotOptions *o, char *err, size_t errlen)
{
    if (err && errlen > 0) err[0] = '\0';
    const char *name = path ? path : "(null)";
    if (path == NULL || plot_format_of(path) == PLOT_FORMAT_NONE)
        return fail(err, errlen, "cannot write '%s': %s", name, "the name must end in .png, .svg or .pdf");
    if (nmodels < 1 || d == NULL || o == NULL)
        return fail(err, errlen, "cannot draw '%s': %s", name, "nothing to draw (no models)");
    for (int m = 0; m < nmodels; m++)
        if (d[m] == NULL || d[m]->ndraws <= 0 || d[m]->nvars == 0)
            return fail(err, errlen, "cannot draw '%s': %s", name, "a model has no draws");
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
        fail(err, errlen, "cannot draw '%s': %s", name, "the models share no variable to compare");
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
    rc = render(path, PLOT_FOREST, nmodels, labels, d[0], views, n, total, NULL, 0, o, err, errlen);
    goto out;
oom:
    fail(err, errlen, "cannot draw '%s': %s", name, "out of memory");
out:
    for (int m = 0; m < nmodels; m++) {
        if (idx) free(idx[m]);
        if (views) free_views(views[m], n);
    }
    free(idx);
    free(views);
    return rc;
}
