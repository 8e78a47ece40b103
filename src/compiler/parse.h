/*
** parse.h -- text to syntax tree.
*/
#ifndef BMC_PARSE_H
#define BMC_PARSE_H

#include "ast.h"
#include "diag.h"
#include "source.h"

enum { PARSE_PROGRAM = 1, PARSE_CALL };

/* What the lexer and parser share while reading one source. */
typedef struct ParseState {
    const Source *src;
    Arena *arena;           /* owns every node */
    Diags *diags;
    int start;              /* PARSE_PROGRAM or PARSE_CALL, until the parser has read it */
    bool call_only;         /* a call is parsed, not a program: no hints about statements */
    int first_column;       /* the column the text parsed starts at */
    Program *prog;          /* the result, a program */
    Expr *call;             /* ... or a call */
    Loc cur;                /* the token just read */
    Loc last;               /* the one before it: where a missing ';' goes */
    bool cur_starts;        /* the token just read begins a statement */
    bool last_starts;       /* ... the one before it does */
    bool next_starts;       /* the next token will */
    int parens;             /* ( and [ open in the statement */
    int sign;               /* its first '=' or '~' outside them, or 0 */
    int nesting;            /* open ( [ { */
    bool fatal;             /* stop: nesting limit or out of memory */
} ParseState;

/* Parses src into a Program allocated in arena.  Syntax errors go to diags
** (several per run: the parser recovers at ';').  Returns the program
** (possibly partial) or NULL when out of memory. */
Program *parse_source(const Source *src, Arena *arena, Diags *diags);

/* Parses the text of src from byte offset on as one call, "Beta(10, 90)"
** (the REPL's :dist), its columns counted from there.  Returns the call,
** or NULL after errors in diags or when out of memory. */
Expr *parse_call(const Source *src, size_t offset, Arena *arena, Diags *diags);

#endif
