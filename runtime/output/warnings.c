/*
** warnings.c -- a run's warnings as data (warnings.h).
*/
#include "warnings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void warnings_init(Warnings *w)
{
    memset(w, 0, sizeof *w);
}

static void warning_free(Warning *e)
{
    for (int k = 0; k < e->nnames; k++) free(e->names[k]);
    free(e->names);
    free(e->chains);
    free(e->kind);
    free(e->message);
    free(e->advice);
}

void warnings_free(Warnings *w)
{
    for (int i = 0; i < w->n; i++) warning_free(&w->items[i]);
    free(w->items);
    warnings_init(w);
}

/* Fills e with copies; -1 (and e freed) when out of memory. */
static int warning_fill(Warning *e, const char *kind, const char *const *names, int nnames, const int *chains,
                        int nchains, const char *advice, const char *message)
{
    memset(e, 0, sizeof *e);
    bool ok = (e->kind = strdup(kind)) && (e->message = strdup(message)) && (!advice || (e->advice = strdup(advice)));
    if (ok && nnames > 0) ok = (e->names = calloc((size_t)nnames, sizeof *e->names)) != NULL;
    for (int k = 0; ok && k < nnames; k++, e->nnames++) ok = (e->names[k] = strdup(names[k])) != NULL;
    if (ok && nchains > 0) {
        ok = (e->chains = malloc((size_t)nchains * sizeof *e->chains)) != NULL;
        if (ok) memcpy(e->chains, chains, (size_t)nchains * sizeof *e->chains);
        e->nchains = ok ? nchains : 0;
    }
    if (!ok) warning_free(e);
    return ok ? 0 : -1;
}

/* Room for one more entry. */
static Warning *warnings_slot(Warnings *w)
{
    if (w->n == w->cap) {
        int cap = w->cap ? 2 * w->cap : 8;
        Warning *items = realloc(w->items, (size_t)cap * sizeof *items);
        if (!items) return NULL;
        w->items = items;
        w->cap = cap;
    }
    return &w->items[w->n];
}

int warnings_add(Warnings *w, const char *kind, const char *const *names, int nnames, const int *chains,
                 int nchains, const char *advice, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *message = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (message) vsnprintf(message, (size_t)len + 1, fmt, again);
    va_end(again);
    Warning *e = message ? warnings_slot(w) : NULL;
    int rc = e ? warning_fill(e, kind, names, nnames, chains, nchains, advice, message) : -1;
    free(message);
    if (rc == 0) w->n++;
    return rc;
}

int warnings_extend(Warnings *w, const Warnings *from)
{
    for (int i = 0; from && i < from->n; i++) {
        const Warning *e = &from->items[i];
        Warning *slot = warnings_slot(w);
        if (!slot || warning_fill(slot, e->kind, (const char *const *)e->names, e->nnames, e->chains, e->nchains,
                                  e->advice, e->message) != 0)
            return -1;
        w->n++;
    }
    return 0;
}

void warnings_print(FILE *err, const Warnings *w, bool color)
{
    for (int i = 0; w && i < w->n; i++) {
        const Warning *e = &w->items[i];
        fputs(color ? "\033[1;33mwarning:\033[0m " : "warning: ", err);
        fputs(e->message, err);
        if (e->advice) fprintf(err, ": %s", e->advice);
        fputc('\n', err);
    }
}
