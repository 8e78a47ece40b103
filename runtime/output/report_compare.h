/*
** report_compare.h -- the table of `bmc compare`: several models'
** summaries side by side, for the quantities they share.
*/
#ifndef BMC_REPORT_COMPARE_H
#define BMC_REPORT_COMPARE_H

#include <stdio.h>
#include "summary.h"

typedef struct CompareTable {
    int nmodels;
    const char *const *labels;      /* each model's name over its columns */
    const VarSummary *const *sums;  /* each model's summaries */
    const int *const *var;          /* var[i][k]: where model i has the k-th shared quantity */
    int nshared;
    const char *const *names;       /* the shared quantities, a row each */
    double hdi_prob;
    int round;                      /* digits after the point; -1 chooses per row */
} CompareTable;

/* Prints the table to out.  Returns 0, or -1 when out of memory or when
** writing fails. */
int report_compare_table(FILE *out, const CompareTable *c);

#endif
