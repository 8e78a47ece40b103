/*
** inference_data.h -- a sampled run as ArviZ's InferenceData (`bmc run
** --output-nc FILE.nc`): the model's reported quantities laid out as
** ArviZ's variables, each quantity one variable of its own shape, and
** the groups a run makes:
**   a posterior run: posterior, sample_stats (NUTS's draws), observed_data,
**                    and with --predict posterior_predictive;
**   a prior run:     prior, prior_predictive, observed_data.
** A replicate of observed data bears the observed term's name (y, not
** y_rep), as ArviZ's plot_ppc pairs posterior_predictive with
** observed_data.
*/
#ifndef BMC_INFERENCE_DATA_H
#define BMC_INFERENCE_DATA_H

#include <stddef.h>
#include "compile.h"
#include "data.h"
#include "ncout.h"
#include "sampling.h"

/* The variables of one group, and what their NcVars point to (owned). */
typedef struct InferenceVars {
    NcVar *vars;
    char **names;        /* each NcVar.name */
    long **index;        /* each NcVar.index, or NULL */
    double **values;     /* each NcVar.values, or NULL */
    int n, cap;
} InferenceVars;

/* The observed terms of model m (text compiled with data and opt): each
** observed quantity's name, shape and values, in the order the model
** states them, as --predict replicates them.  m's own IR when it draws
** replicates; else the model compiled again with --predict.  Returns 0
** (no variables when the model observes nothing, or cannot replicate what
** it observes), or -1 when out of memory.  Free with inference_vars_free. */
int inference_observed(const Model *m, const DataSet *data, const CompileOptions *opt, InferenceVars *out);

/* The drawn variables of m's run: the posterior's (or a prior run's
** parameters) in main, the replicates in predictive (a prior run's draws
** of the names in observed).  Returns 0, or -1 when out of memory. */
int inference_drawn(const Model *m, const InferenceVars *observed, bool prior, InferenceVars *main,
                    InferenceVars *predictive);

void inference_vars_free(InferenceVars *v);

/* Writes s, the run of m (compiled with data and opt), to path as
** InferenceData.  Returns 0, or -1 with why in err ("cannot write
** 'x.nc': ..."). */
int inference_data_write(const char *path, const Model *m, const DataSet *data, const CompileOptions *opt,
                         const Sampled *s, char *err, size_t errlen);

#endif
