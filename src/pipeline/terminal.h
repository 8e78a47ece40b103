/*
** terminal.h -- what bmc asks of the terminal it writes to.
*/
#ifndef BMC_TERMINAL_H
#define BMC_TERMINAL_H

#include <stdbool.h>
#include <stdio.h>

/* Whether to colour text written to f: f is a terminal, NO_COLOR is unset
** or empty, and TERM is not "dumb". */
bool terminal_color(FILE *f);

#endif
