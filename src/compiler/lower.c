/*
** lower.c -- syntax tree to IR: statements in the order their dependencies
** need.
**
** Statements are lowered in source order, but a name is lowered when it is
** first needed (what it needs first of all: lower_order.c), so a model may
** use a name before the line that defines it; a name that needs itself is
** a cycle.  Loops are unrolled with their variable bound to each value in
** turn.  A name defined element by element is scanned first: every
** statement instance naming one of its elements is recorded with its loop
** variables, its storage comes from the largest index, and each element is
** then lowered from its instance when first needed, in any order.
*/
#include <math.h>
#include <stdint.h>
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
    L->outs[L->nouts++] = (PendingOutput){ {name, id, is_param, IR_GROUP_POSTERIOR, -1, -1, -1, 0}, loc };
}

void lower_add_replicate(Lower *L, int name, int id, int observed, int observed_name, Loc loc)
{
    lower_add_output(L, name, id, false, loc);
    if (L->oom || L->predictive != PREDICT_POSTERIOR) return;   /* a prior run's draws are the run itself */
    IrOutput *o = &L->outs[L->nouts - 1].out;
    o->group = IR_GROUP_PREDICTIVE;
    o->observed = observed;
    o->observed_name = observed_name;
}

/* Storage of the declared shape for data that bmc simulate draws, NaN
** until drawn; 'data y;' (ndims -1) is one number, or of the shape of the
** value given. */
static int define_simulated(Lower *L, const Symbol *sym, Stmt *st, const DataValue *dv, int ndims, const long *dims)
{
    SymState *ss = state_of(L, sym);
    int rank = ndims >= 0 ? ndims : dv ? dv->ndim : 0;
    long rows = ndims >= 0 ? dims[0] : dv ? dv->dims[0] : 1, cols = ndims >= 0 ? dims[1] : dv ? dv->dims[1] : 1;
    int id = ir_add_slot(L->m, REGION_CONST, rank, rows, cols, ss->name);
    if (id < 0) { lower_oom(L, st->loc); return -1; }
    for (long i = 0; i < slot(L, id)->len; i++) val(L, id)[i] = NAN;
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
        if (id < 0 || lower_whole_number(L, id, st->lhs->kids[k + 1], "a size", 0, IR_MAX_ELEMENTS, &dims[k]) < 0)
            return -1;
    }
    if (is_simulated(L, sym) && ndims <= 2) return define_simulated(L, sym, st, dv, ndims, dims);
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
    lower_label_dims(L, ss->name, st->lhs);
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
    if (lower_likelihood(L, st->rhs, x, st->observed, sym) < 0) return -1;
    if (L->m->slots[x].name < 0) L->m->slots[x].name = state_of(L, sym)->name;
    return x;
}

/* ---- the path of a cycle ---- */

bool lower_chain_push(Lower *L, const Symbol *sym, long elem)
{
    if (L->nchain > 0 && L->chain[L->nchain - 1].sym == sym && L->chain[L->nchain - 1].elem == elem) return false;
    if (L->nchain == L->cap_chain) {
        int cap = L->cap_chain ? 2 * L->cap_chain : 16;
        ChainLink *c = realloc(L->chain, (size_t)cap * sizeof *c);
        if (!c) { lower_oom(L, sym->loc); return false; }
        L->chain = c;
        L->cap_chain = cap;
    }
    L->chain[L->nchain++] = (ChainLink){sym, elem};
    return true;
}

void lower_chain_pop(Lower *L)
{
    if (L->nchain > 0) L->nchain--;
}

/* The name of a link: 'theta', or 'X[2, 1]' for an element. */
static void link_name(Lower *L, ChainLink c, char *buf, size_t size)
{
    SymState *ss = state_of(L, c.sym);
    if (c.elem < 0 || ss->slot < 0) snprintf(buf, size, "%s", c.sym->name);
    else ir_element_name(L->m, ss->name, slot(L, ss->slot), c.elem, buf, size);
}

/* Links a cycle's path shows at either end of a long one. */
#define CYCLE_ENDS 3

/* sym (or its element elem) is needed while it is being defined: names
** the cycle's path. */
static void cycle_error(Lower *L, const Symbol *sym, long elem, Loc use)
{
    char name[256];
    link_name(L, (ChainLink){sym, elem}, name, sizeof name);
    Diag *e = diag_error(L->diags, DIAG_CYCLE, use, "'%s' depends on itself", name);
    diag_subject(e, sym->name);
    int from = L->nchain;
    while (from > 0 && !(L->chain[from - 1].sym == sym && L->chain[from - 1].elem == elem)) from--;
    if (from == 0 || from == L->nchain) {
        diag_note(e, "its definition uses it");
        diag_related(e, L->diags->src, sym->loc, "'%s' is defined here", sym->name);
        return;
    }
    /* a long path keeps its ends: the first links, "...", the last ones */
    char path[1024];
    size_t off = 0;
    int first = from - 1, n = L->nchain - first;
    for (int k = 0; k < n && off < sizeof path; k++) {
        if (n > 2 * CYCLE_ENDS && k == CYCLE_ENDS) {
            off += (size_t)snprintf(path + off, sizeof path - off, "... ");
            k = n - CYCLE_ENDS;
        }
        char link[256];
        link_name(L, L->chain[first + k], link, sizeof link);
        off += (size_t)snprintf(path + off, sizeof path - off, k == 0 ? "'%s' uses " : "'%s', which uses ", link);
    }
    if (off < sizeof path) snprintf(path + off, sizeof path - off, "'%s'", name);
    diag_note(e, "%s", path);
}

/* The C stack lowering has used so far, in bytes: from where
** lower_program began to a local here.  (The addresses of two objects are
** compared as integers, which every target bmc runs on orders as its
** stack grows, up or down.) */
static size_t stack_used(const Lower *L)
{
    char here;
    uintptr_t now = (uintptr_t)&here;
    return now > L->stack_base ? now - L->stack_base : L->stack_base - now;
}

/* Entering the lowering of a definition, perhaps inside another's: false,
** after saying so, past LOWER_MAX_NESTING definitions or LOWER_MAX_STACK
** bytes of stack (deep expressions in each make a nesting dearer). */
static bool nest(Lower *L, const Symbol *sym, Loc use)
{
    if (L->nesting < LOWER_MAX_NESTING && stack_used(L) < LOWER_MAX_STACK) {
        L->nesting++;
        return true;
    }
    /* one message for both bounds: which comes first depends on the build */
    Diag *e = diag_error(L->diags, DIAG_LIMIT, use, "'%s' waits on definitions nested too deeply, each inside the last "
                         "(at most %d)", sym->name, LOWER_MAX_NESTING);
    diag_note(e, "index elements with numbers and loop variables (x[t - 1]), so that their order can be worked out first");
    return false;
}

/* Runs define for a whole-name symbol, guarding against cycles. */
static int define_whole(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == DONE || ss->state == FAILED) return ss->slot;
    if (!nest(L, sym, st->lhs->loc)) { ss->state = FAILED; return -1; }
    ss->state = DOING;
    bool linked = lower_chain_push(L, sym, -1);
    int id = -1;
    switch (sym->kind) {
    case SYM_DATA: id = define_data(L, sym, st); break;
    case SYM_VALUE: id = define_value(L, sym, st); break;
    case SYM_PARAM: id = lower_define_param(L, sym, st); break;
    case SYM_OBSERVED: id = define_observed(L, sym, st); break;
    case SYM_GENERATED: id = lower_define_generated(L, sym, st); break;
    }
    if (linked) lower_chain_pop(L);
    L->nesting--;
    ss->slot = id;
    ss->state = id < 0 ? FAILED : DONE;
    return id;
}

/* Pushes a loop variable; -1 when out of memory. */
static long lower_env_push(Lower *L, const char *name, long value, Loc loc)
{
    if (L->nenv == L->cap_env) {
        int cap = L->cap_env ? 2 * L->cap_env : 32;
        LoopVar *e = realloc(L->env, (size_t)cap * sizeof *e);
        if (!e) { lower_oom(L, loc); return -1; }
        L->env = e;
        L->cap_env = cap;
    }
    L->env[L->nenv].name = name;
    L->env[L->nenv].value = value;
    return L->nenv++;
}

/* The bounds of a loop, evaluated, and the statements it will run (per
** of them each pass) counted in *count against LOWER_MAX_UNROLL before any
** of them runs. */
static int lower_loop_bounds(Lower *L, Stmt *st, long *count, long per, long *from, long *to)
{
    int a = lower_expr(L, st->from);
    if (a < 0 || lower_whole_number(L, a, st->from, "a loop bound", -IR_MAX_ELEMENTS, IR_MAX_ELEMENTS, from) < 0) return -1;
    int b = lower_expr(L, st->to);
    if (b < 0 || lower_whole_number(L, b, st->to, "a loop bound", -IR_MAX_ELEMENTS, IR_MAX_ELEMENTS, to) < 0) return -1;
    long trips = *to >= *from ? *to - *from + 1 : 0;
    if (trips * (per ? per : 1) > LOWER_MAX_UNROLL - *count) {
        Diag *e = diag_error(L->diags, DIAG_LIMIT, st->loc, "loops unroll to more than %ld statements", LOWER_MAX_UNROLL);
        diag_note(e, "write it with vectors: y ~ Normal(mu, sigma) observed a whole vector, mu = a + b * x");
        return -1;
    }
    return 0;
}

/* ---- element by element ---- */

/* Records an instance of a statement naming an element of sym, with the
** loop variables in scope. */
static int add_instance(Lower *L, SymState *ss, Stmt *st, const long index[2])
{
    int nenv = L->nenv - L->env_base;
    if (ss->ninst == ss->cap_inst) {
        long cap = ss->cap_inst ? 2 * ss->cap_inst : 8;
        ElemInst *p = realloc(ss->inst, (size_t)cap * sizeof *p);
        if (!p) { lower_oom(L, st->loc); return -1; }
        ss->inst = p;
        ss->cap_inst = cap;
    }
    if (ss->nenvs + nenv > ss->cap_envs) {
        long cap = ss->cap_envs ? 2 * ss->cap_envs : 16;
        while (cap < ss->nenvs + nenv) cap *= 2;
        LoopVar *p = realloc(ss->envs, (size_t)cap * sizeof *p);
        if (!p) { lower_oom(L, st->loc); return -1; }
        ss->envs = p;
        ss->cap_envs = cap;
    }
    if (nenv > 0) memcpy(ss->envs + ss->nenvs, L->env + L->env_base, (size_t)nenv * sizeof *ss->envs);
    ss->inst[ss->ninst++] = (ElemInst){st, ss->nenvs, nenv, {index[0], index[1]}, UNSEEN};
    ss->nenvs += nenv;
    return 0;
}

/* Records an instance of st, which names an element of sym, with the loop
** variables in scope: its indices, and the largest index in each dimension. */
static int scan_instance(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    long n = st->lhs->nkids - 1;
    if (n > 2) { diag_error(L->diags, DIAG_SHAPE, st->lhs->loc, "at most two indices: x[i] or X[i, j]"); return -1; }
    if (ss->rank && ss->rank != n) {
        diag_error(L->diags, DIAG_SHAPE, st->lhs->loc, "'%s' is given %ld indices here and %ld elsewhere", sym->name, n, ss->rank);
        return -1;
    }
    ss->rank = n;
    long index[2] = {1, 1};
    for (long k = 0; k < n; k++) {
        int id = lower_expr(L, st->lhs->kids[k + 1]);
        if (id < 0 || lower_whole_number(L, id, st->lhs->kids[k + 1], "an index", 1, IR_MAX_ELEMENTS, &index[k]) < 0)
            return -1;
        if (index[k] > ss->dims[k]) ss->dims[k] = index[k];
    }
    return add_instance(L, ss, st, index);
}

/* Every instance of definition d of sym: its loops, from level down,
** unrolled around its statement alone, so that a loop defining many names
** costs each name only its own statements. */
static int scan_definition(Lower *L, const Symbol *sym, const SymDef *d, int level)
{
    if (level == d->nloops) return scan_instance(L, sym, d->stmt);
    Stmt *loop = d->loops[level];
    long from, to;
    if (lower_loop_bounds(L, loop, &L->scanned, 1, &from, &to) < 0) return -1;
    long at = lower_env_push(L, loop->var, from, loop->loc);
    if (at < 0) return -1;
    int rc = 0;
    for (long i = from; i <= to && rc == 0; i++) {
        L->env[at].value = i;
        L->scanned++;
        rc = scan_definition(L, sym, d, level + 1);
    }
    L->nenv--;
    return rc;
}

long lower_inst_offset(const SymState *ss, const ElemInst *in)
{
    return ss->rank == 2 ? (in->index[0] - 1) * ss->dims[1] + (in->index[1] - 1) : in->index[0] - 1;
}

/* Which instance defines each element.  An assignment does; a '~' does
** where no assignment does (the element is then a parameter), and is
** otherwise a density term on the computed element.  Two definitions of
** one element, or an element without one, are errors. */
static int assign_definitions(Lower *L, const Symbol *sym)
{
    SymState *ss = state_of(L, sym);
    const IrSlot *s = slot(L, ss->slot);
    for (long k = 0; k < s->len; k++) ss->def[k] = -1;
    for (int pass = 0; pass < 2; pass++)
        for (long i = 0; i < ss->ninst; i++) {
            const ElemInst *in = &ss->inst[i];
            if ((in->st->kind == ST_ASSIGN) != (pass == 0)) continue;
            long k = lower_inst_offset(ss, in);
            long other = ss->def[k];
            if (other < 0) {
                ss->def[k] = i;
                continue;
            }
            if (pass == 1 && ss->inst[other].st->kind == ST_ASSIGN) continue;   /* a density term */
            char name[256];
            ir_element_name(L->m, ss->name, s, k, name, sizeof name);
            Diag *e = diag_error(L->diags, DIAG_REDEFINED, in->st->lhs->loc, "'%s' is defined twice", name);
            diag_subject(e, sym->name);
            diag_related(e, L->diags->src, ss->inst[other].st->lhs->loc, "'%s' is first defined here", name);
            return -1;
        }
    for (long k = 0; k < s->len; k++)
        if (ss->def[k] < 0) {
            char name[256];
            ir_element_name(L->m, ss->name, s, k, name, sizeof name);
            Diag *e = diag_error(L->diags, DIAG_UNDEFINED, sym->loc, "'%s' is never defined", name);
            diag_note(e, "'%s' has %ld element%s, from its largest index; define each of them", sym->name, s->len,
                      s->len == 1 ? "" : "s");
            return -1;
        }
    ss->pending = s->len;
    return 0;
}

int lower_start_elementwise(Lower *L, const Symbol *sym, Loc use)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == FAILED) return -1;
    if (ss->state != UNSEEN) {
        if (ss->slot >= 0) return 0;
        /* no storage yet: its size is being worked out from its indices */
        Diag *e = diag_error(L->diags, DIAG_CYCLE, use, "the size of '%s' depends on '%s' itself", sym->name, sym->name);
        diag_note(e, "the indices of '%s' cannot use '%s'", sym->name, sym->name);
        ss->state = FAILED;
        return -1;
    }
    ss->state = DOING;
    /* a scan may start another's (an index naming another element) */
    int base = L->env_base;
    long scanned = L->scanned;
    L->env_base = L->nenv;
    L->scanned = 0;
    int rc = 0;
    for (int i = 0; i < sym->ndefs && rc == 0; i++) rc = scan_definition(L, sym, &sym->defs[i], 0);
    L->env_base = base;
    L->scanned = scanned;
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
    ss->def = malloc((len ? (size_t)len : 1) * sizeof *ss->def);
    if (ss->slot < 0 || !ss->defined || !ss->def) { lower_oom(L, sym->loc); ss->state = FAILED; return -1; }
    L->m->slots[ss->slot].is_data = 0;
    if (assign_definitions(L, sym) < 0) { ss->state = FAILED; return -1; }
    return 0;
}

/* Once every element is lowered, the symbol is done. */
static void finish_elementwise(Lower *L, const Symbol *sym)
{
    SymState *ss = state_of(L, sym);
    if (ss->state != DOING || ss->slot < 0 || ss->pending > 0) return;
    IrSlot *s = &L->m->slots[ss->slot];
    if (!ss->any_computed) lower_mark_int(L, ss->slot);
    s->is_data = !ss->any_computed;
    if (ss->any_computed) lower_add_output(L, ss->name, ss->slot, sym->kind == SYM_PARAM, sym->loc);
    ss->state = DONE;
}

/* The element a statement's indexed left side names, as an offset; the
** indices were checked when the statement was scanned. */
static int element_offset(Lower *L, const Symbol *sym, Stmt *st, long *k)
{
    SymState *ss = state_of(L, sym);
    long index[2] = {1, 1};
    for (long d = 0; d < ss->rank; d++) {
        int id = lower_expr(L, st->lhs->kids[d + 1]);
        if (id < 0 || lower_whole_number(L, id, st->lhs->kids[d + 1], "an index", 1, ss->dims[d], &index[d]) < 0)
            return -1;
    }
    ElemInst in = {.index = {index[0], index[1]}};
    *k = lower_inst_offset(ss, &in);
    return 0;
}

/* x[i] = expr;  element k, from its instance */
static int assign_element(Lower *L, const Symbol *sym, Stmt *st, long k)
{
    SymState *ss = state_of(L, sym);
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

/* theta[j] ~ Dist(args);  in a loop: element k, a parameter, or drawn
** per draw when the name is a generated quantity */
static int declare_element(Lower *L, const Symbol *sym, Stmt *st, long k)
{
    SymState *ss = state_of(L, sym);
    /* a prior predictive run draws parameter elements of mixed vectors too */
    bool drawn = sym->kind == SYM_GENERATED || L->predictive == PREDICT_PRIOR;
    if (!drawn && lower_refuse_discrete(L, st) < 0) return -1;
    int args[DIST_MAX_ARGS];
    if (lower_dist_args(L, st->rhs, args) < 0) return -1;
    for (int i = 0; i < dist_at(st->rhs->ref)->nargs; i++)
        if (slot(L, args[i])->len != 1) {
            diag_error(L->diags, DIAG_SHAPE, st->rhs->kids[i]->loc, "an element's distribution takes scalar arguments");
            return -1;
        }
    if (drawn) {
        double v;
        long set = lower_fixed_values(L, sym, ss->slot, st->rhs, args, k, 1, &v);
        if (set < 0) return -1;
        if (set == 1) {   /* given: data, as an assigned number would be */
            L->m->work_init[slot(L, ss->slot)->off + k] = v;
            ss->defined[k] = 1;
            return 0;
        }
        if (lower_refuse_undrawable(L, sym, st) < 0) return -1;
    }
    int at = ir_add_alias(L->m, ss->slot, k, 0, 1, 1, ss->name);
    if (at < 0) { lower_oom(L, st->loc); return -1; }
    if (drawn ? lower_draw(L, st->rhs, args, 1, at, st->loc) < 0
              : lower_declare_param(L, st->rhs, args, 0, 1, at, ss->name, k, st->loc) < 0)
        return -1;
    ss->defined[k] = 2;
    ss->any_computed = true;
    return 0;
}

/* Lowers the definition of element k from instance i, whose loop variables
** are in scope. */
static int define_element(Lower *L, const Symbol *sym, long i, long k)
{
    SymState *ss = state_of(L, sym);
    ElemInst *in = &ss->inst[i];
    Stmt *st = in->st;
    if (!nest(L, sym, st->lhs->loc)) {
        in->state = FAILED;
        ss->state = FAILED;
        return -1;
    }
    in->state = DOING;
    bool linked = lower_chain_push(L, sym, k);
    int rc = st->kind == ST_ASSIGN ? assign_element(L, sym, st, k) : declare_element(L, sym, st, k);
    if (linked) lower_chain_pop(L);
    L->nesting--;
    /* the instance array may have moved: nothing lowered adds to it, but
    ** read it afresh all the same */
    ss->inst[i].state = rc < 0 ? FAILED : DONE;
    if (rc < 0) {
        ss->state = FAILED;
        return -1;
    }
    ss->pending--;
    finish_elementwise(L, sym);
    return 0;
}

/* A statement with an element of sym on its left, reached by unrolling
** its loop: defines the element unless it was lowered already (when first
** needed), or, a '~' on a computed element, adds its density. */
static int element_statement(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    if (lower_start_elementwise(L, sym, st->lhs->loc) < 0) return -1;
    long k;
    if (element_offset(L, sym, st, &k) < 0) return -1;
    long i = ss->def[k];
    if (ss->inst[i].st == st) {
        if (ss->inst[i].state == UNSEEN || ss->inst[i].state == WAITING) return define_element(L, sym, i, k);
        return ss->inst[i].state == FAILED ? -1 : 0;
    }
    /* a '~' on an element an assignment defines */
    int x = lower_expr(L, st->lhs);
    return x < 0 ? -1 : lower_likelihood(L, st->rhs, x, st->lhs, sym);
}

/* Lowers instance i with its loop variables in scope and no others. */
void lower_instance(Lower *L, const Symbol *sym, long i)
{
    SymState *ss = state_of(L, sym);
    if (ss->inst[i].state != UNSEEN && ss->inst[i].state != WAITING) return;
    int base = L->env_base, nenv = L->nenv, line = L->line;
    L->env_base = L->nenv;
    ElemInst in = ss->inst[i];
    for (int v = 0; v < in.nenv; v++) {
        const LoopVar *lv = &ss->envs[in.env + v];
        if (lower_env_push(L, lv->name, lv->value, in.st->loc) < 0) { L->nenv = nenv; L->env_base = base; return; }
    }
    L->line = in.st->loc.first_line;
    if (define_element(L, sym, i, lower_inst_offset(ss, &in)) < 0 && !diags_failed(L->diags) && !L->oom) {
        Diag *e = diag_error(L->diags, DIAG_INTERNAL, in.st->loc, "bmc could not compile this statement and cannot say why");
        diag_note(e, "this is a bug in bmc: please report it with the model");
    }
    L->nenv = nenv;
    L->env_base = base;
    L->line = line;
}

int lower_element(Lower *L, const Symbol *sym, long k, Loc use)
{
    SymState *ss = state_of(L, sym);
    if (ss->defined[k]) return 0;
    long i = ss->def[k];
    uint8_t st = ss->inst[i].state;
    if (st == FAILED) return -1;
    if (st == DOING) {
        cycle_error(L, sym, k, use);
        return -1;
    }
    lower_order(L, (Unit){sym, k});
    if (ss->defined[k]) return 0;
    if (ss->inst[i].state == DOING) {
        cycle_error(L, sym, k, use);
        return -1;
    }
    /* what the order could not see: lowered here, inside this use */
    lower_instance(L, sym, i);
    return ss->defined[k] ? 0 : -1;
}

void lower_whole_definition(Lower *L, const Symbol *sym)
{
    lower_top(L, sym->defs[0].top);
}

int lower_resolve(Lower *L, const Symbol *sym, Loc use)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == DONE) return ss->slot;
    if (ss->state == FAILED) return -1;
    if (!sym->elementwise) {
        if (ss->state == DOING) {
            cycle_error(L, sym, -1, use);
            ss->state = FAILED;
            return -1;
        }
        lower_order(L, (Unit){sym, -1});
        if (ss->state == UNSEEN) lower_top(L, sym->defs[0].top);
        /* lower_top skips a statement already in progress: a cycle */
        if (ss->state == UNSEEN) {
            cycle_error(L, sym, -1, use);
            ss->state = FAILED;
        }
        return ss->slot;
    }
    /* the whole of an element-by-element symbol: every element */
    if (lower_start_elementwise(L, sym, use) < 0) return -1;
    lower_order(L, (Unit){sym, -1});
    for (long k = 0; k < slot(L, ss->slot)->len && ss->state == DOING; k++)
        if (lower_element(L, sym, k, use) < 0) return -1;
    if (ss->state == DOING) {   /* an element being defined needs them all */
        cycle_error(L, sym, -1, use);
        return -1;
    }
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
        rc = sym->elementwise ? element_statement(L, sym, st) : define_whole(L, sym, st);
        break;
    case ST_TILDE:
        if (!sym) break;
        if (st->observed) {
            rc = define_whole(L, sym, st);
        } else if (sym->elementwise && st->lhs->kind == EX_INDEX) {
            rc = element_statement(L, sym, st);   /* a parameter element, or a density on one */
        } else if (sema_tilde_declares(L->sema, st)) {
            rc = define_whole(L, sym, st);
        } else {
            /* the data modelled: read here, if anywhere, when simulated */
            L->modelled = st->lhs->kind == EX_INDEX ? st->lhs->kids[0] : st->lhs;
            int x = lower_expr(L, st->lhs);
            L->modelled = NULL;
            rc = x < 0 ? -1 : lower_likelihood(L, st->rhs, x, st->lhs, sym);
        }
        break;
    case ST_FOR: {
        long from, to;
        if (lower_loop_bounds(L, st, &L->unrolled, st->nbody, &from, &to) < 0) return;
        long at = lower_env_push(L, st->var, from, st->loc);
        if (at < 0) return;
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

/* Adds o to the IR: a replicate as the runs of elements some '~' drew,
** each beside the values it replicates, for the others stay the data
** they are and would only blur its checks. */
static int add_output(Lower *L, const IrOutput *o)
{
    const uint8_t *drawn = NULL;
    for (int i = 0; o->group == IR_GROUP_PREDICTIVE && i < L->sema->nsyms && !drawn; i++)
        if (L->ss[i].rep == o->slot) drawn = L->ss[i].rep_drawn;
    long len = L->m->slots[o->slot].len, all = 0;
    for (long i = 0; drawn && i < len; i++) all += drawn[i];
    if (!drawn || all == len) return ir_add_output(L->m, o);
    for (long a = 0; a < len;) {
        if (!drawn[a]) { a++; continue; }
        long b = a;
        while (b < len && drawn[b]) b++;
        IrOutput run = *o;
        run.slot = ir_add_alias(L->m, o->slot, a, 1, b - a, 1, L->m->slots[o->slot].name);
        run.observed = run.slot < 0 ? -1 : ir_add_alias(L->m, o->observed, a, 1, b - a, 1, -1);
        run.shape_slot = o->slot;
        run.first = a;
        if (run.observed < 0 || ir_add_output(L->m, &run) < 0) return -1;
        a = b;
    }
    return 0;
}

static int by_place(const void *a, const void *b)
{
    const PendingOutput *x = a, *y = b;
    if (x->loc.first_line != y->loc.first_line) return x->loc.first_line - y->loc.first_line;
    return x->loc.first_column - y->loc.first_column;
}

IrModel *lower_program(Program *prog, const Sema *sema, const DataSet *data, Diags *diags, Diags *warnings,
                       const LowerOptions *opt)
{
    Lower L;
    memset(&L, 0, sizeof L);
    L.prog = prog;
    L.sema = sema;
    L.diags = diags;
    L.warnings = warnings;
    L.predictive = opt->predictive;
    L.simulate = opt->simulate;
    L.fixed = opt->fixed;
    L.log_lik = opt->log_lik;
    char base;
    L.stack_base = (uintptr_t)&base;
    L.data = data;
    L.m = ir_new();
    L.ss = calloc(sema->nsyms ? (size_t)sema->nsyms : 1, sizeof *L.ss);
    L.top_state = calloc(prog->nstmts ? (size_t)prog->nstmts : 1, 1);
    if (!L.m || !L.ss || !L.top_state) goto fail;
    /* a prior predictive run draws the modelled data it has no values for,
    ** as bmc simulate draws them all */
    if (L.simulate || L.predictive == PREDICT_PRIOR) {
        if (!(L.simulated = calloc(sema->nsyms ? (size_t)sema->nsyms : 1, sizeof *L.simulated))) goto fail;
        sema_modelled_data(sema, L.simulated);
        for (int i = 0; i < sema->nsyms && !L.simulate; i++)
            L.simulated[i] = L.simulated[i] && !(data && dataset_find(data, sema->syms[i].name));
    }
    for (int i = 0; i < sema->nsyms; i++) {
        L.ss[i].slot = -1;
        L.ss[i].rep = -1;
        if ((L.ss[i].name = ir_add_name(L.m, sema->syms[i].name)) < 0) goto fail;
    }
    for (int i = 0; i < prog->nstmts && !L.oom; i++) lower_top(&L, i);
    if (diags_failed(diags) || L.oom) goto fail;
    lower_finish_conjugate(&L);
    if (L.nouts > 1) qsort(L.outs, (size_t)L.nouts, sizeof *L.outs, by_place);
    for (int i = 0; i < L.nouts; i++)
        if (add_output(&L, &L.outs[i].out) < 0) goto fail;
    if (lower_emit_points(&L) < 0) goto fail;   /* after every other output */
    /* every instruction counts for the density until a pass says otherwise,
    ** but for the draws of generated quantities, the points, and what needs them */
    int split = ir_put_draws_last(L.m);
    if (split == -2) {
        diag_error(diags, DIAG_INTERNAL, LOC_NONE, "a term of the log density would read a generated quantity");
        goto fail;
    }
    if (split != 0) goto fail;
    goto done;
fail:
    ir_free(L.m);
    L.m = NULL;
    if (!diags_failed(diags)) diag_error(diags, DIAG_NO_MEMORY, LOC_NONE, "out of memory while compiling");
done:
    for (int i = 0; i < sema->nsyms && L.ss; i++) {
        free(L.ss[i].defined);
        free(L.ss[i].rep_drawn);
        free(L.ss[i].def);
        free(L.ss[i].inst);
        free(L.ss[i].envs);
    }
    free(L.ss);
    free(L.simulated);
    free(L.top_state);
    free(L.chain);
    free(L.env);
    free(L.outs);
    free(L.points);
    return L.m;
}
