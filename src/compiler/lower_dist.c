/*
** lower_dist.c -- distributions to IR: a call's arguments lowered and
** checked against their constraints where data allow, observed values
** against the support, parameters mapped from unconstrained coordinates by
** their support's transform, and the log density of every term.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "improper.h"
#include "lower_state.h"

/* Lowers a distribution call's arguments into args[]; checks what data
** arguments can be checked now. */
int lower_dist_args(Lower *L, Expr *call, int *args)
{
    const DistInfo *d = dist_at(call->ref);
    for (int k = 0; k < d->nargs; k++) {
        if ((args[k] = lower_expr(L, call->kids[k])) < 0) return -1;
        const IrSlot *s = slot(L, args[k]);
        if (s->rank == 2) {
            diag_error(L->diags, DIAG_SHAPE, call->kids[k]->loc, "%s's %s is a matrix; arguments are scalars or vectors",
                       d->name, d->arg_names[k]);
            return -1;
        }
        if (!s->is_data) {
            if (d->arg_constraint[k] == ARG_COUNT) {
                Diag *e = diag_error(L->diags, DIAG_NEEDS_DATA, call->kids[k]->loc, "%s's %s must be known from data", d->name,
                                     d->arg_names[k]);
                diag_note(e, "a count cannot depend on parameters");
                return -1;
            }
            continue;
        }
        const double *v = val(L, args[k]);
        for (long i = 0; i < s->len; i++) {
            if (dist_arg_valid(d, k, v[i])) continue;
            char at[48] = "";
            if (s->len > 1) snprintf(at, sizeof at, " (element %ld)", i + 1);
            Diag *e = diag_error(L->diags, DIAG_SUPPORT, call->kids[k]->loc, "%s's %s must be %s, got %g%s", d->name,
                                 d->arg_names[k], dist_constraint_text(d->arg_constraint[k]), v[i], at);
            diag_note(e, "%s", d->summary);
            return -1;
        }
    }
    if (d->support == SUPPORT_INTERVAL && slot(L, args[0])->is_data && slot(L, args[1])->is_data) {
        const IrSlot *a = slot(L, args[0]), *b = slot(L, args[1]);
        long n = a->len > b->len ? a->len : b->len;
        for (long i = 0; i < n; i++)
            if (!(val(L, args[0])[a->len > 1 ? i : 0] < val(L, args[1])[b->len > 1 ? i : 0])) {
                Diag *e = diag_error(L->diags, DIAG_SUPPORT, call->loc, "%s needs %s < %s", d->name, d->arg_names[0],
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
int lower_dist_length(Lower *L, Expr *call, int x, const Expr *xe, const int *args, long *n)
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
            lower_describe(L, args[k], buf, sizeof buf);
            Diag *e = diag_error(L->diags, DIAG_SHAPE, call->kids[k]->loc, "%s's %s is %s, but the values have %ld element%s",
                                 d->name, d->arg_names[k], buf, len, len == 1 ? "" : "s");
            diag_note(e, "arguments are scalars, or vectors as long as the values");
            return -1;
        }
    }
    *n = len;
    return 0;
mismatch:;
    char buf[64];
    lower_describe(L, x, buf, sizeof buf);
    diag_error(L->diags, DIAG_SHAPE, xe ? xe->loc : call->loc, "the values are %s, but %s's arguments have %ld elements",
               buf, d->name, len);
    return -1;
}

/* Argument k of element i of a call's arguments args into *arg: true when
** data give it; else a valid stand-in, for a support that does not
** depend on it. */
static bool element_arg(Lower *L, const DistInfo *d, const int *args, int k, long i, double *arg)
{
    const IrSlot *s = slot(L, args[k]);
    if (s->is_data) {
        *arg = val(L, args[k])[s->len > 1 ? i : 0];
        return true;
    }
    *arg = d->arg_constraint[k] == ARG_UNIT ? 0.5 : d->arg_constraint[k] == ARG_POSITIVE ? 1 : 0;
    return false;
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
        for (int k = 0; k < d->nargs; k++) element_arg(L, d, args, k, i, &arg[k]);
        if (dist_in_support(d, xv, arg)) continue;
        char at[48] = "";
        if (xs->len > 1) snprintf(at, sizeof at, " (element %ld)", i + 1);
        Diag *e;
        if (d->discrete && isfinite(xv) && xv != floor(xv))
            e = diag_error(L->diags, DIAG_SUPPORT, xe->loc, "observed value %g%s is not a whole number; %s counts take the values %s",
                           xv, at, d->name, dist_support_text(d));
        else
            e = diag_error(L->diags, DIAG_SUPPORT, xe->loc, "observed value %g%s is outside the support of %s: %s",
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

/* A likelihood term on data alone whose log density ins (folded into a)
** is not finite: the data rule the model out before any parameter is
** drawn.  Names the first element that does. */
static int impossible_data(Lower *L, Expr *call, const IrInstr *ins, const OpArgs *a, const Expr *xe)
{
    const DistInfo *d = dist_at(call->ref);
    for (long i = 0; i < ins->n; i++) {
        IrInstr one = *ins;
        OpArgs ai = *a;
        one.n = 1;
        for (int k = 0; k <= d->nargs; k++)
            if (ai.len[k] > 1) { ai.in[k] += i; ai.len[k] = 1; }
        double lp = ops_forward(&one, &ai, false);
        if (lp > -INFINITY && !isnan(lp)) continue;
        char call_text[256], at[48] = "";
        double arg[DIST_MAX_ARGS];
        for (int k = 0; k < d->nargs; k++) arg[k] = ai.in[k + 1][0];
        dist_call_text(d, arg, true, call_text, sizeof call_text);
        if (ins->n > 1) snprintf(at, sizeof at, " (element %ld)", i + 1);
        const char *has = isnan(lp) ? "no defined density" : d->discrete ? "probability 0" : "density 0";
        Diag *e = diag_error(L->diags, DIAG_SUPPORT, xe->loc, "observed value %g%s has %s under %s", ai.in[0][0], at, has,
                             call_text);
        if (!d->discrete && !isnan(lp))
            diag_note(e, "its log density is below what a double holds: the data alone rule the model out; "
                         "check the data and the arguments");
        else
            diag_note(e, "the data alone rule the model out: check the data and the arguments");
        return -1;
    }
    Diag *e = diag_error(L->diags, DIAG_SUPPORT, xe->loc, "the observed values' log density is not finite");
    diag_note(e, "the data alone rule the model out: check the data and the arguments");
    return -1;
}

/* The name of sym's replicate: its own in a prior predictive run, else
** NAME_rep, with '_' added until no name of the model has it. */
static int replicate_name(Lower *L, const Symbol *sym)
{
    if (L->predictive == PREDICT_PRIOR) return state_of(L, sym)->name;
    char name[AST_MAX_NAME + 64];
    size_t n = (size_t)snprintf(name, sizeof name, "%s_rep", sym->name);
    while (sema_find(L->sema, name) && n + 1 < sizeof name) {
        name[n++] = '_';
        name[n] = '\0';
    }
    return ir_add_name(L->m, name);
}

/* Where the draw of observed values x of sym goes: x's place in the
** replicate of all of sym's values (made at the first draw, holding the
** observed ones until drawn over, so that elements no '~' draws keep
** them).  -1 after saying why. */
static int replicate_of(Lower *L, const Symbol *sym, int x, const Expr *xe, long n)
{
    SymState *ss = state_of(L, sym);
    /* the values the replicate is of: those observed, or all of the name's */
    int whole = sym->kind == SYM_OBSERVED || ss->slot < 0 ? x : ss->slot;
    const IrSlot ws = *slot(L, whole), xs = *slot(L, x);
    if (xs.region != ws.region || xs.off < ws.off || xs.off + xs.len > ws.off + ws.len || xs.len != n) {
        diag_error(L->diags, DIAG_MODEL, xe->loc, "a predictive draw needs the observed values to be '%s' or "
                   "its elements, not a selection of them", sym->name);
        return -1;
    }
    if (ss->rep < 0) {
        int name = replicate_name(L, sym);
        int rep = name < 0 ? -1 : ir_add_slot(L->m, REGION_WORK, ws.rank, ws.rows, ws.cols, name);
        ss->rep_drawn = calloc((size_t)(ws.len > 0 ? ws.len : 1), 1);
        if (rep < 0 || !ss->rep_drawn) { lower_oom(L, xe->loc); return -1; }
        memcpy(val(L, rep), val(L, whole), (size_t)ws.len * sizeof(double));
        L->m->slots[rep].is_data = 0;
        ss->rep = rep;
        lower_add_replicate(L, name, rep, whole, ss->name, sym->loc);
    }
    /* two terms on one value multiply their densities: a draw from either
    ** alone is not a draw of the model's value */
    for (long i = xs.off - ws.off; i < xs.off - ws.off + n; i++) {
        if (!ss->rep_drawn[i]) { ss->rep_drawn[i] = 1; continue; }
        Diag *e = diag_error(L->diags, DIAG_MODEL, xe->loc, "a second '~' on values of '%s': a predictive draw "
                             "cannot draw them from both", sym->name);
        diag_subject(e, sym->name);
        diag_note(e, "--prior, --predict and bmc simulate draw each value from its one '~'; model it once");
        return -1;
    }
    int at = ir_add_alias(L->m, ss->rep, xs.off - ws.off, xs.rank, xs.rows, xs.cols, slot(L, ss->rep)->name);
    if (at < 0) lower_oom(L, xe->loc);
    return at;
}

/* Emits the log density of data x under the call: a likelihood term. */
int lower_likelihood(Lower *L, Expr *call, int x, const Expr *xe, const Symbol *sym)
{
    const DistInfo *d = dist_at(call->ref);
    if (d->improper) {
        Diag *e = diag_error(L->diags, DIAG_MODEL, call->name_loc, "%s is improper and cannot describe observed data", d->name);
        diag_note(e, "use it as a prior: theta ~ %s();", d->name);
        return -1;
    }
    const IrSlot *xs = slot(L, x);
    if (!xs->is_data) {
        Diag *e = diag_error(L->diags, DIAG_NEEDS_DATA, xe->loc, "the observed values depend on parameters");
        diag_note(e, "observed values are data; a '~' on a computed quantity would need a Jacobian");
        return -1;
    }
    if (xs->rank == 2) {
        diag_error(L->diags, DIAG_SHAPE, xe->loc, "observed values are a matrix; observe a vector or its rows");
        return -1;
    }
    int args[DIST_MAX_ARGS];
    long n;
    if (lower_dist_args(L, call, args) < 0) return -1;
    if (lower_dist_length(L, call, x, xe, args, &n) < 0) return -1;
    /* data bmc simulate draws have no values yet, and no density but drawn */
    bool simulated = is_simulated(L, sym);
    if (simulated && slot(L, x)->len != n) {   /* a draw for each element */
        char what[64];
        lower_describe(L, x, what, sizeof what);
        Diag *e = diag_error(L->diags, DIAG_SHAPE, xe->loc, "the values drawn are %s, but %s's arguments have %ld elements",
                             what, d->name, n);
        diag_note(e, "declare '%s' with the arguments' shape: data %s[%ld];", sym->name, sym->name, n);
        return -1;
    }
    if (simulated && L->predictive == PREDICT_NONE) return 0;
    if (!simulated && check_observed(L, call, x, xe, args, n) < 0) return -1;
    if (L->predictive != PREDICT_NONE) {   /* the values drawn as the model would make them */
        int rep = replicate_of(L, sym, x, xe, n);
        if (rep < 0 || lower_draw(L, call, args, n, rep, call->loc) < 0) return -1;
        if (L->predictive == PREDICT_PRIOR) return 0;   /* in place of the likelihood */
    }
    IrInstr ins = { .op = IR_LOGPDF, .aux = (uint16_t)call->ref, .out = -1, .n = n, .line = call->loc.first_line };
    ins.in[0] = x;
    for (int k = 0; k < IR_MAX_ARGS - 1; k++) ins.in[k + 1] = k < d->nargs ? args[k] : -1;
    if (!simulated) lower_add_points(L, &ins, x, sym, call->loc);
    int conj = lower_conjugate_term(L, call, x, args, n);
    if (conj != 0) return conj < 0 ? -1 : 0;   /* in the posterior's statistics instead */
    bool data = true;
    for (int k = 0; k < d->nargs; k++) data = data && slot(L, args[k])->is_data;
    if (data) {   /* a term on data alone: a constant of the density */
        OpArgs a;
        lower_fold_args(L, &ins, &a);
        double lp = ops_forward(&ins, &a, false);
        if (!(lp > -INFINITY) || isnan(lp)) return impossible_data(L, call, &ins, &a, xe);
        L->m->lp_const += lp;
        return 0;
    }
    if (ir_add_instr(L->m, &ins) < 0) { lower_oom(L, call->loc); return -1; }
    return 0;
}

/* A prior whose data arguments make it lopsided on the sampler's scale
** (DistInfo.lopsided): a warning, once per name. */
static void warn_lopsided(Lower *L, Expr *call, const int *args, long n, int name, long elem)
{
    const DistInfo *d = dist_at(call->ref);
    if (!d->lopsided) return;
    for (int k = 0; k < d->nargs; k++)
        if (!slot(L, args[k])->is_data) return;
    const char *who = L->m->names[name];
    const Symbol *sym = sema_find(L->sema, who);
    SymState *ss = sym ? state_of(L, sym) : NULL;
    if (!ss || ss->warned) return;
    for (long i = 0; i < n; i++) {
        double arg[DIST_MAX_ARGS];
        for (int k = 0; k < d->nargs; k++) arg[k] = val(L, args[k])[slot(L, args[k])->len > 1 ? i : 0];
        const char *where = d->lopsided(arg);
        if (!where) continue;
        char call_text[160], what[256];
        dist_call_text(d, arg, false, call_text, sizeof call_text);
        /* an element by its row and column, as everything names one */
        if (elem >= 0 && ss->slot >= 0) ir_element_name(L->m, name, slot(L, ss->slot), elem, what, sizeof what);
        else if (n > 1) snprintf(what, sizeof what, "%s[%ld]", who, i + 1);
        else snprintf(what, sizeof what, "%s", who);
        Diag *e = diag_error(L->warnings, DIAG_PRIOR, call->loc,
                             "the prior %s of '%s' has a tail %s that NUTS cannot follow: its draws may be biased",
                             call_text, what, where);
        diag_subject(e, who);
        diag_note(e, "%s", d->lopsided_advice);
        ss->warned = true;
        return;
    }
}

/* Maps n fresh coordinates to constrained values in out (a WORK slot, or
** -1 to make one) by the support's transform; records the parameter. */
int lower_declare_param(Lower *L, Expr *call, const int *args, int rank, long n, int out,
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
        if ((tf.in[1] = lower_scalar_const(L, 0, loc)) < 0) return -1;
        break;
    case SUPPORT_UNIT:
        tf.op = IR_TF_BOUNDS;
        if ((tf.in[1] = lower_scalar_const(L, 0, loc)) < 0 || (tf.in[2] = lower_scalar_const(L, 1, loc)) < 0) return -1;
        break;
    case SUPPORT_INTERVAL:
        tf.op = IR_TF_BOUNDS;
        tf.in[1] = args[0];
        tf.in[2] = args[1];
        break;
    default:   /* discrete: the callers refuse these first */
        diag_error(L->diags, DIAG_INTERNAL, loc, "%s has no transform to its support", d->name);
        return -1;
    }
    if (m->dim + n > LOWER_MAX_PARAMS) {
        Diag *e = diag_error(L->diags, DIAG_LIMIT, loc, "the model would have more than %ld parameter elements", LOWER_MAX_PARAMS);
        diag_note(e, "NUTS needs a gradient of every parameter at every step; reduce the model");
        return -1;
    }
    warn_lopsided(L, call, args, n, name, elem);
    IrParam p = { .name = name, .elem = elem, .ucoord = m->dim, .len = n, .tf = -1, .dist = call->ref };
    if (out < 0 && (out = ir_add_slot(m, REGION_WORK, rank, n, 1, -1)) < 0) { lower_oom(L, loc); return -1; }
    if (tf.in[1] < 0) {
        p.uslot = out;   /* identity: the coordinates are the values */
    } else {
        if ((p.uslot = ir_add_slot(m, REGION_WORK, rank, n, 1, -1)) < 0) { lower_oom(L, loc); return -1; }
        tf.in[0] = p.uslot;
        tf.out = out;
        if ((p.tf = ir_add_instr(m, &tf)) < 0) { lower_oom(L, loc); return -1; }
    }
    p.slot = out;
    m->dim += n;
    if (ir_add_param(m, &p) < 0) { lower_oom(L, loc); return -1; }
    IrInstr lp = { .op = IR_LOGPDF, .aux = (uint16_t)call->ref, .out = -1, .n = n, .line = loc.first_line };
    lp.in[0] = out;
    for (int k = 0; k < IR_MAX_ARGS - 1; k++) lp.in[k + 1] = k < d->nargs ? args[k] : -1;
    /* a prior on (0, 1) reads the log-odds too: both ends keep their depth */
    if (d->logpdf_logodds && d->support == SUPPORT_UNIT && tf.op == IR_TF_BOUNDS && d->nargs + 1 < IR_MAX_ARGS) {
        lp.op = IR_LOGPDF_LOGODDS;
        lp.in[d->nargs + 1] = p.uslot;
    }
    if (ir_add_instr(m, &lp) < 0) { lower_oom(L, loc); return -1; }
    return out;
}

int lower_refuse_discrete(Lower *L, const Stmt *st)
{
    const DistInfo *d = dist_at(st->rhs->ref);
    if (!d->discrete) return 0;
    Diag *e = diag_error(L->diags, DIAG_MODEL, st->lhs->loc,
                         "'%s' would be a discrete parameter (%s); NUTS samples continuous parameters only",
                         stmt_lhs_name(st), d->name);
    diag_note(e, "observe it with 'observed', or sum it out of the model");
    return -1;
}

int lower_declared_shape(Lower *L, const Symbol *sym, Stmt *st, const int *args, int *rank, long *n)
{
    *rank = 0;
    if (st->lhs->kind == EX_INDEX) {
        if (st->lhs->nkids != 2) {
            diag_error(L->diags, DIAG_SHAPE, st->lhs->loc, "a parameter is a scalar or a vector: theta[J] ~ ...");
            return -1;
        }
        int sz = lower_expr(L, st->lhs->kids[1]);
        if (sz < 0 || lower_whole_number(L, sz, st->lhs->kids[1], "a size", 1, IR_MAX_ELEMENTS, n) < 0) return -1;
        *rank = 1;
        const DistInfo *d = dist_at(st->rhs->ref);
        for (int k = 0; k < d->nargs; k++) {
            long l = slot(L, args[k])->len;
            if (l != 1 && l != *n) {
                char buf[64];
                lower_describe(L, args[k], buf, sizeof buf);
                diag_error(L->diags, DIAG_SHAPE, st->rhs->kids[k]->loc, "%s's %s is %s, but '%s' has %ld elements",
                           d->name, d->arg_names[k], buf, sym->name, *n);
                return -1;
            }
        }
        return 0;
    }
    if (lower_dist_length(L, st->rhs, -1, NULL, args, n) < 0) return -1;
    for (int k = 0; k < dist_at(st->rhs->ref)->nargs; k++)
        if (slot(L, args[k])->rank > 0) *rank = 1;
    return 0;
}

/* name ~ Dist(args);  or  name[n] ~ Dist(args); */
int lower_define_param(Lower *L, const Symbol *sym, Stmt *st)
{
    if (sym->conjugate) return lower_define_conjugate(L, sym, st);
    SymState *ss = state_of(L, sym);
    if (lower_refuse_discrete(L, st) < 0) return -1;
    int args[DIST_MAX_ARGS], rank;
    long n;
    if (lower_dist_args(L, st->rhs, args) < 0 || lower_declared_shape(L, sym, st, args, &rank, &n) < 0) return -1;
    int id = lower_declare_param(L, st->rhs, args, rank, n, -1, ss->name, -1, st->loc);
    if (id < 0) return -1;
    L->m->slots[id].name = ss->name;
    lower_label_dims(L, ss->name, st->lhs);
    lower_add_output(L, ss->name, id, true, sym->loc);
    return id;
}

int lower_refuse_undrawable(Lower *L, const Symbol *sym, const Stmt *st)
{
    const DistInfo *d = dist_at(st->rhs->ref);
    if (d->random) return 0;
    if (d->improper && L->simulate) {   /* bmc simulate sets what it cannot draw */
        Diag *e = diag_error(L->diags, DIAG_MODEL, sym->loc, "'%s' has an improper prior (%s), which cannot be drawn from",
                             sym->name, d->name);
        diag_subject(e, sym->name);
        diag_note(e, "give it a value: bmc simulate %s %s=VALUE", L->diags->src->name, sym->name);
        return -1;
    }
    if (d->improper && L->predictive == PREDICT_PRIOR) {
        Diag *e = diag_error(L->diags, DIAG_MODEL, sym->loc, "'%s' has an improper prior (%s): a prior predictive "
                             "run cannot draw it", sym->name, d->name);
        diag_subject(e, sym->name);
        diag_note(e, "give it a proper prior, such as Normal(0, 10), to see what the model predicts before any data");
        return -1;
    }
    if (d->improper) {   /* Flat alone: nothing informs it, as a parameter would be told */
        improper_uninformed(L->diags, sym->loc, sym->name, sym->name, d->name);
        return -1;
    }
    Diag *e = diag_error(L->diags, DIAG_MODEL, st->rhs->name_loc, "%s cannot be drawn from", d->name);
    diag_note(e, "nothing in the model depends on '%s', so it would be drawn at each draw", sym->name);
    return -1;
}

int lower_draw(Lower *L, Expr *call, const int *args, long n, int out, Loc loc)
{
    return lower_draw_from(L, call->ref, args, n, out, loc);
}

int lower_draw_from(Lower *L, int dist, const int *args, long n, int out, Loc loc)
{
    const DistInfo *d = dist_at(dist);
    IrInstr ins = { .op = IR_DRAW, .aux = (uint16_t)dist, .out = out, .n = n, .line = loc.first_line };
    for (int k = 0; k < IR_MAX_ARGS; k++) ins.in[k] = k < d->nargs ? args[k] : -1;
    if (ir_add_instr(L->m, &ins) < 0) { lower_oom(L, loc); return -1; }
    return out;
}

Diag *lower_support_error(Diags *diags, const char *what, double value, int dist)
{
    const DistInfo *d = dist_at(dist);
    return diag_error_at(diags, DIAG_VALUE, NULL, "%s = %g is outside the support of its prior %s: %s", what, value,
                         d->name, dist_support_text(d));
}

long lower_fixed_values(Lower *L, const Symbol *sym, int store, Expr *call, const int *args, long first, long n,
                        double *v)
{
    const DataValue *dv = L->fixed ? dataset_find(L->fixed, sym->name) : NULL;
    if (!dv) return 0;
    for (long i = 0; i < n; i++) v[i] = NAN;
    const IrSlot s = *slot(L, store);
    if (dv->n != s.len || first + n > s.len) {
        diag_error(L->diags, DIAG_INTERNAL, sym->loc, "the values set for '%s' do not fit it", sym->name);
        return -1;
    }
    const DistInfo *d = dist_at(call->ref);
    long set = 0;
    for (long i = 0; i < n; i++) {
        double x = dv->v[first + i], arg[DIST_MAX_ARGS];
        if (isnan(x)) continue;
        bool known = true;
        for (int k = 0; k < d->nargs; k++) known = element_arg(L, d, args, k, i, &arg[k]) && known;
        char what[256];
        ir_element_name(L->m, state_of(L, sym)->name, &s, first + i, what, sizeof what);
        Diag *e = NULL;
        if (!known && d->support == SUPPORT_INTERVAL) {
            e = diag_error_at(L->diags, DIAG_VALUE, NULL, "'%s': the bounds of its prior depend on values drawn from "
                              "their priors, so it cannot be set alone", what);
            diag_note(e, "give those values too, or leave '%s' to be drawn", what);
        } else if (!dist_in_support(d, x, arg)) {
            e = lower_support_error(L->diags, what, x, call->ref);
            if (d->support == SUPPORT_INTERVAL)
                diag_note(e, "here %s = %g and %s = %g", d->arg_names[0], arg[0], d->arg_names[1], arg[1]);
            for (int k = 0; d->support == SUPPORT_BOUNDED_COUNT && k < d->nargs; k++)
                if (d->arg_constraint[k] == ARG_COUNT) diag_note(e, "here %s = %g", d->arg_names[k], arg[k]);
        }
        if (e) {
            diag_subject(e, sym->name);
            diag_related(e, L->diags->src, sym->loc, "'%s' is declared here", sym->name);
            return -1;
        }
        v[i] = x;
        set++;
    }
    return set;
}

/* Copies the n drawn values of from into out where out holds no value set
** (NaN), a run of elements at a time. */
static int copy_drawn(Lower *L, int from, int out, long n, Loc loc)
{
    for (long a = 0; a < n;) {
        if (!isnan(val(L, out)[a])) { a++; continue; }
        long b = a;
        while (b < n && isnan(val(L, out)[b])) b++;
        int src = ir_add_alias(L->m, from, a, b - a > 1, b - a, 1, -1);
        int dst = src < 0 ? -1 : ir_add_alias(L->m, out, a, b - a > 1, b - a, 1, slot(L, out)->name);
        IrInstr copy = { .op = IR_COPY, .out = dst, .in = {src, -1, -1, -1}, .n = b - a, .line = loc.first_line };
        if (dst < 0 || ir_add_instr(L->m, &copy) < 0) { lower_oom(L, loc); return -1; }
        a = b;
    }
    return 0;
}

/* name ~ Dist(args);  that the density does not need: drawn per draw, but
** for the values LowerOptions.fixed sets */
int lower_define_generated(Lower *L, const Symbol *sym, Stmt *st)
{
    SymState *ss = state_of(L, sym);
    int args[DIST_MAX_ARGS], rank;
    long n;
    if (lower_dist_args(L, st->rhs, args) < 0 || lower_declared_shape(L, sym, st, args, &rank, &n) < 0) return -1;
    int out = ir_add_slot(L->m, REGION_WORK, rank, n, 1, ss->name);
    if (out < 0) { lower_oom(L, st->loc); return -1; }
    long set = lower_fixed_values(L, sym, out, st->rhs, args, 0, n, val(L, out));
    if (set < 0) return -1;
    if (set == n) {   /* all given: a constant */
        L->m->slots[out].is_data = 1;
        lower_mark_int(L, out);
        return out;
    }
    if (lower_refuse_undrawable(L, sym, st) < 0) return -1;
    /* some given: drawn whole, the others copied over */
    int into = set == 0 ? out : ir_add_slot(L->m, REGION_WORK, rank, n, 1, -1);
    if (into < 0) { lower_oom(L, st->loc); return -1; }
    if (lower_draw(L, st->rhs, args, n, into, st->loc) < 0) return -1;
    if (into != out && copy_drawn(L, into, out, n, st->loc) < 0) return -1;
    lower_add_output(L, ss->name, out, false, sym->loc);
    return out;
}

int lower_constant_args(Expr *call, Diags *diags, double *args)
{
    Sema none;
    Lower L;
    memset(&none, 0, sizeof none);
    memset(&L, 0, sizeof L);
    L.sema = &none;
    L.diags = diags;
    if (!(L.m = ir_new())) {
        diag_error(diags, DIAG_NO_MEMORY, call->loc, "out of memory");
        return -1;
    }
    int slots[DIST_MAX_ARGS];
    int rc = lower_dist_args(&L, call, slots);
    const DistInfo *d = dist_at(call->ref);
    for (int k = 0; rc == 0 && k < d->nargs; k++) {
        const IrSlot *s = slot(&L, slots[k]);
        if (s->len != 1) {
            char what[64];
            lower_describe(&L, slots[k], what, sizeof what);
            Diag *e = diag_error(diags, DIAG_SHAPE, call->kids[k]->loc, "%s's %s is %s; one number is needed here",
                                 d->name, d->arg_names[k], what);
            diag_note(e, "%s", d->summary);
            rc = -1;
            break;
        }
        args[k] = *val(&L, slots[k]);
    }
    ir_free(L.m);
    free(L.outs);
    return rc;
}
