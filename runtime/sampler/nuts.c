/*
** nuts.c -- the No-U-Turn Sampler (see nuts.h).
**
** One transition draws a momentum, then doubles a leapfrog trajectory in
** random directions (Hoffman & Gelman 2014, "The No-U-Turn Sampler",
** JMLR 15) until it turns back on itself, diverges, or reaches the
** maximum depth.  Following Betancourt (2017, "A Conceptual Introduction
** to Hamiltonian Monte Carlo", appendix A), the next state is drawn from
** the trajectory with probabilities proportional to exp(-H): uniformly
** (multinomially) inside each subtree, and at the top level biased
** towards the newest subtree, which keeps the transition reversible while
** favouring points far from the start.  The trajectory stops on the
** generalised no-U-turn criterion: a span stops when the velocity at
** either end no longer has a positive projection on the span's summed
** momentum.  When two subtrees are joined the criterion is also checked
** on each subtree extended by the nearest point of the other (Stan's
** addition), which catches U-turns the whole-span check misses.
**
** Every vector a transition needs is allocated in nuts_new, so
** nuts_iterate allocates nothing.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "adapt.h"
#include "metric.h"
#include "metric_choice.h"
#include "nuts.h"

/* An energy error above this marks the trajectory divergent. */
#define MAX_ENERGY_ERROR 1000.0
/* Trees deeper than this would overflow the leapfrog count. */
#define DEPTH_CAP 30

/* A point in phase space on a trajectory. */
typedef struct Phase {
    double *q, *p, *grad;
    double *v;            /* velocity Sigma p ("sharp" momentum) */
    double lp;            /* -inf where the density is not finite */
    double h;             /* Hamiltonian -lp + p' Sigma p / 2; +inf if invalid */
} Phase;

/* A state the chain may move to: what the next transition starts from. */
typedef struct Candidate {
    double *q, *grad;
    double lp, h;
} Candidate;

/* An end of a span of trajectory: what the U-turn checks need of it. */
typedef struct End {
    double *p, *v;
} End;

/* Scratch for joining the two halves of a subtree of one depth. */
typedef struct Level {
    Candidate right_pick;     /* the right half's candidate */
    double *rho_left, *rho_right;
    End left_end, right_begin;
} Level;

/* What the points of one transition add up to. */
typedef struct Tally {
    double h0;                /* Hamiltonian at the start */
    double sum_accept;        /* sum of min(1, exp(h0 - h)) */
    int n_leapfrog;
    bool divergent;
    bool stopped;             /* the stop flag was seen: the iteration is abandoned */
} Tally;

struct Nuts {
    Target target;
    NutsConfig cfg;           /* metric resolved, depth capped */
    bool auto_metric;         /* METRIC_AUTO made it dense: choice decides per window */
    gsl_rng *rng;             /* borrowed */
    int dim;
    Metric metric;
    double eps;
    StepAdapt step;
    AdaptWindows windows;
    Welford welford;
    Welford grads;            /* the window's gradients, scale_by_grads only */
    bool scale_by_grads;      /* a short warm-up's diagonal metric (welford_scale_estimate) */
    MetricChoice choice;      /* auto_metric only */
    double *estimate;         /* Welford's output, the metric's shape */
    long grad_evals;
    int iter;                 /* iterations done since nuts_init */
    bool ready;               /* nuts_init succeeded */

    Candidate here;           /* the chain's current state */
    Candidate pick;           /* the trajectory's choice so far */
    Candidate sub_pick;       /* the newest subtree's choice */
    Phase fwd, bck;           /* the trajectory's two ends */
    End traj_begin, traj_end; /* backward- and forward-most points */
    End sub_begin, sub_end;   /* the newest subtree, in build order */
    double *rho, *sub_rho;    /* summed momenta */
    double *tmp;
    Level *levels;            /* index = depth of the subtree joined */
    double *block;            /* owns every vector above */
};

/* ---- small vector helpers ---- */

static double dot(const double *a, const double *b, int d)
{
    double s = 0.0;
    for (int i = 0; i < d; i++) s += a[i] * b[i];
    return s;
}

/* Safe for d == 0 with NULL pointers (a target without parameters). */
static void copy(double *dst, const double *src, int d)
{
    if (d > 0) memcpy(dst, src, (size_t)d * sizeof *dst);
}

static void add_to(double *acc, const double *x, int d)
{
    for (int i = 0; i < d; i++) acc[i] += x[i];
}

/* log(exp(a) + exp(b)), exact when either is -inf. */
static double log_add(double a, double b)
{
    if (a == -INFINITY) return b;
    if (b == -INFINITY) return a;
    return fmax(a, b) + log1p(exp(-fabs(a - b)));
}

static void candidate_copy(Candidate *dst, const Candidate *src, int d)
{
    copy(dst->q, src->q, d);
    copy(dst->grad, src->grad, d);
    dst->lp = src->lp;
    dst->h = src->h;
}

static void candidate_from(Candidate *dst, const Phase *z, int d)
{
    copy(dst->q, z->q, d);
    copy(dst->grad, z->grad, d);
    dst->lp = z->lp;
    dst->h = z->h;
}

static void end_from(End *e, const Phase *z, int d)
{
    copy(e->p, z->p, d);
    copy(e->v, z->v, d);
}

static void end_copy(End *dst, const End *src, int d)
{
    copy(dst->p, src->p, d);
    copy(dst->v, src->v, d);
}

/* ---- dynamics ---- */

/* The log density and gradient at q; -inf when either is not finite, so
** that such a point is never accepted. */
static double log_density(Nuts *s, const double *q, double *grad)
{
    s->grad_evals++;
    double lp = s->target.logp_grad(s->target.ctx, q, grad);
    if (!isfinite(lp)) return -INFINITY;
    for (int i = 0; i < s->dim; i++)
        if (!isfinite(grad[i])) return -INFINITY;
    return lp;
}

static void set_energy(Nuts *s, Phase *z)
{
    metric_velocity(&s->metric, z->p, z->v);
    z->h = -z->lp + 0.5 * dot(z->p, z->v, s->dim);
    if (isnan(z->h)) z->h = INFINITY;
}

/* One leapfrog step of signed length e.  An invalid end point gets
** h = +inf (an infinite energy error: a divergence). */
static void leapfrog(Nuts *s, Phase *z, double e)
{
    int d = s->dim;
    for (int i = 0; i < d; i++) z->p[i] += 0.5 * e * z->grad[i];
    metric_velocity(&s->metric, z->p, z->v);
    for (int i = 0; i < d; i++) z->q[i] += e * z->v[i];
    z->lp = log_density(s, z->q, z->grad);
    if (z->lp == -INFINITY) {
        z->h = INFINITY;
        return;
    }
    for (int i = 0; i < d; i++) z->p[i] += 0.5 * e * z->grad[i];
    set_energy(s, z);
}

/* z at the chain's state with a fresh momentum. */
static void start_phase(Nuts *s, Phase *z)
{
    int d = s->dim;
    copy(z->q, s->here.q, d);
    copy(z->grad, s->here.grad, d);
    z->lp = s->here.lp;
    metric_sample(&s->metric, s->rng, z->p);
    set_energy(s, z);
}

/* ---- the no-U-turn criterion ---- */

/* A span whose end velocities are va, vb and whose momenta sum to rho
** is still moving apart. */
static bool no_uturn(const double *va, const double *vb, const double *rho, int d)
{
    return dot(va, rho, d) > 0.0 && dot(vb, rho, d) > 0.0;
}

/* Whether span a (first) joined to span b (adjacent after it) may go on:
** the criterion on the join, on a with b's first point, and on b with a's
** last point. */
static bool join_ok(Nuts *s, const End *a_begin, const End *a_end, const double *a_rho,
                    const End *b_begin, const End *b_end, const double *b_rho)
{
    int d = s->dim;
    double *rho = s->tmp;
    for (int i = 0; i < d; i++) rho[i] = a_rho[i] + b_rho[i];
    if (!no_uturn(a_begin->v, b_end->v, rho, d)) return false;
    for (int i = 0; i < d; i++) rho[i] = a_rho[i] + b_begin->p[i];
    if (!no_uturn(a_begin->v, b_begin->v, rho, d)) return false;
    for (int i = 0; i < d; i++) rho[i] = a_end->p[i] + b_rho[i];
    return no_uturn(a_end->v, b_end->v, rho, d);
}

/* ---- the trajectory ---- */

/* Extends the trajectory from z by a subtree of 2^depth leapfrog steps
** in direction sign.  On return pick holds the subtree's multinomial
** choice, begin/end its first and last points in build order, rho has
** the subtree's momenta added and log_w its log weight (log sum of
** exp(h0 - h)) added.  Returns false when the subtree diverged or turned
** back: the caller then discards it. */
static bool build_tree(Nuts *s, int depth, Phase *z, double sign, Candidate *pick,
                       End *begin, End *end, double *rho, double *log_w, Tally *t)
{
    int d = s->dim;
    if (depth == 0) {
        /* one trajectory may take minutes: the stop flag is seen within a step */
        if (s->cfg.stop && atomic_load_explicit(s->cfg.stop, memory_order_relaxed)) {
            t->stopped = true;
            return false;
        }
        leapfrog(s, z, sign * s->eps);
        t->n_leapfrog++;
        double log_ratio = t->h0 - z->h;      /* -inf when invalid */
        if (-log_ratio > MAX_ENERGY_ERROR) {
            t->divergent = true;
            return false;
        }
        *log_w = log_add(*log_w, log_ratio);
        t->sum_accept += log_ratio > 0.0 ? 1.0 : exp(log_ratio);
        candidate_from(pick, z, d);
        end_from(begin, z, d);
        end_from(end, z, d);
        add_to(rho, z->p, d);
        return true;
    }
    Level *lv = &s->levels[depth];
    double w_left = -INFINITY, w_right = -INFINITY;
    memset(lv->rho_left, 0, (size_t)d * sizeof(double));
    if (!build_tree(s, depth - 1, z, sign, pick, begin, &lv->left_end,
                    lv->rho_left, &w_left, t))
        return false;
    memset(lv->rho_right, 0, (size_t)d * sizeof(double));
    if (!build_tree(s, depth - 1, z, sign, &lv->right_pick, &lv->right_begin, end,
                    lv->rho_right, &w_right, t))
        return false;
    double w = log_add(w_left, w_right);
    *log_w = log_add(*log_w, w);
    /* Uniform multinomial choice between the halves, by their weights. */
    if (gsl_rng_uniform(s->rng) < exp(w_right - w))
        candidate_copy(pick, &lv->right_pick, d);
    bool ok = join_ok(s, begin, &lv->left_end, lv->rho_left,
                      &lv->right_begin, end, lv->rho_right);
    add_to(rho, lv->rho_left, d);
    add_to(rho, lv->rho_right, d);
    return ok;
}

static void transition(Nuts *s, NutsStats *st)
{
    int d = s->dim;
    Phase *fwd = &s->fwd, *bck = &s->bck;
    start_phase(s, fwd);
    copy(bck->q, fwd->q, d);
    copy(bck->p, fwd->p, d);
    copy(bck->grad, fwd->grad, d);
    copy(bck->v, fwd->v, d);
    bck->lp = fwd->lp;
    bck->h = fwd->h;

    Tally t = { .h0 = fwd->h, .sum_accept = 0.0, .n_leapfrog = 0, .divergent = false };
    candidate_from(&s->pick, fwd, d);
    end_from(&s->traj_begin, fwd, d);
    end_from(&s->traj_end, fwd, d);
    copy(s->rho, fwd->p, d);
    double log_w = 0.0;       /* the start's weight, exp(h0 - h0) */

    int depth = 0;
    while (depth < s->cfg.max_treedepth) {
        bool forward = gsl_rng_uniform(s->rng) > 0.5;
        double sub_w = -INFINITY;
        memset(s->sub_rho, 0, (size_t)d * sizeof(double));
        if (!build_tree(s, depth, forward ? fwd : bck, forward ? 1.0 : -1.0,
                        &s->sub_pick, &s->sub_begin, &s->sub_end, s->sub_rho, &sub_w, &t))
            break;
        depth++;
        /* Biased progressive sampling: the new subtree replaces the choice
        ** with probability min(1, w_new / w_old). */
        if (gsl_rng_uniform(s->rng) < exp(sub_w - log_w))
            candidate_copy(&s->pick, &s->sub_pick, d);
        log_w = log_add(log_w, sub_w);
        bool go_on;
        if (forward) {
            go_on = join_ok(s, &s->traj_begin, &s->traj_end, s->rho,
                            &s->sub_begin, &s->sub_end, s->sub_rho);
            end_copy(&s->traj_end, &s->sub_end, d);
        } else {
            /* Built backwards, the subtree's last point is its leftmost. */
            go_on = join_ok(s, &s->sub_end, &s->sub_begin, s->sub_rho,
                            &s->traj_begin, &s->traj_end, s->rho);
            end_copy(&s->traj_begin, &s->sub_end, d);
        }
        add_to(s->rho, s->sub_rho, d);
        if (!go_on) break;
    }
    if (t.stopped) {   /* the chain stays where it was */
        *st = (NutsStats){ .lp = s->here.lp, .stepsize = s->eps, .energy = s->here.h, .stopped = true };
        return;
    }

    /* The choice becomes the chain's state; the old state's storage is
    ** reused for the next choice. */
    Candidate old = s->here;
    s->here = s->pick;
    s->pick = old;

    st->lp = s->here.lp;
    st->accept_stat = t.n_leapfrog > 0 ? t.sum_accept / t.n_leapfrog : 0.0;
    st->stepsize = s->eps;
    st->treedepth = depth;
    st->n_leapfrog = t.n_leapfrog;
    st->divergent = t.divergent;
    st->energy = s->here.h;
    st->stopped = false;
}

/* ---- step size and adaptation ---- */

/* Momenta each trial step size is tried with in find_initial_stepsize. */
#define STEPSIZE_TRIALS 4

/* Leapfrog steps of the trajectory that a step size kept without dual
** averaging must hold (see find_safe_stepsize). */
#define SAFE_STEPS 64

/* The acceptance probability min(1, exp(h0 - h)) at each of `steps`
** leapfrog steps of size eps from the chain's state, averaged over the
** steps and over STEPSIZE_TRIALS momenta.  One momentum can hide an
** unstable step: a small one barely moves the state whatever the step. */
static double trajectory_accept(Nuts *s, double eps, int steps)
{
    Phase *z = &s->fwd;
    double sum = 0.0;
    for (int k = 0; k < STEPSIZE_TRIALS; k++) {
        start_phase(s, z);
        double h0 = z->h;
        for (int i = 0; i < steps; i++) {
            leapfrog(s, z, eps);
            double a = exp(h0 - z->h);
            if (!(a >= 0)) a = 0;          /* NaN (a failed step) adds nothing */
            if (a == 0) break;             /* nor do the steps after it */
            sum += a < 1.0 ? a : 1.0;
        }
    }
    return sum / (STEPSIZE_TRIALS * steps);
}

/* Stan's heuristic for a first step size: from the current one, double
** (or halve) until the acceptance probability of a single leapfrog step
** crosses 0.8.  s->eps ends, as Stan's, on the first step size past the
** crossing (where dual averaging starts); the return value is the largest
** step size tried that was accepted, which a short warm-up keeps. */
static double find_initial_stepsize(Nuts *s)
{
    int direction = 0;
    double safe = s->eps;
    /* 100 halvings or doublings span any sensible scale; the cap keeps an
    ** improper (flat) target from looping forever. */
    for (int k = 0; k < 100; k++) {
        /* up to 400 gradients: Ctrl-C is seen here too */
        if (s->cfg.stop && atomic_load_explicit(s->cfg.stop, memory_order_relaxed)) return safe;
        bool ok = trajectory_accept(s, s->eps, 1) > 0.8;
        if (direction == 0) direction = ok ? 1 : -1;
        if (ok) {
            if (direction == -1) return s->eps;
            safe = s->eps;
        } else if (direction == 1) {
            return safe;
        }
        if (direction == 1) {
            if (s->eps > 1e7) return safe;
            s->eps *= 2.0;
        } else {
            s->eps *= 0.5;
        }
    }
    return s->eps;
}

/* The largest step size of find_initial_stepsize, halved until a
** trajectory of SAFE_STEPS steps is also accepted with probability above
** 0.8: the step size a warm-up too short for dual averaging to settle
** keeps.  One step can be accepted at a step size past the leapfrog's
** stability limit, where the energy error grows with every step: a chain
** that kept it would diverge on nearly every transition (a correlated
** regression after 20 warm-up iterations). */
static double find_safe_stepsize(Nuts *s)
{
    double safe = find_initial_stepsize(s);
    /* 60 halvings take any step size below the clamp of clamp_stepsize */
    for (int k = 0; k < 60; k++) {
        if (s->cfg.stop && atomic_load_explicit(s->cfg.stop, memory_order_relaxed)) break;
        if (trajectory_accept(s, safe, SAFE_STEPS) > 0.8) break;
        safe *= 0.5;
    }
    return safe;
}

/* Keeps the step size a usable finite number whatever dual averaging
** proposes. */
static double clamp_stepsize(double eps)
{
    if (!(eps >= 1e-300)) return 1e-300;      /* also catches NaN */
    return eps < 1e300 ? eps : 1e300;
}

/* Warm-up learning after iteration s->iter (Stan's order: step size
** first, then the metric windows). */
static void adapt(Nuts *s, double accept_stat)
{
    int it = s->iter;
    s->eps = clamp_stepsize(stepadapt_learn(&s->step, accept_stat));
    if (windows_collect(&s->windows, it)) {
        welford_add(&s->welford, s->here.q);
        if (s->scale_by_grads) welford_add(&s->grads, s->here.grad);
        if (s->auto_metric) choice_add(&s->choice, s->here.grad);
    }
    if (windows_close(&s->windows, it)) {
        /* An estimate the metric rejects (not positive definite) leaves
        ** the metric as it was. */
        int got = s->scale_by_grads ? welford_scale_estimate(&s->welford, &s->grads, s->estimate)
                                    : welford_estimate(&s->welford, s->estimate);
        if (got == 0) {
            if (s->auto_metric) choice_close(&s->choice, &s->welford, s->estimate);
            metric_set(&s->metric, s->estimate);
        }
        welford_reset(&s->welford);
        welford_reset(&s->grads);
        /* A new metric changes the scale: start the step size afresh. */
        double safe = find_initial_stepsize(s);
        stepadapt_restart(&s->step, s->eps, safe);
    }
    if (it == s->cfg.tune - 1) {
        /* A warm-up too short for the average to settle keeps a safe step
        ** size.  The one found at the last restart is stale when the chain
        ** has since left the curvature of its starting point (a short
        ** warm-up's transient), so it is found again where the chain is,
        ** and checked over a whole trajectory. */
        if (s->step.count < STEPADAPT_SETTLED) {
            double now = s->eps;
            s->step.eps_safe = find_safe_stepsize(s);
            s->eps = now;
        }
        s->eps = clamp_stepsize(stepadapt_final(&s->step));
    }
}

/* ---- public interface ---- */

NutsConfig nuts_default_config(void)
{
    NutsConfig c = {
        .tune = 1000,
        .draws = 1000,
        .max_treedepth = 10,
        .target_accept = 0.8,
        .metric = METRIC_AUTO,
    };
    return c;
}

/* METRIC_AUTO can be dense for up to 50 dimensions when warm-up has at
** least 150 iterations, the length of Stan's default buffers and first
** window, and is diagonal otherwise.  A d x d covariance has d (d + 1) / 2
** entries to estimate from the slow windows' draws, and costs O(d^2) per
** leapfrog step: beyond 50 dimensions, or with the short windows of a
** short warm-up, the estimate would be mostly the regularisation's.
** Within a metric resolved so, each window keeps the dense estimate only
** on evidence that it whitens the posterior better than its diagonal
** (metric_choice.h). */
MetricKind nuts_resolve_metric(MetricKind m, int dim, int tune)
{
    if (dim <= 0) return METRIC_DIAG;     /* nothing to correlate */
    if (m != METRIC_AUTO) return m;
    return dim <= 50 && tune >= NUTS_FULL_WARMUP ? METRIC_DENSE : METRIC_DIAG;
}

/* Points the candidate, phase, end and level vectors into one block. */
static void carve(Nuts *s)
{
    size_t d = s->dim > 0 ? (size_t)s->dim : 1;
    double *next = s->block;
#define TAKE() (next += d, next - d)
    s->here.q = TAKE(); s->here.grad = TAKE();
    s->pick.q = TAKE(); s->pick.grad = TAKE();
    s->sub_pick.q = TAKE(); s->sub_pick.grad = TAKE();
    Phase *ph[2] = { &s->fwd, &s->bck };
    for (int k = 0; k < 2; k++) {
        ph[k]->q = TAKE(); ph[k]->p = TAKE(); ph[k]->grad = TAKE(); ph[k]->v = TAKE();
    }
    End *ends[4] = { &s->traj_begin, &s->traj_end, &s->sub_begin, &s->sub_end };
    for (int k = 0; k < 4; k++) {
        ends[k]->p = TAKE(); ends[k]->v = TAKE();
    }
    s->rho = TAKE(); s->sub_rho = TAKE(); s->tmp = TAKE();
    for (int k = 0; k < s->cfg.max_treedepth; k++) {
        Level *lv = &s->levels[k];
        lv->right_pick.q = TAKE(); lv->right_pick.grad = TAKE();
        lv->rho_left = TAKE(); lv->rho_right = TAKE();
        lv->left_end.p = TAKE(); lv->left_end.v = TAKE();
        lv->right_begin.p = TAKE(); lv->right_begin.v = TAKE();
    }
#undef TAKE
    s->estimate = next;
}

/* What carve takes: 3 candidates x 2, 2 phases x 4, 4 ends x 2, 3 sums;
** and per level 1 candidate x 2, 2 sums, 2 ends x 2. */
enum { FIXED_VECTORS = 25, LEVEL_VECTORS = 8 };

Nuts *nuts_new(const Target *t, const NutsConfig *cfg, gsl_rng *rng)
{
    Nuts *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->target = *t;
    s->cfg = *cfg;
    s->rng = rng;
    s->dim = t->dim > 0 ? t->dim : 0;
    if (s->cfg.max_treedepth < 1) s->cfg.max_treedepth = 1;
    if (s->cfg.max_treedepth > DEPTH_CAP) s->cfg.max_treedepth = DEPTH_CAP;
    s->cfg.metric = nuts_resolve_metric(cfg->metric, s->dim, cfg->tune);
    bool dense = s->cfg.metric == METRIC_DENSE;
    s->auto_metric = cfg->metric == METRIC_AUTO && dense;
    /* A warm-up shorter than the default schedule has one slow window,
    ** drawn while the chain may still be on its way to the posterior:
    ** those draws' spread says little about the posterior's scales. */
    s->scale_by_grads = !dense && cfg->tune < NUTS_FULL_WARMUP;
    s->eps = 1.0;

    size_t d = s->dim > 0 ? (size_t)s->dim : 1;
    size_t nvec = FIXED_VECTORS + LEVEL_VECTORS * (size_t)s->cfg.max_treedepth;
    size_t nest = dense ? d * d : d;
    s->levels = calloc((size_t)s->cfg.max_treedepth, sizeof *s->levels);
    s->block = calloc(nvec * d + nest, sizeof *s->block);
    bool metric_ok = metric_init(&s->metric, s->dim, dense) == 0;
    bool welford_ok = welford_init(&s->welford, s->dim, dense) == 0
                      && welford_init(&s->grads, s->dim, false) == 0;
    bool choice_ok = !s->auto_metric || choice_init(&s->choice, s->dim) == 0;
    if (!s->levels || !s->block || !metric_ok || !welford_ok || !choice_ok) {
        nuts_free(s);
        return NULL;
    }
    carve(s);
    return s;
}

void nuts_free(Nuts *s)
{
    if (!s) return;
    metric_free(&s->metric);
    welford_free(&s->welford);
    welford_free(&s->grads);
    if (s->auto_metric) choice_free(&s->choice);
    free(s->levels);
    free(s->block);
    free(s);
}

int nuts_init(Nuts *s, const double *q0)
{
    int d = s->dim;
    s->ready = false;
    copy(s->here.q, q0, d);
    s->here.lp = log_density(s, s->here.q, s->here.grad);
    if (s->here.lp == -INFINITY) return -1;
    s->here.h = -s->here.lp;
    metric_reset(&s->metric);
    welford_reset(&s->welford);
    welford_reset(&s->grads);
    if (s->auto_metric) choice_reset(&s->choice);
    windows_init(&s->windows, s->cfg.tune);
    s->iter = 0;
    s->eps = 1.0;
    /* without warm-up this is the step size kept: it must hold for a
    ** whole trajectory */
    double safe = s->cfg.tune == 0 ? find_safe_stepsize(s) : find_initial_stepsize(s);
    stepadapt_init(&s->step, s->cfg.target_accept, s->eps, safe);
    /* without warm-up the heuristic's step is the one kept */
    if (s->cfg.tune == 0) s->eps = clamp_stepsize(stepadapt_final(&s->step));
    s->ready = true;
    return 0;
}

void nuts_iterate(Nuts *s, double *q, NutsStats *st)
{
    if (!s->ready) {
        /* No valid state to move from: say so rather than invent one. */
        for (int i = 0; i < s->dim; i++) q[i] = NAN;
        *st = (NutsStats){ .lp = NAN, .accept_stat = 0.0, .stepsize = s->eps,
                           .treedepth = 0, .n_leapfrog = 0, .divergent = 1,
                           .energy = NAN };
        return;
    }
    transition(s, st);
    if (st->stopped) {
        copy(q, s->here.q, s->dim);
        return;
    }
    if (s->iter < s->cfg.tune)
        adapt(s, st->accept_stat);
    s->iter++;
    copy(q, s->here.q, s->dim);
}

bool nuts_dense(const Nuts *s)
{
    return s->metric.dense;
}

double nuts_stepsize(const Nuts *s)
{
    return s->eps;
}

const double *nuts_inv_metric(const Nuts *s)
{
    return s->metric.inv;
}

long nuts_gradient_evals(const Nuts *s)
{
    return s->grad_evals;
}
