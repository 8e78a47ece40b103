/*
** cmd_compare.c -- `bmc compare A.bm B.bm ...`: samples each model with the
** same options and seed, and prints their summaries side by side for the
** quantities they share, such as a rate with and without prior knowledge.
*/
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "draws.h"
#include "report_compare.h"
#include "report_loo.h"
#include "run_args.h"


typedef struct Compare {
    RunArgs args;
    int n;                      /* models */
    Model **models;
    double *compile_seconds;
    char **labels;              /* unique names, "ab", "ab_2" */
    Sampled *runs;
    int nrun;                   /* runs made (each to be freed) */
    char **shared;              /* names every model reports, first model's order */
    int nshared;
    int **var;                  /* var[i][k]: index of shared[k] in model i's draws */
    LooComparison loo;          /* --loo: the models ranked by PSIS-LOO */
    bool have_loo;
} Compare;

static void compare_free(Compare *c)
{
    for (int i = 0; i < c->n; i++) {
        if (c->models) model_free(c->models[i]);
        if (c->labels) free(c->labels[i]);
        if (c->var) free(c->var[i]);
    }
    for (int i = 0; i < c->nrun; i++) sampled_free(&c->runs[i]);
    for (int k = 0; k < c->nshared; k++) free(c->shared[k]);
    if (c->have_loo) loo_comparison_free(&c->loo);
    free(c->models);
    free(c->compile_seconds);
    free(c->labels);
    free(c->runs);
    free(c->shared);
    free(c->var);
    run_args_free(&c->args);
}

/* ---- compiling, and what the models share ---- */

/* Compiles every model, printing the errors of each; nothing is sampled
** unless all compile. */
static int compile_all(Compare *c)
{
    int code = EXIT_OK;
    for (int i = 0; i < c->n; i++) {
        int rc = EXIT_OK;
        double t0 = run_now();
        CompileOptions co = sample_compile_options(&c->args.opts);
        c->models[i] = cli_compile(c->args.paths[i], c->args.data, &co, &rc);
        c->compile_seconds[i] = run_now() - t0;
        if (!c->models[i] && code == EXIT_OK) code = rc;
    }
    return code;
}

static bool label_taken(const Compare *c, int upto, const char *s)
{
    for (int j = 0; j < upto; j++)
        if (strcmp(c->labels[j], s) == 0) return true;
    return false;
}

/* Each model's name; a repeated one gets a numeric suffix, ab_2. */
static int make_labels(Compare *c)
{
    for (int i = 0; i < c->n; i++) {
        const char *name = c->models[i]->name;
        size_t len = strlen(name) + 24;
        if (!(c->labels[i] = malloc(len))) return -1;
        snprintf(c->labels[i], len, "%s", name);
        for (int k = 2; label_taken(c, i, c->labels[i]); k++) snprintf(c->labels[i], len, "%s_%d", name, k);
    }
    return 0;
}

static bool reports(const char *const *names, long n, const char *name)
{
    for (long j = 0; j < n; j++)
        if (strcmp(names[j], name) == 0) return true;
    return false;
}

/* The quantities to compare: --vars (a vector's name selects its
** elements), else all that every model reports, in the first model's
** order.  Known before sampling, so a bad --vars costs no run. */
static int find_shared(Compare *c)
{
    int code = EXIT_OK;
    long *count = calloc((size_t)c->n, sizeof *count);
    char ***names = calloc((size_t)c->n, sizeof *names);
    Draws *first = NULL;
    int *which = NULL, nwhich = 0;
    if (!count || !names) { code = EXIT_MODEL; goto done; }
    for (int i = 0; i < c->n; i++) {
        count[i] = ir_output_count(c->models[i]->ir);
        if (count[i] > 0 && !(names[i] = ir_output_names(c->models[i]->ir))) { code = EXIT_MODEL; goto done; }
    }
    if (!(first = draws_new((int)count[0], (const char *const *)names[0], 1, 0))) { code = EXIT_MODEL; goto done; }
    if (c->args.opts.vars) {
        char *bad = NULL;
        if (report_select(first, c->args.opts.vars, &which, &nwhich, &bad) != 0) {
            if (bad) fprintf(stderr, "bmc: error: --vars: '%s' is not a reported quantity of '%s'\n", bad, c->labels[0]);
            free(bad);
            code = bad ? EXIT_USAGE : EXIT_MODEL;
            goto done;
        }
    }
    int cand = which ? nwhich : (int)count[0];
    if (!(c->shared = calloc((size_t)cand + 1, sizeof *c->shared))) { code = EXIT_MODEL; goto done; }
    for (int k = 0; k < cand; k++) {
        const char *name = names[0][which ? which[k] : k];
        if (!which && loo_is_point_name(name)) continue;   /* the points of --loo: by the LOO table */
        int missing = -1;
        for (int i = 1; i < c->n && missing < 0; i++)
            if (!reports((const char *const *)names[i], count[i], name)) missing = i;
        if (missing >= 0 && which) {
            fprintf(stderr, "bmc: error: --vars: '%s' is not a reported quantity of '%s'\n", name, c->labels[missing]);
            code = EXIT_USAGE;
            goto done;
        }
        if (missing >= 0) continue;
        if (!(c->shared[c->nshared] = strdup(name))) { code = EXIT_MODEL; goto done; }
        c->nshared++;
    }
    if (c->nshared == 0 && !c->args.opts.loo) {   /* with --loo, the LOO table compares them */
        fprintf(stderr, "bmc: error: the models share no reported quantity to compare\n");
        fputs("note: compare shows the parameters and deterministic quantities that have the same name in every "
              "model\n", stderr);
        code = EXIT_MODEL;
    }
done:
    for (int i = 0; i < c->n && names; i++)
        if (names[i]) ir_free_names(names[i], count[i]);
    free(names);
    free(count);
    free(which);
    draws_free(first);
    return code;
}

/* ---- the table ---- */

/* Each model's PSIS-LOO, for the printers; NULL when out of memory. */
static const LooResult **loo_results(const Compare *c)
{
    const LooResult **r = malloc((size_t)c->n * sizeof *r);
    for (int i = 0; r && i < c->n; i++) r[i] = c->runs[i].loo;
    return r;
}

/* --loo: the models ranked by PSIS-LOO, which must be of the same
** observed points.  Returns EXIT_OK, or EXIT_MODEL after printing why. */
static int compare_loo(Compare *c)
{
    const LooResult **r = loo_results(c);
    int code = r ? EXIT_OK : EXIT_MODEL;
    for (int i = 1; r && i < c->n && code == EXIT_OK; i++)
        if (r[i]->npoints != r[0]->npoints) {
            fprintf(stderr, "bmc: error: compare --loo: '%s' observes %d point%s and '%s' %d: PSIS-LOO compares "
                    "models of the same data\n", c->labels[0], r[0]->npoints, r[0]->npoints == 1 ? "" : "s",
                    c->labels[i], r[i]->npoints);
            fputs("note: give every model the same observed values, each a likelihood term of its own\n", stderr);
            code = EXIT_MODEL;
        }
    if (code == EXIT_OK && loo_compare(r, c->n, &c->loo) != 0) {
        fputs("bmc: error: out of memory\n", stderr);
        code = EXIT_MODEL;
    }
    c->have_loo = code == EXIT_OK;
    free(r);
    return code;
}

static int print_table(FILE *out, const Compare *c)
{
    const VarSummary **sums = malloc((size_t)c->n * sizeof *sums);
    if (!sums) return -1;
    for (int i = 0; i < c->n; i++) sums[i] = c->runs[i].sum;
    CompareTable t = { .nmodels = c->n, .labels = (const char *const *)c->labels, .sums = sums,
                       .var = (const int *const *)c->var, .nshared = c->nshared,
                       .names = (const char *const *)c->shared, .hdi_prob = c->args.opts.hdi_prob,
                       .round = c->args.opts.round };
    int rc = c->nshared > 0 ? report_compare_table(out, &t) : 0;
    free(sums);
    if (rc == 0 && c->have_loo) {
        const LooResult **r = loo_results(c);
        rc = r ? report_loo_compare(out, (const char *const *)c->labels, r, &c->loo) : -1;
        free(r);
    }
    return rc;
}

/* The options of model i's run line, warnings and JSON: its shared
** quantities. */
static ReportOptions report_options(const Compare *c, int i, bool color)
{
    return sample_report_options(&c->args.opts, c->var[i], c->nshared, color);
}

/* Each run's line and warnings, as `bmc run` prints them, to stderr;
** warnings[i] is model i's list. */
static void print_run_lines(const Compare *c, const Warnings *warnings)
{
    for (int i = 0; i < c->n; i++) {
        const Sampled *s = &c->runs[i];
        ReportOptions ro = report_options(c, i, terminal_color(stderr));
        fprintf(stderr, "%s: ", c->labels[i]);
        report_run_line(stderr, s->res.draws, s->sum, &s->info, &ro, &warnings[i]);
    }
}

/* ---- JSON ---- */

/* One run as `bmc run --format json` prints it, as a JSON value. */
static json_t *run_json(const Compare *c, int i, const Warnings *warnings)
{
    const Sampled *s = &c->runs[i];
    ReportOptions ro = report_options(c, i, false);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    int rc = report_json(f, s->res.draws, s->sum, &s->info, &ro, warnings);
    json_t *v = NULL;
    if (fclose(f) == 0 && rc == 0 && text) v = json_loadb(text, len, 0, NULL);
    free(text);
    return v;
}

/* {"models": {"ab": {"variables": ..., "sampler": ..., "warnings": ...}, ...}, "shared": [...]},
** with --loo "loo_compare": [...] */
static int print_json(FILE *out, const Compare *c, const Warnings *warnings)
{
    json_t *root = json_object(), *models = json_object(), *shared = json_array();
    int bad = !root || !models || !shared;
    for (int i = 0; i < c->n && !bad; i++) {
        json_t *v = run_json(c, i, &warnings[i]);
        bad = !v || json_object_set_new(models, c->labels[i], v) != 0;
    }
    for (int k = 0; k < c->nshared && !bad; k++) bad = json_array_append_new(shared, json_string(c->shared[k])) != 0;
    if (!bad) bad = json_object_set(root, "models", models) != 0 || json_object_set(root, "shared", shared) != 0;
    if (!bad && c->have_loo) {
        const LooResult **r = loo_results(c);
        json_t *ranked = r ? report_loo_compare_json((const char *const *)c->labels, r, &c->loo) : NULL;
        bad = !ranked || json_object_set_new(root, "loo_compare", ranked) != 0;
        free(r);
    }
    size_t flags = JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(17);
    if (!bad) bad = json_dumpf(root, out, flags) != 0 || fputc('\n', out) == EOF;
    json_decref(models);
    json_decref(shared);
    json_decref(root);
    return bad ? -1 : 0;
}

/* ---- the command ---- */

static int plot(const Compare *c)
{
    const Draws **d = calloc((size_t)c->n, sizeof *d);
    const VarSummary **s = calloc((size_t)c->n, sizeof *s);
    int code = EXIT_OK;
    if (!d || !s) {
        code = EXIT_MODEL;
        fputs("bmc: error: out of memory while plotting\n", stderr);
    } else {
        for (int i = 0; i < c->n; i++) {
            d[i] = c->runs[i].res.draws;
            s[i] = c->runs[i].sum;
        }
        PlotOptions po = { .kind = PLOT_FOREST, .hdi_prob = c->args.opts.hdi_prob, .which = c->var[0],
                           .nwhich = c->nshared, .title = NULL };
        char err[512];
        if (plot_forest_models(c->args.plot, c->n, (const char *const *)c->labels, (const Draws *const *)d,
                               (const VarSummary *const *)s, &po, err, sizeof err) != 0) {
            fprintf(stderr, "bmc: error: %s\n", err);
            code = EXIT_OUTPUT;
        }
    }
    free(d);
    free(s);
    return code;
}

static int sample_all(Compare *c)
{
    for (int i = 0; i < c->n; i++) {
        Sampled *s = &c->runs[i];
        int code = run_sample(&c->args, c->models[i], c->compile_seconds[i], NULL, s);
        c->nrun++;
        if (code != EXIT_OK) {
            if (c->n > 1) fprintf(stderr, "note: while sampling '%s'; nothing compared\n", c->labels[i]);
            return code;
        }
        if (s->info.interrupted) {
            fprintf(stderr, "bmc: interrupted while sampling '%s'; nothing compared\n", c->labels[i]);
            return EXIT_INTERRUPTED;
        }
        s->info.model = c->labels[i];
        if (!(c->var[i] = malloc(((size_t)c->nshared + 1) * sizeof *c->var[i]))) return EXIT_MODEL;
        for (int k = 0; k < c->nshared; k++)
            if ((c->var[i][k] = draws_find(s->res.draws, c->shared[k])) < 0) {
                fprintf(stderr, "bmc: error: '%s' has no draws of '%s'\n", c->labels[i], c->shared[k]);
                return EXIT_MODEL;
            }
    }
    return EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
    Compare c;
    memset(&c, 0, sizeof c);
    if (run_args_init(&c.args, "compare", true) != 0) return EXIT_MODEL;
    int code = run_args_parse(&c.args, argc, argv);
    if (code == EXIT_OK && c.args.npaths < 2)
        code = cli_usage_error("compare", "compare needs two models or more, not one; to sample one: bmc run %s",
                               c.args.paths[0]);
    if (code != EXIT_OK) {
        run_args_free(&c.args);
        return code;
    }
    c.n = c.args.npaths;
    c.models = calloc((size_t)c.n, sizeof *c.models);
    c.compile_seconds = calloc((size_t)c.n, sizeof *c.compile_seconds);
    c.labels = calloc((size_t)c.n, sizeof *c.labels);
    c.runs = calloc((size_t)c.n, sizeof *c.runs);
    c.var = calloc((size_t)c.n, sizeof *c.var);
    if (!c.models || !c.compile_seconds || !c.labels || !c.runs || !c.var) {
        fputs("bmc: error: out of memory\n", stderr);
        code = EXIT_MODEL;
    }
    if (code == EXIT_OK) code = compile_all(&c);
    if (code == EXIT_OK && make_labels(&c) != 0) code = EXIT_MODEL;
    if (code == EXIT_OK) code = find_shared(&c);
    char err[512];
    if (code == EXIT_OK && c.args.plot && plot_ready(c.args.plot, err, sizeof err) != 0) {   /* before sampling */
        fprintf(stderr, "bmc: error: %s\n", err);
        code = EXIT_OUTPUT;
    }
    RunSignals saved;
    run_catch_sigint(&saved);
    if (code == EXIT_OK) code = sample_all(&c);
    if (code == EXIT_OK && c.args.opts.loo) code = compare_loo(&c);
    if (code == EXIT_OK) {
        /* each model's warnings, for its JSON object and its run line */
        Warnings *warnings = calloc(c.n > 0 ? (size_t)c.n : 1, sizeof *warnings);
        int rc = warnings ? 0 : -1;
        for (int i = 0; i < c.n && rc == 0; i++) {
            ReportOptions ro = report_options(&c, i, false);
            rc = report_warnings(&warnings[i], c.runs[i].res.draws, c.runs[i].sum, &c.runs[i].info, &ro);
        }
        if (rc == 0) rc = c.args.json ? print_json(stdout, &c, warnings) : print_table(stdout, &c);
        fflush(stdout);
        if (rc != 0) {
            fputs("bmc: error: cannot print the comparison\n", stderr);
            code = EXIT_MODEL;
        } else {
            print_run_lines(&c, warnings);
        }
        for (int i = 0; warnings && i < c.n; i++) warnings_free(&warnings[i]);
        free(warnings);
        if (code == EXIT_OK && c.args.plot) code = plot(&c);
        code = run_results_written(code);
    }
    run_release_sigint(&saved);
    compare_free(&c);
    return code;
}
