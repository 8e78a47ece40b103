/*
** repl_edit.c -- changing the session's model: a typed statement is added,
** or replaces the statements that define the same names; :drop removes the
** statements of a name; :undo takes back the last change of any kind.
**
** The compiler says what a statement defines: a name (or an element)
** defined twice is a DIAG_REDEFINED error whose second place is the other
** definition.  When one place is in the statement typed and the other in
** the model, the model's statement there is replaced: it is blanked out
** (its bytes become spaces, so that every other statement keeps its line
** and column and errors still point at the model's lines) and the text is
** compiled again, until no such pair is left.  Only a model that then
** compiles is kept, with the new statement where the first statement it
** replaces was.
**
** Each change is kept as the bytes it replaced, so that :undo can put
** them back, whatever the change was.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "session.h"

/* ---- what :undo and the changes say ---- */

char *repl_says(const char *verb, const char *text, size_t len)
{
    while (len > 0 && text[len - 1] == '\n') len--;
    bool lines = memchr(text, '\n', len) != NULL;
    size_t n = strlen(verb) + len + 4;
    char *says = malloc(n);
    if (says) snprintf(says, n, "%s:%s%.*s\n", verb, lines ? "\n" : " ", (int)len, text);
    return says;
}

/* ---- the history ---- */

static void change_free(ReplChange *c)
{
    free(c->old);
    free(c->name);
    free(c->undo_says);
}

void repl_changes_free(Session *s)
{
    for (int i = 0; i < s->nchanges; i++) change_free(&s->changes[i]);
    free(s->changes);
    s->changes = NULL;
    s->nchanges = s->cap_changes = 0;
}

int repl_commit(Session *s, char *text, size_t len, Model *m, char *undo_says, char *name)
{
    if (s->nchanges == s->cap_changes) {
        int cap = s->cap_changes ? 2 * s->cap_changes : 16;
        ReplChange *c = realloc(s->changes, (size_t)cap * sizeof *c);
        if (c) {
            s->changes = c;
            s->cap_changes = cap;
        }
    }
    /* the bytes that differ: between the common beginning and end */
    size_t at = 0, tail = 0;
    while (at < s->len && at < len && s->text[at] == text[at]) at++;
    while (tail < s->len - at && tail < len - at && s->text[s->len - 1 - tail] == text[len - 1 - tail]) tail++;
    size_t old_len = s->len - at - tail;
    char *old = malloc(old_len + 1);
    if (s->nchanges == s->cap_changes || !old) {
        free(old);
        free(text);
        model_free(m);
        free(undo_says);
        free(name);
        repl_error(s, "out of memory: the model is as it was");
        return -1;
    }
    if (old_len) memcpy(old, s->text + at, old_len);
    old[old_len] = '\0';
    s->changes[s->nchanges++] = (ReplChange){ at, len - at - tail, old, old_len, NULL, undo_says };
    if (name) {
        s->changes[s->nchanges - 1].name = s->name;
        s->name = name;
    }
    free(s->text);
    s->text = text;
    s->len = len;
    s->cap = len + 1;
    repl_set_model(s, m);
    return 0;
}

void repl_cmd_undo(Session *s, const char *args)
{
    (void)args;
    if (s->nchanges == 0) {
        repl_error(s, "nothing to undo");
        return;
    }
    ReplChange *c = &s->changes[s->nchanges - 1];
    size_t len = s->len - c->len + c->old_len;
    char *text = malloc(len + 1);
    if (!text) {
        repl_error(s, "out of memory");
        return;
    }
    memcpy(text, s->text, c->at);
    memcpy(text + c->at, c->old, c->old_len);
    memcpy(text + c->at + c->old_len, s->text + c->at + c->len, s->len - c->at - c->len);
    text[len] = '\0';
    free(s->text);
    s->text = text;
    s->len = len;
    s->cap = len + 1;
    if (c->name) {
        free(s->name);
        s->name = c->name;
        c->name = NULL;
    }
    fputs(c->undo_says, stdout);
    change_free(c);
    s->nchanges--;
    repl_set_model(s, s->len ? repl_compile(s, &COMPILE_PARTIAL) : NULL);
}

/* ---- statements as bytes of the text ---- */

typedef struct Span {
    size_t from, to;        /* bytes [from, to) of the model's text */
} Span;

typedef struct Spans {
    Span *v;
    int n, cap;
} Spans;

static Span stmt_span(const Source *src, const Stmt *st)
{
    return (Span){ source_offset(src, st->loc.first_line, st->loc.first_column),
                   source_offset(src, st->loc.last_line, st->loc.last_column) };
}

/* Adds sp unless it is there: 1 added, 0 there already, -1 out of memory. */
static int spans_add(Spans *g, Span sp)
{
    for (int i = 0; i < g->n; i++)
        if (g->v[i].from == sp.from) return 0;
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 8;
        Span *v = realloc(g->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        g->v = v;
        g->cap = cap;
    }
    /* in the order of the text */
    int i = g->n++;
    while (i > 0 && g->v[i - 1].from > sp.from) {
        g->v[i] = g->v[i - 1];
        i--;
    }
    g->v[i] = sp;
    return 1;
}

static bool before(int line, int column, int line2, int column2)
{
    return line < line2 || (line == line2 && column < column2);
}

/* The top-level statement of m whose text holds the place at. */
static const Stmt *top_stmt_at(const Model *m, Loc at)
{
    for (int i = 0; m->prog && i < m->prog->nstmts; i++) {
        const Loc *l = &m->prog->stmts[i]->loc;
        if (!before(at.first_line, at.first_column, l->first_line, l->first_column) &&
            before(at.first_line, at.first_column, l->last_line, l->last_column))
            return m->prog->stmts[i];
    }
    return NULL;
}

/* Spaces for the bytes of each span, newlines kept: the statements are
** gone, every other one stays at its line and column. */
static void blank(char *text, const Spans *g)
{
    for (int i = 0; i < g->n; i++)
        for (size_t k = g->v[i].from; k < g->v[i].to; k++)
            if (text[k] != '\n') text[k] = ' ';
}

/* The statements' text, one after the other on lines of their own. */
static char *spans_text(const char *text, const Spans *g)
{
    size_t n = 1;
    for (int i = 0; i < g->n; i++) n += g->v[i].to - g->v[i].from + 1;
    char *out = malloc(n), *p = out;
    if (!out) return NULL;
    for (int i = 0; i < g->n; i++) {
        if (i) *p++ = '\n';
        memcpy(p, text + g->v[i].from, g->v[i].to - g->v[i].from);
        p += g->v[i].to - g->v[i].from;
    }
    *p = '\0';
    return out;
}

/* What a statement takes of its lines when it goes: the spaces before
** it when it starts a line, the spaces and comment after it when it ends
** one (and the newline too when it is alone on its lines), the spaces
** after it when another statement follows. */
typedef struct Extent {
    size_t from, to;
    bool whole_lines;       /* from a line's start to past a newline */
    bool line_ends;         /* nothing but a comment follows it on its line */
} Extent;

static Extent extent_of(const char *t, size_t len, Span sp)
{
    Extent e = { sp.from, sp.to, false, false };
    size_t a = sp.from;
    while (a > 0 && (t[a - 1] == ' ' || t[a - 1] == '\t')) a--;
    bool starts = a == 0 || t[a - 1] == '\n';
    size_t b = sp.to;
    while (b < len && (t[b] == ' ' || t[b] == '\t' || t[b] == '\r')) b++;
    if (b < len && (t[b] == '#' || (t[b] == '/' && b + 1 < len && t[b + 1] == '/')))
        while (b < len && t[b] != '\n') b++;
    e.line_ends = b == len || t[b] == '\n';
    if (starts) e.from = a;
    if (!e.line_ends) e.to = b;
    else if (starts) {
        e.to = b < len ? b + 1 : b;
        e.whole_lines = true;
    } else {
        e.to = b;   /* the newline stays: a statement before it on the line stays */
    }
    return e;
}

/* The text with the statements of g taken out, and the statement typed
** (put, as typed) in the place of the first: in its lines when that one
** had lines of its own, else on its line, with its comments when nothing
** follows it there, and without them (own: the statements alone) when
** another statement does.  NULL when out of memory. */
static char *splice(const char *t, size_t len, const Spans *g, const char *put, size_t put_len,
                    const char *own, size_t own_len, size_t *out_len)
{
    /* the typed text from the line of its first word; on a line, from that word and to its last */
    size_t lead = 0, line = 0, last = put_len;
    for (; lead < put_len && strchr(" \t\r\n", put[lead]); lead++)
        if (put[lead] == '\n') line = lead + 1;
    while (last > lead && strchr(" \t\r\n", put[last - 1])) last--;
    char *out = malloc(len + put_len + own_len + 2), *p = out;
    if (!out) return NULL;
    size_t at = 0;
    for (int i = 0; i < g->n; i++) {
        Extent e = extent_of(t, len, (Span){ g->v[i].from, g->v[i].to });
        if (e.from < at) e.from = at;   /* never before what is already copied */
        memcpy(p, t + at, e.from - at);
        p += e.from - at;
        if (i == 0 && e.whole_lines) {
            memcpy(p, put + line, put_len - line);
            p += put_len - line;
        } else if (i == 0 && e.line_ends) {
            memcpy(p, put + lead, last - lead);
            p += last - lead;
        } else if (i == 0 && own_len) {
            memcpy(p, own, own_len);
            p += own_len;
            *p++ = ' ';
        }
        at = e.to;
    }
    memcpy(p, t + at, len - at);
    p += len - at;
    *p = '\0';
    *out_len = (size_t)(p - out);
    return out;
}

/* ---- adding and replacing ---- */

/* Prints the errors of a model whose last statement (from line first on)
** is stmt: errors inside it against its own lines, the first shown as
** line shown, others against the whole model. */
static void print_statement_errors(Session *s, Model *m, int first, int shown)
{
    const char *own = s->interactive ? REPL_NAME : REPL_STDIN_NAME;
    Diags mine, theirs;
    diags_init(&mine, NULL);
    diags_init(&theirs, m->src);
    for (int i = 0; i < m->diags.n; i++) {
        const Diag *e = &m->diags.items[i];
        bool inside = e->loc.first_line == 0 || e->loc.first_line >= first;
        Diag *copy = inside ? diag_copy(&mine, e, own, shown - first) : diag_copy(&theirs, e, NULL, 0);
        /* a second place before the statement stays where it is in the model */
        if (copy && inside && e->related.first_line > 0 && e->related.first_line < first) {
            copy->related = e->related;
            free(copy->related_file);
            copy->related_file = strdup(m->src->name);
            if (!copy->related_file) {   /* without its file the place would mislead */
                free(copy->related_note);
                copy->related_note = NULL;
            }
        }
    }
    mine.dropped += m->diags.dropped;
    repl_print_diags(s, &theirs);
    repl_print_diags(s, &mine);
    diags_clear(&mine);
    diags_clear(&theirs);
}

/* The warnings of the statement typed at line first of m (a prior NUTS
** cannot explore), placed as the statement's errors are; they are no
** errors, and the statement stands. */
static void print_statement_warnings(Session *s, const Model *m, int first, int shown)
{
    Diags mine;
    diags_init(&mine, NULL);
    mine.warnings = true;
    for (int i = 0; i < m->warnings.n; i++)
        if (m->warnings.items[i].loc.first_line >= first)
            diag_copy(&mine, &m->warnings.items[i], s->interactive ? REPL_NAME : REPL_STDIN_NAME, shown - first);
    if (mine.n) {
        fflush(stdout);
        DiagStyle style = { .color = s->color, .tool = NULL };
        diags_print(&mine, stderr, &style);
    }
    diags_clear(&mine);
}

static bool defined_from(const Symbol *sym, int first)
{
    for (int k = 0; k < sym->ndefs; k++)
        if (sym->defs[k].stmt->loc.first_line >= first) return true;
    return false;
}

/* The model's statements that the statement typed (from line first on)
** defines again, added to g: by m's DIAG_REDEFINED errors, and the
** declarations of the parameters of the model before (the model of the
** session's text, or NULL) that the statement defines otherwise, which
** are no error: with the name defined by '=', 'data' or 'observed', their
** '~' would add a likelihood term instead.  Returns how many were new, or
** -1 when out of memory. */
static int find_replaced(const Model *m, const Model *before, int first, Spans *g)
{
    int added = 0;
    for (int i = 0; before && before->prog && i < before->sema.nsyms; i++) {
        const Symbol *was = &before->sema.syms[i], *now = sema_find(&m->sema, was->name);
        if (was->kind != SYM_PARAM || !now || now->kind == SYM_PARAM || !defined_from(now, first)) continue;
        for (int k = 0; k < was->ndefs; k++) {
            int rc = spans_add(g, stmt_span(before->src, before->prog->stmts[was->defs[k].top]));
            if (rc < 0) return -1;
            added += rc;
        }
    }
    for (int i = 0; i < m->diags.n; i++) {
        const Diag *e = &m->diags.items[i];
        if (e->code != DIAG_REDEFINED || e->loc.first_line == 0 || e->related.first_line == 0) continue;
        bool here_new = e->loc.first_line >= first, there_new = e->related.first_line >= first;
        if (here_new == there_new) continue;   /* both typed now: a real mistake */
        const Stmt *st = top_stmt_at(m, here_new ? e->related : e->loc);
        if (!st) continue;
        int rc = spans_add(g, stmt_span(m->src, st));
        if (rc < 0) return -1;
        added += rc;
    }
    return added;
}

/* The bytes of the statements typed (from line first on) in m's text,
** without the comments and blank lines around them. */
static Span typed_statements(const Model *m, int first)
{
    Span sp = { m->src->len, m->src->len };
    for (int i = 0; m->prog && i < m->prog->nstmts; i++) {
        const Stmt *st = m->prog->stmts[i];
        if (st->loc.first_line < first) continue;
        Span one = stmt_span(m->src, st);
        if (one.from < sp.from) sp.from = one.from;
        if (sp.to == m->src->len || one.to > sp.to) sp.to = one.to;
    }
    return sp;
}

/* A replacement failed: which lines it was to replace. */
static void note_not_replaced(Session *s, const Spans *g)
{
    char lines[256] = "";
    size_t n = 0;
    for (int i = 0; i < g->n && n < sizeof lines; i++)
        n += (size_t)snprintf(lines + n, sizeof lines - n, "%s%d", i == 0 ? "" : i == g->n - 1 ? " and " : ", ",
                              repl_count_lines(s->text, g->v[i].from) + 1);
    repl_note(s, "replacing %s line%s %s fails; the model is as it was", s->name, g->n == 1 ? "" : "s", lines);
}

/* Puts stmt (n bytes) in the place of the statements of g, whose
** replacement m (the model with them blanked and stmt after them, from
** line first on) compiles: the model with it in their place. */
static int replace(Session *s, const Spans *g, const char *stmt, size_t n, const Model *m, int first)
{
    Span own = typed_statements(m, first);
    size_t len;
    char *text = splice(s->text, s->len, g, stmt, n, m->src->text + own.from, own.to - own.from, &len);
    char *old = spans_text(s->text, g);
    char *says = old ? repl_says("restored", old, strlen(old)) : NULL;
    char *replaced = old ? repl_says("replaced", old, strlen(old)) : NULL;
    free(old);
    bool oom = !text || !says || !replaced;
    Model *in_place = oom ? NULL : repl_check_text(s, text, len, s->data);
    if (oom || !in_place) {
        if (oom) repl_error(s, "out of memory");
        free(text);
        free(says);
        free(replaced);
        model_free(in_place);
        return -1;
    }
    if (!model_ok(in_place)) {   /* the statements' order matters to no model: a bug if it does here */
        repl_print_diags(s, &in_place->diags);
        note_not_replaced(s, g);
        free(text);
        free(says);
        free(replaced);
        model_free(in_place);
        return -1;
    }
    int rc = repl_commit(s, text, len, in_place, says, NULL);
    if (rc == 0) fputs(replaced, stdout);
    free(replaced);
    return rc;
}

/* Without its data a model is checked but not lowered, and only lowering
** knows which elements a loop defines: a name defined element by element
** both before and in the statement typed (from line first on) may define
** some twice.  Says so, for each such name. */
static void note_unchecked_elements(Session *s, const Model *m, int first)
{
    if (!m->missing) return;
    for (int i = 0; i < m->sema.nsyms; i++) {
        const Symbol *sym = &m->sema.syms[i];
        bool before = false, now = false;
        for (int k = 0; sym->elementwise && k < sym->ndefs; k++) {
            if (sym->defs[k].stmt->loc.first_line >= first) now = true;
            else before = true;
        }
        if (before && now)
            repl_note(s, "'%s' has elements defined before: whether these are others is checked once the data are given",
                      sym->name);
    }
}

int repl_add_statement(Session *s, const char *stmt, int first_line)
{
    size_t n = strlen(stmt), len = s->len + n;
    char *text = malloc(len + 1);
    if (!text) {
        repl_error(s, "out of memory");
        return -1;
    }
    if (s->len) memcpy(text, s->text, s->len);
    memcpy(text + s->len, stmt, n + 1);
    int first = repl_count_lines(s->text, s->len) + 1;
    /* the model before, for the kinds of its names */
    bool current = s->model && s->model->src->len == s->len && memcmp(s->model->src->text, s->text, s->len) == 0;
    Model *fresh = current || s->len == 0 ? NULL : repl_check_text(s, s->text, s->len, s->data);
    const Model *before = current ? s->model : fresh;
    Spans gone = {0};
    Model *m;
    int found = 0;
    /* each round takes out at least one statement of the model */
    while ((m = repl_check_text(s, text, len, s->data)) && (found = find_replaced(m, before, first, &gone)) > 0) {
        blank(text, &gone);
        model_free(m);
    }
    model_free(fresh);
    int rc = -1;
    if (!m) {
        /* said */
    } else if (found < 0) {
        repl_error(s, "out of memory");
    } else if (!model_ok(m)) {
        int shown = s->interactive || first_line < 1 ? 1 : first_line;
        print_statement_errors(s, m, first, shown);
        if (gone.n) note_not_replaced(s, &gone);
    } else if (gone.n) {
        note_unchecked_elements(s, m, first);
        print_statement_warnings(s, m, first, s->interactive || first_line < 1 ? 1 : first_line);
        rc = replace(s, &gone, stmt, n, m, first);
    } else {
        note_unchecked_elements(s, m, first);
        print_statement_warnings(s, m, first, s->interactive || first_line < 1 ? 1 : first_line);
        char *says = repl_says("dropped", stmt, n);
        if (says) {
            rc = repl_commit(s, text, len, m, says, NULL);
            text = NULL;
            m = NULL;
        } else {
            repl_error(s, "out of memory");
        }
    }
    model_free(m);
    free(text);
    free(gone.v);
    return rc;
}

/* ---- :drop ---- */

/* Whether st, or a statement in its loops, has name on its left. */
static bool has_on_left(const Stmt *st, const char *name)
{
    if (st->kind == ST_FOR) {
        for (int i = 0; i < st->nbody; i++)
            if (has_on_left(st->body[i], name)) return true;
        return false;
    }
    const char *left = stmt_lhs_name(st);
    return left && strcmp(left, name) == 0;
}

/* Says which statements of m (the model without the ones dropped) use
** what the dropped ones defined, by its errors: unknown names now. */
static void report_users(Session *s, Model *m, const char *name)
{
    Spans users = {0};
    bool only_names = m->diags.dropped == 0, others = false;
    char used[256] = "";   /* the other names the statements dropped define, that are used */
    size_t n = 0;
    for (int i = 0; i < m->diags.n && only_names; i++) {
        const Diag *e = &m->diags.items[i];
        const Stmt *st = e->code == DIAG_NAME && e->subject ? top_stmt_at(m, e->loc) : NULL;
        only_names = st && spans_add(&users, stmt_span(m->src, st)) >= 0;
        char quoted[AST_MAX_NAME + 3];
        if (!only_names || strcmp(e->subject, name) == 0) continue;
        snprintf(quoted, sizeof quoted, "'%s'", e->subject);
        if (strstr(used, quoted)) continue;
        others = true;
        if (n < sizeof used) n += (size_t)snprintf(used + n, sizeof used - n, "%s%s", n ? ", " : "", quoted);
    }
    if (!only_names) {
        repl_error(s, "cannot drop '%s': the model does not compile without it", name);
        repl_print_diags(s, &m->diags);
    } else {
        repl_error(s, "cannot drop '%s': %s still use%s %s%s", name, users.n == 1 ? "this statement" : "these statements",
                   users.n == 1 ? "s" : "", others ? used : "it", others ? ", defined with it" : "");
        for (int i = 0; i < users.n; i++) {
            const Span *u = &users.v[i];
            int line = repl_count_lines(m->src->text, u->from) + 1;
            const char *text = m->src->text + u->from, *nl = memchr(text, '\n', u->to - u->from);
            size_t shown = nl ? (size_t)(nl - text) : u->to - u->from;
            fprintf(stderr, "    %s:%d: %.*s%s\n", s->name, line, (int)shown, text, nl ? " ..." : "");
        }
        repl_note(s, "drop %s first, or type a new definition of '%s' to replace the old one", users.n == 1 ? "it" : "them",
                  name);
    }
    free(users.v);
}

void repl_cmd_drop(Session *s, const char *args)
{
    if (!*args || strpbrk(args, " \t")) {
        repl_error(s, ":drop takes one name, for example :drop p_A");
        return;
    }
    if (s->len == 0) {
        repl_error(s, "the model is empty: nothing to drop");
        return;
    }
    Model *m = repl_compile(s, &COMPILE_PARTIAL);
    if (!m) return;
    Spans gone = {0};
    bool oom = false;
    for (int i = 0; m->prog && i < m->prog->nstmts && !oom; i++)
        if (has_on_left(m->prog->stmts[i], args)) oom = spans_add(&gone, stmt_span(m->src, m->prog->stmts[i])) < 0;
    char *text = oom ? NULL : malloc(s->len + 1);
    if (oom || !text) {
        repl_error(s, "out of memory");
    } else if (gone.n == 0) {
        repl_error(s, "no statement defines '%s'", args);
        const char **names = malloc(((size_t)m->sema.nsyms + 1) * sizeof *names);
        for (int i = 0; names && i < m->sema.nsyms; i++) names[i] = m->sema.syms[i].name;
        const char *best = names ? diag_suggest(args, names, m->sema.nsyms) : NULL;
        if (best) repl_note(s, "did you mean '%s'?", best);
        free(names);
    } else {
        memcpy(text, s->text, s->len + 1);
        blank(text, &gone);
        Model *without = repl_check_text(s, text, s->len, s->data);
        if (without && !model_ok(without)) {
            report_users(s, without, args);
        } else if (without) {
            size_t len;
            char *left = splice(s->text, s->len, &gone, "", 0, "", 0, &len);
            char *old = spans_text(s->text, &gone);
            char *says = old ? repl_says("restored", old, strlen(old)) : NULL;
            char *dropped = old ? repl_says("dropped", old, strlen(old)) : NULL;
            bool oom_now = !left || !says || !dropped;
            Model *after = !oom_now && len ? repl_check_text(s, left, len, s->data) : NULL;
            if (oom_now || (len && (!after || !model_ok(after)))) {
                if (oom_now) repl_error(s, "out of memory");
                else if (after) repl_print_diags(s, &after->diags);   /* the same statements as without: a bug */
                free(left);
                free(says);
                model_free(after);
            } else if (repl_commit(s, left, len, after, says, NULL) == 0) {
                fputs(dropped, stdout);
            }
            free(old);
            free(dropped);
        }
        model_free(without);
    }
    free(text);
    free(gone.v);
    model_free(m);
}
