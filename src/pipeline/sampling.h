/*
** sampling.h -- the sampling sequence that `bmc run`, `bmc compare` and
** the REPL's :sample share: check that a compiled model can be sampled,
** run its chains, summarise the draws, and gather the facts about the run
** that printers show.  Front ends add only how they watch a run (progress,
** Ctrl-C) and how they print its results and problems.
*/
#ifndef BMC_SAMPLING_H
#define BMC_SAMPLING_H

#include <stdbool.h>
#include "diag.h"
#include "ir.h"
#include "report.h"
#include "run.h"
#include "sample_options.h"
#include "summary.h"

/* One model's sampled run: its draws, their summary and the facts about
** the run that printers show. */
typedef struct Sampled {
    RunResult res;
    bool have_res;           /* run_chains was called: res must be freed */
    VarSummary *sum;         /* res.draws->nvars entries */
    double *ebfmi;           /* per chain */
    Warnings *warnings;      /* what the stages before the printers found about this run, for
                             ** RunInfo.warnings: entries of the compiler's or the sampler's */
    int *point_lines;        /* the line of each point of the log-likelihood, for RunInfo */
    char *conjugate;         /* the conjugate blocks' parameters, "p_A, p_B", for RunInfo; NULL for none */
    PpcCheck *ppc;           /* the posterior predictive checks of the replicates, nppc of them */
    int nppc;
    LooResult *loo;          /* --loo: PSIS-LOO of the run's log_lik points, for RunInfo.loo; NULL without */
    RunInfo info;            /* borrows from this struct and from the request's label */
} Sampled;

typedef struct SampleRequest {
    const IrModel *ir;
    const char *label;       /* the model's name, for printers (borrowed; must outlive the Sampled) */
    const char *file;        /* the model's file, named by errors the model is at fault for; may be NULL */
    const SampleOptions *opts;   /* the seed must be chosen */
    const double *init;      /* see ninit */
    bool init_offered;       /* the front end takes --init: a failure may suggest it */
    double compile_seconds;
    /* Watching the run: called about ten times a second when not NULL. */
    void (*progress)(void *user, const ChainProgress *chains, int nchains, double seconds);
    void *user;
    atomic_int *stop;        /* set asynchronously to stop the chains; may be NULL */
    const Diags *warnings;   /* the compiler's warnings of the model, for the run's own; may be NULL */
    bool prior;              /* the model was compiled for a prior predictive run */
    const DrawSink *sink;    /* where each draw goes as it is made (the CSV files); may be NULL */
    /* ninit vectors of ir->dim unconstrained values, NAN = random: one for
    ** every chain, or one each; init NULL: all random */
    int ninit;
} SampleRequest;

/* Runs the sequence.  Returns EXIT_OK (also when stopped after some draws:
** s->info.interrupted), EXIT_INTERRUPTED (stopped before any draw), or
** EXIT_MODEL (the model cannot be sampled) or EXIT_SAMPLING (the run
** failed) with the error in errs: its file rq->file when the model is at
** fault, none when the options or the machine are; or EXIT_OUTPUT, with
** nothing in errs, when rq->sink refused a draw (its owner says why).  Free s with
** sampled_free whatever it returns. */
int sampling_run(const SampleRequest *rq, Sampled *s, Diags *errs);
void sampled_free(Sampled *s);

#endif
