/*
** sample_options.h -- the options that say how to sample and how to show
** the draws (--draws, --chains, --tune, --seed, --cores, --target-accept,
** --metric, --sampler, --max-treedepth, --hdi-prob, --round, --vars,
** --quantiles, --strict), read the same way by `bmc run`, `bmc compare` and
** the REPL's :sample; those of the summary alone also by `bmc summary`.
*/
#ifndef BMC_SAMPLE_OPTIONS_H
#define BMC_SAMPLE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include "compile.h"
#include "report.h"
#include "run.h"

/* How the draws are made.  auto: NUTS for the parameters the log density
** needs, and an exact draw of every '~' it does not (a generated quantity);
** nuts: NUTS for every continuous '~', the discrete ones drawn; exact: as
** auto, and a model whose draws would need NUTS is refused (a script that
** relies on independent draws says so). */
typedef enum { SAMPLER_AUTO, SAMPLER_NUTS, SAMPLER_EXACT } SamplerKind;

typedef struct SampleOptions {
    RunConfig cfg;           /* cfg.seed holds only when seed_given, until sample_options_pick_seed */
    bool seed_given;
    double hdi_prob;         /* of the table's interval */
    int round;               /* digits after the point; -1 chooses per column */
    const char *vars;        /* the quantities to show, as given; NULL for all (borrowed) */
    SamplerKind sampler;     /* decides how a model is compiled: see SamplerKind */
    const char *nuts_option; /* the last option given of those only NUTS uses (--tune, --metric, ...),
                             ** NULL for none: a model drawn exactly is told it has no effect */
    Predictive predictive;   /* --prior, --predict: the draws of observed values (lower.h) */
    double quantiles[REPORT_MAX_QUANTILES];  /* --quantiles 0.05,0.5,0.95: extra columns q5, q50, q95 */
    int nquantiles;
    bool strict;             /* --strict: a convergence warning ends the command with EXIT_CONVERGENCE */
    bool log_lik;            /* --log-lik: pointwise log-likelihood columns (CompileOptions.log_lik) */
    bool loo;                /* --loo: PSIS-LOO and WAIC of the run (implies log_lik) */
} SampleOptions;

typedef enum {
    SAMPLE_OPTION_NONE,      /* not one of these options */
    SAMPLE_OPTION_OK,        /* taken */
    SAMPLE_OPTION_BAD        /* one of them, with a bad value: the reason is in err */
} SampleOptionResult;

/* The defaults: 4 chains, a core for each processor online, NUTS's
** defaults, a 94% interval, rounding per column. */
void sample_options_init(SampleOptions *o);

/* Takes "--name value" or "--name=value" at words[*i] (advancing *i past a
** value it used; a value missing at the end is ""), or returns
** SAMPLE_OPTION_NONE leaving *i alone.  err receives the reason for
** SAMPLE_OPTION_BAD, without "error: ". */
SampleOptionResult sample_option_parse(SampleOptions *o, int nwords, char **words, int *i, char *err,
                                       size_t errlen);

/* The same for the options that say how to summarise draws already made
** (--hdi-prob, --round, --vars, --quantiles, --strict), for the commands
** that read saved draws. */
SampleOptionResult summary_option_parse(SampleOptions *o, int nwords, char **words, int *i, char *err,
                                        size_t errlen);

/* The report's options of o: its interval, rounding and quantiles, the
** variables which selects (NULL: all). */
ReportOptions sample_report_options(const SampleOptions *o, const int *which, int nwhich, bool color);

/* "--name value" or "--name=value" at words[*i]: the value (advancing *i
** past it when it is the next word; "" when it is missing at the end), or
** NULL when words[*i] is another option.  For the commands' other options
** too, so that all are written alike. */
const char *command_option_value(int nwords, char **words, int *i, const char *name);

/* Sets option name (as "--draws") to value; label names it in the message
** (NULL: the name).  Returns 0, or -1 with the reason in err. */
int sample_option_set(SampleOptions *o, const char *name, const char *value, const char *label, char *err,
                      size_t errlen);

/* The option most like word (an unknown option as typed, perhaps with
** "=value"), or NULL when none is close. */
const char *sample_option_suggest(const char *word);

/* "auto", "nuts" or "exact" into *v; -1 for any other word. */
int sample_sampler_parse(const char *s, SamplerKind *v);

/* How a model is compiled to be sampled with o: a full compile, whose
** continuous leaves stay parameters under --sampler nuts. */
CompileOptions sample_compile_options(const SampleOptions *o);

/* A seed from the clock and the process, unless one was given. */
void sample_options_pick_seed(SampleOptions *o);

#endif
