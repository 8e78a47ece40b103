/*
** termplot.h -- small pictures for a terminal: the density of draws, or
** of a distribution, sketched with characters, with the mean and an
** interval marked under the axis.  What `:plot` and `:dist` show in the
** REPL, so a teacher can show what a prior or a posterior says.
*/
#ifndef BMC_TERMPLOT_H
#define BMC_TERMPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct TermPlotOptions {
    int width;          /* columns of the plotting area (e.g. 60) */
    int height;         /* rows (e.g. 12) */
    bool utf8;          /* block characters; else ASCII only */
    bool color;         /* ANSI colours */
    double mark_lo, mark_hi;   /* an interval to mark (the HDI); NAN for none */
    double mark_mean;          /* the mean to mark; NAN for none */
    const char *label;         /* a title line, or NULL */
} TermPlotOptions;

/* The density of n draws (a histogram smoothed for the width), with axis
** ticks.  Returns 0, or -1 when n is 0 or memory runs out. */
int termplot_draws(FILE *f, const double *x, size_t n, const TermPlotOptions *o);

/* The curve density(x) over [lo, hi]; discrete: bars at the integers. */
int termplot_curve(FILE *f, double (*density)(double x, void *ctx), void *ctx, double lo, double hi,
                   bool discrete, const TermPlotOptions *o);

#endif
