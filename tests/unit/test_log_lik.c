/*
** test_log_lik.c -- the pointwise log-likelihood (--log-lik,
** src/compiler/lower_points.c): one point per observed element, numbered
** in the order of the terms and named by element, each the family's full
** normalised log density computed once per kept draw, however the passes
** rewrite the density.  References are the densities written out here
** with log and lgamma.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "dist.h"
#include "eval.h"
#include "passes.h"
#include "testutil.h"

static Model *compile_points(const char *text, unsigned passes)
{
    CompileOptions opt = { .check_only = false, .passes = passes, .log_lik = true };
    Model *m = model_compile(source_from_text("t.bm", text, strlen(text)), NULL, &opt);
    if (m && model_ok(m) && m->ir) return m;
    model_free(m);
    return NULL;
}

/* The reported values at unconstrained q, into a malloc'ed array. */
static double *outputs_at(const IrModel *ir, const double *q)
{
    EvalWs *w = eval_new(ir);
    double *out = malloc((size_t)ir_output_count(ir) * sizeof *out);
    if (w && out) eval_outputs(w, q, out);
    eval_free(w);
    return out;
}

/* The log_lik output's first value among the reported ones, or -1. */
static long points_at(const IrModel *ir)
{
    long v = 0;
    for (int i = 0; i < ir->noutputs; i++) {
        if (ir->outputs[i].group == IR_GROUP_LOG_LIK) return v;
        v += ir->slots[ir->outputs[i].slot].len;
    }
    return -1;
}

static const char *const FLAT =
    "mu ~ Flat();\n"
    "y ~ Normal(mu, 2) observed [1.5, -0.3, 2.2];\n"
    "c ~ Poisson(exp(mu)) observed [2, 0, 5];\n"
    "b ~ Binomial(12, inv_logit(mu)) observed 9;\n";

static double normal(double x, double m, double s) { return -0.5 * pow((x - m) / s, 2) - log(s) - 0.5 * log(2 * 3.14159265358979323846); }
static double poisson(double x, double m) { return x * log(m) - m - lgamma(x + 1); }
static double binomial(double x, double n, double p)
{
    return lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1) + x * log(p) + (n - x) * log1p(-p);
}

/* Each point is its element's full density, with the passes and without;
** under a flat prior they sum to the log density the sampler sees, which
** the passes computed through sufficient statistics and a constant. */
static void test_points_full_density(void)
{
    double mu = 0.37, q[1] = { mu };
    double p = 1 / (1 + exp(-mu));
    double want[7] = { normal(1.5, mu, 2), normal(-0.3, mu, 2), normal(2.2, mu, 2), poisson(2, exp(mu)),
                       poisson(0, exp(mu)), poisson(5, exp(mu)), binomial(9, 12, p) };
    for (int on = 0; on < 2; on++) {
        Model *m = compile_points(FLAT, on ? IR_PASS_ALL : 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        CU_ASSERT_EQUAL(m->ir->npoints, 7);
        long at = points_at(m->ir);
        CU_ASSERT_FATAL(at >= 0);
        double *out = outputs_at(m->ir, q);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        double sum = 0;
        for (int k = 0; k < 7; k++) {
            ASSERT_CLOSE(out[at + k], want[k], 1e-12);
            sum += out[at + k];
        }
        EvalWs *w = eval_new(m->ir);
        ASSERT_CLOSE(eval_logp(w, q), sum, 1e-11);
        if (on) {   /* the density did go another way */
            int suff = 0, rest = 0;
            for (int i = 0; i < m->ir->ndensity; i++) {
                suff += m->ir->code[i].op == IR_LOGPDF_SUFF;
                rest += m->ir->code[i].op == IR_LOGPDF_REST;
            }
            CU_ASSERT_EQUAL(suff, 2);
            CU_ASSERT_EQUAL(rest, 1);
        }
        eval_free(w);
        free(out);
        model_free(m);
    }
}

/* The points run once per kept draw, never at a gradient, and do not stop
** the logit fusion of the term they are of. */
static void test_points_per_draw(void)
{
    const char *text = "x = [-1, 0.5, 2];\na ~ Normal(0, 1);\ny ~ Bernoulli(inv_logit(a * x)) observed [0, 1, 1];\n";
    for (int on = 0; on < 2; on++) {
        Model *m = compile_points(text, on ? IR_PASS_ALL : 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        int points = 0, fused = 0;
        for (int i = 0; i < m->ir->ncode; i++) {
            const IrInstr *in = &m->ir->code[i];
            if (in->op == IR_LOGPDF_POINTS) {
                points++;
                CU_ASSERT(i >= m->ir->ndensity);
            }
            if (in->op == IR_LOGPDF && dist_at(in->aux)->alternative) fused++;
        }
        CU_ASSERT_EQUAL(points, 1);
        CU_ASSERT_EQUAL(fused, on);   /* Bernoulli(logit_p = a * x) in the density */
        double q[1] = { 0.8 }, eta[3] = { -0.8, 0.4, 1.6 }, yv[3] = { 0, 1, 1 };
        double *out = outputs_at(m->ir, q);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        long at = points_at(m->ir);
        for (int k = 0; k < 3; k++) {
            double pk = 1 / (1 + exp(-eta[k]));
            ASSERT_CLOSE(out[at + k], yv[k] ? log(pk) : log1p(-pk), 1e-12);
        }
        free(out);
        model_free(m);
    }
}

/* One point per element, in the order of the terms, each named by its
** term and element: scalars, vectors, loops, matrix rows, a scalar
** observed against a vector of arguments. */
static void test_points_names(void)
{
    const char *text =
        "X = [[1, 2], [3, 4]];\n"                          /* 1 */
        "a ~ Normal(0, 1);\n"                              /* 2 */
        "y_A ~ Binomial(10, inv_logit(a)) observed 4;\n"   /* 3 */
        "v ~ Poisson(exp(a)) observed [1, 2];\n"           /* 4 */
        "for r in 1:2 { X[r] ~ Normal(a, 1); }\n"          /* 5 */
        "z ~ Normal([1, 2] * a, 1) observed 0.5;\n";       /* 6 */
    Model *m = compile_points(text, IR_PASS_ALL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const char *names[] = { "y_A", "v[1]", "v[2]", "X[1,1]", "X[1,2]", "X[2,1]", "X[2,2]", "z[1]", "z[2]" };
    int lines[] = { 3, 4, 4, 5, 5, 5, 5, 6, 6 };
    CU_ASSERT_EQUAL_FATAL(m->ir->npoints, 9);
    char buf[64];
    for (int k = 0; k < 9; k++) {
        ir_point_name(m->ir, k, buf, sizeof buf);
        CU_ASSERT_STRING_EQUAL(buf, names[k]);
        CU_ASSERT_EQUAL(m->ir->points[k].line, lines[k]);
    }
    /* one output, after every other, its elements log_lik[1..9] */
    const IrOutput *last = &m->ir->outputs[m->ir->noutputs - 1];
    CU_ASSERT_EQUAL(last->group, IR_GROUP_LOG_LIK);
    CU_ASSERT_STRING_EQUAL(m->ir->names[last->name], "log_lik");
    CU_ASSERT_EQUAL(m->ir->slots[last->slot].len, 9);
    char **all = ir_output_names(m->ir);
    long n = ir_output_count(m->ir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    CU_ASSERT_STRING_EQUAL(all[n - 9], "log_lik[1]");
    CU_ASSERT_STRING_EQUAL(all[n - 1], "log_lik[9]");
    ir_free_names(all, n);
    model_free(m);
    /* without --log-lik: no points, no output */
    CompileOptions opt = COMPILE_FULL;
    Model *none = model_compile(source_from_text("t.bm", text, strlen(text)), NULL, &opt);
    CU_ASSERT_PTR_NOT_NULL_FATAL(none);
    CU_ASSERT_EQUAL(none->ir->npoints, 0);
    for (int i = 0; i < none->ir->noutputs; i++) CU_ASSERT_NOT_EQUAL(none->ir->outputs[i].group, IR_GROUP_LOG_LIK);
    model_free(none);
}

static CU_TestInfo tests[] = {
    {"each point is its element's full density, passes or not", test_points_full_density},
    {"points per draw, logit fusion kept", test_points_per_draw},
    {"points named and numbered in order", test_points_names},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"pointwise log-likelihood", NULL, NULL, NULL, NULL, tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return testutil_run(suites);
}
