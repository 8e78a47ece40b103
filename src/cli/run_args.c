/*
** run_args.c -- the options of `bmc run` and `bmc compare`, and sampling
** one model as those commands do: --init values, progress bars on a
** terminal, Ctrl-C, and the problems printed with the model's file.
*/
#include "run_args.h"

#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "logp_values.h"

/* ---- the command line ---- */

int run_args_init(RunArgs *a, const char *command, bool several)
{
    memset(a, 0, sizeof *a);
    a->command = command;
    a->several = several;
    if (!(a->data = dataset_new())) return -1;
    sample_options_init(&a->opts);
    a->plot_kind = PLOT_TRACE;
    return 0;
}

void run_args_free(RunArgs *a)
{
    dataset_free(a->data);
    free(a->paths);
    a->data = NULL;
    a->paths = NULL;
}

/* An option that belongs to one model's run, given to a command of several. */
static int single_model_option(const RunArgs *a, const char *opt)
{
    return cli_usage_error(a->command, "%s is an option of 'bmc run', for one model at a time", opt);
}

int run_args_parse(RunArgs *a, int argc, char **argv)
{
    if (!(a->paths = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a->paths))) return EXIT_MODEL;
    const char *cmd = a->command;
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_data_option(a->data, argc, argv, &i, cmd, &rc)) {
            if (rc) return rc;
            continue;
        }
        char why[512];
        SampleOptionResult taken = sample_option_parse(&a->opts, argc, argv, &i, why, sizeof why);
        if (taken == SAMPLE_OPTION_BAD) return cli_usage_error(cmd, "%s", why);
        if (taken == SAMPLE_OPTION_OK) continue;
        const char *s;
        int e = 0;
        if ((s = command_option_value(argc, argv, &i, "--format"))) {
            if (strcmp(s, "json") == 0) a->json = true;
            else if (strcmp(s, "table") != 0) e = cli_usage_error(cmd, "--format is table or json, not '%s'", s);
        } else if ((s = command_option_value(argc, argv, &i, "--init"))) {
            if (a->several) e = single_model_option(a, "--init");
            a->init = s;
        } else if ((s = command_option_value(argc, argv, &i, "--output-dir"))) {
            if (a->several) e = single_model_option(a, "--output-dir");
            else if (!*s) e = cli_usage_error(cmd, "--output-dir needs a directory");
            a->output_dir = s;
        } else if ((s = command_option_value(argc, argv, &i, "--plot-kind"))) {
            if (a->several) e = single_model_option(a, "--plot-kind");
            else if (plot_kind_parse(s, &a->plot_kind) != 0)
                e = cli_usage_error(cmd, "--plot-kind is %s, not '%s'", PLOT_KIND_NAMES, s);
        } else if ((s = command_option_value(argc, argv, &i, "--plot"))) {
            if (!*s) e = cli_usage_error(cmd, "--plot needs a file name (.png, .svg or .pdf)");
            a->plot = s;
        } else if ((s = command_option_value(argc, argv, &i, "--ref-val"))) {
            char *end;
            a->ref_val = strtod(s, &end);
            a->ref_val_given = true;
            if (a->several) e = single_model_option(a, "--ref-val");
            else if (end == s || *end) e = cli_usage_error(cmd, "--ref-val takes a number, not '%s'", s);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            e = cli_unknown_option(cmd, argv[i]);
        } else if (a->npaths && !a->several) {
            e = cli_usage_error(cmd, "one model at a time ('%s' and '%s')", a->paths[0], argv[i]);
        } else {
            a->paths[a->npaths++] = argv[i];
        }
        if (e) return e;
    }
    if (a->npaths == 0) return cli_usage_error(cmd, a->several ? "no model files given" : "no model file given");
    if (a->several && (a->opts.nquantiles || a->opts.strict))
        return single_model_option(a, a->opts.strict ? "--strict" : "--quantiles");
    if (a->plot && plot_format_of(a->plot) == PLOT_FORMAT_NONE)
        return cli_usage_error(cmd, "--plot '%s': the name must end in .png, .svg or .pdf", a->plot);
    bool prior = a->opts.predictive == PREDICT_PRIOR;
    if (a->plot && prior && a->plot_kind == PLOT_PPC)
        return cli_usage_error(cmd, "--plot-kind ppc checks the posterior's replicates: it does not go with --prior");
    if (a->init && prior)
        return cli_usage_error(cmd, "--init sets where NUTS starts, and --prior draws everything exactly: leave one out");
    if (a->plot && prior && a->plot_kind == PLOT_PRIOR)
        return cli_usage_error(cmd, "--plot-kind prior sets the priors against the posterior: leave out --prior");
    /* a check of the observed data needs their replicates: the picture asks for them */
    if (a->plot && a->plot_kind == PLOT_PPC && a->opts.predictive == PREDICT_NONE) {
        a->opts.predictive = PREDICT_POSTERIOR;
        a->predict_implied = true;
    }
    /* Chosen once, so that every model of a comparison gets the same seed. */
    sample_options_pick_seed(&a->opts);
    return 0;
}

/* ---- initial values ---- */

/* --init's items, read as `bmc logp` reads its own (logp_values.h): into
** init on the unconstrained scale, NaN for the elements not given.
** Returns EXIT_OK, or EXIT_MODEL after printing why, the errors placed
** at --init. */
static int parse_init(const Model *m, const char *spec, double *init)
{
    LogpValues v;
    Diags dg, shown;
    diags_init(&dg, NULL);
    diags_init(&shown, NULL);
    bool ok = logp_values_init(&v, m) == 0;
    if (!ok) diag_error_at(&dg, DIAG_NO_MEMORY, NULL, "out of memory");
    v.scalar_fills = true;   /* theta=0 starts every element at 0 */
    ok = ok && logp_assign_list(&v, spec, "--data or -D", &dg) == 0 && logp_unconstrain(&v, init, &dg) == 0;
    for (int i = 0; i < dg.n; i++) diag_copy(&shown, &dg.items[i], "--init", 0);
    shown.dropped += dg.dropped;
    if (!ok) cli_print_diags(&shown);
    diags_clear(&shown);
    diags_clear(&dg);
    logp_values_free(&v);
    return ok ? EXIT_OK : EXIT_MODEL;
}

/* ---- progress and interruption ---- */

/* Set by the SIGINT handler, which can reach nothing else: the one piece
** of process-wide state, lock-free so that the handler may set it (C11
** 7.14.1.1). */
static atomic_int interrupted;

/* The first Ctrl-C asks sampling to stop and the results to be written; a
** second, while they are, ends the process as Ctrl-C usually does. */
static void on_sigint(int sig)
{
    if (atomic_exchange(&interrupted, 1)) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

void run_catch_sigint(struct sigaction *saved)
{
    atomic_store(&interrupted, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    /* the handler only sets a flag: writes in progress go on */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, saved);
}

void run_release_sigint(const struct sigaction *saved)
{
    sigaction(SIGINT, saved, NULL);
}

bool run_interrupted(void)
{
    return atomic_load(&interrupted) != 0;
}

int run_results_written(int code)
{
    if (code != EXIT_OK || !run_interrupted()) return code;
    fputs("bmc: interrupted while the results were written; they are complete\n", stderr);
    return EXIT_INTERRUPTED;
}

typedef struct Progress {
    int tune, draws;
    int lines;        /* lines drawn last time, to move back over */
} Progress;

/* One line a chain, redrawn in place: a bar, the phase, divergences and
** the time left at the current pace. */
static void show_progress(void *user, const ChainProgress *ch, int n, double seconds)
{
    Progress *p = user;
    int total = p->tune + p->draws;
    if (p->lines) fprintf(stderr, "\033[%dA", p->lines);
    long done = 0;
    for (int c = 0; c < n; c++) done += ch[c].iter;
    double left = done > 0 ? seconds * ((double)total * n - done) / done : 0;
    int shown = n > 8 ? 8 : n;
    for (int c = 0; c < shown; c++) {
        int width = 30, fill = total ? (int)((double)ch[c].iter / total * width) : width;
        char bar[64];
        for (int k = 0; k < width; k++) bar[k] = k < fill ? '#' : '.';
        bar[width] = '\0';
        const char *phase = ch[c].done ? "done    " : ch[c].warmup ? "warm-up " : "sampling";
        fprintf(stderr, "\033[2Kchain %d [%s] %5d/%d %s %d divergent  %.0f s left\n", c + 1, bar, ch[c].iter, total,
                phase, ch[c].divergences, left);
    }
    p->lines = shown;
}

static void clear_progress(Progress *p)
{
    if (!p->lines) return;
    fprintf(stderr, "\033[%dA", p->lines);
    for (int i = 0; i < p->lines; i++) fputs("\033[2K\n", stderr);
    fprintf(stderr, "\033[%dA", p->lines);
}

/* ---- sampling ---- */

int run_sample(const RunArgs *a, const Model *m, double compile_seconds, Sampled *s)
{
    memset(s, 0, sizeof *s);
    const IrModel *ir = m->ir;
    double *init = NULL;
    if (a->init) {   /* read even with no parameter, where every name given is wrong */
        if (!(init = malloc((size_t)(ir->dim ? ir->dim : 1) * sizeof *init))) return EXIT_MODEL;
        int code = parse_init(m, a->init, init);
        if (code != EXIT_OK) { free(init); return code; }
    }
    SampleRequest rq = { .ir = ir, .label = m->name, .file = m->src->name, .opts = &a->opts, .init = init,
                         .init_offered = true, .compile_seconds = compile_seconds, .warnings = &m->warnings,
                         .prior = a->opts.predictive == PREDICT_PRIOR };
    Progress prog = { a->opts.cfg.nuts.tune, a->opts.cfg.nuts.draws, 0 };
    if (isatty(fileno(stderr)) && !a->json) {
        rq.progress = show_progress;
        rq.user = &prog;
    }
    rq.stop = &interrupted;
    Diags errs;
    diags_init(&errs, NULL);
    int code = sampling_run(&rq, s, &errs);
    if (rq.progress) clear_progress(&prog);
    free(init);
    if (code == EXIT_INTERRUPTED) fputs("bmc: interrupted before any draw was made\n", stderr);
    else if (code != EXIT_OK) cli_print_diags(&errs);
    diags_clear(&errs);
    return code;
}

int run_prior(const RunArgs *a, PriorRun *pr)
{
    Diags errs;
    diags_init(&errs, NULL);
    int code = prior_run_sample(pr, &a->opts, &interrupted, &errs);
    if (code == EXIT_INTERRUPTED) fputs("bmc: interrupted before the prior run's first draw: no prior plot\n", stderr);
    else if (code != EXIT_OK) cli_print_diags(&errs);
    diags_clear(&errs);
    return code;
}
