/*
** ast.h -- the syntax tree of a model, as the parser builds it.
**
** Every node keeps its source range for messages.  All nodes and strings of
** one tree live in one Arena and are freed together: the parser can drop
** half-built nodes on a syntax error without tracking them.
*/
#ifndef BMC_AST_H
#define BMC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

#define AST_MAX_DEPTH 200     /* nesting of expressions and loops */
#define AST_MAX_NAME 128      /* identifier length */

/* ---- arena ---- */

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena { ArenaBlock *head; } Arena;

void *arena_alloc(Arena *a, size_t n);          /* zeroed; NULL when out of memory */
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);

/* ---- expressions ---- */

typedef enum {
    EX_NUM,      /* 3, 2.5e-3 */
    EX_NAME,     /* p_A */
    EX_INDEX,    /* base[i] or base[i, j]: kids[0] is the base */
    EX_CALL,     /* f(args): function call or distribution */
    EX_VECTOR,   /* [a, b, c] */
    EX_UNARY,    /* op kids[0] */
    EX_BINARY    /* kids[0] op kids[1] */
} ExprKind;

typedef enum {
    OP_NONE,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_MATMUL,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_AND, OP_OR,
    OP_NEG, OP_NOT
} OpKind;

const char *op_text(OpKind op);   /* "+", "<=", ... */

typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    Loc loc;
    int depth;           /* how deep walks recurse below it: bounds recursion (see expr_chain_start) */
    OpKind op;           /* EX_UNARY, EX_BINARY */
    double num;          /* EX_NUM */
    bool is_int;         /* EX_NUM written without '.' or exponent */
    const char *name;    /* EX_NAME, EX_CALL */
    Loc name_loc;        /* EX_CALL: the function's name */
    Expr **kids;         /* children: operands, index base + indices, call arguments, elements */
    int nkids;
    const char **arg_names; /* EX_CALL: keyword of each argument, NULL if positional */
    Loc *arg_name_locs;
    int ref;             /* set by sema: EX_CALL's builtin or distribution index */
    Expr *chain_up;      /* an EX_BINARY that is kids[0] of an EX_BINARY: that one */
};

/* A chain of binary operators leaning left, a + b - c * d + ..., each the
** left operand of the next, may be as long as the model (a sum of 100,000
** terms).  It is no nesting: it does not count against AST_MAX_DEPTH, and
** every walk over the tree follows it with a loop, never by recursion:
**
**     Expr *b = expr_chain_start(e);      (the lowest operator of e's chain)
**     walk(b->kids[0]);                   (no binary operator)
**     for (;; b = b->chain_up) { walk(b->kids[1]); ...b's operator...; if (b == e) break; }
**
** e is the top of the walk; for e not a binary operator, e itself. */
Expr *expr_chain_start(const Expr *e);

/* ---- statements ---- */

typedef enum {
    ST_ASSIGN,   /* lhs = rhs; */
    ST_TILDE,    /* lhs ~ rhs [observed obs]; */
    ST_DATA,     /* data lhs; (lhs a name, or a name indexed by its sizes) */
    ST_FOR       /* for var in from:to { body } */
} StmtKind;

typedef struct Stmt Stmt;
struct Stmt {
    StmtKind kind;
    Loc loc;
    Expr *lhs;           /* EX_NAME or EX_INDEX of an EX_NAME */
    Expr *rhs;           /* ST_ASSIGN: value; ST_TILDE: the distribution (EX_CALL) */
    Expr *observed;      /* ST_TILDE: NULL or the observed value */
    const char *var;     /* ST_FOR */
    Loc var_loc;
    Expr *from, *to;
    Stmt **body;
    int nbody;
};

typedef struct Program {
    Stmt **stmts;
    int nstmts;
} Program;

/* The name a statement's left side defines (its base name). */
const char *stmt_lhs_name(const Stmt *s);

/* Writes e as source text (for `bmc ir` and messages). */
void expr_print(FILE *f, const Expr *e);

#endif
