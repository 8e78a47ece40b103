/*
** sample_options.c -- reading the sampling and table options into a
** RunConfig and the report's choices, with the messages `bmc run` and
** :sample give for a bad value.
*/
#include "sample_options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "diag.h"

typedef enum {
    VALUE_COUNT,             /* a whole number in [lo, hi], into an int */
    VALUE_SEED,              /* a whole number in [lo, hi], into an unsigned long; marks the seed given */
    VALUE_PROBABILITY,       /* in (0, 1), into a double */
    VALUE_METRIC,            /* auto, diag or dense */
    VALUE_SAMPLER,           /* auto or nuts */
    VALUE_PREDICTIVE,        /* a flag, no value: sets the Predictive in lo */
    VALUE_FLAG,              /* a flag, no value: sets a bool */
    VALUE_QUANTILES,         /* probabilities in [0, 1], comma-separated, into quantiles and nquantiles */
    VALUE_TEXT               /* kept as written */
} ValueKind;

typedef struct OptionSpec {
    const char *name;
    ValueKind kind;
    long lo, hi;
    size_t field;            /* where in SampleOptions the value goes */
    bool summary;            /* says how to summarise draws, not how to make them */
} OptionSpec;

/* In the order suggestions prefer them. */
static const OptionSpec specs[] = {
    {"--draws", VALUE_COUNT, 1, 100000000, offsetof(SampleOptions, cfg.nuts.draws), false},
    {"--chains", VALUE_COUNT, 1, 1000, offsetof(SampleOptions, cfg.chains), false},
    {"--tune", VALUE_COUNT, 0, 100000000, offsetof(SampleOptions, cfg.nuts.tune), false},
    {"--seed", VALUE_SEED, 0, 4294967295L, offsetof(SampleOptions, cfg.seed), false},
    {"--cores", VALUE_COUNT, 1, 1024, offsetof(SampleOptions, cfg.cores), false},
    {"--target-accept", VALUE_PROBABILITY, 0, 0, offsetof(SampleOptions, cfg.nuts.target_accept), false},
    {"--metric", VALUE_METRIC, 0, 0, offsetof(SampleOptions, cfg.nuts.metric), false},
    {"--sampler", VALUE_SAMPLER, 0, 0, offsetof(SampleOptions, sampler), false},
    {"--prior", VALUE_PREDICTIVE, PREDICT_PRIOR, 0, offsetof(SampleOptions, predictive), false},
    {"--predict", VALUE_PREDICTIVE, PREDICT_POSTERIOR, 0, offsetof(SampleOptions, predictive), false},
    {"--max-treedepth", VALUE_COUNT, 1, 30, offsetof(SampleOptions, cfg.nuts.max_treedepth), false},
    {"--thin", VALUE_COUNT, 1, 100000000, offsetof(SampleOptions, cfg.thin), false},
    {"--save-warmup", VALUE_FLAG, 0, 0, offsetof(SampleOptions, cfg.save_warmup), false},
    {"--chain-ids", VALUE_COUNT, 1, 1000000000, offsetof(SampleOptions, cfg.first_id), false},
    {"--hdi-prob", VALUE_PROBABILITY, 0, 0, offsetof(SampleOptions, hdi_prob), true},
    {"--round", VALUE_COUNT, 0, 15, offsetof(SampleOptions, round), true},
    {"--vars", VALUE_TEXT, 0, 0, offsetof(SampleOptions, vars), true},
    {"--quantiles", VALUE_QUANTILES, 0, 0, offsetof(SampleOptions, quantiles), true},
    {"--strict", VALUE_FLAG, 0, 0, offsetof(SampleOptions, strict), true},
    {"--log-lik", VALUE_FLAG, 0, 0, offsetof(SampleOptions, log_lik), false},
    {"--loo", VALUE_FLAG, 0, 0, offsetof(SampleOptions, loo), false},
};
#define NSPECS ((int)(sizeof specs / sizeof *specs))

void sample_options_init(SampleOptions *o)
{
    memset(o, 0, sizeof *o);
    o->cfg.nuts = nuts_default_config();
    o->cfg.chains = 4;
    o->cfg.thin = 1;
    o->cfg.first_id = 1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->cfg.cores = cores > 0 ? (int)cores : 1;
    o->hdi_prob = 0.94;
    o->round = -1;
}

const char *command_option_value(int nwords, char **words, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(words[*i], name, n) != 0) return NULL;
    if (words[*i][n] == '=') return words[*i] + n + 1;
    if (words[*i][n] != '\0') return NULL;
    if (*i + 1 >= nwords) return "";
    return words[++*i];
}

static int parse_whole(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno || x < lo || x > hi) return -1;
    *v = x;
    return 0;
}

static int parse_probability(const char *s, double *v)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end || !(x > 0 && x < 1)) return -1;
    *v = x;
    return 0;
}

static int parse_metric(const char *s, MetricKind *v)
{
    if (strcmp(s, "auto") == 0) *v = METRIC_AUTO;
    else if (strcmp(s, "diag") == 0) *v = METRIC_DIAG;
    else if (strcmp(s, "dense") == 0) *v = METRIC_DENSE;
    else return -1;
    return 0;
}

int sample_sampler_parse(const char *s, SamplerKind *v)
{
    if (strcmp(s, "auto") == 0) *v = SAMPLER_AUTO;
    else if (strcmp(s, "nuts") == 0) *v = SAMPLER_NUTS;
    else if (strcmp(s, "exact") == 0) *v = SAMPLER_EXACT;
    else return -1;
    return 0;
}

/* "0.05,0.5,0.95" into o's quantiles.  Returns 0, or -1 with the reason. */
static int parse_quantiles(SampleOptions *o, const char *value, const char *label, char *err, size_t errlen)
{
    int n = 0;
    const char *p = value;
    do {
        char *end;
        double x = strtod(p, &end);
        if (end == p || (*end && *end != ',') || !(x >= 0 && x <= 1)) {
            snprintf(err, errlen, "%s takes probabilities from 0 to 1 separated by commas (0.05,0.5,0.95), not '%s'",
                     label, value);
            return -1;
        }
        if (n == REPORT_MAX_QUANTILES) {
            snprintf(err, errlen, "%s takes at most %d probabilities", label, REPORT_MAX_QUANTILES);
            return -1;
        }
        o->quantiles[n++] = x;
        p = *end ? end + 1 : end;
    } while (*p);
    o->nquantiles = n;
    return 0;
}

/* The options that say how NUTS samples, and nothing else: of no use to
** a model drawn exactly (SampleOptions.nuts_option). */
static const char *const nuts_only[] = {"--tune", "--target-accept", "--metric", "--max-treedepth", "--save-warmup"};

/* Reads value as spec says into o.  Returns 0, or -1 with the reason. */
static int take(SampleOptions *o, const OptionSpec *spec, const char *value, const char *label, char *err,
                size_t errlen)
{
    void *field = (char *)o + spec->field;
    for (size_t k = 0; k < sizeof nuts_only / sizeof *nuts_only; k++)
        if (strcmp(spec->name, nuts_only[k]) == 0) o->nuts_option = spec->name;
    long whole;
    switch (spec->kind) {
    case VALUE_COUNT:
    case VALUE_SEED:
        if (parse_whole(value, spec->lo, spec->hi, &whole) != 0) {
            snprintf(err, errlen, "%s takes a whole number from %ld to %ld, not '%s'", label, spec->lo, spec->hi,
                     value);
            return -1;
        }
        if (spec->kind == VALUE_COUNT) *(int *)field = (int)whole;
        else *(unsigned long *)field = (unsigned long)whole;
        o->seed_given |= spec->kind == VALUE_SEED;
        return 0;
    case VALUE_PROBABILITY:
        if (parse_probability(value, field) == 0) return 0;
        snprintf(err, errlen, "%s takes a probability strictly between 0 and 1, not '%s'", label, value);
        return -1;
    case VALUE_METRIC:
        if (parse_metric(value, field) == 0) return 0;
        snprintf(err, errlen, "%s is auto, diag or dense, not '%s'", label, value);
        return -1;
    case VALUE_PREDICTIVE: {
        Predictive *p = field;
        if (*p != PREDICT_NONE && *p != (Predictive)spec->lo) {
            snprintf(err, errlen, "--prior and --predict are two runs: choose one");
            return -1;
        }
        *p = (Predictive)spec->lo;
        return 0;
    }
    case VALUE_SAMPLER:
        if (sample_sampler_parse(value, field) == 0) return 0;
        snprintf(err, errlen, "%s is auto, nuts or exact, not '%s'", label, value);
        return -1;
    case VALUE_FLAG:
        *(bool *)field = true;
        return 0;
    case VALUE_QUANTILES:
        return parse_quantiles(o, value, label, err, errlen);
    case VALUE_TEXT:
        *(const char **)field = value;
        return 0;
    }
    return -1;
}

int sample_option_set(SampleOptions *o, const char *name, const char *value, const char *label, char *err,
                      size_t errlen)
{
    for (int k = 0; k < NSPECS; k++)
        if (strcmp(specs[k].name, name) == 0) return take(o, &specs[k], value, label ? label : name, err, errlen);
    snprintf(err, errlen, "unknown option '%s'", name);
    return -1;
}

/* The options of specs that summary_only allows at words[*i]. */
static SampleOptionResult parse_option(SampleOptions *o, bool summary_only, int nwords, char **words, int *i,
                                       char *err, size_t errlen)
{
    for (int k = 0; k < NSPECS; k++) {
        if (summary_only && !specs[k].summary) continue;
        if (specs[k].kind == VALUE_PREDICTIVE || specs[k].kind == VALUE_FLAG) {   /* a flag: the word alone */
            if (strcmp(words[*i], specs[k].name) != 0) continue;
            return take(o, &specs[k], "", specs[k].name, err, errlen) == 0 ? SAMPLE_OPTION_OK : SAMPLE_OPTION_BAD;
        }
        const char *value = command_option_value(nwords, words, i, specs[k].name);
        if (value) return take(o, &specs[k], value, specs[k].name, err, errlen) == 0 ? SAMPLE_OPTION_OK
                                                                                    : SAMPLE_OPTION_BAD;
    }
    return SAMPLE_OPTION_NONE;
}

SampleOptionResult sample_option_parse(SampleOptions *o, int nwords, char **words, int *i, char *err,
                                       size_t errlen)
{
    return parse_option(o, false, nwords, words, i, err, errlen);
}

SampleOptionResult summary_option_parse(SampleOptions *o, int nwords, char **words, int *i, char *err,
                                        size_t errlen)
{
    return parse_option(o, true, nwords, words, i, err, errlen);
}

ReportOptions sample_report_options(const SampleOptions *o, const int *which, int nwhich, bool color)
{
    ReportOptions ro = { .hdi_prob = o->hdi_prob, .round = o->round, .which = which, .nwhich = nwhich,
                         .color = color, .quantiles = o->quantiles, .nquantiles = o->nquantiles };
    return ro;
}

const char *sample_option_suggest(const char *word)
{
    const char *names[NSPECS];
    for (int k = 0; k < NSPECS; k++) names[k] = specs[k].name;
    char name[64];
    size_t n = strcspn(word, "=");
    snprintf(name, sizeof name, "%.*s", (int)(n < 60 ? n : 60), word);
    return diag_suggest_abbrev(name, names, NSPECS);
}

CompileOptions sample_compile_options(const SampleOptions *o)
{
    CompileOptions c = COMPILE_FULL;
    c.keep_leaves = o->sampler == SAMPLER_NUTS;
    c.conjugate = o->sampler != SAMPLER_NUTS;
    c.predictive = o->predictive;
    c.log_lik = o->log_lik || o->loo;   /* LOO needs the points */
    return c;
}

void sample_options_pick_seed(SampleOptions *o)
{
    if (!o->seed_given) o->cfg.seed = ((unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16)) % 4294967296UL;
}
