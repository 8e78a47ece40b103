/*
** cmd_logp.c -- `bmc logp MODEL.bm name=value ...`: the joint log density
** and its gradient at constrained parameter values.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "dist.h"
#include "eval.h"

typedef struct Element {
    char name[256];
    const IrParam *param;
    double value;
    bool given;
} Element;

/* Every parameter element of the model, in the evaluator's order. */
static Element *list_elements(const IrModel *ir, long *n)
{
    *n = ir->dim;
    Element *el = calloc(ir->dim ? (size_t)ir->dim : 1, sizeof *el);
    if (!el) return NULL;
    long k = 0;
    for (int p = 0; p < ir->nparams; p++)
        for (long i = 0; i < ir->params[p].len; i++, k++) {
            ir_param_element_name(ir, &ir->params[p], i, el[k].name, sizeof el[k].name);
            el[k].param = &ir->params[p];
        }
    return el;
}

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

/* Why name is no parameter, when the model knows it as something else;
** else a likely misspelling, or the parameters there are. */
static void explain_unknown(const Model *m, const Element *el, long n, const char *name)
{
    const Symbol *sym = sema_find(&m->sema, name);
    if (sym && sym->kind == SYM_VALUE) {
        bool computed = false;
        for (int i = 0; i < m->ir->noutputs; i++)
            if (strcmp(m->ir->names[m->ir->outputs[i].name], name) == 0) computed = true;
        if (computed) fprintf(stderr, "note: '%s' is computed from the parameters; give the parameters\n", name);
        else fprintf(stderr, "note: '%s' is a constant of the model\n", name);
        return;
    }
    const char *bracket = strchr(name, '[');
    if (bracket) {   /* theta[9]: an element past the end? */
        long count = 0;
        size_t base = (size_t)(bracket - name);
        for (long i = 0; i < n; i++)
            if (strncmp(el[i].name, name, base) == 0 && el[i].name[base] == '[') count++;
        if (count > 0) {
            fprintf(stderr, "note: '%.*s' has %ld element%s\n", (int)base, name, count, count == 1 ? "" : "s");
            return;
        }
    }
    if (sym && (sym->kind == SYM_DATA || sym->kind == SYM_OBSERVED)) {
        fprintf(stderr, "note: '%s' is data%s\n", name, sym->kind == SYM_DATA ? "; give it with --data or -D" : "");
        return;
    }
    const char **names = malloc((n ? (size_t)n : 1) * sizeof *names);
    if (!names) return;
    for (long i = 0; i < n; i++) names[i] = el[i].name;
    const char *best = diag_suggest(name, names, (int)n);
    free(names);
    if (best) {
        fprintf(stderr, "note: did you mean '%s'?\n", best);
        return;
    }
    if (m->ir->nparams == 0) {
        fputs("note: the model has no parameters\n", stderr);
        return;
    }
    fputs("note: the parameters are", stderr);
    for (int p = 0, shown = 0; p < m->ir->nparams; p++) {
        const IrParam *par = &m->ir->params[p];
        if (par->elem >= 0 && p > 0 && m->ir->params[p - 1].name == par->name) continue;
        if (shown == 8) { fputs(", ...", stderr); break; }
        fprintf(stderr, "%s %s", shown ? "," : "", m->ir->names[par->name]);
        shown++;
    }
    fputc('\n', stderr);
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

/* Takes "name=value", "theta[2]=value" or "theta=[1,2,3]" into the elements. */
static int assign(const Model *m, Element *el, long n, const char *arg)
{
    const char *eq = strchr(arg, '=');
    size_t len = (size_t)(eq - arg);
    const char *v = eq + 1;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)len, arg);
    if (len == 0) {
        fprintf(stderr, "bmc: error: '%s': expected name=value\n", arg);
        return -1;
    }
    long first = -1, count = 0;   /* the elements of name as a whole */
    for (long i = 0; i < n; i++) {
        bool whole = strcmp(el[i].name, name) == 0;
        bool part = strncmp(el[i].name, name, len) == 0 && el[i].name[len] == '[';
        if (!whole && !part) continue;
        if (first < 0) first = i;
        count++;
    }
    if (count == 0) {
        fprintf(stderr, "bmc: error: '%s' is not a parameter of the model\n", name);
        explain_unknown(m, el, n, name);
        return -1;
    }
    for (long i = first; i < first + count; i++)
        if (el[i].given) {
            fprintf(stderr, "bmc: error: '%s' is given twice\n", el[i].name);
            return -1;
        }
    bool vector = count > 1 || el[first].name[len] == '[';
    if (*v == '[') {
        double *values = malloc((size_t)count * sizeof *values);
        long got;
        if (!values) return -1;
        if (parse_vector(v, values, count, &got) != 0) {
            fprintf(stderr, "bmc: error: '%s': expected %s=[v1, v2, ...], finite numbers separated by ','\n", arg, name);
            free(values);
            return -1;
        }
        if (!vector || got != count) {
            if (!vector)
                fprintf(stderr, "bmc: error: '%s': '%s' is one number: write %s=VALUE\n", arg, name, name);
            else
                fprintf(stderr, "bmc: error: '%s': '%s' has %ld elements, but %ld value%s given\n", arg, name, count,
                        got, got == 1 ? " is" : "s are");
            free(values);
            return -1;
        }
        for (long i = 0; i < count; i++) {
            el[first + i].value = values[i];
            el[first + i].given = true;
        }
        free(values);
        return 0;
    }
    if (vector) {
        fprintf(stderr, "bmc: error: '%s': '%s' has %ld elements: write %s=[v1, v2, ...] or %s[1]=...\n", arg, name,
                count, name, name);
        return -1;
    }
    if (parse_number(v, &el[first].value) != 0) {
        fprintf(stderr, "bmc: error: '%s': '%s' is not a finite number\n", arg, v);
        return -1;
    }
    el[first].given = true;
    return 0;
}

static int print_result(const Element *el, long n, double lp, const double *grad, bool json)
{
    if (!json) {
        printf("logp = %.17g\n", lp);
        if (n) puts("gradient:");
        int w = 4;
        for (long i = 0; i < n; i++) if ((int)strlen(el[i].name) > w) w = (int)strlen(el[i].name);
        for (long i = 0; i < n; i++) printf("  %-*s  %.17g\n", w, el[i].name, grad[i]);
        return EXIT_OK;
    }
    json_t *root = json_object(), *g = json_object();
    if (!root || !g) { json_decref(root); json_decref(g); return EXIT_MODEL; }
    json_object_set_new(root, "logp", json_real(lp));
    for (long i = 0; i < n; i++) json_object_set_new(g, el[i].name, json_real(grad[i]));
    json_object_set_new(root, "gradient", g);
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    putchar('\n');
    json_decref(root);
    return EXIT_OK;
}

int cmd_logp(int argc, char **argv)
{
    DataSet *ds = dataset_new();
    if (!ds) return EXIT_MODEL;
    const char *path = NULL;
    bool json = false;
    int code = EXIT_OK;
    char **assigns = calloc((size_t)argc + 1, sizeof *assigns);
    int nassign = 0;
    Model *m = NULL;
    Element *el = NULL;
    double *values = NULL, *grad = NULL;
    EvalWs *w = NULL;
    if (!assigns) { code = EXIT_MODEL; goto done; }
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_data_option(ds, argc, argv, &i, "logp", &rc)) {
            if (rc) { code = rc; goto done; }
            continue;
        }
        const char *a = argv[i];
        if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *f = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
            if (strcmp(f, "json") == 0) json = true;
            else if (strcmp(f, "table") != 0) { code = cli_usage_error("logp", "--format is table or json, not '%s'", f); goto done; }
        } else if (a[0] == '-' && a[1] != '\0' && !strchr(a, '=')) {
            code = cli_usage_error("logp", "unknown option '%s'", a);
            goto done;
        } else if (strchr(a, '=') && path) {
            assigns[nassign++] = argv[i];
        } else if (!path) {
            path = a;
        } else {
            code = cli_usage_error("logp", "'%s': expected name=value", a);
            goto done;
        }
    }
    if (!path) { code = cli_usage_error("logp", "no model file given"); goto done; }
    if (!(m = cli_compile(path, ds, false, &code))) goto done;
    long n;
    el = list_elements(m->ir, &n);
    values = calloc(n ? (size_t)n : 1, sizeof *values);
    grad = calloc(n ? (size_t)n : 1, sizeof *grad);
    w = eval_new(m->ir);
    if (!el || !values || !grad || !w) { code = EXIT_MODEL; goto done; }
    for (int i = 0; i < nassign; i++)
        if (assign(m, el, n, assigns[i]) != 0) { code = EXIT_MODEL; goto done; }
    for (long i = 0; i < n; i++) {
        if (!el[i].given) {
            fprintf(stderr, "bmc: error: no value for parameter '%s'\n", el[i].name);
            fprintf(stderr, "note: give every parameter element: bmc logp %s %s=...\n", path, el[i].name);
            code = EXIT_MODEL;
            goto done;
        }
        values[i] = el[i].value;
    }
    double lp;
    long bad = eval_constrained(w, values, &lp, grad);
    if (bad > 0) {
        const Element *e = &el[bad - 1];
        const DistInfo *d = dist_at(e->param->dist);
        fprintf(stderr, "bmc: error: %s = %g is outside the support of its prior %s: %s\n", e->name, e->value,
                d->name, dist_support_text(d));
        code = EXIT_MODEL;
        goto done;
    }
    code = print_result(el, n, lp, grad, json);
done:
    eval_free(w);
    free(values);
    free(grad);
    free(el);
    model_free(m);
    free(assigns);
    dataset_free(ds);
    return code;
}
