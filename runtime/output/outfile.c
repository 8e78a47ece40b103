/*
** outfile.c -- a file that appears whole or not at all (see outfile.h).
*/
#define _XOPEN_SOURCE 700   /* realpath, beside the POSIX of the build */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* A device, a pipe or a terminal (/dev/null, a FIFO) is written where it
** is: a rename would put a regular file in its place, or fail where only
** the file itself is writable (/dev/stdout).  Nothing is left behind that
** a failed write could spoil. */
static int open_in_place(OutFile *o, const char *path, char *err, size_t errlen)
{
    o->f = fopen(path, "w");
    if (!o->f) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        release(o);
        return -1;
    }
    errno = 0;
    return 0;
}

int outfile_open(OutFile *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    struct stat st;
    bool special = stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    /* a symbolic link stays one: the file it names is replaced, beside it */
    char *real = !special && lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
    o->path = real ? real : strdup(path);
    if (!o->path) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (special) return open_in_place(o, path, err, errlen);
    size_t len = strlen(o->path) + 64;
    if (!(o->tmp = malloc(len))) {
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

int outfile_reserve(OutFile *o, const char *path, char *err, size_t errlen)
{
    if (outfile_open(o, path, err, errlen) != 0) return -1;
    int failed = fclose(o->f);
    o->f = NULL;
    if (failed) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        if (o->tmp) remove(o->tmp);
        release(o);
        return -1;
    }
    return 0;
}

const char *outfile_writing_name(const OutFile *o)
{
    return o->tmp ? o->tmp : o->path;
}

int outfile_commit(OutFile *o, char *err, size_t errlen)
{
    /* any failed write leaves the stream's error flag set; fclose reports
    ** what failed while flushing the buffer */
    int failed = o->f && ferror(o->f);
    int saved = errno;
    if (o->f && fclose(o->f) != 0 && !failed) {
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
    if (o->f) fclose(o->f);
    if (o->tmp) remove(o->tmp);
    release(o);
}
