/*
** draws_csv.h -- CmdStan CSV files into Draws: the files bmc run
** --output-dir writes, and those of CmdStan and rstan (sample_file=), one
** file per chain.
**
** A file is its settings as "# key = value" comments, a header line of
** column names, then one row per draw; with save_warmup = 1 the warm-up
** rows come first and are skipped up to "# Adaptation terminated".  The
** sampler's columns (lp__, accept_stat__, ..., energy__) become the draws'
** statistics, NAN where a file has none; other columns ending in "__" are
** left out; the rest are quantities, "theta.1" read as theta[1] and
** "x.2.3" as x[2,3].  A file cut short (its last line without a newline,
** fewer rows than num_samples) is read up to its last whole row, and
** says so.
*/
#ifndef BMC_DRAWS_CSV_H
#define BMC_DRAWS_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "draws.h"

/* Where a file is wrong: line and column from 1 (0 when the whole file
** is), and why. */
typedef struct DrawsCsvError {
    char file[512];
    int line, column;
    char message[512];
    char text[512];          /* the line, without its newline, cut to fit; "" when line is 0 */
} DrawsCsvError;

/* The run's settings, from the comments of the first file. */
typedef struct DrawsCsvRun {
    char model[128];         /* "# model = ab"; "" when not given */
    int num_samples;         /* per chain, as asked; -1 when not given */
    int num_warmup;          /* -1 when not given */
    int max_depth;           /* NUTS's tree depth limit; -1 when not given */
    double delta;            /* adaptation target; NAN when not given */
    unsigned long seed;
    bool seed_given;
    bool fixed_param;        /* drawn with no sampler (algorithm = fixed_param) */
    bool prior;              /* bmc's "# run = prior_predictive" */
    bool has_stat[DRAW_NSTATS];   /* which sampler columns the files have */
    int *rows;               /* whole rows after warm-up of each file (nfiles, owned) */
    bool *cut_short;         /* per file: read up to its last whole row (owned) */
} DrawsCsvRun;

/* Reads nfiles files, one chain each ("-": standard input, once), into
** *out (draws_free): every chain keeps as many draws as the shortest has.  Returns 0, or -1 with err
** filled (and *out NULL): a file missing or unreadable, empty, with no
** header, not CmdStan's (no lp__ column), a row whose cell is not a number
** ("nan", "inf" and "-inf" are numbers) or whose cell count differs from
** the header's, no draws after warm-up, or columns that differ from the
** first file's.  run receives the settings; free with draws_csv_run_free. */
int draws_csv_read(const char *const *paths, int nfiles, Draws **out, DrawsCsvRun *run, DrawsCsvError *err);
void draws_csv_run_free(DrawsCsvRun *run);

/* CmdStan's column name of a quantity into buf: "theta[1]" -> "theta.1",
** "X[2,3]" -> "X.2.3". */
void draws_csv_column_name(const char *name, char *buf, size_t len);

#endif
