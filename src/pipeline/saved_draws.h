/*
** saved_draws.h -- draws saved as CmdStan CSV files, read back for `bmc
** summary` and `bmc plot`: the draws of every file (a chain each), their
** summary, and the facts about the run that printers show, taken from the
** files' settings and sampler columns.
*/
#ifndef BMC_SAVED_DRAWS_H
#define BMC_SAVED_DRAWS_H

#include "diag.h"
#include "draws_csv.h"
#include "report.h"
#include "summary.h"

typedef struct SavedDraws {
    Draws *draws;            /* owned */
    DrawsCsvRun run;         /* the files' settings */
    VarSummary *sum;         /* draws->nvars entries, once saved_draws_summarise ran */
    double *ebfmi;           /* per chain */
    Warnings warnings;       /* about the files (cut short, chains of unequal length), for RunInfo.warnings */
    RunInfo info;            /* borrows from this struct */
} SavedDraws;

/* Reads the files (nfiles, one chain each) into s.  Returns EXIT_OK, or
** EXIT_MODEL with the error in errs (at the file's line and cell).  Free s
** with saved_draws_free whatever it returns. */
int saved_draws_read(SavedDraws *s, const char *const *paths, int nfiles, Diags *errs);

/* Summarises the draws (and fills s->info) with an interval of hdi_prob,
** on up to threads threads.  Returns EXIT_OK, or EXIT_MODEL out of memory
** with the error in errs. */
int saved_draws_summarise(SavedDraws *s, double hdi_prob, int threads, Diags *errs);

void saved_draws_free(SavedDraws *s);

#endif
