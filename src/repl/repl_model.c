/*
** repl_model.c -- the session's model: compiling its text, :model, :reset,
** :load, :save and :data.
**
** The model is kept as text and compiled whole after every change (in
** check mode, so that data not given yet are no error); repl_edit.c makes
** the changes.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/tilde.h>
#include "session.h"
#include "outfile.h"

int repl_count_lines(const char *t, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) n += t[i] == '\n';
    return n;
}

/* ---- errors ---- */

/* Data values come from :data in the REPL, not from -D or --data. */
static void reword_notes(Diags *d)
{
    for (int i = 0; i < d->n; i++) {
        Diag *e = &d->items[i];
        if (e->code == DIAG_DATA_MISSING && e->subject)
            diag_note(e, "give it with :data %s=..., or read a file with :data FILE.json", e->subject);
    }
}

void repl_print_diags(Session *s, Diags *d)
{
    fflush(stdout);
    reword_notes(d);
    DiagStyle style = { .color = s->color, .tool = NULL };
    diags_print(d, stderr, &style);
    s->errors += d->n + d->dropped;
}

/* ---- the text ---- */

void repl_set_model(Session *s, Model *m)
{
    model_free(s->model);
    s->model = m;
    if (s->sample.run.res.draws) s->sample.stale = true;
}

static Model *compile_text(Session *s, const char *text, size_t len, const DataSet *data, const CompileOptions *opt)
{
    Source *src = source_from_text(s->name, text ? text : "", text ? len : 0);
    Model *m = src ? model_compile(src, data, opt) : NULL;
    if (!m) repl_error(s, "out of memory");
    return m;
}

Model *repl_check_text(Session *s, const char *text, size_t len, const DataSet *data)
{
    return compile_text(s, text, len, data, &COMPILE_PARTIAL);
}

Model *repl_compile(Session *s, const CompileOptions *opt)
{
    Model *m = compile_text(s, s->text, s->len, s->data, opt);
    if (m && !model_ok(m)) {
        repl_print_diags(s, &m->diags);
        model_free(m);
        return NULL;
    }
    return m;
}

/* ---- commands ---- */

void repl_cmd_model(Session *s, const char *args)
{
    (void)args;
    if (s->len == 0) {
        repl_note(s, "the model is empty; type a statement, for example p ~ Beta(1, 1);");
        return;
    }
    fwrite(s->text, 1, s->len, stdout);
    if (s->model && s->model->missing) {
        fflush(stdout);
        fputs("# data without values yet:", stdout);
        for (int i = 0; s->model->missing[i]; i++) printf(" %s", s->model->missing[i]);
        puts(" (set them with :data)");
    }
}

static void clear_data(Session *s)
{
    for (int i = 0; i < s->ndata; i++) free(s->data_args[i]);
    free(s->data_args);
    s->data_args = NULL;
    s->ndata = 0;
    dataset_free(s->data);
    s->data = NULL;
}

/* Frees the model text, its data and its sample; the session's settings
** (terminal, colours, interrupt flag) stay. */
static void clear_model(Session *s)
{
    free(s->text);
    repl_changes_free(s);
    free(s->name);
    clear_data(s);
    model_free(s->model);
    repl_sample_free(&s->sample);
    s->text = NULL;
    s->len = s->cap = 0;
    s->model = NULL;
    s->name = NULL;
}

void repl_session_free(Session *s)
{
    clear_model(s);
    memset(s, 0, sizeof *s);
}

void repl_cmd_reset(Session *s, const char *args)
{
    (void)args;
    char *name = strdup(REPL_MODEL_NAME);
    DataSet *data = dataset_new();
    if (!name || !data) {
        free(name);
        dataset_free(data);
        repl_error(s, "out of memory");
        return;
    }
    clear_model(s);
    s->name = name;
    s->data = data;
    puts("the session is empty: no model, data or sample");
}

/* The file name of a command's argument, with ~ expanded (malloc'ed). */
static char *file_arg(Session *s, const char *args, const char *command)
{
    if (!*args) {
        repl_error(s, "%s needs a file name", command);
        return NULL;
    }
    char *path = tilde_expand(args);
    if (!path) repl_error(s, "out of memory");
    return path;
}

/* What :undo says after :load: the file goes, and what was there before
** comes back. */
static char *load_undo_says(const Session *s, const char *text, size_t n)
{
    char *dropped = repl_says("dropped", text, n);
    if (!dropped || s->len == 0) return dropped;
    static const char back[] = "the model before :load is back\n";
    char *both = realloc(dropped, strlen(dropped) + sizeof back);
    if (!both) {
        free(dropped);
        return NULL;
    }
    return strcat(both, back);
}

void repl_cmd_load(Session *s, const char *args)
{
    char *path = file_arg(s, args, ":load");
    if (!path) return;
    char err[1024];
    Source *src = source_read_file(path, err, sizeof err);
    if (!src) {
        Diags dg;
        diags_init(&dg, NULL);
        diag_error_at(&dg, DIAG_FILE, path, "%s", err);
        repl_print_diags(s, &dg);
        diags_clear(&dg);
        free(path);
        return;
    }
    /* kept as typed statements are: ending in a newline */
    size_t n = src->len;
    bool newline = n == 0 || src->text[n - 1] == '\n';
    char *text = malloc(n + 2), *name = strdup(path);
    Model *m = NULL;
    if (text && name) {
        memcpy(text, src->text, n);
        if (!newline) text[n++] = '\n';
        text[n] = '\0';
        m = model_compile(src, s->data, &COMPILE_PARTIAL);
        src = NULL;   /* the model owns it */
    }
    source_free(src);
    if (!m || !text || !name) {
        repl_error(s, "out of memory");
    } else if (!model_ok(m)) {
        repl_print_diags(s, &m->diags);
        repl_note(s, "the session's model is unchanged");
    } else {
        int lines = repl_count_lines(text, n);
        char *says = load_undo_says(s, text, n);
        int rc = says ? repl_commit(s, text, n, m, says, name) : -1;
        if (!says) repl_error(s, "out of memory");
        else text = NULL, name = NULL, m = NULL;   /* the session has them now */
        if (rc == 0) {
            printf("loaded %s: %d line%s\n", path, lines, lines == 1 ? "" : "s");
            if (s->model->missing) repl_note(s, "set its data with :data name=value or :data FILE.json");
        }
    }
    model_free(m);
    free(text);
    free(name);
    free(path);
}

/* Writes path whole or not at all (outfile.h), its contents from
** put(f, what), which returns 0 when every write went well; says why when
** that failed.  Returns 0 or -1. */
static int write_whole(Session *s, const char *path, int (*put)(FILE *, const void *), const void *what)
{
    char why[512];
    OutFile o;
    if (outfile_open(&o, path, why, sizeof why) == 0) {
        if (put(o.f, what) == 0) {
            if (outfile_commit(&o, why, sizeof why) == 0) return 0;
        } else {
            snprintf(why, sizeof why, "cannot write '%s': %s", path, strerror(errno));
            outfile_discard(&o);
        }
    }
    repl_error(s, "%s", why);
    return -1;
}

static int put_data(FILE *f, const void *ds)
{
    return dataset_write_json(ds, f);
}

static int put_text(FILE *f, const void *session)
{
    const Session *s = session;
    return fwrite(s->text ? s->text : "", 1, s->len, f) == s->len ? 0 : -1;
}

/* Where :save puts the data of m.bm: m.json (any other name gets .json
** added).  malloc'ed. */
static char *data_path(const char *path)
{
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".bm") == 0) n -= 3;
    char *json = malloc(n + sizeof ".json");
    if (json) snprintf(json, n + sizeof ".json", "%.*s.json", (int)n, path);
    return json;
}

/* Writes the values set with :data beside the model, to run it with. */
static void save_data(Session *s, const char *model_path)
{
    char *path = data_path(model_path);
    if (!path) repl_error(s, "out of memory");
    else if (write_whole(s, path, put_data, s->data) == 0) {
        printf("saved %s: the data\n", path);
        repl_note(s, "run it with: bmc run %s --data %s", model_path, path);
    }
    free(path);
}

void repl_cmd_save(Session *s, const char *args)
{
    char *path = file_arg(s, args, ":save");
    if (!path) return;
    if (write_whole(s, path, put_text, s) != 0) {
        free(path);
        return;
    }
    int lines = repl_count_lines(s->text, s->len);
    printf("saved %s: %d line%s\n", path, lines, lines == 1 ? "" : "s");
    if (s->data && s->data->n) save_data(s, path);
    if (s->model && s->model->missing) {
        fflush(stdout);
        fputs("note: its data without values yet:", stderr);
        for (int i = 0; s->model->missing[i]; i++) fprintf(stderr, " %s", s->model->missing[i]);
        fputs(" (bmc run takes them from --data FILE.json or -D name=value)\n", stderr);
    }
    /* from now on, messages about the whole model name the file, whose lines they count */
    free(s->name);
    s->name = path;
}

/* ---- data ---- */

void repl_free_list(char **items)
{
    if (!items) return;
    for (int i = 0; items[i]; i++) free(items[i]);
    free(items);
}

char **repl_split_assigns(Session *s, const char *args, const char *command)
{
    size_t cap = strlen(args) / 2 + 2;
    char **items = calloc(cap, sizeof *items);
    if (!items) { repl_error(s, "out of memory"); return NULL; }
    int n = 0;
    const char *p = args;
    for (;;) {
        p += strspn(p, " \t");
        if (!*p) break;
        const char *name = p;
        while (*p && *p != '=' && *p != ' ' && *p != '\t') p++;
        size_t name_len = (size_t)(p - name);
        p += strspn(p, " \t");
        if (*p != '=' || name_len == 0) {
            repl_error(s, "%s: expected name=value, not '%.*s'", command, (int)strcspn(name, " \t"), name);
            repl_free_list(items);
            return NULL;
        }
        p++;
        p += strspn(p, " \t");
        const char *value = p;
        int depth = 0;
        while (*p && (depth > 0 || (*p != ' ' && *p != '\t'))) {
            depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
            p++;
        }
        size_t value_len = (size_t)(p - value);
        char *item = malloc(name_len + value_len + 2);
        if (!item) {
            repl_error(s, "out of memory");
            repl_free_list(items);
            return NULL;
        }
        snprintf(item, name_len + value_len + 2, "%.*s=%.*s", (int)name_len, name, (int)value_len, value);
        items[n++] = item;
    }
    return items;
}

static bool is_file_item(const char *item) { return !strchr(item, '='); }

/* A data set from the items; NULL after printing why. */
static DataSet *build_data(Session *s, char *const *items, int n)
{
    DataSet *ds = dataset_new();
    if (!ds) { repl_error(s, "out of memory"); return NULL; }
    Diags dg;
    diags_init(&dg, NULL);
    for (int i = 0; i < n; i++) {
        int rc = is_file_item(items[i]) ? dataset_read_file(ds, items[i], 0, &dg)
                                        : dataset_parse_assign(ds, items[i], ":data", &dg);
        if (rc != 0) {
            repl_print_diags(s, &dg);
            diags_clear(&dg);
            dataset_free(ds);
            return NULL;
        }
    }
    return ds;
}

static void list_data(Session *s)
{
    if (s->ndata == 0) {
        puts("no data set; give values with :data name=value or :data FILE.json");
        return;
    }
    for (int i = 0; i < s->ndata; i++)
        printf("%s%s\n", is_file_item(s->data_args[i]) ? "from " : "", s->data_args[i]);
}

/* Whether two items set the same name ("y=..." and "y = ..."). */
static bool same_name(const char *a, const char *b)
{
    if (is_file_item(a) || is_file_item(b)) return false;
    size_t la = strcspn(a, "= \t"), lb = strcspn(b, "= \t");
    return la == lb && strncmp(a, b, la) == 0;
}

void repl_cmd_data(Session *s, const char *args)
{
    if (!*args) {
        list_data(s);
        return;
    }
    char **add;
    if (!strchr(args, '=')) {
        add = calloc(2, sizeof *add);
        if (add) add[0] = tilde_expand(args);
        if (!add || !add[0]) { repl_error(s, "out of memory"); repl_free_list(add); return; }
    } else if (!(add = repl_split_assigns(s, args, ":data"))) {
        return;
    }
    int nadd = 0;
    while (add[nadd]) nadd++;
    char **items = calloc((size_t)(s->ndata + nadd + 1), sizeof *items);
    if (!items) { repl_error(s, "out of memory"); repl_free_list(add); return; }
    int n = 0;
    for (int i = 0; i < s->ndata; i++) {
        bool replaced = false;
        for (int k = 0; k < nadd; k++) replaced |= same_name(s->data_args[i], add[k]);
        if (!replaced) items[n++] = s->data_args[i];
    }
    for (int k = 0; k < nadd; k++) items[n++] = add[k];
    DataSet *ds = build_data(s, items, n);
    Model *m = NULL;
    bool ok = ds != NULL;
    if (ok && s->len) {
        m = compile_text(s, s->text, s->len, ds, &COMPILE_PARTIAL);
        ok = m && model_ok(m);
        if (m && !ok) {
            repl_print_diags(s, &m->diags);
            repl_note(s, "the data were left as they were");
        }
    }
    if (!ok) {
        model_free(m);
        dataset_free(ds);
        free(items);
        repl_free_list(add);
        return;
    }
    /* commit: the items replaced are freed, the rest move over */
    for (int i = 0; i < s->ndata; i++) {
        bool kept = false;
        for (int k = 0; k < n; k++) kept |= items[k] == s->data_args[i];
        if (!kept) free(s->data_args[i]);
    }
    free(s->data_args);
    free(add);   /* its strings now belong to items */
    s->data_args = items;
    s->ndata = n;
    dataset_free(s->data);
    s->data = ds;
    if (m) repl_set_model(s, m);
}
