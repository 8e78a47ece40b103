/*
** python.c -- notes for text written as for PyMC (python.h).
*/
#include "python.h"

#include <stdio.h>
#include <string.h>
#include "builtins.h"
#include "dist.h"

#define SAMPLING "sampling is no part of a model: run it with 'bmc run MODEL.bm' " \
                 "(--draws, --tune, --chains, --seed)"
#define DATA "values from outside are declared in the model, data y;, and given with " \
             "--data FILE.json or -D y=..."

typedef struct Habit {
    const char *python;
    const char *note;
} Habit;

#define LOOKUP(table, word) lookup(table, sizeof table / sizeof table[0], word)

static const char *lookup(const Habit *table, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].python, word) == 0) return table[i].note;
    return NULL;
}

bool python_module(const char *text, size_t n)
{
    static const char *const modules[] = {"pm", "pymc", "pymc3", "np", "numpy", "dist", "stats", "scipy", "math",
                                          "az", "arviz", "pt", "at", "tt"};
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
        if (strlen(modules[i]) == n && strncmp(modules[i], text, n) == 0) return true;
    return false;
}

/* PyMC's and ArviZ's names that are no distribution or function. */
static const Habit members[] = {
    {"Model", "a .bm file is the model itself: write its statements, each ending in ';', "
              "without 'with pm.Model():'"},
    {"sample", SAMPLING},
    {"sample_prior_predictive", SAMPLING},
    {"sample_posterior_predictive", SAMPLING},
    {"Deterministic", "a quantity computed from parameters is written name = expression; "
                      "and bmc run reports it"},
    {"Data", DATA},
    {"MutableData", DATA},
    {"ConstantData", DATA},
    {"array", "a vector is written [1, 2, 3], a matrix [[1, 2], [3, 4]]"},
    {"summary", "'bmc run MODEL.bm' prints the summary, with ArviZ's columns"},
    {"plot_trace", "'bmc run MODEL.bm --plot FILE.png' draws the traces"},
    {"plot_posterior", "'bmc run MODEL.bm --plot FILE.png --plot-kind posterior' draws the posteriors"},
};

const char *python_member_note(const char *member, char *buf, size_t size)
{
    if (builtin_lookup(member) || dist_lookup(member)) {
        snprintf(buf, size, "bmc's distributions and functions need no module: write %s", member);
        return buf;
    }
    const char *note = LOOKUP(members, member);
    if (note) return note;
    return "a .bm file holds only the model's statements; 'bmc help distributions' and "
           "'bmc help functions' list what they may call";
}

static const Habit statements[] = {
    {"import", "a .bm file holds only the model's statements: nothing is imported, "
               "bmc's distributions and functions are built in (bmc help distributions)"},
    {"from", "a .bm file holds only the model's statements: nothing is imported, "
             "bmc's distributions and functions are built in (bmc help distributions)"},
    {"with", "a .bm file is the model itself: write its statements, each ending in ';', "
             "without 'with pm.Model():'"},
    {"print", "a .bm file holds only the model's statements: 'bmc run' reports every parameter "
              "and every quantity computed from them"},
};

const char *python_statement_note(const char *word)
{
    return LOOKUP(statements, word);
}

static const Habit operators[] = {
    {"**", "bmc writes a power with '^': x ^ 2"},
    {"and", "bmc writes 'and' as '&&'"},
    {"or", "bmc writes 'or' as '||'"},
    {"not", "bmc writes 'not x' as '!x'"},
};

const char *python_operator_note(const char *op)
{
    return LOOKUP(operators, op);
}
