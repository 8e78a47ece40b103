/*
** report_fixtures.h -- the draws, summaries and run facts the printers'
** tests share: a healthy run of a small model, built by hand.
*/
#ifndef BMC_REPORT_FIXTURES_H
#define BMC_REPORT_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"

enum { NV = 5, NC = 4, ND = 6 };

__attribute__((unused)) static char *g_names[NV] = {
    (char *)"p_A", (char *)"p_B", (char *)"diff", (char *)"theta[1]", (char *)"theta[2]"
};
__attribute__((unused)) static double g_x[NV * NC * ND];
/* every variable of the posterior group, none a replicate */
__attribute__((unused)) static unsigned char g_group[NV];
__attribute__((unused)) static char *g_of[NV];
__attribute__((unused)) static double g_observed[NV];
__attribute__((unused)) static Draws g_draws = { .nvars = NV, .nchains = NC, .capacity = ND, .ndraws = ND,
                                                 .names = g_names, .group = g_group, .of = g_of,
                                                 .observed = g_observed, .x = g_x, .stats = NULL };

/* Summaries of a healthy run: R-hat 1.00, ESS well above 100 per chain. */
static inline void healthy(VarSummary s[NV])
{
    for (int v = 0; v < NV; v++) {
        s[v] = (VarSummary){ .mean = 0.1213, .sd = 0.0103, .hdi_low = 0.1021,
                             .hdi_high = 0.1402, .mcse_mean = 0.00031,
                             .mcse_sd = 0.00022, .ess_bulk = 3840.4,
                             .ess_tail = 2893.2, .r_hat = 1.0012 };
    }
    s[1].mean = 0.1498;
    s[1].ess_bulk = 4000;
    s[2].mean = 0.0285;
}

__attribute__((unused)) static double g_ebfmi[NC] = { 0.9, 0.8, 1.1, 0.95 };
__attribute__((unused)) static double g_stepsize[NC] = { 0.81, 0.77, 0.92, 0.85 };

static inline RunInfo healthy_run(void)
{
    return (RunInfo){
        .model = "ab", .chains = NC, .draws = 1000, .draws_kept = ND,
        .tune = 1000, .seed = 42, .seconds = 0.05, .compile_seconds = 0.002,
        .gradient_evals = 123456, .divergences = 0, .treedepth_hits = 0,
        .max_treedepth = 10, .ebfmi = g_ebfmi, .stepsize = g_stepsize,
        .metric = "diag", .target_accept = 0.8, .interrupted = false
    };
}

/* All of a temporary file written so far, as a string (caller frees). */
static inline char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    return buf;
}

/* Line k (0-based) of text, malloc'ed; NULL past the end. */
static inline char *line_at(const char *text, int k)
{
    const char *p = text;
    for (int i = 0; i < k; i++) {
        p = strchr(p, '\n');
        if (!p) return NULL;
        p++;
    }
    if (!*p) return NULL;
    const char *end = strchr(p, '\n');
    return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

#endif
