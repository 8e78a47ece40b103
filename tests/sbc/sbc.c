/*
** sbc.c -- simulation-based calibration of bmc's sampler (Talts, Betancourt,
** Simpson, Vehtari & Gelman, 2018, "Validating Bayesian inference
** algorithms with simulation-based calibration").
**
** For each case: draw theta from its prior, data from the likelihood given
** theta, compile the model with those data and sample it; the rank of the
** true theta among the (thinned) posterior draws is uniform when the
** sampler is right.  The ranks' histogram gets a chi-square test of
** uniformity, and a table of the results goes to tests/sbc/RESULTS.md.
**
** Every case runs from fixed seeds, so the outcome is reproducible.
**
** Uniform appears as a prior only: as a likelihood with a parameter for a
** bound, Uniform(0, theta), the density jumps to zero at the data's
** maximum, a wall that Hamiltonian trajectories cross only by diverging.
**
**   build/tests/sbc [REPS] [RESULTS.md]
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include "compile.h"
#include "dist.h"
#include "run.h"

#define BINS 20
#define CHAINS 2
#define TUNE 300
#define DRAWS 300
#define THIN 3          /* keep every 3rd draw: less autocorrelation in the ranks */
#define P_FAIL 0.001    /* a case fails below this p-value */

/* theta ~ prior; y[nobs] ~ likelihood, whose argument `at` is f(theta). */
typedef struct Case {
    const char *prior;      /* distribution name */
    double pargs[3];
    const char *lik;
    double largs[3];
    int at;                 /* which likelihood argument theta goes into */
    bool sqrt_theta;        /* that argument is sqrt(theta): theta is a variance */
    int nobs;
} Case;

static const Case cases[] = {
    {"Beta",         {2, 2},      "Binomial",         {20, 0},    1, false, 3},
    {"Uniform",      {0, 1},      "Bernoulli",        {0},        0, false, 10},
    {"Normal",       {0, 1},      "Normal",           {0, 1},     0, false, 5},
    {"HalfNormal",   {1},         "Normal",           {0, 0},     1, false, 8},
    {"StudentT",     {3, 0, 1},   "StudentT",         {5, 0, 1},  1, false, 5},
    {"Cauchy",       {0, 1},      "Normal",           {0, 1},     0, false, 5},
    {"HalfCauchy",   {1},         "HalfNormal",       {0},        0, false, 8},
    {"Exponential",  {1},         "Poisson",          {0},        0, false, 8},
    {"Gamma",        {2, 2},      "Exponential",      {0},        0, false, 8},
    {"InverseGamma", {3, 2},      "Normal",           {0, 0},     1, true,  8},
    {"LogNormal",    {0, 0.5},    "Gamma",            {2, 0},     1, false, 6},
    {"Logistic",     {0, 1},      "Logistic",         {0, 1},     0, false, 6},
    {"Laplace",      {0, 1},      "Laplace",          {0, 1},     0, false, 6},
    {"Weibull",      {2, 1},      "Weibull",          {2, 0},     1, false, 6},
    {"Gamma",        {3, 1},      "NegativeBinomial", {0, 5},     0, false, 8},
    {"Beta",         {2, 5},      "Geometric",        {0},        0, false, 8},
    {"Exponential",  {0.5},       "BetaBinomial",     {0, 2, 10}, 0, false, 8},
    {"Normal",       {0, 1},      "LogNormal",        {0, 0.5},   0, false, 6},
    {"Gamma",        {2, 1},      "InverseGamma",     {3, 0},     1, false, 6},
    {"Normal",       {0, 1},      "Cauchy",           {0, 1},     0, false, 6},
    {"HalfNormal",   {1},         "StudentT",         {4, 0, 0},  2, false, 8},
    {"Gamma",        {2, 1},      "HalfCauchy",       {0},        0, false, 6},
};

typedef struct Outcome {
    long hist[BINS];
    int reps, failed_runs;
    long divergences;
    double chisq, p;
} Outcome;

static void call_text(char *buf, size_t size, const DistInfo *d, const double *args, int at, const char *theta)
{
    size_t off = (size_t)snprintf(buf, size, "%s(", d->name);
    for (int k = 0; k < d->nargs && off < size; k++) {
        if (k) off += (size_t)snprintf(buf + off, size - off, ", ");
        if (k == at && theta) off += (size_t)snprintf(buf + off, size - off, "%s", theta);
        else off += (size_t)snprintf(buf + off, size - off, "%.17g", args[k]);
    }
    if (off < size) snprintf(buf + off, size - off, ")");
}

/* One replication: returns the rank of the true theta, or -1. */
static int replicate(const Case *c, int rep, long *divergences)
{
    const DistInfo *prior = dist_lookup(c->prior), *lik = dist_lookup(c->lik);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return -1;
    gsl_rng_set(rng, 1000003UL * (unsigned long)(c - cases) + (unsigned long)rep);
    double theta = prior->random(rng, c->pargs), largs[3];
    memcpy(largs, c->largs, sizeof largs);
    largs[c->at] = c->sqrt_theta ? sqrt(theta) : theta;
    char text[4096], call[256];
    size_t off = 0;
    call_text(call, sizeof call, prior, c->pargs, -1, NULL);
    off += (size_t)snprintf(text + off, sizeof text - off, "theta ~ %s;\ny ~ ", call);
    call_text(call, sizeof call, lik, c->largs, c->at, c->sqrt_theta ? "sqrt(theta)" : "theta");
    off += (size_t)snprintf(text + off, sizeof text - off, "%s observed [", call);
    for (int i = 0; i < c->nobs; i++)
        off += (size_t)snprintf(text + off, sizeof text - off, "%s%.17g", i ? ", " : "", lik->random(rng, largs));
    snprintf(text + off, sizeof text - off, "];\n");
    gsl_rng_free(rng);

    Source *src = source_from_text("<sbc>", text, strlen(text));
    Model *m = src ? model_compile(src, NULL, NULL) : NULL;
    int rank = -1;
    if (!m || !m->ir) {
        if (m) diags_print(&m->diags, stderr, NULL);
        fprintf(stderr, "sbc: model did not compile:\n%s", text);
        model_free(m);
        return -1;
    }
    RunConfig cfg = { .nuts = nuts_default_config(), .chains = CHAINS, .cores = CHAINS,
                      .seed = 7919UL * (unsigned long)rep + (unsigned long)(c - cases) };
    cfg.nuts.tune = TUNE;
    cfg.nuts.draws = DRAWS;
    RunResult res;
    if (run_chains(m->ir, &cfg, &res) == RUN_OK) {
        rank = 0;
        for (int ch = 0; ch < CHAINS; ch++) {
            const double *x = draws_at(res.draws, 0, ch);
            for (int i = THIN - 1; i < DRAWS; i += THIN) rank += x[i] < theta;
            for (int i = 0; i < DRAWS; i++) *divergences += draws_stat_const(res.draws, DRAW_DIVERGENT, ch)[i] != 0;
        }
    }
    run_result_free(&res);
    model_free(m);
    return rank;
}

static void run_case(const Case *c, int reps, Outcome *o)
{
    memset(o, 0, sizeof *o);
    int ranks = CHAINS * (DRAWS / THIN);   /* a rank runs from 0 to ranks */
    for (int r = 0; r < reps; r++) {
        int rank = replicate(c, r, &o->divergences);
        if (rank < 0) { o->failed_runs++; continue; }
        o->hist[(long)rank * BINS / (ranks + 1)]++;
        o->reps++;
    }
    double expect = (double)o->reps / BINS;
    for (int b = 0; b < BINS; b++) o->chisq += (o->hist[b] - expect) * (o->hist[b] - expect) / expect;
    o->p = o->reps > 0 ? gsl_cdf_chisq_Q(o->chisq, BINS - 1) : 0;
}

static void histogram_text(const Outcome *o, char *buf)
{
    static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    long max = 1;
    for (int b = 0; b < BINS; b++) if (o->hist[b] > max) max = o->hist[b];
    buf[0] = '\0';
    for (int b = 0; b < BINS; b++) strcat(buf, bars[o->hist[b] * 7 / max]);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int reps = argc > 1 ? atoi(argv[1]) : 200;
    const char *out = argc > 2 ? argv[2] : "tests/sbc/RESULTS.md";
    int ncases = (int)(sizeof cases / sizeof cases[0]), failed = 0;
    Outcome *o = calloc((size_t)ncases, sizeof *o);
    if (!o || reps < 1) return 2;
    time_t t0 = time(NULL);
    for (int i = 0; i < ncases; i++) {
        run_case(&cases[i], reps, &o[i]);
        bool ok = o[i].p >= P_FAIL && o[i].failed_runs == 0;
        failed += !ok;
        printf("%-13s -> %-16s  chi2 %6.1f  p %.3f  divergences %ld  %s\n", cases[i].prior, cases[i].lik,
               o[i].chisq, o[i].p, o[i].divergences, ok ? "ok" : "FAIL");
        fflush(stdout);
    }
    FILE *f = fopen(out, "w");
    if (!f) { perror(out); free(o); return 2; }
    fprintf(f, "# Simulation-based calibration\n\n"
               "Written by `make sbc` (tests/sbc/sbc.c); do not edit by hand.\n\n"
               "Each case draws theta from the prior and data from the likelihood, samples\n"
               "the posterior with bmc (%d chains, %d warm-up and %d draws each, every %d%s draw\n"
               "kept), and ranks the true theta among the %d kept draws. With a correct\n"
               "sampler the ranks are uniform: their histogram (%d bins) gets a chi-square\n"
               "test, and a case fails when p < %g. Seeds are fixed; %d replications a case;\n"
               "%ld s in all.\n\n",
            CHAINS, TUNE, DRAWS, THIN, THIN == 3 ? "rd" : "th", CHAINS * (DRAWS / THIN), BINS, P_FAIL, reps,
            (long)(time(NULL) - t0));
    fputs("Uniform is calibrated as a prior only: as a likelihood with a parameter for a\n"
          "bound, `y ~ Uniform(0, theta)`, the density drops to zero at the largest\n"
          "observation, a wall that Hamiltonian trajectories cross only by diverging.\n\n", f);
    fputs("| prior of theta | likelihood | replications | chi-square (19 df) | p | divergences | ranks | result |\n"
          "|---|---|---|---|---|---|---|---|\n", f);
    for (int i = 0; i < ncases; i++) {
        const Case *c = &cases[i];
        char prior[256], lik[256], hist[BINS * 4 + 1];
        call_text(prior, sizeof prior, dist_lookup(c->prior), c->pargs, -1, NULL);
        call_text(lik, sizeof lik, dist_lookup(c->lik), c->largs, c->at, c->sqrt_theta ? "sqrt(theta)" : "theta");
        histogram_text(&o[i], hist);
        fprintf(f, "| `%s` | `y[%d] ~ %s` | %d | %.1f | %.3f | %ld | %s | %s |\n", prior, c->nobs, lik, o[i].reps,
                o[i].chisq, o[i].p, o[i].divergences, hist,
                o[i].p >= P_FAIL && o[i].failed_runs == 0 ? "pass" : "**fail**");
    }
    fclose(f);
    printf("%d passed, %d failed\n", ncases - failed, failed);
    free(o);
    return failed ? 1 : 0;
}
