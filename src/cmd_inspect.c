/*
** cmd_inspect.c -- `bmc check` and `bmc ir`: compile and show.
*/
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Parses MODEL.bm and the data options; returns 0 or an exit code. */
static int parse_args(int argc, char **argv, const char *command, const char **path, DataSet *ds)
{
    *path = NULL;
    for (int i = 1; i < argc; i++) {
        int rc = cli_data_option(ds, argc, argv, &i, command);
        if (rc == 1) continue;
        if (rc > 1) return rc;
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error(command, "unknown option '%s'", argv[i]);
        if (*path) return cli_usage_error(command, "one model at a time ('%s' and '%s')", *path, argv[i]);
        *path = argv[i];
    }
    if (!*path) return cli_usage_error(command, "no model file given");
    return 0;
}

static int inspect(int argc, char **argv, const char *command)
{
    DataSet *ds = dataset_new();
    if (!ds) return EXIT_MODEL;
    const char *path;
    int code = parse_args(argc, argv, command, &path, ds);
    if (code == 0) {
        bool check = strcmp(command, "check") == 0;
        Model *m = cli_compile(path, ds, check, &code);
        if (m) {
            if (check) cli_note_missing(m);
            else ir_print(stdout, m->ir);
            model_free(m);
            code = EXIT_OK;
        }
    }
    dataset_free(ds);
    return code;
}

int cmd_check(int argc, char **argv) { return inspect(argc, argv, "check"); }
int cmd_ir(int argc, char **argv) { return inspect(argc, argv, "ir"); }
