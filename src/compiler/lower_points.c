/*
** lower_points.c -- the pointwise log-likelihood (--log-lik): the log
** density of every observed element at each kept draw, for PSIS-LOO and
** WAIC.
**
** Each likelihood term is recorded as it is lowered, element by element as
** written, before any pass could turn it into sufficient statistics or
** split off its data part: IR_LOGPDF_POINTS computes the family's full
** normalised density of each element (DistInfo.logpdf), in the per-draw
** part of the code, never at a gradient.  At the end the terms are put in
** the order of the file and their points laid out one after another in
** the one output log_lik.
*/
#include <stdlib.h>
#include <string.h>
#include "lower_state.h"

/* The name the points are reported under (ArviZ's and Stan's). */
#define POINTS_NAME "log_lik"

/* The slot whose shape names the n points of x: the whole of sym's values
** when x is a part of them ("y[3]", a matrix row's "y[2,1]"), else x's,
** else an argument's when a scalar x is observed n times. */
static int naming_slot(Lower *L, const IrInstr *ins, int x, const Symbol *sym, long *first)
{
    const SymState *ss = state_of(L, sym);
    const IrSlot xs = *slot(L, x);
    *first = 0;
    if (ss->slot >= 0 && ss->slot != x) {
        const IrSlot ws = *slot(L, ss->slot);
        if (ws.region == xs.region && xs.off >= ws.off && xs.off + xs.len <= ws.off + ws.len) {
            *first = xs.off - ws.off;
            return ss->slot;
        }
    }
    if (xs.len == ins->n) return x;
    for (int k = 1; k < IR_MAX_ARGS && ins->in[k] >= 0; k++)
        if (slot(L, ins->in[k])->len == ins->n) return ins->in[k];
    return x;
}

void lower_add_points(Lower *L, const IrInstr *ins, int x, const Symbol *sym, Loc loc)
{
    if (!L->log_lik || L->oom) return;
    if (L->npoints == L->cap_points) {
        int cap = L->cap_points ? L->cap_points * 2 : 16;
        PendingPoints *p = realloc(L->points, (size_t)cap * sizeof *p);
        if (!p) { lower_oom(L, loc); return; }
        L->points = p;
        L->cap_points = cap;
    }
    PendingPoints *p = &L->points[L->npoints];
    p->ins = *ins;
    p->ins.op = IR_LOGPDF_POINTS;
    p->term = state_of(L, sym)->name;
    p->shape = naming_slot(L, ins, x, sym, &p->first);
    p->loc = loc;
    p->seq = L->npoints++;
}

static int by_place(const void *a, const void *b)
{
    const PendingPoints *x = a, *y = b;
    if (x->loc.first_line != y->loc.first_line) return x->loc.first_line - y->loc.first_line;
    if (x->loc.first_column != y->loc.first_column) return x->loc.first_column - y->loc.first_column;
    return x->seq - y->seq;
}

int lower_emit_points(Lower *L)
{
    if (!L->log_lik || L->npoints == 0) return 0;
    const Symbol *taken = sema_find(L->sema, POINTS_NAME);
    if (taken) {
        Diag *e = diag_error(L->diags, DIAG_MODEL, taken->loc,
                             "'%s' is the name --log-lik reports the pointwise log-likelihood under", POINTS_NAME);
        diag_subject(e, POINTS_NAME);
        diag_note(e, "rename the model's '%s'", POINTS_NAME);
        return -1;
    }
    qsort(L->points, (size_t)L->npoints, sizeof *L->points, by_place);
    IrModel *m = L->m;
    long total = 0;
    for (int i = 0; i < L->npoints; i++) total += L->points[i].ins.n;
    int name = ir_add_name(m, POINTS_NAME);
    int all = name < 0 ? -1 : ir_add_slot(m, REGION_WORK, 1, total, 1, name);
    if (all < 0) { lower_oom(L, L->points[0].loc); return -1; }
    long at = 0;
    for (int i = 0; i < L->npoints; i++) {
        PendingPoints *p = &L->points[i];
        long n = p->ins.n;
        p->ins.out = ir_add_alias(m, all, at, 1, n, 1, -1);
        if (p->ins.out < 0 || ir_add_instr(m, &p->ins) < 0) { lower_oom(L, p->loc); return -1; }
        for (long e = 0; e < n; e++) {
            IrPoint pt = { .term = p->term, .shape = p->shape, .elem = p->first + e, .line = p->loc.first_line };
            if (ir_add_point(m, &pt) < 0) { lower_oom(L, p->loc); return -1; }
        }
        at += n;
    }
    IrOutput o = { .name = name, .slot = all, .group = IR_GROUP_LOG_LIK, .observed = -1, .observed_name = -1,
                   .shape_slot = -1 };
    if (ir_add_output(m, &o) < 0) { lower_oom(L, L->points[0].loc); return -1; }
    return 0;
}
