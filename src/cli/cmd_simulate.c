/*
** cmd_simulate.c -- `bmc simulate MODEL.bm [name=value ...]`: one fake
** data set, in CmdStan's JSON data format, that `bmc run MODEL.bm --data
** FILE` fits.
*/
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "outfile.h"
#include "run_args.h"
#include "sample_options.h"
#include "simulate.h"

typedef struct SimulateArgs {
    const char *path;
    char **items;            /* name=value, in order (borrowed from argv) */
    int nitems;
    DataSet *data;
    SampleOptions seed;      /* --seed alone, read as bmc run reads it */
    const char *output;      /* NULL or "-": stdout */
} SimulateArgs;

/* Whether word names a model file rather than giving a value: a name=value
** may come before the model, but "a=b.bm" is a file. */
static bool is_model_file(const char *word)
{
    size_t n = strlen(word);
    return n > 3 && strcmp(word + n - 3, ".bm") == 0;
}

/* Returns 0, or an exit code after printing why. */
static int parse_args(SimulateArgs *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_data_option(a->data, argc, argv, &i, "simulate", &rc)) {
            if (rc) return rc;
            continue;
        }
        const char *s;
        char why[256];
        if ((s = command_option_value(argc, argv, &i, "--seed"))) {
            if (sample_option_set(&a->seed, "--seed", s, NULL, why, sizeof why) != 0)
                return cli_usage_error("simulate", "%s", why);
        } else if ((s = command_option_value(argc, argv, &i, "--output"))) {
            if (!*s) return cli_usage_error("simulate", "--output needs a file name ('-' for standard output)");
            a->output = s;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0' && !strchr(argv[i], '=')) {
            return cli_unknown_option("simulate", argv[i]);
        } else if (strchr(argv[i], '=') && (a->path || !is_model_file(argv[i]))) {   /* before or after the model */
            a->items[a->nitems++] = argv[i];
        } else if (!a->path) {
            a->path = argv[i];
        } else {
            return cli_usage_error("simulate", "'%s': expected name=value", argv[i]);
        }
    }
    if (!a->path) return cli_usage_error("simulate", "no model file given");
    sample_options_pick_seed(&a->seed);
    return 0;
}

/* Writes the data file to a->output (whole or not at all: a file there
** stays as it was when the write fails) or stdout.  Returns an exit code. */
static int write_data(const SimulateArgs *a, const DataSet *ds)
{
    char why[512];
    if (a->output && !cli_is_std_stream(a->output)) {
        OutFile o;
        if (outfile_open(&o, a->output, why, sizeof why) == 0) {
            if (dataset_write_json(ds, o.f) == 0) {
                if (outfile_commit(&o, why, sizeof why) == 0) return EXIT_OK;
            } else {
                snprintf(why, sizeof why, "cannot write '%s': %s", a->output, strerror(errno));
                outfile_discard(&o);
            }
        }
        fprintf(stderr, "bmc: error: %s\n", why);
        return EXIT_OUTPUT;
    }
    errno = 0;
    if (dataset_write_json(ds, stdout) == 0 && fflush(stdout) == 0 && !ferror(stdout)) return EXIT_OK;
    fprintf(stderr, "bmc: error: cannot write standard output: %s\n", errno ? strerror(errno) : "write error");
    return EXIT_OUTPUT;
}

/* Values a line shows of one vector, at most. */
#define SHOWN 6

/* What was drawn, on stderr: the data, the seed, and the values they were
** drawn from (those given in full are known), so that a fit can be held to
** them. */
static void report(const SimulateArgs *a, const Simulation *sim)
{
    const DataSet *drawn = sim->drawn;
    fputs("bmc: simulated", stderr);
    for (int i = 0; i < sim->simulated->n; i++) fprintf(stderr, "%s %s", i ? "," : "", sim->simulated->vals[i].name);
    fprintf(stderr, " with seed %lu", a->seed.cfg.seed);
    for (int i = 0; i < drawn->n; i++) {
        const DataValue *dv = &drawn->vals[i];
        fprintf(stderr, "%s %s = ", i ? "," : " from", dv->name);
        if (dv->ndim == 0) {
            fprintf(stderr, "%.4g", dv->v[0]);
            continue;
        }
        fputc('[', stderr);
        for (long k = 0; k < dv->n && k < SHOWN; k++) fprintf(stderr, "%s%.4g", k ? ", " : "", dv->v[k]);
        fputs(dv->n > SHOWN ? ", ...]" : "]", stderr);
    }
    if (a->nitems) fputs(drawn->n ? " and the values given" : " from the values given", stderr);
    fputc('\n', stderr);
}

int cmd_simulate(int argc, char **argv)
{
    SimulateArgs a = { .items = calloc((size_t)argc + 1, sizeof *a.items), .data = dataset_new() };
    sample_options_init(&a.seed);
    Diags dg;
    diags_init(&dg, NULL);
    DataSet *fixed = NULL;
    Model *m = NULL;
    int code = a.items && a.data ? parse_args(&a, argc, argv) : EXIT_MODEL;
    if (code != EXIT_OK) goto done;
    /* first the parameters, named as bmc logp has them, to read the values against */
    CompileOptions opt = simulate_compile_options(true, NULL);
    if (!(m = cli_compile(a.path, a.data, &opt, &code))) goto done;
    if (simulate_targets(m, &dg) < 0 ||
        simulate_read_values(m, a.items, a.nitems, &fixed, &dg) != 0) {
        code = EXIT_MODEL;
        goto done;
    }
    /* the same text again: standard input cannot be read twice */
    Source *again = source_from_text(m->src->name, m->src->text, m->src->len);
    model_free(m);
    opt = simulate_compile_options(false, fixed);
    if (!(m = cli_compile_source(again, a.data, &opt, &code))) goto done;
    Simulation sim;
    /* Ctrl-C lets the file be written whole, as bmc run's results are */
    RunSignals saved;
    run_catch_sigint(&saved);
    code = simulate_draw(m, a.data, a.seed.cfg.seed, &sim, &dg);
    if (code == EXIT_OK && (code = write_data(&a, sim.data)) == EXIT_OK) report(&a, &sim);
    code = run_results_written(code);
    run_release_sigint(&saved);
    simulation_free(&sim);
done:
    if (dg.n || dg.dropped) cli_print_diags(&dg);
    diags_clear(&dg);
    model_free(m);
    dataset_free(fixed);
    dataset_free(a.data);
    free(a.items);
    return code;
}
