/*
** transform.c -- the inverse transforms (transform.h).
*/
#include "transform.h"

double tf_inverse(IrOp op, double x, double lo, double hi)
{
    if (!tf_inside(op, x, lo, hi)) return NAN;
    if (op == IR_TF_LOWER) return log(x - lo);
    if (!isfinite(hi - lo)) return log(0.5 * x - 0.5 * lo) - log(0.5 * hi - 0.5 * x);
    double t = (x - lo) / (hi - lo);
    return log(t) - log1p(-t);
}

/* Element i of a data slot. */
static double data_at(const IrModel *m, const IrSlot *s, long i)
{
    const double *base = s->region == REGION_CONST ? m->consts : m->work_init;
    return base[s->off + (s->len > 1 ? i : 0)];
}

TfStatus tf_unconstrain(const IrModel *m, const IrParam *p, long i, double x, double *u)
{
    if (p->tf < 0) {
        *u = x;
        return isfinite(x) ? TF_OK : TF_OUTSIDE;
    }
    const IrInstr *tf = &m->code[p->tf];
    const IrSlot *lo = &m->slots[tf->in[1]], *hi = tf->op == IR_TF_BOUNDS ? &m->slots[tf->in[2]] : NULL;
    if (!lo->is_data || (hi && !hi->is_data)) return TF_BOUNDS_VARY;
    *u = tf_inverse((IrOp)tf->op, x, data_at(m, lo, i), hi ? data_at(m, hi, i) : INFINITY);
    return isnan(*u) ? TF_OUTSIDE : TF_OK;
}
