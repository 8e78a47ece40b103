#include "cli.h"

int cmd_graph(int argc, char **argv) { (void)argc; (void)argv; return 1; }
int cmd_repl(int argc, char **argv) { (void)argc; (void)argv; return 1; }
#include "plot.h"
#include <string.h>
int plot_kind_parse(const char *s, PlotKind *kind) { (void)s; *kind = PLOT_TRACE; return 0; }
PlotFormat plot_format_of(const char *path) { (void)path; return PLOT_FORMAT_PNG; }
int plot_draws(const char *path, const Draws *d, const VarSummary *s, const int *divergent, int stride,
               const PlotOptions *o, char *err, size_t errlen) { (void)path; (void)d; (void)s; (void)divergent; (void)stride; (void)o; (void)err; (void)errlen; return -1; }
