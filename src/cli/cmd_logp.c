/*
** cmd_logp.c -- `bmc logp MODEL.bm name=value ...`: the joint log density
** and its gradient at constrained parameter values.
*/
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "logp_values.h"

/* Takes the items, evaluates and prints.  Returns an exit code. */
static int evaluate(const Model *m, const char *path, char **assigns, int nassign, bool json)
{
    LogpValues v;
    Diags dg;
    diags_init(&dg, NULL);
    int code = logp_values_init(&v, m) == 0 ? EXIT_OK : EXIT_MODEL;
    if (code != EXIT_OK) diag_error_at(&dg, DIAG_NO_MEMORY, NULL, "out of memory");
    for (int i = 0; i < nassign && code == EXIT_OK; i++)
        if (logp_assign(&v, assigns[i], "--data or -D", &dg) != 0) code = EXIT_MODEL;
    if (code == EXIT_OK) {
        size_t len = strlen(path) + 16;
        char *usage = malloc(len);
        if (usage) snprintf(usage, len, "bmc logp %s", path);
        if (!usage) diag_error_at(&dg, DIAG_NO_MEMORY, NULL, "out of memory");
        if (!usage || logp_evaluate(&v, usage, &dg) != 0) code = EXIT_MODEL;
        free(usage);
    }
    if (code != EXIT_OK) cli_print_diags(&dg);
    else if (!json) logp_print(stdout, &v);
    else if (logp_print_json(stdout, &v) != 0) code = EXIT_MODEL;
    diags_clear(&dg);
    logp_values_free(&v);
    return code;
}

int cmd_logp(int argc, char **argv)
{
    DataSet *ds = dataset_new();
    if (!ds) return EXIT_MODEL;
    const char *path = NULL;
    bool json = false;
    unsigned passes = IR_PASS_ALL;
    int code = EXIT_OK;
    char **assigns = calloc((size_t)argc + 1, sizeof *assigns);
    int nassign = 0;
    Model *m = NULL;
    if (!assigns) { code = EXIT_MODEL; goto done; }
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_data_option(ds, argc, argv, &i, "logp", &rc)) {
            if (rc) { code = rc; goto done; }
            continue;
        }
        const char *a = argv[i];
        if (cli_passes_option(a, &passes)) continue;
        if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *f = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
            if (strcmp(f, "json") == 0) json = true;
            else if (strcmp(f, "table") != 0) { code = cli_usage_error("logp", "--format is table or json, not '%s'", f); goto done; }
        } else if (a[0] == '-' && a[1] != '\0' && !strchr(a, '=')) {
            code = cli_unknown_option("logp", a);
            goto done;
        } else if (strchr(a, '=') && path) {
            assigns[nassign++] = argv[i];
        } else if (!path) {
            path = a;
        } else {
            code = cli_usage_error("logp", "'%s': expected name=value", a);
            goto done;
        }
    }
    if (!path) { code = cli_usage_error("logp", "no model file given"); goto done; }
    CompileOptions opt = { .check_only = false, .passes = passes };
    if ((m = cli_compile(path, ds, &opt, &code))) {
        cli_print_warnings(m);
        code = evaluate(m, path, assigns, nassign, json);
    }
done:
    model_free(m);
    free(assigns);
    dataset_free(ds);
    return code;
}
