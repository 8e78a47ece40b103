/*
** cmd_graph.c -- `bmc graph MODEL.bm`: the model's DAG in Graphviz DOT, or
** rendered to a picture by Graphviz's dot.
*/
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "graph.h"

extern char **environ;

/* dot's -T format for a file name, by extension; NULL when unsupported. */
static const char *render_format(const char *path)
{
    static const char *const formats[] = { "svg", "png", "pdf" };
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcasecmp(dot + 1, formats[i]) == 0) return formats[i];
    return NULL;
}

/* Pipes the DOT text into `dot -Tfmt -o path`. */

/* Graphviz is not there: how to get it, and how to do without. */
static void dot_missing(const char *model, const char *fmt, const char *path)
{
    fprintf(stderr, "bmc: error: Graphviz's 'dot' is not installed; install it with: apt-get install graphviz "
                    "(or pipe the DOT: bmc graph %s | dot -T%s -o %s)\n", model, fmt, path);
}

static int render(const Model *m, const DataSet *ds, const char *path, const char *fmt)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "bmc: error: cannot start Graphviz's 'dot': %s\n", strerror(errno));
        return EXIT_MODEL;
    }
    char tflag[8];
    snprintf(tflag, sizeof tflag, "-T%s", fmt);
    char *argv[] = { "dot", tflag, "-o", (char *)path, NULL };
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        posix_spawn_file_actions_addclose(&fa, fds[1]);
        rc = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
    }
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        if (rc == ENOENT)
            dot_missing(m->src->name, fmt, path);
        else
            fprintf(stderr, "bmc: error: cannot start Graphviz's 'dot': %s\n", strerror(rc));
        return EXIT_MODEL;
    }
    /* dot may exit before reading everything (a bad output path): its
    ** message says why, and bmc must not die of SIGPIPE meanwhile. */
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    FILE *f = fdopen(fds[1], "w");
    int wrote = f ? graph_write_dot(f, m, ds) : -1;
    if (f) fclose(f);
    else close(fds[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)   /* some spawns report a missing program so */
            dot_missing(m->src->name, fmt, path);
        else
            fprintf(stderr, "bmc: error: Graphviz's 'dot' failed to write '%s'\n", path);
        return EXIT_MODEL;
    }
    if (wrote != 0) {
        fputs("bmc: error: out of memory while drawing the graph\n", stderr);
        return EXIT_MODEL;
    }
    return EXIT_OK;
}

int cmd_graph(int argc, char **argv)
{
    DataSet *ds = dataset_new();
    if (!ds) return EXIT_MODEL;
    const char *path = NULL, *out = NULL;
    int code = EXIT_OK;
    for (int i = 1; i < argc && code == EXIT_OK; i++) {
        int rc;
        if (cli_data_option(ds, argc, argv, &i, "graph", &rc)) {
            if (rc) { code = rc; break; }
            continue;
        }
        if (strcmp(argv[i], "--render") == 0) {
            if (i + 1 >= argc) code = cli_usage_error("graph", "--render needs a file name (.svg, .png or .pdf)");
            else out = argv[++i];
        } else if (strncmp(argv[i], "--render=", 9) == 0) {
            out = argv[i] + 9;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            code = cli_unknown_option("graph", argv[i]);
        } else if (path) {
            code = cli_usage_error("graph", "one model at a time ('%s' and '%s')", path, argv[i]);
        } else {
            path = argv[i];
        }
    }
    const char *fmt = NULL;
    if (code == EXIT_OK && !path) code = cli_usage_error("graph", "no model file given");
    if (code == EXIT_OK && out && cli_is_std_stream(out))
        code = cli_usage_error("graph", "--render - : the DOT text goes to standard output without --render; "
                                        "--render draws a picture file (.svg, .png or .pdf)");
    if (code == EXIT_OK && out && !(fmt = render_format(out)))
        code = cli_usage_error("graph", "--render '%s': the name must end in .svg, .png or .pdf", out);
    if (code == EXIT_OK) {
        /* check mode: without its data the model still has a graph */
        Model *m = cli_compile(path, ds, &COMPILE_CHECK, &code);
        if (m) {
            cli_print_warnings(m);
            if (out) {
                code = render(m, ds, out, fmt);
            } else if (graph_write_dot(stdout, m, ds) != 0) {
                fputs("bmc: error: cannot write the graph\n", stderr);
                code = EXIT_MODEL;
            }
            model_free(m);
        }
    }
    dataset_free(ds);
    return code;
}
