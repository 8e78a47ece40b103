/*
** report.h -- printing a run's results: the ArviZ-like table with its run
** line and warnings, and the JSON object of design section 3 with the
** same warnings as data.
**
** Printers see named draws, their summaries and a RunInfo of plain facts
** about the run; they know nothing of the sampler or the language.
*/
#ifndef BMC_REPORT_H
#define BMC_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "draws.h"
#include "loo.h"
#include "ppc.h"
#include "summary.h"
#include "warnings.h"

/* Facts about a run that printers report. */
typedef struct RunInfo {
    const char *model;      /* model name, "ab" */
    int chains;
    int draws;              /* per chain, as asked (after thinning) */
    int thin;               /* one iteration in thin kept (0 or 1: all) */
    int draws_kept;         /* per chain, fewer when interrupted */
    int tune;
    unsigned long seed;
    double seconds;         /* wall time of sampling, warm-up included */
    double compile_seconds; /* wall time of compiling */
    long gradient_evals;    /* all chains, warm-up included */
    int divergences;        /* after warm-up, all chains */
    int treedepth_hits;     /* draws that stopped at max_treedepth */
    int max_treedepth;
    const double *ebfmi;    /* per chain; may be NULL */
    const double *stepsize; /* per chain adapted step size; may be NULL */
    const char *metric;     /* "diag" or "dense" */
    double target_accept;
    bool interrupted;       /* stopped by Ctrl-C */
    bool exact;             /* independent exact draws, no sampler (no warm-up, no gradients) */
    const char *conjugate;  /* exact draws from the closed-form posterior of these conjugate blocks'
                            ** parameters, "p_A, p_B"; NULL for none */
    bool prior;             /* a prior predictive run: parameters and data drawn from the model */
    bool saved;             /* read back from saved files: no times, the counts of the files */
    bool seed_unknown;      /* saved files that do not say their seed */
    const int *point_lines; /* the source line of each point of the log-likelihood (DRAWS_LOG_LIK,
                            ** in order); may be NULL */
    const PpcCheck *ppc;    /* posterior predictive checks, nppc of them; may be NULL */
    int nppc;
    const Warnings *warnings;   /* found by earlier stages (the compiler, the sampler); may be NULL */
    const LooResult *loo;   /* --loo: PSIS-LOO and WAIC, printed after the table; may be NULL */
} RunInfo;

typedef struct ReportOptions {
    double hdi_prob;        /* 0.94 */
    int round;              /* digits after the point; -1 chooses per column */
    const int *which;       /* variables to show, in order; NULL = all */
    int nwhich;
    bool color;             /* colour "warning:" (the caller decides: a terminal, NO_COLOR unset) */
    const double *quantiles;    /* extra columns, one per probability: q5 for 0.05; may be NULL */
    int nquantiles;             /* at most REPORT_MAX_QUANTILES */
} ReportOptions;

#define REPORT_MAX_QUANTILES 16

/* The column of the quantile of probability p, "q5" for 0.05, "q2.5" for
** 0.025, into buf: the table's title and the JSON's key. */
void report_quantile_name(double p, char *buf, size_t len);

/* Whether a warning of w is about convergence (R-hat, ESS, divergences,
** tree depth, E-BFMI): what --strict turns into an exit status. */
bool report_convergence_warned(const Warnings *w);

/* The sampler's record in d's statistics, for run: the divergences and
** the draws at run->max_treedepth after warm-up, and each chain's E-BFMI
** into ebfmi (d->nchains values), to which run->ebfmi then points.  A
** statistic that is NAN (a file without the column) counts nothing. */
void report_sampler_record(RunInfo *run, const Draws *d, double *ebfmi);

/* Selects variables by a comma-separated list of names; a vector's name
** selects all its elements ("theta" -> theta[1], theta[2], ...).  On
** success returns 0 and sets *which (malloc'ed, caller frees) and *n.  On
** an unknown name returns -1 and sets *bad to a malloc'ed copy of it. */
int report_select(const Draws *d, const char *spec, int **which, int *n, char **bad);

/* Every warning of a run, appended to out (initialised by the caller):
** the entries of run->warnings first, then one entry per kind for the
** selected quantities ("nonfinite": not a finite number in some draws;
** "r_hat": above 1.01; "ess_bulk", "ess_tail": below 100 per chain), then
** the sampler's record ("divergences", "treedepth", one "ebfmi" per chain
** below 0.3), then "pareto_k" of run->loo.  run may be NULL (no sampler record).  Returns 0, or -1 when
** out of memory. */
int report_warnings(Warnings *out, const Draws *d, const VarSummary *s, const RunInfo *run,
                    const ReportOptions *opt);

/* The table to out; the run line and the warnings (each with what to do)
** to err.  warnings is report_warnings' list (NULL: none). */
void report_table(FILE *out, FILE *err, const Draws *d, const VarSummary *s,
                  const RunInfo *run, const ReportOptions *opt, const Warnings *warnings);

/* Everything a command prints of a run: its warnings found, then the
** table to out (json false) or the JSON object to out, and the run line
** and warnings to err.  *convergence (may be NULL) receives whether a
** convergence warning applied.  Returns 0, or -1 when out of memory or
** out cannot be written. */
int report_results(FILE *out, FILE *err, const Draws *d, const VarSummary *s, const RunInfo *run,
                   const ReportOptions *opt, bool json, bool *convergence);

/* Only the run line and the warnings, to err (beside a JSON object on
** stdout, and for side-by-side tables). */
void report_run_line(FILE *err, const Draws *d, const VarSummary *s, const RunInfo *run, const ReportOptions *opt,
                     const Warnings *warnings);

/* One JSON object to out: {"variables": {...}, "sampler": {...},
** "loo": {...} (with run->loo), "warnings": [...]}, each warning {"kind", "names", "chains", "message",
** "advice"}.  Returns 0, or -1 when out of memory. */
int report_json(FILE *out, const Draws *d, const VarSummary *s,
                const RunInfo *run, const ReportOptions *opt, const Warnings *warnings);

#endif
