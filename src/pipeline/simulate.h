/*
** simulate.h -- one fake data set from a model, as `bmc simulate` makes
** it: the parameters given values on the command line ("p=0.12", read as
** `bmc logp` reads its values) are constants, the others are drawn from
** their priors, and the data a '~' models (y ~ Poisson(lam);) are drawn
** from the model in one prior predictive draw.  The result is a complete
** data file: the model's other data with the drawn ones, which `bmc run
** MODEL --data FILE` fits.
**
** A model is compiled twice: first to name its parameters as bmc logp has
** them (the simulated data left out of the density), against which the
** values given are read; then for the draw, with those values set.
*/
#ifndef BMC_SIMULATE_H
#define BMC_SIMULATE_H

#include <stdbool.h>
#include "compile.h"
#include "sema.h"

/* How a model is compiled: naming, to read the values given against;
** else for the draw, with the values fixed (simulate_read_values; NULL:
** every parameter drawn). */
CompileOptions simulate_compile_options(bool naming, const DataSet *fixed);

/* How many data names m draws (sema_modelled_data); -1 with the error in
** errs when there are none ("nothing to simulate"), or no memory. */
int simulate_targets(const Model *m, Diags *errs);

/* The values the n items set ("p=0.1", "theta=[1, 2]", "theta[2]=0.5"),
** read against m (compiled for naming) as bmc logp reads them, into a new
** DataSet *fixed: each name set as long as its storage, NaN where an
** element is drawn (CompileOptions.fixed).  Returns 0, or -1 with the
** error in errs (*fixed NULL). */
int simulate_read_values(const Model *m, char *const *items, int n, DataSet **fixed, Diags *errs);

typedef struct Simulation {
    DataSet *data;       /* the complete data file: the model's data, those a '~' models drawn */
    DataSet *simulated;  /* the data drawn alone */
    DataSet *drawn;      /* the draw's other reported quantities: the parameters drawn from their
                         ** priors and what is computed from them */
} Simulation;

/* One draw of m, compiled for it with the values given, from seed; the
** model's other data from data.  Returns EXIT_OK, or an exit code with
** the error in errs.  Free sim with simulation_free whatever it returns. */
int simulate_draw(const Model *m, const DataSet *data, unsigned long seed, Simulation *sim, Diags *errs);
void simulation_free(Simulation *sim);

#endif
