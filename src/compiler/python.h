/*
** python.h -- what bmc says to Python's words in a model copied from PyMC
** code: the modules it names (pm.Normal), its statements (import, with
** pm.Model()), the parts of PyMC's API that are no part of a model
** (pm.sample) and Python's operators (**, and, or, not), each with how bmc
** writes it.  The lexer and the parser take their notes for them from
** here, so that these words are known in one place; where bmc's own
** 'observed' goes is the parser's to say.
*/
#ifndef BMC_PYTHON_H
#define BMC_PYTHON_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the n bytes at text name a module that code copied from PyMC,
** NumPy, SciPy or ArviZ prefixes names with: pm, np, az, ... */
bool python_module(const char *text, size_t n);

/* The note for module.member, as in pm.Beta or pm.sample: how bmc writes
** it.  Returns buf (of size bytes), or a constant text. */
const char *python_member_note(const char *member, char *buf, size_t size);

/* The note for a Python statement that begins with word (import, from,
** with, print), or NULL when word begins none. */
const char *python_statement_note(const char *word);

/* How bmc writes the Python operator op ("**", "and", "or", "not"), as a
** note, or NULL when op is none of them. */
const char *python_operator_note(const char *op);

#endif
