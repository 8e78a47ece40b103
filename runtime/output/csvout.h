/*
** csvout.h -- one chain's draws as a CmdStan CSV file, readable by
** CmdStan's stansummary, rstan::read_stan_csv and ArviZ's from_cmdstan,
** written as the draws are made.
**
** The file is valid CSV at every moment: each row reaches the file whole
** in one write, so a run stopped by Ctrl-C, a signal or a crash leaves
** every draw made so far.  A write that fails (a full disk, a file size
** limit) is cut back to the last whole row, and the stream refuses
** further rows.  When a chain made fewer iterations than the header
** announced, csv_stream_close rewrites num_samples (and num_warmup) in
** place to the iterations made.  The file is locked (flock) while it is
** written: a second run writing the same file is refused before it
** touches it.
*/
#ifndef BMC_CSVOUT_H
#define BMC_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "draws.h"
#include "report.h"

/* What the file says of its run, before the draws: CmdStan's settings. */
typedef struct CsvConfig {
    const char *model;        /* the model's name */
    bool prior;               /* a prior predictive run */
    bool exact;               /* no sampler: drawn exactly (fixed_param) */
    int num_samples;          /* sampling iterations (before thinning) */
    int num_warmup;
    int thin;
    bool save_warmup;
    double target_accept;
    int max_depth;
    bool dense;               /* the metric stored is a whole matrix (dense_e) */
    int id;                   /* the chain's id */
    unsigned long seed;
    const char *const *names; /* the reported scalars, "theta[1]" */
    int nvars;
} CsvConfig;

typedef struct CsvStream CsvStream;

/* Writes x as every value of a draws file is written: as %.9g would (nine
** significant digits, more than CmdStan's six, so that means computed
** from the file agree with bmc's own to printing precision), nan, inf
** and -inf spelled as CmdStan's guide lists them. */
void csv_put_value(FILE *f, double x);

/* Opens path for cfg: takes the lock, empties the file and writes the
** settings and the column header.  Returns the stream, or NULL with why
** in err (a file another run is writing is left as it is). */
CsvStream *csv_stream_open(const char *path, const CsvConfig *cfg, char *err, size_t errlen);

/* The adaptation comments: the step size and the inverse metric (dim
** values, or dim*dim when stored_dense, written whole as the header's
** dense_e says).  Returns 0, or -1 (see csv_stream_error). */
int csv_stream_adaptation(CsvStream *s, double stepsize, const double *inv_metric, long dim, bool stored_dense);

/* One draw: DRAW_NSTATS sampler statistics in DrawStat order, then nvars
** values.  Rows that come fast are held and written in pieces, none more
** than a tenth of a second after it came (csvout.c).  Returns 0, or -1
** (see csv_stream_error) when a write failed. */
int csv_stream_row(CsvStream *s, const double *stats, const double *values);

/* The iterations the chain made of each phase and the time they took;
** the rows held are written now, the timing comments at csv_stream_close
** when the chain made all it was asked for. */
void csv_stream_finished(CsvStream *s, int warmup, int sampling, double warmup_seconds, double sampling_seconds);

/* The draws in the file (not those held), and why writing failed (""
** while it has not). */
long csv_stream_rows(const CsvStream *s);
const char *csv_stream_error(const CsvStream *s);

/* Finishes and closes s: the counts of csv_stream_finished in the header,
** the timing, the lock released.  Returns 0, or -1 with why in err (the
** file then holds every row written before the failure).  s is freed. */
int csv_stream_close(CsvStream *s, char *err, size_t errlen);

/* The whole file of chain ch of d at once (the draws of a finished run):
** the stream's steps in order. */
typedef struct CsvChain {
    int chain;                /* 0-based index into the draws */
    double stepsize;          /* adapted step size */
    const double *inv_metric; /* dim values, or dim*dim when stored_dense */
    int dim;
    int stored_dense;         /* inv_metric is a whole matrix */
    double warmup_seconds, sampling_seconds;
} CsvChain;

/* Writes path.  Variable names "theta[1]" become "theta.1".  Returns 0,
** or -1 with a message in err. */
int csv_write_chain(const char *path, const Draws *d, const CsvChain *ch,
                    const RunInfo *run, char *err, size_t errlen);

#endif
