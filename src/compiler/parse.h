/*
** parse.h -- text to syntax tree.
*/
#ifndef BMC_PARSE_H
#define BMC_PARSE_H

#include "ast.h"
#include "diag.h"
#include "source.h"

/* What the lexer and parser share while reading one source. */
typedef struct ParseState {
    const Source *src;
    Arena *arena;           /* owns every node */
    Diags *diags;
    Program *prog;          /* the result */
    Loc cur;                /* the token just read */
    Loc last;               /* the one before it: where a missing ';' goes */
    int nesting;            /* open ( [ { */
    bool fatal;             /* stop: nesting limit or out of memory */
} ParseState;

/* Parses src into a Program allocated in arena.  Syntax errors go to diags
** (several per run: the parser recovers at ';').  Returns the program
** (possibly partial) or NULL when out of memory. */
Program *parse_source(const Source *src, Arena *arena, Diags *diags);

#endif
