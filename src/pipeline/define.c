/*
** define.c -- new quantities from saved draws (see define.h).
*/
#include "define.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compile.h"
#include "eval.h"
#include "status.h"

/* The name the model text calls a source of definitions. */
#define DEFINE_SOURCE "--define"

static bool is_identifier(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return false;
    return true;
}

/* Whether variables v .. v+k-1 of d are base[1] .. base[k], base being
** the first blen bytes of their names. */
static bool is_vector(const Draws *d, int v, int k, size_t blen)
{
    for (int j = 0; j < k; j++) {
        char want[32];
        snprintf(want, sizeof want, "[%d]", j + 1);
        if (strcmp(d->names[v + j] + blen, want) != 0) return false;
    }
    return true;
}

/* The saved quantities as parameters, one statement a line, to f:
** "p_A ~ Flat();", "theta[8] ~ Flat();".  Returns the lines written. */
static int write_parameters(FILE *f, const Draws *d)
{
    int lines = 0;
    for (int v = 0; v < d->nvars;) {
        const char *name = d->names[v];
        size_t blen = strcspn(name, "[");
        int k = 1;   /* the variables sharing the base name */
        while (v + k < d->nvars && strncmp(d->names[v + k], name, blen) == 0 && d->names[v + k][blen] == '[') k++;
        if (is_identifier(name, blen)) {
            if (name[blen] == '\0') {
                fprintf(f, "%s ~ Flat();\n", name);
                lines++;
            } else if (is_vector(d, v, k, blen)) {
                fprintf(f, "%.*s[%d] ~ Flat();\n", (int)blen, name, k);
                lines++;
            }
        }
        v += name[blen] ? k : 1;
    }
    return lines;
}

/* The model text: the parameters, then each definition on lines of its
** own; first[k] receives the line definition k starts on. */
static char *model_text(const Draws *d, const char *const *defs, int n, int *first, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f) return NULL;
    int line = write_parameters(f, d) + 1;
    for (int k = 0; k < n; k++) {
        first[k] = line;
        size_t dl = strlen(defs[k]);
        while (dl > 0 && isspace((unsigned char)defs[k][dl - 1])) dl--;
        fprintf(f, "%.*s%s\n", (int)dl, defs[k], dl > 0 && defs[k][dl - 1] == ';' ? "" : ";");
        for (size_t i = 0; i < dl; i++) line += defs[k][i] == '\n';
        line++;
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Whether name is a saved quantity, or the base name of saved elements. */
static bool is_saved(const Draws *d, const char *name)
{
    size_t n = strlen(name);
    for (int v = 0; v < d->nvars; v++)
        if (strncmp(d->names[v], name, n) == 0 && (d->names[v][n] == '\0' || d->names[v][n] == '[')) return true;
    return false;
}

/* A definition of a saved name, which the compiler sees as its parameter
** given a second definition: said as it is, at the definition.  Returns
** whether there was one. */
static bool redefinitions(const Model *m, const Draws *d, const int *first, int n, Diags *errs)
{
    bool found = false;
    for (int i = 0; m->prog && i < m->prog->nstmts; i++) {
        const Stmt *st = m->prog->stmts[i];
        const char *name = stmt_lhs_name(st);
        if (st->loc.first_line < first[0] || !name || !is_saved(d, name)) continue;
        int k = n - 1;
        while (k > 0 && st->loc.first_line < first[k]) k--;
        Diags one;   /* made in the model's text, for its line and caret, then moved */
        diags_init(&one, m->src);
        Diag *e = diag_error(&one, DIAG_REDEFINED, st->lhs->loc, "'%s' is a saved quantity", name);
        diag_note(e, "give the new quantity a name of its own");
        if (e) diag_copy(errs, e, DEFINE_SOURCE, -(first[k] - 1));
        else errs->dropped++;
        diags_clear(&one);
        found = true;
    }
    return found;
}

/* The model's errors, placed in the definition each is in. */
static void definition_errors(const Diags *from, const int *first, int n, Diags *errs)
{
    for (int i = 0; i < from->n; i++) {
        const Diag *e = &from->items[i];
        int k = n - 1;
        while (k > 0 && e->loc.first_line < first[k]) k--;
        int shift = e->loc.first_line >= first[0] ? first[k] - 1 : 0;
        diag_copy(errs, e, DEFINE_SOURCE, -shift);
    }
    errs->dropped += from->dropped;
}

/* Each parameter element's variable in d into map (ir->dim values, by
** unconstrained coordinate).  Returns 0, or -1 with the error in errs: a
** parameter that is not a saved quantity, which only a '~' makes. */
static int map_parameters(const IrModel *ir, const Draws *d, int *map, Diags *errs)
{
    for (int p = 0; p < ir->nparams; p++) {
        const IrParam *pr = &ir->params[p];
        for (long i = 0; i < pr->len; i++) {
            char name[256];
            ir_param_element_name(ir, pr, i, name, sizeof name);
            int v = draws_find(d, name);
            if (v < 0) {
                Diag *e = diag_error_at(errs, DIAG_MODEL, DEFINE_SOURCE, "'%s' is not a saved quantity", name);
                diag_note(e, "a definition computes a quantity from the saved ones with '=': q = p_B - p_A");
                return -1;
            }
            map[pr->ucoord + i] = v;
        }
    }
    return 0;
}

/* The quantities of ir that d has not, computed at each of d's draws into
** a copy of d with them.  NULL when out of memory. */
static Draws *evaluate(const IrModel *ir, const Draws *d, const int *map)
{
    long nout = ir_output_count(ir);
    char **names = ir_output_names(ir);
    long *at = malloc((nout > 0 ? (size_t)nout : 1) * sizeof *at);
    double *q = malloc((ir->dim > 0 ? (size_t)ir->dim : 1) * sizeof *q);
    double *out = malloc((nout > 0 ? (size_t)nout : 1) * sizeof *out);
    const char **fresh = malloc((nout > 0 ? (size_t)nout : 1) * sizeof *fresh);
    EvalWs *w = eval_new(ir);
    Draws *e = NULL;
    int nfresh = 0;
    if ((names || nout == 0) && at && q && out && fresh && w) {
        for (long k = 0; k < nout; k++)
            if (draws_find(d, names[k]) < 0) {
                at[nfresh] = k;
                fresh[nfresh++] = names[k];
            }
        e = draws_extend(d, nfresh, fresh);
    }
    for (int c = 0; e && c < d->nchains; c++)
        for (int i = 0; i < d->ndraws; i++) {
            for (long j = 0; j < ir->dim; j++) q[j] = draws_at_const(d, map[j], c)[i];
            eval_outputs(w, q, out);
            for (int k = 0; k < nfresh; k++) draws_at(e, d->nvars + k, c)[i] = out[at[k]];
        }
    eval_free(w);
    if (names) ir_free_names(names, nout);
    free(at);
    free(q);
    free(out);
    free(fresh);
    return e;
}

int define_quantities(Draws **d, const char *const *defs, int n, Diags *errs)
{
    if (n <= 0) return EXIT_OK;
    int *first = malloc((size_t)n * sizeof *first);
    size_t len = 0;
    char *text = first ? model_text(*d, defs, n, first, &len) : NULL;
    Source *src = text ? source_from_text(DEFINE_SOURCE, text, len) : NULL;
    free(text);
    CompileOptions opt = COMPILE_FULL;
    opt.partial = true;   /* the Flat() priors are no model's: their check stays out of the way */
    Model *m = src ? model_compile(src, NULL, &opt) : NULL;
    int code = EXIT_MODEL;
    int *map = NULL;
    if (!m) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
    } else if (!model_ok(m) || !m->ir) {
        if (!redefinitions(m, *d, first, n, errs)) definition_errors(&m->diags, first, n, errs);
        if (!diags_failed(errs)) diag_error_at(errs, DIAG_INTERNAL, DEFINE_SOURCE, "the definitions did not compile");
    } else if (!(map = malloc((m->ir->dim > 0 ? (size_t)m->ir->dim : 1) * sizeof *map))) {
        diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
    } else if (map_parameters(m->ir, *d, map, errs) == 0) {
        Draws *e = evaluate(m->ir, *d, map);
        if (e) {
            draws_free(*d);
            *d = e;
            code = EXIT_OK;
        } else {
            diag_error_at(errs, DIAG_NO_MEMORY, NULL, "out of memory");
        }
    }
    free(map);
    model_free(m);
    free(first);
    return code;
}
