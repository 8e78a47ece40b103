/*
** draws.h -- named posterior draws, the one thing diagnostics, summaries
** and printers see of a run.
*/
#ifndef BMC_DRAWS_H
#define BMC_DRAWS_H

#include <stddef.h>

typedef struct Draws {
    int nvars;
    int nchains;
    int capacity;      /* draws per chain room was made for */
    int ndraws;        /* draws per chain kept (equal for every chain) */
    char **names;      /* nvars owned strings, "theta[1]" */
    double *x;         /* x[((size_t)v * nchains + c) * capacity + i] */
} Draws;

/* New draws with room for capacity draws per chain; names are copied.
** Returns NULL when out of memory. */
Draws *draws_new(int nvars, const char *const *names, int nchains, int capacity);
void draws_free(Draws *d);

/* Pointer to the draws of variable v in chain c (capacity values). */
double *draws_at(Draws *d, int v, int c);
const double *draws_at_const(const Draws *d, int v, int c);

/* Copies variable v's kept draws, chain after chain, into out
** (nchains * ndraws values): the layout diagnostics.h expects. */
void draws_gather(const Draws *d, int v, double *out);

/* Index of the variable called name, or -1. */
int draws_find(const Draws *d, const char *name);

#endif
