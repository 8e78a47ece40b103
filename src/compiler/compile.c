/*
** compile.c -- parse, analyse, lower.
*/
#include "compile.h"

#include <stdlib.h>
#include <string.h>
#include "lower.h"
#include "parse.h"

static char *model_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".bm") == 0) n -= 3;
    char *s = malloc(n + 1);
    if (!s) return NULL;
    /* a model name becomes part of file names: keep it tame */
    for (size_t i = 0; i < n; i++) {
        char c = base[i];
        s[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'
               ? c : '_';
    }
    s[n] = '\0';
    return s;
}

/* The data names a model declares that data does not give. */
static char **missing_data(const Sema *s, const DataSet *data)
{
    int n = 0;
    char **names = calloc((size_t)s->nsyms + 1, sizeof *names);
    if (!names) return NULL;
    for (int i = 0; i < s->nsyms; i++)
        if (s->syms[i].kind == SYM_DATA && (!data || !dataset_find(data, s->syms[i].name)))
            names[n++] = (char *)s->syms[i].name;   /* borrowed from the tree */
    if (n == 0) { free(names); return NULL; }
    return names;
}

Model *model_compile(Source *src, const DataSet *data, const CompileOptions *opt)
{
    CompileOptions full = COMPILE_FULL;
    if (!opt) opt = &full;
    Model *m = calloc(1, sizeof *m);
    if (!m) { source_free(src); return NULL; }
    m->src = src;
    diags_init(&m->diags, src);
    m->name = model_name(src->name);
    if (!m->name) { model_free(m); return NULL; }
    m->prog = parse_source(src, &m->arena, &m->diags);
    if (!m->prog) { model_free(m); return NULL; }
    if (diags_failed(&m->diags)) return m;
    sema_run(&m->sema, m->prog, &m->diags);
    if (diags_failed(&m->diags)) return m;
    if (opt->check_only && (m->missing = missing_data(&m->sema, data)) != NULL) return m;
    m->ir = lower_program(m->prog, &m->sema, data, &m->diags);
    if (m->ir && ir_optimise(m->ir, opt->passes) != 0) {
        ir_free(m->ir);
        m->ir = NULL;
        diag_error(&m->diags, DIAG_NO_MEMORY, (Loc){0, 0, 0, 0}, "out of memory while compiling");
    }
    return m;
}

void model_free(Model *m)
{
    if (!m) return;
    ir_free(m->ir);
    sema_free(&m->sema);
    diags_clear(&m->diags);
    arena_free(&m->arena);
    source_free(m->src);
    free(m->name);
    free(m->missing);
    free(m);
}
