/*
** conjugate.c -- conjugate blocks: parameters whose posterior is known in
** closed form, drawn exactly and independently at every draw instead of
** by NUTS.
**
** A block is a parameter (a scalar, or a vector name[K]) whose prior's
** arguments are data, and the likelihood terms of observed data that
** involve it, each with the parameter itself (or its elements picked by
** a data index, p[page]) as the one argument the prior is conjugate to and
** data for the others: the pairs of the table below.  The model is drawn
** so only when every parameter is in a block (a model with one other keeps
** NUTS for all: a mixed run would need NUTS's warm-up and diagnostics
** anyway), and when every term of the density is a block's prior or
** likelihood, or on data alone.  Deterministic quantities and generated
** quantities of the parameters are computed per draw as usual.
**
** Found on the syntax (sema_mark_conjugate), the block is lowered as a
** generated quantity drawn from its posterior (lower_define_conjugate):
** the draw's arguments are constants that hold, while the model is
** lowered, the posterior's statistics, started from the prior's arguments,
** to which each term adds its data (lower_conjugate_term) in place of a
** term of the density; once all are in, the statistics become the
** posterior's arguments (lower_finish_conjugate).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "lower_state.h"

#define STATS 2   /* every posterior here has two statistics, one per argument */

/* A conjugate pair.  Rows of one prior share its posterior, start and
** finish: the statistics of a parameter are one, whatever its terms. */
typedef struct ConjugatePair {
    const char *prior;        /* the parameter's prior (the family's first parameterisation) */
    const char *likelihood;   /* a term's distribution */
    const char *arg;          /* the term's argument that is the parameter */
    const char *posterior;    /* the posterior's family (first parameterisation) */
    /* the prior's arguments as the posterior's statistics */
    void (*start)(const double *prior, double *stat);
    /* one observed value y of the term, arg its arguments (the parameter's NAN) */
    void (*update)(double *stat, double y, const double *arg);
    /* the statistics as the posterior's arguments */
    void (*finish)(const double *stat, double *post);
} ConjugatePair;

/* Beta(alpha, beta) and Gamma(alpha, beta = rate): the statistics are the arguments */
static void as_is(const double *from, double *to) { to[0] = from[0]; to[1] = from[1]; }
/* Exponential(lam) is Gamma(1, lam) */
static void exponential_as_gamma(const double *prior, double *stat) { stat[0] = 1; stat[1] = prior[0]; }
/* Normal(m, s): the precision 1/s^2 and the precision-weighted mean m/s^2 */
static void normal_precision(const double *prior, double *stat)
{
    stat[0] = 1 / (prior[1] * prior[1]);
    stat[1] = prior[0] * stat[0];
}
static void normal_from_precision(const double *stat, double *post)
{
    post[0] = stat[1] / stat[0];
    post[1] = 1 / sqrt(stat[0]);
}

/* Beta: alpha counts the successes, beta the failures */
static void binomial_counts(double *s, double y, const double *arg) { s[0] += y; s[1] += arg[0] - y; }
static void bernoulli_counts(double *s, double y, const double *arg) { (void)arg; s[0] += y; s[1] += 1 - y; }
/* Geometric(p) counts the trials up to and including the first success */
static void geometric_counts(double *s, double y, const double *arg) { (void)arg; s[0] += 1; s[1] += y - 1; }
/* Gamma: the shape gains the counts (or one per waiting time), the rate the exposures */
static void poisson_sums(double *s, double y, const double *arg) { (void)arg; s[0] += y; s[1] += 1; }
static void exponential_sums(double *s, double y, const double *arg) { (void)arg; s[0] += 1; s[1] += y; }
/* Normal(mu, sigma) of known sigma: precision 1/sigma^2, weighing y */
static void normal_precisions(double *s, double y, const double *arg)
{
    double w = 1 / (arg[1] * arg[1]);
    s[0] += w;
    s[1] += w * y;
}

/* NegativeBinomial is not here: bmc's is PyMC's (mu, alpha), conjugate to
** no prior on mu; only the (r, p) form has a Beta prior on p. */
static const ConjugatePair PAIRS[] = {
    {"Beta", "Binomial", "p", "Beta", as_is, binomial_counts, as_is},
    {"Beta", "Bernoulli", "p", "Beta", as_is, bernoulli_counts, as_is},
    {"Beta", "Geometric", "p", "Beta", as_is, geometric_counts, as_is},
    {"Gamma", "Poisson", "mu", "Gamma", as_is, poisson_sums, as_is},
    {"Gamma", "Exponential", "lam", "Gamma", as_is, exponential_sums, as_is},
    {"Exponential", "Poisson", "mu", "Gamma", exponential_as_gamma, poisson_sums, as_is},
    {"Exponential", "Exponential", "lam", "Gamma", exponential_as_gamma, exponential_sums, as_is},
    {"Normal", "Normal", "mu", "Normal", normal_precision, normal_precisions, normal_from_precision},
};
#define NPAIRS ((int)(sizeof PAIRS / sizeof PAIRS[0]))

/* The distribution a call names, or NULL. */
static const DistInfo *call_dist(const Expr *call)
{
    return call && call->kind == EX_CALL && call->ref >= 0 ? dist_at(call->ref) : NULL;
}

/* The pair of a parameter of prior `prior` in a term of d whose argument k
** is the parameter (k < 0: any pair of the prior); NULL for none. */
static const ConjugatePair *pair_of(const DistInfo *prior, const DistInfo *d, int k)
{
    for (int i = 0; i < NPAIRS; i++)
        if (prior == dist_lookup(PAIRS[i].prior) &&
            (k < 0 || (strcmp(d->name, PAIRS[i].likelihood) == 0 && strcmp(d->arg_names[k], PAIRS[i].arg) == 0)))
            return &PAIRS[i];
    return NULL;
}

/* The prior of a conjugate parameter. */
static const DistInfo *prior_of(const Symbol *sym)
{
    return call_dist(sym->defs[0].stmt->rhs);
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

/* The parameter e is as a term's argument: itself (p), or its elements
** picked by an index (p[page], p[g[i]], p[2]); NULL for anything else. */
static const Symbol *param_in(const Sema *s, const Expr *e)
{
    if (e && e->kind == EX_INDEX && e->nkids == 2) e = e->kids[0];
    const Symbol *sym = e && e->kind == EX_NAME ? sema_find(s, e->name) : NULL;
    return sym && sym->kind == SYM_PARAM ? sym : NULL;
}

/* Whether sym is a block's parameter: a scalar or a vector name[K] with
** one definition, outside loops, by a prior of the table on data. */
static int block_prior(const Sema *s, const Symbol *sym, bool *reached)
{
    if (sym->ndefs != 1 || sym->elementwise || sym->defs[0].nloops != 0) return 0;
    const Stmt *st = sym->defs[0].stmt;
    const DistInfo *d = call_dist(st->rhs);
    bool sized = st->lhs->kind == EX_INDEX && st->lhs->nkids == 2;
    if ((st->lhs->kind != EX_NAME && !sized) || !d || !pair_of(d, NULL, -1)) return 0;
    for (int k = 0; k < d->nargs; k++) {
        int r = data_only(s, st->rhs->kids[k], reached);
        if (r != 1) return r;
    }
    return 1;
}

/* Whether a likelihood term is on data alone, or a block's: each argument
** data but one, the parameter, as the argument its prior is conjugate to. */
static int block_term(const Sema *s, const Stmt *st, bool *reached)
{
    const DistInfo *d = call_dist(st->rhs);
    if (!d) return 0;
    int r = data_only(s, st->lhs, reached);
    if (r == 1) r = data_only(s, st->observed, reached);
    if (r != 1) return r;
    int params = 0;
    for (int k = 0; k < d->nargs; k++) {
        const Expr *e = st->rhs->kids[k];
        const Symbol *sym = param_in(s, e);
        if (sym && (!pair_of(prior_of(sym), d, k) || ++params > 1)) return 0;
        /* the data of the argument: all of it, or the index of the parameter */
        if ((r = data_only(s, !sym ? e : e->kind == EX_INDEX ? e->kids[1] : NULL, reached)) != 1) return r;
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
    const DistInfo *prior = dist_at(st->rhs->ref);
    const ConjugatePair *pair = pair_of(prior, NULL, -1);
    const DistInfo *post = dist_lookup(pair->posterior);
    int args[DIST_MAX_ARGS], rank;
    long n;
    if (lower_dist_args(L, st->rhs, args) < 0 || lower_declared_shape(L, sym, st, args, &rank, &n) < 0) return -1;
    for (int k = 0; k < post->nargs; k++) {
        int id = ir_add_slot(L->m, REGION_CONST, rank, n, 1, -1);
        if (id < 0) { lower_oom(L, st->loc); return -1; }
        L->m->slots[id].is_data = 1;
        ss->posterior[k] = id;
    }
    /* the statistics of the prior alone, element by element */
    for (long i = 0; i < n; i++) {
        double a[DIST_MAX_ARGS], stat[STATS];
        for (int k = 0; k < prior->nargs; k++) a[k] = val(L, args[k])[slot(L, args[k])->len > 1 ? i : 0];
        pair->start(a, stat);
        for (int k = 0; k < STATS; k++) val(L, ss->posterior[k])[i] = stat[k];
    }
    int out = ir_add_slot(L->m, REGION_WORK, rank, n, 1, ss->name);
    if (out < 0 || ir_add_conjugate(L->m, ss->name) < 0) { lower_oom(L, st->loc); return -1; }
    if (lower_draw_from(L, dist_index(post), ss->posterior, n, out, st->loc) < 0) return -1;
    lower_label_dims(L, ss->name, st->lhs);
    lower_add_output(L, ss->name, out, true, sym->loc);
    return out;
}

int lower_conjugate_term(Lower *L, Expr *call, int x, const int *args, long n)
{
    const DistInfo *d = dist_at(call->ref);
    const Symbol *sym = NULL;
    int at = -1;
    for (int k = 0; k < d->nargs && !sym; k++) {
        sym = param_in(L->sema, call->kids[k]);
        if (sym && sym->conjugate) at = k;
        else sym = NULL;
    }
    if (!sym) return 0;
    SymState *ss = state_of(L, sym);
    const ConjugatePair *pair = pair_of(prior_of(sym), d, at);
    /* the element of the parameter each term's element is on: its own, the
    ** one, or the one a data index picks (checked as the argument was lowered) */
    const Expr *e = call->kids[at];
    int index = e->kind == EX_INDEX ? lower_expr(L, e->kids[1]) : -1;
    if (e->kind == EX_INDEX && index < 0) return -1;
    long len = slot(L, ss->posterior[0])->len;
    for (long i = 0; i < n; i++) {
        double arg[DIST_MAX_ARGS], stat[STATS];
        for (int k = 0; k < d->nargs; k++) arg[k] = k == at ? NAN : val(L, args[k])[slot(L, args[k])->len > 1 ? i : 0];
        long j = index >= 0 ? (long)val(L, index)[slot(L, index)->len > 1 ? i : 0] - 1 : len > 1 ? i : 0;
        for (int k = 0; k < STATS; k++) stat[k] = val(L, ss->posterior[k])[j];
        pair->update(stat, val(L, x)[slot(L, x)->len > 1 ? i : 0], arg);
        for (int k = 0; k < STATS; k++) val(L, ss->posterior[k])[j] = stat[k];
    }
    return 1;
}

void lower_finish_conjugate(Lower *L)
{
    for (int i = 0; i < L->sema->nsyms; i++) {
        const Symbol *sym = &L->sema->syms[i];
        SymState *ss = &L->ss[i];
        if (!sym->conjugate || ss->state != DONE) continue;
        const ConjugatePair *pair = pair_of(prior_of(sym), NULL, -1);
        for (long j = 0; j < slot(L, ss->posterior[0])->len; j++) {
            double stat[STATS], post[STATS];
            for (int k = 0; k < STATS; k++) stat[k] = val(L, ss->posterior[k])[j];
            pair->finish(stat, post);
            for (int k = 0; k < STATS; k++) val(L, ss->posterior[k])[j] = post[k];
        }
    }
}
