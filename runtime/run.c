/*
** run.c -- chains in threads: initial points, warm-up and sampling, draws.
*/
#include "run.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "eval.h"

typedef struct Shared {
    const IrModel *m;
    const RunConfig *cfg;
    RunResult *res;
    atomic_int next_chain;
    atomic_long gradient_evals;
    ChainProgress *progress;     /* written by chains, read by the caller: advisory */
    atomic_int *iter, *div;
    int *kept;                   /* sampling draws each chain made */
    RunStatus *status;           /* per chain */
    char (*message)[512];
} Shared;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

unsigned long run_chain_seed(unsigned long seed, int chain)
{
    /* splitmix64: well-spread seeds for neighbouring chains */
    unsigned long long z = (unsigned long long)seed + 0x9E3779B97F4A7C15ULL * (unsigned long long)(chain + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (unsigned long)(z ^ (z >> 31));
}

/* A starting point: the given values, the rest uniform in (-2, 2), tried
** until the density and its gradient are finite. */
static int initial_point(EvalWs *w, const IrModel *m, const RunConfig *cfg, gsl_rng *rng,
                         double *q, double *grad, char *msg, size_t msglen)
{
    for (int t = 0; t < RUN_MAX_INIT_TRIES; t++) {
        for (long i = 0; i < m->dim; i++)
            q[i] = cfg->init && !isnan(cfg->init[i]) ? cfg->init[i] : gsl_rng_uniform(rng) * 4 - 2;
        double lp = eval_logp_grad(w, q, grad);
        bool ok = isfinite(lp);
        for (long i = 0; ok && i < m->dim; i++) ok = isfinite(grad[i]);
        if (ok) return 0;
    }
    snprintf(msg, msglen,
             "no valid initial point after %d tries: the log density or its gradient is not finite "
             "at any of them", RUN_MAX_INIT_TRIES);
    return -1;
}

static void run_one(Shared *sh, int c)
{
    const IrModel *m = sh->m;
    const RunConfig *cfg = sh->cfg;
    RunResult *res = sh->res;
    long dim = m->dim, nout = ir_output_count(m);
    int tune = cfg->nuts.tune, draws = cfg->nuts.draws;
    EvalWs *w = eval_new(m);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    double *q = malloc((dim ? dim : 1) * sizeof *q);
    double *grad = malloc((dim ? dim : 1) * sizeof *grad);
    double *out = malloc((nout ? nout : 1) * sizeof *out);
    Target target = { (int)dim, eval_target, w };
    Nuts *s = NULL;
    if (!w || !rng || !q || !grad || !out) { sh->status[c] = RUN_NO_MEMORY; goto done; }
    gsl_rng_set(rng, run_chain_seed(cfg->seed, c));
    if (initial_point(w, m, cfg, rng, q, grad, sh->message[c], sizeof sh->message[c]) != 0) {
        sh->status[c] = RUN_NO_INIT;
        goto done;
    }
    if (!(s = nuts_new(&target, &cfg->nuts, rng))) { sh->status[c] = RUN_NO_MEMORY; goto done; }
    if (nuts_init(s, q) != 0) { sh->status[c] = RUN_NO_INIT; goto done; }
    double t0 = now(), t1 = t0;
    bool moved = draws == 0;
    for (int it = 0; it < tune + draws; it++) {
        if (cfg->stop && *cfg->stop) { sh->status[c] = RUN_INTERRUPTED; break; }
        NutsStats st;
        nuts_iterate(s, q, &st);
        if (st.divergent) atomic_fetch_add(&sh->div[c], 1);
        atomic_store(&sh->iter[c], it + 1);
        if (it + 1 == tune) t1 = now();
        if (it < tune) continue;
        int k = it - tune;
        res->stats[(size_t)c * draws + k] = st;
        eval_outputs(w, q, out);
        for (long v = 0; v < nout; v++) draws_at(res->draws, (int)v, c)[k] = out[v];
        if (k > 0 && !moved)
            for (long v = 0; v < nout && !moved; v++)
                moved = draws_at(res->draws, (int)v, c)[k] != draws_at(res->draws, (int)v, c)[0];
        sh->kept[c] = k + 1;
    }
    if (tune == 0) t1 = t0;
    res->warmup_seconds[c] = t1 - t0;
    res->sampling_seconds[c] = now() - t1;
    res->stepsize[c] = nuts_stepsize(s);
    size_t msize = (size_t)(res->dense ? dim * dim : dim);
    if (msize && nuts_dense(s) == res->dense)
        memcpy(res->inv_metric + c * msize, nuts_inv_metric(s), msize * sizeof(double));
    if (sh->status[c] == RUN_OK && draws > 1 && nout > 0 && !moved) {
        sh->status[c] = RUN_STUCK;
        snprintf(sh->message[c], sizeof sh->message[c],
                 "chain %d did not move after warm-up: every draw is the same (step size %.3g)",
                 c + 1, nuts_stepsize(s));
    }
    atomic_fetch_add(&sh->gradient_evals, nuts_gradient_evals(s));
done:
    nuts_free(s);
    eval_free(w);
    gsl_rng_free(rng);
    free(q);
    free(grad);
    free(out);
}

static void *worker(void *arg)
{
    Shared *sh = arg;
    for (;;) {
        int c = atomic_fetch_add(&sh->next_chain, 1);
        if (c >= sh->cfg->chains) break;
        run_one(sh, c);
        sh->progress[c].done = true;
    }
    return NULL;
}

static int alloc_result(const IrModel *m, const RunConfig *cfg, RunResult *res)
{
    long nout = ir_output_count(m);
    char **names = ir_output_names(m);
    int nc = cfg->chains;
    MetricKind mk = nuts_resolve_metric(cfg->nuts.metric, (int)m->dim, cfg->nuts.tune);
    res->dense = mk == METRIC_DENSE;
    res->dim = m->dim;
    if (names) res->draws = draws_new((int)nout, (const char *const *)names, nc, cfg->nuts.draws);
    ir_free_names(names, nout);
    size_t msize = (size_t)(res->dense ? m->dim * m->dim : m->dim);
    res->stats = calloc((size_t)nc * (cfg->nuts.draws ? cfg->nuts.draws : 1), sizeof *res->stats);
    res->stepsize = calloc(nc, sizeof *res->stepsize);
    res->inv_metric = calloc((size_t)nc * (msize ? msize : 1), sizeof *res->inv_metric);
    res->warmup_seconds = calloc(nc, sizeof(double));
    res->sampling_seconds = calloc(nc, sizeof(double));
    return res->draws && res->stats && res->stepsize && res->inv_metric && res->warmup_seconds &&
           res->sampling_seconds ? 0 : -1;
}

RunStatus run_chains(const IrModel *m, const RunConfig *cfg, RunResult *res)
{
    memset(res, 0, sizeof *res);
    int nc = cfg->chains;
    Shared sh = { .m = m, .cfg = cfg, .res = res };
    atomic_init(&sh.next_chain, 0);
    atomic_init(&sh.gradient_evals, 0);
    sh.progress = calloc(nc, sizeof *sh.progress);
    sh.iter = calloc(nc, sizeof *sh.iter);
    sh.div = calloc(nc, sizeof *sh.div);
    sh.kept = calloc(nc, sizeof *sh.kept);
    sh.status = calloc(nc, sizeof *sh.status);
    sh.message = calloc(nc, sizeof *sh.message);
    int nthreads = cfg->cores < 1 ? 1 : cfg->cores > nc ? nc : cfg->cores;
    pthread_t *th = calloc(nthreads, sizeof *th);
    if (!sh.progress || !sh.iter || !sh.div || !sh.kept || !sh.status || !sh.message || !th ||
        alloc_result(m, cfg, res) != 0) {
        res->status = RUN_NO_MEMORY;
        goto done;
    }
    double t0 = now();
    int started = 0;
    for (int t = 0; t < nthreads; t++) {
        if (pthread_create(&th[t], NULL, worker, &sh) != 0) break;
        started++;
    }
    if (started == 0) worker(&sh);   /* no threads to be had: run here */
    if (cfg->progress) {
        for (;;) {
            bool all = true;
            for (int c = 0; c < nc; c++) {
                sh.progress[c].iter = atomic_load(&sh.iter[c]);
                sh.progress[c].divergences = atomic_load(&sh.div[c]);
                all = all && sh.progress[c].done;
            }
            cfg->progress(cfg->user, sh.progress, nc, now() - t0);
            if (all) break;
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
    res->seconds = now() - t0;
    res->gradient_evals = atomic_load(&sh.gradient_evals);

    /* The worst status wins; an interrupted run keeps what every chain has. */
    res->status = RUN_OK;
    for (int c = 0; c < nc; c++)
        if (sh.status[c] != RUN_OK && (res->status == RUN_OK || res->status == RUN_INTERRUPTED)) {
            res->status = sh.status[c];
            memcpy(res->message, sh.message[c], sizeof res->message);
        }
    int kept = cfg->nuts.draws;
    for (int c = 0; c < nc; c++) if (sh.kept[c] < kept) kept = sh.kept[c];
    res->draws->ndraws = kept;
done:
    free(sh.progress);
    free(sh.iter);
    free(sh.div);
    free(sh.kept);
    free(sh.status);
    free(sh.message);
    free(th);
    return res->status;
}

void run_result_free(RunResult *res)
{
    draws_free(res->draws);
    free(res->stats);
    free(res->stepsize);
    free(res->inv_metric);
    free(res->warmup_seconds);
    free(res->sampling_seconds);
    memset(res, 0, sizeof *res);
}
