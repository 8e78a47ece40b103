/*
** testutil.h -- what every CUnit test program shares: closeness checks and
** a main that runs the program's suites and exits non-zero on failure.
*/
#ifndef BMC_TESTUTIL_H
#define BMC_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "data.h"

/* |a - b| <= tol * max(1, |b|); reports both values when it fails. */
#define ASSERT_CLOSE(a, b, tol) do { \
    double a_ = (a), b_ = (b), t_ = (tol); \
    int ok_ = fabs(a_ - b_) <= t_ * fmax(1.0, fabs(b_)) || (isinf(a_) && a_ == b_); \
    if (!ok_) fprintf(stderr, "\n  %s:%d: %s = %.17g, expected %.17g (tol %g)\n", \
                      __FILE__, __LINE__, #a, a_, b_, t_); \
    CU_ASSERT(ok_); \
} while (0)

/* Five-point central difference of f in coordinate i (truncation error
** h^4 f^(5) / 30); x[i] is restored. */
typedef double (*ScalarFn)(void *ctx, double *x);

static inline double central_diff(ScalarFn f, void *ctx, double *x, long i, double h)
{
    double x0 = x[i], v[4];
    const double step[4] = {-2, -1, 1, 2};
    for (int k = 0; k < 4; k++) {
        x[i] = x0 + step[k] * h;
        v[k] = f(ctx, x);
    }
    x[i] = x0;
    return (v[0] - 8 * v[1] + 8 * v[2] - v[3]) / (12 * h);
}

/* |a - b| <= tol * |b|: relative, for values far from 1. */
#define ASSERT_REL(a, b, tol) do { \
    double a_ = (a), b_ = (b), t_ = (tol); \
    int ok_ = fabs(a_ - b_) <= t_ * fabs(b_); \
    if (!ok_) fprintf(stderr, "\n  %s:%d: %s = %.17g, expected %.17g (rel tol %g)\n", \
                      __FILE__, __LINE__, #a, a_, b_, t_); \
    CU_ASSERT(ok_); \
} while (0)

/* The data reader's errors as printed (no colours), into err; returns rc. */
static inline int testutil_render(int rc, Diags *d, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f) {
        diags_print(d, f, NULL);
        fclose(f);
    }
    if (err && errlen) {
        snprintf(err, errlen, "%s", text ? text : "");
        size_t n = strlen(err);
        if (n > 0 && err[n - 1] == '\n') err[n - 1] = '\0';   /* as one message, without its newline */
    }
    free(text);
    diags_clear(d);
    return rc;
}

/* dataset_read_file, dataset_parse_csv, dataset_parse_json and dataset_parse_assign with
** their errors as text. */
static inline int test_read_file(DataSet *ds, const char *path, char sep, char *err, size_t errlen)
{
    Diags d;
    diags_init(&d, NULL);
    if (err && errlen) err[0] = '\0';
    return testutil_render(dataset_read_file(ds, path, sep, &d), &d, err, errlen);
}

/* A file of any format, its separator found (the JSON files' tests). */
static inline int test_read_json(DataSet *ds, const char *path, char *err, size_t errlen)
{
    return test_read_file(ds, path, 0, err, errlen);
}

static inline int test_parse_csv(DataSet *ds, const char *name, const char *text, size_t len, char sep, char *err,
                                 size_t errlen)
{
    Diags d;
    diags_init(&d, NULL);
    if (err && errlen) err[0] = '\0';
    return testutil_render(dataset_parse_csv(ds, name, text, len, sep, &d), &d, err, errlen);
}

static inline int test_parse_json(DataSet *ds, const char *name, const char *text, size_t len, char *err, size_t errlen)
{
    Diags d;
    diags_init(&d, NULL);
    if (err && errlen) err[0] = '\0';
    return testutil_render(dataset_parse_json(ds, name, text, len, &d), &d, err, errlen);
}

static inline int test_parse_assign(DataSet *ds, const char *text, char *err, size_t errlen)
{
    Diags d;
    diags_init(&d, NULL);
    if (err && errlen) err[0] = '\0';
    return testutil_render(dataset_parse_assign(ds, text, "-D", &d), &d, err, errlen);
}

/* Runs the suites and returns the exit status for main. */
static inline int testutil_run(CU_SuiteInfo *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "%s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

#endif
