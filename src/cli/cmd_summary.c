/*
** cmd_summary.c -- `bmc summary FILE.csv...`: the summary of saved
** draws, CmdStan CSV files of one chain each, printed as `bmc run` prints
** its own.
*/
#include <stdlib.h>
#include <string.h>
#include "saved_args.h"

int cmd_summary(int argc, char **argv)
{
    SavedArgs a;
    int code = saved_args_parse(&a, "summary", argc, argv);
    SavedDraws s;
    memset(&s, 0, sizeof s);
    int *which = NULL, nwhich = 0;
    if (code == EXIT_OK) code = saved_args_read(&a, &s, &which, &nwhich);
    if (code == EXIT_OK) {
        ReportOptions ro = sample_report_options(&a.opts, which, nwhich, terminal_color(stderr));
        bool convergence;
        if (report_results(stdout, stderr, s.draws, s.sum, &s.info, &ro, a.json, &convergence) != 0) {
            fputs("bmc: error: cannot print the results\n", stderr);
            code = EXIT_MODEL;
        }
        if (code == EXIT_OK && a.opts.strict && convergence) code = EXIT_CONVERGENCE;
    }
    free(which);
    saved_draws_free(&s);
    saved_args_free(&a);
    return code;
}
