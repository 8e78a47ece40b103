/*
** draw_files.h -- the CSV files of a run's draws, one a chain
** (DIR/MODEL_ID.csv, CmdStan's layout), opened before sampling and written
** as each chain makes its draws: a wrong directory is found before the
** first iteration, and whatever ends the run, the files hold every draw
** made (csvout.h).
*/
#ifndef BMC_DRAW_FILES_H
#define BMC_DRAW_FILES_H

#include <stddef.h>
#include "csvout.h"
#include "ir.h"
#include "run.h"
#include "sample_options.h"

typedef struct DrawFiles {
    CsvStream **chains;      /* one a chain (owned) */
    int n;
    char **names;            /* the reported scalars, for the header (owned) */
    long nnames;
    DrawSink sink;           /* writes into chains; for RunConfig.sink */
    char *dir, *model;       /* owned copies */
    int first_id;
    double opened;           /* wall-clock time of opening, for stale files */
} DrawFiles;

/* Makes dir if it is missing (not its parents) and opens the file of
** every chain o runs for ir, compiled from the model named model.
** Returns 0, or -1 with why in err (nothing is left open). */
int draw_files_open(DrawFiles *f, const char *dir, const char *model, const IrModel *ir, const SampleOptions *o,
                    char *err, size_t errlen);

/* Closes every file: the counts the chains made in their headers, their
** timing.  Returns 0, or -1 with the first failure in err (its file holds
** the rows written before it, whole).  f is freed. */
int draw_files_close(DrawFiles *f, char *err, size_t errlen);

/* Files named like this run's (MODEL_N.csv) in its directory that it did
** not write: older ones, from a run with other chain ids.  Returns their
** names, comma-separated, in buf ("" for none). */
void draw_files_stale(const DrawFiles *f, char *buf, size_t size);

#endif
