/*
** report_loo.h -- PSIS-LOO and WAIC as printed: the block after a run's
** table, its JSON object, its warning about high Pareto k, and the table
** of models compared by `bmc compare --loo`, as ArviZ's az.compare.
*/
#ifndef BMC_REPORT_LOO_H
#define BMC_REPORT_LOO_H

#include <jansson.h>
#include <stdio.h>
#include "loo.h"
#include "warnings.h"

/* The block: the estimates with their SEs, the MC SE of elpd_loo and the
** points by Pareto k range, as loo's print. */
void report_loo_block(FILE *out, const LooResult *r);

/* {"elpd_loo", "se_elpd_loo", ..., "k_threshold", "k_counts", "pointwise":
** [{"point", "elpd_loo", "p_loo", "pareto_k", "r_eff"}, ...]}; an
** infinite k is null.  NULL when out of memory. */
json_t *report_loo_json(const LooResult *r);

/* A "pareto_k" warning naming the points above the threshold, with what
** to do; none when there are none.  Returns 0, or -1 when out of memory. */
int report_loo_warnings(Warnings *out, const LooResult *r);

/* The comparison of nmodels models labelled labels, in rank order: rank,
** elpd_loo, p_loo, elpd_diff, se_diff, weight, warning (whether a k is
** above its threshold).  Returns 0, or -1 when writing fails. */
int report_loo_compare(FILE *out, const char *const *labels, const LooResult *const *models,
                       const LooComparison *c);

/* The same as JSON: [{"model", "rank", "elpd_loo", "se", "p_loo",
** "elpd_diff", "se_diff", "weight", "warning"}, ...] best first. */
json_t *report_loo_compare_json(const char *const *labels, const LooResult *const *models,
                                const LooComparison *c);

#endif
