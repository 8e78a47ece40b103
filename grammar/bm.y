/*
** bm.y -- the grammar: tokens to syntax tree.
**
** A pure, re-entrant parser with locations.  A syntax error is reported
** with what was expected and the parser resumes at the next ';', so one
** run reports several mistakes.
*/
%define api.pure full
%define api.location.type {Loc}
%define parse.error custom
%locations
%param {void *scanner}
%parse-param {ParseState *ps}

%code requires {
#include "ast.h"
#include "parse.h"

/* A list under construction: arguments, indices, elements, statements. */
typedef struct List {
    void **items;
    const char **names;   /* keyword names, for call arguments */
    Loc *name_locs;
    int n, cap;
} List;
}

%code provides {
int bmlex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
}

%code {
#include <stdlib.h>
#include <string.h>

#define YYMAXDEPTH 2000

void *bmget_extra(void *scanner);

/* Reads a token, remembering the one before: where a missing ';' goes. */
static int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner)
{
    ParseState *ps = bmget_extra(scanner);
    ps->last = ps->cur;
    int tok = bmlex(lval, lloc, scanner);
    ps->cur = *lloc;
    return tok;
}

static void yyerror(YYLTYPE *loc, void *scanner, ParseState *ps, const char *msg);

/* Node constructors: every node comes from the arena; NULL (out of memory)
** marks the parse fatal and the caller sees a NULL program. */
static void *node(ParseState *ps, size_t size)
{
    void *p = arena_alloc(ps->arena, size);
    if (!p) ps->fatal = true;
    return p;
}

static int depth_of(Expr *const *kids, int n)
{
    int d = 0;
    for (int i = 0; i < n; i++)
        if (kids[i] && kids[i]->depth > d) d = kids[i]->depth;
    return d + 1;
}

static Expr *mk(ParseState *ps, ExprKind kind, Loc loc, Expr **kids, int nkids)
{
    Expr *e = node(ps, sizeof *e);
    if (!e) return NULL;
    e->kind = kind;
    e->loc = loc;
    e->kids = kids;
    e->nkids = nkids;
    e->depth = depth_of(kids, nkids);
    if (e->depth == AST_MAX_DEPTH + 1)
        diag_error(ps->diags, loc, "expression nested more than %d deep", AST_MAX_DEPTH);
    return e;
}

static Expr **pair(ParseState *ps, Expr *a, Expr *b)
{
    Expr **k = node(ps, 2 * sizeof *k);
    if (k) { k[0] = a; k[1] = b; }
    return k;
}

static Expr *binary(ParseState *ps, OpKind op, Expr *a, Expr *b, Loc loc)
{
    if (!a || !b) return NULL;
    Expr *e = mk(ps, EX_BINARY, loc, pair(ps, a, b), 2);
    if (e) e->op = op;
    return e;
}

static Expr *unary(ParseState *ps, OpKind op, Expr *a, Loc loc)
{
    if (!a) return NULL;
    Expr *e = mk(ps, EX_UNARY, loc, pair(ps, a, NULL), 1);
    if (e) e->op = op;
    return e;
}

static void list_push(ParseState *ps, List *l, void *item, const char *name, Loc name_loc)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 4;
        void **items = node(ps, cap * sizeof *items);
        const char **names = node(ps, cap * sizeof *names);
        Loc *locs = node(ps, cap * sizeof *locs);
        if (!items || !names || !locs) return;
        if (l->n) {
            memcpy(items, l->items, l->n * sizeof *items);
            memcpy(names, l->names, l->n * sizeof *names);
            memcpy(locs, l->name_locs, l->n * sizeof *locs);
        }
        l->items = items; l->names = names; l->name_locs = locs; l->cap = cap;
    }
    l->items[l->n] = item;
    l->names[l->n] = name;
    l->name_locs[l->n] = name_loc;
    l->n++;
}

static List list_one(ParseState *ps, void *item)
{
    List l = {0};
    Loc none = {0, 0, 0, 0};
    list_push(ps, &l, item, NULL, none);
    return l;
}

/* base[i, j]: the base followed by the indices. */
static Expr *index_expr(ParseState *ps, Expr *base, List idx, Loc loc)
{
    if (!base) return NULL;
    Expr **kids = node(ps, (idx.n + 1) * sizeof *kids);
    if (!kids) return NULL;
    kids[0] = base;
    for (int i = 0; i < idx.n; i++) kids[i + 1] = idx.items[i];
    return mk(ps, EX_INDEX, loc, kids, idx.n + 1);
}

static Expr *name_expr(ParseState *ps, const char *name, Loc loc)
{
    Expr *e = mk(ps, EX_NAME, loc, NULL, 0);
    if (e) e->name = name;
    return e;
}

static Stmt *stmt(ParseState *ps, StmtKind kind, Loc loc)
{
    Stmt *s = node(ps, sizeof *s);
    if (s) { s->kind = kind; s->loc = loc; }
    return s;
}
}

%union {
    struct { double value; bool is_int; } num;
    const char *str;
    Expr *expr;
    Stmt *stmt;
    List list;
}

%token <num> NUMBER "number"
%token <str> NAME   "name"
%token DATA "'data'" OBSERVED "'observed'" FOR "'for'" IN "'in'"
%token LE "'<='" GE "'>='" EQ "'=='" NE "'!='" AND "'&&'" OR "'||'"
%token END 0 "end of file"

%type <expr> expr postfix primary call lhs
%type <stmt> stmt
%type <list> stmts exprs exprs_opt args args_opt

%left OR
%left AND
%nonassoc EQ NE
%nonassoc '<' '>' LE GE
%left '+' '-'
%left '*' '/' '@'
%precedence UMINUS '!'
%right '^'

%initial-action { @$ = (Loc){1, 1, 1, 1}; }

%%

program
    : stmts                         { Program *p = node(ps, sizeof *p);
                                      if (p) { p->stmts = (Stmt **)$1.items; p->nstmts = $1.n; }
                                      ps->prog = p; }
    ;

stmts
    : %empty                        { memset(&$$, 0, sizeof $$); }
    | stmts stmt                    { $$ = $1; if ($2) list_push(ps, &$$, $2, NULL, @2); }
    ;

stmt
    : lhs '~' call ';'              { $$ = stmt(ps, ST_TILDE, @$); if ($$) { $$->lhs = $1; $$->rhs = $3; } }
    | lhs '~' call OBSERVED expr ';'
                                    { $$ = stmt(ps, ST_TILDE, @$);
                                      if ($$) { $$->lhs = $1; $$->rhs = $3; $$->observed = $5; } }
    | lhs '=' expr ';'              { $$ = stmt(ps, ST_ASSIGN, @$); if ($$) { $$->lhs = $1; $$->rhs = $3; } }
    | DATA lhs ';'                  { $$ = stmt(ps, ST_DATA, @$); if ($$) $$->lhs = $2; }
    | FOR NAME IN expr ':' expr '{' stmts '}'
                                    { $$ = stmt(ps, ST_FOR, @$);
                                      if ($$) { $$->var = $2; $$->var_loc = @2; $$->from = $4; $$->to = $6;
                                                $$->body = (Stmt **)$8.items; $$->nbody = $8.n; } }
    | ';'                           { $$ = NULL; }
    | error ';'                     { $$ = NULL; }
    | error '}'                     { $$ = NULL; }
    ;

lhs
    : NAME                          { $$ = name_expr(ps, $1, @1); }
    | NAME '[' exprs ']'            { $$ = index_expr(ps, name_expr(ps, $1, @1), $3, @$); }
    ;

call
    : NAME '(' args_opt ')'         { $$ = mk(ps, EX_CALL, @$, (Expr **)$3.items, $3.n);
                                      if ($$) { $$->name = $1; $$->name_loc = @1; $$->arg_names = $3.names;
                                                $$->arg_name_locs = $3.name_locs;
                                                $$->depth = depth_of($$->kids, $$->nkids); } }
    ;

args_opt
    : %empty                        { memset(&$$, 0, sizeof $$); }
    | args
    ;

args
    : expr                          { $$ = list_one(ps, $1); }
    | NAME '=' expr                 { memset(&$$, 0, sizeof $$); list_push(ps, &$$, $3, $1, @1); }
    | args ',' expr                 { $$ = $1; list_push(ps, &$$, $3, NULL, @3); }
    | args ',' NAME '=' expr        { $$ = $1; list_push(ps, &$$, $5, $3, @3); }
    ;

exprs
    : expr                          { $$ = list_one(ps, $1); }
    | exprs ',' expr                { $$ = $1; list_push(ps, &$$, $3, NULL, @3); }
    ;

exprs_opt
    : %empty                        { memset(&$$, 0, sizeof $$); }
    | exprs
    ;

expr
    : expr OR expr                  { $$ = binary(ps, OP_OR, $1, $3, @$); }
    | expr AND expr                 { $$ = binary(ps, OP_AND, $1, $3, @$); }
    | expr EQ expr                  { $$ = binary(ps, OP_EQ, $1, $3, @$); }
    | expr NE expr                  { $$ = binary(ps, OP_NE, $1, $3, @$); }
    | expr '<' expr                 { $$ = binary(ps, OP_LT, $1, $3, @$); }
    | expr '>' expr                 { $$ = binary(ps, OP_GT, $1, $3, @$); }
    | expr LE expr                  { $$ = binary(ps, OP_LE, $1, $3, @$); }
    | expr GE expr                  { $$ = binary(ps, OP_GE, $1, $3, @$); }
    | expr '+' expr                 { $$ = binary(ps, OP_ADD, $1, $3, @$); }
    | expr '-' expr                 { $$ = binary(ps, OP_SUB, $1, $3, @$); }
    | expr '*' expr                 { $$ = binary(ps, OP_MUL, $1, $3, @$); }
    | expr '/' expr                 { $$ = binary(ps, OP_DIV, $1, $3, @$); }
    | expr '@' expr                 { $$ = binary(ps, OP_MATMUL, $1, $3, @$); }
    | expr '^' expr                 { $$ = binary(ps, OP_POW, $1, $3, @$); }
    | '-' expr %prec UMINUS         { $$ = unary(ps, OP_NEG, $2, @$); }
    | '+' expr %prec UMINUS         { $$ = $2; }
    | '!' expr                      { $$ = unary(ps, OP_NOT, $2, @$); }
    | postfix
    ;

postfix
    : primary
    | postfix '[' exprs ']'         { $$ = index_expr(ps, $1, $3, @$); }
    ;

primary
    : NUMBER                        { $$ = mk(ps, EX_NUM, @1, NULL, 0);
                                      if ($$) { $$->num = $1.value; $$->is_int = $1.is_int; } }
    | NAME                          { $$ = name_expr(ps, $1, @1); }
    | call
    | '(' expr ')'                  { $$ = $2; if ($$) $$->loc = @$; }
    | '[' exprs_opt ']'             { $$ = mk(ps, EX_VECTOR, @$, (Expr **)$2.items, $2.n); }
    ;

%%

/* The text of the token at loc, for "unexpected 'x'". */
static void token_text(const ParseState *ps, const Loc *loc, char *buf, size_t size)
{
    size_t len;
    const char *line = source_line(ps->src, loc->first_line, &len);
    buf[0] = '\0';
    if (!line || loc->last_line != loc->first_line) return;
    /* Columns count characters; walk to the byte offsets. */
    size_t b = 0, e;
    for (int c = 1; c < loc->first_column && b < len; c++) {
        b++;
        while (b < len && ((unsigned char)line[b] & 0xC0) == 0x80) b++;
    }
    e = b;
    for (int c = loc->first_column; c < loc->last_column && e < len; c++) {
        e++;
        while (e < len && ((unsigned char)line[e] & 0xC0) == 0x80) e++;
    }
    if (e - b >= size) e = b + size - 1;
    memcpy(buf, line + b, e - b);
    buf[e - b] = '\0';
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, ParseState *ps)
{
    (void)scanner;
    if (ps->fatal) return 0;
    enum { MAXEXP = 8 };
    yysymbol_kind_t exp[MAXEXP];
    int nexp = yypcontext_expected_tokens(ctx, exp, MAXEXP);
    yysymbol_kind_t got = yypcontext_token(ctx);
    Loc loc = *yypcontext_location(ctx);

    bool want_semi = false;
    for (int i = 0; i < nexp; i++)
        if (strcmp(yysymbol_name(exp[i]), "';'") == 0) want_semi = true;

    /* A statement missing its ';' shows up as a surprise on the next line:
    ** point at the end of the statement instead. */
    if (want_semi && got != YYSYMBOL_YYEOF && loc.first_line > ps->last.last_line) {
        Loc at = { ps->last.last_line, ps->last.last_column, ps->last.last_line, ps->last.last_column + 1 };
        Diag *e = diag_error(ps->diags, at, "expected ';' at the end of the statement");
        diag_note(e, "every statement ends with ';'");
        return 0;
    }

    char text[64];
    token_text(ps, &loc, text, sizeof text);
    char what[128];
    if (got == YYSYMBOL_YYEOF) snprintf(what, sizeof what, "unexpected end of file");
    else if (got == YYSYMBOL_NAME) snprintf(what, sizeof what, "unexpected name '%s'", text);
    else if (got == YYSYMBOL_NUMBER) snprintf(what, sizeof what, "unexpected number '%s'", text);
    else snprintf(what, sizeof what, "unexpected '%s'", text);

    char expect[256] = "";
    if (nexp > 0 && nexp <= 5) {
        size_t off = 0;
        for (int i = 0; i < nexp; i++) {
            const char *name = yysymbol_name(exp[i]);
            off += snprintf(expect + off, sizeof expect - off, "%s%s",
                            i == 0 ? ", expected " : i == nexp - 1 ? " or " : ", ", name);
            if (off >= sizeof expect) break;
        }
    }
    Diag *e = diag_error(ps->diags, loc, "%s%s", what, expect);
    if (got != YYSYMBOL_YYEOF && strcmp(yysymbol_name(got), "';'") == 0 && !want_semi)
        diag_note(e, "the statement is not complete");
    else if (got == YYSYMBOL_NAME && loc.first_line == ps->last.last_line && want_semi)
        diag_note(e, "is an operator or a ';' missing before it?");
    return 0;
}

static void yyerror(YYLTYPE *loc, void *scanner, ParseState *ps, const char *msg)
{
    (void)scanner;
    /* Bison calls this only when its stack is exhausted. */
    if (!ps->fatal)
        diag_error(ps->diags, *loc, "%s: the model is nested too deeply",
                   strcmp(msg, "memory exhausted") == 0 ? "parser stack exhausted" : msg);
    ps->fatal = true;
}
