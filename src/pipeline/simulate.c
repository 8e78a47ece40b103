/*
** simulate.c -- one fake data set from a model (see simulate.h).
*/
#include "simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "logp_values.h"
#include "sampling.h"
#include "status.h"

CompileOptions simulate_compile_options(bool naming, const DataSet *fixed)
{
    CompileOptions c = COMPILE_FULL;
    c.simulate = true;
    if (naming) {
        /* the parameters only, to be named: the checks of a whole model (an
        ** improper prior, which a value given may settle) wait for the draw */
        c.partial = true;
    } else {
        c.predictive = PREDICT_PRIOR;
        c.fixed = fixed;
    }
    return c;
}

int simulate_targets(const Model *m, Diags *errs)
{
    const Sema *s = &m->sema;
    bool *modelled = calloc(s->nsyms ? (size_t)s->nsyms : 1, sizeof *modelled);
    if (!modelled) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        return -1;
    }
    sema_modelled_data(s, modelled);
    int n = 0;
    for (int i = 0; i < s->nsyms; i++) n += modelled[i];
    free(modelled);
    if (n > 0) return n;
    Diag *e = diag_error_at(errs, DIAG_MODEL, m->src->name,
                            "nothing to simulate: the model observes no data-declared names");
    diag_note(e, "declare the observed data with 'data y[N];' and model them with '~'");
    return -1;
}

/* ---- the values given ---- */

/* The data that m draws (modelled, per symbol) that item ("y=...",
** "y[2]=...") names, or NULL. */
static const Symbol *simulated_name(const Model *m, const bool *modelled, const char *item)
{
    char name[AST_MAX_NAME + 1];
    size_t len = strcspn(item, "=[");
    if (len > AST_MAX_NAME) return NULL;
    snprintf(name, sizeof name, "%.*s", (int)len, item);
    const Symbol *sym = sema_find(&m->sema, name);
    return sym && modelled[sema_index(&m->sema, sym)] ? sym : NULL;
}

/* The storage of name (an index into ir's names): its reported slot. */
static const IrSlot *storage(const IrModel *ir, int name)
{
    for (int i = 0; i < ir->noutputs; i++)
        if (ir->outputs[i].name == name) return &ir->slots[ir->outputs[i].slot];
    return NULL;
}

/* The elements given of parameter name, whole, into fixed. */
static int put_name(const LogpValues *v, int name, DataSet *fixed, Diags *errs)
{
    const IrModel *ir = v->model->ir;
    const IrSlot *s = storage(ir, name);
    double *values = s ? malloc((size_t)(s->len ? s->len : 1) * sizeof *values) : NULL;
    if (!values) {
        if (s) diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        else diag_error_at(errs, DIAG_INTERNAL, NULL, "'%s' has no storage to set", ir->names[name]);
        return -1;
    }
    for (long i = 0; i < s->len; i++) values[i] = NAN;
    for (long k = 0; k < v->n; k++) {
        const IrParam *p = v->el[k].param;
        if (p->name != name || !v->el[k].given) continue;
        values[p->elem >= 0 ? p->elem : k - p->ucoord] = v->el[k].value;
    }
    long dims[2] = {s->rows, s->cols};
    int rc = dataset_put(fixed, ir->names[name], s->rank, dims, values, false, "the command line");
    free(values);
    if (rc != 0) diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
    return rc;
}

int simulate_read_values(const Model *m, char *const *items, int n, DataSet **fixed, Diags *errs)
{
    LogpValues v;
    *fixed = NULL;
    int rc = logp_values_init(&v, m);
    bool *named = calloc(m->ir->nnames ? (size_t)m->ir->nnames : 1, sizeof *named);
    bool *modelled = calloc(m->sema.nsyms ? (size_t)m->sema.nsyms : 1, sizeof *modelled);
    if (rc != 0 || !named || !modelled) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        rc = -1;
    } else {
        sema_modelled_data(&m->sema, modelled);
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        const Symbol *sym = simulated_name(m, modelled, items[i]);
        if (sym) {
            Diag *e = diag_error_at(errs, DIAG_VALUE, NULL, "'%s' is the data bmc simulate draws: it cannot be given a value",
                                    sym->name);
            diag_note(e, "name=value sets a parameter, which is otherwise drawn from its prior");
            rc = -1;
        } else {
            rc = logp_assign(&v, items[i], "--data or -D", errs);
        }
    }
    for (long k = 0; rc == 0 && k < v.n; k++)
        if (v.el[k].given) named[v.el[k].param->name] = true;
    if (rc == 0 && !(*fixed = dataset_new())) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        rc = -1;
    }
    for (int name = 0; rc == 0 && name < m->ir->nnames; name++)
        if (named[name]) rc = put_name(&v, name, *fixed, errs);
    if (rc != 0) {
        dataset_free(*fixed);
        *fixed = NULL;
    }
    free(named);
    free(modelled);
    logp_values_free(&v);
    return rc;
}

/* ---- the draw ---- */

/* Whether every draw into slot s is of a discrete distribution: its values
** are then integers, and written as such. */
static bool drawn_discrete(const IrModel *ir, const IrSlot *s)
{
    bool any = false;
    for (int i = 0; i < ir->ncode; i++) {
        const IrInstr *in = &ir->code[i];
        if (in->op != IR_DRAW) continue;
        const IrSlot *o = &ir->slots[in->out];
        if (o->region != s->region || o->off >= s->off + s->len || o->off + o->len <= s->off) continue;
        if (!dist_at(in->aux)->discrete) return false;
        any = true;
    }
    return any;
}

/* A value of the draw, output o whose first variable is first, into ds. */
static int put_output(const IrModel *ir, const IrOutput *o, const Draws *d, long first, bool ints, DataSet *ds)
{
    const IrSlot *s = &ir->slots[o->slot];
    double *values = malloc((size_t)(s->len ? s->len : 1) * sizeof *values);
    if (!values) return -1;
    for (long i = 0; i < s->len; i++) values[i] = draws_at_const(d, (int)(first + i), 0)[0];
    long dims[2] = {s->rows, s->cols};
    int rc = dataset_put(ds, ir->names[o->name], s->rank, dims, values, ints, "bmc simulate");
    free(values);
    return rc;
}

/* Data sym of m should have been drawn but what (it, or an element) was
** not: nothing draws it, or its distribution's arguments were out of
** bounds in this draw (NaN). */
static void not_drawn(const Model *m, const Symbol *sym, const char *what, bool none, Diags *errs)
{
    Diag *e = diag_error_at(errs, DIAG_MODEL, m->src->name, "no value was drawn for '%s'", what);
    if (none) diag_note(e, "no '~' that runs draws it");
    else diag_note(e, "no '~' models it, or the arguments of its distribution were out of bounds in this draw; "
                      "give the parameters they depend on values");
    diag_related(e, m->src, sym->loc, "'%s' is declared here", sym->name);
}

/* Whether output o of the draw (its first variable first), the data sym,
** has a value in every element; else says which has none. */
static bool all_drawn(const Model *m, const Symbol *sym, const IrOutput *o, const Draws *d, long first, Diags *errs)
{
    const IrSlot *s = &m->ir->slots[o->slot];
    for (long i = 0; i < s->len; i++) {
        if (!isnan(draws_at_const(d, (int)(first + i), 0)[0])) continue;
        char what[256];
        ir_element_name(m->ir, o->name, s, i, what, sizeof what);
        not_drawn(m, sym, what, false, errs);
        return false;
    }
    return true;
}

/* The data file: every data name of m, in declaration order, from drawn
** when the model draws it (modelled), else as data gives it. */
static int complete_data(const Model *m, const DataSet *data, const bool *modelled, const DataSet *drawn,
                         DataSet *out, Diags *errs)
{
    const Sema *s = &m->sema;
    for (int i = 0; i < s->nsyms; i++) {
        const Symbol *sym = &s->syms[i];
        if (sym->kind != SYM_DATA) continue;
        const DataValue *dv = dataset_find(modelled[i] ? drawn : data, sym->name);
        if (!dv && modelled[i]) {
            not_drawn(m, sym, sym->name, true, errs);
            return -1;
        }
        if (!dv) continue;   /* never, after a full compile */
        if (dataset_put(out, dv->name, dv->ndim, dv->dims, dv->v, dv->is_int, dv->origin) != 0) {
            diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
            return -1;
        }
    }
    return 0;
}

int simulate_draw(const Model *m, const DataSet *data, unsigned long seed, Simulation *sim, Diags *errs)
{
    memset(sim, 0, sizeof *sim);
    const IrModel *ir = m->ir;
    SampleOptions o;
    sample_options_init(&o);
    o.cfg.chains = 1;
    o.cfg.cores = 1;
    o.cfg.nuts.draws = 1;
    o.cfg.seed = seed;
    o.seed_given = true;
    o.predictive = PREDICT_PRIOR;
    SampleRequest rq = { .ir = ir, .label = m->name, .file = m->src->name, .opts = &o, .prior = true };
    Sampled s;
    int code = sampling_run(&rq, &s, errs);
    bool *modelled = calloc(m->sema.nsyms ? (size_t)m->sema.nsyms : 1, sizeof *modelled);
    sim->data = dataset_new();
    sim->simulated = dataset_new();
    sim->drawn = dataset_new();
    if (code == EXIT_OK && (!modelled || !sim->data || !sim->simulated || !sim->drawn)) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        code = EXIT_MODEL;
    }
    if (modelled) sema_modelled_data(&m->sema, modelled);
    long first = 0;
    for (int i = 0; code == EXIT_OK && i < ir->noutputs; i++) {
        const IrOutput *out = &ir->outputs[i];
        const IrSlot *slot = &ir->slots[out->slot];
        const Symbol *sym = sema_find(&m->sema, ir->names[out->name]);
        /* a data name's draw is of the data; an observed term's is no one's */
        bool target = sym && sym->kind == SYM_DATA;
        if (target && !all_drawn(m, sym, out, s.res.draws, first, errs)) {
            code = EXIT_MODEL;
        } else if ((!sym || sym->kind != SYM_OBSERVED) &&
                   put_output(ir, out, s.res.draws, first, target && drawn_discrete(ir, slot),
                              target ? sim->simulated : sim->drawn) != 0) {
            diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
            code = EXIT_MODEL;
        }
        first += slot->len;
    }
    if (code == EXIT_OK && complete_data(m, data, modelled, sim->simulated, sim->data, errs) != 0) code = EXIT_MODEL;
    free(modelled);
    sampled_free(&s);
    return code;
}

void simulation_free(Simulation *sim)
{
    dataset_free(sim->data);
    dataset_free(sim->simulated);
    dataset_free(sim->drawn);
    memset(sim, 0, sizeof *sim);
}
