/*
** diag.h -- bmc's one error value: a Diag says what kind of error it is
** (a code), where (a file, a line and column, the text of that line),
** what went wrong and what to try, and, where it helps, a second place
** (the first definition of a name defined twice).  The compiler, the data
** reader, `bmc logp`, `bmc run` and the REPL all collect their errors as
** Diags and print them one way, compiler-style:
**
**   ab.bm:3:7: error: unknown distribution 'Binomal'
**       y_A ~ Binomal(trials, p_A) observed 120;
**             ^~~~~~~
**   note: did you mean 'Binomial'?
**
** A Diag owns copies of everything it shows, so it outlives the text it
** points into; programs decide by its code, never by its words.
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

#define LOC_NONE ((Loc){0, 0, 0, 0})

#define DIAG_MAX_ERRORS 20   /* further errors are counted, not kept */

typedef enum DiagCode {
    DIAG_SYNTAX = 1,     /* text that does not parse: a bad token, a missing ';', brackets */
    DIAG_INCOMPLETE,     /* text that ends inside a statement or call: more text could complete it */
    DIAG_NAME,           /* an unknown name, function, distribution or argument keyword */
    DIAG_REDEFINED,      /* a name, or an element, defined a second time */
    DIAG_CALL,           /* a call's arguments: how many, their order, one given twice */
    DIAG_SHAPE,          /* operands, arguments or values whose shapes do not fit */
    DIAG_SUPPORT,        /* an argument or an observed value outside what it may take */
    DIAG_NEEDS_DATA,     /* a size, index, bound or count that depends on parameters */
    DIAG_CYCLE,          /* a definition that needs itself */
    DIAG_UNDEFINED,      /* an element used before it is defined, or never defined */
    DIAG_DATA_MISSING,   /* a data name without a value */
    DIAG_DATA,           /* a data file or value that is malformed, or of the wrong shape */
    DIAG_LIMIT,          /* a limit of bmc: sizes, nesting, unrolled loops, instructions */
    DIAG_MODEL,          /* a model bmc cannot sample as written: a discrete parameter, ... */
    DIAG_PRIOR,          /* a warning: a prior NUTS cannot explore as written */
    DIAG_COST,           /* a warning of bmc check: a term that sets the cost of every gradient */
    DIAG_VALUE,          /* a value given for a parameter (logp, --init) that is wrong */
    DIAG_SAMPLING,       /* sampling failed */
    DIAG_FILE,           /* a file that cannot be read or written */
    DIAG_NO_MEMORY,
    DIAG_INTERNAL        /* a step of bmc failed without saying why: a bug */
} DiagCode;

typedef struct Diag {
    DiagCode code;
    char *file;          /* where: a model or data file, "-D 'N=x'"; NULL for bmc itself */
    Loc loc;             /* first_line 0: no line (the whole file, or no file); first_column 0: no column */
    char *line;          /* the text around loc on its line, for the caret; NULL: none */
    int line_column;     /* the column of line's first character (1 unless cut) */
    bool line_cut;       /* the line goes on after what line holds */
    char *message;
    char *note;          /* NULL, or a hint shown as "note: ..." */
    char *subject;       /* the name the error is about, or NULL */
    Loc related;         /* a second place (first_line 0: none) ... */
    char *related_file;  /* ... in this file; NULL: the error's own */
    char *related_line;
    int related_column;
    bool related_cut;
    char *related_note;
} Diag;

typedef struct Diags {
    const Source *src;   /* where diag_error's places are (borrowed); may be NULL */
    bool warnings;       /* a list of warnings, not errors: printed as "warning:" */
    Diag *items;
    int n, cap;
    int dropped;         /* errors beyond DIAG_MAX_ERRORS, or that memory ran out for */
} Diags;

void diags_init(Diags *d, const Source *src);
void diags_clear(Diags *d);      /* frees the Diags; keeps src */

static inline bool diags_failed(const Diags *d) { return d->n > 0 || d->dropped > 0; }

/* Adds an error at loc of d->src (LOC_NONE: the source as a whole).
** Returns the Diag so that a note can be attached, or NULL when the list
** is full or memory ran out (the error is then counted). */
Diag *diag_error(Diags *d, DiagCode code, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same at loc of another source (a data file). */
Diag *diag_error_in(Diags *d, DiagCode code, const Source *src, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* An error of a place that has no text to show ("-D 'N=abc'", a file that
** cannot be opened), or of bmc itself when place is NULL. */
Diag *diag_error_at(Diags *d, DiagCode code, const char *place, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Attach to e (which may be NULL: nothing happens). */
void diag_note(Diag *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_subject(Diag *e, const char *name);
/* A second place, at loc of src, shown after the error with its own caret. */
void diag_related(Diag *e, const Source *src, Loc loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Appends a copy of e (which may be one of d's own) to d, its place moved
** by line_shift lines and named file (NULL: as it was).  Returns the copy
** or NULL. */
Diag *diag_copy(Diags *d, const Diag *e, const char *file, int line_shift);

/* The first error of d with the given code, or NULL. */
const Diag *diags_find(const Diags *d, DiagCode code);

typedef struct DiagStyle {
    bool color;          /* ANSI colours */
    const char *tool;    /* how an error without a file begins: "bmc" gives "bmc: error: ",
                         ** NULL just "error: " */
} DiagStyle;

/* Prints every error (or warning) with its line and caret, its note and
** related place, and a count of those not kept. */
void diags_print(const Diags *d, FILE *f, const DiagStyle *style);

/* The candidate closest to word by edit distance, if close enough to be a
** likely misspelling; else NULL. */
const char *diag_suggest(const char *word, const char *const *cands, int n);

/* The same for a word typed as a command or an option (--chain, sim): one
** that begins exactly one candidate, with two characters or more past its
** dashes, means that one; otherwise as diag_suggest. */
const char *diag_suggest_abbrev(const char *word, const char *const *cands, int n);

/* A Loc covering a .. b. */
Loc loc_span(Loc a, Loc b);

#endif
