/*
** lower_state.h -- what the three parts of lowering share: the state of
** one lowering, and the helpers each part offers the others.
**
**   lower.c        statements, loops unrolled, symbols defined whole or
**                  element by element, cycles reported
**   lower_order.c  what a definition needs, lowered before it
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
#include "dist.h"
#include "lower.h"
#include "ops.h"

/* Where a symbol, a statement or an element is in being lowered.  WAITING:
** on the ordering stack of lower_order.c, its dependencies first. */
enum { UNSEEN, DOING, DONE, FAILED, WAITING };

typedef struct LoopVar {
    const char *name;
    long value;
} LoopVar;

/* A statement instance with one element of an element-by-element symbol on
** its left, found by scanning the symbol's loops before any of it is
** lowered: the statement, the values of its loop variables and the
** element's indices.  Each element is lowered from the instance that
** defines it when first needed, so elements may be defined in any order. */
typedef struct ElemInst {
    Stmt *st;
    long env;           /* its loop variables: SymState.envs[env, env + nenv) */
    int nenv;
    long index[2];      /* as written, from 1 */
    uint8_t state;      /* UNSEEN, DOING, DONE, FAILED, WAITING */
} ElemInst;

typedef struct SymState {
    int slot;          /* the whole value, -1 until made */
    int name;          /* index into the model's names */
    uint8_t state;
    uint8_t order;     /* a whole symbol on the ordering stack: WAITING */
    bool warned;       /* its prior has had its warning (lower_dist.c): once per name */
    int posterior[DIST_MAX_ARGS]; /* a conjugate parameter: the constant arguments of its posterior,
                       ** holding the statistics its terms add to as they are lowered until
                       ** lower_finish_conjugate (conjugate.c) */
    /* element by element: */
    int rep;           /* the replicate of its observed values (predictive runs), -1 until made */
    uint8_t *rep_drawn;/* per element of rep: a '~' draws it already */
    long rank, dims[2];/* the extent found by scanning */
    uint8_t *defined;  /* per element: 0 not yet, 1 data, 2 computed */
    bool any_computed;
    long pending;      /* elements not yet lowered */
    ElemInst *inst;    /* every statement instance naming an element */
    long ninst, cap_inst;
    long *def;         /* per element: the instance defining it, -1 none */
    LoopVar *envs;     /* the instances' loop variables */
    long nenvs, cap_envs;
} SymState;

/* A name being defined, or one element of it (elem >= 0): a link of the
** path a cycle message shows. */
typedef struct ChainLink {
    const Symbol *sym;
    long elem;
} ChainLink;

/* An output waiting to be ordered by where its name is defined. */
typedef struct PendingOutput {
    IrOutput out;
    Loc loc;
} PendingOutput;

/* The points of one likelihood term, to be numbered by its place in the
** file (--log-lik): their log densities, the term's name and the slot
** whose shape names them from element first on. */
typedef struct PendingPoints {
    IrInstr ins;       /* IR_LOGPDF_POINTS; out set when log_lik is made */
    int term;
    int shape;
    long first;
    Loc loc;
    int seq;           /* the order found, within one place (a loop's terms) */
} PendingPoints;

/* Definitions lowered inside one another's lowering, at most: each costs
** C stack.  lower_order.c lowers what a definition needs first, so only
** dependencies it cannot see before lowering (indices it cannot evaluate)
** nest at all. */
#define LOWER_MAX_NESTING 1000
/* The C stack lowering may take, in bytes, whatever the nesting: under
** half of the 8 MiB a process or thread is usually given. */
#define LOWER_MAX_STACK (3u << 20)

typedef struct Lower {
    Program *prog;
    const Sema *sema;
    Diags *diags;
    Diags *warnings;       /* of a model that compiles but will sample badly */
    Predictive predictive; /* replicates of the observed values to draw */
    bool simulate;         /* LowerOptions.simulate */
    bool *simulated;       /* per symbol, when simulate: data it draws (sema_modelled_data) */
    const DataSet *fixed;  /* LowerOptions.fixed */
    const Expr *modelled;  /* the name on the left of the '~' being lowered: the one place a
                           ** simulated name may be read */
    const DataSet *data;
    IrModel *m;
    SymState *ss;
    uint8_t *top_state;
    LoopVar *env;          /* loop variables in scope, innermost last */
    int nenv, env_base, cap_env;
    long unrolled;         /* statements run by loops being lowered */
    long scanned;          /* the same while scanning one symbol's loops */
    int nesting;           /* definitions lowered inside one another */
    uintptr_t stack_base;  /* where lower_program's frame is: stack_used() */
    int line;
    bool oom;
    PendingOutput *outs;
    int nouts, cap_outs;
    bool log_lik;          /* LowerOptions.log_lik */
    PendingPoints *points; /* the likelihood terms' points, when log_lik */
    int npoints, cap_points;
    ChainLink *chain;      /* names and elements being defined, outermost first: a cycle's path */
    int nchain, cap_chain;
} Lower;

/* A slot's description.  The pointer lasts until the next slot is added:
** read what is needed before lowering anything else. */
static inline const IrSlot *slot(const Lower *L, int id) { return &L->m->slots[id]; }
static inline double *val(Lower *L, int id) { return ir_init_value(L->m, id); }
static inline SymState *state_of(Lower *L, const Symbol *sym) { return &L->ss[sema_index(L->sema, sym)]; }
/* Whether sym is data that bmc simulate draws (LowerOptions.simulate). */
static inline bool is_simulated(const Lower *L, const Symbol *sym)
{
    return L->simulated && L->simulated[sema_index(L->sema, sym)];
}

/* ---- lower_expr.c ---- */

/* An adder of ir.c refused: a limit of the IR, or memory itself.  Reports
** it once. */
void lower_oom(Lower *L, Loc loc);
/* "a scalar", "a vector of length 3", "a 2x3 matrix". */
void lower_describe(const Lower *L, int id, char *buf, size_t size);
int lower_const_slot(Lower *L, int rank, long rows, long cols, Loc loc);
int lower_scalar_const(Lower *L, double v, Loc loc);
/* The factor e names (data from a text column of a CSV file), or NULL,
** after reporting why when report. */
const DataValue *lower_factor(Lower *L, const Expr *e, bool report);

/* Labels the dimensions of the value name by the levels of the factors
** that size them in its declaration lhs: p[nlevels(page)] has p[A], p[B]. */
void lower_label_dims(Lower *L, int name, const Expr *lhs);

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
/* Adds the log density of data x under the call: a likelihood term; x
** holds (part of) the observed values of sym, whose replicate a
** predictive run draws. */
int lower_likelihood(Lower *L, Expr *call, int x, const Expr *xe, const Symbol *sym);
/* Maps n fresh coordinates to constrained values in out (a WORK slot, or
** -1 to make one) by the support's transform; records the parameter and
** its prior.  Returns the slot of the values. */
int lower_declare_param(Lower *L, Expr *call, const int *args, int rank, long n, int out, int name, long elem, Loc loc);
/* A '~' that would declare a discrete parameter is refused. */
int lower_refuse_discrete(Lower *L, const Stmt *st);
/* name ~ Dist(args);  or  name[n] ~ Dist(args); */
int lower_define_param(Lower *L, const Symbol *sym, Stmt *st);
/* The same for a generated quantity: drawn per draw. */
int lower_define_generated(Lower *L, const Symbol *sym, Stmt *st);
/* A generated quantity whose distribution cannot be drawn from (Flat) is
** refused. */
int lower_refuse_undrawable(Lower *L, const Symbol *sym, const Stmt *st);
/* Emits a draw of n values of the call, its lowered arguments args, into
** slot out (a WORK slot).  Returns out, or -1. */
int lower_draw(Lower *L, Expr *call, const int *args, long n, int out, Loc loc);
/* The same, of distribution index dist rather than the call's. */
int lower_draw_from(Lower *L, int dist, const int *args, long n, int out, Loc loc);
/* The shape of name ~ Dist(args) (its arguments' broadcast) or of
** name[n] ~ Dist(args) (a vector of n): *rank and *n. */
int lower_declared_shape(Lower *L, const Symbol *sym, Stmt *st, const int *args, int *rank, long *n);
/* The values LowerOptions.fixed sets for elements first .. first + n - 1
** of sym (whose storage is slot store), each checked against the support
** of its prior, call with its arguments args (element i of args for
** element first + i, or args of one element).  When it sets any of sym's
** elements, v receives those n, NaN where none is set; else v is left as
** it is.  Returns how many are set, or -1 after saying why. */
long lower_fixed_values(Lower *L, const Symbol *sym, int store, Expr *call, const int *args, long first, long n,
                        double *v);

/* ---- lower.c ---- */

/* The slot of a symbol's value, lowering its definition first when it has
** not been: the order of statements in the file does not matter. */
int lower_resolve(Lower *L, const Symbol *sym, Loc use);
/* For an element-by-element symbol: makes its storage, scanning its
** statements for the elements they define. */
int lower_start_elementwise(Lower *L, const Symbol *sym, Loc use);
/* Element k of an element-by-element symbol with storage: lowers its
** definition when it has not been.  Returns 0, or -1 after saying why. */
int lower_element(Lower *L, const Symbol *sym, long k, Loc use);
/* Lowers whole symbol sym's definition (its top-level statement). */
void lower_whole_definition(Lower *L, const Symbol *sym);
/* Lowers instance i of sym in the loop variables it runs with. */
void lower_instance(Lower *L, const Symbol *sym, long i);
/* The offset of an instance's element in its symbol's storage. */
long lower_inst_offset(const SymState *ss, const ElemInst *in);

/* The path of definitions being lowered, each needing the next: pushes a
** link unless it is the last one already (then false, and nothing to pop). */
bool lower_chain_push(Lower *L, const Symbol *sym, long elem);
void lower_chain_pop(Lower *L);

/* ---- lower_order.c ---- */

/* A symbol, one of its elements (elem >= 0), or all of an element-by-
** element symbol's elements (elem -1). */
typedef struct Unit {
    const Symbol *sym;
    long elem;
} Unit;

/* Lowers what u needs before u, then u, as far as it can see the needs
** from the syntax: without recursion, so chains of any length cost no C
** stack.  Needs it cannot see are met by recursion when u is lowered;
** it reports nothing itself (a cycle it meets is left for lowering to
** find and name). */
void lower_order(Lower *L, Unit u);
/* Records a reported quantity, to be ordered by its place in the file. */
void lower_add_output(Lower *L, int name, int id, bool is_param, Loc loc);
/* The same for the replicate id of the observed values in slot observed,
** called observed_name. */
void lower_add_replicate(Lower *L, int name, int id, int observed, int observed_name, Loc loc);

/* ---- conjugate.c ---- */

/* A conjugate parameter (Symbol.conjugate): drawn at every draw from its
** posterior, whose arguments its terms fill in.  Returns its slot. */
int lower_define_conjugate(Lower *L, const Symbol *sym, Stmt *st);
/* A likelihood term of data x under call (arguments args, n elements)
** on a conjugate parameter: adds its data to the statistics of the
** parameter's posterior and returns 1; 0 when the term is on no
** conjugate parameter, -1 on an error. */
int lower_conjugate_term(Lower *L, Expr *call, int x, const int *args, long n);
/* Once every term is lowered: each conjugate parameter's statistics
** become the arguments of its posterior's draw. */
void lower_finish_conjugate(Lower *L);

/* ---- lower_points.c ---- */

/* Records the points of the likelihood term ins (IR_LOGPDF, n elements)
** on the values x of sym, when LowerOptions.log_lik asks for them. */
void lower_add_points(Lower *L, const IrInstr *ins, int x, const Symbol *sym, Loc loc);
/* Adds the points recorded as one output log_lik[1..N], after every
** other, numbered in the order of their terms in the file.  0, or -1
** after saying why. */
int lower_emit_points(Lower *L);

#endif
