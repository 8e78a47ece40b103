/*
** transform.h -- the maps from a parameter's unconstrained coordinates to
** its support, each written once: the value, the log-Jacobian and the
** derivatives a gradient needs, the inverse, and the test that a value
** lies inside.  The evaluator's transform instructions (IR_TF_LOWER,
** IR_TF_BOUNDS), the support checks of constrained values (`bmc logp`)
** and initial values given by the user (--init) all come through here.
**
**   lower bound   x = lo + exp(u)                     log|dx/du| = u
**   interval      x = lo + (hi - lo) inv_logit(u)     log|dx/du| = log(hi - lo)
**                                                       + log inv_logit(u) + log inv_logit(-u)
*/
#ifndef BMC_TRANSFORM_H
#define BMC_TRANSFORM_H

#include <math.h>
#include <stdbool.h>
#include "dist_math.h"
#include "ir.h"

/* ---- (lo, inf) ---- */

static inline double tf_lower_value(double u, double lo) { return lo + exp(u); }

/* ---- (lo, hi) ---- */

/* Where hi - lo overflows (bounds beyond +-DBL_MAX / 2) the formulas
** below take the two ends' shares apart, so that a finite interval always
** maps to finite values; elsewhere they are the plain ones. */

/* The value, inside the open interval despite rounding; *p receives
** inv_logit(u). */
static inline double tf_bounds_value(double u, double lo, double hi, double *p)
{
    *p = inv_logit(u);
    double w = hi - lo;
    double x = isfinite(w) ? lo + w * *p : lo * inv_logit(-u) + hi * *p;
    if (x <= lo) x = nextafter(lo, hi);
    if (x >= hi) x = nextafter(hi, lo);
    return x;
}

static inline double tf_bounds_log_jacobian(double u, double lo, double hi)
{
    return log_width(lo, hi) + log_inv_logit(u) + log_inv_logit(-u);
}

/* dx/du = (hi - lo) p (1 - p), with 1 - p as inv_logit(-u): near hi,
** 1 - p computed as a difference would keep few of its digits. */
static inline double tf_bounds_dx_du(double u, double lo, double hi)
{
    double p = inv_logit(u), q = inv_logit(-u), w = hi - lo;
    return isfinite(w) ? w * p * q : (0.5 * hi - 0.5 * lo) * (2 * p * q);
}

/* ---- either ---- */

/* Whether constrained value x lies in the support of transform op
** (IR_TF_LOWER: hi is not read). */
static inline bool tf_inside(IrOp op, double x, double lo, double hi)
{
    bool ok = isfinite(x) && x > lo;
    return op == IR_TF_BOUNDS ? ok && x < hi : ok;
}

/* The coordinate u of constrained value x; NAN when x is outside. */
double tf_inverse(IrOp op, double x, double lo, double hi);

typedef enum {
    TF_OK,
    TF_OUTSIDE,          /* the value lies outside the parameter's support */
    TF_BOUNDS_VARY       /* the support's bounds depend on other parameters */
} TfStatus;

/* The unconstrained coordinate of value x for element i of parameter p
** of m, into *u. */
TfStatus tf_unconstrain(const IrModel *m, const IrParam *p, long i, double x, double *u);

#endif
