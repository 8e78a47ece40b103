/*
** test_eval.c -- the evaluator through the whole pipeline: model texts are
** compiled as `bmc run` compiles them, then the log density's gradient is
** compared with finite differences and its value with GSL's densities.
**
** Reference values:
** - gradients: a five-point central difference of eval_logp (truncation
**   error h^4 f'''''/30, about 1e-13 here), so every backward kernel is
**   checked against its own forward kernel, at random points;
** - log densities: GSL's gsl_ran_*_pdf, in the parameterisations PyMC
**   documents (BetaBinomial, which GSL lacks, from its definition
**   C(n,k) B(k+a, n-k+b) / B(a,b) written as rising factorials);
** - log-Jacobians, by hand: the lower-bound transform x = lo + e^u has
**   log|dx/du| = u; the interval transform x = lo + (hi - lo) p with
**   p = 1 / (1 + e^-u) has log|dx/du| = log(hi - lo) + log p + log(1 - p);
** - values of comparisons and reductions, worked out by hand in C.
*/
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include "compile.h"
#include "data.h"
#include "dist.h"
#include "eval.h"
#include "testutil.h"

#define GRAD_TOL 1e-6      /* |analytic - numeric| <= tol * max(1, |numeric|) */
#define VALUE_TOL 1e-10
#define NPOINTS 6          /* random points per model */

/* ------------------------------------------------------------ helpers */

/* Compiles text with data given as "name=value" strings (NULL-ended);
** prints the compiler's messages and returns NULL when it fails. */
static Model *compile_text(const char *text, const char *const *data)
{
    DataSet *ds = dataset_new();
    if (!ds) return NULL;
    char err[512];
    for (int i = 0; data && data[i]; i++)
        if (test_parse_assign(ds, data[i], err, sizeof err) != 0) {
            fprintf(stderr, "\n  data %s: %s\n", data[i], err);
            dataset_free(ds);
            return NULL;
        }
    /* a model in part: Flat and HalfFlat priors are evaluated with nothing
    ** to inform them, which a whole model refuses (improper.c), and a prior
    ** alone stays a parameter, whose density is what is tested, rather than
    ** a generated quantity (generated.c) */
    CompileOptions opt = COMPILE_FULL;
    opt.partial = true;
    opt.keep_leaves = true;
    Model *m = model_compile(source_from_text("test.bm", text, strlen(text)), ds, &opt);
    dataset_free(ds);
    if (m && model_ok(m) && m->ir) return m;
    fprintf(stderr, "\n  cannot compile:\n%s\n", text);
    if (m) diags_print(&m->diags, stderr, NULL);
    model_free(m);
    return NULL;
}

static double logistic(double u) { return 1 / (1 + exp(-u)); }

static double logp_fn(void *ctx, double *q) { return eval_logp(ctx, q); }

static double constrained_fn(void *ctx, double *x)
{
    double lp, g[64];
    return eval_constrained(ctx, x, &lp, g) == 0 ? lp : NAN;
}

static bool grad_close(double analytic, double numeric)
{
    return fabs(analytic - numeric) <= GRAD_TOL * fmax(1, fabs(numeric));
}

/* Compares eval_logp_grad's gradient at q with differences of eval_logp,
** and its value with eval_logp's.  what names the model in messages. */
static void check_gradient_at(const IrModel *ir, EvalWs *w, double *q, const char *what)
{
    double grad[64];
    CU_ASSERT_FATAL(ir->dim <= 64);
    double lp = eval_logp_grad(w, q, grad);
    double lp2 = eval_logp(w, q);
    if (!isfinite(lp) || fabs(lp - lp2) > 1e-12 * fmax(1, fabs(lp2)))
        fprintf(stderr, "\n  %s: logp_grad %.17g, logp %.17g\n", what, lp, lp2);
    CU_ASSERT(isfinite(lp));
    CU_ASSERT(fabs(lp - lp2) <= 1e-12 * fmax(1, fabs(lp2)));
    for (long i = 0; i < ir->dim; i++) {
        double fd = central_diff(logp_fn, w, q, i, 1e-3);
        if (!grad_close(grad[i], fd)) {
            fprintf(stderr, "\n  %s: d logp / d u[%ld] = %.15g, differences give %.15g at u =", what, i,
                    grad[i], fd);
            for (long k = 0; k < ir->dim; k++) fprintf(stderr, " %.4g", q[k]);
            fputc('\n', stderr);
        }
        CU_ASSERT(grad_close(grad[i], fd));
    }
}

/* The same at constrained values x, for eval_constrained, with difference
** steps step[i] (NULL: 1e-4 max(1, |x[i]|)). */
static void check_constrained_gradient_steps(const IrModel *ir, EvalWs *w, double *x, const double *step,
                                             const char *what)
{
    double lp, grad[64];
    CU_ASSERT_FATAL(ir->dim <= 64);
    long bad = eval_constrained(w, x, &lp, grad);
    CU_ASSERT_EQUAL(bad, 0);
    if (bad) return;
    for (long i = 0; i < ir->dim; i++) {
        double h = step ? step[i] : 1e-4 * fmax(1, fabs(x[i]));
        double fd = central_diff(constrained_fn, w, x, i, h);
        if (!grad_close(grad[i], fd))
            fprintf(stderr, "\n  %s: d lp / d x[%ld] = %.15g, differences give %.15g\n", what, i, grad[i], fd);
        CU_ASSERT(grad_close(grad[i], fd));
    }
}

static void check_constrained_gradient_at(const IrModel *ir, EvalWs *w, double *x, const char *what)
{
    check_constrained_gradient_steps(ir, w, x, NULL, what);
}

/* Compiles text and checks the gradient at NPOINTS points uniform in
** (-spread, spread)^dim. */
static void check_model_data(const char *text, const char *const *data, double spread)
{
    Model *m = compile_text(text, data);
    CU_ASSERT_PTR_NOT_NULL(m);
    if (!m) return;
    EvalWs *w = eval_new(m->ir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20250101);
    double q[64];
    for (int k = 0; k < NPOINTS; k++) {
        for (long i = 0; i < m->ir->dim; i++) q[i] = (2 * gsl_rng_uniform(rng) - 1) * spread;
        check_gradient_at(m->ir, w, q, text);
    }
    gsl_rng_free(rng);
    eval_free(w);
    model_free(m);
}

static void check_model(const char *text) { check_model_data(text, NULL, 1.5); }

/* ------------------------------------------------ functions and operators */

/* Parameters of every kind for the expressions below: reals a, b; a
** probability p; positives s, w[]; a real vector v[].  The expression
** feeds the density through a Normal likelihood, so its derivative reaches
** the gradient. */
#define BASE "a ~ Normal(0.5, 1); b ~ Normal(-0.3, 1); p ~ Beta(2, 3); s ~ Gamma(3, 2);\n" \
             "v[3] ~ Normal(0, 1); w[3] ~ Gamma(2, 2);\n"
#define SCALAR_OBS "0.7"
#define VECTOR_OBS "[0.7, -0.2, 1.1]"

typedef struct ExprCase {
    const char *expr;
    bool vector;          /* three elements, else a scalar */
} ExprCase;

static void check_expressions(const ExprCase *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char text[1024];
        snprintf(text, sizeof text, BASE "o ~ Normal(%s, 1.5) observed %s;\n", cases[i].expr,
                 cases[i].vector ? VECTOR_OBS : SCALAR_OBS);
        check_model(text);
    }
}

/* Every function of src/compiler/builtins.c, on scalars and on vectors. */
static void test_builtin_functions(void)
{
    static const ExprCase cases[] = {
        {"exp(a)", false}, {"exp(v)", true},
        {"log(s)", false}, {"log(w)", true},
        {"log1p(s)", false}, {"log1p(w)", true}, {"log1p(p - 0.9)", false},
        {"expm1(a)", false}, {"expm1(v)", true},
        {"sqrt(s)", false}, {"sqrt(w)", true},
        {"abs(a)", false}, {"abs(v)", true},
        {"logit(p)", false}, {"logit(p * [0.5, 0.9, 1])", true},
        {"inv_logit(a)", false}, {"inv_logit(v * 4)", true},
        {"sigmoid(a)", false}, {"sigmoid(v)", true},
        /* both branches of the overflow-safe form: arguments of both signs */
        {"log_inv_logit(a * 10)", false}, {"log_inv_logit(v * 10)", true},
        {"lgamma(s)", false}, {"lgamma(w + 0.1)", true}, {"lgamma(p)", false},
        {"square(a)", false}, {"square(v)", true},
        {"sin(a)", false}, {"sin(v)", true},
        {"cos(a)", false}, {"cos(v)", true},
        {"tanh(a)", false}, {"tanh(v)", true},
        {"Phi(a)", false}, {"Phi(v)", true},
        {"pow(s, a)", false}, {"pow(a, 2)", false}, {"pow(a, 3)", false}, {"pow(v, 3)", true},
        {"pow(w, a)", true}, {"pow(s, v)", true}, {"pow(2, v)", true}, {"pow(w, v)", true},
        {"min(a, b)", false}, {"min(v, a)", true}, {"min(a, v)", true}, {"min(v, w)", true},
        {"max(a, b)", false}, {"max(v, b)", true}, {"max(b, v)", true}, {"max(w, v)", true},
        {"sum(v)", false}, {"sum(v * w)", false},
        {"mean(v)", false}, {"mean(w)", false},
        {"sd(v)", false}, {"sd(w * v)", false},
        {"dot(v, w)", false}, {"dot(v, v)", false}, {"dot(v, [1, 2, 3])", false},
        {"length(v) * a", false},
    };
    check_expressions(cases, sizeof cases / sizeof cases[0]);
}

/* Every operator, with scalars and vectors broadcast both ways. */
static void test_operators(void)
{
    static const ExprCase cases[] = {
        {"a + b", false}, {"a - b", false}, {"a * b", false}, {"a / s", false},
        {"a ^ 2", false}, {"s ^ b", false}, {"s ^ s", false}, {"-a", false}, {"-(a * b)", false},
        {"a * a + a", false},                     /* one input used twice */
        {"v + a", true}, {"a + v", true}, {"v - a", true}, {"a - v", true},
        {"v * a", true}, {"a * v", true}, {"v / s", true}, {"a / w", true},
        {"v ^ 2", true}, {"s ^ v", true}, {"w ^ a", true}, {"-v", true},
        {"v + w", true}, {"v - w", true}, {"v * w", true}, {"v / w", true}, {"w ^ v", true},
        {"v + 1", true}, {"2 - v", true}, {"v * [1, -2, 3]", true}, {"[1, 2, 3] / w", true},
        /* comparisons and logic are flat: their products keep the other factor's slope */
        {"a * (a < b) + s * (a <= b) + b * (a > s) + p * (a >= b) + s * (a == a) + p * (a != b)", false},
        {"a * ((a < b) && (s > 1)) + b * ((a > 0) || (b > 0)) + s * !(a > b)", false},
        {"v * (v > 0) + w * (v <= a)", true},
        {"v * !(w > 1) + a * ((v > 0) || (w < 1))", true},
    };
    check_expressions(cases, sizeof cases / sizeof cases[0]);
}

/* Indexing, gathers, vector literals with parameters, loops. */
static void test_indexing_and_vectors(void)
{
    static const ExprCase cases[] = {
        {"v[2] * a + w[3]", false},
        {"v[1] * v[1] + v[3]", false},
        {"[a, 2 * b, 3]", true},
        {"[a, v[2], s] * s", true},
        {"[a, b, s] + v", true},
    };
    check_expressions(cases, sizeof cases / sizeof cases[0]);
    /* a gather with a repeated index, whose adjoints must add up */
    check_model(BASE "idx = [3, 1, 3, 2];\no ~ Normal(v[idx] * a, 1.5) observed [0.7, -0.2, 1.1, 0.4];\n");
    check_model(BASE "idx = [2, 2];\nu = v[idx] + w[idx];\no ~ Normal(u, 1.5) observed [0.7, -0.2];\n");
    /* element-by-element definitions in a loop */
    check_model(BASE "x = [0.5, 1.5, -1];\nfor i in 1:3 { mu[i] = a + b * x[i]; }\n"
                "o ~ Normal(mu, s) observed " VECTOR_OBS ";\n");
    check_model(BASE "for i in 1:3 { z[i] = v[i] * w[4 - i]; }\no ~ Normal(sum(z), 1) observed 0.2;\n");
    /* element-wise parameters in a loop, each with a parameter prior */
    check_model("mu ~ Normal(0, 1); tau ~ HalfNormal(1);\n"
                "for j in 1:3 { theta[j] ~ Normal(mu, tau); }\n"
                "y ~ Normal(theta, 1) observed [0.3, -1.2, 2];\n");
    check_model("y = [0.3, -1.2, 2];\nmu ~ Normal(0, 1); tau ~ HalfNormal(1);\n"
                "for j in 1:3 { theta[j] ~ Normal(mu * j, tau); y[j] ~ Normal(theta[j], 2); }\n");
    /* a likelihood term per element, on data given outside */
    static const char *const data[] = {"y=[0.3, -1.2, 2, 0.8]", "N=4", NULL};
    check_model_data("data N; data y[N];\nmu ~ Normal(0, 1); sigma ~ HalfNormal(2);\n"
                     "for t in 1:N { y[t] ~ Normal(mu, sigma); }\n", data, 1.5);
}

/* X @ beta with a data matrix. */
static void test_matvec(void)
{
    static const char *const data[] = {"X=[[1, 2], [3, -4], [0.5, 6]]", NULL};
    check_model_data("data X[3, 2];\nbeta[2] ~ Normal(0, 1); s ~ HalfNormal(1);\n"
                     "y ~ Normal(X @ beta, s) observed [1, -2, 0.5];\n", data, 1.5);
    check_model_data("data X[3, 2];\nbeta[2] ~ Normal(0, 1); s ~ HalfNormal(1); c ~ Normal(0, 1);\n"
                     "eta = X @ (beta * s) + c;\ny ~ Normal(eta, 1) observed [1, -2, 0.5];\n", data, 1.5);
    check_model_data("data X[3, 2];\nb1 ~ Normal(0, 1); b2 ~ Normal(0, 1);\n"
                     "y ~ Normal(X @ [b1, 2 * b2], 1) observed [1, -2, 0.5];\n", data, 1.5);
}

/* Values, not slopes: comparisons give 0/1, reductions their textbook
** values, broadcasting pairs the right elements (eval_outputs at a point
** where every parameter is identity-transformed, so q is the value). */
static void test_values(void)
{
    const char *text =
        "a ~ Normal(0, 1); b ~ Normal(0, 1); v[3] ~ Normal(0, 1);\n"
        "t_lt = a < b; t_le = a <= a; t_gt = a > b; t_ge = b >= a; t_eq = a == b; t_ne = a != b;\n"
        "t_and = (a < b) && (b > 0); t_or = (a > b) || (b > 0); t_not = !(a < b);\n"
        "t_sum = sum(v); t_mean = mean(v); t_sd = sd(v); t_dot = dot(v, [1, 2, 3]); t_len = length(v) * b;\n"
        "t_bc = v - a; t_cb = a - v; t_pow = 2 ^ v; t_neg = -a ^ 2; t_min = min(v, b);\n";
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    EvalWs *w = eval_new(m->ir);
    const double a = -0.5, b = 1.25, v[3] = {2, -1, 0.5};
    const double q[5] = {a, b, v[0], v[1], v[2]};
    CU_ASSERT_EQUAL_FATAL(m->ir->dim, 5);
    long n = ir_output_count(m->ir);
    char **names = ir_output_names(m->ir);
    double *out = calloc((size_t)n, sizeof *out);
    eval_outputs(w, q, out);
    /* mean 0.5; deviations 1.5, -1.5, 0: sd = sqrt(4.5 / 2) = 1.5 */
    const struct { const char *name; double value; } want[] = {
        {"a", a}, {"b", b}, {"v[1]", 2}, {"v[3]", 0.5},
        {"t_lt", 1}, {"t_le", 1}, {"t_gt", 0}, {"t_ge", 1}, {"t_eq", 0}, {"t_ne", 1},
        {"t_and", 1}, {"t_or", 1}, {"t_not", 0},
        {"t_sum", 1.5}, {"t_mean", 0.5}, {"t_sd", 1.5}, {"t_dot", 2 - 2 + 1.5}, {"t_len", 3 * b},
        {"t_bc[1]", 2.5}, {"t_bc[2]", -0.5}, {"t_cb[3]", -1}, {"t_pow[2]", 0.5}, {"t_pow[3]", sqrt(2)},
        {"t_neg", -0.25}, {"t_min[1]", 1.25}, {"t_min[2]", -1},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        long at = -1;
        for (long i = 0; i < n; i++)
            if (strcmp(names[i], want[k].name) == 0) at = i;
        if (at < 0) fprintf(stderr, "\n  no output called %s\n", want[k].name);
        CU_ASSERT(at >= 0);
        if (at >= 0) ASSERT_CLOSE(out[at], want[k].value, 1e-15);
    }
    free(out);
    ir_free_names(names, n);
    eval_free(w);
    model_free(m);
}

/* ------------------------------------------------------- distributions */

/* Every case runs on these parameters, whose priors add nothing to the
** constrained density: Flat and HalfFlat are 0, Uniform(0, 1) is log 1. */
#define DIST_PARAMS "r ~ Flat(); r2 ~ Flat(); g ~ HalfFlat(); g2 ~ HalfFlat(); p ~ Uniform(0, 1);\n"
enum { R, R2, G, G2, P, NBASE };
static const char *const base_names[NBASE] = {"r", "r2", "g", "g2", "p"};

/* The transform a parameter should get from its prior. */
typedef enum { TF_ID, TF_POSITIVE, TF_UNIT, TF_UNIFORM } Transform;

typedef struct DistCase {
    const char *call;       /* $0..$4 stand for r, r2, g, g2, p */
    Transform tf;           /* of a parameter with this prior */
    const char *obs;        /* data in the support, or NULL: not as a likelihood */
    double (*ref)(double x, const double *v);   /* log density, v = {r, r2, g, g2, p} */
} DistCase;

static double ref_normal(double x, const double *v) { return log(gsl_ran_gaussian_pdf(x - v[R], v[G])); }
static double ref_halfnormal(double x, const double *v) { return log(2 * gsl_ran_gaussian_pdf(x, v[G])); }
static double ref_studentt(double x, const double *v)
{
    return log(gsl_ran_tdist_pdf((x - v[R]) / v[G], v[G2]) / v[G]);
}
static double ref_cauchy(double x, const double *v) { return log(gsl_ran_cauchy_pdf(x - v[R], v[G])); }
static double ref_halfcauchy(double x, const double *v) { return log(2 * gsl_ran_cauchy_pdf(x, v[G])); }
/* GSL's exponential takes the mean, 1 / lam */
static double ref_exponential(double x, const double *v) { return log(gsl_ran_exponential_pdf(x, 1 / v[G])); }
/* GSL's gamma takes the scale, 1 / beta */
static double ref_gamma(double x, const double *v) { return log(gsl_ran_gamma_pdf(x, v[G], 1 / v[G2])); }
/* 1/x with x ~ InverseGamma(a, b) is Gamma(a, rate b): change of variables */
static double ref_invgamma(double x, const double *v)
{
    return log(gsl_ran_gamma_pdf(1 / x, v[G], 1 / v[G2]) / (x * x));
}
static double ref_lognormal(double x, const double *v) { return log(gsl_ran_lognormal_pdf(x, v[R], v[G])); }
static double ref_uniform(double x, const double *v) { return log(gsl_ran_flat_pdf(x, v[R] - 5, v[G] + 3)); }
static double ref_flat(double x, const double *v) { (void)x; (void)v; return 0; }
static double ref_logistic(double x, const double *v) { return log(gsl_ran_logistic_pdf(x - v[R], v[G])); }
static double ref_laplace(double x, const double *v) { return log(gsl_ran_laplace_pdf(x - v[R], v[G])); }
/* PyMC's Weibull(alpha shape, beta scale); GSL's weibull_pdf(x, scale, shape) */
static double ref_weibull(double x, const double *v) { return log(gsl_ran_weibull_pdf(x, v[G2], v[G])); }
static double ref_beta(double x, const double *v) { return log(gsl_ran_beta_pdf(x, v[G], v[G2])); }
static double ref_binomial(double k, const double *v) { return log(gsl_ran_binomial_pdf((unsigned)k, v[P], 5)); }
static double ref_bernoulli(double k, const double *v) { return log(gsl_ran_bernoulli_pdf((unsigned)k, v[P])); }
static double ref_poisson(double k, const double *v) { return log(gsl_ran_poisson_pdf((unsigned)k, v[G])); }
/* logit_p = r: p = 1 / (1 + exp(-r)) */
static double ref_binomial_logit(double k, const double *v)
{
    return log(gsl_ran_binomial_pdf((unsigned)k, 1 / (1 + exp(-v[R])), 5));
}
static double ref_bernoulli_logit(double k, const double *v)
{
    return log(gsl_ran_bernoulli_pdf((unsigned)k, 1 / (1 + exp(-v[R]))));
}
/* PyMC's NegativeBinomial(mu, alpha) is GSL's with n = alpha, p = alpha / (mu + alpha) */
static double ref_negbinomial(double k, const double *v)
{
    return log(gsl_ran_negative_binomial_pdf((unsigned)k, v[G2] / (v[G] + v[G2]), v[G2]));
}
static double ref_geometric(double k, const double *v) { return log(gsl_ran_geometric_pdf((unsigned)k, v[P])); }
/* C(5, k) a^(k) b^(5-k) / (a+b)^(5), x^(j) the rising factorial */
static double ref_betabinomial(double k, const double *v)
{
    double a = v[G], b = v[G2], num = 1, den = 1;
    for (int i = 0; i < (int)k; i++) num *= a + i;
    for (int i = 0; i < 5 - (int)k; i++) num *= b + i;
    for (int i = 0; i < 5; i++) den *= a + b + i;
    return log(gsl_sf_choose(5, (unsigned)k) * num / den);
}

#define REAL_OBS "[-0.5, 0.3, 1.2]"
#define POS_OBS "[0.4, 1.3, 2.2]"

/* One entry per distribution of runtime/dist/dist.c. */
static const DistCase dist_cases[] = {
    {"Normal($0, $2)", TF_ID, REAL_OBS, ref_normal},
    {"HalfNormal($2)", TF_POSITIVE, POS_OBS, ref_halfnormal},
    {"StudentT($3, $0, $2)", TF_ID, REAL_OBS, ref_studentt},
    {"Cauchy($0, $2)", TF_ID, REAL_OBS, ref_cauchy},
    {"HalfCauchy($2)", TF_POSITIVE, POS_OBS, ref_halfcauchy},
    {"Exponential($2)", TF_POSITIVE, POS_OBS, ref_exponential},
    {"Gamma($2, $3)", TF_POSITIVE, POS_OBS, ref_gamma},
    {"InverseGamma($2, $3)", TF_POSITIVE, POS_OBS, ref_invgamma},
    {"LogNormal($0, $2)", TF_POSITIVE, POS_OBS, ref_lognormal},
    /* with r in (-1.5, 1.5) and g > 0, (r - 5, g + 3) holds the data */
    {"Uniform($0 - 5, $2 + 3)", TF_UNIFORM, "[0.1, -1, 2.5]", ref_uniform},
    {"Flat()", TF_ID, NULL, ref_flat},
    {"HalfFlat()", TF_POSITIVE, NULL, ref_flat},
    {"Logistic($0, $2)", TF_ID, REAL_OBS, ref_logistic},
    {"Laplace($0, $2)", TF_ID, REAL_OBS, ref_laplace},
    {"Weibull($2, $3)", TF_POSITIVE, POS_OBS, ref_weibull},
    {"Beta($2, $3)", TF_UNIT, "[0.2, 0.5, 0.7]", ref_beta},
    {"Binomial(5, $4)", TF_ID, "[0, 2, 5]", ref_binomial},
    {"Bernoulli($4)", TF_ID, "[0, 1, 1]", ref_bernoulli},
    {"Poisson($2)", TF_ID, "[0, 3, 7]", ref_poisson},
    {"NegativeBinomial($2, $3)", TF_ID, "[0, 3, 7]", ref_negbinomial},
    {"Geometric($4)", TF_ID, "[1, 2, 4]", ref_geometric},
    {"BetaBinomial($2, $3, 5)", TF_ID, "[0, 2, 5]", ref_betabinomial},
    /* the log-odds parameterisations, by keyword and by inv_logit, which
    ** the compiler turns into them */
    {"Binomial(5, logit_p = $0)", TF_ID, "[0, 2, 5]", ref_binomial_logit},
    {"Bernoulli(logit_p = $0)", TF_ID, "[0, 1, 1]", ref_bernoulli_logit},
    {"Binomial(5, inv_logit($0))", TF_ID, "[0, 2, 5]", ref_binomial_logit},
    {"Bernoulli(sigmoid($0))", TF_ID, "[0, 1, 1]", ref_bernoulli_logit},
};
#define NDIST_CASES (sizeof dist_cases / sizeof dist_cases[0])

static bool is_discrete(const DistCase *c)
{
    return c->ref == ref_binomial || c->ref == ref_bernoulli || c->ref == ref_poisson ||
           c->ref == ref_negbinomial || c->ref == ref_geometric || c->ref == ref_betabinomial ||
           c->ref == ref_binomial_logit || c->ref == ref_bernoulli_logit;
}

/* call with $k replaced by the name of base parameter k, or by value[k]
** when names is NULL. */
static void expand(const char *call, const double *value, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = call; *c && n + 32 < size; c++) {
        if (*c == '$') {
            int k = *++c - '0';
            n += (size_t)(value ? snprintf(out + n, size - n, "%.17g", value[k])
                                : snprintf(out + n, size - n, "%s", base_names[k]));
        } else {
            out[n++] = *c;
        }
    }
    out[n] = '\0';
}

/* The base parameters' constrained values at q and their log-Jacobian. */
static double base_values(const double *q, double *v)
{
    v[R] = q[R];
    v[R2] = q[R2];
    v[G] = exp(q[G]);
    v[G2] = exp(q[G2]);
    v[P] = logistic(q[P]);
    return q[G] + q[G2] + log(v[P]) + log(1 - v[P]);
}

/* x's value at u under transform tf with the base values v, and its
** log-Jacobian log|dx/du| into *lj. */
static double transformed(Transform tf, double u, const double *v, double *lj)
{
    switch (tf) {
    case TF_ID: *lj = 0; return u;
    case TF_POSITIVE: *lj = u; return exp(u);
    case TF_UNIT: {
        double p = logistic(u);
        *lj = log(p) + log(1 - p);
        return p;
    }
    case TF_UNIFORM: {
        double lo = v[R] - 5, hi = v[G] + 3, p = logistic(u);
        *lj = log(hi - lo) + log(p) + log(1 - p);
        return lo + (hi - lo) * p;
    }
    }
    return NAN;
}

/* Observed values of a case: its obs literal, parsed. */
static int parse_obs(const char *obs, double *y)
{
    int n = 0;
    for (const char *c = obs + 1; *c && *c != ']';) {
        char *end;
        y[n++] = strtod(c, &end);
        c = end;
        while (*c == ',' || *c == ' ') c++;
    }
    return n;
}

/* The names of the model's parameters are the base ones, then extra. */
static void check_param_order(const IrModel *ir, const char *extra)
{
    CU_ASSERT_EQUAL_FATAL(ir->nparams, NBASE + (extra != NULL));
    for (int k = 0; k < ir->nparams; k++) {
        char name[64];
        ir_param_element_name(ir, &ir->params[k], 0, name, sizeof name);
        CU_ASSERT_STRING_EQUAL(name, k < NBASE ? base_names[k] : extra);
        CU_ASSERT_EQUAL(ir->params[k].ucoord, k);
    }
}

/* As a prior with parameter arguments: x ~ D(r, g, ...).  Checks the
** gradient in both spaces, the constrained density against the
** reference, and the unconstrained one against it plus the Jacobians. */
static void check_dist_prior(const DistCase *c)
{
    char call[256], text[512];
    expand(c->call, NULL, call, sizeof call);
    snprintf(text, sizeof text, DIST_PARAMS "x ~ %s;\n", call);
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL(m);
    if (!m) return;
    check_param_order(m->ir, "x");
    EvalWs *w = eval_new(m->ir);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    for (int k = 0; k < NPOINTS; k++) {
        double q[NBASE + 1], x[NBASE + 1], lj;
        for (int i = 0; i <= NBASE; i++) q[i] = (2 * gsl_rng_uniform(rng) - 1) * 1.5;
        double lj_base = base_values(q, x);
        x[NBASE] = transformed(c->tf, q[NBASE], x, &lj);
        double want = c->ref(x[NBASE], x);
        double lp_c, grad[NBASE + 1];
        CU_ASSERT_EQUAL(eval_constrained(w, x, &lp_c, grad), 0);
        if (fabs(lp_c - want) > VALUE_TOL * fmax(1, fabs(want)))
            fprintf(stderr, "\n  %s: constrained log density %.17g, GSL gives %.17g\n", text, lp_c, want);
        ASSERT_CLOSE(lp_c, want, VALUE_TOL);
        /* the difference of the two spaces is exactly the log-Jacobian */
        double lp_u = eval_logp(w, q);
        ASSERT_CLOSE(lp_u - lp_c, lj_base + lj, VALUE_TOL);
        check_gradient_at(m->ir, w, q, text);
        check_constrained_gradient_at(m->ir, w, x, text);
    }
    gsl_rng_free(rng);
    eval_free(w);
    model_free(m);
}

/* As a likelihood with parameter arguments: y ~ D(r, g, ...) observed. */
static void check_dist_likelihood(const DistCase *c)
{
    char call[256], text[512];
    expand(c->call, NULL, call, sizeof call);
    snprintf(text, sizeof text, DIST_PARAMS "y ~ %s observed %s;\n", call, c->obs);
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL(m);
    if (!m) return;
    check_param_order(m->ir, NULL);
    double y[8];
    int ny = parse_obs(c->obs, y);
    EvalWs *w = eval_new(m->ir);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    for (int k = 0; k < NPOINTS; k++) {
        double q[NBASE], v[NBASE];
        for (int i = 0; i < NBASE; i++) q[i] = (2 * gsl_rng_uniform(rng) - 1) * 1.5;
        double lj = base_values(q, v), want = 0;
        for (int i = 0; i < ny; i++) want += c->ref(y[i], v);
        double lp_c, grad[NBASE];
        CU_ASSERT_EQUAL(eval_constrained(w, v, &lp_c, grad), 0);
        if (fabs(lp_c - want) > VALUE_TOL * fmax(1, fabs(want)))
            fprintf(stderr, "\n  %s: constrained log density %.17g, GSL gives %.17g\n", text, lp_c, want);
        ASSERT_CLOSE(lp_c, want, VALUE_TOL);
        ASSERT_CLOSE(eval_logp(w, q) - lp_c, lj, VALUE_TOL);
        check_gradient_at(m->ir, w, q, text);
        check_constrained_gradient_at(m->ir, w, v, text);
    }
    gsl_rng_free(rng);
    eval_free(w);
    model_free(m);
}

/* As a prior with data arguments: x ~ D(0.3, 1.7, ...).  The support
** checks and the argument adjoints take other paths when arguments are
** data; the Uniform case has data bounds. */
static void check_dist_fixed_prior(const DistCase *c)
{
    const double fixed[NBASE] = {0.3, -0.4, 1.7, 2.5, 0.35};
    char call[256], text[512];
    expand(c->call, fixed, call, sizeof call);
    snprintf(text, sizeof text, "x ~ %s;\n", call);
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL(m);
    if (!m) return;
    CU_ASSERT_EQUAL_FATAL(m->ir->dim, 1);
    EvalWs *w = eval_new(m->ir);
    for (int k = 0; k < NPOINTS; k++) {
        double u = -1.75 + 0.7 * k, lj, lp_c, g;   /* never on Laplace's kink at 0.3 */
        double x = transformed(c->tf, u, fixed, &lj);
        double want = c->ref(x, fixed);
        CU_ASSERT_EQUAL(eval_constrained(w, &x, &lp_c, &g), 0);
        ASSERT_CLOSE(lp_c, want, VALUE_TOL);
        ASSERT_CLOSE(eval_logp(w, &u), want + lj, VALUE_TOL);
        check_gradient_at(m->ir, w, &u, text);
        check_constrained_gradient_at(m->ir, w, &x, text);
    }
    eval_free(w);
    model_free(m);
}

static void test_distributions_as_priors(void)
{
    for (size_t i = 0; i < NDIST_CASES; i++)
        if (!is_discrete(&dist_cases[i])) {
            check_dist_prior(&dist_cases[i]);
            check_dist_fixed_prior(&dist_cases[i]);
        }
}

static void test_distributions_as_likelihoods(void)
{
    for (size_t i = 0; i < NDIST_CASES; i++)
        if (dist_cases[i].obs) check_dist_likelihood(&dist_cases[i]);
}

/* Every name in the distribution table has a case above. */
static void test_every_distribution_covered(void)
{
    for (int d = 0; d < dist_count(); d++) {
        const char *name = dist_at(d)->name;
        bool found = false;
        for (size_t i = 0; i < NDIST_CASES && !found; i++) {
            size_t n = strlen(name);
            found = strncmp(dist_cases[i].call, name, n) == 0 && dist_cases[i].call[n] == '(';
        }
        if (!found) fprintf(stderr, "\n  no evaluator test for %s\n", name);
        CU_ASSERT(found);
    }
}

/* ---------------------------------------------------------- transforms */

/* s ~ HalfNormal(1); x ~ Uniform(-s, s): a bound that is a parameter.
** x = -s + 2 s p, p = logistic(u_x); log-Jacobian u_s + log(2 s) + log p
** + log(1 - p); density HalfNormal(s | 1) + log(1 / (2 s)). */
static void test_parameter_bound(void)
{
    const char *text = "s ~ HalfNormal(1);\nx ~ Uniform(-s, s);\n";
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL_FATAL(m->ir->dim, 2);
    EvalWs *w = eval_new(m->ir);
    const double points[][2] = {{0, 0}, {-1.3, 0.8}, {1.1, -1.7}, {0.4, 2.5}, {-2.5, -0.2}};
    for (size_t k = 0; k < sizeof points / sizeof points[0]; k++) {
        double q[2] = {points[k][0], points[k][1]};
        double s = exp(q[0]), p = logistic(q[1]), x[2] = {s, -s + 2 * s * p};
        double lj = q[0] + log(2 * s) + log(p) + log(1 - p);
        double want = log(2 * gsl_ran_gaussian_pdf(s, 1)) + log(gsl_ran_flat_pdf(x[1], -s, s));
        double lp_c, g[2];
        CU_ASSERT_EQUAL(eval_constrained(w, x, &lp_c, g), 0);
        ASSERT_CLOSE(lp_c, want, VALUE_TOL);
        ASSERT_CLOSE(eval_logp(w, q) - lp_c, lj, VALUE_TOL);
        check_gradient_at(m->ir, w, q, text);
        check_constrained_gradient_at(m->ir, w, x, text);
    }
    /* outside (-s, s): eval_constrained names the offending value, x */
    double bad[2] = {0.5, 0.7}, lp, g[2];
    CU_ASSERT_EQUAL(eval_constrained(w, bad, &lp, g), 2);
    bad[0] = -1;
    CU_ASSERT_EQUAL(eval_constrained(w, bad, &lp, g), 1);
    eval_free(w);
    model_free(m);
}

/* Vector parameters whose transforms broadcast: vector data bounds,
** a vector lower-bound prior, a Beta vector. */
static void test_vector_transforms(void)
{
    const char *text = "lo = [0, 1, -2]; hi = [1, 3, 5];\n"
                       "x[3] ~ Uniform(lo, hi);\n"
                       "z[3] ~ Uniform(-1, hi);\n"
                       "g[3] ~ Gamma(2, [1, 2, 3]);\n"
                       "b[2] ~ Beta(2, 3);\n";
    const double lo[3] = {0, 1, -2}, hi[3] = {1, 3, 5};
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL_FATAL(m->ir->dim, 11);
    EvalWs *w = eval_new(m->ir);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    for (int k = 0; k < NPOINTS; k++) {
        double q[11], x[11], lj = 0, want = 0;
        for (int i = 0; i < 11; i++) q[i] = (2 * gsl_rng_uniform(rng) - 1) * 2;
        for (int i = 0; i < 3; i++) {
            double p = logistic(q[i]);
            x[i] = lo[i] + (hi[i] - lo[i]) * p;
            lj += log(hi[i] - lo[i]) + log(p) + log(1 - p);
            want += -log(hi[i] - lo[i]);
            p = logistic(q[3 + i]);
            x[3 + i] = -1 + (hi[i] + 1) * p;
            lj += log(hi[i] + 1) + log(p) + log(1 - p);
            want += -log(hi[i] + 1);
            x[6 + i] = exp(q[6 + i]);
            lj += q[6 + i];
            want += log(gsl_ran_gamma_pdf(x[6 + i], 2, 1.0 / (i + 1)));
        }
        for (int i = 9; i < 11; i++) {
            double p = logistic(q[i]);
            x[i] = p;
            lj += log(p) + log(1 - p);
            want += log(gsl_ran_beta_pdf(p, 2, 3));
        }
        double lp_c, g[11];
        CU_ASSERT_EQUAL(eval_constrained(w, x, &lp_c, g), 0);
        ASSERT_CLOSE(lp_c, want, VALUE_TOL);
        ASSERT_CLOSE(eval_logp(w, q) - lp_c, lj, VALUE_TOL);
        check_gradient_at(m->ir, w, q, text);
        check_constrained_gradient_at(m->ir, w, x, text);
    }
    /* element 2 of z (the fifth value) above its bound hi[2] = 3 */
    double x[11] = {0.5, 2, 0, 0, 3.5, 0, 1, 1, 1, 0.5, 0.5}, lp, g[11];
    CU_ASSERT_EQUAL(eval_constrained(w, x, &lp, g), 5);
    gsl_rng_free(rng);
    eval_free(w);
    model_free(m);
}

/* Outside the support the density is -inf (or NaN), never a number. */
static void test_outside_support(void)
{
    /* y in (x + 10, x + 11) with y = 0 needs x in (-11, -10) */
    Model *m = compile_text("x ~ Normal(0, 1);\ny ~ Uniform(x + 10, x + 11) observed 0;\n", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    EvalWs *w = eval_new(m->ir);
    double q = 0, g;
    CU_ASSERT(!(eval_logp(w, &q) > -INFINITY));
    CU_ASSERT(!(eval_logp_grad(w, &q, &g) > -INFINITY));
    q = -10.5;   /* inside: Normal(-10.5 | 0, 1) + log 1 */
    ASSERT_CLOSE(eval_logp_grad(w, &q, &g), log(gsl_ran_gaussian_pdf(-10.5, 1)), VALUE_TOL);
    ASSERT_CLOSE(g, 10.5, VALUE_TOL);
    eval_free(w);
    model_free(m);

    /* a scalar parameter shared by every element, checked once for all */
    m = compile_text("a ~ Normal(0, 1);\ny ~ Normal([0, 1, 2], a) observed [1, 2, 4];\n", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    w = eval_new(m->ir);
    q = -1;
    CU_ASSERT(!(eval_logp(w, &q) > -INFINITY));
    CU_ASSERT(!(eval_logp_grad(w, &q, &g) > -INFINITY));
    q = 2;   /* Normal(2 | 0, 1) + Normal(1, 1, 2 | 0, 1, 2; sd 2) */
    double want = log(gsl_ran_gaussian_pdf(2, 1)) + log(gsl_ran_gaussian_pdf(1, 2)) * 2 + log(gsl_ran_gaussian_pdf(2, 2));
    ASSERT_CLOSE(eval_logp(w, &q), want, VALUE_TOL);
    eval_free(w);
    model_free(m);
}

/* Log-odds per element, by keyword and through inv_logit (which the
** compiler fuses into the same kernel): values against GSL, gradients
** against finite differences. */
static void test_logit_likelihoods(void)
{
    static const char *const texts[] = {
        "a ~ Normal(0, 1); b ~ Normal(0, 1);\n"
        "y ~ Binomial([5, 8, 3], inv_logit(a + b * [1, 2, 3])) observed [2, 7, 0];\n"
        "z ~ Bernoulli(inv_logit(a - b * [1, 2])) observed [1, 0];\n",
        "a ~ Normal(0, 1); b ~ Normal(0, 1);\n"
        "y ~ Binomial(n = [5, 8, 3], logit_p = a + b * [1, 2, 3]) observed [2, 7, 0];\n"
        "z ~ Bernoulli(logit_p = a - b * [1, 2]) observed [1, 0];\n",
    };
    const double n[3] = {5, 8, 3}, y[3] = {2, 7, 0}, z[2] = {1, 0};
    for (int t = 0; t < 2; t++) {
        Model *m = compile_text(texts[t], NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        EvalWs *w = eval_new(m->ir);
        const double points[][2] = {{0.3, -0.4}, {-1.2, 0.9}, {2.5, 1.5}};
        for (size_t k = 0; k < sizeof points / sizeof points[0]; k++) {
            double q[2] = {points[k][0], points[k][1]}, a = q[0], b = q[1];
            double want = log(gsl_ran_ugaussian_pdf(a)) + log(gsl_ran_ugaussian_pdf(b));
            for (int i = 0; i < 3; i++)
                want += log(gsl_ran_binomial_pdf((unsigned)y[i], 1 / (1 + exp(-(a + b * (i + 1)))), (unsigned)n[i]));
            for (int i = 0; i < 2; i++)
                want += log(gsl_ran_bernoulli_pdf((unsigned)z[i], 1 / (1 + exp(-(a - b * (i + 1))))));
            ASSERT_CLOSE(eval_logp(w, q), want, VALUE_TOL);
            check_gradient_at(m->ir, w, q, texts[t]);
        }
        eval_free(w);
        model_free(m);
    }
}

/* A (0, 1) prior far into either tail, where the value itself rounds to
** 0 or 1: the density comes from the log-odds u, so
**   log p(u) = a log inv_logit(u) + b log inv_logit(-u) - log B(a, b)
** (density plus log-Jacobian) holds to the last digit at any |u|, with a
** Gamma parameter in the shape so that its gradient flows too. */
static double log_inv_logit_ref(double u) { return u < 0 ? u - log1p(exp(u)) : -log1p(exp(-u)); }

static void test_unit_interval_tails(void)
{
    const char *text = "b ~ Gamma(2, 2);\np ~ Beta(0.5, b);\n";
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL_FATAL(m->ir->dim, 2);
    EvalWs *w = eval_new(m->ir);
    const double us[] = {-700, -60, -30, -9, -7.5, 0.3, 7.5, 9, 30, 40, 60, 700};
    for (size_t k = 0; k < sizeof us / sizeof us[0]; k++) {
        double q[2] = {-0.4, us[k]}, b = exp(q[0]), u = q[1];
        double want = log(gsl_ran_gamma_pdf(b, 2, 0.5)) + q[0]
                      + 0.5 * log_inv_logit_ref(u) + b * log_inv_logit_ref(-u) - gsl_sf_lnbeta(0.5, b);
        ASSERT_CLOSE(eval_logp(w, q), want, VALUE_TOL);
        check_gradient_at(m->ir, w, q, text);
        /* and as constrained values where x resolves a difference step:
        ** near 1, 1 - x keeps only -log10(1 - x) - 16 digits */
        double x[2] = {b, logistic(u)}, step[2] = {1e-4, 1e-4 * fmin(x[1], 1 - x[1])};
        if (u >= -30 && u <= 9) check_constrained_gradient_steps(m->ir, w, x, step, text);
    }
    eval_free(w);
    model_free(m);
}

/* An interval whose width overflows a double, (-1e308, 1e308): the
** density -log(2e308) and the log-Jacobian log(2e308) + log p + log(1 - p)
** cancel to log p + log(1 - p), p = logistic(u); the values stay finite. */
static void test_interval_wider_than_a_double(void)
{
    const char *text = "x ~ Uniform(-1e308, 1e308);\n";
    Model *m = compile_text(text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    EvalWs *w = eval_new(m->ir);
    const double us[] = {-30, -2, 0, 0.7, 5, 40};
    for (size_t k = 0; k < sizeof us / sizeof us[0]; k++) {
        double q = us[k];
        ASSERT_CLOSE(eval_logp(w, &q), log_inv_logit_ref(q) + log_inv_logit_ref(-q), VALUE_TOL);
        check_gradient_at(m->ir, w, &q, text);
    }
    /* at constrained values: the density alone, log(1 / 2e308) */
    const double xs[] = {0, -9e307, 5e307};
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        double x = xs[k], lp, g;
        CU_ASSERT_EQUAL(eval_constrained(w, &x, &lp, &g), 0);
        ASSERT_CLOSE(lp, -(log(1e308) + log(2.0)), VALUE_TOL);
        ASSERT_CLOSE(g, 0.0, VALUE_TOL);
    }
    eval_free(w);
    model_free(m);
}

/* A model from models/: the data of a file, through eight schools. */
static void test_eight_schools(void)
{
    static const char *const data[] = {"J=8", "y=[28, 8, -3, 7, -1, 1, 18, 12]",
                                       "sigma=[15, 10, 16, 11, 9, 11, 10, 18]", NULL};
    check_model_data("data J; data y[J]; data sigma[J];\n"
                     "mu ~ Normal(0, 5); tau ~ HalfCauchy(5); theta_raw[J] ~ Normal(0, 1);\n"
                     "theta = mu + tau * theta_raw;\ny ~ Normal(theta, sigma);\n", data, 2);
    check_model_data("data J; data y[J]; data sigma[J];\n"
                     "mu ~ Normal(0, 5); tau ~ HalfCauchy(5); theta[J] ~ Normal(mu, tau);\n"
                     "y ~ Normal(theta, sigma);\n", data, 2);
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo functions[] = {
        {"every builtin function", test_builtin_functions},
        {"every operator, broadcast both ways", test_operators},
        {"indexing, gathers, literals, loops", test_indexing_and_vectors},
        {"matrix-vector product", test_matvec},
        {"values of comparisons and reductions", test_values},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo dists[] = {
        {"every distribution is covered", test_every_distribution_covered},
        {"as priors with parameter and data arguments", test_distributions_as_priors},
        {"as likelihoods with parameter arguments", test_distributions_as_likelihoods},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo transforms[] = {
        {"a bound that is a parameter", test_parameter_bound},
        {"vector transforms", test_vector_transforms},
        {"outside the support", test_outside_support},
        {"log-odds likelihoods", test_logit_likelihoods},
        {"(0, 1) priors far into both tails", test_unit_interval_tails},
        {"an interval wider than a double", test_interval_wider_than_a_double},
        {"eight schools", test_eight_schools},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"functions and operators", NULL, NULL, NULL, NULL, functions},
        {"distributions", NULL, NULL, NULL, NULL, dists},
        {"transforms and models", NULL, NULL, NULL, NULL, transforms},
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
