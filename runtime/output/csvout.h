/*
** csvout.h -- one chain's draws as a CmdStan CSV file, readable by
** CmdStan's stansummary, rstan::read_stan_csv and ArviZ's from_cmdstan.
**
** The file is written under a temporary name and renamed when complete,
** so a file with the final name is never a partial one.
*/
#ifndef BMC_CSVOUT_H
#define BMC_CSVOUT_H

#include <stddef.h>
#include "draws.h"
#include "report.h"

typedef struct CsvChain {
    int chain;                /* 0-based index into the draws */
    double stepsize;          /* adapted step size */
    const double *inv_metric; /* dim values, or dim*dim when stored_dense */
    int dim;
    int stored_dense;         /* inv_metric is a whole matrix */
    int dense;                /* ... with correlations: written whole, else its diagonal */
    double warmup_seconds, sampling_seconds;
} CsvChain;

/* Writes path.  Variable names "theta[1]" become "theta.1".  Returns 0,
** or -1 with a message in err. */
int csv_write_chain(const char *path, const Draws *d, const CsvChain *ch,
                    const RunInfo *run, char *err, size_t errlen);

#endif
