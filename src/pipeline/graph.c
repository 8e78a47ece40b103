/*
** graph.c -- the model's DAG as Graphviz DOT.
**
** Nodes follow PyMC's model_to_graphviz: parameters are ellipses
** ("p_A\n~\nBeta"), observed quantities grey-filled ellipses, deterministic
** quantities boxes, data rounded boxes.  Named constants count as data
** when something drawn uses them: a model file names them for a reason,
** as a PyMC model would wrap them in pm.Data.  Sizes are not edges (PyMC
** draws none for shapes); they label the plates instead ("J = 8").
**
** Everything comes from the syntax tree and the symbols, so a model
** checked without its data still has a graph; the IR, when there is one,
** gives exact sizes and which values depend on parameters.
*/
#include "graph.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "builtins.h"
#include "shape.h"

#define SHAPE_TEXT 48
#define PLATE_KEY (2 * SHAPE_TEXT + 8)
#define DIST_TEXT 64

typedef enum { NODE_PARAM, NODE_OBSERVED, NODE_DETERMINISTIC, NODE_DATA, NODE_GENERATED } NodeKind;

/* A quantity's shape as far as it is known, with its extents as the
** source writes them ("J"), "" where unknown. */
typedef struct NodeShape {
    int rank;                  /* -1 unknown, 0 scalar, 1 vector, 2 matrix */
    long n[2];                 /* extents, -1 unknown */
    char text[2][SHAPE_TEXT];
} NodeShape;

typedef struct Node {
    const Symbol *sym;
    NodeKind kind;
    bool likelihood;           /* data on the left of a likelihood '~' */
    bool shown;
    bool shaped;               /* shape computed */
    char dist[DIST_TEXT];
    NodeShape shape;
    int plate;                 /* index into the plates, -1 none */
} Node;

typedef struct Edge { int from, to; } Edge;

typedef struct Plate {
    char key[PLATE_KEY];              /* "8", "3 x 4", or "J" without data */
    char label[2 * PLATE_KEY + 4];    /* "J = 8" */
} Plate;

typedef struct Graph {
    const Model *m;
    const DataSet *data;
    Node *nodes;               /* one per symbol, in symbol order */
    int n;
    Edge *edges;               /* sorted by (from, to), no duplicates */
    int nedges, cap_edges;
    int *out_start;            /* edges from node u: edges[out_start[u] .. out_start[u+1]) */
    int *order;                /* nodes in dependency order */
    int *irname;               /* each node's index in the IR's names, or -1 */
    Plate *plates;
    int nplates;
    bool oom;
} Graph;

static const NodeShape unknown_shape = { -1, { -1, -1 }, { "", "" } };
static const NodeShape scalar_shape = { 0, { -1, -1 }, { "", "" } };

/* The language's shape of a node's. */
static Shape plain(const NodeShape *s) { return (Shape){ s->rank, { s->n[0], s->n[1] } }; }

/* A result of the rules in shape.h, keeping the texts of the extents it
** took from ns. */
static NodeShape with_texts(Shape r, const NodeShape *ns)
{
    NodeShape out = unknown_shape;
    out.rank = r.rank;
    out.n[0] = r.n[0];
    out.n[1] = r.n[1];
    if (ns && ns->rank == r.rank) memcpy(out.text, ns->text, sizeof out.text);
    return out;
}

static int node_of(const Graph *g, const char *name)
{
    const Symbol *s = sema_find(&g->m->sema, name);
    return s ? sema_index(&g->m->sema, s) : -1;
}

/* ---- edges and distributions, from the statements ---- */

static void add_edge(Graph *g, int from, int to)
{
    if (from == to) return;   /* x[t] from x[t-1]: one node, no loop */
    if (g->nedges == g->cap_edges) {
        int cap = g->cap_edges ? 2 * g->cap_edges : 32;
        Edge *e = realloc(g->edges, (size_t)cap * sizeof *e);
        if (!e) { g->oom = true; return; }
        g->edges = e;
        g->cap_edges = cap;
    }
    g->edges[g->nedges++] = (Edge){ from, to };
}

/* Edges from every name e reads to node to.  Names that are no symbol
** are loop variables. */
static void add_reads(Graph *g, const Expr *e, int to)
{
    if (!e) return;
    if (e->kind == EX_NAME) {
        int from = node_of(g, e->name);
        if (from >= 0) add_edge(g, from, to);
        return;
    }
    if (e->kind == EX_BINARY) {   /* along the chain, not down it (ast.h) */
        const Expr *b = expr_chain_start(e);
        add_reads(g, b->kids[0], to);
        for (;; b = b->chain_up) {
            add_reads(g, b->kids[1], to);
            if (b == e) return;
        }
    }
    for (int i = 0; i < e->nkids; i++) add_reads(g, e->kids[i], to);
}

static void add_dist(Node *nd, const char *dist)
{
    if (!nd->dist[0]) {
        snprintf(nd->dist, sizeof nd->dist, "%s", dist);
        return;
    }
    /* element by element under different distributions: name them all */
    size_t n = strlen(dist), have = strlen(nd->dist);
    for (const char *p = nd->dist; (p = strstr(p, dist)) != NULL; p += n)
        if ((p == nd->dist || p[-1] == '/') && (p[n] == '\0' || p[n] == '/')) return;
    if (have + 1 + n < sizeof nd->dist) snprintf(nd->dist + have, sizeof nd->dist - have, "/%s", dist);
}

static void walk_stmt(Graph *g, const Stmt *st)
{
    if (!st) return;
    if (st->kind == ST_FOR) {
        for (int i = 0; i < st->nbody; i++) walk_stmt(g, st->body[i]);
        return;
    }
    int to = node_of(g, stmt_lhs_name(st));
    if (to < 0) return;
    Node *nd = &g->nodes[to];
    if (st->kind == ST_ASSIGN) {
        add_reads(g, st->rhs, to);
    } else if (st->kind == ST_TILDE) {
        add_dist(nd, st->rhs->name);
        add_reads(g, st->rhs, to);
        if (st->observed) add_reads(g, st->observed, to);
        else if (!sema_tilde_declares(&g->m->sema, st)) nd->likelihood = true;
    }
}

static int by_edge(const void *a, const void *b)
{
    const Edge *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Sorts the edges, drops duplicates and indexes them by their source. */
static void index_edges(Graph *g)
{
    if (g->nedges > 1) qsort(g->edges, (size_t)g->nedges, sizeof *g->edges, by_edge);
    int k = 0;
    for (int i = 0; i < g->nedges; i++)
        if (k == 0 || by_edge(&g->edges[k - 1], &g->edges[i]) != 0) g->edges[k++] = g->edges[i];
    g->nedges = k;
    if (!(g->out_start = calloc((size_t)g->n + 1, sizeof *g->out_start))) { g->oom = true; return; }
    for (int i = 0; i < g->nedges; i++) g->out_start[g->edges[i].from + 1]++;
    for (int u = 0; u < g->n; u++) g->out_start[u + 1] += g->out_start[u];
}

/* Kahn's algorithm; nodes on a cycle (possible in a model checked
** without its data) come last, in symbol order. */
static void order_nodes(Graph *g)
{
    int *indeg = calloc((size_t)g->n + 1, sizeof *indeg);
    g->order = malloc(((size_t)g->n + 1) * sizeof *g->order);
    bool *placed = calloc((size_t)g->n + 1, sizeof *placed);
    if (!indeg || !g->order || !placed) {
        g->oom = true;
        free(indeg);
        free(placed);
        return;
    }
    for (int i = 0; i < g->nedges; i++) indeg[g->edges[i].to]++;
    int head = 0, tail = 0;
    for (int u = 0; u < g->n; u++)
        if (indeg[u] == 0) { g->order[tail++] = u; placed[u] = true; }
    while (head < tail) {
        int u = g->order[head++];
        for (int k = g->out_start[u]; k < g->out_start[u + 1]; k++) {
            int v = g->edges[k].to;
            if (--indeg[v] == 0 && !placed[v]) { g->order[tail++] = v; placed[v] = true; }
        }
    }
    for (int u = 0; u < g->n; u++)
        if (!placed[u]) g->order[tail++] = u;
    free(indeg);
    free(placed);
}

/* ---- what each node is ---- */

/* The IR name of each symbol, -1 when the IR does not know it. */
static void map_ir_names(Graph *g)
{
    const IrModel *ir = g->m->ir;
    if (!(g->irname = malloc(((size_t)g->n + 1) * sizeof *g->irname))) { g->oom = true; return; }
    for (int u = 0; u < g->n; u++) g->irname[u] = -1;
    for (int i = 0; ir && i < ir->nnames; i++) {
        int u = node_of(g, ir->names[i]);
        if (u >= 0) g->irname[u] = i;
    }
}

/* A value is deterministic when it depends on a parameter: the IR reports
** it as an output; without an IR, one of its inputs is stochastic. */
static void classify(Graph *g)
{
    const IrModel *ir = g->m->ir;
    bool *output = NULL;
    if (ir) {
        if (!(output = calloc((size_t)ir->nnames + 1, sizeof *output))) { g->oom = true; return; }
        for (int i = 0; i < ir->noutputs; i++)
            if (ir->outputs[i].name >= 0 && ir->outputs[i].name < ir->nnames) output[ir->outputs[i].name] = true;
    }
    /* the dependency order puts every input before its users */
    bool *fed = calloc((size_t)g->n + 1, sizeof *fed);   /* has a stochastic input */
    if (!fed) { g->oom = true; free(output); return; }
    for (int k = 0; k < g->n; k++) {
        int u = g->order[k];
        Node *nd = &g->nodes[u];
        SymKind sk = nd->sym->kind;
        if (sk == SYM_PARAM) nd->kind = NODE_PARAM;
        else if (sk == SYM_GENERATED) nd->kind = NODE_GENERATED;
        else if (sk == SYM_OBSERVED || nd->likelihood) nd->kind = NODE_OBSERVED;
        else if (sk == SYM_DATA) nd->kind = NODE_DATA;
        else if (ir) {
            int nm = g->irname[u];
            nd->kind = nm >= 0 && output[nm] ? NODE_DETERMINISTIC : NODE_DATA;
        } else {
            nd->kind = fed[u] ? NODE_DETERMINISTIC : NODE_DATA;
        }
        if (nd->kind == NODE_PARAM || nd->kind == NODE_GENERATED || nd->kind == NODE_DETERMINISTIC)
            for (int e = g->out_start[u]; e < g->out_start[u + 1]; e++) fed[g->edges[e].to] = true;
    }
    free(fed);
    free(output);
    /* constants are drawn when something drawn uses them; users come later */
    for (int k = g->n - 1; k >= 0; k--) {
        int u = g->order[k];
        Node *nd = &g->nodes[u];
        nd->shown = nd->kind != NODE_DATA || nd->sym->kind == SYM_DATA;
        for (int e = g->out_start[u]; e < g->out_start[u + 1] && !nd->shown; e++)
            nd->shown = g->nodes[g->edges[e].to].shown;
    }
}

/* ---- shapes ---- */

static void expr_text(const Expr *e, char *buf, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    buf[0] = '\0';
    if (!f) return;
    expr_print(f, e);
    if (fclose(f) == 0 && text) snprintf(buf, size, "%s", text);
    free(text);
}

/* A size expression: its text, and its value when it is a number or a
** data name whose value was given. */
static void size_of(const Graph *g, const Expr *e, long *n, char *text)
{
    expr_text(e, text, SHAPE_TEXT);
    *n = -1;
    if (e->kind == EX_NUM && e->num >= 0 && e->num <= IR_MAX_ELEMENTS && e->num == (long)e->num) {
        *n = (long)e->num;
    } else if (e->kind == EX_NAME && g->data) {
        const DataValue *dv = dataset_find(g->data, e->name);
        if (dv && dv->ndim == 0 && dv->n == 1 && dv->v[0] >= 0 && dv->v[0] <= IR_MAX_ELEMENTS &&
            dv->v[0] == (long)dv->v[0])
            *n = (long)dv->v[0];
    }
}

/* The shape an index expression gives: x[J] or X[N, K]. */
static NodeShape indexed_shape(const Graph *g, const Expr *lhs)
{
    NodeShape s = unknown_shape;
    if (lhs->nkids < 2 || lhs->nkids > 3) return s;
    s.rank = lhs->nkids - 1;
    for (int k = 0; k < s.rank; k++) size_of(g, lhs->kids[k + 1], &s.n[k], s.text[k]);
    return s;
}

/* The loop of variable var around target inside st, or NULL. */
static const Stmt *loop_of(const Stmt *st, const Stmt *target, const char *var, bool *found)
{
    if (st == target) { *found = true; return NULL; }
    if (!st || st->kind != ST_FOR) return NULL;
    for (int i = 0; i < st->nbody && !*found; i++) {
        const Stmt *inner = loop_of(st->body[i], target, var, found);
        if (inner) return inner;
    }
    return *found && strcmp(st->var, var) == 0 ? st : NULL;
}

/* Whether extent (n, text) says more than the best so far: a larger
** known size, or a name of unknown value over a literal (x[1] before
** the loop over 2:N). */
static bool better_extent(long n, const char *text, long best_n, const char *best_text)
{
    if (!text[0]) return false;
    if (!best_text[0]) return true;
    if (n >= 0 && best_n >= 0) return n > best_n;
    return n < 0 && best_n >= 0;
}

/* An element-by-element symbol: each extent is its largest index, the
** upper bound of a loop (for i in 1:N gives N) or a literal index. */
static NodeShape elementwise_shape(const Graph *g, const Symbol *sym)
{
    NodeShape s = unknown_shape;
    for (int d = 0; d < sym->ndefs; d++) {
        const Stmt *st = sym->defs[d].stmt;
        if (st->lhs->kind != EX_INDEX || st->lhs->nkids < 2 || st->lhs->nkids > 3) continue;
        s.rank = st->lhs->nkids - 1;
        for (int k = 0; k < s.rank; k++) {
            const Expr *ix = st->lhs->kids[k + 1], *bound = NULL;
            if (ix->kind == EX_NUM) {
                bound = ix;
            } else if (ix->kind == EX_NAME) {
                bool found = false;
                const Stmt *loop = loop_of(g->m->prog->stmts[sym->defs[d].top], st, ix->name, &found);
                if (loop) bound = loop->to;
            }
            if (!bound) continue;
            long n;
            char text[SHAPE_TEXT];
            size_of(g, bound, &n, text);
            if (better_extent(n, text, s.n[k], s.text[k])) {
                s.n[k] = n;
                memcpy(s.text[k], text, SHAPE_TEXT);
            }
        }
    }
    return s;
}

/* An elementwise result (shape.h's rule), its extents' texts from the
** operand they come from, or from the other where that has none. */
static NodeShape broadcast(NodeShape a, NodeShape b)
{
    Shape r;
    ShapeFrom from;
    if (!shape_elementwise(plain(&a), plain(&b), &r, &from)) return unknown_shape;
    const NodeShape *first = from == SHAPE_FROM_A ? &a : &b, *other = from == SHAPE_FROM_A ? &b : &a;
    NodeShape out = with_texts(r, first);
    if (other->rank == r.rank)
        for (int k = 0; k < r.rank; k++)
            if (!out.text[k][0]) memcpy(out.text[k], other->text[k], SHAPE_TEXT);
    return out;
}

/* The shape binary operator e gives its operands' shapes x and v. */
static NodeShape operator_shape(const Expr *e, NodeShape x, NodeShape v)
{
    if (e->op != OP_MATMUL) return broadcast(x, v);
    Shape r;
    if (!shape_matvec(plain(&x), plain(&v), &r)) return unknown_shape;
    NodeShape s = with_texts(r, NULL);
    memcpy(s.text[0], x.text[0], SHAPE_TEXT);
    return s;
}

static NodeShape infer(const Graph *g, const Expr *e)
{
    if (!e) return unknown_shape;
    switch (e->kind) {
    case EX_NUM:
        return scalar_shape;
    case EX_NAME: {
        int u = node_of(g, e->name);
        if (u < 0) return scalar_shape;   /* a loop variable */
        return g->nodes[u].shaped ? g->nodes[u].shape : unknown_shape;
    }
    case EX_VECTOR: {
        NodeShape s = with_texts(shape_vector(e->nkids), NULL);
        snprintf(s.text[0], SHAPE_TEXT, "%d", e->nkids);
        return s;
    }
    case EX_INDEX: {
        NodeShape base = infer(g, e->kids[0]), ix[2];
        Shape idx[2], r;
        int nidx = e->nkids - 1 < 2 ? e->nkids - 1 : 2;
        for (int k = 0; k < nidx; k++) {
            ix[k] = infer(g, e->kids[k + 1]);
            idx[k] = plain(&ix[k]);
        }
        switch (shape_index(plain(&base), nidx, idx, &r)) {
        case INDEX_ELEMENT: return with_texts(r, NULL);
        case INDEX_ROW: {
            NodeShape row = with_texts(r, NULL);
            memcpy(row.text[0], base.text[1], SHAPE_TEXT);
            return row;
        }
        case INDEX_GATHER: return with_texts(r, &ix[0]);
        default: return unknown_shape;
        }
    }
    case EX_CALL: {
        const Builtin *b = builtin_lookup(e->name);
        if (b && (b->kind == BF_REDUCE || b->kind == BF_DOT || b->kind == BF_LENGTH ||
                  b->kind == BF_NLEVELS)) return scalar_shape;
        NodeShape s = scalar_shape;
        for (int k = 0; k < e->nkids; k++) s = broadcast(s, infer(g, e->kids[k]));
        return s;
    }
    case EX_UNARY:
        return infer(g, e->kids[0]);
    case EX_BINARY: {   /* along the chain, not down it (ast.h) */
        const Expr *b = expr_chain_start(e);
        NodeShape acc = infer(g, b->kids[0]);
        for (;; b = b->chain_up) {
            acc = operator_shape(b, acc, infer(g, b->kids[1]));
            if (b == e) return acc;
        }
    }
    }
    return unknown_shape;
}

/* The shape as the source states it. */
static NodeShape source_shape(const Graph *g, const Node *nd)
{
    const Symbol *sym = nd->sym;
    if (sym->elementwise) return elementwise_shape(g, sym);
    const Stmt *st = sym->defs[0].stmt;
    switch (sym->kind) {
    case SYM_DATA: {
        if (st->lhs->kind == EX_INDEX) return indexed_shape(g, st->lhs);
        const DataValue *dv = g->data ? dataset_find(g->data, sym->name) : NULL;
        NodeShape s = unknown_shape;
        if (!dv) return s;
        s.rank = dv->ndim;
        for (int k = 0; k < dv->ndim && k < 2; k++) {
            s.n[k] = dv->dims[k];
            snprintf(s.text[k], SHAPE_TEXT, "%ld", dv->dims[k]);
        }
        return s;
    }
    case SYM_PARAM: case SYM_GENERATED:
        if (st->lhs->kind == EX_INDEX) return indexed_shape(g, st->lhs);
        return infer(g, st->rhs);   /* arguments broadcast */
    case SYM_OBSERVED:
        return infer(g, st->observed);
    case SYM_VALUE:
        return infer(g, st->rhs);
    }
    return unknown_shape;
}

/* The slot holding each IR name's whole value: a reported quantity's
** own, else the largest slot of that name (element aliases are smaller). */
static int *whole_slots(const IrModel *ir)
{
    int *best = malloc(((size_t)ir->nnames + 1) * sizeof *best);
    if (!best) return NULL;
    for (int i = 0; i < ir->nnames; i++) best[i] = -1;
    for (int s = 0; s < ir->nslots; s++) {
        int nm = ir->slots[s].name;
        if (nm < 0 || nm >= ir->nnames) continue;
        const IrSlot *a = &ir->slots[s], *b = best[nm] >= 0 ? &ir->slots[best[nm]] : NULL;
        if (!b || a->rank > b->rank || (a->rank == b->rank && a->len > b->len)) best[nm] = s;
    }
    for (int i = 0; i < ir->noutputs; i++)
        if (ir->outputs[i].name >= 0 && ir->outputs[i].name < ir->nnames) best[ir->outputs[i].name] = ir->outputs[i].slot;
    return best;
}

static void compute_shapes(Graph *g)
{
    const IrModel *ir = g->m->ir;
    int *slot_of = ir ? whole_slots(ir) : NULL;
    if (ir && !slot_of) { g->oom = true; return; }
    for (int k = 0; k < g->n; k++) {
        Node *nd = &g->nodes[g->order[k]];
        NodeShape s = source_shape(g, nd);
        int nm = g->irname[g->order[k]];
        if (nm >= 0 && slot_of[nm] >= 0) {
            const IrSlot *sl = &ir->slots[slot_of[nm]];
            if (s.rank != sl->rank) s = unknown_shape;   /* the text no longer fits */
            s.rank = sl->rank;
            s.n[0] = sl->rank == 1 ? sl->len : sl->rows;
            s.n[1] = sl->cols;
        }
        nd->shape = s;
        nd->shaped = true;
    }
    free(slot_of);
}

/* ---- plates ---- */

/* The plate a shape belongs to: its numeric extents when known, else
** their text ("J" without data); false for scalars and unknown shapes. */
static bool plate_key(const NodeShape *s, Plate *p)
{
    if (s->rank < 1) return false;
    char num[2][32], word[2][SHAPE_TEXT];
    bool numeric = true;
    for (int k = 0; k < s->rank; k++) {
        if (s->n[k] < 0 && !s->text[k][0]) return false;
        numeric = numeric && s->n[k] >= 0;
        snprintf(num[k], sizeof num[k], "%ld", s->n[k]);
        snprintf(word[k], sizeof word[k], "%s", s->text[k][0] ? s->text[k] : num[k]);
    }
    const char *sep = s->rank == 2 ? " x " : "";
    if (!numeric) {
        snprintf(p->key, sizeof p->key, "%s%s%s", word[0], sep, s->rank == 2 ? word[1] : "");
        snprintf(p->label, sizeof p->label, "%s", p->key);
        return true;
    }
    snprintf(p->key, sizeof p->key, "%s%s%s", num[0], sep, s->rank == 2 ? num[1] : "");
    char words[sizeof p->key];
    snprintf(words, sizeof words, "%s%s%s", word[0], sep, s->rank == 2 ? word[1] : "");
    if (strcmp(words, p->key) == 0) snprintf(p->label, sizeof p->label, "%s", p->key);
    else snprintf(p->label, sizeof p->label, "%s = %s", words, p->key);
    return true;
}

static void assign_plates(Graph *g)
{
    if (!(g->plates = calloc((size_t)g->n + 1, sizeof *g->plates))) { g->oom = true; return; }
    for (int u = 0; u < g->n; u++) {
        Node *nd = &g->nodes[u];
        nd->plate = -1;
        Plate p;
        if (!nd->shown || !plate_key(&nd->shape, &p)) continue;
        int k = 0;
        while (k < g->nplates && strcmp(g->plates[k].key, p.key) != 0) k++;
        if (k == g->nplates) g->plates[g->nplates++] = p;
        /* a member that names the size labels the plate: "J = 8" */
        else if (strcmp(g->plates[k].label, g->plates[k].key) == 0)
            memcpy(g->plates[k].label, p.label, sizeof p.label);
        nd->plate = k;
    }
}

/* ---- DOT ---- */

/* Model names are identifiers; the few that DOT reserves need quotes. */
static void put_id(FILE *f, const char *name)
{
    static const char *const reserved[] = { "node", "edge", "graph", "digraph", "subgraph", "strict" };
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcasecmp(name, reserved[i]) == 0) { fprintf(f, "\"%s\"", name); return; }
    fputs(name, f);
}

static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_node(FILE *f, const Node *nd, const char *indent)
{
    static const char *const what[] = {
        [NODE_PARAM] = "shape=ellipse",
        [NODE_OBSERVED] = "shape=ellipse style=filled fillcolor=lightgrey",
        [NODE_DETERMINISTIC] = "shape=box",
        [NODE_DATA] = "shape=box style=rounded",
        [NODE_GENERATED] = "shape=ellipse style=dashed",   /* drawn per draw, as PyMC's predictive nodes */
    };
    const char *label = nd->kind == NODE_DETERMINISTIC ? "Deterministic"
                        : nd->kind == NODE_DATA ? "Data" : nd->dist[0] ? nd->dist : "?";
    fputs(indent, f);
    put_id(f, nd->sym->name);
    fprintf(f, " [label=\"%s\\n~\\n%s\" %s]\n", nd->sym->name, label, what[nd->kind]);
}

static int by_place(const void *a, const void *b)
{
    const Node *x = *(const Node *const *)a, *y = *(const Node *const *)b;
    if (x->sym->loc.first_line != y->sym->loc.first_line) return x->sym->loc.first_line < y->sym->loc.first_line ? -1 : 1;
    return (x->sym->loc.first_column > y->sym->loc.first_column) - (x->sym->loc.first_column < y->sym->loc.first_column);
}

static int write_dot(FILE *f, const Graph *g)
{
    const Node **byline = malloc(((size_t)g->n + 1) * sizeof *byline);
    if (!byline) return -1;
    for (int u = 0; u < g->n; u++) byline[u] = &g->nodes[u];
    if (g->n > 1) qsort(byline, (size_t)g->n, sizeof *byline, by_place);

    fputs("digraph ", f);
    put_quoted(f, g->m->name);
    fputs(" {\n", f);
    for (int i = 0; i < g->n; i++)
        if (byline[i]->shown && byline[i]->plate < 0) put_node(f, byline[i], "\t");
    for (int p = 0; p < g->nplates; p++) {
        fprintf(f, "\tsubgraph cluster_%d {\n\t\tlabel=", p + 1);
        put_quoted(f, g->plates[p].label);
        fputs(" labeljust=r labelloc=b style=rounded\n", f);
        for (int i = 0; i < g->n; i++)
            if (byline[i]->shown && byline[i]->plate == p) put_node(f, byline[i], "\t\t");
        fputs("\t}\n", f);
    }
    /* edges in the order of the file, as a reader meets them */
    int *place = malloc(((size_t)g->n + 1) * sizeof *place);
    Edge *edges = malloc(((size_t)g->nedges + 1) * sizeof *edges);
    if (!place || !edges) {
        free(byline);
        free(place);
        free(edges);
        return -1;
    }
    for (int i = 0; i < g->n; i++) place[byline[i] - g->nodes] = i;
    for (int i = 0; i < g->nedges; i++) edges[i] = (Edge){ place[g->edges[i].from], place[g->edges[i].to] };
    if (g->nedges > 1) qsort(edges, (size_t)g->nedges, sizeof *edges, by_edge);
    for (int i = 0; i < g->nedges; i++) {
        const Node *a = byline[edges[i].from], *b = byline[edges[i].to];
        if (!a->shown || !b->shown) continue;
        fputc('\t', f);
        put_id(f, a->sym->name);
        fputs(" -> ", f);
        put_id(f, b->sym->name);
        fputc('\n', f);
    }
    fputs("}\n", f);
    free(byline);
    free(place);
    free(edges);
    return ferror(f) || fflush(f) != 0 ? -1 : 0;
}

int graph_write_dot(FILE *out, const Model *m, const DataSet *data)
{
    Graph g;
    memset(&g, 0, sizeof g);
    g.m = m;
    g.data = data;
    g.n = m->sema.nsyms;
    int rc = -1;
    if (!(g.nodes = calloc((size_t)g.n + 1, sizeof *g.nodes))) return -1;
    for (int u = 0; u < g.n; u++) g.nodes[u].sym = &m->sema.syms[u];
    for (int i = 0; i < m->prog->nstmts && !g.oom; i++) walk_stmt(&g, m->prog->stmts[i]);
    if (!g.oom) index_edges(&g);
    if (!g.oom) order_nodes(&g);
    if (!g.oom) map_ir_names(&g);
    if (!g.oom) classify(&g);
    if (!g.oom) compute_shapes(&g);
    if (!g.oom) assign_plates(&g);
    if (!g.oom) rc = write_dot(out, &g);
    free(g.nodes);
    free(g.edges);
    free(g.out_start);
    free(g.order);
    free(g.irname);
    free(g.plates);
    return rc;
}
