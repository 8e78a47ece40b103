/*
** saved_args.c -- the command line of `bmc summary` and `bmc plot`, and
** reading their files (see saved_args.h).
*/
#include "saved_args.h"

#include <stdlib.h>
#include <string.h>
#include "define.h"

int saved_args_parse(SavedArgs *a, const char *command, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->command = command;
    sample_options_init(&a->opts);
    a->kind = PLOT_TRACE;
    size_t room = (size_t)(argc > 0 ? argc : 1);
    a->paths = calloc(room, sizeof *a->paths);
    a->defines = calloc(room, sizeof *a->defines);
    if (!a->paths || !a->defines) return EXIT_MODEL;
    bool plot = strcmp(command, "plot") == 0;
    for (int i = 1; i < argc; i++) {
        char why[512];
        SampleOptionResult taken = summary_option_parse(&a->opts, argc, argv, &i, why, sizeof why);
        if (taken == SAMPLE_OPTION_BAD) return cli_usage_error(command, "%s", why);
        if (taken == SAMPLE_OPTION_OK) {
            /* a picture has no columns and no exit status to choose */
            if (plot && (a->opts.nquantiles || a->opts.strict || a->opts.round >= 0))
                return cli_usage_error(command, "%s is an option of 'bmc summary'", argv[i]);
            continue;
        }
        const char *s;
        if ((s = command_option_value(argc, argv, &i, "--define"))) {
            if (!*s) return cli_usage_error(command, "--define needs a definition: --define 'lift = p_B / p_A - 1'");
            a->defines[a->ndefines++] = s;
        } else if (!plot && (s = command_option_value(argc, argv, &i, "--format"))) {
            if (strcmp(s, "json") == 0) a->json = true;
            else if (strcmp(s, "table") != 0) return cli_usage_error(command, "--format is table or json, not '%s'", s);
        } else if (plot && (s = command_option_value(argc, argv, &i, "--kind"))) {
            if (plot_kind_parse(s, &a->kind) != 0)
                return cli_usage_error(command, "--kind is %s, not '%s'", PLOT_KIND_NAMES, s);
            a->kind_given = true;
        } else if (plot && (s = command_option_value(argc, argv, &i, "--output"))) {
            if (plot_format_of(s) == PLOT_FORMAT_NONE)
                return cli_usage_error(command, "--output '%s': the name must end in .png, .svg or .pdf", s);
            a->output = s;
        } else if (plot && (s = command_option_value(argc, argv, &i, "--ref-val"))) {
            char *end;
            a->ref_val = strtod(s, &end);
            a->ref_val_given = true;
            if (end == s || *end) return cli_usage_error(command, "--ref-val takes a number, not '%s'", s);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_unknown_option(command, argv[i]);
        } else {
            a->paths[a->npaths++] = argv[i];
        }
    }
    if (a->npaths == 0) return cli_usage_error(command, "no CSV files given (bmc run MODEL.bm --output-dir DIR writes them)");
    if (plot && (a->kind == PLOT_PPC || a->kind == PLOT_PRIOR))
        return cli_usage_error(command, "--kind %s needs the model: %s; use bmc run MODEL.bm --plot FILE --plot-kind %s",
                               plot_kind_name(a->kind),
                               a->kind == PLOT_PPC ? "saved draws do not say which columns replicate which data"
                                                   : "the prior is drawn by a prior run of the model",
                               plot_kind_name(a->kind));
    return EXIT_OK;
}

void saved_args_free(SavedArgs *a)
{
    free(a->paths);
    free(a->defines);
    a->paths = a->defines = NULL;
}

/* --vars among the files' quantities. */
static int select_vars(const SavedArgs *a, const Draws *d, int **which, int *nwhich)
{
    char *bad = NULL;
    if (report_select(d, a->opts.vars, which, nwhich, &bad) == 0) return EXIT_OK;
    if (!bad) {
        fputs("bmc: error: out of memory\n", stderr);
        return EXIT_MODEL;
    }
    const char *best = diag_suggest(bad, (const char *const *)d->names, d->nvars);
    int code = cli_usage_error_meant(a->command, best, "--vars: '%s' is not a quantity of the files", bad);
    free(bad);
    return code;
}

int saved_args_read(const SavedArgs *a, SavedDraws *s, int **which, int *nwhich)
{
    *which = NULL;
    *nwhich = 0;
    Diags errs;
    diags_init(&errs, NULL);
    int code = saved_draws_read(s, a->paths, a->npaths, &errs);
    if (code == EXIT_OK && a->ndefines) code = define_quantities(&s->draws, a->defines, a->ndefines, &errs);
    if (code == EXIT_OK) code = saved_draws_summarise(s, a->opts.hdi_prob, a->opts.cfg.cores, &errs);
    if (code != EXIT_OK) cli_print_diags(&errs);
    diags_clear(&errs);
    if (code == EXIT_OK && a->opts.vars) code = select_vars(a, s->draws, which, nwhich);
    return code;
}
