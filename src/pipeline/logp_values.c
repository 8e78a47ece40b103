/*
** logp_values.c -- naming a model's parameter elements, taking values for
** them from "name=value" items, evaluating the log density there, and
** printing it: the part of `bmc logp` that the REPL's :logp shares.
*/
#include "logp_values.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "diag.h"
#include "eval.h"
#include "transform.h"

/* ---- messages ---- */

/* The error of an item or evaluation, "bmc: error: ..." in the commands'
** words: a Diag with no file, code DIAG_VALUE unless said otherwise. */
#define fail(out, ...) diag_error_at((out), DIAG_VALUE, NULL, __VA_ARGS__)

/* ---- the elements ---- */

int logp_values_init(LogpValues *v, const Model *m)
{
    const IrModel *ir = m->ir;
    memset(v, 0, sizeof *v);
    v->model = m;
    v->n = ir->dim;
    v->el = calloc(ir->dim ? (size_t)ir->dim : 1, sizeof *v->el);
    v->grad = calloc(ir->dim ? (size_t)ir->dim : 1, sizeof *v->grad);
    if (!v->el || !v->grad) return -1;
    long k = 0;
    for (int p = 0; p < ir->nparams; p++)
        for (long i = 0; i < ir->params[p].len; i++, k++) {
            ir_param_element_name(ir, &ir->params[p], i, v->el[k].name, sizeof v->el[k].name);
            v->el[k].param = &ir->params[p];
        }
    return 0;
}

void logp_values_free(LogpValues *v)
{
    free(v->el);
    free(v->grad);
    memset(v, 0, sizeof *v);
}

/* ---- items ---- */

/* A finite number, all of s.  An underflow still is the number written. */
static int parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end != '\0') return -1;
    if (errno == ERANGE && fabs(*v) >= 1) return -1;
    return isfinite(*v) ? 0 : -1;
}

/* "the parameters are a, b, ..." (at most eight names; a vector once). */
static char *list_parameters(const IrModel *ir)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f) return NULL;
    fputs("the parameters are", f);
    for (int p = 0, shown = 0; p < ir->nparams; p++) {
        const IrParam *par = &ir->params[p];
        if (par->elem >= 0 && p > 0 && ir->params[p - 1].name == par->name) continue;
        if (shown == 8) { fputs(", ...", f); break; }
        fprintf(f, "%s %s", shown ? "," : "", ir->names[par->name]);
        shown++;
    }
    if (fclose(f) != 0) { free(text); return NULL; }
    return text;
}

/* Why name is no parameter, when the model knows it as something else;
** else a likely misspelling, or the parameters there are: into *note. */
static void explain_unknown(const LogpValues *v, const char *name, const char *data_hint, Diag *e)
{
    const Model *m = v->model;
    const Symbol *sym = sema_find(&m->sema, name);
    char *of = strndup(name, strcspn(name, "["));   /* p of p[1] */
    const Symbol *whole = of ? sema_find(&m->sema, of) : NULL;
    free(of);
    if (whole && whole->conjugate) {   /* only a run that draws it exactly compiles it so */
        diag_note(e, "'%s' is drawn exactly from its conjugate posterior, so NUTS has nothing to start:\n"
                     "      leave out --init, or add --sampler nuts to start NUTS there", whole->name);
        return;
    }
    if (sym && sym->kind == SYM_VALUE) {
        bool computed = false;
        for (int i = 0; i < m->ir->noutputs; i++)
            if (strcmp(m->ir->names[m->ir->outputs[i].name], name) == 0) computed = true;
        if (computed) diag_note(e, "'%s' is computed from the parameters; give the parameters", name);
        else diag_note(e, "'%s' is a constant of the model", name);
        return;
    }
    const char *bracket = strchr(name, '[');
    if (bracket) {   /* theta[9]: an element past the end? */
        long count = 0;
        size_t base = (size_t)(bracket - name);
        for (long i = 0; i < v->n; i++)
            if (strncmp(v->el[i].name, name, base) == 0 && v->el[i].name[base] == '[') count++;
        if (count > 0) {
            diag_note(e, "'%.*s' has %ld element%s", (int)base, name, count, count == 1 ? "" : "s");
            return;
        }
    }
    if (sym && sym->kind == SYM_DATA) {
        diag_note(e, "'%s' is data; give it with %s", name, data_hint);
        return;
    }
    if (sym && sym->kind == SYM_OBSERVED) {
        diag_note(e, "'%s' is data", name);
        return;
    }
    if (sym && sym->kind == SYM_GENERATED) {
        diag_note(e, "nothing in the log density depends on '%s': it is drawn at each draw (a generated "
                     "quantity), and has no value to give", name);
        return;
    }
    const char **names = malloc((v->n ? (size_t)v->n : 1) * sizeof *names);
    if (!names) return;
    for (long i = 0; i < v->n; i++) names[i] = v->el[i].name;
    const char *best = diag_suggest(name, names, (int)v->n);
    if (best) diag_note(e, "did you mean '%s'?", best);
    free(names);
    if (best) return;
    /* thta[1] or thta=[...]: the name of a vector misspelt; its elements
    ** are too long a way from it to be suggested above. */
    size_t base = bracket ? (size_t)(bracket - name) : strlen(name);
    char *stem = strndup(name, base);
    const char **params = malloc((m->ir->nparams ? (size_t)m->ir->nparams : 1) * sizeof *params);
    if (stem && params) {
        for (int p = 0; p < m->ir->nparams; p++) params[p] = m->ir->names[m->ir->params[p].name];
        best = diag_suggest(stem, params, m->ir->nparams);
        if (best) diag_note(e, "did you mean '%s%s'?", best, name + base);
    }
    free(params);
    free(stem);
    if (best) return;
    if (m->ir->nparams == 0) diag_note(e, "the model has no parameters");
    else {
        char *list = list_parameters(m->ir);
        if (list) diag_note(e, "%s", list);
        free(list);
    }
}

/* Reads "[v1, v2, ...]" into values (at most max; *count says how many
** were written, which may be more than max). */
static int parse_vector(const char *s, double *values, long max, long *count)
{
    const char *p = s + 1;
    *count = 0;
    while (*p == ' ') p++;
    if (*p == ']') return p[1] == '\0' ? 0 : -1;
    for (;;) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || (errno == ERANGE && fabs(v) >= 1)) return -1;
        if (*count < max) values[*count] = v;
        (*count)++;
        p = end;
        while (*p == ' ') p++;
        if (*p == ']') return p[1] == '\0' ? 0 : -1;
        if (*p != ',') return -1;
        p++;
    }
}

/* Takes "[v1, v2, ...]" for the count elements from first, which are all
** of name. */
static int assign_vector(LogpValues *v, const char *item, const char *name, const char *value, long first,
                         long count, bool vector, Diags *out)
{
    double *values = malloc((size_t)count * sizeof *values);
    long got;
    if (!values) {
        diag_error_at(out, DIAG_NO_MEMORY, NULL, "out of memory");
        return -1;
    }
    int rc = -1;
    if (parse_vector(value, values, count, &got) != 0)
        fail(out, "'%s': expected %s=[v1, v2, ...], finite numbers separated by ','", item, name);
    else if (!vector)
        fail(out, "'%s': '%s' is one number: write %s=VALUE", item, name, name);
    else if (got != count)
        fail(out, "'%s': '%s' has %ld elements, but %ld value%s given", item, name, count, got,
                 got == 1 ? " is" : "s are");
    else
        rc = 0;
    for (long i = 0; rc == 0 && i < count; i++) {
        v->el[first + i].value = values[i];
        v->el[first + i].given = true;
    }
    free(values);
    return rc;
}

int logp_assign(LogpValues *v, const char *item, const char *data_hint, Diags *out)
{
    const char *eq = strchr(item, '=');
    size_t len = (size_t)(eq - item);
    const char *value = eq + 1;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)len, item);
    if (len == 0) {
        fail(out, "'%s': expected name=value", item);
        return -1;
    }
    long first = -1, count = 0;   /* the elements of name as a whole */
    for (long i = 0; i < v->n; i++) {
        bool whole = strcmp(v->el[i].name, name) == 0;
        bool part = strncmp(v->el[i].name, name, len) == 0 && v->el[i].name[len] == '[';
        if (!whole && !part) continue;
        if (first < 0) first = i;
        count++;
    }
    if (count == 0) {
        Diag *e = fail(out, "'%s' is not a parameter of the model", name);
        explain_unknown(v, name, data_hint, e);
        return -1;
    }
    for (long i = first; i < first + count; i++)
        if (v->el[i].given) {
            fail(out, "'%s' is given twice", v->el[i].name);
            return -1;
        }
    bool vector = count > 1 || v->el[first].name[len] == '[';
    if (*value == '[') return assign_vector(v, item, name, value, first, count, vector, out);
    if (vector && !v->scalar_fills) {
        fail(out, "'%s': '%s' has %ld elements: write %s=[v1, v2, ...] or %s[1]=...", item, name, count,
                 name, name);
        return -1;
    }
    double x;
    if (parse_number(value, &x) != 0) {
        fail(out, "'%s': '%s' is not a finite number", item, value);
        return -1;
    }
    for (long i = first; i < first + count; i++) {
        v->el[i].value = x;
        v->el[i].given = true;
    }
    return 0;
}

int logp_assign_list(LogpValues *v, const char *list, const char *data_hint, Diags *out)
{
    char *copy = strdup(list);
    if (!copy) {
        diag_error_at(out, DIAG_NO_MEMORY, NULL, "out of memory");
        return -1;
    }
    int rc = 0;
    for (char *item = copy; rc == 0;) {
        /* the item ends at a ',' outside brackets: theta=[1, 2],sigma=1 */
        char *end = item;
        for (int depth = 0; *end && (*end != ',' || depth > 0); end++)
            depth += *end == '[' ? 1 : *end == ']' && depth > 0 ? -1 : 0;
        bool last = *end == '\0';
        *end = '\0';
        while (*item == ' ') item++;
        if (!strchr(item, '=')) {
            fail(out, "'%s': expected name=value", item);
            rc = -1;
        } else {
            rc = logp_assign(v, item, data_hint, out);
        }
        if (last) break;
        item = end + 1;
    }
    free(copy);
    return rc;
}

/* ---- the density ---- */

/* Element e's value lies outside its prior's support. */
static void outside_support(Diags *out, const LogpElement *e)
{
    lower_support_error(out, e->name, e->value, e->param->dist);
}

int logp_unconstrain(const LogpValues *v, double *u, Diags *out)
{
    const IrModel *ir = v->model->ir;
    for (long i = 0; i < v->n; i++) {
        const LogpElement *e = &v->el[i];
        u[i] = NAN;
        if (!e->given) continue;
        long k = i - e->param->ucoord;   /* its element within the parameter */
        TfStatus st = tf_unconstrain(ir, e->param, k, e->value, &u[i]);
        if (st == TF_BOUNDS_VARY) {
            Diag *d = fail(out, "'%s': its bounds depend on other parameters, so it cannot be set alone", e->name);
            diag_note(d, "leave it out: it starts inside its bounds");
            return -1;
        }
        if (st != TF_OK) {
            outside_support(out, e);
            return -1;
        }
    }
    return 0;
}

int logp_evaluate(LogpValues *v, const char *usage, Diags *out)
{
    for (long i = 0; i < v->n; i++)
        if (!v->el[i].given) {
            Diag *e = fail(out, "no value for parameter '%s'", v->el[i].name);
            diag_note(e, "give every parameter element: %s %s=...", usage, v->el[i].name);
            return -1;
        }
    double *values = calloc(v->n ? (size_t)v->n : 1, sizeof *values);
    EvalWs *w = eval_new(v->model->ir);
    long bad = -1;
    if (values && w) {
        for (long i = 0; i < v->n; i++) values[i] = v->el[i].value;
        bad = eval_constrained(w, values, &v->lp, v->grad);
    }
    eval_free(w);
    free(values);
    if (bad < 0) {
        diag_error_at(out, DIAG_NO_MEMORY, NULL, "out of memory");
        return -1;
    }
    if (bad > 0) {
        outside_support(out, &v->el[bad - 1]);
        return -1;
    }
    return 0;
}

/* ---- printing ---- */

void logp_print(FILE *f, const LogpValues *v)
{
    fprintf(f, "logp = %.17g\n", v->lp);
    if (v->n) fputs("gradient:\n", f);
    int w = 4;
    for (long i = 0; i < v->n; i++) if ((int)strlen(v->el[i].name) > w) w = (int)strlen(v->el[i].name);
    for (long i = 0; i < v->n; i++) fprintf(f, "  %-*s  %.17g\n", w, v->el[i].name, v->grad[i]);
}

int logp_print_json(FILE *f, const LogpValues *v)
{
    json_t *root = json_object(), *g = json_object();
    if (!root || !g) { json_decref(root); json_decref(g); return -1; }
    json_object_set_new(root, "logp", json_real(v->lp));
    for (long i = 0; i < v->n; i++) json_object_set_new(g, v->el[i].name, json_real(v->grad[i]));
    json_object_set_new(root, "gradient", g);
    json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    json_decref(root);
    return 0;
}
