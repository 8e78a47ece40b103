/*
** cli.c -- shared pieces of the commands.
*/
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The error, then the suggestion (NULL: none) and where to read on. */
static int usage_error(const char *command, const char *meant, const char *fmt, va_list ap)
{
    fputs("bmc: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fputs("note: ", stderr);
    if (meant) fprintf(stderr, "did you mean '%s'? ", meant);
    fprintf(stderr, "see 'bmc help%s%s'\n", command ? " " : "", command ? command : "");
    return EXIT_USAGE;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = usage_error(command, NULL, fmt, ap);
    va_end(ap);
    return code;
}

/* Options of other tools (CmdStan, PyMC, rstan) and bmc's for them. */
static const struct { const char *other, *bmc; } option_aliases[] = {
    {"--samples", "--draws"},
    {"--num-samples", "--draws"},
    {"--warmup", "--tune"},
    {"--num-warmup", "--tune"},
    {"--num-chains", "--chains"},
    {"--random-seed", "--seed"},
    {"--adapt-delta", "--target-accept"},
    {"--jobs", "--cores"},
    {"--json", "--format json"},
};

/* Other tools' words for what a bmc command does (PyMC, Stan, JAGS), in
** order: the first whose command bmc has is taken. */
static const struct { const char *other, *bmc, *what; } command_aliases[] = {
    {"sample", "run", "to sample a model: bmc run MODEL.bm"},
    {"fit", "run", "to sample a model: bmc run MODEL.bm"},
    {"mcmc", "run", "to sample a model: bmc run MODEL.bm"},
    {"nuts", "run", "to sample a model: bmc run MODEL.bm"},
    {"coda.samples", "run", "to sample a model: bmc run MODEL.bm"},
    {"stansummary", "summary", "to summarise saved draws: bmc summary FILE.csv..."},
    {"stansummary", "run", "to sample a model and summarise the draws: bmc run MODEL.bm"},
    {"summary", "run", "to sample a model and summarise the draws: bmc run MODEL.bm"},
    {"summarize", "run", "to sample a model and summarise the draws: bmc run MODEL.bm"},
    {"plot", "run", "to draw a model's posterior: bmc run MODEL.bm --plot FILE.png"},
    {"prior", "run", "to draw from the prior: bmc run MODEL.bm --prior"},
    {"predict", "run", "to draw replicated data: bmc run MODEL.bm --predict"},
    {"ppc", "run", "to check replicated data against the data: bmc run MODEL.bm --predict"},
    {"stanc", "check", "to check a model: bmc check MODEL.bm"},
    {"compile", "check", "to check a model: bmc check MODEL.bm"},
    {"validate", "check", "to check a model: bmc check MODEL.bm"},
    {"diagnose", "logp", "to see the log density and its gradient: bmc logp MODEL.bm name=value..."},
    {"log_prob", "logp", "to see the log density and its gradient: bmc logp MODEL.bm name=value..."},
    {"generate", "simulate", "to draw a fake data set: bmc simulate MODEL.bm name=value..."},
    {"model_to_graphviz", "graph", "to see the model's graph: bmc graph MODEL.bm"},
    {"dot", "graph", "to see the model's graph: bmc graph MODEL.bm"},
    {"shell", "repl", "for an interactive session: bmc repl"},
    {"console", "repl", "for an interactive session: bmc repl"},
};

int cli_unknown_command(const char *word, const char *const *names, int n, bool help)
{
    const char *lead = help ? "no help for" : "unknown command";
    size_t len = strlen(word);
    if (!help && len > 3 && strcmp(word + len - 3, ".bm") == 0)
        return cli_usage_error(NULL, "%s '%s'; to sample a model: bmc run %s", lead, word, word);
    for (size_t i = 0; i < sizeof command_aliases / sizeof command_aliases[0]; i++) {
        if (strcmp(command_aliases[i].other, word) != 0) continue;
        for (int k = 0; k < n; k++)
            if (strcmp(names[k], command_aliases[i].bmc) == 0)
                return cli_usage_error(NULL, "bmc has no command '%s'; %s", word, command_aliases[i].what);
    }
    return cli_usage_error_meant(NULL, diag_suggest_abbrev(word, names, n), "%s '%s'", lead, word);
}

bool cli_is_std_stream(const char *arg)
{
    return strcmp(arg, "-") == 0;
}

/* Standard input gives one file: once read to its end (feof), another '-'
** would find nothing, so it is refused.  Returns whether it was, with *code
** the usage error. */
static bool stdin_taken(const char *command, int *code)
{
    if (!feof(stdin)) return false;
    *code = cli_usage_error(command, "standard input ('-') was read already: it gives one file, the model or "
                                     "the data; give the others as files");
    return true;
}

int cli_unknown_option(const char *command, const char *arg)
{
    char name[64], meant[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    for (char *c = name; *c; c++)
        if (*c == '_') *c = '-';   /* --random_seed, PyMC's spelling */
    const char *best = NULL;
    for (size_t i = 0; i < sizeof option_aliases / sizeof option_aliases[0] && !best; i++) {
        size_t n = strcspn(option_aliases[i].bmc, " ");
        snprintf(meant, sizeof meant, "%.*s", (int)n, option_aliases[i].bmc);
        if (strcmp(option_aliases[i].other, name) == 0 && help_has_option(command, meant)) best = option_aliases[i].bmc;
    }
    if (!best && help_suggest_option(command, name, meant, sizeof meant)) best = meant;
    return cli_usage_error_meant(command, best, "unknown option '%s'", arg);
}

int cli_usage_error_meant(const char *command, const char *meant, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = usage_error(command, meant, fmt, ap);
    va_end(ap);
    return code;
}

/* The separator --csv-sep gives anywhere on the command line, or 0. */
static char csv_separator_option(int argc, char **argv)
{
    char sep = 0;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--csv-sep") == 0 && k + 1 < argc) sep = dataset_csv_separator(argv[++k]);
        else if (strncmp(argv[k], "--csv-sep=", 10) == 0) sep = dataset_csv_separator(argv[k] + 10);
    }
    return sep;
}

bool cli_data_option(DataSet *ds, int argc, char **argv, int *i, const char *command, int *code)
{
    const char *a = argv[*i], *file = NULL, *assign = NULL;
    *code = EXIT_OK;
    if (strcmp(a, "--data") == 0) {
        if (*i + 1 >= argc) { *code = cli_usage_error(command, "--data needs a file name"); return true; }
        file = argv[++*i];
    } else if (strncmp(a, "--data=", 7) == 0) {
        file = a + 7;
    } else if (strcmp(a, "-D") == 0) {
        if (*i + 1 >= argc) { *code = cli_usage_error(command, "-D needs name=value"); return true; }
        assign = argv[++*i];
    } else if (strncmp(a, "-D", 2) == 0) {
        assign = a + 2;
    } else if (strcmp(a, "--csv-sep") == 0 || strncmp(a, "--csv-sep=", 10) == 0) {
        /* read here to be checked; each --data finds it in argv, before or after */
        const char *sep = a[9] == '=' ? a + 10 : *i + 1 < argc ? argv[++*i] : NULL;
        if (!sep) *code = cli_usage_error(command, "--csv-sep needs a separator: ',', ';' or tab");
        else if (!dataset_csv_separator(sep))
            *code = cli_usage_error(command, "--csv-sep '%s': the separator is ',', ';' or tab", sep);
        return true;
    } else {
        return false;
    }
    if (file && cli_is_std_stream(file) && stdin_taken(command, code)) return true;
    Diags dg;
    diags_init(&dg, NULL);
    char sep = csv_separator_option(argc, argv);
    int rc = !file ? dataset_parse_assign(ds, assign, "-D", &dg)
           : cli_is_std_stream(file) ? dataset_read_stream(ds, stdin, SOURCE_STDIN_NAME, sep, &dg)
           : dataset_read_file(ds, file, sep, &dg);
    if (rc != 0) {
        cli_print_diags(&dg);
        *code = EXIT_MODEL;
    }
    diags_clear(&dg);
    return true;
}

void cli_print_diags(const Diags *d)
{
    DiagStyle style = { .color = terminal_color(stderr), .tool = "bmc" };
    diags_print(d, stderr, &style);
}

void cli_print_warnings(const Model *m)
{
    if (m->warnings.n || m->warnings.dropped) cli_print_diags(&m->warnings);
}

/* An error of the whole model file called name: printed; *code set. */
static void file_error(const char *name, DiagCode dc, const char *msg, int *code)
{
    Diags dg;
    diags_init(&dg, NULL);
    diag_error_at(&dg, dc, name, "%s", msg);
    cli_print_diags(&dg);
    diags_clear(&dg);
    *code = EXIT_MODEL;
}

Model *cli_compile(const char *path, const DataSet *ds, const CompileOptions *opt, int *code)
{
    char err[1024];
    bool from_stdin = cli_is_std_stream(path);
    if (from_stdin && stdin_taken(NULL, code)) return NULL;
    const char *name = from_stdin ? SOURCE_STDIN_NAME : path;
    Source *src = from_stdin ? source_read_stream(stdin, name, err, sizeof err) : source_read_file(path, err, sizeof err);
    if (!src) {
        file_error(name, DIAG_FILE, err, code);
        return NULL;
    }
    return cli_compile_source(src, ds, opt, code);
}

Model *cli_compile_source(Source *src, const DataSet *ds, const CompileOptions *opt, int *code)
{
    /* on the command line, -D names what the model declares as data */
    CompileOptions o = opt ? *opt : COMPILE_FULL;
    o.assigned_declared = true;
    const char *name = src ? src->name : NULL;
    Model *m = src ? model_compile(src, ds, &o) : NULL;
    if (!m) {
        file_error(name, DIAG_NO_MEMORY, "out of memory", code);
        return NULL;
    }
    if (!model_ok(m)) {
        cli_print_diags(&m->diags);
        model_free(m);
        *code = EXIT_MODEL;
        return NULL;
    }
    return m;
}

bool cli_passes_option(const char *arg, unsigned *passes)
{
    if (strcmp(arg, "-O0") == 0) *passes = 0;
    else if (strcmp(arg, "-O") == 0 || strcmp(arg, "-O1") == 0) *passes = IR_PASS_ALL;
    else return false;
    return true;
}

void cli_note_missing(const Model *m)
{
    if (!m->missing) return;
    fprintf(stderr, "%s: note: checked without values for data", m->src->name);
    for (int i = 0; m->missing[i]; i++) fprintf(stderr, "%s '%s'", i ? "," : "", m->missing[i]);
    fputs("; pass --data FILE.json to check sizes and supports too\n", stderr);
}
