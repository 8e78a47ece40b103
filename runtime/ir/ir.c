/*
** ir.c -- building, naming and printing IR models.
*/
#include "ir.h"

#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "passes.h"

IrModel *ir_new(void)
{
    IrModel *m = calloc(1, sizeof *m);
    return m;
}

void ir_free(IrModel *m)
{
    if (!m) return;
    for (int i = 0; i < m->nnames; i++) free(m->names[i]);
    name_index_free(&m->name_index);
    free(m->names);
    free(m->slots);
    free(m->consts);
    free(m->work_init);
    free(m->code);
    free(m->params);
    free(m->outputs);
    for (int i = 0; i < m->nlabels; i++) {
        for (long k = 0; k < m->labels[i].len; k++) free(m->labels[i].labels[k]);
        free(m->labels[i].labels);
    }
    free(m->labels);
    free(m->points);
    free(m->conjugate);
    free(m);
}

/* Makes room for one more element of size esize in *arr; 0 or -1. */
static int grow(void **arr, int n, int *cap, size_t esize)
{
    if (n < *cap) return 0;
    int nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, (size_t)nc * esize);
    if (!p) return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

/* Makes room for len more doubles in a region image, zeroed. */
static int grow_region(double **arr, long n, long *cap, long len)
{
    if (n + len <= *cap) return 0;
    long nc = *cap ? *cap : 1024;
    while (nc < n + len) nc *= 2;
    double *p = realloc(*arr, (size_t)nc * sizeof *p);
    if (!p) return -1;
    memset(p + *cap, 0, (size_t)(nc - *cap) * sizeof *p);
    *arr = p;
    *cap = nc;
    return 0;
}

static const char *name_at(const void *ctx, int i)
{
    return ((const IrModel *)ctx)->names[i];
}

int ir_add_name(IrModel *m, const char *name)
{
    int found = name_index_find(&m->name_index, name, name_at, m);
    if (found >= 0) return found;
    if (grow((void **)&m->names, m->nnames, &m->cap_names, sizeof *m->names)) return -1;
    char *s = strdup(name);
    if (!s) return -1;
    m->names[m->nnames] = s;
    if (name_index_add(&m->name_index, m->nnames, name_at, m) != 0) {
        free(s);
        return -1;
    }
    return m->nnames++;
}

int ir_add_slot(IrModel *m, IrRegion region, int rank, long rows, long cols, int name)
{
    long len = rank == 0 ? 1 : rank == 1 ? rows : rows * cols;
    if (len < 0 || len > IR_MAX_ELEMENTS) return -1;
    long *n = region == REGION_CONST ? &m->nconsts : &m->nwork;
    long *cap = region == REGION_CONST ? &m->cap_consts : &m->cap_work;
    double **img = region == REGION_CONST ? &m->consts : &m->work_init;
    if (region == REGION_WORK && *n + len > IR_MAX_WORK) return -1;
    if (grow_region(img, *n, cap, len ? len : 1)) return -1;
    if (grow((void **)&m->slots, m->nslots, &m->cap_slots, sizeof *m->slots)) return -1;
    IrSlot *s = &m->slots[m->nslots];
    memset(s, 0, sizeof *s);
    s->off = *n;
    s->len = len;
    s->rank = (uint8_t)rank;
    s->rows = rank == 0 ? 1 : rows;
    s->cols = rank == 2 ? cols : 1;
    s->region = (uint8_t)region;
    s->is_data = region == REGION_CONST;
    s->name = name;
    *n += len;
    return m->nslots++;
}

int ir_add_alias(IrModel *m, int parent, long offset, int rank, long rows, long cols, int name)
{
    if (grow((void **)&m->slots, m->nslots, &m->cap_slots, sizeof *m->slots)) return -1;
    IrSlot p = m->slots[parent];
    IrSlot *s = &m->slots[m->nslots];
    *s = p;
    s->off = p.off + offset;
    s->rank = (uint8_t)rank;
    s->len = rank == 0 ? 1 : rank == 1 ? rows : rows * cols;
    s->rows = rank == 0 ? 1 : rows;
    s->cols = rank == 2 ? cols : 1;
    s->name = name;
    return m->nslots++;
}

int ir_add_instr(IrModel *m, const IrInstr *in)
{
    if (m->ncode >= IR_MAX_CODE) return -1;
    if (grow((void **)&m->code, m->ncode, &m->cap_code, sizeof *m->code)) return -1;
    m->code[m->ncode] = *in;
    return m->ncode++;
}

int ir_add_param(IrModel *m, const IrParam *p)
{
    if (grow((void **)&m->params, m->nparams, &m->cap_params, sizeof *m->params)) return -1;
    m->params[m->nparams] = *p;
    return m->nparams++;
}

int ir_add_output(IrModel *m, const IrOutput *o)
{
    if (grow((void **)&m->outputs, m->noutputs, &m->cap_outputs, sizeof *m->outputs)) return -1;
    m->outputs[m->noutputs] = *o;
    return m->noutputs++;
}

int ir_add_point(IrModel *m, const IrPoint *p)
{
    if (grow((void **)&m->points, m->npoints, &m->cap_points, sizeof *m->points)) return -1;
    m->points[m->npoints] = *p;
    return m->npoints++;
}

int ir_add_conjugate(IrModel *m, int name)
{
    if (grow((void **)&m->conjugate, m->nconjugate, &m->cap_conjugate, sizeof *m->conjugate)) return -1;
    m->conjugate[m->nconjugate] = name;
    return m->nconjugate++;
}

double *ir_init_value(IrModel *m, int slot)
{
    const IrSlot *s = &m->slots[slot];
    return (s->region == REGION_CONST ? m->consts : m->work_init) + s->off;
}

const double *ir_init_value_const(const IrModel *m, int slot)
{
    const IrSlot *s = &m->slots[slot];
    return (s->region == REGION_CONST ? m->consts : m->work_init) + s->off;
}

/* ---- names ---- */

static const char *const op_names[IR_NOPS] = {
    "add", "sub", "mul", "div", "pow", "min", "max",
    "lt", "le", "gt", "ge", "eq", "ne", "and", "or",
    "copy", "neg", "not", "math",
    "sum", "mean", "sd", "dot",
    "matvec", "gather",
    "logpdf", "logpdf_suff", "logpdf_grouped", "logpdf_rest", "logpdf_logodds",
    "draw", "logpdf_points",
    "tf_lower", "tf_bounds",
};

static const char *const unary_names[FN_NFUNCS] = {
    "exp", "log", "log1p", "expm1", "sqrt", "abs", "logit", "inv_logit",
    "lgamma", "square", "sin", "cos", "tanh", "Phi", "log_inv_logit",
};

bool ir_has_draws(const IrModel *m)
{
    for (int i = m->ndensity; i < m->ncode; i++)
        if (m->code[i].op == IR_DRAW) return true;
    return false;
}

bool ir_has_replicates(const IrModel *m)
{
    for (int k = 0; k < m->noutputs; k++)
        if (m->outputs[k].group == IR_GROUP_PREDICTIVE) return true;
    return false;
}

int ir_put_draws_last(IrModel *m)
{
    size_t nw = m->nwork ? (size_t)m->nwork : 1, nc = m->ncode ? (size_t)m->ncode : 1;
    uint8_t *drawn = calloc(nw, 1), *late = calloc(nc, 1);
    int *where = malloc(nc * sizeof *where);
    IrInstr *code = malloc(nc * sizeof *code);
    int rc = drawn && late && where && code ? 0 : -1;
    for (int i = 0; rc == 0 && i < m->ncode; i++) {
        const IrInstr *in = &m->code[i];
        bool l = in->op == IR_DRAW || in->op == IR_LOGPDF_POINTS;
        for (int k = 0; !l && k < IR_MAX_ARGS && in->in[k] >= 0; k++) {
            const IrSlot *s = &m->slots[in->in[k]];
            if (s->region == REGION_WORK)
                for (long e = 0; e < s->len && !l; e++) l = drawn[s->off + e];
        }
        if (!l) continue;
        /* a density term on a draw would make the density random */
        if (ir_op_is_logpdf((IrOp)in->op) || in->op == IR_TF_LOWER || in->op == IR_TF_BOUNDS) rc = -2;
        late[i] = 1;
        if (in->out >= 0 && m->slots[in->out].region == REGION_WORK)
            memset(drawn + m->slots[in->out].off, 1, (size_t)m->slots[in->out].len);
    }
    int n = 0, ndensity = 0;
    for (int pass = 0; rc == 0 && pass < 2; pass++)
        for (int i = 0; i < m->ncode; i++)
            if (late[i] == pass) { where[i] = n; code[n++] = m->code[i]; ndensity += pass == 0; }
    if (rc == 0) {
        if (n > 0) memcpy(m->code, code, (size_t)n * sizeof *code);
        m->ndensity = ndensity;
        for (int p = 0; p < m->nparams; p++)
            if (m->params[p].tf >= 0) m->params[p].tf = where[m->params[p].tf];
    }
    free(drawn);
    free(late);
    free(where);
    free(code);
    return rc;
}

const char *ir_op_name(IrOp op) { return op < IR_NOPS ? op_names[op] : "?"; }
const char *ir_unary_name(IrUnary f) { return f < FN_NFUNCS ? unary_names[f] : "?"; }

/* Whether label names one element unmistakably, in tables, --vars and
** CSV headers alike. */
static bool label_fits(const char *label)
{
    if (!label[0] || strlen(label) > IR_MAX_LABEL) return false;
    for (const unsigned char *c = (const unsigned char *)label; *c; c++)
        if (*c <= ' ' || *c == '"' || *c == '[' || *c == ']' || *c == ',' || *c == 0x7f) return false;
    return true;
}

int ir_add_labels(IrModel *m, int name, int dim, char *const *labels, long len)
{
    for (long k = 0; k < len; k++)
        if (!label_fits(labels[k])) return 0;
    if (grow((void **)&m->labels, m->nlabels, &m->cap_labels, sizeof *m->labels) < 0) return -1;
    IrLabels *l = &m->labels[m->nlabels];
    l->labels = calloc(len > 0 ? (size_t)len : 1, sizeof *l->labels);
    if (!l->labels) return -1;
    for (long k = 0; k < len; k++)
        if (!(l->labels[k] = strdup(labels[k]))) {
            while (k-- > 0) free(l->labels[k]);
            free(l->labels);
            return -1;
        }
    l->name = name;
    l->dim = dim;
    l->len = len;
    m->nlabels++;
    return 0;
}

/* Index i (from 0) of dimension dim of the value name, of extent n: its
** label when the dimension has labels for all n, else its number. */
const IrLabels *ir_find_labels(const IrModel *m, int name, int dim, long n)
{
    for (int k = 0; k < m->nlabels; k++) {
        const IrLabels *l = &m->labels[k];
        if (l->name == name && l->dim == dim && l->len == n) return l;
    }
    return NULL;
}

/* The text of index i (of n) of dimension dim: its label, or its number
** written into num. */
static const char *index_text(const IrModel *m, int name, int dim, long n, long i, char num[24])
{
    const IrLabels *l = ir_find_labels(m, name, dim, n);
    if (l && i < n) return l->labels[i];
    snprintf(num, 24, "%ld", i + 1);
    return num;
}

int ir_element_name(const IrModel *m, int name, const IrSlot *s, long i, char *buf, size_t size)
{
    const char *base = name >= 0 ? m->names[name] : "_";
    char na[24], nb[24];
    if (s->rank == 0) return snprintf(buf, size, "%s", base);
    if (s->rank == 1) return snprintf(buf, size, "%s[%s]", base, index_text(m, name, 0, s->len, i, na));
    return snprintf(buf, size, "%s[%s,%s]", base, index_text(m, name, 0, s->rows, i / s->cols, na),
                    index_text(m, name, 1, s->cols, i % s->cols, nb));
}

long ir_output_count(const IrModel *m)
{
    long n = 0;
    for (int i = 0; i < m->noutputs; i++) n += m->slots[m->outputs[i].slot].len;
    return n;
}

char **ir_output_names(const IrModel *m)
{
    long n = ir_output_count(m), k = 0;
    char **names = calloc(n ? (size_t)n : 1, sizeof *names);
    if (!names) return NULL;
    for (int i = 0; i < m->noutputs; i++) {
        const IrOutput *o = &m->outputs[i];
        const IrSlot *s = &m->slots[o->slot], *shape = o->shape_slot >= 0 ? &m->slots[o->shape_slot] : s;
        for (long j = 0; j < s->len; j++) {
            /* sized exactly: a column's name is never cut short, however long its labels */
            int len = ir_element_name(m, o->name, shape, o->first + j, NULL, 0);
            if (len < 0 || !(names[k] = malloc((size_t)len + 1))) { ir_free_names(names, k); return NULL; }
            ir_element_name(m, o->name, shape, o->first + j, names[k++], (size_t)len + 1);
        }
    }
    return names;
}

void ir_free_names(char **names, long n)
{
    if (!names) return;
    for (long i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* ---- printing ---- */

static void print_shape(FILE *f, const IrSlot *s)
{
    if (s->rank == 0) fputs(s->is_data && s->is_int ? "int" : "real", f);
    else if (s->rank == 1) fprintf(f, "vector[%ld]", s->len);
    else fprintf(f, "matrix[%ld,%ld]", s->rows, s->cols);
}

/* A slot as an operand: its name or %N, and a data scalar by its value. */
/* Prints slot id by name, value or number; coords[id] names the parameter
** whose unconstrained coordinates the slot holds (-1: none). */
static void print_slot(FILE *f, const IrModel *m, const int *coords, int id)
{
    const IrSlot *s = &m->slots[id];
    if (coords && coords[id] >= 0) {
        const IrParam *p = &m->params[coords[id]];
        if (p->len == 1) fprintf(f, "u[%ld]", p->ucoord);
        else fprintf(f, "u[%ld..%ld]", p->ucoord, p->ucoord + p->len - 1);
        return;
    }
    if (s->is_data && s->len == 1 && s->name < 0) {
        double v = s->region == REGION_CONST ? m->consts[s->off] : m->work_init[s->off];
        fprintf(f, "%.17g", v);
        return;
    }
    if (s->name >= 0) fprintf(f, "%s", m->names[s->name]);
    else fprintf(f, "%%%d", id);
}

static void print_instr(FILE *f, const IrModel *m, const int *coords, const IrInstr *in)
{
    fputs("  ", f);
    if (in->out >= 0) {
        print_slot(f, m, coords, in->out);
        fputs(" : ", f);
        print_shape(f, &m->slots[in->out]);
        fputs(" = ", f);
    } else {
        fputs("target += ", f);
    }
    if (in->op == IR_MATH) fprintf(f, "%s(", ir_unary_name((IrUnary)in->aux));
    else if (in->op == IR_LOGPDF) fprintf(f, "%s_lpdf(", dist_at(in->aux)->name);
    else if (in->op == IR_LOGPDF_SUFF) fprintf(f, "%s_lpdf_sufficient(", dist_at(in->aux)->name);
    else if (in->op == IR_LOGPDF_GROUPED) fprintf(f, "%s_lpdf_grouped(", dist_at(in->aux)->name);
    else if (in->op == IR_LOGPDF_REST) fprintf(f, "%s_lpdf_rest(", dist_at(in->aux)->name);
    else if (in->op == IR_LOGPDF_LOGODDS) fprintf(f, "%s_lpdf(", dist_at(in->aux)->name);
    else if (in->op == IR_DRAW) fprintf(f, "%s_rng(", dist_at(in->aux)->name);
    else if (in->op == IR_LOGPDF_POINTS) fprintf(f, "%s_lpdf_pointwise(", dist_at(in->aux)->name);
    else fprintf(f, "%s(", ir_op_name((IrOp)in->op));
    /* another parameterisation than the first shows its arguments' names:
    ** Bernoulli_lpdf(y | logit_p = eta) */
    bool density = ir_op_is_logpdf((IrOp)in->op) || in->op == IR_LOGPDF_POINTS;
    const DistInfo *alt = (density || in->op == IR_DRAW) && dist_at(in->aux)->alternative
                              ? dist_at(in->aux) : NULL;
    int first_arg = in->op == IR_DRAW ? 0 : 1;   /* a draw has no value among its inputs */
    /* a grouped term's vectors show the index they are read at, p[page] */
    bool grouped = in->op == IR_LOGPDF_GROUPED;
    int nargs = dist_at(in->aux)->nargs, by = grouped ? in->in[nargs + 1] : -1;
    for (int k = 0; k < IR_MAX_ARGS && in->in[k] >= 0 && !(grouped && k == nargs + 1); k++) {
        if (k) fputs(density && k == 1 ? " | " : ", ", f);
        if (in->op == IR_LOGPDF_LOGODDS && k == dist_at(in->aux)->nargs + 1) fputs("log-odds ", f);
        if (alt && k >= first_arg && k < first_arg + alt->nargs) fprintf(f, "%s = ", alt->arg_names[k - first_arg]);
        print_slot(f, m, coords, in->in[k]);
        if (grouped && k > 0 && m->slots[in->in[k]].len > 1 && !m->slots[in->in[k]].is_data) {
            fputc('[', f);
            print_slot(f, m, coords, by);
            fputc(']', f);
        }
    }
    fputc(')', f);
    if (grouped) fprintf(f, "  %ld group%s", in->n, in->n == 1 ? "" : "s");
    else if (in->n > 1) fprintf(f, "  x%ld", in->n);
    if (in->op == IR_TF_LOWER || in->op == IR_TF_BOUNDS) fputs("  + log|J|", f);
    fprintf(f, "    # line %d\n", in->line);
}

void ir_print(FILE *f, const IrModel *m)
{
    char passes[128];
    ir_pass_names(m->passes, passes, sizeof passes);
    fprintf(f, "# %ld unconstrained coordinates, %d instructions (%d for the density)\n",
            m->dim, m->ncode, m->ndensity);
    fprintf(f, "# passes: %s\n", passes);
    for (int i = 0; i < m->nconjugate; i++)
        fprintf(f, "%s%s%s", i ? ", " : "# conjugate, drawn exactly from the closed-form posterior: ",
                m->names[m->conjugate[i]], i + 1 == m->nconjugate ? "\n" : "");
    if (m->lp_const != 0) fprintf(f, "# log density of the data-only terms: %.17g\n", m->lp_const);
    fprintf(f, "data:\n");
    int ndata = 0;
    for (int i = 0; i < m->nslots; i++) {
        const IrSlot *s = &m->slots[i];
        if (!s->is_data || s->name < 0 || s->region != REGION_CONST) continue;
        /* show named data once, not every element alias */
        if (i > 0 && m->slots[i - 1].name == s->name && s->len == 1 && m->slots[i - 1].len > 1) continue;
        fprintf(f, "  %s : ", m->names[s->name]);
        print_shape(f, s);
        if (s->len == 1) fprintf(f, " = %.17g", m->consts[s->off]);
        fputc('\n', f);
        ndata++;
    }
    if (!ndata) fputs("  (none)\n", f);
    fprintf(f, "parameters:\n");
    for (int i = 0; i < m->nparams; i++) {
        const IrParam *p = &m->params[i];
        if (p->elem >= 0) fprintf(f, "  %s[%ld] : ", m->names[p->name], p->elem + 1);
        else fprintf(f, "  %s : ", m->names[p->name]);
        print_shape(f, &m->slots[p->slot]);
        const char *tf = p->tf < 0 ? "identity" : m->code[p->tf].op == IR_TF_LOWER ? "lower bound (exp)"
                                                                                : "interval (logistic)";
        fprintf(f, "  <- u[%ld..%ld], %s, prior %s\n", p->ucoord, p->ucoord + p->len - 1, tf,
                dist_at(p->dist)->name);
    }
    /* which slots hold a parameter's coordinates, once for all instructions
    ** (without memory they print by number) */
    int *coords = malloc((m->nslots ? (size_t)m->nslots : 1) * sizeof *coords);
    if (coords) {
        for (int i = 0; i < m->nslots; i++) coords[i] = -1;
        for (int p = 0; p < m->nparams; p++)
            if (m->params[p].uslot != m->params[p].slot) coords[m->params[p].uslot] = p;
    }
    fprintf(f, "density:\n");
    for (int i = 0; i < m->ndensity; i++) print_instr(f, m, coords, &m->code[i]);
    fprintf(f, "per draw (deterministic and generated quantities):\n");
    if (m->ndensity == m->ncode) fputs("  (none)\n", f);
    for (int i = m->ndensity; i < m->ncode; i++) print_instr(f, m, coords, &m->code[i]);
    free(coords);
    fprintf(f, "reported:");
    for (int i = 0; i < m->noutputs; i++) fprintf(f, " %s", m->names[m->outputs[i].name]);
    fputc('\n', f);
}

void ir_point_name(const IrModel *m, int k, char *buf, size_t size)
{
    const IrPoint *p = &m->points[k];
    ir_element_name(m, p->term, &m->slots[p->shape], p->elem, buf, size);
}

void ir_param_element_name(const IrModel *m, const IrParam *p, long i, char *buf, size_t size)
{
    if (p->elem < 0) {
        ir_element_name(m, p->name, &m->slots[p->slot], i, buf, size);
        return;
    }
    /* an element declared on its own: named within its whole vector */
    for (int k = 0; k < m->noutputs; k++)
        if (m->outputs[k].name == p->name) {
            ir_element_name(m, p->name, &m->slots[m->outputs[k].slot], p->elem, buf, size);
            return;
        }
    snprintf(buf, size, "%s[%ld]", m->names[p->name], p->elem + 1);
}
