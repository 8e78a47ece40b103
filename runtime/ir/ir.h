/*
** ir.h -- the intermediate representation: a flat, topologically ordered
** list of typed instructions over slots of two value arenas.
**
** The sampler's unconstrained vector is the parameters' coordinate slots
** one after another (IrParam.ucoord).
**
** A slot is a scalar, a vector or a row-major matrix of doubles.  It lives
** in the CONST region (data and folded constants: shared, read-only while
** sampling) or in the WORK region (parameters, computed values: one copy
** per chain, with an adjoint beside each value).  Element references such
** as theta[2] are slots that alias their vector's storage, so they cost no
** instruction and their adjoints land in the vector's.
**
** code[0 .. ndensity) computes the log density; transform instructions
** (IR_TF_*) among them map unconstrained coordinates to parameters and
** add their log-Jacobians.  code[ndensity .. ncode) computes the
** deterministic quantities that nothing in the density needs; it runs once
** per kept draw.
*/
#ifndef BMC_IR_H
#define BMC_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "name_index.h"

#define IR_MAX_ARGS 4
#define IR_MAX_ELEMENTS 10000000L    /* one slot */
#define IR_MAX_WORK     50000000L    /* doubles in a chain's work region */
#define IR_MAX_CODE     2000000      /* instructions */
#define IR_MAX_LABEL    64           /* bytes of an element's label: longer ones leave it numbered */

typedef enum {
    /* elementwise, two operands broadcast against each other */
    IR_ADD, IR_SUB, IR_MUL, IR_DIV, IR_POW, IR_MIN, IR_MAX,
    IR_LT, IR_LE, IR_GT, IR_GE, IR_EQ, IR_NE, IR_AND, IR_OR,
    /* elementwise, one operand; aux = IrUnary for IR_MATH */
    IR_COPY, IR_NEG, IR_NOT, IR_MATH,
    /* reductions to a scalar */
    IR_SUM, IR_MEAN, IR_SD, IR_DOT,
    /* linear algebra and indexing */
    IR_MATVEC,        /* in0 matrix rows x cols, in1 vector of cols */
    IR_GATHER,        /* out[i] = in0[in1[i] - 1], in1 data indices */
    /* log density: aux = distribution index, in0 the value, in1.. the
    ** arguments, broadcast over n elements; adds to the target */
    IR_LOGPDF,
    /* the same summed through sufficient statistics: in0 holds the
    ** statistics of the values, in1.. the (scalar) arguments */
    IR_LOGPDF_SUFF,
    /* IR_LOGPDF whose arguments are gathered by a data index, summed group
    ** by group through sufficient statistics: in0 a constant table, a row
    ** per group of values sharing the index (and every per-value data
    ** argument): {index g from 1, the data arguments (nargs), the
    ** statistics (nstats)}; in1.. the arguments: a data argument is read
    ** from the table, a vector at the group's index, a scalar as it is;
    ** in[nargs + 1] the index, for printing; n the groups */
    IR_LOGPDF_GROUPED,
    /* IR_LOGPDF without the data-only part of the family's normalising
    ** constant (DistInfo.data_part), which is in lp_const */
    IR_LOGPDF_REST,
    /* IR_LOGPDF of a value in (0, 1) given with its log-odds, in[nargs + 1]:
    ** near the ends, where the value rounds to 0 or 1, the density comes
    ** from the log-odds (DistInfo.logpdf_logodds) */
    IR_LOGPDF_LOGODDS,
    /* a draw, for a generated quantity: out = n values of the distribution
    ** aux, its arguments in0.. broadcast; run once per kept draw (never in
    ** the density part) from the chain's stream of generated quantities */
    IR_DRAW,
    /* the log density of each of n observed values, into out (n elements):
    ** IR_LOGPDF's full normalised density element by element, adding
    ** nothing to the target; a point of the pointwise log-likelihood
    ** (--log-lik), run once per kept draw (never in the density part) */
    IR_LOGPDF_POINTS,
    /* transforms: out = constrained value of the coordinates in0 */
    IR_TF_LOWER,      /* in1 + exp(in0) */
    IR_TF_BOUNDS,     /* in1 + (in2 - in1) * inv_logit(in0) */
    IR_NOPS
} IrOp;

/* Unary functions of IR_MATH, each with its derivative (ops.c). */
typedef enum {
    FN_EXP, FN_LOG, FN_LOG1P, FN_EXPM1, FN_SQRT, FN_ABS, FN_LOGIT, FN_INV_LOGIT,
    FN_LGAMMA, FN_SQUARE, FN_SIN, FN_COS, FN_TANH, FN_PHI, FN_LOG_INV_LOGIT,
    FN_NFUNCS
} IrUnary;

typedef enum { REGION_CONST, REGION_WORK } IrRegion;

typedef struct IrSlot {
    long off;          /* first element, in its region */
    long len;          /* elements */
    long rows, cols;   /* rank 2: rows x cols; rank 1: len x 1; rank 0: 1 x 1 */
    uint8_t rank;      /* 0 scalar, 1 vector, 2 matrix */
    uint8_t region;    /* IrRegion */
    uint8_t is_data;   /* known at compile time: receives no adjoint */
    uint8_t is_int;    /* data whose every element is an integer */
    int name;          /* index into IrModel.names, or -1 for a temporary */
} IrSlot;

typedef struct IrInstr {
    uint16_t op;       /* IrOp */
    uint16_t aux;      /* IrUnary, or a distribution index */
    int out;           /* slot, -1 for IR_LOGPDF */
    int in[IR_MAX_ARGS]; /* slots, -1 unused */
    long n;            /* elements the instruction loops over */
    int line;          /* source line it came from */
} IrInstr;

/* A parameter: a (part of a) slot whose value comes from coordinates of
** the unconstrained vector, through the transform instruction tf. */
typedef struct IrParam {
    int name;          /* index into names */
    long elem;         /* -1: the whole name; else the element it is (theta[elem+1]) */
    int slot;          /* the constrained values */
    int uslot;         /* its unconstrained coordinates (the same slot when identity) */
    long ucoord;       /* its first coordinate in the sampler's vector */
    long len;
    int tf;            /* index of its IR_TF_* instruction in code, -1 identity */
    int dist;          /* its prior's distribution index */
} IrParam;

/* What a reported quantity belongs to, as ArviZ groups them: a
** pointwise log-likelihood (--log-lik) is ArviZ's log_likelihood group. */
typedef enum { IR_GROUP_POSTERIOR, IR_GROUP_PREDICTIVE, IR_GROUP_LOG_LIK } IrGroup;

/* A reported quantity: a parameter or a deterministic, in source order. */

typedef struct IrOutput {
    int name;
    int slot;
    bool is_param;
    uint8_t group;     /* IrGroup: a replicate of observed data is predictive */
    int observed;      /* for a replicate, the slot of the values it replicates; else -1 */
    int observed_name; /* ... and their name */
    /* The elements are those from first on of the value in shape_slot,
    ** whose shape names them: a replicate of the elements a '~' draws,
    ** when not all are.  -1: the slot's own elements. */
    int shape_slot;
    long first;
} IrOutput;

/* The labels of one dimension of a named value: the levels of the factor
** that sized it, so that its elements are named p[A], p[B] rather than
** p[1], p[2]. */
typedef struct IrLabels {
    int name;          /* the value they label: index into names */
    int dim;           /* 0: a vector's elements, or a matrix's rows; 1: its columns */
    char **labels;     /* owned, len strings */
    long len;
} IrLabels;

/* One observed point of the pointwise log-likelihood: element elem of
** the values of the term on name term, named by the shape of slot shape
** ("y[3]"), its log density element k of the log_lik output. */
typedef struct IrPoint {
    int term;          /* index into names: the name the '~' is on */
    int shape;         /* the slot whose shape names the element */
    long elem;
    int line;          /* of the term */
} IrPoint;

typedef struct IrModel {
    char **names;             /* owned strings */
    int nnames, cap_names;
    NameIndex name_index;     /* finds a name among names */

    IrSlot *slots;
    int nslots, cap_slots;

    double *consts;           /* the CONST region */
    long nconsts, cap_consts;
    double *work_init;        /* initial image of the WORK region (data elements of mixed vectors) */
    long nwork, cap_work;

    IrInstr *code;
    int ncode, cap_code;
    int ndensity;             /* code[0 .. ndensity) feeds the log density */

    long dim;                 /* unconstrained coordinates, all parameters */
    double lp_const;          /* log density of terms on data alone */
    unsigned passes;          /* the optimisation passes run on it (passes.h) */

    IrParam *params;
    int nparams, cap_params;
    IrOutput *outputs;
    int noutputs, cap_outputs;
    IrLabels *labels;         /* element names by level, per dimension */
    int nlabels, cap_labels;
    IrPoint *points;          /* the elements of the IR_GROUP_LOG_LIK output, in order: the last
                              ** output, so the last npoints quantities reported */
    int npoints, cap_points;
    int *conjugate;           /* names of the parameters drawn exactly from their closed-form
                              ** posteriors (conjugate blocks), in the order found */
    int nconjugate, cap_conjugate;
} IrModel;

IrModel *ir_new(void);
void ir_free(IrModel *m);

/* Adders; each returns the new index, or -1 when out of memory or past a
** limit (IR_MAX_*). */
int ir_add_name(IrModel *m, const char *name);
int ir_add_slot(IrModel *m, IrRegion region, int rank, long rows, long cols, int name);
int ir_add_alias(IrModel *m, int parent, long offset, int rank, long rows, long cols, int name);
int ir_add_instr(IrModel *m, const IrInstr *in);
int ir_add_param(IrModel *m, const IrParam *p);
int ir_add_output(IrModel *m, const IrOutput *o);
/* Labels dimension dim of the value called name by copies of the len
** strings; a label that would not read back as one element name (empty,
** longer than IR_MAX_LABEL, or holding a blank, a quote, '[', ']' or ',')
** leaves the dimension numbered.
** Returns 0, or -1 when out of memory. */
int ir_add_labels(IrModel *m, int name, int dim, char *const *labels, long len);

/* The labels of dimension dim of the value name when it has one for each
** of its n indices; NULL otherwise. */
const IrLabels *ir_find_labels(const IrModel *m, int name, int dim, long n);
int ir_add_point(IrModel *m, const IrPoint *p);
/* Records name as a conjugate block's parameter; its index, or -1. */
int ir_add_conjugate(IrModel *m, int name);

/* Pointer to a slot's first value in the model's own images (consts or
** work_init): where compile-time values are read and written. */
double *ir_init_value(IrModel *m, int slot);
const double *ir_init_value_const(const IrModel *m, int slot);

/* Whether op adds a log density to the target (and has no output). */
static inline bool ir_op_is_logpdf(IrOp op)
{
    return op == IR_LOGPDF || op == IR_LOGPDF_SUFF || op == IR_LOGPDF_GROUPED || op == IR_LOGPDF_REST ||
           op == IR_LOGPDF_LOGODDS;
}

/* Name of each op and unary function, for printing. */
/* Moves the draws of generated quantities (IR_DRAW) and the points of
** the pointwise log-likelihood (IR_LOGPDF_POINTS), and all that is
** computed from them, after the density, keeping the order within each
** part; sets ndensity.  Returns 0; -1 when out of memory; -2 when a term
** of the density would read a draw (m is then unchanged). */
int ir_put_draws_last(IrModel *m);

/* Whether m draws generated quantities (IR_DRAW). */
bool ir_has_draws(const IrModel *m);

/* Whether m draws replicates of observed data (IR_GROUP_PREDICTIVE outputs). */
bool ir_has_replicates(const IrModel *m);

const char *ir_op_name(IrOp op);
const char *ir_unary_name(IrUnary f);

/* The whole model, one instruction a line, for `bmc ir`. */
void ir_print(FILE *f, const IrModel *m);

/* Element names of a slot for output: "theta[2]", "X[1,3]", or by the
** labels of its dimensions, "p[A]", "X[A,3]"; writes at most size bytes
** and returns the length of the whole name, as snprintf does. */
int ir_element_name(const IrModel *m, int name, const IrSlot *s, long i, char *buf, size_t size);

/* The name of point k of the pointwise log-likelihood: "y[3]", "y_A". */
void ir_point_name(const IrModel *m, int k, char *buf, size_t size);

/* Name of element i of parameter p: "p_A", "theta[2]". */
void ir_param_element_name(const IrModel *m, const IrParam *p, long i, char *buf, size_t size);

/* Number of reported scalar quantities and their names (malloc'ed array of
** malloc'ed strings, caller frees with ir_free_names). */
long ir_output_count(const IrModel *m);
char **ir_output_names(const IrModel *m);
void ir_free_names(char **names, long n);

#endif
