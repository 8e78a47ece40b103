/*
** eval.h -- the log density of an IR model and its gradient.
**
** A workspace holds one chain's values and adjoints; creating it resolves
** every instruction's slots to pointers once, so evaluating allocates
** nothing.  Workspaces of one model share its constants and may run in
** parallel threads.
*/
#ifndef BMC_EVAL_H
#define BMC_EVAL_H

#include <gsl/gsl_rng.h>
#include "ir.h"

typedef struct EvalWs EvalWs;

/* NULL when out of memory.  The model must outlive the workspace. */
EvalWs *eval_new(const IrModel *m);
void eval_free(EvalWs *w);

/* Log density at unconstrained q, log-Jacobians included; the gradient
** into grad (m->dim values).  -INFINITY or NAN outside the support. */
double eval_logp_grad(EvalWs *w, const double *q, double *grad);

/* The same without the gradient. */
double eval_logp(EvalWs *w, const double *q);

/* After a log density that was not finite: the instruction of the model's
** code that made it so (a term outside its support, a transform of an
** impossible bound), or -1. */
int eval_failed_instruction(const EvalWs *w);

/* Every reported scalar (ir_output_count values) at unconstrained q.  The
** generated quantities are drawn from the stream eval_set_rng gave (NaN
** without one). */
void eval_outputs(EvalWs *w, const double *q, double *out);

/* The stream generated quantities are drawn from (borrowed: it must
** outlive its use); NULL: none. */
void eval_set_rng(EvalWs *w, const gsl_rng *rng);

/* The joint log density at constrained parameter values (values[k] for
** each parameter element, in parameter order; no Jacobian) and its
** gradient with respect to them.  Returns 0; or the 1-based index of the
** first value outside its parameter's support (lp and grad unset). */
long eval_constrained(EvalWs *w, const double *values, double *lp, double *grad);

/* The target, for samplers: logp_grad with ctx an EvalWs. */
double eval_target(void *ctx, const double *q, double *grad);

#endif
