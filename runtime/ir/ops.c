/*
** ops.c -- the kernels of the IR's instructions.
**
** Elementwise instructions broadcast: an input of one element is reused
** for every output element (its stride is 0), so `x * 2` and `mu + z`
** need no copies.  Backward kernels accumulate: an input used twice sums
** both contributions.
*/
#include "ops.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include "dist.h"
#include "dist_math.h"
#include "matvec.h"
#include "transform.h"

static inline long stride(const OpArgs *a, int k) { return a->len[k] > 1; }

/* ---- unary functions ---- */


/* lgamma through GSL; its error handler is off in bmc, so a pole gives
** +inf via the returned status instead of aborting. */
static double lgamma_gsl(double x)
{
    gsl_sf_result r;
    if (gsl_sf_lngamma_e(x, &r) != 0) return INFINITY;
    return r.val;
}

double ops_unary(IrUnary f, double x)
{
    switch (f) {
    case FN_EXP: return exp(x);
    case FN_LOG: return log(x);
    case FN_LOG1P: return log1p(x);
    case FN_EXPM1: return expm1(x);
    case FN_SQRT: return sqrt(x);
    case FN_ABS: return fabs(x);
    case FN_LOGIT: return log(x) - log1p(-x);
    case FN_INV_LOGIT: return inv_logit(x);
    case FN_LGAMMA: return lgamma_gsl(x);
    case FN_SQUARE: return x * x;
    case FN_SIN: return sin(x);
    case FN_COS: return cos(x);
    case FN_TANH: return tanh(x);
    case FN_PHI: return gsl_cdf_ugaussian_P(x);
    case FN_LOG_INV_LOGIT: return log_inv_logit(x);
    case FN_NFUNCS: break;
    }
    return NAN;
}

double ops_unary_deriv(IrUnary f, double x, double y)
{
    switch (f) {
    case FN_EXP: return y;
    case FN_LOG: return 1 / x;
    case FN_LOG1P: return 1 / (1 + x);
    case FN_EXPM1: return y + 1;
    case FN_SQRT: return 0.5 / y;
    case FN_ABS: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case FN_LOGIT: return 1 / (x * (1 - x));
    case FN_INV_LOGIT: return y * (1 - y);
    case FN_LGAMMA: return gsl_sf_psi(x);
    case FN_SQUARE: return 2 * x;
    case FN_SIN: return cos(x);
    case FN_COS: return -sin(x);
    case FN_TANH: return 1 - y * y;
    case FN_PHI: return gsl_ran_ugaussian_pdf(x);
    case FN_LOG_INV_LOGIT: return 1 - inv_logit(x);
    case FN_NFUNCS: break;
    }
    return NAN;
}

/* ---- binary elementwise ---- */

static double binary(IrOp op, double a, double b)
{
    switch (op) {
    case IR_ADD: return a + b;
    case IR_SUB: return a - b;
    case IR_MUL: return a * b;
    case IR_DIV: return a / b;
    case IR_POW: return pow(a, b);
    case IR_MIN: return a <= b ? a : b;
    case IR_MAX: return a >= b ? a : b;
    case IR_LT: return a < b;
    case IR_LE: return a <= b;
    case IR_GT: return a > b;
    case IR_GE: return a >= b;
    case IR_EQ: return a == b;
    case IR_NE: return a != b;
    case IR_AND: return a != 0 && b != 0;
    case IR_OR: return a != 0 || b != 0;
    default: return NAN;
    }
}

/* Partial derivatives of a binary op at (a, b) with value y. */
static void binary_deriv(IrOp op, double a, double b, double y, double *da, double *db)
{
    switch (op) {
    case IR_ADD: *da = 1; *db = 1; return;
    case IR_SUB: *da = 1; *db = -1; return;
    case IR_MUL: *da = b; *db = a; return;
    case IR_DIV: *da = 1 / b; *db = -y / b; return;
    case IR_POW:
        *da = b == 0 ? 0 : b * pow(a, b - 1);
        *db = a > 0 ? y * log(a) : 0;   /* a^b with a <= 0 is constant in b where defined */
        return;
    case IR_MIN: *da = a <= b; *db = a > b; return;
    case IR_MAX: *da = a >= b; *db = a < b; return;
    default: *da = 0; *db = 0; return;   /* comparisons and logic are flat */
    }
}

/* ---- log density ---- */

/* IR_LOGPDF_LOGODDS: where the log-odds of a (0, 1) value are at least
** this large, the value is within 3.4e-4 of 0 or 1 and the density of the
** rounded value would lose digits, so it comes from the log-odds.  Below
** it the two agree to about 1e-12. */
#define LOGODDS_EDGE 8.0

/* The log density of ins summed; with each (IR_LOGPDF_POINTS), also each
** element's own into each[i], which the caller set to -INFINITY first:
** the elements past one outside the support are left so. */
static double logpdf(const IrInstr *ins, const OpArgs *a, bool grad, double *each)
{
    const DistInfo *d = dist_at(ins->aux);
    int na = d->nargs;
    /* IR_LOGPDF_LOGODDS: the value's log-odds and their adjoints */
    bool logodds = ins->op == IR_LOGPDF_LOGODDS;
    const double *t = logodds ? a->in[na + 1] : NULL;
    double *t_adj = logodds ? a->in_adj[na + 1] : NULL;
    long st = logodds ? stride(a, na + 1) : 0;
    double lp = 0, arg[DIST_MAX_ARGS], der[DIST_MAX_ARGS + 1];
    long s[IR_MAX_ARGS];
    bool check[DIST_MAX_ARGS];
    for (int k = 0; k <= na; k++) s[k] = stride(a, k);
    /* Arguments that are data were checked when compiling; parameters are
    ** checked here, as is the value when the support moves with them. */
    for (int k = 0; k < na; k++) check[k] = a->in_adj[k + 1] != NULL;
    double (*kernel)(double, const double *, double *, unsigned) =
        ins->op == IR_LOGPDF_REST ? d->logpdf_rest : d->logpdf;
    unsigned want = 0;   /* the partials a gradient needs: data inputs need none */
    for (int k = 0; k <= na; k++)
        if (a->in_adj[k]) want |= DIST_WANT(k);
    /* Only Uniform's support moves with parameters: a bounded count's
    ** bound is data, checked when compiling. */
    bool check_x = a->in_adj[0] == NULL && d->support == SUPPORT_INTERVAL && (check[0] || check[1]);
    /* A scalar parameter shared by every element is checked once. */
    for (int k = 0; k < na; k++)
        if (check[k] && s[k + 1] == 0 && ins->n > 0) {
            if (!dist_arg_valid(d, k, a->in[k + 1][0])) return -INFINITY;
            check[k] = false;
        }
    for (long i = 0; i < ins->n; i++) {
        double x = a->in[0][i * s[0]];
        for (int k = 0; k < na; k++) {
            arg[k] = a->in[k + 1][i * s[k + 1]];
            if (check[k] && !dist_arg_valid(d, k, arg[k])) return -INFINITY;
        }
        if (check_x && !(arg[0] < arg[1])) return -INFINITY;
        if (check_x && !dist_in_support(d, x, arg)) return -INFINITY;
        if (logodds && fabs(t[i * st]) >= LOGODDS_EDGE) {
            unsigned want_t = (want & ~DIST_WANT(0)) | (t_adj ? DIST_WANT(0) : 0);
            double v = d->logpdf_logodds(t[i * st], arg, grad ? der : NULL, want_t);
            lp += v;
            if (each) each[i] = v;
            if (!grad) continue;
            if (t_adj) t_adj[i * st] += der[0];
            for (int k = 1; k <= na; k++)
                if (a->in_adj[k]) a->in_adj[k][i * s[k]] += der[k];
            continue;
        }
        double v = kernel(x, arg, grad ? der : NULL, want);
        lp += v;
        if (each) each[i] = v;
        if (!grad) continue;
        for (int k = 0; k <= na; k++)
            if (a->in_adj[k]) a->in_adj[k][i * s[k]] += der[k];
    }
    return lp;
}

/* The same through sufficient statistics: one call for all the values,
** whose arguments are scalars. */
static double logpdf_suff(const IrInstr *ins, const OpArgs *a, bool grad)
{
    const DistInfo *d = dist_at(ins->aux);
    double arg[DIST_MAX_ARGS], der[DIST_MAX_ARGS];
    for (int k = 0; k < d->nargs; k++) {
        arg[k] = a->in[k + 1][0];
        if (a->in_adj[k + 1] && !dist_arg_valid(d, k, arg[k])) return -INFINITY;
    }
    double lp = d->suff_logpdf(a->in[0], arg, grad ? der : NULL);
    if (grad)
        for (int k = 0; k < d->nargs; k++)
            if (a->in_adj[k + 1]) a->in_adj[k + 1][0] += der[k];
    return lp;
}

/* The same for rows gathered by a data index (IR_LOGPDF_GROUPED): one
** call per group, its arguments a data argument's value from the table, a
** vector's element at the group's index, or a scalar. */
static double logpdf_grouped(const IrInstr *ins, const OpArgs *a, bool grad)
{
    const DistInfo *d = dist_at(ins->aux);
    int na = d->nargs;
    long width = 1 + na + d->nstats;
    double lp = 0, arg[DIST_MAX_ARGS], der[DIST_MAX_ARGS];
    for (long r = 0; r < ins->n; r++) {
        const double *row = a->in[0] + r * width;
        long g = (long)row[0] - 1;
        for (int k = 0; k < na; k++) {
            if (!a->in_adj[k + 1]) {   /* data: known per group */
                arg[k] = row[1 + k];
                continue;
            }
            arg[k] = a->in[k + 1][g * stride(a, k + 1)];
            if (!dist_arg_valid(d, k, arg[k])) return -INFINITY;
        }
        lp += d->suff_logpdf(row + 1 + na, arg, grad ? der : NULL);
        if (grad)
            for (int k = 0; k < na; k++)
                if (a->in_adj[k + 1]) a->in_adj[k + 1][g * stride(a, k + 1)] += der[k];
    }
    return lp;
}

/* ---- transforms ---- */

/* The transforms of transform.h, over n elements; each returns its
** log-Jacobian and, with grad, adds its derivative in u now. */
static double tf_lower(const IrInstr *ins, const OpArgs *a, bool grad)
{
    long s1 = stride(a, 1);
    double lj = 0;
    for (long i = 0; i < ins->n; i++) {
        double u = a->in[0][i];
        a->out[i] = tf_lower_value(u, a->in[1][i * s1]);
        lj += u;
        if (grad) a->in_adj[0][i] += 1;
    }
    return lj;
}

static double tf_bounds(const IrInstr *ins, const OpArgs *a, bool grad)
{
    long s1 = stride(a, 1), s2 = stride(a, 2);
    double lj = 0;
    for (long i = 0; i < ins->n; i++) {
        double u = a->in[0][i], lo = a->in[1][i * s1], hi = a->in[2][i * s2];
        if (!(hi > lo)) return -INFINITY;
        double p, w = hi - lo;
        a->out[i] = tf_bounds_value(u, lo, hi, &p);
        lj += tf_bounds_log_jacobian(u, lo, hi);
        if (!grad) continue;
        a->in_adj[0][i] += 1 - 2 * p;
        if (a->in_adj[1]) a->in_adj[1][i * s1] -= 1 / w;
        if (a->in_adj[2]) a->in_adj[2][i * s2] += 1 / w;
    }
    return lj;
}

/* ---- draws ---- */

void ops_draw(const IrInstr *ins, const OpArgs *a, const gsl_rng *r)
{
    const DistInfo *d = dist_at(ins->aux);
    long s[DIST_MAX_ARGS];
    for (int k = 0; k < d->nargs; k++) s[k] = stride(a, k);
    for (long i = 0; i < ins->n; i++) {
        double arg[DIST_MAX_ARGS];
        bool valid = r != NULL && d->random != NULL;
        for (int k = 0; k < d->nargs; k++) {
            arg[k] = a->in[k][i * s[k]];
            valid = valid && dist_arg_valid(d, k, arg[k]);
        }
        /* arguments a draw's parameters put out of bounds give no value */
        if (valid && d->support == SUPPORT_INTERVAL) valid = arg[0] < arg[1];
        a->out[i] = valid ? d->random(r, arg) : NAN;
    }
}

/* ---- forward ---- */

double ops_forward(const IrInstr *ins, const OpArgs *a, bool grad)
{
    IrOp op = (IrOp)ins->op;
    long n = ins->n;
    switch (op) {
    case IR_ADD: case IR_SUB: case IR_MUL: case IR_DIV: case IR_POW: case IR_MIN: case IR_MAX:
    case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_EQ: case IR_NE: case IR_AND: case IR_OR: {
        long s0 = stride(a, 0), s1 = stride(a, 1);
        const double *x = a->in[0], *y = a->in[1];
        if (op == IR_ADD && s0 && s1) { for (long i = 0; i < n; i++) a->out[i] = x[i] + y[i]; return 0; }
        if (op == IR_MUL && s0 && s1) { for (long i = 0; i < n; i++) a->out[i] = x[i] * y[i]; return 0; }
        for (long i = 0; i < n; i++) a->out[i] = binary(op, x[i * s0], y[i * s1]);
        return 0;
    }
    case IR_COPY: {
        long s0 = stride(a, 0);
        for (long i = 0; i < n; i++) a->out[i] = a->in[0][i * s0];
        return 0;
    }
    case IR_NEG: {
        long s0 = stride(a, 0);
        for (long i = 0; i < n; i++) a->out[i] = -a->in[0][i * s0];
        return 0;
    }
    case IR_NOT: {
        long s0 = stride(a, 0);
        for (long i = 0; i < n; i++) a->out[i] = a->in[0][i * s0] == 0;
        return 0;
    }
    case IR_MATH: {
        long s0 = stride(a, 0);
        for (long i = 0; i < n; i++) a->out[i] = ops_unary((IrUnary)ins->aux, a->in[0][i * s0]);
        return 0;
    }
    case IR_SUM: case IR_MEAN: {
        double s = 0;
        for (long i = 0; i < a->len[0]; i++) s += a->in[0][i];
        a->out[0] = op == IR_SUM ? s : s / a->len[0];
        return 0;
    }
    case IR_SD: {
        long m = a->len[0];
        double mean = 0, ss = 0;
        for (long i = 0; i < m; i++) mean += a->in[0][i];
        mean /= m;
        for (long i = 0; i < m; i++) ss += (a->in[0][i] - mean) * (a->in[0][i] - mean);
        a->out[0] = sqrt(ss / (m - 1));
        return 0;
    }
    case IR_DOT: {
        double s = 0;
        for (long i = 0; i < a->len[0]; i++) s += a->in[0][i] * a->in[1][i];
        a->out[0] = s;
        return 0;
    }
    case IR_MATVEC:
        matvec(a->blas, a->in[0], a->rows, a->cols, a->in[1], a->out);
        return 0;
    case IR_GATHER:
        for (long i = 0; i < n; i++) a->out[i] = a->in[0][(long)a->in[1][i] - 1];
        return 0;
    case IR_LOGPDF: case IR_LOGPDF_REST: case IR_LOGPDF_LOGODDS: return logpdf(ins, a, grad, NULL);
    case IR_LOGPDF_POINTS:   /* reported, not added: no gradient */
        for (long i = 0; i < n; i++) a->out[i] = -INFINITY;
        logpdf(ins, a, false, a->out);
        return 0;
    case IR_LOGPDF_SUFF: return logpdf_suff(ins, a, grad);
    case IR_LOGPDF_GROUPED: return logpdf_grouped(ins, a, grad);
    case IR_DRAW:   /* a draw needs a stream: ops_draw */
        for (long i = 0; i < n; i++) a->out[i] = NAN;
        return 0;
    case IR_TF_LOWER: return tf_lower(ins, a, grad);
    case IR_TF_BOUNDS: return tf_bounds(ins, a, grad);
    case IR_NOPS: break;
    }
    return NAN;
}

/* ---- backward ---- */

void ops_backward(const IrInstr *ins, const OpArgs *a)
{
    IrOp op = (IrOp)ins->op;
    long n = ins->n;
    const double *g = a->out_adj;
    if (!g) return;
    switch (op) {
    case IR_ADD: case IR_SUB: case IR_MUL: case IR_DIV: case IR_POW: case IR_MIN: case IR_MAX: {
        long s0 = stride(a, 0), s1 = stride(a, 1);
        double *ga = a->in_adj[0], *gb = a->in_adj[1];
        for (long i = 0; i < n; i++) {
            double da, db;
            binary_deriv(op, a->in[0][i * s0], a->in[1][i * s1], a->out[i], &da, &db);
            if (ga) ga[i * s0] += da * g[i];
            if (gb) gb[i * s1] += db * g[i];
        }
        return;
    }
    case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_EQ: case IR_NE: case IR_AND: case IR_OR:
    case IR_NOT:
        return;
    case IR_COPY: case IR_NEG: {
        if (!a->in_adj[0]) return;
        long s0 = stride(a, 0);
        double sign = op == IR_NEG ? -1 : 1;
        for (long i = 0; i < n; i++) a->in_adj[0][i * s0] += sign * g[i];
        return;
    }
    case IR_MATH: {
        if (!a->in_adj[0]) return;
        long s0 = stride(a, 0);
        for (long i = 0; i < n; i++)
            a->in_adj[0][i * s0] += ops_unary_deriv((IrUnary)ins->aux, a->in[0][i * s0], a->out[i]) * g[i];
        return;
    }
    case IR_SUM: case IR_MEAN: {
        if (!a->in_adj[0]) return;
        double d = op == IR_SUM ? g[0] : g[0] / a->len[0];
        for (long i = 0; i < a->len[0]; i++) a->in_adj[0][i] += d;
        return;
    }
    case IR_SD: {
        if (!a->in_adj[0]) return;
        long m = a->len[0];
        double mean = 0;
        for (long i = 0; i < m; i++) mean += a->in[0][i];
        mean /= m;
        double k = g[0] / ((m - 1) * a->out[0]);
        for (long i = 0; i < m; i++) a->in_adj[0][i] += k * (a->in[0][i] - mean);
        return;
    }
    case IR_DOT:
        for (long i = 0; i < a->len[0]; i++) {
            if (a->in_adj[0]) a->in_adj[0][i] += a->in[1][i] * g[0];
            if (a->in_adj[1]) a->in_adj[1][i] += a->in[0][i] * g[0];
        }
        return;
    case IR_MATVEC:   /* d/dv = X^T g, d/dX = g v^T */
        matvec_backward(a->blas, a->in[0], a->rows, a->cols, a->in[1], g, a->in_adj[1], a->in_adj[0]);
        return;
    case IR_GATHER:
        if (a->in_adj[0])
            for (long i = 0; i < n; i++) a->in_adj[0][(long)a->in[1][i] - 1] += g[i];
        return;
    case IR_TF_LOWER:
        for (long i = 0; i < n; i++) {
            a->in_adj[0][i] += (a->out[i] - a->in[1][i * stride(a, 1)]) * g[i];
            if (a->in_adj[1]) a->in_adj[1][i * stride(a, 1)] += g[i];
        }
        return;
    case IR_TF_BOUNDS: {
        long s1 = stride(a, 1), s2 = stride(a, 2);
        for (long i = 0; i < n; i++) {
            double lo = a->in[1][i * s1], hi = a->in[2][i * s2], u = a->in[0][i];
            a->in_adj[0][i] += tf_bounds_dx_du(u, lo, hi) * g[i];
            /* dx/dlo = 1 - p, dx/dhi = p */
            if (a->in_adj[1]) a->in_adj[1][i * s1] += inv_logit(-u) * g[i];
            if (a->in_adj[2]) a->in_adj[2][i * s2] += inv_logit(u) * g[i];
        }
        return;
    }
    case IR_LOGPDF: case IR_LOGPDF_SUFF: case IR_LOGPDF_GROUPED: case IR_LOGPDF_REST: case IR_LOGPDF_LOGODDS:
    case IR_DRAW:
    case IR_LOGPDF_POINTS: case IR_NOPS:
        return;
    }
}
