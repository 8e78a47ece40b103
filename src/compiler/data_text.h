/*
** data_text.h -- what the data readers (data.c: JSON and -D; data_csv.c:
** CSV) share about the text of values: how user text is quoted back in a
** message, and the words for numbers that are not finite.
*/
#ifndef BMC_DATA_TEXT_H
#define BMC_DATA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define DATA_ECHO_MAX 48       /* longest user text quoted back in a message */
#define DATA_OVERFLOW_NOTE "numbers go up to about 1.8e308 in size; write \"Inf\" or \"-Inf\" for an infinite value"

/* At most DATA_ECHO_MAX bytes of s in buf (size > DATA_ECHO_MAX + 3), then
** "..." when cut, printable on one line. */
const char *data_echo(const char *s, char *buf, size_t size);

/* "NaN", "Inf", "Infinity", "-Inf", "-Infinity" (as CmdStan writes them)
** into *d; false for any other text. */
bool data_special_number(const char *s, double *d);

#endif
