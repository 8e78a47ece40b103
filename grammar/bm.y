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
%define parse.lac full
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
#include "python.h"

#define YYMAXDEPTH 2000

void *bmget_extra(void *scanner);

/* Reads a token, remembering the one before (where a missing ';' goes)
** and what the statement read so far is like (for the hints).  The first
** token of a parse says what is parsed: a program, or a call. */
static int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner)
{
    ParseState *ps = bmget_extra(scanner);
    if (ps->start) {
        int tok = ps->start == PARSE_CALL ? START_CALL : START_PROGRAM;
        ps->start = 0;
        return tok;
    }
    ps->last = ps->cur;
    ps->last_starts = ps->cur_starts;
    int tok = bmlex(lval, lloc, scanner);
    ps->cur = *lloc;
    ps->cur_starts = ps->next_starts;
    ps->next_starts = tok == ';' || tok == '{' || tok == '}';
    if (ps->cur_starts) ps->parens = ps->sign = 0;
    if (tok == '(' || tok == '[') ps->parens++;
    else if ((tok == ')' || tok == ']') && ps->parens > 0) ps->parens--;
    else if ((tok == '=' || tok == '~') && ps->parens == 0 && !ps->sign) ps->sign = tok;
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

/* 1 + the deepest operand: how deep walks over the tree recurse.  The
** left operand of a binary operator that is one itself adds nothing: a
** chain a + b + c ... is walked with a loop (ast.h, expr_chain_start). */
static int depth_of(ExprKind kind, Expr *const *kids, int n)
{
    int d = 0;
    for (int i = 0; i < n; i++) {
        if (!kids[i]) continue;
        bool chained = kind == EX_BINARY && i == 0 && kids[i]->kind == EX_BINARY;
        int k = kids[i]->depth - (chained ? 1 : 0);
        if (k > d) d = k;
    }
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
    e->depth = depth_of(kind, kids, nkids);
    if (e->depth == AST_MAX_DEPTH + 1)
        diag_note(diag_error(ps->diags, DIAG_LIMIT, loc, "expression nested more than %d deep", AST_MAX_DEPTH),
                  "split it over several statements: a = ...; b = a + ...;");
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
    Expr **kids = pair(ps, a, b);
    Expr *e = kids ? mk(ps, EX_BINARY, loc, kids, 2) : NULL;
    if (!e) return NULL;
    e->op = op;
    if (a->kind == EX_BINARY) a->chain_up = e;
    return e;
}

static Expr *unary(ParseState *ps, OpKind op, Expr *a, Loc loc)
{
    if (!a) return NULL;
    Expr **kids = pair(ps, a, NULL);
    Expr *e = kids ? mk(ps, EX_UNARY, loc, kids, 1) : NULL;
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
%token START_PROGRAM "a program" START_CALL "a call"   /* what is parsed: see yylex */

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

%initial-action { @$ = (Loc){1, ps->first_column, 1, ps->first_column}; }

%%

input
    : START_PROGRAM program
    | START_CALL call               { ps->call = $2; }
    ;

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
    /* A complete statement followed by a surprise, usually the next
    ** statement after a forgotten ';': the error is reported and parsing
    ** goes on from the surprise, so an error in the next statement is
    ** found in the same run rather than skipped up to its ';'. */
    | lhs '~' call error            { $$ = NULL; }
    | lhs '~' call OBSERVED expr error
                                    { $$ = NULL; }
    | lhs '=' expr error            { $$ = NULL; }
    | DATA lhs error                { $$ = NULL; }
    ;

lhs
    : NAME                          { $$ = name_expr(ps, $1, @1); }
    | NAME '[' exprs ']'            { $$ = index_expr(ps, name_expr(ps, $1, @1), $3, @$); }
    ;

call
    : NAME '(' args_opt ')'         { $$ = mk(ps, EX_CALL, @$, (Expr **)$3.items, $3.n);
                                      if ($$) { $$->name = $1; $$->name_loc = @1; $$->arg_names = $3.names;
                                                $$->arg_name_locs = $3.name_locs; } }
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
    buf[0] = '\0';
    if (loc->first_line < 1 || loc->last_line != loc->first_line) return;
    size_t b = source_offset(ps->src, loc->first_line, loc->first_column);
    size_t e = source_offset(ps->src, loc->last_line, loc->last_column);
    if (e < b) e = b;
    if (e - b >= size) e = b + size - 1;
    memcpy(buf, ps->src->text + b, e - b);
    buf[e - b] = '\0';
}

/* An open bracket met while scanning the source. */
typedef struct Bracket {
    char c;
    int line, column;
} Bracket;

/* Scans the source before byte end as the lexer reads it (comments and
** strings skipped) and leaves the innermost bracket still open in *open.
** Returns false when none is open. */
static bool open_bracket(const Source *src, size_t end, Bracket *open)
{
    enum { MAX = AST_MAX_DEPTH + 2 };
    Bracket stack[MAX];
    int n = 0, deeper = 0, line = 1, column = 1;
    for (size_t i = 0; i < end && i < src->len; i++) {
        char c = src->text[i];
        if (c == '#' || (c == '/' && i + 1 < src->len && src->text[i + 1] == '/')) {
            while (i + 1 < end && src->text[i + 1] != '\n') i++;
            continue;
        }
        if (c == '"' || c == '\'') {
            size_t j = i + 1;
            while (j < end && src->text[j] != c && src->text[j] != '\n') j++;
            column += (int)(j - i);
            i = j;
            if (i < end && src->text[i] == '\n') { line++; column = 1; }
            else column++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (n < MAX) stack[n++] = (Bracket){c, line, column};
            else deeper++;
        } else if (c == ';') {
            /* the parser resumes after a ';': what it left open is over */
            while (n > 0 && stack[n - 1].c != '{') n--;
            deeper = 0;
        } else if (c == ')' || c == ']' || c == '}') {
            if (deeper > 0) deeper--;
            else if (n > 0) n--;
        }
        if (c == '\n') { line++; column = 1; }
        else if (((unsigned char)c & 0xC0) != 0x80) column++;
    }
    if (n == 0) return false;
    *open = stack[n - 1];
    return true;
}

static char closer_of(char c) { return c == '(' ? ')' : c == '[' ? ']' : '}'; }

/* The note that bracket open is left open, and its place. */
static void unclosed(const ParseState *ps, Diag *e, const Bracket *open, const char *how)
{
    diag_note(e, "the '%c' %s", open->c, how);
    Loc at = { open->line, open->column, open->line, open->column + 1 };
    diag_related(e, ps->src, at, "the '%c' opened here", open->c);
}

static bool sym_is(yysymbol_kind_t k, const char *name) { return strcmp(yysymbol_name(k), name) == 0; }

/* Whether the parser could take an expression here: it expects a number. */
static bool starts_expr(yysymbol_kind_t k)
{
    return k == YYSYMBOL_NAME || k == YYSYMBOL_NUMBER || sym_is(k, "'('") || sym_is(k, "'['") ||
           sym_is(k, "'-'") || sym_is(k, "'+'") || sym_is(k, "'!'");
}

/* What the parser met and wanted at a syntax error. */
typedef struct Surprise {
    yysymbol_kind_t got;
    Loc loc;
    char text[64], prev[64];   /* the token met and the one before */
    bool want_semi, want_expr, want_comma, want_op, stmt_start, after_tilde, after_dist;
} Surprise;

/* ", expected a or b": an expression stands for the tokens that start
** one, a statement for those that start one; a long list says nothing. */
static void expected_text(const Surprise *s, const yysymbol_kind_t *exp, int nexp, char *buf, size_t size)
{
    const char *list[64 + 2];
    int n = 0;
    if (s->after_tilde) list[n++] = "a distribution";
    else if (s->stmt_start) list[n++] = "a statement";
    else if (s->want_expr) list[n++] = "an expression";
    for (int i = 0; i < nexp && n < 64; i++) {
        bool stmt_token = exp[i] == YYSYMBOL_NAME || exp[i] == YYSYMBOL_DATA || exp[i] == YYSYMBOL_FOR ||
                          sym_is(exp[i], "';'");
        if (s->after_tilde || (s->stmt_start && stmt_token) || (!s->stmt_start && s->want_expr && starts_expr(exp[i])))
            continue;
        list[n++] = exp[i] == YYSYMBOL_NAME ? "a name" : yysymbol_name(exp[i]);
    }
    buf[0] = '\0';
    if (n == 0 || n > 5) return;
    size_t off = 0;
    for (int i = 0; i < n && off < size; i++)
        off += snprintf(buf + off, size - off, "%s%s", i == 0 ? ", expected " : i == n - 1 ? " or " : ", ", list[i]);
}

/* The likely cause, as a note: an unclosed bracket, a missing value,
** operator or separator, '~' where '=' was meant. */
static void hint(Diag *e, const ParseState *ps, const Surprise *s)
{
    if (!e) return;   /* past the limit: only counted, and a hint may scan the whole file */
    bool eof = s->got == YYSYMBOL_YYEOF;
    bool closer = !eof && (sym_is(s->got, "')'") || sym_is(s->got, "']'") || sym_is(s->got, "'}'"));
    const char *prev = s->prev;
    bool name_or_value = s->got == YYSYMBOL_NAME || s->got == YYSYMBOL_NUMBER || sym_is(s->got, "'('");
    const char *python;
    Bracket open;
    /* habits of PyMC code first (python.h) */
    if (s->got == YYSYMBOL_OBSERVED && ps->parens > 0) {
        diag_note(e, "'observed' follows the distribution's ')', with no '=': y ~ Binomial(n, p) observed 120;");
    } else if (sym_is(s->got, "'='") && strcmp(prev, "observed") == 0) {
        diag_note(e, "'observed' takes the values with no '=': y ~ Binomial(n, p) observed 120;");
    } else if (s->got == YYSYMBOL_OBSERVED && ps->sign == '=') {
        diag_note(e, "a likelihood term is written with '~', not '=': y ~ Binomial(n, p) observed 120;");
    } else if (sym_is(s->got, "'*'") && strcmp(prev, "*") == 0) {
        diag_note(e, "%s", python_operator_note("**"));
    } else if (s->got == YYSYMBOL_NAME && s->want_op && (python = python_operator_note(s->text))) {
        diag_note(e, "%s", python);
    } else if (name_or_value && (python = python_operator_note(prev))) {
        diag_note(e, "%s", python);
    } else if (name_or_value && ps->last_starts && (python = python_statement_note(prev))) {
        diag_note(e, "%s", python);
    } else if (s->after_tilde || s->after_dist) {
        diag_note(e, "'~' takes a distribution, as in x ~ Normal(0, 1); to give a name a value, write x = ...");
    } else if (eof) {
        if (open_bracket(ps->src, ps->src->len, &open))
            unclosed(ps, e, &open, "is never closed");
    } else if (s->want_expr && (strcmp(prev, ",") == 0 || strcmp(prev, "(") == 0 || strcmp(prev, "[") == 0) &&
               (closer || sym_is(s->got, "','") || sym_is(s->got, "';'"))) {
        diag_note(e, "a value is missing after '%s'", prev);
    } else if (closer) {
        char c = s->text[0];
        if (!open_bracket(ps->src, source_offset(ps->src, s->loc.first_line, s->loc.first_column), &open))
            diag_note(e, "there is no '%c' for this '%c' to close", c == ')' ? '(' : c == ']' ? '[' : '{', c);
        else if (closer_of(open.c) != c)
            unclosed(ps, e, &open, "is still open");
    } else if (sym_is(s->got, "';'") && !s->want_semi) {
        if (open_bracket(ps->src, source_offset(ps->src, s->loc.first_line, s->loc.first_column), &open) && open.c != '{')
            unclosed(ps, e, &open, "is never closed");
        else
            diag_note(e, "the statement is not complete");
    } else if (name_or_value && s->loc.first_line == ps->last.last_line && (s->want_semi || s->want_comma || s->want_op)) {
        const char *miss[3];
        int n = 0;
        if (s->want_op) miss[n++] = "an operator";
        if (s->want_comma) miss[n++] = "a ','";
        if (s->want_semi) miss[n++] = "a ';'";
        if (n == 1) diag_note(e, "is %s missing before it?", miss[0]);
        else if (n == 2) diag_note(e, "is %s or %s missing before it?", miss[0], miss[1]);
        else diag_note(e, "is %s, %s or %s missing before it?", miss[0], miss[1], miss[2]);
    }
}

/* A syntax error in a call parsed alone (the REPL's :dist): what was
** wanted, without the hints about statements. */
static void call_error(ParseState *ps, Surprise *s, const yysymbol_kind_t *exp, int nexp)
{
    Loc after_last = {ps->last.last_line, ps->last.last_column, ps->last.last_line, ps->last.last_column + 1};
    DiagCode code = s->got == YYSYMBOL_YYEOF ? DIAG_INCOMPLETE : DIAG_SYNTAX;
    Diag *e;
    if (s->after_dist) {
        e = diag_error(ps->diags, code, s->got == YYSYMBOL_YYEOF ? after_last : s->loc,
                       "expected '(' after %s", s->prev);
    } else if (nexp == 1 && exp[0] == YYSYMBOL_YYEOF) {
        e = diag_error(ps->diags, DIAG_SYNTAX, s->loc, "unexpected '%s' after the call", s->text);
    } else if (s->got == YYSYMBOL_YYEOF) {
        e = diag_error(ps->diags, code, after_last, "the call is not complete");
    } else {
        char expect[256];
        expected_text(s, exp, nexp, expect, sizeof expect);
        e = diag_error(ps->diags, DIAG_SYNTAX, s->loc, "unexpected '%s'%s", s->text, expect);
    }
    diag_note(e, "a distribution with its arguments, such as Beta(10, 90) or Normal(mu = 0, sigma = 2)");
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, ParseState *ps)
{
    (void)scanner;
    if (ps->fatal) return 0;
    yysymbol_kind_t exp[64];
    int nexp = yypcontext_expected_tokens(ctx, exp, 64);
    Surprise s = { .got = yypcontext_token(ctx), .loc = *yypcontext_location(ctx) };
    /* the lexer has said what is wrong with this token (pm.Model) */
    const Diags *d = ps->diags;
    if (d->n > 0 && memcmp(&d->items[d->n - 1].loc, &s.loc, sizeof s.loc) == 0) return 0;
    token_text(ps, &s.loc, s.text, sizeof s.text);
    token_text(ps, &ps->last, s.prev, sizeof s.prev);
    for (int i = 0; i < nexp; i++) {
        if (sym_is(exp[i], "';'")) s.want_semi = true;
        if (sym_is(exp[i], "','")) s.want_comma = true;
        if (sym_is(exp[i], "'+'")) s.want_op = true;
        if (exp[i] == YYSYMBOL_NUMBER) s.want_expr = true;
        if (exp[i] == YYSYMBOL_DATA) s.stmt_start = true;
    }
    /* only 'x ~' expects just a name, and only 'x ~ Name' just '(' */
    s.after_tilde = strcmp(s.prev, "~") == 0 && nexp == 1 && exp[0] == YYSYMBOL_NAME;
    s.after_dist = nexp == 1 && sym_is(exp[0], "'('");

    if (ps->call_only) {
        call_error(ps, &s, exp, nexp);
        return 0;
    }
    /* An error at the end of the text is one more text could mend: the
    ** REPL waits for the next line then. */
    DiagCode code = s.got == YYSYMBOL_YYEOF ? DIAG_INCOMPLETE : DIAG_SYNTAX;
    /* A statement missing its ';' shows up as a surprise on the next line
    ** (or at the end of the file): point at the end of the statement. */
    Loc after_last = {ps->last.last_line, ps->last.last_column, ps->last.last_line, ps->last.last_column + 1};
    if (s.want_semi && !s.stmt_start && ps->last.first_line > 0 &&
        (s.got == YYSYMBOL_YYEOF || s.loc.first_line > ps->last.last_line)) {
        diag_note(diag_error(ps->diags, code, after_last, "expected ';' at the end of the statement"),
                  "every statement ends with ';'");
        return 0;
    }
    /* the end of the file is just after the last token */
    if (s.got == YYSYMBOL_YYEOF && ps->last.first_line > 0) s.loc = after_last;

    char what[128], expect[256];
    if (s.got == YYSYMBOL_YYEOF) snprintf(what, sizeof what, "unexpected end of file");
    else if (s.got == YYSYMBOL_NAME) snprintf(what, sizeof what, "unexpected name '%s'", s.text);
    else if (s.got == YYSYMBOL_NUMBER) snprintf(what, sizeof what, "unexpected number '%s'", s.text);
    else snprintf(what, sizeof what, "unexpected '%s'", s.text);
    expected_text(&s, exp, nexp, expect, sizeof expect);
    hint(diag_error(ps->diags, code, s.loc, "%s%s", what, expect), ps, &s);
    return 0;
}

static void yyerror(YYLTYPE *loc, void *scanner, ParseState *ps, const char *msg)
{
    (void)scanner;
    /* Bison calls this only when its stack is exhausted. */
    if (!ps->fatal)
        diag_error(ps->diags, DIAG_LIMIT, *loc, "%s: the model is nested too deeply",
                   strcmp(msg, "memory exhausted") == 0 ? "parser stack exhausted" : msg);
    ps->fatal = true;
}
