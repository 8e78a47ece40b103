/*
** run_args.h -- what `bmc run` and `bmc compare` share: their options, and
** sampling one compiled model with them as the commands do it (progress
** bars on a terminal, Ctrl-C, --init, problems printed with the model's
** file).
*/
#ifndef BMC_RUN_ARGS_H
#define BMC_RUN_ARGS_H

#include <signal.h>
#include <stdbool.h>
#include "cli.h"
#include "plot.h"
#include "prior_run.h"
#include "sample_options.h"
#include "sampling.h"

typedef struct RunArgs {
    const char *command;     /* "run" or "compare": for messages */
    bool several;            /* several models: no per-model options */
    const char **paths;      /* model files, in order (owned array) */
    int npaths;
    DataSet *data;           /* owned */
    SampleOptions opts;      /* the seed is always set after parsing */
    const char *init;
    bool json;
    const char *output_dir;
    const char *output_nc;   /* ArviZ's InferenceData, netCDF-4 */
    const char *plot;
    PlotKind plot_kind;
    bool predict_implied;    /* --plot-kind ppc without --predict: the replicates are drawn all the same */
    double ref_val;
    bool ref_val_given;
    double progress;         /* --progress: seconds between report lines; 0 none; -1 (not given): bars on a terminal */
} RunArgs;

/* Defaults for command; several allows more than one model file and
** refuses the options that name one model's parameters or files (--init,
** --output-dir, --output-nc, --plot-kind, --ref-val).  Returns 0, or -1 when out of
** memory.  Free with run_args_free. */
int run_args_init(RunArgs *a, const char *command, bool several);
void run_args_free(RunArgs *a);

/* Parses argv[1 ..].  Returns 0, or an exit code after printing why. */
int run_args_parse(RunArgs *a, int argc, char **argv);

/* The handlers there were before run_catch_sigint. */
typedef struct RunSignals {
    struct sigaction intr, term;
} RunSignals;

/* Ctrl-C (SIGINT) and SIGTERM (kill, timeout) from run_catch_sigint to
** run_release_sigint (around sampling and writing the results): the
** first stops sampling, keeping the draws made, and lets the results be
** written; a second ends the process.  saved receives the handlers there
** were before. */
void run_catch_sigint(RunSignals *saved);
void run_release_sigint(const RunSignals *saved);
/* Whether Ctrl-C was pressed since run_catch_sigint. */
bool run_interrupted(void);
/* The exit code of a command whose results are written (code, as it
** stands): EXIT_INTERRUPTED, with a word, when Ctrl-C came after the last
** draw and waited for them. */
int run_results_written(int code);

/* Samples m with a's options and summarises the draws, each draw going to
** sink (may be NULL) as it is made; Ctrl-C stops it between
** run_catch_sigint and run_release_sigint.  Returns EXIT_OK (also when
** interrupted after some draws: then s->info.interrupted), EXIT_OUTPUT
** when the sink failed (its owner says why), or an exit code after
** printing why.  Free s with sampled_free whatever it returns. */
int run_sample(const RunArgs *a, const Model *m, double compile_seconds, const DrawSink *sink, Sampled *s);

/* Draws the prior run beside the posterior's with a's options (its seed,
** chains and draws), Ctrl-C stopping it as it does run_sample.  Returns
** EXIT_OK, or an exit code after printing why. */
int run_prior(const RunArgs *a, PriorRun *pr);

#endif
