/*
** termplot.c -- densities sketched with characters for a terminal.
**
** Every picture is the same few lines: an optional label, `height` rows
** of bars (eighth blocks in UTF-8, '#' and '.' for whole and half cells
** in ASCII), the x axis with tick marks, the tick values, and a marker
** row with the interval as a line and the mean as '│' (ASCII '^').  No
** line is wider than `width` columns.
**
** Column j of w shows [lo + j (hi-lo)/w, lo + (j+1)(hi-lo)/w), so a value
** x is drawn in column floor((x - lo) / (hi - lo) * w).  Integers get one
** slot of columns each (their axis runs from k0 - 1/2 to k1 + 1/2), or
** share columns when there are more integers than columns.
**
** Ticks sit at multiples of the finest 1-2-5 step whose labels fit, and
** each label has the digits down to the step's and no more, so that
** neighbours always read differently (999.999998, 1000.000000).
*/
#include "termplot.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_histogram.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "diagnostics.h"

#define MAX_WIDTH     4096
#define MAX_HEIGHT    512
#define MAX_INTEGERS  1000000       /* a discrete curve's integers, at most */
#define MAX_TICKS     6
#define TICK_GAP      2             /* spaces at least between tick labels */

#define ANSI_BARS     "\x1b[36m"
#define ANSI_MARKS    "\x1b[33m"
#define ANSI_RESET    "\x1b[0m"

/* ▁▂▃▄▅▆▇█: U+2581 .. U+2588 */
static const char *const BLOCKS[9] = {
    " ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
    "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
#define UTF8_HLINE    "\xe2\x94\x80"    /* ─ */
#define UTF8_TICK     "\xe2\x94\xac"    /* ┬ */
#define UTF8_MEAN     "\xe2\x94\x82"    /* │ */

/* The picture's horizontal scale. */
typedef struct Axis {
    double lo, hi;
    int cols;           /* columns used, at most the width asked for */
    bool integers;      /* ticks at whole numbers only */
} Axis;

static int column_of(const Axis *a, double x)
{
    double j = floor((x - a->lo) / (a->hi - a->lo) * a->cols);
    if (!(j >= 0.0)) return 0;          /* NaN too */
    return j >= a->cols ? a->cols - 1 : (int)j;
}

static bool usable(const TermPlotOptions *o)
{
    return o && o->width >= 1 && o->width <= MAX_WIDTH && o->height >= 1 && o->height <= MAX_HEIGHT;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

/* The label, cut to width columns (UTF-8 sequences count one column). */
static void put_label(FILE *f, const char *s, int width)
{
    int cols = 0;
    const char *p = s;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (cols == width) break;
            cols++;
        }
    }
    fwrite(s, 1, (size_t)(p - s), f);
    fputc('\n', f);
}

/* The bars, top row first: y scaled so that its largest value fills
** every row. */
static void put_bars(FILE *f, const double *y, const Axis *a, const TermPlotOptions *o)
{
    double top = 0.0;
    for (int j = 0; j < a->cols; j++) top = fmax(top, y[j]);
    int steps = o->utf8 ? 8 : 2;        /* eighths of a cell, or halves */
    for (int r = 0; r < o->height; r++) {
        int floor_steps = (o->height - 1 - r) * steps, last = -1;
        int cells[MAX_WIDTH];
        for (int j = 0; j < a->cols; j++) {
            long total = top > 0.0 ? lround(y[j] / top * o->height * steps) : 0;
            if (total == 0 && y[j] > 0.0 && a->integers) total = 1;   /* a possible value shows */
            long e = total - floor_steps;
            cells[j] = e < 0 ? 0 : e > steps ? steps : (int)e;
            if (cells[j] > 0) last = j;
        }
        if (o->color && last >= 0) fputs(ANSI_BARS, f);
        for (int j = 0; j <= last; j++) {
            if (o->utf8) fputs(BLOCKS[cells[j]], f);
            else fputc(cells[j] == 2 ? '#' : cells[j] == 1 ? '.' : ' ', f);
        }
        if (o->color && last >= 0) fputs(ANSI_RESET, f);
        fputc('\n', f);
    }
}

/* A 1-2-5 step, mant * 10^exp, kept as its digits so that every tick is
** an exact decimal: k * mant is a whole number, scaled by an exact power
** of ten in one rounding, gives the double nearest k * step. */
typedef struct Step {
    int mant;           /* 1, 2 or 5 */
    int exp;
} Step;

/* 10^e for e >= 0: exact up to 10^22, as doubles hold those exactly. */
static double ten_to(int e)
{
    double p = 1.0;
    for (int i = 0; i < e; i++) p *= 10.0;
    return p;
}

static double step_value(Step s)
{
    return s.exp >= 0 ? s.mant * ten_to(s.exp) : s.mant / ten_to(-s.exp);
}

static double tick_value(double k, Step s)
{
    double v = s.exp >= 0 ? k * s.mant * ten_to(s.exp) : k * s.mant / ten_to(-s.exp);
    return v == 0.0 ? 0.0 : v;          /* no "-0" */
}

static Step step_up(Step s)
{
    if (s.mant == 1) return (Step){ 2, s.exp };
    if (s.mant == 2) return (Step){ 5, s.exp };
    return (Step){ 1, s.exp + 1 };
}

/* The largest 1-2-5 step at most x (x a normal positive number). */
static Step step_below(double x)
{
    Step s = { 1, (int)floor(log10(x)) };
    if (step_value(s) > x) s.exp--;     /* log10 rounded up to a whole number */
    for (Step t = step_up(s); step_value(t) <= x; t = step_up(t)) s = t;
    return s;
}

typedef enum { TICK_FIXED, TICK_SCIENTIFIC } TickStyle;

/* The tick k steps from 0, written down to the step's last digit and no
** further, so neighbouring ticks always read differently.  Returns the
** length snprintf would write. */
static int format_tick(char *buf, size_t len, double k, Step s, TickStyle style)
{
    double v = tick_value(k, s);
    if (style == TICK_FIXED) return snprintf(buf, len, "%.*f", s.exp < 0 ? -s.exp : 0, v);
    if (v == 0.0) return snprintf(buf, len, "0");
    /* the digits of the whole number k * mant, all but the first after the point */
    int digits = snprintf(NULL, 0, "%.0f", fabs(k * s.mant)) - 1;
    return snprintf(buf, len, "%.*e", digits > 16 ? 16 : digits, v);
}

typedef struct Tick {
    int col;            /* where the tick mark is */
    int start;          /* where its label begins */
    char label[32];
} Tick;

/* The ticks at one step: fills t and returns how many, or -1 when there
** are more than MAX_TICKS, or their labels overlap, come closer than
** TICK_GAP, or read the same.  All labels share one style, fixed point
** unless scientific notation makes the longest one shorter. */
static int layout_ticks(const Axis *a, Step s, Tick *t)
{
    double step = step_value(s);
    /* a value less than half a column past an end is drawn in the end
    ** column (0 under draws from 0.0003 to 0.9997); integers are ticked
    ** only where there is one */
    double slack = a->integers ? 0.0 : 0.5 * (a->hi - a->lo) / a->cols;
    double k0 = ceil((a->lo - slack) / step), k1 = floor((a->hi + slack) / step);
    if (!(k1 - k0 < MAX_TICKS)) return -1;
    int n = k1 < k0 ? 0 : (int)(k1 - k0) + 1;
    int widest[2] = { 0, 0 };
    for (int i = 0; i < n; i++) {
        if (!isfinite(tick_value(k0 + i, s))) return -1;
        for (int style = TICK_FIXED; style <= TICK_SCIENTIFIC; style++) {
            int len = format_tick(NULL, 0, k0 + i, s, (TickStyle)style);
            if (len > widest[style]) widest[style] = len;
        }
    }
    TickStyle style = widest[TICK_SCIENTIFIC] < widest[TICK_FIXED] ? TICK_SCIENTIFIC : TICK_FIXED;
    if (widest[style] >= (int)sizeof t->label || widest[style] > a->cols) return -1;
    int end = -TICK_GAP;        /* one past the last label placed */
    for (int i = 0; i < n; i++) {
        Tick *tk = &t[i];
        int len = format_tick(tk->label, sizeof tk->label, k0 + i, s, style);
        tk->col = column_of(a, tick_value(k0 + i, s));
        tk->start = tk->col - len / 2;
        if (tk->start + len > a->cols) tk->start = a->cols - len;
        if (tk->start < 0) tk->start = 0;
        if (tk->start < end + TICK_GAP || (i > 0 && strcmp(tk->label, t[i - 1].label) == 0)) return -1;
        end = tk->start + len;
    }
    return n;
}

/* The finest 1-2-5 step whose ticks fit; returns how many there are. */
static int make_ticks(const Axis *a, Tick *t)
{
    double span = a->hi - a->lo;
    if (!(span >= 1e-300 && span <= 1e300)) return 0;      /* steps stay normal numbers */
    Step s = step_below(span / MAX_TICKS);
    if (a->integers && s.exp < 0) s = (Step){ 1, 0 };
    /* coarser and coarser until one fits, giving up at a thousand spans */
    for (; step_value(s) <= 1e3 * span; s = step_up(s)) {
        int n = layout_ticks(a, s, t);
        if (n > 0) return n;
    }
    return 0;
}

static void put_axis(FILE *f, const Axis *a, const Tick *t, int nt, bool utf8)
{
    for (int j = 0, k = 0; j < a->cols; j++) {
        bool tick = k < nt && t[k].col == j;
        while (k < nt && t[k].col <= j) k++;
        fputs(tick ? (utf8 ? UTF8_TICK : "+") : (utf8 ? UTF8_HLINE : "-"), f);
    }
    fputc('\n', f);
}

static void put_tick_labels(FILE *f, const Tick *t, int nt)
{
    int at = 0;
    for (int k = 0; k < nt; k++) {
        for (; at < t[k].start; at++) fputc(' ', f);
        fputs(t[k].label, f);
        at += (int)strlen(t[k].label);
    }
    fputc('\n', f);
}

/* The interval as a line and the mean on it; nothing when neither is
** given. */
static void put_marks(FILE *f, const Axis *a, const TermPlotOptions *o)
{
    bool interval = isfinite(o->mark_lo) && isfinite(o->mark_hi) && o->mark_lo <= o->mark_hi;
    bool mean = isfinite(o->mark_mean);
    if (!interval && !mean) return;
    int from = interval ? column_of(a, o->mark_lo) : a->cols, to = interval ? column_of(a, o->mark_hi) : -1;
    int m = mean ? column_of(a, o->mark_mean) : -1;
    int last = to > m ? to : m;
    if (o->color) fputs(ANSI_MARKS, f);
    for (int j = 0; j <= last; j++) {
        if (j == m) fputs(o->utf8 ? UTF8_MEAN : "^", f);
        else if (j >= from && j <= to) fputs(o->utf8 ? UTF8_HLINE : "-", f);
        else fputc(' ', f);
    }
    if (o->color) fputs(ANSI_RESET, f);
    fputc('\n', f);
}

static int put_picture(FILE *f, const double *y, const Axis *a, const TermPlotOptions *o)
{
    Tick ticks[MAX_TICKS];
    int nt = make_ticks(a, ticks);
    if (o->label) put_label(f, o->label, o->width);
    put_bars(f, y, a, o);
    put_axis(f, a, ticks, nt, o->utf8);
    put_tick_labels(f, ticks, nt);
    put_marks(f, a, o);
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Integers                                                            */
/* ------------------------------------------------------------------ */

/* Lays out the integers k0 .. k0 + K - 1 with masses p[k]: one bar per
** integer in a slot of equal columns when they fit, else summed per
** column.  Fills y (width values) and the axis. */
static void integer_columns(const double *p, long K, double k0, const TermPlotOptions *o, double *y, Axis *a)
{
    a->lo = k0 - 0.5;
    a->hi = k0 + (double)K - 0.5;
    a->integers = true;
    memset(y, 0, (size_t)o->width * sizeof *y);
    if (K <= o->width) {
        int slot = o->width / (int)K;
        int bar = slot >= 2 ? (slot - 1 < 3 ? slot - 1 : 3) : 1;
        a->cols = (int)K * slot;
        for (long k = 0; k < K; k++) {
            int centre = (int)k * slot + slot / 2;
            for (int b = 0; b < bar; b++) y[centre - (bar - 1) / 2 + b] = p[k];
        }
    } else {
        a->cols = o->width;
        for (long k = 0; k < K; k++) y[column_of(a, k0 + (double)k)] += p[k];
    }
}

/* Stretches the axis to take in the marks that are given. */
static void take_in_marks(const TermPlotOptions *o, double *lo, double *hi)
{
    const double marks[3] = { o->mark_lo, o->mark_hi, o->mark_mean };
    for (int k = 0; k < 3; k++)
        if (isfinite(marks[k])) {
            *lo = fmin(*lo, marks[k]);
            *hi = fmax(*hi, marks[k]);
        }
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

/* A Gaussian blur of the histogram, as wide as Silverman's bandwidth, so
** that a few thousand draws give a smooth outline; mirrored at the ends,
** so that draws piled against a bound keep their height there. */
static void smooth(const double *h, int n, double sigma, double *out)
{
    if (!(sigma >= 0.5)) {
        memcpy(out, h, (size_t)n * sizeof *out);
        return;
    }
    int reach = (int)ceil(3.0 * sigma);
    if (reach > n - 1) reach = n - 1;   /* one reflection at each end suffices */
    for (int j = 0; j < n; j++) {
        double sum = 0.0;
        for (int k = j - reach; k <= j + reach; k++) {
            int src = k < 0 ? -1 - k : k >= n ? 2 * n - 1 - k : k;
            sum += h[src] * exp(-0.5 * (k - j) * (k - j) / (sigma * sigma));
        }
        out[j] = sum;
    }
}

static int draws_continuous(FILE *f, const double *x, size_t n, double lo, double hi, const TermPlotOptions *o)
{
    Axis a = { lo, hi, o->width, false };
    int w = o->width;
    double *counts = calloc((size_t)w * 2, sizeof *counts);
    gsl_histogram *h = gsl_histogram_alloc((size_t)w);
    if (counts == NULL || h == NULL) {
        free(counts);
        gsl_histogram_free(h);
        return -1;
    }
    /* the same half-open columns as column_of, the last one closed */
    gsl_histogram_set_ranges_uniform(h, lo, hi);
    for (size_t i = 0; i < n; i++) {
        if (x[i] >= hi) gsl_histogram_accumulate(h, nextafter(hi, lo), 1.0);
        else gsl_histogram_increment(h, x[i]);
    }
    for (int j = 0; j < w; j++) counts[j] = gsl_histogram_get(h, (size_t)j);
    gsl_histogram_free(h);
    double sd = n > 1 ? diag_sd(x, n) : 0.0;
    double iqr = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.75) - gsl_stats_quantile_from_sorted_data(x, 1, n, 0.25);
    double bw = 0.9 * (iqr > 0.0 ? fmin(sd, iqr / 1.34) : sd) * pow((double)n, -0.2);
    smooth(counts, w, bw / ((hi - lo) / w), counts + w);
    int rc = put_picture(f, counts + w, &a, o);
    free(counts);
    return rc;
}

int termplot_draws(FILE *f, const double *x, size_t n, const TermPlotOptions *o)
{
    if (f == NULL || x == NULL || n == 0 || !usable(o)) return -1;
    double *v = malloc(n * sizeof *v);
    if (v == NULL) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) v[m++] = x[i];
    if (m == 0) {
        free(v);
        return -1;
    }
    gsl_sort(v, 1, m);
    double lo = v[0], hi = v[m - 1];
    bool integers = hi - lo < (double)o->width;
    for (size_t i = 0; i < m && integers; i++) integers = v[i] == floor(v[i]);
    int rc;
    if (integers) {
        /* counts per integer, drawn as bars like a discrete distribution,
        ** over the integers the marks need too when they fit */
        double mlo = lo, mhi = hi;
        take_in_marks(o, &mlo, &mhi);
        mlo = floor(mlo);
        mhi = ceil(mhi);
        if (mhi - mlo < (double)o->width) {
            lo = mlo;
            hi = mhi;
        }
        long K = (long)(hi - lo) + 1;
        double *p = calloc((size_t)K + (size_t)o->width, sizeof *p);
        if (p == NULL) {
            free(v);
            return -1;
        }
        for (size_t i = 0; i < m; i++) p[(long)(v[i] - lo)] += 1.0 / (double)m;
        Axis a;
        integer_columns(p, K, lo, o, p + K, &a);
        rc = put_picture(f, p + K, &a, o);
        free(p);
    } else {
        take_in_marks(o, &lo, &hi);
        if (!(hi - lo > 1e-12 * fmax(fabs(lo), fabs(hi)))) {
            /* constant draws: a spike in the middle of a small range */
            double d = lo != 0.0 ? 0.1 * fabs(lo) : 1.0;
            lo -= d;
            hi += d;
        }
        rc = draws_continuous(f, v, m, lo, hi, o);
    }
    free(v);
    return rc;
}

int termplot_curve(FILE *f, double (*density)(double x, void *ctx), void *ctx, double lo, double hi,
                   bool discrete, const TermPlotOptions *o)
{
    if (f == NULL || density == NULL || !usable(o) || !isfinite(lo) || !isfinite(hi) || !(lo <= hi)) return -1;
    int rc;
    if (discrete) {
        double k0 = ceil(lo), k1 = floor(hi);
        if (k1 < k0 || k1 - k0 >= MAX_INTEGERS) return -1;
        long K = (long)(k1 - k0) + 1;
        double *p = malloc(((size_t)K + (size_t)o->width) * sizeof *p);
        if (p == NULL) return -1;
        for (long k = 0; k < K; k++) {
            double q = density(k0 + (double)k, ctx);
            p[k] = isfinite(q) && q > 0.0 ? q : 0.0;
        }
        Axis a;
        integer_columns(p, K, k0, o, p + K, &a);
        rc = put_picture(f, p + K, &a, o);
        free(p);
    } else {
        if (!(hi > lo)) return -1;
        Axis a = { lo, hi, o->width, false };
        double *y = malloc((size_t)o->width * sizeof *y);
        if (y == NULL) return -1;
        /* sampled at column centres, which also keeps off the ends where
        ** densities such as Beta(0.5, 0.5) are infinite */
        for (int j = 0; j < o->width; j++) {
            double q = density(lo + (j + 0.5) * (hi - lo) / o->width, ctx);
            y[j] = isfinite(q) && q > 0.0 ? q : 0.0;
        }
        rc = put_picture(f, y, &a, o);
        free(y);
    }
    return rc;
}
