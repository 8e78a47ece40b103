/*
** lower_state.h -- what the three parts of lowering share: the state of
** one lowering, and the helpers each part offers the others.
**
**   lower.c        statements in dependency order, loops unrolled, symbols
**                  defined whole or element by element, cycles reported
**   lower_expr.c   expressions: shapes checked, data-only parts folded
**   lower_dist.c   distributions: arguments, supports, parameters and
**                  their transforms, likelihood terms
**
** Every helper that fails returns -1 (or false) after reporting why in
** L->diags; nothing fails silently.
*/
#ifndef BMC_LOWER_STATE_H
#define BMC_LOWER_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include "lower.h"
#include "ops.h"

enum { UNSEEN, DOING, DONE, FAILED };

typedef struct SymState {
    int slot;          /* the whole value, -1 until made */
    int name;          /* index into the model's names */
    uint8_t state;
    long rank, dims[2];/* elementwise: the extent found by scanning */
    uint8_t *defined;  /* elementwise: 0 not yet, 1 data, 2 computed */
    const Stmt **defined_by; /* elementwise: the statement that defined each element */
    bool any_computed;
} SymState;

typedef struct LoopVar {
    const char *name;
    long value;
} LoopVar;

/* An output waiting to be ordered by where its name is defined. */
typedef struct PendingOutput {
    IrOutput out;
    Loc loc;
} PendingOutput;

typedef struct Lower {
    Program *prog;
    const Sema *sema;
    Diags *diags;
    const DataSet *data;
    IrModel *m;
    SymState *ss;
    uint8_t *top_state;
    LoopVar env[AST_MAX_DEPTH * 2];
    int nenv, env_base;
    long unrolled;
    int line;
    bool oom;
    PendingOutput *outs;
    int nouts, cap_outs;
    const Symbol **chain;  /* whole names being defined, outermost first: a cycle's path */
    int nchain;
} Lower;

/* A slot's description.  The pointer lasts until the next slot is added:
** read what is needed before lowering anything else. */
static inline const IrSlot *slot(const Lower *L, int id) { return &L->m->slots[id]; }
static inline double *val(Lower *L, int id) { return ir_init_value(L->m, id); }
static inline SymState *state_of(Lower *L, const Symbol *sym) { return &L->ss[sema_index(L->sema, sym)]; }

/* ---- lower_expr.c ---- */

/* An adder of ir.c refused: a limit of the IR, or memory itself.  Reports
** it once. */
void lower_oom(Lower *L, Loc loc);
/* "a scalar", "a vector of length 3", "a 2x3 matrix". */
void lower_describe(const Lower *L, int id, char *buf, size_t size);
int lower_const_slot(Lower *L, int rank, long rows, long cols, Loc loc);
int lower_scalar_const(Lower *L, double v, Loc loc);
/* Marks a data slot integer when all its elements are whole numbers. */
void lower_mark_int(Lower *L, int id);
/* Fills a for running ins once at compile time over the model's images. */
void lower_fold_args(Lower *L, const IrInstr *ins, OpArgs *a);
/* Emits op over inputs in[0..nin) into a new slot of the given shape:
** computed now when every input is data, else an instruction. */
int lower_emit(Lower *L, IrOp op, int aux, const int *in, int nin, int rank, long rows, long cols, Loc loc);
/* A data scalar that must be a whole number in [lo, hi]: its value in *v. */
int lower_whole_number(Lower *L, int id, const Expr *e, const char *what, long lo, long hi, long *v);
/* The slot of an expression's value. */
int lower_expr(Lower *L, Expr *e);

/* ---- lower_dist.c ---- */

/* Lowers a distribution call's arguments into args[]; checks what data
** arguments can be checked now. */
int lower_dist_args(Lower *L, Expr *call, int *args);
/* The common length n of a distribution's value (x, or -1 for none) and
** arguments: each has n elements or one. */
int lower_dist_length(Lower *L, Expr *call, int x, const Expr *xe, const int *args, long *n);
/* Adds the log density of data x under the call: a likelihood term. */
int lower_likelihood(Lower *L, Expr *call, int x, const Expr *xe);
/* Maps n fresh coordinates to constrained values in out (a WORK slot, or
** -1 to make one) by the support's transform; records the parameter and
** its prior.  Returns the slot of the values. */
int lower_declare_param(Lower *L, Expr *call, const int *args, int rank, long n, int out, int name, long elem, Loc loc);
/* A '~' that would declare a discrete parameter is refused. */
int lower_refuse_discrete(Lower *L, const Stmt *st);
/* name ~ Dist(args);  or  name[n] ~ Dist(args); */
int lower_define_param(Lower *L, const Symbol *sym, Stmt *st);

/* ---- lower.c ---- */

/* The slot of a symbol's value, lowering its definition first when it has
** not been: the order of statements in the file does not matter. */
int lower_resolve(Lower *L, const Symbol *sym, Loc use);
/* Records a reported quantity, to be ordered by its place in the file. */
void lower_add_output(Lower *L, int name, int id, bool is_param, Loc loc);

#endif
