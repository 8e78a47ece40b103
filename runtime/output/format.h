/*
** format.h -- how every table of bmc writes a number: a fixed number of
** decimals chosen from the spread of a row, three significant digits where
** that would be unreadable, counts with thousands separators, seconds as
** a person reads them, and the HDI columns' titles.
*/
#ifndef BMC_FORMAT_H
#define BMC_FORMAT_H

#include <stddef.h>
#include <stdio.h>

enum { FORMAT_CELL = 48 };   /* room for any formatted number */

/* v with dec digits after the point, or three significant digits when dec
** is negative or fixed notation would not fit a cell; "nan", "inf" and
** "-inf" as ArviZ prints them.  buf holds FORMAT_CELL bytes. */
void format_number(char *buf, double v, int dec);

/* Digits after the point for a row of estimates whose spread is sd: enough
** for sd to show two to three significant digits (sd 150 -> 0, sd 0.0103
** -> 3); when sd is 0 or unknown, the magnitude of mean decides.  -1 when
** more than six would be needed: format_number then shows three
** significant digits. */
int format_decimals(double sd, double mean);

/* A non-negative count with thousands separators: 123,456. */
void format_count(char *buf, size_t size, double v);

/* Seconds the way a person reads them: 0.05, 3.21, 45.6, 1234. */
void format_seconds(char *buf, size_t size, double sec);

/* In how many of total draws a quantity is not a finite number, as a
** predicate: "not a number in 1,987 of 4,000 draws", "infinite in 3 of
** 4,000 draws", "not a number in 5 and infinite in 3 of 4,000 draws". */
void format_nonfinite(char *buf, size_t size, long nan, long inf, long total);

/* The titles of an interval's columns for probability prob: "hdi_3%" and
** "hdi_97%" for 0.94.  Each buf holds FORMAT_CELL bytes. */
void format_hdi_titles(char *low, char *high, double prob);

/* The columns text takes on a terminal: a wide (East Asian) character two,
** a combining one none, so that names such as p[모바일] line up. */
int format_width(const char *s);

/* s, then blanks up to width columns: a table's left-aligned cell. */
void format_put_left(FILE *f, const char *s, int width);

#endif
