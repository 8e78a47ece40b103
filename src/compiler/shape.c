/*
** shape.c -- the shape rules (shape.h).
*/
#include "shape.h"

/* Elements of a shape; -1 when not known. */
static long length(Shape s)
{
    if (s.rank == 0) return 1;
    if (s.rank == 1) return s.n[0];
    if (s.rank == 2) return s.n[0] >= 0 && s.n[1] >= 0 ? s.n[0] * s.n[1] : -1;
    return -1;
}

static bool known(Shape s) { return s.rank >= 0 && length(s) >= 0; }

bool shape_elementwise(Shape a, Shape b, Shape *out, ShapeFrom *from)
{
    bool single_a = length(a) == 1, single_b = length(b) == 1;
    if (single_a && single_b) {   /* both one value: the higher rank */
        *from = a.rank >= b.rank ? SHAPE_FROM_A : SHAPE_FROM_B;
    } else if (single_a) {
        *from = SHAPE_FROM_B;
    } else if (single_b) {
        *from = SHAPE_FROM_A;
    } else if (known(a) && known(b)) {
        if (a.rank != b.rank || a.n[0] != b.n[0] || (a.rank == 2 && a.n[1] != b.n[1])) return false;
        *from = SHAPE_FROM_A;
    } else if (a.rank == b.rank) {   /* extents one side does not know, the other may */
        for (int k = 0; k < a.rank; k++)
            if (a.n[k] < 0) a.n[k] = b.n[k];
        *from = SHAPE_FROM_A;
        *out = a;
        return true;
    } else {   /* unknown: the side that says more */
        *from = a.rank >= b.rank ? SHAPE_FROM_A : SHAPE_FROM_B;
    }
    *out = *from == SHAPE_FROM_A ? a : b;
    return true;
}

bool shape_matvec(Shape x, Shape v, Shape *out)
{
    *out = SHAPE_UNKNOWN;
    if (x.rank != 2 || (v.rank >= 0 && v.rank != 1)) return false;   /* a vector of unknown shape may fit */
    if (x.n[1] >= 0 && v.n[0] >= 0 && x.n[1] != v.n[0]) return false;
    *out = shape_vector(x.n[0]);
    return true;
}

bool shape_dot(Shape a, Shape b)
{
    if (a.rank != 1 || b.rank != 1) return false;
    return a.n[0] < 0 || b.n[0] < 0 || a.n[0] == b.n[0];
}

IndexKind shape_index(Shape base, int nidx, const Shape *idx, Shape *out)
{
    *out = SHAPE_UNKNOWN;
    if (nidx < 1 || nidx > 2) return INDEX_COUNT;
    for (int k = 0; k < nidx; k++)
        if (idx[k].rank == 2) return INDEX_MATRIX;
    bool scalars = idx[0].rank == 0 && (nidx == 1 || idx[1].rank == 0);
    switch (base.rank) {
    case 0:
        return INDEX_OF_SCALAR;
    case 1:
        if (nidx != 1) return INDEX_COUNT;
        if (idx[0].rank == 0) { *out = SHAPE_SCALAR; return INDEX_ELEMENT; }
        *out = shape_vector(idx[0].rank == 1 ? idx[0].n[0] : -1);
        return INDEX_GATHER;
    case 2:
        if (!scalars) return INDEX_MATRIX;
        if (nidx == 1) { *out = shape_vector(base.n[1]); return INDEX_ROW; }
        *out = SHAPE_SCALAR;
        return INDEX_ELEMENT;
    default:   /* a base of unknown shape */
        if (nidx == 1 && idx[0].rank == 1) { *out = shape_vector(idx[0].n[0]); return INDEX_GATHER; }
        return INDEX_ELEMENT;
    }
}
