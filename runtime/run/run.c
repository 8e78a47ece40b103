/*
** run.c -- chains in threads: initial points, warm-up and sampling, draws.
** Each thread advances its share of the chains one iteration at a time.
*/
#include "run.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dist.h"
#include "eval.h"

typedef struct Shared {
    const IrModel *m;
    long nout;                   /* reported scalars: ir_output_count(m) */
    const RunConfig *cfg;
    int tune;                    /* warm-up iterations: none when the draws are exact */
    RunResult *res;
    atomic_long gradient_evals;
    /* Written by the chains' threads, read by the calling thread. */
    atomic_int *iter, *div;
    atomic_bool *done;
    ChainProgress *progress;     /* the calling thread's copy, for cfg->progress */
    int *kept;                   /* draws each chain kept */
    int nkeep;                   /* ... at most: run_kept_draws */
    int thin;
    atomic_bool sink_failed;     /* a sink call failed: every chain stops */
    RunStatus *status;           /* per chain */
    char (*message)[512];
    /* The workers still running, under lock; finished is signalled as
    ** each ends, so that the progress loop returns as soon as the last
    ** has, not at its next report. */
    pthread_mutex_t lock;
    pthread_cond_t finished;
    int workers_running;
} Shared;

double run_now(void)
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

int run_chain_id(const RunConfig *cfg, int c)
{
    return (cfg->first_id > 0 ? cfg->first_id : 1) + c;
}

int run_kept_draws(const RunConfig *cfg)
{
    int thin = cfg->thin > 0 ? cfg->thin : 1;
    return (cfg->nuts.draws + thin - 1) / thin;
}

/* A starting point: the given values, the rest uniform in (-2, 2), tried
** until the density and its gradient are finite.  Returns 0; 1 when the
** values given (all of them) have none; -1 when no try found one; 2 when
** the stop flag was set. */
static int initial_point(EvalWs *w, const IrModel *m, const RunConfig *cfg, int c, gsl_rng *rng,
                         double *q, double *grad, char *msg, size_t msglen)
{
    const double *init = cfg->init ? cfg->init + (cfg->ninit > 1 ? (size_t)c * (size_t)m->dim : 0) : NULL;
    /* every value given: one point to try, not a search */
    bool given = init != NULL;
    for (long i = 0; given && i < m->dim; i++) given = !isnan(init[i]);
    int tries = given ? 1 : RUN_MAX_INIT_TRIES;
    double lp = NAN;
    for (int t = 0; t < tries; t++) {
        if (cfg->stop && atomic_load_explicit(cfg->stop, memory_order_relaxed)) return 2;
        for (long i = 0; i < m->dim; i++)
            q[i] = init && !isnan(init[i]) ? init[i] : gsl_rng_uniform(rng) * 4 - 2;
        lp = eval_logp_grad(w, q, grad);
        bool ok = isfinite(lp);
        for (long i = 0; ok && i < m->dim; i++) ok = isfinite(grad[i]);
        if (ok) return 0;
    }
    /* where the last point failed: the term, by its line */
    char where[160] = "";
    int bad = isfinite(lp) ? -1 : eval_failed_instruction(w);
    if (bad >= 0) {
        const IrInstr *in = &m->code[bad];
        if (ir_op_is_logpdf((IrOp)in->op))
            snprintf(where, sizeof where, " (the %s term of line %d)", dist_at(in->aux)->name, in->line);
        else
            snprintf(where, sizeof where, " (at line %d)", in->line);
    }
    const char *what = isfinite(lp) ? "its gradient is" : isnan(lp) ? "the log density is not a number" : "the log density is -inf";
    if (given && cfg->ninit > 1)
        snprintf(msg, msglen, "at chain %d's --init values %s%s%s", run_chain_id(cfg, c), what,
                 isfinite(lp) ? " not finite" : "", where);
    else if (given)
        snprintf(msg, msglen, "at the --init values %s%s%s", what, isfinite(lp) ? " not finite" : "", where);
    else
        snprintf(msg, msglen, "no valid initial point after %d tries: at the last, %s%s%s", RUN_MAX_INIT_TRIES, what,
                 isfinite(lp) ? " not finite" : "", where);
    return given ? 1 : -1;
}

/* The mean acceptance statistic below which a chain that never moved is
** stuck rather than unlucky. */
#define STUCK_ACCEPT 0.01

/* Mixed into the seed for the streams of generated quantities. */
#define GQ_STREAM 0x5851F42D4C957F2DUL

/* One chain's sampler and buffers, and where it has got to. */
typedef struct Chain {
    int c;
    EvalWs *w;
    gsl_rng *rng;            /* the sampler's stream */
    gsl_rng *gq;             /* the generated quantities' stream, set afresh at each draw kept */
    unsigned long gq_seed;   /* ... from this and the iteration */
    double *q, *grad, *out;
    Nuts *s;
    int it;                  /* iterations done, warm-up included */
    bool running;            /* started and not finished */
    bool moved;              /* a kept draw differs from the first */
    double accept_sum;       /* of the kept draws' acceptance statistics */
    double warmup_busy, sampling_busy;   /* seconds spent in its iterations */
} Chain;

/* Allocates chain c and finds its initial point.  False when it cannot
** run; its status says why. */
static bool chain_start(Shared *sh, Chain *ch, int c)
{
    const IrModel *m = sh->m;
    long dim = m->dim, nout = sh->nout;
    memset(ch, 0, sizeof *ch);
    ch->c = c;
    ch->moved = sh->cfg->nuts.draws == 0;
    ch->w = eval_new(m);
    ch->rng = gsl_rng_alloc(gsl_rng_mt19937);
    ch->gq = gsl_rng_alloc(gsl_rng_taus2);   /* cheap to seed afresh at every draw */
    ch->q = malloc((dim ? dim : 1) * sizeof *ch->q);
    ch->grad = malloc((dim ? dim : 1) * sizeof *ch->grad);
    ch->out = malloc((nout ? nout : 1) * sizeof *ch->out);
    if (!ch->w || !ch->rng || !ch->gq || !ch->q || !ch->grad || !ch->out) { sh->status[c] = RUN_NO_MEMORY; return false; }
    int index = run_chain_id(sh->cfg, c) - 1;   /* the stream follows the id, not the place in this run */
    gsl_rng_set(ch->rng, run_chain_seed(sh->cfg->seed, index));
    /* a stream of its own, so that a generated quantity added to a model
    ** leaves the sampler's draws as they were */
    ch->gq_seed = run_chain_seed(sh->cfg->seed ^ GQ_STREAM, index);
    eval_set_rng(ch->w, ch->gq);
    if (dim == 0) {   /* nothing for NUTS: every draw is exact */
        ch->running = sh->cfg->nuts.draws > 0;
        return true;
    }
    int init = initial_point(ch->w, m, sh->cfg, c, ch->rng, ch->q, ch->grad, sh->message[c], sizeof sh->message[c]);
    if (init != 0) {
        sh->status[c] = init == 2 ? RUN_INTERRUPTED : init > 0 ? RUN_BAD_INIT : RUN_NO_INIT;
        return false;
    }
    Target target = { (int)dim, eval_target, ch->w };
    NutsConfig nc = sh->cfg->nuts;
    nc.stop = sh->cfg->stop;
    if (!(ch->s = nuts_new(&target, &nc, ch->rng))) { sh->status[c] = RUN_NO_MEMORY; return false; }
    if (nuts_init(ch->s, ch->q) != 0) {
        sh->status[c] = RUN_NO_INIT;
        snprintf(sh->message[c], sizeof sh->message[c],
                 "chain %d: the log density or its gradient is not finite near its initial point",
                 run_chain_id(sh->cfg, c));
        return false;
    }
    ch->running = sh->cfg->nuts.tune + sh->cfg->nuts.draws > 0;
    return true;
}

/* The sampler's record of one iteration, in DrawStat order. */
static void stats_of(const NutsStats *st, double *out)
{
    out[DRAW_LP] = st->lp;
    out[DRAW_ACCEPT] = st->accept_stat;
    out[DRAW_STEPSIZE] = st->stepsize;
    out[DRAW_TREEDEPTH] = st->treedepth;
    out[DRAW_N_LEAPFROG] = st->n_leapfrog;
    out[DRAW_DIVERGENT] = st->divergent;
    out[DRAW_ENERGY] = st->energy;
}

/* A sink call's result: a failure stops every chain. */
static bool sink_ok(Shared *sh, int rc)
{
    if (rc == 0) return true;
    atomic_store(&sh->sink_failed, true);
    return false;
}

/* The end of chain ch's warm-up, told to the sink. */
static bool chain_adapted(Shared *sh, Chain *ch)
{
    const DrawSink *sink = sh->cfg->sink;
    if (!sink || !sink->adapted || !ch->s) return true;
    return sink_ok(sh, sink->adapted(sink->user, ch->c, nuts_stepsize(ch->s), nuts_inv_metric(ch->s), sh->m->dim,
                                     nuts_dense(ch->s)));
}

/* One iteration of a running chain; its draw is kept after warm-up. */
static void chain_step(Shared *sh, Chain *ch)
{
    const RunConfig *cfg = sh->cfg;
    RunResult *res = sh->res;
    long nout = sh->nout;
    int tune = sh->tune, c = ch->c;
    double t0 = run_now();
    NutsStats st = {0};   /* an exact draw: no sampler, nothing to record */
    if (ch->s) nuts_iterate(ch->s, ch->q, &st);
    if (st.stopped) {   /* Ctrl-C within the iteration: it made no draw */
        sh->status[ch->c] = RUN_INTERRUPTED;
        ch->running = false;
        return;
    }
    int it = ch->it++;
    if (st.divergent && it >= tune) atomic_fetch_add(&sh->div[c], 1);
    ch->accept_sum += it >= tune ? st.accept_stat : 0;
    /* kept: every thin-th iteration of each phase, counted from its first */
    int phase_it = it >= tune ? it - tune : it;
    bool keep = phase_it % sh->thin == 0 && (it >= tune || cfg->save_warmup);
    const DrawSink *sink = cfg->sink;
    bool ok = true;
    if (keep) {
        double stats[DRAW_NSTATS];
        stats_of(&st, stats);
        /* the draws of iteration it alone: what thinning or saving the
        ** warm-up keeps does not change what the others draw */
        gsl_rng_set(ch->gq, run_chain_seed(ch->gq_seed, it));
        eval_outputs(ch->w, ch->q, ch->out);
        if (it >= tune) {
            int k = phase_it / sh->thin;
            for (int j = 0; j < DRAW_NSTATS; j++) draws_stat(res->draws, (DrawStat)j, c)[k] = stats[j];
            for (long v = 0; v < nout; v++) draws_at(res->draws, (int)v, c)[k] = ch->out[v];
            if (k > 0 && !ch->moved)
                for (long v = 0; v < nout && !ch->moved; v++)
                    ch->moved = draws_at(res->draws, (int)v, c)[k] != draws_at(res->draws, (int)v, c)[0];
            sh->kept[c] = k + 1;
        }
        if (sink && sink->draw) ok = sink_ok(sh, sink->draw(sink->user, c, stats, ch->out));
    }
    *(it < tune ? &ch->warmup_busy : &ch->sampling_busy) += run_now() - t0;
    atomic_store(&sh->iter[c], it + 1);
    if (ok && ch->it == tune && tune > 0) ok = chain_adapted(sh, ch);
    if (!ok) {
        sh->status[c] = RUN_SINK_FAILED;
        snprintf(sh->message[c], sizeof sh->message[c], "chain %d's draws could not be written", run_chain_id(cfg, c));
        ch->running = false;
    }
    if (ch->it == tune + cfg->nuts.draws) ch->running = false;
}

/* Records what the chain adapted and how it went, and frees it. */
static void chain_finish(Shared *sh, Chain *ch)
{
    RunResult *res = sh->res;
    int c = ch->c;
    res->warmup_seconds[c] = ch->warmup_busy;
    res->sampling_seconds[c] = ch->sampling_busy;
    if (ch->s) {
        long dim = sh->m->dim;
        res->stepsize[c] = nuts_stepsize(ch->s);
        size_t msize = (size_t)(res->dense ? dim * dim : dim);
        if (msize && nuts_dense(ch->s) == res->dense)
            memcpy(res->inv_metric + c * msize, nuts_inv_metric(ch->s), msize * sizeof(double));
        /* A chain that kept its first draw while rejecting what it proposed
        ** is stuck; one that accepted but picked its own point each time (a
        ** few draws can) merely shows in R-hat and ESS. */
        int kept = sh->kept[c], iters = ch->it - sh->tune;
        if (sh->status[c] == RUN_OK && kept > 1 && sh->nout > 0 && !ch->moved && ch->accept_sum / iters < STUCK_ACCEPT) {
            sh->status[c] = RUN_STUCK;
            snprintf(sh->message[c], sizeof sh->message[c],
                     "chain %d could not move after warm-up: it rejected every proposal (step size %.3g)",
                     run_chain_id(sh->cfg, c), nuts_stepsize(ch->s));
        }
        atomic_fetch_add(&sh->gradient_evals, nuts_gradient_evals(ch->s));
    }
    const DrawSink *sink = sh->cfg->sink;
    if (sink && sink->finished && (ch->w || ch->s)) {   /* started */
        int warm = ch->it < sh->tune ? ch->it : sh->tune;
        sink->finished(sink->user, c, warm, ch->it - warm, ch->warmup_busy, ch->sampling_busy);
    }
    nuts_free(ch->s);
    eval_free(ch->w);
    gsl_rng_free(ch->rng);
    gsl_rng_free(ch->gq);
    free(ch->q);
    free(ch->grad);
    free(ch->out);
    atomic_store(&sh->done[c], true);
    memset(ch, 0, sizeof *ch);
}

/* A thread's share of the chains: t, t + nthreads, ...  They advance one
** iteration each in turn, so all chains are at about the same point when
** the run is stopped, and an interrupted run keeps as many draws as the
** slowest chain made, not none because some chain never began. */
typedef struct Worker {
    Shared *sh;
    int t, nthreads;
} Worker;

static void worker_done(Shared *sh)
{
    pthread_mutex_lock(&sh->lock);
    sh->workers_running--;
    pthread_cond_signal(&sh->finished);
    pthread_mutex_unlock(&sh->lock);
}

/* Returns when every worker has finished or after the given seconds. */
static void wait_workers(Shared *sh, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long ns = until.tv_nsec + (long)(seconds * 1e9);
    until.tv_sec += ns / 1000000000L;
    until.tv_nsec = ns % 1000000000L;
    pthread_mutex_lock(&sh->lock);
    while (sh->workers_running > 0 && pthread_cond_timedwait(&sh->finished, &sh->lock, &until) == 0) {}
    pthread_mutex_unlock(&sh->lock);
}

/* The lock and condition of sh, the condition timed by CLOCK_MONOTONIC
** as run_now is.  False when they cannot be had. */
static bool sync_init(Shared *sh)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) return false;
    bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&sh->finished, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (ok && pthread_mutex_init(&sh->lock, NULL) != 0) {
        pthread_cond_destroy(&sh->finished);
        ok = false;
    }
    return ok;
}

static void *worker(void *arg)
{
    const Worker *wk = arg;
    Shared *sh = wk->sh;
    int nc = sh->cfg->chains, mine = 0;
    Chain *chains = calloc((size_t)(nc + wk->nthreads - 1) / wk->nthreads, sizeof *chains);
    if (!chains) {
        for (int c = wk->t; c < nc; c += wk->nthreads) { sh->status[c] = RUN_NO_MEMORY; atomic_store(&sh->done[c], true); }
        worker_done(sh);
        return NULL;
    }
    for (int c = wk->t; c < nc; c += wk->nthreads) chain_start(sh, &chains[mine++], c);
    for (bool any = true; any;) {
        any = false;
        for (int k = 0; k < mine; k++) {
            Chain *ch = &chains[k];
            if (!ch->running) continue;
            if (sh->cfg->stop && atomic_load_explicit(sh->cfg->stop, memory_order_relaxed)) {
                sh->status[ch->c] = RUN_INTERRUPTED;
                ch->running = false;
                continue;
            }
            if (atomic_load_explicit(&sh->sink_failed, memory_order_relaxed)) {   /* another chain's sink */
                if (sh->status[ch->c] == RUN_OK) sh->status[ch->c] = RUN_INTERRUPTED;
                ch->running = false;
                continue;
            }
            chain_step(sh, ch);
            any = true;
        }
    }
    for (int k = 0; k < mine; k++) chain_finish(sh, &chains[k]);
    free(chains);
    worker_done(sh);
    return NULL;
}

/* The groups of the reported quantities: the replicates of observed
** values, with the values they replicate, and the points of the
** log-likelihood, with the elements they are of. */
static int mark_groups(const IrModel *m, Draws *d)
{
    long v = 0;
    char point[256];
    for (int i = 0; i < m->noutputs; i++) {
        const IrOutput *o = &m->outputs[i];
        long len = m->slots[o->slot].len;
        if (o->group == IR_GROUP_PREDICTIVE) {
            const double *y = ir_init_value_const(m, o->observed);
            for (long e = 0; e < len; e++)
                if (draws_set_replicate(d, (int)(v + e), m->names[o->observed_name], y[e]) != 0) return -1;
        }
        for (long e = 0; o->group == IR_GROUP_LOG_LIK && e < len && e < m->npoints; e++) {
            ir_point_name(m, (int)e, point, sizeof point);
            if (draws_set_group(d, (int)(v + e), DRAWS_LOG_LIK, point, NAN) != 0) return -1;
        }
        v += len;
    }
    return 0;
}

static int alloc_result(const IrModel *m, const RunConfig *cfg, RunResult *res)
{
    long nout = ir_output_count(m);
    char **names = ir_output_names(m);
    int nc = cfg->chains;
    MetricKind mk = nuts_resolve_metric(cfg->nuts.metric, (int)m->dim, cfg->nuts.tune);
    res->dense = mk == METRIC_DENSE;
    res->dim = m->dim;
    if (names) res->draws = draws_new((int)nout, (const char *const *)names, nc, run_kept_draws(cfg));
    ir_free_names(names, nout);
    if (res->draws && mark_groups(m, res->draws) != 0) {
        draws_free(res->draws);
        res->draws = NULL;
    }
    size_t msize = (size_t)(res->dense ? m->dim * m->dim : m->dim);
    res->stepsize = calloc(nc, sizeof *res->stepsize);
    res->inv_metric = calloc((size_t)nc * (msize ? msize : 1), sizeof *res->inv_metric);
    res->warmup_seconds = calloc(nc, sizeof(double));
    res->sampling_seconds = calloc(nc, sizeof(double));
    return res->draws && res->stepsize && res->inv_metric && res->warmup_seconds &&
           res->sampling_seconds ? 0 : -1;
}

RunStatus run_chains(const IrModel *m, const RunConfig *cfg, RunResult *res)
{
    memset(res, 0, sizeof *res);
    int nc = cfg->chains;
    Shared sh = { .m = m, .nout = ir_output_count(m), .cfg = cfg, .tune = m->dim > 0 ? cfg->nuts.tune : 0,
                  .res = res, .nkeep = run_kept_draws(cfg), .thin = cfg->thin > 0 ? cfg->thin : 1 };
    atomic_init(&sh.gradient_evals, 0);
    atomic_init(&sh.sink_failed, false);
    sh.progress = calloc(nc, sizeof *sh.progress);
    sh.iter = calloc(nc, sizeof *sh.iter);
    sh.div = calloc(nc, sizeof *sh.div);
    sh.done = calloc(nc, sizeof *sh.done);
    sh.kept = calloc(nc, sizeof *sh.kept);
    sh.status = calloc(nc, sizeof *sh.status);
    sh.message = calloc(nc, sizeof *sh.message);
    int nthreads = cfg->cores < 1 ? 1 : cfg->cores > nc ? nc : cfg->cores;
    sh.workers_running = nthreads;
    pthread_t *th = calloc(nthreads, sizeof *th);
    Worker *wk = calloc(nthreads, sizeof *wk);
    bool synced = false;
    if (!sh.progress || !sh.iter || !sh.div || !sh.done || !sh.kept || !sh.status || !sh.message || !th || !wk ||
        alloc_result(m, cfg, res) != 0 || !(synced = sync_init(&sh))) {
        res->status = RUN_NO_MEMORY;
        goto done;
    }
    double t0 = run_now();
    /* One worker and nothing to report while it runs: this thread is it. */
    int spawn = nthreads == 1 && !cfg->progress ? 0 : nthreads, started = 0;
    for (int t = 0; t < nthreads; t++) wk[t] = (Worker){ &sh, t, nthreads };
    while (started < spawn && pthread_create(&th[started], NULL, worker, &wk[started]) == 0) started++;
    /* The shares no thread was made or could be had for run here, before progress. */
    for (int t = started; t < nthreads; t++) worker(&wk[t]);
    if (cfg->progress) {
        for (;;) {
            bool all = true;
            for (int c = 0; c < nc; c++) {
                sh.progress[c].iter = atomic_load(&sh.iter[c]);
                sh.progress[c].divergences = atomic_load(&sh.div[c]);
                sh.progress[c].done = atomic_load(&sh.done[c]);
                sh.progress[c].warmup = sh.progress[c].iter < sh.tune;
                all = all && sh.progress[c].done;
            }
            cfg->progress(cfg->user, sh.progress, nc, run_now() - t0);
            if (all) break;
            wait_workers(&sh, cfg->progress_every > 0 ? cfg->progress_every : 0.1);
        }
    }
    for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
    res->seconds = run_now() - t0;
    res->gradient_evals = atomic_load(&sh.gradient_evals);
    res->exact = m->dim == 0;

    /* The worst status wins; an interrupted run keeps what every chain has. */
    res->status = RUN_OK;
    for (int c = 0; c < nc; c++)
        if (sh.status[c] != RUN_OK && (res->status == RUN_OK || res->status == RUN_INTERRUPTED)) {
            res->status = sh.status[c];
            memcpy(res->message, sh.message[c], sizeof res->message);
        }
    int kept = sh.nkeep;
    for (int c = 0; c < nc; c++) if (sh.kept[c] < kept) kept = sh.kept[c];
    res->draws->ndraws = kept;
done:
    if (synced) {
        pthread_cond_destroy(&sh.finished);
        pthread_mutex_destroy(&sh.lock);
    }
    free(sh.progress);
    free(sh.iter);
    free(sh.div);
    free(sh.done);
    free(sh.kept);
    free(sh.status);
    free(sh.message);
    free(th);
    free(wk);
    return res->status;
}

bool run_chain_dense(const RunResult *res, int c)
{
    if (!res->dense || !res->inv_metric) return false;
    long d = res->dim;
    const double *m = res->inv_metric + (size_t)c * (size_t)(d * d);
    for (long i = 0; i < d; i++)
        for (long j = 0; j < d; j++)
            if (i != j && m[i * d + j] != 0) return true;
    return false;
}

void run_result_free(RunResult *res)
{
    draws_free(res->draws);
    free(res->stepsize);
    free(res->inv_metric);
    free(res->warmup_seconds);
    free(res->sampling_seconds);
    memset(res, 0, sizeof *res);
}
