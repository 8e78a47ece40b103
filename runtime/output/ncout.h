/*
** ncout.h -- a run as ArviZ's InferenceData in netCDF-4 (what
** az.from_netcdf reads): one netCDF group at the root per InferenceData
** group, each variable of dims (chain, draw[, NAME_dim_0[, NAME_dim_1]])
** with a coordinate variable for every dimension, and the attributes
** ArviZ's schema gives every group.
**
** The writer knows nothing of the model: the caller says which draws make
** which variable (NcVar), group by group (NcGroup), so that one more group
** (log_likelihood, a Draws of its own) is one more entry.  The file
** appears whole or not at all (outfile.h).
*/
#ifndef BMC_NCOUT_H
#define BMC_NCOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "draws.h"
#include "report.h"

/* One variable: the elements of a scalar, vector or matrix quantity. */
typedef struct NcVar {
    const char *name;           /* the variable's name: "theta" */
    int rank;                   /* 0 scalar, 1 vector, 2 matrix (row-major) */
    long dims[2];               /* rank 1: dims[0] elements; rank 2: rows, cols */
    int first;                  /* drawn: the Draws variable of the first element, the others after it */
    const double *values;       /* data (a group without draws): the elements' values */
    /* Rank 1: the coordinate of each element.  index: its 0-based place in
    ** the whole quantity, when only some elements are here (a replicate of
    ** the elements a '~' draws); labels: a factor's levels, as strings.
    ** Both NULL: 0 .. n-1, ArviZ's default. */
    const long *index;
    const char *const *labels;
} NcVar;

/* One InferenceData group. */
typedef struct NcGroup {
    const char *name;           /* "posterior", "posterior_predictive", "prior", "log_likelihood", ... */
    const Draws *draws;         /* the draws its variables are taken from; NULL: data (observed_data) */
    const NcVar *vars;
    int nvars;
    bool stats;                 /* the sampler's statistics of draws (sample_stats), not vars */
    bool settings;              /* carries the run's settings as attributes (posterior, prior) */
} NcGroup;

/* What every group says of its making. */
typedef struct NcMeta {
    const char *library_version;   /* bmc's version */
    const RunInfo *info;           /* the run's settings, for the groups with settings */
} NcMeta;

/* Checks, before a run, that path can be written: the file beside it is
** made and removed.  Returns 0, or -1 with "cannot write 'x.nc': ..." in
** err. */
int ncout_check(const char *path, char *err, size_t errlen);

/* Whether the netCDF writer can be loaded (plugin.h), asked before a run
** so that a bmc installed without it fails before sampling, not after.
** Returns 0, or -1 with why in err. */
int ncout_ready(const char *path, char *err, size_t errlen);

/* Writes the groups to path.  Returns 0, or -1 with why in err (and path
** as it was). */
int ncout_write(const char *path, const NcGroup *groups, int ngroups, const NcMeta *meta, char *err,
                size_t errlen);

#endif
