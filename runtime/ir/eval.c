/*
** eval.c -- running the IR forward for values and backward for adjoints.
**
** Reverse mode over a static list: the forward sweep computes every slot
** and the log density; log-density and transform terms add their partial
** derivatives straight into their inputs' adjoints (the target's adjoint is
** 1), so the backward sweep only carries adjoints through the other
** instructions, last to first.
*/
#define _DEFAULT_SOURCE   /* MAP_ANONYMOUS */
#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "ops.h"
#include "transform.h"

struct EvalWs {
    const IrModel *m;
    double *work;       /* values of the WORK region (zeroed_new) */
    double *adj;        /* their adjoints (zeroed_new) */
    size_t nwork;       /* the doubles of each */
    OpArgs *args;       /* per instruction, resolved once */
    long (*live)[2];    /* the runs {first, end} of work values the density reads or writes */
    int nlive;
    int failed;         /* the instruction where the last density stopped being finite, or -1 */
    const gsl_rng *rng; /* the stream of generated quantities (borrowed), or NULL */
    MatvecBlas *blas;   /* for the products large enough, or NULL */
};

static double *value_ptr(EvalWs *w, const IrSlot *s)
{
    return (s->region == REGION_CONST ? (double *)w->m->consts : w->work) + s->off;
}

/* Only computed WORK values carry adjoints; data never does. */
static double *adj_ptr(EvalWs *w, const IrSlot *s)
{
    return s->region == REGION_WORK && !s->is_data ? w->adj + s->off : NULL;
}

/* Arrays of at least this many bytes are mapped, not allocated. */
#define ZEROED_MAP_BYTES (1L << 20)

/* n zeroed doubles.  A large array is mapped from the kernel, whose pages
** are zero until written, so the values nothing reads (see load_used)
** cost nothing; calloc clears memory it reuses, page by page.  NULL when
** out of memory. */
static double *zeroed_new(size_t n)
{
    if (n * sizeof(double) < (size_t)ZEROED_MAP_BYTES) return calloc(n, sizeof(double));
    void *p = mmap(NULL, n * sizeof(double), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void zeroed_free(double *p, size_t n)
{
    if (!p) return;
    if (n * sizeof(double) < (size_t)ZEROED_MAP_BYTES)
        free(p);
    else
        munmap(p, n * sizeof(double));
}

/* Adds slot s's WORK values to runs (room for every slot given). */
static void add_run(const IrSlot *s, long (*runs)[2], int *n)
{
    if (s->region != REGION_WORK || s->len <= 0) return;
    runs[*n][0] = s->off;
    runs[(*n)++][1] = s->off + s->len;
}

static int by_first(const void *a, const void *b)
{
    long x = (*(const long (*)[2])a)[0], y = (*(const long (*)[2])b)[0];
    return (x > y) - (x < y);
}

/* The runs {first, end} of WORK values that the first ncode instructions
** and the parameters (and, with outputs, the reported values) read or
** write, in order and merged: from the slots, not element by element, as
** a model's dead values can be hundreds of thousands.  *n is their count;
** NULL when out of memory. */
static long (*work_runs(const IrModel *m, int ncode, bool outputs, int *n))[2]
{
    size_t most = (size_t)ncode * (1 + IR_MAX_ARGS) + 2 * (size_t)m->nparams + (outputs ? (size_t)m->noutputs : 0);
    long (*runs)[2] = malloc((most ? most : 1) * sizeof *runs);
    if (!runs) return NULL;
    *n = 0;
    for (int i = 0; i < ncode; i++) {
        const IrInstr *in = &m->code[i];
        if (in->out >= 0) add_run(&m->slots[in->out], runs, n);
        for (int k = 0; k < IR_MAX_ARGS && in->in[k] >= 0; k++) add_run(&m->slots[in->in[k]], runs, n);
    }
    for (int p = 0; p < m->nparams; p++) {
        add_run(&m->slots[m->params[p].slot], runs, n);
        add_run(&m->slots[m->params[p].uslot], runs, n);
    }
    for (int o = 0; outputs && o < m->noutputs; o++) add_run(&m->slots[m->outputs[o].slot], runs, n);
    qsort(runs, (size_t)*n, sizeof *runs, by_first);
    int kept = 0;
    for (int r = 0; r < *n; r++) {
        if (kept > 0 && runs[r][0] <= runs[kept - 1][1]) {
            if (runs[r][1] > runs[kept - 1][1]) runs[kept - 1][1] = runs[r][1];
        } else {
            runs[kept][0] = runs[r][0];
            runs[kept++][1] = runs[r][1];
        }
    }
    *n = kept;
    return runs;
}

/* The runs of work values whose adjoints a gradient clears: those of the
** density's instructions and the parameters.  Values only a dead or
** per-draw instruction holds (a gather a grouped term replaced, of one
** value per observation) cost nothing at each gradient. */
static int find_live(EvalWs *w)
{
    w->live = work_runs(w->m, w->m->ndensity, false, &w->nlive);
    return w->live ? 0 : -1;
}

static void clear_adjoints(EvalWs *w)
{
    for (int r = 0; r < w->nlive; r++)
        memset(w->adj + w->live[r][0], 0, (size_t)(w->live[r][1] - w->live[r][0]) * sizeof *w->adj);
}

/* Copies the initial image of the WORK values anything reads or writes:
** every instruction's (density, transforms, per-draw), the parameters'
** and the reported outputs'.  The rest are dead (the per-row values of a
** term summed to sufficient statistics when compiled: 200,000 values for
** the A/B test's 200,000 rows), and copying them into each chain's
** workspace was most of an exact run's sampling time.  Returns 0, or -1
** when out of memory. */
static int load_used(EvalWs *w)
{
    const IrModel *m = w->m;
    int n;
    long (*runs)[2] = work_runs(m, m->ncode, true, &n);
    if (!runs) return -1;
    for (int r = 0; r < n; r++)
        memcpy(w->work + runs[r][0], m->work_init + runs[r][0], (size_t)(runs[r][1] - runs[r][0]) * sizeof *w->work);
    free(runs);
    return 0;
}

EvalWs *eval_new(const IrModel *m)
{
    EvalWs *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->m = m;
    w->failed = -1;
    size_t nw = m->nwork ? (size_t)m->nwork : 1;
    w->nwork = nw;
    w->work = zeroed_new(nw);
    w->adj = zeroed_new(nw);
    w->args = calloc(m->ncode ? (size_t)m->ncode : 1, sizeof *w->args);
    if (!w->work || !w->adj || !w->args || find_live(w) != 0 || load_used(w) != 0) { eval_free(w); return NULL; }
    for (int i = 0; i < m->ncode; i++) {
        const IrInstr *in = &m->code[i];
        OpArgs *a = &w->args[i];
        if (in->out >= 0) {
            a->out = value_ptr(w, &m->slots[in->out]);
            a->out_adj = adj_ptr(w, &m->slots[in->out]);
        }
        for (int k = 0; k < IR_MAX_ARGS && in->in[k] >= 0; k++) {
            const IrSlot *s = &m->slots[in->in[k]];
            a->in[k] = value_ptr(w, s);
            a->in_adj[k] = adj_ptr(w, s);
            a->len[k] = s->len;
            if (k == 0) { a->rows = s->rows; a->cols = s->cols; }
        }
        if (in->op == IR_MATVEC && matvec_blas_pays(a->rows, a->cols)) {
            if (!w->blas) w->blas = matvec_blas_open();
            a->blas = w->blas;
        }
    }
    return w;
}

void eval_set_rng(EvalWs *w, const gsl_rng *rng)
{
    w->rng = rng;
}

int eval_failed_instruction(const EvalWs *w)
{
    return w->failed;
}

void eval_free(EvalWs *w)
{
    if (!w) return;
    zeroed_free(w->work, w->nwork);
    zeroed_free(w->adj, w->nwork);
    free(w->args);
    free(w->live);
    matvec_blas_close(w->blas);
    free(w);
}

static void load_coordinates(EvalWs *w, const double *q)
{
    const IrModel *m = w->m;
    for (int p = 0; p < m->nparams; p++) {
        const IrParam *par = &m->params[p];
        memcpy(value_ptr(w, &m->slots[par->uslot]), q + par->ucoord, (size_t)par->len * sizeof *q);
    }
}

/* Forward over code[from .. to); returns the log density added. */
static double forward(EvalWs *w, int from, int to, bool grad)
{
    const IrModel *m = w->m;
    double lp = 0;
    w->failed = -1;
    for (int i = from; i < to; i++) {
        if (m->code[i].op == IR_DRAW) {   /* only ever after the density */
            ops_draw(&m->code[i], &w->args[i], w->rng);
            continue;
        }
        lp += ops_forward(&m->code[i], &w->args[i], grad);
        if (lp == -INFINITY || isnan(lp)) {   /* outside the support: stop */
            w->failed = i;
            return lp;
        }
    }
    return lp;
}

static void backward(EvalWs *w, bool skip_transforms)
{
    const IrModel *m = w->m;
    for (int i = m->ndensity - 1; i >= 0; i--) {
        const IrInstr *in = &m->code[i];
        if (ir_op_is_logpdf((IrOp)in->op)) continue;
        if (skip_transforms && (in->op == IR_TF_LOWER || in->op == IR_TF_BOUNDS)) continue;
        ops_backward(in, &w->args[i]);
    }
}

double eval_logp_grad(EvalWs *w, const double *q, double *grad)
{
    const IrModel *m = w->m;
    load_coordinates(w, q);
    clear_adjoints(w);
    double lp = forward(w, 0, m->ndensity, true);
    if (!isfinite(lp)) return lp;
    backward(w, false);
    for (int p = 0; p < m->nparams; p++) {
        const IrParam *par = &m->params[p];
        memcpy(grad + par->ucoord, w->adj + m->slots[par->uslot].off, (size_t)par->len * sizeof *grad);
    }
    return lp + m->lp_const;
}

double eval_logp(EvalWs *w, const double *q)
{
    load_coordinates(w, q);
    return forward(w, 0, w->m->ndensity, false) + w->m->lp_const;
}

double eval_target(void *ctx, const double *q, double *grad)
{
    return eval_logp_grad(ctx, q, grad);
}

void eval_outputs(EvalWs *w, const double *q, double *out)
{
    const IrModel *m = w->m;
    load_coordinates(w, q);
    forward(w, 0, m->ndensity, false);
    forward(w, m->ndensity, m->ncode, false);
    long k = 0;
    for (int i = 0; i < m->noutputs; i++) {
        const IrSlot *s = &m->slots[m->outputs[i].slot];
        memcpy(out + k, value_ptr(w, s), (size_t)s->len * sizeof *out);
        k += s->len;
    }
}

/* Whether a parameter's values lie inside its transform's support. */
static bool inside(EvalWs *w, const IrInstr *tf, long *bad)
{
    const OpArgs *a = &w->args[tf - w->m->code];
    long s1 = a->len[1] > 1, s2 = tf->op == IR_TF_BOUNDS && a->len[2] > 1;
    for (long i = 0; i < tf->n; i++) {
        double hi = tf->op == IR_TF_BOUNDS ? a->in[2][i * s2] : INFINITY;
        if (!tf_inside((IrOp)tf->op, a->out[i], a->in[1][i * s1], hi)) { *bad = i; return false; }
    }
    return true;
}

/* The coordinates u of a transform's values, for the densities that read
** them (IR_LOGPDF_LOGODDS): its inverse, element by element. */
static void unconstrain(EvalWs *w, const IrInstr *tf)
{
    const OpArgs *a = &w->args[tf - w->m->code];
    long s1 = a->len[1] > 1, s2 = tf->op == IR_TF_BOUNDS && a->len[2] > 1;
    for (long i = 0; i < tf->n; i++) {
        double hi = tf->op == IR_TF_BOUNDS ? a->in[2][i * s2] : INFINITY;
        ((double *)a->in[0])[i] = tf_inverse((IrOp)tf->op, a->out[i], a->in[1][i * s1], hi);
    }
}

/* Adds to the adjoints of a transform's values what their coordinates u
** received (from IR_LOGPDF_LOGODDS), times du/dx. */
static void adjoint_to_values(EvalWs *w, const IrInstr *tf)
{
    const OpArgs *a = &w->args[tf - w->m->code];
    if (!a->in_adj[0] || !a->out_adj) return;
    long s1 = a->len[1] > 1, s2 = tf->op == IR_TF_BOUNDS && a->len[2] > 1;
    for (long i = 0; i < tf->n; i++) {
        if (a->in_adj[0][i] == 0) continue;
        double x = a->out[i], lo = a->in[1][i * s1], u = a->in[0][i];
        double dxdu = tf->op == IR_TF_LOWER ? x - lo : tf_bounds_dx_du(u, lo, a->in[2][i * s2]);
        a->out_adj[i] += a->in_adj[0][i] / dxdu;
    }
}

long eval_constrained(EvalWs *w, const double *values, double *lp, double *grad)
{
    const IrModel *m = w->m;
    long k = 0;
    for (int p = 0; p < m->nparams; p++) {
        const IrParam *par = &m->params[p];
        memcpy(value_ptr(w, &m->slots[par->slot]), values + k, (size_t)par->len * sizeof *values);
        k += par->len;
    }
    clear_adjoints(w);
    /* Forward with the transforms replaced by support checks: bounds that
    ** depend on other parameters are known by the time a transform runs. */
    double total = 0;
    long first = 0;
    for (int p = 0; p < m->nparams; p++) {
        const IrParam *par = &m->params[p];
        if (par->tf < 0)
            for (long i = 0; i < par->len; i++)
                if (!isfinite(values[first + i])) return first + i + 1;
        first += par->len;
    }
    for (int i = 0; i < m->ndensity; i++) {
        const IrInstr *in = &m->code[i];
        if (in->op == IR_TF_LOWER || in->op == IR_TF_BOUNDS) {
            long bad, base = 0;
            if (inside(w, in, &bad)) {
                unconstrain(w, in);
                continue;
            }
            for (int p = 0; p < m->nparams; p++) {
                if (m->params[p].tf == i) return base + bad + 1;
                base += m->params[p].len;
            }
            return 1;
        }
        total += ops_forward(in, &w->args[i], true);
        if (total == -INFINITY || isnan(total)) break;   /* zero density: no gradient */
    }
    *lp = total + m->lp_const;
    bool finite = isfinite(total);
    if (finite) backward(w, true);
    if (finite)
        for (int p = 0; p < m->nparams; p++)
            if (m->params[p].tf >= 0) adjoint_to_values(w, &m->code[m->params[p].tf]);
    k = 0;
    for (int p = 0; p < m->nparams; p++) {
        const IrParam *par = &m->params[p];
        const double *g = adj_ptr(w, &m->slots[par->slot]);
        for (long i = 0; i < par->len; i++) grad[k++] = !finite ? NAN : g ? g[i] : 0;
    }
    return 0;
}
