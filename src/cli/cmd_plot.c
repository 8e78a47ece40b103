/*
** cmd_plot.c -- `bmc plot FILE.csv... --kind K`: the pictures `bmc run
** --plot` draws, of saved draws.
*/
#include <stdlib.h>
#include <string.h>
#include "saved_args.h"

int cmd_plot(int argc, char **argv)
{
    SavedArgs a;
    int code = saved_args_parse(&a, "plot", argc, argv);
    SavedDraws s;
    memset(&s, 0, sizeof s);
    int *which = NULL, nwhich = 0;
    if (code == EXIT_OK) code = saved_args_read(&a, &s, &which, &nwhich);
    if (code == EXIT_OK) {
        /* MODEL_KIND.png beside the files' run, unless --output names one */
        char fallback[256];
        const char *model = s.run.model[0] ? s.run.model : "draws";
        snprintf(fallback, sizeof fallback, "%s_%s.png", model, plot_kind_name(a.kind));
        const char *path = a.output ? a.output : fallback;
        PlotOptions po = { .kind = a.kind, .hdi_prob = a.opts.hdi_prob, .which = which, .nwhich = nwhich,
                           .ref_val = a.ref_val, .ref_val_given = a.ref_val_given,
                           .title = s.run.model[0] ? s.run.model : NULL };
        char err[512];
        if (plot_draws(path, s.draws, s.sum, &po, err, sizeof err) != 0) {
            fprintf(stderr, "bmc: error: %s\n", err);
            code = EXIT_OUTPUT;
        } else if (!a.output) {
            fprintf(stderr, "bmc: wrote %s\n", path);
        }
    }
    free(which);
    saved_draws_free(&s);
    saved_args_free(&a);
    return code;
}
