/*
** cmd_loo.c -- `bmc loo FILE.csv...`: PSIS-LOO and WAIC from saved draws
** with a pointwise log-likelihood (columns log_lik.1 .. log_lik.N, as bmc
** run --log-lik and Stan's generated quantities write them), one chain a
** file, printed as bmc run --loo prints its own.
*/
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "report_loo.h"
#include "sample_options.h"
#include "saved_draws.h"
#include "status.h"
#include "terminal.h"

/* The files and --format; EXIT_OK or an exit code after printing why. */
static int parse(int argc, char **argv, const char **paths, int *npaths, bool *json)
{
    for (int i = 1; i < argc; i++) {
        const char *s;
        if ((s = command_option_value(argc, argv, &i, "--format"))) {
            if (strcmp(s, "json") == 0) *json = true;
            else if (strcmp(s, "table") != 0) return cli_usage_error("loo", "--format is table or json, not '%s'", s);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_unknown_option("loo", argv[i]);
        } else {
            paths[(*npaths)++] = argv[i];
        }
    }
    if (*npaths == 0)
        return cli_usage_error("loo", "no CSV files given (bmc run MODEL.bm --log-lik --output-dir DIR writes them)");
    return EXIT_OK;
}

/* {"loo": {...}} on out. */
static int print_json(FILE *out, const LooResult *r)
{
    json_t *root = json_object(), *loo = report_loo_json(r);
    int bad = !root || !loo || json_object_set(root, "loo", loo) != 0;
    size_t flags = JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(17);
    if (!bad) bad = json_dumpf(root, out, flags) != 0 || fputc('\n', out) == EOF;
    json_decref(loo);
    json_decref(root);
    return bad ? -1 : 0;
}

/* PSIS-LOO of the saved draws s; EXIT_OK or an exit code after printing why. */
static int loo_of_files(const SavedDraws *s, const char *first, bool json)
{
    const Draws *d = s->draws;
    int *vars = NULL, bad = 0;
    int n = loo_log_lik_vars(d, &vars);
    if (n == 0) {
        fprintf(stderr, "bmc: error: %s: no log_lik columns: run with --log-lik\n", first);
        fputs("note: bmc loo reads the pointwise log-likelihood, columns log_lik.1 .. log_lik.N, as bmc run "
              "--log-lik\n      and Stan's generated quantities write them\n", stderr);
        return EXIT_MODEL;
    }
    LooResult r;
    int rc = n < 0 ? -1 : loo_of_draws(d, vars, n, &r, &bad);
    free(vars);
    if (rc == LOO_NOT_FINITE) {
        fprintf(stderr, "bmc: error: %s: column %s is not a finite number in some draws\n", first, d->names[bad]);
        fputs("note: PSIS-LOO needs a finite log-likelihood of every point at every draw\n", stderr);
        return EXIT_MODEL;
    }
    if (rc != 0) {
        fputs(d->nchains * d->ndraws < 2 ? "bmc: error: PSIS-LOO needs two draws or more\n"
                                         : "bmc: error: out of memory\n", stderr);
        return EXIT_MODEL;
    }
    Warnings w;
    warnings_init(&w);
    int code = warnings_extend(&w, &s->warnings) == 0 && report_loo_warnings(&w, &r) == 0 ? EXIT_OK : EXIT_MODEL;
    if (code == EXIT_OK && json) code = print_json(stdout, &r) == 0 ? EXIT_OK : EXIT_MODEL;
    else if (code == EXIT_OK) report_loo_block(stdout, &r);
    fflush(stdout);
    if (code != EXIT_OK) fputs("bmc: error: cannot print the results\n", stderr);
    warnings_print(stderr, &w, terminal_color(stderr));
    warnings_free(&w);
    loo_result_free(&r);
    return code;
}

int cmd_loo(int argc, char **argv)
{
    const char **paths = calloc(argc > 0 ? (size_t)argc : 1, sizeof *paths);
    if (!paths) return EXIT_MODEL;
    int npaths = 0;
    bool json = false;
    int code = parse(argc, argv, paths, &npaths, &json);
    SavedDraws s;
    memset(&s, 0, sizeof s);
    if (code == EXIT_OK) {
        Diags errs;
        diags_init(&errs, NULL);
        code = saved_draws_read(&s, paths, npaths, &errs);
        if (code != EXIT_OK) cli_print_diags(&errs);
        diags_clear(&errs);
    }
    if (code == EXIT_OK) code = loo_of_files(&s, paths[0], json);
    saved_draws_free(&s);
    free(paths);
    return code;
}
