/*
** improper.h -- refusing a parameter with an improper prior (Flat,
** HalfFlat) that no data inform: its posterior cannot be proper.
*/
#ifndef BMC_IMPROPER_H
#define BMC_IMPROPER_H

#include "diag.h"
#include "ir.h"
#include "sema.h"

/* Returns 0; or -1 after reporting, in diags, the first parameter of m
** whose prior is improper and whose values no likelihood term reaches
** (at its definition in sema). */
int check_improper_priors(const IrModel *m, const Sema *sema, Diags *diags);

/* The error for what (name, or one of its elements) at loc, whose prior
** dist is improper and that nothing informs: also for a generated quantity
** (nothing depends on it), which could not be drawn. */
void improper_uninformed(Diags *diags, Loc loc, const char *what, const char *name, const char *dist);

#endif
