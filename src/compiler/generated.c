/*
** generated.c -- which '~' statements are generated quantities: those the
** log density does not need.
**
** A name declared with '~' (and no 'observed') is a parameter of the
** posterior only when some term of the log density depends on it: a
** likelihood of data, or the prior of a parameter that is itself needed,
** directly or through the values computed from it.  Any other one is a
** leaf (y_rep ~ Binomial(n, p);): its posterior is its distribution given
** the parameters, so it is drawn exactly at every kept draw, as JAGS
** does with such nodes, and NUTS never sees it.  Discrete leaves need no
** gradient, so they are no longer refused.
**
** The needed names are found from the likelihoods outwards, over the names
** each definition mentions; what is never reached is generated.
*/
#include <stdlib.h>
#include "dist.h"
#include "sema.h"

/* A stack of names still to visit. */
typedef struct Todo {
    int *v;
    int n, cap;
    bool oom;
} Todo;

static void push(Todo *t, int i)
{
    if (t->oom) return;
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 64;
        int *p = realloc(t->v, (size_t)cap * sizeof *p);
        if (!p) { t->oom = true; return; }
        t->v = p;
        t->cap = cap;
    }
    t->v[t->n++] = i;
}

/* Marks as needed every symbol that expression e names. */
static void need_names(const Sema *s, const Expr *e, bool *needed, Todo *t)
{
    if (!e) return;
    /* a stack of our own: a sum of many terms is a deep tree */
    const Expr **stack = malloc(64 * sizeof *stack);
    int n = 0, cap = 64;
    if (!stack) { t->oom = true; return; }
    stack[n++] = e;
    while (n > 0) {
        const Expr *x = stack[--n];
        if (x->kind == EX_NAME) {
            /* loop variables are no symbols: sema refuses one that would shadow a name */
            const Symbol *sym = sema_find(s, x->name);
            int i = sym ? sema_index(s, sym) : -1;
            if (i >= 0 && !needed[i]) {
                needed[i] = true;
                push(t, i);
            }
            continue;
        }
        if (n + x->nkids > cap) {
            while (cap < n + x->nkids) cap *= 2;
            const Expr **p = realloc(stack, (size_t)cap * sizeof *p);
            if (!p) { t->oom = true; break; }
            stack = p;
        }
        for (int k = 0; k < x->nkids; k++)
            if (x->kids[k]) stack[n++] = x->kids[k];
    }
    free(stack);
}

/* What a statement's value depends on: its indices, right side and
** observed values. */
static void need_statement(const Sema *s, const Stmt *st, bool *needed, Todo *t)
{
    if (st->lhs && st->lhs->kind == EX_INDEX)
        for (int k = 1; k < st->lhs->nkids; k++) need_names(s, st->lhs->kids[k], needed, t);
    need_names(s, st->rhs, needed, t);
    need_names(s, st->observed, needed, t);
}

/* The terms of the log density that no declared name owns: likelihoods of
** data and observed values, and densities on computed elements. */
static void need_likelihoods(const Sema *s, const Stmt *st, bool *needed, Todo *t)
{
    if (!st) return;
    if (st->kind == ST_FOR) {
        need_names(s, st->from, needed, t);
        need_names(s, st->to, needed, t);
        for (int i = 0; i < st->nbody; i++) need_likelihoods(s, st->body[i], needed, t);
        return;
    }
    if (st->kind != ST_TILDE) return;
    const Symbol *sym = sema_find(s, stmt_lhs_name(st));
    if (sym && sym->kind == SYM_PARAM && !st->observed) return;   /* a prior: needed only with its name */
    if (sym && sym->kind == SYM_VALUE) {   /* a density on computed values: they are needed */
        int i = sema_index(s, sym);
        if (!needed[i]) { needed[i] = true; push(t, i); }
    }
    need_statement(s, st, needed, t);
}

/* Whether a leaf must be drawn whatever the options: a discrete one, which
** NUTS cannot sample. */
static bool discrete(const Symbol *sym)
{
    const Stmt *st = sym->defs[0].stmt;
    return st->rhs && st->rhs->kind == EX_CALL && st->rhs->ref >= 0 && dist_at(st->rhs->ref)->discrete;
}

/* Outwards: what a needed name's definitions name is needed too.  Not
** through observed values: they are data, and what their terms name is
** needed as likelihoods already. */
static void need_definitions(const Sema *s, bool *needed, Todo *t)
{
    while (t->n > 0 && !t->oom) {
        const Symbol *sym = &s->syms[t->v[--t->n]];
        if (sym->kind == SYM_OBSERVED) continue;
        for (int d = 0; d < sym->ndefs; d++) need_statement(s, sym->defs[d].stmt, needed, t);
    }
}

int sema_reach(const Sema *s, const Expr *e, bool *reached)
{
    Todo t = {0};
    need_names(s, e, reached, &t);
    need_definitions(s, reached, &t);
    int rc = t.oom ? -1 : 0;
    free(t.v);
    return rc;
}

int sema_mark_generated(Sema *s, bool continuous_stay, bool all)
{
    if (s->nsyms == 0) return 0;
    if (all) {   /* a prior predictive run: every '~' is drawn, from its prior */
        for (int i = 0; i < s->nsyms; i++)
            if (s->syms[i].kind == SYM_PARAM) s->syms[i].kind = SYM_GENERATED;
        return 0;
    }
    bool *needed = calloc((size_t)s->nsyms, sizeof *needed);
    Todo t = {0};
    if (!needed) return -1;
    for (int i = 0; i < s->prog->nstmts; i++) need_likelihoods(s, s->prog->stmts[i], needed, &t);
    need_definitions(s, needed, &t);
    int rc = t.oom ? -1 : 0;
    for (int i = 0; i < s->nsyms && rc == 0; i++) {
        Symbol *sym = &s->syms[i];
        if (sym->kind != SYM_PARAM || needed[i]) continue;
        if (continuous_stay && !discrete(sym)) continue;
        sym->kind = SYM_GENERATED;
    }
    free(t.v);
    free(needed);
    return rc;
}
