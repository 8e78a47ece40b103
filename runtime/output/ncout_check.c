/*
** ncout_check.c -- whether a run's netCDF file can be written (ncout.h),
** asked before sampling.  It needs no netCDF: the writer itself is the
** plugin bmc-netcdf.so (plugin.h), loaded only to write the file.
*/
#include "ncout.h"

#include "outfile.h"

int ncout_check(const char *path, char *err, size_t errlen)
{
    OutFile o;
    if (outfile_reserve(&o, path, err, errlen) != 0) return -1;
    outfile_discard(&o);
    return 0;
}
