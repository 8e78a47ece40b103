/*
** source.h -- a model's text with its name, and the lookup from a
** position to its line that error messages need.
*/
#ifndef BMC_SOURCE_H
#define BMC_SOURCE_H

#include <stddef.h>
#include <stdio.h>

#define SOURCE_MAX_BYTES (8L * 1024 * 1024)  /* a larger model file is refused */
#define SOURCE_STDIN_NAME "<stdin>"          /* the name of what standard input gives */

typedef struct Source {
    char *name;        /* "ab.bm", or "<repl>", "<stdin>" */
    char *text;        /* NUL-terminated */
    size_t len;
    size_t *line_start;/* offset of the first byte of each line */
    int nlines;
} Source;

/* A source from text (copied).  NULL when out of memory. */
Source *source_from_text(const char *name, const char *text, size_t len);
typedef enum { READ_OK, READ_FAILED, READ_TOO_LARGE, READ_NO_MEMORY } ReadStatus;

/* Reads all of path, at most limit bytes, into a new buffer (caller
** frees): by size before reading when the file has one, while reading
** otherwise (pipes, /dev/stdin).  On failure why holds the reason, without
** the path ("cannot open: No such file or directory", "is larger than
** 8 MiB", "is a directory, not a file"). */
ReadStatus read_whole_file(const char *path, size_t limit, char **buf, size_t *len, char *why, size_t whylen);

/* The same for a stream open for reading (standard input), read to its
** end and left open. */
ReadStatus read_whole_stream(FILE *f, size_t limit, char **buf, size_t *len, char *why, size_t whylen);

/* The length of the UTF-8 byte order mark that text (len bytes) starts
** with: 3, or 0 when it has none.  Some editors write one; it is no text. */
size_t utf8_bom_length(const char *text, size_t len);

/* Reads a model file, without a byte order mark; on failure returns NULL
** and writes why to err (read_whole_file's words, or that the file holds a
** NUL byte). */
Source *source_read_file(const char *path, char *err, size_t errlen);
/* The same for a stream (standard input) read to its end, named name in
** messages. */
Source *source_read_stream(FILE *f, const char *name, char *err, size_t errlen);
void source_free(Source *s);

/* Line number (1 for the first) -> its text and length without the newline.
** Returns NULL for a line out of range. */
const char *source_line(const Source *s, int line, size_t *len);

/* The byte offset of a line:column place (columns count characters):
** 0 before the first line, the length past the last, the end of a line
** for a column past it. */
size_t source_offset(const Source *s, int line, int column);

/* Length of the UTF-8 sequence at s (n bytes left), or 0 when it is not a
** valid one. */
size_t utf8_length(const unsigned char *s, size_t n);

/* Copies at most max bytes of the n bytes of text to out (max + 1 bytes
** of room), whole characters only, bytes that are not UTF-8 and control
** characters but tabs as '?', so that any text prints cleanly on one
** line.  Returns how many bytes of text were taken. */
size_t utf8_printable(const char *text, size_t n, size_t max, char *out);

#endif
