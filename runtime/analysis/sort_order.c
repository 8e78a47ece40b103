/*
** sort_order.c -- the order of an array of doubles by an LSD radix sort.
**
** Neither GSL (heapsort only: gsl_sort_index) nor libc (qsort, a merge
** sort calling a comparison function) has a sort that is not by
** comparisons, and on 4000 doubles both take about ten times as long as
** this: six passes of 11-bit digits over keys whose unsigned order is the
** doubles' order, each pass a counting sort, stable, skipped when every
** key has the same digit (the high digits of draws of one magnitude).
*/
#include "sort_order.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIGIT_BITS 11
#define BUCKETS (1u << DIGIT_BITS)
#define PASSES ((64 + DIGIT_BITS - 1) / DIGIT_BITS)

struct SortOrder {
    uint64_t *key, *key_next;   /* cap keys each */
    size_t *index_next;         /* cap indices; the other buffer is the caller's order */
    size_t count[PASSES][BUCKETS];
};

SortOrder *sort_order_new(size_t cap)
{
    SortOrder *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    size_t n = cap ? cap : 1;
    s->key = malloc(n * sizeof *s->key);
    s->key_next = malloc(n * sizeof *s->key_next);
    s->index_next = malloc(n * sizeof *s->index_next);
    if (!s->key || !s->key_next || !s->index_next) {
        sort_order_free(s);
        return NULL;
    }
    return s;
}

void sort_order_free(SortOrder *s)
{
    if (s == NULL) return;
    free(s->key);
    free(s->key_next);
    free(s->index_next);
    free(s);
}

/* The bits of v as an unsigned key in v's order: a positive double's bits
** with the sign bit set, a negative one's inverted. */
static uint64_t key_of(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

void sort_order(SortOrder *s, const double *x, size_t n, size_t *order)
{
    memset(s->count, 0, sizeof s->count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(x[i]);
        s->key[i] = k;
        order[i] = i;
        for (int p = 0; p < PASSES; p++) s->count[p][(k >> (p * DIGIT_BITS)) & (BUCKETS - 1)]++;
    }
    uint64_t *key = s->key, *key_next = s->key_next;
    size_t *index = order, *index_next = s->index_next;
    for (int p = 0; p < PASSES; p++) {
        size_t *count = s->count[p];
        unsigned shift = (unsigned)(p * DIGIT_BITS);
        if (n == 0 || count[(key[0] >> shift) & (BUCKETS - 1)] == n) continue;   /* one digit: already in order */
        size_t start = 0;
        for (unsigned b = 0; b < BUCKETS; b++) {   /* counts to each bucket's first place */
            size_t c = count[b];
            count[b] = start;
            start += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = count[(key[i] >> shift) & (BUCKETS - 1)]++;
            key_next[to] = key[i];
            index_next[to] = index[i];
        }
        uint64_t *kt = key; key = key_next; key_next = kt;
        size_t *it = index; index = index_next; index_next = it;
    }
    if (index != order) memcpy(order, index, n * sizeof *order);
}
