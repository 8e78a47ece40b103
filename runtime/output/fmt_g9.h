/*
** fmt_g9.h -- a double as printf's "%.9g" writes it, and a long as "%ld", without printf.
*/
#ifndef BMC_FMT_G9_H
#define BMC_FMT_G9_H

#include <stddef.h>

/* Room for any "%.9g" of a double, with its '\0' ("-1.23456789e-308"). */
#define FMT_G9_SIZE 24

/* Writes x into out (FMT_G9_SIZE bytes) exactly as snprintf(out, ...,
** "%.9g", x) does in the C locale, rounding to nearest as the default
** floating-point environment does, and returns its length. */
size_t fmt_g9(char out[FMT_G9_SIZE], double x);

/* Writes v as "%ld" does, returns its length. */
size_t fmt_long(char out[FMT_G9_SIZE], long v);

/* Whether fmt_g9 would write x without calling snprintf: true for every
** finite x from 1e-14 to 1e30 in size, whole or not, except the few whose
** tenth significant digit is too near a tie to decide quickly.  For tests
** that the fast path is the one taken. */
int fmt_g9_is_fast(double x);

#endif
