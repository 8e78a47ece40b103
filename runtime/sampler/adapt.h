/*
** adapt.h -- warm-up adaptation for HMC: the step size by dual averaging,
** the metric from running (co)variance estimates, and the schedule of
** windows that says when the metric is estimated.
**
** Dual averaging: Hoffman & Gelman (2014), section 3.2 (Nesterov's
** primal-dual averaging applied to log step size).  Windows: Stan's
** warm-up, as described in the Stan Reference Manual, "HMC algorithm
** parameters": a fast initial buffer, slow windows doubling in length,
** a fast terminal buffer.
*/
#ifndef BMC_ADAPT_H
#define BMC_ADAPT_H

#include <stdbool.h>

/* Dual averaging of log step size towards a target mean acceptance. */
typedef struct StepAdapt {
    double delta;         /* target acceptance statistic */
    double gamma, t0, kappa;
    double mu;            /* point log step sizes are shrunk towards */
    double s_bar;         /* running mean of (delta - accept) */
    double x_bar;         /* averaged log step size */
    double eps_safe;      /* a step size known to be accepted at the last restart */
    long count;           /* iterations since then */
} StepAdapt;

/* Stan's default windows: a fast initial buffer, a first slow window and
** a fast terminal buffer (NUTS_FULL_WARMUP in all). */
enum { WINDOW_INIT_BUFFER = 75, WINDOW_FIRST = 25, WINDOW_TERM_BUFFER = 50 };

/* Iterations after a restart before the averaged step size is trusted on
** its own: the terminal buffer, the fewest a default warm-up gives. */
#define STEPADAPT_SETTLED WINDOW_TERM_BUFFER

/* Hoffman & Gelman's constants (gamma 0.05, t0 10, kappa 0.75), target
** delta, and a restart at step size eps (eps_safe: see stepadapt_restart). */
void stepadapt_init(StepAdapt *a, double delta, double eps, double eps_safe);

/* Forgets the history and sets mu = log(10 * eps), as after a metric
** change; eps_safe is a step size found to be accepted there, which
** stepadapt_final keeps until the average has settled. */
void stepadapt_restart(StepAdapt *a, double eps, double eps_safe);

/* Feeds one iteration's acceptance statistic; returns the step size to
** use next. */
double stepadapt_learn(StepAdapt *a, double accept_stat);

/* The step size to keep once warm-up ends: exp(x_bar), but no larger than
** the restart's eps_safe while fewer than STEPADAPT_SETTLED iterations
** have been averaged (eps_safe itself after none).  The first iterates try steps ten times the
** restart's on purpose (mu = log(10 eps)); averaged over a handful of
** iterations they would be kept, and a chain whose every proposal then
** diverges cannot move at all. */
double stepadapt_final(const StepAdapt *a);

/* Where the metric is estimated, by warm-up iteration (0-based). */
typedef struct AdaptWindows {
    int tune;
    int init_buffer;      /* fast: only the step size adapts */
    int term_buffer;      /* fast, at the end */
    int window;           /* length of the current slow window */
    int window_end;       /* last iteration of the current slow window */
    bool active;          /* false when warm-up is too short (< 20) */
} AdaptWindows;

/* The schedule for tune warm-up iterations: init buffer 75, first slow
** window 25, terminal buffer 50; when these do not fit, 15% / 75% / 10% of
** tune; no metric adaptation at all below 20 iterations. */
void windows_init(AdaptWindows *w, int tune);

/* Whether iteration it's draw belongs to a slow window. */
bool windows_collect(const AdaptWindows *w, int it);

/* Whether iteration it closes a slow window: the metric is then
** estimated.  Moves the schedule on to the next window, each twice the
** last, the final one stretched to the terminal buffer when the one after
** would not fit. */
bool windows_close(AdaptWindows *w, int it);

/* Running mean and (co)variance of draws by Welford's updates, so that a
** window's draws need not be stored. */
typedef struct Welford {
    int dim;
    bool dense;
    long n;
    double *mean;         /* dim */
    double *m2;           /* dim, or dim*dim (lower triangle kept) */
    double *delta;        /* dim, scratch */
} Welford;

/* Returns 0, or -1 when out of memory (w is then empty, and welford_free
** is still safe). */
int welford_init(Welford *w, int dim, bool dense);
void welford_free(Welford *w);
void welford_reset(Welford *w);
void welford_add(Welford *w, const double *x);

/* Writes the sample (co)variance (denominator n - 1) shrunk towards
** 1e-3 as Stan regularises it: (n / (n + 5)) * S + 1e-3 * (5 / (n + 5)) on
** the diagonal.  out holds dim values, or dim*dim row-major (full
** symmetric).  Returns 0, or -1 when fewer than 2 draws were added. */
int welford_estimate(const Welford *w, double *out);

/* A diagonal metric from a window's draws and the gradients of log p at
** them (both diagonal, the same draws): sqrt(var(x_i) / var(g_i)), the
** diagonal that minimises the Fisher divergence of Seyboldt et al. 2024
** (nutpie's).  For a Gaussian it is the variance whatever the draws'
** spread, so it holds for draws of a chain that has not yet explored the
** posterior, where the draws' variance alone can be orders of magnitude
** too small (a correlated regression after 20 warm-up iterations).  Where
** either variance is zero or not finite, welford_estimate's value is
** kept.  Returns 0, or -1 when fewer than 2 draws were added. */
int welford_scale_estimate(const Welford *draws, const Welford *grads, double *out);

/* Writes the second moment of the draws about the point about (zero when
** NULL): the mean of (x - about)(x - about)', dim*dim row-major, for a
** dense w with at least one draw. */
void welford_moment(const Welford *w, const double *about, double *out);

#endif
