/*
** lower.c -- syntax tree to IR: statements in the order their dependencies
** need.
**
** Statements are lowered in source order, but a name is lowered when it is
** first needed, so a model may use a name before the line that defines it;
** a name that needs itself is a cycle.  Loops are unrolled with their
** variable bound to each value in turn; a name defined element by element
** gets its storage from the largest index its statements reach.
*/
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "lower_state.h"

static void lower_top(Lower *L, int top);

void lower_add_output(Lower *L, int name, int id, bool is_param, Loc loc)
{
    if (L->nouts == L->cap_outs) {
        int cap = L->cap_outs ? L->cap_outs * 2 : 16;
        PendingOutput *p = realloc(L->outs, cap * sizeof *p);
        if (!p) { lower_oom(L, loc); return; }
        L->outs = p;
        L->cap_outs = cap;
    }
    L->outs[L->nouts++] = (PendingOutput){ {name, id, is_param}, loc };
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
        if (id < 0 || lower_whole_number(L, id, st->lhs->kids[k + 1], "a size", 0, IR_MAX_ELEMENTS, &dims[k]) < 0)
            return -1;
    }
    if (!dv) {
        Diag *e = diag_error(L->diags, DIAG_DATA_MISSING, st->lhs->loc, "no value for data '%s'", sym->name);
        diag_subject(e, sym->name);
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
        Diag *e = diag_error(L->diags, DIAG_DATA, st->lhs->loc, "data '%s' should be %s, but %s gives %s", sym->name, want,
                             dv->origin, got);
        if (ndims == 2 && dv->ndim < 2) diag_note(e, "a matrix is given as its rows: [[1, 2], [3, 4]]");
        return -1;
    }
    long rows = rank == 0 ? 1 : dv->dims[0], cols = rank == 2 ? dv->dims[1] : 1;
    if (ndims == 1) rows = dims[0];
    int id = ir_add_slot(L->m, REGION_CONST, rank, rows, cols, ss->name);
    if (id < 0) { lower_oom(L, st->loc); return -1; }
    memcpy(val(L, id), dv->v, (size_t)slot(L, id)->len * sizeof(double));
    lower_mark_int(L, id);
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
    if (!s->is_data) lower_add_output(L, ss->name, id, false, sym->loc);
    return id;
}

/* name ~ Dist(args) observed expr; */
static int define_observed(Lower *L, const Symbol *sym, Stmt *st)
{
    int x = lower_expr(L, st->observed);
    if (x < 0) return -1;
    if (lower_likelihood(L, st->rhs, x, st->observed) < 0) return -1;
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
    case SYM_PARAM: id = lower_define_param(L, sym, st); break;
    case SYM_OBSERVED: id = define_observed(L, sym, st); break;
    }
    if (L->nchain > 0 && L->chain[L->nchain - 1] == sym) L->nchain--;
    ss->slot = id;
    ss->state = id < 0 ? FAILED : DONE;
    return id;
}

static long lower_env_push(Lower *L, const char *name, long value)
{
    L->env[L->nenv].name = name;
    L->env[L->nenv].value = value;
    return L->nenv++;
}

/* The bounds of a loop, evaluated. */
static int lower_loop_bounds(Lower *L, Stmt *st, long *from, long *to)
{
    int a = lower_expr(L, st->from);
    if (a < 0 || lower_whole_number(L, a, st->from, "a loop bound", -IR_MAX_ELEMENTS, IR_MAX_ELEMENTS, from) < 0) return -1;
    int b = lower_expr(L, st->to);
    if (b < 0 || lower_whole_number(L, b, st->to, "a loop bound", -IR_MAX_ELEMENTS, IR_MAX_ELEMENTS, to) < 0) return -1;
    long trips = *to >= *from ? *to - *from + 1 : 0;
    if (trips * (st->nbody ? st->nbody : 1) > LOWER_MAX_UNROLL - L->unrolled) {
        Diag *e = diag_error(L->diags, DIAG_LIMIT, st->loc, "loops unroll to more than %ld statements", LOWER_MAX_UNROLL);
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
        if (lower_loop_bounds(L, st, &from, &to) < 0) return -1;
        long at = lower_env_push(L, st->var, from);
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
    if (n > 2) { diag_error(L->diags, DIAG_SHAPE, st->lhs->loc, "at most two indices: x[i] or X[i, j]"); return -1; }
    if (*rank && *rank != n) {
        diag_error(L->diags, DIAG_SHAPE, st->lhs->loc, "'%s' is given %ld indices here and %ld elsewhere", sym->name, n, *rank);
        return -1;
    }
    *rank = n;
    for (long k = 0; k < n; k++) {
        long v;
        int id = lower_expr(L, st->lhs->kids[k + 1]);
        if (id < 0 || lower_whole_number(L, id, st->lhs->kids[k + 1], "an index", 1, IR_MAX_ELEMENTS, &v) < 0) return -1;
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
        Diag *e = diag_error(L->diags, DIAG_UNDEFINED, sym->loc, "'%s' is never defined: the loops that define it do not run", sym->name);
        diag_note(e, "for i in a:b runs from a up to b, and not at all when b < a");
        ss->state = FAILED;
        return -1;
    }
    long len = ss->rank == 2 ? ss->dims[0] * ss->dims[1] : ss->dims[0];
    if (len > IR_MAX_ELEMENTS || (ss->rank == 2 && ss->dims[1] > IR_MAX_ELEMENTS)) {
        diag_error(L->diags, DIAG_LIMIT, sym->loc, "'%s' would have more than %ld elements", sym->name, IR_MAX_ELEMENTS);
        ss->state = FAILED;
        return -1;
    }
    ss->slot = ir_add_slot(L->m, REGION_WORK, (int)ss->rank, ss->dims[0], ss->dims[1], ss->name);
    ss->defined = calloc(len ? (size_t)len : 1, 1);
    ss->defined_by = calloc(len ? (size_t)len : 1, sizeof *ss->defined_by);
    if (ss->slot < 0 || !ss->defined || !ss->defined_by) { lower_oom(L, sym->loc); ss->state = FAILED; return -1; }
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
            Diag *e = diag_error(L->diags, DIAG_UNDEFINED, sym->loc, "'%s' is never defined", name);
            diag_note(e, "'%s' has %ld element%s, from its largest index; define each of them", sym->name, s->len,
                      s->len == 1 ? "" : "s");
            ss->state = FAILED;
            return;
        }
    if (!ss->any_computed) lower_mark_int(L, ss->slot);
    s->is_data = !ss->any_computed;
    if (ss->any_computed) lower_add_output(L, ss->name, ss->slot, sym->kind == SYM_PARAM, sym->loc);
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
    Diag *e = diag_error(L->diags, DIAG_CYCLE, use, "the size of '%s' depends on '%s' itself", sym->name, sym->name);
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
    if (id < 0 || lower_whole_number(L, id, st->lhs->kids[1], "an index", 1, ss->dims[0], &i) < 0) return -1;
    if (ss->rank == 2) {
        id = lower_expr(L, st->lhs->kids[2]);
        if (id < 0 || lower_whole_number(L, id, st->lhs->kids[2], "an index", 1, ss->dims[1], &j) < 0) return -1;
    }
    /* only now: lowering the indices may have moved the slot table */
    const IrSlot *s = slot(L, ss->slot);
    *k = ss->rank == 2 ? (i - 1) * s->cols + (j - 1) : i - 1;
    if (ss->defined[*k]) {
        char name[256];
        ir_element_name(L->m, ss->name, s, *k, name, sizeof name);
        Diag *e = diag_error(L->diags, DIAG_REDEFINED, st->lhs->loc, "'%s' is defined twice", name);
        diag_subject(e, sym->name);
        diag_related(e, L->diags->src, ss->defined_by[*k]->lhs->loc, "'%s' is first defined here", name);
        return -1;
    }
    ss->defined_by[*k] = st;   /* read only once defined[*k] says it is */
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
        lower_describe(L, r, buf, sizeof buf);
        diag_error(L->diags, DIAG_SHAPE, st->rhs->loc, "an element is one number; this is %s", buf);
        return -1;
    }
    IrModel *m = L->m;
    if (slot(L, r)->is_data) {
        m->work_init[slot(L, ss->slot)->off + k] = *val(L, r);
        ss->defined[k] = 1;
        return 0;
    }
    int at = ir_add_alias(m, ss->slot, k, 0, 1, 1, ss->name);
    if (at < 0) { lower_oom(L, st->loc); return -1; }
    IrInstr *last = m->ncode ? &m->code[m->ncode - 1] : NULL;
    if (last && last->out == r && m->slots[r].name < 0 && !ir_op_is_logpdf((IrOp)last->op)) {
        last->out = at;   /* write the value in place instead of copying it */
    } else {
        IrInstr copy = { .op = IR_COPY, .out = at, .in = {r, -1, -1, -1}, .n = 1, .line = st->loc.first_line };
        if (ir_add_instr(m, &copy) < 0) { lower_oom(L, st->loc); return -1; }
    }
    ss->defined[k] = 2;
    ss->any_computed = true;
    return 0;
}

/* theta[j] ~ Dist(args);  in a loop: one element of a vector parameter. */
static int declare_element(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (lower_refuse_discrete(L, st) < 0) return -1;
    if (ss->state == UNSEEN && start_elementwise(L, sym) < 0) return -1;
    if (!storage_ready(L, sym, st->lhs->loc)) return -1;
    long k;
    if (element_offset(L, sym, st, &k) < 0) return -1;
    int args[DIST_MAX_ARGS];
    if (lower_dist_args(L, st->rhs, args) < 0) return -1;
    for (int i = 0; i < dist_at(st->rhs->ref)->nargs; i++)
        if (slot(L, args[i])->len != 1) {
            diag_error(L->diags, DIAG_SHAPE, st->rhs->kids[i]->loc, "an element's distribution takes scalar arguments");
            return -1;
        }
    int at = ir_add_alias(L->m, ss->slot, k, 0, 1, 1, ss->name);
    if (at < 0) { lower_oom(L, st->loc); return -1; }
    if (lower_declare_param(L, st->rhs, args, 0, 1, at, ss->name, k, st->loc) < 0) return -1;
    ss->defined[k] = 2;
    ss->any_computed = true;
    return 0;
}

/* sym is needed while it is being defined: names the cycle's path. */
static void cycle_error(Lower *L, const Symbol *sym, Loc use)
{
    Diag *e = diag_error(L->diags, DIAG_CYCLE, use, "'%s' depends on itself", sym->name);
    diag_subject(e, sym->name);
    int from = L->nchain;
    while (from > 0 && L->chain[from - 1] != sym) from--;
    if (from == 0 || from == L->nchain) {
        diag_note(e, "its definition uses it");
        diag_related(e, L->diags->src, sym->loc, "'%s' is defined here", sym->name);
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

int lower_resolve(Lower *L, const Symbol *sym, Loc use)
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

/* A statement failed but nothing said why: never a silent wrong model. */
static void unexplained(Lower *L, const Stmt *st)
{
    if (diags_failed(L->diags) || L->oom) return;
    Diag *e = diag_error(L->diags, DIAG_INTERNAL, st->loc, "bmc could not compile this statement and cannot say why");
    diag_note(e, "this is a bug in bmc: please report it with the model");
}

static void lower_stmt(Lower *L, Stmt *st)
{
    if (!st || L->oom) return;
    L->line = st->loc.first_line;
    const char *name = st->kind == ST_FOR ? NULL : stmt_lhs_name(st);
    const Symbol *sym = name ? sema_find(L->sema, name) : NULL;
    int rc = -1;
    switch (st->kind) {
    case ST_DATA:
        if (sym) rc = define_whole(L, sym, st);
        break;
    case ST_ASSIGN:
        if (!sym) break;
        rc = sym->elementwise ? assign_element(L, sym, st) : define_whole(L, sym, st);
        break;
    case ST_TILDE:
        if (!sym) break;
        if (sema_tilde_declares(L->sema, st)) {
            rc = sym->elementwise ? declare_element(L, sym, st) : define_whole(L, sym, st);
        } else if (st->observed) {
            rc = define_whole(L, sym, st);
        } else {
            int x = lower_expr(L, st->lhs);
            rc = x < 0 ? -1 : lower_likelihood(L, st->rhs, x, st->lhs);
        }
        break;
    case ST_FOR: {
        long from, to;
        if (lower_loop_bounds(L, st, &from, &to) < 0) return;
        long at = lower_env_push(L, st->var, from);
        for (long i = from; i <= to && !L->oom && !diags_failed(L->diags); i++) {
            L->env[at].value = i;
            L->unrolled += st->nbody;
            for (int k = 0; k < st->nbody; k++) lower_stmt(L, st->body[k]);
        }
        L->nenv--;
        return;
    }
    }
    if (rc < 0) unexplained(L, st);
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
    /* every instruction counts for the density until a pass says otherwise */
    L.m->ndensity = L.m->ncode;
    if (L.nouts > 1) qsort(L.outs, (size_t)L.nouts, sizeof *L.outs, by_place);
    for (int i = 0; i < L.nouts; i++)
        if (ir_add_output(L.m, &L.outs[i].out) < 0) goto fail;
    goto done;
fail:
    ir_free(L.m);
    L.m = NULL;
    if (!diags_failed(diags)) diag_error(diags, DIAG_NO_MEMORY, LOC_NONE, "out of memory while compiling");
done:
    for (int i = 0; i < sema->nsyms && L.ss; i++) {
        free(L.ss[i].defined);
        free(L.ss[i].defined_by);
    }
    free(L.ss);
    free(L.top_state);
    free(L.chain);
    free(L.outs);
    return L.m;
}
