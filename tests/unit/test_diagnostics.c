/*
** test_diagnostics.c -- R-hat, ESS, MCSE, HDI and E-BFMI against the R
** package posterior, and the draws container and summary built on them.
**
** Reference values: tests/fixtures/diagnostics/NAME.ref, written by
** tests/fixtures/diagnostics/make.R from the draws in NAME.draws with
** posterior 1.4.0 (rhat, ess_bulk, ess_tail, ess_basic, mcse_mean,
** mcse_sd), R's mean() and sd(), an R shortest-interval function for the
** HDI and R arithmetic for the E-BFMI.  Other expectations are worked out
** by hand in the comments next to them.
**
** Run from the repository root (the fixtures are opened by relative path).
*/
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diagnostics.h"
#include "draws.h"
#include "summary.h"
#include "testutil.h"

#define FIXTURE_DIR "tests/fixtures/diagnostics/"

/* ---------------------------------------------------------------- fixtures */

typedef struct DrawSet {
    int m, n;
    double *x;          /* m * n values, chain after chain; caller frees */
} DrawSet;

typedef struct Ref {
    double rhat, ess_bulk, ess_tail, ess_basic, mcse_mean, mcse_sd;
    double mean, sd, hdi94_low, hdi94_high, hdi50_low, hdi50_high, ebfmi;
} Ref;

static int load_draws(const char *name, DrawSet *set)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURE_DIR "%s.draws", name);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "\n  cannot open %s (run from the repository root)\n", path);
        return -1;
    }
    int ok = fscanf(f, "%d %d", &set->m, &set->n) == 2 && set->m > 0 && set->n > 0;
    size_t total = ok ? (size_t)set->m * (size_t)set->n : 0;
    set->x = ok ? malloc(total * sizeof *set->x) : NULL;
    ok = set->x != NULL;
    for (size_t i = 0; ok && i < total; i++) ok = fscanf(f, "%lf", &set->x[i]) == 1;
    fclose(f);
    if (!ok) {
        fprintf(stderr, "\n  malformed %s\n", path);
        free(set->x);
        set->x = NULL;
        return -1;
    }
    return 0;
}

static int load_ref(const char *name, Ref *ref)
{
    static const struct { const char *key; size_t offset; } fields[] = {
        { "rhat", offsetof(Ref, rhat) },           { "ess_bulk", offsetof(Ref, ess_bulk) },
        { "ess_tail", offsetof(Ref, ess_tail) },   { "ess_basic", offsetof(Ref, ess_basic) },
        { "mcse_mean", offsetof(Ref, mcse_mean) }, { "mcse_sd", offsetof(Ref, mcse_sd) },
        { "mean", offsetof(Ref, mean) },           { "sd", offsetof(Ref, sd) },
        { "hdi94_low", offsetof(Ref, hdi94_low) }, { "hdi94_high", offsetof(Ref, hdi94_high) },
        { "hdi50_low", offsetof(Ref, hdi50_low) }, { "hdi50_high", offsetof(Ref, hdi50_high) },
        { "ebfmi", offsetof(Ref, ebfmi) },
    };
    enum { NFIELDS = sizeof fields / sizeof fields[0] };
    char path[256], key[64], value[64];
    snprintf(path, sizeof path, FIXTURE_DIR "%s.ref", name);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "\n  cannot open %s (run from the repository root)\n", path);
        return -1;
    }
    int seen = 0;
    while (fscanf(f, "%63s %63s", key, value) == 2) {
        for (int k = 0; k < NFIELDS; k++) {
            if (strcmp(key, fields[k].key) != 0) continue;
            double *slot = (double *)((char *)ref + fields[k].offset);
            *slot = strcmp(value, "NA") == 0 ? NAN : strtod(value, NULL);
            seen++;
        }
    }
    fclose(f);
    if (seen != NFIELDS) {
        fprintf(stderr, "\n  %s has %d of %d fields\n", path, seen, (int)NFIELDS);
        return -1;
    }
    return 0;
}

/* Relative closeness, or both undefined (posterior's NA is our NAN). */
#define EXPECT(actual, expected, tol, set) do { \
    double want_ = (expected), got_ = (actual); \
    if (isnan(want_)) { \
        if (!isnan(got_)) fprintf(stderr, "\n  %s: %s = %.17g, expected NA\n", set, #actual, got_); \
        CU_ASSERT(isnan(got_)); \
    } else { \
        if (!(fabs(got_ - want_) <= (tol) * fabs(want_))) \
            fprintf(stderr, "\n  [set %s] %s", set, #actual); \
        ASSERT_REL(got_, want_, tol); \
    } \
} while (0)

/* R-hat is a ratio of variances of O(1) normal scores: 1e-10 is reachable. */
#define TOL_RHAT 1e-10
/* ESS and MCSE go through FFTs and autocorrelation sums. */
#define TOL_ESS 1e-8

/* --------------------------------------------- diagnostics vs posterior */

static void check_set(const char *name)
{
    DrawSet set;
    Ref ref;
    if (load_draws(name, &set) || load_ref(name, &ref)) {
        CU_FAIL_FATAL("fixture missing");
        return;
    }
    int m = set.m, n = set.n;
    size_t total = (size_t)m * (size_t)n;
    double *before = malloc(total * sizeof *before);
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);
    memcpy(before, set.x, total * sizeof *before);

    EXPECT(diag_rhat(set.x, m, n), ref.rhat, TOL_RHAT, name);
    EXPECT(diag_ess_bulk(set.x, m, n), ref.ess_bulk, TOL_ESS, name);
    EXPECT(diag_ess_tail(set.x, m, n), ref.ess_tail, TOL_ESS, name);
    EXPECT(diag_ess_basic(set.x, m, n), ref.ess_basic, TOL_ESS, name);
    EXPECT(diag_mcse_mean(set.x, m, n), ref.mcse_mean, TOL_ESS, name);
    EXPECT(diag_mcse_sd(set.x, m, n), ref.mcse_sd, TOL_ESS, name);

    /* The interval's ends are draws: they must be the very same doubles. */
    double lo, hi;
    diag_hdi(set.x, total, 0.94, &lo, &hi);
    EXPECT(lo, ref.hdi94_low, 0.0, name);
    EXPECT(hi, ref.hdi94_high, 0.0, name);
    diag_hdi(set.x, total, 0.5, &lo, &hi);
    EXPECT(lo, ref.hdi50_low, 0.0, name);
    EXPECT(hi, ref.hdi50_high, 0.0, name);

    /* The first chain read as energies. */
    EXPECT(diag_ebfmi(set.x, (size_t)n), ref.ebfmi, 1e-12, name);

    CU_ASSERT(memcmp(before, set.x, total * sizeof *before) == 0);
    free(before);
    free(set.x);
}

#define FIXTURE_TEST(name) static void test_posterior_##name(void) { check_set(#name); }
FIXTURE_TEST(iid)         /* 4 x 1000 iid normal */
FIXTURE_TEST(ar1)         /* 4 x 500 AR(1), rho 0.9: ESS far below S */
FIXTURE_TEST(antithetic)  /* 4 x 250 AR(1), rho -0.9: ESS capped at S log10 S */
FIXTURE_TEST(shifted)     /* 4 x 200 with chain means 0, 0, 0.5, 2: R-hat 1.32 */
FIXTURE_TEST(student)     /* 4 x 500 Student t, 2 degrees of freedom */
FIXTURE_TEST(binary)      /* 4 x 250 0/1 draws: ties; the 95% indicator is constant */
FIXTURE_TEST(poisson)     /* 4 x 250 Poisson(3): many ties */
FIXTURE_TEST(onechain)    /* 1 x 500 AR(1), rho 0.5 */
FIXTURE_TEST(odd)         /* 4 x 101: the middle draw is dropped when splitting */
FIXTURE_TEST(small)       /* 2 x 10: split chains of 5, Geyer's loop never runs */
FIXTURE_TEST(constant)    /* 2 x 50 of 1.5: everything NA but mean, sd, HDI */

/* ------------------------------------------------------------ edge cases */

static void expect_all_nan(const double *x, int m, int n)
{
    CU_ASSERT(isnan(diag_rhat(x, m, n)));
    CU_ASSERT(isnan(diag_ess_bulk(x, m, n)));
    CU_ASSERT(isnan(diag_ess_tail(x, m, n)));
    CU_ASSERT(isnan(diag_ess_basic(x, m, n)));
    CU_ASSERT(isnan(diag_mcse_mean(x, m, n)));
    CU_ASSERT(isnan(diag_mcse_sd(x, m, n)));
}

/* One NaN or infinity anywhere makes every diagnostic undefined
** (posterior gives NA for NaN; the header asks the same of infinities). */
static void test_non_finite(void)
{
    DrawSet set;
    if (load_draws("iid", &set)) { CU_FAIL_FATAL("fixture missing"); return; }
    CU_ASSERT(!isnan(diag_ess_bulk(set.x, set.m, set.n)));
    double bad[] = { NAN, INFINITY, -INFINITY };
    for (int k = 0; k < 3; k++) {
        double keep = set.x[1234];
        set.x[1234] = bad[k];
        expect_all_nan(set.x, set.m, set.n);
        double lo, hi;
        diag_hdi(set.x, (size_t)set.m * (size_t)set.n, 0.94, &lo, &hi);
        CU_ASSERT(isnan(lo) && isnan(hi));
        CU_ASSERT(isnan(diag_ebfmi(set.x + 1000, 1000)));
        set.x[1234] = keep;
    }
    free(set.x);
}

/* posterior needs at least 3 draws per split chain for an ESS.  R-hat
** needs 2 per split chain: posterior itself goes astray below that (with
** 2 or 3 draws per chain R drops its split halves to vectors and swaps
** chains for draws), so such input is undefined here. */
static void test_too_few(void)
{
    double x[] = { 0.3, -1.2, 0.8, 2.0, -0.5, 1.1, 0.4, -0.9 };
    expect_all_nan(x, 4, 2);        /* split: 8 chains of 1 */
    expect_all_nan(x, 2, 3);        /* split: 4 chains of 1 */
    expect_all_nan(x, 8, 1);
    expect_all_nan(x, 0, 8);
    expect_all_nan(x, 1, 0);
    expect_all_nan(NULL, 1, 8);

    /* Split chains of 2: R-hat defined, ESS not.  References from
    ** posterior 1.4.0: rhat(matrix(x[1:5], 5, 1)) and rhat(matrix(x, 4, 2)). */
    ASSERT_REL(diag_rhat(x, 1, 5), 0.8995624064403569, 1e-10);
    ASSERT_REL(diag_rhat(x, 2, 4), 1.1612627415034991, 1e-10);
    CU_ASSERT(isnan(diag_ess_bulk(x, 2, 4)));
    CU_ASSERT(isnan(diag_ess_tail(x, 2, 4)));
    CU_ASSERT(isnan(diag_ess_basic(x, 1, 5)));
    CU_ASSERT(isnan(diag_mcse_mean(x, 2, 4)));
    CU_ASSERT(isnan(diag_mcse_sd(x, 2, 4)));
}

/* Rank-based quantities depend on the draws only through their ranks:
** a strictly increasing transform leaves bulk ESS and the bulk part of
** R-hat unchanged, bit for bit. */
static void test_rank_invariance(void)
{
    DrawSet set;
    if (load_draws("ar1", &set)) { CU_FAIL_FATAL("fixture missing"); return; }
    size_t total = (size_t)set.m * (size_t)set.n;
    double *y = malloc(total * sizeof *y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    /* scaling by 4 is exact and keeps the folded ranks too (the median
    ** scales with the draws), so R-hat is unchanged */
    for (size_t i = 0; i < total; i++) y[i] = 4.0 * set.x[i];
    CU_ASSERT_EQUAL(diag_rhat(y, set.m, set.n), diag_rhat(set.x, set.m, set.n));
    for (size_t i = 0; i < total; i++) y[i] = exp(set.x[i]);
    CU_ASSERT_EQUAL(diag_ess_bulk(y, set.m, set.n), diag_ess_bulk(set.x, set.m, set.n));
    CU_ASSERT_EQUAL(diag_ess_tail(y, set.m, set.n), diag_ess_tail(set.x, set.m, set.n));
    free(y);
    free(set.x);
}

static void test_hdi_by_hand(void)
{
    double lo, hi;
    /* 1..10 at 50%: windows of floor(5) + 1 = 6 draws all span 5; the
    ** first, [1, 6], wins.  Input order must not matter. */
    double ten[] = { 7, 3, 10, 1, 5, 2, 9, 4, 8, 6 };
    diag_hdi(ten, 10, 0.5, &lo, &hi);
    CU_ASSERT_EQUAL(lo, 1.0);
    CU_ASSERT_EQUAL(hi, 6.0);

    /* Windows of 4 over 0, 10, 10.5, 11, 11.2, 30: widths 11, 1.2, 19.5;
    ** the cluster [10, 11.2] wins. */
    double cluster[] = { 30, 11.2, 0, 10.5, 11, 10 };
    diag_hdi(cluster, 6, 0.5, &lo, &hi);
    CU_ASSERT_EQUAL(lo, 10.0);
    CU_ASSERT_EQUAL(hi, 11.2);

    /* 94% of 6 draws: floor(5.64) = 5, one window, the whole range. */
    diag_hdi(cluster, 6, 0.94, &lo, &hi);
    CU_ASSERT_EQUAL(lo, 0.0);
    CU_ASSERT_EQUAL(hi, 30.0);

    /* prob 1 leaves no window of floor(n) + 1 draws; prob must be in (0, 1]. */
    diag_hdi(cluster, 6, 1.0, &lo, &hi);
    CU_ASSERT(isnan(lo) && isnan(hi));
    diag_hdi(cluster, 6, 0.0, &lo, &hi);
    CU_ASSERT(isnan(lo) && isnan(hi));
    diag_hdi(cluster, 0, 0.5, &lo, &hi);
    CU_ASSERT(isnan(lo) && isnan(hi));
}

static void test_ebfmi_by_hand(void)
{
    /* 0,1,0,1: differences 1,1,1 -> 3; deviations +-0.5 -> 1; ratio 3. */
    double zigzag[] = { 0, 1, 0, 1 };
    ASSERT_REL(diag_ebfmi(zigzag, 4), 3.0, 1e-15);
    /* 1,2,3,4: differences 1,1,1 -> 3; deviations 1.5,0.5 -> 5; 0.6. */
    double ramp[] = { 1, 2, 3, 4 };
    ASSERT_REL(diag_ebfmi(ramp, 4), 0.6, 1e-15);
    double flat[] = { 2, 2, 2 };
    CU_ASSERT(isnan(diag_ebfmi(flat, 3)));
    CU_ASSERT(isnan(diag_ebfmi(ramp, 1)));
}

/* ------------------------------------------------------------------ scale */

/* Every figure of one draw set: the summary's and each function's. */
typedef struct Figures {
    VarSummary s;
    double rhat, ess_bulk, ess_tail, ess_basic, mcse_mean, mcse_sd;
    double hdi_low, hdi_high, ebfmi;
} Figures;

static void figures_of(const double *x, int m, int n, Figures *f)
{
    const char *names[] = { "x" };
    Draws *d = draws_new(1, names, m, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    for (int c = 0; c < m; c++) memcpy(draws_at(d, 0, c), x + (size_t)c * n, (size_t)n * sizeof *x);
    d->ndraws = n;
    CU_ASSERT_EQUAL(summary_compute(d, 0.94, 1, &f->s), 0);
    draws_free(d);
    f->rhat = diag_rhat(x, m, n);
    f->ess_bulk = diag_ess_bulk(x, m, n);
    f->ess_tail = diag_ess_tail(x, m, n);
    f->ess_basic = diag_ess_basic(x, m, n);
    f->mcse_mean = diag_mcse_mean(x, m, n);
    f->mcse_sd = diag_mcse_sd(x, m, n);
    diag_hdi(x, (size_t)m * (size_t)n, 0.94, &f->hdi_low, &f->hdi_high);
    f->ebfmi = diag_ebfmi(x, (size_t)n);
}

/* got is want (an undefined want: undefined too) within rel; rel 0: the
** same double.  Names the set and the scale when it is not. */
static void expect_same(double got, double want, double rel, const char *what, const char *set, double scale)
{
    bool ok = isnan(want) ? isnan(got) : rel == 0 ? got == want : fabs(got - want) <= rel * fabs(want);
    if (!ok) fprintf(stderr, "\n  %s times %g: %s = %.17g, expected %.17g\n", set, scale, what, got, want);
    CU_ASSERT(ok);
}

/* The figures of draws times scale against those of the draws: ESS,
** R-hat and E-BFMI the same, the others times scale (> 0), within rel;
** R-hat within rel_rhat. */
static void expect_scaled(const Figures *got, const Figures *base, double scale, double rel, double rel_rhat,
                          const char *set)
{
    expect_same(got->rhat, base->rhat, rel_rhat, "r_hat", set, scale);
    expect_same(got->s.r_hat, base->s.r_hat, rel_rhat, "summary r_hat", set, scale);
    const struct { const char *what; double got, want; } same[] = {
        { "ess_bulk", got->ess_bulk, base->ess_bulk },
        { "ess_tail", got->ess_tail, base->ess_tail },       { "ess_basic", got->ess_basic, base->ess_basic },
        { "ebfmi", got->ebfmi, base->ebfmi },
        { "summary ess_bulk", got->s.ess_bulk, base->s.ess_bulk },
        { "summary ess_tail", got->s.ess_tail, base->s.ess_tail },
    };
    const struct { const char *what; double got, want; } times[] = {
        { "mcse_mean", got->mcse_mean, base->mcse_mean },    { "mcse_sd", got->mcse_sd, base->mcse_sd },
        { "hdi_low", got->hdi_low, base->hdi_low },          { "hdi_high", got->hdi_high, base->hdi_high },
        { "summary mean", got->s.mean, base->s.mean },       { "summary sd", got->s.sd, base->s.sd },
        { "summary hdi_low", got->s.hdi_low, base->s.hdi_low },
        { "summary hdi_high", got->s.hdi_high, base->s.hdi_high },
        { "summary mcse_mean", got->s.mcse_mean, base->s.mcse_mean },
        { "summary mcse_sd", got->s.mcse_sd, base->s.mcse_sd },
    };
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        expect_same(same[k].got, same[k].want, rel, same[k].what, set, scale);
    for (size_t k = 0; k < sizeof times / sizeof times[0]; k++)
        expect_same(times[k].got, scale * times[k].want, rel, times[k].what, set, scale);
}

/* A quantity in other units has the same diagnostics: draws times 2^k
** (exact) give the very same ESS and R-hat and figures exactly 2^k times
** as large, and draws times 10^k the same up to rounding, over the whole
** range of doubles, 1e-300 to 1e300.  Sums of squares of such draws
** overflow or underflow, and constancy measured against an absolute
** epsilon calls every quantity below 1e-16 constant. */
static void test_scale_equivariance(void)
{
    static const char *sets[] = { "ar1", "shifted", "student", "binary" };
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        DrawSet set;
        if (load_draws(sets[k], &set)) { CU_FAIL_FATAL("fixture missing"); return; }
        size_t total = (size_t)set.m * (size_t)set.n;
        double *y = malloc(total * sizeof *y);
        CU_ASSERT_PTR_NOT_NULL_FATAL(y);
        Figures base, got;
        figures_of(set.x, set.m, set.n, &base);
        CU_ASSERT(isfinite(base.s.mcse_sd) && isfinite(base.s.ess_bulk));
        for (int e = -1000; e <= 1000; e += 8) {
            for (size_t i = 0; i < total; i++) y[i] = ldexp(set.x[i], e);
            figures_of(y, set.m, set.n, &got);
            expect_scaled(&got, &base, ldexp(1.0, e), 0.0, 0.0, sets[k]);
        }
        for (int e = -300; e <= 300; e += 6) {
            double scale = pow(10.0, e);
            for (size_t i = 0; i < total; i++) y[i] = set.x[i] * scale;
            figures_of(y, set.m, set.n, &got);
            /* Rounding the draws can swap two draws almost equally far
            ** from the median, which moves the folded R-hat by 1e-6. */
            expect_scaled(&got, &base, scale, 1e-12, 1e-5, sets[k]);
        }
        free(y);
        free(set.x);
    }
}

/* Constancy is relative to the draws' magnitude.  Equal draws are
** constant at any scale: no R-hat, ESS or MCSE.  Draws that vary by a
** millionth of their mean are not, however small or large: their squared
** deviations, which mcse_sd takes the ESS of, are 1e-12 of the squared
** mean, which an absolute epsilon calls constant below magnitude 1e-2,
** and the draws themselves below 1e-10. */
static void test_constant_relative(void)
{
    DrawSet set;
    if (load_draws("ar1", &set)) { CU_FAIL_FATAL("fixture missing"); return; }
    int m = set.m, n = set.n;
    size_t total = (size_t)m * (size_t)n;
    double *y = malloc(total * sizeof *y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    double ess = diag_ess_bulk(set.x, m, n), mcse_mean = diag_mcse_mean(set.x, m, n);
    double mcse_sd = diag_mcse_sd(set.x, m, n);
    for (int e = -300; e <= 300; e += 25) {
        double v = pow(10.0, e);
        for (size_t i = 0; i < total; i++) y[i] = v;
        CU_ASSERT(isnan(diag_rhat(y, m, n)));
        CU_ASSERT(isnan(diag_ess_bulk(y, m, n)));
        CU_ASSERT(isnan(diag_ess_tail(y, m, n)));
        CU_ASSERT(isnan(diag_mcse_mean(y, m, n)));
        CU_ASSERT(isnan(diag_mcse_sd(y, m, n)));
        /* v (1 + 1e-6 x): rounding keeps x to 1e-10 */
        for (size_t i = 0; i < total; i++) y[i] = v * (1 + 1e-6 * set.x[i]);
        ASSERT_REL(diag_ess_bulk(y, m, n), ess, 1e-3);
        ASSERT_REL(diag_mcse_mean(y, m, n), 1e-6 * v * mcse_mean, 1e-6);
        ASSERT_REL(diag_mcse_sd(y, m, n), 1e-6 * v * mcse_sd, 1e-6);
    }
    free(y);
    free(set.x);
}

/* ------------------------------------------------------------------ draws */

static void test_draws_layout(void)
{
    char a[] = "alpha", b[] = "theta[1]";
    const char *names[] = { a, b };
    Draws *d = draws_new(2, names, 3, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    /* names are copies: changing the caller's strings changes nothing */
    a[0] = 'X';
    CU_ASSERT_STRING_EQUAL(d->names[0], "alpha");
    CU_ASSERT_STRING_EQUAL(d->names[1], "theta[1]");
    CU_ASSERT_EQUAL(d->nvars, 2);
    CU_ASSERT_EQUAL(d->nchains, 3);
    CU_ASSERT_EQUAL(d->capacity, 4);
    CU_ASSERT_EQUAL(d->ndraws, 0);

    /* x[((v * nchains + c) * capacity + i] is documented in draws.h */
    for (int v = 0; v < 2; v++)
        for (int c = 0; c < 3; c++) {
            CU_ASSERT_PTR_EQUAL(draws_at(d, v, c), d->x + (v * 3 + c) * 4);
            CU_ASSERT_PTR_EQUAL(draws_at_const(d, v, c), d->x + (v * 3 + c) * 4);
            for (int i = 0; i < 4; i++) draws_at(d, v, c)[i] = 100 * v + 10 * c + i;
        }

    /* gather takes the kept draws only, chain after chain */
    d->ndraws = 3;
    double out[9];
    draws_gather(d, 1, out);
    double expected[9] = { 100, 101, 102, 110, 111, 112, 120, 121, 122 };
    for (int k = 0; k < 9; k++) CU_ASSERT_EQUAL(out[k], expected[k]);

    CU_ASSERT_EQUAL(draws_find(d, "alpha"), 0);
    CU_ASSERT_EQUAL(draws_find(d, "theta[1]"), 1);
    CU_ASSERT_EQUAL(draws_find(d, "theta"), -1);
    CU_ASSERT_EQUAL(draws_find(d, "Xlpha"), -1);
    CU_ASSERT_EQUAL(draws_find(d, NULL), -1);
    draws_free(d);
    draws_free(NULL);
}

static void test_draws_bad_arguments(void)
{
    const char *names[] = { "a" };
    CU_ASSERT_PTR_NULL(draws_new(-1, names, 1, 1));
    CU_ASSERT_PTR_NULL(draws_new(1, names, 0, 1));
    CU_ASSERT_PTR_NULL(draws_new(1, names, 1, -1));
    CU_ASSERT_PTR_NULL(draws_new(1, NULL, 1, 1));
    /* absurd sizes fail cleanly instead of overflowing */
    CU_ASSERT_PTR_NULL(draws_new(INT_MAX, names, INT_MAX, INT_MAX));
    Draws *empty = draws_new(0, NULL, 1, 0);
    CU_ASSERT_PTR_NOT_NULL(empty);
    CU_ASSERT_EQUAL(draws_find(empty, "a"), -1);
    draws_free(empty);
}

/* ---------------------------------------------------------------- summary */

/* Mean and sample sd by two passes in long double: independent of the
** GSL routines summary.c uses. */
static void plain_mean_sd(const double *x, size_t len, double *mean, double *sd)
{
    long double s = 0;
    for (size_t i = 0; i < len; i++) s += x[i];
    long double mu = s / len, ss = 0;
    for (size_t i = 0; i < len; i++) ss += (x[i] - mu) * (x[i] - mu);
    *mean = (double)mu;
    *sd = (double)sqrtl(ss / (len - 1));
}

/* Fills variable v of d with the set, leaving junk past ndraws so that a
** summary reading beyond the kept draws shows. */
static void fill_var(Draws *d, int v, const DrawSet *set)
{
    for (int c = 0; c < set->m; c++) {
        double *dst = draws_at(d, v, c);
        memcpy(dst, set->x + (size_t)c * set->n, (size_t)set->n * sizeof *dst);
        for (int i = set->n; i < d->capacity; i++) dst[i] = 1e300;
    }
    d->ndraws = set->n;
}

static void check_summary(const VarSummary *s, const DrawSet *set, const Ref *ref,
                          const char *name)
{
    double mean, sd;
    plain_mean_sd(set->x, (size_t)set->m * (size_t)set->n, &mean, &sd);
    ASSERT_CLOSE(s->mean, mean, 1e-12);
    ASSERT_CLOSE(s->sd, sd, 1e-12);
    ASSERT_CLOSE(s->mean, ref->mean, 1e-12);
    ASSERT_CLOSE(s->sd, ref->sd, 1e-12);
    EXPECT(s->hdi_low, ref->hdi94_low, 0.0, name);
    EXPECT(s->hdi_high, ref->hdi94_high, 0.0, name);
    EXPECT(s->mcse_mean, ref->mcse_mean, TOL_ESS, name);
    EXPECT(s->mcse_sd, ref->mcse_sd, TOL_ESS, name);
    EXPECT(s->ess_bulk, ref->ess_bulk, TOL_ESS, name);
    EXPECT(s->ess_tail, ref->ess_tail, TOL_ESS, name);
    EXPECT(s->r_hat, ref->rhat, TOL_RHAT, name);
}

static void test_summary_each_set(void)
{
    static const char *sets[] = { "iid", "ar1", "antithetic", "shifted", "student",
                                  "binary", "poisson", "onechain", "odd", "small",
                                  "constant" };
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        DrawSet set;
        Ref ref;
        if (load_draws(sets[k], &set) || load_ref(sets[k], &ref)) {
            CU_FAIL("fixture missing");
            continue;
        }
        const char *names[] = { sets[k] };
        Draws *d = draws_new(1, names, set.m, set.n + 5);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        fill_var(d, 0, &set);
        VarSummary s;
        CU_ASSERT_EQUAL(summary_compute(d, 0.94, 1, &s), 0);
        check_summary(&s, &set, &ref, sets[k]);
        /* One sort of the draws: the folded draws' order follows from it.
        ** An odd count of draws, whose split drops the middle ones, sorts
        ** the whole draws too. */
        DiagWorkspace *w = diag_workspace_new(set.m, set.n);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        DiagSummary ds;
        diag_summary(w, set.x, 0.94, &ds);
        CU_ASSERT_EQUAL(diag_workspace_sorts(w), set.n > 1 && set.n % 2 ? 2 : 1);
        /* Draws that mix well need a few lags of autocovariance, summed
        ** directly; strongly correlated ones need the FFT of all. */
        if (strcmp(sets[k], "iid") == 0 || strcmp(sets[k], "binary") == 0)
            CU_ASSERT_EQUAL(diag_workspace_ffts(w), 0);
        if (strcmp(sets[k], "ar1") == 0) CU_ASSERT(diag_workspace_ffts(w) > 0);
        /* A normal score per rank, the bulk's and the folded draws' the
        ** same ranks 1 .. S when no draws tie, and none for a second
        ** quantity. */
        long scores = diag_workspace_normal_scores(w);
        long used = (long)set.m * (set.n > 1 ? set.n / 2 * 2 : 1);
        if (strcmp(sets[k], "iid") == 0) CU_ASSERT_EQUAL(scores, used);
        CU_ASSERT(scores <= 2 * used);
        diag_summary(w, set.x, 0.94, &ds);
        CU_ASSERT_EQUAL(diag_workspace_normal_scores(w), scores);
        diag_workspace_free(w);
        draws_free(d);
        free(set.x);
    }
}

/* Three fixtures of the same shape, 4 chains x 250 draws, named same_shape[]. */
static const char *same_shape[] = { "binary", "poisson", "antithetic" };

static int load_three(DrawSet *set, Ref *ref)
{
    for (int k = 0; k < 3; k++)
        if (load_draws(same_shape[k], &set[k]) || load_ref(same_shape[k], &ref[k])) return -1;
    return 0;
}

/* Several variables in one Draws stay apart; hdi_prob is passed through. */
static void test_summary_several_vars(void)
{
    DrawSet set[3];
    Ref ref[3];
    CU_ASSERT_FATAL(load_three(set, ref) == 0);
    Draws *d = draws_new(3, same_shape, 4, 300);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    for (int k = 0; k < 3; k++) fill_var(d, k, &set[k]);
    VarSummary s[3];
    CU_ASSERT_EQUAL(summary_compute(d, 0.94, 1, s), 0);
    for (int k = 0; k < 3; k++) check_summary(&s[k], &set[k], &ref[k], same_shape[k]);

    CU_ASSERT_EQUAL(summary_compute(d, 0.5, 1, s), 0);
    for (int k = 0; k < 3; k++) {
        EXPECT(s[k].hdi_low, ref[k].hdi50_low, 0.0, same_shape[k]);
        EXPECT(s[k].hdi_high, ref[k].hdi50_high, 0.0, same_shape[k]);
    }
    draws_free(d);
    for (int k = 0; k < 3; k++) free(set[k].x);
}

/* Enough variables to be shared among threads: each still matches its
** reference, and the figures are the same bit for bit for any number of
** threads. */
static void test_summary_threads(void)
{
    enum { NVARS = 200 };
    DrawSet set[3];
    Ref ref[3];
    CU_ASSERT_FATAL(load_three(set, ref) == 0);
    const char *names[NVARS];
    for (int v = 0; v < NVARS; v++) names[v] = same_shape[v % 3];
    Draws *d = draws_new(NVARS, names, 4, 250);
    VarSummary *one = calloc(NVARS, sizeof *one), *many = calloc(NVARS, sizeof *many);
    CU_ASSERT_FATAL(d && one && many);
    for (int v = 0; v < NVARS; v++) fill_var(d, v, &set[v % 3]);
    CU_ASSERT_EQUAL(summary_compute(d, 0.94, 1, one), 0);
    for (int threads = 2; threads <= 7; threads += 5) {
        CU_ASSERT_EQUAL(summary_compute(d, 0.94, threads, many), 0);
        for (int v = 0; v < NVARS; v++) check_summary(&many[v], &set[v % 3], &ref[v % 3], same_shape[v % 3]);
        CU_ASSERT(memcmp(one, many, NVARS * sizeof *one) == 0);
    }
    free(one);
    free(many);
    draws_free(d);
    for (int k = 0; k < 3; k++) free(set[k].x);
}

/* No kept draws yet: every column undefined, no crash. */
static void test_summary_no_draws(void)
{
    const char *names[] = { "a" };
    Draws *d = draws_new(1, names, 2, 10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    VarSummary s;
    CU_ASSERT_EQUAL(summary_compute(d, 0.94, 1, &s), 0);
    CU_ASSERT(isnan(s.mean) && isnan(s.sd) && isnan(s.hdi_low) && isnan(s.hdi_high));
    CU_ASSERT(isnan(s.mcse_mean) && isnan(s.ess_bulk) && isnan(s.r_hat));
    draws_free(d);
}

/* ------------------------------------------------------------------- main */

static CU_TestInfo posterior_tests[] = {
    { "iid normal", test_posterior_iid },
    { "AR(1) rho 0.9", test_posterior_ar1 },
    { "AR(1) rho -0.9, capped ESS", test_posterior_antithetic },
    { "shifted chains", test_posterior_shifted },
    { "Student t", test_posterior_student },
    { "0/1 draws", test_posterior_binary },
    { "Poisson draws", test_posterior_poisson },
    { "one chain", test_posterior_onechain },
    { "odd draw count", test_posterior_odd },
    { "2 x 10", test_posterior_small },
    { "constant", test_posterior_constant },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo edge_tests[] = {
    { "non-finite draws", test_non_finite },
    { "too few draws", test_too_few },
    { "rank invariance", test_rank_invariance },
    { "hdi by hand", test_hdi_by_hand },
    { "ebfmi by hand", test_ebfmi_by_hand },
    { "scale equivariance, 1e-300 to 1e300", test_scale_equivariance },
    { "constancy relative to the magnitude", test_constant_relative },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo draws_tests[] = {
    { "layout, gather, find", test_draws_layout },
    { "bad arguments", test_draws_bad_arguments },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo summary_tests[] = {
    { "each fixture", test_summary_each_set },
    { "several variables", test_summary_several_vars },
    { "shared among threads", test_summary_threads },
    { "no draws", test_summary_no_draws },
    CU_TEST_INFO_NULL,
};

int main(void)
{
    CU_SuiteInfo suites[] = {
        { "diagnostics vs posterior", NULL, NULL, NULL, NULL, posterior_tests },
        { "diagnostics edge cases", NULL, NULL, NULL, NULL, edge_tests },
        { "draws", NULL, NULL, NULL, NULL, draws_tests },
        { "summary", NULL, NULL, NULL, NULL, summary_tests },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
