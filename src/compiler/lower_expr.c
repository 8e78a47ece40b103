/*
** lower_expr.c -- expressions to IR: each operation's shape checked, and
** whatever depends only on data computed now, with the same kernels the
** evaluator runs (ops.c), so that it becomes a constant; the rest becomes
** instructions.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "lower_state.h"
#include "shape.h"

/* An adder of ir.c refused: a limit of the IR, or memory itself. */
void lower_oom(Lower *L, Loc loc)
{
    if (L->oom) return;
    L->oom = true;
    const IrModel *m = L->m;
    Diag *e;
    if (m->ncode >= IR_MAX_CODE - 1)
        e = diag_error(L->diags, DIAG_LIMIT, loc, "the model compiles to more than %d instructions", IR_MAX_CODE);
    else if (m->nwork > IR_MAX_WORK / 2)
        e = diag_error(L->diags, DIAG_LIMIT, loc, "the model computes more than %ld values per evaluation", IR_MAX_WORK);
    else {
        diag_error(L->diags, DIAG_NO_MEMORY, loc, "out of memory while compiling");
        return;
    }
    diag_note(e, "write it with vectors, or for less data; docs/language.md lists the limits");
}

void lower_describe(const Lower *L, int id, char *buf, size_t size)
{
    const IrSlot *s = slot(L, id);
    if (s->rank == 0) snprintf(buf, size, "a scalar");
    else if (s->rank == 1) snprintf(buf, size, "a vector of length %ld", s->len);
    else snprintf(buf, size, "a %ldx%ld matrix", s->rows, s->cols);
}

int lower_const_slot(Lower *L, int rank, long rows, long cols, Loc loc)
{
    int id = ir_add_slot(L->m, REGION_CONST, rank, rows, cols, -1);
    if (id < 0) lower_oom(L, loc);
    return id;
}

int lower_scalar_const(Lower *L, double v, Loc loc)
{
    int id = lower_const_slot(L, 0, 1, 1, loc);
    if (id < 0) return -1;
    *val(L, id) = v;
    L->m->slots[id].is_int = v == floor(v) && fabs(v) <= 9007199254740992.0;
    return id;
}

void lower_mark_int(Lower *L, int id)
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
void lower_fold_args(Lower *L, const IrInstr *ins, OpArgs *a)
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
int lower_emit(Lower *L, IrOp op, int aux, const int *in, int nin, int rank, long rows, long cols, Loc loc)
{
    bool data = true, finite_in = true;
    for (int k = 0; k < nin; k++) {
        data = data && slot(L, in[k])->is_data;
        finite_in = finite_in && all_finite(val(L, in[k]), slot(L, in[k])->len);
    }
    IrInstr ins = { .op = (uint16_t)op, .aux = (uint16_t)aux, .line = loc.first_line };
    for (int k = 0; k < IR_MAX_ARGS; k++) ins.in[k] = k < nin ? in[k] : -1;
    int out = data ? lower_const_slot(L, rank, rows, cols, loc)
                   : ir_add_slot(L->m, REGION_WORK, rank, rows, cols, -1);
    if (out < 0) { lower_oom(L, loc); return -1; }
    ins.out = out;
    ins.n = slot(L, out)->len;
    if (!data) {
        if (ir_add_instr(L->m, &ins) < 0) { lower_oom(L, loc); return -1; }
        return out;
    }
    OpArgs a;
    lower_fold_args(L, &ins, &a);
    ops_forward(&ins, &a, false);
    if (finite_in && !all_finite(val(L, out), slot(L, out)->len)) {
        const double *v = val(L, out);
        long i = 0;
        while (isfinite(v[i])) i++;
        Diag *e = diag_error(L->diags, DIAG_SUPPORT, loc, "this expression evaluates to %s%s",
                             isnan(v[i]) ? "NaN (not a number)" : v[i] > 0 ? "infinity" : "-infinity",
                             slot(L, out)->len > 1 ? " (at one element at least)" : "");
        diag_note(e, "its inputs are data, so it is computed once; check them (log of 0 or less, division by 0, ...)");
        return -1;
    }
    lower_mark_int(L, out);
    return out;
}

/* The shape of a slot, for the rules of shape.h. */
static Shape shape_of(const Lower *L, int id)
{
    const IrSlot *s = slot(L, id);
    if (s->rank == 0) return SHAPE_SCALAR;
    if (s->rank == 1) return shape_vector(s->len);
    return shape_matrix(s->rows, s->cols);
}

/* The shape of an elementwise result of a and b (shape.h's rule). */
static int elementwise_shape(Lower *L, int a, int b, Loc loc, int *rank, long *rows, long *cols)
{
    Shape out;
    ShapeFrom from;
    if (!shape_elementwise(shape_of(L, a), shape_of(L, b), &out, &from)) {
        char da[64], db[64];
        lower_describe(L, a, da, sizeof da);
        lower_describe(L, b, db, sizeof db);
        Diag *e = diag_error(L->diags, DIAG_SHAPE, loc, "shapes do not match: %s and %s", da, db);
        diag_note(e, "elementwise operations need equal shapes, or a scalar on one side");
        return -1;
    }
    const IrSlot *s = slot(L, from == SHAPE_FROM_A ? a : b);
    *rank = s->rank;
    *rows = s->rows;
    *cols = s->cols;
    return 0;
}

/* A data scalar that must be a whole number: its value in *v. */
int lower_whole_number(Lower *L, int id, const Expr *e, const char *what, long lo, long hi, long *v)
{
    const IrSlot *s = slot(L, id);
    if (!s->is_data) {
        Diag *d = diag_error(L->diags, DIAG_NEEDS_DATA, e->loc, "%s must be known from data; this depends on parameters", what);
        diag_note(d, "sizes, indices and loop bounds are fixed before sampling");
        return -1;
    }
    if (s->len != 1) {
        char buf[64];
        lower_describe(L, id, buf, sizeof buf);
        diag_error(L->diags, DIAG_SHAPE, e->loc, "%s must be a single number, not %s", what, buf);
        return -1;
    }
    double x = *val(L, id);
    if (!(x == floor(x))) {
        diag_error(L->diags, DIAG_SUPPORT, e->loc, "%s must be a whole number, got %g", what, x);
        return -1;
    }
    if (x < lo || x > hi) {
        diag_error(L->diags, DIAG_SUPPORT, e->loc, "%s must be between %ld and %ld, got %.17g", what, lo, hi, x);
        return -1;
    }
    *v = (long)x;
    return 0;
}

static int lower_name(Lower *L, Expr *e)
{
    for (int i = L->nenv - 1; i >= L->env_base; i--)
        if (strcmp(L->env[i].name, e->name) == 0) return lower_scalar_const(L, (double)L->env[i].value, e->loc);
    const Symbol *sym = sema_find(L->sema, e->name);
    if (!sym) return -1;   /* reported by sema */
    if (is_simulated(L, sym) && e != L->modelled) {   /* no values to read: they are being drawn */
        if (!L->simulate) {   /* a prior predictive run, without the values */
            Diag *d = diag_error(L->diags, DIAG_DATA_MISSING, e->loc, "no value for data '%s', which is read here",
                                 sym->name);
            diag_subject(d, sym->name);
            diag_note(d, "--prior draws the data a '~' models, but this use needs their values: pass them with "
                         "--data FILE.json or -D %s=...", sym->name);
            return -1;
        }
        Diag *d = diag_error(L->diags, DIAG_MODEL, e->loc, "'%s' is simulated, so its values cannot be read here", sym->name);
        diag_subject(d, sym->name);
        diag_note(d, "bmc simulate draws the data a '~' models; a model that also uses their values (in a constant, a "
                     "size, an index, another distribution) cannot be simulated");
        return -1;
    }
    return lower_resolve(L, sym, e->loc);
}

/* Element k of x, defined element by element and perhaps still in the
** making: lowered first if it has not been. */
static int element_of_partial(Lower *L, const Symbol *sym, SymState *ss, long k, Loc loc)
{
    if (lower_element(L, sym, k, loc) < 0) return -1;
    int id = ir_add_alias(L->m, ss->slot, k, 0, 1, 1, -1);
    if (id < 0) { lower_oom(L, loc); return -1; }
    L->m->slots[id].is_data = ss->defined[k] == 1;
    L->m->slots[id].is_int = 0;
    if (ss->defined[k] == 1) lower_mark_int(L, id);
    return id;
}

/* The elements of sym a row X[i] or a gather x[idx] reads, lowered first;
** those the indices put out of range are left for lower_index to refuse. */
static int partial_elements(Lower *L, const Symbol *sym, SymState *ss, const int *idx, int nidx)
{
    const IrSlot v = *slot(L, ss->slot);
    for (int k = 0; k < nidx; k++)
        if (!slot(L, idx[k])->is_data) return 0;   /* refused below */
    if (v.rank == 2 && nidx == 1 && slot(L, idx[0])->len == 1) {   /* a row */
        double r = *val(L, idx[0]);
        if (!(r >= 1 && r <= v.rows && r == floor(r))) return 0;
        for (long j = 0; j < v.cols; j++)
            if (lower_element(L, sym, ((long)r - 1) * v.cols + j, sym->loc) < 0) return -1;
        return 0;
    }
    if (v.rank == 1 && nidx == 1) {   /* a gather by a vector of positions */
        const IrSlot is = *slot(L, idx[0]);
        for (long e = 0; e < is.len; e++) {
            double p = val(L, idx[0])[e];
            if (p >= 1 && p <= v.len && p == floor(p) && lower_element(L, sym, (long)p - 1, sym->loc) < 0) return -1;
        }
        return 0;
    }
    return lower_resolve(L, sym, sym->loc) < 0 ? -1 : 0;   /* anything else reads it whole */
}

static int lower_index(Lower *L, Expr *e)
{
    Expr *base = e->kids[0];
    int nidx = e->nkids - 1;
    int idx[2];
    if (nidx > 2) {
        diag_error(L->diags, DIAG_SHAPE, e->loc, "at most two indices: x[i] or X[i, j]");
        return -1;
    }
    for (int k = 0; k < nidx; k++)
        if ((idx[k] = lower_expr(L, e->kids[k + 1])) < 0) return -1;

    /* An element, a row or a gather of a vector still being defined element
    ** by element: only the elements it reads need to be there. */
    int b = -1;
    if (base->kind == EX_NAME) {
        const Symbol *sym = sema_find(L->sema, base->name);
        bool loopvar = false;
        for (int i = L->nenv - 1; i >= L->env_base; i--)
            if (strcmp(L->env[i].name, base->name) == 0) loopvar = true;
        if (sym && !loopvar && sym->elementwise) {
            SymState *ss = state_of(L, sym);
            if (ss->state != DONE && lower_start_elementwise(L, sym, base->loc) < 0) return -1;
            if (ss->state != DONE && nidx == ss->rank && slot(L, idx[0])->len == 1 &&
                (nidx == 1 || slot(L, idx[1])->len == 1)) {
                long i, j = 1;
                const IrSlot *v = slot(L, ss->slot);
                long n0 = v->rank == 2 ? v->rows : v->len;
                if (lower_whole_number(L, idx[0], e->kids[1], "an index", 1, n0, &i) < 0) return -1;
                if (v->rank == 2) {
                    if (lower_whole_number(L, idx[1], e->kids[2], "an index", 1, v->cols, &j) < 0) return -1;
                    return element_of_partial(L, sym, ss, (i - 1) * v->cols + (j - 1), e->loc);
                }
                return element_of_partial(L, sym, ss, i - 1, e->loc);
            }
            if (ss->state != DONE) {
                if (partial_elements(L, sym, ss, idx, nidx) < 0) return -1;
                b = ss->slot;   /* the storage, with what is read of it there */
            }
        }
    }

    if (b < 0) b = lower_expr(L, base);
    if (b < 0) return -1;
    Shape idx_shape[2], out;
    for (int k = 0; k < nidx; k++) idx_shape[k] = shape_of(L, idx[k]);
    IndexKind kind = shape_index(shape_of(L, b), nidx, idx_shape, &out);
    const IrSlot *s = slot(L, b);
    char what[64];
    switch (kind) {
    case INDEX_OF_SCALAR:
        diag_error(L->diags, DIAG_SHAPE, e->loc, "a scalar has no elements to index");
        return -1;
    case INDEX_COUNT:
        lower_describe(L, b, what, sizeof what);
        diag_error(L->diags, DIAG_SHAPE, e->loc, "%s takes %s", what, s->rank == 1 ? "one index" : "one or two indices");
        return -1;
    case INDEX_MATRIX:
        for (int k = 0; k < nidx; k++)
            if (idx_shape[k].rank != 0 && (s->rank == 2 || idx_shape[k].rank == 2)) {
                lower_describe(L, idx[k], what, sizeof what);
                Diag *d = diag_error(L->diags, DIAG_SHAPE, e->kids[k + 1]->loc, "an index of a %s is %s, not %s",
                                     s->rank == 2 ? "matrix" : "vector",
                                     s->rank == 2 ? "a single number" : "a number or a vector of positions", what);
                diag_note(d, s->rank == 2 ? "X[i] is row i of a matrix and X[i, j] one element"
                                          : "v[idx] picks the elements at the positions idx holds");
                return -1;
            }
        diag_error(L->diags, DIAG_INTERNAL, e->loc, "bmc found no index to blame for this index's shape");
        return -1;
    case INDEX_ELEMENT: case INDEX_ROW: case INDEX_GATHER:
        break;
    }
    for (int k = 0; k < nidx; k++)
        if (!slot(L, idx[k])->is_data) {
            Diag *d = diag_error(L->diags, DIAG_NEEDS_DATA, e->kids[k + 1]->loc, "an index must be known from data; this depends on parameters");
            diag_note(d, "indices are fixed before sampling");
            return -1;
        }
    if (kind == INDEX_GATHER) {   /* an integer vector of positions */
        const IrSlot *is = slot(L, idx[0]);
        const double *iv = val(L, idx[0]);
        for (long i = 0; i < is->len; i++)
            if (!(iv[i] == floor(iv[i]) && iv[i] >= 1 && iv[i] <= s->len)) {
                diag_error(L->diags, DIAG_SUPPORT, e->kids[1]->loc, "index vector holds %g at element %ld; indices run from 1 to %ld",
                           iv[i], i + 1, s->len);
                return -1;
            }
        int in[2] = {b, idx[0]};
        return lower_emit(L, IR_GATHER, 0, in, 2, 1, is->len, 1, e->loc);
    }
    if (s->rank == 1) {
        long i;
        if (lower_whole_number(L, idx[0], e->kids[1], "an index", 1, s->len, &i) < 0) return -1;
        int id = ir_add_alias(L->m, b, i - 1, 0, 1, 1, -1);
        if (id < 0) { lower_oom(L, e->loc); return -1; }
        if (L->m->slots[id].is_data) lower_mark_int(L, id);
        return id;
    }
    /* a matrix: a row, or an element */
    long i, j;
    if (lower_whole_number(L, idx[0], e->kids[1], "a row index", 1, s->rows, &i) < 0) return -1;
    if (kind == INDEX_ROW) {
        int id = ir_add_alias(L->m, b, (i - 1) * s->cols, 1, s->cols, 1, -1);
        if (id < 0) lower_oom(L, e->loc);
        return id;
    }
    if (lower_whole_number(L, idx[1], e->kids[2], "a column index", 1, s->cols, &j) < 0) return -1;
    int id = ir_add_alias(L->m, b, (i - 1) * s->cols + (j - 1), 0, 1, 1, -1);
    if (id < 0) { lower_oom(L, e->loc); return -1; }
    if (L->m->slots[id].is_data) lower_mark_int(L, id);
    return id;
}

static int lower_vector(Lower *L, Expr *e)
{
    int n = e->nkids;
    int *el = malloc((n ? n : 1) * sizeof *el);
    if (!el) { lower_oom(L, e->loc); return -1; }
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
                lower_describe(L, el[i], what, sizeof what);
                Diag *d = diag_error(L->diags, DIAG_SHAPE, e->kids[i]->loc, "row %d of this matrix is %s, not a vector", i + 1, what);
                diag_note(d, "a matrix is written as its rows: [[1, 2], [3, 4]]");
                goto done;
            }
            if (row->len != cols) {
                Diag *d = diag_error(L->diags, DIAG_SHAPE, e->kids[i]->loc, "the rows of a matrix must have equal lengths: "
                                     "row %d has %ld element%s, row 1 has %ld", i + 1, row->len,
                                     row->len == 1 ? "" : "s", cols);
                diag_note(d, "a matrix is written as its rows: [[1, 2], [3, 4]]");
                goto done;
            }
            if (!row->is_data) {
                Diag *d = diag_error(L->diags, DIAG_NEEDS_DATA, e->kids[i]->loc, "a matrix literal holds data; row %d depends on parameters",
                                     i + 1);
                diag_note(d, "matrices are data: build vectors of parameters instead");
                goto done;
            }
        }
        if ((result = lower_const_slot(L, 2, n, cols, e->loc)) < 0) goto done;
        for (int i = 0; i < n; i++) memcpy(val(L, result) + i * cols, val(L, el[i]), cols * sizeof(double));
        lower_mark_int(L, result);
        goto done;
    }
    for (int i = 0; i < n; i++)
        if (slot(L, el[i])->rank != 0) {
            char what[64];
            lower_describe(L, el[i], what, sizeof what);
            Diag *d = diag_error(L->diags, DIAG_SHAPE, e->kids[i]->loc, "element %d of this vector is %s, not a number", i + 1, what);
            diag_note(d, "vectors do not nest; a matrix is written as rows of data: [[1, 2], [3, 4]]");
            goto done;
        }
    result = data ? lower_const_slot(L, 1, n, 1, e->loc) : ir_add_slot(L->m, REGION_WORK, 1, n, 1, -1);
    if (result < 0) { lower_oom(L, e->loc); goto done; }
    for (int i = 0; i < n; i++) {
        if (slot(L, el[i])->is_data) { val(L, result)[i] = *val(L, el[i]); continue; }
        int at = ir_add_alias(L->m, result, i, 0, 1, 1, -1);
        IrInstr ins = { .op = IR_COPY, .out = at, .in = {el[i], -1, -1, -1}, .n = 1, .line = e->loc.first_line };
        if (at < 0 || ir_add_instr(L->m, &ins) < 0) { lower_oom(L, e->loc); result = -1; goto done; }
    }
    if (data) lower_mark_int(L, result);
done:
    free(el);
    return result;
}

/* e's operator over its operands' slots a and b. */
static int lower_operator(Lower *L, const Expr *e, int a, int b)
{
    if (e->op == OP_MATMUL) {
        const IrSlot *sa = slot(L, a);
        Shape out;
        if (!shape_matvec(shape_of(L, a), shape_of(L, b), &out)) {
            char da[64], db[64];
            lower_describe(L, a, da, sizeof da);
            lower_describe(L, b, db, sizeof db);
            Diag *d = diag_error(L->diags, DIAG_SHAPE, e->loc, "'@' needs a matrix and a vector of its column count; got %s and %s", da, db);
            diag_note(d, "X @ beta multiplies an N x K matrix by a vector of K; dot(a, b) multiplies two vectors");
            return -1;
        }
        if (sa->cols == 0) {   /* a sum over no columns: zeros, and no BLAS call with a zero stride */
            int z = lower_const_slot(L, 1, sa->rows, 1, e->loc);
            if (z >= 0) {
                memset(val(L, z), 0, (size_t)sa->rows * sizeof(double));
                lower_mark_int(L, z);
            }
            return z;
        }
        int in[2] = {a, b};
        return lower_emit(L, IR_MATVEC, 0, in, 2, 1, sa->rows, 1, e->loc);
    }
    static const IrOp ops[] = {
        [OP_ADD] = IR_ADD, [OP_SUB] = IR_SUB, [OP_MUL] = IR_MUL, [OP_DIV] = IR_DIV, [OP_POW] = IR_POW,
        [OP_LT] = IR_LT, [OP_LE] = IR_LE, [OP_GT] = IR_GT, [OP_GE] = IR_GE, [OP_EQ] = IR_EQ,
        [OP_NE] = IR_NE, [OP_AND] = IR_AND, [OP_OR] = IR_OR,
    };
    int rank;
    long rows, cols;
    if (elementwise_shape(L, a, b, e->loc, &rank, &rows, &cols) < 0) return -1;
    int in[2] = {a, b};
    return lower_emit(L, ops[e->op], 0, in, 2, rank, rows, cols, e->loc);
}

/* A chain of binary operators, a + b - c ..., from its lowest one up. */
static int lower_binary(Lower *L, Expr *e)
{
    Expr *op = expr_chain_start(e);
    int acc = lower_expr(L, op->kids[0]);
    for (; acc >= 0; op = op->chain_up) {
        int b = lower_expr(L, op->kids[1]);
        acc = b < 0 ? -1 : lower_operator(L, op, acc, b);
        if (op == e) break;
    }
    return acc;
}

const DataValue *lower_factor(Lower *L, const Expr *e, bool report)
{
    const Symbol *sym = e->kind == EX_NAME ? sema_find(L->sema, e->name) : NULL;
    for (int i = L->nenv - 1; sym && i >= L->env_base; i--)
        if (strcmp(L->env[i].name, e->name) == 0) sym = NULL;   /* a loop variable */
    const DataValue *dv = sym && sym->kind == SYM_DATA && L->data ? dataset_find(L->data, sym->name) : NULL;
    if (dv && dv->levels) return dv;
    if (!report) return NULL;
    if (!sym) {
        Diag *d = diag_error(L->diags, DIAG_SHAPE, e->loc, "nlevels needs the name of a factor");
        diag_note(d, "a factor is data from a text column of a CSV file: nlevels(page)");
        return NULL;
    }
    Diag *d = diag_error(L->diags, DIAG_SHAPE, e->loc, "'%s' is not a factor", sym->name);
    diag_subject(d, sym->name);
    diag_note(d, "nlevels counts the levels of a text column of a CSV data file (--data FILE.csv); "
                 "length(%s) counts elements", sym->name);
    return NULL;
}

void lower_label_dims(Lower *L, int name, const Expr *lhs)
{
    for (int k = 0; lhs->kind == EX_INDEX && k + 1 < lhs->nkids && k < 2; k++) {
        const Expr *size = lhs->kids[k + 1];
        if (size->kind != EX_CALL || size->nkids != 1 || builtin_at(size->ref)->kind != BF_NLEVELS) continue;
        const DataValue *dv = lower_factor(L, size->kids[0], false);
        if (dv && ir_add_labels(L->m, name, k, dv->levels, dv->nlevels) < 0) lower_oom(L, size->loc);
    }
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
        return lower_emit(L, IR_MATH, f->code, in, 1, s->rank, s->rows, s->cols, e->loc);
    case BF_BINARY: {
        int rank;
        long rows, cols;
        if (elementwise_shape(L, in[0], in[1], e->loc, &rank, &rows, &cols) < 0) return -1;
        return lower_emit(L, (IrOp)f->code, 0, in, 2, rank, rows, cols, e->loc);
    }
    case BF_REDUCE:
        if (f->code == IR_SD && s->len < 2) {
            diag_error(L->diags, DIAG_SHAPE, e->loc, "sd needs at least two elements");
            return -1;
        }
        if (s->len == 0 && f->code == IR_MEAN) {
            diag_error(L->diags, DIAG_SHAPE, e->loc, "mean of no elements");
            return -1;
        }
        return lower_emit(L, (IrOp)f->code, 0, in, 1, 0, 1, 1, e->loc);
    case BF_DOT:
        if (!shape_dot(shape_of(L, in[0]), shape_of(L, in[1]))) {
            char da[64], db[64];
            lower_describe(L, in[0], da, sizeof da);
            lower_describe(L, in[1], db, sizeof db);
            diag_error(L->diags, DIAG_SHAPE, e->loc, "dot needs two vectors of the same length; got %s and %s", da, db);
            return -1;
        }
        return lower_emit(L, IR_DOT, 0, in, 2, 0, 1, 1, e->loc);
    case BF_LENGTH:
        return lower_scalar_const(L, (double)s->len, e->loc);
    case BF_NLEVELS: {
        const DataValue *dv = lower_factor(L, e->kids[0], true);
        return dv ? lower_scalar_const(L, (double)dv->nlevels, e->loc) : -1;
    }
    }
    return -1;
}

int lower_expr(Lower *L, Expr *e)
{
    if (L->oom) return -1;
    int line = L->line;
    L->line = e->loc.first_line;
    int r = -1;
    switch (e->kind) {
    case EX_NUM: r = lower_scalar_const(L, e->num, e->loc); break;
    case EX_NAME: r = lower_name(L, e); break;
    case EX_INDEX: r = lower_index(L, e); break;
    case EX_VECTOR: r = lower_vector(L, e); break;
    case EX_CALL: r = lower_call(L, e); break;
    case EX_BINARY: r = lower_binary(L, e); break;
    case EX_UNARY: {
        int a = lower_expr(L, e->kids[0]);
        if (a < 0) break;
        const IrSlot *s = slot(L, a);
        r = lower_emit(L, e->op == OP_NEG ? IR_NEG : IR_NOT, 0, &a, 1, s->rank, s->rows, s->cols, e->loc);
        break;
    }
    }
    L->line = line;
    return r;
}
