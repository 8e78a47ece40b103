/*
** target.h -- what a sampler sees of a model.
**
** A target is a dimension and a function giving the log density and its
** gradient at a point of the unconstrained space.  Samplers know nothing
** else: not the language, not the names, not the transforms.
*/
#ifndef BMC_TARGET_H
#define BMC_TARGET_H

typedef struct Target {
    int dim;
    /* Writes the gradient into grad[0 .. dim-1] and returns the log
    ** density at q, up to a constant.  Returns -INFINITY or NAN where the
    ** density is zero or cannot be computed; grad is then unspecified.
    ** One ctx is used by one thread at a time. */
    double (*logp_grad)(void *ctx, const double *q, double *grad);
    void *ctx;
} Target;

#endif
