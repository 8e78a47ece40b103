/*
** cmd_run.c -- `bmc run MODEL.bm`: compile, sample, summarise.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "draw_files.h"
#include "inference_data.h"
#include "ncout.h"
#include "prior_run.h"
#include "run_args.h"

/* ---- outputs ---- */

/* The CSV files --output-dir asks for, opened before sampling so that a
** directory that cannot be written is found before the first draw.
** Returns EXIT_OK, or EXIT_OUTPUT after printing why. */
static int open_draw_files(const RunArgs *a, const Model *m, DrawFiles *files, bool *opened)
{
    *opened = false;
    if (!a->output_dir) return EXIT_OK;
    char err[1024];
    if (draw_files_open(files, a->output_dir, m->name, m->ir, &a->opts, err, sizeof err) != 0) {
        fprintf(stderr, "bmc: error: %s\n", err);
        return EXIT_OUTPUT;
    }
    *opened = true;
    return EXIT_OK;
}

/* Closes the files after the run, whatever ended it, and says which files
** beside them are not this run's.  Returns code, or EXIT_OUTPUT after
** printing why the files could not be written. */
static int close_draw_files(DrawFiles *files, int code)
{
    char stale[1024], err[1024];
    draw_files_stale(files, stale, sizeof stale);
    if (draw_files_close(files, err, sizeof err) != 0) {
        fprintf(stderr, "bmc: error: %s\n", err);
        return EXIT_OUTPUT;
    }
    if (*stale)
        fprintf(stderr, "warning: %s %s from an earlier run, not this one's chains: a reader of all the model's "
                "files would mix them in\n", stale, strchr(stale, ',') ? "are" : "is");
    return code;
}

/* The error for a --vars name, bad, that the run does not report. */
static void bad_vars(const char *bad, Predictive predictive)
{
    fprintf(stderr, "bmc: error: --vars: '%s' is not a reported quantity of the model\n", bad);
    if (predictive != PREDICT_POSTERIOR && strstr(bad, "_rep"))
        fprintf(stderr, "note: replicates of the observed data (NAME_rep) are made by --predict\n");
}

/* The file of --output-nc must be writable: checked before sampling, as
** a failed write would lose the run. */
static int check_output_nc(const RunArgs *a)
{
    char err[512];
    if (!a->output_nc ||
        (ncout_check(a->output_nc, err, sizeof err) == 0 && ncout_ready(a->output_nc, err, sizeof err) == 0))
        return EXIT_OK;
    fprintf(stderr, "bmc: error: %s\n", err);
    return EXIT_OUTPUT;
}

static int write_nc(const RunArgs *a, const Model *m, const Sampled *s)
{
    char err[512];
    CompileOptions co = sample_compile_options(&a->opts);
    if (inference_data_write(a->output_nc, m, a->data, &co, s, err, sizeof err) == 0) return EXIT_OK;
    fprintf(stderr, "bmc: error: %s\n", err);
    return EXIT_OUTPUT;
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
        if (bad) bad_vars(bad, a->opts.predictive);
        code = EXIT_USAGE;
    }
    free(bad);
    free(which);
    draws_free(d);
    return code;
}

/* What the picture needs beyond the posterior's draws, checked before
** sampling: replicates of observed data for --plot-kind ppc, and for
** --plot-kind prior the model compiled for a prior run, into pr. */
static int prepare_plot(const RunArgs *a, const Model *m, const CompileOptions *co, PriorRun *pr)
{
    if (!a->plot) return EXIT_OK;
    char err[512];
    if (plot_ready(a->plot, err, sizeof err) != 0) {   /* before sampling, not after */
        fprintf(stderr, "bmc: error: %s\n", err);
        return EXIT_OUTPUT;
    }
    if (a->plot_kind == PLOT_PPC && !ir_has_replicates(m->ir))
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
        return EXIT_OUTPUT;
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
            if (bad) bad_vars(bad, a->opts.predictive);
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
    if (a->output_nc && write_nc(a, m, s) != EXIT_OK) code = EXIT_OUTPUT;
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
        if (m && (code = check_vars(&a, m)) == EXIT_OK && (code = prepare_plot(&a, m, &co, &pr)) == EXIT_OK &&
            (code = check_output_nc(&a)) == EXIT_OK) {
            Sampled s;
            memset(&s, 0, sizeof s);
            DrawFiles files;
            bool opened;
            RunSignals saved;
            run_catch_sigint(&saved);
            if ((code = open_draw_files(&a, m, &files, &opened)) == EXIT_OK) {
                code = run_sample(&a, m, run_now() - t0, opened ? &files.sink : NULL, &s);
                if (opened) code = close_draw_files(&files, code);
                if (code == EXIT_OK) code = report_run(&a, m, &s, &pr);
                code = run_results_written(code);
            }
            run_release_sigint(&saved);
            sampled_free(&s);
        }
        prior_run_free(&pr);
        model_free(m);
    }
    run_args_free(&a);
    return code;
}
