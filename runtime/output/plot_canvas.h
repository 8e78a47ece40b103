/*
** plot_canvas.h -- what the pictures of plot*.c are drawn with: the page
** in pixels at 96 dpi, matplotlib's tab10 colours, text with cairo's toy
** font API, frames with ticks and grids, and the figure's file in the
** format its extension names.  Internal to runtime/output.
*/
#ifndef BMC_PLOT_CANVAS_H
#define BMC_PLOT_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <cairo.h>
#include "plot.h"

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

typedef struct Frame {
    double x, y, w, h;          /* the box, in pixels */
    double x0, x1, y0, y1;      /* the data it spans */
} Frame;

static inline double plot_fx(const Frame *f, double v) { return f->x + (v - f->x0) / (f->x1 - f->x0) * f->w; }
static inline double plot_fy(const Frame *f, double v) { return f->y + f->h - (v - f->y0) / (f->y1 - f->y0) * f->h; }

/* Ticks along one axis: as many as fit with room between their labels. */
typedef struct Ticks {
    int n;
    double v[16];
    double step;
    char label[16][32];
} Ticks;

typedef struct Figure {
    const char *path;
    PlotFormat format;
    FILE *file;
    cairo_surface_t *surface;
    cairo_t *cr;
} Figure;

void plot_set_tab10(cairo_t *cr, int k, double alpha);
void plot_tab10_rgb(int k, double rgb[3]);

void plot_set_grey(cairo_t *cr, double level);

/* A value as the labels show it: three significant digits, as ArviZ's
** round_num, but whole numbers from 1000 on rather than exponents. */
void plot_fmt_value(char *buf, size_t len, double v);

void plot_font(cairo_t *cr, double size, bool bold);

double plot_text_width(cairo_t *cr, const char *s, double size, bool bold);

/* Shows s anchored at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top,
** 0.5 middle, 1 bottom of the line. */
void plot_text(cairo_t *cr, const char *s, double x, double y, double size, bool bold, double ax, double ay);

/* A label on a white box, so that it reads over the curve: anchored at x
** by ax, kept within [left, right], its top at y. */
void plot_text_boxed(cairo_t *cr, const char *s, double x, double y, double size, double ax, double left,
                     double right);

/* The same, rotated a quarter turn to read upwards, centred on (x, y). */
void plot_text_up(cairo_t *cr, const char *s, double x, double y, double size);

/* Widens [*lo, *hi] when it is empty, so that a frame never divides by
** zero (constant draws, a single draw). */
void plot_widen(double *lo, double *hi);

void plot_pad(double *lo, double *hi, double share);

void plot_ticks_make(cairo_t *cr, Ticks *t, double lo, double hi, double pixels, bool horizontal, bool integers);

/* Light grey grid lines at the ticks, under the data. */
void plot_frame_grid(cairo_t *cr, const Frame *f, const Ticks *xt, const Ticks *yt);

/* The bottom axis (and the left one when yt is given), over the data. */
void plot_frame_axes(cairo_t *cr, const Frame *f, const Ticks *xt, const Ticks *yt);

int plot_fail(char *err, size_t errlen, const char *fmt, const char *path, const char *why);

/* Opens path for a w x h pixel picture on a white page. */
int plot_figure_open(Figure *g, const char *path, double w, double h, const char *title, char *err, size_t errlen);

/* Finishes the file; a failed figure (ok false) is removed. */
int plot_figure_close(Figure *g, bool ok, char *err, size_t errlen);

/* The title line: the model's name and what is shown, at the left. */
double plot_header(cairo_t *cr, const char *title, const char *what);

/* A legend of coloured lines, right-aligned at x_right on line y: one per
** tab10 colour, labels[k] or "fallback k". */
void plot_legend(cairo_t *cr, double x_right, double y, int n, const char *const *labels, const char *fallback);

/* One entry of a legend: a line in its colour, dashed or not, or a box
** when width is 0. */
typedef struct LegendItem {
    const char *label;
    double r, g, b, a;
    double width;
    bool dashed;
} LegendItem;

/* The entries (at most 16), right-aligned at x_right on line y. */
void plot_legend_items(cairo_t *cr, double x_right, double y, const LegendItem *items, int n);

void plot_footnote(cairo_t *cr, double y, int shown, int total);

#endif
