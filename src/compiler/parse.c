/*
** parse.c -- runs the flex scanner and the bison parser over a source.
*/
#include "parse.h"

#include <string.h>
#include "bm.tab.h"

/* flex's re-entrant interface, declared here to avoid its generated header. */
typedef void *yyscan_t;
int bmlex_init_extra(ParseState *extra, yyscan_t *scanner);
int bmlex_destroy(yyscan_t scanner);
void *bm_scan_bytes(const char *bytes, int len, yyscan_t scanner);
int yyparse(void *scanner, ParseState *ps);

Program *parse_source(const Source *src, Arena *arena, Diags *diags)
{
    ParseState ps;
    memset(&ps, 0, sizeof ps);
    ps.src = src;
    ps.arena = arena;
    ps.diags = diags;
    yyscan_t scanner;
    if (bmlex_init_extra(&ps, &scanner) != 0) return NULL;
    if (!bm_scan_bytes(src->text, (int)src->len, scanner)) {
        bmlex_destroy(scanner);
        return NULL;
    }
    yyparse(scanner, &ps);
    bmlex_destroy(scanner);
    if (ps.fatal && !diags_failed(diags)) return NULL;   /* out of memory */
    if (!ps.prog) {
        /* Only a fatal stop leaves no program: hand back an empty one. */
        ps.prog = arena_alloc(arena, sizeof *ps.prog);
    }
    return ps.prog;
}
