/*
** test_frontend.c -- the front end on small texts: the lexer and parser
** (token and error places, recovery), semantic analysis (symbol kinds,
** keyword arguments bound in order), lowering (folded constants, shapes,
** the split of deterministic code after the density) and the whole
** compile repeated as the REPL does it.
**
** Expected places were counted by hand in the texts below (columns count
** characters from 1; a range ends one past its last character).  Folded
** values are the arithmetic of the expressions done by hand; instruction
** counts follow from what each statement must become (a parameter with a
** bounded support: a transform and its prior's log density; a likelihood
** term: one log density; a deterministic: one instruction).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "compile.h"
#include "parse.h"
#include "sema.h"
#include "testutil.h"

/* ---- helpers ---- */

/* A parsed text: what parse_source needs and leaves. */
typedef struct Parsed {
    Source *src;
    Arena arena;
    Diags diags;
    Program *prog;
} Parsed;

static void parse_text(Parsed *p, const char *text)
{
    memset(p, 0, sizeof *p);
    p->src = source_from_text("t.bm", text, strlen(text));
    CU_ASSERT_FATAL(p->src != NULL);
    diags_init(&p->diags, p->src);
    p->prog = parse_source(p->src, &p->arena, &p->diags);
}

static void parsed_free(Parsed *p)
{
    diags_clear(&p->diags);
    arena_free(&p->arena);
    source_free(p->src);
}

static Model *compile_with(const char *text, const DataSet *data, bool check_only)
{
    Source *src = source_from_text("t.bm", text, strlen(text));
    if (!src) return NULL;
    /* a prior alone stays a parameter: lowering is what is tested */
    CompileOptions opt = check_only ? COMPILE_CHECK : COMPILE_FULL;
    opt.keep_leaves = true;
    return model_compile(src, data, &opt);
}

static Model *compile(const char *text) { return compile_with(text, NULL, false); }

#define ASSERT_LOC(l, fl, fc, ll, lc) do { \
    Loc l_ = (l); \
    if (l_.first_line != (fl) || l_.first_column != (fc) || l_.last_line != (ll) || l_.last_column != (lc)) \
        fprintf(stderr, "\n  %s:%d: %s is %d:%d-%d:%d, expected %d:%d-%d:%d\n", __FILE__, __LINE__, #l, \
                l_.first_line, l_.first_column, l_.last_line, l_.last_column, (fl), (fc), (ll), (lc)); \
    CU_ASSERT(l_.first_line == (fl) && l_.first_column == (fc) && l_.last_line == (ll) && l_.last_column == (lc)); \
} while (0)

/* The first slot the IR names name (a whole value comes before its element
** aliases), or -1. */
static int named_slot(const IrModel *ir, const char *name)
{
    for (int n = 0; n < ir->nnames; n++) {
        if (strcmp(ir->names[n], name) != 0) continue;
        for (int i = 0; i < ir->nslots; i++)
            if (ir->slots[i].name == n) return i;
    }
    return -1;
}

/* The folded value of a data name: element k. */
static double value_of(IrModel *ir, const char *name, long k)
{
    int id = named_slot(ir, name);
    CU_ASSERT(id >= 0);
    if (id < 0) return NAN;
    CU_ASSERT(ir->slots[id].is_data);
    CU_ASSERT(k < ir->slots[id].len);
    return ir_init_value(ir, id)[k];
}

/* diags_print's output as a string (caller frees). */
static char *printed(const Diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_FATAL(f != NULL);
    diags_print(d, f, NULL);
    fclose(f);
    return buf;
}

static const char *AB =
    "trials = 1000;\n"
    "p_A ~ Beta(1, 1);\n"
    "p_B ~ Beta(1, 1);\n"
    "y_A ~ Binomial(trials, p_A) observed 120;\n"
    "y_B ~ Binomial(trials, p_B) observed 150;\n"
    "diff = p_B - p_A;\n"
    "b_wins = diff > 0;\n";

/* ---- lexer and parser ---- */

static void test_token_locations(void)
{
    Parsed p;
    parse_text(&p, "p_A ~ Beta(1, 1);\n  y = p_A * 2;\n");
    CU_ASSERT_FATAL(p.prog != NULL);
    CU_ASSERT_EQUAL(p.diags.n, 0);
    CU_ASSERT_EQUAL_FATAL(p.prog->nstmts, 2);
    const Stmt *s0 = p.prog->stmts[0], *s1 = p.prog->stmts[1];
    CU_ASSERT_EQUAL(s0->kind, ST_TILDE);
    ASSERT_LOC(s0->loc, 1, 1, 1, 18);
    ASSERT_LOC(s0->lhs->loc, 1, 1, 1, 4);
    ASSERT_LOC(s0->rhs->loc, 1, 7, 1, 17);
    ASSERT_LOC(s0->rhs->name_loc, 1, 7, 1, 11);
    CU_ASSERT_EQUAL_FATAL(s0->rhs->nkids, 2);
    ASSERT_LOC(s0->rhs->kids[0]->loc, 1, 12, 1, 13);
    ASSERT_LOC(s0->rhs->kids[1]->loc, 1, 15, 1, 16);
    CU_ASSERT_EQUAL(s1->kind, ST_ASSIGN);
    ASSERT_LOC(s1->loc, 2, 3, 2, 15);
    ASSERT_LOC(s1->lhs->loc, 2, 3, 2, 4);
    CU_ASSERT_EQUAL(s1->rhs->kind, EX_BINARY);
    CU_ASSERT_EQUAL(s1->rhs->op, OP_MUL);
    ASSERT_LOC(s1->rhs->loc, 2, 7, 2, 14);
    ASSERT_LOC(s1->rhs->kids[0]->loc, 2, 7, 2, 10);
    ASSERT_LOC(s1->rhs->kids[1]->loc, 2, 13, 2, 14);
    parsed_free(&p);
}

/* Columns count characters: é is two bytes and one column. */
static void test_utf8_columns(void)
{
    Parsed p;
    parse_text(&p, "y = \"\xc3\xa9\" + 1;\n");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 1);
    ASSERT_LOC(p.diags.items[0].loc, 1, 5, 1, 8);
    CU_ASSERT_STRING_EQUAL(p.diags.items[0].message, "strings are not part of the language");
    char *out = printed(&p.diags);
    CU_ASSERT_STRING_EQUAL(out, "t.bm:1:5: error: strings are not part of the language\n"
                                "    y = \"\xc3\xa9\" + 1;\n"
                                "        ^~~\n"
                                "note: names are written bare: p_A ~ Beta(1, 1);\n");
    free(out);
    parsed_free(&p);
}

static void test_numbers(void)
{
    Parsed p;
    parse_text(&p, "a = 1e3; b = .5; c = 5.; d = 3; e = 3.0; f = 2.5e-1;");
    CU_ASSERT_EQUAL(p.diags.n, 0);
    CU_ASSERT_EQUAL_FATAL(p.prog->nstmts, 6);
    const double want[] = {1000, 0.5, 5, 3, 3, 0.25};
    const bool is_int[] = {false, false, false, true, false, false};
    for (int i = 0; i < 6; i++) {
        const Expr *e = p.prog->stmts[i]->rhs;
        CU_ASSERT_EQUAL(e->kind, EX_NUM);
        CU_ASSERT_EQUAL(e->num, want[i]);
        CU_ASSERT_EQUAL(e->is_int, is_int[i]);
    }
    parsed_free(&p);
}

static void test_comments_and_empty(void)
{
    Parsed p;
    parse_text(&p, "# c1\na = 1; // c2\n// c3\nb = 2; # c4");
    CU_ASSERT_EQUAL(p.diags.n, 0);
    CU_ASSERT_EQUAL(p.prog->nstmts, 2);
    parsed_free(&p);
    parse_text(&p, "");
    CU_ASSERT_FATAL(p.prog != NULL);
    CU_ASSERT_EQUAL(p.diags.n, 0);
    CU_ASSERT_EQUAL(p.prog->nstmts, 0);
    parsed_free(&p);
}

/* a - b - c is (a - b) - c; 2 ^ 3 ^ 2 is 2 ^ (3 ^ 2); -2 ^ 2 is -(2 ^ 2). */
static void test_precedence(void)
{
    Parsed p;
    parse_text(&p, "o = 1 - 2 - 3; b = 2 ^ 3 ^ 2; c = -2 ^ 2; d = 1 + 2 * 3 > 4 && 1;");
    CU_ASSERT_EQUAL_FATAL(p.prog->nstmts, 4);
    const Expr *o = p.prog->stmts[0]->rhs, *b = p.prog->stmts[1]->rhs;
    const Expr *c = p.prog->stmts[2]->rhs, *d = p.prog->stmts[3]->rhs;
    CU_ASSERT(o->op == OP_SUB && o->kids[0]->kind == EX_BINARY && o->kids[1]->kind == EX_NUM);
    CU_ASSERT(b->op == OP_POW && b->kids[0]->kind == EX_NUM && b->kids[1]->kind == EX_BINARY);
    CU_ASSERT(c->kind == EX_UNARY && c->op == OP_NEG && c->kids[0]->op == OP_POW);
    CU_ASSERT(d->op == OP_AND && d->kids[0]->op == OP_GT && d->kids[0]->kids[0]->op == OP_ADD);
    parsed_free(&p);
}

static void test_error_locations(void)
{
    Parsed p;
    /* a missing ';' is placed after the statement, not on the next line */
    parse_text(&p, "a = 1\nb = 2;\n");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 1);
    ASSERT_LOC(p.diags.items[0].loc, 1, 6, 1, 7);
    CU_ASSERT_STRING_EQUAL(p.diags.items[0].message, "expected ';' at the end of the statement");
    parsed_free(&p);
    /* a tab is one column, and the caret line copies it */
    parse_text(&p, "\tz = $;\n");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 1);
    ASSERT_LOC(p.diags.items[0].loc, 1, 6, 1, 7);
    char *out = printed(&p.diags);
    CU_ASSERT_STRING_EQUAL(out, "t.bm:1:6: error: unexpected character '$'\n"
                                "    \tz = $;\n"
                                "    \t    ^\n");
    free(out);
    parsed_free(&p);
    /* at the end of the file: just after the last token */
    parse_text(&p, "p ~ Beta(1, 1");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 1);
    ASSERT_LOC(p.diags.items[0].loc, 1, 14, 1, 15);
    CU_ASSERT_STRING_EQUAL(p.diags.items[0].note, "the '(' is never closed");
    ASSERT_LOC(p.diags.items[0].related, 1, 9, 1, 10);
    parsed_free(&p);
}

/* The parser resumes after each mistake at the next ';'. */
static void test_error_recovery(void)
{
    Parsed p;
    parse_text(&p, "a = ;\nb = 2;\nc = );\nd = 4;\ne = 1 1;\nf = 6;\n");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 3);
    CU_ASSERT_EQUAL(p.diags.items[0].loc.first_line, 1);
    CU_ASSERT_EQUAL(p.diags.items[0].loc.first_column, 5);
    CU_ASSERT_EQUAL(p.diags.items[1].loc.first_line, 3);
    CU_ASSERT_EQUAL(p.diags.items[1].loc.first_column, 5);
    CU_ASSERT_EQUAL(p.diags.items[2].loc.first_line, 5);
    CU_ASSERT_EQUAL(p.diags.items[2].loc.first_column, 7);
    /* the statements around the mistakes are kept */
    CU_ASSERT_EQUAL(p.prog->nstmts, 3);
    parsed_free(&p);

    /* 25 mistakes: 20 kept, the rest counted */
    char text[1024] = "";
    for (int i = 0; i < 25; i++) strcat(text, "x = $;\n");
    parse_text(&p, text);
    CU_ASSERT_EQUAL(p.diags.n, DIAG_MAX_ERRORS);
    CU_ASSERT_EQUAL(p.diags.dropped, 25 - DIAG_MAX_ERRORS);
    parsed_free(&p);
}

/* Limits stop recursion before it starts: one error each, no crash. */
static void test_nesting_limits(void)
{
    char text[2048];
    Parsed p;
    strcpy(text, "x = ");
    for (int i = 0; i < 300; i++) strcat(text, "(");
    strcat(text, "1");
    for (int i = 0; i < 300; i++) strcat(text, ")");
    strcat(text, ";");
    parse_text(&p, text);
    CU_ASSERT_FATAL(p.prog != NULL);
    CU_ASSERT_EQUAL(p.diags.n, 1);
    CU_ASSERT_STRING_EQUAL(p.diags.items[0].message, "brackets nested more than 200 deep");
    CU_ASSERT_EQUAL(p.diags.items[0].loc.first_column, 5 + AST_MAX_DEPTH);
    parsed_free(&p);

    strcpy(text, "x = ");
    for (int i = 0; i < 300; i++) strcat(text, "-");
    strcat(text, "1;");
    parse_text(&p, text);
    CU_ASSERT_EQUAL(p.diags.n, 1);
    CU_ASSERT_STRING_EQUAL(p.diags.items[0].message, "expression nested more than 200 deep");
    parsed_free(&p);

    /* a long name is cut and reported once */
    memset(text, 'a', 300);
    strcpy(text + 300, " = 1;");
    parse_text(&p, text);
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 1);
    CU_ASSERT_STRING_EQUAL(p.diags.items[0].message, "name longer than 128 characters");
    parsed_free(&p);
}

/* A chain of binary operators is no nesting: a sum of 100,000 terms
** parses, binds, lowers and prints with loops along the chain.  The sum
** 1 + 2 + ... + n is n (n + 1) / 2; the printed text adds one '(' per
** operator, by the parser's left-leaning tree. */
static void test_long_chains(void)
{
    enum { N = 100000 };
    char *text = malloc((size_t)N * 16 + 64);
    CU_ASSERT_FATAL(text != NULL);
    size_t n = (size_t)sprintf(text, "c = 1");
    for (int i = 2; i <= N; i++) n += (size_t)sprintf(text + n, " + %d", i);
    n += (size_t)sprintf(text + n, ";\na ~ Normal(0, 1);\ns = a");
    for (int i = 2; i <= N; i++) n += (size_t)sprintf(text + n, i % 2 ? " + a" : " * a");
    strcpy(text + n, ";\n");
    Model *m = compile(text);
    free(text);
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT_FATAL(model_ok(m));
    CU_ASSERT_EQUAL(value_of(m->ir, "c", 0), (double)N * (N + 1) / 2);
    /* c's chain is as shallow as one operator: 2 + its numbers' 1 */
    CU_ASSERT_EQUAL(m->prog->stmts[0]->rhs->depth, 2);
    model_free(m);

    /* real nesting still counts: a ^ b nests to the right, f(...) inward */
    Parsed p;
    parse_text(&p, "x = 1 - 2 * 3 + f(4 + 5 + 6, 7) / (8 - 9);");
    CU_ASSERT_FATAL(p.diags.n == 0 && p.prog->nstmts == 1);
    const Expr *x = p.prog->stmts[0]->rhs;
    /* the sum in the call is 2 deep (chained), the call 3, the '/' 4 and
    ** the top '+' 5: its left operand, the '-', is chained */
    CU_ASSERT_EQUAL(x->depth, 5);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    CU_ASSERT_FATAL(f != NULL);
    expr_print(f, x);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "((1 - (2 * 3)) + (f(((4 + 5) + 6), 7) / (8 - 9)))");
    free(out);
    parsed_free(&p);
}

/* ---- semantic analysis ---- */

static void test_symbol_kinds(void)
{
    Parsed p;
    parse_text(&p, "data N;\na = 1;\np ~ Beta(1, 1);\ny ~ Binomial(10, p) observed 3;\nz = 2;\nz ~ Normal(0, 1);\n");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 0);
    Sema s;
    sema_run(&s, p.prog, &p.diags);
    CU_ASSERT_EQUAL(p.diags.n, 0);
    const char *names[] = {"N", "a", "p", "y", "z"};
    const SymKind kinds[] = {SYM_DATA, SYM_VALUE, SYM_PARAM, SYM_OBSERVED, SYM_VALUE};
    for (int i = 0; i < 5; i++) {
        const Symbol *sym = sema_find(&s, names[i]);
        CU_ASSERT_FATAL(sym != NULL);
        CU_ASSERT_EQUAL(sym->kind, kinds[i]);
        CU_ASSERT_EQUAL(sym->loc.first_line, i < 4 ? i + 1 : 5);
    }
    CU_ASSERT(sema_find(&s, "q") == NULL);
    /* '~' on data is a likelihood term; on a fresh name, a parameter */
    CU_ASSERT(sema_tilde_declares(&s, p.prog->stmts[2]));
    CU_ASSERT(!sema_tilde_declares(&s, p.prog->stmts[5]));
    sema_free(&s);
    parsed_free(&p);
}

/* Keyword arguments land in the distribution's order (PyMC's names). */
static void test_keyword_binding(void)
{
    Parsed p;
    parse_text(&p, "x ~ Normal(sigma = 2, mu = 1);\n"
                   "t ~ StudentT(sigma = 3, nu = 4, mu = 1);\n"
                   "w ~ Normal(5, sigma = 6);\n"
                   "g ~ Gamma(beta = 8, alpha = 7);\n");
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 0);
    Sema s;
    sema_run(&s, p.prog, &p.diags);
    CU_ASSERT_EQUAL_FATAL(p.diags.n, 0);
    const double want[4][3] = {{1, 2, 0}, {4, 1, 3}, {5, 6, 0}, {7, 8, 0}};
    const int nargs[4] = {2, 3, 2, 2};
    for (int i = 0; i < 4; i++) {
        const Expr *call = p.prog->stmts[i]->rhs;
        CU_ASSERT_EQUAL_FATAL(call->nkids, nargs[i]);
        CU_ASSERT(call->arg_names == NULL);
        for (int k = 0; k < nargs[i]; k++) CU_ASSERT_EQUAL(call->kids[k]->num, want[i][k]);
    }
    sema_free(&s);
    parsed_free(&p);
}

static void test_sema_errors(void)
{
    static const struct {
        const char *text;
        int line, column;
        const char *message, *note;
    } cases[] = {
        {"x = 1;\ny = xx + 1;\n", 2, 5, "unknown name 'xx'", "did you mean 'x'?"},
        {"x ~ Normal(mu = 0, sigma = 1, mu = 2);", 1, 31, "Normal's argument 'mu' is given twice", NULL},
        {"x ~ Normal(mu = 0, 1);", 1, 20, "a positional argument cannot follow a keyword argument", NULL},
        {"x ~ Binomal(1, 0.5);", 1, 5, "unknown distribution 'Binomal'", "did you mean 'Binomial'?"},
        {"for i in 1:3 { i = 2; }", 1, 16, "'i' is a loop variable; it cannot be assigned", NULL},
        {"a = 1;\na = 2;", 2, 1, "'a' is already defined", "every name has one definition"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        Parsed p;
        parse_text(&p, cases[c].text);
        CU_ASSERT_EQUAL_FATAL(p.diags.n, 0);
        Sema s;
        sema_run(&s, p.prog, &p.diags);
        CU_ASSERT_EQUAL(p.diags.n, 1);
        if (p.diags.n >= 1) {
            const Diag *d = &p.diags.items[0];
            CU_ASSERT_EQUAL(d->loc.first_line, cases[c].line);
            CU_ASSERT_EQUAL(d->loc.first_column, cases[c].column);
            CU_ASSERT_STRING_EQUAL(d->message, cases[c].message);
            if (cases[c].note) CU_ASSERT(d->note && strcmp(d->note, cases[c].note) == 0);
        }
        sema_free(&s);
        parsed_free(&p);
    }
}

static void test_suggest(void)
{
    const char *dists[] = {"Beta", "Binomial", "Normal", "HalfNormal"};
    CU_ASSERT_STRING_EQUAL(diag_suggest("Binomal", dists, 4), "Binomial");
    CU_ASSERT_STRING_EQUAL(diag_suggest("normal", dists, 4), "Normal");
    CU_ASSERT(diag_suggest("Beta", dists, 0) == NULL);   /* no candidates */
    CU_ASSERT(diag_suggest("Zebra", dists, 4) == NULL);
    const char *one[] = {"y"}, *two[] = {"nu"};
    CU_ASSERT(diag_suggest("x", one, 1) == NULL);   /* every letter differs */
    CU_ASSERT_STRING_EQUAL(diag_suggest("mu", two, 1), "nu");
}

/* ---- lowering ---- */

static void test_constant_folding(void)
{
    Model *m = compile("a = 2 + 3 * 4;\n"
                       "b = 2 ^ 3 ^ 2;\n"
                       "c = -2 ^ 2;\n"
                       "d = log(exp(3));\n"
                       "e = [1, 2, 3] * 2;\n"
                       "f = sum([1, 2, 3]) / 2;\n"
                       "g = 7 > 3 && 2 >= 2;\n"
                       "h = length([4, 5, 6]);\n"
                       "i = mean([1, 2, 3, 4]);\n"
                       "j = sd([1, 2, 3, 4]);\n"
                       "k = min(3, 2);\n"
                       "l = inv_logit(0);\n"
                       "mv = [[1, 2], [3, 4]] @ [1, 1];\n"
                       "ga = [10, 20, 30][[3, 1]];\n"
                       "o = 1 - 2 - 3;\n"
                       "q = 10 / 4;\n"
                       "r = !0 + (1 == 1) + (1 != 1);\n"
                       "X = [[1, 2], [3, 4]];\n"
                       "w = X[2, 1];\n"
                       "row = X[2] + 0;\n"
                       "for t in 1:3 { z[t] = t * 2; }\n");
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT_FATAL(model_ok(m));
    IrModel *ir = m->ir;
    CU_ASSERT_EQUAL(value_of(ir, "a", 0), 14);
    CU_ASSERT_EQUAL(value_of(ir, "b", 0), 512);
    CU_ASSERT_EQUAL(value_of(ir, "c", 0), -4);
    ASSERT_CLOSE(value_of(ir, "d", 0), 3, 1e-15);
    for (int k = 0; k < 3; k++) CU_ASSERT_EQUAL(value_of(ir, "e", k), 2 * (k + 1));
    CU_ASSERT_EQUAL(value_of(ir, "f", 0), 3);
    CU_ASSERT_EQUAL(value_of(ir, "g", 0), 1);
    CU_ASSERT_EQUAL(value_of(ir, "h", 0), 3);
    CU_ASSERT_EQUAL(value_of(ir, "i", 0), 2.5);
    ASSERT_CLOSE(value_of(ir, "j", 0), 1.2909944487358056, 1e-15);   /* sqrt(5 / 3) */
    CU_ASSERT_EQUAL(value_of(ir, "k", 0), 2);
    CU_ASSERT_EQUAL(value_of(ir, "l", 0), 0.5);
    CU_ASSERT_EQUAL(value_of(ir, "mv", 0), 3);
    CU_ASSERT_EQUAL(value_of(ir, "mv", 1), 7);
    CU_ASSERT_EQUAL(value_of(ir, "ga", 0), 30);
    CU_ASSERT_EQUAL(value_of(ir, "ga", 1), 10);
    CU_ASSERT_EQUAL(value_of(ir, "o", 0), -4);
    CU_ASSERT_EQUAL(value_of(ir, "q", 0), 2.5);
    CU_ASSERT_EQUAL(value_of(ir, "r", 0), 2);
    CU_ASSERT_EQUAL(value_of(ir, "w", 0), 3);
    CU_ASSERT_EQUAL(value_of(ir, "row", 0), 3);
    CU_ASSERT_EQUAL(value_of(ir, "row", 1), 4);
    for (int k = 0; k < 3; k++) CU_ASSERT_EQUAL(value_of(ir, "z", k), 2 * (k + 1));
    /* whole numbers are marked so (counts, indices); 10 / 4 is not one */
    CU_ASSERT(ir->slots[named_slot(ir, "a")].is_int);
    CU_ASSERT(ir->slots[named_slot(ir, "z")].is_int);
    CU_ASSERT(!ir->slots[named_slot(ir, "q")].is_int);
    /* nothing is left to compute */
    CU_ASSERT_EQUAL(ir->ncode, 0);
    CU_ASSERT_EQUAL(ir->dim, 0);
    model_free(m);
}

static void test_shapes(void)
{
    Model *m = compile("b ~ Normal(0, 1);\n"
                       "x = [1, 2, 3];\n"
                       "X = [[1, 2], [3, 4], [5, 6]];\n"
                       "v = X @ [b, b];\n"
                       "y = b + x;\n"
                       "theta[4] ~ Normal(0, 1);\n"
                       "s = sum(theta);\n"
                       "u = theta[2] * x;\n");
    CU_ASSERT_FATAL(m != NULL && model_ok(m));
    const IrModel *ir = m->ir;
    static const struct { const char *name; int rank; long rows, cols; bool data; } want[] = {
        {"x", 1, 3, 1, true}, {"X", 2, 3, 2, true}, {"v", 1, 3, 1, false}, {"y", 1, 3, 1, false},
        {"theta", 1, 4, 1, false}, {"s", 0, 1, 1, false}, {"u", 1, 3, 1, false}, {"b", 0, 1, 1, false},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int id = named_slot(ir, want[i].name);
        CU_ASSERT_FATAL(id >= 0);
        const IrSlot *s = &ir->slots[id];
        if (s->rank != want[i].rank || s->rows != want[i].rows || s->cols != want[i].cols)
            fprintf(stderr, "\n  %s: rank %d %ldx%ld\n", want[i].name, s->rank, s->rows, s->cols);
        CU_ASSERT_EQUAL(s->rank, want[i].rank);
        CU_ASSERT_EQUAL(s->rows, want[i].rows);
        CU_ASSERT_EQUAL(s->cols, want[i].cols);
        CU_ASSERT_EQUAL(s->len, want[i].rows * want[i].cols);
        CU_ASSERT_EQUAL(s->is_data, want[i].data);
    }
    CU_ASSERT_EQUAL(ir->nparams, 2);
    CU_ASSERT_EQUAL(ir->dim, 5);
    model_free(m);
}

static void test_lowering_errors(void)
{
    static const struct {
        const char *text;
        int line, column;
        const char *message;
    } cases[] = {
        {"a = [1, 2, 3];\nb = a[4];\n", 2, 7, "an index must be between 1 and 3, got 4"},
        {"p ~ Beta(1, 1);\na = b;\nb = a + p;\n", 3, 5, "'a' depends on itself"},
        {"x = log(0 - 1);\n", 1, 5, "this expression evaluates to NaN (not a number)"},
        {"a = [1, 2];\nb = a + [1, 2, 3];\n", 2, 5, "shapes do not match: a vector of length 2 and a vector of length 3"},
        /* a discrete '~' the density needs (one it does not is drawn: generated.c) */
        {"k ~ Poisson(3);\ny ~ Normal(k, 1) observed 2;\n", 1, 1,
         "'k' would be a discrete parameter (Poisson); NUTS samples continuous parameters only"},
        {"data N;\n", 1, 6, "no value for data 'N'"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        Model *m = compile(cases[c].text);
        CU_ASSERT_FATAL(m != NULL);
        CU_ASSERT(!model_ok(m));
        CU_ASSERT(m->ir == NULL);
        CU_ASSERT_EQUAL(m->diags.n, 1);
        if (m->diags.n >= 1) {
            const Diag *d = &m->diags.items[0];
            if (strcmp(d->message, cases[c].message) != 0) fprintf(stderr, "\n  got '%s'\n", d->message);
            CU_ASSERT_STRING_EQUAL(d->message, cases[c].message);
            CU_ASSERT_EQUAL(d->loc.first_line, cases[c].line);
            CU_ASSERT_EQUAL(d->loc.first_column, cases[c].column);
        }
        model_free(m);
    }
}

/* A name may be used before the line that defines it. */
static void test_forward_reference(void)
{
    Model *m = compile("y ~ Binomial(n, p) observed 3;\nn = 10;\np ~ Beta(1, 1);\n");
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT(model_ok(m));
    CU_ASSERT_EQUAL(m->ir ? m->ir->dim : -1, 1);
    model_free(m);
}

static void test_data(void)
{
    const char *text = "data N;\ndata y[N];\nmu ~ Normal(0, 1);\ny ~ Normal(mu, 1);\n";
    /* checking without data: the names are listed, nothing is lowered */
    Model *m = compile_with(text, NULL, true);
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT(model_ok(m));
    CU_ASSERT(m->ir == NULL);
    CU_ASSERT_FATAL(m->missing != NULL);
    CU_ASSERT_STRING_EQUAL(m->missing[0], "N");
    CU_ASSERT_STRING_EQUAL(m->missing[1], "y");
    CU_ASSERT(m->missing[2] == NULL);
    model_free(m);

    DataSet *ds = dataset_new();
    char err[256];
    CU_ASSERT_FATAL(ds != NULL);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "N=3", err, sizeof err), 0);
    CU_ASSERT_EQUAL(test_parse_assign(ds, "y=[1.5, 2, 4]", err, sizeof err), 0);
    m = compile_with(text, ds, false);
    CU_ASSERT_FATAL(m != NULL && model_ok(m));
    CU_ASSERT_EQUAL(value_of(m->ir, "N", 0), 3);
    CU_ASSERT_EQUAL(value_of(m->ir, "y", 2), 4);
    CU_ASSERT(!m->ir->slots[named_slot(m->ir, "y")].is_int);
    model_free(m);

    /* the declared size must match the value's */
    CU_ASSERT_EQUAL(test_parse_assign(ds, "N=4", err, sizeof err), 0);
    m = compile_with(text, ds, false);
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT_EQUAL_FATAL(m->diags.n, 1);
    CU_ASSERT_STRING_EQUAL(m->diags.items[0].message, "data 'y' should be a vector of length 4, but -D gives a vector of length 3");
    model_free(m);
    dataset_free(ds);
}

/* ---- the IR ---- */

static void test_ir_density_count(void)
{
    Model *m = compile(AB);
    CU_ASSERT_FATAL(m != NULL && model_ok(m));
    const IrModel *ir = m->ir;
    /* per Beta prior: a transform to (0, 1) and its log density, which
    ** reads the log-odds too (for values near 0 or 1); per
    ** observation: one log density without the binomial coefficient's
    ** terms, which are summed once into lp_const; diff and b_wins: one
    ** each, after */
    CU_ASSERT_EQUAL(ir->dim, 2);
    CU_ASSERT_EQUAL(ir->nparams, 2);
    CU_ASSERT_EQUAL_FATAL(ir->ncode, 8);
    CU_ASSERT_EQUAL_FATAL(ir->ndensity, 6);
    const IrOp want[] = {IR_TF_BOUNDS, IR_LOGPDF_LOGODDS, IR_TF_BOUNDS, IR_LOGPDF_LOGODDS, IR_LOGPDF_REST, IR_LOGPDF_REST,
                         IR_SUB, IR_GT};
    for (int i = 0; i < 8; i++) CU_ASSERT_EQUAL(ir->code[i].op, want[i]);
    CU_ASSERT_EQUAL(ir->code[6].out, named_slot(ir, "diff"));
    CU_ASSERT_EQUAL(ir->code[7].line, 7);
    /* reported in source order: the parameters, then the deterministics */
    CU_ASSERT_EQUAL_FATAL(ir->noutputs, 4);
    const char *names[] = {"p_A", "p_B", "diff", "b_wins"};
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_STRING_EQUAL(ir->names[ir->outputs[i].name], names[i]);
        CU_ASSERT_EQUAL(ir->outputs[i].is_param, i < 2);
    }
    /* log C(n, y) + y log(y/n) + (n-y) log(1 - y/n) for each observation,
    ** the part of log_binomial(y | n, p) free of p (from R's lchoose) */
    double want_const = -3.2494735253128368 + -3.3435669761171027;
    CU_ASSERT(fabs(ir->lp_const - want_const) < 1e-10);
    model_free(m);
}

/* A deterministic the density does not need goes after it, wherever it is
** written; one the density needs stays in it. */
static void test_ir_split(void)
{
    Model *m = compile("diff = p_B - p_A;\np_A ~ Beta(1, 1);\np_B ~ Beta(1, 1);\n");
    CU_ASSERT_FATAL(m != NULL && model_ok(m));
    const IrModel *ir = m->ir;
    CU_ASSERT_EQUAL_FATAL(ir->ncode, 5);
    CU_ASSERT_EQUAL(ir->ndensity, 4);
    CU_ASSERT_EQUAL(ir->code[4].op, IR_SUB);
    CU_ASSERT_EQUAL(ir->code[4].line, 1);
    for (int i = 0; i < ir->ndensity; i++) CU_ASSERT(ir->code[i].op != IR_SUB);
    /* the transforms' indices follow their instructions */
    for (int p = 0; p < ir->nparams; p++) {
        CU_ASSERT_FATAL(ir->params[p].tf >= 0);
        CU_ASSERT_EQUAL(ir->code[ir->params[p].tf].op, IR_TF_BOUNDS);
        CU_ASSERT_EQUAL(ir->code[ir->params[p].tf].out, ir->params[p].slot);
    }
    CU_ASSERT_STRING_EQUAL(ir->names[ir->outputs[0].name], "diff");
    model_free(m);

    m = compile("mu ~ Normal(0, 1);\ntheta = mu * 2;\ny ~ Normal(theta, 1) observed 0.5;\n");
    CU_ASSERT_FATAL(m != NULL && model_ok(m));
    CU_ASSERT_EQUAL(m->ir->ncode, 3);
    CU_ASSERT_EQUAL(m->ir->ndensity, 3);
    CU_ASSERT_EQUAL(m->ir->code[1].op, IR_MUL);
    model_free(m);
}

/* Terms on data alone become a constant of the density: dnorm(0.5, log = TRUE)
** = -log(2 pi) / 2 - 0.125. */
static void test_ir_data_only_term(void)
{
    Model *m = compile("y ~ Normal(0, 1) observed 0.5;\n");
    CU_ASSERT_FATAL(m != NULL && model_ok(m));
    CU_ASSERT_EQUAL(m->ir->ncode, 0);
    ASSERT_CLOSE(m->ir->lp_const, -0.91893853320467274 - 0.125, 1e-15);
    model_free(m);
}

/* ---- the REPL's pattern: compile the same text again and again ---- */

static void test_repeated_compile(void)
{
    const char *bad = "p ~ Beta(1 1);\nq ~ Binomal(10, p) observed 3;\ny = nowhere;\n";
    for (int i = 0; i < 1000; i++) {
        Model *m = compile(AB);
        CU_ASSERT_FATAL(m != NULL);
        CU_ASSERT(model_ok(m));
        model_free(m);
        m = compile(bad);
        CU_ASSERT_FATAL(m != NULL);
        CU_ASSERT(!model_ok(m));
        model_free(m);
        m = compile_with("data N;\nx[N] ~ Normal(0, 1);\n", NULL, true);
        CU_ASSERT_FATAL(m != NULL);
        model_free(m);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo lexing[] = {
        {"token locations", test_token_locations},
        {"UTF-8 columns", test_utf8_columns},
        {"numbers", test_numbers},
        {"comments and empty text", test_comments_and_empty},
        {"precedence", test_precedence},
        {"error locations", test_error_locations},
        {"error recovery", test_error_recovery},
        {"nesting limits", test_nesting_limits},
        {"long chains", test_long_chains},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo sema[] = {
        {"symbol kinds", test_symbol_kinds},
        {"keyword binding", test_keyword_binding},
        {"errors", test_sema_errors},
        {"suggestions", test_suggest},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo lowering[] = {
        {"constant folding", test_constant_folding},
        {"shapes", test_shapes},
        {"errors", test_lowering_errors},
        {"forward reference", test_forward_reference},
        {"data", test_data},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo irs[] = {
        {"density count", test_ir_density_count},
        {"deterministic split", test_ir_split},
        {"data-only term", test_ir_data_only_term},
        {"repeated compile", test_repeated_compile},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"lexer and parser", NULL, NULL, NULL, NULL, lexing},
        {"semantic analysis", NULL, NULL, NULL, NULL, sema},
        {"lowering", NULL, NULL, NULL, NULL, lowering},
        {"IR and compile", NULL, NULL, NULL, NULL, irs},
        CU_SUITE_INFO_NULL,
    };
    return testutil_run(suites);
}
