/*
** logp_values.h -- parameter values at which to evaluate a model's log
** density, as `bmc logp` and the REPL's :logp take them: the parameter
** elements by name, "name=value", "theta[2]=value" and "theta=[v1, ...]"
** items, the density and its gradient there, and the result printed.
*/
#ifndef BMC_LOGP_VALUES_H
#define BMC_LOGP_VALUES_H

#include <stdbool.h>
#include <stdio.h>
#include "compile.h"

typedef struct LogpElement {
    char name[256];          /* "p", "theta[2]" */
    const IrParam *param;
    double value;            /* constrained */
    bool given;
} LogpElement;

typedef struct LogpValues {
    const Model *model;      /* borrowed */
    LogpElement *el;         /* every parameter element, in the evaluator's order */
    long n;
    bool scalar_fills;       /* a number for a vector sets all its elements (--init); else an error */
    double lp;               /* after logp_evaluate */
    double *grad;            /* n entries, after logp_evaluate */
} LogpValues;

/* The elements of m (compiled with its data), none given yet.  Returns 0,
** or -1 when out of memory.  Free with logp_values_free either way. */
int logp_values_init(LogpValues *v, const Model *m);
void logp_values_free(LogpValues *v);

/* Takes one "name=value" item.  data_hint says how this command is given
** data ("--data or -D"), for the note when name is data.  Returns 0, or -1
** with the error in out (code DIAG_VALUE, no file). */
int logp_assign(LogpValues *v, const char *item, const char *data_hint, Diags *out);

/* Takes the items of list, separated by ',' outside brackets
** ("p=0.1,theta=[1, 2]", as --init gives them), each as logp_assign.
** Returns 0, or -1 with the error in out. */
int logp_assign_list(LogpValues *v, const char *list, const char *data_hint, Diags *out);

/* The values given, on the unconstrained scale the sampler starts from,
** into u (v->n entries in the evaluator's order; NaN where none was
** given).  Returns 0, or -1 with the error in out: a value outside its
** prior's support, or one whose bounds depend on other parameters. */
int logp_unconstrain(const LogpValues *v, double *u, Diags *out);

/* The log density and its gradient at the values given, into v->lp and
** v->grad.  usage is how the command is typed before its items ("bmc logp
** ab.bm"), for the note when an element has no value.  Returns 0, or -1
** with the error in out. */
int logp_evaluate(LogpValues *v, const char *usage, Diags *out);

/* The result as a table: logp, then the gradient by element. */
void logp_print(FILE *f, const LogpValues *v);

/* The result as a JSON object {"logp": ..., "gradient": {...}}.  Returns 0,
** or -1 when out of memory. */
int logp_print_json(FILE *f, const LogpValues *v);

#endif
