/*
** repl_logp.c -- `:logp name=value ...`: the joint log density of the
** session's model and its gradient at constrained parameter values, as
** `bmc logp` prints them.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "eval.h"
#include "repl.h"

typedef struct Element {
    char name[256];
    const IrParam *param;
    double value;
    bool given;
} Element;

static int number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && isfinite(*v) ? 0 : -1;
}

/* Takes "name=value", or "theta=[1, 2]" for every element of a vector. */
static int assign(Session *s, Element *el, long n, const char *item)
{
    const char *eq = strchr(item, '=');
    size_t len = (size_t)(eq - item);
    const char *v = eq + 1;
    if (*v == '[') {
        long matched = 0, got = 0;
        const char *p = v + 1;
        for (long i = 0; i < n; i++) {
            if (strncmp(el[i].name, item, len) != 0 || el[i].name[len] != '[') continue;
            matched++;
            while (*p == ' ' || *p == ',') p++;
            char *end;
            el[i].value = strtod(p, &end);
            if (end == p) break;
            el[i].given = true;
            got++;
            p = end;
        }
        while (*p == ' ' || *p == ',') p++;
        if (matched == 0 || got != matched || strcmp(p, "]") != 0) {
            if (matched == 0) repl_error(s, "'%.*s' is not a vector parameter of the model", (int)len, item);
            else repl_error(s, "'%s': expected %.*s=[v1, v2, ...] with %ld values", item, (int)len, item, matched);
            return -1;
        }
        return 0;
    }
    for (long i = 0; i < n; i++) {
        if (strlen(el[i].name) != len || strncmp(el[i].name, item, len) != 0) continue;
        if (number(v, &el[i].value) != 0) {
            repl_error(s, "'%s': '%s' is not a number", item, v);
            return -1;
        }
        el[i].given = true;
        return 0;
    }
    repl_error(s, "'%.*s' is not a parameter of the model", (int)len, item);
    const char **names = malloc((size_t)(n ? n : 1) * sizeof *names);
    if (names) {
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)(len < 250 ? len : 250), item);
        for (long i = 0; i < n; i++) names[i] = el[i].name;
        const char *best = diag_suggest(word, names, (int)n);
        if (best) repl_note(s, "did you mean '%s'?", best);
        free(names);
    }
    return -1;
}

static void print_result(const Element *el, long n, double lp, const double *grad)
{
    printf("logp = %.17g\n", lp);
    if (n) puts("gradient:");
    int w = 4;
    for (long i = 0; i < n; i++) if ((int)strlen(el[i].name) > w) w = (int)strlen(el[i].name);
    for (long i = 0; i < n; i++) printf("  %-*s  %.17g\n", w, el[i].name, grad[i]);
}

void repl_cmd_logp(Session *s, const char *args)
{
    if (s->len == 0) {
        repl_error(s, "the model is empty: no density yet");
        return;
    }
    char **items = repl_split_assigns(s, args, ":logp");
    if (!items) return;
    Model *m = repl_compile(s, false);
    Element *el = NULL;
    double *values = NULL, *grad = NULL;
    EvalWs *w = NULL;
    if (!m) goto done;
    const IrModel *ir = m->ir;
    long n = ir->dim;
    el = calloc((size_t)(n ? n : 1), sizeof *el);
    values = calloc((size_t)(n ? n : 1), sizeof *values);
    grad = calloc((size_t)(n ? n : 1), sizeof *grad);
    w = eval_new(ir);
    if (!el || !values || !grad || !w) { repl_error(s, "out of memory"); goto done; }
    long k = 0;
    for (int p = 0; p < ir->nparams; p++)
        for (long i = 0; i < ir->params[p].len; i++, k++) {
            ir_param_element_name(ir, &ir->params[p], i, el[k].name, sizeof el[k].name);
            el[k].param = &ir->params[p];
        }
    for (int i = 0; items[i]; i++)
        if (assign(s, el, n, items[i]) != 0) goto done;
    for (long i = 0; i < n; i++) {
        if (!el[i].given) {
            repl_error(s, "no value for parameter '%s'", el[i].name);
            repl_note(s, "give every parameter element: :logp %s=...", el[i].name);
            goto done;
        }
        values[i] = el[i].value;
    }
    double lp;
    long bad = eval_constrained(w, values, &lp, grad);
    if (bad > 0) {
        const Element *e = &el[bad - 1];
        const DistInfo *d = dist_at(e->param->dist);
        repl_error(s, "%s = %g is outside the support of its prior %s: %s", e->name, e->value, d->name,
                   dist_support_text(d));
        goto done;
    }
    print_result(el, n, lp, grad);
done:
    eval_free(w);
    free(values);
    free(grad);
    free(el);
    model_free(m);
    repl_free_list(items);
}
