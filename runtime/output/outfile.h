/*
** outfile.h -- a file that appears whole or not at all.
**
** What is written goes to a new file beside the one named, which takes
** the name only once everything reached the disk: a failed write (a full
** disk, a late error, Ctrl-C before the end) leaves the file of that name
** as it was, and two runs writing beside each other never share a
** temporary file.  A device or a pipe (/dev/null, /dev/stdout, a FIFO) is
** written in place; a symbolic link keeps pointing at the file replaced.
*/
#ifndef BMC_OUTFILE_H
#define BMC_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct OutFile {
    FILE *f;       /* write here; NULL when reserved for a writer by name */
    char *path;    /* the name it takes (owned): a link's target */
    char *tmp;     /* the name it has until then (owned); NULL: written in place */
} OutFile;

/* Opens o for path.  Returns 0, or -1 with why in err (o then holds
** nothing to free). */
int outfile_open(OutFile *o, const char *path, char *err, size_t errlen);

/* Reserves a file for a library that writes by name (libnetcdf): the
** same new file beside path as outfile_open makes, closed, for it to
** write over (o->tmp; o->path itself for a device).  Returns 0, or -1
** with why in err (o then holds nothing to free). */
int outfile_reserve(OutFile *o, const char *path, char *err, size_t errlen);

/* The name to write o under until outfile_commit. */
const char *outfile_writing_name(const OutFile *o);

/* Closes o and gives it its name when every write succeeded.  Returns 0,
** or -1 with why in err and nothing left behind.  o is freed either way. */
int outfile_commit(OutFile *o, char *err, size_t errlen);

/* Closes o and removes what was written (after an error elsewhere). */
void outfile_discard(OutFile *o);

#endif
