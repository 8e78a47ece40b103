/*
** cmd_inspect.c -- `bmc check` and `bmc ir`: compile and show.
*/
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "sample_options.h"

/* Parses MODEL.bm, the data options, -O0 and --sampler (nuts: the IR
** NUTS would sample, conjugate blocks left to it); returns 0 or an exit code. */
static int parse_args(int argc, char **argv, const char *command, const char **path, DataSet *ds, unsigned *passes,
                      SamplerKind *sampler)
{
    *path = NULL;
    for (int i = 1; i < argc; i++) {
        int rc;
        if (strcmp(argv[i], "--sampler") == 0) {
            if (i + 1 >= argc || sample_sampler_parse(argv[i + 1], sampler) != 0)
                return cli_usage_error(command, "--sampler takes auto, nuts or exact");
            i++;
            continue;
        }
        if (cli_data_option(ds, argc, argv, &i, command, &rc)) {
            if (rc) return rc;
            continue;
        }
        if (cli_passes_option(argv[i], passes)) continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_unknown_option(command, argv[i]);
        if (*path) return cli_usage_error(command, "one model at a time ('%s' and '%s')", *path, argv[i]);
        *path = argv[i];
    }
    if (!*path) return cli_usage_error(command, "no model file given");
    return 0;
}

/* Data given in part: the names left out are errors, as they would be
** for `bmc run`, rather than a quiet check without any of the data. */
static int missing_given(Model *m)
{
    for (int i = 0; m->missing[i]; i++) {
        const Symbol *sym = sema_find(&m->sema, m->missing[i]);
        Diag *e = diag_error(&m->diags, DIAG_DATA_MISSING, sym ? sym->loc : LOC_NONE, "no value for data '%s'", m->missing[i]);
        diag_subject(e, m->missing[i]);
        diag_note(e, "the data given do not include it; pass it with --data FILE.json or -D %s=...", m->missing[i]);
    }
    cli_print_diags(&m->diags);
    return EXIT_MODEL;
}

static int inspect(int argc, char **argv, const char *command)
{
    DataSet *ds = dataset_new();
    if (!ds) return EXIT_MODEL;
    const char *path;
    unsigned passes = IR_PASS_ALL;
    SamplerKind sampler = SAMPLER_AUTO;
    int code = parse_args(argc, argv, command, &path, ds, &passes, &sampler);
    if (code == 0) {
        bool check = strcmp(command, "check") == 0;
        /* as bmc run compiles it by default: conjugate blocks drawn exactly */
        CompileOptions opt = { .check_only = check, .passes = passes,
                              .conjugate = sampler != SAMPLER_NUTS };
        Model *m = cli_compile(path, ds, &opt, &code);
        if (m) {
            code = EXIT_OK;
            cli_print_warnings(m);
            if (check && m->missing && ds->n > 0) code = missing_given(m);
            else if (check) cli_note_missing(m);
            else ir_print(stdout, m->ir);
            model_free(m);
        }
    }
    dataset_free(ds);
    return code;
}

int cmd_check(int argc, char **argv) { return inspect(argc, argv, "check"); }
int cmd_ir(int argc, char **argv) { return inspect(argc, argv, "ir"); }
