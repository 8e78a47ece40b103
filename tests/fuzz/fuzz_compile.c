/*
** fuzz_compile.c -- libFuzzer target: bytes -> source -> tree -> IR ->
** one evaluation of the log density and its gradient.
**
** The data set gives values to the names models use most, so inputs that
** declare them get past lowering into the evaluator.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include "compile.h"
#include "eval.h"

static DataSet *fuzz_data(void)
{
    static const char *const assigns[] = {
        "N=3", "J=3", "K=2", "n=10", "y=[1, 0, 2]", "x=[0.5, -1, 2]", "sigma=[1, 2, 3]",
        "X=[[1, 2], [3, 4], [5, 6]]", "idx=[1, 3, 2]",
    };
    DataSet *ds = dataset_new();
    Diags d;
    diags_init(&d, NULL);
    for (size_t i = 0; ds && i < sizeof assigns / sizeof assigns[0]; i++)
        dataset_parse_assign(ds, assigns[i], "-D", &d);
    diags_clear(&d);
    return ds;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    gsl_set_error_handler_off();
    DataSet *ds = fuzz_data();
    Source *src = source_from_text("<fuzz>", (const char *)bytes, size);
    if (!ds || !src) { source_free(src); dataset_free(ds); return 0; }
    Model *m = model_compile(src, ds, NULL);
    if (m && m->ir && m->ir->dim < 10000) {
        EvalWs *w = eval_new(m->ir);
        double *q = calloc((size_t)m->ir->dim + 1, sizeof *q);
        double *g = calloc((size_t)m->ir->dim + 1, sizeof *g);
        double *out = calloc((size_t)ir_output_count(m->ir) + 1, sizeof *out);
        if (w && q && g && out) {
            for (long i = 0; i < m->ir->dim; i++) q[i] = 0.1 * (double)(i % 7) - 0.3;
            eval_logp_grad(w, q, g);
            eval_outputs(w, q, out);
        }
        free(q); free(g); free(out);
        eval_free(w);
    }
    model_free(m);
    dataset_free(ds);
    return 0;
}
