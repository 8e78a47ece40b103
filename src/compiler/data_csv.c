/*
** data_csv.c -- data from a CSV file: a header row naming the columns, then
** one row per observation; each column becomes a vector of its name.
**
** libcsv splits the text into fields (quotes, embedded separators and
** newlines, CRLF); this file finds the separator, knows where each field
** starts (for the caret of a message) and gives the columns their types:
** a column whose first cell is a number is numeric, and then every cell
** must be one; any other column is a factor, its distinct texts the levels
** sorted in byte order (R's factor() in the C locale), its values their
** codes 1..K.  An empty cell or NA is an error: bmc has no missing values.
*/
#include "data.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include "data_text.h"
#include "name_index.h"
#include "source.h"

#define DETECT_ROWS 20   /* rows read to find the separator */
#define MISSING_NOTE "bmc has no missing values: remove the row, or fill in the value"

/* One field: its text (in the arena, NUL-terminated) and where it starts
** in the file. */
typedef struct Cell {
    size_t text, len;
    size_t at;
} Cell;

typedef struct Row {
    size_t first;       /* its first cell */
    size_t n;           /* its fields */
} Row;

/* The fields of the text as libcsv reports them. */
typedef struct Fields {
    const char *text;
    size_t len;
    bool placed;        /* fed a byte at a time, each cell's place known */
    size_t pos;         /* the byte being fed: where libcsv's calls happen */
    size_t next;        /* where the next field starts (blank lines before it aside) */
    char *arena;
    size_t used, cap;
    Cell *cells;
    size_t ncells, cap_cells;
    Row *rows;
    size_t nrows, cap_rows;
    size_t row_first;
    bool oom;
} Fields;

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size) return NULL;
        c *= 2;
    }
    void *q = realloc(p, c * size);
    if (q) *cap = c;
    return q;
}

static void on_field(void *s, size_t len, void *data)
{
    Fields *f = data;
    char *arena = grow(f->arena, &f->cap, f->used + len + 1, 1);
    Cell *cells = grow(f->cells, &f->cap_cells, f->ncells + 1, sizeof *cells);
    if (arena) f->arena = arena;
    if (cells) f->cells = cells;
    if (!arena || !cells) { f->oom = true; return; }
    size_t at = f->placed ? f->next : SIZE_MAX;
    if (f->placed && f->ncells == f->row_first)   /* blank lines before a row are no field */
        while (at < f->len && (f->text[at] == '\n' || f->text[at] == '\r')) at++;
    if (len) memcpy(f->arena + f->used, s, len);
    f->arena[f->used + len] = '\0';
    f->cells[f->ncells++] = (Cell){ f->used, len, at };
    f->used += len + 1;
    f->next = f->pos + 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    Fields *f = data;
    Row *rows = grow(f->rows, &f->cap_rows, f->nrows + 1, sizeof *rows);
    if (!rows) { f->oom = true; return; }
    f->rows = rows;
    f->rows[f->nrows++] = (Row){ f->row_first, f->ncells - f->row_first };
    f->row_first = f->ncells;
    f->next = f->pos + 1;
}

/* Only the blank trims an unquoted field: a tab may be the separator. */
static int is_blank(unsigned char c) { return c == ' '; }

static void fields_free(Fields *f)
{
    free(f->arena);
    free(f->cells);
    free(f->rows);
}

/* Splits text into f's rows, at most max_rows of them (0: all): placed,
** a byte at a time, so that each call of on_field knows where its cell
** starts (a tenth of the speed), else in one call (max_rows 0).  Returns
** 0, or the libcsv error, placed with f->pos at the byte it stopped on. */
static int split(Fields *f, const char *text, size_t len, char sep, size_t max_rows, bool placed)
{
    struct csv_parser p;
    memset(f, 0, sizeof *f);
    f->text = text;
    f->len = len;
    f->placed = placed || max_rows;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) return CSV_ENOMEM;
    csv_set_delim(&p, (unsigned char)sep);
    csv_set_space_func(&p, is_blank);
    int rc = 0;
    if (!f->placed) {
        if (csv_parse(&p, text, len, on_field, on_row, f) != len) rc = csv_error(&p);
    } else {
        for (f->pos = 0; f->pos < len && !f->oom && (!max_rows || f->nrows < max_rows); f->pos++)
            if (csv_parse(&p, text + f->pos, 1, on_field, on_row, f) != 1) {
                rc = csv_error(&p);
                break;
            }
    }
    if (rc == 0 && !f->oom && (!max_rows || f->nrows < max_rows)) {
        f->pos = len;
        if (csv_fini(&p, on_field, on_row, f) != 0) rc = csv_error(&p);
    }
    csv_free(&p);
    if (rc == 0 && f->oom) rc = CSV_ENOMEM;
    return rc;
}

static const char *cell_text(const Fields *f, size_t i) { return f->arena + f->cells[i].text; }

/* The separator among , ; and tab that splits the header into the most
** fields, as many in each of the next rows; ',' when none splits it. */
static char find_separator(const char *text, size_t len)
{
    static const char cands[] = { ',', ';', '\t' };
    char best = ',';
    size_t best_n = 1;
    bool best_even = false;
    for (size_t k = 0; k < sizeof cands; k++) {
        Fields f;
        split(&f, text, len, cands[k], DETECT_ROWS, true);
        if (f.nrows > 0) {
            size_t n = f.rows[0].n;
            bool even = true;
            for (size_t r = 1; r < f.nrows; r++) even = even && f.rows[r].n == n;
            if (n > 1 && ((even && !best_even) || (even == best_even && n > best_n))) {
                best = cands[k];
                best_n = n;
                best_even = even;
            }
        }
        fields_free(&f);
    }
    return best;
}

/* ------------------------------------------------------------ places */

/* The line:column of byte at of src's text, spanning the characters of
** the next span bytes on that line (at least one). */
static Loc loc_at(const Source *src, size_t at, size_t span)
{
    int lo = 0, hi = src->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (src->line_start[mid] <= at) lo = mid;
        else hi = mid - 1;
    }
    int col = 1;
    for (size_t b = src->line_start[lo]; b < at && b < src->len; b++)
        if (((unsigned char)src->text[b] & 0xC0) != 0x80) col++;
    int chars = 0;
    for (size_t b = at; b < at + span && b < src->len && src->text[b] != '\n' && src->text[b] != '\r'; b++)
        if (((unsigned char)src->text[b] & 0xC0) != 0x80) chars++;
    return (Loc){ lo + 1, col, lo + 1, col + (chars > 0 ? chars : 1) };
}

/* The bytes cell i spans in the file: its text, and its quotes. */
static size_t cell_span(const Fields *f, size_t i)
{
    const Cell *c = &f->cells[i];
    return c->at < f->len && f->text[c->at] == '"' ? c->len + 2 : c->len;
}

/* An error at cell i of f, its text under a caret. */
static Diag *cell_error(Diags *err, const Source *src, const Fields *f, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static Diag *cell_error(Diags *err, const Source *src, const Fields *f, size_t i, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_error_in(err, DIAG_DATA, src, loc_at(src, f->cells[i].at, cell_span(f, i)), "%s", msg);
}

/* ----------------------------------------------------------- numbers */

/* Whether s is a number as CSV files write them (digits, a point, an
** exponent; NaN, Inf) into *d, *is_int when written as an integer that a
** double holds exactly, *overflow when beyond a double's range.  strtod
** alone would also take hex and "nan(...)". */
static bool cell_number(const char *s, double *d, bool *is_int, bool *overflow)
{
    *overflow = false;
    /* A sign and at most 15 digits, the common cell (counts, 0/1
    ** outcomes): exact in a double digit by digit, as strtod would give it,
    ** at a tenth of its cost and of the special names' comparisons. */
    const char *p = s + (*s == '-' || *s == '+');
    long whole = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9' && digits <= 15; p++, digits++) whole = whole * 10 + (*p - '0');
    if (*p == '\0' && digits >= 1 && digits <= 15) {
        *d = *s == '-' ? -(double)whole : (double)whole;
        *is_int = true;
        return true;
    }
    if (data_special_number(s, d)) {
        *is_int = false;
        return true;
    }
    bool digit = false, integral = true;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') digit = true;
        else if (*p == '.' || *p == 'e' || *p == 'E') integral = false;
        else if (*p != '+' && *p != '-') return false;
    }
    if (!digit) return false;
    char *end;
    *d = strtod(s, &end);
    if (*end != '\0' || end == s) return false;
    *overflow = isinf(*d);
    *is_int = integral && fabs(*d) <= 9007199254740992.0;
    return true;
}

/* "1,5": a number written with a decimal comma. */
static bool decimal_comma(const char *s)
{
    if (*s == '-' || *s == '+') s++;
    size_t a = strspn(s, "0123456789");
    if (a == 0 || s[a] != ',') return false;
    size_t b = strspn(s + a + 1, "0123456789");
    return b > 0 && s[a + 1 + b] == '\0';
}

static bool missing(const char *s) { return s[0] == '\0' || strcmp(s, "NA") == 0; }

/* ------------------------------------------------------------ columns */

typedef struct Column {
    const char *name;
    double *v;
    bool is_int;
    char **levels;      /* into the arena; NULL: numeric */
    long nlevels;
} Column;

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Column j (of ncols) of f's data rows as numbers into col->v. */
static int numeric_column(const Fields *f, size_t j, Column *col, const Source *src, char sep, Diags *err)
{
    char shown[DATA_ECHO_MAX + 4];
    col->is_int = true;
    for (size_t r = 1; r < f->nrows; r++) {
        size_t i = f->rows[r].first + j;
        const char *s = cell_text(f, i);
        bool is_int, overflow;
        if (!cell_number(s, &col->v[r - 1], &is_int, &overflow)) {
            Diag *e = cell_error(err, src, f, i, "'%s' is not a number in column '%s'", data_echo(s, shown, sizeof shown),
                                 col->name);
            if (decimal_comma(s) && sep == ';')
                diag_note(e, "the separator is ';', but numbers are written with a decimal point: 1.5, not 1,5");
            else
                diag_note(e, "column '%s' is numeric, as its first value is a number: every value must be one", col->name);
            return -1;
        }
        if (overflow) {
            Diag *e = cell_error(err, src, f, i, "number '%s' overflows", data_echo(s, shown, sizeof shown));
            diag_note(e, "%s", DATA_OVERFLOW_NOTE);
            return -1;
        }
        col->is_int = col->is_int && is_int;
    }
    return 0;
}

/* The levels found so far, for name_index (NameOf). */
static const char *level_text(const void *levels, int i) { return ((char *const *)levels)[i]; }

/* Column j of f's data rows as a factor: its levels sorted, codes into
** col->v.  Each cell is looked up among the distinct levels seen so far
** (a hash index), so a log of many rows and few pages costs one lookup
** per row; only the distinct levels are sorted. */
static int factor_column(const Fields *f, size_t j, Column *col)
{
    size_t n = f->nrows - 1;
    char **levels = malloc((n ? n : 1) * sizeof *levels);
    long *rank = NULL;
    NameIndex seen = {0};
    long k = 0;
    if (!levels) return -1;
    for (size_t r = 0; r < n; r++) {
        char *s = (char *)cell_text(f, f->rows[r + 1].first + j);
        int at = name_index_find(&seen, s, level_text, levels);
        if (at < 0) {
            if (k >= INT32_MAX) goto fail;
            levels[k] = s;
            if (name_index_add(&seen, (int)k, level_text, levels) != 0) goto fail;
            at = (int)k++;
        }
        col->v[r] = at;   /* order of first appearance, until sorted */
    }
    name_index_free(&seen);
    /* sort the levels, then turn each first-appearance number into a code */
    char **first_seen = malloc((size_t)(k ? k : 1) * sizeof *first_seen);
    rank = malloc((size_t)(k ? k : 1) * sizeof *rank);
    if (!first_seen || !rank) { free(first_seen); goto fail; }
    memcpy(first_seen, levels, (size_t)k * sizeof *levels);
    qsort(levels, (size_t)k, sizeof *levels, by_text);
    for (long i = 0; i < k; i++) {
        char **hit = bsearch(&first_seen[i], levels, (size_t)k, sizeof *levels, by_text);
        rank[i] = hit - levels + 1;
    }
    free(first_seen);
    for (size_t r = 0; r < n; r++) col->v[r] = (double)rank[(long)col->v[r]];
    free(rank);
    col->levels = levels;
    col->nlevels = k;
    col->is_int = true;
    return 0;
fail:
    name_index_free(&seen);
    free(levels);
    free(rank);
    return -1;
}

/* ------------------------------------------------------------ checks */

/* NUL bytes and text that is not UTF-8, at their place. */
static int check_text(const Source *src, Diags *err)
{
    const unsigned char *u = (const unsigned char *)src->text;
    for (size_t i = 0; i < src->len;) {
        if (u[i] == 0) {
            Diag *e = diag_error_in(err, DIAG_DATA, src, loc_at(src, i, 1), "the file holds a NUL byte: it is not a text file");
            diag_note(e, "a CSV data file is text: a header row, then a row per observation");
            return -1;
        }
        size_t n = utf8_length(u + i, src->len - i);
        if (n == 0) {
            Diag *e = diag_error_in(err, DIAG_DATA, src, loc_at(src, i, 1), "byte 0x%02X is not UTF-8 text", u[i]);
            diag_note(e, "save the file as UTF-8");
            return -1;
        }
        i += n;
    }
    return 0;
}

/* The header's names: none empty, none twice. */
static int check_header(const Fields *f, const Source *src, Diags *err)
{
    const Row *h = &f->rows[0];
    for (size_t j = 0; j < h->n; j++) {
        const char *name = cell_text(f, h->first + j);
        if (name[0] == '\0') {
            Diag *e = cell_error(err, src, f, h->first + j, "column %zu has no name", j + 1);
            diag_note(e, "the first row names the columns: each column's name is the data name it gives");
            return -1;
        }
        for (size_t k = 0; k < j; k++)
            if (strcmp(name, cell_text(f, h->first + k)) == 0) {
                char shown[DATA_ECHO_MAX + 4];
                Diag *e = cell_error(err, src, f, h->first + j, "duplicate column '%s'", data_echo(name, shown, sizeof shown));
                diag_related(e, src, loc_at(src, f->cells[h->first + k].at, cell_span(f, h->first + k)),
                             "column %zu has the same name", k + 1);
                return -1;
            }
    }
    return 0;
}

/* Every row as long as the header, no cell missing. */
static int check_rows(const Fields *f, const Source *src, char sep, Diags *err)
{
    size_t ncols = f->rows[0].n;
    for (size_t r = 1; r < f->nrows; r++) {
        const Row *row = &f->rows[r];
        if (row->n != ncols) {
            size_t i = row->n > ncols ? row->first + ncols : row->first;
            Diag *e = cell_error(err, src, f, i, "the row has %zu field%s; the header has %zu", row->n,
                                 row->n == 1 ? "" : "s", ncols);
            if (sep == '\t') diag_note(e, "the separator is a tab; a value holding one is quoted");
            else diag_note(e, "the separator is '%c'; a value holding it is quoted: \"a%cb\"", sep, sep);
            return -1;
        }
        for (size_t j = 0; j < ncols; j++) {
            const char *s = cell_text(f, row->first + j);
            if (missing(s)) {
                Diag *e = cell_error(err, src, f, row->first + j, "%s value in column '%s'", s[0] ? "an NA" : "no",
                                     cell_text(f, f->rows[0].first + j));
                diag_note(e, MISSING_NOTE);
                return -1;
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------- the file */

/* The columns of f into a new data set (NULL after reporting why). */
static DataSet *columns(const Fields *f, const char *name, const Source *src, char sep, Diags *err)
{
    size_t ncols = f->rows[0].n, n = f->nrows - 1;
    DataSet *out = dataset_new();
    double *v = malloc((n ? n : 1) * sizeof *v);
    bool ok = out && v;
    for (size_t j = 0; ok && j < ncols; j++) {
        Column col = { .name = cell_text(f, f->rows[0].first + j), .v = v };
        const char *first = cell_text(f, f->rows[1].first + j);
        double d;
        bool is_int, overflow;
        if (cell_number(first, &d, &is_int, &overflow) || (decimal_comma(first) && sep == ';')) {
            if (numeric_column(f, j, &col, src, sep, err) != 0) {
                dataset_free(out);
                free(v);
                return NULL;
            }
        } else if (factor_column(f, j, &col) != 0) {
            ok = false;
            break;
        }
        long dims[2] = { (long)n, 1 };
        ok = dataset_put(out, col.name, 1, dims, v, col.is_int, name) == 0 &&
             (!col.levels || dataset_set_levels(out, col.name, col.levels, col.nlevels) == 0);
        free(col.levels);
    }
    free(v);
    if (!ok) {
        diag_error_at(err, DIAG_NO_MEMORY, name, "out of memory");
        dataset_free(out);
        return NULL;
    }
    return out;
}

/* A libcsv error at f->pos: a quote where none may be, or a quote never
** closed. */
static void split_error(const Fields *f, const Source *src, int rc, Diags *err)
{
    if (rc == CSV_ENOMEM || rc == CSV_ETOOBIG) {
        diag_error_in(err, DIAG_NO_MEMORY, src, LOC_NONE, "out of memory");
        return;
    }
    Diag *e;
    if (f->pos >= f->len) {
        size_t at = f->next;
        while (at < f->len && (f->text[at] == '\n' || f->text[at] == '\r')) at++;
        e = diag_error_in(err, DIAG_DATA, src, loc_at(src, at, 1), "a quoted value is never closed");
        diag_note(e, "a value that starts with '\"' ends with '\"'; a quote inside it is written twice: \"say \"\"hi\"\"\"");
    } else {
        e = diag_error_in(err, DIAG_DATA, src, loc_at(src, f->pos, 1), "unexpected '%c' in a value", f->text[f->pos]);
        diag_note(e, "a value holding a quote is quoted, its quotes written twice: \"say \"\"hi\"\"\"");
    }
}

/* The data set of f's columns after checking its header and rows, or NULL
** after reporting what is wrong into err. */
static DataSet *read_fields(const Fields *f, const char *name, const Source *src, char sep, Diags *err)
{
    if (f->nrows == 0) {
        Diag *e = diag_error_at(err, DIAG_DATA, name, "the file is empty");
        diag_note(e, "a CSV data file has a header row naming the columns, then a row per observation");
        return NULL;
    }
    if (check_header(f, src, err) != 0) return NULL;
    if (f->nrows == 1) {
        Diag *e = diag_error_at(err, DIAG_DATA, name, "the file has a header but no rows");
        diag_note(e, "after the header row naming the columns comes a row per observation");
        return NULL;
    }
    if (f->nrows - 1 > (size_t)DATA_MAX_ELEMENTS) {
        diag_error_at(err, DIAG_LIMIT, name, "the file has %zu rows; the limit is %ld", f->nrows - 1, DATA_MAX_ELEMENTS);
        return NULL;
    }
    if (check_rows(f, src, sep, err) != 0) return NULL;
    return columns(f, name, src, sep, err);
}

int dataset_parse_csv(DataSet *ds, const char *name, const char *text, size_t len, char sep, Diags *err)
{
    if (!ds || !name || (!text && len)) {
        diag_error_at(err, DIAG_INTERNAL, NULL, "no data set or no text given");
        return -1;
    }
    if (len > (size_t)DATA_MAX_FILE_BYTES) {
        diag_error_at(err, DIAG_LIMIT, name, "data larger than %ld MiB", DATA_MAX_FILE_BYTES >> 20);
        return -1;
    }
    size_t bom = utf8_bom_length(text, len);
    Source *src = source_from_text(name, text + bom, len - bom);
    if (!src) {
        diag_error_at(err, DIAG_NO_MEMORY, name, "out of memory");
        return -1;
    }
    int rc = -1;
    Fields f;
    memset(&f, 0, sizeof f);
    if (check_text(src, err) != 0) goto done;
    if (!sep) sep = find_separator(src->text, src->len);
    /* Split in one go and read quietly; a file with anything to report is
    ** split again a byte at a time, for the places of its messages. */
    Diags quiet;
    diags_init(&quiet, NULL);
    int split_rc = split(&f, src->text, src->len, sep, 0, false);
    DataSet *cols = split_rc == 0 ? read_fields(&f, name, src, sep, &quiet) : NULL;
    diags_clear(&quiet);
    if (!cols) {
        fields_free(&f);
        split_rc = split(&f, src->text, src->len, sep, 0, true);
        if (split_rc != 0) {
            split_error(&f, src, split_rc, err);
            goto done;
        }
        if (!(cols = read_fields(&f, name, src, sep, err))) goto done;
    }
    if (dataset_take(ds, cols) != 0) {
        diag_error_at(err, DIAG_NO_MEMORY, name, "out of memory");
        goto done;
    }
    rc = 0;
done:
    fields_free(&f);
    source_free(src);
    return rc;
}
