/*
** improper.c -- parameters with an improper prior that no data inform.
**
** Flat() and HalfFlat() are improper: their density does not integrate,
** and the posterior is proper only if the rest of the model pins the
** parameter down.  NUTS on an improper posterior wanders off and reports
** numbers like 1e+246 after a long run, so the plainest case is refused
** when the model is compiled: a parameter that no likelihood term reaches.
**
** The density's terms are a graph: every instruction the log density
** needs joins the values it reads and writes, element by element where it
** works element by element.  A parameter is informed when its values share
** a part of that graph with an anchor: a likelihood of data (y ~ ... on
** data, whose arguments reach the parameter).  Priors of other parameters
** are not anchors: mu ~ Flat(); theta ~ Normal(mu, 1);
** alone is as improper as mu alone.  This finds no improperness a
** likelihood could hide (two flat parameters that only their sum
** informs); it catches the model that cannot be right.
*/
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "improper.h"

/* Union-find over the work region's values. */
typedef struct Cells {
    int32_t *up;
    uint8_t *mark;     /* live values, then informed roots */
} Cells;

static int32_t root(Cells *c, int32_t x)
{
    while (c->up[x] != x) {
        c->up[x] = c->up[c->up[x]];   /* halving keeps paths short */
        x = c->up[x];
    }
    return x;
}

static void join(Cells *c, int32_t a, int32_t b)
{
    a = root(c, a);
    b = root(c, b);
    if (a != b) c->up[a] = b;
}

static bool in_work(const IrModel *m, int slot)
{
    return slot >= 0 && m->slots[slot].region == REGION_WORK && !m->slots[slot].is_data;
}

/* Whether the instruction works element by element over its n elements. */
static bool elementwise(const IrInstr *in)
{
    return in->op != IR_SUM && in->op != IR_MEAN && in->op != IR_SD && in->op != IR_DOT && in->op != IR_MATVEC &&
           in->op != IR_GATHER && in->op != IR_LOGPDF_SUFF;
}

/* The operand slots of an instruction: its output, then its inputs. */
static int operands(const IrInstr *in, int *ops)
{
    int n = 0;
    if (in->out >= 0) ops[n++] = in->out;
    for (int k = 0; k < IR_MAX_ARGS && in->in[k] >= 0; k++) ops[n++] = in->in[k];
    return n;
}

/* Joins the values an instruction relates. */
static void join_instr(Cells *c, const IrModel *m, const IrInstr *in)
{
    int ops[IR_MAX_ARGS + 1], nops = operands(in, ops);
    int32_t first = -1;
    if (elementwise(in)) {
        for (long i = 0; i < in->n; i++) {
            first = -1;
            for (int k = 0; k < nops; k++) {
                if (!in_work(m, ops[k])) continue;
                const IrSlot *s = &m->slots[ops[k]];
                int32_t cell = (int32_t)(s->off + (s->len > 1 ? i : 0));
                if (first < 0) first = cell; else join(c, first, cell);
            }
        }
        return;
    }
    for (int k = 0; k < nops; k++) {
        if (!in_work(m, ops[k])) continue;
        const IrSlot *s = &m->slots[ops[k]];
        for (long i = 0; i < s->len; i++) {
            int32_t cell = (int32_t)(s->off + i);
            if (first < 0) first = cell; else join(c, first, cell);
        }
    }
}

/* Whether any value the slot holds is marked. */
static bool any_marked(const Cells *c, const IrModel *m, int slot)
{
    if (!in_work(m, slot)) return false;
    const IrSlot *s = &m->slots[slot];
    for (long i = 0; i < s->len; i++)
        if (c->mark[s->off + i]) return true;
    return false;
}

static void mark_slot(Cells *c, const IrModel *m, int slot)
{
    if (in_work(m, slot)) memset(c->mark + m->slots[slot].off, 1, (size_t)m->slots[slot].len);
}

/* The first parameter with an improper prior none of whose values an
** anchor reaches, by its place in m->params; -1 when there is none, -2
** when out of memory.  *elem receives its first such element. */
static int uninformed(const IrModel *m, long *elem)
{
    int improper = 0;
    for (int p = 0; p < m->nparams; p++) improper += dist_at(m->params[p].dist)->improper;
    if (!improper) return -1;
    long n = m->nwork ? m->nwork : 1;
    Cells c = { malloc((size_t)n * sizeof *c.up), calloc((size_t)n, 1) };
    bool *live = calloc(m->ncode ? (size_t)m->ncode : 1, sizeof *live);
    uint8_t *prior = calloc(m->ncode ? (size_t)m->ncode : 1, 1);
    uint8_t *param_slot = calloc(m->nslots ? (size_t)m->nslots : 1, 1);
    int found = -2;
    if (!c.up || !c.mark || !live || !prior || !param_slot) goto done;
    for (long i = 0; i < n; i++) c.up[i] = (int32_t)i;
    /* what the density needs: its terms and what they read, back to front */
    for (int i = m->ncode - 1; i >= 0; i--) {
        const IrInstr *in = &m->code[i];
        live[i] = ir_op_is_logpdf((IrOp)in->op) || (in->out >= 0 && any_marked(&c, m, in->out));
        if (!live[i]) continue;
        for (int k = 0; k < IR_MAX_ARGS && in->in[k] >= 0; k++) mark_slot(&c, m, in->in[k]);
    }
    /* a prior is the term on a parameter's own values */
    for (int p = 0; p < m->nparams; p++) param_slot[m->params[p].slot] = 1;
    for (int i = 0; i < m->ncode; i++) {
        if (!live[i]) continue;
        join_instr(&c, m, &m->code[i]);
        prior[i] = ir_op_is_logpdf((IrOp)m->code[i].op) && param_slot[m->code[i].in[0]];
    }
    /* the marks now say which parts hold an anchor */
    memset(c.mark, 0, (size_t)n);
    for (int i = 0; i < m->ncode; i++) {
        const IrInstr *in = &m->code[i];
        if (!live[i] || !ir_op_is_logpdf((IrOp)in->op) || prior[i]) continue;
        int ops[IR_MAX_ARGS + 1], nops = operands(in, ops);
        for (int k = 0; k < nops; k++)
            if (in_work(m, ops[k]))
                for (long e = 0; e < m->slots[ops[k]].len; e++) c.mark[root(&c, (int32_t)(m->slots[ops[k]].off + e))] = 1;
    }
    found = -1;
    for (int p = 0; p < m->nparams && found < 0; p++) {
        const IrParam *par = &m->params[p];
        if (!dist_at(par->dist)->improper) continue;
        const IrSlot *s = &m->slots[par->slot];
        for (long e = 0; e < s->len; e++)
            if (!c.mark[root(&c, (int32_t)(s->off + e))]) {
                found = p;
                *elem = e;
                break;
            }
    }
done:
    free(c.up);
    free(c.mark);
    free(live);
    free(prior);
    free(param_slot);
    return found;
}

int check_improper_priors(const IrModel *m, const Sema *sema, Diags *diags)
{
    long elem = 0;
    int p = uninformed(m, &elem);
    if (p == -1) return 0;
    if (p == -2) {
        diag_error(diags, DIAG_NO_MEMORY, LOC_NONE, "out of memory while compiling");
        return -1;
    }
    const IrParam *par = &m->params[p];
    const char *name = m->names[par->name];
    const Symbol *sym = sema_find(sema, name);
    char what[256];
    if (m->slots[par->slot].len > 1 || par->elem >= 0)
        ir_param_element_name(m, par, elem, what, sizeof what);
    else
        snprintf(what, sizeof what, "%s", name);
    improper_uninformed(diags, sym ? sym->loc : LOC_NONE, what, name, dist_at(par->dist)->name);
    return -1;
}

void improper_uninformed(Diags *diags, Loc loc, const char *what, const char *name, const char *dist)
{
    Diag *e = diag_error(diags, DIAG_MODEL, loc, "'%s' has an improper prior (%s) and no data inform it: its posterior is improper",
                         what, dist);
    diag_subject(e, name);
    diag_note(e, "give it a proper prior, such as Normal(0, 10), or a likelihood of data that depends on it");
}
