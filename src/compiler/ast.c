/*
** ast.c -- the arena and small helpers over the tree.
*/
#include "ast.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena: a list of blocks, bump allocation within each ---- */

struct ArenaBlock {
    ArenaBlock *next;
    size_t used, size;
    max_align_t data[];
};

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    ArenaBlock *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > 16384 ? n : 16384;
        b = malloc(sizeof *b + size);
        if (!b) return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) { memcpy(p, s, n); p[n] = '\0'; }
    return p;
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---- helpers ---- */

const char *op_text(OpKind op)
{
    switch (op) {
    case OP_ADD: return "+";   case OP_SUB: return "-";
    case OP_MUL: return "*";   case OP_DIV: return "/";
    case OP_POW: return "^";   case OP_MATMUL: return "@";
    case OP_LT: return "<";    case OP_LE: return "<=";
    case OP_GT: return ">";    case OP_GE: return ">=";
    case OP_EQ: return "==";   case OP_NE: return "!=";
    case OP_AND: return "&&";  case OP_OR: return "||";
    case OP_NEG: return "-";   case OP_NOT: return "!";
    case OP_NONE: break;
    }
    return "?";
}

const char *stmt_lhs_name(const Stmt *s)
{
    const Expr *e = s->lhs;
    if (!e) return NULL;
    if (e->kind == EX_INDEX) e = e->kids[0];
    return e->kind == EX_NAME ? e->name : NULL;
}

Expr *expr_chain_start(const Expr *e)
{
    while (e->kind == EX_BINARY && e->kids[0]->kind == EX_BINARY) e = e->kids[0];
    return (Expr *)e;
}

static void print_list(FILE *f, Expr **kids, int from, int n, const char **names)
{
    for (int i = from; i < n; i++) {
        if (i > from) fputs(", ", f);
        if (names && names[i]) fprintf(f, "%s = ", names[i]);
        expr_print(f, kids[i]);
    }
}

void expr_print(FILE *f, const Expr *e)
{
    switch (e->kind) {
    case EX_NUM: fprintf(f, "%.17g", e->num); break;
    case EX_NAME: fputs(e->name, f); break;
    case EX_INDEX:
        expr_print(f, e->kids[0]);
        fputc('[', f); print_list(f, e->kids, 1, e->nkids, NULL); fputc(']', f);
        break;
    case EX_CALL:
        fprintf(f, "%s(", e->name); print_list(f, e->kids, 0, e->nkids, e->arg_names); fputc(')', f);
        break;
    case EX_VECTOR:
        fputc('[', f); print_list(f, e->kids, 0, e->nkids, NULL); fputc(']', f);
        break;
    case EX_UNARY:
        fputs(op_text(e->op), f); fputc('(', f); expr_print(f, e->kids[0]); fputc(')', f);
        break;
    case EX_BINARY: {
        /* ((a + b) + c): every '(' of the chain, then up it */
        const Expr *b = expr_chain_start(e);
        for (const Expr *x = b;; x = x->chain_up) {
            fputc('(', f);
            if (x == e) break;
        }
        expr_print(f, b->kids[0]);
        for (;; b = b->chain_up) {
            fprintf(f, " %s ", op_text(b->op));
            expr_print(f, b->kids[1]);
            fputc(')', f);
            if (b == e) break;
        }
        break;
    }
    }
}
