/*
** source.c -- model text and line lookup.
*/
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

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

ReadStatus read_whole_file(const char *path, size_t limit, char **out, size_t *outlen, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        return READ_FAILED;
    }
    ReadStatus status = read_whole_stream(f, limit, out, outlen, why, whylen);
    fclose(f);
    return status;
}

ReadStatus read_whole_stream(FILE *f, size_t limit, char **out, size_t *outlen, char *why, size_t whylen)
{
    struct stat st;
    bool known = fstat(fileno(f), &st) == 0;
    bool regular = known && S_ISREG(st.st_mode);
    if (known && S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "is a directory, not a file");
        return READ_FAILED;
    }
    if (regular && (size_t)st.st_size > limit) {
        snprintf(why, whylen, "is larger than %zu MiB", limit >> 20);
        return READ_TOO_LARGE;
    }
    /* read limit + 1 bytes at most: one more than the limit says too large */
    ReadStatus status = READ_OK;
    size_t cap = regular ? (size_t)st.st_size + 1 : 65536, len = 0;
    if (cap > limit + 1) cap = limit + 1;
    char *buf = malloc(cap);
    while (status == READ_OK) {
        if (!buf) {
            snprintf(why, whylen, "out of memory");
            status = READ_NO_MEMORY;
        } else if (len == cap) {
            if (cap > limit) {
                snprintf(why, whylen, "is larger than %zu MiB", limit >> 20);
                status = READ_TOO_LARGE;
                break;
            }
            size_t grown = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *more = realloc(buf, grown);
            if (!more) free(buf);
            buf = more;
            cap = grown;
        } else {
            size_t got = fread(buf + len, 1, cap - len, f);
            len += got;
            if (got == 0) break;
        }
    }
    if (status == READ_OK && ferror(f)) {
        snprintf(why, whylen, "cannot read: %s", strerror(errno));
        status = READ_FAILED;
    }
    if (status != READ_OK) {
        free(buf);
        return status;
    }
    *out = buf;
    *outlen = len;
    return READ_OK;
}

size_t utf8_bom_length(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* A model's text from buf (len bytes, freed here), named name. */
static Source *source_from_read(const char *name, char *buf, size_t len, char *err, size_t errlen)
{
    if (memchr(buf, '\0', len)) {
        free(buf);
        snprintf(err, errlen, "not a text file (it holds a NUL byte)");
        return NULL;
    }
    size_t bom = utf8_bom_length(buf, len);
    Source *s = source_from_text(name, buf + bom, len - bom);
    free(buf);
    if (!s) snprintf(err, errlen, "out of memory");
    return s;
}

Source *source_read_file(const char *path, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    if (read_whole_file(path, (size_t)SOURCE_MAX_BYTES, &buf, &len, err, errlen) != READ_OK) return NULL;
    return source_from_read(path, buf, len, err, errlen);
}

Source *source_read_stream(FILE *f, const char *name, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    if (read_whole_stream(f, (size_t)SOURCE_MAX_BYTES, &buf, &len, err, errlen) != READ_OK) return NULL;
    return source_from_read(name, buf, len, err, errlen);
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
    if (line < 1 || line > s->nlines) return NULL;
    size_t start = s->line_start[line - 1];
    size_t end = line < s->nlines ? s->line_start[line] - 1 : s->len;
    if (end > start && s->text[end - 1] == '\r') end--;
    *len = end - start;
    return s->text + start;
}

size_t source_offset(const Source *s, int line, int column)
{
    if (line < 1) return 0;
    if (line > s->nlines) return s->len;
    size_t len;
    const char *text = source_line(s, line, &len);
    size_t b = 0;
    for (int c = 1; c < column && b < len; c++) {
        b++;
        while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80) b++;
    }
    return s->line_start[line - 1] + b;
}

size_t utf8_length(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

size_t utf8_printable(const char *text, size_t n, size_t max, char *out)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t i = 0, o = 0;
    while (i < n) {
        size_t len = utf8_length(u + i, n - i);
        bool bad = len == 0 || (u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f;
        size_t take = bad ? 1 : len;
        if (o + take > max) break;
        if (bad) out[o++] = '?';
        else { memcpy(out + o, text + i, len); o += len; }
        i += take;
    }
    out[o] = '\0';
    return i;
}
