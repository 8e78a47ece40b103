/*
** dist.c -- the distribution table, and what is asked of it: lookups by
** name and by keywords, argument constraints, supports, and their words
** in messages.
**
** The entries are static const and nothing here keeps state: every
** function is re-entrant.
*/
#include "dist.h"

#include <math.h>
#include <string.h>
#include "dist_entries.h"

/* In listing order: every first parameterisation, then the others. */
#define DIST_POINTER(name) &dist_##name,
static const DistInfo *const TABLE[] = { DIST_ENTRIES(DIST_POINTER) };
#undef DIST_POINTER

#define NDIST ((int)(sizeof TABLE / sizeof TABLE[0]))

/* ------------------------------------------------------------ queries */

const DistInfo *dist_lookup(const char *name)
{
    if (name == NULL) return NULL;
    for (int i = 0; i < NDIST; i++)
        if (strcmp(TABLE[i]->name, name) == 0) return TABLE[i];
    return NULL;
}

static bool has_keywords(const DistInfo *d, const char *const *keywords, int n)
{
    for (int i = 0; i < n; i++) {
        if (!keywords[i]) continue;
        bool found = false;
        for (int k = 0; k < d->nargs; k++) found = found || strcmp(d->arg_names[k], keywords[i]) == 0;
        if (!found) return false;
    }
    return true;
}

const DistInfo *dist_variant(const DistInfo *d, const char *const *keywords, int n)
{
    if (d == NULL) return NULL;
    for (int i = 0; i < NDIST; i++)
        if (strcmp(TABLE[i]->name, d->name) == 0 && has_keywords(TABLE[i], keywords, n)) return TABLE[i];
    return NULL;
}

int dist_count(void) { return NDIST; }

const DistInfo *dist_at(int i)
{
    return i >= 0 && i < NDIST ? TABLE[i] : NULL;
}

int dist_index(const DistInfo *d)
{
    for (int i = 0; i < NDIST; i++)
        if (TABLE[i] == d) return i;   /* equality: no ordering of unrelated pointers */
    return -1;
}

bool dist_arg_valid(const DistInfo *d, int k, double value)
{
    if (d == NULL || k < 0 || k >= d->nargs || !isfinite(value)) return false;
    switch (d->arg_constraint[k]) {
    case ARG_REAL: return true;
    case ARG_POSITIVE: return value > 0;
    case ARG_UNIT: return value >= 0 && value <= 1;
    /* 2^53: beyond it not every integer is a double */
    case ARG_COUNT: return value >= 0 && value <= 9007199254740992.0 && value == floor(value);
    }
    return false;
}

/* The upper end of a bounded count: the ARG_COUNT argument. */
static double count_bound(const DistInfo *d, const double *arg)
{
    for (int k = 0; k < d->nargs; k++)
        if (d->arg_constraint[k] == ARG_COUNT) return arg[k];
    return -1;
}

bool dist_in_support(const DistInfo *d, double x, const double *arg)
{
    if (d == NULL || !isfinite(x)) return false;
    bool whole = x == floor(x);
    switch (d->support) {
    case SUPPORT_REAL: return true;
    case SUPPORT_POSITIVE: return x > 0;
    case SUPPORT_UNIT: return x > 0 && x < 1;
    case SUPPORT_INTERVAL: return x > arg[0] && x < arg[1];
    case SUPPORT_COUNT: return whole && x >= 0;
    case SUPPORT_BOUNDED_COUNT: return whole && x >= 0 && x <= count_bound(d, arg);
    case SUPPORT_BINARY: return x == 0 || x == 1;
    case SUPPORT_POSITIVE_COUNT: return whole && x >= 1;
    }
    return false;
}

const char *dist_support_text(const DistInfo *d)
{
    switch (d->support) {
    case SUPPORT_REAL: return "the real line";
    case SUPPORT_POSITIVE: return "(0, inf)";
    case SUPPORT_UNIT: return "(0, 1)";
    case SUPPORT_INTERVAL: return "(lower, upper)";
    case SUPPORT_COUNT: return "0, 1, 2, ...";
    case SUPPORT_BOUNDED_COUNT: return "0, 1, ..., n";
    case SUPPORT_BINARY: return "{0, 1}";
    case SUPPORT_POSITIVE_COUNT: return "1, 2, 3, ...";
    }
    return "?";
}

void dist_call_text(const DistInfo *d, const double *arg, bool named, char *buf, size_t size)
{
    size_t off = (size_t)snprintf(buf, size, "%s(", d->name);
    for (int k = 0; k < d->nargs && off < size; k++)
        off += (size_t)snprintf(buf + off, size - off, named ? "%s%s = %g" : "%s%.0s%g", k ? ", " : "", d->arg_names[k],
                                arg[k]);
    if (off < size) snprintf(buf + off, size - off, ")");
}

const char *dist_constraint_text(ArgConstraint c)
{
    switch (c) {
    case ARG_REAL: return "a finite number";
    case ARG_POSITIVE: return "positive";
    case ARG_UNIT: return "a probability in [0, 1]";
    case ARG_COUNT: return "a whole number >= 0";
    }
    return "?";
}
