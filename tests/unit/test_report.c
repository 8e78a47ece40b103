/*
** test_report.c -- the output layer: the summary table, its run line and
** warnings, the --vars selection, the JSON object and the CmdStan CSV.
**
** Draws and summaries are built by hand, so every expected string below
** follows from the inputs by the formatting rules alone (decimal
** rounding, thousands separators, (1 -/+ p)/2 for the HDI titles), never
** from this code's own output.
*/
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "format.h"
#include "report.h"
#include "testutil.h"

#include "report_fixtures.h"

static ReportOptions default_opt(void)
{
    return (ReportOptions){ .hdi_prob = 0.94, .round = -1, .which = NULL, .nwhich = 0 };
}

/* ------------------------------------------------------------------ */
/* Capturing output                                                    */
/* ------------------------------------------------------------------ */

/* The whole content of f (malloc'ed, caller frees). */
typedef struct Captured {
    char *out, *err;
} Captured;

/* report_table, with report_warnings' list, into two temporary files
** (not terminals: no colour). */
static Captured table(const Draws *d, const VarSummary *s, const RunInfo *run,
                      const ReportOptions *opt)
{
    FILE *out = tmpfile(), *err = tmpfile();
    Warnings w;
    warnings_init(&w);
    CU_ASSERT_EQUAL(report_warnings(&w, d, s, run, opt), 0);
    report_table(out, err, d, s, run, opt, &w);
    warnings_free(&w);
    Captured c = { slurp(out), slurp(err) };
    fclose(out);
    fclose(err);
    return c;
}

static void captured_free(Captured c)
{
    free(c.out);
    free(c.err);
}

/* Number of lines of text that contain needle. */
static int lines_with(const char *text, const char *needle)
{
    int n = 0;
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *copy = strndup(line, len);
        if (strstr(copy, needle)) n++;
        free(copy);
        if (!end) break;
        line = end + 1;
    }
    return n;
}

static int warnings(const char *err)
{
    int n = 0;
    for (const char *p = err; p; p = strchr(p, '\n')) {
        if (*p == '\n') p++;
        if (strncmp(p, "warning: ", 9) == 0) n++;
    }
    return n;
}

enum { MAXTOK = 16 };

/* Splits line at blanks: token starts, ends (one past) and count. */
static int tokens(const char *line, int start[MAXTOK], int end[MAXTOK])
{
    int n = 0, i = 0;
    while (line[i] && n < MAXTOK) {
        while (line[i] == ' ') i++;
        if (!line[i]) break;
        start[n] = i;
        while (line[i] && line[i] != ' ') i++;
        end[n++] = i;
    }
    return n;
}

/* Cell col (0 = name) of table row row (0 = first variable), copied. */
static void cell(const char *out, int row, int col, char *buf, size_t size)
{
    char *line = line_at(out, row + 1);
    buf[0] = '\0';
    if (!line) return;
    int s[MAXTOK], e[MAXTOK];
    int n = tokens(line, s, e);
    if (col < n) snprintf(buf, size, "%.*s", e[col] - s[col], line + s[col]);
    free(line);
}

#define ASSERT_CELL(out, row, col, expected) do { \
    char got_[64]; \
    cell(out, row, col, got_, sizeof got_); \
    if (strcmp(got_, expected) != 0) \
        fprintf(stderr, "\n  %s:%d: cell (%d,%d) = '%s', expected '%s'\n", \
                __FILE__, __LINE__, row, col, got_, expected); \
    CU_ASSERT_STRING_EQUAL(got_, expected); \
} while (0)

/* Checks the layout: a header of the nine titles, then rows whose name
** starts at column 0 and whose nine numbers end exactly where the titles
** end (right-aligned columns).  Returns the number of rows. */
static int check_aligned(const char *out, const char *const titles[9])
{
    char *header = line_at(out, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(header);
    int hs[MAXTOK], he[MAXTOK];
    int hn = tokens(header, hs, he);
    CU_ASSERT_EQUAL(hn, 9);
    for (int j = 0; j < 9 && j < hn; j++) {
        char t[64];
        snprintf(t, sizeof t, "%.*s", he[j] - hs[j], header + hs[j]);
        CU_ASSERT_STRING_EQUAL(t, titles[j]);
    }
    int rows = 0;
    char *line;
    while ((line = line_at(out, rows + 1)) != NULL) {
        int s[MAXTOK], e[MAXTOK];
        int n = tokens(line, s, e);
        CU_ASSERT_EQUAL(n, 10);
        CU_ASSERT_EQUAL(s[0], 0);
        for (int j = 0; j < 9 && j + 1 < n && j < hn; j++) CU_ASSERT_EQUAL(e[j + 1], he[j]);
        CU_ASSERT_EQUAL(strlen(line), strlen(header));
        free(line);
        rows++;
    }
    free(header);
    return rows;
}

static const char *const titles94[9] = {
    "mean", "sd", "hdi_3%", "hdi_97%", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat"
};

/* ------------------------------------------------------------------ */
/* Table                                                               */
/* ------------------------------------------------------------------ */

static void test_table_layout(void)
{
    VarSummary s[NV];
    healthy(s);
    s[3].mean = -1234.5678;          /* wider cells must widen their column */
    s[3].sd = 321.0;
    RunInfo run = healthy_run();
    ReportOptions opt = default_opt();
    Captured c = table(&g_draws, s, &run, &opt);
    CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
    for (int v = 0; v < NV; v++) {
        char name[64];
        cell(c.out, v, 0, name, sizeof name);
        CU_ASSERT_STRING_EQUAL(name, g_names[v]);
    }
    /* The table goes to out, everything else to err. */
    CU_ASSERT_PTR_NULL(strstr(c.out, "chains"));
    CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "chains"));
    CU_ASSERT_PTR_NULL(strchr(c.err, '\033'));
    CU_ASSERT_PTR_NULL(strchr(c.out, '\033'));
    captured_free(c);
}

/* Titles for several HDI probabilities: the lower and upper tails are
** 100 (1 - p) / 2 and 100 (1 + p) / 2 percent. */
static void test_hdi_titles(void)
{
    static const struct { double p; const char *lo, *hi; } cases[] = {
        { 0.94, "hdi_3%", "hdi_97%" },
        { 0.90, "hdi_5%", "hdi_95%" },
        { 0.95, "hdi_2.5%", "hdi_97.5%" },
        { 0.89, "hdi_5.5%", "hdi_94.5%" },
        { 0.50, "hdi_25%", "hdi_75%" },
    };
    VarSummary s[NV];
    healthy(s);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ReportOptions opt = default_opt();
        opt.hdi_prob = cases[i].p;
        Captured c = table(&g_draws, s, NULL, &opt);
        const char *titles[9] = { "mean", "sd", cases[i].lo, cases[i].hi, "mcse_mean",
                                  "mcse_sd", "ess_bulk", "ess_tail", "r_hat" };
        CU_ASSERT_EQUAL(check_aligned(c.out, titles), NV);
        captured_free(c);
    }
}

static void test_round_auto(void)
{
    VarSummary s[NV];
    healthy(s);
    /* sd 150.2: two to three significant digits of the sd -> no decimals. */
    s[1] = (VarSummary){ .mean = 15000.3, .sd = 150.2, .hdi_low = 14712.6,
                         .hdi_high = 15291.49, .mcse_mean = 2.44, .mcse_sd = 1.71,
                         .ess_bulk = 3796.6, .ess_tail = 2901.5, .r_hat = 1.0049 };
    /* sd 2.5 -> one decimal. */
    s[2] = (VarSummary){ .mean = -3.14159, .sd = 2.5, .hdi_low = -7.77,
                         .hdi_high = 1.23, .mcse_mean = 0.04, .mcse_sd = 0.03,
                         .ess_bulk = 99.5, .ess_tail = 1500, .r_hat = 1.006 };
    ReportOptions opt = default_opt();
    Captured c = table(&g_draws, s, NULL, &opt);
    CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
    /* p_A: sd 0.0103 -> three decimals, for mcse too; ESS whole. */
    ASSERT_CELL(c.out, 0, 1, "0.121");
    ASSERT_CELL(c.out, 0, 2, "0.010");
    ASSERT_CELL(c.out, 0, 3, "0.102");
    ASSERT_CELL(c.out, 0, 4, "0.140");
    ASSERT_CELL(c.out, 0, 5, "0.000");
    ASSERT_CELL(c.out, 0, 6, "0.000");
    ASSERT_CELL(c.out, 0, 7, "3840");
    ASSERT_CELL(c.out, 0, 8, "2893");
    ASSERT_CELL(c.out, 0, 9, "1.00");
    ASSERT_CELL(c.out, 1, 1, "15000");
    ASSERT_CELL(c.out, 1, 2, "150");
    ASSERT_CELL(c.out, 1, 3, "14713");
    ASSERT_CELL(c.out, 1, 4, "15291");
    ASSERT_CELL(c.out, 1, 5, "2");
    ASSERT_CELL(c.out, 1, 7, "3797");
    ASSERT_CELL(c.out, 1, 8, "2902");
    ASSERT_CELL(c.out, 1, 9, "1.00");
    ASSERT_CELL(c.out, 2, 1, "-3.1");
    ASSERT_CELL(c.out, 2, 2, "2.5");
    ASSERT_CELL(c.out, 2, 3, "-7.8");
    ASSERT_CELL(c.out, 2, 5, "0.0");
    ASSERT_CELL(c.out, 2, 9, "1.01");
    captured_free(c);
}

static void test_round_fixed(void)
{
    VarSummary s[NV];
    healthy(s);
    s[1] = (VarSummary){ .mean = 15000.3, .sd = 150.2, .hdi_low = 14712.6,
                         .hdi_high = 15291.49, .mcse_mean = 2.44, .mcse_sd = 1.71,
                         .ess_bulk = 3796.6, .ess_tail = 2901.5, .r_hat = 1.0049 };
    ReportOptions opt = default_opt();
    opt.round = 2;
    Captured c = table(&g_draws, s, NULL, &opt);
    CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
    ASSERT_CELL(c.out, 0, 1, "0.12");
    ASSERT_CELL(c.out, 0, 2, "0.01");
    ASSERT_CELL(c.out, 0, 5, "0.00");
    ASSERT_CELL(c.out, 0, 7, "3840");
    ASSERT_CELL(c.out, 1, 1, "15000.30");
    ASSERT_CELL(c.out, 1, 4, "15291.49");
    ASSERT_CELL(c.out, 1, 7, "3797");
    ASSERT_CELL(c.out, 1, 9, "1.00");
    captured_free(c);

    opt.round = 4;
    c = table(&g_draws, s, NULL, &opt);
    CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
    ASSERT_CELL(c.out, 0, 1, "0.1213");
    ASSERT_CELL(c.out, 0, 5, "0.0003");
    ASSERT_CELL(c.out, 0, 9, "1.00");
    ASSERT_CELL(c.out, 1, 2, "150.2000");
    captured_free(c);

    opt.round = 0;
    c = table(&g_draws, s, NULL, &opt);
    CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
    ASSERT_CELL(c.out, 0, 1, "0");
    ASSERT_CELL(c.out, 1, 1, "15000");
    ASSERT_CELL(c.out, 1, 9, "1.00");
    captured_free(c);
}

static void test_nan_display(void)
{
    VarSummary s[NV];
    healthy(s);
    /* A constant 0/1 quantity: sd 0, no R-hat or ESS. */
    s[2] = (VarSummary){ .mean = 1, .sd = 0, .hdi_low = 1, .hdi_high = 1,
                         .mcse_mean = NAN, .mcse_sd = NAN, .ess_bulk = NAN,
                         .ess_tail = NAN, .r_hat = NAN };
    s[3].mean = NAN;
    for (int round = -1; round <= 2; round += 3) {
        ReportOptions opt = default_opt();
        opt.round = round;
        Captured c = table(&g_draws, s, NULL, &opt);
        CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
        for (int col = 5; col <= 9; col++) ASSERT_CELL(c.out, 2, col, "nan");
        ASSERT_CELL(c.out, 3, 1, "nan");
        CU_ASSERT_PTR_NULL(strstr(c.out, "NaN"));
        captured_free(c);
    }
}

/* Extreme magnitudes keep the columns aligned and the lines short. */
static void test_extreme_magnitudes(void)
{
    VarSummary s[NV];
    healthy(s);
    s[0] = (VarSummary){ .mean = 3e20, .sd = 1e19, .hdi_low = 2.8e20, .hdi_high = 3.2e20,
                         .mcse_mean = 1e17, .mcse_sd = 5e16, .ess_bulk = 1000,
                         .ess_tail = 900, .r_hat = 1 };
    s[1] = (VarSummary){ .mean = 5e-9, .sd = 1e-9, .hdi_low = 3e-9, .hdi_high = 7e-9,
                         .mcse_mean = 1e-11, .mcse_sd = 1e-11, .ess_bulk = 1000,
                         .ess_tail = 900, .r_hat = 1 };
    s[2].mean = -INFINITY;
    for (int round = -1; round <= 3; round += 4) {
        ReportOptions opt = default_opt();
        opt.round = round;
        Captured c = table(&g_draws, s, NULL, &opt);
        CU_ASSERT_EQUAL(check_aligned(c.out, titles94), NV);
        char *header = line_at(c.out, 0);
        CU_ASSERT(strlen(header) < 120);
        free(header);
        char buf[64];
        cell(c.out, 0, 1, buf, sizeof buf);
        ASSERT_REL(strtod(buf, NULL), 3e20, 0.01);
        ASSERT_CELL(c.out, 2, 1, "-inf");
        captured_free(c);
    }
    /* Automatic rounding shows tiny values, not a row of zeros. */
    ReportOptions opt = default_opt();
    Captured c = table(&g_draws, s, NULL, &opt);
    char buf[64];
    cell(c.out, 1, 1, buf, sizeof buf);
    ASSERT_REL(strtod(buf, NULL), 5e-9, 0.01);
    cell(c.out, 1, 2, buf, sizeof buf);
    ASSERT_REL(strtod(buf, NULL), 1e-9, 0.01);
    captured_free(c);
}

static void test_table_selection(void)
{
    VarSummary s[NV];
    healthy(s);
    int which[] = { 2, 0 };
    ReportOptions opt = default_opt();
    opt.which = which;
    opt.nwhich = 2;
    Captured c = table(&g_draws, s, NULL, &opt);
    CU_ASSERT_EQUAL(check_aligned(c.out, titles94), 2);
    ASSERT_CELL(c.out, 0, 0, "diff");
    ASSERT_CELL(c.out, 1, 0, "p_A");
    CU_ASSERT_PTR_NULL(strstr(c.out, "p_B"));
    CU_ASSERT_PTR_NULL(strstr(c.out, "theta"));
    /* The name column is as wide as the longest selected name. */
    char *row = line_at(c.out, 2);
    CU_ASSERT_EQUAL(row[strlen("diff")], ' ');
    CU_ASSERT_NOT_EQUAL(row[strlen("diff") + 2], ' ');
    free(row);
    captured_free(c);
}

/* ------------------------------------------------------------------ */
/* Selection                                                           */
/* ------------------------------------------------------------------ */

static void expect_selection(const char *spec, const int *expected, int n)
{
    int *which = NULL, count = -1;
    char *bad = NULL;
    CU_ASSERT_EQUAL(report_select(&g_draws, spec, &which, &count, &bad), 0);
    CU_ASSERT_PTR_NULL(bad);
    CU_ASSERT_PTR_NOT_NULL(which);
    CU_ASSERT_EQUAL(count, n);
    for (int i = 0; i < n && i < count; i++) CU_ASSERT_EQUAL(which[i], expected[i]);
    free(which);
}

static void expect_unknown(const char *spec, const char *name)
{
    int *which = NULL, count = -1;
    char *bad = NULL;
    CU_ASSERT_EQUAL(report_select(&g_draws, spec, &which, &count, &bad), -1);
    CU_ASSERT_PTR_NULL(which);
    CU_ASSERT_PTR_NOT_NULL(bad);
    if (bad) CU_ASSERT_STRING_EQUAL(bad, name);
    free(bad);
}

static void test_select(void)
{
    expect_selection("p_B", (int[]){ 1 }, 1);
    expect_selection("theta", (int[]){ 3, 4 }, 2);
    expect_selection("theta[2]", (int[]){ 4 }, 1);
    expect_selection("diff,p_A", (int[]){ 2, 0 }, 2);
    expect_selection("  p_B ,\ttheta[2] ,, p_B,", (int[]){ 1, 4 }, 2);
    expect_selection("theta[2], theta", (int[]){ 4, 3 }, 2);
    expect_selection("theta, theta[1]", (int[]){ 3, 4 }, 2);
    expect_selection("", NULL, 0);
    expect_selection(" , ", NULL, 0);
    expect_unknown("p_A, thet", "thet");
    expect_unknown("p", "p");                /* a prefix is not a vector name */
    expect_unknown("theta[3]", "theta[3]");
    expect_unknown("p_a", "p_a");            /* names are case-sensitive */
}

/* A matrix's elements by the names the table prints, M[1,2], with or
** without blanks, and its rows by M[i]. */
static void test_select_matrix(void)
{
    const char *names[] = { "s", "z[1,1]", "z[1,2]", "z[2,1]", "z[2,2]", "v[1]", "v[12]" };
    Draws *d = draws_new(7, names, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    static const struct { const char *spec; int n, which[4]; } cases[] = {
        { "z[1,2]", 1, { 2 } },
        { "z[2, 1]", 1, { 3 } },
        { "z[1,2],s", 2, { 2, 0 } },
        { " z [ 2 , 2 ] , v[12]", 2, { 4, 6 } },
        { "z[2]", 2, { 3, 4 } },
        { "z", 4, { 1, 2, 3, 4 } },
        { "v[1]", 1, { 5 } },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int *which = NULL, count = -1;
        char *bad = NULL;
        CU_ASSERT_EQUAL(report_select(d, cases[k].spec, &which, &count, &bad), 0);
        CU_ASSERT_EQUAL(count, cases[k].n);
        for (int i = 0; i < cases[k].n && i < count; i++) CU_ASSERT_EQUAL(which[i], cases[k].which[i]);
        free(which);
        free(bad);
    }
    const char *unknown[] = { "z[3]", "z[1,3]", "z[1", "v[2]" };
    for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++) {
        int *which = NULL, count = -1;
        char *bad = NULL;
        CU_ASSERT_EQUAL(report_select(d, unknown[k], &which, &count, &bad), -1);
        if (bad) CU_ASSERT_STRING_EQUAL(bad, unknown[k]);
        free(which);
        free(bad);
    }
    draws_free(d);
}

/* ------------------------------------------------------------------ */
/* Run line and warnings                                               */
/* ------------------------------------------------------------------ */

static void test_run_line(void)
{
    VarSummary s[NV];
    healthy(s);
    RunInfo run = healthy_run();
    ReportOptions opt = default_opt();
    Captured c = table(&g_draws, s, &run, &opt);
    char *line = line_at(c.err, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(line);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "4 chains"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "1000 draws"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "1000 tune"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "0.05 s"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "123,456 gradient evaluations"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "0 divergences"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "seed 42"));
    /* Slowest: min bulk ESS 3840.4 (p_A) over 0.05 s = 76,808. */
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "ESS/s: 76,808 (p_A)"));
    CU_ASSERT_EQUAL(lines_with(c.err, "interrupted"), 0);
    CU_ASSERT_EQUAL(warnings(c.err), 0);
    free(line);
    captured_free(c);

    /* Selecting p_B alone: 4000 / 0.05 = 80,000. */
    int which[] = { 1 };
    opt.which = which;
    opt.nwhich = 1;
    run.seed = 18446744073709551615UL;
    run.gradient_evals = 1234567890L;
    c = table(&g_draws, s, &run, &opt);
    CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "ESS/s: 80,000 (p_B)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "1,234,567,890 gradient evaluations"));
    CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "seed 18446744073709551615"));
    captured_free(c);
}

static void test_interrupted(void)
{
    VarSummary s[NV];
    healthy(s);
    RunInfo run = healthy_run();
    run.interrupted = true;
    run.draws_kept = ND;
    ReportOptions opt = default_opt();
    Captured c = table(&g_draws, s, &run, &opt);
    char expected[128];
    snprintf(expected, sizeof expected,
             "interrupted: summary of the %d draws per chain made before the run was stopped", ND);
    CU_ASSERT_EQUAL(lines_with(c.err, expected), 1);
    captured_free(c);
}

/* Runs the table and returns its warnings (caller frees). */
static char *warnings_of(const VarSummary *s, const RunInfo *run)
{
    ReportOptions opt = default_opt();
    Captured c = table(&g_draws, s, run, &opt);
    free(c.out);
    CU_ASSERT_PTR_NULL(strchr(c.err, '\033'));
    return c.err;
}

static void test_warn_rhat(void)
{
    VarSummary s[NV];
    RunInfo run = healthy_run();
    healthy(s);
    s[2].r_hat = 1.01;                   /* the threshold itself passes */
    s[3].r_hat = NAN;                    /* constant quantities have none */
    char *err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 0);
    free(err);

    s[2].r_hat = 1.05;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err, "warning: r_hat"), 1);
    CU_ASSERT_EQUAL(lines_with(err, "diff (1.050)"), 1);
    CU_ASSERT_EQUAL(lines_with(err, "--draws"), 1);
    CU_ASSERT_EQUAL(lines_with(err, "reparameteris"), 1);
    CU_ASSERT_PTR_NULL(strstr(err, "more"));
    free(err);

    for (int v = 0; v < NV; v++) s[v].r_hat = 1.2;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err, "+2 more"), 1);
    CU_ASSERT_PTR_NULL(strstr(err, "theta[2] ("));   /* fourth and fifth are counted, not named */
    free(err);
}

static void test_warn_ess(void)
{
    VarSummary s[NV];
    RunInfo run = healthy_run();
    healthy(s);
    /* 4 chains: the floor is 400; exactly 400 passes, NaN is no warning. */
    s[0].ess_bulk = 400;
    s[1].ess_tail = 400;
    s[2].ess_bulk = NAN;
    char *err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 0);
    free(err);

    s[0].ess_bulk = 153;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err,
        "warning: ess_bulk of p_A is 153 (fewer than 100 per chain): run more draws with --draws"), 1);
    free(err);

    s[0].ess_bulk = 3000;
    s[4].ess_tail = 399.4;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err, "warning: ess_tail of theta[2] is 399 (fewer than 100 per chain)"), 1);
    free(err);

    s[0].ess_bulk = 153;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 2);
    free(err);

    /* With one chain the floor is 100. */
    Draws one = g_draws;
    one.nchains = 1;
    healthy(s);
    s[0].ess_bulk = 153;
    ReportOptions opt = default_opt();
    run.chains = 1;
    Captured c = table(&one, s, &run, &opt);
    CU_ASSERT_EQUAL(warnings(c.err), 0);
    captured_free(c);
}

static void test_warn_sampler(void)
{
    VarSummary s[NV];
    healthy(s);
    RunInfo run = healthy_run();

    run.divergences = 12;
    char *err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err, "warning: 12 divergent transitions after warm-up: "
                                    "raise --target-accept (e.g. 0.95) or reparameterise"), 1);
    free(err);

    run.divergences = 0;
    run.treedepth_hits = 34;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err, "warning: 34 draws hit the maximum tree depth 10: "
                                    "raise --max-treedepth or reparameterise"), 1);
    free(err);

    run.treedepth_hits = 0;
    double ebfmi[NC] = { 0.8, 0.21, 0.3, NAN };   /* 0.3 itself passes */
    run.ebfmi = ebfmi;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 1);
    CU_ASSERT_EQUAL(lines_with(err, "warning: chain 2 has E-BFMI 0.21 (below 0.3)"), 1);
    CU_ASSERT_EQUAL(lines_with(err, "reparameterise"), 1);
    free(err);

    run.ebfmi = NULL;                      /* not recorded: nothing to say */
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 0);
    free(err);

    /* All at once: one line each. */
    run.ebfmi = ebfmi;
    run.divergences = 1;
    run.treedepth_hits = 1;
    s[0].r_hat = 1.1;
    s[1].ess_bulk = 10;
    s[1].ess_tail = 10;
    err = warnings_of(s, &run);
    CU_ASSERT_EQUAL(warnings(err), 6);
    CU_ASSERT_EQUAL(lines_with(err, "1 divergent transition after"), 1);
    CU_ASSERT_EQUAL(lines_with(err, "1 draw hit"), 1);
    free(err);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static char *json_text(const VarSummary *s, const RunInfo *run, const ReportOptions *opt)
{
    FILE *f = tmpfile();
    Warnings w;
    warnings_init(&w);
    CU_ASSERT_EQUAL(report_warnings(&w, &g_draws, s, run, opt), 0);
    CU_ASSERT_EQUAL(report_json(f, &g_draws, s, run, opt, &w), 0);
    warnings_free(&w);
    char *text = slurp(f);
    fclose(f);
    return text;
}

static void expect_real(json_t *obj, const char *key, double x)
{
    json_t *v = json_object_get(obj, key);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT(json_is_number(v));
    if (json_number_value(v) != x)
        fprintf(stderr, "\n  %s = %.17g, expected %.17g\n", key, json_number_value(v), x);
    CU_ASSERT(json_number_value(v) == x);     /* 17 digits: exact */
}

static void test_json(void)
{
    VarSummary s[NV];
    healthy(s);
    s[0].mean = 0.1 + 0.2;        /* needs 17 digits to come back exactly */
    s[0].sd = 1.0 / 3.0;
    s[2].r_hat = NAN;
    s[2].ess_bulk = INFINITY;
    RunInfo run = healthy_run();
    int which[] = { 2, 0, 3 };
    ReportOptions opt = default_opt();
    opt.which = which;
    opt.nwhich = 3;
    char *text = json_text(s, &run, &opt);
    size_t len = strlen(text);
    CU_ASSERT(len > 0 && text[len - 1] == '\n');

    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);   /* rejects anything after one value */
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_EQUAL(json_object_size(root), 3);
    CU_ASSERT(json_is_array(json_object_get(root, "warnings")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(root, "warnings")), 0);
    json_t *vars = json_object_get(root, "variables");
    CU_ASSERT_PTR_NOT_NULL_FATAL(vars);
    CU_ASSERT_EQUAL(json_object_size(vars), 3);
    /* Selection order in the text. */
    char *pd = strstr(text, "\"diff\""), *pa = strstr(text, "\"p_A\""),
         *pt = strstr(text, "\"theta[1]\"");
    CU_ASSERT(pd && pa && pt && pd < pa && pa < pt);
    CU_ASSERT_PTR_NULL(strstr(text, "\"p_B\""));

    static const char *const fields[] = { "mean", "sd", "hdi_low", "hdi_high", "mcse_mean",
                                          "mcse_sd", "ess_bulk", "ess_tail", "r_hat" };
    for (int k = 0; k < 3; k++) {
        const VarSummary *e = &s[which[k]];
        json_t *o = json_object_get(vars, g_names[which[k]]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(o);
        CU_ASSERT_EQUAL(json_object_size(o), 9);
        const double want[9] = { e->mean, e->sd, e->hdi_low, e->hdi_high, e->mcse_mean,
                                 e->mcse_sd, e->ess_bulk, e->ess_tail, e->r_hat };
        for (int j = 0; j < 9; j++) {
            if (isfinite(want[j])) {
                expect_real(o, fields[j], want[j]);
            } else {
                CU_ASSERT(json_is_null(json_object_get(o, fields[j])));
            }
        }
    }

    json_t *smp = json_object_get(root, "sampler");
    CU_ASSERT_PTR_NOT_NULL_FATAL(smp);
    expect_real(smp, "chains", NC);
    expect_real(smp, "draws", 1000);
    expect_real(smp, "tune", 1000);
    expect_real(smp, "divergences", 0);
    expect_real(smp, "seconds", 0.05);
    expect_real(smp, "draws_kept", ND);
    expect_real(smp, "seed", 42);
    expect_real(smp, "gradient_evals", 123456);
    expect_real(smp, "treedepth_hits", 0);
    expect_real(smp, "max_treedepth", 10);
    expect_real(smp, "target_accept", 0.8);
    expect_real(smp, "hdi_prob", 0.94);
    expect_real(smp, "compile_seconds", 0.002);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(smp, "metric")), "diag");
    CU_ASSERT(json_is_false(json_object_get(smp, "interrupted")));
    json_t *steps = json_object_get(smp, "stepsize"), *eb = json_object_get(smp, "ebfmi");
    CU_ASSERT(json_is_array(steps) && json_array_size(steps) == NC);
    CU_ASSERT(json_is_array(eb) && json_array_size(eb) == NC);
    for (int c = 0; c < NC; c++) {
        CU_ASSERT(json_real_value(json_array_get(steps, c)) == g_stepsize[c]);
        CU_ASSERT(json_real_value(json_array_get(eb, c)) == g_ebfmi[c]);
    }
    CU_ASSERT_PTR_NULL(strstr(text, "NaN"));
    CU_ASSERT_PTR_NULL(strstr(text, "nan"));
    CU_ASSERT_PTR_NULL(strstr(text, "inf"));
    json_decref(root);
    free(text);

    /* All variables when which is NULL; unrecorded per-chain facts are null. */
    opt = default_opt();
    run.ebfmi = NULL;
    run.interrupted = true;
    text = json_text(s, &run, &opt);
    root = json_loads(text, 0, &jerr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_EQUAL(json_object_size(json_object_get(root, "variables")), NV);
    smp = json_object_get(root, "sampler");
    CU_ASSERT(json_is_null(json_object_get(smp, "ebfmi")));
    CU_ASSERT(json_is_true(json_object_get(smp, "interrupted")));
    json_decref(root);
    free(text);
}

/* ------------------------------------------------------------------ */
/* Warnings as data                                                    */
/* ------------------------------------------------------------------ */

/* Summaries and a run that trip every kind of warning, with an entry of
** an earlier stage in run->warnings (caller's extra), and their list in w
** for all variables. */
static void tripping(VarSummary s[NV], RunInfo *run, Warnings *extra, double ebfmi[NC], Warnings *w)
{
    healthy(s);
    for (int v = 0; v < NV; v++) s[v].r_hat = 1.1 + 0.01 * v;
    s[3].ess_bulk = 10.7;
    s[4].r_hat = NAN;                        /* not finite in some draws: no R-hat */
    s[4].nan_draws = 7;
    *run = healthy_run();
    run->divergences = 110;
    run->treedepth_hits = 3;
    ebfmi[0] = 0.9, ebfmi[1] = 0.21, ebfmi[2] = 0.8, ebfmi[3] = 0.7;
    run->ebfmi = ebfmi;
    warnings_init(extra);
    const char *prior[] = { "p_A" };
    CU_ASSERT_EQUAL(warnings_add(extra, "prior", prior, 1, NULL, 0, NULL, "p_A's prior is %s", "improper"), 0);
    run->warnings = extra;
    ReportOptions opt = default_opt();
    warnings_init(w);
    CU_ASSERT_EQUAL_FATAL(report_warnings(w, &g_draws, s, run, &opt), 0);
}

/* One list, in a fixed order: the caller's entries, then the summaries'
** kinds, then the sampler's; every tripping quantity named in the entry,
** the first three in its message. */
static void test_warning_list(void)
{
    VarSummary s[NV];
    RunInfo run;
    Warnings extra, w;
    double ebfmi[NC];
    tripping(s, &run, &extra, ebfmi, &w);
    ReportOptions opt = default_opt();
    static const char *const kinds[] = { "prior", "nonfinite", "r_hat", "ess_bulk", "divergences", "treedepth",
                                         "ebfmi" };
    CU_ASSERT_EQUAL_FATAL(w.n, 7);
    for (int i = 0; i < 7; i++) CU_ASSERT_STRING_EQUAL(w.items[i].kind, kinds[i]);
    CU_ASSERT_PTR_NULL(w.items[0].advice);
    /* 4 chains x 6 draws: 7 of 24 */
    CU_ASSERT_STRING_EQUAL(w.items[1].message, "theta[2] is not a number in 7 of 24 draws");
    CU_ASSERT(w.items[1].nnames == 1 && strcmp(w.items[1].names[0], "theta[2]") == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(w.items[1].advice, "undefined"));
    /* four R-hats above 1.01, the fourth counted in the message, named in the entry */
    CU_ASSERT_STRING_EQUAL(w.items[2].message, "r_hat above 1.01 for p_A (1.100), p_B (1.110), diff (1.120), +1 more");
    CU_ASSERT_EQUAL_FATAL(w.items[2].nnames, 4);
    for (int k = 0; k < 4; k++) CU_ASSERT_STRING_EQUAL(w.items[2].names[k], g_names[k]);
    CU_ASSERT_STRING_EQUAL(w.items[3].message, "ess_bulk of theta[1] is 10 (fewer than 100 per chain)");
    CU_ASSERT_EQUAL(w.items[4].nnames, 0);
    CU_ASSERT_STRING_EQUAL(w.items[4].message, "110 divergent transitions after warm-up");
    CU_ASSERT(w.items[6].nchains == 1 && w.items[6].chains[0] == 2);
    warnings_free(&w);

    /* the selection: only p_A and theta[2] */
    int which[] = { 0, 4 };
    opt.which = which;
    opt.nwhich = 2;
    CU_ASSERT_EQUAL_FATAL(report_warnings(&w, &g_draws, s, &run, &opt), 0);
    CU_ASSERT_EQUAL_FATAL(w.n, 6);   /* no ess_bulk warning: theta[1] is not shown */
    CU_ASSERT_STRING_EQUAL(w.items[2].message, "r_hat above 1.01 for p_A (1.100)");
    warnings_free(&w);
    warnings_free(&extra);
}

/* The stderr lines and the JSON entries are the same list: each line is
** "warning: MESSAGE: ADVICE" of an entry, in order, and each JSON entry
** has its kind, names, chains, message and advice. */
static void test_warnings_everywhere(void)
{
    VarSummary s[NV];
    RunInfo run;
    Warnings extra, w;
    double ebfmi[NC];
    tripping(s, &run, &extra, ebfmi, &w);
    ReportOptions opt = default_opt();

    Captured c = table(&g_draws, s, &run, &opt);
    CU_ASSERT_EQUAL(warnings(c.err), w.n);
    for (int i = 0; i < w.n; i++) {
        char line[1024];
        snprintf(line, sizeof line, "warning: %s%s%s", w.items[i].message, w.items[i].advice ? ": " : "",
                 w.items[i].advice ? w.items[i].advice : "");
        char *got = line_at(c.err, 1 + i);   /* after the run line */
        CU_ASSERT_PTR_NOT_NULL_FATAL(got);
        CU_ASSERT_STRING_EQUAL(got, line);
        free(got);
    }
    captured_free(c);

    /* report_run_line prints the same lines */
    FILE *f = tmpfile();
    report_run_line(f, &g_draws, s, &run, &opt, &w);
    char *err = slurp(f);
    fclose(f);
    CU_ASSERT_EQUAL(warnings(err), w.n);
    free(err);

    char *text = json_text(s, &run, &opt);
    json_t *root = json_loads(text, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    json_t *arr = json_object_get(root, "warnings");
    CU_ASSERT_FATAL(json_is_array(arr) && (int)json_array_size(arr) == w.n);
    for (int i = 0; i < w.n; i++) {
        const Warning *e = &w.items[i];
        json_t *o = json_array_get(arr, (size_t)i);
        CU_ASSERT_EQUAL(json_object_size(o), 5);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "kind")), e->kind);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "message")), e->message);
        json_t *advice = json_object_get(o, "advice");
        if (e->advice) {
            CU_ASSERT_STRING_EQUAL(json_string_value(advice), e->advice);
        } else {
            CU_ASSERT(json_is_null(advice));
        }
        json_t *names = json_object_get(o, "names"), *chains = json_object_get(o, "chains");
        CU_ASSERT_FATAL(json_is_array(names) && (int)json_array_size(names) == e->nnames);
        for (int k = 0; k < e->nnames; k++)
            CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(names, (size_t)k)), e->names[k]);
        CU_ASSERT_FATAL(json_is_array(chains) && (int)json_array_size(chains) == e->nchains);
        for (int k = 0; k < e->nchains; k++)
            CU_ASSERT_EQUAL(json_integer_value(json_array_get(chains, (size_t)k)), e->chains[k]);
    }
    json_decref(root);
    free(text);
    warnings_free(&w);
    warnings_free(&extra);
}

/* How a quantity that is not finite in some draws is counted in words. */
static void test_nonfinite_words(void)
{
    char buf[128];
    format_nonfinite(buf, sizeof buf, 1987, 0, 4000);
    CU_ASSERT_STRING_EQUAL(buf, "not a number in 1,987 of 4,000 draws");
    format_nonfinite(buf, sizeof buf, 0, 3, 4000);
    CU_ASSERT_STRING_EQUAL(buf, "infinite in 3 of 4,000 draws");
    format_nonfinite(buf, sizeof buf, 5, 3, 4000);
    CU_ASSERT_STRING_EQUAL(buf, "not a number in 5 and infinite in 3 of 4,000 draws");
}

int main(void)
{
    CU_TestInfo table_tests[] = {
        { "layout: right-aligned columns, name column", test_table_layout },
        { "HDI titles from hdi_prob", test_hdi_titles },
        { "automatic rounding per row", test_round_auto },
        { "fixed rounding (--round)", test_round_fixed },
        { "NaN shows as nan", test_nan_display },
        { "extreme magnitudes stay aligned", test_extreme_magnitudes },
        { "only the selected variables, in order", test_table_selection },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo select_tests[] = {
        { "names, vectors, blanks, duplicates, unknowns", test_select },
        { "matrix elements and rows", test_select_matrix },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo run_tests[] = {
        { "run line", test_run_line },
        { "interrupted line", test_interrupted },
        { "r_hat warning", test_warn_rhat },
        { "ESS warnings", test_warn_ess },
        { "divergence, tree depth and E-BFMI warnings", test_warn_sampler },
        { "one list of warnings, in order, with every name", test_warning_list },
        { "the same warnings on stderr and in JSON", test_warnings_everywhere },
        { "draws that are not finite, in words", test_nonfinite_words },
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo json_tests[] = {
        { "fields, order, precision, null for NaN", test_json },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "report_table", NULL, NULL, NULL, NULL, table_tests },
        { "report_select", NULL, NULL, NULL, NULL, select_tests },
        { "run line and warnings", NULL, NULL, NULL, NULL, run_tests },
        { "report_json", NULL, NULL, NULL, NULL, json_tests },
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
