/*
** source.c -- model text and line lookup.
*/
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int index_lines(Source *s)
{
    int cap = 64;
    s->line_start = malloc(cap * sizeof *s->line_start);
    if (!s->line_start) return -1;
    s->nlines = 0;
    s->line_start[s->nlines++] = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (s->text[i] != '\n') continue;
        if (s->nlines == cap) {
            cap *= 2;
            size_t *p = realloc(s->line_start, cap * sizeof *p);
            if (!p) return -1;
            s->line_start = p;
        }
        s->line_start[s->nlines++] = i + 1;
    }
    return 0;
}

Source *source_from_text(const char *name, const char *text, size_t len)
{
    Source *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->name = strdup(name);
    s->text = malloc(len + 1);
    if (!s->name || !s->text) { source_free(s); return NULL; }
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    if (index_lines(s) != 0) { source_free(s); return NULL; }
    return s;
}

Source *source_read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: error: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > (size_t)SOURCE_MAX_BYTES + 1) cap = SOURCE_MAX_BYTES + 1;
            char *p = realloc(buf, cap);
            if (!p) { free(buf); fclose(f); snprintf(err, errlen, "%s: error: out of memory", path); return NULL; }
            buf = p;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > (size_t)SOURCE_MAX_BYTES) {
            free(buf); fclose(f);
            snprintf(err, errlen, "%s: error: model file is larger than %ld MiB",
                     path, SOURCE_MAX_BYTES >> 20);
            return NULL;
        }
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); snprintf(err, errlen, "%s: error: cannot read: %s", path, strerror(errno)); return NULL; }
    if (memchr(buf, '\0', len)) {
        free(buf);
        snprintf(err, errlen, "%s: error: not a text file (it holds a NUL byte)", path);
        return NULL;
    }
    Source *s = source_from_text(path, buf ? buf : "", len);
    free(buf);
    if (!s) snprintf(err, errlen, "%s: error: out of memory", path);
    return s;
}

void source_free(Source *s)
{
    if (!s) return;
    free(s->name);
    free(s->text);
    free(s->line_start);
    free(s);
}

const char *source_line(const Source *s, int line, size_t *len)
{
    line -= s->line_offset;
    if (line < 1 || line > s->nlines) return NULL;
    size_t start = s->line_start[line - 1];
    size_t end = line < s->nlines ? s->line_start[line] - 1 : s->len;
    if (end > start && s->text[end - 1] == '\r') end--;
    *len = end - start;
    return s->text + start;
}
