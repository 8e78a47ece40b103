/*
** test_options.c -- what the commands and the REPL read alike: the
** sampling and table options (sample_options.c) and the parameter values
** of `bmc logp` and :logp (logp_values.c).
**
** Option ranges and messages are the ones `bmc run` gives (the command-line
** tests check some of them end to end); defaults are design section 3's.
** Log densities are sums of GSL's own densities, gradients derived by hand
** (each says how next to it).
*/
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <jansson.h>

#include "logp_values.h"
#include "sample_options.h"
#include "testutil.h"

/* ---- sampling options ---- */

/* Parses the single option in words (one or two words); returns what
** sample_option_parse says and the index it left. */
static SampleOptionResult parse_one(SampleOptions *o, char **words, int n, int *end, char *err, size_t len)
{
    int i = 0;
    err[0] = '\0';
    SampleOptionResult r = sample_option_parse(o, n, words, &i, err, len);
    *end = i;
    return r;
}

static void test_defaults(void)
{
    SampleOptions o;
    sample_options_init(&o);
    /* design section 3: 4 chains, 1000 draws and 1000 tune per chain,
    ** target accept 0.8, tree depth 10, 94% HDI */
    CU_ASSERT_EQUAL(o.cfg.chains, 4);
    CU_ASSERT_EQUAL(o.cfg.nuts.draws, 1000);
    CU_ASSERT_EQUAL(o.cfg.nuts.tune, 1000);
    CU_ASSERT_EQUAL(o.cfg.nuts.max_treedepth, 10);
    CU_ASSERT_EQUAL(o.cfg.nuts.metric, METRIC_AUTO);
    ASSERT_CLOSE(o.cfg.nuts.target_accept, 0.8, 0);
    ASSERT_CLOSE(o.hdi_prob, 0.94, 0);
    CU_ASSERT_EQUAL(o.round, -1);
    CU_ASSERT_PTR_NULL(o.vars);
    CU_ASSERT_FALSE(o.seed_given);
    CU_ASSERT(o.cfg.cores >= 1);
}

/* Every option lands in its own field, written either way. */
static void test_each_option(void)
{
    SampleOptions o;
    sample_options_init(&o);
    char err[256];
    int end;
    char *w1[] = {"--draws", "250"}, *w2[] = {"--chains=3"}, *w3[] = {"--tune", "0"};
    char *w4[] = {"--seed=4294967295"}, *w5[] = {"--cores", "2"}, *w6[] = {"--target-accept=0.95"};
    char *w7[] = {"--metric", "dense"}, *w8[] = {"--max-treedepth=12"}, *w9[] = {"--hdi-prob", "0.5"};
    char *w10[] = {"--round=3"}, *w11[] = {"--vars", "a,b"};
    CU_ASSERT_EQUAL(parse_one(&o, w1, 2, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(end, 1);   /* past the value */
    CU_ASSERT_EQUAL(parse_one(&o, w2, 1, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(end, 0);
    CU_ASSERT_EQUAL(parse_one(&o, w3, 2, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w4, 1, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w5, 2, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w6, 1, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w7, 2, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w8, 1, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w9, 2, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w10, 1, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(parse_one(&o, w11, 2, &end, err, sizeof err), SAMPLE_OPTION_OK);
    CU_ASSERT_EQUAL(o.cfg.nuts.draws, 250);
    CU_ASSERT_EQUAL(o.cfg.chains, 3);
    CU_ASSERT_EQUAL(o.cfg.nuts.tune, 0);
    CU_ASSERT_EQUAL(o.cfg.seed, 4294967295UL);
    CU_ASSERT_TRUE(o.seed_given);
    CU_ASSERT_EQUAL(o.cfg.cores, 2);
    ASSERT_CLOSE(o.cfg.nuts.target_accept, 0.95, 0);
    CU_ASSERT_EQUAL(o.cfg.nuts.metric, METRIC_DENSE);
    CU_ASSERT_EQUAL(o.cfg.nuts.max_treedepth, 12);
    ASSERT_CLOSE(o.hdi_prob, 0.5, 0);
    CU_ASSERT_EQUAL(o.round, 3);
    CU_ASSERT_STRING_EQUAL(o.vars, "a,b");
}

/* A bad value: the message, and the field left as it was. */
static void test_bad_values(void)
{
    SampleOptions o;
    sample_options_init(&o);
    char err[256];
    int end;
    char *w1[] = {"--draws", "0"}, *w2[] = {"--chains=1001"}, *w3[] = {"--seed", "-1"};
    char *w4[] = {"--target-accept=1"}, *w5[] = {"--metric", "full"}, *w6[] = {"--round"};
    char *w7[] = {"--max-treedepth", "1.5"}, *w8[] = {"--hdi-prob=abc"};
    CU_ASSERT_EQUAL(parse_one(&o, w1, 2, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--draws takes a whole number from 1 to 100000000, not '0'");
    CU_ASSERT_EQUAL(parse_one(&o, w2, 1, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--chains takes a whole number from 1 to 1000, not '1001'");
    CU_ASSERT_EQUAL(parse_one(&o, w3, 2, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--seed takes a whole number from 0 to 4294967295, not '-1'");
    CU_ASSERT_EQUAL(parse_one(&o, w4, 1, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--target-accept takes a probability strictly between 0 and 1, not '1'");
    CU_ASSERT_EQUAL(parse_one(&o, w5, 2, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--metric is auto, diag or dense, not 'full'");
    CU_ASSERT_EQUAL(parse_one(&o, w6, 1, &end, err, sizeof err), SAMPLE_OPTION_BAD);   /* value missing */
    CU_ASSERT_STRING_EQUAL(err, "--round takes a whole number from 0 to 15, not ''");
    CU_ASSERT_EQUAL(parse_one(&o, w7, 2, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--max-treedepth takes a whole number from 1 to 30, not '1.5'");
    CU_ASSERT_EQUAL(parse_one(&o, w8, 1, &end, err, sizeof err), SAMPLE_OPTION_BAD);
    CU_ASSERT_STRING_EQUAL(err, "--hdi-prob takes a probability strictly between 0 and 1, not 'abc'");
    SampleOptions fresh;
    sample_options_init(&fresh);
    CU_ASSERT_EQUAL(o.cfg.nuts.draws, fresh.cfg.nuts.draws);
    CU_ASSERT_EQUAL(o.cfg.chains, fresh.cfg.chains);
    CU_ASSERT_FALSE(o.seed_given);
    CU_ASSERT_EQUAL(o.cfg.nuts.metric, fresh.cfg.nuts.metric);
    CU_ASSERT_EQUAL(o.round, -1);

    /* the REPL's bare number of draws names itself */
    CU_ASSERT_EQUAL(sample_option_set(&o, "--draws", "x", "the number of draws", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "the number of draws takes a whole number from 1 to 100000000, not 'x'");
    CU_ASSERT_EQUAL(sample_option_set(&o, "--draws", "77", "the number of draws", err, sizeof err), 0);
    CU_ASSERT_EQUAL(o.cfg.nuts.draws, 77);
}

/* Other words are left for the caller, untouched. */
static void test_other_words(void)
{
    SampleOptions o;
    sample_options_init(&o);
    char err[256];
    int end;
    char *w1[] = {"--format", "json"}, *w2[] = {"--drawsx=5"}, *w3[] = {"ab.bm"};
    CU_ASSERT_EQUAL(parse_one(&o, w1, 2, &end, err, sizeof err), SAMPLE_OPTION_NONE);
    CU_ASSERT_EQUAL(end, 0);
    CU_ASSERT_EQUAL(parse_one(&o, w2, 1, &end, err, sizeof err), SAMPLE_OPTION_NONE);
    CU_ASSERT_EQUAL(parse_one(&o, w3, 1, &end, err, sizeof err), SAMPLE_OPTION_NONE);
    CU_ASSERT_EQUAL(o.cfg.nuts.draws, 1000);

    int i = 0;
    char *w4[] = {"--plot-kind", "forest"};
    CU_ASSERT_PTR_NULL(command_option_value(2, w4, &i, "--plot"));   /* a longer name is another option */
    CU_ASSERT_STRING_EQUAL(command_option_value(2, w4, &i, "--plot-kind"), "forest");
    CU_ASSERT_EQUAL(i, 1);
}

static void test_suggest_and_seed(void)
{
    const char *s = sample_option_suggest("--draw");
    CU_ASSERT_TRUE(s && strcmp(s, "--draws") == 0);
    s = sample_option_suggest("--chain=3");
    CU_ASSERT_TRUE(s && strcmp(s, "--chains") == 0);
    CU_ASSERT_PTR_NULL(sample_option_suggest("--qqqqqqqqqq"));

    SampleOptions o;
    sample_options_init(&o);
    o.cfg.seed = 123;
    o.seed_given = true;
    sample_options_pick_seed(&o);
    CU_ASSERT_EQUAL(o.cfg.seed, 123);
    o.seed_given = false;
    sample_options_pick_seed(&o);
    CU_ASSERT(o.cfg.seed <= 4294967295UL);   /* a seed --seed could have given */
}

/* ---- logp values ---- */

/* p ~ Beta(2, 3), 4 of 10 observed; theta[1], theta[2] ~ Normal(0, 1); the
** datum z = 0.5 ~ Normal(theta[1], 1). */
static const char *const logp_model =
    "p ~ Beta(2, 3);\n"
    "y ~ Binomial(10, p) observed 4;\n"
    "theta[2] ~ Normal(0, 1);\n"
    "data z;\n"
    "z ~ Normal(theta[1], 1);\n"
    "d = p * 2;\n"
    "c = 5;\n";

static Model *compile_logp_model(void)
{
    DataSet *ds = dataset_new();
    char err[256];
    if (!ds || test_parse_assign(ds, "z=0.5", err, sizeof err) != 0) {
        dataset_free(ds);
        return NULL;
    }
    Model *m = model_compile(source_from_text("t.bm", logp_model, strlen(logp_model)), ds, NULL);
    dataset_free(ds);
    if (m && model_ok(m) && m->ir) return m;
    if (m) diags_print(&m->diags, stderr, NULL);
    model_free(m);
    return NULL;
}

/* The message and note of the first error of d (copies, or NULL), and d
** cleared. */
static char *first_error(Diags *d, char **note)
{
    char *error = d->n > 0 ? strdup(d->items[0].message) : NULL;
    *note = d->n > 0 && d->items[0].note ? strdup(d->items[0].note) : NULL;
    if (d->n > 0) CU_ASSERT_EQUAL(d->items[0].code, DIAG_VALUE);
    diags_clear(d);
    return error;
}

/* Assigns items in order; the message of the first refused, or NULL. */
static char *assign_all(LogpValues *v, const char *const *items, char **note)
{
    Diags d;
    diags_init(&d, NULL);
    for (int i = 0; items[i]; i++)
        if (logp_assign(v, items[i], ":data", &d) != 0) return first_error(&d, note);
    *note = NULL;
    return NULL;
}

/* logp_evaluate's result, its message and note into *error and *note. */
static int evaluate(LogpValues *v, const char *usage, char **error, char **note)
{
    Diags d;
    diags_init(&d, NULL);
    int rc = logp_evaluate(v, usage, &d);
    *error = first_error(&d, note);
    return rc;
}

static void test_logp_elements_and_density(void)
{
    Model *m = compile_logp_model();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    LogpValues v;
    CU_ASSERT_EQUAL_FATAL(logp_values_init(&v, m), 0);
    CU_ASSERT_EQUAL_FATAL(v.n, 3);
    CU_ASSERT_STRING_EQUAL(v.el[0].name, "p");
    CU_ASSERT_STRING_EQUAL(v.el[1].name, "theta[1]");
    CU_ASSERT_STRING_EQUAL(v.el[2].name, "theta[2]");

    const char *const items[] = {"theta=[0.1, -0.2]", "p=0.3", NULL};
    char *note, *error = assign_all(&v, items, &note);
    CU_ASSERT_PTR_NULL(error);
    CU_ASSERT_EQUAL(evaluate(&v, ":logp", &error, &note), 0);
    /* GSL's densities: Beta(0.3 | 2, 3), Binomial(4 | 10, 0.3), N(0.1), N(-0.2), N(0.5 - 0.1) */
    double want = log(gsl_ran_beta_pdf(0.3, 2, 3)) + log(gsl_ran_binomial_pdf(4, 0.3, 10)) +
                  log(gsl_ran_gaussian_pdf(0.1, 1)) + log(gsl_ran_gaussian_pdf(-0.2, 1)) +
                  log(gsl_ran_gaussian_pdf(0.4, 1));
    ASSERT_CLOSE(v.lp, want, 1e-12);
    /* by hand: d/dp [(2 - 1 + 4) log p + (3 - 1 + 6) log(1 - p)] = 5/p - 8/(1 - p);
    ** d/dtheta1 [-theta1^2/2 - (0.5 - theta1)^2/2] = -theta1 + (0.5 - theta1) = 0.3;
    ** d/dtheta2 [-theta2^2/2] = -theta2 = 0.2 */
    ASSERT_CLOSE(v.grad[0], 5 / 0.3 - 8 / 0.7, 1e-12);
    ASSERT_CLOSE(v.grad[1], 0.3, 1e-12);
    ASSERT_CLOSE(v.grad[2], 0.2, 1e-12);

    /* the same values element by element give the same density */
    LogpValues e;
    CU_ASSERT_EQUAL_FATAL(logp_values_init(&e, m), 0);
    const char *const by_element[] = {"p=0.3", "theta[2]=-0.2", "theta[1]=0.1", NULL};
    error = assign_all(&e, by_element, &note);
    CU_ASSERT_PTR_NULL(error);
    CU_ASSERT_EQUAL(evaluate(&e, ":logp", &error, &note), 0);
    ASSERT_CLOSE(e.lp, want, 1e-12);

    /* the table: names padded to the longest ("theta[1]", 8), 17 digits */
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    logp_print(f, &v);
    fclose(f);
    char want_text[512];
    snprintf(want_text, sizeof want_text, "logp = %.17g\ngradient:\n  p         %.17g\n  theta[1]  %.17g\n"
             "  theta[2]  %.17g\n", v.lp, v.grad[0], v.grad[1], v.grad[2]);
    CU_ASSERT_STRING_EQUAL(text, want_text);
    free(text);

    /* JSON: read back, the same numbers */
    f = open_memstream(&text, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(logp_print_json(f, &v), 0);
    fclose(f);
    json_t *root = json_loads(text, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    ASSERT_CLOSE(json_real_value(json_object_get(root, "logp")), want, 1e-12);
    ASSERT_CLOSE(json_real_value(json_object_get(json_object_get(root, "gradient"), "theta[1]")), 0.3, 1e-12);
    json_decref(root);
    free(text);

    logp_values_free(&e);
    logp_values_free(&v);
    model_free(m);
}

/* Each refused item: its error and note. */
static void test_logp_refusals(void)
{
    static const struct {
        const char *item, *error, *note;   /* note NULL: none */
    } cases[] = {
        {"p=[1]", "'p=[1]': 'p' is one number: write p=VALUE", NULL},
        {"theta=1", "'theta=1': 'theta' has 2 elements: write theta=[v1, v2, ...] or theta[1]=...", NULL},
        {"theta=[1]", "'theta=[1]': 'theta' has 2 elements, but 1 value is given", NULL},
        {"theta=[1, 2, 3]", "'theta=[1, 2, 3]': 'theta' has 2 elements, but 3 values are given", NULL},
        {"theta=[1 2]", "'theta=[1 2]': expected theta=[v1, v2, ...], finite numbers separated by ','", NULL},
        {"p=x", "'p=x': 'x' is not a finite number", NULL},
        {"p=inf", "'p=inf': 'inf' is not a finite number", NULL},
        {"=1", "'=1': expected name=value", NULL},
        {"d=1", "'d' is not a parameter of the model", "'d' is computed from the parameters; give the parameters"},
        {"c=1", "'c' is not a parameter of the model", "'c' is a constant of the model"},
        {"z=1", "'z' is not a parameter of the model", "'z' is data; give it with :data"},
        {"y=1", "'y' is not a parameter of the model", "'y' is data"},
        {"theta[3]=1", "'theta[3]' is not a parameter of the model", "'theta' has 2 elements"},
        {"tehta[1]=1", "'tehta[1]' is not a parameter of the model", "did you mean 'theta[1]'?"},
        {"qqqqqq=1", "'qqqqqq' is not a parameter of the model", "the parameters are p, theta"},
    };
    Model *m = compile_logp_model();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        LogpValues v;
        CU_ASSERT_EQUAL_FATAL(logp_values_init(&v, m), 0);
        const char *const items[] = {cases[k].item, NULL};
        char *note, *error = assign_all(&v, items, &note);
        CU_ASSERT_TRUE(error && strcmp(error, cases[k].error) == 0);
        bool note_right = cases[k].note ? note && strcmp(note, cases[k].note) == 0 : !note;
        CU_ASSERT_TRUE(note_right);
        if (!error || strcmp(error, cases[k].error) != 0 || !note_right)
            fprintf(stderr, "\n  %s: got '%s' / '%s'\n", cases[k].item, error ? error : "", note ? note : "");
        free(error);
        free(note);
        logp_values_free(&v);
    }

    /* given twice, then missing and outside the support at evaluation */
    LogpValues v;
    CU_ASSERT_EQUAL_FATAL(logp_values_init(&v, m), 0);
    const char *const twice[] = {"theta[1]=0", "theta=[1, 2]", NULL};
    char *note, *error = assign_all(&v, twice, &note);
    CU_ASSERT_TRUE(error && strcmp(error, "'theta[1]' is given twice") == 0);
    free(error);
    free(note);
    CU_ASSERT_EQUAL(evaluate(&v, "bmc logp t.bm", &error, &note), -1);
    CU_ASSERT_TRUE(error && strcmp(error, "no value for parameter 'p'") == 0);
    CU_ASSERT_TRUE(note && strcmp(note, "give every parameter element: bmc logp t.bm p=...") == 0);
    free(error);
    free(note);
    const char *const rest[] = {"p=1.5", "theta[2]=0", NULL};
    error = assign_all(&v, rest, &note);
    CU_ASSERT_PTR_NULL(error);
    CU_ASSERT_EQUAL(evaluate(&v, ":logp", &error, &note), -1);
    CU_ASSERT_TRUE(error && strcmp(error, "p = 1.5 is outside the support of its prior Beta: (0, 1)") == 0);
    CU_ASSERT_PTR_NULL(note);
    free(error);
    free(note);
    logp_values_free(&v);
    model_free(m);
}

/* --init's values: read as logp reads its items (a list split at commas
** outside brackets), then on the sampler's unconstrained scale: p in
** (0, 1) by its log-odds, log(0.25 / 0.75) = log(1/3) by hand, theta as
** it is; elements not given are NaN. */
static void test_initial_values(void)
{
    Model *m = compile_logp_model();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    LogpValues v;
    double u[3];
    Diags d;
    diags_init(&d, NULL);
    CU_ASSERT_EQUAL_FATAL(logp_values_init(&v, m), 0);
    CU_ASSERT_EQUAL(logp_assign_list(&v, "theta=[0.5, -1], p=0.25", ":data", &d), 0);
    CU_ASSERT_EQUAL(logp_unconstrain(&v, u, &d), 0);
    ASSERT_CLOSE(u[0], -1.0986122886681098, 1e-15);
    CU_ASSERT_EQUAL(u[1], 0.5);
    CU_ASSERT_EQUAL(u[2], -1);
    logp_values_free(&v);

    /* a number for a vector sets every element where scalar_fills says so */
    CU_ASSERT_EQUAL_FATAL(logp_values_init(&v, m), 0);
    v.scalar_fills = true;
    CU_ASSERT_EQUAL(logp_assign_list(&v, "theta=2", ":data", &d), 0);
    CU_ASSERT_EQUAL(logp_unconstrain(&v, u, &d), 0);
    CU_ASSERT(isnan(u[0]) && u[1] == 2 && u[2] == 2);
    logp_values_free(&v);
    CU_ASSERT_EQUAL(d.n, 0);

    /* the errors are logp's, word for word */
    static const struct { const char *list, *error; } bad[] = {
        {"p=bad", "'p=bad': 'bad' is not a finite number"},
        {"theta[1]=0,p", "'p': expected name=value"},
        {"p=1.5", "p = 1.5 is outside the support of its prior Beta: (0, 1)"},
        {"p=0.5,p=0.2", "'p' is given twice"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        CU_ASSERT_EQUAL_FATAL(logp_values_init(&v, m), 0);
        bool failed = logp_assign_list(&v, bad[k].list, ":data", &d) != 0 || logp_unconstrain(&v, u, &d) != 0;
        CU_ASSERT(failed);
        char *note, *error = first_error(&d, &note);
        CU_ASSERT_TRUE(error && strcmp(error, bad[k].error) == 0);
        if (!error || strcmp(error, bad[k].error) != 0) fprintf(stderr, "\n  %s: got '%s'\n", bad[k].list, error ? error : "");
        free(error);
        free(note);
        logp_values_free(&v);
    }
    model_free(m);
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo options[] = {
        {"defaults", test_defaults},
        {"each option", test_each_option},
        {"bad values", test_bad_values},
        {"other words", test_other_words},
        {"suggestions and seed", test_suggest_and_seed},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo logp[] = {
        {"elements and density", test_logp_elements_and_density},
        {"refusals", test_logp_refusals},
        {"initial values", test_initial_values},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"sampling options", NULL, NULL, NULL, NULL, options},
        {"logp values", NULL, NULL, NULL, NULL, logp},
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
