/*
** plugin_stubs.c -- bmc's own ncout_write, plot_draws and
** plot_forest_models: each loads the plugin with the real one (plugin.h)
** for the call, so that the callers do not know the code is elsewhere.
** The unit tests of the writers link the real code instead.
*/
#include "ncout.h"
#include "plot.h"
#include "plugin.h"

typedef int NcoutWriteFn(const char *path, const NcGroup *groups, int ngroups, const NcMeta *meta, char *err,
                         size_t errlen);
typedef int PlotDrawsFn(const char *path, const Draws *d, const VarSummary *s, const PlotOptions *o, char *err,
                        size_t errlen);
typedef int PlotForestModelsFn(const char *path, int nmodels, const char *const *labels, const Draws *const *d,
                               const VarSummary *const *s, const PlotOptions *o, char *err, size_t errlen);

/* The types above are those of the headers' declarations, which the
** plugins are compiled against: a change there fails here. */
_Static_assert(_Generic(&ncout_write, NcoutWriteFn *: 1, default: 0), "ncout_write's type");
_Static_assert(_Generic(&plot_draws, PlotDrawsFn *: 1, default: 0), "plot_draws's type");
_Static_assert(_Generic(&plot_forest_models, PlotForestModelsFn *: 1, default: 0), "plot_forest_models's type");

static const PluginNeed NETCDF = { "bmc-netcdf.so", "netCDF writer", "ncout_write" };
static const char CAIRO[] = "bmc-cairo.so", PICTURES[] = "plotting code";

/* Whether need's plugin loads: 0, or -1 with why in err. */
static int ready(const PluginNeed *need, const char *path, char *err, size_t errlen)
{
    Plugin p;
    if (plugin_open(&p, need, path, err, errlen) == NULL) return -1;
    plugin_close(&p);
    return 0;
}

int ncout_ready(const char *path, char *err, size_t errlen)
{
    return ready(&NETCDF, path, err, errlen);
}

int plot_ready(const char *path, char *err, size_t errlen)
{
    static const PluginNeed need = { CAIRO, PICTURES, "plot_draws" };
    return ready(&need, path, err, errlen);
}

int ncout_write(const char *path, const NcGroup *groups, int ngroups, const NcMeta *meta, char *err,
                size_t errlen)
{
    Plugin p;
    NcoutWriteFn *write = (NcoutWriteFn *)plugin_open(&p, &NETCDF, path, err, errlen);
    if (write == NULL) return -1;
    int rc = write(path, groups, ngroups, meta, err, errlen);
    plugin_close(&p);
    return rc;
}

int plot_draws(const char *path, const Draws *d, const VarSummary *s, const PlotOptions *o, char *err,
               size_t errlen)
{
    static const PluginNeed need = { CAIRO, PICTURES, "plot_draws" };
    Plugin p;
    PlotDrawsFn *draw = (PlotDrawsFn *)plugin_open(&p, &need, path, err, errlen);
    if (draw == NULL) return -1;
    int rc = draw(path, d, s, o, err, errlen);
    plugin_close(&p);
    return rc;
}

int plot_forest_models(const char *path, int nmodels, const char *const *labels, const Draws *const *d,
                       const VarSummary *const *s, const PlotOptions *o, char *err, size_t errlen)
{
    static const PluginNeed need = { CAIRO, PICTURES, "plot_forest_models" };
    Plugin p;
    PlotForestModelsFn *draw = (PlotForestModelsFn *)plugin_open(&p, &need, path, err, errlen);
    if (draw == NULL) return -1;
    int rc = draw(path, nmodels, labels, d, s, o, err, errlen);
    plugin_close(&p);
    return rc;
}
