/*
** test_data.c -- reading data values: CmdStan JSON and CSV files, -D name=value,
** replacement by name, and the message for every kind of bad data.
**
** Expected numbers are the decimal literals written in the inputs, read back
** by the C compiler; positions (line:column) were counted by hand in the
** corpus files under tests/data-errors/, which the tests read from the
** repository root.
*/
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data.h"
#include "source.h"
#include "testutil.h"

#define CORPUS "tests/data-errors/"

static char tmpdir[64];

static int make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/bmc-test-data-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[512];
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(tmpdir);
}

/* Writes text to tmpdir/name; the path goes to path. */
static void write_temp(const char *name, const char *text, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_FATAL(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* Reads text as a data file into a new data set (caller frees). */
static DataSet *read_text(const char *text, char *err, size_t errlen, int *rc)
{
    char path[256];
    DataSet *ds = dataset_new();
    CU_ASSERT_FATAL(ds != NULL);
    write_temp("d.json", text, path, sizeof path);
    *rc = test_read_json(ds, path, err, errlen);
    return ds;
}

#define ASSERT_HAS(msg, part) do { \
    int has_ = strstr((msg), (part)) != NULL; \
    if (!has_) fprintf(stderr, "\n  %s:%d: message \"%s\" lacks \"%s\"\n", \
                       __FILE__, __LINE__, (msg), (part)); \
    CU_ASSERT(has_); \
} while (0)

#define ASSERT_STARTS(msg, prefix) do { \
    int ok_ = strncmp((msg), (prefix), strlen(prefix)) == 0; \
    if (!ok_) fprintf(stderr, "\n  %s:%d: message \"%s\" does not start with \"%s\"\n", \
                      __FILE__, __LINE__, (msg), (prefix)); \
    CU_ASSERT(ok_); \
} while (0)

/* ------------------------------------------------------------ files */

static void test_scalars(void)
{
    char err[512] = "";
    int rc;
    DataSet *ds = read_text("{\"N\": 10, \"mu\": -2.5e3, \"z\": 3.0, \"neg\": -7}",
                            err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(ds->n, 4);

    const DataValue *n = dataset_find(ds, "N");
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    CU_ASSERT_EQUAL(n->ndim, 0);
    CU_ASSERT_EQUAL(n->n, 1);
    CU_ASSERT_EQUAL(n->dims[0], 1);
    CU_ASSERT_EQUAL(n->dims[1], 1);
    CU_ASSERT(n->is_int);
    CU_ASSERT_EQUAL(n->v[0], 10.0);
    CU_ASSERT_STRING_EQUAL(n->name, "N");
    ASSERT_HAS(n->origin, "d.json");

    const DataValue *mu = dataset_find(ds, "mu");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mu);
    CU_ASSERT_FALSE(mu->is_int);
    CU_ASSERT_EQUAL(mu->v[0], -2500.0);

    /* 3.0 is written as a real, so it is not an integer datum */
    const DataValue *z = dataset_find(ds, "z");
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    CU_ASSERT_FALSE(z->is_int);
    CU_ASSERT_EQUAL(z->v[0], 3.0);

    const DataValue *neg = dataset_find(ds, "neg");
    CU_ASSERT_PTR_NOT_NULL_FATAL(neg);
    CU_ASSERT(neg->is_int);
    CU_ASSERT_EQUAL(neg->v[0], -7.0);
    dataset_free(ds);
}

static void test_vectors_and_matrices(void)
{
    char err[512] = "";
    int rc;
    DataSet *ds = read_text(
        "{\n"
        "  \"y\": [1, 2, 3],\n"
        "  \"w\": [1, 2.5],\n"
        "  \"X\": [[1, 2, 3], [4, 5, 6]],\n"
        "  \"e\": [],\n"
        "  \"E\": [[], []]\n"
        "}\n", err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);

    const DataValue *y = dataset_find(ds, "y");
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    CU_ASSERT_EQUAL(y->ndim, 1);
    CU_ASSERT_EQUAL(y->dims[0], 3);
    CU_ASSERT_EQUAL(y->n, 3);
    CU_ASSERT(y->is_int);
    CU_ASSERT_EQUAL(y->v[0], 1.0);
    CU_ASSERT_EQUAL(y->v[2], 3.0);

    /* one real element makes the whole vector real */
    const DataValue *w = dataset_find(ds, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_FALSE(w->is_int);
    CU_ASSERT_EQUAL(w->v[1], 2.5);

    const DataValue *X = dataset_find(ds, "X");
    CU_ASSERT_PTR_NOT_NULL_FATAL(X);
    CU_ASSERT_EQUAL(X->ndim, 2);
    CU_ASSERT_EQUAL(X->dims[0], 2);
    CU_ASSERT_EQUAL(X->dims[1], 3);
    CU_ASSERT_EQUAL(X->n, 6);
    CU_ASSERT(X->is_int);
    for (int i = 0; i < 6; i++) CU_ASSERT_EQUAL(X->v[i], (double)(i + 1));  /* row-major */

    const DataValue *e = dataset_find(ds, "e");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->ndim, 1);
    CU_ASSERT_EQUAL(e->dims[0], 0);
    CU_ASSERT_EQUAL(e->n, 0);
    CU_ASSERT_PTR_NOT_NULL(e->v);

    const DataValue *E = dataset_find(ds, "E");
    CU_ASSERT_PTR_NOT_NULL_FATAL(E);
    CU_ASSERT_EQUAL(E->ndim, 2);
    CU_ASSERT_EQUAL(E->dims[0], 2);
    CU_ASSERT_EQUAL(E->dims[1], 0);
    CU_ASSERT_EQUAL(E->n, 0);
    dataset_free(ds);
}

static void test_special_strings(void)
{
    char err[512] = "";
    int rc;
    DataSet *ds = read_text(
        "{\"a\": \"NaN\", \"b\": [\"Inf\", \"-Inf\", \"Infinity\", \"-Infinity\", 1],"
        " \"M\": [[1, \"NaN\"], [2, 3]]}", err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const DataValue *a = dataset_find(ds, "a"), *b = dataset_find(ds, "b");
    const DataValue *M = dataset_find(ds, "M");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(M);
    CU_ASSERT(isnan(a->v[0]));
    CU_ASSERT_FALSE(a->is_int);
    CU_ASSERT_EQUAL(b->n, 5);
    CU_ASSERT(isinf(b->v[0]) && b->v[0] > 0);
    CU_ASSERT(isinf(b->v[1]) && b->v[1] < 0);
    CU_ASSERT(isinf(b->v[2]) && b->v[2] > 0);
    CU_ASSERT(isinf(b->v[3]) && b->v[3] < 0);
    CU_ASSERT_EQUAL(b->v[4], 1.0);
    CU_ASSERT_FALSE(b->is_int);
    CU_ASSERT(isnan(M->v[1]));
    CU_ASSERT_EQUAL(M->v[3], 3.0);
    CU_ASSERT_FALSE(M->is_int);
    dataset_free(ds);
}

static void test_big_integers(void)
{
    char err[512] = "";
    int rc;
    /* 2^53 = 9007199254740992 and 2^62 = 4611686018427387904 are exact in a
    ** double; 2^53 + 1 is not (it rounds to 2^53, ties to even), nor is
    ** 2^63 - 1 (it rounds to 2^63, outside long long); -2^63 is exact. */
    DataSet *ds = read_text(
        "{\"a\": 9007199254740992, \"b\": 9007199254740993,"
        " \"c\": 4611686018427387904, \"d\": 9223372036854775807,"
        " \"e\": -9223372036854775808, \"v\": [1, 9007199254740993]}",
        err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const DataValue *a = dataset_find(ds, "a"), *b = dataset_find(ds, "b");
    const DataValue *c = dataset_find(ds, "c"), *d = dataset_find(ds, "d");
    const DataValue *e = dataset_find(ds, "e"), *v = dataset_find(ds, "v");
    CU_ASSERT_FATAL(a && b && c && d && e && v);
    CU_ASSERT(a->is_int);
    CU_ASSERT_EQUAL(a->v[0], 9007199254740992.0);
    CU_ASSERT_FALSE(b->is_int);
    CU_ASSERT_EQUAL(b->v[0], 9007199254740992.0);
    CU_ASSERT(c->is_int);
    CU_ASSERT_EQUAL(c->v[0], 4611686018427387904.0);
    CU_ASSERT_FALSE(d->is_int);
    CU_ASSERT_EQUAL(d->v[0], 9223372036854775808.0);
    CU_ASSERT(e->is_int);
    CU_ASSERT_EQUAL(e->v[0], -9223372036854775808.0);
    CU_ASSERT_FALSE(v->is_int);
    dataset_free(ds);

    /* Beyond long long the value is kept as the nearest double, here the
    ** compiler's reading of the same literal; other members keep their
    ** kinds as written. */
    ds = read_text("{\"big\": 123456789012345678901234567890, \"N\": 3, \"x\": 2.5,"
                   " \"y\": [1, 2]}", err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const DataValue *big = dataset_find(ds, "big"), *N = dataset_find(ds, "N");
    const DataValue *x = dataset_find(ds, "x"), *y = dataset_find(ds, "y");
    CU_ASSERT_FATAL(big && N && x && y);
    CU_ASSERT_EQUAL(big->v[0], 123456789012345678901234567890.0);
    CU_ASSERT_FALSE(big->is_int);
    CU_ASSERT(N->is_int);
    CU_ASSERT_EQUAL(N->v[0], 3.0);
    CU_ASSERT_FALSE(x->is_int);
    CU_ASSERT(y->is_int);
    dataset_free(ds);
}

static void test_order_and_lookup(void)
{
    char err[512] = "";
    int rc;
    DataSet *ds = read_text("{\"z\": 1, \"a\": [2, 3], \"m\": 4.5, \"unused_x\": 0, \"{}\": 1}",
                            err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(ds->n, 5);
    CU_ASSERT_EQUAL(dataset_find(ds, "m")->v[0], 4.5);
    CU_ASSERT_EQUAL(dataset_find(ds, "z")->v[0], 1.0);
    CU_ASSERT_EQUAL(dataset_find(ds, "a")->v[1], 3.0);
    CU_ASSERT_PTR_NULL(dataset_find(ds, "Z"));      /* exact names only */
    CU_ASSERT_PTR_NULL(dataset_find(ds, "a "));
    CU_ASSERT_PTR_NULL(dataset_find(ds, "missing"));
    CU_ASSERT_PTR_NULL(dataset_find(NULL, "z"));
    dataset_free(ds);

    /* an empty object is valid data: nothing to add */
    ds = read_text("{}", err, sizeof err, &rc);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(ds->n, 0);
    dataset_free(ds);

    /* a byte order mark is skipped */
    ds = read_text("\xEF\xBB\xBF{\"k\": 2}", err, sizeof err, &rc);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(dataset_find(ds, "k"));
    dataset_free(ds);
}

static void test_later_replaces_earlier(void)
{
    char err[512] = "", p1[256], p2[256];
    DataSet *ds = dataset_new();
    write_temp("first.json", "{\"N\": 1, \"y\": [1, 2]}", p1, sizeof p1);
    write_temp("second.json", "{\"N\": 5.5, \"K\": 2}", p2, sizeof p2);
    CU_ASSERT_EQUAL_FATAL(test_read_json(ds, p1, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(test_read_json(ds, p2, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ds->n, 3);

    const DataValue *N = dataset_find(ds, "N");
    CU_ASSERT_EQUAL(N->v[0], 5.5);
    CU_ASSERT_FALSE(N->is_int);
    CU_ASSERT_STRING_EQUAL(N->origin, p2);
    CU_ASSERT_STRING_EQUAL(dataset_find(ds, "y")->origin, p1);

    /* -D after --data overrides, shape and all */
    CU_ASSERT_EQUAL_FATAL(test_parse_assign(ds, "N=7", err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(test_parse_assign(ds, "y=[[1, 2], [3, 4]]", err, sizeof err), 0);
    CU_ASSERT_EQUAL(ds->n, 3);
    N = dataset_find(ds, "N");
    CU_ASSERT_EQUAL(N->v[0], 7.0);
    CU_ASSERT(N->is_int);
    CU_ASSERT_STRING_EQUAL(N->origin, "-D");
    const DataValue *y = dataset_find(ds, "y");
    CU_ASSERT_EQUAL(y->ndim, 2);
    CU_ASSERT_EQUAL(y->n, 4);
    CU_ASSERT_EQUAL(y->v[3], 4.0);
    dataset_free(ds);
    dataset_free(NULL);
}

/* ----------------------------------------------------- -D assignments */

static void test_assign_forms(void)
{
    char err[512] = "";
    DataSet *ds = dataset_new();
    CU_ASSERT_EQUAL(test_parse_assign(ds, "N=3", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "mu=-2.5e3", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "y=[1,2,3]", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "X=[[1,2],[3,4.5]]", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "s=NaN", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "t=-Inf", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "e=[]", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "_k2 = 4", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "u=[1, \"Inf\"]", err, sizeof err), 0);
    CU_ASSERT_EQUAL(ds->n, 9);

    const DataValue *v = dataset_find(ds, "N");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(v->is_int && v->ndim == 0 && v->v[0] == 3.0);
    CU_ASSERT_STRING_EQUAL(v->origin, "-D");
    v = dataset_find(ds, "mu");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(!v->is_int && v->v[0] == -2500.0);
    v = dataset_find(ds, "y");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(v->is_int && v->ndim == 1 && v->n == 3 && v->v[2] == 3.0);
    v = dataset_find(ds, "X");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(!v->is_int && v->ndim == 2 && v->dims[0] == 2 && v->dims[1] == 2);
    CU_ASSERT_EQUAL(v->v[2], 3.0);
    CU_ASSERT_EQUAL(v->v[3], 4.5);
    v = dataset_find(ds, "s");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(isnan(v->v[0]) && !v->is_int);
    v = dataset_find(ds, "t");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(isinf(v->v[0]) && v->v[0] < 0 && !v->is_int);
    v = dataset_find(ds, "e");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(v->ndim == 1 && v->n == 0);
    v = dataset_find(ds, "_k2");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT_EQUAL(v->v[0], 4.0);
    v = dataset_find(ds, "u");
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(isinf(v->v[1]) && !v->is_int);
    dataset_free(ds);
}

typedef struct BadAssign {
    const char *text;
    const char *parts[3];    /* substrings the message must hold */
} BadAssign;

static void test_assign_errors(void)
{
    static const BadAssign cases[] = {
        { "N=abc",          { "-D 'N=abc': error: ", "'abc' is not a number or an array" } },
        { "N",              { "-D 'N': error: ", "expected name=value" } },
        { "=3",             { "-D '=3': error: ", "expected name=value", "name is missing" } },
        { "N=",             { "-D 'N=': error: ", "value is missing" } },
        { "1x=3",           { "-D '1x=3': error: ", "'1x' is not a valid name" } },
        { "a-b=3",          { "'a-b' is not a valid name" } },
        { "N=3 4",          { "'3 4' is not a number or an array" } },
        { "N=0x10",         { "'0x10' is not a number or an array" } },
        { "y=[1,2",         { "-D 'y=[1,2': error: ", "invalid array" } },
        { "X=[[1],[1,2]]",  { "variable 'X' is a ragged array: row 2 has 2 elements, row 1 has 1" } },
        { "n=true",         { "-D 'n=true': error: ", "variable 'n' is true; data must be numbers" } },
        { "X=[[[1]]]",      { "variable 'X' has 3 levels of nesting" } },
        { "p={\"a\":1}",    { "variable 'p' is an object" } },
        { "s=\"abc\"",      { "variable 's' is the string \"abc\"", "note: " } },
        { "y=[1,null]",     { "variable 'y' element 2 is null" } },
        /* beyond the doubles (about 1.8e308): as a file says it */
        { "N=1e400",        { "-D 'N=1e400': error: number '1e400' overflows", "note: ", "\"Inf\"" } },
        { "y=[1,-2e308]",   { "-D 'y=[1,-2e308]': error: number '-2e308' overflows", "\"Inf\"" } },
    };
    char err[512];
    DataSet *ds = dataset_new();
    CU_ASSERT_EQUAL_FATAL(test_parse_assign(ds, "N=1", err, sizeof err), 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        err[0] = '\0';
        CU_ASSERT_EQUAL(test_parse_assign(ds, cases[i].text, err, sizeof err), -1);
        for (int k = 0; k < 3 && cases[i].parts[k]; k++) ASSERT_HAS(err, cases[i].parts[k]);
        /* a failed assignment changes nothing */
        CU_ASSERT_EQUAL(ds->n, 1);
        CU_ASSERT_EQUAL(dataset_find(ds, "N")->v[0], 1.0);
    }
    dataset_free(ds);
}

static void test_assign_long_text_is_abbreviated(void)
{
    char text[4096], err[512];
    DataSet *ds = dataset_new();
    strcpy(text, "y=[");
    for (int i = 0; i < 500; i++) strcat(text, "1,");
    strcat(text, "true]");
    CU_ASSERT_EQUAL(test_parse_assign(ds, text, err, sizeof err), -1);
    ASSERT_STARTS(err, "-D 'y=[1,1,");
    ASSERT_HAS(err, "...': error: ");
    ASSERT_HAS(err, "variable 'y' element 501 is true");
    CU_ASSERT(strlen(err) < 300);
    dataset_free(ds);
}

/* -------------------------------------------------- bad files (corpus) */

typedef struct BadFile {
    const char *file;        /* under tests/data-errors/ */
    const char *where;       /* what the message starts with */
    const char *parts[3];    /* and substrings it must hold */
} BadFile;

/* Reads each bad file of cases (JSON or CSV) into a set holding N = 1: it
** fails with a message that starts with its place and holds its parts, in
** one line or a few, with no raw byte from the file (the bad-UTF-8 files
** hold a lone 0xe9, which a message quotes in hex), and the set is left as
** it was (boolean.json has N = 10). */
static void check_corpus(const BadFile *cases, size_t n)
{
    char err[1024];
    DataSet *ds = dataset_new();
    CU_ASSERT_EQUAL_FATAL(test_parse_assign(ds, "N=1", err, sizeof err), 0);
    for (size_t i = 0; i < n; i++) {
        char path[256];
        snprintf(path, sizeof path, CORPUS "%s", cases[i].file);
        err[0] = '\0';
        CU_ASSERT_EQUAL(test_read_file(ds, path, 0, err, sizeof err), -1);
        ASSERT_STARTS(err, cases[i].where);
        for (int k = 0; k < 3 && cases[i].parts[k]; k++) ASSERT_HAS(err, cases[i].parts[k]);
        for (const char *c = err; *c; c++) CU_ASSERT(*c == '\n' || (unsigned char)*c >= 0x20);
        CU_ASSERT_PTR_NULL(strchr(err, '\xe9'));
        CU_ASSERT_EQUAL(ds->n, 1);
        CU_ASSERT_EQUAL(dataset_find(ds, "N")->v[0], 1.0);
    }
    dataset_free(ds);
}

static void test_corpus(void)
{
    static const BadFile cases[] = {
        /* line 3 is `  "y": [1, 2, 3,]`: the ']' after the comma is column 17 */
        { "syntax.json", CORPUS "syntax.json:3:17: error: ", { "invalid JSON" } },
        /* the second "y" key opens line 4 at column 3 */
        { "duplicate.json", CORPUS "duplicate.json:4:3: error: ",
          { "duplicate variable 'y'", "\nnote: " } },
        /* line 3 is `  "x": NaN`: NaN starts at column 8 */
        { "bare-nan.json", CORPUS "bare-nan.json:3:8: error: ",
          { "invalid JSON", "NaN", "\nnote: " } },
        /* line 2 is `  "sigma": 1e400`: the number starts at column 12 */
        { "overflow.json", CORPUS "overflow.json:2:12: error: ",
          { "number '1e400' overflows", "1.8e308", "\"Inf\"" } },
        { "truncated.json", CORPUS "truncated.json:", { ": error: invalid JSON", "end of file" } },
        { "bad-utf8.json", CORPUS "bad-utf8.json:", { ": error: invalid JSON", "0xe9" } },
        { "boolean.json", CORPUS "boolean.json: error: ",
          { "variable 'n' is true; data must be numbers", "\nnote: " } },
        { "null.json", CORPUS "null.json: error: ", { "variable 'y' element 2 is null" } },
        { "object.json", CORPUS "object.json: error: ", { "variable 'p' is an object" } },
        { "string.json", CORPUS "string.json: error: ",
          { "variable 'y' element 3 is the string \"three\"", "\"NaN\"" } },
        { "nesting.json", CORPUS "nesting.json: error: ",
          { "variable 'X' has 3 levels of nesting; bmc data are scalars, vectors or matrices" } },
        { "ragged.json", CORPUS "ragged.json: error: ",
          { "variable 'y' is a ragged array: row 2 has 3 elements, row 1 has 4" } },
        { "mixed.json", CORPUS "mixed.json: error: ",
          { "variable 'y' mixes numbers and arrays", "element 2 is an array" } },
        { "mixed-rows.json", CORPUS "mixed-rows.json: error: ",
          { "variable 'X' mixes numbers and arrays", "row 2 is a number" } },
        { "matrix-element.json", CORPUS "matrix-element.json: error: ",
          { "variable 'X' element [2,2] is false" } },
        { "top-array.json", CORPUS "top-array.json: error: ",
          { "top level is an array", "JSON object" } },
        { "top-number.json", CORPUS "top-number.json: error: ", { "top level is a number" } },
        { "empty.json", CORPUS "empty.json: error: ", { "empty" } },
    };
    check_corpus(cases, sizeof cases / sizeof *cases);
}

static void test_file_errors(void)
{
    char err[512], path[256], want[600];
    DataSet *ds = dataset_new();

    snprintf(path, sizeof path, "%s/no-such.json", tmpdir);
    CU_ASSERT_EQUAL(test_read_json(ds, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: error: cannot open: No such file or directory", path);
    CU_ASSERT_STRING_EQUAL(err, want);

    CU_ASSERT_EQUAL(test_read_json(ds, tmpdir, err, sizeof err), -1);
    ASSERT_HAS(err, "is a directory");

    /* A sparse file one byte over the limit: refused by its size, unread. */
    snprintf(path, sizeof path, "%s/huge.json", tmpdir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(ftruncate(fd, DATA_MAX_FILE_BYTES + 1) == 0);
    close(fd);
    CU_ASSERT_EQUAL(test_read_json(ds, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: error: is larger than 256 MiB", path);
    CU_ASSERT_STRING_EQUAL(err, want);
    unlink(path);

    /* whitespace only counts as empty */
    write_temp("blank.json", " \n\t\n", path, sizeof path);
    CU_ASSERT_EQUAL(test_read_json(ds, path, err, sizeof err), -1);
    ASSERT_HAS(err, "the file is empty");

    /* a good member before a bad one is not kept */
    write_temp("half.json", "{\"a\": 1, \"b\": [1, false]}", path, sizeof path);
    CU_ASSERT_EQUAL(test_read_json(ds, path, err, sizeof err), -1);
    ASSERT_HAS(err, "variable 'b' element 2 is false");
    CU_ASSERT_EQUAL(ds->n, 0);
    CU_ASSERT_PTR_NULL(dataset_find(ds, "a"));

    /* no room for a message is not a crash */
    CU_ASSERT_EQUAL(test_read_json(ds, path, NULL, 0), -1);
    CU_ASSERT_EQUAL(test_read_json(ds, path, err, 8), -1);
    CU_ASSERT_EQUAL(strlen(err), 7u);
    CU_ASSERT_EQUAL(test_read_json(NULL, path, err, sizeof err), -1);
    CU_ASSERT_EQUAL(test_parse_assign(ds, NULL, err, sizeof err), -1);
    dataset_free(ds);
}

/* Standard input: read to its end, with the files' size limit counted
** while reading (a stream has no size), and named as the caller says. */
static void test_streams(void)
{
    static const char text[] = "{\"N\": 3,\n \"y\": [1, 2, 3]}\n";
    FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
    CU_ASSERT_FATAL(f != NULL);
    DataSet *ds = dataset_new();
    Diags d;
    diags_init(&d, NULL);
    CU_ASSERT_EQUAL(dataset_read_stream(ds, f, "<stdin>", 0, &d), 0);
    fclose(f);
    const DataValue *y = dataset_find(ds, "y");
    CU_ASSERT_FATAL(y != NULL);
    CU_ASSERT_EQUAL(y->n, 3);
    CU_ASSERT_STRING_EQUAL(y->origin, "<stdin>");

    static const char bad[] = "{\"N\": 3,\n \"y\": [1, 2,, 3]}\n";
    f = fmemopen((void *)bad, sizeof bad - 1, "r");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_EQUAL(dataset_read_stream(ds, f, "<stdin>", 0, &d), -1);
    fclose(f);
    CU_ASSERT_FATAL(d.n == 1);
    CU_ASSERT_STRING_EQUAL(d.items[0].file, "<stdin>");
    CU_ASSERT_EQUAL(d.items[0].loc.first_line, 2);
    diags_clear(&d);
    dataset_free(ds);

    /* ten bytes are at the limit of ten; eleven are over it */
    char *buf = NULL, why[128];
    size_t len = 0;
    f = fmemopen((void *)"0123456789A", 10, "r");
    CU_ASSERT_EQUAL(read_whole_stream(f, 10, &buf, &len, why, sizeof why), READ_OK);
    CU_ASSERT_EQUAL(len, 10u);
    free(buf);
    fclose(f);
    f = fmemopen((void *)"0123456789A", 11, "r");
    CU_ASSERT_EQUAL(read_whole_stream(f, 10, &buf, &len, why, sizeof why), READ_TOO_LARGE);
    fclose(f);
}

/* The reader is picked by the extension, else by the content. */
static void test_format(void)
{
    CU_ASSERT_EQUAL(dataset_format("d.json", "", 0), DATA_FORMAT_JSON);
    CU_ASSERT_EQUAL(dataset_format("d.JSON", "x", 1), DATA_FORMAT_JSON);
    CU_ASSERT_EQUAL(dataset_format("<stdin>", "\xEF\xBB\xBF \n{}", 7), DATA_FORMAT_JSON);
    CU_ASSERT_EQUAL(dataset_format(NULL, "{}", 2), DATA_FORMAT_JSON);
}

/* ------------------------------------------------------------ writing */

/* What is written reads back as the same values, bit for bit: the
** digits of every double, which numbers were integers, the shapes, the
** special values. */
static void test_write_reads_back(void)
{
    char err[512] = "";
    int rc;
    DataSet *ds = read_text(
        "{\"N\": 3, \"third\": 0.33333333333333331, \"tiny\": 5e-324, \"z\": 3.0,\n"
        " \"y\": [0.1, -2.5, 1e300], \"k\": [1, -2, 9007199254740992], \"e\": [],\n"
        " \"X\": [[1.5, 2], [3, 4]], \"s\": [\"NaN\", \"Inf\", \"-Inf\", 7]}",
        err, sizeof err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/written.json", tmpdir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_EQUAL(dataset_write_json(ds, f), 0);
    CU_ASSERT_EQUAL(fclose(f), 0);

    DataSet *back = dataset_new();
    CU_ASSERT_FATAL(back != NULL);
    CU_ASSERT_EQUAL_FATAL(test_read_json(back, path, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(back->n, ds->n);
    for (int i = 0; i < ds->n; i++) {
        const DataValue *a = &ds->vals[i], *b = dataset_find(back, a->name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        CU_ASSERT_EQUAL(b->ndim, a->ndim);
        CU_ASSERT_EQUAL(b->dims[0], a->dims[0]);
        CU_ASSERT_EQUAL(b->dims[1], a->dims[1]);
        CU_ASSERT_EQUAL(b->is_int, a->is_int);
        CU_ASSERT_EQUAL_FATAL(b->n, a->n);
        for (long k = 0; k < a->n; k++)
            CU_ASSERT((isnan(a->v[k]) && isnan(b->v[k])) || memcmp(&a->v[k], &b->v[k], sizeof a->v[k]) == 0);
    }
    /* the literals of the file's text: 1/3 to the last bit, 2^53 as an integer */
    CU_ASSERT_EQUAL(dataset_find(back, "third")->v[0], 0.33333333333333331);
    CU_ASSERT_EQUAL(dataset_find(back, "tiny")->v[0], 5e-324);
    CU_ASSERT_EQUAL(dataset_find(back, "k")->v[2], 9007199254740992.0);
    CU_ASSERT(isinf(dataset_find(back, "s")->v[2]) && dataset_find(back, "s")->v[2] < 0);
    dataset_free(back);
    dataset_free(ds);
}

/* ---------------------------------------------------------------- CSV */

/* The plain file every variant below must read as: a factor, integers and
** reals.  Levels in byte order: "B" (0x42) before "a" (0x61). */
#define PLAIN_CSV "page,bought,t\na,0,1.5\nB,1,2\na,1,-3e2\n"

/* Checks ds holds PLAIN_CSV's columns, exactly. */
static void assert_plain(const DataSet *ds)
{
    const DataValue *page = dataset_find(ds, "page"), *bought = dataset_find(ds, "bought"), *t = dataset_find(ds, "t");
    CU_ASSERT_PTR_NOT_NULL_FATAL(page);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bought);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(ds->n, 3);
    CU_ASSERT_EQUAL(page->ndim, 1);
    CU_ASSERT_EQUAL(page->n, 3);
    CU_ASSERT_EQUAL_FATAL(page->nlevels, 2);
    CU_ASSERT_STRING_EQUAL(page->levels[0], "B");
    CU_ASSERT_STRING_EQUAL(page->levels[1], "a");
    CU_ASSERT(page->is_int);
    CU_ASSERT_EQUAL(page->v[0], 2.0);
    CU_ASSERT_EQUAL(page->v[1], 1.0);
    CU_ASSERT_EQUAL(page->v[2], 2.0);
    CU_ASSERT_PTR_NULL(bought->levels);
    CU_ASSERT(bought->is_int);
    CU_ASSERT_EQUAL(bought->n, 3);
    CU_ASSERT_EQUAL(bought->v[0], 0.0);
    CU_ASSERT_EQUAL(bought->v[1], 1.0);
    CU_ASSERT_EQUAL(bought->v[2], 1.0);
    CU_ASSERT(!t->is_int);
    CU_ASSERT_EQUAL(t->v[0], 1.5);
    CU_ASSERT_EQUAL(t->v[1], 2.0);
    CU_ASSERT_EQUAL(t->v[2], -3e2);
}

/* Quotes, CRLF, a byte order mark, ';' and tab separators, found or
** given: each the same data set as the plain file. */
static void test_csv_variants(void)
{
    static const struct { const char *file, *text; char sep; } cases[] = {
        { "plain.csv", PLAIN_CSV, 0 },
        { "quoted.csv", "\"page\",\"bought\",t\n\"a\",\"0\",1.5\n\"B\",1,\"2\"\na,1,-3e2\n", 0 },
        { "crlf.csv", "page,bought,t\r\na,0,1.5\r\nB,1,2\r\na,1,-3e2\r\n", 0 },
        { "bom.csv", "\xEF\xBB\xBFpage,bought,t\na,0,1.5\nB,1,2\na,1,-3e2\n", 0 },
        { "no-newline.csv", "page,bought,t\na,0,1.5\nB,1,2\na,1,-3e2", 0 },
        { "blank-lines.csv", "page,bought,t\n\na,0,1.5\nB,1,2\n\na,1,-3e2\n\n", 0 },
        { "semicolon.csv", "page;bought;t\na;0;1.5\nB;1;2\na;1;-3e2\n", 0 },
        { "tab.txt", "page\tbought\tt\na\t0\t1.5\nB\t1\t2\na\t1\t-3e2\n", 0 },
        { "tab.tsv", "page\tbought\tt\na\t0\t1.5\nB\t1\t2\na\t1\t-3e2\n", 0 },
        { "given.csv", "page;bought;t\na;0;1.5\nB;1;2\na;1;-3e2\n", ';' },
        { "blanks.csv", "page, bought ,t\na , 0,1.5\nB,1 ,2\na,1,-3e2\n", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[256], err[1024];
        DataSet *ds = dataset_new();
        write_temp(cases[i].file, cases[i].text, path, sizeof path);
        int rc = test_read_file(ds, path, cases[i].sep, err, sizeof err);
        if (rc != 0) fprintf(stderr, "\n  %s: %s\n", cases[i].file, err);
        CU_ASSERT_EQUAL(rc, 0);
        if (rc == 0) assert_plain(ds);
        dataset_free(ds);
    }
}

/* Quoted fields hold the separator, quotes and newlines; the cell after a
** quoted newline is still placed on its own line. */
static void test_csv_quoted_fields(void)
{
    const char *text = "name,x\n\"a,b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\nc,oops\n";
    char err[1024];
    DataSet *ds = dataset_new();
    CU_ASSERT_EQUAL(test_parse_csv(ds, "q.csv", text, strlen(text), 0, err, sizeof err), -1);
    /* line 6 is "c,oops" (the quoted newline splits row 3 over lines 4 and 5): 'oops' at column 3 */
    ASSERT_STARTS(err, "q.csv:6:3: error: 'oops' is not a number in column 'x'");
    const char *good = "name,x\n\"a,b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n";
    CU_ASSERT_EQUAL_FATAL(test_parse_csv(ds, "q.csv", good, strlen(good), 0, err, sizeof err), 0);
    const DataValue *name = dataset_find(ds, "name");
    CU_ASSERT_EQUAL_FATAL(name->nlevels, 3);
    CU_ASSERT_STRING_EQUAL(name->levels[0], "a,b");
    CU_ASSERT_STRING_EQUAL(name->levels[1], "say \"hi\"");
    CU_ASSERT_STRING_EQUAL(name->levels[2], "two\nlines");
    CU_ASSERT_EQUAL(dataset_find(ds, "x")->v[2], 3.0);
    dataset_free(ds);
}

/* Levels sort by the bytes of their UTF-8, as R's factor() in the C
** locale: uppercase before lowercase, Hangul (U+AC00 on) after ASCII. */
static void test_csv_factor_levels(void)
{
    const char *text = "g\n\xEB\xAA\xA8\xEB\xB0\x94\xEC\x9D\xBC\nb\nB\n10\n9\n\xEB\x8D\xB0\nb\n";
    char err[1024];
    DataSet *ds = dataset_new();
    CU_ASSERT_EQUAL_FATAL(test_parse_csv(ds, "g.csv", text, strlen(text), 0, err, sizeof err), 0);
    const DataValue *g = dataset_find(ds, "g");
    /* the first cell is text: a factor, "10" and "9" levels like the others */
    static const char *const want[] = { "10", "9", "B", "b", "\xEB\x8D\xB0", "\xEB\xAA\xA8\xEB\xB0\x94\xEC\x9D\xBC" };
    static const double codes[] = { 6, 4, 3, 1, 2, 5, 4 };
    CU_ASSERT_EQUAL_FATAL(g->nlevels, 6);
    for (int k = 0; k < 6; k++) CU_ASSERT_STRING_EQUAL(g->levels[k], want[k]);
    CU_ASSERT_EQUAL_FATAL(g->n, 7);
    for (int k = 0; k < 7; k++) CU_ASSERT_EQUAL(g->v[k], codes[k]);
    dataset_free(ds);
}

/* The reader comes from the extension, else from the first bytes. */
static void test_format_of(void)
{
    CU_ASSERT_EQUAL(dataset_format("d.json", "a,b", 3), DATA_FORMAT_JSON);
    CU_ASSERT_EQUAL(dataset_format("d.CSV", "{", 1), DATA_FORMAT_CSV);
    CU_ASSERT_EQUAL(dataset_format("d.tsv", "{", 1), DATA_FORMAT_CSV);
    CU_ASSERT_EQUAL(dataset_format("-", " \n\t{\"N\": 1}", 10), DATA_FORMAT_JSON);
    CU_ASSERT_EQUAL(dataset_format("-", "\xEF\xBB\xBF{}", 5), DATA_FORMAT_JSON);
    CU_ASSERT_EQUAL(dataset_format("data.txt", "page,bought\n", 12), DATA_FORMAT_CSV);
    CU_ASSERT_EQUAL(dataset_format("data", "", 0), DATA_FORMAT_JSON);   /* the JSON reader says "empty" */
    CU_ASSERT_EQUAL(dataset_csv_separator_of("d.tsv"), '\t');
    CU_ASSERT_EQUAL(dataset_csv_separator_of("d.csv"), 0);
    CU_ASSERT_EQUAL(dataset_csv_separator(";"), ';');
    CU_ASSERT_EQUAL(dataset_csv_separator("tab"), '\t');
    CU_ASSERT_EQUAL(dataset_csv_separator("\\t"), '\t');
    CU_ASSERT_EQUAL(dataset_csv_separator("|"), 0);
}

/* JSON and CSV files mixed: a later value of a name replaces an earlier. */
static void test_csv_mixed_with_json(void)
{
    char path[256], err[1024];
    DataSet *ds = dataset_new();
    write_temp("first.json", "{\"bought\": [5, 6], \"N\": 2}", path, sizeof path);
    CU_ASSERT_EQUAL(test_read_file(ds, path, 0, err, sizeof err), 0);
    write_temp("then.csv", PLAIN_CSV, path, sizeof path);
    CU_ASSERT_EQUAL(test_read_file(ds, path, 0, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ds->n, 4);
    CU_ASSERT_EQUAL(dataset_find(ds, "bought")->n, 3);
    CU_ASSERT_EQUAL(dataset_find(ds, "N")->v[0], 2.0);
    write_temp("last.json", "{\"page\": [1, 1]}", path, sizeof path);
    CU_ASSERT_EQUAL(test_read_file(ds, path, 0, err, sizeof err), 0);
    CU_ASSERT_PTR_NULL(dataset_find(ds, "page")->levels);
    CU_ASSERT_EQUAL(dataset_find(ds, "page")->n, 2);
    dataset_free(ds);
}

/* Every bad CSV file of the corpus: its place (line:column counted by
** hand in the file) and its words; the set is left as it was. */
static void test_csv_corpus(void)
{
    static const BadFile cases[] = {
        /* line 3 is "B,abc": the cell at column 3 */
        { "csv-not-number.csv", CORPUS "csv-not-number.csv:3:3: error: ",
          { "'abc' is not a number in column 'bought'", "B,abc\n      ^~~", "\nnote: column 'bought' is numeric" } },
        { "csv-decimal-comma.csv", CORPUS "csv-decimal-comma.csv:3:3: error: ",
          { "'1,5' is not a number in column 'price'", "decimal point" } },
        /* a first cell of "1,5" under ';' is refused, not taken as text */
        { "csv-decimal-comma-first.csv", CORPUS "csv-decimal-comma-first.csv:2:3: error: ",
          { "'1,5' is not a number", "decimal point" } },
        { "csv-ragged-short.csv", CORPUS "csv-ragged-short.csv:3:1: error: ",
          { "the row has 2 fields; the header has 3" } },
        /* line 3 is "3,4,5": the extra field at column 5 */
        { "csv-ragged-long.csv", CORPUS "csv-ragged-long.csv:3:5: error: ",
          { "the row has 3 fields; the header has 2", "quoted" } },
        { "csv-duplicate.csv", CORPUS "csv-duplicate.csv:1:5: error: ",
          { "duplicate column 'y'", "csv-duplicate.csv:1:1: note: column 1 has the same name" } },
        { "csv-empty.csv", CORPUS "csv-empty.csv: error: ", { "the file is empty", "\nnote: " } },
        { "csv-header-only.csv", CORPUS "csv-header-only.csv: error: ", { "a header but no rows" } },
        { "csv-no-name.csv", CORPUS "csv-no-name.csv:1:3: error: ", { "column 2 has no name" } },
        { "csv-empty-cell.csv", CORPUS "csv-empty-cell.csv:3:3: error: ",
          { "no value in column 'b'", "no missing values" } },
        { "csv-na.csv", CORPUS "csv-na.csv:3:1: error: ", { "an NA value in column 'page'", "no missing values" } },
        /* "caf\xe9": the lone byte is the 4th character of line 2 */
        { "csv-bad-utf8.csv", CORPUS "csv-bad-utf8.csv:2:4: error: ", { "byte 0xE9 is not UTF-8 text", "UTF-8" } },
        { "csv-nul.csv", CORPUS "csv-nul.csv:3:3: error: ", { "NUL byte" } },
        { "csv-unclosed-quote.csv", CORPUS "csv-unclosed-quote.csv:2:3: error: ", { "a quoted value is never closed" } },
        { "csv-stray-quote.csv", CORPUS "csv-stray-quote.csv:2:5: error: ", { "unexpected '\"' in a value" } },
        { "csv-overflow.csv", CORPUS "csv-overflow.csv:3:1: error: ", { "number '1e400' overflows", "1.8e308" } },
    };
    check_corpus(cases, sizeof cases / sizeof *cases);
}

/* A file over the size limit is refused unread, as a JSON one is. */
static void test_csv_too_large(void)
{
    char path[256], err[1024], want[600];
    DataSet *ds = dataset_new();
    snprintf(path, sizeof path, "%s/huge.csv", tmpdir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(ftruncate(fd, DATA_MAX_FILE_BYTES + 1) == 0);
    close(fd);
    CU_ASSERT_EQUAL(test_read_file(ds, path, 0, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: error: is larger than 256 MiB", path);
    CU_ASSERT_STRING_EQUAL(err, want);
    unlink(path);
    CU_ASSERT_EQUAL(test_parse_csv(ds, "big.csv", "a", (size_t)DATA_MAX_FILE_BYTES + 1, 0, err, sizeof err), -1);
    ASSERT_HAS(err, "larger than 256 MiB");
    dataset_free(ds);
}

int main(void)
{
    CU_TestInfo files[] = {
        { "scalars", test_scalars },
        { "vectors and matrices", test_vectors_and_matrices },
        { "NaN and Inf strings", test_special_strings },
        { "big integers", test_big_integers },
        { "order and lookup", test_order_and_lookup },
        { "later replaces earlier", test_later_replaces_earlier },
        { "bad files: corpus", test_corpus },
        { "bad files: open, size, atomicity", test_file_errors },
        { "standard input", test_streams },
        { "reader by name and content", test_format },
        { "written values read back", test_write_reads_back },
        CU_TEST_INFO_NULL
    };
    CU_TestInfo assigns[] = {
        { "forms", test_assign_forms },
        { "errors", test_assign_errors },
        { "long text abbreviated", test_assign_long_text_is_abbreviated },
        CU_TEST_INFO_NULL
    };
    CU_TestInfo csv[] = {
        { "variants read alike", test_csv_variants },
        { "quoted fields", test_csv_quoted_fields },
        { "factor levels in byte order", test_csv_factor_levels },
        { "which reader", test_format_of },
        { "mixed with JSON", test_csv_mixed_with_json },
        { "bad files: corpus", test_csv_corpus },
        { "too large", test_csv_too_large },
        CU_TEST_INFO_NULL
    };
    CU_SuiteInfo suites[] = {
        { "data files", make_tmpdir, remove_tmpdir, NULL, NULL, files },
        { "CSV files", make_tmpdir, remove_tmpdir, NULL, NULL, csv },
        { "-D name=value", make_tmpdir, remove_tmpdir, NULL, NULL, assigns },
        CU_SUITE_INFO_NULL
    };
    return testutil_run(suites);
}
