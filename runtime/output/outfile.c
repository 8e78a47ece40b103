/*
** outfile.c -- a file that appears whole or not at all (see outfile.h).
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Temporary names tried before giving up: each is taken by another
** writer only while it writes. */
#define TRIES 100

static void release(OutFile *o)
{
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

/* The file that path names in the end: itself, or what its symbolic links
** lead to, whose place the new file takes (NULL: not a file there yet). */
static char *final_name(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : strdup(path);
}

int outfile_open(OutFile *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, a pipe, a terminal: written in place, as nothing can
        ** be renamed over it (and /dev/full must stay a device) */
        if (!(o->path = strdup(path))) {
            snprintf(err, errlen, "%s: out of memory", path);
            return -1;
        }
        if (!(o->f = fopen(path, "w"))) {
            snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
            release(o);
            return -1;
        }
        errno = 0;
        return 0;
    }
    o->path = final_name(path);
    size_t len = o->path ? strlen(o->path) + 64 : 0;
    o->tmp = o->path ? malloc(len) : NULL;
    if (!o->path || !o->tmp) {
        snprintf(err, errlen, "%s: out of memory", path);
        release(o);
        return -1;
    }
    /* O_EXCL: a name no one else holds; the mode is that of any new file
    ** (0666 less the umask), which mkstemp's 0600 would not be */
    int fd = -1;
    for (int i = 0; fd < 0 && i < TRIES; i++) {
        snprintf(o->tmp, len, "%s.%ld.%d.tmp", o->path, (long)getpid(), i);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            remove(o->tmp);
        }
        release(o);
        return -1;
    }
    errno = 0;   /* so that a failed write names its own cause */
    return 0;
}

int outfile_commit(OutFile *o, char *err, size_t errlen)
{
    /* any failed write leaves the stream's error flag set; fclose reports
    ** what failed while flushing the buffer */
    int failed = ferror(o->f);
    int saved = errno;
    if (fclose(o->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (!failed && o->tmp && rename(o->tmp, o->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        snprintf(err, errlen, "cannot write '%s': %s", o->path, saved ? strerror(saved) : "write error");
        if (o->tmp) remove(o->tmp);
    }
    release(o);
    return failed ? -1 : 0;
}

void outfile_discard(OutFile *o)
{
    fclose(o->f);
    if (o->tmp) remove(o->tmp);
    release(o);
}
