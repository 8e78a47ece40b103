/*
** name_index.h -- from names to the positions of the entries that hold
** them, in constant time: open addressing on FNV-1a hashes.
**
** The index stores positions only; the names stay where their owner keeps
** them, and the owner says how to read entry i's name (NameOf).  The IR's
** names and the compiler's symbols are both found through it, so a model of
** 100,000 names compiles in linear time.
*/
#ifndef BMC_NAME_INDEX_H
#define BMC_NAME_INDEX_H

/* The name of entry i of the owner's array ctx. */
typedef const char *(*NameOf)(const void *ctx, int i);

typedef struct NameIndex {
    int *table;        /* positions, -1 for empty; size a power of two */
    int size;
    int count;
} NameIndex;

/* An empty index is all zeros: NameIndex x = {0}. */
void name_index_free(NameIndex *x);

/* The position of the entry called name, or -1. */
int name_index_find(const NameIndex *x, const char *name, NameOf name_of, const void *ctx);

/* Adds entry i (whose name is not in the index yet).  Returns 0, or -1
** when out of memory (the index is then unchanged). */
int name_index_add(NameIndex *x, int i, NameOf name_of, const void *ctx);

#endif
