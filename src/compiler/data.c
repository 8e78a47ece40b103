/*
** data.c -- values for a model's `data` names: CmdStan-format JSON files
** (--data), the choice of a data file's reader (CSV: data_csv.c) and -D
** name=value assignments, kept in a DataSet by name.
**
** A value is a scalar, a vector or a row-major matrix of doubles.  Unused
** dimensions are 1, so n == dims[0] * dims[1] always; v is never NULL, even
** when n is 0.  Every message starts with the place ("data.json:3:14",
** "data.json" or "-D 'N=abc'"), then "error: ", and may carry a second line
** "note: ...".  A call that fails leaves the DataSet as it was.
*/
#include "data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include "data_text.h"
#include "source.h"

#define ECHO_MAX DATA_ECHO_MAX
#define SPECIAL_NOTE "numbers may be written as strings only as \"NaN\", " \
                     "\"Inf\", \"Infinity\", \"-Inf\" or \"-Infinity\""
#define OVERFLOW_NOTE DATA_OVERFLOW_NOTE

/* Where a value comes from: the place of its messages and its origin. */
typedef struct Origin {
    const char *place;      /* "data.json" or "-D 'N=3'" */
    const char *origin;     /* copied into each value */
    bool ints_by_value;     /* jansson decoded every number as a real */
} Origin;

/* ---------------------------------------------------------------- text */

/* An error of place (a data file, "-D 'N=3'"), with note when not NULL. */
static void report(Diags *out, DiagCode code, const char *place, const char *note, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(Diags *out, DiagCode code, const char *place, const char *note, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    Diag *e = diag_error_at(out, code, place, "%s", msg);
    if (note) diag_note(e, "%s", note);
}

/* At most max bytes of s in buf (size > max + 3), then "..." when cut,
** printable on one line (source.h's utf8_printable, tabs as '?' too): any
** key, string or jansson message (which quotes the input) prints cleanly. */
static const char *printable(const char *s, size_t max, char *buf, size_t size)
{
    if (size < max + 4) return "";
    size_t n = strlen(s), taken = utf8_printable(s, n, max, buf);
    for (char *p = buf; *p; p++)
        if (*p == '\t') *p = '?';
    if (taken < n) strcat(buf, "...");
    return buf;
}

const char *data_echo(const char *s, char *buf, size_t size)
{
    return printable(s, ECHO_MAX, buf, size);
}


/* ------------------------------------------------------------- numbers */

static bool valid_name(const char *s, size_t len)
{
    if (len == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
                      (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* The strings CmdStan accepts for non-finite numbers. */
bool data_special_number(const char *s, double *d)
{
    if (strcmp(s, "NaN") == 0) *d = NAN;
    else if (strcmp(s, "Inf") == 0 || strcmp(s, "Infinity") == 0) *d = INFINITY;
    else if (strcmp(s, "-Inf") == 0 || strcmp(s, "-Infinity") == 0) *d = -INFINITY;
    else return false;
    return true;
}

/* True when the integer i survives conversion to double unchanged: an
** integer datum that does not would silently count or index wrongly. */
static bool int_exact_in_double(json_int_t i)
{
    const json_int_t two53 = (json_int_t)1 << 53;
    const double two63 = 9223372036854775808.0;
    double d = (double)i;
    if (i >= -two53 && i <= two53) return true;
    if (d >= two63) return false;       /* rounded up past the type's range */
    return (json_int_t)d == i;
}

/* One element as a number; false when it is not one (bool, null, ...). */
static bool element_number(const json_t *e, bool ints_by_value, double *d, bool *is_int)
{
    if (json_is_integer(e)) {
        json_int_t i = json_integer_value(e);
        *d = (double)i;
        *is_int = int_exact_in_double(i);
        return true;
    }
    if (json_is_real(e)) {
        *d = json_real_value(e);
        /* With every number decoded as a real, "written as an integer" can
        ** only be judged by value: integral and exactly representable. */
        *is_int = ints_by_value && fabs(*d) <= 9007199254740992.0 && *d == floor(*d);
        return true;
    }
    if (json_is_string(e) && data_special_number(json_string_value(e), d)) {
        *is_int = false;
        return true;
    }
    return false;
}

/* "true", "null", "an object", "the string "abc"": what e is, for messages. */
static const char *describe(const json_t *e, char *buf, size_t size)
{
    char tmp[ECHO_MAX + 4];
    switch (json_typeof(e)) {
    case JSON_OBJECT:  return "an object";
    case JSON_ARRAY:   return "an array";
    case JSON_TRUE:    return "true";
    case JSON_FALSE:   return "false";
    case JSON_NULL:    return "null";
    case JSON_INTEGER:
    case JSON_REAL:    return "a number";
    case JSON_STRING:
        snprintf(buf, size, "the string \"%s\"", data_echo(json_string_value(e), tmp, sizeof tmp));
        return buf;
    }
    return "a JSON value";
}

static const char *note_for(const json_t *e)
{
    if (json_is_boolean(e)) return "write 1 or 0 for true or false";
    if (json_is_string(e)) return SPECIAL_NOTE;
    return NULL;
}

/* Levels of array nesting in e; jansson bounds the recursion (2048). */
static int nesting(const json_t *e)
{
    size_t i;
    json_t *x;
    int deepest = 0;
    if (!json_is_array(e)) return 0;
    json_array_foreach(e, i, x) {
        int d = nesting(x);
        if (d > deepest) deepest = d;
    }
    return 1 + deepest;
}

/* ------------------------------------------------------------ values */

static void value_clear(DataValue *v)
{
    for (long i = 0; i < v->nlevels; i++) free(v->levels[i]);
    free(v->levels);
    free(v->name);
    free(v->v);
    free(v->origin);
    free(v->assigned);
    memset(v, 0, sizeof *v);
}

/* Reads one member into out (which it owns on success); on failure frees
** what it took and leaves a message. */
static int value_from_json(const Origin *src, const char *name, const json_t *j,
                           DataValue *out, Diags *err)
{
    char nm[ECHO_MAX + 4], what[ECHO_MAX + 32];
    long rows = 1, cols = 1;
    int ndim = 0;

    data_echo(name, nm, sizeof nm);
    memset(out, 0, sizeof *out);

    if (json_is_array(j)) {
        int depth = nesting(j);
        if (depth > 2) {
            report(err, DIAG_DATA, src->place, NULL, "variable '%s' has %d levels of nesting; bmc data are scalars, vectors or matrices", nm, depth);
            return -1;
        }
        size_t len = json_array_size(j);
        json_t *first = len > 0 ? json_array_get(j, 0) : NULL;
        if (first && json_is_array(first)) {
            size_t c = json_array_size(first);
            for (size_t i = 0; i < len; i++) {
                json_t *row = json_array_get(j, i);
                if (!json_is_array(row)) {
                    report(err, DIAG_DATA, src->place, NULL, "variable '%s' mixes numbers and arrays: row %zu is %s, row 1 is an array", nm, i + 1,
                        describe(row, what, sizeof what));
                    return -1;
                }
                if (json_array_size(row) != c) {
                    report(err, DIAG_DATA, src->place, NULL, "variable '%s' is a ragged array: row %zu has %zu elements, row 1 has %zu", nm,
                        i + 1, json_array_size(row), c);
                    return -1;
                }
            }
            ndim = 2;
            if (len > (size_t)DATA_MAX_ELEMENTS || c > (size_t)DATA_MAX_ELEMENTS ||
                (c > 0 && len > (size_t)DATA_MAX_ELEMENTS / c)) {
                report(err, DIAG_DATA, src->place, NULL, "variable '%s' has %zu x %zu elements; the limit is %ld", nm, len, c, DATA_MAX_ELEMENTS);
                return -1;
            }
            rows = (long)len;
            cols = (long)c;
        } else {
            for (size_t i = 1; i < len; i++)
                if (json_is_array(json_array_get(j, i))) {
                    report(err, DIAG_DATA, src->place, NULL, "variable '%s' mixes numbers and arrays: element %zu is an array, element 1 is not", nm, i + 1);
                    return -1;
                }
            ndim = 1;
            if (len > (size_t)DATA_MAX_ELEMENTS) {
                report(err, DIAG_DATA, src->place, NULL, "variable '%s' has %zu elements; the limit is %ld", nm, len, DATA_MAX_ELEMENTS);
                return -1;
            }
            rows = (long)len;
        }
    }

    long n = rows * cols;
    out->name = strdup(name);
    out->origin = strdup(src->origin);
    out->v = malloc((size_t)(n > 0 ? n : 1) * sizeof *out->v);
    if (!out->name || !out->origin || !out->v) {
        value_clear(out);
        report(err, DIAG_NO_MEMORY, src->place, NULL, "out of memory reading variable '%s'", nm);
        return -1;
    }
    out->ndim = ndim;
    out->dims[0] = rows;
    out->dims[1] = cols;
    out->n = n;
    out->is_int = true;

    for (long r = 0; r < rows; r++) {
        const json_t *row = ndim == 2 ? json_array_get(j, (size_t)r) : j;
        for (long c = 0; c < cols; c++) {
            const json_t *e = ndim == 0 ? j
                            : json_array_get(row, (size_t)(ndim == 2 ? c : r));
            bool is_int;
            if (!element_number(e, src->ints_by_value, &out->v[r * cols + c], &is_int)) {
                if (ndim == 0)
                    report(err, DIAG_DATA, src->place, note_for(e), "variable '%s' is %s; data must be numbers", nm, describe(e, what, sizeof what));
                else if (ndim == 1)
                    report(err, DIAG_DATA, src->place, note_for(e), "variable '%s' element %ld is %s; data must be numbers", nm, r + 1,
                           describe(e, what, sizeof what));
                else
                    report(err, DIAG_DATA, src->place, note_for(e), "variable '%s' element [%ld,%ld] is %s; data must be numbers", nm,
                           r + 1, c + 1, describe(e, what, sizeof what));
                value_clear(out);
                return -1;
            }
            out->is_int = out->is_int && is_int;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ data set */

DataSet *dataset_new(void)
{
    return calloc(1, sizeof(DataSet));
}

void dataset_free(DataSet *ds)
{
    if (!ds) return;
    for (int i = 0; i < ds->n; i++) value_clear(&ds->vals[i]);
    free(ds->vals);
    free(ds);
}

const DataValue *dataset_find(const DataSet *ds, const char *name)
{
    if (!ds || !name) return NULL;
    for (int i = 0; i < ds->n; i++)
        if (strcmp(ds->vals[i].name, name) == 0) return &ds->vals[i];
    return NULL;
}

/* Room for extra more values, so that committing them cannot fail. */
static int reserve(DataSet *ds, size_t extra)
{
    if (extra <= (size_t)(ds->cap - ds->n)) return 0;
    if (extra > (size_t)(1 << 30) - (size_t)ds->n) return -1;
    size_t want = (size_t)ds->n + extra, cap = ds->cap ? (size_t)ds->cap : 8;
    while (cap < want) cap *= 2;
    DataValue *vals = realloc(ds->vals, cap * sizeof *vals);
    if (!vals) return -1;
    ds->vals = vals;
    ds->cap = (int)cap;
    return 0;
}

/* Moves *v into ds, replacing a value of the same name; needs reserve(). */
static void put(DataSet *ds, DataValue *v)
{
    for (int i = 0; i < ds->n; i++)
        if (strcmp(ds->vals[i].name, v->name) == 0) {
            value_clear(&ds->vals[i]);
            ds->vals[i] = *v;
            return;
        }
    ds->vals[ds->n++] = *v;
}

int dataset_put(DataSet *ds, const char *name, int ndim, const long dims[2], const double *v, bool is_int,
                const char *origin)
{
    DataValue dv = { .ndim = ndim, .dims = {dims[0], dims[1]}, .is_int = is_int, .n = dims[0] * dims[1] };
    dv.name = strdup(name);
    dv.origin = strdup(origin);
    dv.v = malloc((size_t)(dv.n > 0 ? dv.n : 1) * sizeof *dv.v);
    if (!dv.name || !dv.origin || !dv.v || reserve(ds, 1) != 0) {
        value_clear(&dv);
        return -1;
    }
    if (dv.n > 0) memcpy(dv.v, v, (size_t)dv.n * sizeof *dv.v);
    put(ds, &dv);
    return 0;
}

int dataset_take(DataSet *ds, DataSet *from)
{
    if (reserve(ds, (size_t)from->n) != 0) {
        dataset_free(from);
        return -1;
    }
    for (int i = 0; i < from->n; i++) put(ds, &from->vals[i]);
    from->n = 0;
    dataset_free(from);
    return 0;
}

int dataset_set_levels(DataSet *ds, const char *name, char *const *levels, long nlevels)
{
    DataValue *v = (DataValue *)dataset_find(ds, name);
    if (!v || v->levels) return -1;
    char **copy = calloc(nlevels > 0 ? (size_t)nlevels : 1, sizeof *copy);
    if (!copy) return -1;
    for (long i = 0; i < nlevels; i++)
        if (!(copy[i] = strdup(levels[i]))) {
            while (i-- > 0) free(copy[i]);
            free(copy);
            return -1;
        }
    v->levels = copy;
    v->nlevels = nlevels;
    return 0;
}

/* ------------------------------------------------------ separators */

char dataset_csv_separator(const char *text)
{
    if (strcmp(text, ",") == 0 || strcmp(text, ";") == 0 || strcmp(text, "\t") == 0) return text[0];
    if (strcmp(text, "\\t") == 0 || strcasecmp(text, "tab") == 0) return '\t';
    return 0;
}

/* --------------------------------------------------------------- JSON */

static json_t *parse_document(const char *buf, size_t len, bool *ints_by_value,
                              json_error_t *je)
{
    const size_t flags = JSON_REJECT_DUPLICATES | JSON_DECODE_ANY;
    json_t *root = json_loadb(buf, len, flags, je);
    *ints_by_value = false;
    if (!root && json_error_code(je) == json_error_numeric_overflow &&
        strncmp(je->text, "too big", 7) == 0) {
        /* jansson holds integers in long long; a larger one can still be
        ** read as a double, but only by decoding every number as a real. */
        root = json_loadb(buf, len, flags | JSON_DECODE_INT_AS_REAL, je);
        *ints_by_value = root != NULL;
    }
    return root;
}

/* The source text jansson quotes after "near '...'", or NULL. */
static const char *near_token(const char *text, size_t *len)
{
    const char *p = strstr(text, " near '");
    size_t n;
    if (!p) return NULL;
    p += 7;
    n = strlen(p);
    if (n == 0 || p[n - 1] != '\'') return NULL;
    *len = n - 1;
    return p;
}

/* jansson's column is that of the token's last character; a compiler
** points at its first, so step back over the token (counted in UTF-8
** characters, as jansson counts columns). */
static int token_start_column(const json_error_t *je)
{
    size_t len, chars = 0;
    const char *tok = near_token(je->text, &len);
    if (!tok) return je->column;
    for (size_t i = 0; i < len; i++) {
        if (tok[i] == '\n') return je->column;
        if (((unsigned char)tok[i] & 0xC0) != 0x80) chars++;
    }
    if (chars == 0 || (size_t)je->column < chars) return je->column;
    return je->column - (int)chars + 1;
}

/* jansson's error for a number beyond the range of doubles, in the words
** of both readers, the file's and -D's: into msg; false for another error. */
static bool overflow_message(const json_error_t *je, char *msg, size_t size)
{
    if (json_error_code(je) != json_error_numeric_overflow) return false;
    char num[JSON_ERROR_TEXT_LENGTH], buf[ECHO_MAX + 4];
    size_t len;
    const char *tok = near_token(je->text, &len);
    snprintf(num, sizeof num, "%.*s", tok ? (int)len : 0, tok ? tok : "");
    if (num[0]) snprintf(msg, size, "number '%s' overflows", data_echo(num, buf, sizeof buf));
    else snprintf(msg, size, "a number overflows");   /* jansson quotes no long one */
    return true;
}

static bool is_bare_special(const char *tok, size_t len)
{
    static const char *const words[] = {
        "nan", "inf", "infinity", "-nan", "-inf", "-infinity", "+inf", "+infinity"
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == len && strncasecmp(tok, words[i], len) == 0) return true;
    return false;
}

/* A syntax error from jansson, at its line:column of the text (shown with
** a caret) when it has them. */
static void syntax_error(const char *place, const char *buf, size_t buflen, const json_error_t *je, Diags *err)
{
    char key[ECHO_MAX + 4], keybuf[ECHO_MAX + 4];
    char text[JSON_ERROR_TEXT_LENGTH + 4];
    size_t len;
    const char *tok = near_token(je->text, &len);
    const char *note = NULL;
    char msg[JSON_ERROR_TEXT_LENGTH + 2 * ECHO_MAX + 64];

    printable(je->text, JSON_ERROR_TEXT_LENGTH, text, sizeof text);
    if (json_error_code(je) == json_error_duplicate_key && tok) {
        /* the token is the key as written, quotes included */
        if (len >= 2 && tok[0] == '"' && tok[len - 1] == '"') { tok++; len -= 2; }
        if (len > ECHO_MAX) len = ECHO_MAX;
        memcpy(keybuf, tok, len);
        keybuf[len] = '\0';
        snprintf(msg, sizeof msg, "duplicate variable '%s'", data_echo(keybuf, key, sizeof key));
        note = "a name may appear only once in a data file";
    } else if (overflow_message(je, msg, sizeof msg)) {
        note = OVERFLOW_NOTE;
    } else {
        snprintf(msg, sizeof msg, "invalid JSON: %s", text);
        if (tok && is_bare_special(tok, len))
            note = "JSON has no bare NaN or Infinity; write them as strings, \"NaN\", \"Inf\", \"-Inf\"";
    }
    Source *src = je->line > 0 ? source_from_text(place, buf, buflen) : NULL;
    Diag *e;
    if (src) {
        /* no column (the text ended): the line alone, no caret */
        int col = je->column > 0 ? token_start_column(je) : 0;
        Loc loc = { je->line, col, je->line, col > 0 ? col + 1 : 0 };
        e = diag_error_in(err, DIAG_DATA, src, loc, "%s", msg);
    } else {
        e = diag_error_at(err, DIAG_DATA, place, "%s", msg);
    }
    if (note) diag_note(e, "%s", note);
    source_free(src);
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
    return true;
}

int dataset_parse_json(DataSet *ds, const char *path, const char *buf, size_t len, Diags *err)
{
    char what[ECHO_MAX + 32];
    json_error_t je;
    Origin src = { path, path, false };

    if (!ds || !path || (!buf && len)) {
        report(err, DIAG_INTERNAL, NULL, NULL, "no data set or no text given");
        return -1;
    }
    if (len > (size_t)DATA_MAX_FILE_BYTES) {
        report(err, DIAG_DATA, path, NULL, "data larger than %ld MiB", DATA_MAX_FILE_BYTES >> 20);
        return -1;
    }
    size_t skip = utf8_bom_length(buf, len);   /* jansson rejects it */
    if (blank(buf + skip, len - skip)) {
        report(err, DIAG_DATA, path, "data are a JSON object such as {\"N\": 3, \"y\": [1, 2, 3]}", "the file is empty");
        return -1;
    }
    json_t *root = parse_document(buf + skip, len - skip, &src.ints_by_value, &je);
    if (!root) {
        syntax_error(path, buf + skip, len - skip, &je, err);
        return -1;
    }
    if (!json_is_object(root)) {
        report(err, DIAG_DATA, path, "for example {\"N\": 3, \"y\": [1, 2, 3]}", "the top level is %s; data must be a JSON object of named values", describe(root, what, sizeof what));
        json_decref(root);
        return -1;
    }

    /* Read every member before touching ds, so a failure changes nothing. */
    size_t count = json_object_size(root), k = 0;
    DataValue *tmp = calloc(count ? count : 1, sizeof *tmp);
    const char *key;
    json_t *member;
    int rc = 0;
    if (!tmp) {
        report(err, DIAG_NO_MEMORY, path, NULL, "out of memory");
        rc = -1;
    } else {
        json_object_foreach(root, key, member) {
            if (value_from_json(&src, key, member, &tmp[k], err) != 0) {
                rc = -1;
                break;
            }
            k++;
        }
        if (rc == 0 && reserve(ds, k) != 0) {
            report(err, DIAG_NO_MEMORY, path, NULL, "out of memory");
            rc = -1;
        }
        for (size_t i = 0; i < k; i++) {
            if (rc == 0) put(ds, &tmp[i]);
            else value_clear(&tmp[i]);
        }
        free(tmp);
    }
    json_decref(root);
    return rc;
}

/* ----------------------------------------------------------------- -D */

static const char *trim(const char *s, const char *end, const char **trimmed_end)
{
    while (s < end && (*s == ' ' || *s == '\t')) s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *trimmed_end = end;
    return s;
}

int dataset_parse_assign(DataSet *ds, const char *text, const char *how, Diags *err)
{
    char shown[ECHO_MAX + 4], place[ECHO_MAX + 16], nm[ECHO_MAX + 4], val[ECHO_MAX + 4];
    char jtext[JSON_ERROR_TEXT_LENGTH + 4];
    char *name = NULL, *value = NULL;
    json_error_t je;
    json_t *j = NULL;
    DataValue dv;
    int rc = -1;

    if (!ds || !text) {
        report(err, DIAG_INTERNAL, NULL, NULL, "no data set or no text given");
        return -1;
    }
    if (!how) how = "-D";
    snprintf(place, sizeof place, "%s '%s'", how, data_echo(text, shown, sizeof shown));

    const char *eq = strchr(text, '='), *name_end, *value_end;
    if (!eq) {
        char note[128];
        snprintf(note, sizeof note, "for example %s N=10 or %s 'y=[1, 2, 3]'", how, how);
        report(err, DIAG_DATA, place, note, "expected name=value");
        return -1;
    }
    const char *name_start = trim(text, eq, &name_end);
    const char *value_start = trim(eq + 1, eq + 1 + strlen(eq + 1), &value_end);
    size_t name_len = (size_t)(name_end - name_start);
    size_t value_len = (size_t)(value_end - value_start);

    if (name_len == 0) {
        report(err, DIAG_DATA, place, NULL, "expected name=value: the name is missing");
        return -1;
    }
    name = strndup(name_start, name_len);
    value = strndup(value_start, value_len);
    if (!name || !value) {
        report(err, DIAG_NO_MEMORY, place, NULL, "out of memory");
        goto done;
    }
    data_echo(name, nm, sizeof nm);
    data_echo(value, val, sizeof val);
    if (!valid_name(name, name_len)) {
        report(err, DIAG_DATA, place, "names are letters, digits and '_', and do not start with a digit", "'%s' is not a valid name", nm);
        goto done;
    }
    if (value_len == 0) {
        report(err, DIAG_DATA, place, NULL, "expected name=value: the value is missing");
        goto done;
    }

    Origin src = { place, how, false };
    double special;
    if (data_special_number(value, &special)) {
        /* as in a file, where these words are strings */
        j = json_string(value);
        if (!j) {
            report(err, DIAG_NO_MEMORY, place, NULL, "out of memory");
            goto done;
        }
    } else if (!(j = parse_document(value, value_len, &src.ints_by_value, &je))) {
        char msg[2 * ECHO_MAX + 32];
        if (overflow_message(&je, msg, sizeof msg))
            report(err, DIAG_DATA, place, OVERFLOW_NOTE, "%s", msg);
        else if (value[0] == '[')
            report(err, DIAG_DATA, place, NULL, "invalid array: %s",
                printable(je.text, JSON_ERROR_TEXT_LENGTH, jtext, sizeof jtext));
        else {
            char note[160];
            snprintf(note, sizeof note, "for example %s N=10, %s 'y=[1, 2, 3]' or %s 'X=[[1, 2], [3, 4]]'", how, how, how);
            report(err, DIAG_DATA, place, note, "'%s' is not a number or an array", val);
        }
        goto done;
    }
    if (value_from_json(&src, name, j, &dv, err) != 0) goto done;
    if (!(dv.assigned = strdup(place)) || reserve(ds, 1) != 0) {
        value_clear(&dv);
        report(err, DIAG_NO_MEMORY, place, NULL, "out of memory");
        goto done;
    }
    put(ds, &dv);
    rc = 0;
done:
    json_decref(j);
    free(name);
    free(value);
    return rc;
}

/* ------------------------------------------------------------ writing */

/* One element as data_special_number and element_number read it back. */
static json_t *element_json(double d, bool is_int)
{
    if (isnan(d)) return json_string("NaN");
    if (isinf(d)) return json_string(d > 0 ? "Inf" : "-Inf");
    if (is_int && fabs(d) <= 9007199254740992.0) return json_integer((json_int_t)d);
    return json_real(d);
}

static json_t *value_json(const DataValue *v)
{
    if (v->ndim == 0) return element_json(v->v[0], v->is_int);
    long rows = v->dims[0], cols = v->ndim == 2 ? v->dims[1] : 1;
    json_t *all = json_array();
    bool ok = all != NULL;
    for (long r = 0; ok && r < rows; r++) {
        json_t *row = v->ndim == 2 ? json_array() : all;
        ok = row != NULL;
        for (long c = 0; ok && c < cols; c++)   /* the _new calls take the element, even when they fail */
            ok = json_array_append_new(row, element_json(v->v[r * cols + c], v->is_int)) == 0;
        if (v->ndim == 2 && row) {
            if (ok) ok = json_array_append_new(all, row) == 0;
            else json_decref(row);
        }
    }
    if (!ok) {
        json_decref(all);
        return NULL;
    }
    return all;
}

int dataset_write_json(const DataSet *ds, FILE *f)
{
    json_t *obj = json_object();
    for (int i = 0; obj && i < ds->n; i++) {
        json_t *v = value_json(&ds->vals[i]);
        if (!v || json_object_set_new(obj, ds->vals[i].name, v) != 0) {
            json_decref(obj);
            obj = NULL;
        }
    }
    if (!obj) {
        errno = ENOMEM;
        return -1;
    }
    int rc = json_dumpf(obj, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(obj);
    if (rc == 0 && fputc('\n', f) == EOF) rc = -1;
    return rc == 0 ? 0 : -1;
}
