/*
** sema.h -- semantic analysis of a syntax tree, before any data is seen:
** what every name means, which statement defines it, which function or
** distribution each call names, and call arguments bound to parameters.
**
** Checks that need values (shapes, sizes, supports) come in lowering,
** where data are known.
*/
#ifndef BMC_SEMA_H
#define BMC_SEMA_H

#include "ast.h"
#include "diag.h"
#include "name_index.h"

typedef enum {
    SYM_DATA,       /* data name;  values from --data or -D */
    SYM_VALUE,      /* name = expr;  a constant or a deterministic */
    SYM_PARAM,      /* name ~ Dist(...);  a parameter */
    SYM_OBSERVED,   /* name ~ Dist(...) observed expr;  the observed values */
    SYM_GENERATED   /* name ~ Dist(...);  that the log density does not need: drawn
                    ** at each kept draw (sema_mark_generated) */
} SymKind;

/* Whether a name of kind k is declared by '~' without 'observed': a
** parameter, or a generated quantity. */
static inline bool sym_drawn_by_tilde(SymKind k) { return k == SYM_PARAM || k == SYM_GENERATED; }

/* How a model has a symbol, for messages: "declared as data", "defined",
** "declared as a parameter", "observed". */
const char *sema_kind_text(SymKind k);

/* A statement defining (part of) a symbol, and the top-level statement
** holding it (itself, or the outermost loop around it). */
typedef struct SymDef {
    Stmt *stmt;
    int top;
    Stmt **loops;        /* the loops around stmt, outermost first (owned) */
    int nloops;
} SymDef;

typedef struct Symbol {
    const char *name;
    SymKind kind;
    Loc loc;             /* of the first definition */
    bool elementwise;    /* defined element by element: x[i] = ..., x[i] ~ ... in loops */
    bool conjugate;      /* a parameter drawn exactly from its closed-form posterior (conjugate.c) */
    SymDef *defs;
    int ndefs, cap;
} Symbol;

typedef struct Sema {
    Program *prog;
    Diags *diags;
    Symbol *syms;
    int nsyms, cap;
    NameIndex index;     /* finds a symbol by its name */
} Sema;

/* Analyses prog.  Errors go to diags; call sema_free afterwards either
** way.  Binds call arguments in place (EX_CALL kids become positional). */
void sema_run(Sema *s, Program *prog, Diags *diags);

/* Analyses one distribution call on its own, as a model's '~' would: the
** distribution named, its arguments bound to its parameters (no names are
** known).  Errors go to diags; call sema_free afterwards either way. */
void sema_run_call(Sema *s, Expr *call, Diags *diags);
void sema_free(Sema *s);

/* The symbol called name, or NULL; its index through sema_index. */
Symbol *sema_find(const Sema *s, const char *name);
int sema_index(const Sema *s, const Symbol *sym);

/* Turns the parameters the log density does not need into generated
** quantities (generated.c), after sema_run found no error; with
** continuous_stay only the discrete ones (NUTS cannot sample those); with
** all, every parameter (a prior predictive run draws them all).  Returns
** 0, or -1 when out of memory. */
int sema_mark_generated(Sema *s, bool continuous_stay, bool all);

/* Marks in reached (one flag per symbol) every symbol whose value e
** depends on: the names it mentions and, outwards, what their
** definitions mention.  Returns 0, or -1 when out of memory. */
int sema_reach(const Sema *s, const Expr *e, bool *reached);

/* Marks every parameter conjugate (Symbol.conjugate) when all of them are
** in conjugate blocks (conjugate.c), after sema_mark_generated; else
** marks none.  Returns how many it marked, or -1 when out of memory. */
int sema_mark_conjugate(Sema *s);

/* Whether statement st (a '~') declares a parameter, rather than adding
** a likelihood term for data on its left.  A '~' on an element of a vector
** that assignments compute elsewhere is decided by lowering, element by
** element: it declares the elements no assignment defines. */
bool sema_tilde_declares(const Sema *s, const Stmt *st);

/* Which data names a '~' models (y ~ Poisson(lam); or y[i] ~ ... in a
** loop): the observed data, which bmc simulate draws.  modelled has an
** entry per symbol. */
void sema_modelled_data(const Sema *s, bool *modelled);

#endif
