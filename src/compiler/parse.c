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

/* Runs the parser over src's text from byte offset on. */
static int run(ParseState *ps, const Source *src, size_t offset)
{
    yyscan_t scanner;
    if (bmlex_init_extra(ps, &scanner) != 0) return -1;
    if (!bm_scan_bytes(src->text + offset, (int)(src->len - offset), scanner)) {
        bmlex_destroy(scanner);
        return -1;
    }
    yyparse(scanner, ps);
    bmlex_destroy(scanner);
    return 0;
}

static void start(ParseState *ps, const Source *src, Arena *arena, Diags *diags, int what, size_t offset)
{
    memset(ps, 0, sizeof *ps);
    ps->src = src;
    ps->arena = arena;
    ps->diags = diags;
    ps->start = what;
    ps->call_only = what == PARSE_CALL;
    ps->next_starts = true;
    /* columns count characters */
    ps->first_column = 1;
    for (size_t i = 0; i < offset && i < src->len; i++)
        if (((unsigned char)src->text[i] & 0xC0) != 0x80) ps->first_column++;
}

Program *parse_source(const Source *src, Arena *arena, Diags *diags)
{
    ParseState ps;
    start(&ps, src, arena, diags, PARSE_PROGRAM, 0);
    if (run(&ps, src, 0) != 0) return NULL;
    if (ps.fatal && !diags_failed(diags)) return NULL;   /* out of memory */
    if (!ps.prog) {
        /* Only a fatal stop leaves no program: hand back an empty one. */
        ps.prog = arena_alloc(arena, sizeof *ps.prog);
    }
    return ps.prog;
}

Expr *parse_call(const Source *src, size_t offset, Arena *arena, Diags *diags)
{
    ParseState ps;
    if (offset > src->len) offset = src->len;
    start(&ps, src, arena, diags, PARSE_CALL, offset);
    if (run(&ps, src, offset) != 0) return NULL;
    return diags_failed(diags) ? NULL : ps.call;
}
