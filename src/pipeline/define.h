/*
** define.h -- new quantities from saved draws (`bmc summary --define
** 'lift = p_B / p_A - 1'`), computed by the model compiler and the IR
** evaluator, not a second evaluator.
**
** Each saved quantity becomes a parameter with a Flat() prior of its
** shape ("theta[8] ~ Flat();", whose transform is the identity, so its
** unconstrained value is the saved one), the definitions follow as
** deterministic statements, and the model's per-draw part is evaluated
** at every saved draw.  Matrices and vectors labelled by a factor's
** levels are left out: a model's parameter is a scalar or a vector.
*/
#ifndef BMC_DEFINE_H
#define BMC_DEFINE_H

#include "diag.h"
#include "draws.h"

/* Adds to *d the quantities the n definitions (model statements, the
** last ';' optional) make, after d's own, computed at each of its draws;
** *d is replaced.  Returns EXIT_OK, or EXIT_MODEL with the errors in errs,
** placed in the source "--define" with a caret. */
int define_quantities(Draws **d, const char *const *defs, int n, Diags *errs);

#endif
