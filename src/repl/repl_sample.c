/*
** repl_sample.c -- :sample, :summary and :plot: drawing from the session's
** model and looking at the draws.
**
** :sample takes the options of `bmc run` that concern sampling and the
** table; the draws stay in the session until the next :sample or :reset.
** :plot sketches them in the terminal (posteriors, posterior predictive
** checks), or draws any kind of `bmc run --plot` to a file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "format.h"
#include "plot.h"
#include "prior_run.h"
#include "sample_options.h"
#include "sampling.h"
#include "session.h"
#include "termplot.h"

void repl_sample_free(ReplSample *r)
{
    sampled_free(&r->run);
    free(r->model_name);
    memset(r, 0, sizeof *r);
}

/* ---- options ---- */

/* The options of :sample in the nw words w: those of `bmc run`, and a bare
** number of draws; the command's own run is predictive (:prior and :ppc
** are --prior and --predict, so that the other one is refused).  Returns
** 0, or -1 after printing why. */
static int parse_sample_args(Session *s, char **w, int nw, Predictive predictive, SampleOptions *o)
{
    sample_options_init(o);
    o->predictive = predictive;
    for (int i = 0; i < nw; i++) {
        char why[512];
        SampleOptionResult taken;
        if (w[i][0] != '-' || (w[i][1] >= '0' && w[i][1] <= '9'))   /* draws */
            taken = sample_option_set(o, "--draws", w[i], "the number of draws", why, sizeof why) == 0
                        ? SAMPLE_OPTION_OK : SAMPLE_OPTION_BAD;
        else
            taken = sample_option_parse(o, nw, w, &i, why, sizeof why);
        if (taken == SAMPLE_OPTION_BAD) {
            repl_error(s, "%s", why);
            return -1;
        }
        if (taken == SAMPLE_OPTION_NONE) {
            repl_error(s, ":sample: unknown option '%s'", w[i]);
            const char *best = sample_option_suggest(w[i]);
            if (best) repl_note(s, "did you mean '%s'?", best);
            else repl_note(s, "the options are those of 'bmc run' (bmc help run) that concern sampling");
            return -1;
        }
    }
    if (o->nquantiles || o->strict) {   /* the session's summary has no quantiles and no exit status */
        repl_error(s, ":sample: --quantiles and --strict are options of 'bmc run' and 'bmc summary'");
        return -1;
    }
    return 0;
}

/* Splits at spaces into a NULL-terminated array of *n words that point
** into buf (modified). */
static char **split_words(char *buf, int *n)
{
    size_t cap = strlen(buf) / 2 + 2;
    char **w = calloc(cap, sizeof *w);
    *n = 0;
    if (!w) return NULL;
    for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) w[(*n)++] = t;
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

/* The table of r, of the variables in spec (comma- or space-separated;
** NULL for all).  Returns 0, or -1 after an unknown name. */
static int print_summary(Session *s, const ReplSample *r, const char *spec)
{
    int *which = NULL, nwhich = 0;
    if (spec && *spec) {
        char *list = strdup(spec), *bad = NULL;
        if (!list) { repl_error(s, "out of memory"); return -1; }
        for (char *p = list; *p; p++) if (*p == ' ' || *p == '\t') *p = ',';
        int rc = report_select(r->run.res.draws, list, &which, &nwhich, &bad);
        free(list);
        if (rc != 0) {
            if (bad) {
                repl_error(s, "'%s' is not a quantity of the sample", bad);
                const char *best = diag_suggest(bad, (const char *const *)r->run.res.draws->names, r->run.res.draws->nvars);
                if (best) repl_note(s, "did you mean '%s'?", best);
            } else {
                repl_error(s, "out of memory");
            }
            free(bad);
            return -1;
        }
    }
    ReportOptions ro = { .hdi_prob = r->hdi_prob, .round = r->round, .which = which, .nwhich = nwhich,
                         .color = terminal_color(stderr) };
    Warnings warnings;
    warnings_init(&warnings);
    int rc = report_warnings(&warnings, r->run.res.draws, r->run.sum, &r->run.info, &ro);
    if (rc == 0) report_table(stdout, stderr, r->run.res.draws, r->run.sum, &r->run.info, &ro, &warnings);
    else repl_error(s, "out of memory");
    fflush(stderr);
    warnings_free(&warnings);
    free(which);
    return rc;
}

static void sample(Session *s, SampleOptions *o)
{
    if (s->len == 0) {
        repl_error(s, "the model is empty: nothing to sample");
        repl_note(s, "type statements first, for example p ~ Beta(1, 1);");
        return;
    }
    double t0 = run_now();
    CompileOptions co = sample_compile_options(o);
    Model *m = repl_compile(s, &co);
    if (!m) return;
    double compile_seconds = run_now() - t0;
    sample_options_pick_seed(o);
    ReplSample r;
    memset(&r, 0, sizeof r);
    r.model_name = strdup(strcmp(s->name, REPL_MODEL_NAME) == 0 ? "repl" : m->name);
    r.hdi_prob = o->hdi_prob;
    r.round = o->round;
    if (!r.model_name) {
        repl_error(s, "out of memory");
        model_free(m);
        return;
    }
    /* :sample has no --init */
    SampleRequest rq = { .ir = m->ir, .label = r.model_name, .opts = o, .compile_seconds = compile_seconds,
                         .warnings = &m->warnings, .prior = o->predictive == PREDICT_PRIOR };
    Progress prog = { (long)o->cfg.chains * (o->cfg.nuts.tune + o->cfg.nuts.draws), false };
    if (s->interactive && isatty(STDERR_FILENO)) {
        rq.progress = show_progress;
        rq.user = &prog;
    }
    atomic_store(s->interrupt, 0);
    rq.stop = s->interrupt;
    repl_line_catch_interrupt(s, true);
    Diags errs;
    diags_init(&errs, NULL);
    int code = sampling_run(&rq, &r.run, &errs);
    repl_line_catch_interrupt(s, false);
    if (prog.shown) fputs("\r\033[2K", stderr);
    atomic_store(s->interrupt, 0);
    if (code == EXIT_INTERRUPTED) {
        repl_error(s, "interrupted before any draw was made");
    } else if (code != EXIT_OK) {
        repl_print_diags(s, &errs);
    } else {
        repl_sample_free(&s->sample);
        s->sample = r;
        memset(&r, 0, sizeof r);
        if (print_summary(s, &s->sample, o->vars) != 0) repl_note(s, "the draws are kept: see :summary");
    }
    diags_clear(&errs);
    repl_sample_free(&r);
    model_free(m);
}

/* :sample, :prior and :ppc: the same options; the last two draw the prior
** predictive distribution, or the replicates of the data with the posterior. */
static void sample_command(Session *s, const char *args, Predictive predictive)
{
    char *buf = strdup(args);
    int nwords = 0;
    char **words = buf ? split_words(buf, &nwords) : NULL;
    SampleOptions o;
    if (!words) {
        repl_error(s, "out of memory");
    } else if (parse_sample_args(s, words, nwords, predictive, &o) == 0) {
        sample(s, &o);
    }
    free(words);
    free(buf);
}

void repl_cmd_sample(Session *s, const char *args) { sample_command(s, args, PREDICT_NONE); }
void repl_cmd_prior(Session *s, const char *args) { sample_command(s, args, PREDICT_PRIOR); }
void repl_cmd_ppc(Session *s, const char *args) { sample_command(s, args, PREDICT_POSTERIOR); }

/* ---- :summary and :plot ---- */

static bool have_sample(Session *s)
{
    if (s->sample.run.res.draws) {
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
    const Draws *d = r->run.res.draws;
    size_t n = (size_t)d->nchains * (size_t)d->ndraws;
    const VarSummary *sum = &r->run.sum[v];
    if (sum->nan_draws + sum->inf_draws > 0) {   /* no summary, and no picture either */
        char why[96];
        format_nonfinite(why, sizeof why, sum->nan_draws, sum->inf_draws, (long)n);
        repl_error(s, "cannot plot %s: it is %s", d->names[v], why);
        return -1;
    }

    double *x = malloc(n * sizeof *x);
    if (!x) { repl_error(s, "out of memory"); return -1; }
    draws_gather(d, v, x);
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

/* Whether word names the observed quantity whose replicates are
** variables first .. first + count - 1: by its own name ("y") or theirs
** ("y_rep", or one of them, "y_rep[2]"). */
static bool names_quantity(const Draws *d, const char *word, int first, int count)
{
    size_t len = strlen(word);
    if (strcmp(word, d->of[first]) == 0) return true;
    for (int e = 0; e < count; e++)
        if (strcmp(word, d->names[first + e]) == 0) return true;
    return count > 1 && strncmp(d->names[first], word, len) == 0 && d->names[first][len] == '[';
}

/* A sketch of one observed quantity's check: the distribution of the
** replicates' mean (a scalar's value) with the data's marked. */
static int ppc_sketch(Session *s, const Draws *d, int first, int count)
{
    PpcStat stat = count > 1 ? PPC_MEAN : PPC_VALUE;
    const PpcCheck *c = NULL;
    for (int k = 0; k < s->sample.run.nppc && !c; k++)
        if (s->sample.run.ppc[k].first == first && s->sample.run.ppc[k].stat == stat) c = &s->sample.run.ppc[k];
    size_t n = (size_t)d->nchains * (size_t)d->ndraws;
    double *t = malloc((n ? n : 1) * sizeof *t);
    if (!t || !c || ppc_replicated(d, first, count, stat, t) != 0) {
        free(t);
        repl_error(s, "out of memory");
        return -1;
    }
    char label[512];
    snprintf(label, sizeof label, "%s: data %s %.4g (%s), replicates' %g%% HDI %s, p = %.2f", c->of,
             ppc_stat_name(stat), c->observed, s->utf8 ? "\xe2\x94\x82" : "^", 100 * s->sample.hdi_prob,
             s->utf8 ? "\xe2\x94\x80\xe2\x94\x80" : "--", c->p_value);
    TermPlotOptions o = { .width = repl_width(s), .height = 10, .utf8 = s->utf8, .color = s->plot_color,
                          .mark_lo = c->hdi_low, .mark_hi = c->hdi_high, .mark_mean = c->observed, .label = label };
    int rc = termplot_draws(stdout, t, n, &o);
    free(t);
    if (rc != 0) repl_error(s, "cannot sketch the check of %s: its replicates are not finite numbers", c->of);
    return rc;
}

/* :plot --kind ppc [NAME...]: a sketch per observed quantity named (all
** when none is). */
static void plot_ppc_sketches(Session *s, char **w, int nw)
{
    const Draws *d = s->sample.run.res.draws;
    int first, count;
    if (!ppc_next_quantity(d, 0, &first, &count)) {
        repl_error(s, "the last sample has no replicates of the observed data to check");
        repl_note(s, "draw them with :ppc (or :sample --predict)");
        return;
    }
    for (int k = 0; k < nw; k++) {
        bool known = false;
        for (int v = 0; !known && ppc_next_quantity(d, v, &first, &count); v = first + count)
            known = names_quantity(d, w[k], first, count);
        if (!known) {
            repl_error(s, "'%s' is not an observed quantity of the sample", w[k]);
            repl_note(s, "the check in the summary names them (y, or its replicates y_rep)");
            return;
        }
    }
    for (int v = 0; ppc_next_quantity(d, v, &first, &count); v = first + count) {
        bool named = nw == 0;
        for (int k = 0; k < nw && !named; k++) named = names_quantity(d, w[k], first, count);
        if (named) ppc_sketch(s, d, first, count);
    }
}

/* :plot NAME...: the posterior sketch of each quantity named, a vector's
** name sketching each of its elements. */
static void plot_posterior_sketches(Session *s, char **w, int nw)
{
    const Draws *d = s->sample.run.res.draws;
    if (nw == 0) {
        repl_error(s, ":plot needs the name of a variable, for example :plot p");
        return;
    }
    for (int k = 0; k < nw; k++) {
        int v = draws_find(d, w[k]);
        if (v >= 0) {
            plot_var(s, v);
            continue;
        }
        /* a vector's name: each of its elements */
        size_t len = strlen(w[k]);
        bool any = false;
        for (int i = 0; i < d->nvars; i++)
            if (strncmp(d->names[i], w[k], len) == 0 && d->names[i][len] == '[') {
                plot_var(s, i);
                any = true;
            }
        if (any) continue;
        repl_error(s, "'%s' is not a quantity of the sample", w[k]);
        const char *best = diag_suggest(w[k], (const char *const *)d->names, d->nvars);
        if (best) repl_note(s, "did you mean '%s'?", best);
    }
}

/* The prior run beside the last sample, drawn as it was (its seed, chains
** and draws) from the model as it is: the same unless it is stale. */
static int prior_beside(Session *s, PriorRun *pr)
{
    if (s->sample.run.info.prior) {
        repl_error(s, "the last sample is of the prior: the prior plot sets priors against a posterior");
        repl_note(s, ":sample, then :plot FILE --kind prior");
        return -1;
    }
    if (s->sample.stale) {
        repl_error(s, "the model changed since the last :sample: its prior would not be the sample's");
        repl_note(s, ":sample again, then :plot FILE --kind prior");
        return -1;
    }
    Diags errs;
    diags_init(&errs, NULL);
    int code = prior_run_compile(pr, s->name, s->text, s->len, s->data, NULL, &errs);
    if (code == EXIT_OK && pr->why) repl_note(s, "no prior curves: %s", pr->why);
    if (code == EXIT_OK && pr->model) {
        const RunInfo *info = &s->sample.run.info;
        SampleOptions o;
        sample_options_init(&o);
        o.cfg.chains = info->chains;
        o.cfg.nuts.draws = info->draws;
        o.cfg.seed = info->seed;
        o.seed_given = true;
        o.hdi_prob = s->sample.hdi_prob;
        atomic_store(s->interrupt, 0);
        repl_line_catch_interrupt(s, true);
        code = prior_run_sample(pr, &o, s->interrupt, &errs);
        repl_line_catch_interrupt(s, false);
        atomic_store(s->interrupt, 0);
        if (code == EXIT_INTERRUPTED) repl_error(s, "interrupted before the prior run's first draw");
    }
    if (code != EXIT_OK && code != EXIT_INTERRUPTED) {
        repl_print_diags(s, &errs);
        repl_note(s, "the prior plot draws the priors from a prior predictive run of the model (as --prior)");
    }
    diags_clear(&errs);
    return code == EXIT_OK ? 0 : -1;
}

/* :plot FILE [--kind K] [NAME...]: the picture `bmc run --plot FILE
** --plot-kind K --vars NAME,...` draws, of the last sample. */
static void plot_file(Session *s, const char *path, PlotKind kind, char **w, int nw)
{
    const Draws *d = s->sample.run.res.draws;
    int *which = NULL, nwhich = 0;
    if (nw > 0) {
        size_t len = 1;
        for (int k = 0; k < nw; k++) len += strlen(w[k]) + 1;
        char *list = calloc(len, 1), *bad = NULL;
        for (int k = 0; list && k < nw; k++) strcat(strcat(list, k ? "," : ""), w[k]);
        int rc = list ? report_select(d, list, &which, &nwhich, &bad) : -1;
        free(list);
        if (rc != 0) {
            if (bad) repl_error(s, "'%s' is not a quantity of the sample", bad);
            else repl_error(s, "out of memory");
            const char *best = bad ? diag_suggest(bad, (const char *const *)d->names, d->nvars) : NULL;
            if (best) repl_note(s, "did you mean '%s'?", best);
            free(bad);
            return;
        }
    }
    PriorRun pr;
    memset(&pr, 0, sizeof pr);
    PlotOptions po = { .kind = kind, .hdi_prob = s->sample.hdi_prob, .which = which, .nwhich = nwhich,
                       .title = s->sample.model_name };
    if (kind == PLOT_PRIOR) {
        if (prior_beside(s, &pr) != 0) goto done;
        prior_run_plot_options(&pr, &po);
    }
    char err[512];
    if (plot_draws(path, d, s->sample.run.sum, &po, err, sizeof err) != 0) {
        repl_error(s, "%s", err);
        int first, count;
        if (kind == PLOT_PPC && !ppc_next_quantity(d, 0, &first, &count))
            repl_note(s, "draw the replicates with :ppc (or :sample --predict)");
    } else {
        printf("wrote %s\n", path);
    }
done:
    prior_run_free(&pr);
    free(which);
}

void repl_cmd_plot(Session *s, const char *args)
{
    if (!*args) {
        repl_error(s, ":plot needs the name of a variable, for example :plot p");
        return;
    }
    char *buf = strdup(args);
    int nwords = 0;
    char **words = buf ? split_words(buf, &nwords) : NULL;
    if (!words) { repl_error(s, "out of memory"); free(buf); return; }
    /* the file and the kind come out; the names stay, in order */
    const char *path = NULL, *kind_name = NULL;
    int nw = 0;
    for (int i = 0; i < nwords; i++) {
        const char *k = command_option_value(nwords, words, &i, "--kind");
        if (k) kind_name = k;
        else if (plot_format_of(words[i]) != PLOT_FORMAT_NONE) path = words[i];
        else words[nw++] = words[i];
    }
    PlotKind kind = PLOT_POSTERIOR;
    if (kind_name && plot_kind_parse(kind_name, &kind) != 0) {
        repl_error(s, ":plot --kind is %s, not '%s'", PLOT_KIND_NAMES, kind_name);
    } else if (!path && kind != PLOT_POSTERIOR && kind != PLOT_PPC) {
        repl_error(s, ":plot --kind %s draws a picture file: name one", kind_name);
        repl_note(s, "for example :plot %s.png --kind %s", kind_name, kind_name);
    } else if (have_sample(s)) {
        if (path) plot_file(s, path, kind, words, nw);
        else if (kind == PLOT_PPC) plot_ppc_sketches(s, words, nw);
        else plot_posterior_sketches(s, words, nw);
    }
    free(words);
    free(buf);
}
