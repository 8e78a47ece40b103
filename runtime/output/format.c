/*
** format.c -- numbers in tables (format.h).
*/
#define _XOPEN_SOURCE 700   /* wcwidth */
#include "format.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* Past this fixed notation gets unreadably long; %g takes over. */
#define FIXED_MAX 1e15
/* Never more decimals than this; rows that need more show three
** significant digits. */
#define DECIMALS_MAX 6

void format_number(char *buf, double v, int dec)
{
    if (isnan(v))
        snprintf(buf, FORMAT_CELL, "nan");
    else if (dec < 0)
        snprintf(buf, FORMAT_CELL, "%.3g", v);
    else if (isinf(v))
        snprintf(buf, FORMAT_CELL, v > 0 ? "inf" : "-inf");
    else if (fabs(v) >= FIXED_MAX)
        snprintf(buf, FORMAT_CELL, "%.3g", v);
    else
        snprintf(buf, FORMAT_CELL, "%.*f", dec, v);
}

int format_decimals(double sd, double mean)
{
    int dec;
    if (isfinite(sd) && sd > 0)
        dec = 1 - (int)floor(log10(sd));
    else if (isfinite(mean) && mean != 0)
        dec = 2 - (int)floor(log10(fabs(mean)));
    else
        dec = 2;
    if (dec < 0) dec = 0;
    return dec > DECIMALS_MAX ? -1 : dec;
}

void format_count(char *buf, size_t size, double v)
{
    if (!isfinite(v) || v < 0 || v >= 1e18) {
        snprintf(buf, size, "%.3g", v);
        return;
    }
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)llround(v));
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void format_seconds(char *buf, size_t size, double sec)
{
    if (!isfinite(sec) || sec < 0)
        snprintf(buf, size, "?");
    else if (sec < 10)
        snprintf(buf, size, "%.2f", sec);
    else if (sec < 100)
        snprintf(buf, size, "%.1f", sec);
    else
        snprintf(buf, size, "%.0f", sec);
}

void format_nonfinite(char *buf, size_t size, long nan, long inf, long total)
{
    char n[32], i[32], t[32];
    format_count(n, sizeof n, (double)nan);
    format_count(i, sizeof i, (double)inf);
    format_count(t, sizeof t, (double)total);
    if (nan > 0 && inf > 0) snprintf(buf, size, "not a number in %s and infinite in %s of %s draws", n, i, t);
    else if (inf > 0) snprintf(buf, size, "infinite in %s of %s draws", i, t);
    else snprintf(buf, size, "not a number in %s of %s draws", n, t);
}

void format_hdi_titles(char *low, char *high, double prob)
{
    snprintf(low, FORMAT_CELL, "hdi_%g%%", 100.0 * (1.0 - prob) / 2.0);
    snprintf(high, FORMAT_CELL, "hdi_%g%%", 100.0 * (1.0 + prob) / 2.0);
}

int format_width(const char *s)
{
    /* wcwidth knows the East Asian wide characters, in a UTF-8 locale: this
    ** thread's for the moment, whatever the program's is. */
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t was = utf8 ? uselocale(utf8) : (locale_t)0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int width = 0;
    for (size_t n = strlen(s); n > 0;) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s, n, &st);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {   /* not UTF-8: a byte a column */
            memset(&st, 0, sizeof st);
            k = 1;
            width++;
        } else {
            int w = utf8 ? wcwidth(wc) : 1;
            width += w >= 0 ? w : 1;
        }
        s += k;
        n -= k;
    }
    if (utf8) {
        uselocale(was);
        freelocale(utf8);
    }
    return width;
}

void format_put_left(FILE *f, const char *s, int width)
{
    fputs(s, f);
    for (int w = format_width(s); w < width; w++) fputc(' ', f);
}
