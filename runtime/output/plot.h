/*
** plot.h -- pictures of posterior draws with cairo: ArviZ-style trace
** plots, posterior densities with their HDI, forest plots, posterior
** predictive checks of the observed data, and each prior against its
** posterior.  The file's extension picks the format (PNG, SVG or PDF).
*/
#ifndef BMC_PLOT_H
#define BMC_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include "draws.h"
#include "summary.h"

typedef enum { PLOT_TRACE, PLOT_POSTERIOR, PLOT_FOREST, PLOT_PPC, PLOT_PRIOR } PlotKind;
typedef enum { PLOT_FORMAT_NONE, PLOT_FORMAT_PNG, PLOT_FORMAT_SVG, PLOT_FORMAT_PDF } PlotFormat;

typedef struct PlotOptions {
    PlotKind kind;
    double hdi_prob;        /* 0.94 */
    const int *which;       /* variables to draw, in order; NULL = all but replicates */
    int nwhich;
    double ref_val;         /* posterior plots: the reference value ... */
    bool ref_val_given;     /* ... when given; else 0 for names starting "diff" */
    const char *title;      /* the model's name, or NULL */
    /* PLOT_PRIOR: the draws of a prior predictive run of the same model,
    ** matched to the posterior's by name (NULL: there are none, and
    ** no_prior says why under the panels); the names (of scalars or whole
    ** vectors) whose prior is improper, which have no prior curve. */
    const Draws *prior;
    const char *no_prior;
    const char *const *improper;
    int nimproper;
} PlotOptions;

/* The kinds' names, as --plot-kind takes them: "trace, posterior, forest,
** ppc or prior". */
extern const char PLOT_KIND_NAMES[];

/* "trace", "posterior", "forest", "ppc", "prior" -> kind; 0, or -1 when
** unknown. */
int plot_kind_parse(const char *s, PlotKind *kind);

/* The kind's name, as plot_kind_parse takes it. */
const char *plot_kind_name(PlotKind kind);

/* The format a file name asks for (by extension, case-insensitive). */
PlotFormat plot_format_of(const char *path);

/* Draws one run's variables to path; trace plots mark the draws that the
** sampler recorded as divergent (DRAW_DIVERGENT).  PLOT_PPC draws the
** replicates of each observed quantity (DRAWS_PREDICTIVE; those that
** o->which selects, or all when it selects none) against the observed
** values; PLOT_PRIOR the posterior quantities o->which selects over their
** priors (o->prior).  Returns 0, or -1 with a message in err. */
int plot_draws(const char *path, const Draws *d, const VarSummary *s, const PlotOptions *o, char *err,
               size_t errlen);

/* Whether the pictures' code can be loaded (plugin.h), asked before a run
** so that a bmc installed without it fails before sampling, not after.
** Returns 0, or -1 with why in err. */
int plot_ready(const char *path, char *err, size_t errlen);

/* A forest plot of several models side by side, for the variables they
** share (by name), each model in its own colour with labels[m].  Returns 0,
** or -1 with a message in err. */
int plot_forest_models(const char *path, int nmodels, const char *const *labels, const Draws *const *d,
                       const VarSummary *const *s, const PlotOptions *o, char *err, size_t errlen);

/* The shares of the finite draws below ref and at or above it, as a
** posterior plot labels its reference line (ArviZ's convention), into buf:
** "12.3% < 0 < 87.7%".  Returns the number of finite draws. */
size_t plot_ref_text(const double *x, size_t n, double ref, char *buf, size_t len);

#endif
