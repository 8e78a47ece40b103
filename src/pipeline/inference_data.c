/*
** inference_data.c -- a sampled run as ArviZ's InferenceData (see
** inference_data.h).
*/
#include "inference_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ncout.h"
#include "status.h"

/* The variables of one group, and what their NcVars point to (owned). */
typedef struct InferenceVars {
    NcVar *vars;
    char **names;        /* each NcVar.name */
    long **index;        /* each NcVar.index, or NULL */
    double **values;     /* each NcVar.values, or NULL */
    int n, cap;
} InferenceVars;

static void inference_vars_free(InferenceVars *v)
{
    for (int i = 0; i < v->n; i++) {
        free(v->names[i]);
        free(v->index[i]);
        free(v->values[i]);
    }
    free(v->vars);
    free(v->names);
    free(v->index);
    free(v->values);
    memset(v, 0, sizeof *v);
}

/* Room for one more variable in l.  Returns 0, or -1 when out of memory. */
static int grow(InferenceVars *l)
{
    if (l->n < l->cap) return 0;
    int cap = l->cap ? 2 * l->cap : 8;
    NcVar *vars = realloc(l->vars, (size_t)cap * sizeof *vars);
    if (vars) l->vars = vars;
    char **names = vars ? realloc(l->names, (size_t)cap * sizeof *names) : NULL;
    if (names) l->names = names;
    long **index = names ? realloc(l->index, (size_t)cap * sizeof *index) : NULL;
    if (index) l->index = index;
    double **values = index ? realloc(l->values, (size_t)cap * sizeof *values) : NULL;
    if (values) l->values = values;
    if (!values) return -1;
    l->cap = cap;
    return 0;
}

/* Appends elements first .. first+count-1 of a quantity shaped as shape
** and named name: drawn, the first of them Draws variable at; data, of
** the given values (copied).  A run of elements only (shape longer than
** count: a replicate of the elements some '~' draw) carries its places as
** coordinates, and the next run of the same name joins it.  Returns 0, or
** -1 when out of memory. */
static int add_var(InferenceVars *l, const char *name, const IrSlot *shape, long first, long count, int at,
                   const double *values, const IrLabels *labels)
{
    bool run = count < shape->len;
    int last = l->n - 1;
    if (run && last >= 0 && l->index[last] && strcmp(l->names[last], name) == 0) {
        long n = l->vars[last].dims[0];
        long *index = realloc(l->index[last], (size_t)(n + count) * sizeof *index);
        if (index) l->index[last] = index;
        double *v = index && values ? realloc(l->values[last], (size_t)(n + count) * sizeof *v) : NULL;
        if (v) l->values[last] = v;
        if (!index || (values && !v)) return -1;
        for (long i = 0; i < count; i++) index[n + i] = first + i;
        if (values) memcpy(v + n, values, (size_t)count * sizeof *v);
        l->vars[last].index = index;
        l->vars[last].values = v;
        l->vars[last].dims[0] = n + count;
        return 0;
    }
    if (grow(l) != 0) return -1;
    int k = l->n;
    l->names[k] = strdup(name);
    l->index[k] = run ? malloc((size_t)count * sizeof **l->index) : NULL;
    l->values[k] = values ? malloc((size_t)count * sizeof **l->values) : NULL;
    l->n++;   /* what was allocated is freed with the rest */
    if (!l->names[k] || (run && !l->index[k]) || (values && !l->values[k])) return -1;
    for (long i = 0; run && i < count; i++) l->index[k][i] = first + i;
    if (values) memcpy(l->values[k], values, (size_t)count * sizeof **l->values);
    /* a vector sized by a factor: its levels are its coordinates, p[A] */
    NcVar v = {.name = l->names[k], .rank = shape->rank, .dims = {shape->rows, shape->cols}, .first = at,
               .values = l->values[k], .index = l->index[k],
               .labels = labels && shape->rank == 1 && !run ? (const char *const *)labels->labels : NULL};
    if (run) {
        v.rank = 1;
        v.dims[0] = count;
    }
    l->vars[k] = v;
    return 0;
}

/* The shape whose elements o reports, and the first of them. */
static const IrSlot *output_shape(const IrModel *ir, const IrOutput *o, long *first)
{
    *first = o->shape_slot >= 0 ? o->first : 0;
    return &ir->slots[o->shape_slot >= 0 ? o->shape_slot : o->slot];
}

/* The observed values that ir's replicates replicate. */
static int observed_of(const IrModel *ir, InferenceVars *out)
{
    for (int k = 0; k < ir->noutputs; k++) {
        const IrOutput *o = &ir->outputs[k];
        if (o->group != IR_GROUP_PREDICTIVE) continue;
        long first;
        const IrSlot *shape = output_shape(ir, o, &first);
        if (add_var(out, ir->names[o->observed_name], shape, first, ir->slots[o->slot].len, -1,
                    ir_init_value_const(ir, o->observed), NULL) != 0)
            return -1;
    }
    return 0;
}

/* m itself when it draws replicates; else m compiled again to draw them,
** in *owned (NULL when that compile fails: the model observes nothing it
** can replicate). */
static const Model *observed_model(const Model *m, const DataSet *data, const CompileOptions *opt, Model **owned)
{
    *owned = NULL;
    if (ir_has_replicates(m->ir)) return m;
    CompileOptions o = *opt;
    o.predictive = PREDICT_POSTERIOR;
    Source *src = source_from_text(m->src->name, m->src->text, m->src->len);
    Model *pm = src ? model_compile(src, data, &o) : NULL;
    if (pm && model_ok(pm) && pm->ir) return *owned = pm;
    model_free(pm);
    return NULL;
}

/* The observed terms of m (compiled with data and opt): each observed
** quantity's name, shape and values, in the order the model states them,
** as --predict replicates them.  Returns 0 (no variables when the model
** observes nothing, or nothing it can replicate), or -1 when out of
** memory. */
static int inference_observed(const Model *m, const DataSet *data, const CompileOptions *opt, InferenceVars *out)
{
    memset(out, 0, sizeof *out);
    Model *owned;
    const Model *pm = observed_model(m, data, opt, &owned);
    int rc = pm ? observed_of(pm->ir, out) : 0;
    model_free(owned);
    return rc;
}

static bool is_observed(const InferenceVars *observed, const char *name)
{
    for (int i = 0; i < observed->n; i++)
        if (strcmp(observed->vars[i].name, name) == 0) return true;
    return false;
}

/* The points of the log-likelihood, from Draws variable at on, as
** ArviZ's log_likelihood group has them: each observed term's points one
** variable under the term's name, of its values' shape ("y", of dims
** y_dim_0), a run of consecutive elements at a time.  Returns 0, or -1
** when out of memory. */
static int add_points(const IrModel *ir, InferenceVars *out, int at)
{
    for (int a = 0; a < ir->npoints;) {
        const IrPoint *p = &ir->points[a];
        int b = a + 1;
        while (b < ir->npoints && ir->points[b].term == p->term && ir->points[b].shape == p->shape &&
               ir->points[b].elem == p->elem + (b - a))
            b++;
        if (add_var(out, ir->names[p->term], &ir->slots[p->shape], p->elem, b - a, at + a, NULL,
                    ir_find_labels(ir, p->term, 0, ir->slots[p->shape].rows)) != 0)
            return -1;
        a = b;
    }
    return 0;
}

/* The drawn variables of m's run: the posterior's (a prior run's
** parameters and deterministic quantities) in main, the replicates (a
** prior run's draws of the observed names) in predictive, the points of
** the log-likelihood in log_lik.  Returns 0, or -1 when out of memory. */
static int inference_drawn(const Model *m, const InferenceVars *observed, bool prior, InferenceVars *main,
                           InferenceVars *predictive, InferenceVars *log_lik)
{
    memset(main, 0, sizeof *main);
    memset(predictive, 0, sizeof *predictive);
    memset(log_lik, 0, sizeof *log_lik);
    const IrModel *ir = m->ir;
    int at = 0;
    for (int k = 0; k < ir->noutputs; k++) {
        const IrOutput *o = &ir->outputs[k];
        long first, count = ir->slots[o->slot].len;
        if (o->group == IR_GROUP_LOG_LIK) {
            if (add_points(ir, log_lik, at) != 0) return -1;
            at += (int)count;
            continue;
        }
        const IrSlot *shape = output_shape(ir, o, &first);
        bool replicate = o->group == IR_GROUP_PREDICTIVE;
        const char *name = ir->names[replicate ? o->observed_name : o->name];
        /* a prior run draws the observed terms under their own names */
        if (prior && is_observed(observed, name)) replicate = true;
        const IrLabels *labels = ir_find_labels(ir, replicate ? o->observed_name : o->name, 0, shape->rows);
        if (add_var(replicate ? predictive : main, name, shape, first, count, at, NULL, labels) != 0) return -1;
        at += (int)count;
    }
    return 0;
}

int inference_data_write(const char *path, const Model *m, const DataSet *data, const CompileOptions *opt,
                         const Sampled *s, char *err, size_t errlen)
{
    const Draws *d = s->res.draws;
    bool prior = s->info.prior;
    InferenceVars observed, main = {0}, predictive = {0}, log_lik = {0};
    int rc = inference_observed(m, data, opt, &observed);
    if (rc == 0) rc = inference_drawn(m, &observed, prior, &main, &predictive, &log_lik);
    if (rc != 0) {
        snprintf(err, errlen, "cannot write '%s': out of memory", path);
    } else if (ir_output_count(m->ir) != d->nvars) {
        snprintf(err, errlen, "cannot write '%s': the draws do not match the model's quantities", path);
        rc = -1;
    } else {
        NcGroup groups[5];
        int n = 0;
        groups[n++] = (NcGroup){prior ? "prior" : "posterior", d, main.vars, main.n, false, true};
        /* exact draws have no sampler's record */
        if (!s->info.exact) groups[n++] = (NcGroup){"sample_stats", d, NULL, 0, true, false};
        if (log_lik.n) groups[n++] = (NcGroup){"log_likelihood", d, log_lik.vars, log_lik.n, false, false};
        if (predictive.n)
            groups[n++] = (NcGroup){prior ? "prior_predictive" : "posterior_predictive", d, predictive.vars,
                                    predictive.n, false, false};
        if (observed.n) groups[n++] = (NcGroup){"observed_data", NULL, observed.vars, observed.n, false, false};
        NcMeta meta = {BMC_VERSION, &s->info};
        rc = ncout_write(path, groups, n, &meta, err, errlen);
    }
    inference_vars_free(&observed);
    inference_vars_free(&main);
    inference_vars_free(&predictive);
    inference_vars_free(&log_lik);
    return rc;
}
