/*
** repl_sample.c -- :sample, :summary and :plot: drawing from the session's
** model and looking at the draws.
**
** :sample takes the options of `bmc run` that concern sampling and the
** table; the draws stay in the session until the next :sample or :reset.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "diagnostics.h"
#include "repl.h"
#include "termplot.h"

#define SAMPLE_MAX_DRAW_BYTES (2L * 1024 * 1024 * 1024)   /* draws kept in the session */

typedef struct SampleArgs {
    RunConfig cfg;
    bool seed_given;
    double hdi_prob;
    int round;
    char *vars;   /* points into the words */
} SampleArgs;

void repl_sample_free(ReplSample *r)
{
    run_result_free(&r->res);
    free(r->sum);
    free(r->ebfmi);
    free(r->model_name);
    memset(r, 0, sizeof *r);
}

/* ---- options ---- */

static int whole(Session *s, const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = v ? strtol(v, &end, 10) : 0;
    if (!v || end == v || *end || errno || x < lo || x > hi) {
        repl_error(s, "%s takes a whole number from %ld to %ld, not '%s'", opt, lo, hi, v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

static int probability(Session *s, const char *opt, const char *v, double *out)
{
    char *end;
    double x = v ? strtod(v, &end) : 0;
    if (!v || end == v || *end || !(x > 0 && x < 1)) {
        repl_error(s, "%s takes a probability strictly between 0 and 1, not '%s'", opt, v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

/* "--opt value" or "--opt=value" at words[*i]: the value ("" when
** missing), or NULL when words[*i] is another option. */
static const char *option(char **words, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(words[*i], name, n) != 0) return NULL;
    if (words[*i][n] == '=') return words[*i] + n + 1;
    if (words[*i][n] != '\0') return NULL;
    return words[*i + 1] ? words[++*i] : "";
}

static const char *const sample_options[] = {
    "--draws", "--chains", "--tune", "--seed", "--cores", "--target-accept", "--metric",
    "--max-treedepth", "--hdi-prob", "--round", "--vars",
};

static int parse_sample_args(Session *s, char **w, SampleArgs *a)
{
    long v;
    a->cfg.nuts = nuts_default_config();
    a->cfg.chains = 4;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a->cfg.cores = cores > 0 ? (int)cores : 1;
    a->hdi_prob = 0.94;
    a->round = -1;
    for (int i = 0; w[i]; i++) {
        const char *o;
        int e = 0;
        if (w[i][0] != '-' || (w[i][1] >= '0' && w[i][1] <= '9')) {   /* draws */
            if (!(e = whole(s, "the number of draws", w[i], 1, 100000000, &v))) a->cfg.nuts.draws = (int)v;
        } else if ((o = option(w, &i, "--draws"))) {
            if (!(e = whole(s, "--draws", o, 1, 100000000, &v))) a->cfg.nuts.draws = (int)v;
        } else if ((o = option(w, &i, "--chains"))) {
            if (!(e = whole(s, "--chains", o, 1, 1000, &v))) a->cfg.chains = (int)v;
        } else if ((o = option(w, &i, "--tune"))) {
            if (!(e = whole(s, "--tune", o, 0, 100000000, &v))) a->cfg.nuts.tune = (int)v;
        } else if ((o = option(w, &i, "--seed"))) {
            if (!(e = whole(s, "--seed", o, 0, 4294967295L, &v))) { a->cfg.seed = (unsigned long)v; a->seed_given = true; }
        } else if ((o = option(w, &i, "--cores"))) {
            if (!(e = whole(s, "--cores", o, 1, 1024, &v))) a->cfg.cores = (int)v;
        } else if ((o = option(w, &i, "--max-treedepth"))) {
            if (!(e = whole(s, "--max-treedepth", o, 1, 30, &v))) a->cfg.nuts.max_treedepth = (int)v;
        } else if ((o = option(w, &i, "--round"))) {
            if (!(e = whole(s, "--round", o, 0, 15, &v))) a->round = (int)v;
        } else if ((o = option(w, &i, "--target-accept"))) {
            e = probability(s, "--target-accept", o, &a->cfg.nuts.target_accept);
        } else if ((o = option(w, &i, "--hdi-prob"))) {
            e = probability(s, "--hdi-prob", o, &a->hdi_prob);
        } else if ((o = option(w, &i, "--metric"))) {
            if (strcmp(o, "auto") == 0) a->cfg.nuts.metric = METRIC_AUTO;
            else if (strcmp(o, "diag") == 0) a->cfg.nuts.metric = METRIC_DIAG;
            else if (strcmp(o, "dense") == 0) a->cfg.nuts.metric = METRIC_DENSE;
            else { repl_error(s, "--metric is auto, diag or dense, not '%s'", o); e = -1; }
        } else if ((o = option(w, &i, "--vars"))) {
            a->vars = (char *)o;
        } else {
            repl_error(s, ":sample: unknown option '%s'", w[i]);
            size_t n = strcspn(w[i], "=");
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(n < 60 ? n : 60), w[i]);
            const char *best = diag_suggest(word, sample_options, (int)(sizeof sample_options / sizeof *sample_options));
            if (best) repl_note(s, "did you mean '%s'?", best);
            else repl_note(s, "the options are those of 'bmc run' (bmc help run) that concern sampling");
            e = -1;
        }
        if (e) return -1;
    }
    return 0;
}

/* Splits at spaces into a NULL-terminated array of words that point into
** buf (modified). */
static char **split_words(char *buf)
{
    size_t n = 0, cap = strlen(buf) / 2 + 2;
    char **w = calloc(cap, sizeof *w);
    if (!w) return NULL;
    for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) w[n++] = t;
    return w;
}

/* ---- progress ---- */

typedef struct Progress {
    long total;   /* iterations of all chains */
    bool shown;
} Progress;

static void show_progress(void *user, const ChainProgress *ch, int n, double seconds)
{
    Progress *p = user;
    long done = 0;
    int div = 0;
    for (int c = 0; c < n; c++) {
        done += ch[c].iter;
        div += ch[c].divergences;
    }
    double left = done > 0 ? seconds * (double)(p->total - done) / done : 0;
    fprintf(stderr, "\r\033[2Ksampling %d chain%s: %3.0f%%, %d divergent, %.0f s left (Ctrl-C stops and keeps the draws)",
            n, n == 1 ? "" : "s", p->total ? 100.0 * done / p->total : 100.0, div, left);
    p->shown = true;
}

/* ---- :sample ---- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Facts about the run for the printers; ebfmi receives one per chain. */
static void fill_info(ReplSample *r, const SampleArgs *a, double compile_seconds)
{
    RunInfo *info = &r->info;
    const RunResult *res = &r->res;
    memset(info, 0, sizeof *info);
    int nc = a->cfg.chains, nd = res->draws->ndraws;
    info->model = r->model_name;
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
    double *energy = malloc((size_t)(nd ? nd : 1) * sizeof *energy);
    for (int c = 0; c < nc; c++) {
        const NutsStats *st = res->stats + (size_t)c * a->cfg.nuts.draws;
        for (int i = 0; i < nd; i++) {
            info->divergences += st[i].divergent;
            info->treedepth_hits += st[i].treedepth >= a->cfg.nuts.max_treedepth;
            if (energy) energy[i] = st[i].energy;
        }
        r->ebfmi[c] = energy && nd > 1 ? diag_ebfmi(energy, (size_t)nd) : NAN;
    }
    info->ebfmi = r->ebfmi;
    free(energy);
}

/* The table of r, of the variables in spec (comma- or space-separated;
** NULL for all).  Returns 0, or -1 after an unknown name. */
static int print_summary(Session *s, const ReplSample *r, const char *spec)
{
    int *which = NULL, nwhich = 0;
    if (spec && *spec) {
        char *list = strdup(spec), *bad = NULL;
        if (!list) { repl_error(s, "out of memory"); return -1; }
        for (char *p = list; *p; p++) if (*p == ' ' || *p == '\t') *p = ',';
        int rc = report_select(r->res.draws, list, &which, &nwhich, &bad);
        free(list);
        if (rc != 0) {
            if (bad) {
                repl_error(s, "'%s' is not a quantity of the sample", bad);
                const char *best = diag_suggest(bad, (const char *const *)r->res.draws->names, r->res.draws->nvars);
                if (best) repl_note(s, "did you mean '%s'?", best);
            } else {
                repl_error(s, "out of memory");
            }
            free(bad);
            return -1;
        }
    }
    ReportOptions ro = { r->hdi_prob, r->round, which, nwhich, cli_color(stderr) };
    report_table(stdout, stderr, r->res.draws, r->sum, &r->info, &ro);
    fflush(stderr);
    free(which);
    return 0;
}

/* Why the run failed, as `bmc run` says it. */
static void report_failure(Session *s, RunStatus st, const RunResult *res)
{
    if (st == RUN_NO_MEMORY) {
        repl_error(s, "out of memory while sampling");
    } else if (st == RUN_NO_INIT) {
        repl_error(s, "sampling failed: %s", res->message);
        repl_note(s, "check that the priors and likelihoods agree with the data (a zero density everywhere)");
    } else if (st == RUN_STUCK) {
        repl_error(s, "sampling failed: %s", res->message);
        repl_note(s, "the posterior may be improper or degenerate; check the priors, or try --target-accept 0.95");
    }
}

static void sample(Session *s, SampleArgs *a)
{
    if (s->len == 0) {
        repl_error(s, "the model is empty: nothing to sample");
        repl_note(s, "type statements first, for example p ~ Beta(1, 1);");
        return;
    }
    double t0 = now();
    Model *m = repl_compile(s, false);
    if (!m) return;
    const IrModel *ir = m->ir;
    long nout = ir_output_count(ir);
    if ((double)nout * a->cfg.chains * a->cfg.nuts.draws * sizeof(double) > (double)SAMPLE_MAX_DRAW_BYTES) {
        repl_error(s, "%ld quantities x %d chains x %d draws would not fit in memory", nout, a->cfg.chains,
                   a->cfg.nuts.draws);
        model_free(m);
        return;
    }
    if (ir->dim == 0) {
        repl_error(s, "the model has no parameters to sample");
        repl_note(s, "declare one with '~', for example p ~ Beta(1, 1);");
        model_free(m);
        return;
    }
    double compile_seconds = now() - t0;
    if (!a->seed_given) a->cfg.seed = ((unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16)) % 4294967296UL;
    Progress prog = { (long)a->cfg.chains * (a->cfg.nuts.tune + a->cfg.nuts.draws), false };
    if (s->interactive && isatty(STDERR_FILENO)) {
        a->cfg.progress = show_progress;
        a->cfg.user = &prog;
    }
    *s->interrupt = 0;
    a->cfg.stop = s->interrupt;

    ReplSample r;
    memset(&r, 0, sizeof r);
    repl_line_catch_interrupt(s, true);
    RunStatus st = run_chains(ir, &a->cfg, &r.res);
    repl_line_catch_interrupt(s, false);
    if (prog.shown) fputs("\r\033[2K", stderr);
    *s->interrupt = 0;
    if (st != RUN_OK && st != RUN_INTERRUPTED) {
        report_failure(s, st, &r.res);
    } else if (r.res.draws->ndraws == 0) {
        repl_error(s, "interrupted before any draw was made");
    } else {
        r.sum = calloc((size_t)r.res.draws->nvars + 1, sizeof *r.sum);
        r.ebfmi = calloc((size_t)a->cfg.chains, sizeof *r.ebfmi);
        r.model_name = strdup(strcmp(s->name, REPL_MODEL_NAME) == 0 ? "repl" : m->name);
        if (!r.sum || !r.ebfmi || !r.model_name || summary_compute(r.res.draws, a->hdi_prob, r.sum) != 0) {
            repl_error(s, "out of memory while summarising");
        } else {
            r.hdi_prob = a->hdi_prob;
            r.round = a->round;
            fill_info(&r, a, compile_seconds);
            repl_sample_free(&s->sample);
            s->sample = r;
            memset(&r, 0, sizeof r);
            if (print_summary(s, &s->sample, a->vars) != 0) repl_note(s, "the draws are kept: see :summary");
        }
    }
    repl_sample_free(&r);
    model_free(m);
}

void repl_cmd_sample(Session *s, const char *args)
{
    char *buf = strdup(args);
    char **words = buf ? split_words(buf) : NULL;
    SampleArgs a;
    memset(&a, 0, sizeof a);
    if (!words) repl_error(s, "out of memory");
    else if (parse_sample_args(s, words, &a) == 0) sample(s, &a);
    free(words);
    free(buf);
}

/* ---- :summary and :plot ---- */

static bool have_sample(Session *s)
{
    if (s->sample.res.draws) {
        if (s->sample.stale) repl_note(s, "these draws are of the model as it was at the last :sample");
        return true;
    }
    repl_error(s, "no sample yet");
    repl_note(s, "draw one with :sample");
    return false;
}

void repl_cmd_summary(Session *s, const char *args)
{
    if (have_sample(s)) print_summary(s, &s->sample, args);
}

static int plot_var(Session *s, int v)
{
    const ReplSample *r = &s->sample;
    const Draws *d = r->res.draws;
    size_t n = (size_t)d->nchains * (size_t)d->ndraws;
    double *x = malloc(n * sizeof *x);
    if (!x) { repl_error(s, "out of memory"); return -1; }
    draws_gather(d, v, x);
    const VarSummary *sum = &r->sum[v];
    char label[256];
    snprintf(label, sizeof label, "%s: mean %.4g, %g%% HDI [%.4g, %.4g]  (%d draws)", d->names[v], sum->mean,
             100 * r->hdi_prob, sum->hdi_low, sum->hdi_high, (int)n);
    TermPlotOptions o = { .width = repl_width(s), .height = 10, .utf8 = s->utf8, .color = s->plot_color,
                          .mark_lo = sum->hdi_low, .mark_hi = sum->hdi_high, .mark_mean = sum->mean, .label = label };
    int rc = termplot_draws(stdout, x, n, &o);
    free(x);
    if (rc != 0) repl_error(s, "cannot plot %s: its draws are not finite numbers", d->names[v]);
    return rc;
}

void repl_cmd_plot(Session *s, const char *args)
{
    if (!*args) {
        repl_error(s, ":plot needs the name of a variable, for example :plot p");
        return;
    }
    if (!have_sample(s)) return;
    const Draws *d = s->sample.res.draws;
    char *buf = strdup(args);
    char **words = buf ? split_words(buf) : NULL;
    if (!words) { repl_error(s, "out of memory"); free(buf); return; }
    for (int k = 0; words[k]; k++) {
        int v = draws_find(d, words[k]);
        if (v >= 0) {
            plot_var(s, v);
            continue;
        }
        /* a vector's name: each of its elements */
        size_t len = strlen(words[k]);
        bool any = false;
        for (int i = 0; i < d->nvars; i++)
            if (strncmp(d->names[i], words[k], len) == 0 && d->names[i][len] == '[') {
                plot_var(s, i);
                any = true;
            }
        if (any) continue;
        repl_error(s, "'%s' is not a quantity of the sample", words[k]);
        const char *best = diag_suggest(words[k], (const char *const *)d->names, d->nvars);
        if (best) repl_note(s, "did you mean '%s'?", best);
    }
    free(words);
    free(buf);
}
