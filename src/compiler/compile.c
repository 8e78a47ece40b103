/*
** compile.c -- parse, analyse, lower.
*/
#include "compile.h"

#include <stdlib.h>
#include <string.h>
#include "improper.h"
#include "lower.h"
#include "parse.h"

static char *model_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".bm") == 0) n -= 3;
    /* a stream's name, "<stdin>", is the word inside */
    if (n > 2 && base[0] == '<' && base[n - 1] == '>') {
        base++;
        n -= 2;
    }
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

/* What to write instead of how the model has sym, to give it with -D. */
static const char *declare_instead(SymKind kind)
{
    switch (kind) {
    case SYM_PARAM: return "in place of its prior";
    case SYM_OBSERVED: return "and drop 'observed ...' from its '~'";
    case SYM_GENERATED: return "in place of its '~'";
    case SYM_DATA: case SYM_VALUE: break;
    }
    return "in place of its definition";
}

/* A note and a second place for a value given by name for sym, which the
** model has as something other than data; lead begins the note. */
static void explain_not_data(Diag *e, const Model *m, const Symbol *sym, const char *lead)
{
    diag_note(e, "%sto give it with -D, declare it as data: write 'data %s;' %s", lead, sym->name,
              declare_instead(sym->kind));
    diag_related(e, m->src, sym->loc, "'%s' is %s here", sym->name, sema_kind_text(sym->kind));
}

/* Every value given by name must be data the model declares: -D with a
** misspelt name, or with the name of a constant, would do nothing. */
static void check_assigned(Model *m, const DataSet *data)
{
    const Sema *s = &m->sema;
    for (int i = 0; data && i < data->n; i++) {
        const DataValue *dv = &data->vals[i];
        if (!dv->assigned) continue;
        const Symbol *sym = sema_find(s, dv->name);
        if (sym && sym->kind == SYM_DATA) continue;
        Diag *e;
        if (sym) {
            e = diag_error_at(&m->diags, DIAG_DATA, dv->assigned, "'%s' is not data: it is %s in %s", dv->name,
                              sema_kind_text(sym->kind), m->src->name);
            explain_not_data(e, m, sym, "");
            diag_subject(e, dv->name);
            continue;
        }
        e = diag_error_at(&m->diags, DIAG_NAME, dv->assigned, "%s declares no data '%s'", m->src->name, dv->name);
        diag_subject(e, dv->name);
        /* the data names first: among equals, the suggestion */
        const char **names = malloc((size_t)(s->nsyms ? s->nsyms : 1) * sizeof *names);
        if (!names) continue;
        int n = 0, ndata = 0;
        for (int k = 0; k < s->nsyms; k++)
            if (s->syms[k].kind == SYM_DATA) names[n++] = s->syms[k].name;
        ndata = n;
        for (int k = 0; k < s->nsyms; k++)
            if (s->syms[k].kind != SYM_DATA) names[n++] = s->syms[k].name;
        const char *best = diag_suggest(dv->name, names, n);
        const Symbol *meant = best ? sema_find(s, best) : NULL;
        if (meant && meant->kind == SYM_DATA) {
            diag_note(e, "did you mean '%s'?", best);
        } else if (meant) {
            char lead[AST_MAX_NAME + 64];
            snprintf(lead, sizeof lead, "did you mean '%s'? It is %s in the model, not data; ", best, sema_kind_text(meant->kind));
            explain_not_data(e, m, meant, lead);
        } else if (ndata == 0) {
            diag_note(e, "it declares no data at all: -D gives values to names declared with 'data NAME;'");
        } else {
            char list[256];
            size_t at = 0;
            for (int k = 0; k < ndata && at < sizeof list; k++)
                at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", k ? ", " : "", names[k]);
            diag_note(e, "its data are %s", list);
        }
        free(names);
    }
}

Model *model_compile(Source *src, const DataSet *data, const CompileOptions *opt)
{
    CompileOptions full = COMPILE_FULL;
    if (!opt) opt = &full;
    Model *m = calloc(1, sizeof *m);
    if (!m) { source_free(src); return NULL; }
    m->src = src;
    diags_init(&m->diags, src);
    diags_init(&m->warnings, src);
    m->warnings.warnings = true;
    m->name = model_name(src->name);
    if (!m->name) { model_free(m); return NULL; }
    m->prog = parse_source(src, &m->arena, &m->diags);
    if (!m->prog) { model_free(m); return NULL; }
    if (diags_failed(&m->diags)) return m;
    sema_run(&m->sema, m->prog, &m->diags);
    if (diags_failed(&m->diags)) return m;
    /* a model being built keeps its continuous leaves: they may be needed later */
    if (sema_mark_generated(&m->sema, opt->keep_leaves || opt->partial, opt->predictive == PREDICT_PRIOR) != 0) {
        diag_error(&m->diags, DIAG_NO_MEMORY, LOC_NONE, "out of memory while compiling");
        return m;
    }
    /* posterior draws only: a prior run, a simulation and a model being built have none */
    if (opt->conjugate && !opt->partial && opt->predictive != PREDICT_PRIOR && !opt->simulate &&
        sema_mark_conjugate(&m->sema) < 0) {
        diag_error(&m->diags, DIAG_NO_MEMORY, LOC_NONE, "out of memory while compiling");
        return m;
    }
    if (opt->assigned_declared) {
        check_assigned(m, data);
        if (diags_failed(&m->diags)) return m;
    }
    if (opt->check_only && (m->missing = missing_data(&m->sema, data)) != NULL) return m;
    LowerOptions lo = { .predictive = opt->predictive, .simulate = opt->simulate, .fixed = opt->fixed,
                        .log_lik = opt->log_lik };
    m->ir = lower_program(m->prog, &m->sema, data, &m->diags, &m->warnings, &lo);
    /* before the passes, which must not change what is found */
    if (m->ir && !opt->partial && check_improper_priors(m->ir, &m->sema, &m->diags) != 0) {
        ir_free(m->ir);
        m->ir = NULL;
        return m;
    }
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
    diags_clear(&m->warnings);
    arena_free(&m->arena);
    source_free(m->src);
    free(m->name);
    free(m->missing);
    free(m);
}
