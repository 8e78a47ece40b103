/*
** cmd_inspect.c -- `bmc check` and `bmc ir`: compile and show.
*/
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "dist.h"
#include "passes.h"
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

/* A likelihood of more terms than this, left term by term, is named by
** bmc check: it sets the cost of every gradient. */
#define CHECK_COSTLY_TERMS 10000L

/* bmc check's word on the term of m that costs most at each gradient,
** when it is large and no pass could reduce it. */
static void note_cost(const Model *m)
{
    IrCostReason why;
    int i = m->ir ? ir_costliest_term(m->ir, CHECK_COSTLY_TERMS, &why) : -1;
    if (i < 0) return;
    const IrInstr *in = &m->ir->code[i];
    Diags dg;
    diags_init(&dg, m->src);
    dg.warnings = true;
    Loc at = { in->line, 0, in->line, 0 };
    Diag *e = diag_error(&dg, DIAG_COST, at, "this %s term is evaluated %ld times at every gradient, and sets the "
                         "cost of sampling", dist_at(in->aux)->name, in->n);
    if (why == IR_COST_PASSES_OFF)
        diag_note(e, "the passes that sum rows once (sufficient statistics, grouping) are off: -O0");
    else if (why == IR_COST_PARAMETERS)
        diag_note(e, "its values are parameters, each a term of its own: this is the model's size, not a\n"
                     "      missed shortcut");
    else if (why == IR_COST_NO_STATISTICS)
        diag_note(e, "%s has no sufficient statistics, so its rows cannot be summed once; if many rows\n"
                     "      share their values, give the data as counts", dist_at(in->aux)->name);
    else
        diag_note(e, "its arguments are computed row by row from the parameters; rows are summed once only when\n"
                     "      each argument is one parameter for all of them or a parameter vector gathered by a data\n"
                     "      index (p[g]); if many rows share their arguments, give the data as counts per group");
    cli_print_diags(&dg);
    diags_clear(&dg);
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
            else if (check) {
                cli_note_missing(m);
                note_cost(m);
            }
            else ir_print(stdout, m->ir);
            model_free(m);
        }
    }
    dataset_free(ds);
    return code;
}

int cmd_check(int argc, char **argv) { return inspect(argc, argv, "check"); }
int cmd_ir(int argc, char **argv) { return inspect(argc, argv, "ir"); }
