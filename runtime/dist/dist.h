/*
** dist.h -- the distribution table.
**
** Every distribution bmc knows is one DistInfo entry: its arguments and
** their constraints, its support, its log density with the partial
** derivatives, a random generator, mean and standard deviation.  The entries are
** written with designated initialisers beside their kernels
** (dist_continuous.c, dist_discrete.c) and listed in DIST_ENTRIES
** (dist_entries.h).  Adding a distribution is adding an entry with its
** name in that list, its reference values in tests/unit/test_dist.c and
** test_dist_random.c, and its section of docs/language.md; a test fails
** while any of those is missing.  Nothing else in bmc names a
** distribution.
**
** Parameterisations and argument names follow PyMC.
*/
#ifndef BMC_DIST_H
#define BMC_DIST_H

#include <stdbool.h>
#include <gsl/gsl_rng.h>

#define DIST_MAX_ARGS 3
#define DIST_WANT_ALL (~0u)    /* every partial derivative, for logpdf's want */
#define DIST_WANT(k)  (1u << (k))

/* What values an argument may take. */
typedef enum {
    ARG_REAL,      /* any finite real */
    ARG_POSITIVE,  /* finite, > 0 */
    ARG_UNIT,      /* a probability, in [0, 1] */
    ARG_COUNT      /* an integer >= 0 that must be known data (Binomial's n) */
} ArgConstraint;

/* Where the distribution puts its mass. */
typedef enum {
    SUPPORT_REAL,          /* (-inf, inf) */
    SUPPORT_POSITIVE,      /* (0, inf) */
    SUPPORT_UNIT,          /* (0, 1) */
    SUPPORT_INTERVAL,      /* (arg[0], arg[1]): Uniform(lower, upper) */
    SUPPORT_COUNT,         /* 0, 1, 2, ... */
    SUPPORT_BOUNDED_COUNT, /* 0, 1, ..., n: n is the ARG_COUNT argument
                           ** (Binomial(n, p): arg[0]; BetaBinomial: arg[2]) */
    SUPPORT_BINARY,        /* {0, 1} */
    SUPPORT_POSITIVE_COUNT /* 1, 2, 3, ...: Geometric(p) */
} Support;

typedef struct DistInfo {
    const char *name;                          /* "Beta": PyMC's name */
    int nargs;
    const char *arg_names[DIST_MAX_ARGS];      /* PyMC's keyword names */
    ArgConstraint arg_constraint[DIST_MAX_ARGS];
    Support support;
    bool discrete;                             /* values are integers */
    bool improper;                             /* Flat, HalfFlat: no random, mean or sd */
    const char *summary;                       /* one line for help and docs */

    /* Log density at x, normalising constants included (0 for the improper
    ** ones).  Arguments are assumed valid and x in the support; callers
    ** check.  When d is not NULL it receives the partial derivatives that
    ** want asks for (bit 0: d[0] = d/dx, 0 for discrete distributions; bit
    ** 1 + k: d[1 + k] = d/d arg[k], 0 for ARG_COUNT arguments); the others
    ** may be left unwritten.  Priors with data arguments want only d/dx,
    ** which spares the digammas of the shape derivatives. */
    double (*logpdf)(double x, const double *arg, double *d, unsigned want);

    /* One draw; NULL for improper distributions. */
    double (*random)(const gsl_rng *r, const double *arg);

    /* Mean and standard deviation; NAN where undefined (Cauchy), INFINITY
    ** where infinite; NULL for improper distributions.  Computed without
    ** squares or sums that overflow or underflow on the way (Normal(0,
    ** 1e200) has sd 1e200, Beta(1e-200, 1e-200) sd 0.5): finite wherever
    ** the value itself is a finite double. */
    double (*mean)(const double *arg);
    double (*sd)(const double *arg);

    /* Sufficient statistics, for families that have them (0 and NULL
    ** otherwise): the summed log density of n values that share every
    ** argument depends on the values only through nstats numbers.
    ** suff_stats fills s[0 .. nstats) once (arg holds the arguments that
    ** are data; the others are NAN); suff_logpdf returns the sum, and when
    ** d is not NULL the partials d[k] in arg[k] (0 for ARG_COUNT). */
    int nstats;
    void (*suff_stats)(const double *x, long n, const double *arg, double *s);
    double (*suff_logpdf)(const double *s, const double *arg, double *d);

    /* The log density in two parts, for families whose normalising constant
    ** depends on the value and the ARG_COUNT arguments alone (NULL
    ** otherwise): logpdf = data_part + logpdf_rest.  A likelihood of data
    ** sums data_part once when compiled, and evaluates only the rest (with
    ** logpdf's partials) at every gradient: log C(n, k) of a binomial then
    ** costs nothing while sampling. */
    double (*data_part)(double x, const double *arg);
    double (*logpdf_rest)(double x, const double *arg, double *d, unsigned want);

    /* For a distribution on (0, 1) (NULL otherwise): the log density at
    ** x = inv_logit(t), from the log-odds t, so that values too near 0 or 1
    ** for a double to tell apart from them keep their density.  d[0] is
    ** d/dt (not d/dx), d[1 + k] as for logpdf; arguments assumed valid. */
    double (*logpdf_logodds)(double t, const double *arg, double *d, unsigned want);

    /* For a prior (NULL: never): where its density, on the scale NUTS
    ** samples it (log x, or the log-odds of x), has a tail so much gentler
    ** than the other side that NUTS cannot follow both ("near 0"), or NULL
    ** for these arguments; and what to use instead.  Gamma(0.001, 1) puts
    ** most of its mass at log x < -100 behind a steep wall at the mode:
    ** the divergences that follow bias every draw. */
    const char *(*lopsided)(const double *arg);
    const char *lopsided_advice;

    /* Another parameterisation of the family of the entry of the same name
    ** before it (Bernoulli(logit_p = t) besides Bernoulli(p)), chosen by
    ** its keyword; listings show the first only. */
    bool alternative;

    /* The parameterisation of this family whose probability argument is
    ** given as log-odds (NULL when there is none): a likelihood whose p is
    ** inv_logit(t) is compiled to it, with t in p's place. */
    const struct DistInfo *logit_form;
} DistInfo;

/* The entry called name (exact, case-sensitive), or NULL. */
const DistInfo *dist_lookup(const char *name);

/* The parameterisation of d's family whose argument names include each
** of the n keywords (NULL ones skipped): d itself when it has them, else
** an alternative entry of the same name; NULL when none has them all. */
const DistInfo *dist_variant(const DistInfo *d, const char *const *keywords, int n);

/* The table, for listing and completion: entries 0 .. dist_count()-1;
** dist_index is the inverse of dist_at (-1 for no entry). */
int dist_count(void);
const DistInfo *dist_at(int i);
int dist_index(const DistInfo *d);

/* Whether arg[k] satisfies the constraint of argument k. */
bool dist_arg_valid(const DistInfo *d, int k, double value);

/* Whether x lies in the support given the arguments (integrality included
** for discrete distributions). */
bool dist_in_support(const DistInfo *d, double x, const double *arg);

/* Human description of the support, for messages: "(0, 1)",
** "0, 1, ..., n", "the real line". */
const char *dist_support_text(const DistInfo *d);

/* What an argument with constraint c must be, for messages: "positive",
** "a probability in [0, 1]". */
const char *dist_constraint_text(ArgConstraint c);

/* A call with its argument values, for messages: "Gamma(0.001, 1)", or
** with named the arguments' names, "Binomial(n = 10, p = 1)".  Writes at
** most size bytes. */
void dist_call_text(const DistInfo *d, const double *arg, bool named, char *buf, size_t size);

#endif
