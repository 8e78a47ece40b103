/*
** builtins.c -- the table of functions.
*/
#include "builtins.h"

#include <string.h>
#include "ir.h"

static const Builtin builtins[] = {
    {"exp",           1, BF_UNARY,  FN_EXP,           "e to the power x"},
    {"log",           1, BF_UNARY,  FN_LOG,           "natural logarithm"},
    {"log1p",         1, BF_UNARY,  FN_LOG1P,         "log(1 + x), accurate for small x"},
    {"expm1",         1, BF_UNARY,  FN_EXPM1,         "exp(x) - 1, accurate for small x"},
    {"sqrt",          1, BF_UNARY,  FN_SQRT,          "square root"},
    {"abs",           1, BF_UNARY,  FN_ABS,           "absolute value"},
    {"logit",         1, BF_UNARY,  FN_LOGIT,         "log(x / (1 - x))"},
    {"inv_logit",     1, BF_UNARY,  FN_INV_LOGIT,     "1 / (1 + exp(-x))"},
    {"sigmoid",       1, BF_UNARY,  FN_INV_LOGIT,     "the same as inv_logit"},
    {"log_inv_logit", 1, BF_UNARY,  FN_LOG_INV_LOGIT, "log(inv_logit(x)), without overflow"},
    {"lgamma",        1, BF_UNARY,  FN_LGAMMA,        "log of the gamma function"},
    {"square",        1, BF_UNARY,  FN_SQUARE,        "x * x"},
    {"sin",           1, BF_UNARY,  FN_SIN,           "sine"},
    {"cos",           1, BF_UNARY,  FN_COS,           "cosine"},
    {"tanh",          1, BF_UNARY,  FN_TANH,          "hyperbolic tangent"},
    {"Phi",           1, BF_UNARY,  FN_PHI,           "standard normal distribution function"},
    {"pow",           2, BF_BINARY, IR_POW,           "x to the power y, as x ^ y"},
    {"min",           2, BF_BINARY, IR_MIN,           "the smaller of x and y, elementwise"},
    {"max",           2, BF_BINARY, IR_MAX,           "the larger of x and y, elementwise"},
    {"sum",           1, BF_REDUCE, IR_SUM,           "sum of the elements"},
    {"mean",          1, BF_REDUCE, IR_MEAN,          "mean of the elements"},
    {"sd",            1, BF_REDUCE, IR_SD,            "sample standard deviation (n - 1) of the elements"},
    {"dot",           2, BF_DOT,    IR_DOT,           "sum of the elementwise product"},
    {"length",        1, BF_LENGTH, 0,                "number of elements"},
    {"nlevels",       1, BF_NLEVELS, 0,               "number of levels of a factor (a text column of a CSV file)"},
};

const Builtin *builtin_lookup(const char *name)
{
    for (int i = 0; i < builtin_count(); i++)
        if (strcmp(builtins[i].name, name) == 0) return &builtins[i];
    return NULL;
}

int builtin_count(void) { return (int)(sizeof builtins / sizeof builtins[0]); }
const Builtin *builtin_at(int i) { return &builtins[i]; }
