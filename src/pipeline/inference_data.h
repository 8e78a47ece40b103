/*
** inference_data.h -- a sampled run as ArviZ's InferenceData (`bmc run
** --output-nc FILE.nc`): the model's reported quantities laid out as
** ArviZ's variables, each quantity one variable of its own shape, and
** the groups a run makes:
**   a posterior run: posterior, sample_stats (NUTS's draws), observed_data,
**                    with --predict posterior_predictive, and with
**                    --log-lik log_likelihood (each observed term's
**                    points under its name, of its values' dims);
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
#include "sampling.h"

/* Writes s, the run of m (compiled with data and opt), to path as
** InferenceData.  Returns 0, or -1 with why in err ("cannot write
** 'x.nc': ..."). */
int inference_data_write(const char *path, const Model *m, const DataSet *data, const CompileOptions *opt,
                         const Sampled *s, char *err, size_t errlen);

#endif
