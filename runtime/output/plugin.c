/*
** plugin.c -- finding and loading bmc's plugins (plugin.h).
*/
#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where an installed bmc's plugins are, from the folder it runs from:
** PREFIX/bin -> PREFIX/lib/bmc. */
#define INSTALLED_DIR "lib/bmc"

/* The folder of the running executable (symbolic links resolved, so a
** link to build/bmc finds build/'s plugins) into dir.  0, or -1 with
** errno set. */
static int exe_dir(char *dir, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", dir, len - 1);
    if (n < 0) return -1;
    if ((size_t)n >= len - 1) {
        errno = ENAMETOOLONG;
        return -1;
    }
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        errno = ENOENT;
        return -1;
    }
    *slash = '\0';
    return 0;
}

/* The installed plugins' folder for an executable in exe: its parent's
** lib/bmc. */
static void installed_dir(const char *exe, char *out, size_t len)
{
    const char *slash = strrchr(exe, '/');
    int parent = slash ? (int)(slash - exe) : 0;
    snprintf(out, len, "%.*s/%s", parent, exe, INSTALLED_DIR);
}

/* dlerror's text, or a fallback when it has none. */
static const char *dl_why(void)
{
    const char *e = dlerror();
    return e ? e : "unknown dynamic loader error";
}

static void *fail(Plugin *p, char *err, size_t errlen, const char *path, const PluginNeed *need,
                  const char *file, const char *how, const char *why)
{
    p->handle = NULL;
    if (errlen > 0)
        snprintf(err, errlen, "cannot write '%s': bmc's %s (%s) %s: %s", path ? path : "(null)", need->what, file,
                 how, why);
    return NULL;
}

void *plugin_open(Plugin *p, const PluginNeed *need, const char *path, char *err, size_t errlen)
{
    char dirs[2][PATH_MAX], full[PATH_MAX], how[PATH_MAX + 64];
    if (exe_dir(dirs[0], sizeof dirs[0]) != 0) {
        char why[128];
        snprintf(why, sizeof why, "readlink /proc/self/exe: %s", strerror(errno));
        return fail(p, err, errlen, path, need, need->file, "cannot be looked for", why);
    }
    installed_dir(dirs[0], dirs[1], sizeof dirs[1]);
    for (int k = 0; k < 2; k++) {
        if (snprintf(full, sizeof full, "%s/%s", dirs[k], need->file) >= (int)sizeof full)
            return fail(p, err, errlen, path, need, need->file, "cannot be looked for", strerror(ENAMETOOLONG));
        bool present = access(full, F_OK) == 0;
        /* not beside bmc: it is installed, or missing (the last dlopen's
        ** error says so) */
        if (!present && k == 0) continue;
        /* RTLD_NOW: a library or symbol the plugin lacks fails here, with
        ** dlerror's text, not at the call.  RTLD_NODELETE keeps what it
        ** loaded mapped after plugin_close: HDF5 registers exit handlers
        ** and fontconfig keeps caches that must outlive the call, and the
        ** REPL's second picture loads nothing again. */
        void *h = dlopen(full, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (h != NULL) {
            void *entry = dlsym(h, need->symbol);
            if (entry != NULL) {
                p->handle = h;
                return entry;
            }
            snprintf(how, sizeof how, "has no entry point %s", need->symbol);
            fail(p, err, errlen, path, need, full, how, dl_why());
            dlclose(h);
            return NULL;
        }
        if (present) return fail(p, err, errlen, path, need, full, "cannot be loaded", dl_why());
        snprintf(how, sizeof how, "was not found beside bmc or in %s", dirs[1]);
        return fail(p, err, errlen, path, need, need->file, how, dl_why());
    }
    return NULL;    /* not reached: the second place always returns */
}

void plugin_close(Plugin *p)
{
    if (p->handle) dlclose(p->handle);
    p->handle = NULL;
}
