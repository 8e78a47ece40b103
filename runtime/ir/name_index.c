/*
** name_index.c -- names to positions by open addressing (name_index.h).
*/
#include "name_index.h"

#include <stdlib.h>
#include <string.h>

static unsigned hash_name(const char *s)
{
    unsigned h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void name_index_free(NameIndex *x)
{
    free(x->table);
    *x = (NameIndex){0};
}

int name_index_find(const NameIndex *x, const char *name, NameOf name_of, const void *ctx)
{
    if (!x->table) return -1;
    unsigned mask = (unsigned)x->size - 1;
    for (unsigned h = hash_name(name) & mask; x->table[h] >= 0; h = (h + 1) & mask)
        if (strcmp(name_of(ctx, x->table[h]), name) == 0) return x->table[h];
    return -1;
}

static void place(int *table, int size, int i, const char *name)
{
    unsigned mask = (unsigned)size - 1, h = hash_name(name) & mask;
    while (table[h] >= 0) h = (h + 1) & mask;
    table[h] = i;
}

int name_index_add(NameIndex *x, int i, NameOf name_of, const void *ctx)
{
    /* at most half full, so that probes stay short */
    if (2 * (x->count + 1) > x->size) {
        if (x->size > (1 << 29)) return -1;
        int size = x->size ? 2 * x->size : 64;
        int *t = malloc((size_t)size * sizeof *t);
        if (!t) return -1;
        for (int k = 0; k < size; k++) t[k] = -1;
        for (int k = 0; k < x->size; k++)
            if (x->table[k] >= 0) place(t, size, x->table[k], name_of(ctx, x->table[k]));
        free(x->table);
        x->table = t;
        x->size = size;
    }
    place(x->table, x->size, i, name_of(ctx, i));
    x->count++;
    return 0;
}
