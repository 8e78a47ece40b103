/*
** matvec.h -- the products of `@`: a row-major matrix by a vector, and
** their gradients, on OpenBLAS for large matrices when it can be had.
*/
#ifndef BMC_MATVEC_H
#define BMC_MATVEC_H

#include <stdbool.h>

/* OpenBLAS, loaded for an evaluator whose model has a product it pays
** for; each evaluator opens and closes its own (the loader counts). */
typedef struct MatvecBlas MatvecBlas;

/* Whether a product of a rows x cols matrix gains from OpenBLAS. */
bool matvec_blas_pays(long rows, long cols);
/* The file this build loads OpenBLAS from, NULL when it leaves it out. */
const char *matvec_blas_file(void);
/* NULL when the build leaves it out (make CBLAS=gsl), it is not
** installed, or memory runs out: the products use GSL's CBLAS. */
MatvecBlas *matvec_blas_open(void);
void matvec_blas_close(MatvecBlas *b);

/* y = A x; A has rows x cols values, row after row.  blas may be NULL. */
void matvec(const MatvecBlas *blas, const double *a, long rows, long cols, const double *x, double *y);

/* The adjoints of y = A x given y's, g: gx += A^T g and ga += g x^T,
** each skipped when NULL. */
void matvec_backward(const MatvecBlas *blas, const double *a, long rows, long cols, const double *x,
                     const double *g, double *gx, double *ga);

#endif
