/*
** test_loo.c -- PSIS-LOO, WAIC and model comparison (runtime/analysis/
** loo.c) against the R package loo 2.5.1 on the same draws.
**
** Reference values: tests/fixtures/loo/NAME.ref and compare.ref, written
** by tests/fixtures/loo/make.R (`make loo-reference`) from the draws of
** NAME_C.csv, which bmc reads here as `bmc loo` does.  Run from the
** repository root (the fixtures are opened by relative path).
*/
#include "testutil.h"
#include "draws_csv.h"
#include "loo.h"

#define FIXTURE_DIR "tests/fixtures/loo/"
#define TOL 1e-8
#define WEIGHT_TOL 1e-5

/* ---------------------------------------------------------------- fixtures */

typedef struct Ref {
    char key[256][32];
    char value[256][40];
    int n;
} Ref;

static int load_ref(const char *name, Ref *ref)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURE_DIR "%s.ref", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "\n  cannot open %s (run from the repository root)\n", path);
        return -1;
    }
    ref->n = 0;
    while (ref->n < 256 && fscanf(f, "%31s %39s", ref->key[ref->n], ref->value[ref->n]) == 2) ref->n++;
    fclose(f);
    return 0;
}

static const char *ref_text(const Ref *ref, const char *key)
{
    for (int i = 0; i < ref->n; i++)
        if (strcmp(ref->key[i], key) == 0) return ref->value[i];
    fprintf(stderr, "\n  no reference for %s\n", key);
    CU_FAIL("reference missing");
    return "NA";
}

/* loo's NA is NAN, its Inf +inf */
static double ref_get(const Ref *ref, const char *key)
{
    const char *v = ref_text(ref, key);
    if (strcmp(v, "NA") == 0) return NAN;
    if (strcmp(v, "Inf") == 0) return INFINITY;
    return strtod(v, NULL);
}

#define EXPECT(actual, ref, key, tol) do { \
    double want_ = ref_get(ref, key), got_ = (actual); \
    if (isnan(want_) || isinf(want_)) { \
        if (!(isnan(want_) ? isnan(got_) : got_ == want_)) \
            fprintf(stderr, "\n  %s = %.17g, expected %s\n", key, got_, ref_text(ref, key)); \
        CU_ASSERT(isnan(want_) ? isnan(got_) : got_ == want_); \
    } else { \
        if (!(fabs(got_ - want_) <= (tol) * fabs(want_))) fprintf(stderr, "\n  [%s]", key); \
        ASSERT_REL(got_, want_, tol); \
    } \
} while (0)

/* The chains of set name, read as `bmc loo` reads them. */
static Draws *read_set(const char *name, int chains)
{
    char paths[8][256];
    const char *p[8];
    for (int c = 0; c < chains; c++) {
        snprintf(paths[c], sizeof paths[c], FIXTURE_DIR "%s_%d.csv", name, c + 1);
        p[c] = paths[c];
    }
    Draws *d = NULL;
    DrawsCsvRun run;
    DrawsCsvError err;
    if (draws_csv_read(p, chains, &d, &run, &err) != 0) {
        fprintf(stderr, "\n  %s:%d: %s\n", err.file, err.line, err.message);
        return NULL;
    }
    draws_csv_run_free(&run);
    return d;
}

static int loo_of_set(const char *name, int chains, LooResult *r)
{
    Draws *d = read_set(name, chains);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int *vars = NULL;
    int n = loo_log_lik_vars(d, &vars);
    CU_ASSERT(n > 0);
    int rc = loo_of_draws(d, vars, n, r, NULL);
    free(vars);
    draws_free(d);
    return rc;
}

/* ---------------------------------------------------------------- tests */

static void check_set(const char *name, int chains, LooResult *keep)
{
    Ref ref;
    LooResult r;
    if (load_ref(name, &ref) != 0 || loo_of_set(name, chains, &r) != 0) {
        CU_FAIL("fixture");
        return;
    }
    EXPECT(r.elpd_loo.estimate, &ref, "elpd_loo", TOL);
    EXPECT(r.elpd_loo.se, &ref, "se_elpd_loo", TOL);
    EXPECT(r.p_loo.estimate, &ref, "p_loo", TOL);
    EXPECT(r.p_loo.se, &ref, "se_p_loo", TOL);
    EXPECT(r.looic.estimate, &ref, "looic", TOL);
    EXPECT(r.looic.se, &ref, "se_looic", TOL);
    EXPECT(r.mcse_elpd_loo, &ref, "mcse_elpd_loo", TOL);
    EXPECT(r.elpd_waic.estimate, &ref, "elpd_waic", TOL);
    EXPECT(r.elpd_waic.se, &ref, "se_elpd_waic", TOL);
    EXPECT(r.p_waic.estimate, &ref, "p_waic", TOL);
    EXPECT(r.p_waic.se, &ref, "se_p_waic", TOL);
    EXPECT(r.waic.estimate, &ref, "waic", TOL);
    EXPECT(r.waic.se, &ref, "se_waic", TOL);
    for (int i = 0; i < r.npoints; i++) {
        char key[32];
        snprintf(key, sizeof key, "k.%d", i + 1);
        EXPECT(r.pareto_k[i], &ref, key, TOL);
        snprintf(key, sizeof key, "r_eff.%d", i + 1);
        EXPECT(r.r_eff[i], &ref, key, TOL);
        snprintf(key, sizeof key, "elpd_loo.%d", i + 1);
        EXPECT(r.elpd_loo_i[i], &ref, key, TOL);
    }
    if (keep) *keep = r;
    else loo_result_free(&r);
}

static void test_normal(void) { check_set("cmp_normal", 4, NULL); }
static void test_narrow(void) { check_set("cmp_narrow", 4, NULL); }
static void test_student(void) { check_set("cmp_student", 4, NULL); }

/* One point far out: its k is above the threshold, the only one. */
static void test_outlier(void)
{
    LooResult r;
    check_set("outlier", 4, &r);
    CU_ASSERT_EQUAL(r.nhigh, 1);
    CU_ASSERT(loo_k_high(&r, r.pareto_k[29]));
    CU_ASSERT_EQUAL(r.k_count[LOO_K_VERY_BAD], 1);
    CU_ASSERT_EQUAL(r.k_count[LOO_K_GOOD] + r.k_count[LOO_K_OK], 29);
    CU_ASSERT_DOUBLE_EQUAL(r.k_threshold, 1.0 - 1.0 / 3.0, 1e-15);     /* S = 1000 */
    loo_result_free(&r);
}

/* 120 draws: the threshold 1 - 1/log10(120) and counts of every range. */
static void test_short(void)
{
    LooResult r;
    check_set("short", 2, &r);
    CU_ASSERT_DOUBLE_EQUAL(r.k_threshold, 1.0 - 1.0 / log10(120.0), 1e-15);
    int count[LOO_K_RANGES] = { 0 }, high = 0;
    for (int i = 0; i < r.npoints; i++) {
        double k = r.pareto_k[i];
        count[k <= 0.5 ? 0 : k <= 0.7 ? 1 : k <= 1 ? 2 : 3]++;
        high += k > 1.0 - 1.0 / log10(120.0);
    }
    for (int j = 0; j < LOO_K_RANGES; j++) CU_ASSERT_EQUAL(r.k_count[j], count[j]);
    CU_ASSERT_EQUAL(r.nhigh, high);
    CU_ASSERT(r.nhigh > r.k_count[LOO_K_BAD] + r.k_count[LOO_K_VERY_BAD]);
    loo_result_free(&r);
}

static void test_compare(void)
{
    const char *names[] = { "cmp_normal", "cmp_narrow", "cmp_student" };
    LooResult r[3];
    const LooResult *p[3];
    Ref ref;
    CU_ASSERT_EQUAL_FATAL(load_ref("compare", &ref), 0);
    for (int j = 0; j < 3; j++) {
        CU_ASSERT_EQUAL_FATAL(loo_of_set(names[j], 4, &r[j]), 0);
        p[j] = &r[j];
    }
    LooComparison c;
    CU_ASSERT_EQUAL_FATAL(loo_compare(p, 3, &c), 0);
    double sum = 0.0;
    for (int rank = 0; rank < 3; rank++) {
        char key[64];
        snprintf(key, sizeof key, "rank.%d", rank + 1);
        CU_ASSERT_STRING_EQUAL(names[c.rank[rank]], ref_text(&ref, key));
    }
    for (int j = 0; j < 3; j++) {
        char key[64];
        snprintf(key, sizeof key, "elpd_diff.%s", names[j]);
        if (c.elpd_diff[j] == 0.0) {
            CU_ASSERT_EQUAL(ref_get(&ref, key), 0.0);
        } else {
            EXPECT(c.elpd_diff[j], &ref, key, TOL);
        }
        snprintf(key, sizeof key, "se_diff.%s", names[j]);
        if (c.se_diff[j] == 0.0) {
            CU_ASSERT_EQUAL(ref_get(&ref, key), 0.0);
        } else {
            EXPECT(c.se_diff[j], &ref, key, TOL);
        }
        /* loo's own weights stop short of the optimum by up to 2e-4 */
        snprintf(key, sizeof key, "weight.%s", names[j]);
        ASSERT_CLOSE(c.weight[j], ref_get(&ref, key), 1e-3);
        snprintf(key, sizeof key, "weight_optimum.%s", names[j]);
        ASSERT_CLOSE(c.weight[j], ref_get(&ref, key), WEIGHT_TOL);
        sum += c.weight[j];
    }
    ASSERT_CLOSE(sum, 1.0, 1e-12);
    loo_comparison_free(&c);
    for (int j = 0; j < 3; j++) loo_result_free(&r[j]);
}

/* Points must match: models of different data are not compared. */
static void test_compare_mismatch(void)
{
    LooResult a, b;
    CU_ASSERT_EQUAL_FATAL(loo_of_set("cmp_normal", 4, &a), 0);
    CU_ASSERT_EQUAL_FATAL(loo_of_set("short", 2, &b), 0);
    b.npoints = a.npoints - 1;
    const LooResult *p[2] = { &a, &b };
    LooComparison c;
    CU_ASSERT_EQUAL(loo_compare(p, 2, &c), -1);
    b.npoints = a.npoints;
    loo_result_free(&a);
    loo_result_free(&b);
}

/* Two models, one always better at every point: all weight on it; two
** equal models: half each. */
static void test_stacking_simple(void)
{
    double good[5] = { -1, -1.2, -0.8, -1.1, -0.9 }, bad[5] = { -3, -3.5, -2.8, -3.1, -2.9 };
    const double *lpd[2] = { bad, good };
    double w[2];
    CU_ASSERT_EQUAL(loo_stacking_weights(lpd, 2, 5, w), 0);
    ASSERT_CLOSE(w[1], 1.0, 1e-4);
    const double *same[2] = { good, good };
    CU_ASSERT_EQUAL(loo_stacking_weights(same, 2, 5, w), 0);
    ASSERT_CLOSE(w[0], 0.5, 1e-9);
}

/* Not finite values, one draw: no estimate, nothing to free. */
static void test_bad_input(void)
{
    double ll[4] = { -1, NAN, -2, -1 };
    LooResult r;
    int bad = -1;
    CU_ASSERT_EQUAL(loo_compute(ll, 1, 4, 1, &r, &bad), LOO_NOT_FINITE);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(loo_compute(ll, 1, 1, 1, &r, NULL), -1);
}

/* Variables named log_lik[k] are found in the order of k. */
static void test_log_lik_vars(void)
{
    const char *names[] = { "mu", "log_lik[2]", "log_lik[10]", "log_lik[1]", "log_likx[3]" };
    Draws *d = draws_new(5, names, 1, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int *vars = NULL;
    CU_ASSERT_EQUAL(loo_log_lik_vars(d, &vars), 3);
    if (vars) {
        CU_ASSERT_EQUAL(vars[0], 3);
        CU_ASSERT_EQUAL(vars[1], 1);
        CU_ASSERT_EQUAL(vars[2], 2);
    }
    free(vars);
    /* a group, once set, says which they are */
    d->group[0] = DRAWS_LOG_LIK;
    CU_ASSERT_EQUAL(loo_log_lik_vars(d, &vars), 1);
    if (vars) CU_ASSERT_EQUAL(vars[0], 0);
    free(vars);
    draws_free(d);
}

int main(void)
{
    CU_TestInfo against_r[] = {
        { "normal model", test_normal },
        { "too narrow a model", test_narrow },
        { "Student t model", test_student },
        { "an outlier: k above the threshold", test_outlier },
        { "120 draws: the threshold by sample size", test_short },
        { "loo_compare and stacking weights", test_compare },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo edges[] = {
        { "models of different points", test_compare_mismatch },
        { "stacking, plain cases", test_stacking_simple },
        { "input that gives no estimate", test_bad_input },
        { "finding the log_lik variables", test_log_lik_vars },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "loo vs R's loo 2.5.1", NULL, NULL, NULL, NULL, against_r },
        { "loo edge cases", NULL, NULL, NULL, NULL, edges },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
