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

static int parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 ? 0 : -1;
}

/* Takes "name=value" or "theta=[1,2,3]" into the elements. */
static int assign(Element *el, long n, const char *arg)
{
    const char *eq = strchr(arg, '=');
    size_t len = (size_t)(eq - arg);
    const char *v = eq + 1;
    if (*v == '[') {   /* a whole vector: theta=[...] */
        long k = 0, matched = 0;
        const char *p = v + 1;
        for (long i = 0; i < n; i++) {
            if (strncmp(el[i].name, arg, len) != 0 || el[i].name[len] != '[') continue;
            matched++;
            char *end;
            el[i].value = strtod(p, &end);
            if (end == p) break;
            el[i].given = true;
            k++;
            p = end;
            while (*p == ' ' || *p == ',') p++;
        }
        if (matched == 0 || k != matched || *p != ']') {
            fprintf(stderr, "bmc: error: '%s': expected %.*s=[v1, v2, ...] with one value per element (%ld)\n",
                    arg, (int)len, arg, matched);
            return -1;
        }
        return 0;
    }
    for (long i = 0; i < n; i++) {
        if (strlen(el[i].name) != len || strncmp(el[i].name, arg, len) != 0) continue;
        if (parse_number(v, &el[i].value) != 0) {
            fprintf(stderr, "bmc: error: '%s': '%s' is not a number\n", arg, v);
            return -1;
        }
        el[i].given = true;
        return 0;
    }
    fprintf(stderr, "bmc: error: '%.*s' is not a parameter of the model\n", (int)len, arg);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (names) {
        for (long i = 0; i < n; i++) names[i] = el[i].name;
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)len, arg);
        const char *best = diag_suggest(word, names, (int)n);
        if (best) fprintf(stderr, "note: did you mean '%s'?\n", best);
        else if (n) fprintf(stderr, "note: the parameters are %s%s\n", names[0], n > 1 ? ", ..." : "");
        free(names);
    }
    return -1;
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
        int rc = cli_data_option(ds, argc, argv, &i, "logp");
        if (rc == 1) continue;
        if (rc > 1) { code = rc; goto done; }
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
        if (assign(el, n, assigns[i]) != 0) { code = EXIT_MODEL; goto done; }
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
