/*
** diag.c -- collecting and printing diagnostics.
*/
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void diags_init(Diags *d, const Source *src)
{
    memset(d, 0, sizeof *d);
    d->src = src;
}

void diags_clear(Diags *d)
{
    for (int i = 0; i < d->n; i++) {
        free(d->items[i].message);
        free(d->items[i].note);
    }
    free(d->items);
    d->items = NULL;
    d->n = d->cap = d->dropped = 0;
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0) return NULL;
    char *s = malloc((size_t)len + 1);
    if (s) vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

Diag *diag_error(Diags *d, Loc loc, const char *fmt, ...)
{
    if (d->n >= DIAG_MAX_ERRORS) { d->dropped++; return NULL; }
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 8;
        Diag *p = realloc(d->items, cap * sizeof *p);
        if (!p) { d->dropped++; return NULL; }
        d->items = p;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    if (!msg) { d->dropped++; return NULL; }
    Diag *e = &d->items[d->n++];
    e->loc = loc;
    e->message = msg;
    e->note = NULL;
    return e;
}

void diag_note(Diag *e, const char *fmt, ...)
{
    if (!e) return;
    va_list ap;
    va_start(ap, fmt);
    char *note = vformat(fmt, ap);
    va_end(ap);
    free(e->note);
    e->note = note;
}

/* Byte length of the first n characters of a UTF-8 line (tabs kept). */
static size_t chars_to_bytes(const char *line, size_t len, int n)
{
    size_t i = 0;
    for (int c = 0; c < n && i < len; c++) {
        i++;
        while (i < len && ((unsigned char)line[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static void print_caret(FILE *f, const char *line, size_t len, const Loc *loc, bool color)
{
    fputs("    ", f);
    fwrite(line, 1, len, f);
    fputs("\n    ", f);
    /* Copy tabs so the caret lines up under what the terminal shows. */
    size_t pre = chars_to_bytes(line, len, loc->first_column - 1);
    for (size_t i = 0; i < pre; i++) {
        if (((unsigned char)line[i] & 0xC0) == 0x80) continue;
        fputc(line[i] == '\t' ? '\t' : ' ', f);
    }
    int width = 1;
    if (loc->last_line == loc->first_line && loc->last_column > loc->first_column)
        width = loc->last_column - loc->first_column;
    if (color) fputs("\033[1;32m", f);
    fputc('^', f);
    for (int i = 1; i < width; i++) fputc('~', f);
    if (color) fputs("\033[0m", f);
    fputc('\n', f);
}

void diags_print(const Diags *d, FILE *f, bool color)
{
    const char *name = d->src ? d->src->name : "bmc";
    const char *red = color ? "\033[1;31m" : "", *bold = color ? "\033[1m" : "";
    const char *cyan = color ? "\033[1;36m" : "", *off = color ? "\033[0m" : "";
    for (int i = 0; i < d->n; i++) {
        const Diag *e = &d->items[i];
        if (e->loc.first_line > 0)
            fprintf(f, "%s%s:%d:%d:%s %serror:%s %s%s%s\n", bold, name, e->loc.first_line,
                    e->loc.first_column, off, red, off, bold, e->message, off);
        else
            fprintf(f, "%s%s:%s %serror:%s %s%s%s\n", bold, name, off, red, off, bold, e->message, off);
        size_t len;
        const char *line = d->src && e->loc.first_line > 0
                           ? source_line(d->src, e->loc.first_line, &len) : NULL;
        if (line) print_caret(f, line, len, &e->loc, color);
        if (e->note) fprintf(f, "%snote:%s %s\n", cyan, off, e->note);
    }
    if (d->dropped)
        fprintf(f, "%s: %d more error%s not shown\n", name, d->dropped, d->dropped == 1 ? "" : "s");
}

/* Optimal-string-alignment edit distance (Damerau-Levenshtein restricted):
** swapped letters count once.  None of our libraries offers one; words are
** short, so the quadratic table on the stack is cheap. */
static int edit_distance(const char *a, const char *b)
{
    enum { MAXW = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAXW || lb >= MAXW) return MAXW;
    int t[MAXW + 1][MAXW + 1];
    for (size_t i = 0; i <= la; i++) t[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) t[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = t[i - 1][j] + 1;
            if (t[i][j - 1] + 1 < v) v = t[i][j - 1] + 1;
            if (t[i - 1][j - 1] + cost < v) v = t[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && t[i - 2][j - 2] + 1 < v)
                v = t[i - 2][j - 2] + 1;
            t[i][j] = v;
        }
    return t[la][lb];
}

static int lower_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a | 32) != (*b | 32)) return 0;
    return *a == *b;
}

const char *diag_suggest(const char *word, const char *const *cands, int n)
{
    const char *best = NULL;
    int best_d = 1 << 30;
    int limit = (int)strlen(word) / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    for (int i = 0; i < n; i++) {
        if (!cands[i] || strcmp(cands[i], word) == 0) continue;
        if (lower_eq(cands[i], word)) return cands[i];   /* only case differs */
        int dist = edit_distance(word, cands[i]);
        if (dist < best_d) { best_d = dist; best = cands[i]; }
    }
    /* a word all of whose letters change is no misspelling: x for y */
    return best_d <= limit && best_d < (int)strlen(word) ? best : NULL;
}

Loc loc_span(Loc a, Loc b)
{
    Loc r = a;
    r.last_line = b.last_line;
    r.last_column = b.last_column;
    return r;
}
