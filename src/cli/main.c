/*
** main.c -- bmc's entry point: picks the command.
*/
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include "cli.h"
#include "diag.h"

typedef struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
    {"run", cmd_run},
    {"compare", cmd_compare},
    {"summary", cmd_summary},
    {"plot", cmd_plot},
    {"check", cmd_check},
    {"ir", cmd_ir},
    {"logp", cmd_logp},
    {"simulate", cmd_simulate},
    {"graph", cmd_graph},
    {"repl", cmd_repl},
    {"help", cmd_help},
};

/* The command word most likely means: misspelt, or another tool's word
** for it (PyMC's and CmdStan's sample); NULL when none is close. */
static const char *suggest_command(const char *word)
{
    static const struct { const char *other, *bmc; } aliases[] = {
        {"sample", "run"}, {"fit", "run"}, {"mcmc", "run"}, {"validate", "check"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].other, word) == 0) return aliases[i].bmc;
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) names[i] = commands[i].name;
    return diag_suggest(word, names, (int)(sizeof commands / sizeof commands[0]));
}

/* Under LeakSanitizer (make SANITIZE=1): fontconfig, below cairo's text,
** keeps a few hundred bytes of its configuration for the life of the
** process.  LSan reads this hook for its default suppressions; other
** builds never call it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; bmc checks every status itself. */
    gsl_set_error_handler_off();
    if (argc < 2) {
        cmd_help(1, argv);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("bmc %s\n", BMC_VERSION);
        return EXIT_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) return cmd_help(1, argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) return commands[i].run(argc - 1, argv + 1);
    if (strlen(name) > 3 && strcmp(name + strlen(name) - 3, ".bm") == 0)
        return cli_usage_error(NULL, "unknown command '%s'; to sample a model: bmc run %s", name, name);
    return cli_usage_error_meant(NULL, suggest_command(name), "unknown command '%s'", name);
}
