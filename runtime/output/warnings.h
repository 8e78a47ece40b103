/*
** warnings.h -- a run's warnings as data: each entry has a kind that
** programs decide by, the quantities (and chains) it is about, its
** message and what to do about it.  The lines on stderr and the JSON's
** "warnings" are printed from one list, so they cannot disagree.
**
** The printers add the entries of the summary and of the sampler's record
** (report_warnings); earlier stages add theirs as plain entries, through
** RunInfo.warnings, so that the printers need know nothing of the stage
** that found them.
*/
#ifndef BMC_WARNINGS_H
#define BMC_WARNINGS_H

#include <stdbool.h>
#include <stdio.h>

typedef struct Warning {
    char *kind;         /* "r_hat", "ess_bulk", "divergences", ... */
    char **names;       /* every quantity it is about (the message lists the first few) */
    int nnames;
    int *chains;        /* the chains it is about, from 1 */
    int nchains;
    char *message;      /* "r_hat above 1.01 for mu (1.062)" */
    char *advice;       /* what to do, "run longer chains ..."; NULL for none */
} Warning;

typedef struct Warnings {
    Warning *items;
    int n, cap;
} Warnings;

void warnings_init(Warnings *w);
void warnings_free(Warnings *w);

/* Appends a warning of kind about names[0 .. nnames) and chains[0 ..
** nchains) (either may be NULL when its count is 0), with advice (may be
** NULL) and the message fmt; everything is copied.  Returns 0, or -1 when
** out of memory (w is left as it was). */
int warnings_add(Warnings *w, const char *kind, const char *const *names, int nnames, const int *chains,
                 int nchains, const char *advice, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Appends a copy of every entry of from (NULL: none).  Returns 0, or -1
** when out of memory. */
int warnings_extend(Warnings *w, const Warnings *from);

/* Each entry as one line, "warning: MESSAGE: ADVICE", with "warning:" in
** colour when color is set. */
void warnings_print(FILE *err, const Warnings *w, bool color);

#endif
