/*
** passes.h -- optimisations of a lowered IR model, each one a pass that
** rewrites the instruction list without changing the log density, its
** gradient or any reported quantity beyond rounding.  `bmc ir -O0` (and
** compiling with no passes) shows the model as lowered.
**
**   IR_PASS_LOGIT          p = inv_logit(t) in a Bernoulli or Binomial
**                          likelihood becomes logit_p = t: one kernel in
**                          log space instead of a pass for inv_logit
**   IR_PASS_SUFFICIENT     n >= 2 observed values sharing scalar arguments
**                          go through their family's sufficient statistics,
**                          computed once: a gradient costs O(1), not O(n)
**   IR_PASS_GROUPED        observed values whose arguments are gathered by
**                          a data index, y ~ Bernoulli(p[g]), are grouped
**                          by index at compile time and summed group by
**                          group through sufficient statistics: a gradient
**                          costs O(groups), not O(n)
**   IR_PASS_DATA_PART      the part of a likelihood's normalising constant
**                          that depends on the data alone is summed once
**                          into the model's constant
**   IR_PASS_DETERMINISTIC  instructions the density does not need move
**                          after it, to run once per kept draw, not at
**                          every gradient; those nothing needs are dropped
*/
#ifndef BMC_PASSES_H
#define BMC_PASSES_H

#include "ir.h"

enum {
    IR_PASS_LOGIT = 1u << 0,
    IR_PASS_SUFFICIENT = 1u << 1,
    IR_PASS_DATA_PART = 1u << 2,
    IR_PASS_DETERMINISTIC = 1u << 3,
    IR_PASS_GROUPED = 1u << 4,
    IR_PASS_ALL = (1u << 5) - 1
};

/* Runs the passes selected in mask, in the order listed above, and
** records in m->passes each that ran.  Returns 0, or -1 when out of
** memory: the pass that failed may have rewritten part of m, which is
** still correct, and it is not recorded. */
int ir_optimise(IrModel *m, unsigned mask);

/* Why a large likelihood term is still evaluated element by element. */
typedef enum {
    IR_COST_PASSES_OFF,      /* the passes that sum rows did not run (-O0) */
    IR_COST_PARAMETERS,      /* its values are parameters: each value is a term of its own */
    IR_COST_NO_STATISTICS,   /* its family has no sufficient statistics */
    IR_COST_COMPUTED         /* its arguments differ from row to row in a way no pass sums: computed
                             ** from the parameters per row, not one parameter, nor one gathered
                             ** by a data index */
} IrCostReason;

/* The likelihood term of m's density left element by element (no pass
** reduced it) with the most elements, when it has at least min_n: its
** instruction index, with why in *why; -1 when there is none so large.
** Such a term sets the cost of every gradient. */
int ir_costliest_term(const IrModel *m, long min_n, IrCostReason *why);

/* The names of the passes in mask, comma-separated in the order they
** run, into buf: "logit_p, sufficient, grouped, data-part,
** deterministic", or "none". */
void ir_pass_names(unsigned mask, char *buf, size_t size);

#endif
