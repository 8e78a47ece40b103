/*
** source.h -- a model's text with its name, and the lookup from a
** position to its line that error messages need.
*/
#ifndef BMC_SOURCE_H
#define BMC_SOURCE_H

#include <stddef.h>

#define SOURCE_MAX_BYTES (8L * 1024 * 1024)  /* a larger model file is refused */

typedef struct Source {
    char *name;        /* "ab.bm", or "<repl>" */
    char *text;        /* NUL-terminated */
    size_t len;
    size_t *line_start;/* offset of the first byte of each line */
    int nlines;
    int line_offset;   /* its first line is line line_offset + 1: a statement
                       ** of a REPL script keeps its place in the input */
} Source;

/* A source from text (copied).  NULL when out of memory. */
Source *source_from_text(const char *name, const char *text, size_t len);
/* Reads path; on failure returns NULL and writes a message to err. */
Source *source_read_file(const char *path, char *err, size_t errlen);
void source_free(Source *s);

/* Line number (line_offset + 1 for the first) -> its text and length without the newline.
** Returns NULL for a line out of range. */
const char *source_line(const Source *s, int line, size_t *len);

#endif
