/*
** cmd_repl.c -- `bmc repl`: takes no arguments (main.c answers --help).
*/
#include "cli.h"
#include "repl.h"

int cmd_repl(int argc, char **argv)
{
    if (argc > 1) return cli_usage_error("repl", "'bmc repl' takes no arguments, not '%s'", argv[1]);
    return repl_run();
}
