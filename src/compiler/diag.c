/*
** diag.c -- collecting and printing diagnostics (diag.h).
*/
#include "diag.h"

#include <stdlib.h>
#include <string.h>

/* A line longer than this is shown as a window around the caret. */
#define LINE_SHOWN 160
#define LINE_BEFORE 60      /* characters kept before the caret in a window */

void diags_init(Diags *d, const Source *src)
{
    memset(d, 0, sizeof *d);
    d->src = src;
}

static void diag_free(Diag *e)
{
    free(e->file);
    free(e->line);
    free(e->message);
    free(e->note);
    free(e->subject);
    free(e->related_line);
    free(e->related_note);
    free(e->related_file);
}

void diags_clear(Diags *d)
{
    for (int i = 0; i < d->n; i++) diag_free(&d->items[i]);
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

/* Byte length of the first n characters of a UTF-8 text of len bytes. */
static size_t chars_to_bytes(const char *text, size_t len, int n)
{
    size_t i = 0;
    for (int c = 0; c < n && i < len; c++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static int count_chars(const char *text, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

/* A printable copy of n bytes of text (utf8_printable's rules). */
static char *printable_copy(const char *text, size_t n)
{
    char *out = malloc(n + 1);
    if (out) utf8_printable(text, n, n, out);
    return out;
}

/* A copy of the text of line `line` of src around column col: the whole
** line, or a window of it when it is long (a 2 MB generated line must not
** be echoed whole).  *first receives the column of its first character,
** *cut_end whether text follows the window. */
static char *line_copy(const Source *src, int line, int col, int *first, bool *cut_end)
{
    size_t len;
    const char *text = src && line > 0 ? source_line(src, line, &len) : NULL;
    *first = 1;
    *cut_end = false;
    if (!text) return NULL;
    int chars = count_chars(text, len);
    if (chars <= LINE_SHOWN) return printable_copy(text, len);
    int from = col - LINE_BEFORE > 1 ? col - LINE_BEFORE : 1;
    if (from + LINE_SHOWN > chars + 1) from = chars + 1 - LINE_SHOWN;
    size_t b = chars_to_bytes(text, len, from - 1);
    size_t e = chars_to_bytes(text, len, from - 1 + LINE_SHOWN);
    *first = from;
    *cut_end = e < len;
    return printable_copy(text + b, e - b);
}

/* The next Diag of d, zeroed; NULL when the list is full or memory ran
** out (the error is then counted as dropped). */
static Diag *next_diag(Diags *d)
{
    if (d->n >= DIAG_MAX_ERRORS) { d->dropped++; return NULL; }
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 8;
        Diag *p = realloc(d->items, (size_t)cap * sizeof *p);
        if (!p) { d->dropped++; return NULL; }
        d->items = p;
        d->cap = cap;
    }
    Diag *e = &d->items[d->n];
    memset(e, 0, sizeof *e);
    return e;
}

static Diag *add(Diags *d, DiagCode code, const char *file, const Source *src, Loc loc, const char *fmt, va_list ap)
{
    Diag *e = next_diag(d);
    if (!e) return NULL;
    e->code = code;
    e->loc = loc;
    e->message = vformat(fmt, ap);
    e->file = file ? strdup(file) : NULL;
    if (loc.first_line > 0 && loc.first_column > 0)
        e->line = line_copy(src, loc.first_line, loc.first_column, &e->line_column, &e->line_cut);
    if (!e->message || (file && !e->file)) {
        diag_free(e);
        d->dropped++;
        return NULL;
    }
    d->n++;
    return e;
}

Diag *diag_error(Diags *d, DiagCode code, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *e = add(d, code, d->src ? d->src->name : NULL, d->src, loc, fmt, ap);
    va_end(ap);
    return e;
}

Diag *diag_error_in(Diags *d, DiagCode code, const Source *src, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *e = add(d, code, src ? src->name : NULL, src, loc, fmt, ap);
    va_end(ap);
    return e;
}

Diag *diag_error_at(Diags *d, DiagCode code, const char *place, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *e = add(d, code, place, NULL, LOC_NONE, fmt, ap);
    va_end(ap);
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

void diag_subject(Diag *e, const char *name)
{
    if (!e) return;
    free(e->subject);
    e->subject = name ? strdup(name) : NULL;
}

void diag_related(Diag *e, const Source *src, Loc loc, const char *fmt, ...)
{
    if (!e) return;
    va_list ap;
    va_start(ap, fmt);
    char *note = vformat(fmt, ap);
    va_end(ap);
    free(e->related_note);
    free(e->related_line);
    free(e->related_file);
    e->related = loc;
    e->related_note = note;
    e->related_file = NULL;
    e->related_line = line_copy(src, loc.first_line, loc.first_column, &e->related_column, &e->related_cut);
    /* a second place in another file than the error's names that file */
    if (src && (!e->file || strcmp(src->name, e->file) != 0)) e->related_file = strdup(src->name);
}

static char *dup_or_null(const char *s, bool *bad)
{
    if (!s) return NULL;
    char *c = strdup(s);
    if (!c) *bad = true;
    return c;
}

Diag *diag_copy(Diags *d, const Diag *from, const char *file, int line_shift)
{
    /* from may lie in d's own list, which next_diag may move */
    Diag src = *from;
    const Diag *e = &src;
    Diag *c = next_diag(d);
    if (!c) return NULL;
    bool bad = false;
    *c = *e;
    c->file = dup_or_null(file ? file : e->file, &bad);
    c->line = dup_or_null(e->line, &bad);
    c->message = dup_or_null(e->message, &bad);
    c->note = dup_or_null(e->note, &bad);
    c->subject = dup_or_null(e->subject, &bad);
    c->related_line = dup_or_null(e->related_line, &bad);
    c->related_note = dup_or_null(e->related_note, &bad);
    c->related_file = dup_or_null(e->related_file, &bad);
    if (c->loc.first_line > 0) {
        c->loc.first_line += line_shift;
        c->loc.last_line += line_shift;
    }
    if (c->related.first_line > 0) {
        c->related.first_line += line_shift;
        c->related.last_line += line_shift;
    }
    if (bad) {
        diag_free(c);
        d->dropped++;
        return NULL;
    }
    d->n++;
    return c;
}

const Diag *diags_find(const Diags *d, DiagCode code)
{
    for (int i = 0; i < d->n; i++)
        if (d->items[i].code == code) return &d->items[i];
    return NULL;
}

/* ---- printing ---- */

typedef struct Colors { const char *red, *bold, *cyan, *green, *off; } Colors;

/* The line, then a caret under loc (a tilde for each further character on
** the same line).  first is the column of line's first character; a line
** cut to a window is marked "...". */
static void print_caret(FILE *f, const char *line, int first, bool cut_end, const Loc *loc, const Colors *c)
{
    size_t len = strlen(line);
    bool cut_front = first > 1;
    fputs(cut_front ? "    ..." : "    ", f);
    fwrite(line, 1, len, f);
    if (cut_end) fputs("...", f);
    fputs(cut_front ? "\n       " : "\n    ", f);
    /* Copy tabs so the caret lines up under what the terminal shows. */
    int before = loc->first_column - first;
    size_t pre = chars_to_bytes(line, len, before > 0 ? before : 0);
    for (size_t i = 0; i < pre; i++) {
        if (((unsigned char)line[i] & 0xC0) == 0x80) continue;
        fputc(line[i] == '\t' ? '\t' : ' ', f);
    }
    int width = 1;
    if (loc->last_line == loc->first_line && loc->last_column > loc->first_column)
        width = loc->last_column - loc->first_column;
    int room = count_chars(line, len) - (before > 0 ? before : 0);
    if (width > room && room > 0) width = room;
    fputs(c->green, f);
    fputc('^', f);
    for (int i = 1; i < width; i++) fputc('~', f);
    fputs(c->off, f);
    fputc('\n', f);
}

/* "FILE:LINE:COL: ", "FILE:LINE: " (no column known), "FILE: ", "TOOL: "
** or nothing. */
static void print_place(FILE *f, const char *file, const Loc *loc, const char *tool, const Colors *c)
{
    if (file && loc->first_line > 0 && loc->first_column > 0)
        fprintf(f, "%s%s:%d:%d:%s ", c->bold, file, loc->first_line, loc->first_column, c->off);
    else if (file && loc->first_line > 0)
        fprintf(f, "%s%s:%d:%s ", c->bold, file, loc->first_line, c->off);
    else if (file)
        fprintf(f, "%s%s:%s ", c->bold, file, c->off);
    else if (tool)
        fprintf(f, "%s%s:%s ", c->bold, tool, c->off);
}

void diags_print(const Diags *d, FILE *f, const DiagStyle *style)
{
    bool color = style && style->color;
    const char *tool = style ? style->tool : "bmc";
    /* errors in red, warnings in yellow */
    Colors c = color ? (Colors){ d->warnings ? "\033[1;33m" : "\033[1;31m", "\033[1m", "\033[1;36m", "\033[1;32m", "\033[0m" }
                     : (Colors){ "", "", "", "", "" };
    const char *label = d->warnings ? "warning" : "error";
    for (int i = 0; i < d->n; i++) {
        const Diag *e = &d->items[i];
        print_place(f, e->file, &e->loc, tool, &c);
        fprintf(f, "%s%s:%s %s%s%s\n", c.red, label, c.off, c.bold, e->message, c.off);
        if (e->line) print_caret(f, e->line, e->line_column, e->line_cut, &e->loc, &c);
        if (e->note) fprintf(f, "%snote:%s %s\n", c.cyan, c.off, e->note);
        if (e->related_note) {
            print_place(f, e->related_file ? e->related_file : e->file, &e->related, tool, &c);
            fprintf(f, "%snote:%s %s\n", c.cyan, c.off, e->related_note);
            if (e->related_line) print_caret(f, e->related_line, e->related_column, e->related_cut, &e->related, &c);
        }
    }
    if (d->dropped) {
        const char *name = d->n > 0 && d->items[0].file ? d->items[0].file : d->src ? d->src->name : tool;
        if (name) fprintf(f, "%s: ", name);
        fprintf(f, "%d more %s%s not shown\n", d->dropped, label, d->dropped == 1 ? "" : "s");
    }
}

/* ---- suggestions ---- */

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

const char *diag_suggest_abbrev(const char *word, const char *const *cands, int n)
{
    size_t len = strlen(word);
    const char *only = NULL;
    int begun = 0;
    if (len >= strspn(word, "-") + 2)
        for (int i = 0; i < n; i++)
            if (cands[i] && strlen(cands[i]) > len && strncmp(cands[i], word, len) == 0) {
                only = cands[i];
                begun++;
            }
    return begun == 1 ? only : diag_suggest(word, cands, n);
}

Loc loc_span(Loc a, Loc b)
{
    Loc r = a;
    r.last_line = b.last_line;
    r.last_column = b.last_column;
    return r;
}
