/*
** run_common.h -- what `bmc run` and `bmc compare` share: their options,
** and sampling a compiled model into summarised draws; and what the
** REPL's :sample shares with them: the checks before a run, the facts
** about it for the printers, and what to say when it fails.
*/
#ifndef BMC_RUN_COMMON_H
#define BMC_RUN_COMMON_H

#include <stdbool.h>
#include "cli.h"
#include "plot.h"
#include "report.h"
#include "run.h"
#include "sample_options.h"
#include "summary.h"

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
    const char *plot;
    PlotKind plot_kind;
    double ref_val;
    bool ref_val_given;
} RunArgs;

/* Defaults for command; several allows more than one model file and
** refuses the options that name one model's parameters or files (--init,
** --output-dir, --plot-kind, --ref-val).  Returns 0, or -1 when out of
** memory.  Free with run_args_free. */
int run_args_init(RunArgs *a, const char *command, bool several);
void run_args_free(RunArgs *a);

/* Parses argv[1 ..].  Returns 0, or an exit code after printing why. */
int run_args_parse(RunArgs *a, int argc, char **argv);

/* One model's sampled run: its draws, their summary and the facts about
** the run that printers show. */
typedef struct Sampled {
    RunResult res;
    bool have_res;           /* run_chains was called: res must be freed */
    VarSummary *sum;         /* res.draws->nvars entries */
    double *ebfmi;           /* per chain */
    RunInfo info;            /* borrows from this struct and from the model */
} Sampled;

/* Samples m with a's options and summarises the draws.  Returns EXIT_OK
** (also when interrupted after some draws: then s->info.interrupted), or
** an exit code after printing why.  Free s with sampled_free whatever it
** returns. */
int run_sample(const RunArgs *a, const Model *m, double compile_seconds, Sampled *s);
void sampled_free(Sampled *s);

/* Monotonic wall-clock seconds. */
double run_now(void);

/* What to tell the user when a model cannot be sampled or its run failed. */
typedef struct RunProblem {
    char error[640];         /* without "error: " */
    const char *note;        /* what to do about it (may hold a line break); NULL when nothing helps */
    bool in_model;           /* the model is at fault, not the options: the message names its file */
} RunProblem;

/* Whether ir can be sampled with cfg: it has parameters, and the run fits
** in half of this machine's memory.  Returns 0, or -1 with *p filled. */
int run_check(const IrModel *ir, const RunConfig *cfg, RunProblem *p);

/* Why a run ended with res->status, neither RUN_OK nor RUN_INTERRUPTED,
** into *p; offer_init: the note may suggest --init. */
void run_failure_note(const RunResult *res, bool offer_init, RunProblem *p);

/* The facts about a run of cfg for the printers, into *info: it points to
** model, into res, and to ebfmi, which receives one value per chain. */
void run_info_fill(RunInfo *info, const RunConfig *cfg, const char *model, const RunResult *res, double *ebfmi,
                   double compile_seconds);

#endif
