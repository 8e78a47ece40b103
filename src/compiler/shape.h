/*
** shape.h -- the shape rules of the language, in one place: what shape an
** operation's result has, given its operands', and when they do not fit.
**
** Lowering applies them to shapes it knows and reports a mismatch in its
** own words; `bmc graph` applies them to shapes that may be partly unknown
** (a model checked without its data), where a mismatch only means the
** shape is unknown.
*/
#ifndef BMC_SHAPE_H
#define BMC_SHAPE_H

#include <stdbool.h>

typedef struct Shape {
    int rank;          /* 0 scalar, 1 vector, 2 matrix; -1 unknown */
    long n[2];         /* extents: a vector's length n[0]; a matrix's rows n[0] and columns n[1]; -1 unknown */
} Shape;

#define SHAPE_UNKNOWN ((Shape){ -1, { -1, -1 } })
#define SHAPE_SCALAR ((Shape){ 0, { -1, -1 } })

static inline Shape shape_vector(long n) { return (Shape){ 1, { n, -1 } }; }
static inline Shape shape_matrix(long rows, long cols) { return (Shape){ 2, { rows, cols } }; }

/* Which operand a result's extents come from: a caller that keeps more
** about an extent (how the source names it) takes that from there. */
typedef enum { SHAPE_FROM_A, SHAPE_FROM_B } ShapeFrom;

/* a op b elementwise (arithmetic, comparisons, min, max): equal shapes, or
** one side a single value, which is used for every element of the other.
** Returns false when both have several elements and their shapes differ;
** unknown extents are taken to fit. */
bool shape_elementwise(Shape a, Shape b, Shape *out, ShapeFrom *from);

/* X @ v: a matrix and a vector as long as its rows have columns gives a
** vector as long as it has rows.  False when they do not fit. */
bool shape_matvec(Shape x, Shape v, Shape *out);

/* dot(a, b): two vectors of one length give a scalar.  False otherwise. */
bool shape_dot(Shape a, Shape b);

/* What base[i] or base[i, j] is. */
typedef enum {
    INDEX_ELEMENT,     /* one element: as many scalar indices as the base has dimensions */
    INDEX_ROW,         /* X[i]: a row of a matrix, a vector */
    INDEX_GATHER,      /* v[idx]: a vector of positions picks as many elements */
    INDEX_OF_SCALAR,   /* a scalar has no elements */
    INDEX_COUNT,       /* too many or too few indices for the base */
    INDEX_MATRIX,      /* a matrix cannot index, nor a vector a matrix's rows */
} IndexKind;

/* The kind of base[idx[0], ...] and its shape into *out (unknown when the
** base's is). */
IndexKind shape_index(Shape base, int nidx, const Shape *idx, Shape *out);

#endif
