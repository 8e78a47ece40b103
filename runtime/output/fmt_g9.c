/*
** fmt_g9.c -- a double as "%.9g" writes it, without printf.
**
** Draws files hold every value of every draw with nine significant digits
** (more than CmdStan's default six); glibc's printf takes about 2,000
** instructions a number through its multiple-precision path, which made
** writing the draws most of a small model's run.  None of the project's
** libraries formats numbers (GSL, jansson and libcsv leave it to printf),
** so the digits are found here.
**
** The nine digits of |x| are round(|x| * 10^k) for the k that puts them in
** [10^8, 10^9).  For |k| <= 22, 10^k is exact in a double, so the product
** (or the quotient by 10^-k) is the true value within one rounding, a
** relative error of 2^-53; the integer nearest to it is then the right one
** unless its fraction is within that error of one half.  Those few, and
** numbers outside 1e-14 .. 1e30, go to snprintf, which decides them from
** the exact binary value: the text is always what snprintf writes.
*/
#include "fmt_g9.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Every power of ten a double holds exactly. */
static const double POW10[23] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

#define PRECISION 9

/* The nine significant digits of a > 0 rounded to nearest, as an integer in
** [10^8, 10^9), and the decimal exponent of the first of them.  Returns 0
** when they are not decided here. */
static int nine_digits(double a, uint32_t *digits, int *exp10)
{
    if (!(a >= 1e-14 && a < 1e30)) return 0;
    /* The binary exponent times log10(2): the decimal exponent or one less,
    ** which the first pass corrects; log10 cost a third of the rest. */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int binary = (int)((bits >> 52) & 0x7ff) - 1023;   /* a is normal here */
    int e = (int)floor(binary * 0.30102999566398120);
    for (int tries = 0; tries < 3; tries++) {
        int k = PRECISION - 1 - e;
        if (k > 22 || k < -22) return 0;
        double r = k >= 0 ? a * POW10[k] : a / POW10[-k];
        double whole = floor(r);
        double frac = r - whole;   /* exact: whole > r / 2 */
        if (fabs(frac - 0.5) <= r * 0x1p-52) return 0;   /* twice the product's error: a near-tie */
        double n = whole + (frac > 0.5);
        if (n >= 1e9)
            e++;
        else if (n < 1e8)
            e--;
        else {
            *digits = (uint32_t)n;
            *exp10 = e;
            return 1;
        }
    }
    return 0;
}

size_t fmt_long(char out[FMT_G9_SIZE], long v)
{
    char buf[FMT_G9_SIZE], *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10); while ((u /= 10) != 0);
    if (v < 0) *--p = '-';
    size_t len = (size_t)(buf + sizeof buf - p);
    memcpy(out, p, len);
    out[len] = '\0';
    return len;
}

/* x as %.9g writes it into out, or 0 when not decided here. */
static size_t fast_text(char out[FMT_G9_SIZE], double x)
{
    if (x == 0) return signbit(x) ? (memcpy(out, "-0", 3), 2) : (memcpy(out, "0", 2), 1);
    if (x == trunc(x) && fabs(x) < 1e9) return fmt_long(out, (long)x);   /* all digits, no point */
    uint32_t n;
    int e;
    if (!nine_digits(fabs(x), &n, &e)) return 0;
    char d[PRECISION];
    for (int i = PRECISION - 1; i >= 0; i--, n /= 10) d[i] = (char)('0' + n % 10);
    int sig = PRECISION;   /* %g drops the trailing zeros */
    while (sig > 1 && d[sig - 1] == '0') sig--;
    char *p = out;
    if (x < 0) *p++ = '-';
    if (e < -4 || e >= PRECISION) {   /* %g's choice of %e */
        *p++ = d[0];
        if (sig > 1) {
            *p++ = '.';
            memcpy(p, d + 1, (size_t)sig - 1);
            p += sig - 1;
        }
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;   /* at most 30 here: two digits */
        *p++ = (char)('0' + ae / 10);
        *p++ = (char)('0' + ae % 10);
    } else if (e >= 0) {
        memcpy(p, d, (size_t)e + 1);
        p += e + 1;
        if (sig > e + 1) {
            *p++ = '.';
            memcpy(p, d + e + 1, (size_t)(sig - e - 1));
            p += sig - e - 1;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int z = 0; z < -e - 1; z++) *p++ = '0';
        memcpy(p, d, (size_t)sig);
        p += sig;
    }
    *p = '\0';
    return (size_t)(p - out);
}

size_t fmt_g9(char out[FMT_G9_SIZE], double x)
{
    size_t len = fast_text(out, x);
    if (len) return len;
    int n = snprintf(out, FMT_G9_SIZE, "%.9g", x);
    return n > 0 ? (size_t)n : 0;
}

int fmt_g9_is_fast(double x)
{
    char out[FMT_G9_SIZE];
    return fast_text(out, x) != 0;
}
