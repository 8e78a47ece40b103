/*
** lower.c -- syntax tree to IR.
**
** Statements are lowered in source order, but a name is lowered when it is
** first needed, so a model may use a name before the line that defines it;
** a name that needs itself is a cycle.  Whatever depends only on data is
** computed here, with the same kernels the evaluator runs (ops.c), and
** becomes a constant; the rest becomes instructions.
*/
#include "lower.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "dist.h"
#include "ops.h"

enum { UNSEEN, DOING, DONE, FAILED };

typedef struct SymState {
    int slot;          /* the whole value, -1 until made */
    int name;          /* index into the model's names */
    uint8_t state;
    long rank, dims[2];/* elementwise: the extent found by scanning */
    uint8_t *defined;  /* elementwise: 0 not yet, 1 data, 2 computed */
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

/* ---- small helpers ---- */

/* An adder of ir.c refused: a limit of the IR, or memory itself. */
static void out_of_memory(Lower *L, Loc loc)
{
    if (L->oom) return;
    L->oom = true;
    const IrModel *m = L->m;
    Diag *e;
    if (m->ncode >= IR_MAX_CODE - 1)
        e = diag_error(L->diags, loc, "the model compiles to more than %d instructions", IR_MAX_CODE);
    else if (m->nwork > IR_MAX_WORK / 2)
        e = diag_error(L->diags, loc, "the model computes more than %ld values per evaluation", IR_MAX_WORK);
    else {
        diag_error(L->diags, loc, "out of memory while compiling");
        return;
    }
    diag_note(e, "write it with vectors, or for less data; docs/language.md lists the limits");
}

/* A slot's description.  The pointer lasts until the next slot is added:
** read what is needed before lowering anything else. */
static const IrSlot *slot(const Lower *L, int id) { return &L->m->slots[id]; }
static double *val(Lower *L, int id) { return ir_init_value(L->m, id); }

static void describe(const Lower *L, int id, char *buf, size_t size)
{
    const IrSlot *s = slot(L, id);
    if (s->rank == 0) snprintf(buf, size, "a scalar");
    else if (s->rank == 1) snprintf(buf, size, "a vector of length %ld", s->len);
    else snprintf(buf, size, "a %ldx%ld matrix", s->rows, s->cols);
}

static SymState *state_of(Lower *L, const Symbol *sym) { return &L->ss[sema_index(L->sema, sym)]; }

static int const_slot(Lower *L, int rank, long rows, long cols, Loc loc)
{
    int id = ir_add_slot(L->m, REGION_CONST, rank, rows, cols, -1);
    if (id < 0) out_of_memory(L, loc);
    return id;
}

static int scalar_const(Lower *L, double v, Loc loc)
{
    int id = const_slot(L, 0, 1, 1, loc);
    if (id < 0) return -1;
    *val(L, id) = v;
    L->m->slots[id].is_int = v == floor(v) && fabs(v) <= 9007199254740992.0;
    return id;
}

static void mark_int(Lower *L, int id)
{
    IrSlot *s = &L->m->slots[id];
    const double *v = val(L, id);
    s->is_int = 1;
    for (long i = 0; i < s->len; i++)
        if (!(v[i] == floor(v[i]) && fabs(v[i]) <= 9007199254740992.0)) { s->is_int = 0; break; }
}

static bool all_finite(const double *v, long n)
{
    for (long i = 0; i < n; i++)
        if (!isfinite(v[i])) return false;
    return true;
}

/* Fills a for running ins once at compile time over the model's images. */
static void fold_args(Lower *L, const IrInstr *ins, OpArgs *a)
{
    memset(a, 0, sizeof *a);
    if (ins->out >= 0) a->out = val(L, ins->out);
    for (int k = 0; k < IR_MAX_ARGS && ins->in[k] >= 0; k++) {
        const IrSlot *s = slot(L, ins->in[k]);
        a->in[k] = val(L, ins->in[k]);
        a->len[k] = s->len;
        if (k == 0) { a->rows = s->rows; a->cols = s->cols; }
    }
}

/* Emits op over inputs in[0..nin) into a new slot of the given shape:
** computed now when every input is data, else an instruction. */
static int emit(Lower *L, IrOp op, int aux, const int *in, int nin, int rank, long rows, long cols, Loc loc)
{
    bool data = true, finite_in = true;
    for (int k = 0; k < nin; k++) {
        data = data && slot(L, in[k])->is_data;
        finite_in = finite_in && all_finite(val(L, in[k]), slot(L, in[k])->len);
    }
    IrInstr ins = { .op = (uint16_t)op, .aux = (uint16_t)aux, .line = loc.first_line };
    for (int k = 0; k < IR_MAX_ARGS; k++) ins.in[k] = k < nin ? in[k] : -1;
    int out = data ? const_slot(L, rank, rows, cols, loc)
                   : ir_add_slot(L->m, REGION_WORK, rank, rows, cols, -1);
    if (out < 0) { out_of_memory(L, loc); return -1; }
    ins.out = out;
    ins.n = slot(L, out)->len;
    if (!data) {
        if (ir_add_instr(L->m, &ins) < 0) { out_of_memory(L, loc); return -1; }
        return out;
    }
    OpArgs a;
    fold_args(L, &ins, &a);
    ops_forward(&ins, &a, false);
    if (finite_in && !all_finite(val(L, out), slot(L, out)->len)) {
        const double *v = val(L, out);
        long i = 0;
        while (isfinite(v[i])) i++;
        Diag *e = diag_error(L->diags, loc, "this expression evaluates to %s%s",
                             isnan(v[i]) ? "NaN (not a number)" : v[i] > 0 ? "infinity" : "-infinity",
                             slot(L, out)->len > 1 ? " (at one element at least)" : "");
        diag_note(e, "its inputs are data, so it is computed once; check them (log of 0 or less, division by 0, ...)");
        return -1;
    }
    mark_int(L, out);
    return out;
}

/* Shape of an elementwise result of a and b: one may be a single value. */
static int broadcast(Lower *L, int a, int b, Loc loc, int *rank, long *rows, long *cols)
{
    const IrSlot *sa = slot(L, a), *sb = slot(L, b);
    const IrSlot *s = sa->len == 1 && sb->len != 1 ? sb : sa;
    if (sa->len == 1 && sb->len == 1) s = sa->rank >= sb->rank ? sa : sb;
    else if (sa->len != 1 && sb->len != 1 &&
             (sa->rank != sb->rank || sa->rows != sb->rows || sa->cols != sb->cols)) {
        char da[64], db[64];
        describe(L, a, da, sizeof da);
        describe(L, b, db, sizeof db);
        Diag *e = diag_error(L->diags, loc, "shapes do not match: %s and %s", da, db);
        diag_note(e, "elementwise operations need equal shapes, or a scalar on one side");
        return -1;
    }
    *rank = s->rank;
    *rows = s->rows;
    *cols = s->cols;
    return 0;
}

/* A data scalar that must be a whole number: its value in *v. */
static int whole_number(Lower *L, int id, const Expr *e, const char *what, long lo, long hi, long *v)
{
    const IrSlot *s = slot(L, id);
    if (!s->is_data) {
        Diag *d = diag_error(L->diags, e->loc, "%s must be known from data; this depends on parameters", what);
        diag_note(d, "sizes, indices and loop bounds are fixed before sampling");
        return -1;
    }
    if (s->len != 1) {
        char buf[64];
        describe(L, id, buf, sizeof buf);
        diag_error(L->diags, e->loc, "%s must be a single number, not %s", what, buf);
        return -1;
    }
    double x = *val(L, id);
    if (!(x == floor(x))) {
        diag_error(L->diags, e->loc, "%s must be a whole number, got %g", what, x);
        return -1;
    }
    if (x < lo || x > hi) {
        diag_error(L->diags, e->loc, "%s must be between %ld and %ld, got %.17g", what, lo, hi, x);
        return -1;
    }
    *v = (long)x;
    return 0;
}

/* ---- expressions ---- */

static int lower_expr(Lower *L, Expr *e);
static int resolve(Lower *L, const Symbol *sym, Loc use);

static int lower_name(Lower *L, Expr *e)
{
    for (int i = L->nenv - 1; i >= L->env_base; i--)
        if (strcmp(L->env[i].name, e->name) == 0) return scalar_const(L, (double)L->env[i].value, e->loc);
    const Symbol *sym = sema_find(L->sema, e->name);
    if (!sym) return -1;   /* reported by sema */
    int id = resolve(L, sym, e->loc);
    if (id < 0) return -1;
    SymState *ss = state_of(L, sym);
    if (sym->elementwise && ss->state != DONE) {
        Diag *d = diag_error(L->diags, e->loc, "'%s' is used as a whole before all its elements are defined", e->name);
        diag_note(d, "use its elements, %s[i], or move this after the loop that defines it", e->name);
        return -1;
    }
    return id;
}

/* The base of x[...] when x is defined element by element and may still
** be in the making: the element must exist already. */
static int element_of_partial(Lower *L, const Symbol *sym, SymState *ss, long k, Loc loc)
{
    if (!ss->defined[k]) {
        Diag *d = diag_error(L->diags, loc, "'%s[%ld]' is used before it is defined", sym->name, k + 1);
        diag_note(d, "elements are defined in order; check the loop bounds and indices");
        return -1;
    }
    int id = ir_add_alias(L->m, ss->slot, k, 0, 1, 1, -1);
    if (id < 0) { out_of_memory(L, loc); return -1; }
    L->m->slots[id].is_data = ss->defined[k] == 1;
    L->m->slots[id].is_int = 0;
    if (ss->defined[k] == 1) mark_int(L, id);
    return id;
}

static int lower_index(Lower *L, Expr *e)
{
    Expr *base = e->kids[0];
    int nidx = e->nkids - 1;
    int idx[2];
    if (nidx > 2) {
        diag_error(L->diags, e->loc, "at most two indices: x[i] or X[i, j]");
        return -1;
    }
    for (int k = 0; k < nidx; k++)
        if ((idx[k] = lower_expr(L, e->kids[k + 1])) < 0) return -1;

    /* An element of a vector still being defined element by element. */
    if (base->kind == EX_NAME) {
        const Symbol *sym = sema_find(L->sema, base->name);
        bool loopvar = false;
        for (int i = L->nenv - 1; i >= L->env_base; i--)
            if (strcmp(L->env[i].name, base->name) == 0) loopvar = true;
        if (sym && !loopvar && sym->elementwise) {
            SymState *ss = state_of(L, sym);
            if (resolve(L, sym, base->loc) < 0) return -1;
            if (ss->state != DONE && nidx >= 1 && slot(L, idx[0])->len == 1) {
                long i, j = 1;
                const IrSlot *v = slot(L, ss->slot);
                long n0 = v->rank == 2 ? v->rows : v->len;
                if (whole_number(L, idx[0], e->kids[1], "an index", 1, n0, &i) < 0) return -1;
                if (v->rank == 2) {
                    if (nidx != 2) { diag_error(L->diags, e->loc, "'%s' is a matrix: index it as %s[i, j]", sym->name, sym->name); return -1; }
                    if (whole_number(L, idx[1], e->kids[2], "an index", 1, v->cols, &j) < 0) return -1;
                    return element_of_partial(L, sym, ss, (i - 1) * v->cols + (j - 1), e->loc);
                }
                if (nidx != 1) { diag_error(L->diags, e->loc, "'%s' is a vector: index it as %s[i]", sym->name, sym->name); return -1; }
                return element_of_partial(L, sym, ss, i - 1, e->loc);
            }
        }
    }

    int b = lower_expr(L, base);
    if (b < 0) return -1;
    const IrSlot *s = slot(L, b);
    char what[64];
    if (s->rank == 0) {
        diag_error(L->diags, e->loc, "a scalar has no elements to index");
        return -1;
    }
    for (int k = 0; k < nidx; k++)
        if (!slot(L, idx[k])->is_data) {
            Diag *d = diag_error(L->diags, e->kids[k + 1]->loc, "an index must be known from data; this depends on parameters");
            diag_note(d, "indices are fixed before sampling");
            return -1;
        }
    if (s->rank == 1) {
        if (nidx != 1) {
            describe(L, b, what, sizeof what);
            diag_error(L->diags, e->loc, "%s takes one index", what);
            return -1;
        }
        const IrSlot *is = slot(L, idx[0]);
        if (is->len == 1 && is->rank == 0) {
            long i;
            if (whole_number(L, idx[0], e->kids[1], "an index", 1, s->len, &i) < 0) return -1;
            int id = ir_add_alias(L->m, b, i - 1, 0, 1, 1, -1);
            if (id < 0) { out_of_memory(L, e->loc); return -1; }
            if (L->m->slots[id].is_data) mark_int(L, id);
            return id;
        }
        /* Gather: an integer vector of positions. */
        const double *iv = val(L, idx[0]);
        for (long i = 0; i < is->len; i++)
            if (!(iv[i] == floor(iv[i]) && iv[i] >= 1 && iv[i] <= s->len)) {
                diag_error(L->diags, e->kids[1]->loc, "index vector holds %g at element %ld; indices run from 1 to %ld",
                           iv[i], i + 1, s->len);
                return -1;
            }
        int in[2] = {b, idx[0]};
        return emit(L, IR_GATHER, 0, in, 2, 1, is->len, 1, e->loc);
    }
    /* a matrix: a row, or an element */
    long i, j;
    if (whole_number(L, idx[0], e->kids[1], "a row index", 1, s->rows, &i) < 0) return -1;
    if (nidx == 1) return ir_add_alias(L->m, b, (i - 1) * s->cols, 1, s->cols, 1, -1);
    if (whole_number(L, idx[1], e->kids[2], "a column index", 1, s->cols, &j) < 0) return -1;
    int id = ir_add_alias(L->m, b, (i - 1) * s->cols + (j - 1), 0, 1, 1, -1);
    if (id >= 0 && L->m->slots[id].is_data) mark_int(L, id);
    return id;
}

static int lower_vector(Lower *L, Expr *e)
{
    int n = e->nkids;
    int *el = malloc((n ? n : 1) * sizeof *el);
    if (!el) { out_of_memory(L, e->loc); return -1; }
    bool data = true;
    int result = -1;
    for (int i = 0; i < n; i++) {
        if ((el[i] = lower_expr(L, e->kids[i])) < 0) goto done;
        data = data && slot(L, el[i])->is_data;
    }
    /* [[1, 2], [3, 4]]: rows of a data matrix */
    if (n > 0 && slot(L, el[0])->rank == 1) {
        long cols = slot(L, el[0])->len;
        for (int i = 0; i < n; i++) {
            const IrSlot *row = slot(L, el[i]);
            if (row->rank != 1) {
                char what[64];
                describe(L, el[i], what, sizeof what);
                Diag *d = diag_error(L->diags, e->kids[i]->loc, "row %d of this matrix is %s, not a vector", i + 1, what);
                diag_note(d, "a matrix is written as its rows: [[1, 2], [3, 4]]");
                goto done;
            }
            if (row->len != cols) {
                Diag *d = diag_error(L->diags, e->kids[i]->loc, "the rows of a matrix must have equal lengths: "
                                     "row %d has %ld element%s, row 1 has %ld", i + 1, row->len,
                                     row->len == 1 ? "" : "s", cols);
                diag_note(d, "a matrix is written as its rows: [[1, 2], [3, 4]]");
                goto done;
            }
            if (!row->is_data) {
                Diag *d = diag_error(L->diags, e->kids[i]->loc, "a matrix literal holds data; row %d depends on parameters",
                                     i + 1);
                diag_note(d, "matrices are data: build vectors of parameters instead");
                goto done;
            }
        }
        if ((result = const_slot(L, 2, n, cols, e->loc)) < 0) goto done;
        for (int i = 0; i < n; i++) memcpy(val(L, result) + i * cols, val(L, el[i]), cols * sizeof(double));
        mark_int(L, result);
        goto done;
    }
    for (int i = 0; i < n; i++)
        if (slot(L, el[i])->rank != 0) {
            char what[64];
            describe(L, el[i], what, sizeof what);
            Diag *d = diag_error(L->diags, e->kids[i]->loc, "element %d of this vector is %s, not a number", i + 1, what);
            diag_note(d, "vectors do not nest; a matrix is written as rows of data: [[1, 2], [3, 4]]");
            goto done;
        }
    result = data ? const_slot(L, 1, n, 1, e->loc) : ir_add_slot(L->m, REGION_WORK, 1, n, 1, -1);
    if (result < 0) { out_of_memory(L, e->loc); goto done; }
    for (int i = 0; i < n; i++) {
        if (slot(L, el[i])->is_data) { val(L, result)[i] = *val(L, el[i]); continue; }
        int at = ir_add_alias(L->m, result, i, 0, 1, 1, -1);
        IrInstr ins = { .op = IR_COPY, .out = at, .in = {el[i], -1, -1, -1}, .n = 1, .line = e->loc.first_line };
        if (at < 0 || ir_add_instr(L->m, &ins) < 0) { out_of_memory(L, e->loc); result = -1; goto done; }
    }
    if (data) mark_int(L, result);
done:
    free(el);
    return result;
}

static int lower_binary(Lower *L, Expr *e)
{
    int a = lower_expr(L, e->kids[0]);
    int b = a < 0 ? -1 : lower_expr(L, e->kids[1]);
    if (b < 0) return -1;
    if (e->op == OP_MATMUL) {
        const IrSlot *sa = slot(L, a), *sb = slot(L, b);
        if (sa->rank != 2 || sb->rank != 1 || sa->cols != sb->len) {
            char da[64], db[64];
            describe(L, a, da, sizeof da);
            describe(L, b, db, sizeof db);
            Diag *d = diag_error(L->diags, e->loc, "'@' needs a matrix and a vector of its column count; got %s and %s", da, db);
            diag_note(d, "X @ beta multiplies an N x K matrix by a vector of K; dot(a, b) multiplies two vectors");
            return -1;
        }
        if (sa->cols == 0) {   /* a sum over no columns: zeros, and no BLAS call with a zero stride */
            int z = const_slot(L, 1, sa->rows, 1, e->loc);
            if (z >= 0) {
                memset(val(L, z), 0, (size_t)sa->rows * sizeof(double));
                mark_int(L, z);
            }
            return z;
        }
        int in[2] = {a, b};
        return emit(L, IR_MATVEC, 0, in, 2, 1, sa->rows, 1, e->loc);
    }
    static const IrOp ops[] = {
        [OP_ADD] = IR_ADD, [OP_SUB] = IR_SUB, [OP_MUL] = IR_MUL, [OP_DIV] = IR_DIV, [OP_POW] = IR_POW,
        [OP_LT] = IR_LT, [OP_LE] = IR_LE, [OP_GT] = IR_GT, [OP_GE] = IR_GE, [OP_EQ] = IR_EQ,
        [OP_NE] = IR_NE, [OP_AND] = IR_AND, [OP_OR] = IR_OR,
    };
    int rank;
    long rows, cols;
    if (broadcast(L, a, b, e->loc, &rank, &rows, &cols) < 0) return -1;
    int in[2] = {a, b};
    return emit(L, ops[e->op], 0, in, 2, rank, rows, cols, e->loc);
}

static int lower_call(Lower *L, Expr *e)
{
    const Builtin *f = builtin_at(e->ref);
    int in[2];
    for (int k = 0; k < e->nkids; k++)
        if ((in[k] = lower_expr(L, e->kids[k])) < 0) return -1;
    const IrSlot *s = slot(L, in[0]);
    switch (f->kind) {
    case BF_UNARY:
        return emit(L, IR_MATH, f->code, in, 1, s->rank, s->rows, s->cols, e->loc);
    case BF_BINARY: {
        int rank;
        long rows, cols;
        if (broadcast(L, in[0], in[1], e->loc, &rank, &rows, &cols) < 0) return -1;
        return emit(L, (IrOp)f->code, 0, in, 2, rank, rows, cols, e->loc);
    }
    case BF_REDUCE:
        if (f->code == IR_SD && s->len < 2) {
            diag_error(L->diags, e->loc, "sd needs at least two elements");
            return -1;
        }
        if (s->len == 0 && f->code == IR_MEAN) {
            diag_error(L->diags, e->loc, "mean of no elements");
            return -1;
        }
        return emit(L, (IrOp)f->code, 0, in, 1, 0, 1, 1, e->loc);
    case BF_DOT:
        if (s->rank != 1 || slot(L, in[1])->rank != 1 || s->len != slot(L, in[1])->len) {
            char da[64], db[64];
            describe(L, in[0], da, sizeof da);
            describe(L, in[1], db, sizeof db);
            diag_error(L->diags, e->loc, "dot needs two vectors of the same length; got %s and %s", da, db);
            return -1;
        }
        return emit(L, IR_DOT, 0, in, 2, 0, 1, 1, e->loc);
    case BF_LENGTH:
        return scalar_const(L, (double)s->len, e->loc);
    }
    return -1;
}

static int lower_expr(Lower *L, Expr *e)
{
    if (L->oom) return -1;
    int line = L->line;
    L->line = e->loc.first_line;
    int r = -1;
    switch (e->kind) {
    case EX_NUM: r = scalar_const(L, e->num, e->loc); break;
    case EX_NAME: r = lower_name(L, e); break;
    case EX_INDEX: r = lower_index(L, e); break;
    case EX_VECTOR: r = lower_vector(L, e); break;
    case EX_CALL: r = lower_call(L, e); break;
    case EX_BINARY: r = lower_binary(L, e); break;
    case EX_UNARY: {
        int a = lower_expr(L, e->kids[0]);
        if (a < 0) break;
        const IrSlot *s = slot(L, a);
        r = emit(L, e->op == OP_NEG ? IR_NEG : IR_NOT, 0, &a, 1, s->rank, s->rows, s->cols, e->loc);
        break;
    }
    }
    L->line = line;
    return r;
}

/* ---- distributions: arguments, supports, likelihood terms ---- */

/* Lowers a distribution call's arguments into args[]; checks what data
** arguments can be checked now. */
static int lower_dist_args(Lower *L, Expr *call, int *args)
{
    const DistInfo *d = dist_at(call->ref);
    for (int k = 0; k < d->nargs; k++) {
        if ((args[k] = lower_expr(L, call->kids[k])) < 0) return -1;
        const IrSlot *s = slot(L, args[k]);
        if (s->rank == 2) {
            diag_error(L->diags, call->kids[k]->loc, "%s's %s is a matrix; arguments are scalars or vectors",
                       d->name, d->arg_names[k]);
            return -1;
        }
        if (!s->is_data) {
            if (d->arg_constraint[k] == ARG_COUNT) {
                Diag *e = diag_error(L->diags, call->kids[k]->loc, "%s's %s must be known from data", d->name,
                                     d->arg_names[k]);
                diag_note(e, "a count cannot depend on parameters");
                return -1;
            }
            continue;
        }
        const double *v = val(L, args[k]);
        for (long i = 0; i < s->len; i++) {
            if (dist_arg_valid(d, k, v[i])) continue;
            static const char *const need[] = {
                [ARG_REAL] = "a finite number", [ARG_POSITIVE] = "positive",
                [ARG_UNIT] = "a probability in [0, 1]", [ARG_COUNT] = "a whole number >= 0"};
            char at[48] = "";
            if (s->len > 1) snprintf(at, sizeof at, " (element %ld)", i + 1);
            Diag *e = diag_error(L->diags, call->kids[k]->loc, "%s's %s must be %s, got %g%s", d->name,
                                 d->arg_names[k], need[d->arg_constraint[k]], v[i], at);
            diag_note(e, "%s", d->summary);
            return -1;
        }
    }
    if (d->support == SUPPORT_INTERVAL && slot(L, args[0])->is_data && slot(L, args[1])->is_data) {
        const IrSlot *a = slot(L, args[0]), *b = slot(L, args[1]);
        long n = a->len > b->len ? a->len : b->len;
        for (long i = 0; i < n; i++)
            if (!(val(L, args[0])[a->len > 1 ? i : 0] < val(L, args[1])[b->len > 1 ? i : 0])) {
                Diag *e = diag_error(L->diags, call->loc, "%s needs %s < %s", d->name, d->arg_names[0],
                                     d->arg_names[1]);
                diag_note(e, "here %s = %g and %s = %g%s", d->arg_names[0], val(L, args[0])[a->len > 1 ? i : 0],
                          d->arg_names[1], val(L, args[1])[b->len > 1 ? i : 0], n > 1 ? " (at one element)" : "");
                return -1;
            }
    }
    return 0;
}

/* The common length n of a distribution's value and arguments: each has n
** elements or one. */
static int dist_length(Lower *L, Expr *call, int x, const Expr *xe, const int *args, long *n)
{
    const DistInfo *d = dist_at(call->ref);
    long len = x >= 0 ? slot(L, x)->len : 1;
    for (int k = 0; k < d->nargs; k++)
        if (slot(L, args[k])->len != 1) len = len == 1 ? slot(L, args[k])->len : len;
    if (x >= 0 && slot(L, x)->len != 1 && slot(L, x)->len != len) goto mismatch;
    for (int k = 0; k < d->nargs; k++) {
        long l = slot(L, args[k])->len;
        if (l != 1 && l != len) {
            char buf[64];
            describe(L, args[k], buf, sizeof buf);
            Diag *e = diag_error(L->diags, call->kids[k]->loc, "%s's %s is %s, but the values have %ld element%s",
                                 d->name, d->arg_names[k], buf, len, len == 1 ? "" : "s");
            diag_note(e, "arguments are scalars, or vectors as long as the values");
            return -1;
        }
    }
    *n = len;
    return 0;
mismatch:;
    char buf[64];
    describe(L, x, buf, sizeof buf);
    diag_error(L->diags, xe ? xe->loc : call->loc, "the values are %s, but %s's arguments have %ld elements",
               buf, d->name, len);
    return -1;
}

/* Checks observed values against the support, as far as data allow. */
static int check_observed(Lower *L, Expr *call, int x, const Expr *xe, const int *args, long n)
{
    const DistInfo *d = dist_at(call->ref);
    bool args_data = true;
    for (int k = 0; k < d->nargs; k++) args_data = args_data && slot(L, args[k])->is_data;
    if (d->support == SUPPORT_INTERVAL && !args_data) return 0;   /* checked while sampling */
    const IrSlot *xs = slot(L, x);
    double arg[DIST_MAX_ARGS];
    for (long i = 0; i < n; i++) {
        double xv = val(L, x)[xs->len > 1 ? i : 0];
        for (int k = 0; k < d->nargs; k++) {
            const IrSlot *s = slot(L, args[k]);
            if (s->is_data) arg[k] = val(L, args[k])[s->len > 1 ? i : 0];
            else arg[k] = d->arg_constraint[k] == ARG_UNIT ? 0.5 : d->arg_constraint[k] == ARG_POSITIVE ? 1 : 0;
        }
        if (dist_in_support(d, xv, arg)) continue;
        char at[48] = "";
        if (xs->len > 1) snprintf(at, sizeof at, " (element %ld)", i + 1);
        Diag *e;
        if (d->discrete && isfinite(xv) && xv != floor(xv))
            e = diag_error(L->diags, xe->loc, "observed value %g%s is not a whole number; %s counts take the values %s",
                           xv, at, d->name, dist_support_text(d));
        else
            e = diag_error(L->diags, xe->loc, "observed value %g%s is outside the support of %s: %s",
                           xv, at, d->name, dist_support_text(d));
        if (d->support == SUPPORT_BOUNDED_COUNT) {
            for (int k = 0; k < d->nargs; k++)
                if (d->arg_constraint[k] == ARG_COUNT) diag_note(e, "here %s = %g", d->arg_names[k], arg[k]);
        } else if (d->support == SUPPORT_INTERVAL) {
            diag_note(e, "here %s = %g and %s = %g", d->arg_names[0], arg[0], d->arg_names[1], arg[1]);
        }
        return -1;
    }
    return 0;
}

/* Many values that share scalar arguments: when the family has sufficient
** statistics, compute them now and sum the log density through them, so a
** gradient costs the same for a million values as for one. */
static int suff_stats(Lower *L, const DistInfo *d, IrInstr *ins, int x, const int *args)
{
    if (!d->suff_logpdf || slot(L, x)->len < 2) return 0;
    double arg[DIST_MAX_ARGS];
    for (int k = 0; k < d->nargs; k++) {
        if (slot(L, args[k])->len != 1) return 0;
        arg[k] = slot(L, args[k])->is_data ? *val(L, args[k]) : NAN;
    }
    int s = const_slot(L, 1, d->nstats, 1, (Loc){ins->line, 1, ins->line, 1});
    if (s < 0) return -1;
    d->suff_stats(val(L, x), slot(L, x)->len, arg, val(L, s));
    ins->op = IR_LOGPDF_SUFF;
    ins->in[0] = s;
    ins->n = 1;
    return 0;
}

/* When the family's normalising constant has a part that depends on the
** values and count arguments alone, and those are data, sums that part
** into the model's constant now and leaves the rest to the sampler. */
static void split_data_part(Lower *L, const DistInfo *d, IrInstr *ins, int x, const int *args)
{
    if (!d->data_part) return;
    for (int k = 0; k < d->nargs; k++)
        if (d->arg_constraint[k] == ARG_COUNT && !slot(L, args[k])->is_data) return;
    const IrSlot *xs = slot(L, x);
    double arg[DIST_MAX_ARGS] = {0}, sum = 0;
    for (long i = 0; i < ins->n; i++) {
        for (int k = 0; k < d->nargs; k++) {
            const IrSlot *s = slot(L, args[k]);
            arg[k] = d->arg_constraint[k] == ARG_COUNT ? val(L, args[k])[s->len > 1 ? i : 0] : NAN;
        }
        sum += d->data_part(val(L, x)[xs->len > 1 ? i : 0], arg);
    }
    L->m->lp_const += sum;
    ins->op = IR_LOGPDF_REST;
}

/* Bernoulli(inv_logit(t)) and Binomial(n, inv_logit(t)) are their logit_p
** parameterisations: the log density straight from the log-odds, in log
** space, without a pass for inv_logit and its adjoint.  Returns fused, a
** copy of call made so (kids holds its arguments), or call itself. */
static Expr *fuse_logit(Expr *call, Expr *fused, Expr **kids)
{
    const DistInfo *d = dist_at(call->ref);
    if (d->alternative) return call;
    for (int k = 0; k < d->nargs; k++) {
        if (strcmp(d->arg_names[k], "p") != 0) continue;
        const Expr *a = call->kids[k];
        const Builtin *b = a->kind == EX_CALL && a->nkids == 1 ? builtin_at(a->ref) : NULL;
        if (!b || b->kind != BF_UNARY || b->code != FN_INV_LOGIT) return call;
        const char *names[DIST_MAX_ARGS];
        for (int j = 0; j < d->nargs; j++) names[j] = j == k ? "logit_p" : d->arg_names[j];
        const DistInfo *v = dist_variant(d, names, d->nargs);
        if (!v || v == d || v->nargs != d->nargs || strcmp(v->arg_names[k], "logit_p") != 0) return call;
        *fused = *call;
        for (int j = 0; j < d->nargs; j++) kids[j] = j == k ? a->kids[0] : call->kids[j];
        fused->kids = kids;
        fused->ref = dist_index(v);
        return fused;
    }
    return call;
}

/* Emits the log density of data x under the call: a likelihood term. */
static int likelihood(Lower *L, Expr *call, int x, const Expr *xe)
{
    Expr fused, *fused_kids[DIST_MAX_ARGS];
    call = fuse_logit(call, &fused, fused_kids);
    const DistInfo *d = dist_at(call->ref);
    if (d->improper) {
        Diag *e = diag_error(L->diags, call->name_loc, "%s is improper and cannot describe observed data", d->name);
        diag_note(e, "use it as a prior: theta ~ %s();", d->name);
        return -1;
    }
    const IrSlot *xs = slot(L, x);
    if (!xs->is_data) {
        Diag *e = diag_error(L->diags, xe->loc, "the observed values depend on parameters");
        diag_note(e, "observed values are data; a '~' on a computed quantity would need a Jacobian");
        return -1;
    }
    if (xs->rank == 2) {
        diag_error(L->diags, xe->loc, "observed values are a matrix; observe a vector or its rows");
        return -1;
    }
    int args[DIST_MAX_ARGS];
    long n;
    if (lower_dist_args(L, call, args) < 0) return -1;
    if (dist_length(L, call, x, xe, args, &n) < 0) return -1;
    if (check_observed(L, call, x, xe, args, n) < 0) return -1;
    IrInstr ins = { .op = IR_LOGPDF, .aux = (uint16_t)call->ref, .out = -1, .n = n, .line = call->loc.first_line };
    ins.in[0] = x;
    for (int k = 0; k < IR_MAX_ARGS - 1; k++) ins.in[k + 1] = k < d->nargs ? args[k] : -1;
    bool data = true;
    for (int k = 0; k < d->nargs; k++) data = data && slot(L, args[k])->is_data;
    if (data) {   /* a term on data alone: a constant of the density */
        OpArgs a;
        fold_args(L, &ins, &a);
        L->m->lp_const += ops_forward(&ins, &a, false);
        return 0;
    }
    if (suff_stats(L, d, &ins, x, args) < 0) return -1;
    if (ins.op == IR_LOGPDF) split_data_part(L, d, &ins, x, args);
    if (ir_add_instr(L->m, &ins) < 0) { out_of_memory(L, call->loc); return -1; }
    return 0;
}

/* ---- parameters ---- */

/* Maps n fresh coordinates to constrained values in out (a WORK slot, or
** -1 to make one) by the support's transform; records the parameter. */
static int declare_param(Lower *L, Expr *call, const int *args, int rank, long n, int out,
                         int name, long elem, Loc loc)
{
    const DistInfo *d = dist_at(call->ref);
    IrModel *m = L->m;
    IrInstr tf = { .out = -1, .in = {-1, -1, -1, -1}, .n = n, .line = loc.first_line };
    switch (d->support) {
    case SUPPORT_REAL:
        break;
    case SUPPORT_POSITIVE:
        tf.op = IR_TF_LOWER;
        if ((tf.in[1] = scalar_const(L, 0, loc)) < 0) return -1;
        break;
    case SUPPORT_UNIT:
        tf.op = IR_TF_BOUNDS;
        if ((tf.in[1] = scalar_const(L, 0, loc)) < 0 || (tf.in[2] = scalar_const(L, 1, loc)) < 0) return -1;
        break;
    case SUPPORT_INTERVAL:
        tf.op = IR_TF_BOUNDS;
        tf.in[1] = args[0];
        tf.in[2] = args[1];
        break;
    default:
        return -1;   /* discrete: refused by the caller */
    }
    if (m->dim + n > LOWER_MAX_PARAMS) {
        Diag *e = diag_error(L->diags, loc, "the model would have more than %ld parameter elements", LOWER_MAX_PARAMS);
        diag_note(e, "NUTS needs a gradient of every parameter at every step; reduce the model");
        return -1;
    }
    IrParam p = { .name = name, .elem = elem, .ucoord = m->dim, .len = n, .tf = -1, .dist = call->ref };
    if (out < 0 && (out = ir_add_slot(m, REGION_WORK, rank, n, 1, -1)) < 0) { out_of_memory(L, loc); return -1; }
    if (tf.in[1] < 0) {
        p.uslot = out;   /* identity: the coordinates are the values */
    } else {
        if ((p.uslot = ir_add_slot(m, REGION_WORK, rank, n, 1, -1)) < 0) { out_of_memory(L, loc); return -1; }
        tf.in[0] = p.uslot;
        tf.out = out;
        if ((p.tf = ir_add_instr(m, &tf)) < 0) { out_of_memory(L, loc); return -1; }
    }
    p.slot = out;
    m->dim += n;
    if (ir_add_param(m, &p) < 0) { out_of_memory(L, loc); return -1; }
    IrInstr lp = { .op = IR_LOGPDF, .aux = (uint16_t)call->ref, .out = -1, .n = n, .line = loc.first_line };
    lp.in[0] = out;
    for (int k = 0; k < IR_MAX_ARGS - 1; k++) lp.in[k + 1] = k < d->nargs ? args[k] : -1;
    if (ir_add_instr(m, &lp) < 0) { out_of_memory(L, loc); return -1; }
    return out;
}

static int refuse_discrete(Lower *L, const Stmt *st)
{
    const DistInfo *d = dist_at(st->rhs->ref);
    if (!d->discrete) return 0;
    Diag *e = diag_error(L->diags, st->lhs->loc,
                         "'%s' would be a discrete parameter (%s); NUTS samples continuous parameters only",
                         stmt_lhs_name(st), d->name);
    diag_note(e, "observe it with 'observed', or sum it out of the model");
    return -1;
}

static void add_output(Lower *L, int name, int id, bool is_param, Loc loc)
{
    if (L->nouts == L->cap_outs) {
        int cap = L->cap_outs ? L->cap_outs * 2 : 16;
        PendingOutput *p = realloc(L->outs, cap * sizeof *p);
        if (!p) { out_of_memory(L, loc); return; }
        L->outs = p;
        L->cap_outs = cap;
    }
    L->outs[L->nouts++] = (PendingOutput){ {name, id, is_param}, loc };
}

/* ---- symbols ---- */

static void lower_top(Lower *L, int top);

/* name ~ Dist(args);  or  name[n] ~ Dist(args); */
static int define_param(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (refuse_discrete(L, st) < 0) return -1;
    int args[DIST_MAX_ARGS];
    if (lower_dist_args(L, st->rhs, args) < 0) return -1;
    long n;
    int rank = 0;
    if (st->lhs->kind == EX_INDEX) {
        if (st->lhs->nkids != 2) {
            diag_error(L->diags, st->lhs->loc, "a parameter is a scalar or a vector: theta[J] ~ ...");
            return -1;
        }
        int sz = lower_expr(L, st->lhs->kids[1]);
        if (sz < 0 || whole_number(L, sz, st->lhs->kids[1], "a size", 1, IR_MAX_ELEMENTS, &n) < 0) return -1;
        rank = 1;
        const DistInfo *d = dist_at(st->rhs->ref);
        for (int k = 0; k < d->nargs; k++) {
            long l = slot(L, args[k])->len;
            if (l != 1 && l != n) {
                char buf[64];
                describe(L, args[k], buf, sizeof buf);
                diag_error(L->diags, st->rhs->kids[k]->loc, "%s's %s is %s, but '%s' has %ld elements",
                           d->name, d->arg_names[k], buf, sym->name, n);
                return -1;
            }
        }
    } else {
        if (dist_length(L, st->rhs, -1, NULL, args, &n) < 0) return -1;
        for (int k = 0; k < dist_at(st->rhs->ref)->nargs; k++)
            if (slot(L, args[k])->rank > 0) rank = 1;
    }
    int id = declare_param(L, st->rhs, args, rank, n, -1, ss->name, -1, st->loc);
    if (id < 0) return -1;
    L->m->slots[id].name = ss->name;
    add_output(L, ss->name, id, true, sym->loc);
    return id;
}

/* data name;  data y[N];  data X[N, K]; */
static int define_data(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    const DataValue *dv = L->data ? dataset_find(L->data, sym->name) : NULL;
    long dims[2] = {0, 0};
    int ndims = st->lhs->kind == EX_INDEX ? st->lhs->nkids - 1 : -1;
    for (int k = 0; k < ndims; k++) {
        int id = lower_expr(L, st->lhs->kids[k + 1]);
        if (id < 0 || whole_number(L, id, st->lhs->kids[k + 1], "a size", 0, IR_MAX_ELEMENTS, &dims[k]) < 0)
            return -1;
    }
    if (!dv) {
        Diag *e = diag_error(L->diags, st->lhs->loc, "no value for data '%s'", sym->name);
        diag_note(e, "pass it with --data FILE.json or -D %s=...", sym->name);
        return -1;
    }
    /* the declared shape must match; 'data y;' takes the value's shape */
    int rank = ndims >= 0 ? ndims : dv->ndim;
    bool ok = ndims < 0 || dv->ndim == ndims;
    if (ndims == 1 && dv->ndim == 1) ok = dv->dims[0] == dims[0];
    if (ndims == 2 && dv->ndim == 2) ok = dv->dims[0] == dims[0] && dv->dims[1] == dims[1];
    if (ndims == 1 && dv->ndim == 0 && dims[0] == 1) ok = true;
    if (!ok) {
        char want[64], got[64];
        if (ndims == 0) snprintf(want, sizeof want, "a number");
        else if (ndims == 1) snprintf(want, sizeof want, "a vector of length %ld", dims[0]);
        else snprintf(want, sizeof want, "a %ldx%ld matrix", dims[0], dims[1]);
        if (dv->ndim == 0) snprintf(got, sizeof got, "a number");
        else if (dv->ndim == 1) snprintf(got, sizeof got, "a vector of length %ld", dv->dims[0]);
        else snprintf(got, sizeof got, "a %ldx%ld matrix", dv->dims[0], dv->dims[1]);
        Diag *e = diag_error(L->diags, st->lhs->loc, "data '%s' should be %s, but %s gives %s", sym->name, want,
                             dv->origin, got);
        if (ndims == 2 && dv->ndim < 2) diag_note(e, "a matrix is given as its rows: [[1, 2], [3, 4]]");
        return -1;
    }
    long rows = rank == 0 ? 1 : dv->dims[0], cols = rank == 2 ? dv->dims[1] : 1;
    if (ndims == 1) rows = dims[0];
    int id = ir_add_slot(L->m, REGION_CONST, rank, rows, cols, ss->name);
    if (id < 0) { out_of_memory(L, st->loc); return -1; }
    memcpy(val(L, id), dv->v, (size_t)slot(L, id)->len * sizeof(double));
    mark_int(L, id);
    return id;
}

/* name = expr; */
static int define_value(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    int id = lower_expr(L, st->rhs);
    if (id < 0) return -1;
    IrSlot *s = &L->m->slots[id];
    if (s->name < 0) s->name = ss->name;
    if (!s->is_data) add_output(L, ss->name, id, false, sym->loc);
    return id;
}

/* name ~ Dist(args) observed expr; */
static int define_observed(Lower *L, const Symbol *sym, Stmt *st)
{
    int x = lower_expr(L, st->observed);
    if (x < 0) return -1;
    if (likelihood(L, st->rhs, x, st->observed) < 0) return -1;
    if (L->m->slots[x].name < 0) L->m->slots[x].name = state_of(L, sym)->name;
    return x;
}

/* Runs define for a whole-name symbol, guarding against cycles. */
static int define_whole(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == DONE || ss->state == FAILED) return ss->slot;
    ss->state = DOING;
    if (L->nchain < L->sema->nsyms) L->chain[L->nchain++] = sym;
    int id = -1;
    switch (sym->kind) {
    case SYM_DATA: id = define_data(L, sym, st); break;
    case SYM_VALUE: id = define_value(L, sym, st); break;
    case SYM_PARAM: id = define_param(L, sym, st); break;
    case SYM_OBSERVED: id = define_observed(L, sym, st); break;
    }
    if (L->nchain > 0 && L->chain[L->nchain - 1] == sym) L->nchain--;
    ss->slot = id;
    ss->state = id < 0 ? FAILED : DONE;
    return id;
}

/* ---- element-by-element definitions ---- */

static long env_push(Lower *L, const char *name, long value)
{
    L->env[L->nenv].name = name;
    L->env[L->nenv].value = value;
    return L->nenv++;
}

/* The bounds of a loop, evaluated. */
static int loop_bounds(Lower *L, Stmt *st, long *from, long *to)
{
    int a = lower_expr(L, st->from);
    if (a < 0 || whole_number(L, a, st->from, "a loop bound", -IR_MAX_ELEMENTS, IR_MAX_ELEMENTS, from) < 0) return -1;
    int b = lower_expr(L, st->to);
    if (b < 0 || whole_number(L, b, st->to, "a loop bound", -IR_MAX_ELEMENTS, IR_MAX_ELEMENTS, to) < 0) return -1;
    long trips = *to >= *from ? *to - *from + 1 : 0;
    if (trips * (st->nbody ? st->nbody : 1) > LOWER_MAX_UNROLL - L->unrolled) {
        Diag *e = diag_error(L->diags, st->loc, "loops unroll to more than %ld statements", LOWER_MAX_UNROLL);
        diag_note(e, "write it with vectors: y ~ Normal(mu, sigma) observed a whole vector, mu = a + b * x");
        return -1;
    }
    return 0;
}

/* Finds the largest index of sym's elements defined under st. */
static int scan_extent(Lower *L, const Symbol *sym, Stmt *st, long *rank, long dims[2])
{
    if (!st) return 0;
    if (st->kind == ST_FOR) {
        long from, to;
        if (loop_bounds(L, st, &from, &to) < 0) return -1;
        long at = env_push(L, st->var, from);
        for (long i = from; i <= to; i++) {
            L->env[at].value = i;
            for (int k = 0; k < st->nbody; k++)
                if (scan_extent(L, sym, st->body[k], rank, dims) < 0) { L->nenv--; return -1; }
        }
        L->nenv--;
        return 0;
    }
    if (st->kind == ST_DATA || st->lhs->kind != EX_INDEX || strcmp(stmt_lhs_name(st), sym->name) != 0) return 0;
    long n = st->lhs->nkids - 1;
    if (n > 2) { diag_error(L->diags, st->lhs->loc, "at most two indices: x[i] or X[i, j]"); return -1; }
    if (*rank && *rank != n) {
        diag_error(L->diags, st->lhs->loc, "'%s' is given %ld indices here and %ld elsewhere", sym->name, n, *rank);
        return -1;
    }
    *rank = n;
    for (long k = 0; k < n; k++) {
        long v;
        int id = lower_expr(L, st->lhs->kids[k + 1]);
        if (id < 0 || whole_number(L, id, st->lhs->kids[k + 1], "an index", 1, IR_MAX_ELEMENTS, &v) < 0) return -1;
        if (v > dims[k]) dims[k] = v;
    }
    return 0;
}

/* Makes the storage of an element-by-element symbol. */
static int start_elementwise(Lower *L, const Symbol *sym)
{
    SymState *ss = state_of(L, sym);
    ss->state = DOING;
    int base = L->env_base;
    L->env_base = L->nenv;
    int rc = 0;
    for (int i = 0; i < sym->ndefs && rc == 0; i++)
        rc = scan_extent(L, sym, L->prog->stmts[sym->defs[i].top], &ss->rank, ss->dims);
    L->env_base = base;
    if (rc < 0) { ss->state = FAILED; return -1; }
    if (ss->rank == 0) {   /* no defining statement ran */
        Diag *e = diag_error(L->diags, sym->loc, "'%s' is never defined: the loops that define it do not run", sym->name);
        diag_note(e, "for i in a:b runs from a up to b, and not at all when b < a");
        ss->state = FAILED;
        return -1;
    }
    long len = ss->rank == 2 ? ss->dims[0] * ss->dims[1] : ss->dims[0];
    if (len > IR_MAX_ELEMENTS || (ss->rank == 2 && ss->dims[1] > IR_MAX_ELEMENTS)) {
        diag_error(L->diags, sym->loc, "'%s' would have more than %ld elements", sym->name, IR_MAX_ELEMENTS);
        ss->state = FAILED;
        return -1;
    }
    ss->slot = ir_add_slot(L->m, REGION_WORK, (int)ss->rank, ss->dims[0], ss->dims[1], ss->name);
    ss->defined = calloc(len ? (size_t)len : 1, 1);
    if (ss->slot < 0 || !ss->defined) { out_of_memory(L, sym->loc); ss->state = FAILED; return -1; }
    L->m->slots[ss->slot].is_data = 0;
    return 0;
}

/* Once every defining statement is lowered: every element must exist. */
static void finish_elementwise(Lower *L, const Symbol *sym)
{
    SymState *ss = state_of(L, sym);
    if (ss->state != DOING || ss->slot < 0) return;
    for (int i = 0; i < sym->ndefs; i++)
        if (L->top_state[sym->defs[i].top] != DONE) return;
    /* after an error, loops stop unrolling: missing elements say nothing */
    if (diags_failed(L->diags)) { ss->state = FAILED; return; }
    IrSlot *s = &L->m->slots[ss->slot];
    for (long i = 0; i < s->len; i++)
        if (!ss->defined[i]) {
            char name[256];
            ir_element_name(L->m, ss->name, s, i, name, sizeof name);
            Diag *e = diag_error(L->diags, sym->loc, "'%s' is never defined", name);
            diag_note(e, "'%s' has %ld element%s, from its largest index; define each of them", sym->name, s->len,
                      s->len == 1 ? "" : "s");
            ss->state = FAILED;
            return;
        }
    if (!ss->any_computed) mark_int(L, ss->slot);
    s->is_data = !ss->any_computed;
    if (ss->any_computed) add_output(L, ss->name, ss->slot, sym->kind == SYM_PARAM, sym->loc);
    ss->state = DONE;
}

/* Whether an element-by-element symbol has its storage.  It has none yet
** while its size is worked out from its indices; a use then means the
** size depends on the symbol itself. */
static bool storage_ready(Lower *L, const Symbol *sym, Loc use)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == FAILED) return false;
    if (ss->slot >= 0) return true;
    Diag *e = diag_error(L->diags, use, "the size of '%s' depends on '%s' itself", sym->name, sym->name);
    diag_note(e, "the indices of '%s' cannot use '%s'", sym->name, sym->name);
    ss->state = FAILED;
    return false;
}

/* The element an indexed left side names, as an offset. */
static int element_offset(Lower *L, const Symbol *sym, Stmt *st, long *k)
{
    SymState *ss = state_of(L, sym);
    long i, j = 1;
    int id = lower_expr(L, st->lhs->kids[1]);
    if (id < 0 || whole_number(L, id, st->lhs->kids[1], "an index", 1, ss->dims[0], &i) < 0) return -1;
    if (ss->rank == 2) {
        id = lower_expr(L, st->lhs->kids[2]);
        if (id < 0 || whole_number(L, id, st->lhs->kids[2], "an index", 1, ss->dims[1], &j) < 0) return -1;
    }
    /* only now: lowering the indices may have moved the slot table */
    const IrSlot *s = slot(L, ss->slot);
    *k = ss->rank == 2 ? (i - 1) * s->cols + (j - 1) : i - 1;
    if (ss->defined[*k]) {
        char name[256];
        ir_element_name(L->m, ss->name, s, *k, name, sizeof name);
        diag_error(L->diags, st->lhs->loc, "'%s' is defined twice", name);
        return -1;
    }
    return 0;
}

/* x[i] = expr; */
static int assign_element(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == UNSEEN && start_elementwise(L, sym) < 0) return -1;
    if (!storage_ready(L, sym, st->lhs->loc)) return -1;
    long k;
    if (element_offset(L, sym, st, &k) < 0) return -1;
    int r = lower_expr(L, st->rhs);
    if (r < 0) return -1;
    if (slot(L, r)->len != 1) {
        char buf[64];
        describe(L, r, buf, sizeof buf);
        diag_error(L->diags, st->rhs->loc, "an element is one number; this is %s", buf);
        return -1;
    }
    IrModel *m = L->m;
    if (slot(L, r)->is_data) {
        m->work_init[slot(L, ss->slot)->off + k] = *val(L, r);
        ss->defined[k] = 1;
        return 0;
    }
    int at = ir_add_alias(m, ss->slot, k, 0, 1, 1, ss->name);
    if (at < 0) { out_of_memory(L, st->loc); return -1; }
    IrInstr *last = m->ncode ? &m->code[m->ncode - 1] : NULL;
    if (last && last->out == r && m->slots[r].name < 0 && !ir_op_is_logpdf((IrOp)last->op)) {
        last->out = at;   /* write the value in place instead of copying it */
    } else {
        IrInstr copy = { .op = IR_COPY, .out = at, .in = {r, -1, -1, -1}, .n = 1, .line = st->loc.first_line };
        if (ir_add_instr(m, &copy) < 0) { out_of_memory(L, st->loc); return -1; }
    }
    ss->defined[k] = 2;
    ss->any_computed = true;
    return 0;
}

/* theta[j] ~ Dist(args);  in a loop: one element of a vector parameter. */
static int declare_element(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (refuse_discrete(L, st) < 0) return -1;
    if (ss->state == UNSEEN && start_elementwise(L, sym) < 0) return -1;
    if (!storage_ready(L, sym, st->lhs->loc)) return -1;
    long k;
    if (element_offset(L, sym, st, &k) < 0) return -1;
    int args[DIST_MAX_ARGS];
    if (lower_dist_args(L, st->rhs, args) < 0) return -1;
    for (int i = 0; i < dist_at(st->rhs->ref)->nargs; i++)
        if (slot(L, args[i])->len != 1) {
            diag_error(L->diags, st->rhs->kids[i]->loc, "an element's distribution takes scalar arguments");
            return -1;
        }
    int at = ir_add_alias(L->m, ss->slot, k, 0, 1, 1, ss->name);
    if (at < 0) { out_of_memory(L, st->loc); return -1; }
    if (declare_param(L, st->rhs, args, 0, 1, at, ss->name, k, st->loc) < 0) return -1;
    ss->defined[k] = 2;
    ss->any_computed = true;
    return 0;
}

/* sym is needed while it is being defined: names the cycle's path. */
static void cycle_error(Lower *L, const Symbol *sym, Loc use)
{
    Diag *e = diag_error(L->diags, use, "'%s' depends on itself", sym->name);
    int from = L->nchain;
    while (from > 0 && L->chain[from - 1] != sym) from--;
    if (from == 0 || from == L->nchain) {
        diag_note(e, "its definition at line %d uses it", sym->loc.first_line);
        return;
    }
    char path[512];
    size_t off = 0;
    for (int i = from - 1; i < L->nchain && off < sizeof path; i++)
        off += snprintf(path + off, sizeof path - off, i == from - 1 ? "'%s' uses " : "'%s', which uses ",
                        L->chain[i]->name);
    if (off < sizeof path) snprintf(path + off, sizeof path - off, "'%s'", sym->name);
    diag_note(e, "%s", path);
}

static int resolve(Lower *L, const Symbol *sym, Loc use)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == DONE) return ss->slot;
    if (ss->state == FAILED) return -1;
    if (!sym->elementwise) {
        if (ss->state == DOING) {
            cycle_error(L, sym, use);
            ss->state = FAILED;
            return -1;
        }
        lower_top(L, sym->defs[0].top);
        /* lower_top skips a statement already in progress: a cycle */
        if (ss->state == UNSEEN) {
            cycle_error(L, sym, use);
            ss->state = FAILED;
        }
        return ss->slot;
    }
    if (ss->state == DOING && !storage_ready(L, sym, use)) return -1;
    if (ss->state == UNSEEN && start_elementwise(L, sym) < 0) return -1;
    for (int i = 0; i < sym->ndefs; i++) lower_top(L, sym->defs[i].top);
    finish_elementwise(L, sym);
    return ss->state == FAILED ? -1 : ss->slot;
}

/* ---- statements ---- */

static void lower_stmt(Lower *L, Stmt *st)
{
    if (!st || L->oom) return;
    L->line = st->loc.first_line;
    const char *name = st->kind == ST_FOR ? NULL : stmt_lhs_name(st);
    const Symbol *sym = name ? sema_find(L->sema, name) : NULL;
    switch (st->kind) {
    case ST_DATA:
        if (sym) define_whole(L, sym, st);
        return;
    case ST_ASSIGN:
        if (!sym) return;
        if (sym->elementwise) assign_element(L, sym, st);
        else define_whole(L, sym, st);
        return;
    case ST_TILDE:
        if (!sym) return;
        if (sema_tilde_declares(L->sema, st)) {
            if (sym->elementwise) declare_element(L, sym, st);
            else define_whole(L, sym, st);
        } else if (st->observed) {
            define_whole(L, sym, st);
        } else {
            int x = lower_expr(L, st->lhs);
            if (x >= 0) likelihood(L, st->rhs, x, st->lhs);
        }
        return;
    case ST_FOR: {
        long from, to;
        if (loop_bounds(L, st, &from, &to) < 0) return;
        long at = env_push(L, st->var, from);
        for (long i = from; i <= to && !L->oom && !diags_failed(L->diags); i++) {
            L->env[at].value = i;
            L->unrolled += st->nbody;
            for (int k = 0; k < st->nbody; k++) lower_stmt(L, st->body[k]);
        }
        L->nenv--;
        return;
    }
    }
}

static void lower_top(Lower *L, int top)
{
    if (L->top_state[top] != UNSEEN) return;
    L->top_state[top] = DOING;
    int base = L->env_base, line = L->line;
    L->env_base = L->nenv;
    lower_stmt(L, L->prog->stmts[top]);
    L->env_base = base;
    L->line = line;
    L->top_state[top] = DONE;
}

/* ---- finishing: the density first, then what only reports need ---- */

static void mark_range(uint8_t *need, const IrSlot *s)
{
    if (s->region == REGION_WORK) memset(need + s->off, 1, (size_t)s->len);
}

static bool any_marked(const uint8_t *need, const IrSlot *s)
{
    if (s->region != REGION_WORK) return false;
    for (long i = 0; i < s->len; i++)
        if (need[s->off + i]) return true;
    return false;
}

/* Moves instructions the density does not need after the ones it does,
** keeping the order within each part. */
static int split_deterministic(Lower *L)
{
    IrModel *m = L->m;
    uint8_t *need = calloc(m->nwork ? (size_t)m->nwork : 1, 1);
    uint8_t *keep = calloc(m->ncode ? (size_t)m->ncode : 1, 1);
    int *where = malloc((m->ncode ? (size_t)m->ncode : 1) * sizeof *where);
    IrInstr *code = malloc((m->ncode ? (size_t)m->ncode : 1) * sizeof *code);
    if (!need || !keep || !where || !code) {
        free(need); free(keep); free(where); free(code);
        return -1;
    }
    for (int i = m->ncode - 1; i >= 0; i--) {
        const IrInstr *in = &m->code[i];
        bool k = ir_op_is_logpdf((IrOp)in->op) || in->op == IR_TF_LOWER || in->op == IR_TF_BOUNDS ||
                 any_marked(need, &m->slots[in->out]);
        if (!k) continue;
        keep[i] = 1;
        for (int j = 0; j < IR_MAX_ARGS && in->in[j] >= 0; j++) mark_range(need, &m->slots[in->in[j]]);
    }
    int n = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (int i = 0; i < m->ncode; i++)
            if (keep[i] == pass) { where[i] = n; code[n++] = m->code[i]; }
    int ndensity = 0;
    for (int i = 0; i < m->ncode; i++) ndensity += keep[i];
    if (m->ncode > 0) memcpy(m->code, code, (size_t)m->ncode * sizeof *code);
    m->ndensity = ndensity;
    for (int p = 0; p < m->nparams; p++)
        if (m->params[p].tf >= 0) m->params[p].tf = where[m->params[p].tf];
    free(need); free(keep); free(where); free(code);
    return 0;
}

static int by_place(const void *a, const void *b)
{
    const PendingOutput *x = a, *y = b;
    if (x->loc.first_line != y->loc.first_line) return x->loc.first_line - y->loc.first_line;
    return x->loc.first_column - y->loc.first_column;
}

IrModel *lower_program(Program *prog, const Sema *sema, const DataSet *data, Diags *diags)
{
    Lower L;
    memset(&L, 0, sizeof L);
    L.prog = prog;
    L.sema = sema;
    L.diags = diags;
    L.data = data;
    L.m = ir_new();
    L.ss = calloc(sema->nsyms ? (size_t)sema->nsyms : 1, sizeof *L.ss);
    L.top_state = calloc(prog->nstmts ? (size_t)prog->nstmts : 1, 1);
    L.chain = calloc(sema->nsyms ? (size_t)sema->nsyms : 1, sizeof *L.chain);
    if (!L.m || !L.ss || !L.top_state || !L.chain) goto fail;
    for (int i = 0; i < sema->nsyms; i++) {
        L.ss[i].slot = -1;
        if ((L.ss[i].name = ir_add_name(L.m, sema->syms[i].name)) < 0) goto fail;
    }
    for (int i = 0; i < prog->nstmts && !L.oom; i++) lower_top(&L, i);
    for (int i = 0; i < sema->nsyms; i++)
        if (sema->syms[i].elementwise) finish_elementwise(&L, &sema->syms[i]);
    if (diags_failed(diags) || L.oom) goto fail;
    if (split_deterministic(&L) < 0) { out_of_memory(&L, prog->nstmts ? prog->stmts[0]->loc : (Loc){0, 0, 0, 0}); goto fail; }
    if (L.nouts > 1) qsort(L.outs, (size_t)L.nouts, sizeof *L.outs, by_place);
    for (int i = 0; i < L.nouts; i++)
        if (ir_add_output(L.m, &L.outs[i].out) < 0) goto fail;
    goto done;
fail:
    ir_free(L.m);
    L.m = NULL;
    if (!diags_failed(diags)) diag_error(diags, (Loc){0, 0, 0, 0}, "out of memory while compiling");
done:
    for (int i = 0; i < sema->nsyms && L.ss; i++) free(L.ss[i].defined);
    free(L.ss);
    free(L.top_state);
    free(L.chain);
    free(L.outs);
    return L.m;
}
