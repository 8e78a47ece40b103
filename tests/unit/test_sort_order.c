/*
** test_sort_order.c -- the radix sort's order against orders worked out
** by hand and against libc's qsort of (value, index) pairs.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sort_order.h"
#include "testutil.h"

/* Values first, -0 before +0, then indices: the order sort_order promises. */
typedef struct Pair { double v; size_t i; } Pair;

static int by_value_then_index(const void *pa, const void *pb)
{
    const Pair *a = pa, *b = pb;
    if (a->v != b->v) return a->v < b->v ? -1 : 1;
    if (signbit(a->v) != signbit(b->v)) return signbit(a->v) ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static void expect_qsort_order(const double *x, size_t n)
{
    Pair *p = malloc((n ? n : 1) * sizeof *p);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    SortOrder *s = sort_order_new(n);
    CU_ASSERT_FATAL(p && order && s);
    for (size_t i = 0; i < n; i++) p[i] = (Pair){ x[i], i };
    qsort(p, n, sizeof *p, by_value_then_index);
    sort_order(s, x, n, order);
    size_t wrong = 0;
    for (size_t k = 0; k < n; k++) wrong += order[k] != p[k].i;
    CU_ASSERT_EQUAL(wrong, 0);
    sort_order_free(s);
    free(order);
    free(p);
}

/* Worked by hand: -inf; the two -1 (indices 1, 3); -0 (5) then +0 (4);
** the two 2 (2, 9); 3; 1e300; inf. */
static void test_by_hand(void)
{
    const double x[] = { 3, -1, 2, -1, 0.0, -0.0, 1e300, -INFINITY, INFINITY, 2 };
    const size_t want[] = { 7, 1, 3, 5, 4, 2, 9, 0, 6, 8 };
    size_t order[10];
    SortOrder *s = sort_order_new(10);
    CU_ASSERT_FATAL(s != NULL);
    sort_order(s, x, 10, order);
    CU_ASSERT(memcmp(order, want, sizeof want) == 0);
    sort_order(s, x, 1, order);   /* reused, for fewer values */
    CU_ASSERT_EQUAL(order[0], 0);
    sort_order(s, x, 0, order);   /* nothing to do */
    sort_order_free(s);
}

/* Many ties (a few integers), one magnitude (every high digit equal: the
** passes skipped), every magnitude from subnormal to 1e300 of both signs. */
static void test_against_qsort(void)
{
    enum { N = 5000 };
    double *x = malloc(N * sizeof *x);
    CU_ASSERT_FATAL(x != NULL);
    unsigned long r = 12345;
    for (int set = 0; set < 3; set++) {
        for (size_t i = 0; i < N; i++) {
            r = r * 6364136223846793005UL + 1442695040888963407UL;
            double u = (double)(r >> 11) / 9007199254740992.0;   /* [0, 1) */
            if (set == 0) x[i] = floor(u * 7) - 3;
            else if (set == 1) x[i] = 1.0 + u;
            else x[i] = (u < 0.5 ? -1 : 1) * ldexp(1.0 + u, (int)(u * 2000) - 1070);
        }
        expect_qsort_order(x, N);
    }
    free(x);
}

static CU_TestInfo sort_tests[] = {
    { "by hand: ties, signed zeros, infinities", test_by_hand },
    { "against qsort", test_against_qsort },
    CU_TEST_INFO_NULL,
};

int main(void)
{
    CU_SuiteInfo suites[] = {
        { "sort_order", NULL, NULL, NULL, NULL, sort_tests },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
