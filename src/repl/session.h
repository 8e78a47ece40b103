/*
** session.h -- what the parts of `bmc repl` share: the session (the model
** typed so far, its data, the last sample) and the commands' entry points.
**
**   repl.c           the loop: lines to statements and commands
**   repl_line.c      reading lines: readline, history, completion, Ctrl-C
**   repl_model.c     the model text: compiling it, :model, :reset, :load, :save, :data
**   repl_edit.c      changing it: statements added or replacing others, :drop, :undo
**   repl_sample.c    :sample, :summary, :plot
**   repl_dist.c      :dist, what a distribution says
**   repl_logp.c      :logp
*/
#ifndef BMC_SESSION_H
#define BMC_SESSION_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "compile.h"
#include "report.h"
#include "sampling.h"
#include "status.h"
#include "terminal.h"

#define REPL_NAME "<repl>"         /* the source name of a typed statement */
#define REPL_STDIN_NAME "<stdin>"  /* ... and of one read from a script */
#define REPL_MODEL_NAME "<model>"  /* of the whole model, before :load or :save names a file */

/* One change of the model's text, for :undo: text[at, at + len) held the
** old_len bytes of old before it. */
typedef struct ReplChange {
    size_t at, len;
    char *old;
    size_t old_len;
    char *name;             /* the model's source name before, when the change gave it another; else NULL */
    char *undo_says;        /* what :undo prints, "dropped: ...\n" */
} ReplChange;

/* The draws of the last :sample and what its summary needs. */
typedef struct ReplSample {
    Sampled run;            /* run.res.draws is NULL when there is no sample */
    char *model_name;       /* the label run.info points to */
    double hdi_prob;
    int round;
    bool stale;             /* the model changed after it was drawn */
} ReplSample;

typedef struct Session {
    char *text;             /* the model so far: whole statements, each ending in '\n' */
    size_t len, cap;
    ReplChange *changes;    /* every change of text, the last one last */
    int nchanges, cap_changes;
    char *name;             /* source name of the whole model: REPL_MODEL_NAME or a file */
    char **data_args;       /* ":data" items as typed ("y=[1,2]", or a .json file) */
    int ndata;
    DataSet *data;          /* built from data_args */
    Model *model;           /* the last check of text (names for completion); may be NULL */
    ReplSample sample;
    bool interactive;       /* stdin is a terminal: readline, prompts, colours */
    bool color;             /* colours on stderr */
    bool plot_color;        /* colours in pictures (stdout) */
    bool utf8;              /* block characters in pictures */
    bool quit;
    int errors;             /* errors so far */
    int input_line;         /* lines read so far */
    int history_added;      /* lines added to the history this session */
    atomic_int *interrupt;  /* set by Ctrl-C */
} Session;

/* Messages: "error: ..." (counted) and "note: ..." to stderr. */
void repl_error(Session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void repl_note(Session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Errors as the REPL shows them ("error: ..." where there is no file; a
** missing data value is given with :data), counted. */
void repl_print_diags(Session *s, Diags *d);

/* Columns for pictures: the terminal's width when interactive. */
int repl_width(const Session *s);

/* ---- the model (repl_model.c) ---- */

/* Compiles the whole model as opt says (COMPILE_PARTIAL while it is built;
** NULL: a full compile), printing its errors.  NULL after errors. */
Model *repl_compile(Session *s, const CompileOptions *opt);

/* Checks len bytes of text as the session's model, with data: the model
** with its errors, or NULL (said) when out of memory. */
Model *repl_check_text(Session *s, const char *text, size_t len, const DataSet *data);

/* Makes m (owned; may be NULL) the model of the session's text; the last
** sample is then of an older model. */
void repl_set_model(Session *s, Model *m);

/* The lines of len bytes of text: its newlines. */
int repl_count_lines(const char *text, size_t len);

void repl_cmd_model(Session *s, const char *args);
void repl_cmd_reset(Session *s, const char *args);
void repl_cmd_load(Session *s, const char *args);
void repl_cmd_save(Session *s, const char *args);
void repl_cmd_data(Session *s, const char *args);

/* Frees what the session owns. */
void repl_session_free(Session *s);

/* ---- changing the model (repl_edit.c) ---- */

/* Adds a statement (one or more whole statements as typed) to the model
** when the model with it compiles; a statement that defines a name the
** model defines already replaces the statements that did, in their
** place.  When the result does not compile, prints the errors against
** the statement's own lines and leaves the model as it was.  first_line
** is the input line the statement began on: a script's errors (stdin not
** a terminal) name that line of the script, a typed statement's its own
** lines.  Returns 0 or -1. */
int repl_add_statement(Session *s, const char *stmt, int first_line);

/* Makes text (len bytes, malloc'ed, NUL-terminated) the model's text and
** m its model, keeping what :undo needs to take the change back: it then
** prints undo_says.  name, when not NULL, becomes the model's source name.
** Takes every pointer; returns 0, or -1 (said, and nothing changed) when
** out of memory. */
int repl_commit(Session *s, char *text, size_t len, Model *m, char *undo_says, char *name);

/* "verb: text\n", or "verb:\ntext\n" when the len bytes of text hold
** several lines (malloc'ed; NULL when out of memory). */
char *repl_says(const char *verb, const char *text, size_t len);

/* Forgets every change: after :reset nothing is to be undone. */
void repl_changes_free(Session *s);

void repl_cmd_undo(Session *s, const char *args);
void repl_cmd_drop(Session *s, const char *args);

/* Splits "a=1 y=[1, 2, 3] b = 2" into malloc'ed "name=value" items (a
** NULL-terminated array).  Returns NULL after printing why. */
char **repl_split_assigns(Session *s, const char *args, const char *command);
void repl_free_list(char **items);

/* ---- sampling (repl_sample.c) ---- */

void repl_cmd_sample(Session *s, const char *args);
void repl_cmd_prior(Session *s, const char *args);
void repl_cmd_ppc(Session *s, const char *args);
void repl_cmd_summary(Session *s, const char *args);
void repl_cmd_plot(Session *s, const char *args);
void repl_sample_free(ReplSample *r);

/* ---- the rest ---- */

void repl_cmd_dist(Session *s, const char *args);
void repl_cmd_logp(Session *s, const char *args);

/* ---- lines (repl_line.c) ---- */

/* Prepares reading: readline, history, completion and Ctrl-C when
** interactive. */
void repl_line_start(Session *s);
/* The next line without its newline (malloc'ed), or NULL at the end of
** input.  *cancelled is set when Ctrl-C was pressed while it was read:
** the line is then typed afresh after first_prompt, and whatever was
** pending before it is to be dropped. */
char *repl_line_read(Session *s, const char *prompt, const char *first_prompt, bool *cancelled);
/* Ctrl-C stops :sample: catches SIGINT into *s->interrupt while on
** (readline's sessions always catch it). */
void repl_line_catch_interrupt(Session *s, bool on);
/* The terminal's width, into *cols when known. */
void repl_line_screen_size(int *cols);
/* Saves the history and restores the terminal's signals. */
void repl_line_end(Session *s);

/* The ':' commands, for help and completion. */
typedef struct ReplCommand {
    const char *name;       /* ":sample" */
    void (*run)(Session *s, const char *args);
    const char *args;       /* "[draws] [--chains N] ..." */
    const char *help;
} ReplCommand;

int repl_command_count(void);
const ReplCommand *repl_command_at(int i);

#endif
