/*
** plot_density.h -- one variable's draws made ready to draw: sorted, its
** mean and HDI, and its density as a kernel estimate or, for a few
** integers, as bars.  Internal to runtime/output.
*/
#ifndef BMC_PLOT_DENSITY_H
#define BMC_PLOT_DENSITY_H

#include "draws.h"
#include "plot_canvas.h"
#include "summary.h"

typedef enum { CURVE_NONE, CURVE_KDE, CURVE_BARS, CURVE_SPIKE } CurveKind;

typedef struct Curve {
    CurveKind kind;
    double lo, hi;      /* KDE: ends of the grid; bars: first and last integer; spike: the value */
    int n;              /* grid points or bars */
    double y[GRID];     /* density at the grid points, or share of draws per integer */
    double ymax;
} Curve;

typedef struct View {
    const char *name;
    int v;
    double *sorted;     /* the draws of all chains, sorted; owned */
    size_t n;           /* 0 when some draw is not finite: such a quantity
                        ** has no summary (summary.h), and no picture */
    long nonfinite;     /* draws that are not finite */
    char empty[96];     /* why nothing is drawn when n is 0 */
    bool discrete;      /* integers only, few of them: bars */
    double k0;          /* discrete: the smallest integer */
    int nbars;
    double mean, hdi_lo, hdi_hi, q25, q75;
    double lo, hi;      /* the range of the draws, widened when empty */
} View;

/* The normal kernel summed over histogram bins and their mirror images
** at lo and hi (ArviZ's bound correction), at the GRID points. */
int plot_kde(const double *sorted, size_t n, Curve *c);

/* The same over the window [lo, hi] of the draws only, still of all n of
** them (a long-tailed prior shown where it matters): the draws within the
** kernel's reach of the window are summed, and the draws' ends are
** mirrored where they lie in that reach. */
int plot_kde_window(const double *sorted, size_t n, double lo, double hi, Curve *c);

/* A KDE curve's density at x, between its grid points; 0 outside its
** range and for the other kinds. */
double plot_curve_at(const Curve *c, double x);

/* Whether the n values are all integers. */
bool plot_integers(const double *x, size_t n);

/* Whether the n values (within [lo, hi]) are integers few enough to be
** shown as bars, one per integer. */
bool plot_discrete(const double *x, size_t n, double lo, double hi);

/* The share of draws at each integer k0 .. k0 + nbars - 1. */
void plot_bars(const double *x, size_t n, double k0, int nbars, Curve *c);

void plot_view_free(View *w);

/* Copies w's draws of chain c (or of every chain when c < 0); none when
** some draw is not finite.  Returns how many. */
size_t plot_view_draws(const View *w, const Draws *d, int c, double *out);

int plot_view_init(View *w, const Draws *d, int v, const VarSummary *s, double hdi_prob);

/* The density of n finite draws x of w's variable. */
int plot_view_curve(const View *w, double *x, size_t n, Curve *c);

/* The x range a density panel shows. */
void plot_view_xrange(const View *w, double *lo, double *hi);

/* The path of a KDE curve c in f, for the caller to stroke. */
void plot_curve_path(cairo_t *cr, const Frame *f, const Curve *c);

/* Draws c in f in tab10 colour k.  Bars share each integer's slot with
** the other curves drawn beside them: this one takes part `part` of
** `parts`. */
void plot_curve_draw(cairo_t *cr, const Frame *f, const Curve *c, int k, double width, int part, int parts);

#endif
