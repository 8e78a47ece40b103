/*
** matvec.c -- the products of `@` (matvec.h).
**
** GSL's reference CBLAS stays the CBLAS of every build: draws depend on
** the rounding of every product, the sampler's dense metric goes through
** GSL's BLAS too, and with OpenBLAS linked as the CBLAS the same seed gave
** other draws than before (its kernels are picked for the processor), at
** 4 ms more start-up for every command.  A large matrix is another
** matter: OpenBLAS takes a third of the time on 500 x 500.  So a model
** with such a product loads it (dlopen, RTLD_LOCAL: GSL keeps its CBLAS)
** and calls its Fortran BLAS, dgemv_ and dger_, for those products alone.
** BMC_OPENBLAS is its file name (Makefile, CBLAS=openblas).
*/
#include "matvec.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <gsl/gsl_cblas.h>

/* A 128 x 128 matrix: below it a product takes microseconds either way,
** and models keep the draws GSL's CBLAS gives. */
#define MATVEC_BLAS_MIN (128L * 128L)

/* BLAS's Fortran interface, column-major: a row-major A is A^T to it. */
typedef void Dgemv(const char *trans, const int *m, const int *n, const double *alpha, const double *a,
                   const int *lda, const double *x, const int *incx, const double *beta, double *y, const int *incy);
typedef void Dger(const int *m, const int *n, const double *alpha, const double *x, const int *incx,
                  const double *y, const int *incy, double *a, const int *lda);

struct MatvecBlas {
    void *lib;
    Dgemv *dgemv;
    Dger *dger;
};

bool matvec_blas_pays(long rows, long cols)
{
    return rows * cols >= MATVEC_BLAS_MIN;
}

const char *matvec_blas_file(void)
{
#ifdef BMC_OPENBLAS
    return BMC_OPENBLAS;
#else
    return NULL;
#endif
}

MatvecBlas *matvec_blas_open(void)
{
    const char *file = matvec_blas_file();
    if (!file) return NULL;
    MatvecBlas *b = calloc(1, sizeof *b);
    if (!b || !(b->lib = dlopen(file, RTLD_NOW | RTLD_LOCAL))) {
        free(b);
        return NULL;
    }
    /* POSIX's way from an object pointer to a function pointer */
    *(void **)&b->dgemv = dlsym(b->lib, "dgemv_");
    *(void **)&b->dger = dlsym(b->lib, "dger_");
    void (*threads)(int);
    *(void **)&threads = dlsym(b->lib, "openblas_set_num_threads");
    if (!b->dgemv || !b->dger || !threads) {
        matvec_blas_close(b);
        return NULL;
    }
    /* The chains are the parallelism: OpenBLAS would share each product
    ** among threads of its own beside theirs, waking and parking them at
    ** every call (X[500, 500] @ beta, 2 chains on 2 cores: 560,000
    ** context switches against 3,000, a quarter more CPU per gradient),
    ** and sums split by its thread count would tie the draws to it. */
    threads(1);
    return b;
}

void matvec_blas_close(MatvecBlas *b)
{
    if (!b) return;
    dlclose(b->lib);
    free(b);
}

void matvec(const MatvecBlas *blas, const double *a, long rows, long cols, const double *x, double *y)
{
    if (cols == 0) {   /* BLAS refuses a leading dimension of 0 */
        for (long i = 0; i < rows; i++) y[i] = 0;
        return;
    }
    if (blas) {
        int m = (int)cols, n = (int)rows, one = 1;
        double alpha = 1.0, beta = 0.0;
        blas->dgemv("T", &m, &n, &alpha, a, &m, x, &one, &beta, y, &one);
        return;
    }
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)rows, (int)cols, 1.0, a, (int)cols, x, 1, 0.0, y, 1);
}

void matvec_backward(const MatvecBlas *blas, const double *a, long rows, long cols, const double *x,
                     const double *g, double *gx, double *ga)
{
    if (cols == 0) return;
    if (blas) {
        int m = (int)cols, n = (int)rows, one = 1;
        double alpha = 1.0;
        if (gx) blas->dgemv("N", &m, &n, &alpha, a, &m, g, &one, &alpha, gx, &one);
        if (ga) blas->dger(&m, &n, &alpha, x, &one, g, &one, ga, &m);   /* (g x^T)^T = x g^T */
        return;
    }
    if (gx) cblas_dgemv(CblasRowMajor, CblasTrans, (int)rows, (int)cols, 1.0, a, (int)cols, g, 1, 1.0, gx, 1);
    if (ga) cblas_dger(CblasRowMajor, (int)rows, (int)cols, 1.0, g, 1, x, 1, ga, (int)cols);
}
