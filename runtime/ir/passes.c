/*
** passes.c -- the optimisation passes over a lowered model (passes.h).
**
** A lowered model computes its log density as written: every likelihood
** through its family's kernel element by element, every quantity at every
** gradient.  Each pass finds a pattern in the instruction list and
** rewrites it into a cheaper equivalent; switching any of them off leaves
** a model that computes the same values (tests/unit/test_passes.c checks
** this on every model bmc ships).
*/
#include "passes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"

/* ---- p = inv_logit(t) as logit_p = t ---- */

/* Which instruction last writes each slot, -1 for none (malloc'ed); the
** points of --log-lik, which write only their own output, are left out. */
static int *last_writers(const IrModel *m)
{
    int *writer = malloc((m->nslots ? (size_t)m->nslots : 1) * sizeof *writer);
    if (!writer) return NULL;
    for (int s = 0; s < m->nslots; s++) writer[s] = -1;
    for (int j = 0; j < m->ncode; j++)
        if (m->code[j].op != IR_LOGPDF_POINTS && m->code[j].out >= 0) writer[m->code[j].out] = j;
    return writer;
}

static int fuse_logit(IrModel *m)
{
    /* how many instructions and reports read each slot, and which
    ** instruction last writes it: one sweep each, not one per likelihood */
    int *readers = calloc(m->nslots ? (size_t)m->nslots : 1, sizeof *readers);
    int *writer = last_writers(m);
    if (!readers || !writer) {
        free(readers);
        free(writer);
        return -1;
    }
    for (int j = 0; j < m->ncode; j++) {
        /* the points of --log-lik read p once per draw, where inv_logit is
        ** then computed: the density's term may still read t */
        if (m->code[j].op == IR_LOGPDF_POINTS) continue;
        for (int k = 0; k < IR_MAX_ARGS && m->code[j].in[k] >= 0; k++) readers[m->code[j].in[k]]++;
    }
    for (int o = 0; o < m->noutputs; o++) readers[m->outputs[o].slot]++;
    for (int i = 0; i < m->ncode; i++) {
        IrInstr *ins = &m->code[i];
        if (ins->op != IR_LOGPDF) continue;
        const DistInfo *d = dist_at(ins->aux), *v = d->logit_form;
        if (!v || v->nargs != d->nargs) continue;
        for (int k = 0; k < d->nargs; k++) {
            if (strcmp(v->arg_names[k], "logit_p") != 0) continue;
            int p = ins->in[k + 1], w = p >= 0 ? writer[p] : -1;
            /* an unnamed value read by this term alone: a named p is
            ** reported, and stays as it is */
            if (w < 0 || w > i || m->slots[p].name >= 0 || readers[p] != 1) break;
            if (m->code[w].op != IR_MATH || m->code[w].aux != FN_INV_LOGIT) break;
            ins->in[k + 1] = m->code[w].in[0];
            ins->aux = (uint16_t)dist_index(v);
            break;   /* inv_logit is left to the dead-code part of IR_PASS_DETERMINISTIC */
        }
    }
    free(readers);
    free(writer);
    return 0;
}

/* ---- sufficient statistics ---- */

/* The value of a data slot, scalar. */
static double scalar_value(IrModel *m, int s) { return *ir_init_value(m, s); }

static int sufficient_statistics(IrModel *m)
{
    for (int i = 0; i < m->ncode; i++) {
        IrInstr *ins = &m->code[i];
        if (ins->op != IR_LOGPDF) continue;
        const DistInfo *d = dist_at(ins->aux);
        int x = ins->in[0];
        if (!d->suff_logpdf || !m->slots[x].is_data || m->slots[x].len < 2) continue;
        double arg[DIST_MAX_ARGS];
        bool scalar = true;
        for (int k = 0; k < d->nargs; k++) {
            const IrSlot *a = &m->slots[ins->in[k + 1]];
            scalar = scalar && a->len == 1;
            arg[k] = a->is_data ? scalar_value(m, ins->in[k + 1]) : NAN;
        }
        if (!scalar) continue;
        int s = ir_add_slot(m, REGION_CONST, 1, d->nstats, 1, -1);
        if (s < 0) return -1;
        ins = &m->code[i];
        d->suff_stats(ir_init_value(m, x), m->slots[x].len, arg, ir_init_value(m, s));
        ins->op = IR_LOGPDF_SUFF;
        ins->in[0] = s;
        ins->n = 1;
    }
    return 0;
}

/* ---- rows grouped by a data index ---- */

/* One observed value of a term to group: its key (the index, then the
** data arguments) and which value it is. */
typedef struct GroupRow {
    double key[1 + DIST_MAX_ARGS];
    long at;
} GroupRow;

static int compare_keys(const GroupRow *a, const GroupRow *b)
{
    for (int k = 0; k < 1 + DIST_MAX_ARGS; k++)
        if (a->key[k] != b->key[k]) return a->key[k] < b->key[k] ? -1 : 1;
    return 0;
}

/* By key, then by place: qsort is not stable, and the statistics of a
** group should not depend on how it sorted. */
static int compare_rows(const void *pa, const void *pb)
{
    const GroupRow *a = pa, *b = pb;
    int c = compare_keys(a, b);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* Whether an instruction of code(from .. to) writes any element of s. */
static bool written_between(const IrModel *m, int from, int to, const IrSlot *s)
{
    for (int j = from + 1; j < to; j++) {
        const IrInstr *in = &m->code[j];
        if (in->out < 0) continue;
        const IrSlot *o = &m->slots[in->out];
        if (o->region == s->region && o->off < s->off + s->len && s->off < o->off + o->len) return true;
    }
    return false;
}

/* The table of IR_LOGPDF_GROUPED (ir.h) for the term ins over data values,
** its rows grouped by the data index idx into vectors of nvec elements,
** into *table (malloc'ed, *ngroups rows); *table is NULL when grouping
** would not shorten the term or an index is out of range.  Returns 0, or
** -1 when out of memory. */
static int group_table(IrModel *m, const IrInstr *ins, int idx, long nvec, double **table, long *ngroups)
{
    const DistInfo *d = dist_at(ins->aux);
    long n = ins->n, width = 1 + d->nargs + d->nstats;
    const double *x = ir_init_value(m, ins->in[0]), *g = ir_init_value(m, idx);
    long xstride = m->slots[ins->in[0]].len > 1;
    *table = NULL;
    *ngroups = 0;
    /* the C library's qsort: GSL sorts numbers, not rows by a key */
    GroupRow *rows = malloc((size_t)n * sizeof *rows);
    double *values = malloc((size_t)n * sizeof *values);
    if (!rows || !values) goto fail;
    for (long e = 0; e < n; e++) {
        if (!(g[e] >= 1 && g[e] <= (double)nvec)) goto leave;   /* a gather past its vector: left as it is */
        GroupRow *r = &rows[e];
        r->key[0] = g[e];
        for (int k = 0; k < DIST_MAX_ARGS; k++) {
            const IrSlot *a = k < d->nargs ? &m->slots[ins->in[k + 1]] : NULL;
            r->key[1 + k] = a && a->is_data ? ir_init_value(m, ins->in[k + 1])[a->len > 1 ? e : 0] : 0;
        }
        r->at = e * xstride;
    }
    qsort(rows, (size_t)n, sizeof *rows, compare_rows);
    long groups = 0;
    for (long e = 0; e < n; e++) groups += e == 0 || compare_keys(&rows[e - 1], &rows[e]) != 0;
    if (groups >= n) goto leave;
    double *t = malloc((size_t)(groups * width) * sizeof *t);
    if (!t) goto fail;
    for (long first = 0, r = 0; first < n; r++) {
        long end = first + 1;
        while (end < n && compare_keys(&rows[first], &rows[end]) == 0) end++;
        double *row = t + r * width, arg[DIST_MAX_ARGS];
        row[0] = rows[first].key[0];
        for (int k = 0; k < d->nargs; k++) {
            arg[k] = m->slots[ins->in[k + 1]].is_data ? rows[first].key[1 + k] : NAN;
            row[1 + k] = arg[k];
        }
        for (long e = first; e < end; e++) values[e - first] = x[rows[e].at];
        d->suff_stats(values, end - first, arg, row + 1 + d->nargs);
        first = end;
    }
    *table = t;
    *ngroups = groups;
leave:
    free(rows);
    free(values);
    return 0;
fail:
    free(rows);
    free(values);
    return -1;
}

/* Term i as IR_LOGPDF_GROUPED when it qualifies: values that are data,
** every argument data, a scalar, or a gather by one data index of a
** vector the density computes.  Returns 0 (rewritten or not), -1 when out
** of memory. */
static int group_term(IrModel *m, int i, const int *writer)
{
    const IrInstr *ins = &m->code[i];
    const DistInfo *d = dist_at(ins->aux);
    const IrSlot *xs = &m->slots[ins->in[0]];
    long n = ins->n;
    if (!d->suff_logpdf || d->nargs + 2 > IR_MAX_ARGS || !xs->is_data || n < 2 || (xs->len != 1 && xs->len != n))
        return 0;
    int idx = -1, source[DIST_MAX_ARGS];
    long nvec = 0;
    for (int k = 0; k < d->nargs; k++) {
        int s = ins->in[k + 1];
        const IrSlot *a = &m->slots[s];
        source[k] = s;
        if (a->len == 1) continue;
        if (a->len != n) return 0;
        if (a->is_data) continue;
        int w = writer[s];
        if (w < 0 || w > i || m->code[w].op != IR_GATHER) return 0;
        int by = m->code[w].in[1], from = m->code[w].in[0];
        const IrSlot *v = &m->slots[from];
        if ((idx >= 0 && by != idx) || !m->slots[by].is_data || v->is_data || (nvec && v->len != nvec)) return 0;
        if (written_between(m, w, i, v) || written_between(m, w, i, a)) return 0;
        idx = by;
        nvec = v->len;
        source[k] = from;
    }
    if (idx < 0) return 0;
    double *table;
    long groups;
    if (group_table(m, ins, idx, nvec, &table, &groups) != 0) return -1;
    if (!table) return 0;
    int s = ir_add_slot(m, REGION_CONST, 2, groups, 1 + d->nargs + d->nstats, -1);
    if (s < 0) {
        free(table);
        return -1;
    }
    memcpy(ir_init_value(m, s), table, (size_t)m->slots[s].len * sizeof *table);
    free(table);
    IrInstr *out = &m->code[i];
    out->op = IR_LOGPDF_GROUPED;
    out->in[0] = s;
    for (int k = 0; k < d->nargs; k++) out->in[k + 1] = source[k];
    out->in[d->nargs + 1] = idx;
    out->n = groups;
    return 0;   /* the gathers are left to the dead-code part of IR_PASS_DETERMINISTIC */
}

int ir_costliest_term(const IrModel *m, long min_n, IrCostReason *why)
{
    int best = -1;
    for (int i = 0; i < m->ndensity; i++) {
        IrOp op = (IrOp)m->code[i].op;
        bool per_element = op == IR_LOGPDF || op == IR_LOGPDF_REST || op == IR_LOGPDF_LOGODDS;
        if (per_element && m->code[i].n >= min_n && (best < 0 || m->code[i].n > m->code[best].n)) best = i;
    }
    if (best >= 0)
        *why = !(m->passes & IR_PASS_SUFFICIENT) || !(m->passes & IR_PASS_GROUPED) ? IR_COST_PASSES_OFF
             : !m->slots[m->code[best].in[0]].is_data ? IR_COST_PARAMETERS
             : dist_at(m->code[best].aux)->suff_logpdf ? IR_COST_COMPUTED : IR_COST_NO_STATISTICS;
    return best;
}

static int group_by_index(IrModel *m)
{
    int *writer = last_writers(m);
    if (!writer) return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < m->ncode; i++)
        if (m->code[i].op == IR_LOGPDF) rc = group_term(m, i, writer);
    free(writer);
    return rc;
}

/* ---- the data part of normalising constants ---- */

static void split_data_part(IrModel *m)
{
    for (int i = 0; i < m->ncode; i++) {
        IrInstr *ins = &m->code[i];
        if (ins->op != IR_LOGPDF) continue;
        const DistInfo *d = dist_at(ins->aux);
        int x = ins->in[0];
        if (!d->data_part || !m->slots[x].is_data) continue;
        bool counts_data = true;
        for (int k = 0; k < d->nargs; k++)
            if (d->arg_constraint[k] == ARG_COUNT) counts_data = counts_data && m->slots[ins->in[k + 1]].is_data;
        if (!counts_data) continue;
        const IrSlot *xs = &m->slots[x];
        const double *xv = ir_init_value(m, x);
        double arg[DIST_MAX_ARGS] = {0}, sum = 0;
        for (long e = 0; e < ins->n; e++) {
            for (int k = 0; k < d->nargs; k++) {
                const IrSlot *a = &m->slots[ins->in[k + 1]];
                arg[k] = d->arg_constraint[k] == ARG_COUNT ? ir_init_value(m, ins->in[k + 1])[a->len > 1 ? e : 0] : NAN;
            }
            sum += d->data_part(xv[xs->len > 1 ? e : 0], arg);
        }
        m->lp_const += sum;
        ins->op = IR_LOGPDF_REST;
    }
}

/* ---- the density first, then what only reports need ---- */

static void mark_range(uint8_t *need, const IrSlot *s)
{
    if (s->region == REGION_WORK) memset(need + s->off, 1, (size_t)s->len);
}

static bool any_marked(const uint8_t *need, const IrSlot *s)
{
    if (s->region != REGION_WORK) return false;
    for (long i = 0; i < s->len; i++)
        if (need[s->off + i]) return true;
    return false;
}

enum { DEAD, PER_DRAW, DENSITY };

/* Moves the instructions the density does not need after the ones it
** does, keeping the order within each part, and drops those no reported
** quantity needs either. */
static int split_deterministic(IrModel *m)
{
    size_t nw = m->nwork ? (size_t)m->nwork : 1, nc = m->ncode ? (size_t)m->ncode : 1;
    uint8_t *density = calloc(nw, 1), *reported = calloc(nw, 1), *part = calloc(nc, 1);
    int *where = malloc(nc * sizeof *where);
    IrInstr *code = malloc(nc * sizeof *code);
    if (!density || !reported || !part || !where || !code) {
        free(density); free(reported); free(part); free(where); free(code);
        return -1;
    }
    for (int o = 0; o < m->noutputs; o++) mark_range(reported, &m->slots[m->outputs[o].slot]);
    for (int i = m->ncode - 1; i >= 0; i--) {
        const IrInstr *in = &m->code[i];
        if (ir_op_is_logpdf((IrOp)in->op) || in->op == IR_TF_LOWER || in->op == IR_TF_BOUNDS ||
            any_marked(density, &m->slots[in->out])) {
            part[i] = DENSITY;
            for (int j = 0; j < IR_MAX_ARGS && in->in[j] >= 0; j++) mark_range(density, &m->slots[in->in[j]]);
        } else if (any_marked(reported, &m->slots[in->out])) {
            part[i] = PER_DRAW;
            for (int j = 0; j < IR_MAX_ARGS && in->in[j] >= 0; j++) mark_range(reported, &m->slots[in->in[j]]);
        }
    }
    int n = 0, ndensity = 0;
    for (int want = DENSITY; want >= PER_DRAW; want--)
        for (int i = 0; i < m->ncode; i++)
            if (part[i] == want) { where[i] = n; code[n++] = m->code[i]; ndensity += want == DENSITY; }
    if (n > 0) memcpy(m->code, code, (size_t)n * sizeof *code);
    m->ncode = n;
    m->ndensity = ndensity;
    for (int p = 0; p < m->nparams; p++)
        if (m->params[p].tf >= 0) m->params[p].tf = where[m->params[p].tf];
    free(density); free(reported); free(part); free(where); free(code);
    return 0;
}

int ir_optimise(IrModel *m, unsigned mask)
{
    if (mask & IR_PASS_LOGIT) {
        if (fuse_logit(m) != 0) return -1;
        m->passes |= IR_PASS_LOGIT;
    }
    if (mask & IR_PASS_SUFFICIENT) {
        if (sufficient_statistics(m) != 0) return -1;
        m->passes |= IR_PASS_SUFFICIENT;
    }
    if (mask & IR_PASS_GROUPED) {
        if (group_by_index(m) != 0) return -1;
        m->passes |= IR_PASS_GROUPED;
    }
    if (mask & IR_PASS_DATA_PART) {
        split_data_part(m);
        m->passes |= IR_PASS_DATA_PART;
    }
    if (mask & IR_PASS_DETERMINISTIC) {
        if (split_deterministic(m) != 0) return -1;
        m->passes |= IR_PASS_DETERMINISTIC;
    }
    return 0;
}

void ir_pass_names(unsigned mask, char *buf, size_t size)
{
    /* in the order they run */
    static const struct { unsigned pass; const char *name; } names[] = {
        { IR_PASS_LOGIT, "logit_p" }, { IR_PASS_SUFFICIENT, "sufficient" }, { IR_PASS_GROUPED, "grouped" },
        { IR_PASS_DATA_PART, "data-part" }, { IR_PASS_DETERMINISTIC, "deterministic" },
    };
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < sizeof names / sizeof names[0] && n < size; k++)
        if (mask & names[k].pass) n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", names[k].name);
    if (n == 0) snprintf(buf, size, "none");
}
