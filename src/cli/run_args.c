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
#include <time.h>
#include <unistd.h>
#include <jansson.h>
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
    a->progress = -1;
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
            else if (cli_is_std_stream(s))
                e = cli_usage_error(cmd, "--output-dir - : a CSV file per chain needs a directory, not standard output");
            a->output_dir = s;
        } else if ((s = command_option_value(argc, argv, &i, "--output-nc"))) {
            if (a->several) e = single_model_option(a, "--output-nc");
            else if (!*s) e = cli_usage_error(cmd, "--output-nc needs a file name");
            a->output_nc = s;
        } else if ((s = command_option_value(argc, argv, &i, "--plot-kind"))) {
            if (a->several) e = single_model_option(a, "--plot-kind");
            else if (plot_kind_parse(s, &a->plot_kind) != 0)
                e = cli_usage_error(cmd, "--plot-kind is %s, not '%s'", PLOT_KIND_NAMES, s);
        } else if ((s = command_option_value(argc, argv, &i, "--plot"))) {
            if (!*s) e = cli_usage_error(cmd, "--plot needs a file name (.png, .svg or .pdf)");
            /* standard output has the summary: a picture there would garble both */
            else if (cli_is_std_stream(s))
                e = cli_usage_error(cmd, "--plot - : the summary goes to standard output; the picture needs a file "
                                         "name (.png, .svg or .pdf)");
            a->plot = s;
        } else if ((s = command_option_value(argc, argv, &i, "--ref-val"))) {
            char *end;
            a->ref_val = strtod(s, &end);
            a->ref_val_given = true;
            if (a->several) e = single_model_option(a, "--ref-val");
            else if (end == s || *end) e = cli_usage_error(cmd, "--ref-val takes a number, not '%s'", s);
        } else if ((s = command_option_value(argc, argv, &i, "--progress"))) {
            char *end;
            a->progress = strtod(s, &end);
            if (end == s || *end || !(a->progress >= 0 && a->progress <= 1e6))
                e = cli_usage_error(cmd, "--progress takes seconds between report lines (0: none), not '%s'", s);
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
    if (a->opts.cfg.save_warmup && !a->output_dir)
        return cli_usage_error(cmd, "--save-warmup writes the warm-up's draws into the CSV files: give --output-dir%s",
                               a->several ? " (bmc run, one model at a time)" : "");
    bool prior = a->opts.predictive == PREDICT_PRIOR;
    if (a->plot && prior && a->plot_kind == PLOT_PPC)
        return cli_usage_error(cmd, "--plot-kind ppc checks the posterior's replicates: it does not go with --prior");
    if (a->init && prior)
        return cli_usage_error(cmd, "--init sets where NUTS starts, and --prior draws everything exactly: leave one out");
    if (prior && (a->opts.log_lik || a->opts.loo))
        return cli_usage_error(cmd, "%s is of how the posterior fits the observed data, and --prior draws before any "
                               "data: leave one out", a->opts.loo ? "--loo" : "--log-lik");
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

/* Prints dg's errors as placed at where ("--init"), and clears dg. */
static void print_init_errors(Diags *dg, const char *where)
{
    Diags shown;
    diags_init(&shown, NULL);
    for (int i = 0; i < dg->n; i++) diag_copy(&shown, &dg->items[i], where, 0);
    shown.dropped += dg->dropped;
    cli_print_diags(&shown);
    diags_clear(&shown);
    diags_clear(dg);
}

/* Takes the values of ds (a file's object) into v as "name=value" items. */
static int assign_dataset(LogpValues *v, const DataSet *ds, Diags *dg)
{
    for (int k = 0; k < ds->n; k++) {
        const DataValue *dv = &ds->vals[k];
        size_t cap = strlen(dv->name) + 8 + (size_t)dv->n * 26;
        char *item = malloc(cap);
        if (!item) {
            diag_error_at(dg, DIAG_NO_MEMORY, NULL, "out of memory");
            return -1;
        }
        size_t at = (size_t)snprintf(item, cap, "%s=%s", dv->name, dv->ndim > 0 ? "[" : "");
        for (long i = 0; i < dv->n; i++)
            at += (size_t)snprintf(item + at, cap - at, "%s%.17g", i ? "," : "", dv->v[i]);
        snprintf(item + at, cap - at, "%s", dv->ndim > 0 ? "]" : "");
        int rc = logp_assign(v, item, "--data", dg);
        free(item);
        if (rc != 0) return -1;
    }
    return 0;
}

/* One chain's initial values from ds, or from the "a=v,b=w" list spec when
** ds is NULL, into init on the unconstrained scale, NaN for the elements
** not given.  Errors go to dg. */
static int init_values(const Model *m, const DataSet *ds, const char *spec, double *init, Diags *dg)
{
    LogpValues v;
    bool ok = logp_values_init(&v, m) == 0;
    if (!ok) diag_error_at(dg, DIAG_NO_MEMORY, NULL, "out of memory");
    v.scalar_fills = true;   /* theta=0 starts every element at 0 */
    ok = ok && (ds ? assign_dataset(&v, ds, dg) : logp_assign_list(&v, spec, "--data or -D", dg)) == 0 &&
         logp_unconstrain(&v, init, dg) == 0;
    logp_values_free(&v);
    return ok ? 0 : -1;
}

/* --init FILE.json: one object of values for every chain, or a list of one
** object per chain (CmdStan's JSON, as data files are), into *init
** (malloc'ed, *ninit vectors of dim values).  Returns EXIT_OK, or
** EXIT_MODEL after printing why. */
static int init_from_file(const Model *m, const char *path, const RunConfig *cfg, double **init, int *ninit)
{
    int chains = cfg->chains;
    long dim = m->ir->dim ? m->ir->dim : 1;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_DECODE_ANY, &jerr);
    Diags dg;
    diags_init(&dg, NULL);
    int n = root && json_is_array(root) ? (int)json_array_size(root) : 1;
    if (root && json_is_array(root) && n != chains) {
        fprintf(stderr, "bmc: error: --init %s: a list of %d sets of initial values for %d chains\n"
                "note: give one object for every chain, or a list of one object per chain\n", path, n, chains);
        json_decref(root);
        return EXIT_MODEL;
    }
    *ninit = n;
    *init = malloc((size_t)n * (size_t)dim * sizeof **init);
    int rc = *init ? 0 : -1;
    if (rc) diag_error_at(&dg, DIAG_NO_MEMORY, NULL, "out of memory");
    for (int c = 0; c < n && rc == 0; c++) {
        DataSet *ds = dataset_new();
        if (!ds) { diag_error_at(&dg, DIAG_NO_MEMORY, NULL, "out of memory"); rc = -1; break; }
        if (!root || !json_is_array(root)) {   /* one object, read as a data file is, errors placed in it */
            rc = dataset_read_file(ds, path, 0, &dg);
        } else {
            char name[1024];
            snprintf(name, sizeof name, "%s (chain %d's values)", path, run_chain_id(cfg, c));
            char *text = json_dumps(json_array_get(root, (size_t)c), JSON_COMPACT | JSON_ENCODE_ANY);
            rc = text ? dataset_parse_json(ds, name, text, strlen(text), &dg) : -1;
            free(text);
        }
        if (rc == 0) rc = init_values(m, ds, NULL, *init + (size_t)c * (size_t)dim, &dg);
        dataset_free(ds);
    }
    json_decref(root);
    if (rc != 0) {
        print_init_errors(&dg, path);
        free(*init);
        *init = NULL;
        return EXIT_MODEL;
    }
    diags_clear(&dg);
    return EXIT_OK;
}

/* --init's values: a file's, or "a=v,b=w" items read as `bmc logp` reads
** its own (logp_values.h), the errors placed at --init. */
static int parse_init(const Model *m, const char *spec, const RunConfig *cfg, double **init, int *ninit)
{
    /* a list of values always has '='; a file name without one is a file */
    if (!strchr(spec, '=')) return init_from_file(m, spec, cfg, init, ninit);
    *ninit = 1;
    if (!(*init = malloc((size_t)(m->ir->dim ? m->ir->dim : 1) * sizeof **init))) return EXIT_MODEL;
    Diags dg;
    diags_init(&dg, NULL);
    if (init_values(m, NULL, spec, *init, &dg) != 0) {
        print_init_errors(&dg, "--init");
        free(*init);
        *init = NULL;
        return EXIT_MODEL;
    }
    diags_clear(&dg);
    return EXIT_OK;
}

/* ---- progress and interruption ---- */

/* Set by the signal handler, which can reach nothing else: the one piece
** of process-wide state, lock-free so that the handler may set it (C11
** 7.14.1.1).  terminated_at: the monotonic second of the first SIGTERM. */
static atomic_int interrupted;
static _Atomic long terminated_at;

/* timeout(1) and a kill of the process group deliver one SIGTERM twice:
** a second within this many seconds of the first is the same request. */
#define SIGTERM_REPEAT_SECONDS 2

/* The first Ctrl-C (or SIGTERM) asks sampling to stop and the results to
** be written; a second, while they are, ends the process as the signal
** usually does.  (clock_gettime is async-signal-safe: POSIX 2008.) */
static void on_sigint(int sig)
{
    if (sig == SIGTERM) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long first = atomic_load(&terminated_at);
        if (first && now.tv_sec - first < SIGTERM_REPEAT_SECONDS) return;   /* the same request again */
        if (!first) atomic_store(&terminated_at, now.tv_sec > 0 ? (long)now.tv_sec : 1L);
    }
    if (atomic_exchange(&interrupted, 1)) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

void run_catch_sigint(RunSignals *saved)
{
    atomic_store(&interrupted, 0);
    atomic_store(&terminated_at, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    /* the handler only sets a flag: writes in progress go on */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &saved->intr);
    sigaction(SIGTERM, &sa, &saved->term);
}

void run_release_sigint(const RunSignals *saved)
{
    sigaction(SIGINT, &saved->intr, NULL);
    sigaction(SIGTERM, &saved->term, NULL);
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
    double every;     /* report lines: seconds between them */
    double next;      /* when the next one is due */
} Progress;

/* A line every p->every seconds, as CmdStan's refresh prints them, for a
** log or a pipe: where each chain is, and its divergences. */
static void report_progress(void *user, const ChainProgress *ch, int n, double seconds)
{
    Progress *p = user;
    bool all = true;
    for (int c = 0; c < n; c++) all = all && ch[c].done;
    if (seconds < p->next || all) return;
    while (p->next <= seconds) p->next += p->every;
    fprintf(stderr, "after %.1f s:", seconds);
    for (int c = 0; c < n; c++) {
        const char *phase = ch[c].done ? "done" : ch[c].warmup ? "warm-up" : "sampling";
        fprintf(stderr, "%s chain %d iteration %d/%d (%s", c ? "," : "", c + 1, ch[c].iter, p->tune + p->draws, phase);
        if (ch[c].divergences) fprintf(stderr, ", %d divergent", ch[c].divergences);
        fputc(')', stderr);
    }
    fputc('\n', stderr);
    fflush(stderr);
}

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

int run_sample(const RunArgs *a, const Model *m, double compile_seconds, const DrawSink *sink, Sampled *s)
{
    memset(s, 0, sizeof *s);
    const IrModel *ir = m->ir;
    double *init = NULL;
    int ninit = 0;
    if (a->init) {   /* read even with no parameter, where every name given is wrong */
        int code = parse_init(m, a->init, &a->opts.cfg, &init, &ninit);
        if (code != EXIT_OK) return code;
    }
    SampleRequest rq = { .ir = ir, .label = m->name, .file = m->src->name, .opts = &a->opts, .init = init, .ninit = ninit,
                         .init_offered = true, .compile_seconds = compile_seconds, .warnings = &m->warnings,
                         .prior = a->opts.predictive == PREDICT_PRIOR, .sink = sink };
    Progress prog = { a->opts.cfg.nuts.tune, a->opts.cfg.nuts.draws, 0, a->progress, a->progress };
    bool bars = a->progress < 0 && isatty(fileno(stderr)) && !a->json;
    if (bars || a->progress > 0) {
        rq.progress = bars ? show_progress : report_progress;
        rq.user = &prog;
    }
    rq.stop = &interrupted;
    Diags errs;
    diags_init(&errs, NULL);
    int code = sampling_run(&rq, s, &errs);
    if (bars) clear_progress(&prog);
    free(init);
    if (code == EXIT_INTERRUPTED) fputs("bmc: interrupted before any draw was made\n", stderr);
    else if (code != EXIT_OK && code != EXIT_OUTPUT) cli_print_diags(&errs);
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
