/*
** draws_csv.c -- CmdStan CSV files into Draws (see draws_csv.h).
**
** Lines are read one at a time: comments are the run's settings, the
** first other line is the header, the rest are rows, each parsed with
** libcsv.  libcsv reports fields, not where they start, so a line is fed
** to it a byte at a time and the field callback takes the column from the
** byte being parsed: errors then point at the cell.
*/
#include "draws_csv.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a column holds. */
enum { COL_VALUE = -1, COL_SKIPPED = -2 };   /* else the DrawStat it is */

/* One file as read. */
typedef struct CsvFile {
    const char *path;
    char **cols;             /* the header's names as written (ncols, owned) */
    int *col_at;             /* the column of each name in the header line */
    int ncols, header_line;
    char *header;            /* the header line as written (owned) */
    double *vals;            /* nrows x ncols, row after row */
    size_t cap;              /* rows room was made for */
    int nrows;
    int warmup_rows;         /* rows before "# Adaptation terminated", or -1 before it is seen */
    int save_warmup, thin;
    int iter;                /* rstan's iterations, warm-up included; 0 when not given */
    int num_samples;         /* this file's own (a stopped chain's is its iterations made); -1 unknown */
    bool cut_short;
} CsvFile;

/* The parse of one line in progress. */
typedef struct LineParse {
    CsvFile *file;
    DrawsCsvError *err;
    int line;
    size_t pos;              /* the byte libcsv is given, from 0 */
    int field_at;            /* column of the field in progress, from 1 */
    int field;               /* fields of the row so far */
    bool header, failed, row_done;
    double *row;             /* the row's values (ncols) */
} LineParse;

static void fail(DrawsCsvError *err, const char *path, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void fail(DrawsCsvError *err, const char *path, int line, int column, const char *fmt, ...)
{
    snprintf(err->file, sizeof err->file, "%s", path);
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* ---- names ---- */

void draws_csv_column_name(const char *name, char *buf, size_t len)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < len; p++) {
        if (*p == '[' || *p == ',') buf[n++] = '.';
        else if (*p != ']' && *p != ' ') buf[n++] = *p;
    }
    if (len) buf[n < len ? n : len - 1] = '\0';
}

/* The inverse: "theta.1" -> "theta[1]", "x.2.3" -> "x[2,3]", "p.A" ->
** "p[A]".  Returns a malloc'ed string, or NULL when out of memory. */
static char *quantity_name(const char *col)
{
    size_t len = strlen(col);
    char *s = malloc(len + 2);
    if (!s) return NULL;
    const char *dot = strchr(col, '.');
    if (!dot) {
        memcpy(s, col, len + 1);
        return s;
    }
    size_t n = (size_t)(dot - col);
    memcpy(s, col, n);
    s[n++] = '[';
    for (const char *p = dot + 1; *p; p++) s[n++] = *p == '.' ? ',' : *p;
    s[n++] = ']';
    s[n] = '\0';
    return s;
}

static int column_kind(const char *col)
{
    for (int k = 0; k < DRAW_NSTATS; k++)
        if (strcmp(col, draw_stat_name((DrawStat)k)) == 0) return k;
    size_t n = strlen(col);
    /* the sampler's other columns, which no quantity's name can end in */
    return n > 2 && strcmp(col + n - 2, "__") == 0 ? COL_SKIPPED : COL_VALUE;
}

/* ---- the settings ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

/* One "# key = value" comment (CmdStan's "(Default)" after the value
** ignored) into run and f.  rstan writes "key=value", and its own keys:
** warmup, iter (warm-up included), max_treedepth, adapt_delta. */
static void read_setting(char *text, DrawsCsvRun *run, CsvFile *f)
{
    char *eq = strchr(text, '=');
    if (!eq) return;
    *eq = '\0';
    char *key = trim(text), *value = trim(eq + 1);
    char *dflt = strstr(value, "(Default)");
    if (dflt) *dflt = '\0';
    value = trim(value);
    char *end;
    errno = 0;
    long x = strtol(value, &end, 10);
    bool whole = end != value && *end == '\0' && errno == 0;
    if (strcmp(key, "model") == 0) snprintf(run->model, sizeof run->model, "%s", value);
    else if (strcmp(key, "num_samples") == 0 && whole) run->num_samples = f->num_samples = (int)x;
    else if ((strcmp(key, "num_warmup") == 0 || strcmp(key, "warmup") == 0) && whole) run->num_warmup = (int)x;
    else if (strcmp(key, "iter") == 0 && whole) f->iter = (int)x;
    else if (strcmp(key, "save_warmup") == 0) f->save_warmup = whole ? x != 0 : strcmp(value, "true") == 0;
    else if (strcmp(key, "thin") == 0 && whole && x > 0) f->thin = (int)x;
    else if ((strcmp(key, "max_depth") == 0 || strcmp(key, "max_treedepth") == 0) && whole) run->max_depth = (int)x;
    else if (strcmp(key, "delta") == 0 || strcmp(key, "adapt_delta") == 0) run->delta = strtod(value, NULL);
    else if (strcmp(key, "seed") == 0 && whole && x >= 0) {
        run->seed = (unsigned long)x;
        run->seed_given = true;
    } else if (strcmp(key, "algorithm") == 0) run->fixed_param = strstr(value, "fixed_param") != NULL;
    else if (strcmp(key, "run") == 0) run->prior = strcmp(value, "prior_predictive") == 0;
}

/* ---- one line through libcsv ---- */

static bool grow_header(CsvFile *f)
{
    char **cols = realloc(f->cols, ((size_t)f->ncols + 1) * sizeof *cols);
    if (!cols) return false;
    f->cols = cols;
    int *at = realloc(f->col_at, ((size_t)f->ncols + 1) * sizeof *at);
    if (!at) return false;
    f->col_at = at;
    return true;
}

static void on_field(void *data, size_t len, void *user)
{
    LineParse *lp = user;
    CsvFile *f = lp->file;
    int at = lp->field_at;
    /* the next field starts after the delimiter libcsv is reading */
    lp->field_at = (int)lp->pos + 2;
    if (lp->failed) return;
    const char *cell = data ? data : "";
    if (lp->header) {
        char *name = strdup(cell);
        if (!name || !grow_header(f)) {
            free(name);
            fail(lp->err, f->path, lp->line, at, "out of memory");
            lp->failed = true;
            return;
        }
        f->col_at[f->ncols] = at;
        f->cols[f->ncols++] = name;
        return;
    }
    if (lp->field >= f->ncols) {
        fail(lp->err, f->path, lp->line, at, "this row has more cells than the header's %d columns (line %d)",
             f->ncols, f->header_line);
        lp->failed = true;
        return;
    }
    char *end;
    double x = len > 0 ? strtod(cell, &end) : 0;
    if (len == 0 || *end != '\0') {
        if (len == 0) fail(lp->err, f->path, lp->line, at, "an empty cell in column '%s'", f->cols[lp->field]);
        else fail(lp->err, f->path, lp->line, at, "'%s' is not a number in column '%s'", cell, f->cols[lp->field]);
        lp->failed = true;
        return;
    }
    lp->row[lp->field++] = x;
}

static void on_row(int c, void *user)
{
    (void)c;
    LineParse *lp = user;
    lp->row_done = true;
    if (lp->failed || lp->header) return;
    CsvFile *f = lp->file;
    if (lp->field < f->ncols) {
        fail(lp->err, f->path, lp->line, (int)lp->pos + 1,
             "this row has %d cell%s where the header (line %d) has %d columns", lp->field,
             lp->field == 1 ? "" : "s", f->header_line, f->ncols);
        lp->failed = true;
    }
}

/* Parses text (one line with its newline) as the header or one row into
** lp->row.  Returns 0, or -1 with the error filled. */
static int parse_line(LineParse *lp, const char *text, size_t len)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail(lp->err, lp->file->path, lp->line, 0, "out of memory");
        return -1;
    }
    lp->field_at = 1;
    lp->field = 0;
    lp->row_done = lp->failed = false;
    for (lp->pos = 0; lp->pos < len && !lp->failed && !lp->row_done; lp->pos++) {
        if (csv_parse(&p, text + lp->pos, 1, on_field, on_row, lp) != 1) {
            fail(lp->err, lp->file->path, lp->line, (int)lp->pos + 1, "%s", csv_strerror(csv_error(&p)));
            lp->failed = true;
        }
    }
    /* the header as the file's last line, without its newline */
    if (!lp->failed && !lp->row_done && (len == 0 || text[len - 1] != '\n') &&
        csv_fini(&p, on_field, on_row, lp) != 0 && !lp->failed) {
        fail(lp->err, lp->file->path, lp->line, (int)len, "%s", csv_strerror(csv_error(&p)));
        lp->failed = true;
    }
    if (!lp->failed && !lp->row_done)
        fail(lp->err, lp->file->path, lp->line, (int)len, "a quoted cell that does not end on its line");
    csv_free(&p);
    return lp->failed || !lp->row_done ? -1 : 0;
}

/* Room for one more row. */
static double *new_row(CsvFile *f)
{
    if ((size_t)f->nrows == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 256;
        if (cap > SIZE_MAX / sizeof(double) / (size_t)f->ncols) return NULL;
        double *v = realloc(f->vals, cap * (size_t)f->ncols * sizeof *v);
        if (!v) return NULL;
        f->vals = v;
        f->cap = cap;
    }
    return f->vals + (size_t)f->nrows * (size_t)f->ncols;
}

/* The line of an error, for its caret. */
static void keep_text(DrawsCsvError *err, const char *line)
{
    snprintf(err->text, sizeof err->text, "%.*s", (int)strcspn(line, "\r\n"), line);
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
    return true;
}

/* Reads one file into f; the first file's settings into run.  Returns 0,
** or -1 with err filled. */
static int read_file(CsvFile *f, DrawsCsvRun *run, bool first, DrawsCsvError *err)
{
    bool std_in = strcmp(f->path, "-") == 0;   /* a pipe: bmc run ... | bmc summary - */
    FILE *in = std_in ? stdin : fopen(f->path, "r");
    if (!in) {
        fail(err, f->path, 0, 0, "cannot open the file: %s", strerror(errno));
        return -1;
    }
    DrawsCsvRun ignored;
    memset(&ignored, 0, sizeof ignored);
    DrawsCsvRun *settings = first ? run : &ignored;
    LineParse lp = { .file = f, .err = err };
    f->warmup_rows = -1;
    f->thin = 1;
    f->num_samples = -1;
    char *text = NULL;
    size_t size = 0;
    ssize_t len;
    int rc = 0, lines = 0;
    while (rc == 0 && (len = getline(&text, &size, in)) >= 0) {
        lp.line = ++lines;
        if (text[0] == '#') {
            if (f->ncols == 0) read_setting(text + 1, settings, f);
            else if (strncmp(text, "# Adaptation terminated", 23) == 0 && f->warmup_rows < 0)
                f->warmup_rows = f->nrows;
            continue;
        }
        if (blank(text)) continue;
        if (f->ncols > 0 && text[len - 1] != '\n') {   /* the last row, cut off while it was written */
            f->cut_short = true;
            break;
        }
        if (f->ncols == 0) {
            lp.header = true;
            f->header_line = lines;
            rc = parse_line(&lp, text, (size_t)len);
            lp.header = false;
            if (rc == 0 && !(f->header = strdup(text))) {
                fail(err, f->path, lines, 0, "out of memory");
                rc = -1;
            }
            if (rc == 0) {
                bool lp_col = false;
                for (int k = 0; k < f->ncols; k++) lp_col = lp_col || strcmp(f->cols[k], "lp__") == 0;
                if (!lp_col) {
                    fail(err, f->path, lines, 1, "not a CmdStan CSV file: its header has no 'lp__' column");
                    rc = -1;
                }
            }
            if (rc == 0 && !(lp.row = malloc((size_t)f->ncols * sizeof *lp.row))) {
                fail(err, f->path, lines, 0, "out of memory");
                rc = -1;
            }
            continue;
        }
        rc = parse_line(&lp, text, (size_t)len);
        if (rc != 0) break;
        double *row = new_row(f);
        if (!row) {
            fail(err, f->path, lines, 0, "out of memory");
            rc = -1;
            break;
        }
        memcpy(row, lp.row, (size_t)f->ncols * sizeof *row);
        f->nrows++;
    }
    if (rc != 0 && err->line == lines && text) keep_text(err, text);
    if (rc == 0 && ferror(in)) {
        fail(err, f->path, 0, 0, "cannot read the file: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && lines == 0) {
        fail(err, f->path, 0, 0, "the file is empty");
        rc = -1;
    } else if (rc == 0 && f->ncols == 0) {
        fail(err, f->path, lines, 0, "no header: no line of column names after the comments");
        rc = -1;
    }
    free(text);
    free(lp.row);
    if (!std_in) fclose(in);
    return rc;
}

static void file_free(CsvFile *f)
{
    free(f->header);
    for (int k = 0; k < f->ncols; k++) free(f->cols[k]);
    free(f->cols);
    free(f->col_at);
    free(f->vals);
}

/* The rows of warm-up at the start of f, when it saved them. */
static int warmup_rows(const CsvFile *f, const DrawsCsvRun *run)
{
    if (!f->save_warmup || run->fixed_param) return 0;
    if (f->warmup_rows >= 0) return f->warmup_rows;
    /* no end of adaptation: warm-up without adapting, or stopped during it */
    int n = run->num_warmup > 0 ? (run->num_warmup + f->thin - 1) / f->thin : 0;
    return n < f->nrows ? n : f->nrows;
}

/* Whether g has the columns of f, the first file; err names the first
** that differs. */
static bool same_columns(const CsvFile *f, const CsvFile *g, DrawsCsvError *err)
{
    int n = f->ncols < g->ncols ? f->ncols : g->ncols;
    for (int k = 0; k < n; k++) {
        if (strcmp(f->cols[k], g->cols[k]) == 0) continue;
        fail(err, g->path, g->header_line, g->col_at[k], "column %d is '%s' where %s has '%s'", k + 1, g->cols[k],
             f->path, f->cols[k]);
        keep_text(err, g->header);
        return false;
    }
    if (f->ncols == g->ncols) return true;
    if (g->ncols > n)
        fail(err, g->path, g->header_line, g->col_at[n], "column '%s' is not in %s", g->cols[n], f->path);
    else
        fail(err, g->path, g->header_line, 0, "no column '%s', which %s has", f->cols[n], f->path);
    keep_text(err, g->header);
    return false;
}

/* The draws of the files, each chain cut to the shortest. */
static Draws *to_draws(const CsvFile *files, int nfiles, DrawsCsvRun *run, DrawsCsvError *err)
{
    const CsvFile *f = &files[0];
    int nvars = 0, ndraws = -1;
    int *kind = malloc((size_t)f->ncols * sizeof *kind);
    char **names = calloc((size_t)f->ncols + 1, sizeof *names);
    Draws *d = NULL;
    if (!kind || !names) goto oom;
    for (int k = 0; k < f->ncols; k++) {
        kind[k] = column_kind(f->cols[k]);
        if (kind[k] >= 0) run->has_stat[kind[k]] = true;
        if (kind[k] == COL_VALUE && !(names[nvars++] = quantity_name(f->cols[k]))) goto oom;
    }
    for (int c = 0; c < nfiles; c++) {
        int rows = files[c].nrows - warmup_rows(&files[c], run);
        run->rows[c] = rows;
        run->cut_short[c] = files[c].cut_short ||
                            (files[c].num_samples >= 0 && rows < (files[c].num_samples + files[c].thin - 1) / files[c].thin);
        if (rows == 0) {
            fail(err, files[c].path, 0, 0, "no draws after warm-up%s", files[c].nrows ? " (the run stopped in warm-up?)" : "");
            goto out;
        }
        if (ndraws < 0 || rows < ndraws) ndraws = rows;
    }
    if (!(d = draws_new(nvars, (const char *const *)names, nfiles, ndraws))) goto oom;
    d->ndraws = ndraws;
    for (int c = 0; c < nfiles; c++) {
        const CsvFile *g = &files[c];
        const double *rows = g->vals + (size_t)warmup_rows(g, run) * (size_t)g->ncols;
        for (int s = 0; s < DRAW_NSTATS; s++)
            if (!run->has_stat[s])
                for (int i = 0; i < ndraws; i++) draws_stat(d, (DrawStat)s, c)[i] = NAN;
        for (int k = 0, v = 0; k < g->ncols; k++) {
            if (kind[k] == COL_SKIPPED) continue;
            double *to = kind[k] == COL_VALUE ? draws_at(d, v++, c) : draws_stat(d, (DrawStat)kind[k], c);
            for (int i = 0; i < ndraws; i++) to[i] = rows[(size_t)i * (size_t)g->ncols + (size_t)k];
        }
    }
    goto out;
oom:
    fail(err, f->path, 0, 0, "out of memory");
out:
    for (int v = 0; names && v < nvars; v++) free(names[v]);
    free(names);
    free(kind);
    return d;
}

int draws_csv_read(const char *const *paths, int nfiles, Draws **out, DrawsCsvRun *run, DrawsCsvError *err)
{
    *out = NULL;
    memset(run, 0, sizeof *run);
    memset(err, 0, sizeof *err);
    run->num_samples = run->num_warmup = run->max_depth = -1;
    run->delta = NAN;
    if (nfiles < 1) {
        fail(err, "", 0, 0, "no files given");
        return -1;
    }
    CsvFile *files = calloc((size_t)nfiles, sizeof *files);
    run->rows = calloc((size_t)nfiles, sizeof *run->rows);
    run->cut_short = calloc((size_t)nfiles, sizeof *run->cut_short);
    int rc = files && run->rows && run->cut_short ? 0 : -1;
    if (rc) fail(err, paths[0], 0, 0, "out of memory");
    for (int c = 0; c < nfiles && rc == 0; c++) {
        files[c].path = paths[c];
        for (int k = 0; k < c && rc == 0; k++)
            if (strcmp(paths[c], "-") == 0 && strcmp(paths[k], "-") == 0) {
                fail(err, "-", 0, 0, "standard input can be one file only");
                rc = -1;
            }
        if (rc) break;
        rc = read_file(&files[c], run, c == 0, err);
        if (c == 0 && run->num_samples < 0 && files[0].iter > 0 && run->num_warmup >= 0)
            run->num_samples = files[0].iter - run->num_warmup;
        if (rc == 0 && c > 0 && !same_columns(&files[0], &files[c], err)) rc = -1;
    }
    if (rc == 0 && !(*out = to_draws(files, nfiles, run, err))) rc = -1;
    for (int c = 0; files && c < nfiles; c++) file_free(&files[c]);
    free(files);
    if (rc != 0) draws_csv_run_free(run);
    return rc;
}

void draws_csv_run_free(DrawsCsvRun *run)
{
    free(run->rows);
    free(run->cut_short);
    run->rows = NULL;
    run->cut_short = NULL;
}
