/*
** repl.c -- `bmc repl`: the loop that turns lines into statements of the
** session's model and ':' commands.
**
** The parser says when the lines typed are a statement: when they parse,
** or fail before their end.  A failure at the very end is a statement
** that more lines may complete, so they accumulate under the "...> "
** prompt.  Lines starting with ':' are commands.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parse.h"
#include "repl.h"
#include "session.h"

#define PROMPT      "bmc> "
#define PROMPT_MORE "...> "

/* ---- messages ---- */

static void message(Session *s, const char *kind, const char *color, const char *fmt, va_list ap)
{
    fflush(stdout);   /* keep stdout and stderr in order when both go to one place */
    if (s->color) fprintf(stderr, "%s%s:\033[0m ", color, kind);
    else fprintf(stderr, "%s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void repl_error(Session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(s, "error", "\033[1;31m", fmt, ap);
    va_end(ap);
    s->errors++;
}

void repl_note(Session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(s, "note", "\033[1;36m", fmt, ap);
    va_end(ap);
}

/* ---- commands ---- */

static void show_help(Session *s, const char *args);
static void quit(Session *s, const char *args) { (void)args; s->quit = true; }

static const ReplCommand commands[] = {
    {":help", show_help, "", "this list"},
    {":model", repl_cmd_model, "", "print the model so far"},
    {":sample", repl_cmd_sample, "[draws] [--chains N] [--tune N] [--seed N] ...",
     "sample the posterior (options as for 'bmc run') and print the summary"},
    {":prior", repl_cmd_prior, "[draws] [--chains N] [--seed N] ...",
     "draw from the prior predictive distribution: parameters and data, before any data"},
    {":ppc", repl_cmd_ppc, "[draws] [--chains N] [--seed N] ...",
     "sample the posterior with replicates of the data, and check them against it"},
    {":summary", repl_cmd_summary, "[vars]", "the last sample's summary, of the variables named"},
    {":plot", repl_cmd_plot, "[FILE] [--kind K] VAR ...",
     "sketch VAR's posterior (--kind ppc: the data's checks); FILE: a picture, as --plot"},
    {":dist", repl_cmd_dist, "Dist(args)", "what a distribution says: mean, sd, interval, density"},
    {":logp", repl_cmd_logp, "name=value ...", "log density and gradient at parameter values"},
    {":data", repl_cmd_data, "[name=value ... | FILE.json | FILE.csv]", "set data values; without arguments, list them"},
    {":drop", repl_cmd_drop, "NAME", "remove the statements of NAME, unless others use it"},
    {":undo", repl_cmd_undo, "", "take back the last change (added, replaced, dropped)"},
    {":reset", repl_cmd_reset, "", "start again: no model, data or sample"},
    {":load", repl_cmd_load, "FILE.bm", "make the file the session's model"},
    {":save", repl_cmd_save, "FILE.bm", "write the model; the :data values to FILE.json"},
    {":quit", quit, "", "leave (so does Ctrl-D)"},
};

int repl_command_count(void) { return (int)(sizeof commands / sizeof commands[0]); }
const ReplCommand *repl_command_at(int i) { return &commands[i]; }

static void show_help(Session *s, const char *args)
{
    if (*args) {   /* ":help :sample", or ":help sample" */
        const char *want = args[0] == ':' ? args + 1 : args;
        for (int i = 0; i < repl_command_count(); i++)
            if (strcmp(commands[i].name + 1, want) == 0) {
                printf("%s %s\n  %s\n", commands[i].name, commands[i].args, commands[i].help);
                return;
            }
        repl_error(s, "no command '%s'", args);
        return;
    }
    puts("Type statements to build a model, one or more lines each:\n"
         "  p_A ~ Beta(1, 1);\n"
         "  y_A ~ Binomial(1000, p_A) observed 120;\n"
         "A statement that does not compile is not added; the error says why.\n"
         "A new definition of a name replaces the old one, where it was:\n"
         "  p_A ~ Beta(10, 90);\n"
         "\nCommands:");
    for (int i = 0; i < repl_command_count(); i++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", commands[i].name, commands[i].args);
        if (strlen(head) > 30) printf("  %s\n  %-30s  %s\n", head, "", commands[i].help);
        else printf("  %-30s  %s\n", head, commands[i].help);
    }
    puts("\nTab completes names, distributions, functions and commands; Ctrl-C clears\n"
         "the line, or stops :sample keeping the draws made.");
}

static void run_command(Session *s, const char *line)
{
    const char *p = line;
    size_t n = strcspn(p, " \t");
    const char *args = p + n;
    args += strspn(args, " \t");
    for (int i = 0; i < repl_command_count(); i++)
        if (strlen(commands[i].name) == n && strncmp(commands[i].name, p, n) == 0) {
            commands[i].run(s, args);
            return;
        }
    /* a unique prefix is enough: :s is ambiguous, :sa is :sample */
    const ReplCommand *only = NULL;
    int matches = 0;
    for (int i = 0; i < repl_command_count(); i++)
        if (n > 1 && strncmp(commands[i].name, p, n) == 0) { only = &commands[i]; matches++; }
    if (matches == 1) {
        only->run(s, args);
        return;
    }
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(n < 60 ? n : 60), p);
    if (matches > 1) {
        char list[256] = "";
        for (int i = 0; i < repl_command_count(); i++)
            if (strncmp(commands[i].name, p, n) == 0) {
                if (*list) strncat(list, ", ", sizeof list - strlen(list) - 1);
                strncat(list, commands[i].name, sizeof list - strlen(list) - 1);
            }
        repl_error(s, "'%s' could be %s", word, list);
        return;
    }
    repl_error(s, "unknown command '%s'", word);
    const char *names[sizeof commands / sizeof commands[0]];
    for (int i = 0; i < repl_command_count(); i++) names[i] = commands[i].name;
    const char *best = diag_suggest(word, names, repl_command_count());
    if (best) repl_note(s, "did you mean '%s'? (:help lists the commands)", best);
    else repl_note(s, ":help lists the commands");
}

/* ---- statements ---- */

/* What the lines typed so far are, by the parser. */
typedef enum {
    PENDING_BLANK,       /* nothing yet: spaces, comments */
    PENDING_MORE,        /* a statement that more lines may complete: it fails only at the end */
    PENDING_READY        /* whole statements, or a mistake that no more lines can mend */
} PendingState;

static PendingState pending_state(const char *text)
{
    Source *src = source_from_text(REPL_NAME, text, strlen(text));
    if (!src) return PENDING_READY;   /* adding it says out of memory */
    Arena arena = {0};
    Diags d;
    diags_init(&d, src);
    Program *prog = parse_source(src, &arena, &d);
    bool at_end = d.n > 0 && d.dropped == 0;
    for (int i = 0; i < d.n; i++) at_end = at_end && d.items[i].code == DIAG_INCOMPLETE;
    PendingState state = !prog || diags_failed(&d) ? (at_end ? PENDING_MORE : PENDING_READY)
                         : prog->nstmts == 0 ? PENDING_BLANK : PENDING_READY;
    diags_clear(&d);
    arena_free(&arena);
    source_free(src);
    return state;
}

typedef struct Pending {
    char *text;
    size_t len, cap;
    int first_line;      /* the input line its text began on */
    PendingState state;  /* of text */
} Pending;

static int pending_add(Pending *p, const char *line)
{
    size_t n = strlen(line);
    if (p->len + n + 2 > p->cap) {
        size_t cap = (p->len + n + 2) * 2;
        char *t = realloc(p->text, cap);
        if (!t) return -1;
        p->text = t;
        p->cap = cap;
    }
    memcpy(p->text + p->len, line, n);
    p->len += n;
    p->text[p->len++] = '\n';
    p->text[p->len] = '\0';
    return 0;
}

static void pending_clear(Pending *p)
{
    p->len = 0;
    if (p->text) p->text[0] = '\0';
    p->state = PENDING_BLANK;
}

/* No statement starts with ':'. */
static bool is_command(const char *line)
{
    line += strspn(line, " \t");
    return line[0] == ':';
}

/* Feeds one line; runs it when it completes a statement or is a command. */
static void feed(Session *s, Pending *p, const char *line)
{
    if (is_command(line)) {
        if (p->state == PENDING_MORE) {
            repl_note(s, "the unfinished statement was dropped");
            pending_clear(p);
        }
        const char *cmd = line + strspn(line, " \t");
        /* trailing spaces are not part of a file name */
        char *copy = strdup(cmd);
        if (!copy) { repl_error(s, "out of memory"); return; }
        size_t n = strlen(copy);
        while (n && (copy[n - 1] == ' ' || copy[n - 1] == '\t' || copy[n - 1] == '\r')) copy[--n] = '\0';
        run_command(s, copy);
        free(copy);
        return;
    }
    if (p->len == 0) p->first_line = s->input_line;
    if (pending_add(p, line) != 0) { repl_error(s, "out of memory"); return; }
    p->state = pending_state(p->text);
    if (p->state != PENDING_READY) return;
    repl_add_statement(s, p->text, p->first_line);
    pending_clear(p);
}

int repl_width(const Session *s)
{
    int cols = 0;
    if (s->interactive) {
        const char *c = getenv("COLUMNS");
        cols = c ? atoi(c) : 0;
        repl_line_screen_size(&cols);
    }
    if (cols <= 0) return 60;
    cols -= 2;
    return cols < 30 ? 30 : cols > 100 ? 100 : cols;
}

/* Whether the terminal shows UTF-8: the locale's name says so. */
static bool locale_utf8(void)
{
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
    }
    return false;
}

int repl_run(void)
{
    Session s;
    memset(&s, 0, sizeof s);
    s.interactive = isatty(STDIN_FILENO);
    s.color = s.interactive && terminal_color(stderr);
    s.plot_color = s.interactive && terminal_color(stdout);
    s.utf8 = s.interactive && locale_utf8();
    s.name = strdup(REPL_MODEL_NAME);
    s.data = dataset_new();
    if (!s.name || !s.data) {
        free(s.name);
        dataset_free(s.data);
        fputs("bmc: error: out of memory\n", stderr);
        return EXIT_MODEL;
    }
    /* results and messages in the order they were made, even into one pipe */
    setvbuf(stdout, NULL, _IOLBF, 0);
    repl_line_start(&s);
    if (s.interactive) printf("bmc %s -- type statements to build a model; :help for commands, :quit to leave\n",
                              BMC_VERSION);
    Pending p = { .state = PENDING_BLANK };
    while (!s.quit) {
        bool cancelled = false;
        char *line = repl_line_read(&s, p.state == PENDING_MORE ? PROMPT_MORE : PROMPT, PROMPT, &cancelled);
        if (cancelled) pending_clear(&p);
        if (!line) break;
        s.input_line++;
        feed(&s, &p, line);
        free(line);
    }
    /* an unfinished statement at the end: the parser says what is missing */
    if (p.state == PENDING_MORE) repl_add_statement(&s, p.text, p.first_line);
    if (s.interactive && !s.quit) putchar('\n');
    free(p.text);
    repl_line_end(&s);
    int code = !s.interactive && s.errors ? EXIT_MODEL : EXIT_OK;
    repl_session_free(&s);
    return code;
}
