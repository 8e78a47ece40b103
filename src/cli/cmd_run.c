/*
** cmd_run.c -- `bmc run MODEL.bm`: compile, sample, summarise.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "csvout.h"
#include "prior_run.h"
#include "run_args.h"

/* ---- outputs ---- */

static int write_csv(const RunArgs *a, const Model *m, const RunResult *res, const RunInfo *info)
{
    if (mkdir(a->output_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "bmc: error: cannot make directory '%s': %s\n", a->output_dir, strerror(errno));
        return -1;
    }
    size_t msize = (size_t)(res->dense ? res->dim * res->dim : res->dim);
    for (int c = 0; c < a->opts.cfg.chains; c++) {
        size_t len = strlen(a->output_dir) + strlen(m->name) + 32;
        char *path = malloc(len), err[512];
        if (!path) return -1;
        snprintf(path, len, "%s/%s_%d.csv", a->output_dir, m->name, c + 1);
        CsvChain ch = { .chain = c, .stepsize = res->stepsize[c], .inv_metric = res->inv_metric + c * msize,
                        .dim = (int)res->dim, .stored_dense = res->dense, .dense = run_chain_dense(res, c),
                        .warmup_seconds = res->warmup_seconds[c], .sampling_seconds = res->sampling_seconds[c] };
        int rc = csv_write_chain(path, res->draws, &ch, info, err, sizeof err);
        free(path);
        if (rc != 0) {
            fprintf(stderr, "bmc: error: %s\n", err);
            return -1;
        }
    }
    return 0;
}

/* --vars must name what the model reports; checked before sampling, not
** after a long run. */
static int check_vars(const RunArgs *a, const Model *m)
{
    if (!a->opts.vars) return EXIT_OK;
    long n = ir_output_count(m->ir);
    char **names = ir_output_names(m->ir);
    Draws *d = names ? draws_new((int)n, (const char *const *)names, 1, 1) : NULL;
    ir_free_names(names, n);
    int *which = NULL, nwhich, code = EXIT_OK;
    char *bad = NULL;
    if (!d) return EXIT_MODEL;
    if (report_select(d, a->opts.vars, &which, &nwhich, &bad) != 0) {
        if (bad) fprintf(stderr, "bmc: error: --vars: '%s' is not a reported quantity of the model\n", bad);
        code = EXIT_USAGE;
    }
    free(bad);
    free(which);
    draws_free(d);
    return code;
}

/* Whether ir draws replicates of observed data. */
static bool has_replicates(const IrModel *ir)
{
    for (int k = 0; k < ir->noutputs; k++)
        if (ir->outputs[k].group == IR_GROUP_PREDICTIVE) return true;
    return false;
}

/* What the picture needs beyond the posterior's draws, checked before
** sampling: replicates of observed data for --plot-kind ppc, and for
** --plot-kind prior the model compiled for a prior run, into pr. */
static int prepare_plot(const RunArgs *a, const Model *m, const CompileOptions *co, PriorRun *pr)
{
    if (!a->plot) return EXIT_OK;
    if (a->plot_kind == PLOT_PPC && !has_replicates(m->ir))
        return cli_usage_error("run", "--plot-kind ppc checks the model's observed data, and %s observes none",
                               m->src->name);
    if (a->plot_kind != PLOT_PRIOR) return EXIT_OK;
    Diags errs;
    diags_init(&errs, NULL);
    int code = prior_run_compile(pr, m->src->name, m->src->text, m->src->len, a->data, co, &errs);
    if (code != EXIT_OK) {
        cli_print_diags(&errs);
        fputs("note: --plot-kind prior draws the priors from a prior predictive run of the model (as --prior\n"
              "      does), which the model cannot make as written\n", stderr);
    } else if (pr->why) {
        fprintf(stderr, "warning: --plot-kind prior draws no prior curves: %s; give proper priors to see how the "
                        "data move them\n", pr->why);
    }
    diags_clear(&errs);
    return code;
}

/* The picture --plot asks for; for --plot-kind prior after the prior run
** is drawn.  Returns EXIT_OK, or an exit code after printing why. */
static int plot_run(const RunArgs *a, const Model *m, const Sampled *s, PriorRun *pr, const int *which, int nwhich)
{
    PlotOptions po = { .kind = a->plot_kind, .hdi_prob = a->opts.hdi_prob, .which = which, .nwhich = nwhich,
                       .ref_val = a->ref_val, .ref_val_given = a->ref_val_given, .title = m->name };
    if (a->plot_kind == PLOT_PRIOR) {
        int code = run_prior(a, pr);
        if (code != EXIT_OK) return code;
        prior_run_plot_options(pr, &po);
    }
    char err[512];
    if (plot_draws(a->plot, s->res.draws, s->sum, &po, err, sizeof err) != 0) {
        fprintf(stderr, "bmc: error: %s\n", err);
        return EXIT_MODEL;
    }
    return EXIT_OK;
}

/* Prints the summary and writes the files the options ask for. */
static int report_run(const RunArgs *a, const Model *m, const Sampled *s, PriorRun *pr)
{
    const RunResult *res = &s->res;
    int code = EXIT_OK;
    int *which = NULL, nwhich = 0;
    if (a->opts.vars) {
        char *bad = NULL;
        if (report_select(res->draws, a->opts.vars, &which, &nwhich, &bad) != 0) {
            if (bad) fprintf(stderr, "bmc: error: --vars: '%s' is not a reported quantity of the model\n", bad);
            free(bad);
            return EXIT_USAGE;
        }
    }
    ReportOptions ro = sample_report_options(&a->opts, which, nwhich, terminal_color(stderr));
    bool convergence;
    if (report_results(stdout, stderr, res->draws, s->sum, &s->info, &ro, a->json, &convergence) != 0) {
        fputs("bmc: error: cannot print the results\n", stderr);
        code = EXIT_MODEL;
    }
    if (a->opts.strict && code == EXIT_OK && convergence) code = EXIT_CONVERGENCE;
    fflush(stdout);
    if (a->output_dir && write_csv(a, m, res, &s->info) != 0) code = EXIT_MODEL;
    if (a->plot) {
        int plotted = plot_run(a, m, s, pr, which, nwhich);
        if (plotted != EXIT_OK) code = plotted;
    }
    if (s->info.interrupted && code == EXIT_OK) code = EXIT_INTERRUPTED;
    free(which);
    return code;
}

int cmd_run(int argc, char **argv)
{
    RunArgs a;
    if (run_args_init(&a, "run", false) != 0) return EXIT_MODEL;
    int code = run_args_parse(&a, argc, argv);
    if (code == 0) {
        double t0 = run_now();
        CompileOptions co = sample_compile_options(&a.opts);
        Model *m = cli_compile(a.paths[0], a.data, &co, &code);
        if (!m && a.predict_implied)
            fputs("note: --plot-kind ppc draws replicates of the observed data, as --predict does\n", stderr);
        PriorRun pr;
        memset(&pr, 0, sizeof pr);
        if (m && (code = check_vars(&a, m)) == EXIT_OK && (code = prepare_plot(&a, m, &co, &pr)) == EXIT_OK) {
            Sampled s;
            struct sigaction saved;
            run_catch_sigint(&saved);
            code = run_sample(&a, m, run_now() - t0, &s);
            if (code == EXIT_OK) code = report_run(&a, m, &s, &pr);
            code = run_results_written(code);
            run_release_sigint(&saved);
            sampled_free(&s);
        }
        prior_run_free(&pr);
        model_free(m);
    }
    run_args_free(&a);
    return code;
}
