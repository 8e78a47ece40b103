/*
** ncout.c -- a run as ArviZ's InferenceData in netCDF-4 (see ncout.h).
*/
#include "ncout.h"

#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "outfile.h"

/* ArviZ's name and netCDF type of each of the sampler's statistics, in
** DrawStat's order: the names from_cmdstan gives CmdStan's columns, the
** integers as int64, and diverging as int8 marked as xarray marks a bool
** (attribute dtype "bool"), which it reads back as bool. */
static const struct {
    const char *name;
    nc_type type;
} stat_vars[DRAW_NSTATS] = {
    [DRAW_LP] = {"lp", NC_DOUBLE},
    [DRAW_ACCEPT] = {"acceptance_rate", NC_DOUBLE},
    [DRAW_STEPSIZE] = {"step_size", NC_DOUBLE},
    [DRAW_TREEDEPTH] = {"tree_depth", NC_INT64},
    [DRAW_N_LEAPFROG] = {"n_steps", NC_INT64},
    [DRAW_DIVERGENT] = {"diverging", NC_BYTE},
    [DRAW_ENERGY] = {"energy", NC_DOUBLE},
};

typedef struct Writer {
    const char *path;      /* as the user named it, for messages */
    char *err;
    size_t errlen;
    int failed;            /* the first failure is the one reported */
    char created_at[40];   /* one time for every group of the file */
} Writer;

/* Whether status is success; else records what failed, with netCDF's word
** for why. */
static int nc_ok(Writer *w, int status, const char *doing)
{
    if (status == NC_NOERR) return 1;
    if (!w->failed) snprintf(w->err, w->errlen, "cannot write '%s': %s: %s", w->path, doing, nc_strerror(status));
    w->failed = 1;
    return 0;
}

static int out_of_memory(Writer *w)
{
    if (!w->failed) snprintf(w->err, w->errlen, "cannot write '%s': out of memory", w->path);
    w->failed = 1;
    return 0;
}

static int put_text(Writer *w, int gid, int vid, const char *name, const char *value)
{
    return nc_ok(w, nc_put_att_text(gid, vid, name, strlen(value), value), name);
}

static int put_int(Writer *w, int gid, const char *name, long long value)
{
    return nc_ok(w, nc_put_att_longlong(gid, NC_GLOBAL, name, NC_INT64, 1, &value), name);
}

/* The settings of the run, as CmdStan's configuration names them (which
** from_cmdstan copies to posterior's attributes), and the time it took. */
static int put_settings(Writer *w, int gid, const RunInfo *info)
{
    unsigned long long seed = info->seed;
    int ok = put_int(w, gid, "num_samples", info->draws_kept) &&
             nc_ok(w, nc_put_att_ulonglong(gid, NC_GLOBAL, "seed", NC_UINT64, 1, &seed), "seed") &&
             nc_ok(w, nc_put_att_double(gid, NC_GLOBAL, "sampling_time", NC_DOUBLE, 1, &info->seconds),
                   "sampling_time");
    if (!ok || info->exact) return ok;
    return put_int(w, gid, "num_warmup", info->tune) &&
           nc_ok(w, nc_put_att_double(gid, NC_GLOBAL, "delta", NC_DOUBLE, 1, &info->target_accept), "delta") &&
           put_int(w, gid, "max_depth", info->max_treedepth) &&
           (!info->metric || put_text(w, gid, NC_GLOBAL, "metric", info->metric));
}

/* The attributes ArviZ's schema gives every group; no arviz_version, for
** ArviZ did not write the file. */
static int put_group_attrs(Writer *w, int gid, const NcGroup *g, const NcMeta *meta)
{
    int ok = put_text(w, gid, NC_GLOBAL, "created_at", w->created_at) &&
             put_text(w, gid, NC_GLOBAL, "inference_library", "bmc") &&
             put_text(w, gid, NC_GLOBAL, "inference_library_version", meta->library_version);
    return ok && (!g->settings || !meta->info || put_settings(w, gid, meta->info));
}

/* A dimension of n and its coordinate variable of the same name: labels
** as strings, else index or 0 .. n-1 as int64. */
static int def_coord(Writer *w, int gid, const char *name, long n, const long *index, const char *const *labels,
                     int *dimid)
{
    int vid;
    if (!nc_ok(w, nc_def_dim(gid, name, (size_t)n, dimid), name)) return 0;
    if (labels)
        return nc_ok(w, nc_def_var(gid, name, NC_STRING, 1, dimid, &vid), name) &&
               nc_ok(w, nc_put_var_string(gid, vid, (const char **)labels), name);
    long long *at = malloc((size_t)n * sizeof *at);
    if (!at) return out_of_memory(w);
    for (long i = 0; i < n; i++) at[i] = index ? index[i] : i;
    int ok = nc_ok(w, nc_def_var(gid, name, NC_INT64, 1, dimid, &vid), name) &&
             nc_ok(w, nc_put_var_longlong(gid, vid, at), name);
    free(at);
    return ok;
}

static long elements(const NcVar *v)
{
    return v->rank == 0 ? 1 : v->rank == 1 ? v->dims[0] : v->dims[0] * v->dims[1];
}

/* v's own dimensions, NAME_dim_0 and NAME_dim_1 as ArviZ names them,
** appended to dimids at *nd. */
static int def_var_dims(Writer *w, int gid, const NcVar *v, int *dimids, int *nd)
{
    for (int k = 0; k < v->rank; k++) {
        char dim[NC_MAX_NAME + 1];
        if ((size_t)snprintf(dim, sizeof dim, "%s_dim_%d", v->name, k) >= sizeof dim)
            return nc_ok(w, NC_EMAXNAME, v->name);
        if (!def_coord(w, gid, dim, v->dims[k], v->rank == 1 ? v->index : NULL, v->rank == 1 ? v->labels : NULL,
                       &dimids[(*nd)++]))
            return 0;
    }
    return 1;
}

/* A drawn variable: its draws, chain by chain and draw by draw, each
** draw's elements in a row, as (chain, draw, ...) lays them out. */
static int put_drawn(Writer *w, int gid, const Draws *d, const NcVar *v, const int chain_draw[2])
{
    int dimids[4] = {chain_draw[0], chain_draw[1]}, nd = 2, vid;
    long n = elements(v);
    if (!def_var_dims(w, gid, v, dimids, &nd) || !nc_ok(w, nc_def_var(gid, v->name, NC_DOUBLE, nd, dimids, &vid), v->name))
        return 0;
    size_t D = (size_t)d->ndraws;
    double *buf = malloc((size_t)d->nchains * D * (size_t)n * sizeof *buf);
    if (!buf) return out_of_memory(w);
    for (int c = 0; c < d->nchains; c++)
        for (long e = 0; e < n; e++) {
            const double *x = draws_at_const(d, v->first + (int)e, c);
            for (size_t i = 0; i < D; i++) buf[((size_t)c * D + i) * (size_t)n + (size_t)e] = x[i];
        }
    int ok = nc_ok(w, nc_put_var_double(gid, vid, buf), v->name);
    free(buf);
    return ok;
}

/* A variable of data: its values, of its own dimensions alone. */
static int put_data(Writer *w, int gid, const NcVar *v)
{
    int dimids[2], nd = 0, vid;
    return def_var_dims(w, gid, v, dimids, &nd) &&
           nc_ok(w, nc_def_var(gid, v->name, NC_DOUBLE, nd, dimids, &vid), v->name) &&
           nc_ok(w, nc_put_var_double(gid, vid, v->values), v->name);
}

/* The sampler's statistics of every draw, as sample_stats holds them. */
static int put_stats(Writer *w, int gid, const Draws *d, const int chain_draw[2])
{
    size_t n = (size_t)d->nchains * (size_t)d->ndraws;
    double *x = malloc(n * sizeof *x);
    long long *i64 = malloc(n * sizeof *i64);
    signed char *i8 = malloc(n);
    int ok = x && i64 && i8 ? 1 : out_of_memory(w);
    for (int k = 0; ok && k < DRAW_NSTATS; k++) {
        nc_type type = stat_vars[k].type;
        for (int c = 0; c < d->nchains; c++) {
            const double *s = draws_stat_const(d, (DrawStat)k, c);
            for (int i = 0; i < d->ndraws; i++) {
                size_t at = (size_t)c * (size_t)d->ndraws + (size_t)i;
                x[at] = s[i];
                /* counts only: lp or energy may be no integer at all */
                if (type == NC_INT64) i64[at] = (long long)s[i];
                i8[at] = s[i] != 0;
            }
        }
        const char *name = stat_vars[k].name;
        int vid;
        ok = nc_ok(w, nc_def_var(gid, name, type, 2, chain_draw, &vid), name);
        if (ok && type == NC_DOUBLE) ok = nc_ok(w, nc_put_var_double(gid, vid, x), name);
        if (ok && type == NC_INT64) ok = nc_ok(w, nc_put_var_longlong(gid, vid, i64), name);
        if (ok && type == NC_BYTE)
            ok = put_text(w, gid, vid, "dtype", "bool") && nc_ok(w, nc_put_var_schar(gid, vid, i8), name);
    }
    free(x);
    free(i64);
    free(i8);
    return ok;
}

static int put_group(Writer *w, int ncid, const NcGroup *g, const NcMeta *meta)
{
    int gid, chain_draw[2];
    if (!nc_ok(w, nc_def_grp(ncid, g->name, &gid), g->name) || !put_group_attrs(w, gid, g, meta)) return 0;
    const Draws *d = g->draws;
    if (d && (!def_coord(w, gid, "chain", d->nchains, NULL, NULL, &chain_draw[0]) ||
              !def_coord(w, gid, "draw", d->ndraws, NULL, NULL, &chain_draw[1])))
        return 0;
    if (g->stats) return put_stats(w, gid, d, chain_draw);
    for (int k = 0; k < g->nvars; k++) {
        /* a dimension of no length would be netCDF's unlimited one */
        if (elements(&g->vars[k]) == 0) continue;
        if (!(d ? put_drawn(w, gid, d, &g->vars[k], chain_draw) : put_data(w, gid, &g->vars[k]))) return 0;
    }
    return 1;
}

int ncout_write(const char *path, const NcGroup *groups, int ngroups, const NcMeta *meta, char *err,
                size_t errlen)
{
    Writer w = {.path = path, .err = err, .errlen = errlen};
    time_t now = time(NULL);
    struct tm utc;
    /* ISO 8601 in UTC, as ArviZ writes created_at */
    if (!gmtime_r(&now, &utc) || !strftime(w.created_at, sizeof w.created_at, "%Y-%m-%dT%H:%M:%S+00:00", &utc))
        snprintf(w.created_at, sizeof w.created_at, "unknown");
    OutFile o;
    if (outfile_reserve(&o, path, err, errlen) != 0) return -1;
    int ncid;
    if (!nc_ok(&w, nc_create(outfile_writing_name(&o), NC_NETCDF4 | NC_CLOBBER, &ncid), "creating it")) {
        outfile_discard(&o);
        return -1;
    }
    for (int g = 0; g < ngroups && !w.failed; g++) put_group(&w, ncid, &groups[g], meta);
    /* closing writes what HDF5 still holds: it can fail too */
    nc_ok(&w, nc_close(ncid), "closing it");
    if (w.failed) {
        outfile_discard(&o);
        return -1;
    }
    return outfile_commit(&o, err, errlen);
}
