/*
** diag.h -- compiler diagnostics: errors and notes that name a place in
** the source, collected as values and printed compiler-style:
**
**   ab.bm:3:7: error: unknown distribution 'Binomal'
**       y_A ~ Binomal(trials, p_A) observed 120;
**             ^~~~~~~
**   note: did you mean 'Binomial'?
*/
#ifndef BMC_DIAG_H
#define BMC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include "source.h"

/* A range of source text: 1-based lines and columns (columns count
** characters), last_column one past the last character. */
typedef struct Loc {
    int first_line, first_column;
    int last_line, last_column;
} Loc;

#define DIAG_MAX_ERRORS 20   /* further errors are counted, not kept */

typedef struct Diag {
    Loc loc;          /* first_line 0: no place (a whole-file error) */
    char *message;
    char *note;       /* NULL, or a hint shown as "note: ..." */
} Diag;

typedef struct Diags {
    const Source *src;  /* borrowed */
    Diag *items;
    int n, cap;
    int dropped;        /* errors beyond DIAG_MAX_ERRORS */
} Diags;

void diags_init(Diags *d, const Source *src);
void diags_clear(Diags *d);      /* frees the messages; keeps src */

/* Adds an error at loc.  Returns the Diag so a note can be attached, or
** NULL when the list is full or memory ran out. */
Diag *diag_error(Diags *d, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(Diag *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline bool diags_failed(const Diags *d) { return d->n > 0 || d->dropped > 0; }

/* Prints every error with its source line and caret.  Colours when color. */
void diags_print(const Diags *d, FILE *f, bool color);

/* The candidate closest to word by edit distance, if close enough to be a
** likely misspelling; else NULL. */
const char *diag_suggest(const char *word, const char *const *cands, int n);

/* A Loc covering a .. b. */
Loc loc_span(Loc a, Loc b);

#endif
