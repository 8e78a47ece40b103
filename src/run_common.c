/*
** run_common.c -- the options of `bmc run` and `bmc compare`, and
** sampling one compiled model into summarised draws.
*/
#include "run_common.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "diagnostics.h"
#include "dist.h"

/* Bytes a run will hold at once: per chain the evaluator's values and
** adjoints and the sampler's vectors (a few dozen of the dimension, and
** dim x dim matrices for a dense metric), then every kept draw. */
static double run_bytes(const IrModel *ir, const RunConfig *cfg)
{
    double dim = (double)ir->dim, chains = cfg->chains, draws = cfg->nuts.draws;
    double dense = nuts_resolve_metric(cfg->nuts.metric, (int)ir->dim, cfg->nuts.tune) == METRIC_DENSE;
    double chain = 16.0 * (double)ir->nwork + 8 * 32 * dim + dense * 8 * 4 * dim * dim;
    return chains * chain + chains * draws * (8.0 * (double)ir_output_count(ir) + sizeof(NutsStats));
}

/* Half the machine's memory: a run above it would likely be killed. */
static double memory_budget(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? 0.5 * (double)pages * (double)size : 8.0 * 1024 * 1024 * 1024;
}

/* ---- the command line ---- */

int run_args_init(RunArgs *a, const char *command, bool several)
{
    memset(a, 0, sizeof *a);
    a->command = command;
    a->several = several;
    if (!(a->data = dataset_new())) return -1;
    a->cfg.nuts = nuts_default_config();
    a->cfg.chains = 4;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a->cfg.cores = cores > 0 ? (int)cores : 1;
    a->hdi_prob = 0.94;
    a->round = -1;
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

static int parse_long(const RunArgs *a, const char *opt, const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno || x < lo || x > hi)
        return cli_usage_error(a->command, "%s takes a whole number from %ld to %ld, not '%s'", opt, lo, hi, s);
    *v = x;
    return 0;
}

static int parse_prob(const RunArgs *a, const char *opt, const char *s, double *v)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end || !(x > 0 && x < 1))
        return cli_usage_error(a->command, "%s takes a probability strictly between 0 and 1, not '%s'", opt, s);
    *v = x;
    return 0;
}

/* "--opt value" or "--opt=value": the value, or NULL when absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != '\0') return NULL;
    if (*i + 1 >= argc) return "";
    return argv[++*i];
}

/* An option that belongs to one model's run, given to a command of several. */
static int single_model_option(const RunArgs *a, const char *opt)
{
    return cli_usage_error(a->command, "%s is an option of 'bmc run', for one model at a time", opt);
}

int run_args_parse(RunArgs *a, int argc, char **argv)
{
    long v;
    if (!(a->paths = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a->paths))) return EXIT_MODEL;
    const char *cmd = a->command;
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_data_option(a->data, argc, argv, &i, cmd, &rc)) {
            if (rc) return rc;
            continue;
        }
        const char *s;
        int e = 0;
        if ((s = option_value(argc, argv, &i, "--chains"))) {
            if (!(e = parse_long(a, "--chains", s, 1, 1000, &v))) a->cfg.chains = (int)v;
        } else if ((s = option_value(argc, argv, &i, "--draws"))) {
            if (!(e = parse_long(a, "--draws", s, 1, 100000000, &v))) a->cfg.nuts.draws = (int)v;
        } else if ((s = option_value(argc, argv, &i, "--tune"))) {
            if (!(e = parse_long(a, "--tune", s, 0, 100000000, &v))) a->cfg.nuts.tune = (int)v;
        } else if ((s = option_value(argc, argv, &i, "--seed"))) {
            if (!(e = parse_long(a, "--seed", s, 0, 4294967295L, &v))) { a->cfg.seed = (unsigned long)v; a->seed_given = true; }
        } else if ((s = option_value(argc, argv, &i, "--cores"))) {
            if (!(e = parse_long(a, "--cores", s, 1, 1024, &v))) a->cfg.cores = (int)v;
        } else if ((s = option_value(argc, argv, &i, "--max-treedepth"))) {
            if (!(e = parse_long(a, "--max-treedepth", s, 1, 30, &v))) a->cfg.nuts.max_treedepth = (int)v;
        } else if ((s = option_value(argc, argv, &i, "--target-accept"))) {
            e = parse_prob(a, "--target-accept", s, &a->cfg.nuts.target_accept);
        } else if ((s = option_value(argc, argv, &i, "--hdi-prob"))) {
            e = parse_prob(a, "--hdi-prob", s, &a->hdi_prob);
        } else if ((s = option_value(argc, argv, &i, "--round"))) {
            if (!(e = parse_long(a, "--round", s, 0, 15, &v))) a->round = (int)v;
        } else if ((s = option_value(argc, argv, &i, "--metric"))) {
            if (strcmp(s, "auto") == 0) a->cfg.nuts.metric = METRIC_AUTO;
            else if (strcmp(s, "diag") == 0) a->cfg.nuts.metric = METRIC_DIAG;
            else if (strcmp(s, "dense") == 0) a->cfg.nuts.metric = METRIC_DENSE;
            else e = cli_usage_error(cmd, "--metric is auto, diag or dense, not '%s'", s);
        } else if ((s = option_value(argc, argv, &i, "--format"))) {
            if (strcmp(s, "json") == 0) a->json = true;
            else if (strcmp(s, "table") != 0) e = cli_usage_error(cmd, "--format is table or json, not '%s'", s);
        } else if ((s = option_value(argc, argv, &i, "--vars"))) {
            a->vars = s;
        } else if ((s = option_value(argc, argv, &i, "--init"))) {
            if (a->several) e = single_model_option(a, "--init");
            a->init = s;
        } else if ((s = option_value(argc, argv, &i, "--output-dir"))) {
            if (a->several) e = single_model_option(a, "--output-dir");
            else if (!*s) e = cli_usage_error(cmd, "--output-dir needs a directory");
            a->output_dir = s;
        } else if ((s = option_value(argc, argv, &i, "--plot-kind"))) {
            if (a->several) e = single_model_option(a, "--plot-kind");
            else if (plot_kind_parse(s, &a->plot_kind) != 0)
                e = cli_usage_error(cmd, "--plot-kind is trace, posterior or forest, not '%s'", s);
        } else if ((s = option_value(argc, argv, &i, "--plot"))) {
            if (!*s) e = cli_usage_error(cmd, "--plot needs a file name (.png, .svg or .pdf)");
            a->plot = s;
        } else if ((s = option_value(argc, argv, &i, "--ref-val"))) {
            char *end;
            a->ref_val = strtod(s, &end);
            a->ref_val_given = true;
            if (a->several) e = single_model_option(a, "--ref-val");
            else if (end == s || *end) e = cli_usage_error(cmd, "--ref-val takes a number, not '%s'", s);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            e = cli_usage_error(cmd, "unknown option '%s'", argv[i]);
        } else if (a->npaths && !a->several) {
            e = cli_usage_error(cmd, "one model at a time ('%s' and '%s')", a->paths[0], argv[i]);
        } else {
            a->paths[a->npaths++] = argv[i];
        }
        if (e) return e;
    }
    if (a->npaths == 0) return cli_usage_error(cmd, a->several ? "no model files given" : "no model file given");
    if (a->plot && plot_format_of(a->plot) == PLOT_FORMAT_NONE)
        return cli_usage_error(cmd, "--plot '%s': the name must end in .png, .svg or .pdf", a->plot);
    /* Chosen once, so that every model of a comparison gets the same seed. */
    if (!a->seed_given) a->cfg.seed = ((unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16)) % 4294967296UL;
    return 0;
}

/* ---- initial values ---- */

/* The unconstrained coordinate of value v for parameter p (its bounds must
** be data).  Returns 0, or -1 with a message. */
static int unconstrain(const IrModel *m, const IrParam *p, long i, double v, double *u, const char *name)
{
    if (p->tf < 0) { *u = v; return isfinite(v) ? 0 : -1; }
    const IrInstr *tf = &m->code[p->tf];
    const IrSlot *lo = &m->slots[tf->in[1]], *hi = tf->op == IR_TF_BOUNDS ? &m->slots[tf->in[2]] : NULL;
    if (!lo->is_data || (hi && !hi->is_data)) {
        fprintf(stderr, "bmc: error: --init %s: its bounds depend on other parameters; leave it out\n", name);
        return -1;
    }
    const double *cv = m->consts, *wv = m->work_init;
    double l = (lo->region == REGION_CONST ? cv : wv)[lo->off + (lo->len > 1 ? i : 0)];
    if (!hi) {
        if (!(v > l)) return -1;
        *u = log(v - l);
        return 0;
    }
    double h = (hi->region == REGION_CONST ? cv : wv)[hi->off + (hi->len > 1 ? i : 0)];
    if (!(v > l && v < h)) return -1;
    double t = (v - l) / (h - l);
    *u = log(t) - log1p(-t);
    return 0;
}

static int parse_init(const IrModel *m, const char *spec, double *init)
{
    for (long i = 0; i < m->dim; i++) init[i] = NAN;
    char *copy = strdup(spec);
    if (!copy) return EXIT_MODEL;
    int code = EXIT_OK;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) { code = cli_usage_error("run", "--init takes name=value,...; got '%s'", item); break; }
        *eq = '\0';
        char *end;
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end) { code = cli_usage_error("run", "--init %s: '%s' is not a number", item, eq + 1); break; }
        bool found = false;
        char name[256];
        for (int p = 0; p < m->nparams && !found; p++)
            for (long j = 0; j < m->params[p].len && !found; j++) {
                ir_param_element_name(m, &m->params[p], j, name, sizeof name);
                /* "theta" sets every element of a vector */
                bool all = strncmp(name, item, strlen(item)) == 0 && name[strlen(item)] == '[';
                if (strcmp(name, item) != 0 && !all) continue;
                found = !all;
                double *u = &init[m->params[p].ucoord + j];
                if (unconstrain(m, &m->params[p], j, v, u, name) != 0) {
                    const DistInfo *d = dist_at(m->params[p].dist);
                    fprintf(stderr, "bmc: error: --init %s=%g is outside the support of its prior %s: %s\n", name, v,
                            d->name, dist_support_text(d));
                    code = EXIT_MODEL;
                    goto done;
                }
                if (all && j + 1 == m->params[p].len) found = true;
            }
        if (!found) {
            fprintf(stderr, "bmc: error: --init: '%s' is not a parameter of the model\n", item);
            code = EXIT_MODEL;
            break;
        }
    }
done:
    free(copy);
    return code;
}

/* ---- progress and interruption ---- */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
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
        const char *phase = ch[c].done ? "done    " : ch[c].iter < p->tune ? "warm-up " : "sampling";
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

/* Sampler facts for the printers. */
static void fill_info(RunInfo *info, const RunArgs *a, const Model *m, const RunResult *res, double *ebfmi,
                      double compile_seconds)
{
    memset(info, 0, sizeof *info);
    int nc = a->cfg.chains, nd = res->draws->ndraws;
    info->model = m->name;
    info->chains = nc;
    info->draws = a->cfg.nuts.draws;
    info->draws_kept = nd;
    info->tune = a->cfg.nuts.tune;
    info->seed = a->cfg.seed;
    info->seconds = res->seconds;
    info->compile_seconds = compile_seconds;
    info->gradient_evals = res->gradient_evals;
    info->max_treedepth = a->cfg.nuts.max_treedepth;
    info->metric = res->dense ? "dense" : "diag";
    info->target_accept = a->cfg.nuts.target_accept;
    info->interrupted = res->status == RUN_INTERRUPTED;
    info->stepsize = res->stepsize;
    double *energy = malloc((nd ? nd : 1) * sizeof *energy);
    for (int c = 0; c < nc; c++) {
        const NutsStats *st = res->stats + (size_t)c * a->cfg.nuts.draws;
        for (int i = 0; i < nd; i++) {
            info->divergences += st[i].divergent;
            info->treedepth_hits += st[i].treedepth >= a->cfg.nuts.max_treedepth;
            if (energy) energy[i] = st[i].energy;
        }
        ebfmi[c] = energy && nd > 1 ? diag_ebfmi(energy, (size_t)nd) : NAN;
    }
    info->ebfmi = ebfmi;
    free(energy);
}

double run_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int run_sample(const RunArgs *a, const Model *m, double compile_seconds, Sampled *s)
{
    memset(s, 0, sizeof *s);
    const IrModel *ir = m->ir;
    long nout = ir_output_count(ir);
    double need = run_bytes(ir, &a->cfg), budget = memory_budget();
    if (need > budget) {
        fprintf(stderr, "bmc: error: this run would need about %.1f GiB (%ld quantities, %d chains x %d draws), "
                "more than half of this machine's memory\n", need / (1 << 30), nout, a->cfg.chains,
                a->cfg.nuts.draws);
        fputs("note: run fewer chains or draws, or report fewer quantities\n", stderr);
        return EXIT_MODEL;
    }
    if (ir->dim == 0) {
        fprintf(stderr, "%s: error: the model has no parameters to sample\n", m->src->name);
        fputs("note: declare one with '~', for example p ~ Beta(1, 1);\n", stderr);
        return EXIT_MODEL;
    }
    RunConfig cfg = a->cfg;
    double *init = NULL;
    if (a->init) {
        if (!(init = malloc((size_t)ir->dim * sizeof *init))) return EXIT_MODEL;
        int code = parse_init(ir, a->init, init);
        if (code != EXIT_OK) { free(init); return code; }
    }
    cfg.init = init;

    Progress prog = { cfg.nuts.tune, cfg.nuts.draws, 0 };
    if (isatty(fileno(stderr)) && !a->json) {
        cfg.progress = show_progress;
        cfg.user = &prog;
    }
    interrupted = 0;
    cfg.stop = &interrupted;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    RunStatus st = run_chains(ir, &cfg, &s->res);
    s->have_res = true;
    sigaction(SIGINT, &old, NULL);
    if (cfg.progress) clear_progress(&prog);
    free(init);

    if (st == RUN_NO_MEMORY) {
        fputs("bmc: error: out of memory while sampling\n", stderr);
        return EXIT_SAMPLING;
    }
    if (st == RUN_NO_INIT || st == RUN_STUCK) {
        fprintf(stderr, "%s: error: sampling failed: %s\n", m->src->name, s->res.message);
        if (st == RUN_NO_INIT)
            fputs("note: check that the priors and likelihoods agree with the data (a zero density everywhere),\n"
                  "      or give starting values with --init name=value,...\n", stderr);
        else
            fputs("note: the posterior may be improper or degenerate; check the priors, "
                  "or try --target-accept 0.95\n", stderr);
        return EXIT_SAMPLING;
    }
    if (s->res.draws->ndraws == 0) {
        fputs("bmc: interrupted before any draw was made\n", stderr);
        return EXIT_INTERRUPTED;
    }
    s->sum = calloc(nout ? (size_t)nout : 1, sizeof *s->sum);
    s->ebfmi = calloc((size_t)a->cfg.chains, sizeof *s->ebfmi);
    if (!s->sum || !s->ebfmi || summary_compute(s->res.draws, a->hdi_prob, s->sum) != 0) {
        fputs("bmc: error: out of memory while summarising\n", stderr);
        return EXIT_SAMPLING;
    }
    fill_info(&s->info, a, m, &s->res, s->ebfmi, compile_seconds);
    return EXIT_OK;
}

void sampled_free(Sampled *s)
{
    free(s->sum);
    free(s->ebfmi);
    if (s->have_res) run_result_free(&s->res);
    memset(s, 0, sizeof *s);
}
