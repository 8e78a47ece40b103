/*
** test_passes.c -- the IR passes (runtime/ir/passes.h) change what a model
** costs, never what it computes.
**
** The differential test compiles every model bmc ships -- models/ and
** tests/ir/ and every ```bm block of the tutorials and the language
** reference that compiles with the data it names -- twice, with every
** pass and with none, and requires the same log density, gradient and
** reported quantities (to rounding) at several points of the
** unconstrained space; and again with --log-lik, whose points must not
** change with the passes either.  Beside it, each pass is shown to fire: a test that
** fails when the pass is removed.  The data-part constant is checked
** against log-gamma references computed here.
**
** Run from the repository root (make test does).
*/
#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include "compile.h"
#include "data.h"
#include "dist.h"
#include "eval.h"
#include "passes.h"
#include "testutil.h"

/* ---- models to compare ---- */

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap) {
            char *more = realloc(buf, cap *= 2);
            if (!more) { free(buf); buf = NULL; }
            buf = more;
        }
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* The data file a model names ("# data: FILE" on a line of its own), or
** the .json beside path; NULL when it has none. */
static char *data_file(const char *text, const char *path)
{
    const char *tag = strstr(text, "# data: ");
    if (tag && (tag == text || tag[-1] == '\n')) {
        tag += 8;
        return strndup(tag, strcspn(tag, " \t\r\n"));
    }
    if (!path) return NULL;
    size_t n = strlen(path);
    if (n < 3 || strcmp(path + n - 3, ".bm") != 0) return NULL;
    char *json = malloc(n + 3);
    if (!json) return NULL;
    memcpy(json, path, n - 3);
    strcpy(json + n - 3, ".json");
    FILE *f = fopen(json, "r");
    if (f) { fclose(f); return json; }
    free(json);
    return NULL;
}

static Model *compile_with(const char *name, const char *text, const char *data, unsigned passes, bool log_lik)
{
    DataSet *ds = dataset_new();
    char err[1024];
    if (!ds || (data && test_read_json(ds, data, err, sizeof err) != 0)) {
        dataset_free(ds);
        return NULL;
    }
    CompileOptions opt = { .check_only = false, .passes = passes, .log_lik = log_lik };
    Model *m = model_compile(source_from_text(name, text, strlen(text)), ds, &opt);
    dataset_free(ds);
    if (m && model_ok(m) && m->ir) return m;
    model_free(m);
    return NULL;
}

static int compared, points;

/* |a - b| within rounding of the magnitudes involved. */
static bool near(double a, double b, double scale)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b)) return a == b;
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(b), scale));
}

/* Compares the model compiled with every pass and with none; with
** log_lik, the points of its pointwise log-likelihood too. */
static void compare_compiled(const char *name, const char *text, const char *data, bool log_lik)
{
    Model *on = compile_with(name, text, data, IR_PASS_ALL, log_lik);
    Model *off = compile_with(name, text, data, 0, log_lik);
    if (!on || !off) {   /* models that need data they do not name */
        model_free(on);
        model_free(off);
        return;
    }
    const IrModel *a = on->ir, *b = off->ir;
    CU_ASSERT_EQUAL_FATAL(a->dim, b->dim);
    long nout = ir_output_count(a);
    CU_ASSERT_EQUAL_FATAL(nout, ir_output_count(b));
    EvalWs *wa = eval_new(a), *wb = eval_new(b);
    size_t dim = a->dim ? (size_t)a->dim : 1;
    double *q = malloc(dim * sizeof *q), *ga = malloc(dim * sizeof *ga), *gb = malloc(dim * sizeof *gb);
    double *oa = malloc((nout ? (size_t)nout : 1) * sizeof *oa), *ob = malloc((nout ? (size_t)nout : 1) * sizeof *ob);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    /* the generated quantities of each from a stream of its own, the same
    ** seed for both: the passes must keep the draws in their order */
    gsl_rng *ra = gsl_rng_alloc(gsl_rng_mt19937), *rb = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(wa && wb && q && ga && gb && oa && ob && rng && ra && rb);
    gsl_rng_set(rng, 20261201);
    gsl_rng_set(ra, 7);
    gsl_rng_set(rb, 7);
    eval_set_rng(wa, ra);
    eval_set_rng(wb, rb);
    bool ok = true;
    for (int t = 0; t < 6; t++) {
        for (long i = 0; i < a->dim; i++) q[i] = 4 * gsl_rng_uniform(rng) - 2;
        double la = eval_logp_grad(wa, q, ga), lb = eval_logp_grad(wb, q, gb);
        if (!near(la, lb, 0)) {
            fprintf(stderr, "\n  %s: log density %.17g with the passes, %.17g without\n", name, la, lb);
            ok = false;
        }
        if (!isfinite(la)) continue;
        double gscale = 0;
        for (long i = 0; i < a->dim; i++) gscale = fmax(gscale, fabs(gb[i]));
        for (long i = 0; i < a->dim; i++)
            if (!near(ga[i], gb[i], gscale)) {
                fprintf(stderr, "\n  %s: gradient %ld is %.17g with the passes, %.17g without\n", name, i, ga[i], gb[i]);
                ok = false;
            }
        eval_outputs(wa, q, oa);
        eval_outputs(wb, q, ob);
        for (long v = 0; v < nout; v++)
            if (!near(oa[v], ob[v], 0)) {
                fprintf(stderr, "\n  %s: reported value %ld is %.17g with the passes, %.17g without\n", name, v, oa[v], ob[v]);
                ok = false;
            }
        points++;
    }
    CU_ASSERT(ok);
    compared++;
    gsl_rng_free(rng);
    gsl_rng_free(ra);
    gsl_rng_free(rb);
    free(q); free(ga); free(gb); free(oa); free(ob);
    eval_free(wa);
    eval_free(wb);
    model_free(on);
    model_free(off);
}

static void compare_model(const char *name, const char *text, const char *data)
{
    compare_compiled(name, text, data, false);
    compare_compiled(name, text, data, true);
}

static void compare_files(const char *pattern)
{
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *text = read_text(g.gl_pathv[i], NULL);
        char *data = text ? data_file(text, g.gl_pathv[i]) : NULL;
        if (text) compare_model(g.gl_pathv[i], text, data);
        free(data);
        free(text);
    }
    globfree(&g);
}

/* Every ```bm block of a document. */
static void compare_blocks(const char *doc)
{
    char *text = read_text(doc, NULL);
    if (!text) return;
    int k = 0;
    for (char *p = text; (p = strstr(p, "\n```bm\n")) != NULL;) {
        p += 7;
        char *end = strstr(p, "\n```");
        if (!end) break;
        char *block = strndup(p, (size_t)(end - p + 1));
        char *data = block ? data_file(block, NULL) : NULL;
        char name[256];
        snprintf(name, sizeof name, "%s block %d", doc, ++k);
        if (block) compare_model(name, block, data);
        free(data);
        free(block);
        p = end;
    }
    free(text);
}

static void test_differential(void)
{
    compare_files("models/*.bm");
    compare_files("tests/ir/*.bm");
    compare_blocks("docs/tutorial.md");
    compare_blocks("docs/tutorial.ko.md");
    compare_blocks("docs/language.md");
    /* The corpus must be there, or this test says nothing. */
    fprintf(stderr, "\n  compared %d models at %d points with and without the passes\n", compared, points);
    CU_ASSERT(compared >= 80);   /* each with and without --log-lik */
}

/* ---- each pass fires ---- */

static int count_op(const IrModel *m, IrOp op, int from, int to)
{
    int n = 0;
    for (int i = from; i < to; i++) n += m->code[i].op == op;
    return n;
}

static Model *compile_text(const char *text, unsigned passes) { return compile_with("t.bm", text, NULL, passes, false); }

static void test_logit_fires(void)
{
    const char *text = "x = [-1, 0.5, 2];\na ~ Normal(0, 1);\ny ~ Bernoulli(inv_logit(a * x)) observed [0, 1, 1];\n";
    Model *on = compile_text(text, IR_PASS_ALL), *off = compile_text(text, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on);
    CU_ASSERT_PTR_NOT_NULL_FATAL(off);
    int logpdf = -1;
    for (int i = 0; i < on->ir->ncode; i++)
        if (on->ir->code[i].op == IR_LOGPDF && dist_at(on->ir->code[i].aux)->alternative) logpdf = i;
    CU_ASSERT(logpdf >= 0);   /* Bernoulli(logit_p = a * x) */
    CU_ASSERT_EQUAL(count_op(on->ir, IR_MATH, 0, on->ir->ncode), 0);
    CU_ASSERT_EQUAL(count_op(off->ir, IR_MATH, 0, off->ir->ncode), 1);
    /* a named p is reported, and stays as written */
    Model *named = compile_text("a ~ Normal(0, 1);\np = inv_logit(a);\ny ~ Bernoulli(p) observed 1;\n", IR_PASS_ALL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(named);
    for (int i = 0; i < named->ir->ncode; i++)
        if (named->ir->code[i].op == IR_LOGPDF) CU_ASSERT_FALSE(dist_at(named->ir->code[i].aux)->alternative);
    model_free(named);
    model_free(on);
    model_free(off);
}

static void test_sufficient_fires(void)
{
    const char *text = "lam ~ Gamma(2, 1);\nk ~ Poisson(lam) observed [3, 0, 4, 2];\n";
    Model *on = compile_text(text, IR_PASS_ALL), *off = compile_text(text, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on);
    CU_ASSERT_PTR_NOT_NULL_FATAL(off);
    CU_ASSERT_EQUAL(count_op(on->ir, IR_LOGPDF_SUFF, 0, on->ir->ncode), 1);
    CU_ASSERT_EQUAL(count_op(off->ir, IR_LOGPDF_SUFF, 0, off->ir->ncode), 0);
    model_free(on);
    model_free(off);
}

/* log C(n, k) + k log(k/n) + j log(j/n), j = n - k: the counts' part of
** Loader's form of the binomial, from log-gamma functions. */
static double counts_part(double n, double k)
{
    double j = n - k;
    return gsl_sf_lnchoose((unsigned)n, (unsigned)k) + (k > 0 ? k * log(k / n) : 0) + (j > 0 ? j * log(j / n) : 0);
}

static void test_data_part_fires(void)
{
    const char *text = "n = [100, 80];\np[2] ~ Beta(1, 1);\ny ~ Binomial(n, p) observed [12, 30];\n";
    Model *on = compile_text(text, IR_PASS_ALL), *off = compile_text(text, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on);
    CU_ASSERT_PTR_NOT_NULL_FATAL(off);
    CU_ASSERT_EQUAL(count_op(on->ir, IR_LOGPDF_REST, 0, on->ir->ncode), 1);
    CU_ASSERT_EQUAL(count_op(off->ir, IR_LOGPDF_REST, 0, off->ir->ncode), 0);
    ASSERT_CLOSE(on->ir->lp_const, counts_part(100, 12) + counts_part(80, 30), 1e-12);
    CU_ASSERT_EQUAL(off->ir->lp_const, 0);
    model_free(on);
    model_free(off);
}

static void test_deterministic_fires(void)
{
    const char *text = "p ~ Beta(2, 8);\ny ~ Binomial(50, p) observed 9;\nodds = p / (1 - p);\n";
    Model *on = compile_text(text, IR_PASS_ALL), *off = compile_text(text, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on);
    CU_ASSERT_PTR_NOT_NULL_FATAL(off);
    CU_ASSERT_EQUAL(on->ir->ncode - on->ir->ndensity, 2);   /* 1 - p, then the division */
    CU_ASSERT_EQUAL(off->ir->ncode, off->ir->ndensity);
    CU_ASSERT_EQUAL(on->ir->ncode, off->ir->ncode);
    model_free(on);
    model_free(off);
}

/* Five likelihoods whose arguments are gathered by one data index g of
** three values: Bernoulli, Binomial with n data per value (groups of equal
** g and n), Poisson, Normal with a scalar sigma, and Bernoulli through
** inv_logit, which the logit_p pass fuses first. */
static const char GROUPED[] =
    "g = [1, 2, 1, 3, 2, 1, 3, 3];\n"
    "n = [5, 3, 4, 6, 3, 5, 6, 6];\n"
    "p[3] ~ Beta(1, 1);\n"
    "y ~ Bernoulli(p[g]) observed [1, 0, 1, 1, 0, 0, 1, 1];\n"
    "k ~ Binomial(n, p[g]) observed [2, 1, 3, 4, 0, 2, 1, 5];\n"
    "lam[3] ~ Gamma(2, 1);\n"
    "c ~ Poisson(lam[g]) observed [3, 0, 4, 2, 2, 5, 1, 0];\n"
    "mu[3] ~ Normal(0, 1);\n"
    "sigma ~ HalfNormal(1);\n"
    "z ~ Normal(mu[g], sigma) observed [0.3, -1.2, 0.8, 2.1, -0.4, 1.5, 1.9, 2.6];\n"
    "a[3] ~ Normal(0, 1);\n"
    "w ~ Bernoulli(inv_logit(a[g])) observed [0, 0, 1, 1, 0, 1, 1, 0];\n";

static void test_grouped_fires(void)
{
    Model *on = compile_text(GROUPED, IR_PASS_ALL), *off = compile_text(GROUPED, 0);
    Model *without = compile_text(GROUPED, IR_PASS_ALL & ~IR_PASS_GROUPED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on);
    CU_ASSERT_PTR_NOT_NULL_FATAL(off);
    CU_ASSERT_PTR_NOT_NULL_FATAL(without);
    CU_ASSERT_EQUAL(count_op(on->ir, IR_LOGPDF_GROUPED, 0, on->ir->ncode), 5);
    CU_ASSERT_EQUAL(count_op(on->ir, IR_GATHER, 0, on->ir->ncode), 0);   /* nothing else read them */
    CU_ASSERT_EQUAL(count_op(off->ir, IR_LOGPDF_GROUPED, 0, off->ir->ncode), 0);
    CU_ASSERT_EQUAL(count_op(without->ir, IR_LOGPDF_GROUPED, 0, without->ir->ncode), 0);
    /* three groups each, four for Binomial: g = 1 has n = 5 and n = 4 */
    long groups = 0;
    for (int i = 0; i < on->ir->ncode; i++)
        if (on->ir->code[i].op == IR_LOGPDF_GROUPED) groups += on->ir->code[i].n;
    CU_ASSERT_EQUAL(groups, 3 + 4 + 3 + 3 + 3);
    /* the points of --log-lik stay one per value, beside the grouped terms */
    Model *points = compile_with("t.bm", GROUPED, NULL, IR_PASS_ALL, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(points);
    CU_ASSERT_EQUAL(count_op(points->ir, IR_LOGPDF_GROUPED, 0, points->ir->ndensity), 5);
    CU_ASSERT_EQUAL(points->ir->npoints, 5 * 8);
    for (int i = 0; i < points->ir->ncode; i++)
        if (points->ir->code[i].op == IR_LOGPDF_POINTS) CU_ASSERT_EQUAL(points->ir->code[i].n, 8);
    model_free(points);
    model_free(on);
    model_free(off);
    model_free(without);
}

static double logp_fn(void *ctx, double *q) { return eval_logp(ctx, q); }

/* A term of 200,000 rows summed to counts leaves its per-row values dead
** in the WORK region (the gather p[g]): a workspace
** neither copies nor clears them, so they cost no memory a chain touches.
** Counted in page faults, which do not depend on the machine's speed. */
static void test_dead_work_untouched(void)
{
    enum { ROWS = 200000 };
    char path[] = "/tmp/bmc-dead-work-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("{\"g\": [", f);
    for (int i = 0; i < ROWS; i++) fprintf(f, "%s%d", i ? "," : "", 1 + i % 2);
    fputs("], \"ys\": [", f);
    for (int i = 0; i < ROWS; i++) fprintf(f, "%s%d", i ? "," : "", i % 3 == 0);
    fputs("]}", f);
    fclose(f);
    Model *m = compile_with("t.bm", "data g;\ndata ys;\np[2] ~ Beta(1, 1);\nys ~ Bernoulli(p = p[g]);\n", path,
                            IR_PASS_ALL, false);
    unlink(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_FATAL(m->ir->nwork >= ROWS);   /* the dead values are there */
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    EvalWs *w = eval_new(m->ir);
    getrusage(RUSAGE_SELF, &after);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    /* copied or cleared, the values would take 2 x 1.6 MB: 780 pages */
    CU_ASSERT(after.ru_minflt - before.ru_minflt < 100);
    eval_free(w);
    model_free(m);
}

/* The grouped terms against the same terms value by value, and their
** gradient against finite differences of their own log density, at
** random points. */
static void test_grouped_gradient(void)
{
    Model *on = compile_text(GROUPED, IR_PASS_ALL), *off = compile_text(GROUPED, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on);
    CU_ASSERT_PTR_NOT_NULL_FATAL(off);
    long dim = on->ir->dim;
    CU_ASSERT_EQUAL_FATAL(dim, 13);
    EvalWs *wa = eval_new(on->ir), *wb = eval_new(off->ir);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(wa && wb && rng);
    gsl_rng_set(rng, 20261202);
    double q[13], ga[13], gb[13];
    for (int t = 0; t < 20; t++) {
        for (long i = 0; i < dim; i++) q[i] = 4 * gsl_rng_uniform(rng) - 2;
        double la = eval_logp_grad(wa, q, ga), lb = eval_logp_grad(wb, q, gb);
        CU_ASSERT(isfinite(la));
        ASSERT_CLOSE(la, lb, 1e-12);
        ASSERT_CLOSE(eval_logp(wa, q), lb, 1e-12);
        for (long i = 0; i < dim; i++) {
            ASSERT_CLOSE(ga[i], gb[i], 1e-11);
            double fd = central_diff(logp_fn, wa, q, i, 1e-3);
            CU_ASSERT(fabs(ga[i] - fd) <= 1e-6 * fmax(1, fabs(fd)));
        }
    }
    gsl_rng_free(rng);
    eval_free(wa);
    eval_free(wb);
    model_free(on);
    model_free(off);
}

/* What is not a gather by a data index stays value by value, and so does
** a term every value of which would be a group of its own. */
static void test_grouped_left_alone(void)
{
    static const char *const texts[] = {
        "g = [1, 2, 1, 2];\nx = [0.5, 1, 1.5, 2];\nmu[2] ~ Normal(0, 1);\nb ~ Normal(0, 1);\n"
        "z ~ Normal(mu[g] + b * x, 1) observed [0.3, -1.2, 0.8, 2.1];\n",
        "g = [3, 1, 2];\np[3] ~ Beta(1, 1);\ny ~ Bernoulli(p[g]) observed [1, 0, 1];\n",
        "g = [1, 2, 1, 2];\nh = [1, 1, 2, 2];\nmu[2] ~ Normal(0, 1);\ns[2] ~ HalfNormal(1);\n"
        "z ~ Normal(mu[g], s[h]) observed [0.3, -1.2, 0.8, 2.1];\n",
    };
    static const int likelihood_line[] = { 5, 3, 5 };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        Model *m = compile_text(texts[t], IR_PASS_ALL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        CU_ASSERT_EQUAL(count_op(m->ir, IR_LOGPDF_GROUPED, 0, m->ir->ncode), 0);
        int terms = 0;
        for (int i = 0; i < m->ir->ncode; i++) {
            const IrInstr *in = &m->ir->code[i];
            if (!ir_op_is_logpdf((IrOp)in->op) || in->line != likelihood_line[t]) continue;
            CU_ASSERT_EQUAL(in->op, IR_LOGPDF);
            terms++;
        }
        CU_ASSERT_EQUAL(terms, 1);
        model_free(m);
    }
}

static CU_TestInfo tests[] = {
    {"passes on and off agree on every model", test_differential},
    {"logit_p fusion fires", test_logit_fires},
    {"sufficient statistics fire", test_sufficient_fires},
    {"data part fires, against log-gamma", test_data_part_fires},
    {"deterministic split fires", test_deterministic_fires},
    {"grouped rows fire, composed with logit_p", test_grouped_fires},
    {"grouped rows: values and gradients", test_grouped_gradient},
    {"dead per-row values cost a chain nothing", test_dead_work_untouched},
    {"grouped rows: what is not a gather by data", test_grouped_left_alone},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"IR passes", NULL, NULL, NULL, NULL, tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return testutil_run(suites);
}
