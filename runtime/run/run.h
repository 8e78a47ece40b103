/*
** run.h -- running NUTS chains on a compiled model, in parallel threads,
** and collecting their draws of every reported quantity.
**
** Chain c draws from its own random stream, derived from the seed and c
** alone, so the draws are the same bit for bit whatever the thread count.
*/
#ifndef BMC_RUN_H
#define BMC_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include "draws.h"
#include "ir.h"
#include "nuts.h"

#define RUN_MAX_INIT_TRIES 100

/* The stop flag is set in signal handlers: it must be lock-free there. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free");

typedef enum {
    RUN_OK,
    RUN_INTERRUPTED,   /* stopped by *stop; the draws made so far are kept */
    RUN_NO_INIT,       /* no point with a finite density and gradient */
    RUN_BAD_INIT,      /* the initial values given have none */
    RUN_STUCK,         /* a chain never moved after warm-up */
    RUN_NO_MEMORY,
    RUN_SINK_FAILED    /* the sink refused a draw (its writes failed): the chains stopped */
} RunStatus;

/* What the progress callback sees of one chain: a copy the calling thread
** makes, so the callback may read it freely. */
typedef struct ChainProgress {
    int iter;          /* iterations done, warm-up included */
    int divergences;   /* so far, after warm-up */
    bool warmup;       /* still warming up */
    bool done;
} ChainProgress;

/* Where each draw goes as it is made, besides the draws the run keeps:
** the files that must hold every draw made whatever ends the run.  Each
** chain's calls come from the one thread that runs it, in order; a call
** that returns non-zero stops the run (RUN_SINK_FAILED). */
typedef struct DrawSink {
    void *user;
    /* chain's warm-up ended: its step size and inverse metric (dim values,
    ** or dim*dim when dense); not called when there is no warm-up */
    int (*adapted)(void *user, int chain, double stepsize, const double *inv_metric, long dim, bool dense);
    /* one draw of chain: stats in DrawStat order, values of every reported
    ** scalar; a warm-up draw only under save_warmup, all before adapted */
    int (*draw)(void *user, int chain, const double *stats, const double *values);
    /* chain ended after warmup and sampling iterations (fewer than asked
    ** when it was stopped), busy for the seconds given in each phase */
    void (*finished)(void *user, int chain, int warmup, int sampling, double warmup_seconds, double sampling_seconds);
} DrawSink;

typedef struct RunConfig {
    NutsConfig nuts;               /* nuts.draws: sampling iterations per chain, thinned by thin */
    int chains;
    int cores;
    unsigned long seed;
    int thin;                      /* keep every thin-th iteration (CmdStan's thin); 0 is 1 */
    bool save_warmup;              /* the warm-up's draws go to the sink too (thinned alike) */
    int first_id;                  /* chain c's id is first_id + c (0 is 1): its stream follows from the
                                   ** seed and the id, so runs of ids 1-2 and 3-4 make a run of 1-4 */
    const DrawSink *sink;          /* may be NULL */
    /* ninit vectors of dim unconstrained values, NAN = random: one for
    ** every chain (ninit 1) or one each (ninit == chains); NULL: all random */
    const double *init;
    int ninit;
    /* Set, from any thread or a signal handler (a lock-free atomic is
    ** async-signal-safe), to stop all chains; may be NULL. */
    atomic_int *stop;
    /* Called from the calling thread every progress_every seconds (0: a
    ** tenth) while chains run, and once as the last ends, when not NULL. */
    void (*progress)(void *user, const ChainProgress *chains, int nchains, double seconds);
    double progress_every;
    void *user;
} RunConfig;

typedef struct RunResult {
    RunStatus status;
    char message[512];      /* what went wrong, for RUN_NO_INIT, RUN_BAD_INIT and RUN_STUCK */
    Draws *draws;           /* every reported scalar, named, with the sampler's statistics of each kept draw */
    double *stepsize;       /* per chain, after warm-up */
    double *inv_metric;     /* per chain: dim or dim*dim values */
    bool dense;             /* inv_metric holds dim*dim values per chain */
    long dim;
    double *warmup_seconds, *sampling_seconds;   /* per chain */
    long gradient_evals;
    double seconds;         /* wall time */
    bool exact;             /* no parameter for NUTS: every draw was drawn exactly, independent of
                            ** the others, with no warm-up (the model's generated quantities) */
} RunResult;

/* Runs the chains; fills res (free with run_result_free, whatever the
** status). */
RunStatus run_chains(const IrModel *m, const RunConfig *cfg, RunResult *res);
void run_result_free(RunResult *res);

/* Whether chain c's metric is dense in fact: stored whole, with some
** correlation kept.  --metric auto stores it whole but keeps only strong
** correlations, so a chain may end with a diagonal one. */
bool run_chain_dense(const RunResult *res, int c);

/* Monotonic wall-clock seconds, as runs are timed. */
double run_now(void);

/* Seed of the stream of the chain with index id - 1: a mix of the run's
** seed and it. */
unsigned long run_chain_seed(unsigned long seed, int chain);

/* The chain id of chain c under cfg. */
int run_chain_id(const RunConfig *cfg, int c);

/* The draws each chain keeps: its sampling iterations, thinned. */
int run_kept_draws(const RunConfig *cfg);

#endif
