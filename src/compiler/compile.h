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
#include "sema.h"
#include "source.h"

typedef struct Model {
    Source *src;
    Arena arena;
    Program *prog;
    Sema sema;
    Diags diags;
    IrModel *ir;          /* NULL after errors, or when data are missing in check mode */
    char *name;           /* "ab" for models/ab.bm */
    char **missing;       /* check mode: data names with no value (NULL-terminated) */
} Model;

/* Compiles src (ownership passes to the model).  With check_only, a model
** whose data are not all given is checked as far as possible without them.
** Returns NULL only when out of memory; errors are in model->diags. */
Model *model_compile(Source *src, const DataSet *data, bool check_only);
void model_free(Model *m);

static inline bool model_ok(const Model *m) { return !diags_failed(&m->diags); }

#endif
