/*
** cmd_repl.c -- `bmc repl`: takes no arguments but --help.
*/
#include <string.h>
#include "cli.h"
#include "repl.h"

int cmd_repl(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            char *hargv[] = {"help", "repl", NULL};
            return cmd_help(2, hargv);
        }
        return cli_usage_error("repl", "'bmc repl' takes no arguments, not '%s'", argv[i]);
    }
    return repl_run();
}
