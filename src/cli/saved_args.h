/*
** saved_args.h -- what `bmc summary` and `bmc plot` share: their command
** line (files, --define, the summary's options) and reading the files
** with their new quantities, the errors printed.
*/
#ifndef BMC_SAVED_ARGS_H
#define BMC_SAVED_ARGS_H

#include <stdbool.h>
#include "cli.h"
#include "plot.h"
#include "sample_options.h"
#include "saved_draws.h"

typedef struct SavedArgs {
    const char *command;     /* "summary" or "plot" */
    const char **paths;      /* the files, a chain each (owned array) */
    int npaths;
    const char **defines;    /* --define texts, in order (owned array) */
    int ndefines;
    SampleOptions opts;      /* the summary's options */
    bool json;               /* summary: --format json */
    const char *output;      /* plot: --output FILE */
    PlotKind kind;           /* plot: --kind */
    bool kind_given;
    double ref_val;          /* plot: --ref-val */
    bool ref_val_given;
} SavedArgs;

/* Parses argv[1 ..] for command.  Returns EXIT_OK, or an exit code after
** printing why.  Free a with saved_args_free whatever it returns. */
int saved_args_parse(SavedArgs *a, const char *command, int argc, char **argv);
void saved_args_free(SavedArgs *a);

/* Reads a's files into s, adds the --define quantities, summarises, and
** selects --vars into *which and *nwhich (NULL: all; caller frees).
** Returns EXIT_OK, or an exit code after printing why.  Free s with
** saved_draws_free whatever it returns. */
int saved_args_read(const SavedArgs *a, SavedDraws *s, int **which, int *nwhich);

#endif
