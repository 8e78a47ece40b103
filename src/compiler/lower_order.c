/*
** lower_order.c -- what a definition needs, lowered before it, without
** recursion.
**
** Lowering that meets a name it has not lowered lowers the name's
** definition there and then, inside the use.  A chain of definitions each
** needing the next (x[t] = x[t + 1] * r; or a file written bottom up)
** would nest as deep as the chain is long, and the C stack is small.  So
** before a definition is lowered, the names and elements its statement
** mentions are read from the syntax and lowered first, depth first, with a
** stack of our own.
**
** This is advice, not law: an element whose index cannot be read from the
** syntax (x[idx[t]]) is left for lowering to find when it gets there,
** and a cycle is left for lowering to report with its path.  Nothing here
** reports an error.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lower_state.h"

/* A definition on the stack, with what it needs and how far through. */
typedef struct Frame {
    Unit u;
    bool linked;       /* on the path of definitions (lower_chain_push) */
    Unit *needs;       /* NULL for all of an element-by-element symbol: its elements, in turn */
    long nneeds, next;
} Frame;

/* ---- the state of a unit ---- */

static bool is_done(Lower *L, Unit u)
{
    SymState *ss = state_of(L, u.sym);
    if (ss->state == DONE || ss->state == FAILED) return true;
    if (u.elem < 0) return false;
    uint8_t st = ss->inst[ss->def[u.elem]].state;
    return ss->defined[u.elem] || st == DONE || st == FAILED;
}

/* Being lowered, or waiting on this stack: an edge to it is a cycle or a
** need the syntax overstates, and is left to lowering. */
static bool is_busy(Lower *L, Unit u)
{
    SymState *ss = state_of(L, u.sym);
    if (u.elem < 0 && !u.sym->elementwise) return ss->state == DOING || ss->order == WAITING;
    if (u.elem < 0) return ss->order == WAITING;
    uint8_t st = ss->inst[ss->def[u.elem]].state;
    return st == DOING || st == WAITING;
}

static void set_waiting(Lower *L, Unit u, bool on)
{
    SymState *ss = state_of(L, u.sym);
    if (u.elem < 0) {
        ss->order = on ? WAITING : UNSEEN;
        return;
    }
    ElemInst *in = &ss->inst[ss->def[u.elem]];
    if (on && in->state == UNSEEN) in->state = WAITING;
    else if (!on && in->state == WAITING) in->state = UNSEEN;
}

/* ---- what a statement mentions ---- */

/* x as a whole number an index can be, into *v; false otherwise (before
** any cast, which would be undefined for 1e300 or NaN). */
static bool whole(double x, long *v)
{
    if (!(fabs(x) <= IR_MAX_ELEMENTS) || x != floor(x)) return false;
    *v = (long)x;
    return true;
}

/* Nodes an index may have for index_value to read it. */
#define INDEX_NODES 64

/* The value of an index written with numbers, loop variables (env), data
** already lowered (N, g[i]), +, -, * and unary minus; false for anything
** else.  *budget bounds the nodes read. */
static bool index_value(Lower *L, const Expr *e, const LoopVar *env, int nenv, int *budget, long *v)
{
    if (--*budget < 0) return false;
    switch (e->kind) {
    case EX_NUM:
        if (!whole(e->num, v)) return false;
        break;
    case EX_NAME: {
        for (int i = nenv - 1; i >= 0; i--)
            if (strcmp(env[i].name, e->name) == 0) { *v = env[i].value; return true; }
        const Symbol *sym = sema_find(L->sema, e->name);
        if (!sym || sym->elementwise) return false;
        SymState *ss = state_of(L, sym);
        if (ss->state != DONE || !slot(L, ss->slot)->is_data || slot(L, ss->slot)->len != 1) return false;
        double x = *val(L, ss->slot);
        if (!whole(x, v)) return false;
        break;
    }
    case EX_INDEX: {
        /* an element of data already lowered: a group index g[i] */
        const Expr *b = e->kids[0];
        int nidx = e->nkids - 1;
        long index[2] = {1, 1};
        if (b->kind != EX_NAME || nidx < 1 || nidx > 2) return false;
        for (int i = 0; i < nenv; i++)
            if (strcmp(env[i].name, b->name) == 0) return false;
        for (int d = 0; d < nidx; d++)
            if (!index_value(L, e->kids[d + 1], env, nenv, budget, &index[d])) return false;
        const Symbol *sym = sema_find(L->sema, b->name);
        if (!sym) return false;
        SymState *ss = state_of(L, sym);
        if (ss->slot < 0 || (ss->state != DONE && !sym->elementwise)) return false;
        const IrSlot *s = slot(L, ss->slot);
        if (s->rank != nidx) return false;
        long rows = s->rank == 2 ? s->rows : s->len, cols = s->rank == 2 ? s->cols : 1;
        if (index[0] < 1 || index[0] > rows || index[1] < 1 || index[1] > cols) return false;
        long k = (index[0] - 1) * cols + (index[1] - 1);
        bool known = sym->elementwise && ss->state != DONE ? ss->defined[k] == 1 : s->is_data;
        if (!known) return false;
        double x = val(L, ss->slot)[k];
        if (!whole(x, v)) return false;
        break;
    }
    case EX_UNARY:
        if (e->op != OP_NEG || !index_value(L, e->kids[0], env, nenv, budget, v)) return false;
        *v = -*v;
        break;
    case EX_BINARY: {
        long a, b;
        if (e->op != OP_ADD && e->op != OP_SUB && e->op != OP_MUL) return false;
        if (!index_value(L, e->kids[0], env, nenv, budget, &a) || !index_value(L, e->kids[1], env, nenv, budget, &b))
            return false;
        /* within +-IR_MAX_ELEMENTS nothing below overflows */
        *v = e->op == OP_ADD ? a + b : e->op == OP_SUB ? a - b : a * b;
        break;
    }
    default:
        return false;
    }
    return *v >= -IR_MAX_ELEMENTS && *v <= IR_MAX_ELEMENTS;
}

/* The needs of a definition, growing. */
typedef struct Needs {
    Unit *u;
    long n, cap;
    bool oom;
} Needs;

static void need(Needs *nd, Unit u)
{
    if (nd->oom) return;
    for (long i = nd->n - 1; i >= 0 && i >= nd->n - 4; i--)   /* x[t] + x[t] needs x[t] once */
        if (nd->u[i].sym == u.sym && nd->u[i].elem == u.elem) return;
    if (nd->n == nd->cap) {
        long cap = nd->cap ? 2 * nd->cap : 8;
        Unit *p = realloc(nd->u, (size_t)cap * sizeof *p);
        if (!p) { nd->oom = true; return; }
        nd->u = p;
        nd->cap = cap;
    }
    nd->u[nd->n++] = u;
}

/* The element x[index] names, as a unit; false when x has no storage yet
** (being scanned) or the index lies outside it (lowering says so). */
static bool element_unit(Lower *L, const Symbol *sym, const long *index, int nidx, Unit *u)
{
    SymState *ss = state_of(L, sym);
    if (ss->state == UNSEEN && lower_start_elementwise(L, sym, sym->loc) < 0) return false;
    if (ss->state != DOING || ss->slot < 0 || nidx != ss->rank) return false;
    for (int d = 0; d < nidx; d++)
        if (index[d] < 1 || index[d] > ss->dims[d]) return false;
    ElemInst in = {.index = {index[0], nidx == 2 ? index[1] : 1}};
    *u = (Unit){sym, lower_inst_offset(ss, &in)};
    return true;
}

/* Adds to nd what expression e mentions, loop variables env in scope. */
static void expr_needs(Lower *L, Expr *e, const LoopVar *env, int nenv, Needs *nd)
{
    if (!e) return;
    /* a stack of our own: a sum of many terms is a deep tree */
    Expr **todo = malloc(64 * sizeof *todo);
    long n = 0, cap = 64;
    if (!todo) { nd->oom = true; return; }
    todo[n++] = e;
    while (n > 0 && !nd->oom) {
        Expr *x = todo[--n];
        Expr *base = x->kind == EX_INDEX ? x->kids[0] : x;
        bool named = base->kind == EX_NAME;
        for (int i = 0; named && i < nenv; i++)
            if (strcmp(env[i].name, base->name) == 0) named = false;   /* a loop variable */
        const Symbol *sym = named ? sema_find(L->sema, base->name) : NULL;
        if (sym && x->kind == EX_NAME) {
            need(nd, (Unit){sym, -1});
        } else if (sym && x->kind == EX_INDEX) {
            long index[2];
            int nidx = x->nkids - 1, budget = INDEX_NODES;
            bool read = sym->elementwise && nidx >= 1 && nidx <= 2;
            for (int d = 0; read && d < nidx; d++) read = index_value(L, x->kids[d + 1], env, nenv, &budget, &index[d]);
            Unit u;
            need(nd, read && element_unit(L, sym, index, nidx, &u) ? u : (Unit){sym, -1});
        }
        /* the base of an index is handled above; its other parts are walked */
        int first = x->kind == EX_INDEX && named ? 1 : 0;
        if (x->kind == EX_NAME || x->kind == EX_NUM) continue;
        if (n + x->nkids > cap) {
            while (cap < n + x->nkids) cap *= 2;
            Expr **p = realloc(todo, (size_t)cap * sizeof *p);
            if (!p) { nd->oom = true; break; }
            todo = p;
        }
        for (int k = x->nkids - 1; k >= first; k--) todo[n++] = x->kids[k];
    }
    free(todo);
}

/* What the statement defining u mentions. */
static void stmt_needs(Lower *L, const Stmt *st, const LoopVar *env, int nenv, Needs *nd)
{
    if (st->lhs->kind == EX_INDEX)
        for (int k = 1; k < st->lhs->nkids; k++) expr_needs(L, st->lhs->kids[k], env, nenv, nd);
    expr_needs(L, st->rhs, env, nenv, nd);
    expr_needs(L, st->observed, env, nenv, nd);
}

/* Pushes u with what it needs; false when out of memory. */
static bool push(Lower *L, Frame **stack, int *n, int *cap, Unit u)
{
    if (*n == *cap) {
        int c = *cap ? 2 * *cap : 16;
        Frame *p = realloc(*stack, (size_t)c * sizeof *p);
        if (!p) return false;
        *stack = p;
        *cap = c;
    }
    Frame f = {u, false, NULL, 0, 0};
    SymState *ss = state_of(L, u.sym);
    if (u.elem >= 0) {
        const ElemInst *in = &ss->inst[ss->def[u.elem]];
        Needs nd = {0};
        /* the instance array may move while needs are found (a scan it
        ** starts adds to another symbol's, never to this one's) */
        LoopVar *env = malloc((in->nenv ? (size_t)in->nenv : 1) * sizeof *env);
        if (!env) return false;
        if (in->nenv > 0) memcpy(env, ss->envs + in->env, (size_t)in->nenv * sizeof *env);
        stmt_needs(L, in->st, env, in->nenv, &nd);
        free(env);
        if (nd.oom) { free(nd.u); return false; }
        f.needs = nd.u;
        f.nneeds = nd.n;
    } else if (u.sym->elementwise) {
        f.nneeds = slot(L, ss->slot)->len;   /* each element in turn */
    } else {
        Needs nd = {0};
        stmt_needs(L, u.sym->defs[0].stmt, NULL, 0, &nd);
        if (nd.oom) { free(nd.u); return false; }
        f.needs = nd.u;
        f.nneeds = nd.n;
    }
    set_waiting(L, u, true);
    /* what waits here is part of the path a cycle message shows */
    f.linked = lower_chain_push(L, u.sym, u.elem);
    (*stack)[(*n)++] = f;
    return true;
}

/* The next need of f not yet lowered, if any. */
static bool next_need(Lower *L, Frame *f, Unit *out)
{
    while (f->next < f->nneeds) {
        long i = f->next++;
        Unit u = f->needs ? f->needs[i] : (Unit){f->u.sym, i};
        if (u.elem < 0 && u.sym->elementwise) {
            SymState *ss = state_of(L, u.sym);
            if (ss->state == UNSEEN && lower_start_elementwise(L, u.sym, u.sym->loc) < 0) continue;
            if (ss->state != DOING || ss->slot < 0) continue;
        }
        if (is_done(L, u) || is_busy(L, u)) continue;
        *out = u;
        return true;
    }
    return false;
}

/* Lowers u, whose needs are met as far as they could be seen. */
static void lower_unit(Lower *L, Unit u)
{
    SymState *ss = state_of(L, u.sym);
    if (u.elem >= 0) {
        lower_instance(L, u.sym, ss->def[u.elem]);
    } else if (!u.sym->elementwise && ss->state == UNSEEN) {
        lower_whole_definition(L, u.sym);
    }
    /* all of an element-by-element symbol: its elements were the needs */
}

void lower_order(Lower *L, Unit root)
{
    if (root.elem < 0 && root.sym->elementwise && state_of(L, root.sym)->slot < 0) return;
    if (is_done(L, root) || is_busy(L, root)) return;
    Frame *stack = NULL;
    int n = 0, cap = 0;
    if (!push(L, &stack, &n, &cap, root)) { lower_oom(L, root.sym->loc); return; }
    /* on after an error too, or what follows would nest instead */
    while (n > 0 && !L->oom) {
        Unit u;
        if (next_need(L, &stack[n - 1], &u)) {
            if (!push(L, &stack, &n, &cap, u)) { lower_oom(L, u.sym->loc); break; }
            continue;
        }
        Frame f = stack[--n];
        free(f.needs);
        set_waiting(L, f.u, false);
        lower_unit(L, f.u);
        if (f.linked) lower_chain_pop(L);
    }
    while (n > 0) {   /* stopped early: nothing is left waiting */
        Frame f = stack[--n];
        free(f.needs);
        set_waiting(L, f.u, false);
        if (f.linked) lower_chain_pop(L);
    }
    free(stack);
}
