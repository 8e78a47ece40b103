/*
** sema.c -- names, definitions and calls.
**
** Three passes over the tree: collect what every statement defines, decide
** which '~' statements declare parameters (those whose left side is not
** data), then resolve every name and call in scope.
*/
#include "sema.h"

#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "dist.h"

/* ---- the symbol table ---- */

static const char *symbol_name(const void *ctx, int i)
{
    return ((const Sema *)ctx)->syms[i].name;
}

Symbol *sema_find(const Sema *s, const char *name)
{
    int i = name_index_find(&s->index, name, symbol_name, s);
    return i < 0 ? NULL : &s->syms[i];
}

int sema_index(const Sema *s, const Symbol *sym) { return (int)(sym - s->syms); }

/* The loops around a statement, innermost first (frames on the C stack). */
typedef struct Loop {
    const char *var;
    Stmt *st;
    const struct Loop *up;
} Loop;

static int add_def(Symbol *sym, Stmt *st, int top, const Loop *loops)
{
    if (sym->ndefs == sym->cap) {
        int cap = sym->cap ? sym->cap * 2 : 2;
        SymDef *d = realloc(sym->defs, cap * sizeof *d);
        if (!d) return -1;
        sym->defs = d;
        sym->cap = cap;
    }
    int n = 0;
    for (const Loop *l = loops; l; l = l->up) n++;
    Stmt **path = n ? malloc((size_t)n * sizeof *path) : NULL;
    if (n && !path) return -1;
    int k = n;
    for (const Loop *l = loops; l; l = l->up) path[--k] = l->st;   /* outermost first */
    sym->defs[sym->ndefs++] = (SymDef){st, top, path, n};
    return 0;
}

const char *sema_kind_text(SymKind k)
{
    switch (k) {
    case SYM_DATA: return "declared as data";
    case SYM_VALUE: return "defined";
    case SYM_PARAM: return "declared as a parameter";
    case SYM_OBSERVED: return "observed";
    case SYM_GENERATED: return "declared with '~'";
    }
    return "defined";
}

/* Memory ran out: said once, so that analysis never ends quietly short. */
static void out_of_memory(Sema *s, Loc loc)
{
    if (!diags_find(s->diags, DIAG_NO_MEMORY)) diag_error(s->diags, DIAG_NO_MEMORY, loc, "out of memory while checking the model");
}

/* Records that st (inside top-level statement top) defines name. */
static void define(Sema *s, const char *name, Loc loc, SymKind kind, bool elementwise, Stmt *st, int top,
                   const Loop *loops)
{
    Symbol *sym = sema_find(s, name);
    if (sym) {
        if (elementwise && sym->elementwise && sym->kind == kind) {
            if (add_def(sym, st, top, loops) != 0) out_of_memory(s, loc);
            return;
        }
        Diag *e;
        if (sym->kind == kind && kind == SYM_DATA)
            e = diag_error(s->diags, DIAG_REDEFINED, loc, "data '%s' is declared twice", name);
        else if (sym->elementwise != elementwise && sym->kind == kind)
            e = diag_error(s->diags, DIAG_REDEFINED, loc, "'%s' is defined both as a whole and element by element", name);
        else
            e = diag_error(s->diags, DIAG_REDEFINED, loc, "'%s' is already %s", name, sema_kind_text(sym->kind));
        diag_note(e, "every name has one definition");
        diag_subject(e, name);
        diag_related(e, s->diags->src, sym->loc, "'%s' is first %s here", name, sema_kind_text(sym->kind));
        return;
    }
    if (s->nsyms == s->cap) {
        int cap = s->cap ? s->cap * 2 : 32;
        Symbol *p = realloc(s->syms, cap * sizeof *p);
        if (!p) { out_of_memory(s, loc); return; }
        s->syms = p;
        s->cap = cap;
    }
    sym = &s->syms[s->nsyms++];
    memset(sym, 0, sizeof *sym);
    sym->name = name;
    sym->kind = kind;
    sym->loc = loc;
    sym->elementwise = elementwise;
    if (add_def(sym, st, top, loops) != 0) out_of_memory(s, loc);
    if (name_index_add(&s->index, s->nsyms - 1, symbol_name, s) != 0) out_of_memory(s, loc);
}

static const Expr *lhs_name_expr(const Stmt *st)
{
    const Expr *e = st->lhs;
    return e->kind == EX_INDEX ? e->kids[0] : e;
}


static bool is_loop_var(const Loop *l, const char *name)
{
    for (; l; l = l->up)
        if (strcmp(l->var, name) == 0) return true;
    return false;
}

/* ---- pass 1: definitions other than parameters ---- */

/* A whole name defined inside a loop would be defined once per pass. */
static void in_loop_whole(Sema *s, const Stmt *st)
{
    const char *name = stmt_lhs_name(st);
    Diag *e = diag_error(s->diags, DIAG_SYNTAX, st->lhs->loc, "'%s' would be defined again in every pass of the loop", name);
    diag_note(e, "define one element per pass, %s[i], or move the statement out of the loop", name);
}

static void collect(Sema *s, Stmt *st, int top, int loop_depth, const Loop *loops)
{
    if (!st) return;
    /* assigning a loop variable is reported when names are resolved */
    if (st->kind != ST_FOR && is_loop_var(loops, stmt_lhs_name(st))) return;
    switch (st->kind) {
    case ST_DATA:
        if (loop_depth > 0) {
            diag_error(s->diags, DIAG_SYNTAX, st->loc, "data declarations belong at the top level, not in a loop");
            return;
        }
        define(s, stmt_lhs_name(st), lhs_name_expr(st)->loc, SYM_DATA, false, st, top, loops);
        return;
    case ST_ASSIGN:
        if (loop_depth > 0 && st->lhs->kind != EX_INDEX) {
            in_loop_whole(s, st);
            return;
        }
        define(s, stmt_lhs_name(st), lhs_name_expr(st)->loc, SYM_VALUE, st->lhs->kind == EX_INDEX, st, top, loops);
        return;
    case ST_TILDE:
        if (!st->observed) return;
        if (st->lhs->kind == EX_INDEX) {
            Diag *e = diag_error(s->diags, DIAG_SYNTAX, st->lhs->loc, "'observed' needs a plain name on the left of '~'");
            diag_note(e, "write y ~ Normal(mu, sigma) observed [ ... ]; the values may be a vector");
            return;
        }
        if (loop_depth > 0) {
            in_loop_whole(s, st);
            return;
        }
        define(s, stmt_lhs_name(st), st->lhs->loc, SYM_OBSERVED, false, st, top, loops);
        return;
    case ST_FOR: {
        Loop inner = {st->var, st, loops};
        for (int i = 0; i < st->nbody; i++) collect(s, st->body[i], top, loop_depth + 1, &inner);
        return;
    }
    }
}

bool sema_tilde_declares(const Sema *s, const Stmt *st)
{
    if (st->kind != ST_TILDE || st->observed) return false;
    const Symbol *sym = sema_find(s, stmt_lhs_name(st));
    return !sym || sym_drawn_by_tilde(sym->kind);
}

/* Marks the data names that the '~' statements in st model. */
static void mark_modelled(const Sema *s, const Stmt *st, bool *modelled)
{
    if (!st) return;
    if (st->kind == ST_FOR) {
        for (int i = 0; i < st->nbody; i++) mark_modelled(s, st->body[i], modelled);
        return;
    }
    if (st->kind != ST_TILDE || st->observed) return;
    const Symbol *sym = sema_find(s, stmt_lhs_name(st));
    if (sym && sym->kind == SYM_DATA) modelled[sema_index(s, sym)] = true;
}

void sema_modelled_data(const Sema *s, bool *modelled)
{
    for (int i = 0; i < s->nsyms; i++) modelled[i] = false;
    for (int i = 0; s->prog && i < s->prog->nstmts; i++) mark_modelled(s, s->prog->stmts[i], modelled);
}

/* ---- pass 2: parameters ---- */

static void collect_params(Sema *s, Stmt *st, int top, int loop_depth, const Loop *loops)
{
    if (!st) return;
    if (st->kind == ST_FOR) {
        Loop inner = {st->var, st, loops};
        for (int i = 0; i < st->nbody; i++) collect_params(s, st->body[i], top, loop_depth + 1, &inner);
        return;
    }
    if (st->kind != ST_TILDE || st->observed) return;
    const char *name = stmt_lhs_name(st);
    if (is_loop_var(loops, name)) return;
    Symbol *sym = sema_find(s, name);
    bool element = st->lhs->kind == EX_INDEX && loop_depth > 0;
    if (sym && sym->kind == SYM_VALUE && sym->elementwise && st->lhs->kind == EX_INDEX) {
        /* an element of a vector computed elsewhere, in a loop or not:
        ** lowering decides, by element, whether this declares it (no
        ** assignment defines it) or adds a density term on it */
        if (add_def(sym, st, top, loops) != 0) out_of_memory(s, st->loc);
        return;
    }
    if (sym && sym->kind != SYM_PARAM) return;   /* data on the left: a likelihood term */
    if (loop_depth > 0 && !element) {
        in_loop_whole(s, st);
        return;
    }
    define(s, name, lhs_name_expr(st)->loc, SYM_PARAM, element, st, top, loops);
}

/* ---- pass 3: resolving names and calls ---- */

typedef struct Scope {
    const char *vars[AST_MAX_DEPTH];
    int n;
    const Stmt *stmt;    /* the statement being resolved, for hints */
} Scope;

static bool in_scope(const Scope *sc, const char *name)
{
    for (int i = 0; i < sc->n; i++)
        if (strcmp(sc->vars[i], name) == 0) return true;
    return false;
}

static void suggest_name(Sema *s, Diag *e, const char *name, const Scope *sc)
{
    int n = s->nsyms + sc->n;
    const char **cands = malloc((n ? n : 1) * sizeof *cands);
    if (!cands) return;
    for (int i = 0; i < s->nsyms; i++) cands[i] = s->syms[i].name;
    for (int i = 0; i < sc->n; i++) cands[s->nsyms + i] = sc->vars[i];
    const char *best = diag_suggest(name, cands, n);
    if (best) diag_note(e, "did you mean '%s'?", best);
    free(cands);
}

static void resolve_expr(Sema *s, Expr *e, const Scope *sc);

/* Whether some loop among stmts (or inside them) has name as its variable. */
static bool names_loop_var(Stmt *const *stmts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (stmts[i] && stmts[i]->kind == ST_FOR &&
            (strcmp(stmts[i]->var, name) == 0 || names_loop_var(stmts[i]->body, stmts[i]->nbody, name)))
            return true;
    return false;
}

static void resolve_kids(Sema *s, Expr *e, int from, const Scope *sc)
{
    for (int i = from; i < e->nkids; i++)
        if (e->kids[i]) resolve_expr(s, e->kids[i], sc);
}

static void suggest_among(Diag *e, const char *word, const char *const *cands, int n)
{
    const char *best = diag_suggest(word, cands, n);
    if (best) diag_note(e, "did you mean '%s'?", best);
}

static void resolve_function(Sema *s, Expr *e, const Scope *sc)
{
    const Builtin *b = builtin_lookup(e->name);
    if (!b) {
        if (dist_lookup(e->name)) {
            Diag *d = diag_error(s->diags, DIAG_NAME, e->name_loc, "'%s' is a distribution, not a function", e->name);
            const Stmt *st = sc->stmt;
            if (st && st->kind == ST_ASSIGN && st->rhs == e)
                diag_note(d, "to give '%s' this prior, write %s ~ %s(...);", stmt_lhs_name(st),
                          stmt_lhs_name(st), e->name);
            else
                diag_note(d, "distributions go after '~': x ~ %s(...);", e->name);
        } else {
            Diag *d = diag_error(s->diags, DIAG_NAME, e->name_loc, "unknown function '%s'", e->name);
            const char *names[64];
            int n = builtin_count() < 64 ? builtin_count() : 64;
            for (int i = 0; i < n; i++) names[i] = builtin_at(i)->name;
            suggest_among(d, e->name, names, n);
        }
        resolve_kids(s, e, 0, sc);
        return;
    }
    e->ref = (int)(b - builtin_at(0));
    for (int i = 0; i < e->nkids; i++)
        if (e->arg_names && e->arg_names[i]) {
            diag_error(s->diags, DIAG_CALL, e->arg_name_locs[i], "function '%s' takes no keyword arguments", e->name);
            break;
        }
    if (e->nkids != b->nargs)
        diag_error(s->diags, DIAG_CALL, e->loc, "%s takes %d argument%s, got %d", b->name, b->nargs,
                   b->nargs == 1 ? "" : "s", e->nkids);
    resolve_kids(s, e, 0, sc);
}

static void resolve_expr(Sema *s, Expr *e, const Scope *sc)
{
    switch (e->kind) {
    case EX_NUM:
        return;
    case EX_NAME:
        if (in_scope(sc, e->name) || sema_find(s, e->name)) return;
        if (builtin_lookup(e->name)) {
            diag_error(s->diags, DIAG_NAME, e->loc, "'%s' is a function; call it as %s(...)", e->name, e->name);
            return;
        }
        Diag *d = diag_error(s->diags, DIAG_NAME, e->loc, "unknown name '%s'", e->name);
        diag_subject(d, e->name);
        if (names_loop_var(s->prog->stmts, s->prog->nstmts, e->name))
            diag_note(d, "'%s' is a loop variable: it is known only inside its loop's braces", e->name);
        else
            suggest_name(s, d, e->name, sc);
        return;
    case EX_CALL:
        resolve_function(s, e, sc);
        return;
    case EX_INDEX: case EX_VECTOR: case EX_UNARY:
        resolve_kids(s, e, 0, sc);
        return;
    case EX_BINARY: {
        Expr *b = expr_chain_start(e);
        resolve_expr(s, b->kids[0], sc);
        for (;; b = b->chain_up) {
            resolve_expr(s, b->kids[1], sc);
            if (b == e) return;
        }
    }
    }
}

/* A note listing the arguments of each parameterisation of d's family:
** "Bernoulli takes p, or logit_p". */
static void note_parameterisations(Diag *err, const DistInfo *d)
{
    char text[256];
    size_t n = (size_t)snprintf(text, sizeof text, "%s takes", d->name);
    bool first = true;
    for (int j = 0; j < dist_count() && n < sizeof text; j++) {
        const DistInfo *v = dist_at(j);
        if (strcmp(v->name, d->name) != 0) continue;
        n += (size_t)snprintf(text + n, sizeof text - n, "%s", first ? " " : ", or ");
        for (int k = 0; k < v->nargs && n < sizeof text; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", k ? " and " : "", v->arg_names[k]);
        first = false;
    }
    diag_note(err, "%s", text);
}

/* Whether the call names arguments of two parameterisations of d's family,
** as Bernoulli(p = 0.2, logit_p = 1) does; if so, says so. */
static bool mixed_parameterisations(Sema *s, const Expr *e, const DistInfo *d)
{
    for (int i = 0; i < e->nkids; i++) {
        const char *kw = e->arg_names[i];
        if (!kw) continue;
        const char *one[] = {kw};
        const DistInfo *other = dist_variant(d, one, 1);
        if (!other || other == d) continue;
        for (int j = 0; j < e->nkids; j++) {
            const char *mine = e->arg_names[j];
            bool shared = false;   /* Binomial's n is in both */
            for (int k = 0; mine && k < other->nargs; k++) shared = shared || strcmp(other->arg_names[k], mine) == 0;
            if (!mine || shared) continue;
            Diag *err = diag_error(s->diags, DIAG_CALL, e->arg_name_locs[i], "%s takes '%s' or '%s', not both", d->name, mine, kw);
            diag_note(err, "%s", other->summary);
            return true;
        }
    }
    return false;
}

/* Keywords other tools give an argument (PyMC 3, SciPy, NumPy, Stan), and
** the name bmc's distribution dist (NULL: any that has it) gives it; how,
** when not NULL, says what differs.  No meant: there is no such argument,
** and how says what bmc writes instead. */
#define SIZE_ON_THE_LEFT "a vector's size goes on the left of '~': theta[3] ~ Normal(0, 1);"
static const struct KeywordAlias {
    const char *alias, *dist, *meant, *how;
} keyword_aliases[] = {
    {"sd", NULL, "sigma", NULL},
    {"std", NULL, "sigma", NULL},
    {"scale", "Cauchy", "beta", NULL},
    {"scale", "HalfCauchy", "beta", NULL},
    {"scale", "InverseGamma", "beta", NULL},
    {"scale", NULL, "sigma", NULL},
    {"tau", NULL, "sigma", "tau is a precision: write sigma = 1 / sqrt(tau)"},
    {"a", NULL, "alpha", NULL},
    {"b", NULL, "beta", NULL},
    {"lambda", NULL, "lam", NULL},
    {"lambda", NULL, "mu", NULL},
    {"lam", NULL, "mu", NULL},
    {"rate", "Gamma", "beta", NULL},
    {"rate", NULL, "lam", NULL},
    {"loc", NULL, "mu", NULL},
    {"mean", NULL, "mu", NULL},
    {"df", NULL, "nu", NULL},
    {"low", NULL, "lower", NULL},
    {"high", NULL, "upper", NULL},
    {"shape", NULL, NULL, SIZE_ON_THE_LEFT},
    {"size", NULL, NULL, SIZE_ON_THE_LEFT},
    {"dims", NULL, NULL, SIZE_ON_THE_LEFT},
};

/* The argument of d's family (names, n of them) that keyword kw most
** likely means: by the table of other tools' keywords, else by spelling,
** or NULL.  *how receives what differs, or what to write instead when
** there is no such argument, or NULL. */
static const char *keyword_meant(const DistInfo *d, const char *kw, const char *const *names, int n, const char **how)
{
    *how = NULL;
    for (size_t i = 0; i < sizeof keyword_aliases / sizeof keyword_aliases[0]; i++) {
        const struct KeywordAlias *a = &keyword_aliases[i];
        if (strcmp(a->alias, kw) != 0 || (a->dist && strcmp(a->dist, d->name) != 0)) continue;
        if (!a->meant) {
            *how = a->how;
            return NULL;
        }
        for (int k = 0; k < n; k++)
            if (strcmp(names[k], a->meant) == 0) {
                *how = a->how;
                return names[k];
            }
    }
    return diag_suggest(kw, names, n);
}

/* Binds a distribution call's arguments to its parameters in order. */
static void resolve_dist(Sema *s, Expr *e, const Scope *sc)
{
    const DistInfo *d = dist_lookup(e->name);
    if (!d) {
        Diag *err;
        if (builtin_lookup(e->name)) {
            err = diag_error(s->diags, DIAG_NAME, e->name_loc, "'%s' is a function, not a distribution", e->name);
            const char *names[64];
            int n = dist_count() < 64 ? dist_count() : 64;
            for (int i = 0; i < n; i++) names[i] = dist_at(i)->name;
            const char *best = diag_suggest(e->name, names, n);
            if (best) diag_note(err, "did you mean '%s'?", best);
            else if (sc->stmt && sc->stmt->kind == ST_TILDE)
                diag_note(err, "'~' takes a distribution, such as Normal(0, 1); to compute a value, write %s = %s(...);",
                          stmt_lhs_name(sc->stmt), e->name);
        } else {
            err = diag_error(s->diags, DIAG_NAME, e->name_loc, "unknown distribution '%s'", e->name);
            const char *names[64];
            int n = dist_count() < 64 ? dist_count() : 64;
            for (int i = 0; i < n; i++) names[i] = dist_at(i)->name;
            suggest_among(err, e->name, names, n);
        }
        resolve_kids(s, e, 0, sc);
        return;
    }
    /* Bernoulli(logit_p = t): keywords choose among a family's
    ** parameterisations; with none that fits, the first one's messages */
    if (e->arg_names) {
        const DistInfo *v = dist_variant(d, e->arg_names, e->nkids);
        if (v) d = v;
        else if (mixed_parameterisations(s, e, d)) {
            resolve_kids(s, e, 0, sc);
            return;
        }
    }
    e->ref = dist_index(d);
    Expr *slots[DIST_MAX_ARGS] = {0};
    bool seen_keyword = false, ok = true;
    for (int i = 0; i < e->nkids; i++) {
        const char *kw = e->arg_names ? e->arg_names[i] : NULL;
        int at = -1;
        if (kw) {
            seen_keyword = true;
            for (int k = 0; k < d->nargs; k++)
                if (strcmp(d->arg_names[k], kw) == 0) at = k;
            if (at < 0) {
                Diag *err = diag_error(s->diags, DIAG_NAME, e->arg_name_locs[i], "%s has no argument '%s'", d->name, kw);
                /* the names of every parameterisation of the family */
                const char *names[4 * DIST_MAX_ARGS];
                int n = 0;
                for (int j = 0; j < dist_count(); j++)
                    for (int k = 0; k < dist_at(j)->nargs && n < 4 * DIST_MAX_ARGS; k++)
                        if (strcmp(dist_at(j)->name, d->name) == 0) names[n++] = dist_at(j)->arg_names[k];
                const char *how;
                const char *best = keyword_meant(d, kw, names, n, &how);
                const char *meant[] = {best};
                const DistInfo *with = best ? dist_variant(d, meant, 1) : NULL;
                if (best) diag_note(err, "did you mean '%s'? %s", best, how ? how : (with ? with : d)->summary);
                else if (how) diag_note(err, "%s", how);
                else if (n > d->nargs) note_parameterisations(err, d);
                else diag_note(err, "%s", d->summary);
                ok = false;
                continue;
            }
        } else {
            if (seen_keyword) {
                diag_error(s->diags, DIAG_CALL, e->kids[i]->loc, "a positional argument cannot follow a keyword argument");
                ok = false;
                continue;
            }
            if (i >= d->nargs) {
                Diag *err = diag_error(s->diags, DIAG_CALL, e->kids[i]->loc, "%s takes %d argument%s, got %d", d->name,
                                       d->nargs, d->nargs == 1 ? "" : "s", e->nkids);
                diag_note(err, "%s", d->summary);
                ok = false;
                break;
            }
            at = i;
        }
        if (slots[at]) {
            diag_error(s->diags, DIAG_CALL, kw ? e->arg_name_locs[i] : e->kids[i]->loc, "%s's argument '%s' is given twice",
                       d->name, d->arg_names[at]);
            ok = false;
            continue;
        }
        slots[at] = e->kids[i];
    }
    resolve_kids(s, e, 0, sc);
    if (!ok) return;
    for (int k = 0; k < d->nargs; k++)
        if (!slots[k]) {
            Diag *err = diag_error(s->diags, DIAG_CALL, e->loc, "%s needs its argument '%s'", d->name, d->arg_names[k]);
            diag_note(err, "%s", d->summary);
            return;
        }
    /* Rewrite the call with positional arguments; the kids array has room. */
    for (int k = 0; k < d->nargs; k++) e->kids[k] = slots[k];
    e->nkids = d->nargs;
    e->arg_names = NULL;
}

static void resolve_stmt(Sema *s, Stmt *st, Scope *sc)
{
    if (!st) return;
    sc->stmt = st;
    switch (st->kind) {
    case ST_DATA:
        if (st->lhs->kind == EX_INDEX) {
            if (st->lhs->nkids > 3)
                diag_error(s->diags, DIAG_SHAPE, st->lhs->loc, "data have at most two dimensions");
            resolve_kids(s, st->lhs, 1, sc);
        }
        return;
    case ST_ASSIGN: case ST_TILDE: {
        const Expr *name = lhs_name_expr(st);
        if (in_scope(sc, name->name)) {
            diag_error(s->diags, DIAG_NAME, name->loc, "'%s' is a loop variable; it cannot be %s", name->name,
                       st->kind == ST_ASSIGN ? "assigned" : "given a distribution");
            return;
        }
        if (st->lhs->kind == EX_INDEX) resolve_kids(s, st->lhs, 1, sc);
        if (st->kind == ST_ASSIGN) {
            resolve_expr(s, st->rhs, sc);
        } else {
            resolve_dist(s, st->rhs, sc);
            if (st->observed) resolve_expr(s, st->observed, sc);
        }
        return;
    }
    case ST_FOR:
        resolve_expr(s, st->from, sc);
        resolve_expr(s, st->to, sc);
        if (sema_find(s, st->var) || in_scope(sc, st->var)) {
            Diag *e = diag_error(s->diags, DIAG_NAME, st->var_loc, "loop variable '%s' has the name of another variable", st->var);
            diag_note(e, "choose another name for the loop variable");
            return;
        }
        if (sc->n >= AST_MAX_DEPTH) {
            diag_error(s->diags, DIAG_LIMIT, st->loc, "loops nested more than %d deep", AST_MAX_DEPTH);
            return;
        }
        sc->vars[sc->n++] = st->var;
        for (int i = 0; i < st->nbody; i++) resolve_stmt(s, st->body[i], sc);
        sc->n--;
        return;
    }
}

void sema_run(Sema *s, Program *prog, Diags *diags)
{
    memset(s, 0, sizeof *s);
    s->prog = prog;
    s->diags = diags;
    for (int i = 0; i < prog->nstmts; i++) collect(s, prog->stmts[i], i, 0, NULL);
    for (int i = 0; i < prog->nstmts; i++) collect_params(s, prog->stmts[i], i, 0, NULL);
    Scope *sc = calloc(1, sizeof *sc);
    if (!sc) { out_of_memory(s, LOC_NONE); return; }
    for (int i = 0; i < prog->nstmts; i++) resolve_stmt(s, prog->stmts[i], sc);
    free(sc);
}

void sema_run_call(Sema *s, Expr *call, Diags *diags)
{
    Program none = { NULL, 0 };
    memset(s, 0, sizeof *s);
    s->prog = &none;
    s->diags = diags;
    Scope sc = { .n = 0, .stmt = NULL };
    resolve_dist(s, call, &sc);
    s->prog = NULL;   /* it lived on this stack */
}

void sema_free(Sema *s)
{
    for (int i = 0; i < s->nsyms; i++) {
        for (int d = 0; d < s->syms[i].ndefs; d++) free(s->syms[i].defs[d].loops);
        free(s->syms[i].defs);
    }
    free(s->syms);
    name_index_free(&s->index);
    memset(s, 0, sizeof *s);
}
