/*
** test_matvec.c -- the products of `@` and their adjoints, on GSL's CBLAS
** and on OpenBLAS, against the sums written out.
*/
#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>

#include "matvec.h"
#include "testutil.h"

/* y = A x, gx = A^T g, ga = g x^T, as sums. */
static void by_hand(const double *a, long rows, long cols, const double *x, const double *g, double *y, double *gx,
                    double *ga)
{
    for (long i = 0; i < rows; i++) {
        y[i] = 0;
        for (long j = 0; j < cols; j++) y[i] += a[i * cols + j] * x[j];
    }
    for (long j = 0; j < cols; j++) {
        gx[j] = 0;
        for (long i = 0; i < rows; i++) gx[j] += a[i * cols + j] * g[i];
    }
    for (long i = 0; i < rows; i++)
        for (long j = 0; j < cols; j++) ga[i * cols + j] = g[i] * x[j];
}

static double max_error(const double *got, const double *want, long n)
{
    double e = 0;
    for (long i = 0; i < n; i++) e = fmax(e, fabs(got[i] - want[i]) / (1 + fabs(want[i])));
    return e;
}

static void expect_products(const MatvecBlas *blas, long rows, long cols)
{
    long na = rows * cols;
    double *a = malloc(na * sizeof *a), *x = malloc(cols * sizeof *x), *g = malloc(rows * sizeof *g);
    double *y = malloc(rows * sizeof *y), *gx = calloc(cols, sizeof *gx), *ga = calloc(na, sizeof *ga);
    double *y0 = malloc(rows * sizeof *y0), *gx0 = malloc(cols * sizeof *gx0), *ga0 = malloc(na * sizeof *ga0);
    CU_ASSERT_FATAL(a && x && g && y && gx && ga && y0 && gx0 && ga0);
    for (long k = 0; k < na; k++) a[k] = sin(0.37 * (double)k);
    for (long j = 0; j < cols; j++) x[j] = cos(0.11 * (double)j);
    for (long i = 0; i < rows; i++) g[i] = 1.0 / (1.0 + (double)i);
    by_hand(a, rows, cols, x, g, y0, gx0, ga0);
    matvec(blas, a, rows, cols, x, y);
    matvec_backward(blas, a, rows, cols, x, g, gx, ga);   /* adds to zeros */
    CU_ASSERT(max_error(y, y0, rows) < 1e-12);
    CU_ASSERT(max_error(gx, gx0, cols) < 1e-12);
    CU_ASSERT(max_error(ga, ga0, na) < 1e-12);
    free(a); free(x); free(g); free(y); free(gx); free(ga); free(y0); free(gx0); free(ga0);
}

static void test_gsl_cblas(void)
{
    expect_products(NULL, 3, 4);
    expect_products(NULL, 1, 1);
    expect_products(NULL, 300, 200);
}

/* A build with OpenBLAS, where it is installed, loads it, and its
** products (a 300 x 200 matrix, 60,000 values: large enough to pay)
** equal the sums. */
static void test_openblas(void)
{
    CU_ASSERT(matvec_blas_pays(300, 200));
    CU_ASSERT(!matvec_blas_pays(10, 10));
    const char *file = matvec_blas_file();
    void *lib = file ? dlopen(file, RTLD_NOW | RTLD_LOCAL) : NULL;
    MatvecBlas *blas = matvec_blas_open();
    CU_ASSERT_EQUAL(blas != NULL, lib != NULL);
    if (blas) {
        expect_products(blas, 300, 200);
        expect_products(blas, 7, 5);
    }
    matvec_blas_close(blas);
    if (lib) dlclose(lib);
}

static CU_TestInfo matvec_tests[] = {
    { "GSL's CBLAS against the sums", test_gsl_cblas },
    { "OpenBLAS against the sums", test_openblas },
    CU_TEST_INFO_NULL,
};

int main(void)
{
    CU_SuiteInfo suites[] = {
        { "matvec", NULL, NULL, NULL, NULL, matvec_tests },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
