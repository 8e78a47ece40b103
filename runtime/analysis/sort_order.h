/*
** sort_order.h -- the order of an array of doubles, for ranks.
**
** The summary ranks every quantity's draws (rank-normalised R-hat and
** ESS) and PSIS sorts every point's log weights: thousands of sorts of a
** few thousand values in a run, where a sort by comparisons (GSL's
** heapsort, libc's qsort) is most of the time.  This one is a radix sort.
*/
#ifndef BMC_SORT_ORDER_H
#define BMC_SORT_ORDER_H

#include <stddef.h>

/* Scratch for orders of up to cap values, made once and reused. */
typedef struct SortOrder SortOrder;

/* NULL when out of memory. */
SortOrder *sort_order_new(size_t cap);
void sort_order_free(SortOrder *s);

/* order[k] = the index of the k-th smallest of x[0 .. n-1], n <= cap; as
** gsl_sort_index, x is not changed and holds no NaN.  Equal values keep
** the order of their indices; -0 comes before +0, which compare equal. */
void sort_order(SortOrder *s, const double *x, size_t n, size_t *order);

#endif
