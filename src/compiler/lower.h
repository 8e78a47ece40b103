/*
** lower.h -- syntax tree to IR, with the data in hand.
**
** Lowering evaluates everything that depends only on data (sizes, loop
** bounds, indices, constants), checks shapes and supports against those
** values, unrolls loops, orders statements by their dependencies and
** emits instructions for what depends on parameters.
*/
#ifndef BMC_LOWER_H
#define BMC_LOWER_H

#include "ast.h"
#include "data.h"
#include "diag.h"
#include "ir.h"
#include "sema.h"

#define LOWER_MAX_UNROLL 1000000L   /* loop body executions in a model */

/* The draws of observed values a run adds.  PREDICT_PRIOR: every observed
** term is drawn in place of its density, under its own name, with the
** parameters drawn from their priors (nothing is sampled); PREDICT_POSTERIOR:
** each is also drawn, as its replicate NAME_rep, at every kept draw. */
typedef enum { PREDICT_NONE, PREDICT_PRIOR, PREDICT_POSTERIOR } Predictive;
#define LOWER_MAX_PARAMS 1000000L   /* parameter elements: unconstrained coordinates */

/* What a run makes of the model besides its density. */
typedef struct LowerOptions {
    Predictive predictive;   /* the draws of observed values to add */
    /* bmc simulate: the data names a '~' models (sema_modelled_data) take
    ** no values, only their declared shape; a prior predictive run draws
    ** them, any other leaves their terms out of the density, and nothing
    ** else may read them */
    bool simulate;
    /* a prior predictive run: values set for names declared with '~', by
    ** name, each as long as the name's storage; NaN elements are drawn.
    ** NULL: every one is drawn */
    const DataSet *fixed;
    /* the log density of every observed point (each element of each
    ** observed term) at each kept draw, as outputs log_lik[1..N] of
    ** IR_GROUP_LOG_LIK, computed in the per-draw pass */
    bool log_lik;
} LowerOptions;

/* The IR of prog, or NULL with the errors in diags; warnings (a prior
** NUTS cannot explore) go to warnings.  Caller frees with ir_free.  data
** may be NULL when the model declares no data. */
IrModel *lower_program(Program *prog, const Sema *sema, const DataSet *data, Diags *diags, Diags *warnings,
                       const LowerOptions *opt);

/* The error for value, given for what (a parameter or one of its
** elements, "theta[2]") outside the support of its prior, distribution
** index dist: the words of bmc logp and bmc simulate.  No place: the
** value comes from the command line. */
Diag *lower_support_error(Diags *diags, const char *what, double value, int dist);

/* The arguments of a distribution call that sema_run_call bound, computed
** (they may be any expressions of numbers) and checked against their
** constraints as a model's would be, into args.  Returns 0, or -1 with
** the errors in diags. */
int lower_constant_args(Expr *call, Diags *diags, double *args);

#endif
