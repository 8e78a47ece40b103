/*
** plugin.h -- bmc's plugins: the netCDF writer (bmc-netcdf.so, ncout.c)
** and the cairo pictures (bmc-cairo.so, plot*.c) are shared objects of
** their own, so that only a run that writes such a file pays for loading
** netCDF or cairo and the dozens of libraries they pull in.  A plugin
** calls back into bmc (outfile_*, draws_*, ...): the executable exports
** what they use, one copy of each function and of its state.
**
** A plugin is found beside the running bmc (the build tree), else in
** ../lib/bmc from the folder bmc is in (installed under PREFIX).
*/
#ifndef BMC_PLUGIN_H
#define BMC_PLUGIN_H

#include <stddef.h>

/* A plugin loaded for one call: its handle, owned, until plugin_close. */
typedef struct Plugin {
    void *handle;
} Plugin;

/* What a file needs loaded to be written. */
typedef struct PluginNeed {
    const char *file;       /* "bmc-netcdf.so" */
    const char *what;       /* "netCDF writer": bmc's ... in messages */
    const char *symbol;     /* the entry point: "ncout_write" */
} PluginNeed;

/* Loads need->file into p and returns the address of need->symbol; or
** NULL, with p holding nothing, and "cannot write 'path': bmc's netCDF
** writer (bmc-netcdf.so) was not found beside bmc or in /usr/lib/bmc: ..."
** (dlerror's text at the end) in err. */
void *plugin_open(Plugin *p, const PluginNeed *need, const char *path, char *err, size_t errlen);

/* Releases what plugin_open loaded (nothing when it failed). */
void plugin_close(Plugin *p);

#endif
