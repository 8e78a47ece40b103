/*
** cli.c -- shared pieces of the commands.
*/
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bmc: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (command) fprintf(stderr, "note: see 'bmc help %s'\n", command);
    else fputs("note: see 'bmc help'\n", stderr);
    return EXIT_USAGE;
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
    } else {
        return false;
    }
    Diags dg;
    diags_init(&dg, NULL);
    int rc = file ? dataset_read_json(ds, file, &dg) : dataset_parse_assign(ds, assign, "-D", &dg);
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

Model *cli_compile(const char *path, const DataSet *ds, const CompileOptions *opt, int *code)
{
    char err[1024];
    /* on the command line, -D names what the model declares as data */
    CompileOptions o = opt ? *opt : COMPILE_FULL;
    o.assigned_declared = true;
    Source *src = source_read_file(path, err, sizeof err);
    Model *m = src ? model_compile(src, ds, &o) : NULL;
    if (!m) {
        Diags dg;
        diags_init(&dg, NULL);
        diag_error_at(&dg, src ? DIAG_NO_MEMORY : DIAG_FILE, path, "%s", src ? "out of memory" : err);
        cli_print_diags(&dg);
        diags_clear(&dg);
        *code = EXIT_MODEL;
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
