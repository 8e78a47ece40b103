/*
** report.c -- printing a run's results: the --vars selection, the
** ArviZ-like summary table with its run line and warnings, and the JSON
** object of design section 3.
**
** The table is laid out in two passes: every cell is formatted first, so
** that each column's width comes from its widest cell.  Warnings are
** built as entries (warnings.h) first and printed from them.
*/
#include "report.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "diagnostics.h"
#include "format.h"
#include "report_loo.h"

/* Thresholds of the warnings, as ArviZ, Stan and the posterior package
** use them (Vehtari et al. 2021 for R-hat and ESS; Betancourt 2016 for
** E-BFMI). */
#define RHAT_MAX        1.01
#define ESS_PER_CHAIN   100.0
#define EBFMI_MIN       0.3
/* The largest json_int_t, which jansson does not name. */
#ifdef JSON_INTEGER_IS_LONG_LONG
#define JSON_INT_LARGEST LLONG_MAX
#else
#define JSON_INT_LARGEST LONG_MAX
#endif
/* Names listed in one warning before "+N more". */
#define WARN_NAMES      3

/* ------------------------------------------------------------------ */
/* The sampler's record                                                */
/* ------------------------------------------------------------------ */

void report_sampler_record(RunInfo *run, const Draws *d, double *ebfmi)
{
    int nd = d->ndraws;
    run->divergences = run->treedepth_hits = 0;
    for (int c = 0; c < d->nchains; c++) {
        const double *div = draws_stat_const(d, DRAW_DIVERGENT, c);
        const double *depth = draws_stat_const(d, DRAW_TREEDEPTH, c);
        for (int i = 0; i < nd; i++) {
            run->divergences += div[i] > 0;
            run->treedepth_hits += depth[i] >= run->max_treedepth;
        }
        ebfmi[c] = nd > 1 ? diag_ebfmi(draws_stat_const(d, DRAW_ENERGY, c), (size_t)nd) : NAN;
    }
    run->ebfmi = ebfmi;
}

/* ------------------------------------------------------------------ */
/* Selection                                                           */
/* ------------------------------------------------------------------ */

static void select_add(int *which, int *n, bool *taken, int v)
{
    if (taken[v]) return;
    taken[v] = true;
    which[(*n)++] = v;
}

/* Adds the variables that item (len bytes, no blanks) names: the exact
** name when there is one, else every element "item[...]" of a vector or
** matrix, or for "M[i]" every element of row i of a matrix.  Returns how
** many variables matched (already-selected ones included). */
static int select_item(const Draws *d, const char *item, size_t len,
                       int *which, int *n, bool *taken)
{
    int exact = draws_find(d, item);
    if (exact >= 0) {
        select_add(which, n, taken, exact);
        return 1;
    }
    /* "theta" is followed by '[', "M[2]" (less its ']') by ',' */
    bool row = len > 1 && item[len - 1] == ']' && strchr(item, '[') && !strchr(item, ',');
    size_t stem = row ? len - 1 : len;
    char follows = row ? ',' : '[';
    int matched = 0;
    for (int v = 0; v < d->nvars; v++) {
        const char *name = d->names[v];
        if (strncmp(name, item, stem) == 0 && name[stem] == follows) {
            select_add(which, n, taken, v);
            matched++;
        }
    }
    return matched;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the item that starts at p: the next ',' outside brackets
** ("z[1,2]" is one name, as the table prints it), or the end of text. */
static const char *item_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']' && depth > 0) depth--;
        else if (*p == ',' && depth == 0) break;
    }
    return p;
}

int report_select(const Draws *d, const char *spec, int **which, int *n, char **bad)
{
    *which = NULL;
    *n = 0;
    if (bad) *bad = NULL;
    /* One more than nvars so that an empty selection is still a non-NULL
    ** array: NULL means "all" to the printers. */
    int *w = malloc(((size_t)d->nvars + 1) * sizeof *w);
    bool *taken = calloc((size_t)d->nvars + 1, sizeof *taken);
    char *item = malloc(strlen(spec ? spec : "") + 1);
    if (!w || !taken || !item) goto oom;

    int count = 0;
    const char *p = spec ? spec : "";
    for (;;) {
        const char *end = item_end(p);
        /* without blanks: "z[1, 2]" is z[1,2] */
        size_t len = 0;
        for (const char *c = p; c < end; c++)
            if (!is_blank(*c)) item[len++] = *c;
        item[len] = '\0';
        if (len > 0) {
            if (select_item(d, item, len, w, &count, taken) == 0) {
                if (bad) {
                    *bad = item;   /* the caller frees it */
                    item = NULL;
                }
                free(item);
                free(taken);
                free(w);
                return -1;
            }
        }
        if (*end == '\0') break;
        p = end + 1;
    }
    free(item);
    free(taken);
    *which = w;
    *n = count;
    return 0;

oom:
    /* -1 with *bad left NULL: out of memory, not an unknown name. */
    free(item);
    free(taken);
    free(w);
    return -1;
}

/* The variables a printer shows: opt->which, or all when it is NULL. */
typedef struct Selection {
    const int *idx;     /* NULL: variable k is k */
    int n;
} Selection;

static Selection selection_of(const Draws *d, const ReportOptions *opt)
{
    Selection s = { NULL, d->nvars };
    if (opt && opt->which) {
        s.idx = opt->which;
        s.n = opt->nwhich;
    }
    return s;
}

/* The k-th selected variable, or -1 when the index is out of range. */
static int selection_var(const Draws *d, Selection s, int k)
{
    int v = s.idx ? s.idx[k] : k;
    return v >= 0 && v < d->nvars ? v : -1;
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

/* The nine columns of every table, then a quantile's for each asked. */
enum { NCOLS = 9, MAXCOLS = NCOLS + REPORT_MAX_QUANTILES };

static int quantile_count(const ReportOptions *opt)
{
    if (!opt || !opt->quantiles) return 0;
    return opt->nquantiles < REPORT_MAX_QUANTILES ? opt->nquantiles : REPORT_MAX_QUANTILES;
}

void report_quantile_name(double p, char *buf, size_t len)
{
    snprintf(buf, len, "q%g", 100 * p);
}

/* Variable v's quantiles of opt into q (NAN out of memory). */
static void quantiles_of(const Draws *d, int v, const ReportOptions *opt, double *q)
{
    int nq = quantile_count(opt);
    if (nq && summary_quantiles(d, v, opt->quantiles, nq, q) != 0)
        for (int k = 0; k < nq; k++) q[k] = NAN;
}

/* Fills the cells of variable v's row: the nine, then its quantiles in
** the mean's digits. */
static void format_row(char cells[MAXCOLS][FORMAT_CELL], const Draws *d, int v, const VarSummary *s,
                       const ReportOptions *opt)
{
    int round = opt ? opt->round : -1;
    const double est[6] = { s->mean, s->sd, s->hdi_low, s->hdi_high,
                            s->mcse_mean, s->mcse_sd };
    int dec = round >= 0 ? round : format_decimals(s->sd, s->mean);
    for (int j = 0; j < 6; j++) format_number(cells[j], est[j], dec);
    /* ESS as integers, r_hat with two decimals, as ArviZ rounds them. */
    format_number(cells[6], s->ess_bulk, 0);
    format_number(cells[7], s->ess_tail, 0);
    format_number(cells[8], s->r_hat, 2);
    double q[REPORT_MAX_QUANTILES];
    quantiles_of(d, v, opt, q);
    for (int k = 0; k < quantile_count(opt); k++) format_number(cells[NCOLS + k], q[k], dec);
}

/* The column titles; the HDI ones depend on hdi_prob.  Returns how many. */
static int column_titles(char titles[MAXCOLS][FORMAT_CELL], const ReportOptions *opt)
{
    static const char *const fixed[NCOLS] = {
        "mean", "sd", NULL, NULL, "mcse_mean", "mcse_sd",
        "ess_bulk", "ess_tail", "r_hat"
    };
    for (int j = 0; j < NCOLS; j++)
        if (fixed[j]) snprintf(titles[j], FORMAT_CELL, "%s", fixed[j]);
    format_hdi_titles(titles[2], titles[3], opt ? opt->hdi_prob : 0.94);
    for (int k = 0; k < quantile_count(opt); k++) report_quantile_name(opt->quantiles[k], titles[NCOLS + k], FORMAT_CELL);
    return NCOLS + quantile_count(opt);
}

/* The rows of the selected variables of group, under the column titles,
** title heading the names' column. */
static void print_group(FILE *out, const Draws *d, const VarSummary *s, Selection sel, const ReportOptions *opt,
                        DrawsGroup group, const unsigned char *hidden, const char *title)
{
    char titles[MAXCOLS][FORMAT_CELL];
    int ncols = column_titles(titles, opt);

    int width[MAXCOLS];
    for (int j = 0; j < ncols; j++) width[j] = (int)strlen(titles[j]);
    int namew = (int)strlen(title);
    char cells[MAXCOLS][FORMAT_CELL];
    /* First pass: widths.  Formatting twice costs less than keeping
    ** nvars * 9 cells, and a row is formatted the same both times. */
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v < 0 || d->group[v] != group || (hidden && hidden[v])) continue;
        int len = format_width(d->names[v]);
        if (len > namew) namew = len;
        format_row(cells, d, v, &s[v], opt);
        for (int j = 0; j < ncols; j++) {
            int w = (int)strlen(cells[j]);
            if (w > width[j]) width[j] = w;
        }
    }

    fprintf(out, "%-*s", namew, title);
    for (int j = 0; j < ncols; j++) fprintf(out, "  %*s", width[j], titles[j]);
    fputc('\n', out);
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v < 0 || d->group[v] != group || (hidden && hidden[v])) continue;
        format_row(cells, d, v, &s[v], opt);
        format_put_left(out, d->names[v], namew);
        for (int j = 0; j < ncols; j++) fprintf(out, "  %*s", width[j], cells[j]);
        fputc('\n', out);
    }
}

/* Whether some selected variable belongs to group. */
static bool group_shown(const Draws *d, Selection sel, DrawsGroup group)
{
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v >= 0 && d->group[v] == group) return true;
    }
    return false;
}

/* Whether check c is about a selected replicate. */
static bool check_shown(const Draws *d, Selection sel, const PpcCheck *c)
{
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v >= c->first && v < c->first + c->count) return true;
    }
    return false;
}

enum { NCHECK = 6 };

static void format_check(char cells[NCHECK][FORMAT_CELL], const PpcCheck *c, int round)
{
    /* the interval's width sets the digits, as an sd sets a row's (the
    ** mean's size when all the replicates agree) */
    double scale = (c->hdi_high - c->hdi_low) / 4;
    if (!(scale > 0)) scale = fmax(1, fmax(fabs(c->observed), fabs(c->mean))) / 4;
    int dec = round >= 0 ? round : format_decimals(scale, c->mean);
    snprintf(cells[0], FORMAT_CELL, "%s", ppc_stat_name(c->stat));
    format_number(cells[1], c->observed, dec);
    format_number(cells[2], c->mean, dec);
    format_number(cells[3], c->hdi_low, dec);
    format_number(cells[4], c->hdi_high, dec);
    format_number(cells[5], c->p_value, 2);
}

/* The posterior predictive checks of the selected replicates: each
** statistic of the data, its replicates' mean and interval, the p-value. */
static void print_checks(FILE *out, const Draws *d, Selection sel, const ReportOptions *opt, const RunInfo *run)
{
    if (!run || !run->ppc) return;
    const char *title = "posterior predictive check";
    char titles[NCHECK][FORMAT_CELL] = { "statistic", "observed", "mean", "", "", "p_value" };
    format_hdi_titles(titles[3], titles[4], opt ? opt->hdi_prob : 0.94);
    int round = opt ? opt->round : -1, width[NCHECK], namew = (int)strlen(title), shown = 0;
    for (int j = 0; j < NCHECK; j++) width[j] = (int)strlen(titles[j]);
    char cells[NCHECK][FORMAT_CELL];
    for (int i = 0; i < run->nppc; i++) {
        const PpcCheck *c = &run->ppc[i];
        if (!check_shown(d, sel, c)) continue;
        shown++;
        if ((int)strlen(c->of) > namew) namew = (int)strlen(c->of);
        format_check(cells, c, round);
        for (int j = 0; j < NCHECK; j++)
            if ((int)strlen(cells[j]) > width[j]) width[j] = (int)strlen(cells[j]);
    }
    if (!shown) return;
    fprintf(out, "\n%-*s", namew, title);
    for (int j = 0; j < NCHECK; j++) fprintf(out, "  %*s", width[j], titles[j]);
    fputc('\n', out);
    for (int i = 0; i < run->nppc; i++) {
        const PpcCheck *c = &run->ppc[i];
        if (!check_shown(d, sel, c)) continue;
        format_check(cells, c, round);
        /* a vector's statistics under one name */
        bool same = i > 0 && run->ppc[i - 1].first == c->first;
        fprintf(out, "%-*s", namew, same ? "" : c->of);
        for (int j = 0; j < NCHECK; j++) fprintf(out, "  %*s", width[j], cells[j]);
        fputc('\n', out);
    }
}

/* Replicates of a vector longer than this are left out of the table unless
** --vars asks for them: their checks say what they show. */
#define REPLICATE_ROWS 8

/* Which predictive rows the table leaves out (malloc'ed, nvars flags, or
** NULL for none): those of vectors longer than REPLICATE_ROWS, when no
** selection names them.  Says which, after the table, in *notes. */
static unsigned char *long_replicates(const Draws *d, const ReportOptions *opt)
{
    if (opt && opt->which) return NULL;
    unsigned char *hidden = calloc(d->nvars > 0 ? (size_t)d->nvars : 1, 1);
    if (!hidden) return NULL;
    for (int v = 0; v < d->nvars;) {
        int k = 1;
        while (d->group[v] == DRAWS_PREDICTIVE && v + k < d->nvars && d->group[v + k] == DRAWS_PREDICTIVE &&
               strcmp(d->of[v + k], d->of[v]) == 0)
            k++;
        if (d->group[v] == DRAWS_PREDICTIVE && k > REPLICATE_ROWS) memset(hidden + v, 1, (size_t)k);
        v += k;
    }
    return hidden;
}

/* Whether the table shows the points of the log-likelihood: only when
** --vars names them, for N rows of them help nobody otherwise. */
static bool points_shown(const Draws *d, Selection sel)
{
    return sel.idx && group_shown(d, sel, DRAWS_LOG_LIK);
}

static void print_table(FILE *out, const Draws *d, const VarSummary *s, Selection sel, const ReportOptions *opt,
                        const RunInfo *run)
{
    bool points = points_shown(d, sel);
    bool posterior = group_shown(d, sel, DRAWS_POSTERIOR) || (!group_shown(d, sel, DRAWS_PREDICTIVE) && !points);
    if (posterior) print_group(out, d, s, sel, opt, DRAWS_POSTERIOR, NULL, "");
    if (points) {
        if (posterior) fputc('\n', out);   /* the groups apart */
        print_group(out, d, s, sel, opt, DRAWS_LOG_LIK, NULL, "log-likelihood");
        posterior = true;   /* a table precedes what follows */
    }
    if (group_shown(d, sel, DRAWS_PREDICTIVE)) {
        unsigned char *hidden = long_replicates(d, opt);
        bool any = false;
        for (int k = 0; k < sel.n && !any; k++) {
            int v = selection_var(d, sel, k);
            any = v >= 0 && d->group[v] == DRAWS_PREDICTIVE && !(hidden && hidden[v]);
        }
        if (any) {
            if (posterior) fputc('\n', out);   /* the groups apart */
            print_group(out, d, s, sel, opt, DRAWS_PREDICTIVE, hidden, "posterior predictive");
        }
        bool noted = any;   /* a blank line before the first note, unless the table precedes it */
        for (int v = 0; hidden && v < d->nvars; v++) {
            if (!hidden[v] || (v > 0 && hidden[v - 1] && strcmp(d->of[v - 1], d->of[v]) == 0)) continue;
            int k = 1;
            while (v + k < d->nvars && hidden[v + k] && strcmp(d->of[v + k], d->of[v]) == 0) k++;
            int base = (int)strcspn(d->names[v], "[");
            fprintf(out, "%s(%d replicates of %s, %.*s[1] to %s: --vars %.*s lists them)\n", noted ? "" : "\n", k,
                    d->of[v], base, d->names[v], d->names[v + k - 1], base, d->names[v]);
            noted = true;
        }
        free(hidden);
    }
    print_checks(out, d, sel, opt, run);
}

static const char *plural(long n)
{
    return n == 1 ? "" : "s";
}

static void print_run_line(FILE *err, const Draws *d, const VarSummary *s,
                           Selection sel, const RunInfo *run)
{
    char secs[32], grads[32];
    format_seconds(secs, sizeof secs, run->seconds);
    format_count(grads, sizeof grads, (double)run->gradient_evals);

    if (run->prior) fputs("prior predictive: ", err);
    fprintf(err, "%d chain%s x ", run->chains, plural(run->chains));
    if (run->interrupted)
        fprintf(err, "%d of %d draws", d->ndraws, run->draws);
    else
        fprintf(err, "%d draw%s", run->draws, plural(run->draws));
    char thin[48] = "";
    if (run->thin > 1) snprintf(thin, sizeof thin, "1 in %d kept", run->thin);
    if (run->saved) {   /* from files: no times, the files' counts */
        if (run->exact) fputs(" read back, each drawn exactly", err);
        else fprintf(err, " read back, %d divergence%s", run->divergences, plural(run->divergences));
        if (!run->seed_unknown) fprintf(err, ", seed %lu", run->seed);
    } else if (run->exact && run->conjugate)
        fprintf(err, "%s%s%s, each drawn exactly from the conjugate posterior (%s), %s s, seed %lu", *thin ? " (" : "",
                thin, *thin ? ")" : "", run->conjugate, secs, run->seed);
    else if (run->exact)   /* no sampler: nothing of one to report */
        fprintf(err, "%s%s%s, each drawn exactly and independently, %s s, seed %lu", *thin ? " (" : "", thin,
                *thin ? ")" : "", secs, run->seed);
    else
        fprintf(err, " (%d tune%s%s), %s s sampling, %s gradient evaluations, "
                "%d divergence%s, seed %lu",
                run->tune, *thin ? ", " : "", thin, secs, grads, run->divergences, plural(run->divergences),
                run->seed);

    /* The slowest variable bounds how fast the run learns anything. */
    int slow = -1;
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        /* replicates of data and points of the log-likelihood say nothing
        ** of the sampler's speed */
        if (v < 0 || d->group[v] != DRAWS_POSTERIOR || !isfinite(s[v].ess_bulk)) continue;
        if (slow < 0 || s[v].ess_bulk < s[slow].ess_bulk) slow = v;
    }
    if (slow >= 0 && run->seconds > 0 && !run->saved) {
        double rate = s[slow].ess_bulk / run->seconds;
        char buf[32];
        if (rate >= 10)
            format_count(buf, sizeof buf, rate);
        else
            snprintf(buf, sizeof buf, "%.2g", rate);
        fprintf(err, "; slowest ESS/s: %s (%s)", buf, d->names[slow]);
    }
    fputc('\n', err);
    if (run->interrupted)
        fprintf(err, "interrupted: summary of the %d draws per chain made before the run was stopped\n",
                d->ndraws);
}

/* ------------------------------------------------------------------ */
/* Warnings                                                            */
/* ------------------------------------------------------------------ */

/* What a warning about the summaries looks at. */
typedef enum { W_NONFINITE, W_RHAT, W_ESS_BULK, W_ESS_TAIL, W_NKINDS } WarnKind;

static const struct {
    const char *kind;       /* the entry's kind */
    const char *lead;       /* the message before the first name */
    const char *tail;       /* after the last */
    const char *advice;
} WARN_TEXT[W_NKINDS] = {
    [W_NONFINITE] = { "nonfinite", "", "",
                      "its expression is undefined for some parameter values (log or sqrt of a negative number, "
                      "0/0, an overflow), so its figures are nan; make it defined wherever the parameters can go" },
    [W_RHAT] = { "r_hat", "r_hat above 1.01 for ", "",
                 "the chains disagree; run longer chains (raise --tune and --draws, e.g. 2000 each) or "
                 "reparameterise" },
    [W_ESS_BULK] = { "ess_bulk", "ess_bulk of ", " (fewer than 100 per chain)", "run more draws with --draws" },
    [W_ESS_TAIL] = { "ess_tail", "ess_tail of ", " (fewer than 100 per chain)", "run more draws with --draws" },
};

/* Whether a variable trips the warning.  An undefined R-hat or ESS never
** does: a constant quantity (a 0/1 indicator that never changed) has
** none, and a quantity that is not finite has its own warning. */
static bool warn_trips(const VarSummary *s, WarnKind kind, double ess_min)
{
    switch (kind) {
    case W_NONFINITE: return s->nan_draws + s->inf_draws > 0;
    case W_RHAT: return isfinite(s->r_hat) && s->r_hat > RHAT_MAX;
    case W_ESS_BULK: return isfinite(s->ess_bulk) && s->ess_bulk < ess_min;
    case W_ESS_TAIL: return isfinite(s->ess_tail) && s->ess_tail < ess_min;
    case W_NKINDS: break;
    }
    return false;
}

/* One variable's part of a message: "mu (1.062)", "p_A is 153". */
static void warn_item(FILE *f, const Draws *d, int v, const VarSummary *s, WarnKind kind)
{
    char what[128];
    switch (kind) {
    case W_NONFINITE:
        format_nonfinite(what, sizeof what, s->nan_draws, s->inf_draws, (long)d->nchains * d->ndraws);
        fprintf(f, "%s is %s", d->names[v], what);
        break;
    case W_RHAT: fprintf(f, "%s (%.3f)", d->names[v], s->r_hat); break;
    /* Rounded down: 399.6 is not "400 (fewer than ...)". */
    case W_ESS_BULK: fprintf(f, "%s is %.0f", d->names[v], floor(s->ess_bulk)); break;
    case W_ESS_TAIL: fprintf(f, "%s is %.0f", d->names[v], floor(s->ess_tail)); break;
    case W_NKINDS: break;
    }
}

/* One entry for the selected variables that trip kind, naming all of
** them and listing the first WARN_NAMES in its message; none when no
** variable does.  Returns 0, or -1 when out of memory. */
static int warn_variables(Warnings *out, const Draws *d, const VarSummary *s, Selection sel, WarnKind kind)
{
    double ess_min = ESS_PER_CHAIN * d->nchains;
    const char **names = malloc(((size_t)sel.n + 1) * sizeof *names);
    char *text = NULL;
    size_t len = 0;
    FILE *f = names ? open_memstream(&text, &len) : NULL;
    if (!f) {
        free(names);
        return -1;
    }
    int count = 0;
    fputs(WARN_TEXT[kind].lead, f);
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v < 0 || !warn_trips(&s[v], kind, ess_min)) continue;
        /* the points of the log-likelihood are functions of the parameters,
        ** whose own warnings say whether the chains mixed: N more names
        ** would bury those, unless --vars asks for the points */
        if (d->group[v] == DRAWS_LOG_LIK && !sel.idx) continue;
        if (count < WARN_NAMES) {
            if (count) fputs(", ", f);
            warn_item(f, d, v, &s[v], kind);
        }
        names[count++] = d->names[v];
    }
    if (count > WARN_NAMES) fprintf(f, ", +%d more", count - WARN_NAMES);
    fputs(WARN_TEXT[kind].tail, f);
    int rc = fclose(f) == 0 && text ? 0 : -1;
    if (rc == 0 && count > 0)
        rc = warnings_add(out, WARN_TEXT[kind].kind, names, count, NULL, 0, WARN_TEXT[kind].advice, "%s", text);
    free(text);
    free(names);
    return rc;
}

/* The warnings of the sampler's record: divergences, tree depth, E-BFMI. */
static int warn_sampler(Warnings *out, const RunInfo *run)
{
    int rc = 0;
    if (run->divergences > 0) {
        /* Suggest a step past the target already in use. */
        double ta = run->target_accept;
        double next = ta < 0.95 ? 0.95 : ta < 0.99 ? 0.99 : 0.999;
        char advice[128];
        snprintf(advice, sizeof advice, "raise --target-accept (e.g. %g) or reparameterise (non-centred)", next);
        rc |= warnings_add(out, "divergences", NULL, 0, NULL, 0, advice, "%d divergent transition%s after warm-up",
                           run->divergences, plural(run->divergences));
    }
    if (run->treedepth_hits > 0)
        rc |= warnings_add(out, "treedepth", NULL, 0, NULL, 0, "raise --max-treedepth or reparameterise",
                           "%d draw%s hit the maximum tree depth %d", run->treedepth_hits,
                           plural(run->treedepth_hits), run->max_treedepth);
    for (int c = 0; run->ebfmi && c < run->chains; c++) {
        if (!(run->ebfmi[c] < EBFMI_MIN)) continue;   /* NaN: no warning */
        int chain = c + 1;
        rc |= warnings_add(out, "ebfmi", NULL, 0, &chain, 1,
                           "the posterior may have heavy tails or a funnel; reparameterise",
                           "chain %d has E-BFMI %.2f (below 0.3)", chain, run->ebfmi[c]);
    }
    return rc ? -1 : 0;
}

/* A posterior predictive check whose statistic of the data lies outside
** nearly all of its replicates': the model does not reproduce that feature
** of the data.  Only the checks of replicates selected, as for any
** quantity's warning. */
static int warn_checks(Warnings *out, const Draws *d, Selection sel, const RunInfo *run)
{
    for (int i = 0; run->ppc && i < run->nppc; i++) {
        const PpcCheck *c = &run->ppc[i];
        if (!ppc_extreme(c) || !check_shown(d, sel, c)) continue;
        const char *names[1] = { c->of };
        bool high = c->p_value < PPC_TAIL;
        /* the share beyond, cut (not rounded) to a tenth of a percent:
        ** 100% only when every replicate is */
        double share = floor(1000 * (high ? 1 - c->p_value : c->p_above) + 1e-9) / 10;
        char what[160];
        if (c->stat == PPC_VALUE) snprintf(what, sizeof what, "%s (%.3g)", c->of, c->observed);
        else snprintf(what, sizeof what, "the %s of %s (%.3g)", ppc_stat_name(c->stat), c->of, c->observed);
        if (warnings_add(out, "ppc", names, 1, NULL, 0,
                         "the model does not reproduce this feature of the data: look at --plot-kind ppc, and "
                         "check the likelihood (for counts, overdispersion: NegativeBinomial)",
                         "%s is %s than in %g%% of the posterior predictive replicates (p = %.3f)", what,
                         high ? "higher" : "lower", share, c->p_value) != 0)
            return -1;
    }
    return 0;
}

int report_warnings(Warnings *out, const Draws *d, const VarSummary *s, const RunInfo *run,
                    const ReportOptions *opt)
{
    Selection sel = selection_of(d, opt);
    int rc = run ? warnings_extend(out, run->warnings) : 0;
    /* independent exact draws: R-hat and ESS vary by chance alone, and say
    ** nothing of how chains mix; only the non-numbers are worth a word */
    int kinds = run && run->exact ? W_RHAT : W_NKINDS;
    for (int kind = 0; kind < kinds && rc == 0; kind++) rc = warn_variables(out, d, s, sel, (WarnKind)kind);
    if (run && rc == 0) rc = warn_sampler(out, run);
    if (run && rc == 0) rc = warn_checks(out, d, sel, run);
    if (run && run->loo && rc == 0) rc = report_loo_warnings(out, run->loo);
    return rc;
}

bool report_convergence_warned(const Warnings *w)
{
    static const char *const kinds[] = { "r_hat", "ess_bulk", "ess_tail", "divergences", "treedepth", "ebfmi" };
    for (int i = 0; w && i < w->n; i++)
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            if (strcmp(w->items[i].kind, kinds[k]) == 0) return true;
    return false;
}

void report_table(FILE *out, FILE *err, const Draws *d, const VarSummary *s,
                  const RunInfo *run, const ReportOptions *opt, const Warnings *warnings)
{
    Selection sel = selection_of(d, opt);
    print_table(out, d, s, sel, opt, run);
    if (run && run->loo) report_loo_block(out, run->loo);
    /* The table before the run line, when both go to one pipe. */
    fflush(out);
    if (run) report_run_line(err, d, s, run, opt, warnings);
}

int report_results(FILE *out, FILE *err, const Draws *d, const VarSummary *s, const RunInfo *run,
                   const ReportOptions *opt, bool json, bool *convergence)
{
    Warnings warnings;
    warnings_init(&warnings);
    int rc = report_warnings(&warnings, d, s, run, opt);
    if (convergence) *convergence = report_convergence_warned(&warnings);
    if (json) {
        /* the object on stdout, and the run line and warnings on stderr as a table has them */
        if (rc == 0) rc = report_json(out, d, s, run, opt, &warnings);
        fflush(out);
        report_run_line(err, d, s, run, opt, &warnings);
    } else {
        report_table(out, err, d, s, run, opt, &warnings);
    }
    warnings_free(&warnings);
    return rc;
}

void report_run_line(FILE *err, const Draws *d, const VarSummary *s, const RunInfo *run, const ReportOptions *opt,
                     const Warnings *warnings)
{
    print_run_line(err, d, s, selection_of(d, opt), run);
    warnings_print(err, warnings, opt && opt->color);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

/* A number, or null for NaN and infinities, which JSON cannot hold. */
static json_t *json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Sets key to value (reference stolen); counts failures in *bad so that
** one check at the end covers every allocation. */
static void put(json_t *obj, const char *key, json_t *value, int *bad)
{
    if (!value || json_object_set_new(obj, key, value) != 0) (*bad)++;
}

/* Appends value (reference stolen) to the array a, counting failures as
** put does. */
static void append(json_t *a, json_t *value, int *bad)
{
    if (!value || json_array_append_new(a, value) != 0) (*bad)++;
}

/* A per-chain array of numbers, or null when the run did not record it. */
static json_t *json_per_chain(const double *x, int n, int *bad)
{
    if (!x) return json_null();
    json_t *a = json_array();
    for (int c = 0; a && c < n; c++) append(a, json_num(x[c]), bad);
    return a;
}

static json_t *json_variable(const Draws *d, int v, const VarSummary *s, const ReportOptions *opt, int *bad)
{
    json_t *o = json_object();
    if (!o) return NULL;
    put(o, "mean", json_num(s->mean), bad);
    put(o, "sd", json_num(s->sd), bad);
    put(o, "hdi_low", json_num(s->hdi_low), bad);
    put(o, "hdi_high", json_num(s->hdi_high), bad);
    put(o, "mcse_mean", json_num(s->mcse_mean), bad);
    put(o, "mcse_sd", json_num(s->mcse_sd), bad);
    put(o, "ess_bulk", json_num(s->ess_bulk), bad);
    put(o, "ess_tail", json_num(s->ess_tail), bad);
    put(o, "r_hat", json_num(s->r_hat), bad);
    double q[REPORT_MAX_QUANTILES];
    quantiles_of(d, v, opt, q);
    for (int k = 0; k < quantile_count(opt); k++) {
        char key[FORMAT_CELL];
        report_quantile_name(opt->quantiles[k], key, sizeof key);
        put(o, key, json_num(q[k]), bad);
    }
    return o;
}

static json_t *json_sampler(const Draws *d, const RunInfo *run, double hdi_prob, int *bad)
{
    json_t *o = json_object();
    if (!o) return NULL;
    /* "nuts", "exact" for independent draws with no sampler, "exact_conjugate" when those are
    ** of the closed-form posterior of conjugate blocks, named in "conjugate" */
    put(o, "method", json_string(!run->exact ? "nuts" : run->conjugate ? "exact_conjugate" : "exact"), bad);
    if (run->exact && run->conjugate) put(o, "conjugate", json_string(run->conjugate), bad);
    /* what was drawn: the posterior, or the prior predictive distribution */
    put(o, "run", json_string(run->prior ? "prior_predictive" : "posterior"), bad);
    put(o, "chains", json_integer(run->chains), bad);
    put(o, "draws", json_integer(run->draws), bad);
    put(o, "tune", json_integer(run->tune), bad);
    put(o, "divergences", json_integer(run->divergences), bad);
    put(o, "seconds", json_num(run->seconds), bad);
    put(o, "draws_kept", json_integer(d->ndraws), bad);
    put(o, "thin", json_integer(run->thin > 1 ? run->thin : 1), bad);
    /* A seed beyond json_int_t's range would wrap to a negative number. */
    if (run->seed_unknown)
        put(o, "seed", json_null(), bad);
    else if ((unsigned long long)run->seed <= (unsigned long long)JSON_INT_LARGEST)
        put(o, "seed", json_integer((json_int_t)run->seed), bad);
    else
        put(o, "seed", json_real((double)run->seed), bad);
    put(o, "gradient_evals", json_integer(run->gradient_evals), bad);
    put(o, "treedepth_hits", json_integer(run->treedepth_hits), bad);
    put(o, "max_treedepth", json_integer(run->max_treedepth), bad);
    put(o, "metric", run->metric ? json_string(run->metric) : json_null(), bad);
    put(o, "target_accept", json_num(run->target_accept), bad);
    put(o, "hdi_prob", json_num(hdi_prob), bad);
    put(o, "interrupted", json_boolean(run->interrupted), bad);
    /* draws read back from saved files, not made by this run */
    put(o, "saved", json_boolean(run->saved), bad);
    put(o, "compile_seconds", json_num(run->compile_seconds), bad);
    put(o, "stepsize", json_per_chain(run->stepsize, run->chains, bad), bad);
    put(o, "ebfmi", json_per_chain(run->ebfmi, run->chains, bad), bad);
    return o;
}

/* [{"kind": ..., "names": [...], "chains": [...], "message": ..., "advice": ...}, ...] */
static json_t *json_warnings(const Warnings *w, int *bad)
{
    json_t *a = json_array();
    for (int i = 0; a && w && i < w->n; i++) {
        const Warning *e = &w->items[i];
        json_t *o = json_object(), *names = json_array(), *chains = json_array();
        for (int k = 0; names && k < e->nnames; k++) append(names, json_string(e->names[k]), bad);
        for (int k = 0; chains && k < e->nchains; k++) append(chains, json_integer(e->chains[k]), bad);
        append(a, o, bad);
        if (!o) {
            json_decref(names);
            json_decref(chains);
            continue;
        }
        put(o, "kind", json_string(e->kind), bad);
        put(o, "names", names, bad);
        put(o, "chains", chains, bad);
        put(o, "message", json_string(e->message), bad);
        put(o, "advice", e->advice ? json_string(e->advice) : json_null(), bad);
    }
    return a;
}

/* {"y": {"replicate": "y_rep", "summary": {"y_rep[1]": {...}, ...},
**        "checks": [{"statistic": "mean", "observed": ..., "mean": ...,
**                    "hdi_low": ..., "hdi_high": ..., "p_value": ...}, ...]}, ...}
** for the observed quantities whose replicates are selected. */
static json_t *json_predictive(const Draws *d, const VarSummary *s, Selection sel, const RunInfo *run,
                               const ReportOptions *opt, int *bad)
{
    json_t *o = json_object();
    if (!o) { (*bad)++; return NULL; }
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v < 0 || d->group[v] != DRAWS_PREDICTIVE) continue;
        json_t *of = json_object_get(o, d->of[v]);
        if (!of) {   /* the first replicate of its quantity: the quantity's entry */
            of = json_object();
            json_t *summary = json_object(), *checks = json_array();
            char base[256];
            snprintf(base, sizeof base, "%.*s", (int)strcspn(d->names[v], "["), d->names[v]);
            put(of, "replicate", json_string(base), bad);
            put(of, "summary", summary, bad);
            for (int i = 0; run && run->ppc && i < run->nppc && checks; i++) {
                const PpcCheck *c = &run->ppc[i];
                if (v < c->first || v >= c->first + c->count) continue;
                json_t *cj = json_object();
                put(cj, "statistic", json_string(ppc_stat_name(c->stat)), bad);
                put(cj, "observed", json_num(c->observed), bad);
                put(cj, "mean", json_num(c->mean), bad);
                put(cj, "hdi_low", json_num(c->hdi_low), bad);
                put(cj, "hdi_high", json_num(c->hdi_high), bad);
                put(cj, "p_value", json_num(c->p_value), bad);
                if (!cj || json_array_append_new(checks, cj) != 0) (*bad)++;
            }
            put(of, "checks", checks, bad);
            put(o, d->of[v], of, bad);
            if (!of) continue;
        }
        put(json_object_get(of, "summary"), d->names[v], json_variable(d, v, &s[v], opt, bad), bad);
    }
    return o;
}

/* {"points": [{"index": 1, "term": "y", "element": "y[1]", "line": 3}, ...]}
** for every point of the log-likelihood, and "summary" of those that
** --vars names. */
static json_t *json_log_lik(const Draws *d, const VarSummary *s, Selection sel, const RunInfo *run,
                            const ReportOptions *opt, int *bad)
{
    json_t *o = json_object(), *points = json_array();
    if (!o || !points) {
        json_decref(o);
        json_decref(points);
        (*bad)++;
        return NULL;
    }
    int k = 0;
    for (int v = 0; v < d->nvars; v++) {
        if (d->group[v] != DRAWS_LOG_LIK) continue;
        json_t *p = json_object();
        char term[256];
        snprintf(term, sizeof term, "%.*s", (int)strcspn(d->of[v], "["), d->of[v]);
        put(p, "index", json_integer(k + 1), bad);
        put(p, "term", json_string(term), bad);
        put(p, "element", json_string(d->of[v]), bad);
        put(p, "line", run && run->point_lines ? json_integer(run->point_lines[k]) : json_null(), bad);
        append(points, p, bad);
        k++;
    }
    put(o, "points", points, bad);
    if (!points_shown(d, sel)) return o;
    json_t *summary = json_object();
    for (int i = 0; i < sel.n && summary; i++) {
        int v = selection_var(d, sel, i);
        if (v >= 0 && d->group[v] == DRAWS_LOG_LIK) put(summary, d->names[v], json_variable(d, v, &s[v], opt, bad), bad);
    }
    put(o, "summary", summary, bad);
    return o;
}

int report_json(FILE *out, const Draws *d, const VarSummary *s,
                const RunInfo *run, const ReportOptions *opt, const Warnings *warnings)
{
    Selection sel = selection_of(d, opt);
    double hdi_prob = opt ? opt->hdi_prob : 0.94;
    int bad = 0;
    json_t *root = json_object();
    json_t *vars = json_object();
    if (!root || !vars) {
        json_decref(root);
        json_decref(vars);
        return -1;
    }
    for (int k = 0; k < sel.n; k++) {
        int v = selection_var(d, sel, k);
        if (v >= 0 && d->group[v] == DRAWS_POSTERIOR) put(vars, d->names[v], json_variable(d, v, &s[v], opt, &bad), &bad);
    }
    put(root, "variables", vars, &bad);
    if (group_shown(d, sel, DRAWS_PREDICTIVE)) put(root, "posterior_predictive", json_predictive(d, s, sel, run, opt, &bad), &bad);
    bool points = false;
    for (int v = 0; v < d->nvars && !points; v++) points = d->group[v] == DRAWS_LOG_LIK;
    if (points) put(root, "log_lik", json_log_lik(d, s, sel, run, opt, &bad), &bad);
    if (run) put(root, "sampler", json_sampler(d, run, hdi_prob, &bad), &bad);
    if (run && run->loo) put(root, "loo", report_loo_json(run->loo), &bad);
    put(root, "warnings", json_warnings(warnings, &bad), &bad);

    int rc = -1;
    if (!bad) {
        size_t flags = JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(17);
        if (json_dumpf(root, out, flags) == 0 && fputc('\n', out) != EOF) rc = 0;
    }
    json_decref(root);
    return rc;
}
