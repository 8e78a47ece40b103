/*
** plot_kind.c -- the kinds of picture and the formats a file name asks
** for (plot.h): what the command line checks before a run, so it lives in
** bmc itself, not in the cairo plugin that draws the pictures.
*/
#include "plot.h"

#include <string.h>
#include <strings.h>

const char PLOT_KIND_NAMES[] = "trace, posterior, forest, ppc or prior";

static const struct { const char *name; PlotKind kind; } kinds[] = {
    { "trace", PLOT_TRACE }, { "posterior", PLOT_POSTERIOR }, { "forest", PLOT_FOREST },
    { "ppc", PLOT_PPC }, { "prior", PLOT_PRIOR },
};

const char *plot_kind_name(PlotKind kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].kind == kind) return kinds[i].name;
    return "?";
}

int plot_kind_parse(const char *s, PlotKind *kind)
{
    if (s == NULL) return -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *kind = kinds[i].kind;
            return 0;
        }
    return -1;
}

PlotFormat plot_format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot == NULL || strchr(dot, '/') != NULL) return PLOT_FORMAT_NONE;
    if (strcasecmp(dot, ".png") == 0) return PLOT_FORMAT_PNG;
    if (strcasecmp(dot, ".svg") == 0) return PLOT_FORMAT_SVG;
    if (strcasecmp(dot, ".pdf") == 0) return PLOT_FORMAT_PDF;
    return PLOT_FORMAT_NONE;
}
