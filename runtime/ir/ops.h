/*
** ops.h -- what each IR instruction computes, forward and backward.
**
** The evaluator resolves an instruction's slots to pointers once (OpArgs)
** and calls these kernels; the compiler calls the same kernels to fold
** data-only expressions, so an operation means one thing everywhere.
*/
#ifndef BMC_OPS_H
#define BMC_OPS_H

#include <stdbool.h>
#include <gsl/gsl_rng.h>
#include "ir.h"
#include "matvec.h"

typedef struct OpArgs {
    double *out;                      /* NULL for IR_LOGPDF */
    double *out_adj;                  /* NULL when no gradient flows */
    const double *in[IR_MAX_ARGS];
    double *in_adj[IR_MAX_ARGS];      /* NULL: that input needs no gradient */
    long len[IR_MAX_ARGS];            /* elements of each input */
    long rows, cols;                  /* IR_MATVEC: the matrix's shape */
    const MatvecBlas *blas;           /* ... and OpenBLAS for it, or NULL: GSL's CBLAS */
} OpArgs;

/* IR_DRAW: n values of its distribution from stream r, NaN where the
** arguments are outside their constraints (or r is NULL). */
void ops_draw(const IrInstr *ins, const OpArgs *a, const gsl_rng *r);

/* Computes the instruction's output.  IR_LOGPDF returns the log density it
** adds (-INFINITY when an argument or value leaves its support); IR_TF_*
** return their log-Jacobian.  With grad, those two also add their partial
** derivatives to in_adj now: the target's adjoint is always 1.  Every
** other instruction returns 0. */
double ops_forward(const IrInstr *ins, const OpArgs *a, bool grad);

/* Adds the output adjoint times the partial derivatives to in_adj. */
void ops_backward(const IrInstr *ins, const OpArgs *a);

/* The unary functions: f and df/dx (given x and y = f(x)). */
double ops_unary(IrUnary f, double x);
double ops_unary_deriv(IrUnary f, double x, double y);

#endif
