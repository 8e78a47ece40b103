/*
** dist_named.h -- the distribution tests' way to name a table entry:
** "Beta", or "Bernoulli logit_p" for the parameterisation of Bernoulli
** with the argument logit_p.
*/
#ifndef BMC_DIST_NAMED_H
#define BMC_DIST_NAMED_H

#include <stdio.h>
#include <string.h>
#include "dist.h"
#include "testutil.h"

/* The entry called name; a test failure when there is none. */
static inline const DistInfo *dist_named(const char *name)
{
    char base[32];
    const char *keyword = strchr(name, ' ');
    snprintf(base, sizeof base, "%.*s", keyword ? (int)(keyword - name) : (int)strlen(name), name);
    const DistInfo *d = dist_lookup(base);
    if (keyword) {
        const char *kw[] = {keyword + 1};
        d = dist_variant(d, kw, 1);
    }
    if (d == NULL) fprintf(stderr, "\n  no distribution '%s'\n", name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

#endif
