/*
** prior_run.h -- the prior beside a posterior, for the picture of how the
** data move each prior (`bmc run --plot-kind prior`, the REPL's :plot):
** the posterior's model compiled again for a prior predictive run
** (PREDICT_PRIOR, as --prior) and drawn with the posterior run's seed,
** chains and draws.
**
** A prior run draws every parameter from its prior, so an improper prior
** (Flat, HalfFlat) stops it.  That is no error here: the picture still
** shows every posterior, and says which priors are improper.
*/
#ifndef BMC_PRIOR_RUN_H
#define BMC_PRIOR_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "compile.h"
#include "plot.h"
#include "sample_options.h"
#include "sampling.h"

typedef struct PriorRun {
    Model *model;        /* compiled for the prior run (owned); NULL when improper priors stop it */
    Sampled run;         /* its draws, once prior_run_sample made them (run.res.draws not NULL) */
    char **improper;     /* the names whose prior is improper, nimproper of them (owned) */
    int nimproper;
    char *why;           /* when improper priors stop the run: why, in a few words, "a prior
                         ** run cannot draw the improper prior of mu (Flat)" (owned) */
} PriorRun;

/* Compiles the model text (len bytes of source name) with data, as opt
** says but for a prior predictive run.  Returns EXIT_OK, also when only
** improper priors stop the run (pr->model is then NULL, pr->improper
** names them and pr->why says so), or EXIT_MODEL with the errors in errs.
** Free pr with prior_run_free whatever it returns. */
int prior_run_compile(PriorRun *pr, const char *name, const char *text, size_t len, const DataSet *data,
                      const CompileOptions *opt, Diags *errs);

/* Draws the prior run as the posterior's options say (its seed, chains
** and draws); nothing when pr->model is NULL.  stop may be NULL.  Returns
** sampling_run's code, its errors in errs. */
int prior_run_sample(PriorRun *pr, const SampleOptions *posterior, atomic_int *stop, Diags *errs);

/* What a prior plot takes of pr: its draws, or why there are none, and
** the names whose prior is improper. */
void prior_run_plot_options(const PriorRun *pr, PlotOptions *po);

void prior_run_free(PriorRun *pr);

#endif
