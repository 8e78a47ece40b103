/*
** builtins.h -- the functions a model may call, as the front end sees them.
*/
#ifndef BMC_BUILTINS_H
#define BMC_BUILTINS_H

typedef enum {
    BF_UNARY,     /* elementwise, one argument: code is an IrUnary */
    BF_BINARY,    /* elementwise, two arguments: code is an IrOp */
    BF_REDUCE,    /* vector to scalar: code is an IrOp */
    BF_DOT,       /* two vectors to a scalar */
    BF_LENGTH,    /* the number of elements: always data */
    BF_NLEVELS    /* the number of levels of a factor: always data */
} BuiltinKind;

typedef struct Builtin {
    const char *name;
    int nargs;
    BuiltinKind kind;
    int code;
    const char *doc;
} Builtin;

/* The builtin called name, or NULL. */
const Builtin *builtin_lookup(const char *name);
int builtin_count(void);
const Builtin *builtin_at(int i);

#endif
