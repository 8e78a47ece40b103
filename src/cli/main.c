/*
** main.c -- bmc's entry point: picks the command.
*/
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include "cli.h"

typedef struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
    {"run", cmd_run},
    {"compare", cmd_compare},
    {"summary", cmd_summary},
    {"loo", cmd_loo},
    {"plot", cmd_plot},
    {"check", cmd_check},
    {"ir", cmd_ir},
    {"logp", cmd_logp},
    {"simulate", cmd_simulate},
    {"graph", cmd_graph},
    {"repl", cmd_repl},
    {"help", cmd_help},
};

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
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) return cmd_help(argc - 1, argv + 1);
    size_t ncommands = sizeof commands / sizeof commands[0];
    for (size_t i = 0; i < ncommands; i++) {
        if (strcmp(commands[i].name, name) != 0) continue;
        /* --help anywhere on the line asks for the command's help, whatever else is there */
        for (int k = 2; k < argc; k++)
            if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) return cli_command_help(name);
        return commands[i].run(argc - 1, argv + 1);
    }
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < ncommands; i++) names[i] = commands[i].name;
    return cli_unknown_command(name, names, (int)ncommands, false);
}
