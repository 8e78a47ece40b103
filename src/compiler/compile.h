/*
** compile.h -- the whole front end: source text and data to an IR model.
**
** A Model owns everything made on the way (source, tree, symbols, IR,
** messages), so the REPL can compile again and again and free each one.
*/
#ifndef BMC_COMPILE_H
#define BMC_COMPILE_H

#include <stdbool.h>
#include "ast.h"
#include "data.h"
#include "diag.h"
#include "ir.h"
#include "lower.h"
#include "passes.h"
#include "sema.h"
#include "source.h"

typedef struct Model {
    Source *src;
    Arena arena;
    Program *prog;
    Sema sema;
    Diags diags;
    Diags warnings;       /* what compiles but will sample badly (a lopsided prior) */
    IrModel *ir;          /* NULL after errors, or when data are missing in check mode */
    char *name;           /* "ab" for models/ab.bm */
    char **missing;       /* check mode: data names with no value (NULL-terminated) */
} Model;

typedef struct CompileOptions {
    bool check_only;      /* data not all given: check as far as possible without them */
    unsigned passes;      /* the IR passes to run (passes.h) */
    bool assigned_declared; /* a value given by name (-D) must be a data name of the model; a
                            ** file's other names are ignored, as CmdStan does */
    bool partial;         /* the text is a model being built (the REPL's): checks of the
                          ** whole model (an improper prior no data inform yet) wait */
    bool keep_leaves;     /* a continuous '~' that the density does not need stays a
                          ** parameter of NUTS, not a generated quantity (generated.c) */
    Predictive predictive;  /* the draws of observed values to add (lower.h) */
    bool simulate;          /* bmc simulate: the data a '~' models are drawn, not given (LowerOptions) */
    const DataSet *fixed;   /* a prior predictive run: values set in place of draws (LowerOptions) */
    bool conjugate;         /* a model whose every parameter is in a conjugate block is drawn
                            ** exactly from the closed-form posterior (conjugate.c) */
    bool log_lik;           /* --log-lik: the log density of every observed point at each kept draw,
                            ** reported as log_lik[1..N] (IR_GROUP_LOG_LIK outputs) */
} CompileOptions;

/* A full compile: the data required, every pass. */
#define COMPILE_FULL ((CompileOptions){ .check_only = false, .passes = IR_PASS_ALL })
/* A check: what can be checked without the data not given, every pass. */
#define COMPILE_CHECK ((CompileOptions){ .check_only = true, .passes = IR_PASS_ALL })
/* A model being built: a check, without the checks of a whole model. */
#define COMPILE_PARTIAL ((CompileOptions){ .check_only = true, .passes = IR_PASS_ALL, .partial = true })

/* Compiles src (ownership passes to the model) as opt says (NULL: a full
** compile).  Returns NULL only when out of memory; errors are in
** model->diags. */
Model *model_compile(Source *src, const DataSet *data, const CompileOptions *opt);
void model_free(Model *m);

static inline bool model_ok(const Model *m) { return !diags_failed(&m->diags); }

#endif
