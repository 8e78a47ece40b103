/*
** repl_line.c -- reading the REPL's lines: GNU readline with history in
** ~/.bmc_history and tab completion when stdin is a terminal; plain fgets
** (no prompt, no history) when it is not, so sessions can be scripted.
**
** Readline's callbacks take no context pointer, and a signal handler can
** only set a flag: the two statics below are the session being completed
** and the Ctrl-C flag, nothing else.
*/
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>
#include "builtins.h"
#include "dist.h"
#include "session.h"

#define HISTORY_FILE ".bmc_history"
#define HISTORY_MAX  1000

/* lock-free, so a signal handler may set it (C11 7.14.1.1) */
static atomic_int sigint_seen;
static const Session *completing;

static void on_sigint(int sig)
{
    (void)sig;
    atomic_store(&sigint_seen, 1);
}

/* ---- Ctrl-C at the prompt ---- */

static bool line_cancelled;
static const char *fresh_prompt;

/* Called by readline when a read is interrupted by a signal: Ctrl-C
** empties the line and starts a fresh one under the first prompt, as a
** shell does.  Readline goes on reading into it; the caller learns of
** the Ctrl-C when the line comes back. */
static int on_signal_event(void)
{
    if (!atomic_exchange(&sigint_seen, 0)) return 0;
    line_cancelled = true;
    rl_replace_line("", 0);
    rl_crlf();
    rl_set_prompt(fresh_prompt);
    rl_on_new_line();
    rl_redisplay();
    return 0;
}

/* ---- history ---- */

static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (!home || !*home) return NULL;
    size_t n = strlen(home) + sizeof HISTORY_FILE + 2;
    char *path = malloc(n);
    if (path) snprintf(path, n, "%s/%s", home, HISTORY_FILE);
    return path;
}

static void remember(Session *s, const char *line)
{
    if (!*line || strspn(line, " \t") == strlen(line)) return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0) return;
    add_history(line);
    s->history_added++;
}

/* ---- completion ---- */

typedef struct Matches {
    char **v;
    int n, cap;
    bool oom;
} Matches;

static void offer(Matches *m, const char *word, const char *text)
{
    if (!word || strncmp(word, text, strlen(text)) != 0) return;
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->v[i + 1], word) == 0) return;
    if (m->n + 3 > m->cap) {
        int cap = m->cap ? 2 * m->cap : 32;
        char **v = realloc(m->v, (size_t)cap * sizeof *v);
        if (!v) { m->oom = true; return; }
        m->v = v;
        m->cap = cap;
    }
    char *copy = strdup(word);
    if (!copy) { m->oom = true; return; }
    m->v[1 + m->n++] = copy;
}

static void offer_distributions(Matches *m, const char *text)
{
    for (int i = 0; i < dist_count(); i++)
        if (!dist_at(i)->alternative) offer(m, dist_at(i)->name, text);
}

static void offer_session_names(Matches *m, const char *text)
{
    const Model *model = completing->model;
    if (model)
        for (int i = 0; i < model->sema.nsyms; i++) offer(m, model->sema.syms[i].name, text);
    const Draws *d = completing->sample.run.res.draws;
    if (d)
        for (int i = 0; i < d->nvars; i++) offer(m, d->names[i], text);
}

/* readline wants v[0] to be what replaces the word: the longest prefix
** common to every match. */
static char **finish(Matches *m)
{
    if (m->oom || m->n == 0) {
        for (int i = 0; i < m->n; i++) free(m->v[i + 1]);
        free(m->v);
        return NULL;
    }
    size_t common = strlen(m->v[1]);
    for (int i = 2; i <= m->n; i++) {
        size_t k = 0;
        while (k < common && m->v[i][k] == m->v[1][k]) k++;
        common = k;
    }
    m->v[0] = strndup(m->v[1], common);
    m->v[m->n + 1] = NULL;
    if (!m->v[0]) {
        m->oom = true;
        return finish(m);
    }
    return m->v;
}

static bool is_callable(const char *word)
{
    return dist_lookup(word) || builtin_lookup(word);
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    Matches m = {0};
    rl_attempted_completion_over = 1;
    rl_completion_append_character = ' ';
    const char *line = rl_line_buffer;
    int lead = (int)strspn(line, " \t");
    if (line[lead] == ':') {
        if (start <= lead) {
            for (int i = 0; i < repl_command_count(); i++) offer(&m, repl_command_at(i)->name, text);
            return finish(&m);
        }
        const char *cmd = line + lead;
        size_t n = strcspn(cmd, " \t");
        if ((n == 5 && strncmp(cmd, ":load", 5) == 0) || (n == 5 && strncmp(cmd, ":save", 5) == 0) ||
            (n == 5 && strncmp(cmd, ":data", 5) == 0 && !strchr(text, '='))) {
            rl_attempted_completion_over = 0;   /* readline's file names */
            return NULL;
        }
        if (n == 5 && strncmp(cmd, ":dist", 5) == 0) offer_distributions(&m, text);
        else if (n == 5 && strncmp(cmd, ":help", 5) == 0)
            for (int i = 0; i < repl_command_count(); i++) offer(&m, repl_command_at(i)->name, text);
        else offer_session_names(&m, text);
    } else {
        offer_distributions(&m, text);
        for (int i = 0; i < builtin_count(); i++) offer(&m, builtin_at(i)->name, text);
        offer_session_names(&m, text);
        static const char *const keywords[] = {"observed", "data", "for", "in"};
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) offer(&m, keywords[i], text);
    }
    if (m.n == 1 && is_callable(m.v[1])) rl_completion_append_character = '(';
    return finish(&m);
}

/* ---- the session's lines ---- */

void repl_line_start(Session *s)
{
    s->interrupt = &sigint_seen;
    if (!s->interactive) return;
    completing = s;
    rl_readline_name = "bmc";
    rl_attempted_completion_function = complete;
    /* ':' stays in words so that ":sa" completes to ":sample" */
    rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{}()[],+-*/^~!";
    rl_signal_event_hook = on_signal_event;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;   /* no SA_RESTART: the read returns, readline calls the hook */
    sigaction(SIGINT, &sa, NULL);
    using_history();
    stifle_history(HISTORY_MAX);
    char *path = history_path();
    if (path) read_history(path);   /* none yet is fine */
    free(path);
}

void repl_line_catch_interrupt(Session *s, bool on)
{
    if (s->interactive) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_sigint : SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
}

char *repl_line_read(Session *s, const char *prompt, const char *first_prompt, bool *cancelled)
{
    *cancelled = false;
    if (!s->interactive) {
        size_t cap = 0;
        char *line = NULL;
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0) { free(line); return NULL; }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        return line;
    }
    line_cancelled = false;
    fresh_prompt = first_prompt;
    atomic_store(&sigint_seen, 0);
    char *line = readline(prompt);
    *cancelled = line_cancelled;
    if (line) remember(s, line);
    return line;
}

void repl_line_screen_size(int *cols)
{
    int rows, c;
    rl_get_screen_size(&rows, &c);
    if (c > 0) *cols = c;
}

void repl_line_end(Session *s)
{
    if (!s->interactive) return;
    completing = NULL;
    signal(SIGINT, SIG_DFL);
    char *path = history_path();
    if (path && s->history_added > 0) {
        int n = s->history_added < HISTORY_MAX ? s->history_added : HISTORY_MAX;
        /* append_history needs the file to exist; failures (an unwritable
        ** HOME) only lose the history */
        int rc = access(path, F_OK) == 0 ? append_history(n, path) : write_history(path);
        if (rc == 0) history_truncate_file(path, HISTORY_MAX);
    }
    free(path);
    clear_history();
}
