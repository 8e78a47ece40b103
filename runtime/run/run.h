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
    RUN_NO_MEMORY
} RunStatus;

/* What the progress callback sees of one chain: a copy the calling thread
** makes, so the callback may read it freely. */
typedef struct ChainProgress {
    int iter;          /* iterations done, warm-up included */
    int divergences;   /* so far, after warm-up */
    bool warmup;       /* still warming up */
    bool done;
} ChainProgress;

typedef struct RunConfig {
    NutsConfig nuts;
    int chains;
    int cores;
    unsigned long seed;
    const double *init;            /* dim unconstrained values, NAN = random; NULL: all random */
    /* Set, from any thread or a signal handler (a lock-free atomic is
    ** async-signal-safe), to stop all chains; may be NULL. */
    atomic_int *stop;
    /* Called from the calling thread about ten times a second while chains
    ** run, when not NULL. */
    void (*progress)(void *user, const ChainProgress *chains, int nchains, double seconds);
    void *user;
} RunConfig;

typedef struct RunResult {
    RunStatus status;
    char message[512];      /* what went wrong, for RUN_NO_INIT, RUN_BAD_INIT and RUN_STUCK */
    Draws *draws;           /* every reported scalar, named, with the sampler's statistics of each draw */
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

/* Seed of chain c's stream: a mix of the run's seed and c. */
unsigned long run_chain_seed(unsigned long seed, int chain);

#endif
