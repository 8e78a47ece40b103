/*
** conjugate.c -- conjugate blocks: parameters whose posterior is known in
** closed form, drawn exactly and independently at every draw instead of
** by NUTS.
**
** A block is a parameter with a Beta(alpha, beta) prior whose arguments
** are data, and the likelihood terms that involve it: Binomial(n, p) or
** Bernoulli(p) of observed data, with p the parameter itself and n data.
** Its posterior is Beta(alpha + sum y, beta + sum (n - y)).  The model is
** drawn so only when every parameter is in a block (a model with one
** other keeps NUTS for all: a mixed run would need NUTS's warm-up and
** diagnostics anyway), and when every term of the density is a block's
** prior or likelihood, or on data alone.  Deterministic quantities and
** generated quantities of the parameters are computed per draw as usual.
**
** Found on the syntax (sema_mark_conjugate), the block is lowered as a
** generated quantity drawn from its posterior (lower_define_conjugate):
** the draw's arguments are constants, the prior's, to which each of its
** terms adds its data as it is lowered (lower_conjugate_term), in place
** of a term of the density.
*/
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "lower_state.h"

/* The distribution a call names, or NULL. */
static const DistInfo *call_dist(const Expr *call)
{
    return call && call->kind == EX_CALL && call->ref >= 0 ? dist_at(call->ref) : NULL;
}

/* Whether d is a likelihood whose argument k a Beta prior is conjugate to. */
static bool beta_conjugate_arg(const DistInfo *d, int k)
{
    return (strcmp(d->name, "Binomial") == 0 || strcmp(d->name, "Bernoulli") == 0) &&
           strcmp(d->arg_names[k], "p") == 0;
}

/* 1 when e depends on no parameter and no generated quantity: data and
** constants alone; 0 when it does; -1 when out of memory. */
static int data_only(const Sema *s, const Expr *e, bool *reached)
{
    if (!e) return 1;
    memset(reached, 0, (size_t)s->nsyms * sizeof *reached);
    if (sema_reach(s, e, reached) != 0) return -1;
    for (int i = 0; i < s->nsyms; i++)
        if (reached[i] && sym_drawn_by_tilde(s->syms[i].kind)) return 0;
    return 1;
}

/* The parameter named by e itself (not an element, not an expression). */
static const Symbol *param_named(const Sema *s, const Expr *e)
{
    const Symbol *sym = e && e->kind == EX_NAME ? sema_find(s, e->name) : NULL;
    return sym && sym->kind == SYM_PARAM ? sym : NULL;
}

/* Whether sym is a block's parameter: a scalar name with one definition,
** outside loops, by a Beta prior on data. */
static int block_prior(const Sema *s, const Symbol *sym, bool *reached)
{
    if (sym->ndefs != 1 || sym->elementwise || sym->defs[0].nloops != 0) return 0;
    const Stmt *st = sym->defs[0].stmt;
    const DistInfo *d = call_dist(st->rhs);
    if (st->lhs->kind != EX_NAME || !d || strcmp(d->name, "Beta") != 0) return 0;
    for (int k = 0; k < d->nargs; k++) {
        int r = data_only(s, st->rhs->kids[k], reached);
        if (r != 1) return r;
    }
    return 1;
}

/* Whether a likelihood term is on data alone, or a block's: each argument
** data but one, the parameter itself, as the argument it is conjugate to. */
static int block_term(const Sema *s, const Stmt *st, bool *reached)
{
    const DistInfo *d = call_dist(st->rhs);
    if (!d) return 0;
    int r = data_only(s, st->lhs, reached);
    if (r == 1) r = data_only(s, st->observed, reached);
    if (r != 1) return r;
    int params = 0;
    for (int k = 0; k < d->nargs; k++) {
        if (param_named(s, st->rhs->kids[k])) {
            if (!beta_conjugate_arg(d, k) || ++params > 1) return 0;
            continue;
        }
        if ((r = data_only(s, st->rhs->kids[k], reached)) != 1) return r;
    }
    return 1;
}

/* Whether every term of the density in st (and the loops in it) is a
** block's, or a prior of a parameter (checked by block_prior). */
static int terms_in_blocks(const Sema *s, const Stmt *st, bool *reached)
{
    if (st->kind == ST_FOR) {
        for (int i = 0; i < st->nbody; i++) {
            int r = terms_in_blocks(s, st->body[i], reached);
            if (r != 1) return r;
        }
        return 1;
    }
    if (st->kind != ST_TILDE) return 1;
    const Symbol *sym = sema_find(s, stmt_lhs_name(st));
    if (sym && sym_drawn_by_tilde(sym->kind) && !st->observed) return 1;
    return block_term(s, st, reached);
}

int sema_mark_conjugate(Sema *s)
{
    if (s->nsyms == 0) return 0;
    bool *reached = malloc((size_t)s->nsyms * sizeof *reached);
    if (!reached) return -1;
    int r = 1, nparams = 0;
    for (int i = 0; i < s->nsyms && r == 1; i++)
        if (s->syms[i].kind == SYM_PARAM) {
            r = block_prior(s, &s->syms[i], reached);
            nparams++;
        }
    for (int i = 0; i < s->prog->nstmts && r == 1; i++) r = terms_in_blocks(s, s->prog->stmts[i], reached);
    free(reached);
    if (r != 1) return r;
    for (int i = 0; i < s->nsyms; i++)
        if (s->syms[i].kind == SYM_PARAM) s->syms[i].conjugate = true;
    return nparams;
}

int lower_define_conjugate(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    Expr *call = st->rhs;
    const DistInfo *d = dist_at(call->ref);
    int args[DIST_MAX_ARGS], rank = 0;
    long n;
    if (lower_dist_args(L, call, args) < 0 || lower_dist_length(L, call, -1, NULL, args, &n) < 0) return -1;
    for (int k = 0; k < d->nargs; k++)
        if (slot(L, args[k])->rank > 0) rank = 1;
    /* the posterior's arguments: the prior's, to which the terms add */
    for (int k = 0; k < d->nargs; k++) {
        int post = ir_add_slot(L->m, REGION_CONST, rank, n, 1, -1);
        if (post < 0) { lower_oom(L, st->loc); return -1; }
        L->m->slots[post].is_data = 1;
        const IrSlot *a = slot(L, args[k]);
        for (long i = 0; i < n; i++) val(L, post)[i] = val(L, args[k])[a->len > 1 ? i : 0];
        ss->posterior[k] = post;
    }
    int out = ir_add_slot(L->m, REGION_WORK, rank, n, 1, ss->name);
    if (out < 0 || ir_add_conjugate(L->m, ss->name) < 0) { lower_oom(L, st->loc); return -1; }
    if (lower_draw(L, call, ss->posterior, n, out, st->loc) < 0) return -1;
    lower_label_dims(L, ss->name, st->lhs);
    lower_add_output(L, ss->name, out, true, sym->loc);
    return out;
}

int lower_conjugate_term(Lower *L, Expr *call, int x, const int *args, long n)
{
    const DistInfo *d = dist_at(call->ref);
    const Symbol *sym = NULL;
    int at = -1;
    for (int k = 0; k < d->nargs && !sym; k++)
        if ((sym = param_named(L->sema, call->kids[k])) != NULL && sym->conjugate) at = k;
        else sym = NULL;
    if (!sym) return 0;
    SymState *ss = state_of(L, sym);
    int trials = strcmp(d->name, "Binomial") == 0 ? 1 - at : -1;   /* Binomial(n, p): n */
    const IrSlot xs = *slot(L, x), ps = *slot(L, args[at]);
    double *alpha = val(L, ss->posterior[0]), *beta = val(L, ss->posterior[1]);
    for (long i = 0; i < n; i++) {
        double y = val(L, x)[xs.len > 1 ? i : 0];
        double size = trials < 0 ? 1 : val(L, args[trials])[slot(L, args[trials])->len > 1 ? i : 0];
        long j = ps.len > 1 ? i : 0;   /* a vector parameter's element i, else the one */
        alpha[j] += y;
        beta[j] += size - y;
    }
    return 1;
}
