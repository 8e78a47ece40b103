/*
** test_fmt_g9.c -- fmt_g9 writes what snprintf's "%.9g" writes, for every
** kind of double (random bits, draws at every scale, the doubles nearest
** to a tie of the tenth digit, the edges of each notation), and writes
** most of them without snprintf.
*/
#include <CUnit/Basic.h>
#include <float.h>
#include <limits.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fmt_g9.h"
#include "testutil.h"

static gsl_rng *g_rng;

static int init(void)
{
    g_rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g_rng, 20261201);
    return g_rng ? 0 : -1;
}

static int clean(void)
{
    gsl_rng_free(g_rng);
    return 0;
}

/* Whether fmt_g9 agrees with snprintf on x; the first few disagreements
** are printed. */
static int agrees(double x)
{
    static int shown;
    char want[64], got[FMT_G9_SIZE + 8];
    int wlen = snprintf(want, sizeof want, "%.9g", x);
    size_t glen = fmt_g9(got, x);
    int ok = strcmp(got, want) == 0 && glen == (size_t)wlen;
    if (!ok && shown++ < 10) printf("\n  %a (%.17g): got \"%s\", want \"%s\"", x, x, got, want);
    return ok;
}

static void check_all(const double *xs, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += !agrees(xs[i]);
    CU_ASSERT_EQUAL(bad, 0);
}

/* The edges: zeros, whole numbers at 10^9, powers of ten and their
** neighbours (where log10 may be one off), the switch between %f and %e
** at 1e-5 and 1e9, the fast path's range, subnormals, the largest, nan
** and infinities. */
static void test_edges(void)
{
    double xs[600];
    size_t n = 0;
    const double fixed[] = { 0.0, -0.0, 1, -1, 0.5, 2.5, 999999999, 999999999.4, 999999999.5, 999999999.6,
                             1e9, 1e9 + 1, -1e9, 123456789.5, 0.0001, 0.00009999999995, 0.0000999999999,
                             0.000099999999949, 1e-5, 1e-14, 1e-15, 9.999999999e29, 1e30, 1e31, DBL_MIN,
                             DBL_MIN / 3, 5e-324, DBL_MAX, -DBL_MAX, DBL_EPSILON, 1.0 / 3, 2.0 / 3, 3.14159265358979312,
                             NAN, -NAN, INFINITY, -INFINITY, 0.1, 0.2, 0.3, 1e22, 1e23, 4294967296.0 };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) xs[n++] = fixed[i];
    for (int e = -20; e <= 35; e++) {
        double p = pow(10, e);
        xs[n++] = p;
        xs[n++] = nextafter(p, 0);
        xs[n++] = nextafter(p, INFINITY);
        xs[n++] = -p;
        xs[n++] = p * (1 - 5e-10);   /* rounds up to the next power */
        xs[n++] = p * (1 - 4e-10);
        xs[n++] = p * 9.99999999;
    }
    CU_ASSERT_FATAL(n <= sizeof xs / sizeof xs[0]);
    check_all(xs, n);
}

/* Doubles of every exponent and sign, from random bits. */
static void test_random_bits(void)
{
    size_t bad = 0;
    for (int i = 0; i < 300000; i++) {
        uint64_t bits = ((uint64_t)gsl_rng_get(g_rng) << 32) ^ gsl_rng_get(g_rng);
        double x;
        memcpy(&x, &bits, sizeof x);
        bad += !agrees(x);
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/* What draws files hold: normal and uniform draws at scales from 1e-16 to
** 1e32, whole and half-whole numbers. */
static void test_draws(void)
{
    size_t bad = 0;
    for (int i = 0; i < 300000; i++) {
        double scale = pow(10, -16 + (int)gsl_rng_uniform_int(g_rng, 49));
        double x = (i % 2 ? gsl_ran_gaussian(g_rng, 1) : gsl_rng_uniform(g_rng)) * scale;
        bad += !agrees(x);
        bad += !agrees(round(x * 2) / 2);
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/* The doubles nearest to a tie of the tenth significant digit, and their
** neighbours: the cases where a quick product cannot decide the rounding.
** Exact ties (100000000.5 is a double) round to even, as printf does. */
static void test_near_ties(void)
{
    size_t bad = 0;
    for (int i = 0; i < 100000; i++) {
        char text[64];
        unsigned long digits = 100000000 + gsl_rng_uniform_int(g_rng, 900000000);
        int e = -14 + (int)gsl_rng_uniform_int(g_rng, 44);
        snprintf(text, sizeof text, "%lu5e%d", digits, e - 9);
        double x = strtod(text, NULL);
        bad += !agrees(x) + !agrees(nextafter(x, 0)) + !agrees(nextafter(x, INFINITY)) + !agrees(-x);
    }
    for (double w = 100000000.5; w < 100000100; w += 1) bad += !agrees(w) + !agrees(-w);
    CU_ASSERT_EQUAL(bad, 0);
    char out[FMT_G9_SIZE];
    fmt_g9(out, 100000000.5);
    CU_ASSERT_STRING_EQUAL(out, "100000000");
    fmt_g9(out, 100000001.5);
    CU_ASSERT_STRING_EQUAL(out, "100000002");
}

/* The point of the file: draws take the fast path, near-ties and numbers
** outside its range do not. */
static void test_fast_path(void)
{
    int fast = 0, n = 100000;
    for (int i = 0; i < n; i++) fast += fmt_g9_is_fast(gsl_ran_gaussian(g_rng, 1));
    CU_ASSERT(fast >= n - n / 1000);
    CU_ASSERT(fmt_g9_is_fast(0.126097661));
    CU_ASSERT(fmt_g9_is_fast(-7.5e-3));
    CU_ASSERT(fmt_g9_is_fast(12));
    CU_ASSERT_FALSE(fmt_g9_is_fast(100000000.5));   /* an exact tie */
    CU_ASSERT_FALSE(fmt_g9_is_fast(1e-300));
    CU_ASSERT_FALSE(fmt_g9_is_fast(NAN));
}

static void test_long(void)
{
    const long vs[] = { 0, 1, -1, 9, 10, -10, 123456789, 2147483648L, -2147483649L, LONG_MAX, LONG_MIN };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        char want[32], got[FMT_G9_SIZE];
        snprintf(want, sizeof want, "%ld", vs[i]);
        CU_ASSERT_EQUAL(fmt_long(got, vs[i]), strlen(want));
        CU_ASSERT_STRING_EQUAL(got, want);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "edges of each notation", test_edges },
        { "random bits", test_random_bits },
        { "draws at every scale", test_draws },
        { "near and exact ties", test_near_ties },
        { "draws take the fast path", test_fast_path },
        { "whole numbers as %ld", test_long },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "fmt_g9", init, clean, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
