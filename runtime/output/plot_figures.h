/*
** plot_figures.h -- the pictures of what a run predicts, beside the
** draws' own of plot.c: the posterior predictive check (plot_ppc.c) and
** each prior against its posterior (plot_prior.c).  Internal to
** runtime/output.
*/
#ifndef BMC_PLOT_FIGURES_H
#define BMC_PLOT_FIGURES_H

#include <stddef.h>
#include "plot_canvas.h"
#include "plot_density.h"

#define PPC_SETS       50    /* replicated data sets a check draws, at most */
#define PPC_REP_ALPHA  0.3   /* the opacity of each one's line */

/* Which of total draws (chain after chain) a check draws the replicated
** data sets of: want of them evenly spread, or all when there are fewer,
** the same every time.  Fills at; returns how many. */
int plot_ppc_pick(size_t total, int want, size_t *at);

/* The posterior predictive check of the draws' replicates to path (see
** plot_draws).  Returns 0, or -1 with a message in err. */
int plot_ppc(const char *path, const Draws *d, const PlotOptions *o, char *err, size_t errlen);

/* The prior-against-posterior panels of views[0 .. nviews-1] (of total
** selected) on g, laid out as posterior plots are. */
int plot_prior(Figure *g, const View *views, int nviews, int total, const Draws *d, const PlotOptions *o);

#endif
